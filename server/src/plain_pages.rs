//! The partner pages drawn without the router (`app::plain_page`), each answered by its own
//! route in front of the app's.

use axum::extract::{Request, State};
use axum::routing::get;
use axum::Router;

use app::pages::partner::catalog::home_page;
use app::pages::partner::my_access::my_access_page;
use app::plain_page::answer;
use app::state::AppState;

/// The routes of the pages in `app::partner_pages::DRAWN_PLAIN`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/",
            get(|State(state): State<AppState>, request: Request| answer(state, request, home_page)),
        )
        .route(
            "/my-access",
            get(|State(state): State<AppState>, request: Request| {
                answer(state, request, |_| my_access_page())
            }),
        )
}
