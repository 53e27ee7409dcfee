//! The decisions approvers recorded on a request, one per approver and stage.

use sqlx::{AnyExecutor, FromRow};

use crate::{StoreResult, Tx};
use rules::clock::Timestamp;

#[derive(Debug, Clone, FromRow)]
pub struct DecisionRow {
    pub stage: i64,
    pub approver_account_id: i64,
    pub approver_name: String,
    pub approver_email: String,
    pub outcome: String,
    pub justification: String,
    pub in_place_of: String,
    pub decided_at: i64,
}

pub struct NewDecision<'a> {
    pub request_id: i64,
    pub stage: i64,
    pub approver: i64,
    pub outcome: &'a str,
    pub justification: &'a str,
    /// The approvers an admin decided in place of (names), or empty.
    pub in_place_of: &'a str,
}

/// One approver's decision at one stage; a second by the same approver is a `Conflict`.
pub async fn insert_decision(tx: &mut Tx, decision: &NewDecision<'_>, now: Timestamp) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO decisions
            (request_id, stage, approver_account_id, outcome, justification, in_place_of, decided_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(decision.request_id)
    .bind(decision.stage)
    .bind(decision.approver)
    .bind(decision.outcome)
    .bind(decision.justification)
    .bind(decision.in_place_of)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn list_decisions<'e>(db: impl AnyExecutor<'e>, request_id: i64) -> StoreResult<Vec<DecisionRow>> {
    Ok(sqlx::query_as(
        "SELECT d.stage, d.approver_account_id, a.display_name AS approver_name, a.email AS approver_email,
                d.outcome, d.justification, d.in_place_of, d.decided_at
         FROM decisions d JOIN accounts a ON a.id = d.approver_account_id
         WHERE d.request_id = $1 ORDER BY d.stage, d.decided_at, d.id",
    )
    .bind(request_id)
    .fetch_all(db)
    .await?)
}
