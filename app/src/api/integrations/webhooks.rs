//! Admin: webhook endpoints, their delivery log, and redelivering.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::error::AppError;
use rules::integrations::webhook::EndpointInput;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointView {
    pub id: i64,
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
    pub enabled: bool,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhooksView {
    pub endpoints: Vec<EndpointView>,
    pub allow_private: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptView {
    pub at: i64,
    pub status_code: Option<i64>,
    pub latency_ms: i64,
    pub error: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    pub id: i64,
    pub event: String,
    pub payload: String,
    pub created_at: i64,
    /// pending, delivered or failed.
    pub state: String,
    pub next_attempt_at: i64,
    pub attempts: Vec<AttemptView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointDetail {
    pub endpoint: EndpointView,
    pub secret: String,
    pub deliveries: Vec<DeliveryView>,
}

/// The latest deliveries an endpoint's page shows.
pub const DELIVERIES_SHOWN: i64 = 50;

#[cfg(feature = "ssr")]
fn endpoint_view(row: storage::integrations::webhooks::EndpointRow) -> EndpointView {
    EndpointView {
        id: row.id,
        url: row.url,
        description: row.description,
        events: row
            .events
            .split(',')
            .filter(|e| !e.is_empty())
            .map(str::to_string)
            .collect(),
        enabled: row.enabled != 0,
        created_at: row.created_at,
    }
}

#[cfg(feature = "ssr")]
fn webhook_error(error: services::integrations::webhooks::WebhookError, typed: &[(&str, &str)]) -> AppError {
    use services::integrations::webhooks::WebhookError;
    match error {
        WebhookError::Invalid(errors) => AppError::Invalid(errors.prefixed("endpoint").echo(typed)),
        WebhookError::NotFound => AppError::NotFound,
        WebhookError::Store(error) => crate::api::session::internal(error),
    }
}

#[server(prefix = "/api", endpoint = "admin_webhooks")]
pub async fn admin_webhooks() -> Result<WebhooksView, AppError> {
    use crate::api::session::require_admin;
    use services::integrations::webhooks::{endpoints, private_targets_allowed};
    let (state, _, _) = require_admin().await?;
    let endpoints = endpoints(&state.store).await?;
    Ok(WebhooksView {
        endpoints: endpoints.into_iter().map(endpoint_view).collect(),
        allow_private: private_targets_allowed(&state.store).await?,
    })
}

#[server(prefix = "/api", endpoint = "create_webhook")]
pub async fn create_webhook(endpoint: EndpointInput) -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::require_admin;
    use services::integrations::webhooks::register;
    let (state, _, admin) = require_admin().await?;
    let typed = [
        ("endpoint[url]", endpoint.url.as_str()),
        ("endpoint[description]", endpoint.description.as_str()),
    ];
    let id = register(
        &state.store,
        &admin,
        &admin_actor(&admin),
        &endpoint,
        state.clock.now(),
    )
    .await
    .map_err(|e| webhook_error(e, &typed))?;
    leptos_axum::redirect(&format!("/admin/webhooks/{id}?made=1"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "set_webhook_targets")]
pub async fn set_webhook_targets(#[server(default)] allow_private: Option<String>) -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::require_admin;
    use services::integrations::webhooks::allow_private_targets;
    let (state, _, admin) = require_admin().await?;
    allow_private_targets(
        &state.store,
        &admin_actor(&admin),
        allow_private.is_some(),
        state.clock.now(),
    )
    .await?;
    leptos_axum::redirect("/admin/webhooks?targets=saved");
    Ok(())
}

#[server(prefix = "/api", endpoint = "webhook_detail")]
pub async fn webhook_detail(endpoint_id: i64) -> Result<EndpointDetail, AppError> {
    use crate::api::session::require_admin;
    use services::integrations::webhooks::endpoint_in_full;
    let (state, _, _) = require_admin().await?;
    let found = endpoint_in_full(&state.store, endpoint_id, DELIVERIES_SHOWN)
        .await?
        .ok_or(AppError::NotFound)?;
    let (endpoint, deliveries, attempts) = (found.endpoint, found.deliveries, found.attempts);
    let secret = endpoint.secret.clone();
    Ok(EndpointDetail {
        endpoint: endpoint_view(endpoint),
        secret,
        deliveries: deliveries
            .into_iter()
            .map(|d| DeliveryView {
                attempts: attempts
                    .iter()
                    .filter(|a| a.delivery_id == d.id)
                    .map(|a| AttemptView {
                        at: a.attempted_at,
                        status_code: a.status_code,
                        latency_ms: a.latency_ms,
                        error: a.error.clone(),
                    })
                    .collect(),
                id: d.id,
                event: d.event,
                payload: d.payload,
                created_at: d.created_at,
                state: d.state,
                next_attempt_at: d.next_attempt_at,
            })
            .collect(),
    })
}

/// `action`: "enable", "disable" or "delete".
#[server(prefix = "/api", endpoint = "webhook_action")]
pub async fn webhook_action(endpoint_id: i64, action: String) -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::require_admin;
    use services::integrations::webhooks::change;
    let (state, _, admin) = require_admin().await?;
    change(
        &state.store,
        &admin_actor(&admin),
        endpoint_id,
        &action,
        state.clock.now(),
    )
    .await
    .map_err(|e| webhook_error(e, &[]))?;
    if action == "delete" {
        leptos_axum::redirect("/admin/webhooks?deleted=1");
    } else {
        leptos_axum::redirect(&format!("/admin/webhooks/{endpoint_id}?changed={action}"));
    }
    Ok(())
}

#[server(prefix = "/api", endpoint = "redeliver_webhook")]
pub async fn redeliver_webhook(endpoint_id: i64, delivery_id: i64) -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::require_admin;
    use services::integrations::webhooks::redeliver;
    let (state, _, admin) = require_admin().await?;
    redeliver(
        &state.store,
        &admin_actor(&admin),
        endpoint_id,
        delivery_id,
        state.clock.now(),
    )
    .await
    .map_err(|e| webhook_error(e, &[]))?;
    leptos_axum::redirect(&format!(
        "/admin/webhooks/{endpoint_id}?redelivered={delivery_id}"
    ));
    Ok(())
}
