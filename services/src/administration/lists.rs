//! The admin's lists of invitations and requests, for the admin pages and the API alike:
//! filtered, a page at a time, each page with the cursor of the next; and one entry of each.

use rules::list_filter::ListFilter;
use storage::administration::admin_lists::{
    invitation_row, request_row, search_invitations, search_requests, InvitationListRow, RequestListRow,
};
use storage::approvals::decisions::{list_decisions, DecisionRow};
use storage::audit::audit_events::{events_about, AuditRow};
use storage::requests::access_requests::find_by_id;
use storage::{Store, StoreError};

use crate::paging::{page, Page};

/// How much of a request's history the API gives at most.
const HISTORY_LENGTH: i64 = 500;

/// Invitations matching `filter`, after the cursor `after`, `size` of them.
pub async fn invitations(
    store: &Store,
    filter: &ListFilter,
    after: Option<i64>,
    size: i64,
    now: i64,
) -> Result<Page<InvitationListRow>, StoreError> {
    let rows = search_invitations(store.read(), filter, after, size + 1, now).await?;
    Ok(page(rows, size, |r| r.id))
}

/// Requests matching `filter`, after the cursor `after`, `size` of them.
pub async fn requests(
    store: &Store,
    filter: &ListFilter,
    after: Option<i64>,
    size: i64,
) -> Result<Page<RequestListRow>, StoreError> {
    let rows = search_requests(store.read(), filter, after, size + 1).await?;
    Ok(page(rows, size, |r| r.id))
}

/// One invitation as the lists show it.
pub async fn invitation(store: &Store, id: i64) -> Result<Option<InvitationListRow>, StoreError> {
    invitation_row(store.read(), id).await
}

/// One request as the lists show it.
pub async fn request_entry(store: &Store, id: i64) -> Result<Option<RequestListRow>, StoreError> {
    request_row(store.read(), id).await
}

/// One request in full: its list row, justification and answers (JSON), decisions and history.
pub struct RequestInFull {
    pub row: RequestListRow,
    pub justification: String,
    pub answers: String,
    pub decisions: Vec<DecisionRow>,
    pub history: Vec<AuditRow>,
}

pub async fn request(store: &Store, id: i64) -> Result<Option<RequestInFull>, StoreError> {
    let db = store.read();
    let (Some(row), Some(record)) = (request_row(db, id).await?, find_by_id(db, id).await?) else {
        return Ok(None);
    };
    Ok(Some(RequestInFull {
        row,
        justification: record.justification,
        answers: record.answers,
        decisions: list_decisions(db, id).await?,
        history: events_about(db, "access_request", id, HISTORY_LENGTH).await?,
    }))
}
