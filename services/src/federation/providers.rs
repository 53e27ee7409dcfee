//! The admin's "Identity providers" page: add, edit, test and remove a provider.

use serde_json::json;

use super::directory::{DirectoryError, Federation};
use super::ProviderError;
use super::SECRET_SEAL;
use crate::audit::record_event;
use crate::server_key::ServerKey;
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::error::FieldErrors;
use rules::federation::provider::{ProviderForm, ProviderSettings};
use rules::message;
use storage::federation::providers::{
    delete_provider, find_provider, insert_provider, list_providers, set_domains, taken_by, update_provider,
    ProviderRecord, ProviderValues,
};
use storage::{commit, Store, StoreError};

/// What an admin page needs to change providers: the key that seals secrets, and the
/// federation settings (issuer policy, kept discovery documents).
#[derive(Clone, Copy)]
pub struct ProviderAdmin<'a> {
    pub key: &'a ServerKey,
    pub federation: &'a Federation,
}

pub async fn providers(store: &Store) -> Result<Vec<(ProviderRecord, i64)>, StoreError> {
    list_providers(store.read()).await
}

pub async fn provider(store: &Store, id: i64) -> Result<ProviderRecord, ProviderError> {
    find_provider(store.read(), id)
        .await?
        .ok_or(ProviderError::NotFound)
}

/// The issuer or a domain belongs to another provider: said beside the field.
async fn check_unique(store: &Store, except: i64, settings: &ProviderSettings) -> Result<(), ProviderError> {
    let (issuer_owner, domain_owner) =
        taken_by(store.read(), except, &settings.issuer, &settings.domains).await?;
    let mut errors = FieldErrors::new();
    if let Some(name) = issuer_owner {
        errors.add("issuer", message::with("issuer_taken", &[("provider", &name)]));
    }
    if let Some((domain, name)) = domain_owner {
        errors.add(
            "domains",
            message::with("domain_has_provider", &[("domain", &domain), ("provider", &name)]),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ProviderError::Invalid(errors))
    }
}

fn audit_details(settings: &ProviderSettings) -> serde_json::Value {
    json!({
        "issuer": settings.issuer,
        "domains": settings.domains,
        "scopes": settings.scopes.join(" "),
        "trust_email": settings.trust_email,
        "trust_mfa": settings.trust_mfa,
    })
}

pub async fn add_provider(
    store: &Store,
    admin: ProviderAdmin<'_>,
    actor: &Actor,
    form: &ProviderForm,
    now: i64,
) -> Result<i64, ProviderError> {
    let settings = form
        .check(admin.federation.policy, true)
        .map_err(ProviderError::Invalid)?;
    check_unique(store, 0, &settings).await?;
    let sealed = admin
        .key
        .seal(SECRET_SEAL, settings.client_secret.as_deref().unwrap_or_default());
    let scopes = settings.scopes.join(" ");
    let mut tx = store.begin().await?;
    let id = insert_provider(&mut tx, &values(&settings, &sealed, &scopes), now)
        .await
        .map_err(conflict_as_taken)?;
    set_domains(&mut tx, id, &settings.domains)
        .await
        .map_err(conflict_as_taken)?;
    let event = AuditEvent::new(actor, actions::PROVIDER_ADDED, now)
        .target("identity_provider", id, &settings.name)
        .details(audit_details(&settings));
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    Ok(id)
}

/// Saves the form; an empty secret keeps the stored one.
pub async fn edit_provider(
    store: &Store,
    admin: ProviderAdmin<'_>,
    actor: &Actor,
    id: i64,
    form: &ProviderForm,
    now: i64,
) -> Result<(), ProviderError> {
    let before = provider(store, id).await?;
    let settings = form
        .check(admin.federation.policy, false)
        .map_err(ProviderError::Invalid)?;
    check_unique(store, id, &settings).await?;
    let sealed = match &settings.client_secret {
        Some(secret) => admin.key.seal(SECRET_SEAL, secret),
        None => before.row.client_secret_sealed.clone(),
    };
    let scopes = settings.scopes.join(" ");
    let mut tx = store.begin().await?;
    let values = values(&settings, &sealed, &scopes);
    if !update_provider(&mut tx, id, &values, now)
        .await
        .map_err(conflict_as_taken)?
    {
        return Err(ProviderError::NotFound);
    }
    set_domains(&mut tx, id, &settings.domains)
        .await
        .map_err(conflict_as_taken)?;
    let mut details = audit_details(&settings);
    details["secret_replaced"] = json!(settings.client_secret.is_some());
    let event = AuditEvent::new(actor, actions::PROVIDER_CHANGED, now)
        .target("identity_provider", id, &settings.name)
        .details(details);
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    admin.federation.forget(id);
    Ok(())
}

/// Removes the provider and the identities linked through it (their accounts stay).
pub async fn remove_provider(
    store: &Store,
    federation: &Federation,
    actor: &Actor,
    id: i64,
    now: i64,
) -> Result<(), ProviderError> {
    let before = provider(store, id).await?;
    let mut tx = store.begin().await?;
    if !delete_provider(&mut tx, id).await? {
        return Err(ProviderError::NotFound);
    }
    let event = AuditEvent::new(actor, actions::PROVIDER_REMOVED, now)
        .target("identity_provider", id, &before.row.name)
        .details(json!({ "issuer": before.row.issuer, "domains": before.domains }));
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    federation.forget(id);
    Ok(())
}

/// Fetches the discovery document and the keys now; the answer is a message code in plain
/// words, and whether all was well.
pub async fn test_provider(federation: &Federation, issuer: &str) -> (bool, String) {
    match federation.discover(issuer).await {
        Ok(metadata) => {
            let keys = metadata.jwks().keys().len().to_string();
            (true, message::with("provider_test_passed", &[("keys", &keys)]))
        }
        Err(DirectoryError::Unreachable(reason)) => (
            false,
            message::with("provider_unreachable", &[("reason", &reason)]),
        ),
        Err(DirectoryError::Invalid(reason)) if reason.contains("no signing keys") => {
            (false, "@provider_no_keys".into())
        }
        Err(DirectoryError::Invalid(reason)) => (
            false,
            message::with("provider_discovery_invalid", &[("reason", &reason)]),
        ),
    }
}

/// Another admin saved the same issuer or domain a moment before: said beside the domains.
fn conflict_as_taken(error: StoreError) -> ProviderError {
    match error {
        StoreError::Conflict => {
            ProviderError::Invalid(FieldErrors::new().with("domains", "@provider_conflict"))
        }
        other => ProviderError::Store(other),
    }
}

fn values<'a>(settings: &'a ProviderSettings, sealed: &'a str, scopes: &'a str) -> ProviderValues<'a> {
    ProviderValues {
        name: &settings.name,
        issuer: &settings.issuer,
        client_id: &settings.client_id,
        client_secret_sealed: sealed,
        scopes,
        trust_email: settings.trust_email,
        trust_mfa: settings.trust_mfa,
        mfa_acr: &settings.mfa_acr,
    }
}
