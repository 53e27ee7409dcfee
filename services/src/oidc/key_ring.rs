//! The keys an instance signs and verifies with, read from the database and kept for a few
//! seconds: opening a sealed key and parsing it for every token would cost more than signing.
//! Another instance's rotation is seen within [`KEPT_SECONDS`] (a new key is published an hour
//! before it signs, so nothing is signed with a key the relying parties cannot know yet).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::DecodingKey;

use super::signing_keys::{ensure_signing_keys, published_keys, signer, KeyError, Signer};
use crate::server_key::ServerKey;
use rules::clock::Timestamp;
use storage::Store;

pub const KEPT_SECONDS: i64 = 5;

#[derive(Default)]
struct Kept {
    read_at: Timestamp,
    signers: HashMap<&'static str, Signer>,
    verifiers: HashMap<String, (jsonwebtoken::Algorithm, DecodingKey)>,
}

/// Shared by every request of one instance.
#[derive(Clone, Default)]
pub struct KeyRing {
    kept: Arc<RwLock<Option<Kept>>>,
    /// One request reads the keys again (or makes a portal's first ones) while the others wait
    /// for it: without this, every request that found no keys made its own (`make bench` saw 32
    /// pairs of RSA keys made at once by the first 32 token requests).
    reading: Arc<tokio::sync::Mutex<()>>,
}

impl KeyRing {
    /// Reads the keys when the kept ones are stale: before a write transaction begins (SQLite
    /// has one writer, and a portal's first keys are written here).
    pub async fn fresh(&self, store: &Store, server_key: &ServerKey, now: Timestamp) -> Result<(), KeyError> {
        if !self.stale(now) {
            return Ok(());
        }
        let _reading = self.reading.lock().await;
        if !self.stale(now) {
            return Ok(());
        }
        ensure_signing_keys(store, server_key, now).await?;
        let mut kept = Kept {
            read_at: now,
            ..Kept::default()
        };
        for name in rules::oidc::signing_keys::ALGORITHMS {
            kept.signers
                .insert(name, signer(store, server_key, name, now).await?);
        }
        for jwk in published_keys(store, now).await?.keys {
            let (Some(kid), Some(algorithm)) = (jwk.common.key_id.clone(), algorithm_of(&jwk)) else {
                continue;
            };
            if let Ok(key) = DecodingKey::from_jwk(&jwk) {
                kept.verifiers.insert(kid, (algorithm, key));
            }
        }
        if let Ok(mut slot) = self.kept.write() {
            *slot = Some(kept);
        }
        Ok(())
    }

    fn stale(&self, now: Timestamp) -> bool {
        self.kept
            .read()
            .map(|kept| {
                kept.as_ref()
                    .is_none_or(|k| now - k.read_at >= KEPT_SECONDS || now < k.read_at)
            })
            .unwrap_or(true)
    }

    /// The key that signs `algorithm` now.
    pub async fn signer(
        &self,
        store: &Store,
        server_key: &ServerKey,
        algorithm: &'static str,
        now: Timestamp,
    ) -> Result<Signer, KeyError> {
        self.fresh(store, server_key, now).await?;
        self.kept
            .read()
            .ok()
            .and_then(|kept| kept.as_ref().and_then(|k| k.signers.get(algorithm).cloned()))
            .ok_or_else(|| KeyError::Crypto(format!("no {algorithm} key signs now")))
    }

    /// The published key `kid`, to verify a token Portico signed.
    pub async fn verifier(
        &self,
        store: &Store,
        server_key: &ServerKey,
        kid: &str,
        now: Timestamp,
    ) -> Result<Option<(jsonwebtoken::Algorithm, DecodingKey)>, KeyError> {
        self.fresh(store, server_key, now).await?;
        Ok(self
            .kept
            .read()
            .ok()
            .and_then(|kept| kept.as_ref().and_then(|k| k.verifiers.get(kid).cloned())))
    }
}

fn algorithm_of(jwk: &Jwk) -> Option<jsonwebtoken::Algorithm> {
    match jwk.common.key_algorithm? {
        jsonwebtoken::jwk::KeyAlgorithm::RS256 => Some(jsonwebtoken::Algorithm::RS256),
        jsonwebtoken::jwk::KeyAlgorithm::ES256 => Some(jsonwebtoken::Algorithm::ES256),
        _ => None,
    }
}
