//! One-time codes by email: sending one (within the limits, the same way whether or not the
//! address has an account) and checking one (in the browser that asked, five tries at most).
//! Signing in with a code is here; redeeming an invitation with one is in invitations::redeem.

use rand::rngs::OsRng;
use rand::Rng;
use serde_json::json;

use crate::accounts::sign_in::{open_sign_in, SignedIn};
use crate::administration::look::PortalSettings;
use crate::audit::record_event;
use crate::mail::{MailContext, Recipient};
use crate::server_key::ServerKey;
use crate::tokens::hash_token;
use rules::accounts::first_factor::FirstFactor;
use rules::accounts::one_time_code::{
    judge, normalise_code, CodePurpose, CodeState, CodeVerdict, CODE_LIFETIME_SECONDS, LIMIT_WINDOW_SECONDS,
};
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::{Clock, Timestamp};
use rules::email::normalise_email;
use storage::accounts::account::{find_by_email, AccountRecord};
use storage::accounts::one_time_codes::{
    add_wrong_try, codes_sent_since, insert_code, mark_used, newest_code, NewCode,
};
use storage::administration::portal_settings::load_sign_in_methods;
use storage::outbox::enqueue;
use storage::{Store, StoreError, Tx};

const HASH_PURPOSE: &str = "one-time-code";

#[derive(Debug, thiserror::Error)]
pub enum CodeError {
    /// A message code for the field it concerns ("email" or "code").
    #[error("{1}")]
    Invalid(&'static str, String),
    #[error("one-time codes are switched off")]
    SwitchedOff,
    #[error("too many codes asked for in the last hour")]
    TooMany,
    #[error("the code is not right; {tries_left} tries left")]
    Wrong { tries_left: i64 },
    /// Used, expired, killed by wrong tries, or never asked for in this browser.
    #[error("the code no longer works")]
    Spent,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl CodeError {
    /// The message code a person reads about this problem (a store failure has none: it is
    /// the server's, not theirs). The field it belongs beside is the page's to choose.
    pub fn message(&self) -> Option<String> {
        Some(match self {
            CodeError::Invalid(_, message) => message.clone(),
            CodeError::SwitchedOff => "@codes_switched_off".into(),
            CodeError::TooMany => "@too_many_codes".into(),
            CodeError::Wrong { tries_left: 0 } => "@code_wrong_and_dead".into(),
            CodeError::Wrong { tries_left } => {
                rules::message::with("code_not_right", &[("count", &tries_left.to_string())])
            }
            CodeError::Spent => "@code_spent".into(),
            CodeError::Store(_) => return None,
        })
    }
}

/// Who asks for or types a code: the browser's own random value (kept in its session) and
/// its address.
#[derive(Debug, Clone, Copy)]
pub struct CodeBrowser<'a> {
    pub secret: &'a str,
    pub client_ip: &'a str,
}

/// A code to send: to whom, for what, and the email to send when there is one to send.
pub(crate) struct CodeToIssue<'a> {
    pub email: &'a str,
    pub purpose: CodePurpose,
    /// The recipient's language and, for an invitation, its resource; `None`: send nothing
    /// (an address without a partner account), but count and store alike.
    pub mail: Option<(&'a str, Option<&'a str>)>,
}

/// Stores a fresh code and queues its email, inside the caller's transaction; refuses past
/// the limits.
pub(crate) async fn issue_code(
    tx: &mut Tx,
    settings: &PortalSettings,
    mail: &MailContext,
    browser: CodeBrowser<'_>,
    code: CodeToIssue<'_>,
    now: Timestamp,
) -> Result<(), CodeError> {
    let (to_email, from_client) = codes_sent_since(
        &mut **tx,
        code.email,
        browser.client_ip,
        now - LIMIT_WINDOW_SECONDS,
    )
    .await?;
    if !settings.code_limits.allow(to_email, from_client) {
        return Err(CodeError::TooMany);
    }
    let digits = format!("{:08}", OsRng.gen_range(0..100_000_000u32));
    let purpose = code.purpose.as_key();
    let code_hash = settings
        .server_key
        .keyed_hash(HASH_PURPOSE, &[code.email, &purpose, &digits]);
    let record = NewCode {
        email: code.email,
        purpose: &purpose,
        code_hash: &code_hash,
        browser_hash: &hash_token(browser.secret),
        client_ip: browser.client_ip,
        expires_at: now + CODE_LIFETIME_SECONDS,
    };
    insert_code(tx, &record, now).await?;
    if let Some((language, resource)) = code.mail {
        let message = mail.one_time_code(Recipient::new(code.email, language), &digits, resource);
        enqueue(tx, &message, now).await?;
    }
    Ok(())
}

/// Checks a typed code against the newest this browser asked for. A wrong code counts against
/// it and is committed at once (the caller's work is dropped); a right one is spent, and the
/// transaction is handed back for the work the code allows.
pub(crate) async fn check_code(
    mut tx: Tx,
    key: &ServerKey,
    (email, purpose): (&str, CodePurpose),
    browser: CodeBrowser<'_>,
    typed: &str,
    now: Timestamp,
) -> Result<Tx, CodeError> {
    let digits = normalise_code(typed).map_err(|message| CodeError::Invalid("code", message.into()))?;
    let purpose = purpose.as_key();
    let Some(stored) = newest_code(&mut tx, email, &purpose, &hash_token(browser.secret)).await? else {
        return Err(CodeError::Spent);
    };
    let state = CodeState {
        expires_at: stored.expires_at,
        wrong_tries: stored.wrong_tries,
        used: stored.used_at.is_some(),
    };
    let matches = key.verify(&stored.code_hash, HASH_PURPOSE, &[email, &purpose, &digits]);
    match judge(&state, matches, now) {
        CodeVerdict::Accepted if mark_used(&mut tx, stored.id, now).await? => Ok(tx),
        CodeVerdict::Accepted | CodeVerdict::Spent => Err(CodeError::Spent),
        CodeVerdict::Wrong { tries_left } => {
            add_wrong_try(&mut tx, stored.id).await?;
            storage::commit(tx).await?;
            Err(CodeError::Wrong { tries_left })
        }
    }
}

/// The address as typed, normalised, or the message for the email field.
fn typed_email(email: &str) -> Result<String, CodeError> {
    normalise_email(email).map_err(|message| CodeError::Invalid("email", message.to_string()))
}

/// A partner account that may sign in with a code (staff keep their passwords).
fn signs_in_with_codes(account: &AccountRecord) -> bool {
    !account.is_disabled() && !account.is_staff() && !account.is_admin()
}

/// Sends a sign-in code to `email` if it belongs to a partner; otherwise does the same work
/// and sends nothing, so that the answer and its time tell nobody who has an account.
pub async fn send_sign_in_code(
    store: &Store,
    clock: &dyn Clock,
    (settings, mail): (&PortalSettings, &MailContext),
    email: &str,
    browser: CodeBrowser<'_>,
) -> Result<String, CodeError> {
    let email = typed_email(email)?;
    if !load_sign_in_methods(store.read()).await?.partner_codes {
        return Err(CodeError::SwitchedOff);
    }
    let account = find_by_email(store.read(), &email)
        .await?
        .filter(signs_in_with_codes);
    let now = clock.now();
    let mut tx = store.begin().await?;
    let code = CodeToIssue {
        email: &email,
        purpose: CodePurpose::SignIn,
        mail: account.as_ref().map(|a| (a.language.as_str(), None)),
    };
    issue_code(&mut tx, settings, mail, browser, code, now).await?;
    if let Some(account) = &account {
        let actor = Actor::anonymous(&email, browser.client_ip);
        let event = AuditEvent::new(&actor, actions::SIGN_IN_CODE_SENT, now).target(
            "account",
            account.id,
            &account.email,
        );
        record_event(&mut tx, &event).await?;
    }
    storage::commit(tx).await?;
    Ok(email)
}

/// Signs in with the code sent to `email` in this browser.
pub async fn sign_in_with_code(
    store: &Store,
    clock: &dyn Clock,
    key: &ServerKey,
    email: &str,
    browser: CodeBrowser<'_>,
    typed: &str,
) -> Result<SignedIn, CodeError> {
    let email = typed_email(email)?;
    let now = clock.now();
    let tx = store.begin().await?;
    let checked = check_code(tx, key, (&email, CodePurpose::SignIn), browser, typed, now).await;
    let mut tx = match checked {
        Ok(tx) => tx,
        Err(error) => {
            record_failure(store, &email, browser.client_ip, &error, now).await?;
            return Err(error);
        }
    };
    // A code is only ever sent to a partner; one who was disabled since gets nothing.
    let Some(account) = find_by_email(&mut *tx, &email).await?.filter(signs_in_with_codes) else {
        return Err(CodeError::Spent);
    };
    let actor = Actor::account(account.id, &account.email, browser.client_ip);
    let event = AuditEvent::new(&actor, actions::SIGN_IN_SUCCEEDED, now)
        .target("account", account.id, &account.email)
        .details(json!({ "sign_in_with": "code" }));
    record_event(&mut tx, &event).await?;
    let signed_in = open_sign_in(&mut tx, account, (now, browser.client_ip), FirstFactor::EmailCode).await?;
    storage::commit(tx).await?;
    Ok(signed_in)
}

/// A wrong or spent code is a failed sign-in in the audit log.
async fn record_failure(
    store: &Store,
    email: &str,
    client_ip: &str,
    error: &CodeError,
    now: Timestamp,
) -> Result<(), StoreError> {
    let reason = match error {
        CodeError::Wrong { .. } => "wrong_code",
        CodeError::Spent => "code_spent",
        _ => return Ok(()),
    };
    let mut tx = store.begin().await?;
    let event = AuditEvent::new(&Actor::anonymous(email, client_ip), actions::SIGN_IN_FAILED, now)
        .details(json!({ "reason": reason, "sign_in_with": "code" }));
    record_event(&mut tx, &event).await?;
    storage::commit(tx).await
}
