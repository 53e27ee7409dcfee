//! The schedule of background jobs, one row per job, shared by every instance. An instance runs
//! a job only after claiming its row with a conditional update, so with many instances each run
//! happens once; a claim is a lease, so a run lost in a crash is taken over when it ends.

use sqlx::{AnyExecutor, FromRow};

use crate::{Store, StoreResult, Tx};
use rules::clock::Timestamp;

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct JobRow {
    pub name: String,
    pub next_run_at: i64,
    pub claimed_until: Option<i64>,
    pub last_started_at: Option<i64>,
    pub last_success_at: Option<i64>,
    pub last_processed: i64,
    pub failures: i64,
    pub last_error: Option<String>,
    pub last_error_at: Option<i64>,
}

/// Claims `name` if it is due and nobody holds it; true for exactly one instance.
pub async fn claim_job(store: &Store, name: &str, now: Timestamp, lease: i64) -> StoreResult<bool> {
    let mut tx = store.begin().await?;
    let result = sqlx::query(
        "UPDATE jobs SET claimed_until = $3, last_started_at = $2
         WHERE name = $1 AND next_run_at <= $2 AND (claimed_until IS NULL OR claimed_until <= $2)",
    )
    .bind(name)
    .bind(now)
    .bind(now + lease)
    .execute(&mut *tx)
    .await?;
    crate::commit(tx).await?;
    Ok(result.rows_affected() == 1)
}

/// Records a successful run and when the job is next due.
pub async fn finish_job(
    store: &Store,
    name: &str,
    now: Timestamp,
    processed: i64,
    next_run_at: Timestamp,
) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    sqlx::query(
        "UPDATE jobs SET claimed_until = NULL, last_success_at = $2, last_processed = $3, failures = 0,
                next_run_at = $4
         WHERE name = $1",
    )
    .bind(name)
    .bind(now)
    .bind(processed)
    .bind(next_run_at)
    .execute(&mut *tx)
    .await?;
    crate::commit(tx).await?;
    Ok(())
}

/// Records a failed run, its message for the admins, and when to try again.
pub async fn fail_job(
    store: &Store,
    name: &str,
    now: Timestamp,
    error: &str,
    retry_at: Timestamp,
) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    sqlx::query(
        "UPDATE jobs SET claimed_until = NULL, failures = failures + 1, last_error = $3, last_error_at = $2,
                next_run_at = $4
         WHERE name = $1",
    )
    .bind(name)
    .bind(now)
    .bind(error)
    .bind(retry_at)
    .execute(&mut *tx)
    .await?;
    crate::commit(tx).await?;
    Ok(())
}

/// Every job, by name.
pub async fn list_jobs<'e>(db: impl AnyExecutor<'e>) -> StoreResult<Vec<JobRow>> {
    Ok(sqlx::query_as(
        "SELECT name, next_run_at, claimed_until, last_started_at, last_success_at, last_processed, failures,
                last_error, last_error_at
         FROM jobs ORDER BY name",
    )
    .fetch_all(db)
    .await?)
}

/// Makes a job due now (an admin's "run now"); false for an unknown job.
pub async fn make_due(tx: &mut Tx, name: &str, now: Timestamp) -> StoreResult<bool> {
    let result = sqlx::query("UPDATE jobs SET next_run_at = $2 WHERE name = $1")
        .bind(name)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(result.rows_affected() == 1)
}
