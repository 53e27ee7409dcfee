//! Portico as an OpenID Provider: its signing keys, the apps registered with it, and what each
//! sign-in into an app leaves behind.

pub mod claims;
pub mod clients;
pub mod grant_writes;
pub mod grants;
pub mod retention;
pub mod signing_keys;
