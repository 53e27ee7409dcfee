//! The outbox worker: claims due messages, sends them, marks them sent, and retries failures
//! with growing pauses. A claim is a lease: if this instance dies mid-send, the message becomes
//! due again when the lease ends, and goes out with the same Message-ID.

use std::time::Duration;

use app::domain::clock::SharedClock;
use app::store::outbox::{claim_due, mark_failed, mark_sent};
use app::store::{Store, StoreError};

use super::StopSignal;
use crate::mailer::Mailer;

const BATCH: i64 = 20;
const LEASE_SECONDS: i64 = 120;
const IDLE_PAUSE: Duration = Duration::from_millis(500);

/// Seconds before the next try after `attempts` failed ones: 30 s, 1 min, 2 min ... 1 hour.
pub fn retry_delay(attempts: i64) -> i64 {
    let doublings = u32::try_from(attempts.saturating_sub(1)).unwrap_or(0).min(7);
    (30i64 << doublings).min(3600)
}

/// Sends what is due now; returns how many were handled (sent or failed).
pub async fn deliver_due(store: &Store, mailer: &Mailer, clock: &SharedClock) -> Result<usize, StoreError> {
    let due = claim_due(store, clock.now(), LEASE_SECONDS, BATCH).await?;
    for message in &due {
        match mailer.send(message).await {
            Ok(()) => {
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

pub async fn run(store: Store, mailer: Mailer, clock: SharedClock, mut stop: StopSignal) {
    while !stop.is_stopped() {
        match deliver_due(&store, &mailer, &clock).await {
            Ok(handled) if handled as i64 == BATCH => continue,
            Ok(_) => stop.sleep(IDLE_PAUSE).await,
            Err(error) => {
                tracing::error!(%error, "outbox worker could not reach the database");
                stop.sleep(Duration::from_secs(5)).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::retry_delay;

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(retry_delay(1), 30);
        assert_eq!(retry_delay(2), 60);
        assert_eq!(retry_delay(5), 480);
        assert_eq!(retry_delay(20), 3600);
    }
}
