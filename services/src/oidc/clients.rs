//! Registering an app resource's app with the provider: its addresses, whether it keeps a secret,
//! and what it may learn. Admins register apps, and so do an app's owners when the admins allow
//! it. A secret is shown once, to the person who made it; only its hash is kept.

use serde_json::json;

use crate::audit::record_event;
use crate::invitations::owner_tools::{managed_resource, OwnerError};
use crate::tokens::{hash_token, new_token};
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::Timestamp;
use rules::error::FieldErrors;
use rules::oidc::clients::ClientForm;
use storage::accounts::account::AccountRecord;
use storage::administration::resources::ResourceRecord;
use storage::oidc::clients::{
    client_of_resource, insert_client, kept_client, owners_may_register, put_owners_may_register, set_secret,
    update_client, ClientRow,
};
use storage::{commit, Store, StoreError, Tx};

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// No such app resource (a group cannot sign anyone in).
    #[error("not found")]
    NotFound,
    /// Neither an admin nor, where admins allow it, one of the app's owners.
    #[error("not allowed")]
    NotAllowed,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What saving gives back: the client id, and the secret when one was made (shown once).
#[derive(Debug, Clone)]
pub struct SavedClient {
    pub client_id: String,
    pub secret: Option<String>,
}

/// Who registers: the account (what it may do) and how the audit log names it.
pub type Registrar<'a> = (&'a AccountRecord, &'a Actor);

/// The resource whose app `account` may register: any, for an admin; their own, for an owner
/// when the admins allow owners to.
pub async fn registrable_resource(
    store: &Store,
    account: &AccountRecord,
    resource_id: i64,
) -> Result<ResourceRecord, ClientError> {
    if !registers_apps(store, account).await? {
        return Err(ClientError::NotAllowed);
    }
    managed_resource(store, account, resource_id)
        .await
        .map_err(|error| match error {
            OwnerError::NotFound => ClientError::NotFound,
            OwnerError::Store(error) => ClientError::Store(error),
            _ => ClientError::NotAllowed,
        })
}

/// Whether `account` registers the apps it manages: an admin always, an owner when the admins
/// allow owners to.
pub async fn registers_apps(store: &Store, account: &AccountRecord) -> Result<bool, StoreError> {
    Ok(account.is_admin() || owners_may_register(store.read()).await?)
}

/// Whether owners may register their apps.
pub async fn owners_register(store: &Store) -> Result<bool, StoreError> {
    owners_may_register(store.read()).await
}

/// An admin lets owners register their apps, or stops them (what is registered stays).
pub async fn let_owners_register(
    store: &Store,
    admin: &Actor,
    allowed: bool,
    now: Timestamp,
) -> Result<(), StoreError> {
    let before = owners_may_register(store.read()).await?;
    let mut tx = store.begin().await?;
    put_owners_may_register(&mut tx, allowed, now).await?;
    let event = AuditEvent::new(admin, actions::SETTINGS_CHANGED, now)
        .target("settings", "owners_register_apps", "owners register apps")
        .details(json!({ "from": before, "to": allowed }));
    record_event(&mut tx, &event).await?;
    commit(tx).await
}

/// A new client id: 128 random bits, URL-safe.
fn new_client_id() -> String {
    new_token().raw.chars().take(22).collect()
}

async fn audit_client(
    tx: &mut Tx,
    actor: &Actor,
    action: &'static str,
    row: (&str, i64, &str),
    now: Timestamp,
) -> Result<(), StoreError> {
    let (client_id, resource_id, name) = row;
    let event = AuditEvent::new(actor, action, now)
        .target("app", client_id, name)
        .resource(resource_id)
        .details(json!({ "client_id": client_id }));
    record_event(tx, &event).await
}

/// Registers the app of `resource_id`, or saves changes to it. A client that becomes
/// confidential gets a secret; one that becomes public loses it.
pub async fn save_client(
    store: &Store,
    (account, actor): Registrar<'_>,
    resource_id: i64,
    form: &ClientForm,
    now: Timestamp,
) -> Result<SavedClient, ClientError> {
    let resource = registrable_resource(store, account, resource_id).await?;
    if resource.kind != "app" {
        return Err(ClientError::NotFound);
    }
    let settings = form.check().map_err(ClientError::Invalid)?;
    let existing = client_of_resource(store.read(), resource_id).await?;
    let secret = settings.confidential.then(new_token);
    let mut tx = store.begin().await?;
    let saved = match existing {
        None => {
            let client_id = new_client_id();
            let hash = secret.as_ref().map(|s| s.hash.as_str());
            insert_client(&mut tx, (&client_id, resource_id), &settings, hash, now).await?;
            SavedClient {
                client_id,
                secret: secret.map(|s| s.raw),
            }
        }
        Some(row) => {
            update_client(&mut tx, &row.client_id, &settings, now).await?;
            let kind_changed = row.is_confidential() != settings.confidential;
            if kind_changed {
                set_secret(
                    &mut tx,
                    &row.client_id,
                    secret.as_ref().map(|s| s.hash.as_str()),
                    now,
                )
                .await?;
            }
            let secret = if kind_changed { secret.map(|s| s.raw) } else { None };
            SavedClient {
                client_id: row.client_id,
                secret,
            }
        }
    };
    audit_client(
        &mut tx,
        actor,
        actions::OIDC_CLIENT_SAVED,
        (&saved.client_id, resource_id, &resource.name),
        now,
    )
    .await?;
    commit(tx).await?;
    store.clients().changed();
    Ok(saved)
}

/// A new secret for a confidential client; the old one stops working at once on this instance,
/// and within a second on the others (they keep a client for that long: storage/src/kept.rs).
pub async fn rotate_client_secret(
    store: &Store,
    (account, actor): Registrar<'_>,
    resource_id: i64,
    now: Timestamp,
) -> Result<String, ClientError> {
    registrable_resource(store, account, resource_id).await?;
    let row = client_of_resource(store.read(), resource_id)
        .await?
        .filter(ClientRow::is_confidential)
        .ok_or(ClientError::NotFound)?;
    let secret = new_token();
    let mut tx = store.begin().await?;
    set_secret(&mut tx, &row.client_id, Some(&secret.hash), now).await?;
    audit_client(
        &mut tx,
        actor,
        actions::OIDC_SECRET_ROTATED,
        (&row.client_id, resource_id, &row.resource_name),
        now,
    )
    .await?;
    commit(tx).await?;
    store.clients().changed();
    Ok(secret.raw)
}

/// The registration of the resource's app, if it has one.
pub async fn client_of(store: &Store, resource_id: i64) -> Result<Option<ClientRow>, StoreError> {
    client_of_resource(store.read(), resource_id).await
}

/// Whether `secret` is the client's (a hash of a 256-bit secret, compared in constant time).
pub fn secret_matches(row: &ClientRow, secret: &str) -> bool {
    use subtle::ConstantTimeEq;
    row.secret_hash
        .as_deref()
        .is_some_and(|hash| bool::from(hash.as_bytes().ct_eq(hash_token(secret).as_bytes())))
}

/// Where an app asked to send a person after signing out, if that address is registered for it
/// (with the app's `state` added); `None` otherwise.
pub async fn post_logout_target(
    store: &Store,
    client_id: &str,
    uri: &str,
    state: Option<&str>,
) -> Result<Option<String>, StoreError> {
    let client = kept_client(store, client_id).await?;
    if !client.is_some_and(|c| c.post_logout_uris().iter().any(|u| u == uri)) {
        return Ok(None);
    }
    Ok(Some(crate::oidc::authorize::back_to(uri, &[("state", state)])))
}
