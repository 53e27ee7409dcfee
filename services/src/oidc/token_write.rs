//! Storing what the token endpoint grants, many grants at a time.
//!
//! Each grant spends a code or a refresh token (exactly one request can: the update only takes
//! an unspent one) and stores the next refresh token of its family, with the grant itself when a
//! code is exchanged. The grants waiting together are written in one transaction through the
//! store's batch writer (storage/src/batch_writer.rs), as request submissions are: on SQLite,
//! one turn of the one writer instead of one each.

use futures::future::BoxFuture;

use rules::clock::Timestamp;
use rules::oidc::grants::REFRESH_SECONDS;
use storage::batch_writer::BatchWrite;
use storage::oidc::grants::{insert_grant, insert_refresh_token, use_code, use_refresh_token, GrantRow};
use storage::{StoreResult, Tx};

/// What a grant spends.
pub(super) enum Spent {
    /// A code (its hash), exchanged for a new grant.
    Code(String, GrantRow),
    /// A refresh token (its hash) of the grant named.
    Refresh(String, String),
}

/// One grant's write, decided before the write begins.
pub(super) struct GrantWrite {
    pub spent: Spent,
    /// The hash of the family's next refresh token.
    pub next_refresh: String,
    pub now: Timestamp,
}

impl BatchWrite for GrantWrite {
    /// False: another request spent the code or token first; nothing was written.
    type Answer = bool;

    fn write_all<'t>(tx: &'t mut Tx, items: &'t [Self]) -> BoxFuture<'t, StoreResult<Vec<bool>>> {
        Box::pin(async move {
            let mut answers = Vec::with_capacity(items.len());
            for item in items {
                answers.push(item.write(tx).await?);
            }
            Ok(answers)
        })
    }
}

impl GrantWrite {
    async fn write(&self, tx: &mut Tx) -> StoreResult<bool> {
        let now = self.now;
        let grant_id = match &self.spent {
            Spent::Code(hash, grant) => {
                if !use_code(tx, hash, &grant.id, now).await? {
                    return Ok(false);
                }
                insert_grant(tx, grant).await?;
                &grant.id
            }
            Spent::Refresh(hash, grant_id) => {
                if !use_refresh_token(tx, hash, now).await? {
                    return Ok(false);
                }
                grant_id
            }
        };
        insert_refresh_token(tx, &self.next_refresh, grant_id, now, now + REFRESH_SECONDS).await?;
        Ok(true)
    }
}
