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
    assert_eq!(
        document["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );

    // The first ask makes the keys: one RS256, one ES256, with no private part.
    let keys = json_at(&mut browser, "/oauth/jwks").await;
    let algorithms: Vec<&str> = keys["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|k| k["alg"].as_str().expect("alg"))
        .collect();
    assert_eq!(algorithms.len(), 2, "{keys}");
    assert!(
        algorithms.contains(&"RS256") && algorithms.contains(&"ES256"),
        "{keys}"
    );
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
    let old = signer(store, server_key, "RS256", portal.clock.now())
        .await
        .expect("signer")
        .kid;
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
    assert_eq!(
        signer(store, server_key, "RS256", now).await.expect("signer").kid,
        old
    );
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

async fn rotating_twice_within_the_hour_hands_over_without_a_gap(db: Db) {
    let portal = TestPortal::start(db).await;
    let (store, server_key) = (&portal.state.store, &portal.state.settings.server_key);
    let admin = Actor::account(1, "ada@example.com", "192.0.2.10");
    let now = portal.clock.now();
    services::oidc::signing_keys::ensure_signing_keys(store, server_key, now)
        .await
        .expect("keys");
    let signing = signer(store, server_key, "RS256", now).await.expect("signer").kid;

    // The first rotation's keys never sign, and the key signing now hands over to the second's.
    let pending = rotate_signing_keys(store, server_key, &admin, now)
        .await
        .expect("rotated");
    portal.clock.advance(PUBLISH_AHEAD_SECONDS / 2);
    let again = rotate_signing_keys(store, server_key, &admin, portal.clock.now())
        .await
        .expect("rotated again");
    let now = portal.clock.now();
    assert_eq!(
        signer(store, server_key, "RS256", now).await.expect("signer").kid,
        signing
    );
    portal.clock.advance(PUBLISH_AHEAD_SECONDS / 2 + 1);
    let now = portal.clock.now();
    assert_eq!(
        signer(store, server_key, "RS256", now).await.expect("signer").kid,
        signing,
        "no gap"
    );
    portal.clock.advance(PUBLISH_AHEAD_SECONDS / 2);
    let now = portal.clock.now();
    let last_signing = signer(store, server_key, "RS256", now).await.expect("signer").kid;
    assert!(again.contains(&last_signing) && !pending.contains(&last_signing));
    assert_eq!(
        portal.count("SELECT COUNT(*) FROM oidc_signing_keys").await,
        4,
        "the pending keys went"
    );
}

async fn an_admin_sees_the_keys_and_rotates_them_and_nobody_else_can(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let shown: Value = serde_json::from_str(&admin.call("/api/signing_keys", &[]).await.body).expect("json");
    let shown = shown.as_array().expect("keys").clone();
    assert_eq!(shown.len(), 2, "the first keys are made for the page");
    assert!(shown.iter().all(|k| k["standing"] == "Signing"), "{shown:?}");

    let resource = portal
        .create_resource(&mut admin, "Ledger book", "ledger-book")
        .await;
    let mut owner = portal
        .owner(&mut admin, resource, "olga@ledger-book.example")
        .await;
    assert_ne!(owner.call("/api/signing_keys", &[]).await.status, StatusCode::OK);
    assert_ne!(
        owner.call("/api/rotate_signing_keys", &[]).await.status,
        StatusCode::OK
    );
    assert_eq!(portal.count("SELECT COUNT(*) FROM oidc_signing_keys").await, 2);

    let rotated = admin.call("/api/rotate_signing_keys", &[]).await;
    assert_eq!(rotated.header("location"), Some("/admin/signing-keys?rotated=1"));
    let shown: Value = serde_json::from_str(&admin.call("/api/signing_keys", &[]).await.body).expect("json");
    let standings: Vec<String> = shown
        .as_array()
        .expect("keys")
        .iter()
        .map(|k| {
            k["standing"]
                .as_object()
                .and_then(|o| o.keys().next().cloned())
                .unwrap_or_else(|| k["standing"].to_string())
        })
        .collect();
    assert_eq!(
        standings,
        ["Next", "Next", "\"Signing\"", "\"Signing\""],
        "{shown}"
    );
}

/// The first requests that need keys arrive together: one of them makes the keys, the others wait
/// for it instead of each making a pair of their own.
async fn requests_arriving_together_make_one_pair_of_keys(db: Db) {
    let portal = TestPortal::start(db).await;
    let ring = services::oidc::key_ring::KeyRing::default();
    let (store, server_key) = (&portal.state.store, &portal.state.settings.server_key);
    let now = portal.clock.now();
    let asks = (0..8).map(|_| ring.signer(store, server_key, "RS256", now));
    let signers = futures::future::join_all(asks).await;
    let kids: std::collections::BTreeSet<String> = signers
        .into_iter()
        .map(|signer| signer.expect("a signer").kid)
        .collect();
    assert_eq!(kids.len(), 1, "every request signs with the same key");
    assert_eq!(portal.count("SELECT COUNT(*) FROM oidc_signing_keys").await, 2);
}

on_both_databases!(
    requests_arriving_together_make_one_pair_of_keys,
    rotating_twice_within_the_hour_hands_over_without_a_gap,
    an_admin_sees_the_keys_and_rotates_them_and_nobody_else_can,
    the_discovery_document_names_the_issuer_and_its_keys,
    a_rotated_key_is_published_an_hour_before_it_signs_and_the_old_one_until_its_tokens_expire,
);
