//! Admin: every invitation and every request across resources, filtered and paged; resend or
//! revoke an invitation from the list.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::error::AppError;
use rules::list_filter::ListFilterInput;

pub const LIST_PAGE_SIZE: i64 = 50;

/// The invitation states the filter offers ("expiring" is pending and lapsing within 48 h).
/// The states an invitation list filters by (`expiring`: pending, lapsing within 48 hours).
pub const INVITATION_STATES: [&str; 5] = ["pending", "expiring", "redeemed", "revoked", "expired"];

/// The states a request list filters by.
pub const REQUEST_STATES: [&str; 5] = ["pending", "approved", "denied", "expired", "cancelled"];

/// One page of a list, and the cursor of the next one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListPage<T> {
    pub rows: Vec<T>,
    pub next: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationItem {
    pub id: i64,
    pub resource_id: i64,
    pub resource_name: String,
    pub email: String,
    pub display_name: String,
    pub state: String,
    pub source: String,
    pub inviter_name: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub redeemed_at: Option<i64>,
    /// Pending and lapsing within 48 hours.
    pub expiring: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestItem {
    pub id: i64,
    pub resource_name: String,
    pub email: String,
    pub display_name: String,
    pub organisation: String,
    pub state: String,
    pub stage: i64,
    pub created_at: i64,
    pub decide_by: i64,
    pub closed_at: Option<i64>,
}

#[server(prefix = "/api", endpoint = "admin_invitations")]
pub async fn admin_invitations(
    #[server(default)] filter: ListFilterInput,
    after: Option<i64>,
) -> Result<ListPage<InvitationItem>, AppError> {
    use crate::api::session::require_admin;
    use services::administration::lists::invitations;
    use storage::administration::admin_lists::EXPIRING_WITHIN;
    let (state, _, _) = require_admin().await?;
    let checked = filter.check(&INVITATION_STATES).map_err(AppError::Invalid)?;
    let now = state.clock.now();
    let page = invitations(&state.store, &checked, after, LIST_PAGE_SIZE, now).await?;
    Ok(ListPage {
        next: page.next,
        rows: page
            .rows
            .into_iter()
            .map(|r| InvitationItem {
                expiring: r.state == "pending" && r.expires_at < now + EXPIRING_WITHIN,
                id: r.id,
                resource_id: r.resource_id,
                resource_name: r.resource_name,
                email: r.email,
                display_name: r.display_name,
                state: r.state,
                source: r.source,
                inviter_name: r.inviter_name,
                created_at: r.created_at,
                expires_at: r.expires_at,
                redeemed_at: r.redeemed_at,
            })
            .collect(),
    })
}

/// `action` is "resend" or "revoke"; the same rules as an owner's (at most 5 resends a day).
#[server(prefix = "/api", endpoint = "admin_invitation_action")]
pub async fn admin_invitation_action(invitation_id: i64, action: String) -> Result<(), AppError> {
    use crate::api::memberships::resource_people::{acting, owner_error};
    use crate::api::session::require_admin;
    use services::administration::lists::invitation;
    use services::invitations::owner_tools::{resend_invitation, withdraw_invitation};
    let (state, _, admin) = require_admin().await?;
    let invitation = invitation(&state.store, invitation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let acting = acting!(state, admin);
    let done = match action.as_str() {
        "resend" => resend_invitation(&state.store, &acting, invitation.resource_id, invitation.id)
            .await
            .map(|_| "resent"),
        "revoke" => withdraw_invitation(&state.store, &acting, invitation.resource_id, invitation.id)
            .await
            .map(|_| "revoked"),
        _ => return Err(AppError::NotFound),
    }
    .map_err(|e| owner_error(e, &[]))?;
    leptos_axum::redirect(&format!(
        "/admin/invitations?email={}&done={done}",
        rules::list_filter::url_encode(&invitation.email)
    ));
    Ok(())
}

#[server(prefix = "/api", endpoint = "admin_requests")]
pub async fn admin_requests(
    #[server(default)] filter: ListFilterInput,
    after: Option<i64>,
) -> Result<ListPage<RequestItem>, AppError> {
    use crate::api::session::require_admin;
    use services::administration::lists::requests;
    let (state, _, _) = require_admin().await?;
    let checked = filter.check(&REQUEST_STATES).map_err(AppError::Invalid)?;
    let page = requests(&state.store, &checked, after, LIST_PAGE_SIZE).await?;
    Ok(ListPage {
        next: page.next,
        rows: page
            .rows
            .into_iter()
            .map(|r| RequestItem {
                id: r.id,
                resource_name: r.resource_name,
                email: r.email,
                display_name: r.display_name,
                organisation: r.organisation,
                state: r.state,
                stage: r.stage,
                created_at: r.created_at,
                decide_by: r.decide_by,
                closed_at: r.closed_at,
            })
            .collect(),
    })
}

/// Every resource (id, name), archived ones too, for the lists' filters.
#[server(prefix = "/api", endpoint = "resource_choices")]
pub async fn resource_choices() -> Result<Vec<(i64, String)>, AppError> {
    use crate::api::session::require_admin_already_audited;
    let (state, _, _) = require_admin_already_audited().await?;
    resource_names(&state).await
}

/// Every resource as (id, name), for a filter's list.
#[cfg(feature = "ssr")]
pub(crate) async fn resource_names(state: &crate::state::AppState) -> Result<Vec<(i64, String)>, AppError> {
    use services::administration::resource_admin::all_resources;
    Ok(all_resources(&state.store)
        .await
        .map_err(crate::api::session::internal)?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect())
}
