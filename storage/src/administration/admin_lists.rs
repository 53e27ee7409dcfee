//! The admin lists of invitations and requests across every resource: one page at a time,
//! ordered by id (the order they were made), continuing after the last id seen: a keyset.

use sqlx::{AnyExecutor, FromRow};

use crate::conditions::Conditions;
use crate::{like_escape, StoreResult};
use rules::clock::Timestamp;
use rules::list_filter::ListFilter;

/// How soon a pending invitation must lapse to count as "expiring".
pub const EXPIRING_WITHIN: i64 = 48 * 3600;

#[derive(Debug, Clone, FromRow)]
pub struct InvitationListRow {
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
    pub redirect_url: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct RequestListRow {
    pub id: i64,
    pub resource_id: i64,
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

const INVITATION_SELECT: &str =
    "SELECT t.id, t.resource_id, r.name AS resource_name, t.email, t.display_name, t.state, t.source,
            a.display_name AS inviter_name, t.created_at, t.expires_at, t.redeemed_at, t.redirect_url
     FROM invitations t
     JOIN resources r ON r.id = t.resource_id
     LEFT JOIN accounts a ON a.id = t.invited_by_account_id";

const REQUEST_SELECT: &str =
    "SELECT t.id, t.resource_id, r.name AS resource_name, t.email, t.display_name, t.organisation,
            t.state, t.stage, t.created_at, t.decide_by, t.closed_at
     FROM access_requests t
     JOIN resources r ON r.id = t.resource_id";

/// One invitation as the lists show it.
pub async fn invitation_row<'e>(db: impl AnyExecutor<'e>, id: i64) -> StoreResult<Option<InvitationListRow>> {
    let sql = format!("{INVITATION_SELECT} WHERE t.id = $1");
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(db).await?)
}

/// One access request as the lists show it.
pub async fn request_row<'e>(db: impl AnyExecutor<'e>, id: i64) -> StoreResult<Option<RequestListRow>> {
    let sql = format!("{REQUEST_SELECT} WHERE t.id = $1");
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(db).await?)
}

/// The conditions every list shares, on table alias `t`.
fn common(filter: &ListFilter, after: Option<i64>) -> Conditions {
    let mut conditions = Conditions::default();
    if let Some(resource_id) = filter.resource_id {
        conditions.number("t.resource_id = ?", resource_id);
    }
    if let Some(email) = &filter.email {
        conditions.text("t.email LIKE ? ESCAPE '\\'", format!("%{}%", like_escape(email)));
    }
    if let Some(from) = filter.from {
        conditions.number("t.created_at >= ?", from);
    }
    if let Some(until) = filter.until {
        conditions.number("t.created_at < ?", until);
    }
    if let Some(after) = after {
        let template = if filter.oldest_first {
            "t.id > ?"
        } else {
            "t.id < ?"
        };
        conditions.number(template, after);
    }
    conditions
}

fn order(filter: &ListFilter) -> &'static str {
    if filter.oldest_first {
        "ORDER BY t.id ASC"
    } else {
        "ORDER BY t.id DESC"
    }
}

/// One page of invitations. The state "expiring" means pending and lapsing within 48 hours.
pub async fn search_invitations<'e>(
    db: impl AnyExecutor<'e>,
    filter: &ListFilter,
    after: Option<i64>,
    limit: i64,
    now: Timestamp,
) -> StoreResult<Vec<InvitationListRow>> {
    let mut conditions = common(filter, after);
    match filter.state.as_deref() {
        Some("expiring") => {
            conditions.text("t.state = ?", "pending");
            conditions.number("t.expires_at < ?", now + EXPIRING_WITHIN);
        }
        Some(state) => conditions.text("t.state = ?", state),
        None => {}
    }
    let sql = format!(
        "{INVITATION_SELECT} {} {} LIMIT {}",
        conditions.clause(),
        order(filter),
        conditions.next_placeholder()
    );
    let query = conditions.bind(sqlx::query_as::<_, InvitationListRow>(&sql));
    Ok(query.bind(limit).fetch_all(db).await?)
}

/// One page of access requests.
pub async fn search_requests<'e>(
    db: impl AnyExecutor<'e>,
    filter: &ListFilter,
    after: Option<i64>,
    limit: i64,
) -> StoreResult<Vec<RequestListRow>> {
    let mut conditions = common(filter, after);
    if let Some(state) = &filter.state {
        conditions.text("t.state = ?", state);
    }
    let sql = format!(
        "{REQUEST_SELECT} {} {} LIMIT {}",
        conditions.clause(),
        order(filter),
        conditions.next_placeholder()
    );
    let query = conditions.bind(sqlx::query_as::<_, RequestListRow>(&sql));
    Ok(query.bind(limit).fetch_all(db).await?)
}
