//! Second factors: the account page's authenticator apps and recovery codes (`enrolment`), and
//! the second step of signing in (`second_step`).

pub mod enrolment;
pub mod passkeys;
pub mod requirement;
pub mod reset;
pub mod second_step;

/// A second-factor problem as the person reads it: beside the code field.
#[cfg(feature = "ssr")]
fn mfa_error(error: services::mfa::MfaError) -> rules::error::AppError {
    use rules::error::{AppError, FieldErrors};
    use services::mfa::MfaError;
    match error.message() {
        Some(message) if matches!(error, MfaError::NoSuchAuthenticator | MfaError::OwnReset) => {
            AppError::Refused(message)
        }
        Some(message) => AppError::Invalid(FieldErrors::new().with("code", message)),
        None => crate::api::session::internal(error),
    }
}
