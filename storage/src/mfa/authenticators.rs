//! Authenticator apps (TOTP). The secret is stored sealed; `last_step` stops a code working twice.

use sqlx::{AnyExecutor, FromRow};

use crate::{StoreResult, Tx};
use rules::clock::Timestamp;

#[derive(Debug, Clone, FromRow)]
pub struct AuthenticatorRow {
    pub id: i64,
    pub account_id: i64,
    pub secret_sealed: String,
    pub last_step: i64,
    pub created_at: Timestamp,
    pub confirmed_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
}

impl AuthenticatorRow {
    pub fn is_confirmed(&self) -> bool {
        self.confirmed_at.is_some()
    }
}

const SELECT: &str =
    "SELECT id, account_id, secret_sealed, last_step, created_at, confirmed_at, last_used_at FROM authenticators";

/// The account's authenticators, confirmed or still waiting for a first code.
pub async fn authenticators_of<'e>(
    db: impl AnyExecutor<'e>,
    account_id: i64,
) -> StoreResult<Vec<AuthenticatorRow>> {
    Ok(
        sqlx::query_as(&format!("{SELECT} WHERE account_id = $1 ORDER BY id"))
            .bind(account_id)
            .fetch_all(db)
            .await?,
    )
}

/// Whether the account has a second factor that counts: a confirmed authenticator, or a passkey.
pub async fn has_second_factor<'e>(db: impl AnyExecutor<'e>, account_id: i64) -> StoreResult<bool> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM authenticators WHERE account_id = $1 AND confirmed_at IS NOT NULL)
              + (SELECT COUNT(*) FROM passkeys WHERE account_id = $1)",
    )
    .bind(account_id)
    .fetch_one(db)
    .await?;
    Ok(count > 0)
}

pub async fn insert_authenticator(
    tx: &mut Tx,
    account_id: i64,
    secret_sealed: &str,
    now: Timestamp,
) -> StoreResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO authenticators (account_id, secret_sealed, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(account_id)
    .bind(secret_sealed)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Takes the code of `step` for this authenticator: only if no code of that step or a later one
/// was taken before (so two requests racing with the same code cannot both pass). Confirms the
/// authenticator when it was waiting for its first code.
pub async fn take_step(tx: &mut Tx, id: i64, step: i64, now: Timestamp) -> StoreResult<bool> {
    let result = sqlx::query(
        "UPDATE authenticators SET last_step = $2, last_used_at = $3, confirmed_at = COALESCE(confirmed_at, $3)
         WHERE id = $1 AND last_step < $2",
    )
    .bind(id)
    .bind(step)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Drops authenticators that never got their first code (a new enrolment replaces them).
pub async fn delete_unconfirmed(tx: &mut Tx, account_id: i64) -> StoreResult<()> {
    sqlx::query("DELETE FROM authenticators WHERE account_id = $1 AND confirmed_at IS NULL")
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn delete_authenticator(tx: &mut Tx, account_id: i64, id: i64) -> StoreResult<bool> {
    let result = sqlx::query("DELETE FROM authenticators WHERE account_id = $1 AND id = $2")
        .bind(account_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Removes every authenticator of the account (an admin's reset); how many there were.
pub async fn delete_authenticators_of(tx: &mut Tx, account_id: i64) -> StoreResult<u64> {
    let result = sqlx::query("DELETE FROM authenticators WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(result.rows_affected())
}
