//! Admins change how the portal presents itself (name, colour, contact, logo) and publish
//! versions of the terms of use; partners accept the version in force. Each change is one
//! transaction with its audit event.

use serde_json::json;

use crate::administration::look::LookCell;
use crate::audit::record_event;
use rules::administration::branding::{Branding, BrandingInput};
pub use rules::administration::settings_text::LogoProblem;
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::error::FieldErrors;
use rules::translated::{self, Translations};
use std::collections::BTreeMap;
use storage::accounts::account::AccountRecord;
use storage::administration::portal_settings::{
    accept_terms as record_acceptance, accepted_terms_version, current_terms, publish_terms as insert_terms,
    remove_logo as delete_logo, save_branding as store_branding, save_logo as store_logo, terms_history,
    TermsVersion,
};
use storage::{commit, Store, StoreError};

/// The largest logo accepted.
pub const LOGO_MAX_BYTES: usize = 256 * 1024;
pub const TERMS_MAX_CHARS: usize = 20_000;

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The image type, read from the file's first bytes (never from its name or declared type).
pub fn sniff_image(bytes: &[u8]) -> Result<&'static str, LogoProblem> {
    if bytes.is_empty() {
        return Err(LogoProblem::Empty);
    }
    if bytes.len() > LOGO_MAX_BYTES {
        return Err(LogoProblem::TooLarge);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Ok("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Ok("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Ok("image/webp")
    } else {
        Err(LogoProblem::NotAnImage)
    }
}

pub async fn save_branding(
    store: &Store,
    look: &LookCell,
    actor: &Actor,
    input: &BrandingInput,
    now: i64,
) -> Result<Branding, SettingsError> {
    let branding = input.check(locales::tags()).map_err(SettingsError::Invalid)?;
    let before = look.get().branding;
    let mut tx = store.begin().await?;
    store_branding(&mut tx, &branding, now).await?;
    let event = AuditEvent::new(actor, actions::SETTINGS_CHANGED, now)
        .target("settings", "branding", "branding")
        .details(json!({ "from": before, "to": branding }));
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    let mut current = look.get();
    current.branding = branding.clone();
    look.set(current);
    Ok(branding)
}

pub async fn save_logo(
    store: &Store,
    look: &LookCell,
    actor: &Actor,
    bytes: &[u8],
    now: i64,
) -> Result<Result<(), LogoProblem>, StoreError> {
    let content_type = match sniff_image(bytes) {
        Ok(content_type) => content_type,
        Err(problem) => return Ok(Err(problem)),
    };
    let mut tx = store.begin().await?;
    store_logo(&mut tx, content_type, bytes, now).await?;
    let event = AuditEvent::new(actor, actions::LOGO_CHANGED, now)
        .target("settings", "logo", "logo")
        .details(json!({ "content_type": content_type, "bytes": bytes.len() }));
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    let mut current = look.get();
    current.logo_version = Some(now);
    look.set(current);
    Ok(Ok(()))
}

pub async fn remove_logo(
    store: &Store,
    look: &LookCell,
    actor: &Actor,
    now: i64,
) -> Result<bool, StoreError> {
    let mut tx = store.begin().await?;
    let removed = delete_logo(&mut tx).await?;
    if removed {
        let event = AuditEvent::new(actor, actions::LOGO_REMOVED, now).target("settings", "logo", "logo");
        record_event(&mut tx, &event).await?;
    }
    commit(tx).await?;
    let mut current = look.get();
    current.logo_version = None;
    look.set(current);
    Ok(removed)
}

/// Publishes new terms of use as the next version; partners accept it at their next sign-in.
/// `translations`: the text in other languages, as the form sends them (by tag).
pub async fn publish_terms(
    store: &Store,
    admin: &AccountRecord,
    actor: &Actor,
    text: &str,
    translations: &BTreeMap<String, String>,
    now: i64,
) -> Result<i64, SettingsError> {
    let text = text.trim();
    let mut errors = FieldErrors::new();
    if text.is_empty() {
        errors.add("text", "@write_terms_partners_must");
    }
    if text.chars().count() > TERMS_MAX_CHARS {
        errors.add(
            "text",
            rules::message::with("too_long", &[("max", &TERMS_MAX_CHARS.to_string())]),
        );
    }
    let translated = translated::from_form(translations, "text", TERMS_MAX_CHARS, &mut errors);
    if errors.is_empty()
        && current_terms(store.read())
            .await?
            .is_some_and(|t| t.text == text && t.translations() == translated)
    {
        errors.add("text", "@these_are_terms_force");
    }
    if !errors.is_empty() {
        let names: Vec<(String, &str)> = translations
            .iter()
            .map(|(tag, t)| (format!("translations[{tag}]"), t.as_str()))
            .collect();
        let mut echo = vec![("text", text)];
        echo.extend(names.iter().map(|(name, t)| (name.as_str(), *t)));
        return Err(SettingsError::Invalid(errors.echo(&echo)));
    }
    add_version(store, admin, actor, (text, &translated), now).await
}

/// Withdraws the terms: a version without text, after which nobody is asked to accept any.
pub async fn withdraw_terms(
    store: &Store,
    admin: &AccountRecord,
    actor: &Actor,
    now: i64,
) -> Result<i64, SettingsError> {
    if current_terms(store.read()).await?.is_none() {
        return Err(SettingsError::Refused("@there_are_no_terms".into()));
    }
    add_version(store, admin, actor, ("", &Default::default()), now).await
}

/// Adds the next version (the text and its translations); an empty text withdraws the terms.
async fn add_version(
    store: &Store,
    admin: &AccountRecord,
    actor: &Actor,
    (text, translations): (&str, &Translations),
    now: i64,
) -> Result<i64, SettingsError> {
    let withdrawing = text.is_empty();
    let mut tx = store.begin().await?;
    let version = match insert_terms(&mut tx, text, translations, admin.id, now).await {
        Err(StoreError::Conflict) => {
            return Err(SettingsError::Refused("@another_admin_published_terms".into()))
        }
        other => other?,
    };
    let action = if withdrawing {
        actions::TERMS_WITHDRAWN
    } else {
        actions::TERMS_PUBLISHED
    };
    let event = AuditEvent::new(actor, action, now)
        .target("terms", version, &format!("version {version}"))
        .details(json!({ "characters": text.chars().count(), "translated_into": translations.keys().cloned().collect::<Vec<_>>().join(", ") }));
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    Ok(version)
}

/// The terms of use in force, if any.
pub async fn terms_in_force(store: &Store) -> Result<Option<TermsVersion>, StoreError> {
    current_terms(store.read()).await
}

/// Every version of the terms ever published, newest first.
pub async fn all_terms(store: &Store) -> Result<Vec<TermsVersion>, StoreError> {
    terms_history(store.read()).await
}

/// The version a partner must accept before going on, if any. Staff are bound by their
/// employment, not by these terms.
pub async fn terms_to_accept(store: &Store, account: &AccountRecord) -> Result<Option<i64>, StoreError> {
    if account.is_staff() || account.is_admin() {
        return Ok(None);
    }
    let Some(current) = current_terms(store.read()).await? else {
        return Ok(None);
    };
    let accepted = accepted_terms_version(store.read(), account.id).await?;
    Ok((accepted < Some(current.version)).then_some(current.version))
}

/// A new account accepts the terms in force as it is created (the form said so).
pub async fn accept_on_creation(
    tx: &mut storage::Tx,
    actor: &Actor,
    account_id: i64,
    now: i64,
) -> Result<(), StoreError> {
    if let Some(terms) = current_terms(&mut **tx).await? {
        record_acceptance(tx, account_id, terms.version).await?;
        let event = AuditEvent::new(actor, actions::TERMS_ACCEPTED, now)
            .target("terms", terms.version, &format!("version {}", terms.version))
            .details(json!({ "on": "account creation" }));
        record_event(tx, &event).await?;
    }
    Ok(())
}

/// Records that the partner accepted `version`, which must be the one in force.
pub async fn accept_terms(
    store: &Store,
    account: &AccountRecord,
    actor: &Actor,
    version: i64,
    now: i64,
) -> Result<(), SettingsError> {
    let current = current_terms(store.read()).await?.map(|t| t.version);
    if current != Some(version) {
        return Err(SettingsError::Refused("@terms_changed_while_you".into()));
    }
    let mut tx = store.begin().await?;
    record_acceptance(&mut tx, account.id, version).await?;
    let event = AuditEvent::new(actor, actions::TERMS_ACCEPTED, now).target(
        "terms",
        version,
        &format!("version {version}"),
    );
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logos_are_recognised_by_their_bytes() {
        assert_eq!(sniff_image(b"\x89PNG\r\n\x1a\n...."), Ok("image/png"));
        assert_eq!(sniff_image(&[0xff, 0xd8, 0xff, 0xe0]), Ok("image/jpeg"));
        assert_eq!(sniff_image(b"GIF89a...."), Ok("image/gif"));
        assert_eq!(sniff_image(b"RIFF\0\0\0\0WEBPVP8 "), Ok("image/webp"));
        assert_eq!(
            sniff_image(b"<svg onload=alert(1)>"),
            Err(LogoProblem::NotAnImage)
        );
        assert_eq!(sniff_image(b""), Err(LogoProblem::Empty));
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(LOGO_MAX_BYTES + 1, 0);
        assert_eq!(sniff_image(&big), Err(LogoProblem::TooLarge));
    }
}
