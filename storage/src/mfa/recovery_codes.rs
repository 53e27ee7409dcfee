//! Recovery codes: keyed hashes only, each usable once; a new set replaces the old one.

use sqlx::AnyExecutor;

use crate::{StoreResult, Tx};
use rules::clock::Timestamp;

/// Replaces the account's recovery codes with these hashes.
pub async fn replace_recovery_codes(
    tx: &mut Tx,
    account_id: i64,
    hashes: &[String],
    now: Timestamp,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    for hash in hashes {
        sqlx::query("INSERT INTO recovery_codes (account_id, code_hash, created_at) VALUES ($1, $2, $3)")
            .bind(account_id)
            .bind(hash)
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Spends the unused code with this hash, if there is one; true when it was spent now.
pub async fn spend_recovery_code(
    tx: &mut Tx,
    account_id: i64,
    hash: &str,
    now: Timestamp,
) -> StoreResult<bool> {
    let result = sqlx::query(
        "UPDATE recovery_codes SET used_at = $3 WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL",
    )
    .bind(account_id)
    .bind(hash)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// How many of the account's recovery codes are still unused.
pub async fn unused_recovery_codes<'e>(db: impl AnyExecutor<'e>, account_id: i64) -> StoreResult<i64> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM recovery_codes WHERE account_id = $1 AND used_at IS NULL")
            .bind(account_id)
            .fetch_one(db)
            .await?;
    Ok(count)
}

pub async fn delete_recovery_codes(tx: &mut Tx, account_id: i64) -> StoreResult<()> {
    sqlx::query("DELETE FROM recovery_codes WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
