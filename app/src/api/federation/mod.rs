//! Signing in with a partner's own identity provider (`sign_in`), the admin's providers page
//! (`providers`), and the identities linked to accounts (`identities`).

#[cfg(feature = "ssr")]
mod callback;
pub mod identities;
pub mod providers;
pub mod sign_in;
