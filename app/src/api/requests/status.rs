//! A partner follows (and may withdraw) a request through its private link.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::error::AppError;
use rules::invitations::invitation::InvitationState;
use rules::requests::access_request::RequestState;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestStatus {
    pub resource_name: String,
    pub resource_slug: String,
    pub email: String,
    pub state: RequestState,
    pub stage: i64,
    pub stage_count: i64,
    pub created_at: i64,
    pub decide_by: i64,
    pub closed_at: Option<i64>,
    /// For a denial, the reason the approver gave.
    pub reason: Option<String>,
    /// For an approval: what became of its invitation (as the partner sees it) and its end.
    pub invitation: Option<(InvitationState, i64)>,
}

#[server(prefix = "/api", endpoint = "request_status")]
pub async fn get_request_status(token: String) -> Result<RequestStatus, AppError> {
    use crate::api::session::{app_state, internal};
    use services::requests::submission::{request_by_status_token, RequestError};
    use storage::approvals::decisions::list_decisions;
    use storage::invitations::invitation::find_for_request;
    use storage::requests::policies::parse_policy;

    let state = app_state()?;
    let (request, resource) = match request_by_status_token(&state.store, &token).await {
        Ok(found) => found,
        Err(RequestError::NotFound) => return Err(AppError::NotFound),
        Err(other) => return Err(internal(other)),
    };
    let request_state = RequestState::parse(&request.state).unwrap_or(RequestState::Pending);
    let reason = if request_state == RequestState::Denied {
        let decisions = list_decisions(state.store.read(), request.id).await?;
        decisions
            .into_iter()
            .rev()
            .find(|d| d.outcome == "denied")
            .map(|d| d.justification)
    } else {
        None
    };
    let now = state.clock.now();
    let invitation = find_for_request(state.store.read(), request.id)
        .await?
        .and_then(|invitation| {
            InvitationState::parse(&invitation.state)
                .map(|seen| (seen.as_seen(invitation.expires_at, now), invitation.expires_at))
        });
    Ok(RequestStatus {
        resource_name: resource.name,
        resource_slug: resource.slug,
        email: request.email,
        state: request_state,
        stage: request.stage,
        stage_count: parse_policy(&request.policy).stage_count(),
        created_at: request.created_at,
        decide_by: request.decide_by,
        closed_at: request.closed_at,
        reason,
        invitation,
    })
}

#[server(prefix = "/api", endpoint = "cancel_request")]
pub async fn cancel_request(token: String) -> Result<(), AppError> {
    use crate::api::session::{app_state, client_ip, internal, redirect_plain_form_post};
    use services::requests::submission::{cancel_request, RequestError};

    let state = app_state()?;
    let result = match cancel_request(&state.store, &*state.clock, &token, &client_ip()).await {
        Ok(()) => {
            leptos_axum::redirect(&format!("/status/{token}?withdrawn=1"));
            Ok(())
        }
        Err(RequestError::NotFound) => Err(AppError::NotFound),
        Err(RequestError::NotPending) => Err(AppError::Refused(
            "This request is no longer waiting, so it cannot be withdrawn.".into(),
        )),
        Err(other) => Err(internal(other)),
    };
    redirect_plain_form_post(
        &state,
        <CancelRequest as leptos::server_fn::ServerFn>::PATH,
        &format!("/status/{token}"),
        &result,
    );
    result
}
