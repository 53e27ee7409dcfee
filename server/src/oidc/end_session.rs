//! RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): an app sends the person here to
//! end their Portico session, the single sign-on session every app shares. With a valid
//! `id_token_hint` for the signed-in person it ends at once; otherwise Portico asks first (a
//! forged link cannot sign anyone out). The person then goes to the app's registered address.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Router};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::Provider;
use app::api::session::{end_session, signed_in_record};
use app::state::AppState;
use services::oidc::clients::post_logout_target;
use services::oidc::discovery::paths;
use services::oidc::issued::read_id_token_hint;

pub fn routes(provider: Provider) -> Router<AppState> {
    Router::new()
        .route(paths::END_SESSION, axum::routing::get(asked).post(confirmed))
        .with_state(provider)
}

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct EndSessionParams {
    id_token_hint: Option<String>,
    post_logout_redirect_uri: Option<String>,
    state: Option<String>,
    client_id: Option<String>,
}

/// Where the person goes afterwards: the app's registered address (with its `state`), or
/// Portico's sign-in page. `Err` with Portico's problem page when the address is not registered.
async fn destination(
    provider: &Provider,
    params: &EndSessionParams,
    hinted_app: Option<&str>,
) -> Result<String, Response> {
    let Some(uri) = params.post_logout_redirect_uri.as_deref() else {
        return Ok("/sign-in?signed_out=1".to_string());
    };
    let client_id = params.client_id.as_deref().or(hinted_app).unwrap_or_default();
    match post_logout_target(&provider.app.store, client_id, uri, params.state.as_deref()).await {
        Ok(Some(target)) => Ok(target),
        Ok(None) => {
            Err(Redirect::to("/sign-in/app/problem?reason=app_address_not_registered").into_response())
        }
        Err(_) => Err(StatusCode::INTERNAL_SERVER_ERROR.into_response()),
    }
}

async fn asked(
    State(provider): State<Provider>,
    session: Session,
    Query(params): Query<EndSessionParams>,
) -> Response {
    let state = &provider.app;
    let now = state.clock.now();
    let hint = match &params.id_token_hint {
        Some(token) => read_id_token_hint(&provider.issued(), token, now)
            .await
            .ok()
            .flatten(),
        None => None,
    };
    let hint = hint.filter(|(_, aud)| params.client_id.as_deref().is_none_or(|id| id == aud));
    let target = match destination(&provider, &params, hint.as_ref().map(|(_, aud)| aud.as_str())).await {
        Ok(target) => target,
        Err(problem) => return problem,
    };
    let record = match signed_in_record(state, &session).await {
        Ok(record) => record,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let Some(record) = record else {
        return Redirect::to(&target).into_response();
    };
    if hint
        .as_ref()
        .is_some_and(|(sub, _)| *sub == record.account.id.to_string())
    {
        if end_session(state, &session).await.is_err() {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        return Redirect::to(&target).into_response();
    }
    let mut query = params.clone();
    query.client_id = query.client_id.or(hint.map(|(_, aud)| aud));
    query.id_token_hint = None;
    Redirect::to(&format!(
        "/sign-in/app/sign-out?{}",
        serde_urlencoded::to_string(&query).unwrap_or_default()
    ))
    .into_response()
}

/// The person confirmed on Portico's page. A form's redirect may not leave the site (the pages'
/// `form-action 'self'`), so the way on to the app is a page of Portico's that goes there by
/// itself.
async fn confirmed(
    State(provider): State<Provider>,
    session: Session,
    Form(params): Form<EndSessionParams>,
) -> Response {
    let target = match destination(&provider, &params, None).await {
        Ok(target) => target,
        Err(problem) => return problem,
    };
    if end_session(&provider.app, &session).await.is_err() {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    if !target.starts_with("http") {
        return Redirect::to(&target).into_response();
    }
    let mut onward = params.clone();
    onward.id_token_hint = None;
    Redirect::to(&format!(
        "/sign-in/app/signed-out?{}",
        serde_urlencoded::to_string(&onward).unwrap_or_default()
    ))
    .into_response()
}
