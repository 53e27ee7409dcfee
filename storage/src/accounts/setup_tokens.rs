//! The one-time first-admin setup token (its SHA-256 only).

use sqlx::AnyExecutor;

use crate::{StoreResult, Tx};
use rules::clock::Timestamp;

/// Forgets any earlier setup token and stores a new one: only the latest printed link works.
pub async fn replace_setup_token(tx: &mut Tx, token_hash: &str, now: Timestamp) -> StoreResult<()> {
    sqlx::query("DELETE FROM setup_tokens").execute(&mut **tx).await?;
    sqlx::query("INSERT INTO setup_tokens (token_hash, created_at) VALUES ($1, $2)")
        .bind(token_hash)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn setup_token_exists<'e>(db: impl AnyExecutor<'e>, token_hash: &str) -> StoreResult<bool> {
    let found: Option<(String,)> =
        sqlx::query_as("SELECT token_hash FROM setup_tokens WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(db)
            .await?;
    Ok(found.is_some())
}

/// Spends the token: true for exactly one caller, however many try at once.
pub async fn consume_setup_token(tx: &mut Tx, token_hash: &str) -> StoreResult<bool> {
    let result = sqlx::query("DELETE FROM setup_tokens WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut **tx)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Once an admin exists no setup link may work, whichever instance printed it.
pub async fn delete_all_setup_tokens(tx: &mut Tx) -> StoreResult<()> {
    sqlx::query("DELETE FROM setup_tokens").execute(&mut **tx).await?;
    Ok(())
}
