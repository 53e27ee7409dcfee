//! Token revocation (RFC 7009) and introspection (RFC 7662). Revoking any token of a grant
//! revokes the grant: every refresh and access token of that sign-in into the app.

use serde_json::{json, Value};

use super::issued::{read_access_token, Issuer};
use super::token::{authenticate_client, TokenError, TokenRequest};
use crate::tokens::hash_token;
use rules::clock::Timestamp;
use storage::memberships::membership::holds;
use storage::oidc::clients::ClientRow;
use storage::oidc::grants::{find_grant, find_refresh_token, revoke_grant, GrantRow};
use storage::{commit, Store, StoreError};

/// The grant `token` belongs to, if it is one of `client`'s (a refresh token or an access token).
async fn grant_of(
    issuer: &Issuer<'_>,
    client: &ClientRow,
    token: &str,
    now: Timestamp,
) -> Result<Option<(GrantRow, Option<Timestamp>)>, TokenError> {
    let store = issuer.store;
    let found = if let Some(claims) = read_access_token(issuer, token, now).await? {
        find_grant(store.read(), &claims.gid)
            .await?
            .map(|g| (g, Some(claims.exp)))
    } else {
        find_refresh_token(store.read(), &hash_token(token))
            .await?
            .filter(|t| t.token_used_at.is_none() && t.token_expires_at > now)
            .map(|t| (t.grant, None))
    };
    Ok(found.filter(|(g, _)| g.client_id == client.client_id))
}

/// Revokes the token's grant. Unknown tokens, and other clients' tokens, are answered the same
/// way (RFC 7009, 2.2): nothing tells a caller which tokens exist.
pub async fn revoke(
    issuer: &Issuer<'_>,
    request: &TokenRequest,
    token: &str,
    now: Timestamp,
) -> Result<(), TokenError> {
    let client = authenticate_client(issuer.store, request).await?;
    if let Some((grant, _)) = grant_of(issuer, &client, token, now).await? {
        revoke_in(issuer.store, &grant.id, now).await?;
    }
    Ok(())
}

async fn revoke_in(store: &Store, grant_id: &str, now: Timestamp) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    revoke_grant(&mut tx, grant_id, now).await?;
    commit(tx).await
}

/// What a confidential client may learn about one of its tokens: active only while its grant
/// stands and the person still holds the app.
pub async fn introspect(
    issuer: &Issuer<'_>,
    request: &TokenRequest,
    token: &str,
    now: Timestamp,
) -> Result<Value, TokenError> {
    let client = authenticate_client(issuer.store, request).await?;
    if !client.is_confidential() {
        return Err(TokenError::Refused(
            "invalid_client",
            "introspection is for confidential clients",
        ));
    }
    let inactive = json!({ "active": false });
    let Some((grant, expires_at)) = grant_of(issuer, &client, token, now).await? else {
        return Ok(inactive);
    };
    if grant.revoked_at.is_some()
        || !holds(issuer.store.read(), grant.account_id, client.resource_id, now).await?
    {
        return Ok(inactive);
    }
    let mut answer = json!({
        "active": true,
        "client_id": grant.client_id,
        "sub": grant.account_id.to_string(),
        "scope": grant.scopes,
        "iss": issuer.url,
        "token_type": if expires_at.is_some() { "Bearer" } else { "refresh_token" },
    });
    if let Some(exp) = expires_at {
        answer["exp"] = json!(exp);
    }
    Ok(answer)
}
