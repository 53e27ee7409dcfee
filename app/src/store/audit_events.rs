//! The append-only audit log. There is deliberately no update or delete here, and the
//! database refuses both (triggers in the migrations).

use sqlx::{AnyExecutor, FromRow};

use super::{StoreResult, Tx};
use crate::domain::audit::AuditEvent;
use crate::domain::audit_filter::AuditFilter;

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
    // Only the filters in use become conditions, so each query can use its own index.
    let mut conditions: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    // Every `?` of a condition stands for its one value.
    let mut add = |template: &str, value: Value| {
        values.push(value);
        conditions.push(template.replace('?', &format!("${}", values.len())));
    };
    if let Some(actor) = &filter.actor {
        add("actor = ?", Value::Text(actor.clone()));
    }
    if let Some(action) = &filter.action {
        add("action = ?", Value::Text(action.clone()));
    }
    if let Some(target) = &filter.target {
        add("(target = ? OR target_id = ?)", Value::Text(target.clone()));
    }
    if let Some(resource_id) = filter.resource_id {
        add("resource_id = ?", Value::Number(resource_id));
    }
    if let Some(from) = filter.from {
        add("occurred_at >= ?", Value::Number(from));
    }
    if let Some(until) = filter.until {
        add("occurred_at < ?", Value::Number(until));
    }
    if let Some(before) = before_id {
        add("id < ?", Value::Number(before));
    }
    let clause = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_events {clause} ORDER BY id DESC LIMIT ${}",
        values.len() + 1
    );
    let mut query = sqlx::query_as::<_, AuditRow>(&sql);
    for value in values {
        query = match value {
            Value::Text(text) => query.bind(text),
            Value::Number(number) => query.bind(number),
        };
    }
    Ok(query.bind(limit).fetch_all(db).await?)
}

enum Value {
    Text(String),
    Number(i64),
}
