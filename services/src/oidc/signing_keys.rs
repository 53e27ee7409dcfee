//! The provider's signing keys: made at first start (one RS256, one ES256), kept sealed in the
//! database so every instance signs with the same keys, published as a JWK set, and rotated by
//! an admin (the new key is published an hour before it signs; the old one stays published until
//! its last token has expired).

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair as RsaKeyPair, KeySize};
use aws_lc_rs::signature::{EcdsaKeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
use jsonwebtoken::jwk::{Jwk, JwkSet, KeyOperations, PublicKeyUse};
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::json;

use crate::audit::record_event;
use crate::server_key::ServerKey;
use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::Timestamp;
use rules::oidc::signing_keys::{
    signing_key, KeyState, ALGORITHMS, LONGEST_TOKEN_SECONDS, PUBLISH_AHEAD_SECONDS,
};
use storage::oidc::signing_keys::{
    delete_retired_before, hand_over_signing, insert_signing_key, signing_keys, SigningKeyRow,
};
use storage::{commit, Store, StoreError};

/// The purpose the private keys are sealed under (see `ServerKey::seal`).
const SEAL_PURPOSE: &str = "oidc-signing-key";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the key could not be made or read: {0}")]
    Crypto(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn crypto(error: impl std::fmt::Display) -> KeyError {
    KeyError::Crypto(error.to_string())
}

/// A key ready to sign: its id for the token header, and the key itself.
#[derive(Clone)]
pub struct Signer {
    pub kid: String,
    pub algorithm: Algorithm,
    pub key: EncodingKey,
}

fn algorithm_of(name: &str) -> Result<Algorithm, KeyError> {
    match name {
        "RS256" => Ok(Algorithm::RS256),
        "ES256" => Ok(Algorithm::ES256),
        other => Err(KeyError::Crypto(format!("unknown algorithm {other}"))),
    }
}

/// A new private key of `algorithm`, as PKCS#8 PEM (the form `jsonwebtoken` reads for both).
fn new_private_pem(algorithm: Algorithm) -> Result<String, KeyError> {
    let der = match algorithm {
        Algorithm::RS256 => RsaKeyPair::generate(KeySize::Rsa2048)
            .map_err(crypto)?
            .as_der()
            .map_err(crypto)?
            .as_ref()
            .to_vec(),
        _ => EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &SystemRandom::new())
            .map_err(crypto)?
            .as_ref()
            .to_vec(),
    };
    Ok(pem::encode(&pem::Pem::new("PRIVATE KEY", der)))
}

fn encoding_key(algorithm: Algorithm, pem: &str) -> Result<EncodingKey, KeyError> {
    match algorithm {
        Algorithm::RS256 => EncodingKey::from_rsa_pem(pem.as_bytes()).map_err(crypto),
        _ => EncodingKey::from_ec_pem(pem.as_bytes()).map_err(crypto),
    }
}

/// A new key, sealed, with its public half as a JWK; it signs from `signs_from`.
fn new_key(
    server_key: &ServerKey,
    algorithm: Algorithm,
    now: Timestamp,
    signs_from: Timestamp,
) -> Result<SigningKeyRow, KeyError> {
    let pem = new_private_pem(algorithm)?;
    let mut jwk = Jwk::from_encoding_key(&encoding_key(algorithm, &pem)?, algorithm).map_err(crypto)?;
    // The key id is the key's own thumbprint (RFC 7638): the same everywhere it is published.
    let kid = jwk
        .thumbprint(jsonwebtoken::jwk::ThumbprintHash::SHA256)
        .map_err(crypto)?;
    jwk.common.key_id = Some(kid.clone());
    jwk.common.public_key_use = Some(PublicKeyUse::Signature);
    jwk.common.key_operations = Some(vec![KeyOperations::Verify]);
    Ok(SigningKeyRow {
        kid,
        algorithm: format!("{algorithm:?}"),
        private_sealed: server_key.seal(SEAL_PURPOSE, &pem),
        public_jwk: serde_json::to_string(&jwk).map_err(crypto)?,
        created_at: now,
        signs_from,
        retired_at: None,
    })
}

/// Makes a key for each algorithm that has none yet (a new portal's first start); the first keys
/// sign at once.
pub async fn ensure_signing_keys(
    store: &Store,
    server_key: &ServerKey,
    now: Timestamp,
) -> Result<(), KeyError> {
    // Every path to the keys passes here first: the provider must be in place before
    // `jsonwebtoken` is first used (it keeps whichever provider it met first).
    super::parsed_keys::install();
    let keys = signing_keys(store.read()).await?;
    if ALGORITHMS
        .iter()
        .all(|name| keys.iter().any(|k| k.algorithm == *name))
    {
        return Ok(());
    }
    let mut tx = store.begin().await?;
    // On SQLite the transaction holds the one writer's lock: read again, another instance may
    // have made them meanwhile. (Two PostgreSQL instances starting at once may each make a pair:
    // both are published, and either signs.)
    let keys = signing_keys(&mut *tx).await?;
    for name in ALGORITHMS {
        if keys.iter().all(|k| k.algorithm != name) {
            insert_signing_key(&mut tx, &new_key(server_key, algorithm_of(name)?, now, now)?).await?;
        }
    }
    commit(tx).await?;
    Ok(())
}

/// An admin rotates the keys: a new key of each algorithm is published now and signs in an
/// hour; the keys signing now stop then, and are forgotten once their last token has expired.
/// Rotating again within the hour replaces the keys the last rotation made (they never signed).
pub async fn rotate_signing_keys(
    store: &Store,
    server_key: &ServerKey,
    admin: &Actor,
    now: Timestamp,
) -> Result<Vec<String>, KeyError> {
    let signs_from = now + PUBLISH_AHEAD_SECONDS;
    let mut kids = Vec::new();
    let mut tx = store.begin().await?;
    delete_retired_before(&mut tx, now - LONGEST_TOKEN_SECONDS).await?;
    for name in ALGORITHMS {
        let key = new_key(server_key, algorithm_of(name)?, now, signs_from)?;
        insert_signing_key(&mut tx, &key).await?;
        hand_over_signing(&mut tx, (name, &key.kid), now, signs_from).await?;
        kids.push(key.kid);
    }
    let event = AuditEvent::new(admin, actions::OIDC_KEYS_ROTATED, now)
        .details(json!({ "new_keys": kids, "signing_from": signs_from }));
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    Ok(kids)
}

/// The published key set: every key not yet forgotten, the next ones included.
pub async fn published_keys(store: &Store, now: Timestamp) -> Result<JwkSet, KeyError> {
    let keys = signing_keys(store.read())
        .await?
        .into_iter()
        .filter(|k| k.times().is_published(now))
        .map(|k| serde_json::from_str::<Jwk>(&k.public_jwk).map_err(crypto))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(JwkSet { keys })
}

/// Every key still published, the latest to sign first, with where it stands (a portal's first keys are
/// made here when there are none yet).
pub async fn key_overview(
    store: &Store,
    server_key: &ServerKey,
    now: Timestamp,
) -> Result<Vec<(SigningKeyRow, KeyState)>, KeyError> {
    ensure_signing_keys(store, server_key, now).await?;
    let mut keys: Vec<_> = signing_keys(store.read())
        .await?
        .into_iter()
        .filter(|k| k.times().is_published(now))
        .map(|k| {
            let state = k.times().state(now);
            (k, state)
        })
        .collect();
    keys.sort_by_key(|(k, _)| (std::cmp::Reverse(k.signs_from), k.algorithm.clone()));
    Ok(keys)
}

/// The key that signs `algorithm` now.
pub async fn signer(
    store: &Store,
    server_key: &ServerKey,
    algorithm: &str,
    now: Timestamp,
) -> Result<Signer, KeyError> {
    let keys = signing_keys(store.read()).await?;
    let times: Vec<_> = keys.iter().map(SigningKeyRow::times).collect();
    let chosen = signing_key(&times, algorithm, now)
        .and_then(|t| keys.iter().find(|k| k.times() == *t))
        .ok_or_else(|| KeyError::Crypto(format!("no {algorithm} key signs now")))?;
    let pem = server_key
        .open(SEAL_PURPOSE, &chosen.private_sealed)
        .map_err(|_| KeyError::Crypto("a signing key does not open".into()))?;
    let algorithm = algorithm_of(&chosen.algorithm)?;
    Ok(Signer {
        kid: chosen.kid.clone(),
        algorithm,
        key: encoding_key(algorithm, &pem)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{decode, encode, DecodingKey, Header, Validation};

    #[test]
    fn a_token_signed_with_a_new_key_verifies_with_its_published_half_only() {
        let server_key = ServerKey::new(&[3u8; 32]);
        for name in ALGORITHMS {
            let algorithm = algorithm_of(name).expect("algorithm");
            let row = new_key(&server_key, algorithm, 100, 100).expect("key");
            assert!(
                !row.public_jwk.contains("\"d\""),
                "the published half holds no private part"
            );
            let pem = server_key.open(SEAL_PURPOSE, &row.private_sealed).expect("opens");
            let mut header = Header::new(algorithm);
            header.kid = Some(row.kid.clone());
            let claims = serde_json::json!({ "sub": "ada", "aud": "crm", "exp": 4_000_000_000u64 });
            let token =
                encode(&header, &claims, &encoding_key(algorithm, &pem).expect("key")).expect("signs");

            let jwk: Jwk = serde_json::from_str(&row.public_jwk).expect("jwk");
            assert_eq!(jwk.common.key_id.as_deref(), Some(row.kid.as_str()));
            let mut validation = Validation::new(algorithm);
            validation.set_audience(&["crm"]);
            let read =
                decode::<serde_json::Value>(&token, &DecodingKey::from_jwk(&jwk).expect("key"), &validation);
            assert_eq!(read.expect("verifies").claims["sub"], "ada", "{name}");

            let other = new_key(&server_key, algorithm, 100, 100).expect("another key");
            assert_ne!(other.kid, row.kid);
            let other_jwk: Jwk = serde_json::from_str(&other.public_jwk).expect("jwk");
            let refused = decode::<serde_json::Value>(
                &token,
                &DecodingKey::from_jwk(&other_jwk).expect("key"),
                &validation,
            );
            assert!(refused.is_err(), "{name}: another key's half refuses it");
        }
    }
}
