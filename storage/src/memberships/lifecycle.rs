//! The queries of the lifecycle jobs: what has come due, and the conditional updates that act
//! on it. Each update re-checks its condition, so when two instances reach the same row only one
//! changes it (on PostgreSQL the second waits for the first's row lock, then finds nothing).

use sqlx::{AnyExecutor, FromRow};

use crate::accounts::sign_ins::delete_sign_ins_before;
use crate::{StoreResult, Tx};
use rules::clock::Timestamp;

/// Pending invitations past their end.
pub async fn overdue_invitations<'e>(
    db: impl AnyExecutor<'e>,
    now: Timestamp,
    limit: i64,
) -> StoreResult<Vec<(i64, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT id, email, resource_id FROM invitations
         WHERE state = 'pending' AND expires_at <= $1 ORDER BY expires_at, id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// Pending requests whose decision deadline has passed.
pub async fn overdue_requests<'e>(
    db: impl AnyExecutor<'e>,
    now: Timestamp,
    limit: i64,
) -> StoreResult<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM access_requests WHERE state = 'pending' AND decide_by <= $1 ORDER BY decide_by, id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// A live membership with an end date, with what its emails need.
#[derive(Debug, Clone, FromRow)]
pub struct EndingMembership {
    pub id: i64,
    pub resource_id: i64,
    pub resource_name: String,
    pub email: String,
    pub expires_at: i64,
    /// The member's language for emails ('' for the portal's default).
    pub language: String,
}

const ENDING_SELECT: &str =
    "SELECT m.id, m.resource_id, r.name AS resource_name, a.email, m.expires_at, a.language
     FROM memberships m
     JOIN accounts a ON a.id = m.account_id
     JOIN resources r ON r.id = m.resource_id
     WHERE m.ended_at IS NULL AND m.expires_at IS NOT NULL";

/// Live memberships past their end date.
pub async fn memberships_past_end<'e>(
    db: impl AnyExecutor<'e>,
    now: Timestamp,
    limit: i64,
) -> StoreResult<Vec<EndingMembership>> {
    Ok(sqlx::query_as(&format!(
        "{ENDING_SELECT} AND m.expires_at <= $1 ORDER BY m.expires_at, m.id LIMIT $2"
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// Which reminder before the end of a membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    /// 14 days before.
    First,
    /// 1 day before.
    Last,
}

impl Reminder {
    /// How long before the end it is sent.
    pub fn lead_seconds(self) -> i64 {
        match self {
            Reminder::First => 14 * 86_400,
            Reminder::Last => 86_400,
        }
    }

    fn column(self) -> &'static str {
        match self {
            Reminder::First => "first_reminder_at",
            Reminder::Last => "last_reminder_at",
        }
    }
}

/// Live memberships that have reached the time of `reminder` and not had it. A membership
/// granted inside the reminder's window (its end date was news to nobody) gets none; the first
/// reminder is not sent once the last one is due.
pub async fn memberships_due_reminder<'e>(
    db: impl AnyExecutor<'e>,
    reminder: Reminder,
    now: Timestamp,
    limit: i64,
) -> StoreResult<Vec<EndingMembership>> {
    let not_yet_last = match reminder {
        Reminder::First => "AND m.expires_at > $1 + 86400 AND m.last_reminder_at IS NULL",
        Reminder::Last => "",
    };
    let column = reminder.column();
    Ok(sqlx::query_as(&format!(
        "{ENDING_SELECT} AND m.{column} IS NULL AND m.expires_at > $1 AND m.expires_at <= $1 + $2
           AND m.granted_at <= m.expires_at - $2 {not_yet_last}
         ORDER BY m.expires_at, m.id LIMIT $3"
    ))
    .bind(now)
    .bind(reminder.lead_seconds())
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// Notes that `reminder` went out; false when another run noted it first.
pub async fn mark_reminded(
    tx: &mut Tx,
    membership_id: i64,
    reminder: Reminder,
    now: Timestamp,
) -> StoreResult<bool> {
    let column = reminder.column();
    let result = sqlx::query(&format!(
        "UPDATE memberships SET {column} = $2 WHERE id = $1 AND {column} IS NULL AND ended_at IS NULL"
    ))
    .bind(membership_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Ends a live membership that is past its end date, as of that date; false when it was not.
pub async fn end_at_expiry(tx: &mut Tx, membership_id: i64, now: Timestamp) -> StoreResult<bool> {
    let result = sqlx::query(
        "UPDATE memberships SET ended_at = expires_at, ended_reason = 'expired'
         WHERE id = $1 AND ended_at IS NULL AND expires_at IS NOT NULL AND expires_at <= $2",
    )
    .bind(membership_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// What one clean-up removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CleanedUp {
    pub sign_ins: u64,
    pub sign_in_failures: u64,
    /// One-time codes older than the hour their sending limits count.
    pub one_time_codes: u64,
    pub password_links: u64,
    pub setup_tokens: u64,
    pub status_links: u64,
    pub bulk_drafts: u64,
    /// Apps' codes, refresh tokens and grants no longer of use.
    pub app_tokens: u64,
}

impl CleanedUp {
    pub fn total(&self) -> u64 {
        self.sign_ins
            + self.sign_in_failures
            + self.one_time_codes
            + self.password_links
            + self.setup_tokens
            + self.status_links
            + self.bulk_drafts
            + self.app_tokens
    }
}

/// Removes what can no longer be used: sign-ins older than the absolute session lifetime,
/// sign-in failures and one-time codes outside the throttling window, used-up or expired password links, setup
/// links once an admin exists, and the status links of requests closed before `status_before` (the stored hash becomes
/// `retired-<id>`, which no token's hex hash can match).
pub async fn clean_up(
    tx: &mut Tx,
    sign_ins_before: Timestamp,
    failures_before: Timestamp,
    status_before: Timestamp,
    drafts_before: Timestamp,
    now: Timestamp,
) -> StoreResult<CleanedUp> {
    let sign_ins = delete_sign_ins_before(tx, sign_ins_before).await?;
    let sign_in_failures = sqlx::query("DELETE FROM sign_in_failures WHERE failed_at < $1")
        .bind(failures_before)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    let one_time_codes = crate::accounts::one_time_codes::delete_codes_before(tx, failures_before).await?;
    let password_links = sqlx::query("DELETE FROM password_links WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    let setup_tokens = sqlx::query(
        "DELETE FROM setup_tokens WHERE EXISTS (SELECT 1 FROM accounts WHERE is_admin = 1 AND disabled_at IS NULL)",
    )
    .execute(&mut **tx)
    .await?
    .rows_affected();
    // The literal prefix matches the partial index's condition, so only live links are read.
    let status_links = sqlx::query(
        "UPDATE access_requests SET status_token_hash = 'retired-' || CAST(id AS TEXT)
         WHERE closed_at IS NOT NULL AND closed_at < $1 AND status_token_hash NOT LIKE 'retired-%'",
    )
    .bind(status_before)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    // Bulk invite lists checked but never confirmed: their rows first, then the batches.
    sqlx::query(
        "DELETE FROM bulk_rows WHERE batch_id IN
            (SELECT id FROM bulk_batches WHERE state = 'draft' AND created_at < $1)",
    )
    .bind(drafts_before)
    .execute(&mut **tx)
    .await?;
    let bulk_drafts = sqlx::query("DELETE FROM bulk_batches WHERE state = 'draft' AND created_at < $1")
        .bind(drafts_before)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    let app_tokens = crate::oidc::retention::clean_up_app_tokens(tx, sign_ins_before, now).await?;
    Ok(CleanedUp {
        app_tokens,
        sign_ins,
        sign_in_failures,
        one_time_codes,
        password_links,
        setup_tokens,
        status_links,
        bulk_drafts,
    })
}
