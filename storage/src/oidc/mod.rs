//! Portico as an OpenID Provider: its signing keys.

pub mod signing_keys;
