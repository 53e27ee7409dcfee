//! Signing in with a partner's own identity provider (`sign_in`), the admin's providers page
//! (`providers`), and the identities linked to accounts (`identities`).

#[cfg(feature = "ssr")]
mod callback;
pub mod identities;
pub mod providers;
pub mod sign_in;

/// A provider or link problem as the admin reads it.
#[cfg(feature = "ssr")]
fn provider_error(error: services::federation::ProviderError) -> rules::error::AppError {
    use rules::error::AppError;
    use services::federation::ProviderError;
    match error {
        ProviderError::NotFound => AppError::NotFound,
        ProviderError::Invalid(errors) => AppError::Invalid(errors),
        ProviderError::Store(error) => crate::api::session::internal(error),
    }
}
