//! The bulk invite worker: turns queued rows of confirmed batches into invitations, a few at a
//! time, in every instance. Rows are taken with a conditional update inside each row's
//! transaction, so instances working side by side never invite a row twice.

use std::time::Duration;

use app::state::AppState;
use services::invitations::bulk::process_queued;

use super::StopSignal;

/// Rows per round; a round ends with the batches that ran dry marked done.
const ROUND: i64 = 25;
const IDLE_PAUSE: Duration = Duration::from_millis(500);

pub async fn run(state: AppState, mut stop: StopSignal) {
    while !stop.is_stopped() {
        // The branding as it is now, for this round's emails.
        let mail = state.look.mail(&state.settings);
        match process_queued(&state.store, &mail, state.clock.now(), ROUND).await {
            Ok(handled) if handled > 0 => continue,
            Ok(_) => stop.sleep(IDLE_PAUSE).await,
            Err(error) => {
                tracing::error!(%error, "bulk invite worker could not reach the database");
                stop.sleep(Duration::from_secs(5)).await;
            }
        }
    }
}
