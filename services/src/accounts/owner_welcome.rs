//! A newly invited owner sets their password through the one-time link from their email.

use serde_json::json;
use validator::Validate;

use crate::accounts::passwords::{check_new_password, hash_password};
use crate::accounts::sign_in::{open_sign_in, SignedIn};
use crate::audit::record_event;
use crate::tokens::{hash_token, looks_like_token};
use rules::accounts::account::NewAdminInput;
use rules::accounts::first_factor::FirstFactor;
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::Clock;
use rules::error::FieldErrors;
use storage::accounts::account::{find_by_id, set_password_hash, AccountRecord};
use storage::accounts::password_links::{consume_password_link, find_password_link};
use storage::accounts::sign_ins::delete_sign_ins_of_account;
use storage::{commit, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum WelcomeError {
    #[error("this link is not valid")]
    LinkInvalid,
    #[error("the form has errors")]
    Invalid(FieldErrors),
    #[error("password hashing failed")]
    Hashing,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The account a password link is for, while the link works.
pub async fn password_link_account(
    store: &Store,
    clock: &dyn Clock,
    raw_token: &str,
) -> Result<AccountRecord, WelcomeError> {
    if !looks_like_token(raw_token) {
        return Err(WelcomeError::LinkInvalid);
    }
    let id = find_password_link(store.read(), &hash_token(raw_token), clock.now())
        .await?
        .ok_or(WelcomeError::LinkInvalid)?;
    find_by_id(store.read(), id)
        .await?
        .filter(|a| !a.is_disabled())
        .ok_or(WelcomeError::LinkInvalid)
}

pub async fn set_password_with_link(
    store: &Store,
    clock: &dyn Clock,
    raw_token: &str,
    password: String,
    password_confirm: String,
    client_ip: &str,
) -> Result<SignedIn, WelcomeError> {
    let account = password_link_account(store, clock, raw_token).await?;
    // The same rules as every new password (the form carries no email or name).
    let input = NewAdminInput {
        email: account.email.clone(),
        display_name: account.display_name.clone(),
        password,
        password_confirm,
    };
    let mut errors = input
        .validate()
        .err()
        .map(|r| FieldErrors::from_validation(&r))
        .unwrap_or_default();
    if errors.message("password").is_none() {
        if let Err(message) = check_new_password(&input.password, &account.email) {
            errors.add("password", message);
        }
    }
    if !errors.is_empty() {
        return Err(WelcomeError::Invalid(errors));
    }
    let hash = hash_password(input.password)
        .await
        .map_err(|_| WelcomeError::Hashing)?;
    let now = clock.now();
    let mut tx = store.begin().await?;
    if consume_password_link(&mut tx, &hash_token(raw_token), now).await? != Some(account.id) {
        return Err(WelcomeError::LinkInvalid);
    }
    set_password_hash(&mut tx, account.id, &hash, now).await?;
    // A password change ends every earlier session of the account.
    let ended = delete_sign_ins_of_account(&mut tx, account.id).await?;
    let actor = Actor::account(account.id, &account.email, client_ip);
    let event = AuditEvent::new(&actor, actions::PASSWORD_SET, now)
        .target("account", account.id, &account.email)
        .details(json!({ "via": "password_link", "sessions_ended": ended }));
    record_event(&mut tx, &event).await?;
    let signed_in = open_sign_in(&mut tx, account, (now, client_ip), FirstFactor::EmailLink).await?;
    commit(tx).await?;
    store.sign_ins_changed();
    Ok(signed_in)
}
