//! The versioned JSON API under `/api/v1`: invitations, requests, memberships and resources,
//! for programs holding an API token. Its OpenAPI document is generated from these handlers.

pub mod auth;
pub mod invitations;
pub mod lists;
pub mod memberships;
pub mod openapi;
pub mod reference;
pub mod requests;
pub mod resources;

use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;

use app::state::AppState;

use self::auth::{authenticate, AuthState, TokenLimits};
use crate::api_error::{ApiError, MAX_BODY_BYTES};

/// The API's routes, to be nested at `/api/v1`.
pub fn routes(state: AppState, limits: TokenLimits) -> Router<AppState> {
    let auth = AuthState { app: state, limits };
    let with_token = Router::new()
        .route("/resources", get(resources::list_resources))
        .route("/resources/{id}", get(resources::get_resource))
        .route(
            "/invitations",
            get(invitations::list_invitations).post(invitations::create_invitation),
        )
        .route("/invitations/{id}", get(invitations::get_invitation))
        .route("/invitations/{id}/resend", post(invitations::resend))
        .route("/invitations/{id}/revoke", post(invitations::revoke))
        .route("/requests", get(requests::list_requests))
        .route("/requests/{id}", get(requests::get_request))
        .route("/requests/{id}/decision", post(requests::decide_request))
        .route("/memberships", get(memberships::list_memberships))
        .route("/memberships/check", get(memberships::check_membership))
        .route_layer(from_fn_with_state(auth, authenticate));
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/docs", get(reference::page))
        .merge(with_token)
        .fallback(|| async {
            ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                "not_found",
                "@there_no_such_api",
            )
        })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES as usize))
        .layer(axum::middleware::from_fn(word_errors))
}

/// An error's message in the caller's language (chosen from its `Accept-Language` by
/// languages::note_language); its `code` stays the same in every language.
async fn word_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let language = request
        .extensions()
        .get::<app::state::RequestLanguage>()
        .map_or(locales::all()[0], |chosen| chosen.0);
    let mut response = next.run(request).await;
    let Some(mut body) = response.extensions_mut().remove::<crate::api_error::ErrorBody>() else {
        return response;
    };
    if !rules::message::is_code(&body.error.message) {
        return response;
    }
    body.error.message = locales::messages::word(language, &body.error.message);
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let json = serde_json::to_vec(&body).unwrap_or_default();
    axum::response::Response::from_parts(parts, axum::body::Body::from(json))
}
