//! What every page's frame shows: the portal's name and who is signed in.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::accounts::account::Viewer;
use rules::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteInfo {
    pub portal_name: String,
    /// The accent colour an admin chose (`#rrggbb`).
    pub accent: String,
    /// The uploaded logo, when there is one.
    pub logo_url: Option<String>,
    pub viewer: Option<Viewer>,
}

#[server(prefix = "/api", endpoint = "site_info")]
pub async fn get_site_info() -> Result<SiteInfo, AppError> {
    use crate::api::session::{app_state, session, signed_in_account};
    use services::approvals::review::viewer_of;
    let state = app_state()?;
    let look = state.look.get();
    let session = session().await?;
    let viewer = match signed_in_account(&state, &session).await? {
        Some(account) => Some(viewer_of(&state.store, &account).await?),
        None => None,
    };
    Ok(SiteInfo {
        portal_name: look
            .branding
            .name_in(locales::tag(crate::api::session::request_language()))
            .to_string(),
        accent: look.branding.accent,
        logo_url: crate::api::administration::settings::logo_url(look.logo_version),
        viewer,
    })
}
