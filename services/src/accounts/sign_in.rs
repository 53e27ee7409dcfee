//! Signing in with email and password, and deciding whether a session still stands.

use serde_json::json;

use crate::accounts::passwords::verify_password;
use crate::audit::record_event;
use rules::accounts::first_factor::FirstFactor;
use rules::accounts::throttle::{sign_in_gate, SignInGate, WINDOW_SECONDS};
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::{Clock, Timestamp};
use rules::email::normalise_email;
use storage::accounts::account::{find_by_email, AccountRecord};
use storage::accounts::sign_in_failures::{clear_failures, failures_since, record_failure};
use storage::accounts::sign_ins::{delete_sign_in, find_sign_in, insert_sign_in, SecondFactor, SignInRecord};
use storage::mfa::authenticators::has_second_factor;
use storage::{commit, Store, StoreError, Tx};

/// A successful first step: the account, and the id of the sign-in the session will carry.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub account: AccountRecord,
    pub sign_in_id: String,
    /// The account has a second factor and has not given it yet: the sign-in counts only
    /// after the second step (`mfa::second_step`).
    pub awaiting_second_factor: bool,
}

/// Records a new sign-in for the account (inside the caller's transaction), begun with `first`.
/// When the account has a second factor, the sign-in waits for it.
pub async fn open_sign_in(
    tx: &mut Tx,
    account: AccountRecord,
    (now, client_ip): (Timestamp, &str),
    first: FirstFactor,
) -> Result<SignedIn, StoreError> {
    open_sign_in_proved(tx, account, (now, client_ip), first, None).await
}

/// Like [`open_sign_in`], for a first step that may have proved a second factor itself (a
/// provider trusted for it said so): `proved` names how.
pub async fn open_sign_in_proved(
    tx: &mut Tx,
    account: AccountRecord,
    (now, client_ip): (Timestamp, &str),
    first: FirstFactor,
    proved: Option<&str>,
) -> Result<SignedIn, StoreError> {
    let sign_in_id = crate::tokens::new_token().raw;
    let second_factor = match proved {
        Some(how) => SecondFactor::Proved(how),
        None if has_second_factor(&mut **tx, account.id).await? => SecondFactor::Awaiting,
        None => SecondFactor::NotAsked,
    };
    insert_sign_in(
        tx,
        &sign_in_id,
        account.id,
        now,
        client_ip,
        (first, second_factor),
    )
    .await?;
    Ok(SignedIn {
        account,
        sign_in_id,
        awaiting_second_factor: second_factor == SecondFactor::Awaiting,
    })
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Deliberately one variant for unknown email, wrong password and disabled account.
    #[error("the email or password is not right")]
    BadCredentials,
    #[error("too many failed sign-ins; wait {0} s")]
    Throttled(u64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The key failures are counted under: the normalised email when it is one, else the raw text
/// lowercased (an unparseable email still gets throttled like any other).
fn throttle_key(email: &str) -> String {
    normalise_email(email).unwrap_or_else(|_| email.trim().to_lowercase())
}

/// Checks the credentials, with throttling and auditing. Every failure costs one argon2
/// verification and produces the same error, whether or not the account exists.
pub async fn sign_in(
    store: &Store,
    clock: &dyn Clock,
    email: &str,
    password: String,
    client_ip: &str,
) -> Result<SignedIn, SignInError> {
    let key = throttle_key(email);
    let now = clock.now();
    let recent = failures_since(store.read(), &key, now - WINDOW_SECONDS).await?;
    if let SignInGate::Wait(seconds) = sign_in_gate(&recent, now) {
        let mut tx = store.begin().await?;
        let event = AuditEvent::new(
            &Actor::anonymous(&key, client_ip),
            actions::SIGN_IN_THROTTLED,
            now,
        )
        .details(json!({ "retry_after_seconds": seconds }));
        record_event(&mut tx, &event).await?;
        storage::commit(tx).await?;
        return Err(SignInError::Throttled(seconds));
    }

    let account = find_by_email(store.read(), &key).await?;
    let usable_hash = account
        .as_ref()
        .filter(|a| !a.is_disabled())
        .and_then(|a| a.password_hash.clone());
    let verified = verify_password(usable_hash, password).await;

    let now = clock.now();
    let mut tx = store.begin().await?;
    let outcome = match account {
        Some(account) if verified => {
            clear_failures(&mut tx, &key).await?;
            let actor = Actor::account(account.id, &account.email, client_ip);
            let event = AuditEvent::new(&actor, actions::SIGN_IN_SUCCEEDED, now)
                .target("account", account.id, &account.email)
                .details(json!({ "sign_in_with": "password" }));
            record_event(&mut tx, &event).await?;
            Ok(open_sign_in(&mut tx, account, (now, client_ip), FirstFactor::Password).await?)
        }
        account => {
            record_failure(&mut tx, &key, now).await?;
            let reason = match &account {
                None => "unknown_email",
                Some(a) if a.is_disabled() => "account_disabled",
                Some(a) if a.password_hash.is_none() => "no_password_set",
                Some(_) => "wrong_password",
            };
            let mut event = AuditEvent::new(&Actor::anonymous(&key, client_ip), actions::SIGN_IN_FAILED, now)
                .details(json!({ "reason": reason }));
            if let Some(a) = &account {
                event = event.target("account", a.id, &a.email);
            }
            record_event(&mut tx, &event).await?;
            Err(SignInError::BadCredentials)
        }
    };
    storage::commit(tx).await?;
    outcome
}

/// The account a sign-in belongs to, if the sign-in still stands (see [`session_stands`]).
pub async fn account_of_sign_in(
    store: &Store,
    sign_in_id: &str,
    now: Timestamp,
    absolute_lifetime: i64,
) -> Result<Option<SignInRecord>, StoreError> {
    Ok(find_sign_in(store.read(), sign_in_id)
        .await?
        .filter(|record| session_stands(record.signed_in_at, &record.account, now, absolute_lifetime)))
}

/// Ends a sign-in: signing out, or a session found void.
pub async fn end_sign_in(store: &Store, sign_in_id: &str) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    delete_sign_in(&mut tx, sign_in_id).await?;
    commit(tx).await?;
    store.sign_ins_changed();
    Ok(())
}

/// A session stands while its account is enabled and the absolute lifetime since sign-in has
/// not passed. (The idle timeout is the session store's expiry, refreshed on every request;
/// sign-out and "end all sessions" delete the sign-in itself.)
pub fn session_stands(
    signed_in_at: Timestamp,
    account: &AccountRecord,
    now: Timestamp,
    absolute_lifetime: i64,
) -> bool {
    !account.is_disabled() && now >= signed_in_at && now - signed_in_at < absolute_lifetime
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(disabled: bool) -> AccountRecord {
        AccountRecord {
            id: 7,
            email: "ada@example.com".into(),
            display_name: "Ada".into(),
            password_hash: None,
            is_admin: 1,
            is_staff: 1,
            disabled_at: disabled.then_some(1),
            language: String::new(),
        }
    }

    const TWELVE_HOURS: i64 = 12 * 3600;

    #[test]
    fn a_fresh_session_stands() {
        assert!(session_stands(1000, &account(false), 1000 + 60, TWELVE_HOURS));
    }

    #[test]
    fn the_absolute_lifetime_ends_a_session_however_active() {
        assert!(session_stands(
            1000,
            &account(false),
            1000 + TWELVE_HOURS - 1,
            TWELVE_HOURS
        ));
        assert!(!session_stands(
            1000,
            &account(false),
            1000 + TWELVE_HOURS,
            TWELVE_HOURS
        ));
    }

    #[test]
    fn a_disabled_account_has_no_session() {
        assert!(!session_stands(1000, &account(true), 1001, TWELVE_HOURS));
    }

    #[test]
    fn throttle_key_normalises_emails_and_keeps_other_text() {
        assert_eq!(throttle_key(" Ada@Example.com"), "ada@example.com");
        assert_eq!(throttle_key(" NOT-AN-EMAIL "), "not-an-email");
    }
}
