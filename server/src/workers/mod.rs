//! Background work that runs in every instance.

pub mod bulk;
pub mod lifecycle;
pub mod look;
pub mod outbox;
pub mod webhooks;

use tokio::sync::watch;

/// Tells workers to stop after the work in hand.
#[derive(Clone)]
pub struct StopSignal(watch::Receiver<bool>);

pub struct StopSender(watch::Sender<bool>);

pub fn stop_signal() -> (StopSender, StopSignal) {
    let (sender, receiver) = watch::channel(false);
    (StopSender(sender), StopSignal(receiver))
}

impl StopSender {
    pub fn stop(&self) {
        let _ = self.0.send(true);
    }
}

impl StopSignal {
    pub fn is_stopped(&self) -> bool {
        *self.0.borrow()
    }

    /// Waits `duration`, or less if asked to stop meanwhile.
    pub async fn sleep(&mut self, duration: std::time::Duration) {
        let _ = tokio::time::timeout(duration, self.0.wait_for(|stop| *stop)).await;
    }
}
