//! Where a second factor is required (rules::mfa::requirement), as the portal has it set: the
//! portal's choice by role, an admin's choice for one person, and a resource's policy.

use serde_json::json;

use crate::administration::look::LookCell;
use crate::audit::record_event;
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::Timestamp;
use rules::mfa::requirement::{second_factor_missing, Person, SecondFactorPolicy};
use storage::accounts::sign_ins::SignInRecord;
use storage::administration::resources::find_by_id;
use storage::mfa::requirement::{
    load_second_factor_policy, put_second_factor_policy, set_required_for_account,
};
use storage::requests::policies::effective_policy;
use storage::{commit, Store, StoreError, Tx};

/// Saves the portal's requirement (audited with what it was before); this instance follows at
/// once, the others within seconds.
pub async fn save_second_factor_policy(
    store: &Store,
    look: &LookCell,
    actor: &Actor,
    policy: SecondFactorPolicy,
    now: Timestamp,
) -> Result<(), StoreError> {
    let before = load_second_factor_policy(store.read()).await?;
    let mut tx = store.begin().await?;
    put_second_factor_policy(&mut tx, &policy, now).await?;
    let event = AuditEvent::new(actor, actions::SETTINGS_CHANGED, now)
        .target("settings", "second_factors", "second factors")
        .details(json!({ "from": before, "to": policy }));
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    look.set_second_factors(policy);
    Ok(())
}

/// An admin requires a second factor of one person, or stops requiring it (audited).
pub async fn require_of_account(
    store: &Store,
    actor: &Actor,
    account: &storage::accounts::account::AccountRecord,
    required: bool,
    now: Timestamp,
) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    set_required_for_account(&mut tx, account.id, required).await?;
    let action = if required {
        actions::SECOND_FACTOR_REQUIRED
    } else {
        actions::SECOND_FACTOR_NOT_REQUIRED
    };
    let event = AuditEvent::new(actor, action, now).target("account", account.id, &account.email);
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    store.sign_ins_changed();
    Ok(())
}

/// Whether the session of `sign_in` must still give a second factor before it goes anywhere.
pub fn portal_wants_second_factor(policy: &SecondFactorPolicy, sign_in: &SignInRecord) -> bool {
    let person = Person {
        is_admin: sign_in.account.is_admin(),
        is_staff: sign_in.account.is_staff(),
        required_by_admin: sign_in.second_factor_required,
    };
    second_factor_missing(policy.requires(person), sign_in.second_factor.as_deref())
}

/// Whether using the resource (deciding its requests, redeeming or opening it) asks for a
/// second factor: its policy (or the default one) says so.
pub async fn resource_requires_second_factor(store: &Store, resource_id: i64) -> Result<bool, StoreError> {
    // Most resources are in the catalog each instance keeps (fresh within two seconds of a
    // change made elsewhere, at once for one made here): no read for them on every sign-in.
    let catalog = store.catalog().await?;
    if let Some(resource) = catalog.resources.iter().find(|r| r.id == resource_id) {
        return Ok(catalog.policy_of(resource).require_mfa);
    }
    let Some(resource) = find_by_id(store.read(), resource_id).await? else {
        return Ok(false);
    };
    Ok(effective_policy(store.read(), &resource).await?.require_mfa)
}

/// [`resource_requires_second_factor`], inside the caller's transaction.
pub async fn asks_second_factor(tx: &mut Tx, resource_id: i64) -> Result<bool, StoreError> {
    let Some(resource) = find_by_id(&mut **tx, resource_id).await? else {
        return Ok(false);
    };
    Ok(effective_policy(&mut **tx, &resource).await?.require_mfa)
}
