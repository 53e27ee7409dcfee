//! What the admin dashboard counts. Each query reads one of the partial or time indexes.

use sqlx::{AnyExecutor, FromRow};

use crate::StoreResult;
use rules::clock::Timestamp;

#[derive(Debug, Clone, FromRow)]
pub struct PendingByResource {
    pub resource_id: i64,
    pub resource_name: String,
    pub pending: i64,
    /// Asked within the last day.
    pub newer_than_a_day: i64,
    /// Asked more than a week ago.
    pub older_than_a_week: i64,
    pub oldest_at: i64,
}

/// Pending requests per resource, the resource with the oldest first.
pub async fn pending_requests_by_resource<'e>(
    db: impl AnyExecutor<'e>,
    now: Timestamp,
) -> StoreResult<Vec<PendingByResource>> {
    Ok(sqlx::query_as(
        "SELECT r.id AS resource_id, r.name AS resource_name, COUNT(*) AS pending,
                SUM(CASE WHEN q.created_at >= $1 THEN 1 ELSE 0 END) AS newer_than_a_day,
                SUM(CASE WHEN q.created_at < $2 THEN 1 ELSE 0 END) AS older_than_a_week,
                MIN(q.created_at) AS oldest_at
         FROM access_requests q JOIN resources r ON r.id = q.resource_id
         WHERE q.state = 'pending'
         GROUP BY r.id, r.name
         ORDER BY MIN(q.created_at), r.id",
    )
    .bind(now - 86_400)
    .bind(now - 7 * 86_400)
    .fetch_all(db)
    .await?)
}

/// Pending invitations: all of them, and those lapsing before `soon`.
pub async fn pending_invitations<'e>(db: impl AnyExecutor<'e>, soon: Timestamp) -> StoreResult<(i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN expires_at < $1 THEN 1 ELSE 0 END), 0)
         FROM invitations WHERE state = 'pending'",
    )
    .bind(soon)
    .fetch_one(db)
    .await?)
}

#[derive(Debug, Clone, FromRow)]
pub struct EndingMembership {
    pub email: String,
    pub display_name: String,
    pub resource_id: i64,
    pub resource_name: String,
    pub expires_at: i64,
}

/// Live memberships that end before `until`, soonest first.
pub async fn memberships_ending_before<'e>(
    db: impl AnyExecutor<'e>,
    until: Timestamp,
    limit: i64,
) -> StoreResult<Vec<EndingMembership>> {
    Ok(sqlx::query_as(
        "SELECT a.email, a.display_name, r.id AS resource_id, r.name AS resource_name, m.expires_at
         FROM memberships m
         JOIN accounts a ON a.id = m.account_id
         JOIN resources r ON r.id = m.resource_id
         WHERE m.ended_at IS NULL AND m.expires_at IS NOT NULL AND m.expires_at < $1
         ORDER BY m.expires_at, m.id
         LIMIT $2",
    )
    .bind(until)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

pub async fn count_memberships_ending<'e>(db: impl AnyExecutor<'e>, until: Timestamp) -> StoreResult<i64> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM memberships
         WHERE ended_at IS NULL AND expires_at IS NOT NULL AND expires_at < $1",
    )
    .bind(until)
    .fetch_one(db)
    .await?;
    Ok(count)
}

/// (day index from `start`, requests made that day).
pub async fn requests_per_day<'e>(
    db: impl AnyExecutor<'e>,
    start: Timestamp,
) -> StoreResult<Vec<(i64, i64)>> {
    per_day(db, "access_requests", "created_at", start).await
}

/// (day index from `start`, invitations redeemed that day).
pub async fn redemptions_per_day<'e>(
    db: impl AnyExecutor<'e>,
    start: Timestamp,
) -> StoreResult<Vec<(i64, i64)>> {
    per_day(db, "invitations", "redeemed_at", start).await
}

/// Rows of `table` counted by the day of `column` since `start` (both names are constants).
async fn per_day<'e>(
    db: impl AnyExecutor<'e>,
    table: &'static str,
    column: &'static str,
    start: Timestamp,
) -> StoreResult<Vec<(i64, i64)>> {
    let sql = format!(
        "SELECT day, COUNT(*) FROM
            (SELECT ({column} - $1) / 86400 AS day FROM {table} WHERE {column} >= $1) d
         GROUP BY day"
    );
    Ok(sqlx::query_as(&sql).bind(start).fetch_all(db).await?)
}
