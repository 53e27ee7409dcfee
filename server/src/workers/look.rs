//! Keeps this instance's copy of the portal's look (name, colour, contact, logo) in step with
//! the database, where an admin on another instance may have changed it.

use std::time::Duration;

use app::state::AppState;

use super::StopSignal;

const EVERY: Duration = Duration::from_secs(5);

pub async fn run(state: AppState, configured_name: String, mut stop: StopSignal) {
    while !stop.is_stopped() {
        stop.sleep(EVERY).await;
        if let Err(error) = state.look.refresh(&state.store, &configured_name).await {
            tracing::warn!(%error, "could not read the portal's settings");
        }
    }
}
