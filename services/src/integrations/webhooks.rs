//! Registering webhook endpoints and looking after their deliveries. Every change is audited.

use serde_json::json;

use crate::audit::record_event;
use crate::tokens::new_token;
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::error::FieldErrors;
use rules::integrations::webhook::{literal_host_check, EndpointInput};
use storage::accounts::account::AccountRecord;
use storage::administration::resources::{get_setting, put_setting};
use storage::integrations::webhooks::{
    attempts_since, delete_endpoint, find_endpoint, insert_endpoint, list_endpoints, recent_deliveries,
    redeliver as store_redeliver, set_enabled, AttemptRow, DeliveryRow, EndpointRow, NewEndpoint,
};
use storage::{commit, Store, StoreError};

/// The setting that lets deliveries go to loopback and private addresses (for tests and
/// receivers inside the same network).
pub const ALLOW_PRIVATE_KEY: &str = "webhooks.allow_private_targets";

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub async fn private_targets_allowed(store: &Store) -> Result<bool, StoreError> {
    Ok(get_setting(store.read(), ALLOW_PRIVATE_KEY).await?.as_deref() == Some("1"))
}

pub async fn allow_private_targets(
    store: &Store,
    actor: &Actor,
    allow: bool,
    now: i64,
) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    put_setting(&mut tx, ALLOW_PRIVATE_KEY, if allow { "1" } else { "0" }, now).await?;
    let event = AuditEvent::new(actor, actions::SETTINGS_CHANGED, now)
        .target("setting", ALLOW_PRIVATE_KEY, "webhook targets")
        .details(json!({ "allow_private_targets": allow }));
    record_event(&mut tx, &event).await?;
    commit(tx).await
}

/// Registers an endpoint with a new signing secret; returns its id.
pub async fn register(
    store: &Store,
    admin: &AccountRecord,
    actor: &Actor,
    input: &EndpointInput,
    now: i64,
) -> Result<i64, WebhookError> {
    let allow_private = private_targets_allowed(store).await?;
    let checked = input
        .check(|host| literal_host_check(host, allow_private))
        .map_err(WebhookError::Invalid)?;
    let secret = format!("whsec_{}", new_token().raw);
    let mut tx = store.begin().await?;
    let id = insert_endpoint(
        &mut tx,
        &NewEndpoint {
            url: &checked.url,
            secret: &secret,
            events: &checked.events,
            description: &checked.description,
            created_by: admin.id,
        },
        now,
    )
    .await?;
    let event = AuditEvent::new(actor, actions::WEBHOOK_CREATED, now)
        .target("webhook", id, &checked.url)
        .details(json!({ "events": checked.events }));
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    Ok(id)
}

/// `action`: "enable", "disable" or "delete".
pub async fn change(
    store: &Store,
    actor: &Actor,
    id: i64,
    action: &str,
    now: i64,
) -> Result<(), WebhookError> {
    let endpoint = find_endpoint(store.read(), id)
        .await?
        .ok_or(WebhookError::NotFound)?;
    let mut tx = store.begin().await?;
    let (done, audit) = match action {
        "enable" | "disable" => (
            set_enabled(&mut tx, id, action == "enable").await?,
            actions::WEBHOOK_UPDATED,
        ),
        "delete" => (delete_endpoint(&mut tx, id).await?, actions::WEBHOOK_DELETED),
        _ => return Err(WebhookError::NotFound),
    };
    if !done {
        return Err(WebhookError::NotFound);
    }
    let event = AuditEvent::new(actor, audit, now)
        .target("webhook", id, &endpoint.url)
        .details(json!({ "change": action }));
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    Ok(())
}

/// Queues a delivery again, to go out at once.
pub async fn redeliver(
    store: &Store,
    actor: &Actor,
    endpoint_id: i64,
    delivery_id: i64,
    now: i64,
) -> Result<(), WebhookError> {
    let endpoint = find_endpoint(store.read(), endpoint_id)
        .await?
        .ok_or(WebhookError::NotFound)?;
    let mut tx = store.begin().await?;
    if !store_redeliver(&mut tx, delivery_id, endpoint_id, now).await? {
        return Err(WebhookError::NotFound);
    }
    let event = AuditEvent::new(actor, actions::WEBHOOK_REDELIVERED, now)
        .target("webhook", endpoint_id, &endpoint.url)
        .details(json!({ "delivery_id": delivery_id }));
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    Ok(())
}

/// Every endpoint, for the admin's list.
pub async fn endpoints(store: &Store) -> Result<Vec<EndpointRow>, StoreError> {
    list_endpoints(store.read()).await
}

/// An endpoint with its most recent deliveries (`shown` of them, newest first) and their
/// attempts.
pub struct EndpointInFull {
    pub endpoint: EndpointRow,
    pub deliveries: Vec<DeliveryRow>,
    pub attempts: Vec<AttemptRow>,
}

pub async fn endpoint_in_full(
    store: &Store,
    id: i64,
    shown: i64,
) -> Result<Option<EndpointInFull>, StoreError> {
    let db = store.read();
    let Some(endpoint) = find_endpoint(db, id).await? else {
        return Ok(None);
    };
    let deliveries = recent_deliveries(db, endpoint.id, shown).await?;
    let oldest = deliveries.last().map_or(i64::MAX, |d| d.id);
    let attempts = attempts_since(db, endpoint.id, oldest).await?;
    Ok(Some(EndpointInFull {
        endpoint,
        deliveries,
        attempts,
    }))
}
