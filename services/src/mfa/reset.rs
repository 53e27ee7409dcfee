//! An admin resets a person's second factors (they lost their phone and their recovery codes):
//! every authenticator, passkey and recovery code goes, audited, and the person is emailed.
//! Nobody resets their own: they use a recovery code, or ask another admin.

use serde_json::json;

use super::MfaError;
use crate::audit::record_event;
use crate::mail::{MailContext, Recipient};
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::Timestamp;
use storage::accounts::account::find_by_id;
use storage::mfa::authenticators::delete_authenticators_of;
use storage::mfa::failures::clear_second_factor_failures;
use storage::mfa::passkeys::delete_passkeys_of;
use storage::mfa::recovery_codes::delete_recovery_codes;
use storage::outbox::enqueue;
use storage::{commit, Store};

pub async fn reset_second_factors(
    store: &Store,
    mail: &MailContext,
    admin: &Actor,
    account_id: i64,
    now: Timestamp,
) -> Result<(), MfaError> {
    if admin.account_id == Some(account_id) {
        return Err(MfaError::OwnReset);
    }
    let account = find_by_id(store.read(), account_id)
        .await?
        .ok_or(MfaError::NoSuchAuthenticator)?;
    let mut tx = store.begin().await?;
    let removed = delete_authenticators_of(&mut tx, account.id).await?;
    let passkeys_removed = delete_passkeys_of(&mut tx, account.id).await?;
    delete_recovery_codes(&mut tx, account.id).await?;
    clear_second_factor_failures(&mut tx, account.id).await?;
    let event = AuditEvent::new(admin, actions::SECOND_FACTORS_RESET, now)
        .target("account", account.id, &account.email)
        .details(json!({ "authenticators_removed": removed, "passkeys_removed": passkeys_removed }));
    record_event(&mut tx, &event).await?;
    let message = mail.second_factors_reset(Recipient::new(&account.email, &account.language));
    enqueue(&mut tx, &message, now).await?;
    commit(tx).await?;
    Ok(())
}
