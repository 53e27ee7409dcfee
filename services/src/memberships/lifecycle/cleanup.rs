//! Removing what can no longer be used.

use rules::accounts::throttle::WINDOW_SECONDS;
use storage::memberships::lifecycle::{self, CleanedUp};
use storage::{commit, Store, StoreError};

/// How long a closed request's status link keeps working.
pub const STATUS_LINK_DAYS_AFTER_CLOSE: i64 = 90;
/// How long a checked bulk invite list waits for its owner to confirm it before it is discarded.
pub const BULK_DRAFT_HOURS: i64 = 24;

pub async fn clean_up(
    store: &Store,
    session_absolute_seconds: i64,
    now: i64,
) -> Result<CleanedUp, StoreError> {
    let mut tx = store.begin().await?;
    let cleaned = lifecycle::clean_up(
        &mut tx,
        now - session_absolute_seconds,
        now - WINDOW_SECONDS,
        now - STATUS_LINK_DAYS_AFTER_CLOSE * 86_400,
        now - BULK_DRAFT_HOURS * 3600,
        now,
    )
    .await?;
    commit(tx).await?;
    Ok(cleaned)
}
