//! Recording audit events: each one is written to the append-only log, and those other apps may
//! hear about are queued for their webhooks, in the caller's transaction (so a change, its audit
//! event and its deliveries are saved together, or none of them). And reading the log back.

use std::collections::HashMap;

use rules::audit::event::{actions, Actor, AuditEvent};
use rules::audit::filter::AuditFilter;
use rules::integrations::webhook::webhook_notice;
use storage::administration::resources::list_all;
use storage::audit::audit_events::{insert_audit_events, search_audit_events, AuditRow};
use storage::integrations::webhooks::{enqueue_events, WebhookEvent};
use storage::{Store, StoreResult, Tx};

use crate::paging::page;

/// Records, in a transaction of its own, that `actor` reached for `what` and was refused.
pub async fn record_refusal(store: &Store, actor: &Actor, what: &str, now: i64) -> StoreResult<()> {
    let event = AuditEvent::new(actor, actions::ACCESS_REFUSED, now)
        .details(serde_json::json!({ "attempted": what }));
    let mut tx = store.begin().await?;
    record_event(&mut tx, &event).await?;
    storage::commit(tx).await
}

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

/// One page of the log, newest first: its events, the cursor of the next (older) page, and the
/// names of the resources they concern.
pub struct LogPage {
    pub events: Vec<AuditRow>,
    pub older: Option<i64>,
    pub resource_names: HashMap<i64, String>,
}

/// The events matching `filter` before the event `before`, `size` of them.
pub async fn log_page(
    store: &Store,
    filter: &AuditFilter,
    before: Option<i64>,
    size: i64,
) -> StoreResult<LogPage> {
    let db = store.read();
    // One more than a page tells whether an older page exists.
    let found = page(
        search_audit_events(db, filter, before, size + 1).await?,
        size,
        |e| e.id,
    );
    let (events, older) = (found.rows, found.next);
    let resource_names = list_all(db).await?.into_iter().map(|r| (r.id, r.name)).collect();
    Ok(LogPage {
        events,
        older,
        resource_names,
    })
}
