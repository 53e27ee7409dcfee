//! Portico as an OpenID Provider for the organisation's apps. Tokens are signed by
//! `jsonwebtoken` on aws-lc (RS256 keys parsed once, through `jsonwebtoken`'s provider hook:
//! `parsed_keys`), keys are made by `aws-lc-rs`, PKCE is checked with `openidconnect`'s own type,
//! and the discovery document is `openidconnect`'s too: nothing here is hand-made crypto.

pub mod authorize;
mod batched;
pub mod clients;
pub mod consent;
pub mod discovery;
pub mod issued;
pub mod key_ring;
pub mod parsed_keys;
pub mod revocation;
pub mod signing_keys;
pub mod token;
pub mod userinfo;
