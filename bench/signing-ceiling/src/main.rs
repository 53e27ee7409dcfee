//! For `make bench`: the ceiling of token grants per second on this machine. Each grant the
//! provider answers signs an ID token (RS256, 2048-bit) and an access token (ES256). One thread
//! times both signatures with the provider's own crates (jsonwebtoken on aws-lc) over claims of
//! the provider's size; the ceiling is the cores over the median pair. Like argon2-ceiling, it
//! also runs one such thread per core at once and reports what they achieve together.
//!
//!   signing-ceiling [ROUNDS]    prints JSON

use std::time::Instant;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair as RsaKeyPair, KeySize};
use aws_lc_rs::signature::{EcdsaKeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
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
    rs256: EncodingKey,
    es256: EncodingKey,
}

impl Keys {
    fn new() -> Self {
        let rsa = RsaKeyPair::generate(KeySize::Rsa2048).expect("rsa key");
        let rsa_pem = pem::encode(&pem::Pem::new(
            "PRIVATE KEY",
            rsa.as_der().expect("der").as_ref().to_vec(),
        ));
        let ec = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &SystemRandom::new())
            .expect("ec key");
        let ec_pem = pem::encode(&pem::Pem::new("PRIVATE KEY", ec.as_ref().to_vec()));
        Self {
            rs256: EncodingKey::from_rsa_pem(rsa_pem.as_bytes()).expect("rsa pem"),
            es256: EncodingKey::from_ec_pem(ec_pem.as_bytes()).expect("ec pem"),
        }
    }

    /// Signs an ID token and an access token `rounds` times; answers each one's milliseconds.
    fn time(&self, rounds: usize) -> (Vec<f64>, Vec<f64>) {
        let id_claims = json!({
            "sub": "1042", "iss": "https://partners.example.com", "aud": "Nm0cBKh0ctcqPTuK5sTJCp",
            "azp": "Nm0cBKh0ctcqPTuK5sTJCp", "iat": 1_800_000_000u64, "exp": 1_800_003_600u64,
            "auth_time": 1_800_000_000u64, "nonce": "n-0S6_WzA2Mj", "email": "ann@partner.example",
            "email_verified": true, "name": "Ann Partner", "groups": ["finance-team"],
        });
        let access_claims = json!({
            "iss": "https://partners.example.com", "sub": "1042", "aud": "Nm0cBKh0ctcqPTuK5sTJCp",
            "client_id": "Nm0cBKh0ctcqPTuK5sTJCp", "scope": "openid email profile groups",
            "gid": "s0m3-gr4nt-1d-0f-43-ch4r4ct3rs-xxxxxxxxxxx", "iat": 1_800_000_000u64,
            "exp": 1_800_000_600u64, "jti": "j71-0f-43-ch4r4ct3rs-xxxxxxxxxxxxxxxxxxxxx",
        });
        let mut header_rs = Header::new(Algorithm::RS256);
        header_rs.kid = Some("a".repeat(43));
        let mut header_es = Header::new(Algorithm::ES256);
        header_es.kid = Some("b".repeat(43));
        header_es.typ = Some("at+jwt".into());
        let (mut rs, mut es) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
        for _ in 0..rounds {
            let start = Instant::now();
            std::hint::black_box(encode(&header_rs, &id_claims, &self.rs256).expect("signs"));
            rs.push(start.elapsed().as_secs_f64() * 1000.0);
            let start = Instant::now();
            std::hint::black_box(encode(&header_es, &access_claims, &self.es256).expect("signs"));
            es.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        (rs, es)
    }
}
