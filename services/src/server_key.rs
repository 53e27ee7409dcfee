//! The server's secret key, from its configuration: it keys the hashes of one-time codes, so
//! that a copy of the database alone does not let anyone try all 10^8 codes offline. One key
//! for every instance of a portal. Never printed. It also seals the few secrets Portico must
//! read back (identity providers' client secrets): AES-256-GCM under a key derived from it.

use std::sync::Arc;

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

#[derive(Clone)]
pub struct ServerKey(Arc<[u8]>);

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerKey(…)")
    }
}

impl ServerKey {
    /// At least 32 bytes; the configuration checks that before.
    pub fn new(bytes: &[u8]) -> Self {
        Self(Arc::from(bytes))
    }

    /// HMAC-SHA256 over `purpose` and the parts, each length-prefixed so that no two lists of
    /// parts give the same input.
    fn mac(&self, purpose: &str, parts: &[&str]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC accepts any key length");
        for part in std::iter::once(purpose).chain(parts.iter().copied()) {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        mac
    }

    /// The keyed hash to store, as base64.
    pub fn keyed_hash(&self, purpose: &str, parts: &[&str]) -> String {
        STANDARD_NO_PAD.encode(self.mac(purpose, parts).finalize().into_bytes())
    }

    /// Whether `stored` is the keyed hash of these parts, compared in constant time.
    pub fn verify(&self, stored: &str, purpose: &str, parts: &[&str]) -> bool {
        match STANDARD_NO_PAD.decode(stored) {
            Ok(tag) => self.mac(purpose, parts).verify_slice(&tag).is_ok(),
            Err(_) => false,
        }
    }
}

/// A sealed secret could not be opened: another server key, or a damaged value.
#[derive(Debug, thiserror::Error)]
#[error("the sealed value does not open with this server key")]
pub struct SealBroken;

const NONCE_BYTES: usize = 12;

impl ServerKey {
    /// The AES-256-GCM key for one kind of secret, derived with the HMAC (never the raw key).
    fn cipher(&self, purpose: &str) -> aes_gcm::Aes256Gcm {
        use aes_gcm::KeyInit;
        let derived = self.mac("seal", &[purpose]).finalize().into_bytes();
        aes_gcm::Aes256Gcm::new_from_slice(&derived).expect("a 32-byte key")
    }

    /// Encrypts `secret` (random nonce, the purpose as associated data): base64 of nonce and
    /// ciphertext.
    pub fn seal(&self, purpose: &str, secret: &str) -> String {
        use aes_gcm::aead::{Aead, AeadCore, OsRng, Payload};
        let nonce = aes_gcm::Aes256Gcm::generate_nonce(&mut OsRng);
        let payload = Payload {
            msg: secret.as_bytes(),
            aad: purpose.as_bytes(),
        };
        let sealed = self
            .cipher(purpose)
            .encrypt(&nonce, payload)
            .expect("AES-GCM encrypts any length");
        let mut out = nonce.to_vec();
        out.extend(sealed);
        STANDARD_NO_PAD.encode(out)
    }

    pub fn open(&self, purpose: &str, sealed: &str) -> Result<String, SealBroken> {
        use aes_gcm::aead::{Aead, Payload};
        let bytes = STANDARD_NO_PAD.decode(sealed).map_err(|_| SealBroken)?;
        if bytes.len() <= NONCE_BYTES {
            return Err(SealBroken);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let payload = Payload {
            msg: ciphertext,
            aad: purpose.as_bytes(),
        };
        let plain = self
            .cipher(purpose)
            .decrypt(aes_gcm::Nonce::from_slice(nonce), payload)
            .map_err(|_| SealBroken)?;
        String::from_utf8(plain).map_err(|_| SealBroken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_only_with_the_same_key_and_parts() {
        let key = ServerKey::new(&[7; 32]);
        let stored = key.keyed_hash("code", &["ann@example.com", "12345678"]);
        assert!(key.verify(&stored, "code", &["ann@example.com", "12345678"]));
        assert!(!key.verify(&stored, "code", &["ann@example.com", "12345679"]));
        assert!(!key.verify(&stored, "other", &["ann@example.com", "12345678"]));
        assert!(!ServerKey::new(&[8; 32]).verify(&stored, "code", &["ann@example.com", "12345678"]));
        // Moving a character between parts changes the input.
        assert!(!key.verify(&stored, "code", &["ann@example.com1", "2345678"]));
        assert!(!key.verify("not base64!", "code", &["ann@example.com", "12345678"]));
    }

    #[test]
    fn debug_never_shows_the_key() {
        assert_eq!(
            format!("{:?}", ServerKey::new(b"0123456789abcdef0123456789abcdef")),
            "ServerKey(…)"
        );
    }

    #[test]
    fn a_sealed_secret_opens_only_with_the_same_key_and_purpose() {
        let key = ServerKey::new(&[7; 32]);
        let sealed = key.seal("idp", "s3cret");
        assert!(!sealed.contains("s3cret"));
        assert_ne!(sealed, key.seal("idp", "s3cret"), "a fresh nonce every time");
        assert_eq!(key.open("idp", &sealed).unwrap(), "s3cret");
        assert!(key.open("totp", &sealed).is_err());
        assert!(ServerKey::new(&[8; 32]).open("idp", &sealed).is_err());
        assert!(key.open("idp", "AAAA").is_err());
    }
}
