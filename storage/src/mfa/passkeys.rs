//! Passkeys and security keys, and the state of a WebAuthn ceremony between its two requests.

use sqlx::{AnyExecutor, FromRow};

use crate::{StoreResult, Tx};
use rules::clock::Timestamp;

#[derive(Debug, Clone, FromRow)]
pub struct PasskeyRow {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    /// webauthn-rs's record of the key, as JSON.
    pub credential: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

pub async fn passkeys_of<'e>(db: impl AnyExecutor<'e>, account_id: i64) -> StoreResult<Vec<PasskeyRow>> {
    Ok(sqlx::query_as(
        "SELECT id, account_id, name, credential, created_at, last_used_at FROM passkeys
         WHERE account_id = $1 ORDER BY id",
    )
    .bind(account_id)
    .fetch_all(db)
    .await?)
}

pub async fn insert_passkey(
    tx: &mut Tx,
    account_id: i64,
    name: &str,
    credential: &str,
    now: Timestamp,
) -> StoreResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO passkeys (account_id, name, credential, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(account_id)
    .bind(name)
    .bind(credential)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Keeps the key's record as its last use left it (its signature counter) and when that was.
pub async fn record_passkey_use(tx: &mut Tx, id: i64, credential: &str, now: Timestamp) -> StoreResult<()> {
    sqlx::query("UPDATE passkeys SET credential = $2, last_used_at = $3 WHERE id = $1")
        .bind(id)
        .bind(credential)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn delete_passkey(tx: &mut Tx, account_id: i64, id: i64) -> StoreResult<bool> {
    let result = sqlx::query("DELETE FROM passkeys WHERE account_id = $1 AND id = $2")
        .bind(account_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Removes every passkey of the account (an admin's reset); how many there were.
pub async fn delete_passkeys_of(tx: &mut Tx, account_id: i64) -> StoreResult<u64> {
    let result = sqlx::query("DELETE FROM passkeys WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(result.rows_affected())
}

/// One WebAuthn ceremony begun: its state, until the browser answers.
pub struct NewChallenge<'a> {
    pub id: &'a str,
    pub account_id: i64,
    pub purpose: &'a str,
    pub state: &'a str,
}

/// Keeps a ceremony's state, and drops this account's ceremonies begun before `stale_before`.
pub async fn insert_challenge(
    tx: &mut Tx,
    challenge: NewChallenge<'_>,
    now: Timestamp,
    stale_before: Timestamp,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM passkey_challenges WHERE account_id = $1 AND created_at < $2")
        .bind(challenge.account_id)
        .bind(stale_before)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO passkey_challenges (id, account_id, purpose, state, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(challenge.id)
    .bind(challenge.account_id)
    .bind(challenge.purpose)
    .bind(challenge.state)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Takes a ceremony's state (once: a second answer to the same challenge finds nothing), if it
/// is this account's, for this purpose, and was begun at `not_before` or later.
pub async fn take_challenge(
    tx: &mut Tx,
    id: &str,
    account_id: i64,
    purpose: &str,
    not_before: Timestamp,
) -> StoreResult<Option<String>> {
    let taken: Option<(String,)> = sqlx::query_as(
        "DELETE FROM passkey_challenges
         WHERE id = $1 AND account_id = $2 AND purpose = $3 AND created_at >= $4 RETURNING state",
    )
    .bind(id)
    .bind(account_id)
    .bind(purpose)
    .bind(not_before)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(taken.map(|(state,)| state))
}
