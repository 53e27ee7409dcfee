//! The provider's writes on its busiest paths, many at a time: the codes the authorization step
//! gives, and what the token endpoint grants. The writes waiting together go in one transaction
//! through the store's batch writer (storage/src/batch_writer.rs), as request submissions do: on
//! SQLite one turn of the one writer instead of one each, and fewer hand-offs to its thread.
//!
//! A grant spends a code or a refresh token (exactly one request can: the update only takes an
//! unspent one) and stores the next refresh token of its family, with the grant itself when a
//! code is exchanged.

use std::collections::HashSet;

use futures::future::BoxFuture;

use crate::audit::record_event;
use rules::audit::event::AuditEvent;
use rules::clock::Timestamp;
use rules::oidc::grants::REFRESH_SECONDS;
use storage::batch_writer::BatchWrite;
use storage::oidc::grant_writes::{insert_grants, insert_refresh_tokens, use_codes, use_refresh_tokens};
use storage::oidc::grants::{insert_code, CodeRow, GrantRow};
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
    /// False: another request spent the code or token first; nothing was written for it.
    type Answer = bool;

    fn write_all<'t>(tx: &'t mut Tx, items: &'t [Self]) -> BoxFuture<'t, StoreResult<Vec<bool>>> {
        Box::pin(write_grants(tx, items))
    }
}

/// Every grant of the batch in four statements at most: the codes spent, the refresh tokens
/// spent, the new grants, the next refresh tokens. A code or token named twice in one batch is
/// spent by its first request only.
async fn write_grants(tx: &mut Tx, items: &[GrantWrite]) -> StoreResult<Vec<bool>> {
    let Some(now) = items.iter().map(|item| item.now).max() else {
        return Ok(Vec::new());
    };
    let mut named = HashSet::new();
    let first: Vec<bool> = items.iter().map(|item| named.insert(item.spent_hash())).collect();
    let (mut codes, mut tokens) = (Vec::new(), Vec::new());
    for (item, _) in items.iter().zip(&first).filter(|(_, first)| **first) {
        match &item.spent {
            Spent::Code(hash, grant) => codes.push((hash.as_str(), grant.id.as_str())),
            Spent::Refresh(hash, _) => tokens.push(hash.as_str()),
        }
    }
    let mut spent = use_codes(tx, &codes, now).await?;
    spent.extend(use_refresh_tokens(tx, &tokens, now).await?);
    let answers: Vec<bool> = items
        .iter()
        .zip(&first)
        .map(|(item, first)| *first && spent.contains(item.spent_hash()))
        .collect();
    let granted = || {
        items
            .iter()
            .zip(&answers)
            .filter(|(_, ok)| **ok)
            .map(|(item, _)| item)
    };
    let grants: Vec<&GrantRow> = granted()
        .filter_map(|item| match &item.spent {
            Spent::Code(_, grant) => Some(grant),
            Spent::Refresh(..) => None,
        })
        .collect();
    insert_grants(tx, &grants).await?;
    let next: Vec<(&str, &str)> = granted()
        .map(|item| (item.next_refresh.as_str(), item.grant_id()))
        .collect();
    insert_refresh_tokens(tx, &next, now, now + REFRESH_SECONDS).await?;
    Ok(answers)
}

impl GrantWrite {
    fn spent_hash(&self) -> &str {
        match &self.spent {
            Spent::Code(hash, _) | Spent::Refresh(hash, _) => hash,
        }
    }

    fn grant_id(&self) -> &str {
        match &self.spent {
            Spent::Code(_, grant) => &grant.id,
            Spent::Refresh(_, grant_id) => grant_id,
        }
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
