//! Apps registered with the provider, one per app resource.

use sqlx::{AnyExecutor, FromRow};

use crate::administration::resources::{get_setting, put_setting};
use crate::{Store, StoreResult, Tx};
use rules::clock::Timestamp;
use rules::oidc::clients::ClientSettings;

#[derive(Debug, Clone, FromRow)]
pub struct ClientRow {
    pub client_id: String,
    pub resource_id: i64,
    pub secret_hash: Option<String>,
    pub redirect_uris: String,
    pub post_logout_uris: String,
    pub sign_in_url: String,
    pub first_party: i64,
    pub claims: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub secret_rotated_at: Option<Timestamp>,
    /// The app resource's name and slug, and whether it is archived.
    pub resource_name: String,
    pub resource_slug: String,
    pub archived_at: Option<Timestamp>,
}

impl ClientRow {
    pub fn redirect_uris(&self) -> Vec<String> {
        self.redirect_uris.lines().map(str::to_string).collect()
    }
    pub fn post_logout_uris(&self) -> Vec<String> {
        self.post_logout_uris.lines().map(str::to_string).collect()
    }
    pub fn claims(&self) -> Vec<String> {
        self.claims.split_whitespace().map(str::to_string).collect()
    }
    pub fn is_confidential(&self) -> bool {
        self.secret_hash.is_some()
    }
    pub fn is_first_party(&self) -> bool {
        self.first_party != 0
    }
}

const SELECT: &str = "SELECT c.client_id, c.resource_id, c.secret_hash, c.redirect_uris, c.post_logout_uris,
        c.sign_in_url, c.first_party, c.claims, c.created_at, c.updated_at, c.secret_rotated_at,
        r.name AS resource_name, r.slug AS resource_slug, r.archived_at
   FROM oidc_clients c JOIN resources r ON r.id = c.resource_id";

pub async fn client_by_id<'e>(db: impl AnyExecutor<'e>, client_id: &str) -> StoreResult<Option<ClientRow>> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE c.client_id = $1"))
        .bind(client_id)
        .fetch_optional(db)
        .await?)
}

/// The app `client_id` names, kept for a moment by each instance (storage/src/kept.rs): the
/// token endpoint and the authorization step read it for every request. A change through this
/// instance drops the copy at once (`Store::clients().changed()` after a client's commit,
/// `Store::catalog_changed` after a resource's); another instance's shows within a second.
pub async fn kept_client(store: &Store, client_id: &str) -> StoreResult<Option<ClientRow>> {
    if let Some(kept) = store.clients().get(client_id) {
        return Ok(Some(ClientRow::clone(&kept)));
    }
    let generation = store.clients().generation();
    let found = client_by_id(store.read(), client_id).await?;
    if let Some(row) = &found {
        store.clients().keep(client_id, row.clone(), generation);
    }
    Ok(found)
}

pub async fn client_of_resource<'e>(
    db: impl AnyExecutor<'e>,
    resource_id: i64,
) -> StoreResult<Option<ClientRow>> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE c.resource_id = $1"))
        .bind(resource_id)
        .fetch_optional(db)
        .await?)
}

/// Registers the resource's app. `secret_hash` is `None` for a public client.
pub async fn insert_client(
    tx: &mut Tx,
    (client_id, resource_id): (&str, i64),
    settings: &ClientSettings,
    secret_hash: Option<&str>,
    now: Timestamp,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO oidc_clients (client_id, resource_id, secret_hash, redirect_uris, post_logout_uris,
             sign_in_url, first_party, claims, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(client_id)
    .bind(resource_id)
    .bind(secret_hash)
    .bind(settings.redirect_uris.join("\n"))
    .bind(settings.post_logout_uris.join("\n"))
    .bind(&settings.sign_in_url)
    .bind(i64::from(settings.first_party))
    .bind(settings.claims.join(" "))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Saves an edit of the registration (the secret is kept; see [`set_secret`]).
pub async fn update_client(
    tx: &mut Tx,
    client_id: &str,
    settings: &ClientSettings,
    now: Timestamp,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE oidc_clients SET redirect_uris = $2, post_logout_uris = $3, sign_in_url = $4,
             first_party = $5, claims = $6, updated_at = $7
         WHERE client_id = $1",
    )
    .bind(client_id)
    .bind(settings.redirect_uris.join("\n"))
    .bind(settings.post_logout_uris.join("\n"))
    .bind(&settings.sign_in_url)
    .bind(i64::from(settings.first_party))
    .bind(settings.claims.join(" "))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces the secret (or makes the client public with `None`).
pub async fn set_secret(
    tx: &mut Tx,
    client_id: &str,
    secret_hash: Option<&str>,
    now: Timestamp,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE oidc_clients SET secret_hash = $2, secret_rotated_at = $3, updated_at = $3 WHERE client_id = $1",
    )
    .bind(client_id)
    .bind(secret_hash)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The setting that lets owners register their own apps (admins always may).
const OWNERS_REGISTER_KEY: &str = "owners_register_apps";

/// Whether owners may register and change their apps' sign-in; not until an admin allows it.
pub async fn owners_may_register<'e>(db: impl AnyExecutor<'e>) -> StoreResult<bool> {
    Ok(get_setting(db, OWNERS_REGISTER_KEY).await?.as_deref() == Some("true"))
}

pub async fn put_owners_may_register(tx: &mut Tx, allowed: bool, now: Timestamp) -> StoreResult<()> {
    put_setting(
        tx,
        OWNERS_REGISTER_KEY,
        if allowed { "true" } else { "false" },
        now,
    )
    .await
}
