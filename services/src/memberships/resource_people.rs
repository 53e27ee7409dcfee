//! The people of a resource as its owners see them: who holds it now and who is invited; and
//! the resources an account looks after.

use storage::accounts::account::AccountRecord;
use storage::administration::resources::{list_all, resources_owned_by, ResourceRecord};
use storage::memberships::resource_people::{members, pending_invitations, MemberRow, PendingInvitation};
use storage::{Store, StoreError};

use crate::invitations::owner_tools::{managed_resource, OwnerError};

/// At most this many members are listed (the search narrows them).
const MEMBERS_SHOWN: i64 = 500;

/// The resources an account looks after: all of them for an admin, else those it owns.
pub async fn resources_looked_after(
    store: &Store,
    account: &AccountRecord,
) -> Result<Vec<ResourceRecord>, StoreError> {
    if account.is_admin() {
        list_all(store.read()).await
    } else {
        resources_owned_by(store.read(), account.id).await
    }
}

pub struct PeopleOfResource {
    pub resource: ResourceRecord,
    /// Current members whose email or name contains the search, by email.
    pub members: Vec<MemberRow>,
    /// Invitations still waiting to be accepted, newest first.
    pub invitations: Vec<PendingInvitation>,
}

/// A resource's members and pending invitations, for one of its owners (or an admin).
pub async fn people_of(
    store: &Store,
    account: &AccountRecord,
    resource_id: i64,
    search: &str,
    now: i64,
) -> Result<PeopleOfResource, OwnerError> {
    let resource = managed_resource(store, account, resource_id).await?;
    let db = store.read();
    let members = members(db, resource.id, search, now, MEMBERS_SHOWN).await?;
    let invitations = pending_invitations(db, resource.id, now).await?;
    Ok(PeopleOfResource {
        resource,
        members,
        invitations,
    })
}
