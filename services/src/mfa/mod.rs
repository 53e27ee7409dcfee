//! Second factors: enrolling an authenticator app, passkeys and recovery codes, and the second
//! step of a sign-in. Codes are made and checked by `totp-rs`, keys by `webauthn-rs`; nothing here
//! is hand-made crypto.

pub mod authenticator;
pub mod enrolment;
pub mod passkey_enrolment;
pub mod passkey_step;
pub mod passkeys;
pub mod requirement;
pub mod reset;
pub mod second_step;

/// What went wrong with a second factor, for the person to read.
#[derive(Debug, thiserror::Error)]
pub enum MfaError {
    /// Not something that could be a code (the page says what a code looks like).
    #[error("not a code")]
    NotACode,
    /// Not six digits (where only an authenticator's code will do).
    #[error("not an authenticator code")]
    NotAnAuthenticatorCode,
    #[error("the code is not right")]
    Wrong,
    /// Five wrong codes: the step opens again after this many seconds.
    #[error("locked for {0} s")]
    Locked(u64),
    /// No sign-in waits for its second step here (signed out, or it took too long).
    #[error("no sign-in is waiting for its second step")]
    NothingWaiting,
    /// The authenticator being added or removed is not (or no longer) there.
    #[error("no such authenticator")]
    NoSuchAuthenticator,
    /// An admin tried to reset their own second factors.
    #[error("nobody resets their own second factors")]
    OwnReset,
    /// This portal's address allows no passkeys (see `passkeys`).
    #[error("passkeys are not available here")]
    PasskeysUnavailable,
    /// The browser's answer did not prove a key: refused, too late, answered twice, not theirs.
    #[error("the passkey was refused")]
    PasskeyRefused,
    /// What is wrong with the name given to a new key (a message code).
    #[error("the passkey's name will not do")]
    PasskeyName(String),
    #[error(transparent)]
    Store(#[from] storage::StoreError),
}

impl MfaError {
    /// The message code a person reads (a store failure has none).
    pub fn message(&self) -> Option<String> {
        Some(match self {
            MfaError::NotACode => "@not_a_second_factor_code".into(),
            MfaError::NotAnAuthenticatorCode => "@not_an_authenticator_code".into(),
            MfaError::Wrong => "@second_factor_code_wrong".into(),
            MfaError::Locked(seconds) => rules::message::with(
                "second_step_locked",
                &[("count", &seconds.div_ceil(60).to_string())],
            ),
            MfaError::NothingWaiting => "@second_step_expired".into(),
            MfaError::NoSuchAuthenticator => "@no_such_authenticator".into(),
            MfaError::OwnReset => "@no_own_second_factor_reset".into(),
            MfaError::PasskeysUnavailable => "@passkeys_unavailable".into(),
            MfaError::PasskeyRefused => "@passkey_refused".into(),
            MfaError::PasskeyName(message) => message.clone(),
            MfaError::Store(_) => return None,
        })
    }
}
