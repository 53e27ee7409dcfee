//! The HTTP surface: pages and server functions from the app, health and static files
//! (`crate::front_door` stands in front of them).

use std::sync::OnceLock;

use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use tower_http::services::ServeFile;

use app::app::{shell, App};
use app::state::AppState;

use crate::rest::auth::TokenLimits;

/// The page routes, found once per process by rendering the app in a listing mode. While
/// that runs Leptos suppresses resource loading process-wide, so it must never overlap a real
/// render: doing it once, before any portal serves, guarantees that.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The app's routes, without sessions or what the front door does (`crate::front_door`).
pub fn app_routes(state: AppState, token_limits: TokenLimits) -> Router {
    // Server functions' errors answer with their own status and in the reader's language, set
    // as they are encoded.
    rules::error::on_answer(app::api::session::answer);
    // The partner pages drawn without the router have routes of their own.
    let mut routes = page_routes();
    routes.retain(|route| {
        !app::partner_pages::DRAWN_PLAIN
            .iter()
            .any(|(plain, _)| *plain == route.path())
    });
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
        .merge(crate::plain_pages::routes())
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

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(error) => {
            tracing::error!(%error, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
