//! Portico as an OpenID Provider for the organisation's apps: apps' registrations and the signing
//! keys, for admins.

pub mod clients;
pub mod consent;
pub mod signing_keys;
