//! One-time links with which a newly invited owner sets their password.

use sqlx::AnyExecutor;

use crate::{StoreResult, Tx};
use rules::clock::Timestamp;

pub async fn insert_password_link(
    tx: &mut Tx,
    token_hash: &str,
    account_id: i64,
    expires_at: Timestamp,
    now: Timestamp,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO password_links (token_hash, account_id, expires_at, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(account_id)
    .bind(expires_at)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The account a still-valid link is for.
pub async fn find_password_link<'e>(
    db: impl AnyExecutor<'e>,
    token_hash: &str,
    now: Timestamp,
) -> StoreResult<Option<i64>> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT account_id FROM password_links WHERE token_hash = $1 AND expires_at > $2")
            .bind(token_hash)
            .bind(now)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(id,)| id))
}

/// Spends the link (true for exactly one caller) and voids the account's other links.
pub async fn consume_password_link(
    tx: &mut Tx,
    token_hash: &str,
    now: Timestamp,
) -> StoreResult<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "DELETE FROM password_links WHERE token_hash = $1 AND expires_at > $2 RETURNING account_id",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some((account_id,)) = row {
        sqlx::query("DELETE FROM password_links WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(row.map(|(id,)| id))
}
