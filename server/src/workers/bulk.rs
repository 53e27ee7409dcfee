//! The bulk invite worker: turns queued rows of confirmed batches into invitations, a few at a
//! time, in every instance. Rows are taken with a conditional update inside each row's
//! transaction, so instances working side by side never invite a row twice.

use std::sync::Arc;
use std::time::Duration;

use app::domain::bulk::process_queued;
use app::domain::clock::SharedClock;
use app::domain::mail::MailContext;
use app::state::PortalSettings;
use app::store::Store;

use super::StopSignal;

/// Rows per round; a round ends with the batches that ran dry marked done.
const ROUND: i64 = 25;
const IDLE_PAUSE: Duration = Duration::from_millis(500);

pub async fn run(store: Store, settings: Arc<PortalSettings>, clock: SharedClock, mut stop: StopSignal) {
    let mail = MailContext {
        portal_name: &settings.portal_name,
        public_url: &settings.public_url,
    };
    while !stop.is_stopped() {
        match process_queued(&store, &mail, clock.now(), ROUND).await {
            Ok(handled) if handled > 0 => continue,
            Ok(_) => stop.sleep(IDLE_PAUSE).await,
            Err(error) => {
                tracing::error!(%error, "bulk invite worker could not reach the database");
                stop.sleep(Duration::from_secs(5)).await;
            }
        }
    }
}
