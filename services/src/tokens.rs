//! Secret tokens for links (setup, invitations, status pages): 256 bits from the OS RNG,
//! URL-safe base64 for the link, and only a SHA-256 of it ever stored.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A freshly made token. Its raw text goes into a link once and is then dropped.
pub struct NewToken {
    pub raw: String,
    pub hash: String,
}

impl std::fmt::Debug for NewToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewToken")
            .field("hash", &self.hash)
            .finish_non_exhaustive()
    }
}

pub fn new_token() -> NewToken {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let raw = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&raw);
    NewToken { raw, hash }
}

/// The stored form of a token: hex SHA-256 of its text. Tokens carry 256 bits of entropy, so
/// a fast hash is enough (no salt or stretching needed, unlike passwords).
pub fn hash_token(raw: &str) -> String {
    let digest = Sha256::digest(raw.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

/// Cheap shape check before any database lookup: 32 bytes in unpadded base64url.
pub fn looks_like_token(raw: &str) -> bool {
    raw.len() == 43
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_256_bits_and_are_url_safe() {
        let token = new_token();
        let decoded = URL_SAFE_NO_PAD.decode(&token.raw).expect("base64url");
        assert_eq!(decoded.len(), 32);
        assert!(looks_like_token(&token.raw));
    }

    #[test]
    fn two_tokens_differ() {
        assert_ne!(new_token().raw, new_token().raw);
    }

    #[test]
    fn hash_is_sha256_hex_and_not_the_token() {
        let token = new_token();
        assert_eq!(token.hash.len(), 64);
        assert_ne!(token.hash, token.raw);
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn debug_output_never_shows_the_raw_token() {
        let token = new_token();
        assert!(!format!("{token:?}").contains(&token.raw));
    }

    #[test]
    fn malformed_tokens_are_recognised() {
        assert!(!looks_like_token("short"));
        assert!(!looks_like_token(&"a".repeat(42)));
        assert!(!looks_like_token(&format!("{}=", "a".repeat(42))));
    }
}
