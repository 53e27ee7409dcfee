//! Portico as an OpenID Provider for the organisation's apps. Tokens are signed by
//! `jsonwebtoken` (on aws-lc), keys are made by `aws-lc-rs`, and the discovery document is
//! `openidconnect`'s own type: nothing here is hand-made crypto.

pub mod discovery;
pub mod signing_keys;
