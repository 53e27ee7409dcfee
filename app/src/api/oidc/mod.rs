//! Portico as an OpenID Provider for the organisation's apps: its signing keys, for admins.

pub mod signing_keys;
