//! For `make bench`: the ceiling of token grants per second on this machine. Each grant the
//! provider answers signs an ID token (RS256, 2048-bit) and an access token (ES256). One thread
//! times both signatures with aws-lc, the provider's crypto, each key parsed once (as the
//! provider keeps them: services/src/oidc/parsed_keys.rs), over tokens of the provider's size
//! (made once with jsonwebtoken); the ceiling is the cores over the median pair. Like
//! argon2-ceiling, it also runs one such thread per core at once and reports what they achieve
//! together.
//!
//!   signing-ceiling [ROUNDS]    prints JSON

use std::time::Instant;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair as RsaKeyPair, KeySize};
use aws_lc_rs::signature::{
    EcdsaKeyPair, RsaKeyPair as RsaSigningKey, ECDSA_P256_SHA256_FIXED_SIGNING, RSA_PKCS1_SHA256,
};
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::json;

fn main() {
    let rounds = match std::env::args().nth(1).map(|r| r.parse::<usize>()) {
        None => 400,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("ROUNDS must be a whole number above 0");
            std::process::exit(2);
        }
    };
    let keys = Keys::new();
    let (mut rs, mut es) = keys.time(rounds);
    rs.sort_by(f64::total_cmp);
    es.sort_by(f64::total_cmp);
    let (rs_ms, es_ms) = (rs[rs.len() / 2], es[es.len() / 2]);
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let together = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..cores {
            scope.spawn(|| keys.time(rounds));
        }
    });
    let all_cores = (cores * rounds) as f64 / together.elapsed().as_secs_f64();
    println!(
        "{{\"rs256_ms\": {rs_ms:.4}, \"es256_ms\": {es_ms:.4}, \"cores\": {cores}, \
         \"ceiling_per_second\": {:.1}, \"all_cores_per_second\": {all_cores:.1}}}",
        cores as f64 * 1000.0 / (rs_ms + es_ms)
    );
}

struct Keys {
    rs256: RsaSigningKey,
    es256: EcdsaKeyPair,
    /// What each grant's two signatures cover: a token's `header.claims`.
    id_message: Vec<u8>,
    access_message: Vec<u8>,
}

impl Keys {
    fn new() -> Self {
        let rsa = RsaKeyPair::generate(KeySize::Rsa2048).expect("rsa key");
        let rsa_pkcs8 = rsa.as_der().expect("der").as_ref().to_vec();
        let ec_pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &SystemRandom::new())
            .expect("ec key");
        let rs256 = EncodingKey::from_rsa_pem(pem_of(&rsa_pkcs8).as_bytes()).expect("rsa pem");
        let es256 = EncodingKey::from_ec_pem(pem_of(ec_pkcs8.as_ref()).as_bytes()).expect("ec pem");
        Self {
            id_message: signed_part(&id_token(&rs256)),
            access_message: signed_part(&access_token(&es256)),
            rs256: RsaSigningKey::from_pkcs8(&rsa_pkcs8).expect("rsa key parses"),
            es256: EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, ec_pkcs8.as_ref())
                .expect("ec key parses"),
        }
    }

    /// Signs an ID token's and an access token's content `rounds` times; answers each one's
    /// milliseconds.
    fn time(&self, rounds: usize) -> (Vec<f64>, Vec<f64>) {
        let rng = SystemRandom::new();
        let mut rs_signature = vec![0; self.rs256.public_modulus_len()];
        let (mut rs, mut es) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
        for _ in 0..rounds {
            let start = Instant::now();
            self.rs256
                .sign(&RSA_PKCS1_SHA256, &rng, &self.id_message, &mut rs_signature)
                .expect("signs");
            std::hint::black_box(&rs_signature);
            rs.push(start.elapsed().as_secs_f64() * 1000.0);
            let start = Instant::now();
            std::hint::black_box(self.es256.sign(&rng, &self.access_message).expect("signs"));
            es.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        (rs, es)
    }
}

fn pem_of(der: &[u8]) -> String {
    pem::encode(&pem::Pem::new("PRIVATE KEY", der.to_vec()))
}

/// A token's `header.claims`, the part its signature covers.
fn signed_part(token: &str) -> Vec<u8> {
    let end = token.rfind('.').expect("a JWT");
    token.as_bytes()[..end].to_vec()
}

/// An ID token of the provider's size.
fn id_token(key: &EncodingKey) -> String {
    let claims = json!({
        "sub": "1042", "iss": "https://partners.example.com", "aud": "Nm0cBKh0ctcqPTuK5sTJCp",
        "azp": "Nm0cBKh0ctcqPTuK5sTJCp", "iat": 1_800_000_000u64, "exp": 1_800_003_600u64,
        "auth_time": 1_800_000_000u64, "nonce": "n-0S6_WzA2Mj", "email": "ann@partner.example",
        "email_verified": true, "name": "Ann Partner", "groups": ["finance-team"],
    });
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("a".repeat(43));
    encode(&header, &claims, key).expect("signs")
}

/// An access token of the provider's size.
fn access_token(key: &EncodingKey) -> String {
    let claims = json!({
        "iss": "https://partners.example.com", "sub": "1042", "aud": "Nm0cBKh0ctcqPTuK5sTJCp",
        "client_id": "Nm0cBKh0ctcqPTuK5sTJCp", "scope": "openid email profile groups",
        "gid": "s0m3-gr4nt-1d-0f-43-ch4r4ct3rs-xxxxxxxxxxx", "iat": 1_800_000_000u64,
        "exp": 1_800_000_600u64, "jti": "j71-0f-43-ch4r4ct3rs-xxxxxxxxxxxxxxxxxxxxx",
    });
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some("b".repeat(43));
    header.typ = Some("at+jwt".into());
    encode(&header, &claims, key).expect("signs")
}
