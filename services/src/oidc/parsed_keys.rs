//! RS256 signatures with each private key parsed once.
//!
//! `jsonwebtoken` 12 hands aws-lc the private key as DER for every signature, and aws-lc parses
//! and checks it every time: more than half of an RS256 signature's cost (see
//! docs/performance.md). This module installs, through `jsonwebtoken`'s own extension point
//! (`CryptoProvider::install_default`), a provider that is `jsonwebtoken`'s aws-lc provider in
//! everything but one: an RS256 signer signs with an aws-lc `RsaKeyPair` parsed the first time its
//! key was seen and kept. The signing itself is aws-lc's, exactly as `jsonwebtoken` calls it; only
//! the parsing is not repeated. ES256 (already cheap), verification and the JWK helpers are the
//! default provider's.

use std::sync::{Arc, LazyLock, Once, PoisonError, RwLock};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use jsonwebtoken::crypto::{aws_lc, CryptoProvider, JwtSigner};
use jsonwebtoken::errors::{ErrorKind, Result};
use jsonwebtoken::signature::{Error as SignatureError, Signer};
use jsonwebtoken::{Algorithm, EncodingKey};

/// Parsed keys kept: an instance signs with one RS256 key at a time, two around a rotation.
const MOST_KEPT: usize = 8;

/// The keys parsed so far, by their DER bytes (oldest first).
static KEPT: RwLock<Vec<(Vec<u8>, Arc<RsaKeyPair>)>> = RwLock::new(Vec::new());

static PROVIDER: LazyLock<CryptoProvider> = LazyLock::new(|| CryptoProvider {
    signer_factory: new_signer,
    ..aws_lc::DEFAULT_PROVIDER.clone()
});

static INSTALL: Once = Once::new();

/// Makes this provider `jsonwebtoken`'s for the process, before its first use. Called when the
/// portal starts and by every path to the keys; if something else installed a provider first,
/// that one stays (tokens are the same, only slower), and [`installed`] says so.
pub fn install() {
    INSTALL.call_once(|| {
        let _ = PROVIDER.install_default();
    });
}

/// Whether `jsonwebtoken` signs through this provider in this process.
pub fn installed() -> bool {
    CryptoProvider::try_get_default().is_some_and(|current| std::ptr::eq(current, &*PROVIDER))
}

fn new_signer(algorithm: &Algorithm, key: &EncodingKey) -> Result<Box<dyn JwtSigner>> {
    match algorithm {
        Algorithm::RS256 => Ok(Box::new(ParsedRs256(parsed(key.as_bytes())?))),
        _ => (aws_lc::DEFAULT_PROVIDER.signer_factory)(algorithm, key),
    }
}

/// The kept parse of `der`, parsing (and keeping) it the first time.
fn parsed(der: &[u8]) -> Result<Arc<RsaKeyPair>> {
    let found = KEPT
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .find(|(kept, _)| kept.as_slice() == der)
        .map(|(_, key)| Arc::clone(key));
    if let Some(key) = found {
        return Ok(key);
    }
    let key = Arc::new(RsaKeyPair::from_der(der).map_err(|e| ErrorKind::InvalidRsaKey(e.to_string()))?);
    let mut kept = KEPT.write().unwrap_or_else(PoisonError::into_inner);
    // Another request may have parsed the same key while this one did: keep one copy.
    if let Some((_, earlier)) = kept.iter().find(|(kept, _)| kept.as_slice() == der) {
        return Ok(Arc::clone(earlier));
    }
    if kept.len() >= MOST_KEPT {
        kept.remove(0);
    }
    kept.push((der.to_vec(), Arc::clone(&key)));
    Ok(key)
}

struct ParsedRs256(Arc<RsaKeyPair>);

impl Signer<Vec<u8>> for ParsedRs256 {
    fn try_sign(&self, message: &[u8]) -> std::result::Result<Vec<u8>, SignatureError> {
        let mut signature = vec![0; self.0.public_modulus_len()];
        self.0
            .sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), message, &mut signature)
            .map_err(SignatureError::from_source)?;
        Ok(signature)
    }
}

impl JwtSigner for ParsedRs256 {
    fn algorithm(&self) -> Algorithm {
        Algorithm::RS256
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lc_rs::encoding::AsDer;
    use aws_lc_rs::rsa::{KeyPair, KeySize};
    use aws_lc_rs::signature::{KeyPair as _, UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256};

    /// A new key read as the provider's keys are (PKCS#8 PEM), and its public half.
    fn rsa_key() -> (EncodingKey, Vec<u8>) {
        let pair = KeyPair::generate(KeySize::Rsa2048).unwrap();
        let pem = pem::encode(&pem::Pem::new(
            "PRIVATE KEY",
            pair.as_der().unwrap().as_ref().to_vec(),
        ));
        let key = EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap();
        (key, pair.public_key().as_ref().to_vec())
    }

    /// Signs as `jsonwebtoken::encode` does once this provider is installed.
    fn sign(key: &EncodingKey, message: &[u8]) -> Vec<u8> {
        let signer = (PROVIDER.signer_factory)(&Algorithm::RS256, key).unwrap();
        assert_eq!(signer.algorithm(), Algorithm::RS256);
        signer.try_sign(message).unwrap()
    }

    fn verifies(public: &[u8], message: &[u8], signature: &[u8]) -> bool {
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, public)
            .verify(message, signature)
            .is_ok()
    }

    #[test]
    fn each_key_signs_as_itself_however_often_it_is_used() {
        let (first, first_public) = rsa_key();
        let (second, second_public) = rsa_key();
        for round in 0..3 {
            let message = format!("header.claims-{round}");
            let by_first = sign(&first, message.as_bytes());
            let by_second = sign(&second, message.as_bytes());
            assert!(verifies(&first_public, message.as_bytes(), &by_first));
            assert!(verifies(&second_public, message.as_bytes(), &by_second));
            assert!(
                !verifies(&second_public, message.as_bytes(), &by_first),
                "signed with another key"
            );
            assert!(
                !verifies(&first_public, message.as_bytes(), &by_second),
                "signed with another key"
            );
            assert!(!verifies(&first_public, b"other", &by_first));
        }
    }

    #[test]
    fn es256_is_signed_by_the_default_provider_and_not_kept() {
        use aws_lc_rs::signature::{EcdsaKeyPair, ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING};
        let pkcs8 =
            EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &SystemRandom::new()).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref()).unwrap();
        let signer =
            (PROVIDER.signer_factory)(&Algorithm::ES256, &EncodingKey::from_ec_der(pkcs8.as_ref())).unwrap();
        assert_eq!(signer.algorithm(), Algorithm::ES256);
        let signature = signer.try_sign(b"header.claims").unwrap();
        let public = UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, pair.public_key().as_ref());
        assert!(public.verify(b"header.claims", &signature).is_ok());
        let kept = KEPT.read().unwrap_or_else(PoisonError::into_inner);
        assert!(kept.iter().all(|(der, _)| der.as_slice() != pkcs8.as_ref()));
    }

    #[test]
    fn a_key_that_does_not_parse_is_refused_and_not_kept() {
        let garbage = EncodingKey::from_rsa_der(b"not a key");
        assert!((PROVIDER.signer_factory)(&Algorithm::RS256, &garbage).is_err());
        let kept = KEPT.read().unwrap_or_else(PoisonError::into_inner);
        assert!(kept.iter().all(|(der, _)| der.as_slice() != b"not a key"));
    }

    #[test]
    fn no_more_than_the_most_kept_are_kept() {
        for _ in 0..MOST_KEPT + 2 {
            let (key, public) = rsa_key();
            assert!(verifies(&public, b"m", &sign(&key, b"m")));
        }
        assert!(KEPT.read().unwrap_or_else(PoisonError::into_inner).len() <= MOST_KEPT);
    }
}
