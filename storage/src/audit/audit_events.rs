//! The append-only audit log. There is deliberately no update or delete here, and the
//! database refuses both (triggers in the migrations).

use sqlx::{AnyExecutor, FromRow};

use crate::conditions::Conditions;
use crate::{value_rows, StoreResult, Tx, ROWS_PER_STATEMENT};
use rules::audit::event::AuditEvent;
use rules::audit::filter::AuditFilter;

pub async fn insert_audit_event(tx: &mut Tx, event: &AuditEvent) -> StoreResult<()> {
    insert_audit_events(tx, std::slice::from_ref(event)).await
}

/// Inserts events in one statement. (Which of them webhooks hear of is a service's business:
/// services::audit records events and queues their webhook deliveries together.)
pub async fn insert_audit_events(tx: &mut Tx, events: &[AuditEvent]) -> StoreResult<()> {
    for chunk in events.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO audit_events
                (occurred_at, actor_account_id, actor, action, target_kind, target_id, target, resource_id, client_ip, details)
             VALUES {}",
            value_rows(chunk.len(), 10)
        );
        let mut query = sqlx::query(&sql);
        for event in chunk {
            query = query
                .bind(event.occurred_at)
                .bind(event.actor_account_id)
                .bind(&event.actor)
                .bind(event.action)
                .bind(&event.target_kind)
                .bind(&event.target_id)
                .bind(&event.target)
                .bind(event.resource_id)
                .bind(&event.client_ip)
                .bind(event.details.to_string());
        }
        query.execute(&mut **tx).await?;
    }
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
    pub resource_id: Option<i64>,
    pub client_ip: String,
    pub details: String,
}

const COLUMNS: &str =
    "id, occurred_at, actor_account_id, actor, action, target_kind, target_id, target, resource_id, client_ip, details";

/// One page of the log, newest first, matching `filter`, older than `before_id` if given.
/// Ordered by id (the order events were written), so the next page starts below the last id
/// seen: a keyset, as fast at page 500 as at page 1.
pub async fn search_audit_events<'e>(
    db: impl AnyExecutor<'e>,
    filter: &AuditFilter,
    before_id: Option<i64>,
    limit: i64,
) -> StoreResult<Vec<AuditRow>> {
    let mut conditions = Conditions::default();
    if let Some(actor) = &filter.actor {
        conditions.text("actor = ?", actor);
    }
    if let Some(action) = &filter.action {
        conditions.text("action = ?", action);
    }
    if let Some(target) = &filter.target {
        conditions.text("(target = ? OR target_id = ?)", target);
    }
    if let Some(resource_id) = filter.resource_id {
        conditions.number("resource_id = ?", resource_id);
    }
    if let Some(from) = filter.from {
        conditions.number("occurred_at >= ?", from);
    }
    if let Some(until) = filter.until {
        conditions.number("occurred_at < ?", until);
    }
    if let Some(before) = before_id {
        conditions.number("id < ?", before);
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_events {} ORDER BY id DESC LIMIT {}",
        conditions.clause(),
        conditions.next_placeholder()
    );
    let query = conditions.bind(sqlx::query_as::<_, AuditRow>(&sql));
    Ok(query.bind(limit).fetch_all(db).await?)
}

/// Every event about one target (say `access_request` 42), oldest first: its trail.
pub async fn events_about<'e>(
    db: impl AnyExecutor<'e>,
    target_kind: &str,
    target_id: i64,
    limit: i64,
) -> StoreResult<Vec<AuditRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM audit_events WHERE target_id = $1 AND target_kind = $2 ORDER BY id LIMIT $3"
    ))
    .bind(target_id.to_string())
    .bind(target_kind)
    .bind(limit)
    .fetch_all(db)
    .await?)
}
