//! Sign-ins: the server-side truth behind every signed-in session.

use sqlx::AnyExecutor;

use crate::accounts::account::AccountRecord;
use crate::{StoreResult, Tx};
use rules::accounts::first_factor::FirstFactor;
use rules::clock::Timestamp;

/// How a new sign-in stands with its second factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactor<'a> {
    /// None asked for: the sign-in counts at once.
    NotAsked,
    /// The account has one: the sign-in counts once it is given.
    Awaiting,
    /// Already proved (by the person's own provider, say): the sign-in counts, and says how.
    Proved(&'a str),
}

pub async fn insert_sign_in(
    tx: &mut Tx,
    id: &str,
    account_id: i64,
    now: Timestamp,
    client_ip: &str,
    factors: (FirstFactor, SecondFactor<'_>),
) -> StoreResult<()> {
    let (first_factor, second_factor) = factors;
    let (awaiting, proved) = match second_factor {
        SecondFactor::NotAsked => (0i64, None),
        SecondFactor::Awaiting => (1, None),
        SecondFactor::Proved(how) => (0, Some(how)),
    };
    sqlx::query(
        "INSERT INTO sign_ins (id, account_id, signed_in_at, client_ip, awaiting_second_factor, second_factor,
                               first_factor)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(account_id)
    .bind(now)
    .bind(client_ip)
    .bind(awaiting)
    .bind(proved)
    .bind(first_factor.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The second factor is given: a sign-in waiting for it now counts, and a standing sign-in that
/// had none (step-up) now has one. False when one was given already, or the sign-in is gone.
pub async fn complete_second_step(tx: &mut Tx, id: &str, factor: &str) -> StoreResult<bool> {
    let result = sqlx::query(
        "UPDATE sign_ins SET awaiting_second_factor = 0, second_factor = $2 WHERE id = $1 AND second_factor IS NULL",
    )
    .bind(id)
    .bind(factor)
    .execute(&mut **tx)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// A sign-in and its account, with how it stands with second factors.
#[derive(Debug, Clone)]
pub struct SignInRecord {
    /// The sign-in's id (what the session holds).
    pub id: String,
    pub signed_in_at: Timestamp,
    /// How the sign-in began (`None` for sign-ins older than this record).
    pub first_factor: Option<FirstFactor>,
    pub account: AccountRecord,
    /// How a second factor was given in this sign-in ("authenticator", "recovery_code",
    /// "provider"), if one was.
    pub second_factor: Option<String>,
    /// An admin requires a second factor of this account.
    pub second_factor_required: bool,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct SignedInRow {
    signed_in_at: i64,
    first_factor: String,
    second_factor: Option<String>,
    second_factor_required: i64,
    id: i64,
    email: String,
    display_name: String,
    password_hash: Option<String>,
    is_admin: i64,
    is_staff: i64,
    disabled_at: Option<i64>,
    language: String,
}

/// The sign-in and its account, in one query (this runs on every signed-in request). A sign-in
/// still waiting for its second factor is not found here.
pub async fn find_sign_in<'e>(db: impl AnyExecutor<'e>, id: &str) -> StoreResult<Option<SignInRecord>> {
    find_sign_in_where(db, id, 0).await
}

/// A sign-in waiting for its second factor, and its account.
pub async fn find_awaiting_sign_in<'e>(
    db: impl AnyExecutor<'e>,
    id: &str,
) -> StoreResult<Option<SignInRecord>> {
    find_sign_in_where(db, id, 1).await
}

async fn find_sign_in_where<'e>(
    db: impl AnyExecutor<'e>,
    id: &str,
    awaiting: i64,
) -> StoreResult<Option<SignInRecord>> {
    let row: Option<SignedInRow> = sqlx::query_as(
        "SELECT s.signed_in_at, s.first_factor, s.second_factor, a.second_factor_required, a.id, a.email, a.display_name,
                a.password_hash, a.is_admin, a.is_staff, a.disabled_at, a.language
         FROM sign_ins s JOIN accounts a ON a.id = s.account_id
         WHERE s.id = $1 AND s.awaiting_second_factor = $2",
    )
    .bind(id)
    .bind(awaiting)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| SignInRecord {
        id: id.to_string(),
        signed_in_at: r.signed_in_at,
        first_factor: FirstFactor::parse(&r.first_factor),
        second_factor: r.second_factor,
        second_factor_required: r.second_factor_required != 0,
        account: AccountRecord {
            id: r.id,
            email: r.email,
            display_name: r.display_name,
            password_hash: r.password_hash,
            is_admin: r.is_admin,
            is_staff: r.is_staff,
            disabled_at: r.disabled_at,
            language: r.language,
        },
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
