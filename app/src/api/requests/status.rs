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
    /// The server's time, for "in 3 days".
    pub now: i64,
    pub closed_at: Option<i64>,
    /// For a denial, the reason the approver gave.
    pub reason: Option<String>,
    /// For an approval: what became of its invitation (as the partner sees it) and its end.
    pub invitation: Option<(InvitationState, i64)>,
}

#[server(prefix = "/api", endpoint = "request_status")]
pub async fn get_request_status(token: String) -> Result<RequestStatus, AppError> {
    use crate::api::session::{app_state, internal};
    use services::requests::status::request_seen;
    use services::requests::submission::RequestError;

    let state = app_state()?;
    let seen = match request_seen(&state.store, &*state.clock, &token).await {
        Ok(seen) => seen,
        Err(RequestError::NotFound) => return Err(AppError::NotFound),
        Err(other) => return Err(internal(other)),
    };
    let request = seen.request;
    Ok(RequestStatus {
        resource_name: seen.resource.name,
        resource_slug: seen.resource.slug,
        state: seen.state,
        stage: request.stage,
        stage_count: seen.stage_count,
        created_at: request.created_at,
        decide_by: request.decide_by,
        now: state.clock.now(),
        closed_at: request.closed_at,
        reason: seen.reason,
        invitation: seen.invitation,
        email: request.email,
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
        Err(RequestError::NotPending) => Err(AppError::Refused("@request_no_longer_waiting".into())),
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
