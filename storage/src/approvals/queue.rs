//! A page of an approver's review queue read in one statement: the requests waiting for their
//! decision and the resources they own (the page's filter), each row tagged with its list.
//!
//! On SQLite every statement is a hand-off to sqlx's worker thread and back, which under load
//! costs more than SQLite's own work (docs/performance.md); see `memberships/my_access.rs` for
//! the same shape.

use sqlx::{AnyExecutor, FromRow};

use crate::StoreResult;

/// A request waiting for the approver, as the queue lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRow {
    pub request_id: i64,
    pub resource_id: i64,
    pub resource_name: String,
    pub email: String,
    pub display_name: String,
    pub organisation: String,
    pub stage: i64,
    pub created_at: i64,
    pub task_created_at: i64,
}

/// A resource the approver owns: what the queue's filter offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedResource {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct QueueRows {
    /// Oldest task first.
    pub waiting: Vec<QueueRow>,
    /// By name.
    pub owned: Vec<OwnedResource>,
}

const WAITING: i64 = 1;
const OWNED: i64 = 2;

/// One row of the combined result; an owned resource fills only `part`, `resource_id` and
/// `resource_name`.
#[derive(FromRow)]
struct Row {
    part: i64,
    resource_id: i64,
    resource_name: String,
    request_id: Option<i64>,
    email: Option<String>,
    display_name: Option<String>,
    organisation: Option<String>,
    stage: Option<i64>,
    created_at: Option<i64>,
    task_created_at: Option<i64>,
}

/// The statement for one page. The limit is written into it rather than bound, and the resource
/// filter is there only when one is chosen: PostgreSQL then keeps one plan of the prepared
/// statement for every approver and page. With a bound limit and a `$n IS NULL OR` filter its
/// plan for any value expected thousands of rows and two parallel workers (6 ms), so it planned
/// every execution anew instead: 0.46 ms of planning for 0.15 ms of work on each page, 1,000,000
/// tasks waiting (docs/performance.md). The cursor is one row value, which both engines search
/// the queue index with. The NULLs are cast: PostgreSQL gives an untyped NULL of a subquery the
/// type text.
fn statement(filtered: bool, limit: i64) -> String {
    let filter = if filtered { "AND r.resource_id = $4" } else { "" };
    format!(
        "SELECT part, resource_id, resource_name, request_id, email, display_name,
                organisation, stage, created_at, task_created_at FROM (
           SELECT * FROM (
             SELECT 1 AS part, r.resource_id AS resource_id, res.name AS resource_name,
                    r.id AS request_id, r.email AS email, r.display_name AS display_name,
                    r.organisation AS organisation, r.stage AS stage, r.created_at AS created_at,
                    t.created_at AS task_created_at
             FROM approval_tasks t
             JOIN access_requests r ON r.id = t.request_id AND r.stage = t.stage AND r.state = 'pending'
             JOIN resources res ON res.id = r.resource_id
             WHERE t.account_id = $1 AND (t.created_at, t.request_id) > ($2, $3) {filter}
             ORDER BY t.created_at, t.request_id
             LIMIT {limit}) AS waiting
           UNION ALL
           SELECT 2, r.id, r.name, CAST(NULL AS BIGINT), CAST(NULL AS TEXT), CAST(NULL AS TEXT),
                  CAST(NULL AS TEXT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT)
           FROM resources r JOIN resource_owners o ON o.resource_id = r.id
           WHERE o.account_id = $1
         ) AS queue
         ORDER BY part, task_created_at, request_id, resource_name, resource_id"
    )
}

/// Up to `limit` requests waiting for `account_id`'s decision after the (task created, request
/// id) cursor `after`, oldest first, optionally of one resource; and the resources it owns.
pub async fn review_queue_rows<'e>(
    db: impl AnyExecutor<'e>,
    account_id: i64,
    resource_id: Option<i64>,
    after: Option<(i64, i64)>,
    limit: i64,
) -> StoreResult<QueueRows> {
    let (after_time, after_id) = after.unwrap_or((i64::MIN, i64::MIN));
    let sql = statement(resource_id.is_some(), limit.max(0));
    let mut query = sqlx::query_as(&sql)
        .bind(account_id)
        .bind(after_time)
        .bind(after_id);
    if let Some(resource_id) = resource_id {
        query = query.bind(resource_id);
    }
    let rows: Vec<Row> = query.fetch_all(db).await?;
    let mut queue = QueueRows::default();
    for row in rows {
        match (row.part, row.request_id) {
            (WAITING, Some(request_id)) => queue.waiting.push(QueueRow {
                request_id,
                resource_id: row.resource_id,
                resource_name: row.resource_name,
                email: row.email.unwrap_or_default(),
                display_name: row.display_name.unwrap_or_default(),
                organisation: row.organisation.unwrap_or_default(),
                stage: row.stage.unwrap_or_default(),
                created_at: row.created_at.unwrap_or_default(),
                task_created_at: row.task_created_at.unwrap_or_default(),
            }),
            (OWNED, _) => queue.owned.push(OwnedResource {
                id: row.resource_id,
                name: row.resource_name,
            }),
            _ => {}
        }
    }
    Ok(queue)
}
