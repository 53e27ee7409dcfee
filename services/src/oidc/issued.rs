//! The tokens an app receives, signed with `jsonwebtoken`: the ID token (RS256, which every
//! relying party reads) and the access token (a JWT access token per RFC 9068, ES256: cheaper to
//! sign, and only Portico itself reads it, at userinfo and introspection).

use jsonwebtoken::{decode, decode_header, encode, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::key_ring::KeyRing;
use super::signing_keys::{KeyError, Signer};
use crate::server_key::ServerKey;
use rules::clock::Timestamp;
use rules::oidc::grants::{granted_claims, ACCESS_TOKEN_SECONDS, ID_TOKEN_SECONDS};
use storage::oidc::claims::PersonClaims;
use storage::oidc::grants::GrantRow;
use storage::Store;

/// Where the provider lives and what it signs with.
pub struct Issuer<'a> {
    pub url: &'a str,
    pub store: &'a Store,
    pub server_key: &'a ServerKey,
    pub keys: &'a KeyRing,
}

/// What an access token says (and what userinfo and introspection read back).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub client_id: String,
    pub scope: String,
    /// The grant (the refresh family) the token belongs to: revoking it voids the token.
    pub gid: String,
    pub iat: Timestamp,
    pub exp: Timestamp,
    pub jti: String,
}

fn sign(signer: &Signer, typ: &str, claims: &impl Serialize) -> Result<String, KeyError> {
    let mut header = Header::new(signer.algorithm);
    header.kid = Some(signer.kid.clone());
    header.typ = Some(typ.to_string());
    encode(&header, claims, &signer.key).map_err(|e| KeyError::Crypto(e.to_string()))
}

/// The details the app may be told, as claims (for the ID token and userinfo).
pub fn person_claims_json(grant: &GrantRow, allowed: &[String], person: &PersonClaims) -> Map<String, Value> {
    let scopes: Vec<String> = grant.scopes.split(' ').map(str::to_string).collect();
    let mut claims = Map::new();
    claims.insert("sub".into(), json!(grant.account_id.to_string()));
    for claim in granted_claims(&scopes, allowed) {
        match claim {
            "email" => {
                claims.insert("email".into(), json!(person.email));
                claims.insert("email_verified".into(), json!(true));
            }
            "name" => {
                claims.insert("name".into(), json!(person.name));
            }
            "organisation" => {
                if let Some(organisation) = &person.organisation {
                    claims.insert("organisation".into(), json!(organisation));
                }
            }
            _ => {
                claims.insert("groups".into(), json!(person.groups));
            }
        }
    }
    claims
}

/// The ID token for `grant`, with the person's details and the request's `nonce`.
pub async fn id_token(
    issuer: &Issuer<'_>,
    grant: &GrantRow,
    mut claims: Map<String, Value>,
    nonce: Option<&str>,
    now: Timestamp,
) -> Result<String, KeyError> {
    claims.insert("iss".into(), json!(issuer.url));
    claims.insert("aud".into(), json!(grant.client_id));
    claims.insert("azp".into(), json!(grant.client_id));
    claims.insert("iat".into(), json!(now));
    claims.insert("exp".into(), json!(now + ID_TOKEN_SECONDS));
    claims.insert("auth_time".into(), json!(grant.auth_time));
    if let Some(nonce) = nonce {
        claims.insert("nonce".into(), json!(nonce));
    }
    let amr: Vec<&str> = grant.amr.split_whitespace().collect();
    if !amr.is_empty() {
        claims.insert("amr".into(), json!(amr));
    }
    let signer = issuer
        .keys
        .signer(issuer.store, issuer.server_key, "RS256", now)
        .await?;
    sign(&signer, "JWT", &claims)
}

/// An access token for `grant`, valid for [`ACCESS_TOKEN_SECONDS`].
pub async fn access_token(issuer: &Issuer<'_>, grant: &GrantRow, now: Timestamp) -> Result<String, KeyError> {
    let claims = AccessClaims {
        iss: issuer.url.to_string(),
        sub: grant.account_id.to_string(),
        aud: grant.client_id.clone(),
        client_id: grant.client_id.clone(),
        scope: grant.scopes.clone(),
        gid: grant.id.clone(),
        iat: now,
        exp: now + ACCESS_TOKEN_SECONDS,
        jti: crate::tokens::new_token().raw,
    };
    let signer = issuer
        .keys
        .signer(issuer.store, issuer.server_key, "ES256", now)
        .await?;
    sign(&signer, "at+jwt", &claims)
}

/// The claims of a token Portico signed with one of its published keys, of type `typ` and with
/// the `required` claims: signature and issuer checked, expiry left to the caller (by the
/// portal's clock, or not at all for a sign-out's hint). `None` for anything else.
async fn verified<T: serde::de::DeserializeOwned>(
    issuer: &Issuer<'_>,
    (token, typ): (&str, &str),
    required: &[&str],
    now: Timestamp,
) -> Result<Option<T>, KeyError> {
    let Ok(header) = decode_header(token) else {
        return Ok(None);
    };
    let Some(kid) = header.kid.filter(|_| header.typ.as_deref() == Some(typ)) else {
        return Ok(None);
    };
    let Some((algorithm, key)) = issuer
        .keys
        .verifier(issuer.store, issuer.server_key, &kid, now)
        .await?
    else {
        return Ok(None);
    };
    let mut validation = Validation::new(algorithm);
    validation.set_issuer(&[issuer.url]);
    validation.validate_aud = false;
    validation.validate_exp = false;
    validation.set_required_spec_claims(required);
    Ok(decode::<T>(token, &key, &validation).ok().map(|data| data.claims))
}

/// Reads an access token Portico signed: its signature, issuer and expiry (by our clock).
/// `None` for anything else.
pub async fn read_access_token(
    issuer: &Issuer<'_>,
    token: &str,
    now: Timestamp,
) -> Result<Option<AccessClaims>, KeyError> {
    let claims: Option<AccessClaims> =
        verified(issuer, (token, "at+jwt"), &["exp", "iss", "sub"], now).await?;
    Ok(claims.filter(|c| c.exp > now))
}

/// Who an ID token Portico signed names, and for which app: the `id_token_hint` of a sign-out
/// (an expired one is still a good hint, OpenID Connect RP-Initiated Logout 1.0, 2).
pub async fn read_id_token_hint(
    issuer: &Issuer<'_>,
    token: &str,
    now: Timestamp,
) -> Result<Option<(String, String)>, KeyError> {
    let claims: Option<Value> = verified(issuer, (token, "JWT"), &["iss", "sub", "aud"], now).await?;
    Ok(claims.and_then(|c| {
        let sub = c["sub"].as_str().map(str::to_string);
        let aud = c["aud"].as_str().map(str::to_string);
        sub.zip(aud)
    }))
}
