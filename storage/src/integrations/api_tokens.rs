//! API tokens, stored as a SHA-256 of the token only.

use sqlx::{AnyExecutor, FromRow};

use crate::{StoreResult, Tx};
use rules::clock::Timestamp;

#[derive(Debug, Clone, FromRow)]
pub struct ApiTokenRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub scopes: String,
    pub created_by: i64,
    pub creator_email: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

const COLUMNS: &str =
    "t.id, t.name, t.prefix, t.scopes, t.created_by, a.email AS creator_email, t.created_at,
     t.expires_at, t.revoked_at, t.last_used_at";

pub struct NewApiToken<'a> {
    pub name: &'a str,
    pub token_hash: &'a str,
    pub prefix: &'a str,
    pub scopes: &'a str,
    pub created_by: i64,
    pub expires_at: Option<i64>,
}

pub async fn insert_token(tx: &mut Tx, token: &NewApiToken<'_>, now: Timestamp) -> StoreResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO api_tokens (name, token_hash, prefix, scopes, created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(token.name)
    .bind(token.token_hash)
    .bind(token.prefix)
    .bind(token.scopes)
    .bind(token.created_by)
    .bind(now)
    .bind(token.expires_at)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Every token, newest first (revoked ones too: the list shows when they stopped).
pub async fn list_tokens<'e>(db: impl AnyExecutor<'e>) -> StoreResult<Vec<ApiTokenRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM api_tokens t JOIN accounts a ON a.id = t.created_by ORDER BY t.id DESC"
    );
    Ok(sqlx::query_as(&sql).fetch_all(db).await?)
}

pub async fn find_token<'e>(db: impl AnyExecutor<'e>, id: i64) -> StoreResult<Option<ApiTokenRow>> {
    let sql =
        format!("SELECT {COLUMNS} FROM api_tokens t JOIN accounts a ON a.id = t.created_by WHERE t.id = $1");
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(db).await?)
}

/// The token with this hash, whatever its state (the caller decides what counts).
pub async fn find_by_hash<'e>(
    db: impl AnyExecutor<'e>,
    token_hash: &str,
) -> StoreResult<Option<ApiTokenRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM api_tokens t JOIN accounts a ON a.id = t.created_by WHERE t.token_hash = $1"
    );
    Ok(sqlx::query_as(&sql).bind(token_hash).fetch_optional(db).await?)
}

/// Revokes a live token; false when it was already revoked (or does not exist).
pub async fn revoke_token(tx: &mut Tx, id: i64, now: Timestamp) -> StoreResult<bool> {
    let done = sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Notes a use, at most once a minute per token so busy clients do not write on every call.
pub async fn touch_token(tx: &mut Tx, id: i64, now: Timestamp) -> StoreResult<()> {
    sqlx::query(
        "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)",
    )
    .bind(id)
    .bind(now)
    .bind(now - 60)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
