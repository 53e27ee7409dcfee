//! Federation: partners sign in with their own company's OpenID Connect provider.
//!
//! `directory` talks to providers (discovery, keys; short timeouts, no redirects), `providers`
//! is the admin's page, `flow` the sign-in itself (authorization code + PKCE, every ID-token
//! check by the `openidconnect` crate), `linking` what Portico does with the proved identity.

pub mod directory;
pub mod flow;
pub mod identities;
pub mod linking;
pub mod providers;

pub use directory::Federation;

/// A provider or link an admin asked for that is not there, or a form to correct.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    #[error("no such provider or link")]
    NotFound,
    #[error("the form has errors")]
    Invalid(rules::error::FieldErrors),
    #[error(transparent)]
    Store(#[from] storage::StoreError),
}

/// The purpose the client secrets are sealed under (see `server_key`).
pub(crate) const SECRET_SEAL: &str = "identity_provider.client_secret";
