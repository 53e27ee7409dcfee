//! Invitations: single-use, expiring, email-bound grants to one resource.

use sqlx::{AnyExecutor, FromRow};

use crate::{StoreResult, Tx};
use rules::clock::Timestamp;

#[derive(Debug, Clone, FromRow)]
pub struct InvitationRecord {
    pub id: i64,
    pub resource_id: i64,
    pub email: String,
    pub display_name: String,
    pub state: String,
    pub source: String,
    pub request_id: Option<i64>,
    pub invited_by_account_id: Option<i64>,
    pub message: String,
    pub access_duration: String,
    pub expires_at: i64,
    pub created_at: i64,
    pub redeemed_at: Option<i64>,
    /// Where the partner goes after redeeming; empty for the portal's own page.
    pub redirect_url: String,
    /// The language of its emails ('' for the portal's default).
    pub language: String,
}

const COLUMNS: &str =
    "id, resource_id, email, display_name, state, source, request_id, invited_by_account_id, \
                       message, access_duration, expires_at, created_at, redeemed_at, redirect_url, language";

pub struct NewInvitation<'a> {
    pub resource_id: i64,
    pub email: &'a str,
    pub display_name: &'a str,
    pub token_hash: &'a str,
    pub source: &'a str,
    pub request_id: Option<i64>,
    pub invited_by_account_id: Option<i64>,
    pub message: &'a str,
    pub access_duration: &'a str,
    pub expires_at: Timestamp,
    pub redirect_url: &'a str,
    pub language: &'a str,
}

/// Inserts a pending invitation; one already pending for the email and resource is a `Conflict`.
pub async fn insert_invitation(
    tx: &mut Tx,
    invitation: &NewInvitation<'_>,
    now: Timestamp,
) -> StoreResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO invitations
            (resource_id, email, display_name, token_hash, state, source, request_id, invited_by_account_id,
             message, access_duration, expires_at, created_at, redirect_url, language)
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $10, $11, $12, $13)
         RETURNING id",
    )
    .bind(invitation.resource_id)
    .bind(invitation.email)
    .bind(invitation.display_name)
    .bind(invitation.token_hash)
    .bind(invitation.source)
    .bind(invitation.request_id)
    .bind(invitation.invited_by_account_id)
    .bind(invitation.message)
    .bind(invitation.access_duration)
    .bind(invitation.expires_at)
    .bind(now)
    .bind(invitation.redirect_url)
    .bind(invitation.language)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn find_by_id<'e>(db: impl AnyExecutor<'e>, id: i64) -> StoreResult<Option<InvitationRecord>> {
    let sql = format!("SELECT {COLUMNS} FROM invitations WHERE id = $1");
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(db).await?)
}

pub async fn find_by_token<'e>(
    db: impl AnyExecutor<'e>,
    token_hash: &str,
) -> StoreResult<Option<InvitationRecord>> {
    let sql = format!("SELECT {COLUMNS} FROM invitations WHERE token_hash = $1");
    Ok(sqlx::query_as(&sql).bind(token_hash).fetch_optional(db).await?)
}

pub async fn find_pending<'e>(
    db: impl AnyExecutor<'e>,
    email: &str,
    resource_id: i64,
) -> StoreResult<Option<InvitationRecord>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM invitations WHERE email = $1 AND resource_id = $2 AND state = 'pending'"
    );
    Ok(sqlx::query_as(&sql)
        .bind(email)
        .bind(resource_id)
        .fetch_optional(db)
        .await?)
}

pub async fn find_for_request<'e>(
    db: impl AnyExecutor<'e>,
    request_id: i64,
) -> StoreResult<Option<InvitationRecord>> {
    let sql = format!("SELECT {COLUMNS} FROM invitations WHERE request_id = $1 ORDER BY id DESC LIMIT 1");
    Ok(sqlx::query_as(&sql).bind(request_id).fetch_optional(db).await?)
}

/// Spends the invitation: true for exactly one caller, and only while it is pending and not
/// past its expiry. Runs inside the transaction that creates the account and membership.
pub async fn mark_redeemed(tx: &mut Tx, token_hash: &str, now: Timestamp) -> StoreResult<bool> {
    let result = sqlx::query(
        "UPDATE invitations SET state = 'redeemed', redeemed_at = $2, closed_at = $2
         WHERE token_hash = $1 AND state = 'pending' AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Notes which account redeemed the invitation (known only after a new account exists).
pub async fn record_redeemer(tx: &mut Tx, invitation_id: i64, account_id: i64) -> StoreResult<()> {
    sqlx::query("UPDATE invitations SET redeemed_by_account_id = $2 WHERE id = $1")
        .bind(invitation_id)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Marks a pending invitation past its expiry as expired; false if it was not.
pub async fn mark_expired(tx: &mut Tx, id: i64, now: Timestamp) -> StoreResult<bool> {
    let result = sqlx::query(
        "UPDATE invitations SET state = 'expired', closed_at = $2 WHERE id = $1 AND state = 'pending' AND expires_at <= $2",
    )
    .bind(id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(result.rows_affected() == 1)
}
