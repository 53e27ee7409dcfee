//! The outside identities linked to an account: listed on the account pages, unlinked by an
//! admin (the partner then links again at their next sign-in through the provider, by address).

use serde_json::json;

use super::ProviderError;
use crate::audit::record_event;
use rules::audit::event::{actions, Actor, AuditEvent};
use storage::accounts::account::{find_by_id, AccountRecord};
use storage::federation::identities::{delete_link, links_of_account, LinkedIdentity};
use storage::{commit, Store, StoreError};

pub async fn linked_identities(store: &Store, account_id: i64) -> Result<Vec<LinkedIdentity>, StoreError> {
    links_of_account(store.read(), account_id).await
}

/// The account and its links, for the admin's page.
pub async fn account_with_identities(
    store: &Store,
    account_id: i64,
) -> Result<(AccountRecord, Vec<LinkedIdentity>), ProviderError> {
    let account = find_by_id(store.read(), account_id)
        .await?
        .ok_or(ProviderError::NotFound)?;
    Ok((account, links_of_account(store.read(), account_id).await?))
}

pub async fn unlink_identity(
    store: &Store,
    actor: &Actor,
    account_id: i64,
    link_id: i64,
    now: i64,
) -> Result<(), ProviderError> {
    let account = find_by_id(store.read(), account_id)
        .await?
        .ok_or(ProviderError::NotFound)?;
    let mut tx = store.begin().await?;
    let link = delete_link(&mut tx, account_id, link_id)
        .await?
        .ok_or(ProviderError::NotFound)?;
    let event = AuditEvent::new(actor, actions::IDENTITY_UNLINKED, now)
        .target("account", account.id, &account.email)
        .details(json!({ "issuer": link.issuer, "subject": link.subject }));
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    Ok(())
}
