//! What admins do to resources: create, edit, archive; appoint and remove owners (inviting
//! new ones by email); set the default policy and per-resource policies. Each change is audited.

use serde_json::json;
use validator::Validate;

use crate::audit::record_event;
use crate::mail::{MailContext, Recipient};
use crate::tokens::new_token;
use rules::administration::resource::ResourceInput;
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::Clock;
use rules::email::normalise_email;
use rules::error::FieldErrors;
use rules::requests::policy::Policy;
use rules::validation::check_display_name;
use storage::accounts::account::{find_by_email, find_by_id as find_account, insert_account, NewAccount};
use storage::accounts::password_links::insert_password_link;
use storage::administration::resources::{
    add_owner, find_by_id, insert_resource, list_all, list_owners, put_setting, remove_owner, set_archived,
    set_policy, update_resource, OwnerRow, ResourceFields, ResourceRecord,
};
use storage::outbox::enqueue;
use storage::requests::policies::{default_policy, policy_json, DEFAULT_POLICY_KEY};
use storage::{commit, Store, StoreError};

/// How long a new owner's password link works.
pub const PASSWORD_LINK_SECONDS: i64 = 7 * 86_400;

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("no such resource")]
    NotFound,
    #[error("the form has errors")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn fields(input: &ResourceInput) -> ResourceFields<'_> {
    ResourceFields {
        slug: &input.slug,
        name: input.name.trim(),
        kind: &input.kind,
        description: input.description.trim(),
        is_requestable: input.is_requestable,
    }
}

fn check(input: &ResourceInput) -> Result<(), AdminError> {
    input
        .validate()
        .map_err(|r| AdminError::Invalid(FieldErrors::from_validation(&r)))
}

fn slug_taken() -> AdminError {
    AdminError::Invalid(FieldErrors::new().with("slug", "@another_resource_uses_address"))
}

pub async fn create_resource(
    store: &Store,
    clock: &dyn Clock,
    admin: &Actor,
    input: &ResourceInput,
) -> Result<i64, AdminError> {
    check(input)?;
    let now = clock.now();
    let mut tx = store.begin().await?;
    let id = match insert_resource(&mut tx, &fields(input), now).await {
        Err(StoreError::Conflict) => return Err(slug_taken()),
        other => other?,
    };
    let event = AuditEvent::new(admin, actions::RESOURCE_CREATED, now)
        .target("resource", id, input.name.trim())
        .resource(id)
        .details(json!({ "slug": input.slug, "kind": input.kind, "requestable": input.is_requestable }));
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    store.catalog_changed();
    Ok(id)
}

pub async fn edit_resource(
    store: &Store,
    clock: &dyn Clock,
    admin: &Actor,
    id: i64,
    input: &ResourceInput,
) -> Result<(), AdminError> {
    check(input)?;
    let now = clock.now();
    let mut tx = store.begin().await?;
    let before = find_by_id(&mut *tx, id).await?.ok_or(AdminError::NotFound)?;
    match update_resource(&mut tx, id, &fields(input), now).await {
        Err(StoreError::Conflict) => return Err(slug_taken()),
        other => other?,
    };
    let event = AuditEvent::new(admin, actions::RESOURCE_UPDATED, now)
        .target("resource", id, input.name.trim())
        .resource(id)
        .details(json!({
            "before": { "name": before.name, "slug": before.slug, "kind": before.kind, "requestable": before.is_requestable == 1 },
            "after": { "name": input.name.trim(), "slug": input.slug, "kind": input.kind, "requestable": input.is_requestable },
        }));
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    store.catalog_changed();
    Ok(())
}

pub async fn archive_resource(
    store: &Store,
    clock: &dyn Clock,
    admin: &Actor,
    id: i64,
    archive: bool,
) -> Result<(), AdminError> {
    let now = clock.now();
    let mut tx = store.begin().await?;
    let resource = find_by_id(&mut *tx, id).await?.ok_or(AdminError::NotFound)?;
    set_archived(&mut tx, id, archive.then_some(now), now).await?;
    let action = if archive {
        actions::RESOURCE_ARCHIVED
    } else {
        actions::RESOURCE_RESTORED
    };
    record_event(
        &mut tx,
        &AuditEvent::new(admin, action, now)
            .target("resource", id, &resource.name)
            .resource(id),
    )
    .await?;
    commit(tx).await?;
    store.catalog_changed();
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerAdded {
    /// An existing account now owns the resource.
    Appointed,
    /// A new staff account was created and emailed a link to set its password.
    Invited,
    /// The account owned it already.
    AlreadyOwner,
}

/// Who an admin names as a new owner.
pub struct NewOwner<'a> {
    pub email: &'a str,
    /// Used only when the person has no account yet.
    pub display_name: &'a str,
}

/// Makes the person with this email an owner; with no account yet, creates a staff account and
/// emails it a one-time link to set a password.
pub async fn add_owner_by_email(
    store: &Store,
    clock: &dyn Clock,
    mail: &MailContext,
    admin: &Actor,
    admin_name: &str,
    resource_id: i64,
    owner: &NewOwner<'_>,
) -> Result<OwnerAdded, AdminError> {
    let (email, display_name) = (owner.email, owner.display_name);
    let email = normalise_email(email).map_err(|m| {
        AdminError::Invalid(
            FieldErrors::new()
                .with("owner_email", m)
                .echo(&[("owner_email", email), ("owner_name", display_name)]),
        )
    })?;
    let now = clock.now();
    let mut tx = store.begin().await?;
    let resource = find_by_id(&mut *tx, resource_id)
        .await?
        .ok_or(AdminError::NotFound)?;
    let (account_id, outcome) = match find_by_email(&mut *tx, &email).await? {
        Some(account) if account.is_disabled() => {
            return Err(AdminError::Invalid(
                FieldErrors::new()
                    .with("owner_email", "@account_disabled")
                    .echo(&[("owner_email", &email)]),
            ));
        }
        Some(account) => (account.id, OwnerAdded::Appointed),
        None => {
            let name = display_name.trim();
            check_display_name(name).map_err(|m| {
                AdminError::Invalid(
                    FieldErrors::new()
                        .with("owner_name", m)
                        .echo(&[("owner_email", &email), ("owner_name", display_name)]),
                )
            })?;
            let new = NewAccount {
                email: &email,
                display_name: name,
                password_hash: None,
                is_admin: false,
                is_staff: true,
            };
            let id = insert_account(&mut tx, &new, now).await?;
            let token = new_token();
            insert_password_link(&mut tx, &token.hash, id, now + PASSWORD_LINK_SECONDS, now).await?;
            // A new account has no language yet: the portal's default.
            let message = mail.owner_welcome(
                Recipient::new(&email, ""),
                admin_name,
                &resource.name,
                &format!("/welcome/{}", token.raw),
            );
            enqueue(&mut tx, &message, now).await?;
            record_event(
                &mut tx,
                &AuditEvent::new(admin, actions::ACCOUNT_CREATED, now).target("account", id, &email),
            )
            .await?;
            (id, OwnerAdded::Invited)
        }
    };
    if !add_owner(&mut tx, resource_id, account_id, now).await? {
        return Ok(OwnerAdded::AlreadyOwner);
    }
    let event = AuditEvent::new(admin, actions::OWNER_ADDED, now)
        .target("account", account_id, &email)
        .resource(resource_id)
        .details(json!({ "resource": resource.name }));
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    store.reviews_changed();
    Ok(outcome)
}

pub async fn remove_resource_owner(
    store: &Store,
    clock: &dyn Clock,
    admin: &Actor,
    resource_id: i64,
    account_id: i64,
) -> Result<bool, AdminError> {
    let now = clock.now();
    let mut tx = store.begin().await?;
    let account = find_account(&mut *tx, account_id)
        .await?
        .ok_or(AdminError::NotFound)?;
    if !remove_owner(&mut tx, resource_id, account.id).await? {
        return Ok(false);
    }
    let event = AuditEvent::new(admin, actions::OWNER_REMOVED, now)
        .target("account", account.id, &account.email)
        .resource(resource_id);
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    store.reviews_changed();
    Ok(true)
}

/// Every resource, archived ones included, for the admin's list.
pub async fn all_resources(store: &Store) -> Result<Vec<ResourceRecord>, StoreError> {
    list_all(store.read()).await
}

/// One resource, archived or not.
pub async fn find_resource(store: &Store, id: i64) -> Result<Option<ResourceRecord>, StoreError> {
    find_by_id(store.read(), id).await
}

/// A resource and its current owners, for its admin page.
pub async fn resource_with_owners(
    store: &Store,
    id: i64,
) -> Result<(ResourceRecord, Vec<OwnerRow>), AdminError> {
    let resource = find_by_id(store.read(), id).await?.ok_or(AdminError::NotFound)?;
    let owners = list_owners(store.read(), id).await?;
    Ok((resource, owners))
}

/// Which policy an admin edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyTarget {
    Default,
    Resource(i64),
}

/// Saves a policy (already checked by the form); `None` for a resource returns it to the default.
pub async fn save_policy(
    store: &Store,
    clock: &dyn Clock,
    admin: &Actor,
    target: PolicyTarget,
    policy: Option<&Policy>,
) -> Result<(), AdminError> {
    let now = clock.now();
    let json = policy.map(policy_json);
    let mut tx = store.begin().await?;
    let mut event = AuditEvent::new(admin, actions::POLICY_CHANGED, now);
    match target {
        PolicyTarget::Default => {
            let before = default_policy(&mut *tx).await?;
            let json = json.unwrap_or_else(|| policy_json(&Policy::default()));
            put_setting(&mut tx, DEFAULT_POLICY_KEY, &json, now).await?;
            event = event
                .target("policy", "default", "Default policy")
                .details(json!({ "before": before, "after": policy }));
        }
        PolicyTarget::Resource(id) => {
            let resource: ResourceRecord = find_by_id(&mut *tx, id).await?.ok_or(AdminError::NotFound)?;
            set_policy(&mut tx, id, json.as_deref(), now).await?;
            event = event
                .target("resource", id, &resource.name)
                .resource(id)
                .details(json!({ "uses_default": policy.is_none(), "after": policy }));
        }
    }
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    store.catalog_changed();
    Ok(())
}
