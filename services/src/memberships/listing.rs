//! Who holds what, for apps that ask through the API: live memberships a page at a time, and
//! whether one person holds one resource now.

use storage::administration::resources::find_by_id;
use storage::memberships::membership::{live_membership_of, live_memberships, MembershipRow};
use storage::{Store, StoreError};

use crate::paging::{page, Page};

/// Live memberships, of one resource or one account or all, by id after `after`.
pub async fn memberships(
    store: &Store,
    resource_id: Option<i64>,
    account_id: Option<i64>,
    after: Option<i64>,
    size: i64,
    now: i64,
) -> Result<Page<MembershipRow>, StoreError> {
    let rows = live_memberships(store.read(), resource_id, account_id, after, size + 1, now).await?;
    Ok(page(rows, size, |m| m.id))
}

/// Whether an email holds a resource now.
pub enum Holding {
    NoSuchResource,
    Holds(MembershipRow),
    DoesNotHold,
}

pub async fn holding(store: &Store, email: &str, resource_id: i64, now: i64) -> Result<Holding, StoreError> {
    let db = store.read();
    if find_by_id(db, resource_id).await?.is_none() {
        return Ok(Holding::NoSuchResource);
    }
    Ok(match live_membership_of(db, email, resource_id, now).await? {
        Some(membership) => Holding::Holds(membership),
        None => Holding::DoesNotHold,
    })
}
