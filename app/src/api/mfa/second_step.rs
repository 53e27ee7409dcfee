//! The second step: at sign-in (a sign-in waiting for it), or later when a signed-in person
//! reaches something that asks for it (step-up); a code from an authenticator app, or a
//! recovery code. Someone without any second factor is sent to add one first.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::error::AppError;

/// What the second-step page offers this browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecondStep {
    /// Nothing to give: nobody is signed in here, or the waiting sign-in took too long.
    Nothing,
    /// A code is asked for: a sign-in waits for it, or a signed-in person steps up.
    Code,
    /// Signed in without any second factor: an authenticator app is added first.
    Enrol,
    /// This session has given one already.
    Given,
}

#[server(prefix = "/api", endpoint = "second_step_state")]
pub async fn second_step_state() -> Result<SecondStep, AppError> {
    use crate::api::session::{app_state, awaiting_sign_in, session, signed_in_record};
    let state = app_state()?;
    let session = session().await?;
    if let Some(sign_in_id) = awaiting_sign_in(&session).await? {
        let waiting =
            services::mfa::second_step::waiting_account(&state.store, &sign_in_id, state.clock.now()).await;
        if waiting.is_ok() {
            return Ok(SecondStep::Code);
        }
    }
    let Some(record) = signed_in_record(&state, &session).await? else {
        return Ok(SecondStep::Nothing);
    };
    if record.second_factor.is_some() {
        return Ok(SecondStep::Given);
    }
    let has_app = services::mfa::enrolment::has_authenticator(&state.store, record.account.id).await?;
    Ok(if has_app {
        SecondStep::Code
    } else {
        SecondStep::Enrol
    })
}

#[server(prefix = "/api", endpoint = "give_second_factor")]
pub async fn give_second_factor(code: String, next: Option<String>) -> Result<(), AppError> {
    use super::mfa_error;
    use crate::api::accounts::auth::after_sign_in;
    use crate::api::session::{
        app_state, awaiting_sign_in, client_ip, mail_context, session, signed_in_record,
    };
    use services::mfa::second_step::{give_second_factor, step_up, WaitingSignIn};

    let state = app_state()?;
    let session = session().await?;
    let ip = client_ip();
    let (key, mail, now) = (
        &state.settings.server_key,
        mail_context(&state),
        state.clock.now(),
    );
    if let Some(sign_in_id) = awaiting_sign_in(&session).await? {
        let waiting = WaitingSignIn {
            sign_in_id: &sign_in_id,
            client_ip: &ip,
        };
        return match give_second_factor(&state.store, key, &mail, waiting, &code, now).await {
            Ok(signed_in) => after_sign_in(&state, &session, &signed_in, next.as_deref()).await,
            Err(error) => Err(mfa_error(error)),
        };
    }
    let Some(record) = signed_in_record(&state, &session).await? else {
        return Err(mfa_error(services::mfa::MfaError::NothingWaiting));
    };
    let standing = WaitingSignIn {
        sign_in_id: &record.id,
        client_ip: &ip,
    };
    step_up(&state.store, key, &mail, record.account, standing, &code, now)
        .await
        .map_err(mfa_error)?;
    let next = next.as_deref().and_then(rules::validation::safe_return_path);
    leptos_axum::redirect(next.unwrap_or("/"));
    Ok(())
}
