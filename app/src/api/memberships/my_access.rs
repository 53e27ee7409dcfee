//! "My access": resources held, requests made, and leaving a resource.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::administration::resource::ResourceKind;
use rules::error::AppError;
use rules::requests::access_request::RequestState;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldAccess {
    pub membership_id: i64,
    pub resource_name: String,
    pub resource_kind: ResourceKind,
    pub resource_description: String,
    pub granted_at: i64,
    pub expires_at: Option<i64>,
    /// The app's own sign-in address (it signs people in through Portico): the Open button.
    pub sign_in_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRequest {
    pub resource_name: String,
    pub state: RequestState,
    pub created_at: i64,
    pub stage: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyAccessView {
    pub held: Vec<HeldAccess>,
    pub requests: Vec<MyRequest>,
    /// Where an invitation redeemed in the last hour asked to send the person next:
    /// (resource name, address).
    pub continue_to: Option<(String, String)>,
    /// The server's time, for "in 3 days" (the same in the page and its hydration).
    pub now: i64,
}

#[server(prefix = "/api", endpoint = "my_access")]
pub async fn my_access() -> Result<MyAccessView, AppError> {
    use crate::api::session::require_account;
    use services::memberships::my_access::my_access;

    let (state, _, account) = require_account().await?;
    let access = my_access(&state.store, &*state.clock, &account).await?;
    Ok(MyAccessView {
        now: state.clock.now(),
        continue_to: access.continue_to.clone(),
        held: access
            .held
            .iter()
            .map(|h| HeldAccess {
                membership_id: h.membership_id,
                resource_name: h.resource_name.clone(),
                resource_kind: ResourceKind::parse(&h.resource_kind).unwrap_or(ResourceKind::App),
                resource_description: h.resource_description.clone(),
                granted_at: h.granted_at,
                expires_at: h.expires_at,
                sign_in_url: h.sign_in_url.clone(),
            })
            .collect(),
        requests: access
            .requests
            .iter()
            .map(|r| MyRequest {
                resource_name: r.resource_name.clone(),
                state: RequestState::parse(&r.state).unwrap_or(RequestState::Pending),
                created_at: r.created_at,
                stage: r.stage,
            })
            .collect(),
    })
}

#[server(prefix = "/api", endpoint = "leave_resource")]
pub async fn leave_resource(membership_id: i64) -> Result<(), AppError> {
    use crate::api::session::{client_ip, require_account};
    use services::memberships::my_access::leave_resource;

    let (state, _, account) = require_account().await?;
    if leave_resource(&state.store, &*state.clock, &account, membership_id, &client_ip()).await? {
        leptos_axum::redirect("/my-access?left=1");
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
