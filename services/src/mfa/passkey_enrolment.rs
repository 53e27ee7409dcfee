//! Adding a passkey or security key from the account page, naming it, and removing it. The first
//! second factor of an account, passkey or app, comes with ten recovery codes.

use webauthn_rs::prelude::{PasskeyRegistration, RegisterPublicKeyCredential};

use super::enrolment::{factor_added, factor_removed};
use super::passkeys::{answer, keep_challenge, passkey_of, record_of, taken_challenge, user_handle};
use super::passkeys::{Challenge, Passkeys};
use super::MfaError;
use crate::server_key::ServerKey;
use rules::audit::event::Actor;
use rules::clock::Timestamp;
use rules::mfa::passkey::read_passkey_name;
use storage::accounts::account::AccountRecord;
use storage::mfa::authenticators::has_second_factor;
use storage::mfa::passkeys::{delete_passkey, insert_passkey, passkeys_of};
use storage::{commit, Store};

const PURPOSE: &str = "register";

/// Begins adding a key: the options for `navigator.credentials.create`, which leave out the
/// person's keys already added (an authenticator holds one key per portal and person).
pub async fn begin_passkey(
    store: &Store,
    passkeys: &Passkeys,
    key: &ServerKey,
    account: &AccountRecord,
    now: Timestamp,
) -> Result<Challenge, MfaError> {
    let webauthn = passkeys.webauthn()?;
    let known: Vec<_> = passkeys_of(store.read(), account.id)
        .await?
        .iter()
        .filter_map(passkey_of)
        .map(|passkey| passkey.cred_id().clone())
        .collect();
    let display = Some(account.display_name.trim())
        .filter(|name| !name.is_empty())
        .unwrap_or(&account.email);
    let (options, state) = webauthn
        .start_passkey_registration(user_handle(key, account.id), &account.email, display, Some(known))
        .map_err(|_| MfaError::PasskeyRefused)?;
    let mut tx = store.begin().await?;
    let challenge = keep_challenge(&mut tx, (account.id, PURPOSE), &state, &options, now).await?;
    commit(tx).await?;
    Ok(challenge)
}

/// The browser's answer to [`begin_passkey`] and the name the person gave the key.
pub struct NewPasskey<'a> {
    pub challenge_id: &'a str,
    pub name: &'a str,
    pub credential: &'a str,
}

/// Keeps the new key. Like an app's first code, it proves the factor in hand, so the sign-in it
/// is added in (`sign_in_id`) counts as having given a second factor. Returns the recovery codes
/// when this is the account's first second factor.
pub async fn add_passkey(
    store: &Store,
    (passkeys, key): (&Passkeys, &ServerKey),
    actor: &Actor,
    (account, sign_in_id): (&AccountRecord, &str),
    new: NewPasskey<'_>,
    now: Timestamp,
) -> Result<Option<Vec<String>>, MfaError> {
    let name = read_passkey_name(new.name).map_err(MfaError::PasskeyName)?;
    let webauthn = passkeys.webauthn()?;
    let credential: RegisterPublicKeyCredential = answer(new.credential)?;
    let first = !has_second_factor(store.read(), account.id).await?;
    let mut tx = store.begin().await?;
    let state: PasskeyRegistration =
        taken_challenge(&mut tx, (account.id, PURPOSE), new.challenge_id, now).await?;
    let passkey = webauthn
        .finish_passkey_registration(&credential, &state)
        .map_err(|error| {
            tracing::info!(%error, "a new passkey was refused");
            MfaError::PasskeyRefused
        })?;
    insert_passkey(&mut tx, account.id, &name, &record_of(&passkey)?, now).await?;
    let added = ("passkey", Some(name.as_str()));
    factor_added(store, tx, (key, actor), (account, sign_in_id), first, added, now).await
}

/// Removes one key; with the last second factor go the recovery codes.
pub async fn remove_passkey(
    store: &Store,
    actor: &Actor,
    account: &AccountRecord,
    passkey_id: i64,
    now: Timestamp,
) -> Result<(), MfaError> {
    let mut tx = store.begin().await?;
    if !delete_passkey(&mut tx, account.id, passkey_id).await? {
        return Err(MfaError::NoSuchAuthenticator);
    }
    factor_removed(tx, actor, account, "passkey", now).await
}
