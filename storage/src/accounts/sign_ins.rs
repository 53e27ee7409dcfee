//! Sign-ins: the server-side truth behind every signed-in session.

use sqlx::AnyExecutor;

use crate::accounts::account::AccountRecord;
use crate::{StoreResult, Tx};
use rules::clock::Timestamp;

pub async fn insert_sign_in(
    tx: &mut Tx,
    id: &str,
    account_id: i64,
    now: Timestamp,
    client_ip: &str,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO sign_ins (id, account_id, signed_in_at, client_ip) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(account_id)
        .bind(now)
        .bind(client_ip)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct SignedInRow {
    signed_in_at: i64,
    id: i64,
    email: String,
    display_name: String,
    password_hash: Option<String>,
    is_admin: i64,
    is_staff: i64,
    disabled_at: Option<i64>,
    language: String,
}

/// The sign-in and its account, in one query (this runs on every signed-in request).
pub async fn find_sign_in<'e>(
    db: impl AnyExecutor<'e>,
    id: &str,
) -> StoreResult<Option<(Timestamp, AccountRecord)>> {
    let row: Option<SignedInRow> = sqlx::query_as(
        "SELECT s.signed_in_at, a.id, a.email, a.display_name, a.password_hash, a.is_admin, a.is_staff, a.disabled_at, a.language
         FROM sign_ins s JOIN accounts a ON a.id = s.account_id
         WHERE s.id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| {
        let account = AccountRecord {
            id: r.id,
            email: r.email,
            display_name: r.display_name,
            password_hash: r.password_hash,
            is_admin: r.is_admin,
            is_staff: r.is_staff,
            disabled_at: r.disabled_at,
            language: r.language,
        };
        (r.signed_in_at, account)
    }))
}

pub async fn delete_sign_in(tx: &mut Tx, id: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM sign_ins WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Ends every session of an account (disable, password change, "end all sessions").
pub async fn delete_sign_ins_of_account(tx: &mut Tx, account_id: i64) -> StoreResult<u64> {
    let result = sqlx::query("DELETE FROM sign_ins WHERE account_id = $1")
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(result.rows_affected())
}

/// Sign-ins past the absolute lifetime can never be used again.
pub async fn delete_sign_ins_before(tx: &mut Tx, before: Timestamp) -> StoreResult<u64> {
    let result = sqlx::query("DELETE FROM sign_ins WHERE signed_in_at <= $1")
        .bind(before)
        .execute(&mut **tx)
        .await?;
    Ok(result.rows_affected())
}
