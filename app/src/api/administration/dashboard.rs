//! Admin: the portal at a glance.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::administration::dashboard::DayCounts;
use rules::error::AppError;

/// The chart's window, in days, ending today.
pub const CHART_DAYS: i64 = 30;
/// Memberships ending within this many days are listed.
pub const ENDING_WITHIN_DAYS: i64 = 14;
#[cfg(feature = "ssr")]
const ENDING_LISTED: i64 = 10;

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
    use rules::administration::dashboard::{fill_days, window_start, DAY};
    use storage::administration::admin_lists::EXPIRING_WITHIN;
    use storage::administration::dashboard::*;
    let (state, _, _) = require_admin().await?;
    let db = state.store.read();
    let now = state.clock.now();
    let pending = pending_requests_by_resource(db, now).await?;
    let (invitations_pending, invitations_expiring) = pending_invitations(db, now + EXPIRING_WITHIN).await?;
    let until = now + ENDING_WITHIN_DAYS * DAY;
    let memberships_ending = count_memberships_ending(db, until).await?;
    let ending = memberships_ending_before(db, until, ENDING_LISTED).await?;
    let start = window_start(now, CHART_DAYS);
    let requests = requests_per_day(db, start).await?;
    let redemptions = redemptions_per_day(db, start).await?;
    Ok(Dashboard {
        now,
        pending_requests: pending
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
        invitations_pending,
        invitations_expiring,
        memberships_ending,
        ending_soonest: ending
            .into_iter()
            .map(|m| EndingRow {
                email: m.email,
                display_name: m.display_name,
                resource_id: m.resource_id,
                resource_name: m.resource_name,
                expires_at: m.expires_at,
            })
            .collect(),
        days: fill_days(start, CHART_DAYS, &requests, &redemptions),
    })
}
