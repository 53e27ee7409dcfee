//! Federation: partners signing in with their own company's OpenID Connect provider.

pub mod identity;
pub mod provider;
