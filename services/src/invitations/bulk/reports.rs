//! What the bulk pages show: a resource's recent batches, and one batch with its rows, each
//! with how many rows are in each state.

use storage::accounts::account::AccountRecord;
use storage::administration::resources::ResourceRecord;
use storage::invitations::bulk_invites::{
    row_counts, rows_of, sent_batches_of, BatchRecord, BulkRowRecord, RowCounts,
};
use storage::Store;

use super::managed_batch;
use crate::invitations::owner_tools::{managed_resource, Acting, OwnerError};

/// How many of a resource's batches its bulk page lists.
const RECENT_BATCHES: i64 = 20;

/// A batch as its page shows it: how many rows are in each state.
pub struct BatchInFull {
    pub batch: BatchRecord,
    pub counts: RowCounts,
}

/// The resource's recent batches (drafts left out), newest first, with their counts.
pub async fn recent_batches(
    store: &Store,
    account: &AccountRecord,
    resource_id: i64,
) -> Result<(ResourceRecord, Vec<BatchInFull>), OwnerError> {
    let resource = managed_resource(store, account, resource_id).await?;
    let mut batches = Vec::new();
    for batch in sent_batches_of(store.read(), resource.id, RECENT_BATCHES).await? {
        let counts = row_counts(store.read(), batch.id).await?;
        batches.push(BatchInFull { batch, counts });
    }
    Ok((resource, batches))
}

/// One batch of the resource with its counts and every row.
pub async fn batch_with_rows(
    store: &Store,
    acting: &Acting<'_>,
    resource_id: i64,
    batch_id: i64,
) -> Result<(ResourceRecord, BatchInFull, Vec<BulkRowRecord>), OwnerError> {
    let (resource, batch) = managed_batch(store, acting, resource_id, batch_id).await?;
    let counts = row_counts(store.read(), batch.id).await?;
    let rows = rows_of(store.read(), batch.id).await?;
    Ok((resource, BatchInFull { batch, counts }, rows))
}
