//! The second step of a sign-in: a code from an authenticator app or a recovery code, for a
//! sign-in whose first step is done. Five wrong codes lock the step for 15 minutes (audited, and
//! the person is emailed); the lock is only ever said at this step, never at the first.

use serde_json::json;

use super::authenticator::{matching_step, SEAL_PURPOSE};
use super::enrolment::recovery_hash;
use super::MfaError;
use crate::accounts::sign_in::SignedIn;
use crate::audit::record_event;
use crate::mail::{MailContext, Recipient};
use crate::server_key::ServerKey;
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::Timestamp;
use rules::mfa::second_step::{
    read_second_factor, second_step_gate, SecondFactorInput, SecondStepGate, FAILURES_LOOK_BACK_SECONDS,
    LOCK_SECONDS,
};
use storage::accounts::account::AccountRecord;
use storage::accounts::sign_ins::{complete_second_step, find_awaiting_sign_in};
use storage::mfa::authenticators::{authenticators_of, take_step};
use storage::mfa::failures::{
    clear_second_factor_failures, record_second_factor_failure, second_factor_failures_since,
};
use storage::mfa::recovery_codes::spend_recovery_code;
use storage::outbox::enqueue;
use storage::{commit, Store, Tx};

/// How long a first step waits for its second.
pub const SECOND_STEP_SECONDS: i64 = 10 * 60;

/// Where the second step happens: the sign-in (waiting, or standing for a step-up), and the
/// browser's address.
pub struct WaitingSignIn<'a> {
    pub sign_in_id: &'a str,
    pub client_ip: &'a str,
}

/// The account of a sign-in waiting for its second factor, while it may still be given.
pub async fn waiting_account(
    store: &Store,
    sign_in_id: &str,
    now: Timestamp,
) -> Result<AccountRecord, MfaError> {
    match find_awaiting_sign_in(store.read(), sign_in_id).await? {
        Some(record) if !record.account.is_disabled() && now - record.signed_in_at < SECOND_STEP_SECONDS => {
            Ok(record.account)
        }
        _ => Err(MfaError::NothingWaiting),
    }
}

/// Takes the code for a sign-in of `account` that has given no second factor: one waiting for
/// it (see [`waiting_account`]), or a standing one that reached something requiring it
/// (step-up). The same lock and audit apply either way; on success the sign-in counts.
pub async fn step_up(
    store: &Store,
    key: &ServerKey,
    mail: &MailContext,
    account: AccountRecord,
    waiting: WaitingSignIn<'_>,
    typed: &str,
    now: Timestamp,
) -> Result<SignedIn, MfaError> {
    let failures =
        second_factor_failures_since(store.read(), account.id, now - FAILURES_LOOK_BACK_SECONDS).await?;
    if let SecondStepGate::Locked(seconds) = second_step_gate(&failures, now) {
        return Err(MfaError::Locked(seconds));
    }
    let input = read_second_factor(typed).ok_or(MfaError::NotACode)?;
    let actor = Actor::account(account.id, &account.email, waiting.client_ip);
    let mut tx = store.begin().await?;
    let factor = match &input {
        SecondFactorInput::Authenticator(code) => authenticator_takes(&mut tx, key, &account, code, now)
            .await?
            .then_some("authenticator"),
        SecondFactorInput::Recovery(code) => {
            let hash = recovery_hash(key, account.id, code);
            spend_recovery_code(&mut tx, account.id, &hash, now)
                .await?
                .then_some("recovery_code")
        }
    };
    let Some(factor) = factor else {
        drop(tx);
        return Err(wrong_code(store, mail, &actor, &account, failures, now).await?);
    };
    factor_given(store, tx, &actor, account, waiting.sign_in_id, factor, now).await
}

/// The sign-in counts from now on, having given `factor` (authenticator, recovery_code or
/// passkey): the wrong tries are forgotten, and it is audited.
pub(super) async fn factor_given(
    store: &Store,
    mut tx: Tx,
    actor: &Actor,
    account: AccountRecord,
    sign_in_id: &str,
    factor: &str,
    now: Timestamp,
) -> Result<SignedIn, MfaError> {
    if !complete_second_step(&mut tx, sign_in_id, factor).await? {
        return Err(MfaError::NothingWaiting);
    }
    clear_second_factor_failures(&mut tx, account.id).await?;
    let action = if factor == "recovery_code" {
        actions::RECOVERY_CODE_USED
    } else {
        actions::SECOND_FACTOR_PASSED
    };
    let event = AuditEvent::new(actor, action, now)
        .target("account", account.id, &account.email)
        .details(json!({ "factor": factor }));
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    store.sign_ins_changed();
    Ok(SignedIn {
        account,
        sign_in_id: sign_in_id.to_string(),
        awaiting_second_factor: false,
    })
}

/// Whether one of the account's authenticators shows `code` now, in a step not used before
/// (taken here, so the same code cannot pass twice).
async fn authenticator_takes(
    tx: &mut Tx,
    key: &ServerKey,
    account: &AccountRecord,
    code: &str,
    now: Timestamp,
) -> Result<bool, MfaError> {
    for authenticator in authenticators_of(&mut **tx, account.id).await? {
        if !authenticator.is_confirmed() {
            continue;
        }
        let Ok(secret) = key.open(SEAL_PURPOSE, &authenticator.secret_sealed) else {
            tracing::error!(
                authenticator = authenticator.id,
                "an authenticator's secret does not open"
            );
            continue;
        };
        if let Some(step) = matching_step(&secret, code, now) {
            return Ok(take_step(tx, authenticator.id, step, now).await?);
        }
    }
    Ok(false)
}

/// Counts a wrong code (audited); the fifth locks the step, audited and emailed.
async fn wrong_code(
    store: &Store,
    mail: &MailContext,
    actor: &Actor,
    account: &AccountRecord,
    mut failures: Vec<Timestamp>,
    now: Timestamp,
) -> Result<MfaError, MfaError> {
    failures.push(now);
    let locked = matches!(second_step_gate(&failures, now), SecondStepGate::Locked(_));
    let mut tx = store.begin().await?;
    record_second_factor_failure(&mut tx, account.id, now).await?;
    let failed = AuditEvent::new(actor, actions::SECOND_FACTOR_FAILED, now).target(
        "account",
        account.id,
        &account.email,
    );
    record_event(&mut tx, &failed).await?;
    if locked {
        let event = AuditEvent::new(actor, actions::SECOND_FACTOR_LOCKED, now)
            .target("account", account.id, &account.email)
            .details(json!({ "locked_seconds": LOCK_SECONDS }));
        record_event(&mut tx, &event).await?;
        let message = mail.second_step_locked(
            Recipient::new(&account.email, &account.language),
            LOCK_SECONDS / 60,
        );
        enqueue(&mut tx, &message, now).await?;
    }
    commit(tx).await?;
    Ok(if locked {
        MfaError::Locked(LOCK_SECONDS as u64)
    } else {
        MfaError::Wrong
    })
}
