//! The outbox worker: claims due messages, sends them, marks them sent, and retries failures
//! with growing pauses. A claim is a lease: if this instance dies mid-send, the message becomes
//! due again when the lease ends, and goes out with the same Message-ID.

use std::time::Duration;

use rules::clock::SharedClock;
use services::memberships::lifecycle::retry_delay;
use storage::outbox::{claim_due, mark_failed, mark_sent};
use storage::{Store, StoreError};

use super::StopSignal;
use crate::mailer::Mailer;

const BATCH: i64 = 20;
const IDLE_PAUSE: Duration = Duration::from_millis(500);

/// Sends what is due now; returns how many were handled (sent or failed).
/// A claim lasts `lease` seconds.
pub async fn deliver_due(
    store: &Store,
    mailer: &Mailer,
    clock: &SharedClock,
    lease: i64,
) -> Result<usize, StoreError> {
    let due = claim_due(store, clock.now(), lease, BATCH).await?;
    for message in &due {
        match mailer.send(message).await {
            Ok(()) => {
                // Marked at once, one by one: should this instance die, only the message in
                // flight goes again (with the same Message-ID), not the rest of the batch.
                mark_sent(store, message.id, clock.now()).await?;
                // Recipient and subject only: bodies carry private links.
                tracing::info!(to = %message.to_address, subject = %message.subject, "mail sent");
            }
            Err(error) => {
                let retry_at = clock.now() + retry_delay(message.attempts);
                tracing::warn!(to = %message.to_address, %error, attempts = message.attempts, "mail not sent; will retry");
                mark_failed(store, message.id, &error, retry_at).await?;
            }
        }
    }
    Ok(due.len())
}

pub async fn run(store: Store, mailer: Mailer, clock: SharedClock, lease: i64, mut stop: StopSignal) {
    while !stop.is_stopped() {
        match deliver_due(&store, &mailer, &clock, lease).await {
            Ok(handled) if handled as i64 == BATCH => continue,
            Ok(_) => stop.sleep(IDLE_PAUSE).await,
            Err(error) => {
                tracing::error!(%error, "outbox worker could not reach the database");
                stop.sleep(Duration::from_secs(5)).await;
            }
        }
    }
}
