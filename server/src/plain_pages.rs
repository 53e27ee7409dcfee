//! The partner pages drawn without the router (`app::plain_page`), each answered by its own
//! route in front of the app's.

use axum::extract::{Request, State};
use axum::routing::get;
use axum::Router;

use app::partner_pages::DRAWN_PLAIN;
use app::plain_page::answer;
use app::state::AppState;

/// A route for each page in `DRAWN_PLAIN`.
pub fn routes() -> Router<AppState> {
    DRAWN_PLAIN.iter().fold(Router::new(), |router, &(path, page)| {
        router.route(
            path,
            get(move |State(state): State<AppState>, request: Request| answer(state, request, page)),
        )
    })
}
