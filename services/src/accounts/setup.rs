//! First-admin setup: while no admin exists, each start prints a one-time link; the page
//! behind it creates the admin, and from then on no setup link works.

use serde_json::json;
use validator::Validate;

use crate::accounts::passwords::{check_new_password, hash_password};
use crate::accounts::sign_in::{open_sign_in, SignedIn};
use crate::audit::record_event;
use crate::tokens::{hash_token, looks_like_token, new_token, NewToken};
use rules::accounts::account::NewAdminInput;
use rules::accounts::first_factor::FirstFactor;
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::Clock;
use rules::email::normalise_email;
use rules::error::FieldErrors;
use rules::mfa::requirement::SecondFactorPolicy;
use storage::accounts::account::{admin_exists, find_by_id, insert_account, NewAccount};
use storage::accounts::setup_tokens::{
    consume_setup_token, delete_all_setup_tokens, replace_setup_token, setup_token_exists,
};
use storage::mfa::requirement::put_second_factor_policy;
use storage::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("this setup link is not valid (already used, replaced by a newer one, or mistyped)")]
    LinkInvalid,
    #[error("the form has errors")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("password hashing failed")]
    Hashing,
}

/// At start: when there is no admin yet, stores a new setup token (voiding earlier ones) and
/// returns it so the caller can print the link. Returns `None` once an admin exists.
pub async fn issue_setup_token_if_needed(
    store: &Store,
    clock: &dyn Clock,
) -> Result<Option<NewToken>, StoreError> {
    let mut tx = store.begin().await?;
    if admin_exists(&mut *tx).await? {
        delete_all_setup_tokens(&mut tx).await?;
        storage::commit(tx).await?;
        return Ok(None);
    }
    let token = new_token();
    let now = clock.now();
    replace_setup_token(&mut tx, &token.hash, now).await?;
    record_event(
        &mut tx,
        &AuditEvent::new(&Actor::system(), actions::SETUP_LINK_ISSUED, now),
    )
    .await?;
    storage::commit(tx).await?;
    Ok(Some(token))
}

pub async fn setup_link_is_valid(store: &Store, raw_token: &str) -> Result<bool, StoreError> {
    if !looks_like_token(raw_token) {
        return Ok(false);
    }
    setup_token_exists(store.read(), &hash_token(raw_token)).await
}

/// Creates the first admin from the setup form and signs them in. The token is spent in the same
/// transaction that inserts the account, so two submissions at once create one admin. `policy`
/// is whom the new portal asks for a second factor (the setup page asks admins unless its box is
/// cleared), saved in that transaction too.
pub async fn create_first_admin(
    store: &Store,
    clock: &dyn Clock,
    raw_token: &str,
    (input, policy): (NewAdminInput, SecondFactorPolicy),
    client_ip: &str,
) -> Result<SignedIn, SetupError> {
    if !setup_link_is_valid(store, raw_token).await? {
        return Err(SetupError::LinkInvalid);
    }
    let mut errors = input
        .validate()
        .err()
        .map(|r| FieldErrors::from_validation(&r))
        .unwrap_or_default();
    let email = normalise_email(&input.email).unwrap_or_default();
    if errors.message("password").is_none() {
        if let Err(message) = check_new_password(&input.password, &email) {
            errors.add("password", message);
        }
    }
    if !errors.is_empty() {
        return Err(SetupError::Invalid(errors));
    }
    let display_name = input.display_name.trim().to_string();
    let hash = hash_password(input.password)
        .await
        .map_err(|_| SetupError::Hashing)?;

    let now = clock.now();
    let mut tx = store.begin().await?;
    if !consume_setup_token(&mut tx, &hash_token(raw_token)).await? || admin_exists(&mut *tx).await? {
        return Err(SetupError::LinkInvalid);
    }
    let new_account = NewAccount {
        email: &email,
        display_name: &display_name,
        password_hash: Some(&hash),
        is_admin: true,
        is_staff: true,
    };
    let id = insert_account(&mut tx, &new_account, now)
        .await
        .map_err(|e| match e {
            StoreError::Conflict => {
                SetupError::Invalid(FieldErrors::new().with("email", "@account_with_email_already"))
            }
            other => SetupError::Store(other),
        })?;
    delete_all_setup_tokens(&mut tx).await?;
    put_second_factor_policy(&mut tx, &policy, now).await?;
    let actor = Actor::account(id, &email, client_ip);
    let event = AuditEvent::new(&actor, actions::FIRST_ADMIN_CREATED, now)
        .target("account", id, &email)
        .details(json!({ "display_name": display_name, "second_factors": policy }));
    record_event(&mut tx, &event).await?;
    let account = find_by_id(&mut *tx, id)
        .await?
        .ok_or(SetupError::Store(StoreError::Conflict))?;
    let signed_in = open_sign_in(&mut tx, account, (now, client_ip), FirstFactor::Password).await?;
    storage::commit(tx).await?;
    Ok(signed_in)
}
