//! What an approver reads: their queue, and one request in full with what they may do about it.
//! Who may see a request and who may decide it are the rules in `rules::approvals::who_decides`;
//! this asks them with what the store knows.

use rules::accounts::account::Viewer;
use rules::approvals::who_decides::{may_decide, may_see, Involvement, MayDecide, Standing};
use rules::requests::access_request::RequestState;
use storage::accounts::account::{kept_has_reviews, AccountRecord};
use storage::administration::resources::{find_by_id as find_resource, ResourceRecord};
use storage::approvals::decisions::{list_decisions, DecisionRow};
use storage::approvals::queue::{review_queue_rows, OwnedResource, QueueRow};
use storage::approvals::tasks::{is_open_approver, open_approver_names};
use storage::audit::audit_events::{events_about, AuditRow};
use storage::memberships::resource_people::is_owner;
use storage::requests::access_requests::{find_by_id, AccessRequestRecord};
use storage::requests::policies::parse_policy;
use storage::{Store, StoreError};

use crate::paging::page;

/// How many events of a request's history the page shows at most.
const TRAIL_LENGTH: i64 = 200;

/// One page of the queue: the requests waiting for this account, the cursor of the next page
/// (the last row's task time and request id) and the resources the filter offers.
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub next: Option<(i64, i64)>,
    pub resources: Vec<OwnedResource>,
}

/// The requests waiting for `account`'s decision, oldest first, `page_size` at a time.
pub async fn queue(
    store: &Store,
    account: &AccountRecord,
    resource: Option<i64>,
    after: Option<(i64, i64)>,
    page_size: i64,
) -> Result<QueuePage, StoreError> {
    let read = review_queue_rows(store.read(), account.id, resource, after, page_size + 1).await?;
    let found = page(read.waiting, page_size, |r| (r.task_created_at, r.request_id));
    Ok(QueuePage {
        rows: found.rows,
        next: found.next,
        resources: read.owned,
    })
}

/// A request as its reviewer sees it.
pub struct InReview {
    pub request: AccessRequestRecord,
    pub state: RequestState,
    pub resource: ResourceRecord,
    /// How many approval stages its policy has.
    pub stage_count: i64,
    pub decisions: Vec<DecisionRow>,
    pub trail: Vec<AuditRow>,
    /// What the reader may do now.
    pub may: MayDecide,
    /// When the reader is an admin who would decide in place of the stage's approvers: their
    /// names (possibly none left).
    pub in_place_of: Option<Vec<String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("no such request")]
    NotFound,
    /// Not involved with the request, and not an admin.
    #[error("not involved with this request")]
    NotInvolved,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One request in full, for someone involved with it: an approver (now or before), an owner
/// of its resource, or an admin.
pub async fn request_in_review(
    store: &Store,
    account: &AccountRecord,
    request_id: i64,
) -> Result<InReview, ReviewError> {
    let db = store.read();
    let request = find_by_id(db, request_id).await?.ok_or(ReviewError::NotFound)?;
    let decisions = list_decisions(db, request.id).await?;
    let is_approver_now = is_open_approver(db, request.id, request.stage, account.id).await?;
    let involvement = Involvement {
        is_open_approver: is_approver_now,
        decided_before: decisions.iter().any(|d| d.approver_account_id == account.id),
        owns_resource: is_owner(db, request.resource_id, account.id).await?,
        is_admin: account.is_admin(),
    };
    if !may_see(involvement) {
        return Err(ReviewError::NotInvolved);
    }
    let resource = find_resource(db, request.resource_id)
        .await?
        .ok_or(ReviewError::NotFound)?;
    let state = RequestState::parse(&request.state).unwrap_or(RequestState::Pending);
    let may = may_decide(Standing {
        is_pending: state == RequestState::Pending,
        is_own_request: request.email == account.email,
        is_open_approver: is_approver_now,
        decided_this_stage: decisions
            .iter()
            .any(|d| d.approver_account_id == account.id && d.stage == request.stage),
        is_admin: account.is_admin(),
    });
    let in_place_of = if may == MayDecide::InPlaceOfApprovers {
        Some(open_approver_names(db, request.id, request.stage).await?)
    } else {
        None
    };
    let trail = events_about(db, "access_request", request.id, TRAIL_LENGTH).await?;
    Ok(InReview {
        stage_count: parse_policy(&request.policy).stage_count(),
        request,
        state,
        resource,
        decisions,
        trail,
        may,
        in_place_of,
    })
}

/// Who is signed in, as the header shows them: with whether they have the review queue. Staff
/// always have it, so only a partner's pages ask whether anything waits for their decision (an
/// answer each instance keeps for a second: `kept_has_reviews`).
pub async fn viewer_of(store: &Store, account: &AccountRecord) -> Result<Viewer, StoreError> {
    let reviews = account.is_staff() || kept_has_reviews(store, account.id).await?;
    Ok(account.viewer(reviews))
}
