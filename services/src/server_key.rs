//! The server's secret key, from its configuration: it keys the hashes of one-time codes, so
//! that a copy of the database alone does not let anyone try all 10^8 codes offline. One key
//! for every instance of a portal. Never printed.

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
}
