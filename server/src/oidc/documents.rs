//! The discovery document and the published signing keys. Both are public, cacheable and readable
//! from any origin (browser-based relying parties fetch them across origins).

use std::sync::{Arc, RwLock};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use app::state::AppState;
use rules::clock::Timestamp;
use services::oidc::discovery::{paths, provider_document};
use services::oidc::signing_keys::{ensure_signing_keys, published_keys};

/// How long an instance answers with the key set it read last (another instance's rotation
/// shows within this).
const KEYS_KEPT_SECONDS: i64 = 5;

#[derive(Clone)]
struct Documents {
    app: AppState,
    discovery: Bytes,
    keys: Arc<RwLock<Option<(Timestamp, Bytes)>>>,
}

pub fn routes(state: AppState) -> Router<AppState> {
    let discovery = provider_document(&state.settings.public_url)
        .ok()
        .and_then(|document| serde_json::to_vec(&document).ok())
        .unwrap_or_default();
    let documents = Documents {
        app: state,
        discovery: Bytes::from(discovery),
        keys: Arc::default(),
    };
    Router::new()
        .route(paths::DISCOVERY, get(discovery_document))
        .route(paths::JWKS, get(key_set))
        .with_state(documents)
}

fn public_json(body: Bytes, max_age: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(max_age));
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    response
}

async fn discovery_document(State(documents): State<Documents>) -> Response {
    if documents.discovery.is_empty() {
        return StatusCode::NOT_FOUND.into_response();
    }
    public_json(documents.discovery.clone(), "public, max-age=3600")
}

async fn key_set(State(documents): State<Documents>) -> Response {
    let now = documents.app.clock.now();
    let kept = documents.keys.read().ok().and_then(|kept| kept.clone());
    if let Some((_, body)) = kept.filter(|(read_at, _)| now - read_at < KEYS_KEPT_SECONDS) {
        return public_json(body, "public, max-age=300");
    }
    match read_key_set(&documents.app, now).await {
        Ok(body) => {
            if let Ok(mut kept) = documents.keys.write() {
                *kept = Some((now, body.clone()));
            }
            public_json(body, "public, max-age=300")
        }
        Err(error) => {
            tracing::error!(%error, "the signing keys could not be read");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The published keys; a portal's first keys are made on the first ask.
async fn read_key_set(
    app: &AppState,
    now: Timestamp,
) -> Result<Bytes, services::oidc::signing_keys::KeyError> {
    let mut keys = published_keys(&app.store, now).await?;
    if keys.keys.is_empty() {
        ensure_signing_keys(&app.store, &app.settings.server_key, now).await?;
        keys = published_keys(&app.store, now).await?;
    }
    Ok(Bytes::from(serde_json::to_vec(&keys).unwrap_or_default()))
}
