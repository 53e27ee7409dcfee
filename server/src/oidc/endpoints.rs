//! The endpoints apps call themselves: token and userinfo. They take no cookies (the client
//! authenticates with its secret or, for a public client, its PKCE verifier; userinfo with the
//! access token), so any origin may call them.

use axum::extract::State;
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN, AUTHORIZATION,
    CACHE_CONTROL, PRAGMA, WWW_AUTHENTICATE,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Json, Router};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::Deserialize;
use serde_json::json;

use super::Provider;
use app::state::AppState;
use services::oidc::discovery::paths;
use services::oidc::revocation::{introspect, revoke};
use services::oidc::token::{grant_tokens, TokenError, TokenRequest};
use services::oidc::userinfo::userinfo;

pub fn routes(provider: Provider) -> Router<AppState> {
    Router::new()
        .route(paths::TOKEN, axum::routing::post(token).options(preflight))
        .route(paths::USERINFO, get(user_info).post(user_info).options(preflight))
        .route(paths::REVOKE, axum::routing::post(revocation).options(preflight))
        .route(paths::INTROSPECT, axum::routing::post(introspection))
        .with_state(provider)
}

/// Answers any origin, and tells caches to keep nothing (RFC 6749, 5.1).
fn app_answer(status: StatusCode, body: serde_json::Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

async fn preflight() -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    let headers = response.headers_mut();
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(
        ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST"),
    );
    headers.insert(
        ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("authorization, content-type, dpop"),
    );
    response
}

#[derive(Debug, Default, Deserialize)]
struct TokenForm {
    #[serde(default)]
    grant_type: String,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    /// Revocation and introspection: the token in question.
    token: Option<String>,
}

/// `client_secret_basic` (RFC 6749, 2.3.1: both parts form-encoded), if the request uses it.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let unescape = |part: &str| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={part}"))
            .ok()
            .and_then(|mut pairs| pairs.pop())
            .map(|(_, value)| value)
    };
    Some((unescape(id)?, unescape(secret)?))
}

fn token_request(headers: &HeaderMap, form: TokenForm) -> Result<TokenRequest, TokenError> {
    let (client_id, client_secret) = match basic_credentials(headers) {
        Some(_) if form.client_secret.is_some() => {
            return Err(TokenError::Refused(
                "invalid_request",
                "use one way of client authentication",
            ))
        }
        Some((id, secret)) => (Some(id), Some(secret)),
        None => (form.client_id, form.client_secret),
    };
    Ok(TokenRequest {
        grant_type: form.grant_type,
        code: form.code,
        redirect_uri: form.redirect_uri,
        code_verifier: form.code_verifier,
        refresh_token: form.refresh_token,
        client_id,
        client_secret,
    })
}

fn refusal(error: TokenError) -> Response {
    match error {
        TokenError::Refused(code, description) => {
            let status = if code == "invalid_client" {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::BAD_REQUEST
            };
            let mut response = app_answer(status, json!({ "error": code, "error_description": description }));
            if status == StatusCode::UNAUTHORIZED {
                response.headers_mut().insert(
                    WWW_AUTHENTICATE,
                    HeaderValue::from_static("Basic realm=\"portico\""),
                );
            }
            response
        }
        other => {
            tracing::error!(cause = %other, "the token request failed");
            app_answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({ "error": "server_error" }),
            )
        }
    }
}

async fn token(
    State(provider): State<Provider>,
    headers: HeaderMap,
    form: Result<Form<TokenForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return refusal(TokenError::Refused(
            "invalid_request",
            "send the parameters as a form",
        ));
    };
    let request = match token_request(&headers, form) {
        Ok(request) => request,
        Err(error) => return refusal(error),
    };
    let now = provider.app.clock.now();
    match grant_tokens(&provider.issued(), &request, now).await {
        Ok(tokens) => app_answer(StatusCode::OK, serde_json::to_value(tokens).unwrap_or_default()),
        Err(error) => refusal(error),
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
}

/// RFC 6750, 3.1: a missing or bad token is answered with `WWW-Authenticate`.
fn invalid_token() -> Response {
    let mut response = app_answer(StatusCode::UNAUTHORIZED, json!({ "error": "invalid_token" }));
    response.headers_mut().insert(
        WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer error=\"invalid_token\""),
    );
    response
}

async fn user_info(State(provider): State<Provider>, headers: HeaderMap) -> Response {
    let Some(token) = bearer(&headers) else {
        let mut response = app_answer(StatusCode::UNAUTHORIZED, json!({ "error": "invalid_request" }));
        response
            .headers_mut()
            .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return response;
    };
    let now = provider.app.clock.now();
    match userinfo(&provider.issued(), token, now).await {
        Ok(Some(claims)) => app_answer(StatusCode::OK, serde_json::Value::Object(claims)),
        Ok(None) => invalid_token(),
        Err(error) => refusal(error),
    }
}

type FormResult = Result<Form<TokenForm>, axum::extract::rejection::FormRejection>;

/// The client's request and the token it names, for revocation and introspection.
fn about_token(headers: &HeaderMap, form: FormResult) -> Result<(TokenRequest, String), TokenError> {
    let Ok(Form(mut form)) = form else {
        return Err(TokenError::Refused(
            "invalid_request",
            "send the parameters as a form",
        ));
    };
    let token = form
        .token
        .take()
        .ok_or(TokenError::Refused("invalid_request", "token is missing"))?;
    Ok((token_request(headers, form)?, token))
}

async fn revocation(State(provider): State<Provider>, headers: HeaderMap, form: FormResult) -> Response {
    let (request, token) = match about_token(&headers, form) {
        Ok(found) => found,
        Err(error) => return refusal(error),
    };
    match revoke(&provider.issued(), &request, &token, provider.app.clock.now()).await {
        Ok(()) => app_answer(StatusCode::OK, json!({})),
        Err(error) => refusal(error),
    }
}

async fn introspection(State(provider): State<Provider>, headers: HeaderMap, form: FormResult) -> Response {
    let (request, token) = match about_token(&headers, form) {
        Ok(found) => found,
        Err(error) => return refusal(error),
    };
    match introspect(&provider.issued(), &request, &token, provider.app.clock.now()).await {
        Ok(answer) => app_answer(StatusCode::OK, answer),
        Err(error) => refusal(error),
    }
}
