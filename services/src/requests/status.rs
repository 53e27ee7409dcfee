//! A request as its partner follows it through the private status link: its state, the reason
//! of a denial, and what became of the invitation an approval sent.

use rules::clock::Clock;
use rules::invitations::invitation::InvitationState;
use rules::requests::access_request::RequestState;
use storage::administration::resources::ResourceRecord;
use storage::approvals::decisions::list_decisions;
use storage::invitations::invitation::find_for_request;
use storage::requests::access_requests::AccessRequestRecord;
use storage::requests::policies::parse_policy;
use storage::Store;

use super::submission::{request_by_status_token, RequestError};

pub struct RequestSeen {
    pub request: AccessRequestRecord,
    pub state: RequestState,
    pub resource: ResourceRecord,
    /// How many approval stages its policy has.
    pub stage_count: i64,
    /// For a denial, the reason the (last) denying approver gave.
    pub reason: Option<String>,
    /// For an approval: its invitation's state as the partner sees it now, and its end.
    pub invitation: Option<(InvitationState, i64)>,
}

/// The request behind a status link (`NotFound` for a link that matches none).
pub async fn request_seen(
    store: &Store,
    clock: &dyn Clock,
    raw_token: &str,
) -> Result<RequestSeen, RequestError> {
    let (request, resource) = request_by_status_token(store, raw_token).await?;
    let state = RequestState::parse(&request.state).unwrap_or(RequestState::Pending);
    let reason = if state == RequestState::Denied {
        list_decisions(store.read(), request.id)
            .await?
            .into_iter()
            .rev()
            .find(|d| d.outcome == "denied")
            .map(|d| d.justification)
    } else {
        None
    };
    let now = clock.now();
    let invitation = find_for_request(store.read(), request.id)
        .await?
        .and_then(|invitation| {
            InvitationState::parse(&invitation.state)
                .map(|seen| (seen.as_seen(invitation.expires_at, now), invitation.expires_at))
        });
    Ok(RequestSeen {
        stage_count: parse_policy(&request.policy).stage_count(),
        request,
        state,
        resource,
        reason,
        invitation,
    })
}
