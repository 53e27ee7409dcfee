//! How partners sign in: an admin chooses, the sign-in and invitation pages follow.

use serde_json::json;

use crate::administration::portal_settings::SettingsError;
use crate::audit::record_event;
use rules::accounts::one_time_code::SignInMethods;
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::error::FieldErrors;
use storage::administration::portal_settings::{load_sign_in_methods, save_sign_in_methods as store_methods};
use storage::{commit, Store, StoreError};

pub async fn sign_in_methods(store: &Store) -> Result<SignInMethods, StoreError> {
    load_sign_in_methods(store.read()).await
}

pub async fn save_sign_in_methods(
    store: &Store,
    actor: &Actor,
    methods: SignInMethods,
    now: i64,
) -> Result<(), SettingsError> {
    methods
        .check()
        .map_err(|message| SettingsError::Invalid(FieldErrors::new().with("partner_codes", message)))?;
    let before = load_sign_in_methods(store.read()).await?;
    let mut tx = store.begin().await?;
    store_methods(&mut tx, &methods, now).await?;
    let event = AuditEvent::new(actor, actions::SETTINGS_CHANGED, now)
        .target("settings", "sign_in_methods", "sign-in methods")
        .details(json!({ "from": before, "to": methods }));
    record_event(&mut tx, &event).await?;
    Ok(commit(tx).await?)
}
