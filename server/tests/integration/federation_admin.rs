//! Identity providers from the admin's side (add, test, remove, the form's messages) and the
//! ways to a provider that are not the happy path: unreachable, and without JavaScript.

use axum::http::StatusCode;
use serde_json::Value;

use crate::federation_idp::{SigningKey, TestIdp};
use crate::federation_support::*;
use crate::on_both_databases;
use crate::support::TestPortal;

/// A provider that does not answer: the person is told beside their address, nothing is kept.
async fn an_unreachable_provider_is_said_beside_the_address(db: crate::support::Db) {
    let portal = start(db).await;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let closed = format!("http://127.0.0.1:{}", listener.local_addr().expect("addr").port());
    drop(listener);
    let mut admin = portal.admin().await;
    let reply = admin
        .call(
            "/api/save_identity_provider",
            &[
                ("provider[name]", "Globex"),
                ("provider[issuer]", &closed),
                ("provider[client_id]", "portico"),
                ("provider[client_secret]", SECRET),
                ("provider[domains]", "globex.test"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let mut browser = portal.browser();
    let reply = browser
        .call("/api/send_sign_in_code", &[("code_email", GINA), ("next", "")])
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(
        reply
            .body
            .contains("Globex did not answer in time or answered with an error."),
        "{}",
        reply.body
    );
    assert!(
        reply.body.contains("\"code_email\""),
        "beside the address: {}",
        reply.body
    );
    let tested = admin.call("/api/test_identity_provider", &[("id", "1")]).await;
    assert!(tested
        .header("location")
        .is_some_and(|l| l.contains("ok=false") && l.contains("provider_unreachable")));
}

/// A plain form post may not be redirected off the site: a page of ours sends the browser on.
async fn without_javascript_a_page_of_ours_sends_the_browser_on(db: crate::support::Db) {
    let portal = start(db).await;
    let key = SigningKey::new("k1");
    let idp = TestIdp::start(&[&key]).await;
    let mut admin = portal.admin().await;
    add_provider(&mut admin, &idp, false).await;
    redeemed(&portal, &mut admin, &idp, &key).await;
    let mut browser = portal.browser();
    let form = [("code_email", GINA), ("next", "/my-access")];
    let reply = browser
        .submit_without_js("/api/send_sign_in_code", &form, "/sign-in")
        .await;
    assert!(reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    assert_eq!(reply.header("location"), Some("/sign-in/provider/continue"));
    let page = browser.get("/sign-in/provider/continue").await;
    assert!(page.body.contains("http-equiv=\"refresh\""), "{}", page.body);
    let next: Value =
        serde_json::from_str(&browser.call("/api/federation_next_stop", &[]).await.body).expect("json");
    assert_eq!(next[0], "Globex");
    let trip = trip_to(next[1].as_str().expect("url"), &idp);
    idp.answer_with(key.sign(&claims(&portal, &idp, &trip.nonce, ("sub-1", GINA), true)));
    assert_eq!(
        come_back(&mut browser, &trip.state).await.as_deref(),
        Some("/my-access")
    );
}

async fn admins_add_test_and_remove_providers(db: crate::support::Db) {
    let portal = start(db).await;
    let key = SigningKey::new("k1");
    let idp = TestIdp::start(&[&key]).await;
    let mut admin = portal.admin().await;
    let bad = admin
        .call(
            "/api/save_identity_provider",
            &[
                ("provider[name]", ""),
                ("provider[issuer]", "ftp://idp.example"),
                ("provider[client_id]", "x"),
                ("provider[client_secret]", ""),
                ("provider[scopes]", ""),
                ("provider[domains]", "not a domain!"),
                ("provider[mfa_acr]", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    for field in ["name", "issuer", "client_secret", "domains"] {
        assert!(
            bad.body.contains(&format!("\"provider[{field}]\":\"")),
            "{field}: {}",
            bad.body
        );
    }
    let id = add_provider(&mut admin, &idp, false).await;
    // The secret is stored sealed and never shown again.
    let details = admin
        .call("/api/identity_provider", &[("id", &id.to_string())])
        .await;
    assert!(!details.body.contains(SECRET), "{}", details.body);
    assert_eq!(
        portal
            .count(&format!(
                "SELECT COUNT(*) FROM identity_providers WHERE client_secret_sealed LIKE '%{SECRET}%'"
            ))
            .await,
        0
    );
    // The same domain cannot belong to a second provider.
    let taken = admin
        .call(
            "/api/save_identity_provider",
            &[
                ("provider[name]", "Other"),
                ("provider[issuer]", "https://other.example"),
                ("provider[client_id]", "x"),
                ("provider[client_secret]", "y"),
                ("provider[scopes]", ""),
                ("provider[domains]", "globex.test"),
                ("provider[mfa_acr]", ""),
            ],
        )
        .await;
    assert!(
        taken.body.contains("globex.test is already served by Globex."),
        "{}",
        taken.body
    );
    // Test reads the discovery document and the keys.
    let tested = admin
        .call("/api/test_identity_provider", &[("id", &id.to_string())])
        .await;
    let location = tested.header("location").expect("back to the page");
    assert!(
        location.contains("ok=true") && location.contains("provider_test_passed"),
        "{location}"
    );
    redeemed(&portal, &mut admin, &idp, &key).await;
    let removed = admin
        .call("/api/remove_identity_provider", &[("id", &id.to_string())])
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert_eq!(portal.count("SELECT COUNT(*) FROM linked_identities").await, 0);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM accounts WHERE email = 'gina@globex.test'")
            .await,
        1,
        "the account stays"
    );
    for action in ["identity_provider.added", "identity_provider.removed"] {
        assert_eq!(
            portal
                .count(&format!(
                    "SELECT COUNT(*) FROM audit_events WHERE action = '{action}'"
                ))
                .await,
            1
        );
    }
    // Without the loopback flag, a plain-http issuer is refused beside its field.
    let strict = TestPortal::start(db).await;
    let mut admin = strict.admin().await;
    let reply = admin
        .call(
            "/api/save_identity_provider",
            &[
                ("provider[name]", "Globex"),
                ("provider[issuer]", &idp.issuer),
                ("provider[client_id]", "x"),
                ("provider[client_secret]", "y"),
                ("provider[scopes]", ""),
                ("provider[domains]", "globex.test"),
                ("provider[mfa_acr]", ""),
            ],
        )
        .await;
    assert!(
        reply.body.contains("The issuer URL must start with https://."),
        "{}",
        reply.body
    );
}

on_both_databases!(
    admins_add_test_and_remove_providers,
    an_unreachable_provider_is_said_beside_the_address,
    without_javascript_a_page_of_ours_sends_the_browser_on,
);
