//! Passkeys and security keys: adding and removing them from the account page, and using one
//! as the second step. Each ceremony is two requests: the page's script asks for the options
//! (`*_options`, answered as JSON), runs `navigator.credentials`, then sends the form with the
//! browser's answer.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::error::AppError;

/// A ceremony begun: the challenge's id, to send back, and the options for the browser (JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyOptions {
    pub challenge: String,
    pub options: String,
}

#[cfg(feature = "ssr")]
fn passkey_error(error: services::mfa::MfaError) -> AppError {
    use rules::error::FieldErrors;
    use services::mfa::MfaError;
    match (&error, error.message()) {
        (MfaError::PasskeyName(_), Some(message)) => {
            AppError::Invalid(FieldErrors::new().with("name", message))
        }
        (MfaError::PasskeyRefused | MfaError::PasskeysUnavailable, Some(message)) => {
            AppError::Invalid(FieldErrors::new().with("form", message))
        }
        _ => super::mfa_error(error),
    }
}

#[cfg(feature = "ssr")]
fn options_of(challenge: services::mfa::passkeys::Challenge) -> PasskeyOptions {
    PasskeyOptions {
        challenge: challenge.id,
        options: challenge.options,
    }
}

#[server(prefix = "/api", endpoint = "new_passkey_options")]
pub async fn new_passkey_options() -> Result<PasskeyOptions, AppError> {
    let (state, _, record) = super::enrolment::require_enroller().await?;
    let challenge = services::mfa::passkey_enrolment::begin_passkey(
        &state.store,
        &state.passkeys,
        &state.settings.server_key,
        &record.account,
        state.clock.now(),
    )
    .await
    .map_err(passkey_error)?;
    Ok(options_of(challenge))
}

/// `next`: where the person was going when the portal asked for a second factor they did not
/// have yet (see `confirm_authenticator`).
#[server(prefix = "/api", endpoint = "add_passkey")]
pub async fn add_passkey(
    name: String,
    challenge: String,
    credential: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::api::session::client_ip;
    use rules::audit::event::Actor;
    use services::mfa::passkey_enrolment::NewPasskey;
    let (state, session, record) = super::enrolment::require_enroller().await?;
    let account = &record.account;
    let actor = Actor::account(account.id, &account.email, &client_ip());
    let key = &state.settings.server_key;
    let new = NewPasskey {
        challenge_id: &challenge,
        name: &name,
        credential: &credential,
    };
    let codes = services::mfa::passkey_enrolment::add_passkey(
        &state.store,
        (&state.passkeys, key),
        &actor,
        (account, &record.id),
        new,
        state.clock.now(),
    )
    .await
    .map_err(passkey_error)?;
    super::enrolment::factor_added(&session, key, codes, next.as_deref()).await
}

#[server(prefix = "/api", endpoint = "remove_passkey")]
pub async fn remove_passkey(id: i64) -> Result<(), AppError> {
    use crate::api::session::{client_ip, require_account};
    use rules::audit::event::Actor;
    let (state, _, account) = require_account().await?;
    let actor = Actor::account(account.id, &account.email, &client_ip());
    services::mfa::passkey_enrolment::remove_passkey(&state.store, &actor, &account, id, state.clock.now())
        .await
        .map_err(passkey_error)?;
    leptos_axum::redirect("/account?removed=1");
    Ok(())
}

#[server(prefix = "/api", endpoint = "passkey_step_options")]
pub async fn passkey_step_options() -> Result<PasskeyOptions, AppError> {
    let (state, _, step) = super::second_step::pending_step().await?;
    let challenge = services::mfa::passkey_step::begin_passkey_step(
        &state.store,
        &state.passkeys,
        &step.account,
        state.clock.now(),
    )
    .await
    .map_err(passkey_error)?;
    Ok(options_of(challenge))
}

#[server(prefix = "/api", endpoint = "give_passkey")]
pub async fn give_passkey(
    challenge: String,
    credential: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::api::session::client_ip;
    use services::mfa::second_step::WaitingSignIn;
    let (state, session, step) = super::second_step::pending_step().await?;
    let ip = client_ip();
    let waiting = WaitingSignIn {
        sign_in_id: &step.sign_in_id,
        client_ip: &ip,
    };
    let signed_in = services::mfa::passkey_step::give_passkey(
        &state.store,
        &state.passkeys,
        step.account,
        waiting,
        (&challenge, &credential),
        state.clock.now(),
    )
    .await
    .map_err(passkey_error)?;
    super::second_step::step_given(&state, &session, &signed_in, step.at_sign_in, next.as_deref()).await
}
