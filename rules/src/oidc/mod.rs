//! Portico as an OpenID Provider for the organisation's apps: the rules that need no database.

pub mod signing_keys;
