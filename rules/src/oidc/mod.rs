//! Portico as an OpenID Provider for the organisation's apps: the rules that need no database.

pub mod authorize;
pub mod clients;
pub mod grants;
pub mod signing_keys;
