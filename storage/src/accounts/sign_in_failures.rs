//! Failed sign-ins per typed email, for throttling.

use sqlx::AnyExecutor;

use crate::{StoreResult, Tx};
use rules::clock::Timestamp;

pub async fn failures_since<'e>(
    db: impl AnyExecutor<'e>,
    email: &str,
    since: Timestamp,
) -> StoreResult<Vec<Timestamp>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT failed_at FROM sign_in_failures WHERE email = $1 AND failed_at > $2 ORDER BY failed_at",
    )
    .bind(email)
    .bind(since)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(t,)| t).collect())
}

pub async fn record_failure(tx: &mut Tx, email: &str, now: Timestamp) -> StoreResult<()> {
    sqlx::query("INSERT INTO sign_in_failures (email, failed_at) VALUES ($1, $2)")
        .bind(email)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A successful sign-in starts the count afresh.
pub async fn clear_failures(tx: &mut Tx, email: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM sign_in_failures WHERE email = $1")
        .bind(email)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Old rows only matter for an hour; the cleanup worker drops the rest.
pub async fn delete_failures_before(tx: &mut Tx, before: Timestamp) -> StoreResult<u64> {
    let result = sqlx::query("DELETE FROM sign_in_failures WHERE failed_at <= $1")
        .bind(before)
        .execute(&mut **tx)
        .await?;
    Ok(result.rows_affected())
}
