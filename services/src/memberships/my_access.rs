//! "My access": what a partner holds and has asked for, and leaving a resource.

use crate::audit::record_event;
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::Clock;
use std::sync::Arc;
use storage::accounts::account::AccountRecord;
use storage::memberships::membership::end_membership;

use storage::memberships::my_access::{kept_my_access_rows, MyAccessRows};
use storage::{commit, Store, StoreError};

/// How many of the account's requests the page lists, newest first.
const REQUESTS_LISTED: i64 = 50;
/// How long after redeeming an invitation the page offers to continue to its app.
const CONTINUE_FOR_SECONDS: i64 = 3600;

/// What the account holds, the requests made with its email, and where an invitation it
/// redeemed in the last hour asked to send it on: one read, kept until the next commit.
pub async fn my_access(
    store: &Store,
    clock: &dyn Clock,
    account: &AccountRecord,
) -> Result<Arc<MyAccessRows>, StoreError> {
    let now = clock.now();
    kept_my_access_rows(
        store,
        account.id,
        &account.email,
        now,
        REQUESTS_LISTED,
        now - CONTINUE_FOR_SECONDS,
    )
    .await
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
