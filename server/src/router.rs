//! The HTTP surface: pages and server functions from the app, health, static files, and the
//! security layers around all of them.

use std::sync::{Arc, OnceLock};

use axum::extract::DefaultBodyLimit;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower_http::services::ServeFile;
use tower_http::trace::TraceLayer;

use app::app::{shell, App};
use app::state::AppState;

use crate::languages::choose_language;
use crate::page_cache::{serve_kept_pages, PageCache};
use crate::rest::auth::TokenLimits;
use crate::security::body_limit::{refuse_oversized_body, MaxBodyBytes};
use crate::security::client_ip::{resolve_client_ip, TrustProxy};
use crate::security::cross_site::{refuse_cross_site, PublicOrigin};
use crate::security::headers::{add_security_headers, ServedOverHttps};
use crate::security::rate_limit::{enforce_rate_limits, RateLimits};
use crate::telemetry::redacted_path;

/// Settings of the layers around the app.
#[derive(Clone)]
pub struct Guards {
    pub public_origin: String,
    pub is_https: bool,
    pub trust_proxy: bool,
    pub max_body_bytes: u64,
    pub rate_limits: RateLimits,
}

/// The page routes, found once per process by rendering the app in a listing mode. While
/// that runs Leptos suppresses resource loading process-wide, so it must never overlap a real
/// render: doing it once, before any portal serves, guarantees that.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The app's routes, without sessions, kept pages or guards ([`keep_pages`] and [`guard`] wrap
/// it).
pub fn app_routes(state: AppState, token_limits: TokenLimits) -> Router {
    // Server functions' errors answer with their own status and in the reader's language, set
    // as they are encoded.
    rules::error::on_answer(app::api::session::answer);
    let routes = page_routes();
    let options = state.leptos_options.clone();
    let site_root = std::path::PathBuf::from(options.site_root.as_ref());
    Router::new()
        .nest("/api/v1", crate::rest::routes(state.clone(), token_limits))
        .nest("/pkg", crate::assets::pkg_routes(&site_root))
        // The one script outside /pkg, sent precompressed like the files there.
        .route_service(
            "/passkeys.js",
            ServeFile::new(site_root.join("passkeys.js"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .merge(crate::oidc::routes(state.clone()))
        .route("/healthz", get(healthz))
        .route("/admin/audit.csv", get(crate::audit_export::audit_csv))
        .route("/branding.css", get(crate::branding::branding_css))
        .route("/branding/logo", get(crate::branding::logo))
        .route(
            "/admin/settings/logo",
            post(crate::branding::upload_logo).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/resources/{id}/bulk/upload",
            // The body cap for lists is set in security/body_limit.rs, not by axum's default.
            post(crate::bulk_upload::upload_bulk_list).layer(DefaultBodyLimit::disable()),
        )
        .leptos_routes(&state, routes, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state)
}

/// Puts the kept pages in front of the (session-layered) app, outside its routes: axum's
/// `Router::layer` wraps each route, and a route's whole stack (every layer with its state, and
/// the Leptos handler with its options) is cloned for each request and dropped after it. A kept
/// page is answered here, before any of that. The language is chosen first: pages are kept per
/// language, and the app's pages and server functions read it too.
pub fn keep_pages(router: Router, state: AppState) -> Router {
    Router::new()
        .fallback_service(router)
        .layer(from_fn_with_state(
            PageCache::new(state.clone()),
            serve_kept_pages,
        ))
        .layer(from_fn_with_state(state, choose_language))
}

/// Wraps the app and its kept pages in the security layers. The last added runs first:
/// trace, headers, client address, body cap, cross-site refusal, rate limits.
pub fn guard(router: Router, guards: Guards) -> Router {
    router
        .layer(from_fn_with_state(guards.rate_limits, enforce_rate_limits))
        .layer(from_fn_with_state(PublicOrigin(Arc::from(guards.public_origin.as_str())), refuse_cross_site))
        .layer(from_fn_with_state(MaxBodyBytes(guards.max_body_bytes), refuse_oversized_body))
        .layer(from_fn_with_state(TrustProxy(guards.trust_proxy), resolve_client_ip))
        .layer(from_fn_with_state(ServedOverHttps(guards.is_https), add_security_headers))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            tracing::debug_span!("request", method = %request.method(), path = %redacted_path(request.uri().path()))
        }))
}

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(error) => {
            tracing::error!(%error, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
