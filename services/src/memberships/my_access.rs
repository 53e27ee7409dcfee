//! "My access": what a partner holds and has asked for, and leaving a resource.

use crate::audit::record_event;
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::Clock;
use storage::accounts::account::AccountRecord;
use storage::invitations::invitation::recent_redirect;
use storage::memberships::membership::{end_membership, held_by, HeldResource};
use storage::requests::access_requests::{list_for_email, AccessRequestRecord};
use storage::{commit, Store, StoreError};

pub struct MyAccess {
    pub held: Vec<HeldResource>,
    /// Requests made with the account's email, newest first.
    pub requests: Vec<(AccessRequestRecord, String)>,
    /// Where an invitation accepted within the last hour asked to send the partner on (the
    /// app's name and address), if one did.
    pub continue_to: Option<(String, String)>,
}

pub async fn my_access(
    store: &Store,
    clock: &dyn Clock,
    account: &AccountRecord,
) -> Result<MyAccess, StoreError> {
    let held = held_by(store.read(), account.id, clock.now()).await?;
    let requests = list_for_email(store.read(), &account.email, 50)
        .await?
        .into_iter()
        .map(|named| (named.request, named.resource_name))
        .collect();
    let continue_to = recent_redirect(store.read(), account.id, clock.now() - 3600).await?;
    Ok(MyAccess {
        held,
        requests,
        continue_to,
    })
}

/// Ends one of the account's memberships at its own wish. False when it held no such thing.
pub async fn leave_resource(
    store: &Store,
    clock: &dyn Clock,
    account: &AccountRecord,
    membership_id: i64,
    client_ip: &str,
) -> Result<bool, StoreError> {
    let now = clock.now();
    let mut tx = store.begin().await?;
    let Some(resource_id) = end_membership(&mut tx, membership_id, account.id, "left", now).await? else {
        return Ok(false);
    };
    let actor = Actor::account(account.id, &account.email, client_ip);
    let event = AuditEvent::new(&actor, actions::MEMBERSHIP_LEFT, now)
        .target("membership", membership_id, &account.email)
        .resource(resource_id);
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    Ok(true)
}
