//! Memberships: an account's access to a resource.

use sqlx::{AnyExecutor, FromRow};

use crate::conditions::live_membership;
use crate::{StoreResult, Tx};
use rules::clock::Timestamp;

pub struct NewMembership<'a> {
    pub account_id: i64,
    pub resource_id: i64,
    pub source: &'a str,
    pub invitation_id: Option<i64>,
    pub expires_at: Option<Timestamp>,
}

/// Grants access. When the account already holds the resource, the existing membership takes
/// the new end date (a renewal never shortens access that was open-ended).
pub async fn grant_membership(
    tx: &mut Tx,
    membership: &NewMembership<'_>,
    now: Timestamp,
) -> StoreResult<i64> {
    let live: Option<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, expires_at FROM memberships WHERE account_id = $1 AND resource_id = $2 AND ended_at IS NULL",
    )
    .bind(membership.account_id)
    .bind(membership.resource_id)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some((id, current)) = live {
        let expires_at = match (current, membership.expires_at) {
            (None, _) | (_, None) => None,
            (Some(a), Some(b)) => Some(a.max(b)),
        };
        if expires_at != current {
            // A new end date gets its own reminders.
            sqlx::query(
                "UPDATE memberships SET expires_at = $2, first_reminder_at = NULL, last_reminder_at = NULL WHERE id = $1",
            )
            .bind(id)
            .bind(expires_at)
            .execute(&mut **tx)
            .await?;
        }
        return Ok(id);
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO memberships (account_id, resource_id, source, invitation_id, granted_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(membership.account_id)
    .bind(membership.resource_id)
    .bind(membership.source)
    .bind(membership.invitation_id)
    .bind(now)
    .bind(membership.expires_at)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Ends one of the account's live memberships; false when there was none.
pub async fn end_membership(
    tx: &mut Tx,
    membership_id: i64,
    account_id: i64,
    reason: &str,
    now: Timestamp,
) -> StoreResult<Option<i64>> {
    let row: Option<(i64,)> = sqlx::query_as(
        "UPDATE memberships SET ended_at = $3, ended_reason = $4
         WHERE id = $1 AND account_id = $2 AND ended_at IS NULL
         RETURNING resource_id",
    )
    .bind(membership_id)
    .bind(account_id)
    .bind(now)
    .bind(reason)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(resource_id,)| resource_id))
}

pub async fn holds<'e>(
    db: impl AnyExecutor<'e>,
    account_id: i64,
    resource_id: i64,
    now: Timestamp,
) -> StoreResult<bool> {
    let row: Option<(i64,)> = sqlx::query_as(concat!(
        "SELECT id FROM memberships WHERE account_id = $1 AND resource_id = $2 AND ",
        live_membership!("", "$3"),
    ))
    .bind(account_id)
    .bind(resource_id)
    .bind(now)
    .fetch_optional(db)
    .await?;
    Ok(row.is_some())
}

/// A live membership with its account and resource, for the API.
#[derive(Debug, Clone, FromRow)]
pub struct MembershipRow {
    pub id: i64,
    pub account_id: i64,
    pub email: String,
    pub display_name: String,
    pub resource_id: i64,
    pub resource_name: String,
    pub source: String,
    pub granted_at: i64,
    pub expires_at: Option<i64>,
}

const MEMBERSHIP_SELECT: &str = concat!(
    "SELECT m.id, m.account_id, a.email, a.display_name, m.resource_id, r.name AS resource_name,
            m.source, m.granted_at, m.expires_at
     FROM memberships m JOIN accounts a ON a.id = m.account_id JOIN resources r ON r.id = m.resource_id
     WHERE ",
    live_membership!("m.", "$1")
);

/// Live memberships of one resource or one account (or both), by id, after `after`.
pub async fn live_memberships<'e>(
    db: impl AnyExecutor<'e>,
    resource_id: Option<i64>,
    account_id: Option<i64>,
    after: Option<i64>,
    limit: i64,
    now: Timestamp,
) -> StoreResult<Vec<MembershipRow>> {
    let sql = format!(
        "{MEMBERSHIP_SELECT}
           AND ($2 IS NULL OR m.resource_id = $2) AND ($3 IS NULL OR m.account_id = $3) AND m.id > $4
         ORDER BY m.id LIMIT $5"
    );
    Ok(sqlx::query_as(&sql)
        .bind(now)
        .bind(resource_id)
        .bind(account_id)
        .bind(after.unwrap_or(0))
        .bind(limit)
        .fetch_all(db)
        .await?)
}

/// The live membership of the account with this email in the resource, if any.
pub async fn live_membership_of<'e>(
    db: impl AnyExecutor<'e>,
    email: &str,
    resource_id: i64,
    now: Timestamp,
) -> StoreResult<Option<MembershipRow>> {
    let sql = format!("{MEMBERSHIP_SELECT} AND a.email = $2 AND m.resource_id = $3");
    Ok(sqlx::query_as(&sql)
        .bind(now)
        .bind(email)
        .bind(resource_id)
        .fetch_optional(db)
        .await?)
}
