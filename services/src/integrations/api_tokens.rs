//! Making and revoking API tokens. The raw token leaves this module once, to be shown to the
//! admin who made it; only its SHA-256 is stored.

use serde_json::json;

use crate::audit::record_event;
use crate::tokens::new_token;
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::error::FieldErrors;
use rules::integrations::api_token::{bearer_value, NewTokenInput, TOKEN_PREFIX};
use storage::accounts::account::AccountRecord;
use storage::integrations::api_tokens::{
    find_token, insert_token, list_tokens, revoke_token as store_revoke, ApiTokenRow, NewApiToken,
};
use storage::{commit, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("not found")]
    NotFound,
    #[error("already revoked")]
    AlreadyRevoked,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A new token: its id and the bearer value, shown once.
pub struct MadeToken {
    pub id: i64,
    pub bearer: String,
}

pub async fn make_token(
    store: &Store,
    admin: &AccountRecord,
    actor: &Actor,
    input: &NewTokenInput,
    now: i64,
) -> Result<MadeToken, TokenError> {
    let checked = input.check(now).map_err(TokenError::Invalid)?;
    let token = new_token();
    let bearer = bearer_value(&token.raw);
    // Enough to tell tokens apart in the list, far too little to guess the rest.
    let prefix: String = bearer.chars().take(TOKEN_PREFIX.len() + 6).collect();
    let mut tx = store.begin().await?;
    let id = insert_token(
        &mut tx,
        &NewApiToken {
            name: &checked.name,
            token_hash: &token.hash,
            prefix: &prefix,
            scopes: &checked.scopes,
            created_by: admin.id,
            expires_at: checked.expires_at,
        },
        now,
    )
    .await?;
    let event = AuditEvent::new(actor, actions::API_TOKEN_CREATED, now)
        .target("api_token", id, &checked.name)
        .details(json!({ "scopes": checked.scopes, "expires_at": checked.expires_at }));
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    Ok(MadeToken { id, bearer })
}

pub async fn revoke_token(store: &Store, actor: &Actor, id: i64, now: i64) -> Result<(), TokenError> {
    let token = find_token(store.read(), id).await?.ok_or(TokenError::NotFound)?;
    let mut tx = store.begin().await?;
    if !store_revoke(&mut tx, id, now).await? {
        return Err(TokenError::AlreadyRevoked);
    }
    let event = AuditEvent::new(actor, actions::API_TOKEN_REVOKED, now).target("api_token", id, &token.name);
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    Ok(())
}

/// Every token (revoked ones too), newest first, for the admin's list.
pub async fn tokens(store: &Store) -> Result<Vec<ApiTokenRow>, StoreError> {
    list_tokens(store.read()).await
}
