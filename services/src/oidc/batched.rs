//! The provider's writes on its busiest paths, many at a time: the codes the authorization step
//! gives, and what the token endpoint grants. The writes waiting together go in one transaction
//! through the store's batch writer (storage/src/batch_writer.rs), as request submissions do: on
//! SQLite one turn of the one writer instead of one each, and fewer hand-offs to its thread.
//!
//! A grant spends a code or a refresh token (exactly one request can: the update only takes an
//! unspent one) and stores the next refresh token of its family, with the grant itself when a
//! code is exchanged.

use futures::future::BoxFuture;

use crate::audit::record_event;
use rules::audit::event::AuditEvent;
use rules::clock::Timestamp;
use rules::oidc::grants::REFRESH_SECONDS;
use storage::batch_writer::BatchWrite;
use storage::oidc::grants::{
    insert_code, insert_grant, insert_refresh_token, use_code, use_refresh_token, CodeRow, GrantRow,
};
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

/// A code the authorization step gives, with the audit event of a sign-in's first code for the
/// app.
pub(super) struct CodeWrite {
    pub code: CodeRow,
    pub first_sign_in: Option<AuditEvent>,
}

impl BatchWrite for CodeWrite {
    type Answer = ();

    fn write_all<'t>(tx: &'t mut Tx, items: &'t [Self]) -> BoxFuture<'t, StoreResult<Vec<()>>> {
        Box::pin(async move {
            for item in items {
                insert_code(tx, &item.code).await?;
                if let Some(event) = &item.first_sign_in {
                    record_event(tx, event).await?;
                }
            }
            Ok(vec![(); items.len()])
        })
    }
}
