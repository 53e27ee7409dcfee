//! A small OpenID provider for the federation tests: discovery, keys and a token endpoint that
//! answers with whatever ID token the test crafted (signed with ES256 by `ring`, or not at all).

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
use serde_json::{json, Value};

pub struct SigningKey {
    pub kid: String,
    pair: EcdsaKeyPair,
}

impl SigningKey {
    pub fn new(kid: &str) -> Self {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).expect("key");
        let pair =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng).expect("key");
        Self {
            kid: kid.to_string(),
            pair,
        }
    }

    fn jwk(&self) -> Value {
        let point = self.pair.public_key().as_ref();
        json!({
            "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": self.kid,
            "x": URL_SAFE_NO_PAD.encode(&point[1..33]),
            "y": URL_SAFE_NO_PAD.encode(&point[33..65]),
        })
    }

    /// A compact JWS over `claims`, with this key's id in the header.
    pub fn sign(&self, claims: &Value) -> String {
        let input = signing_input(&json!({ "alg": "ES256", "kid": self.kid, "typ": "JWT" }), claims);
        let signature = self
            .pair
            .sign(&SystemRandom::new(), input.as_bytes())
            .expect("sign");
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref()))
    }
}

pub fn signing_input(header: &Value, claims: &Value) -> String {
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

/// An HS256 token keyed with `secret` (what an attacker who knows a client secret could make).
pub fn hs256(secret: &str, claims: &Value) -> String {
    let input = signing_input(&json!({ "alg": "HS256", "typ": "JWT" }), claims);
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.as_bytes());
    let tag = ring::hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
}

#[derive(Default)]
struct Shared {
    issuer: String,
    jwks: Vec<Value>,
    next_id_token: String,
    userinfo: Value,
}

/// The running provider; the server stops with the test's runtime.
#[derive(Clone)]
pub struct TestIdp {
    pub issuer: String,
    shared: Arc<Mutex<Shared>>,
}

impl TestIdp {
    pub async fn start(keys: &[&SigningKey]) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let issuer = format!("http://127.0.0.1:{}", listener.local_addr().expect("addr").port());
        let shared = Arc::new(Mutex::new(Shared {
            issuer: issuer.clone(),
            jwks: keys.iter().map(|k| k.jwk()).collect(),
            next_id_token: String::new(),
            userinfo: json!({}),
        }));
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/token", post(token))
            .route("/userinfo", get(userinfo))
            .with_state(shared.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
        Self { issuer, shared }
    }

    pub fn answer_with(&self, id_token: String) {
        self.shared.lock().expect("lock").next_id_token = id_token;
    }

    /// What the userinfo endpoint answers next.
    pub fn userinfo(&self, claims: Value) {
        self.shared.lock().expect("lock").userinfo = claims;
    }

    /// Publishes these keys instead (a key rotation at the provider).
    pub fn publish(&self, keys: &[&SigningKey]) {
        self.shared.lock().expect("lock").jwks = keys.iter().map(|k| k.jwk()).collect();
    }
}

async fn discovery(State(shared): State<Arc<Mutex<Shared>>>) -> Json<Value> {
    let issuer = shared.lock().expect("lock").issuer.clone();
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/auth"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "userinfo_endpoint": format!("{issuer}/userinfo"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256", "HS256", "none"],
    }))
}

async fn jwks(State(shared): State<Arc<Mutex<Shared>>>) -> Json<Value> {
    Json(json!({ "keys": shared.lock().expect("lock").jwks }))
}

async fn token(State(shared): State<Arc<Mutex<Shared>>>) -> Json<Value> {
    let id_token = shared.lock().expect("lock").next_id_token.clone();
    Json(json!({ "access_token": "at-1", "token_type": "Bearer", "expires_in": 300, "id_token": id_token }))
}

async fn userinfo(State(shared): State<Arc<Mutex<Shared>>>) -> Json<Value> {
    Json(shared.lock().expect("lock").userinfo.clone())
}
