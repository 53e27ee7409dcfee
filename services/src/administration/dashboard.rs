//! The portal at a glance: what waits for a decision, invitations pending and lapsing soon,
//! memberships ending soon, and requests and redemptions per day.

use rules::administration::dashboard::{
    fill_days, window_start, DayCounts, CHART_DAYS, DAY, ENDING_LISTED, ENDING_WITHIN_DAYS,
};
use storage::administration::admin_lists::EXPIRING_WITHIN;
use storage::administration::dashboard::{
    count_memberships_ending, memberships_ending_before, pending_invitations, pending_requests_by_resource,
    redemptions_per_day, requests_per_day, EndingMembership, PendingByResource,
};
use storage::{Store, StoreError};

pub struct Figures {
    pub pending_requests: Vec<PendingByResource>,
    pub invitations_pending: i64,
    pub invitations_expiring: i64,
    pub memberships_ending: i64,
    /// The memberships that end first within the window, soonest first.
    pub ending_soonest: Vec<EndingMembership>,
    /// One entry per day of the chart's window.
    pub days: Vec<DayCounts>,
}

pub async fn figures(store: &Store, now: i64) -> Result<Figures, StoreError> {
    let db = store.read();
    let (invitations_pending, invitations_expiring) = pending_invitations(db, now + EXPIRING_WITHIN).await?;
    let until = now + ENDING_WITHIN_DAYS * DAY;
    let start = window_start(now, CHART_DAYS);
    let requests = requests_per_day(db, start).await?;
    let redemptions = redemptions_per_day(db, start).await?;
    Ok(Figures {
        pending_requests: pending_requests_by_resource(db, now).await?,
        invitations_pending,
        invitations_expiring,
        memberships_ending: count_memberships_ending(db, until).await?,
        ending_soonest: memberships_ending_before(db, until, ENDING_LISTED).await?,
        days: fill_days(start, CHART_DAYS, &requests, &redemptions),
    })
}
