//! Access requests (their decisions and approval tasks are in `crate::approvals`).
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
    /// The language of the partner's emails about it ('' for the portal's default).
    pub language: String,
}

const COLUMNS: &str =
    "id, resource_id, email, display_name, organisation, justification, answers, terms_version, \
                       policy, state, stage, decide_by, created_at, updated_at, closed_at, language";

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
    pub language: &'a str,
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
                 state, stage, status_token_hash, decide_by, created_at, updated_at, closed_at, language)
             VALUES {}
             ON CONFLICT (email, resource_id) WHERE state = 'pending' DO NOTHING
             RETURNING id, status_token_hash",
            value_rows(chunk.len(), 16)
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
                .bind(closed_at)
                .bind(request.language);
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
