//! Bulk invite batches and their rows.

use sqlx::{AnyExecutor, FromRow};

use crate::{StoreResult, Tx};
use rules::clock::Timestamp;

#[derive(Debug, Clone, FromRow)]
pub struct BatchRecord {
    pub id: i64,
    pub resource_id: i64,
    pub created_by: i64,
    pub state: String,
    pub origin: String,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    /// The language of its invitations ('' for the portal's default).
    pub language: String,
}

/// How many rows of a batch are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowCounts {
    pub ready: i64,
    pub rejected: i64,
    pub queued: i64,
    pub invited: i64,
    pub skipped: i64,
    pub failed: i64,
    pub stopped: i64,
}

#[derive(Debug, Clone, FromRow)]
pub struct BulkRowRecord {
    pub id: i64,
    pub batch_id: i64,
    pub line: i64,
    pub email: String,
    pub display_name: String,
    pub message: String,
    pub state: String,
    pub note: String,
}

pub struct NewBulkRow<'a> {
    pub line: i64,
    pub email: &'a str,
    pub display_name: &'a str,
    pub message: &'a str,
    /// `ready` or `rejected`.
    pub state: &'a str,
    pub note: &'a str,
}

const BATCH_COLUMNS: &str =
    "id, resource_id, created_by, state, origin, created_at, started_at, finished_at, language";

/// A list checked for a resource, before its rows.
pub struct NewBatch<'a> {
    pub resource_id: i64,
    pub created_by: i64,
    /// "pasted list" or the uploaded file's name.
    pub origin: &'a str,
    pub language: &'a str,
}
const ROW_COLUMNS: &str = "id, batch_id, line, email, display_name, message, state, note";

pub async fn insert_batch(
    tx: &mut Tx,
    batch: &NewBatch<'_>,
    rows: &[NewBulkRow<'_>],
    now: Timestamp,
) -> StoreResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO bulk_batches (resource_id, created_by, state, origin, created_at, language)
         VALUES ($1, $2, 'draft', $3, $4, $5) RETURNING id",
    )
    .bind(batch.resource_id)
    .bind(batch.created_by)
    .bind(batch.origin)
    .bind(now)
    .bind(batch.language)
    .fetch_one(&mut **tx)
    .await?;
    for row in rows {
        sqlx::query(
            "INSERT INTO bulk_rows (batch_id, line, email, display_name, message, state, note)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(row.line)
        .bind(row.email)
        .bind(row.display_name)
        .bind(row.message)
        .bind(row.state)
        .bind(row.note)
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

pub async fn find_batch<'e>(db: impl AnyExecutor<'e>, id: i64) -> StoreResult<Option<BatchRecord>> {
    Ok(
        sqlx::query_as(&format!("SELECT {BATCH_COLUMNS} FROM bulk_batches WHERE id = $1"))
            .bind(id)
            .fetch_optional(db)
            .await?,
    )
}

/// The resource's confirmed batches (not drafts), newest first.
pub async fn sent_batches_of<'e>(
    db: impl AnyExecutor<'e>,
    resource_id: i64,
    limit: i64,
) -> StoreResult<Vec<BatchRecord>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {BATCH_COLUMNS} FROM bulk_batches WHERE resource_id = $1 AND state <> 'draft' ORDER BY id DESC LIMIT $2"
    ))
    .bind(resource_id)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

pub async fn row_counts<'e>(db: impl AnyExecutor<'e>, batch_id: i64) -> StoreResult<RowCounts> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT state, COUNT(*) FROM bulk_rows WHERE batch_id = $1 GROUP BY state")
            .bind(batch_id)
            .fetch_all(db)
            .await?;
    let mut counts = RowCounts::default();
    for (state, n) in rows {
        match state.as_str() {
            "ready" => counts.ready = n,
            "rejected" => counts.rejected = n,
            "queued" => counts.queued = n,
            "invited" => counts.invited = n,
            "skipped" => counts.skipped = n,
            "failed" => counts.failed = n,
            _ => counts.stopped = n,
        }
    }
    Ok(counts)
}

/// The batch's rows in list order.
pub async fn rows_of<'e>(db: impl AnyExecutor<'e>, batch_id: i64) -> StoreResult<Vec<BulkRowRecord>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ROW_COLUMNS} FROM bulk_rows WHERE batch_id = $1 ORDER BY line, id"
    ))
    .bind(batch_id)
    .fetch_all(db)
    .await?)
}

/// Confirms a draft: its ready rows are queued for the worker. False when it was no draft.
pub async fn start_batch(tx: &mut Tx, batch_id: i64, now: Timestamp) -> StoreResult<bool> {
    let started = sqlx::query(
        "UPDATE bulk_batches SET state = 'running', started_at = $2 WHERE id = $1 AND state = 'draft'",
    )
    .bind(batch_id)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if started == 1 {
        sqlx::query("UPDATE bulk_rows SET state = 'queued' WHERE batch_id = $1 AND state = 'ready'")
            .bind(batch_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(started == 1)
}

/// Stops a running batch: rows not yet reached stay uninvited. False when it was not running.
pub async fn stop_batch(tx: &mut Tx, batch_id: i64, now: Timestamp) -> StoreResult<bool> {
    let stopped = sqlx::query(
        "UPDATE bulk_batches SET state = 'stopped', finished_at = $2 WHERE id = $1 AND state = 'running'",
    )
    .bind(batch_id)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if stopped == 1 {
        sqlx::query("UPDATE bulk_rows SET state = 'stopped', processed_at = $2 WHERE batch_id = $1 AND state = 'queued'")
            .bind(batch_id)
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    Ok(stopped == 1)
}

/// Up to `limit` queued rows of running batches, oldest batch first.
pub async fn queued_rows<'e>(db: impl AnyExecutor<'e>, limit: i64) -> StoreResult<Vec<BulkRowRecord>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ROW_COLUMNS} FROM bulk_rows
         WHERE state = 'queued' AND batch_id IN (SELECT id FROM bulk_batches WHERE state = 'running')
         ORDER BY batch_id, id LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// Takes a queued row for this transaction; false when another instance (or a stop) got to
/// it first. On PostgreSQL the update locks the row until the transaction ends.
pub async fn take_row(
    tx: &mut Tx,
    row_id: i64,
    state: &str,
    note: &str,
    now: Timestamp,
) -> StoreResult<bool> {
    Ok(sqlx::query(
        "UPDATE bulk_rows SET state = $2, note = $3, processed_at = $4 WHERE id = $1 AND state = 'queued'",
    )
    .bind(row_id)
    .bind(state)
    .bind(note)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

/// Records the invitation a row led to, and how the row ended.
pub async fn link_invitation(
    tx: &mut Tx,
    row_id: i64,
    state: &str,
    note: &str,
    invitation_id: i64,
) -> StoreResult<()> {
    sqlx::query("UPDATE bulk_rows SET state = $2, note = $3, invitation_id = $4 WHERE id = $1")
        .bind(row_id)
        .bind(state)
        .bind(note)
        .bind(invitation_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Running batches with nothing left queued: the ones [`finish_drained_batches`] marks done.
const DRAINED: &str = "state = 'running'
    AND NOT EXISTS (SELECT 1 FROM bulk_rows r WHERE r.batch_id = bulk_batches.id AND r.state = 'queued')";

/// Marks running batches with nothing left queued as done; returns how many.
pub async fn finish_drained_batches(tx: &mut Tx, now: Timestamp) -> StoreResult<u64> {
    Ok(sqlx::query(&format!(
        "UPDATE bulk_batches SET state = 'done', finished_at = $1 WHERE {DRAINED}"
    ))
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

/// Whether a running batch has nothing left queued: when none has, the worker has nothing to
/// mark done and need not take the writer to find that out.
pub async fn any_drained_batch<'e>(db: impl AnyExecutor<'e>) -> StoreResult<bool> {
    let found: Option<(i64,)> =
        sqlx::query_as(&format!("SELECT id FROM bulk_batches WHERE {DRAINED} LIMIT 1"))
            .fetch_optional(db)
            .await?;
    Ok(found.is_some())
}

/// Emails with a pending, unexpired invitation to the resource.
pub async fn invited_emails<'e>(
    db: impl AnyExecutor<'e>,
    resource_id: i64,
    now: Timestamp,
) -> StoreResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT email FROM invitations WHERE resource_id = $1 AND state = 'pending' AND expires_at > $2",
    )
    .bind(resource_id)
    .bind(now)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(e,)| e).collect())
}
