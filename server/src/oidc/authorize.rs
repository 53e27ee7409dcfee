//! The authorization endpoint: the person's browser arrives from an app, and leaves for it with a
//! code, or is asked something on Portico's own pages first.

use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use tower_sessions::Session;

use super::Provider;
use app::api::session::{end_session, signed_in_record};
use app::state::{AppState, ClientIp};
use rules::audit::event::Actor;
use rules::list_filter::url_encode;
use rules::oidc::authorize::AuthorizeParams;
use services::mfa::requirement::portal_wants_second_factor;
use services::oidc::authorize::{authorize, Outcome, Visitor};
use services::oidc::discovery::paths;

pub fn routes(provider: Provider) -> Router<AppState> {
    Router::new()
        .route(paths::AUTHORIZE, get(authorization_request))
        .route(paths::DECLINE, get(declined))
        .with_state(provider)
}

/// The request again, as Portico's page that sends the browser back to this endpoint after a
/// sign-in (without `prompt`: the person has just been asked).
fn come_back(parts: &Parts) -> String {
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(parts.uri.query().unwrap_or_default()).unwrap_or_default();
    let kept: Vec<(String, String)> = query.into_iter().filter(|(name, _)| name != "prompt").collect();
    format!(
        "/sign-in/app?{}",
        serde_urlencoded::to_string(kept).unwrap_or_default()
    )
}

async fn authorization_request(
    State(provider): State<Provider>,
    session: Session,
    Query(params): Query<AuthorizeParams>,
    parts: Parts,
) -> Response {
    match decide(&provider, &session, &params, &parts).await {
        Ok(response) => response,
        Err(cause) => {
            tracing::error!(%cause, "the authorization request failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn decide(
    provider: &Provider,
    session: &Session,
    params: &AuthorizeParams,
    parts: &Parts,
) -> Result<Response, Box<dyn std::error::Error>> {
    let state = &provider.app;
    let now = state.clock.now();
    let record = signed_in_record(state, session).await?;
    let client_ip = parts
        .extensions
        .get::<ClientIp>()
        .map(|ip| ip.0.clone())
        .unwrap_or_default();
    let visitor = Visitor {
        owes_second_factor: record
            .as_ref()
            .is_some_and(|r| portal_wants_second_factor(&state.look.second_factors(), r)),
        actor: match &record {
            Some(r) => Actor::account(r.account.id, &r.account.email, &client_ip),
            None => Actor::anonymous("", &client_ip),
        },
        sign_in: record.as_ref(),
    };
    let outcome = authorize(&state.store, provider.issuer(), params, &visitor, now).await?;
    let back = come_back(parts);
    Ok(match outcome {
        Outcome::ToApp(address) => Redirect::to(&address).into_response(),
        Outcome::Problem(reason) => {
            Redirect::to(&format!("/sign-in/app/problem?reason={reason}")).into_response()
        }
        Outcome::SignIn { again, slug } => {
            if again {
                end_session(state, session).await?;
            }
            Redirect::to(&format!(
                "/sign-in?next={}&app={}",
                url_encode(&back),
                url_encode(&slug)
            ))
            .into_response()
        }
        Outcome::SecondStep => {
            Redirect::to(&format!("/sign-in/second-factor?next={}", url_encode(&back))).into_response()
        }
        Outcome::NoAccess { slug, .. } => {
            Redirect::to(&format!("/sign-in/app/no-access/{slug}")).into_response()
        }
        Outcome::Consent { .. } => {
            let query = back.trim_start_matches("/sign-in/app?");
            Redirect::to(&format!("/sign-in/app/consent?{query}")).into_response()
        }
    })
}

/// The person declined on the consent page (a link, so the way back to the app is an ordinary
/// navigation): the app hears `access_denied` at its registered address.
async fn declined(State(provider): State<Provider>, Query(params): Query<AuthorizeParams>) -> Response {
    match services::oidc::consent::decline(&provider.app.store, provider.issuer(), &params).await {
        Ok(Outcome::ToApp(address)) => Redirect::to(&address).into_response(),
        Ok(Outcome::Problem(reason)) => {
            Redirect::to(&format!("/sign-in/app/problem?reason={reason}")).into_response()
        }
        Ok(_) => StatusCode::BAD_REQUEST.into_response(),
        Err(cause) => {
            tracing::error!(%cause, "declining failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
