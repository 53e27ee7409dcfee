//! What every page's frame shows: the portal's name and who is signed in.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::accounts::Viewer;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteInfo {
    pub portal_name: String,
    pub viewer: Option<Viewer>,
}

#[server(prefix = "/api", endpoint = "site_info")]
pub async fn get_site_info() -> Result<SiteInfo, AppError> {
    use crate::api::request::{app_state, session, signed_in_account};
    let state = app_state()?;
    let session = session().await?;
    let viewer = signed_in_account(&state, &session)
        .await?
        .map(|account| account.viewer());
    Ok(SiteInfo {
        portal_name: state.settings.portal_name.clone(),
        viewer,
    })
}
