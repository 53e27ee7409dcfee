//! Portico as an OpenID Provider: the discovery document and the signing keys every instance
//! shares, published before they sign and after they stop.

use axum::http::StatusCode;
use serde_json::Value;

use crate::on_both_databases;
use crate::support::{Browser, Db, TestPortal, PUBLIC_URL};
use rules::audit::event::Actor;
use rules::clock::Clock;
use rules::oidc::signing_keys::{LONGEST_TOKEN_SECONDS, PUBLISH_AHEAD_SECONDS};
use services::oidc::signing_keys::{rotate_signing_keys, signer};

async fn json_at(browser: &mut Browser<'_>, path: &str) -> Value {
    let reply = browser.get(path).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    serde_json::from_str(&reply.body).expect("json")
}

fn kids(set: &Value) -> Vec<String> {
    let mut kids: Vec<String> = set["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|k| k["kid"].as_str().expect("kid").to_string())
        .collect();
    kids.sort();
    kids
}

async fn the_discovery_document_names_the_issuer_and_its_keys(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut browser = portal.browser();
    let document = json_at(&mut browser, "/.well-known/openid-configuration").await;
    assert_eq!(document["issuer"], PUBLIC_URL);
    assert_eq!(document["jwks_uri"], format!("{PUBLIC_URL}/oauth/jwks"));
    assert_eq!(document["code_challenge_methods_supported"], serde_json::json!(["S256"]));

    // The first ask makes the keys: one RS256, one ES256, with no private part.
    let keys = json_at(&mut browser, "/oauth/jwks").await;
    let algorithms: Vec<&str> = keys["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|k| k["alg"].as_str().expect("alg"))
        .collect();
    assert_eq!(algorithms.len(), 2, "{keys}");
    assert!(algorithms.contains(&"RS256") && algorithms.contains(&"ES256"), "{keys}");
    assert!(!keys.to_string().contains("\"d\""), "{keys}");

    // Another instance of the same deployment publishes the very same keys.
    let other = portal.another_instance().await;
    let theirs = json_at(&mut other.browser(), "/oauth/jwks").await;
    assert_eq!(kids(&theirs), kids(&keys));
}

async fn a_rotated_key_is_published_an_hour_before_it_signs_and_the_old_one_until_its_tokens_expire(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut browser = portal.browser();
    let first = kids(&json_at(&mut browser, "/oauth/jwks").await);
    let (store, server_key) = (&portal.state.store, &portal.state.settings.server_key);
    let old = signer(store, server_key, "RS256", portal.clock.now()).await.expect("signer").kid;
    assert!(first.contains(&old));

    let admin = Actor::account(1, "ada@example.com", "192.0.2.10");
    let new = rotate_signing_keys(store, server_key, &admin, portal.clock.now())
        .await
        .expect("rotated");
    let rotated = "SELECT COUNT(*) FROM audit_events WHERE action = 'oidc.keys_rotated'";
    assert_eq!(portal.count(rotated).await, 1);
    // Published at once (once this instance's few seconds of keeping the old set are over)...
    portal.clock.advance(10);
    let published = kids(&json_at(&mut browser, "/oauth/jwks").await);
    assert_eq!(published.len(), 4);
    assert!(new.iter().all(|kid| published.contains(kid)));
    // ... but the old key signs until the hour is over.
    let now = portal.clock.now();
    assert_eq!(signer(store, server_key, "RS256", now).await.expect("signer").kid, old);
    portal.clock.advance(PUBLISH_AHEAD_SECONDS);
    let now = portal.clock.now();
    let signing = signer(store, server_key, "RS256", now).await.expect("signer").kid;
    assert!(new.contains(&signing), "the new key signs now");

    // The old keys stay published while a token they signed may live, and then go.
    portal.clock.advance(LONGEST_TOKEN_SECONDS - 20);
    assert_eq!(kids(&json_at(&mut browser, "/oauth/jwks").await).len(), 4);
    portal.clock.advance(20);
    let last = kids(&json_at(&mut browser, "/oauth/jwks").await);
    let mut expected = new.clone();
    expected.sort();
    assert_eq!(last, expected);
}

on_both_databases!(
    the_discovery_document_names_the_issuer_and_its_keys,
    a_rotated_key_is_published_an_hour_before_it_signs_and_the_old_one_until_its_tokens_expire,
);
