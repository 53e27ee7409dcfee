//! A new owner's one-time link to set a password.

use leptos::prelude::*;

use rules::error::AppError;

/// The email the link is for, while it works.
#[server(prefix = "/api", endpoint = "password_link")]
pub async fn password_link(token: String) -> Result<Option<String>, AppError> {
    use crate::api::session::{app_state, internal};
    use services::accounts::owner_welcome::{password_link_account, WelcomeError};
    let state = app_state()?;
    match password_link_account(&state.store, &*state.clock, &token).await {
        Ok(account) => Ok(Some(account.email)),
        Err(WelcomeError::LinkInvalid) => Ok(None),
        Err(other) => Err(internal(other)),
    }
}

#[server(prefix = "/api", endpoint = "set_password")]
pub async fn set_password(token: String, password: String, password_confirm: String) -> Result<(), AppError> {
    use crate::api::session::{
        app_state, client_ip, internal, redirect_plain_form_post, session, start_session_and_go,
    };
    use services::accounts::owner_welcome::{set_password_with_link, WelcomeError};

    let state = app_state()?;
    let session = session().await?;
    let result = match set_password_with_link(
        &state.store,
        &*state.clock,
        &token,
        password,
        password_confirm,
        &client_ip(),
    )
    .await
    {
        Ok(signed_in) => start_session_and_go(&state, &session, &signed_in, "/review?welcome=1", None).await,
        Err(WelcomeError::LinkInvalid) => Err(AppError::Refused("@link_no_longer_works".into())),
        Err(WelcomeError::Invalid(errors)) => Err(AppError::Invalid(errors)),
        Err(other) => Err(internal(other)),
    };
    redirect_plain_form_post(
        &state,
        <SetPassword as leptos::server_fn::ServerFn>::PATH,
        &format!("/welcome/{token}"),
        &result,
    );
    result
}
