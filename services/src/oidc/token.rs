//! The token endpoint: a code exchanged once for tokens, and refresh tokens that rotate on every
//! use. A code or refresh token that comes back after use revokes everything it gave (OAuth 2.0
//! Security BCP, 4.5 and 4.14).

use openidconnect::{PkceCodeChallenge, PkceCodeVerifier};
use serde::Serialize;
use serde_json::json;

use super::batched::{GrantWrite, Spent};
use super::clients::secret_matches;
use super::issued::{access_token, id_token, person_claims_json, Issuer};
use super::signing_keys::KeyError;
use crate::audit::record_event;
use crate::tokens::{hash_token, new_token};
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::Timestamp;
use rules::oidc::grants::ACCESS_TOKEN_SECONDS;
use storage::oidc::claims::{code_with_claims, refresh_token_with_claims, PersonClaims};
use storage::oidc::clients::{kept_client, ClientRow};
use storage::oidc::grants::{revoke_grant, CodeRow, GrantRow};
use storage::{commit, Store, StoreError, Tx};

/// The request's form fields, and the client's credentials wherever they came from.
#[derive(Debug, Clone, Default)]
pub struct TokenRequest {
    pub grant_type: String,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub refresh_token: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

/// An error answer (RFC 6749, 5.2).
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("{0}: {1}")]
    Refused(&'static str, &'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Key(#[from] KeyError),
}

fn refused(error: &'static str, description: &'static str) -> TokenError {
    TokenError::Refused(error, description)
}

#[derive(Debug, Clone, Serialize)]
pub struct Tokens {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub refresh_token: String,
    pub id_token: String,
    pub scope: String,
}

/// The client, authenticated: a confidential client by its secret, a public one by its id alone.
pub async fn authenticate_client(store: &Store, request: &TokenRequest) -> Result<ClientRow, TokenError> {
    let client_id = request
        .client_id
        .as_deref()
        .ok_or_else(|| refused("invalid_client", "the client is not identified"))?;
    let client = kept_client(store, client_id)
        .await?
        .filter(|c| c.archived_at.is_none())
        .ok_or_else(|| refused("invalid_client", "unknown client"))?;
    let authentic = match (&request.client_secret, client.is_confidential()) {
        (Some(secret), true) => secret_matches(&client, secret),
        (None, false) => true,
        _ => false,
    };
    if authentic {
        Ok(client)
    } else {
        Err(refused("invalid_client", "client authentication failed"))
    }
}

pub async fn grant_tokens(
    issuer: &Issuer<'_>,
    request: &TokenRequest,
    now: Timestamp,
) -> Result<Tokens, TokenError> {
    let client = authenticate_client(issuer.store, request).await?;
    issuer.keys.fresh(issuer.store, issuer.server_key, now).await?;
    match request.grant_type.as_str() {
        "authorization_code" => exchange_code(issuer, &client, request, now).await,
        "refresh_token" => refresh(issuer, &client, request, now).await,
        "" => Err(refused("invalid_request", "grant_type is missing")),
        _ => Err(refused(
            "unsupported_grant_type",
            "use authorization_code or refresh_token",
        )),
    }
}

async fn reused(tx: &mut Tx, grant_id: &str, client: &ClientRow, now: Timestamp) -> Result<(), StoreError> {
    if revoke_grant(tx, grant_id, now).await? {
        let event = AuditEvent::new(&Actor::system(), actions::OIDC_TOKEN_REUSED, now)
            .target("app", &client.client_id, &client.resource_name)
            .resource(client.resource_id)
            .details(json!({ "client_id": client.client_id, "grant": grant_id }));
        record_event(tx, &event).await?;
    }
    Ok(())
}

fn pkce_holds(code: &CodeRow, verifier: Option<&str>) -> bool {
    match (code.code_challenge.as_deref(), verifier) {
        (None, None) => true,
        (Some(challenge), Some(verifier)) => {
            let expected =
                PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(verifier.to_string()));
            let ok_shape = (43..=128).contains(&verifier.len());
            ok_shape && expected.as_str() == challenge
        }
        _ => false,
    }
}

/// Reads and checks first, on the read connections (the code and the person's claims in one
/// statement); the write only marks the code used (exactly one request can) and stores the grant
/// and its refresh token, batched with the other grants waiting (batched.rs). On SQLite a
/// transaction holds the one writer's lock, so what it does is kept to those statements.
async fn exchange_code(
    issuer: &Issuer<'_>,
    client: &ClientRow,
    request: &TokenRequest,
    now: Timestamp,
) -> Result<Tokens, TokenError> {
    let raw = request
        .code
        .as_deref()
        .ok_or_else(|| refused("invalid_request", "code is missing"))?;
    let hash = hash_token(raw);
    let store = issuer.store;
    let (code, person) = code_with_claims(store.read(), (&hash, client.resource_id), now)
        .await?
        .filter(|(c, _)| c.client_id == client.client_id)
        .ok_or_else(|| refused("invalid_grant", "unknown code"))?;
    if let Some(grant_id) = code.used_at.and(code.grant_id.as_deref()) {
        let mut tx = store.begin().await?;
        reused(&mut tx, grant_id, client, now).await?;
        commit(tx).await?;
        return Err(refused("invalid_grant", "the code was used before"));
    }
    if code.expires_at <= now {
        return Err(refused("invalid_grant", "the code has expired"));
    }
    if request.redirect_uri.as_deref() != Some(code.redirect_uri.as_str()) {
        return Err(refused(
            "invalid_grant",
            "redirect_uri does not match the authorization request",
        ));
    }
    if !pkce_holds(&code, request.code_verifier.as_deref()) {
        return Err(refused("invalid_grant", "the code verifier does not match"));
    }
    let grant = GrantRow {
        id: new_token().raw,
        client_id: client.client_id.clone(),
        account_id: code.account_id,
        scopes: code.scopes.clone(),
        auth_time: code.auth_time,
        amr: code.amr.clone(),
        created_at: now,
        revoked_at: None,
    };
    let unsigned = unsigned_for(client, &grant, person)?;
    let write = GrantWrite {
        spent: Spent::Code(hash, grant.clone()),
        next_refresh: unsigned.refresh_token.hash.clone(),
        now,
    };
    if !store.write_batched(write).await? {
        return Err(refused("invalid_grant", "the code was used before"));
    }
    Ok(signed(issuer, &grant, unsigned, code.nonce.as_deref(), now).await?)
}

/// Like [`exchange_code`]: checks on the read connections, then one batched write.
async fn refresh(
    issuer: &Issuer<'_>,
    client: &ClientRow,
    request: &TokenRequest,
    now: Timestamp,
) -> Result<Tokens, TokenError> {
    let raw = request
        .refresh_token
        .as_deref()
        .ok_or_else(|| refused("invalid_request", "refresh_token is missing"))?;
    let hash = hash_token(raw);
    let store = issuer.store;
    let unknown = || refused("invalid_grant", "unknown refresh token");
    let (token, person) = refresh_token_with_claims(store.read(), (&hash, client.resource_id), now)
        .await?
        .filter(|(t, _)| t.grant.client_id == client.client_id)
        .ok_or_else(unknown)?;
    let grant = &token.grant;
    if grant.revoked_at.is_some() {
        return Err(refused("invalid_grant", "the refresh token was revoked"));
    }
    let used_before = || refused("invalid_grant", "the refresh token was used before");
    if token.token_used_at.is_some() {
        let mut tx = store.begin().await?;
        reused(&mut tx, &grant.id, client, now).await?;
        commit(tx).await?;
        return Err(used_before());
    }
    if token.token_expires_at <= now {
        return Err(refused("invalid_grant", "the refresh token has expired"));
    }
    let unsigned = unsigned_for(client, grant, person)?;
    let write = GrantWrite {
        spent: Spent::Refresh(hash, grant.id.clone()),
        next_refresh: unsigned.refresh_token.hash.clone(),
        now,
    };
    if !store.write_batched(write).await? {
        let mut tx = store.begin().await?;
        reused(&mut tx, &grant.id, client, now).await?;
        commit(tx).await?;
        return Err(used_before());
    }
    Ok(signed(issuer, grant, unsigned, None, now).await?)
}

/// What a grant gives before it is stored and signed: the next refresh token of its family and
/// the ID token's claims.
struct Unsigned {
    refresh_token: crate::tokens::NewToken,
    claims: serde_json::Map<String, serde_json::Value>,
}

/// The person's claims for the app, if they still hold it (checked at every grant: read with
/// the code or refresh token).
fn unsigned_for(
    client: &ClientRow,
    grant: &GrantRow,
    person: Option<PersonClaims>,
) -> Result<Unsigned, TokenError> {
    let person =
        person.ok_or_else(|| refused("invalid_grant", "the person no longer has access to this app"))?;
    Ok(Unsigned {
        refresh_token: new_token(),
        claims: person_claims_json(grant, &client.claims(), &person),
    })
}

/// The ID and access tokens, signed after the transaction has committed: on SQLite a signature
/// made inside it would hold the one writer's lock for the half millisecond RS256 takes, and
/// every other grant would wait for it. The keys are fresh already (`grant_tokens`); should a
/// signature still fail, the person signs in to the app again.
async fn signed(
    issuer: &Issuer<'_>,
    grant: &GrantRow,
    unsigned: Unsigned,
    nonce: Option<&str>,
    now: Timestamp,
) -> Result<Tokens, KeyError> {
    Ok(Tokens {
        id_token: id_token(issuer, grant, unsigned.claims, nonce, now).await?,
        access_token: access_token(issuer, grant, now).await?,
        token_type: "Bearer",
        expires_in: ACCESS_TOKEN_SECONDS,
        refresh_token: unsigned.refresh_token.raw,
        scope: grant.scopes.clone(),
    })
}
