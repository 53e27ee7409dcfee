//! The second step with a passkey or security key: at sign-in, or when something asks for it
//! later (step-up). A key cannot be guessed, so a refused answer is not counted towards the
//! lock that five wrong codes set, and the lock does not close this way in.

use webauthn_rs::prelude::{PasskeyAuthentication, PublicKeyCredential};

use super::passkeys::{answer, keep_challenge, passkey_of, record_of, taken_challenge};
use super::passkeys::{Challenge, Passkeys};
use super::second_step::{factor_given, WaitingSignIn};
use super::MfaError;
use crate::accounts::sign_in::SignedIn;
use rules::audit::event::Actor;
use rules::clock::Timestamp;
use storage::accounts::account::AccountRecord;
use storage::mfa::passkeys::{passkeys_of, record_passkey_use};
use storage::{commit, Store};

const PURPOSE: &str = "authenticate";

/// Whether the person has a key to use.
pub async fn has_passkey(store: &Store, account_id: i64) -> Result<bool, MfaError> {
    Ok(!passkeys_of(store.read(), account_id).await?.is_empty())
}

/// Begins the step: the options for `navigator.credentials.get`, naming the person's keys.
pub async fn begin_passkey_step(
    store: &Store,
    passkeys: &Passkeys,
    account: &AccountRecord,
    now: Timestamp,
) -> Result<Challenge, MfaError> {
    let webauthn = passkeys.webauthn()?;
    let keys: Vec<_> = passkeys_of(store.read(), account.id)
        .await?
        .iter()
        .filter_map(passkey_of)
        .collect();
    if keys.is_empty() {
        return Err(MfaError::NoSuchAuthenticator);
    }
    let (options, state) = webauthn
        .start_passkey_authentication(&keys)
        .map_err(|_| MfaError::PasskeyRefused)?;
    let mut tx = store.begin().await?;
    let challenge = keep_challenge(&mut tx, (account.id, PURPOSE), &state, &options, now).await?;
    commit(tx).await?;
    Ok(challenge)
}

/// Checks the browser's answer to [`begin_passkey_step`]; on success the sign-in counts, and the
/// key's signature counter and last use are kept.
pub async fn give_passkey(
    store: &Store,
    passkeys: &Passkeys,
    account: AccountRecord,
    waiting: WaitingSignIn<'_>,
    (challenge_id, credential): (&str, &str),
    now: Timestamp,
) -> Result<SignedIn, MfaError> {
    let webauthn = passkeys.webauthn()?;
    let credential: PublicKeyCredential = answer(credential)?;
    let mut tx = store.begin().await?;
    let state: PasskeyAuthentication =
        taken_challenge(&mut tx, (account.id, PURPOSE), challenge_id, now).await?;
    let result = webauthn
        .finish_passkey_authentication(&credential, &state)
        .map_err(|error| {
            tracing::info!(%error, account = account.id, "a passkey's answer was refused");
            MfaError::PasskeyRefused
        })?;
    let rows = passkeys_of(&mut *tx, account.id).await?;
    let (row, mut passkey) = rows
        .iter()
        .find_map(|row| {
            passkey_of(row)
                .filter(|p| p.cred_id() == result.cred_id())
                .map(|p| (row, p))
        })
        .ok_or(MfaError::PasskeyRefused)?;
    passkey.update_credential(&result);
    record_passkey_use(&mut tx, row.id, &record_of(&passkey)?, now).await?;
    let actor = Actor::account(account.id, &account.email, waiting.client_ip);
    factor_given(store, tx, &actor, account, waiting.sign_in_id, "passkey", now).await
}
