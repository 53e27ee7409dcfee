//! The second step: at sign-in (a sign-in waiting for it), or later when a signed-in person
//! reaches something that asks for it (step-up); a code from an authenticator app, a recovery
//! code, or a passkey (see `passkeys`). Someone without any second factor adds one first.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::error::AppError;

/// What the second-step page offers this browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecondStep {
    /// Nothing to give: nobody is signed in here, or the waiting sign-in took too long.
    Nothing,
    /// A code is asked for (a sign-in waits for it, or a signed-in person steps up); `passkey`
    /// when the person also has a passkey to use instead.
    Code { passkey: bool },
    /// Signed in without any second factor: one is added first.
    Enrol,
    /// This session has given one already.
    Given,
}

/// A sign-in that owes its second factor: one waiting for it (`at_sign_in`), or a standing one
/// that reached something asking for it.
#[cfg(feature = "ssr")]
pub(super) struct PendingStep {
    pub account: storage::accounts::account::AccountRecord,
    pub sign_in_id: String,
    pub at_sign_in: bool,
}

#[cfg(feature = "ssr")]
async fn find_pending_step(
    state: &crate::state::AppState,
    session: &tower_sessions::Session,
) -> Result<Option<PendingStep>, AppError> {
    use crate::api::session::{awaiting_sign_in, signed_in_record};
    if let Some(sign_in_id) = awaiting_sign_in(session).await? {
        let now = state.clock.now();
        if let Ok(account) = services::mfa::second_step::waiting_account(&state.store, &sign_in_id, now).await
        {
            return Ok(Some(PendingStep {
                account,
                sign_in_id,
                at_sign_in: true,
            }));
        }
    }
    Ok(signed_in_record(state, session)
        .await?
        .filter(|record| record.second_factor.is_none())
        .map(|record| PendingStep {
            account: record.account,
            sign_in_id: record.id,
            at_sign_in: false,
        }))
}

/// The pending step, or the message that nothing waits for one.
#[cfg(feature = "ssr")]
pub(super) async fn pending_step(
) -> Result<(crate::state::AppState, tower_sessions::Session, PendingStep), AppError> {
    use crate::api::session::{app_state, session};
    let state = app_state()?;
    let session = session().await?;
    match find_pending_step(&state, &session).await? {
        Some(step) => Ok((state, session, step)),
        None => Err(super::mfa_error(services::mfa::MfaError::NothingWaiting)),
    }
}

/// Where the person goes once the step is given: a sign-in starts its session; a step-up goes
/// on to where it was going.
#[cfg(feature = "ssr")]
pub(super) async fn step_given(
    state: &crate::state::AppState,
    session: &tower_sessions::Session,
    signed_in: &services::accounts::sign_in::SignedIn,
    at_sign_in: bool,
    next: Option<&str>,
) -> Result<(), AppError> {
    if at_sign_in {
        return crate::api::accounts::auth::after_sign_in(state, session, signed_in, next).await;
    }
    leptos_axum::redirect(next.and_then(rules::validation::safe_return_path).unwrap_or("/"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "second_step_state")]
pub async fn second_step_state() -> Result<SecondStep, AppError> {
    use crate::api::session::{app_state, session, signed_in_record};
    use services::mfa::enrolment::has_any_second_factor;
    let state = app_state()?;
    let session = session().await?;
    if let Some(step) = find_pending_step(&state, &session).await? {
        if !step.at_sign_in && !has_any_second_factor(&state.store, step.account.id).await? {
            return Ok(SecondStep::Enrol);
        }
        let passkey = state.passkeys.available()
            && services::mfa::passkey_step::has_passkey(&state.store, step.account.id)
                .await
                .map_err(super::mfa_error)?;
        return Ok(SecondStep::Code { passkey });
    }
    Ok(match signed_in_record(&state, &session).await? {
        Some(_) => SecondStep::Given,
        None => SecondStep::Nothing,
    })
}

#[server(prefix = "/api", endpoint = "give_second_factor")]
pub async fn give_second_factor(code: String, next: Option<String>) -> Result<(), AppError> {
    use crate::api::session::{client_ip, mail_context};
    use services::mfa::second_step::{step_up, WaitingSignIn};
    let (state, session, step) = pending_step().await?;
    let ip = client_ip();
    let waiting = WaitingSignIn {
        sign_in_id: &step.sign_in_id,
        client_ip: &ip,
    };
    let mail = mail_context(&state);
    let key = &state.settings.server_key;
    let signed_in = step_up(
        &state.store,
        key,
        &mail,
        step.account,
        waiting,
        &code,
        state.clock.now(),
    )
    .await
    .map_err(super::mfa_error)?;
    step_given(&state, &session, &signed_in, step.at_sign_in, next.as_deref()).await
}
