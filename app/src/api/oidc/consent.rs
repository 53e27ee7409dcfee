//! A person's consent to an app that is not the organisation's own: the question on the way into
//! the app, and the list on their account page where they withdraw it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentView {
    pub app_name: String,
    /// What the app would learn (`email`, `name`, `organisation`, `groups`).
    pub claims: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRow {
    pub client_id: String,
    pub app_name: String,
    pub given_at: i64,
}

/// The authorization request a consent page carries (its query string).
#[cfg(feature = "ssr")]
fn request_of(query: &str) -> rules::oidc::authorize::AuthorizeParams {
    rules::oidc::authorize::AuthorizeParams::from_query(query)
}

#[cfg(feature = "ssr")]
fn problem(code: &str) -> AppError {
    AppError::Refused(format!("@{code}"))
}

#[server(prefix = "/api", endpoint = "app_consent")]
pub async fn app_consent(query: String) -> Result<ConsentView, AppError> {
    use crate::api::session::require_account;
    let (state, _, _) = require_account().await?;
    let ask = services::oidc::consent::consent_ask(&state.store, &request_of(&query))
        .await?
        .map_err(problem)?;
    Ok(ConsentView {
        app_name: ask.app_name,
        claims: ask.claims.into_iter().map(str::to_string).collect(),
    })
}

#[server(prefix = "/api", endpoint = "allow_app")]
pub async fn allow_app(query: String) -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::require_account;
    let (state, _, account) = require_account().await?;
    let params = request_of(&query);
    services::oidc::consent::give_consent(
        &state.store,
        &admin_actor(&account),
        account.id,
        &params,
        state.clock.now(),
    )
    .await?
    .map_err(problem)?;
    leptos_axum::redirect(&format!("/sign-in/app?{}", query.trim_start_matches('?')));
    Ok(())
}

/// Where an app asked to send the person after they signed out of Portico, if it is registered
/// for that app.
#[server(prefix = "/api", endpoint = "after_app_sign_out")]
pub async fn after_app_sign_out(
    client_id: String,
    post_logout_redirect_uri: String,
    state: Option<String>,
) -> Result<Option<String>, AppError> {
    use crate::api::session::app_state;
    let state_ = app_state()?;
    Ok(services::oidc::clients::post_logout_target(
        &state_.store,
        &client_id,
        &post_logout_redirect_uri,
        state.as_deref(),
    )
    .await?)
}

#[server(prefix = "/api", endpoint = "my_app_consents")]
pub async fn my_app_consents() -> Result<Vec<ConsentRow>, AppError> {
    use crate::api::session::require_account;
    let (state, _, account) = require_account().await?;
    Ok(services::oidc::consent::consented_apps(&state.store, account.id)
        .await?
        .into_iter()
        .map(|(client_id, app_name, given_at)| ConsentRow {
            client_id,
            app_name,
            given_at,
        })
        .collect())
}

#[server(prefix = "/api", endpoint = "withdraw_app_consent")]
pub async fn withdraw_app_consent(client_id: String) -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::require_account;
    let (state, _, account) = require_account().await?;
    let actor = admin_actor(&account);
    if !services::oidc::consent::withdraw_consent(
        &state.store,
        &actor,
        account.id,
        &client_id,
        state.clock.now(),
    )
    .await?
    {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect("/account?withdrawn=1");
    Ok(())
}
