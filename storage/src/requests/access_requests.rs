//! Access requests, their decisions, and the approval tasks that feed the review queue.
//! Every state change is an UPDATE conditional on the state (and stage) the caller saw.

use sqlx::{AnyExecutor, FromRow};

use crate::{value_rows, StoreResult, Tx, ROWS_PER_STATEMENT};
use rules::clock::Timestamp;

#[derive(Debug, Clone, FromRow)]
pub struct AccessRequestRecord {
    pub id: i64,
    pub resource_id: i64,
    pub email: String,
    pub display_name: String,
    pub organisation: String,
    pub justification: String,
    pub answers: String,
    pub terms_version: Option<i64>,
    pub policy: String,
    pub state: String,
    pub stage: i64,
    pub decide_by: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
}

const COLUMNS: &str =
    "id, resource_id, email, display_name, organisation, justification, answers, terms_version, \
                       policy, state, stage, decide_by, created_at, updated_at, closed_at";

pub struct NewAccessRequest<'a> {
    pub resource_id: i64,
    pub email: &'a str,
    pub display_name: &'a str,
    pub organisation: &'a str,
    pub justification: &'a str,
    pub answers: &'a str,
    pub terms_version: Option<i64>,
    pub policy: &'a str,
    pub state: &'a str,
    pub status_token_hash: &'a str,
    pub decide_by: Timestamp,
}

/// Inserts a request and answers its id; `None` when the same email already has a pending
/// request for the resource (checked by the unique index in the same statement, which spares a
/// look-up before every insert).
pub async fn insert_request(
    tx: &mut Tx,
    request: &NewAccessRequest<'_>,
    now: Timestamp,
) -> StoreResult<Option<i64>> {
    let ids = insert_requests(tx, &[(request, now)]).await?;
    Ok(ids.into_iter().next().flatten())
}

/// Inserts several requests, each made at its own time, in one statement and answers their ids
/// in order, `None` for each one the unique index turned away (as [`insert_request`]; within
/// the list, the first of two requests for the same email and resource is the one kept).
pub async fn insert_requests(
    tx: &mut Tx,
    requests: &[(&NewAccessRequest<'_>, Timestamp)],
) -> StoreResult<Vec<Option<i64>>> {
    let mut ids = Vec::with_capacity(requests.len());
    for chunk in requests.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO access_requests
                (resource_id, email, display_name, organisation, justification, answers, terms_version, policy,
                 state, stage, status_token_hash, decide_by, created_at, updated_at, closed_at)
             VALUES {}
             ON CONFLICT (email, resource_id) WHERE state = 'pending' DO NOTHING
             RETURNING id, status_token_hash",
            value_rows(chunk.len(), 15)
        );
        let mut query = sqlx::query_as::<_, (i64, String)>(&sql);
        for (request, now) in chunk {
            let now = *now;
            let closed_at = (request.state != "pending").then_some(now);
            query = query
                .bind(request.resource_id)
                .bind(request.email)
                .bind(request.display_name)
                .bind(request.organisation)
                .bind(request.justification)
                .bind(request.answers)
                .bind(request.terms_version)
                .bind(request.policy)
                .bind(request.state)
                .bind(1i64)
                .bind(request.status_token_hash)
                .bind(request.decide_by)
                .bind(now)
                .bind(now)
                .bind(closed_at);
        }
        // Each row has its own (random) token hash, which says which rows went in.
        let inserted: std::collections::HashMap<String, i64> = query
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .map(|(id, hash)| (hash, id))
            .collect();
        ids.extend(
            chunk
                .iter()
                .map(|(r, _)| inserted.get(r.status_token_hash).copied()),
        );
    }
    Ok(ids)
}

pub async fn find_by_id<'e>(db: impl AnyExecutor<'e>, id: i64) -> StoreResult<Option<AccessRequestRecord>> {
    let sql = format!("SELECT {COLUMNS} FROM access_requests WHERE id = $1");
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(db).await?)
}

pub async fn find_by_status_token<'e>(
    db: impl AnyExecutor<'e>,
    token_hash: &str,
) -> StoreResult<Option<AccessRequestRecord>> {
    let sql = format!("SELECT {COLUMNS} FROM access_requests WHERE status_token_hash = $1");
    Ok(sqlx::query_as(&sql).bind(token_hash).fetch_optional(db).await?)
}

pub async fn find_pending<'e>(
    db: impl AnyExecutor<'e>,
    email: &str,
    resource_id: i64,
) -> StoreResult<Option<AccessRequestRecord>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM access_requests WHERE email = $1 AND resource_id = $2 AND state = 'pending'"
    );
    Ok(sqlx::query_as(&sql)
        .bind(email)
        .bind(resource_id)
        .fetch_optional(db)
        .await?)
}

/// The person's requests, newest first (for "My access").
pub async fn list_for_email<'e>(
    db: impl AnyExecutor<'e>,
    email: &str,
    limit: i64,
) -> StoreResult<Vec<AccessRequestRecord>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM access_requests WHERE email = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
    );
    Ok(sqlx::query_as(&sql).bind(email).bind(limit).fetch_all(db).await?)
}

/// Gives a request a new status link (the old one stops working).
pub async fn replace_status_token(tx: &mut Tx, id: i64, token_hash: &str, now: Timestamp) -> StoreResult<()> {
    sqlx::query("UPDATE access_requests SET status_token_hash = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(token_hash)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Moves a pending request from `stage` to the next; false when someone else moved it first.
pub async fn advance_stage(tx: &mut Tx, id: i64, stage: i64, now: Timestamp) -> StoreResult<bool> {
    let result = sqlx::query(
        "UPDATE access_requests SET stage = stage + 1, updated_at = $3
         WHERE id = $1 AND state = 'pending' AND stage = $2",
    )
    .bind(id)
    .bind(stage)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Closes a pending request (approved, denied, expired, cancelled). With `stage`, only if it
/// still waits in that stage. False when it was no longer there.
pub async fn close_request(
    tx: &mut Tx,
    id: i64,
    stage: Option<i64>,
    to_state: &str,
    now: Timestamp,
) -> StoreResult<bool> {
    let result = sqlx::query(
        "UPDATE access_requests SET state = $3, updated_at = $4, closed_at = $4
         WHERE id = $1 AND state = 'pending' AND ($2 IS NULL OR stage = $2)",
    )
    .bind(id)
    .bind(stage)
    .bind(to_state)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(result.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct DecisionRow {
    pub stage: i64,
    pub approver_account_id: i64,
    pub approver_name: String,
    pub approver_email: String,
    pub outcome: String,
    pub justification: String,
    pub in_place_of: String,
    pub decided_at: i64,
}

pub struct NewDecision<'a> {
    pub request_id: i64,
    pub stage: i64,
    pub approver: i64,
    pub outcome: &'a str,
    pub justification: &'a str,
    /// The approvers an admin decided in place of (names), or empty.
    pub in_place_of: &'a str,
}

/// One approver's decision at one stage; a second by the same approver is a `Conflict`.
pub async fn insert_decision(tx: &mut Tx, decision: &NewDecision<'_>, now: Timestamp) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO decisions
            (request_id, stage, approver_account_id, outcome, justification, in_place_of, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(decision.request_id)
    .bind(decision.stage)
    .bind(decision.approver)
    .bind(decision.outcome)
    .bind(decision.justification)
    .bind(decision.in_place_of)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn list_decisions<'e>(db: impl AnyExecutor<'e>, request_id: i64) -> StoreResult<Vec<DecisionRow>> {
    Ok(sqlx::query_as(
        "SELECT d.stage, d.approver_account_id, a.display_name AS approver_name, a.email AS approver_email,
                d.outcome, d.justification, d.in_place_of, d.decided_at
         FROM decisions d JOIN accounts a ON a.id = d.approver_account_id
         WHERE d.request_id = $1 ORDER BY d.stage, d.decided_at, d.id",
    )
    .bind(request_id)
    .fetch_all(db)
    .await?)
}

/// Adds the approvers of a stage to the review queue.
pub async fn insert_approval_tasks(
    tx: &mut Tx,
    request_id: i64,
    stage: i64,
    approvers: &[i64],
    now: Timestamp,
) -> StoreResult<()> {
    let tasks: Vec<(i64, i64, Timestamp)> = approvers.iter().map(|a| (request_id, *a, now)).collect();
    insert_approval_tasks_for(tx, stage, &tasks).await
}

/// Approval tasks of several requests at one stage, as (request, approver, created at), in one
/// statement: on SQLite every statement is a turn of the one writer.
pub async fn insert_approval_tasks_for(
    tx: &mut Tx,
    stage: i64,
    tasks: &[(i64, i64, Timestamp)],
) -> StoreResult<()> {
    for chunk in tasks.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO approval_tasks (request_id, stage, account_id, created_at) VALUES {}
             ON CONFLICT (request_id, stage, account_id) DO NOTHING",
            value_rows(chunk.len(), 4)
        );
        let mut query = sqlx::query(&sql);
        for (request_id, approver, at) in chunk {
            query = query.bind(*request_id).bind(stage).bind(*approver).bind(*at);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// The names of the approvers still expected to act on a request's stage.
pub async fn open_approver_names<'e>(
    db: impl AnyExecutor<'e>,
    request_id: i64,
    stage: i64,
) -> StoreResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT a.display_name FROM approval_tasks t JOIN accounts a ON a.id = t.account_id
         WHERE t.request_id = $1 AND t.stage = $2 ORDER BY a.display_name",
    )
    .bind(request_id)
    .bind(stage)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(name,)| name).collect())
}

/// The approvers still expected to act on a request's stage.
pub async fn open_approvers<'e>(
    db: impl AnyExecutor<'e>,
    request_id: i64,
    stage: i64,
) -> StoreResult<Vec<i64>> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT account_id FROM approval_tasks WHERE request_id = $1 AND stage = $2")
            .bind(request_id)
            .bind(stage)
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub async fn is_open_approver<'e>(
    db: impl AnyExecutor<'e>,
    request_id: i64,
    stage: i64,
    account_id: i64,
) -> StoreResult<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT account_id FROM approval_tasks WHERE request_id = $1 AND stage = $2 AND account_id = $3",
    )
    .bind(request_id)
    .bind(stage)
    .bind(account_id)
    .fetch_optional(db)
    .await?;
    Ok(row.is_some())
}

/// Removes one approver's task (they decided).
pub async fn delete_approval_task(
    tx: &mut Tx,
    request_id: i64,
    stage: i64,
    account_id: i64,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM approval_tasks WHERE request_id = $1 AND stage = $2 AND account_id = $3")
        .bind(request_id)
        .bind(stage)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Removes every task of a request (it moved on or closed).
pub async fn delete_approval_tasks(tx: &mut Tx, request_id: i64) -> StoreResult<()> {
    sqlx::query("DELETE FROM approval_tasks WHERE request_id = $1")
        .bind(request_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
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

/// One page of an approver's review queue, oldest first, after the (task_created_at,
/// request_id) cursor. Optionally only one resource.
pub async fn review_queue<'e>(
    db: impl AnyExecutor<'e>,
    account_id: i64,
    resource_id: Option<i64>,
    after: Option<(i64, i64)>,
    limit: i64,
) -> StoreResult<Vec<QueueRow>> {
    let (after_time, after_id) = after.unwrap_or((i64::MIN, i64::MIN));
    Ok(sqlx::query_as(
        "SELECT r.id AS request_id, r.resource_id, res.name AS resource_name, r.email, r.display_name,
                r.organisation, r.stage, r.created_at, t.created_at AS task_created_at
         FROM approval_tasks t
         JOIN access_requests r ON r.id = t.request_id AND r.stage = t.stage AND r.state = 'pending'
         JOIN resources res ON res.id = r.resource_id
         WHERE t.account_id = $1
           AND ($2 IS NULL OR r.resource_id = $2)
           AND (t.created_at > $3 OR (t.created_at = $3 AND t.request_id > $4))
         ORDER BY t.created_at, t.request_id
         LIMIT $5",
    )
    .bind(account_id)
    .bind(resource_id)
    .bind(after_time)
    .bind(after_id)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// Reads a request inside a write transaction and holds it: on PostgreSQL the row stays locked
/// until commit, so two approvers deciding at once are served one after the other. (SQLite
/// write transactions are serialised anyway.)
pub async fn find_for_update(
    tx: &mut Tx,
    engine: crate::Engine,
    id: i64,
) -> StoreResult<Option<AccessRequestRecord>> {
    let lock = match engine {
        crate::Engine::Postgres => "FOR UPDATE",
        crate::Engine::Sqlite => "",
    };
    let sql = format!("SELECT {COLUMNS} FROM access_requests WHERE id = $1 {lock}");
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(&mut **tx).await?)
}
