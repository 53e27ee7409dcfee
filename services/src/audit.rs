//! Recording audit events: each one is written to the append-only log, and those other apps may
//! hear about are queued for their webhooks, in the caller's transaction (so a change, its audit
//! event and its deliveries are saved together, or none of them).

use rules::audit::event::AuditEvent;
use rules::integrations::webhook::webhook_notice;
use storage::audit::audit_events::insert_audit_events;
use storage::integrations::webhooks::{enqueue_events, WebhookEvent};
use storage::{StoreResult, Tx};

pub async fn record_event(tx: &mut Tx, event: &AuditEvent) -> StoreResult<()> {
    record_events(tx, std::slice::from_ref(event)).await
}

pub async fn record_events(tx: &mut Tx, events: &[AuditEvent]) -> StoreResult<()> {
    insert_audit_events(tx, events).await?;
    let notices: Vec<WebhookEvent> = events
        .iter()
        .filter_map(|event| {
            webhook_notice(event).map(|(name, payload)| WebhookEvent {
                event: name,
                payload: payload.to_string(),
                at: event.occurred_at,
            })
        })
        .collect();
    if !notices.is_empty() {
        enqueue_events(tx, &notices).await?;
    }
    Ok(())
}
