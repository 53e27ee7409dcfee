//! Wrong second-factor codes, counted per account for the lock.

use sqlx::AnyExecutor;

use crate::{StoreResult, Tx};
use rules::clock::Timestamp;

pub async fn record_second_factor_failure(tx: &mut Tx, account_id: i64, now: Timestamp) -> StoreResult<()> {
    sqlx::query("INSERT INTO second_factor_failures (account_id, failed_at) VALUES ($1, $2)")
        .bind(account_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The times of the account's wrong codes since `since`, oldest first.
pub async fn second_factor_failures_since<'e>(
    db: impl AnyExecutor<'e>,
    account_id: i64,
    since: Timestamp,
) -> StoreResult<Vec<Timestamp>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT failed_at FROM second_factor_failures WHERE account_id = $1 AND failed_at >= $2 ORDER BY failed_at",
    )
    .bind(account_id)
    .bind(since)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(at,)| at).collect())
}

pub async fn clear_second_factor_failures(tx: &mut Tx, account_id: i64) -> StoreResult<()> {
    sqlx::query("DELETE FROM second_factor_failures WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
