//! Who has or is invited to one resource: the queries behind an owner's members page.

use sqlx::{AnyExecutor, FromRow};

use crate::conditions::live_membership;
use crate::{StoreResult, Tx};
use rules::clock::Timestamp;

/// Whether the account owns the resource.
pub async fn is_owner<'e>(db: impl AnyExecutor<'e>, resource_id: i64, account_id: i64) -> StoreResult<bool> {
    let found: Option<(i64,)> =
        sqlx::query_as("SELECT account_id FROM resource_owners WHERE resource_id = $1 AND account_id = $2")
            .bind(resource_id)
            .bind(account_id)
            .fetch_optional(db)
            .await?;
    Ok(found.is_some())
}

#[derive(Debug, Clone, FromRow)]
pub struct MemberRow {
    pub membership_id: i64,
    pub account_id: i64,
    pub email: String,
    pub display_name: String,
    pub source: String,
    pub granted_at: i64,
    pub expires_at: Option<i64>,
    /// The member's language for emails ('' for the portal's default).
    pub language: String,
}

const MEMBER_SELECT: &str = concat!(
    "SELECT m.id AS membership_id, a.id AS account_id, a.email, a.display_name, m.source,
        m.granted_at, m.expires_at, a.language
     FROM memberships m JOIN accounts a ON a.id = m.account_id
     WHERE m.resource_id = $1 AND ",
    live_membership!("m.", "$2")
);

/// The resource's current members whose email or name contains `search`, by email.
pub async fn members<'e>(
    db: impl AnyExecutor<'e>,
    resource_id: i64,
    search: &str,
    now: Timestamp,
    limit: i64,
) -> StoreResult<Vec<MemberRow>> {
    let pattern = format!("%{}%", crate::like_escape(&search.trim().to_lowercase()));
    Ok(sqlx::query_as(&format!(
        "{MEMBER_SELECT} AND (a.email LIKE $3 ESCAPE '\\' OR LOWER(a.display_name) LIKE $3 ESCAPE '\\')
         ORDER BY a.email LIMIT $4"
    ))
    .bind(resource_id)
    .bind(now)
    .bind(pattern)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// One current membership of the resource.
pub async fn find_member<'e>(
    db: impl AnyExecutor<'e>,
    resource_id: i64,
    membership_id: i64,
    now: Timestamp,
) -> StoreResult<Option<MemberRow>> {
    Ok(sqlx::query_as(&format!("{MEMBER_SELECT} AND m.id = $3"))
        .bind(resource_id)
        .bind(now)
        .bind(membership_id)
        .fetch_optional(db)
        .await?)
}

/// Whether the email holds the resource now.
pub async fn is_member<'e>(
    db: impl AnyExecutor<'e>,
    resource_id: i64,
    email: &str,
    now: Timestamp,
) -> StoreResult<bool> {
    let found: Option<MemberRow> = sqlx::query_as(&format!("{MEMBER_SELECT} AND a.email = $3"))
        .bind(resource_id)
        .bind(now)
        .bind(email)
        .fetch_optional(db)
        .await?;
    Ok(found.is_some())
}

/// Moves a live membership's end date (its reminders start over).
pub async fn set_expiry(tx: &mut Tx, membership_id: i64, expires_at: Option<Timestamp>) -> StoreResult<bool> {
    let result = sqlx::query(
        "UPDATE memberships SET expires_at = $2, first_reminder_at = NULL, last_reminder_at = NULL
         WHERE id = $1 AND ended_at IS NULL",
    )
    .bind(membership_id)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(result.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct PendingInvitation {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub source: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// The resource's invitations still waiting to be accepted, newest first.
pub async fn pending_invitations<'e>(
    db: impl AnyExecutor<'e>,
    resource_id: i64,
    now: Timestamp,
) -> StoreResult<Vec<PendingInvitation>> {
    Ok(sqlx::query_as(
        "SELECT id, email, display_name, source, created_at, expires_at FROM invitations
         WHERE resource_id = $1 AND state = 'pending' AND expires_at > $2 ORDER BY id DESC LIMIT 200",
    )
    .bind(resource_id)
    .bind(now)
    .fetch_all(db)
    .await?)
}

/// Gives a pending invitation a new token and end: the old link stops working at once.
pub async fn replace_invitation_token(
    tx: &mut Tx,
    id: i64,
    token_hash: &str,
    expires_at: Timestamp,
) -> StoreResult<bool> {
    let result = sqlx::query(
        "UPDATE invitations SET token_hash = $2, expires_at = $3 WHERE id = $1 AND state = 'pending'",
    )
    .bind(id)
    .bind(token_hash)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Withdraws a pending invitation.
pub async fn revoke_invitation(tx: &mut Tx, id: i64, now: Timestamp) -> StoreResult<bool> {
    let result = sqlx::query(
        "UPDATE invitations SET state = 'revoked', closed_at = $2 WHERE id = $1 AND state = 'pending'",
    )
    .bind(id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// How often an invitation was resent since `since` (from the audit log, which nobody edits).
pub async fn resends_since<'e>(
    db: impl AnyExecutor<'e>,
    invitation_id: i64,
    since: Timestamp,
) -> StoreResult<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE target_id = $1 AND action = 'invitation.resent' AND occurred_at > $2",
    )
    .bind(invitation_id.to_string())
    .bind(since)
    .fetch_one(db)
    .await?;
    Ok(n)
}
