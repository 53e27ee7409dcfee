//! The door of the admin area: one check for every admin page, asked at the route.

use leptos::prelude::*;

use rules::error::AppError;

/// Admits admins; anyone else is refused (signed out: asked to sign in; signed in: forbidden,
/// and the attempt is audited).
#[server(prefix = "/api", endpoint = "admin_area")]
pub async fn enter_admin_area() -> Result<(), AppError> {
    use crate::api::session::require_admin;
    require_admin().await.map(|_| ())
}
