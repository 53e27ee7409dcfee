//! Enrolling second factors from the account page: an authenticator app (it counts once its
//! first code is typed), a set of ten recovery codes (shown once), and removing them again.
//! (Passkeys are added in `passkey_enrolment`.)

use rand::rngs::OsRng;
use rand::Rng;
use serde_json::json;

use super::authenticator::{matching_step, new_secret, qr_svg, secret_for_typing, SEAL_PURPOSE};
use super::MfaError;
use crate::audit::record_event;
use crate::server_key::ServerKey;
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::Timestamp;
use rules::mfa::recovery::{format_recovery_code, RECOVERY_ALPHABET, RECOVERY_CODES_PER_SET};
use rules::mfa::second_step::read_authenticator_code;
use storage::accounts::account::AccountRecord;
use storage::accounts::sign_ins::complete_second_step;
use storage::mfa::authenticators::{
    authenticators_of, delete_authenticator, delete_unconfirmed, has_second_factor, insert_authenticator,
    take_step, AuthenticatorRow,
};
use storage::mfa::passkeys::{passkeys_of, PasskeyRow};
use storage::mfa::recovery_codes::{delete_recovery_codes, replace_recovery_codes, unused_recovery_codes};
use storage::{commit, Store, StoreError, Tx};

/// The purpose recovery codes are hashed under.
pub(crate) const RECOVERY_PURPOSE: &str = "recovery-code";

/// An authenticator being added: what the page shows until its first code is typed.
#[derive(Debug, Clone)]
pub struct Enrolment {
    /// The secret in groups of four, for typing into an app by hand.
    pub secret: String,
    pub qr_svg: String,
}

/// The person's second factors, for the account page.
#[derive(Debug, Clone)]
pub struct Factors {
    /// Confirmed authenticators only.
    pub authenticators: Vec<AuthenticatorRow>,
    pub passkeys: Vec<PasskeyRow>,
    pub recovery_codes_left: i64,
}

pub async fn factors_of(store: &Store, account_id: i64) -> Result<Factors, StoreError> {
    let authenticators = authenticators_of(store.read(), account_id)
        .await?
        .into_iter()
        .filter(AuthenticatorRow::is_confirmed)
        .collect();
    let passkeys = passkeys_of(store.read(), account_id).await?;
    let recovery_codes_left = unused_recovery_codes(store.read(), account_id).await?;
    Ok(Factors {
        authenticators,
        passkeys,
        recovery_codes_left,
    })
}

/// Whether the person has a second factor that counts: a confirmed app, or a passkey.
pub async fn has_any_second_factor(store: &Store, account_id: i64) -> Result<bool, StoreError> {
    has_second_factor(store.read(), account_id).await
}

/// Starts adding an authenticator, or shows the one already started (so that reloading the page
/// keeps the secret the app may already hold).
pub async fn begin_authenticator(
    store: &Store,
    key: &ServerKey,
    account: &AccountRecord,
    issuer: &str,
    now: Timestamp,
) -> Result<Enrolment, MfaError> {
    let started = authenticators_of(store.read(), account.id)
        .await?
        .into_iter()
        .rev()
        .find(|a| !a.is_confirmed())
        .and_then(|a| key.open(SEAL_PURPOSE, &a.secret_sealed).ok());
    let secret = match started {
        Some(secret) => secret,
        None => {
            let secret = new_secret();
            let mut tx = store.begin().await?;
            delete_unconfirmed(&mut tx, account.id).await?;
            insert_authenticator(&mut tx, account.id, &key.seal(SEAL_PURPOSE, &secret), now).await?;
            commit(tx).await?;
            secret
        }
    };
    let qr_svg = qr_svg(&secret, issuer, &account.email).unwrap_or_default();
    Ok(Enrolment {
        secret: secret_for_typing(&secret),
        qr_svg,
    })
}

/// Takes the first code of the authenticator being added. The first authenticator of an account
/// comes with ten recovery codes, returned here to be shown once. The code proves the app in
/// hand, so the sign-in it is added in (`sign_in_id`) counts as having given a second factor.
pub async fn confirm_authenticator(
    store: &Store,
    key: &ServerKey,
    actor: &Actor,
    (account, sign_in_id): (&AccountRecord, &str),
    typed: &str,
    now: Timestamp,
) -> Result<Option<Vec<String>>, MfaError> {
    let code = read_authenticator_code(typed).ok_or(MfaError::NotAnAuthenticatorCode)?;
    let pending = authenticators_of(store.read(), account.id)
        .await?
        .into_iter()
        .rev()
        .find(|a| !a.is_confirmed())
        .ok_or(MfaError::NoSuchAuthenticator)?;
    let secret = key
        .open(SEAL_PURPOSE, &pending.secret_sealed)
        .map_err(|_| MfaError::NoSuchAuthenticator)?;
    let step = matching_step(&secret, &code, now).ok_or(MfaError::Wrong)?;
    let first = !has_second_factor(store.read(), account.id).await?;
    let mut tx = store.begin().await?;
    if !take_step(&mut tx, pending.id, step, now).await? {
        return Err(MfaError::Wrong);
    }
    factor_added(
        store,
        tx,
        (key, actor),
        (account, sign_in_id),
        first,
        ("authenticator", None),
        now,
    )
    .await
}

/// After a factor of `account` is kept in `tx`: the sign-in it was added in counts as having
/// given it, the account's first factor comes with recovery codes (returned to be shown once),
/// and the addition is audited with the factor and the name it was given, if any; committed.
pub(super) async fn factor_added(
    store: &Store,
    mut tx: Tx,
    (key, actor): (&ServerKey, &Actor),
    (account, sign_in_id): (&AccountRecord, &str),
    first: bool,
    (factor, name): (&str, Option<&str>),
    now: Timestamp,
) -> Result<Option<Vec<String>>, MfaError> {
    complete_second_step(&mut tx, sign_in_id, factor).await?;
    let codes = if first {
        Some(new_recovery_set(&mut tx, key, account.id, now).await?)
    } else {
        None
    };
    let event = AuditEvent::new(actor, actions::SECOND_FACTOR_ADDED, now)
        .target("account", account.id, &account.email)
        .details(match name {
            Some(name) => json!({ "factor": factor, "name": name }),
            None => json!({ "factor": factor }),
        });
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    store.sign_ins_changed();
    Ok(codes)
}

/// A new set of recovery codes; the old set stops working.
pub async fn renew_recovery_codes(
    store: &Store,
    key: &ServerKey,
    actor: &Actor,
    account: &AccountRecord,
    now: Timestamp,
) -> Result<Vec<String>, MfaError> {
    if !has_second_factor(store.read(), account.id).await? {
        return Err(MfaError::NoSuchAuthenticator);
    }
    let mut tx = store.begin().await?;
    let codes = new_recovery_set(&mut tx, key, account.id, now).await?;
    let event = AuditEvent::new(actor, actions::RECOVERY_CODES_RENEWED, now).target(
        "account",
        account.id,
        &account.email,
    );
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    Ok(codes)
}

/// Removes one authenticator; with the last second factor go the recovery codes.
pub async fn remove_authenticator(
    store: &Store,
    actor: &Actor,
    account: &AccountRecord,
    authenticator_id: i64,
    now: Timestamp,
) -> Result<(), MfaError> {
    let mut tx = store.begin().await?;
    if !delete_authenticator(&mut tx, account.id, authenticator_id).await? {
        return Err(MfaError::NoSuchAuthenticator);
    }
    factor_removed(tx, actor, account, "authenticator", now).await
}

/// After one factor of `account` is deleted in `tx`: with the last one go the recovery codes
/// (they are a way past the second step, and there is no step left); audited and committed.
pub(super) async fn factor_removed(
    mut tx: Tx,
    actor: &Actor,
    account: &AccountRecord,
    factor: &str,
    now: Timestamp,
) -> Result<(), MfaError> {
    if !has_second_factor(&mut *tx, account.id).await? {
        delete_recovery_codes(&mut tx, account.id).await?;
    }
    let event = AuditEvent::new(actor, actions::SECOND_FACTOR_REMOVED, now)
        .target("account", account.id, &account.email)
        .details(json!({ "factor": factor }));
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    Ok(())
}

pub(super) async fn new_recovery_set(
    tx: &mut Tx,
    key: &ServerKey,
    account_id: i64,
    now: Timestamp,
) -> Result<Vec<String>, StoreError> {
    let codes: Vec<String> = (0..RECOVERY_CODES_PER_SET)
        .map(|_| {
            format_recovery_code(&std::array::from_fn(|_| {
                OsRng.gen_range(0..RECOVERY_ALPHABET.len())
            }))
        })
        .collect();
    let hashes: Vec<String> = codes
        .iter()
        .map(|code| recovery_hash(key, account_id, code))
        .collect();
    replace_recovery_codes(tx, account_id, &hashes, now).await?;
    Ok(codes)
}

pub(crate) fn recovery_hash(key: &ServerKey, account_id: i64, normalised: &str) -> String {
    key.keyed_hash(RECOVERY_PURPOSE, &[&account_id.to_string(), normalised])
}
