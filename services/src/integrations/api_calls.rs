//! Calls made with an API token: who the token acts as (checked on every call) and the audit
//! event each call leaves.

use serde_json::json;

use crate::audit::record_event;
use crate::tokens::hash_token;
use rules::audit::event::{actions, Actor, AuditEvent};
use storage::accounts::account::{find_by_id, AccountRecord};
use storage::integrations::api_tokens::{find_by_hash, touch_token, ApiTokenRow};
use storage::{commit, Store, StoreError};

/// Why a token may not call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRefusal {
    /// No token has this value.
    Unknown,
    Revoked,
    Expired,
    /// The admin who made it is disabled.
    AccountDisabled,
    /// The admin who made it is an admin no more.
    NotAdmin,
}

#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error("the token may not call: {0:?}")]
    Refused(TokenRefusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The token behind `raw` and the admin it acts as, if it may call now.
pub async fn token_holder(
    store: &Store,
    raw: &str,
    now: i64,
) -> Result<(ApiTokenRow, AccountRecord), CallError> {
    let refused = CallError::Refused;
    let db = store.read();
    let token = find_by_hash(db, &hash_token(raw))
        .await?
        .ok_or(refused(TokenRefusal::Unknown))?;
    if token.revoked_at.is_some() {
        return Err(refused(TokenRefusal::Revoked));
    }
    if token.expires_at.is_some_and(|end| end <= now) {
        return Err(refused(TokenRefusal::Expired));
    }
    let account = find_by_id(db, token.created_by)
        .await?
        .filter(|a| !a.is_disabled())
        .ok_or(refused(TokenRefusal::AccountDisabled))?;
    if !account.is_admin() {
        return Err(refused(TokenRefusal::NotAdmin));
    }
    Ok((token, account))
}

/// One call as the audit log keeps it.
pub struct Call<'a> {
    pub token_id: i64,
    pub token_name: &'a str,
    pub actor: &'a Actor,
    pub method: &'a str,
    pub path: &'a str,
    pub status: u16,
}

/// Records the call (one audit event) and the token's last use.
pub async fn record_call(store: &Store, call: &Call<'_>, now: i64) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    touch_token(&mut tx, call.token_id, now).await?;
    let event = AuditEvent::new(call.actor, actions::API_CALLED, now)
        .target("api_token", call.token_id, call.token_name)
        .details(json!({ "method": call.method, "path": call.path, "status": call.status }));
    record_event(&mut tx, &event).await?;
    commit(tx).await
}
