//! The append-only audit log. There is deliberately no update or delete here, and the
//! database refuses both (triggers in the migrations).

use sqlx::{AnyExecutor, FromRow};

use super::{StoreResult, Tx};
use crate::domain::audit::AuditEvent;

pub async fn insert_audit_event(tx: &mut Tx, event: &AuditEvent) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit_events
            (occurred_at, actor_account_id, actor, action, target_kind, target_id, target, resource_id, client_ip, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(event.occurred_at)
    .bind(event.actor_account_id)
    .bind(&event.actor)
    .bind(event.action)
    .bind(&event.target_kind)
    .bind(&event.target_id)
    .bind(&event.target)
    .bind(event.resource_id)
    .bind(&event.client_ip)
    .bind(event.details.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub occurred_at: i64,
    pub actor_account_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub target_kind: String,
    pub target_id: String,
    pub target: String,
    pub client_ip: String,
    pub details: String,
}

/// The newest events first (the admin audit page builds on this).
pub async fn latest_audit_events<'e>(db: impl AnyExecutor<'e>, limit: i64) -> StoreResult<Vec<AuditRow>> {
    Ok(sqlx::query_as(
        "SELECT id, occurred_at, actor_account_id, actor, action, target_kind, target_id, target, client_ip, details
         FROM audit_events ORDER BY occurred_at DESC, id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?)
}
