//! Admin: the portal at a glance.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::administration::dashboard::DayCounts;
pub use rules::administration::dashboard::{CHART_DAYS, ENDING_WITHIN_DAYS};
use rules::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingRow {
    pub resource_id: i64,
    pub resource_name: String,
    pub pending: i64,
    pub newer_than_a_day: i64,
    pub older_than_a_week: i64,
    pub oldest_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndingRow {
    pub email: String,
    pub display_name: String,
    pub resource_id: i64,
    pub resource_name: String,
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub now: i64,
    pub pending_requests: Vec<PendingRow>,
    pub invitations_pending: i64,
    pub invitations_expiring: i64,
    pub memberships_ending: i64,
    pub ending_soonest: Vec<EndingRow>,
    pub days: Vec<DayCounts>,
}

#[server(prefix = "/api", endpoint = "admin_dashboard")]
pub async fn admin_dashboard() -> Result<Dashboard, AppError> {
    use crate::api::session::require_admin;
    use services::administration::dashboard::figures;
    let (state, _, _) = require_admin().await?;
    let now = state.clock.now();
    let figures = figures(&state.store, now).await?;
    Ok(Dashboard {
        now,
        pending_requests: figures
            .pending_requests
            .into_iter()
            .map(|p| PendingRow {
                resource_id: p.resource_id,
                resource_name: p.resource_name,
                pending: p.pending,
                newer_than_a_day: p.newer_than_a_day,
                older_than_a_week: p.older_than_a_week,
                oldest_at: p.oldest_at,
            })
            .collect(),
        invitations_pending: figures.invitations_pending,
        invitations_expiring: figures.invitations_expiring,
        memberships_ending: figures.memberships_ending,
        ending_soonest: figures
            .ending_soonest
            .into_iter()
            .map(|m| EndingRow {
                email: m.email,
                display_name: m.display_name,
                resource_id: m.resource_id,
                resource_name: m.resource_name,
                expires_at: m.expires_at,
            })
            .collect(),
        days: figures.days,
    })
}
