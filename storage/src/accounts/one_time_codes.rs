//! One-time codes by email (only their keyed hashes), and the counts the sending limits need.

use sqlx::{AnyExecutor, FromRow};

use crate::{StoreResult, Tx};
use rules::clock::Timestamp;

pub struct NewCode<'a> {
    pub email: &'a str,
    pub purpose: &'a str,
    pub code_hash: &'a str,
    pub browser_hash: &'a str,
    pub client_ip: &'a str,
    pub expires_at: Timestamp,
}

pub async fn insert_code(tx: &mut Tx, code: &NewCode<'_>, now: Timestamp) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO one_time_codes (email, purpose, code_hash, browser_hash, client_ip, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(code.email)
    .bind(code.purpose)
    .bind(code.code_hash)
    .bind(code.browser_hash)
    .bind(code.client_ip)
    .bind(now)
    .bind(code.expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Codes asked for since `since`: to this address, and from this client.
pub async fn codes_sent_since<'e>(
    db: impl AnyExecutor<'e>,
    email: &str,
    client_ip: &str,
    since: Timestamp,
) -> StoreResult<(i64, i64)> {
    let row: (i64, i64) = sqlx::query_as(
        "SELECT
            (SELECT COUNT(*) FROM one_time_codes WHERE email = $1 AND created_at > $3),
            (SELECT COUNT(*) FROM one_time_codes WHERE client_ip = $2 AND created_at > $3)",
    )
    .bind(email)
    .bind(client_ip)
    .bind(since)
    .fetch_one(db)
    .await?;
    Ok(row)
}

#[derive(Debug, Clone, FromRow)]
pub struct CodeRecord {
    pub id: i64,
    pub code_hash: String,
    pub expires_at: Timestamp,
    pub wrong_tries: i64,
    pub used_at: Option<Timestamp>,
}

/// The newest code this browser asked for, for this address and purpose: asking again
/// replaces the earlier one.
pub async fn newest_code(
    tx: &mut Tx,
    email: &str,
    purpose: &str,
    browser_hash: &str,
) -> StoreResult<Option<CodeRecord>> {
    Ok(sqlx::query_as(
        "SELECT id, code_hash, expires_at, wrong_tries, used_at FROM one_time_codes
         WHERE email = $1 AND purpose = $2 AND browser_hash = $3
         ORDER BY id DESC LIMIT 1",
    )
    .bind(email)
    .bind(purpose)
    .bind(browser_hash)
    .fetch_optional(&mut **tx)
    .await?)
}

pub async fn add_wrong_try(tx: &mut Tx, id: i64) -> StoreResult<()> {
    sqlx::query("UPDATE one_time_codes SET wrong_tries = wrong_tries + 1 WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Spends the code: true for exactly one caller of many at once.
pub async fn mark_used(tx: &mut Tx, id: i64, now: Timestamp) -> StoreResult<bool> {
    let result = sqlx::query("UPDATE one_time_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL")
        .bind(id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// The cleanup job: codes matter for their ten minutes and then for the hour the limits count.
pub async fn delete_codes_before(tx: &mut Tx, before: Timestamp) -> StoreResult<u64> {
    let result = sqlx::query("DELETE FROM one_time_codes WHERE created_at <= $1")
        .bind(before)
        .execute(&mut **tx)
        .await?;
    Ok(result.rows_affected())
}
