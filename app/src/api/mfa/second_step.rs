//! The second step of signing in: a code from an authenticator app, or a recovery code.

use leptos::prelude::*;

use rules::error::AppError;

/// Whether this browser has a sign-in waiting for its second factor (the page shows the form,
/// or says to sign in again).
#[server(prefix = "/api", endpoint = "second_step_waiting")]
pub async fn second_step_waiting() -> Result<bool, AppError> {
    use crate::api::session::{app_state, awaiting_sign_in, session};
    let state = app_state()?;
    let Some(sign_in_id) = awaiting_sign_in(&session().await?).await? else {
        return Ok(false);
    };
    let waiting =
        services::mfa::second_step::waiting_account(&state.store, &sign_in_id, state.clock.now()).await;
    Ok(waiting.is_ok())
}

#[server(prefix = "/api", endpoint = "give_second_factor")]
pub async fn give_second_factor(code: String, next: Option<String>) -> Result<(), AppError> {
    use super::mfa_error;
    use crate::api::accounts::auth::after_sign_in;
    use crate::api::session::{app_state, awaiting_sign_in, client_ip, mail_context, session};
    use services::mfa::second_step::{give_second_factor, WaitingSignIn};

    let state = app_state()?;
    let session = session().await?;
    let sign_in_id = awaiting_sign_in(&session).await?.unwrap_or_default();
    let ip = client_ip();
    let waiting = WaitingSignIn {
        sign_in_id: &sign_in_id,
        client_ip: &ip,
    };
    let given = give_second_factor(
        &state.store,
        &state.settings.server_key,
        &mail_context(&state),
        waiting,
        &code,
        state.clock.now(),
    )
    .await;
    match given {
        Ok(signed_in) => after_sign_in(&state, &session, &signed_in, next.as_deref()).await,
        Err(error) => Err(mfa_error(error)),
    }
}
