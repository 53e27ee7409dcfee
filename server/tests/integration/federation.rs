//! Signing in with a partner's own OpenID provider: redemption and later sign-ins through it,
//! the link by (issuer, subject), every ID-token check with crafted tokens, the clear pages for
//! a different or unverified address, and the admin's providers and unlinking.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::federation_idp::{hs256, signing_input, SigningKey, TestIdp};
use crate::federation_support::*;
use crate::on_both_databases;
use crate::support::Browser;

async fn a_partner_redeems_and_signs_in_again_through_their_provider(db: crate::support::Db) {
    let portal = start(db).await;
    let key = SigningKey::new("k1");
    let idp = TestIdp::start(&[&key]).await;
    let mut admin = portal.admin().await;
    add_provider(&mut admin, &idp, false).await;
    redeemed(&portal, &mut admin, &idp, &key).await;
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM accounts WHERE email = 'gina@globex.test' AND password_hash IS NULL")
            .await,
        1
    );
    assert_eq!(portal.count("SELECT COUNT(*) FROM memberships").await, 1);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM linked_identities WHERE subject = 'sub-1'")
            .await,
        1
    );

    // Later, with a new address at the provider: the link (issuer, subject) still finds her.
    let (mut browser, trip) = sign_in_trip(&portal, &idp, GINA).await;
    idp.answer_with(key.sign(&claims(
        &portal,
        &idp,
        &trip.nonce,
        ("sub-1", "gina.new@globex.test"),
        true,
    )));
    assert_eq!(
        come_back(&mut browser, &trip.state).await.as_deref(),
        Some("/my-access")
    );
    assert_eq!(browser.signed_in_as().await.as_deref(), Some(GINA));
    let method = format!(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'sign_in.succeeded' AND details LIKE '%{}%'",
        idp.issuer
    );
    assert_eq!(
        portal.count(&method).await,
        2,
        "the provider's issuer is the method"
    );
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action = 'identity.linked'")
            .await,
        1
    );

    // Her account page lists the link; an admin unlinks it.
    let mine: Value = serde_json::from_str(&browser.call("/api/my_account", &[]).await.body).expect("json");
    assert_eq!(mine["identities"][0]["provider"], "Globex");
    assert_eq!(mine["has_password"], false);
    let (account, link) = (
        mine["account_id"].to_string(),
        mine["identities"][0]["id"].to_string(),
    );
    let reply = admin
        .call(
            "/api/unlink_identity",
            &[("account_id", &account), ("link_id", &link)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(portal.count("SELECT COUNT(*) FROM linked_identities").await, 0);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action = 'identity.unlinked'")
            .await,
        1
    );
    // A partner cannot unlink through the admin's call.
    let reply = browser
        .call(
            "/api/unlink_identity",
            &[("account_id", &account), ("link_id", &link)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
}

async fn forged_stale_and_replayed_answers_are_refused(db: crate::support::Db) {
    let portal = start(db).await;
    let key = SigningKey::new("k1");
    let idp = TestIdp::start(&[&key]).await;
    let mut admin = portal.admin().await;
    add_provider(&mut admin, &idp, false).await;
    redeemed(&portal, &mut admin, &idp, &key).await;
    let impostor = SigningKey::new("k1");
    let stranger = SigningKey::new("k9");
    let now = portal.state.clock.now();
    let cases: Vec<(&str, Box<Craft>)> = vec![
        (
            "bad signature",
            Box::new(|n: &str| impostor.sign(&claims(&portal, &idp, n, ("sub-1", GINA), true))),
        ),
        (
            "a key the provider does not publish",
            Box::new(|n: &str| stranger.sign(&claims(&portal, &idp, n, ("sub-1", GINA), true))),
        ),
        (
            "wrong audience",
            Box::new(|n: &str| {
                let mut c = claims(&portal, &idp, n, ("sub-1", GINA), true);
                c["aud"] = json!("another-app");
                key.sign(&c)
            }),
        ),
        (
            "expired",
            Box::new(|n: &str| {
                let mut c = claims(&portal, &idp, n, ("sub-1", GINA), true);
                c["iat"] = json!(now - 900);
                c["exp"] = json!(now - 120);
                key.sign(&c)
            }),
        ),
        (
            "wrong nonce",
            Box::new(|_: &str| key.sign(&claims(&portal, &idp, "another-nonce", ("sub-1", GINA), true))),
        ),
        (
            "wrong issuer",
            Box::new(|n: &str| {
                let mut c = claims(&portal, &idp, n, ("sub-1", GINA), true);
                c["iss"] = json!("https://evil.example");
                key.sign(&c)
            }),
        ),
        (
            "alg none",
            Box::new(|n: &str| {
                let c = claims(&portal, &idp, n, ("sub-1", GINA), true);
                format!("{}.", signing_input(&json!({ "alg": "none", "typ": "JWT" }), &c))
            }),
        ),
        (
            "symmetric with the client secret",
            Box::new(|n: &str| hs256(SECRET, &claims(&portal, &idp, n, ("sub-1", GINA), true))),
        ),
    ];
    for (case, token) in cases {
        let (mut browser, trip) = sign_in_trip(&portal, &idp, GINA).await;
        idp.answer_with(token(&trip.nonce));
        assert_eq!(
            come_back(&mut browser, &trip.state).await.as_deref(),
            Some("/sign-in/provider"),
            "{case}"
        );
        assert_eq!(
            problem(&mut browser).await["message"],
            "@federation_token_refused?provider=Globex",
            "{case}"
        );
        assert_eq!(browser.signed_in_as().await, None, "{case}");
    }
    // A `state` from somewhere else, and a person who cancelled at the provider.
    let (mut browser, _) = sign_in_trip(&portal, &idp, GINA).await;
    assert_eq!(
        come_back(&mut browser, "forged-state").await.as_deref(),
        Some("/sign-in/provider")
    );
    assert_eq!(problem(&mut browser).await["message"], "@federation_expired");
    let (mut browser, trip) = sign_in_trip(&portal, &idp, GINA).await;
    let reply = browser
        .get(&format!(
            "/api/federation_callback?error=access_denied&state={}",
            trip.state
        ))
        .await;
    assert_eq!(reply.header("location"), Some("/sign-in/provider"));
    let cancelled = problem(&mut browser).await;
    assert_eq!(cancelled["message"], "@federation_cancelled?provider=Globex");
    assert_eq!(cancelled["can_retry"], true);
    let failures = "SELECT COUNT(*) FROM audit_events WHERE action = 'sign_in.failed' AND details LIKE '%token_refused%'";
    assert_eq!(portal.count(failures).await, 8);
}

async fn a_rotated_key_is_fetched_again(db: crate::support::Db) {
    let portal = start(db).await;
    let (old, new) = (SigningKey::new("k1"), SigningKey::new("k2"));
    let idp = TestIdp::start(&[&old]).await;
    let mut admin = portal.admin().await;
    add_provider(&mut admin, &idp, false).await;
    redeemed(&portal, &mut admin, &idp, &old).await;
    // An ID token without the address: it comes from userinfo, for the same subject only.
    let (mut browser, trip) = sign_in_trip(&portal, &idp, GINA).await;
    let mut bare = claims(&portal, &idp, &trip.nonce, ("sub-1", GINA), true);
    bare.as_object_mut().expect("claims").remove("email");
    idp.answer_with(old.sign(&bare));
    idp.userinfo(json!({ "sub": "sub-1", "email": GINA, "email_verified": true }));
    assert_eq!(
        come_back(&mut browser, &trip.state).await.as_deref(),
        Some("/my-access")
    );
    let (mut browser, trip) = sign_in_trip(&portal, &idp, GINA).await;
    idp.answer_with(old.sign(&bare));
    idp.userinfo(json!({ "sub": "someone-else", "email": GINA, "email_verified": true }));
    assert_eq!(
        come_back(&mut browser, &trip.state).await.as_deref(),
        Some("/sign-in/provider")
    );
    assert_eq!(
        problem(&mut browser).await["message"],
        "@federation_token_refused?provider=Globex"
    );
    idp.publish(&[&new]);
    let (mut browser, trip) = sign_in_trip(&portal, &idp, GINA).await;
    idp.answer_with(new.sign(&claims(&portal, &idp, &trip.nonce, ("sub-1", GINA), true)));
    assert_eq!(
        come_back(&mut browser, &trip.state).await.as_deref(),
        Some("/my-access")
    );
}

async fn another_or_unverified_address_gets_a_clear_page(db: crate::support::Db) {
    let portal = start(db).await;
    let key = SigningKey::new("k1");
    let idp = TestIdp::start(&[&key]).await;
    let mut admin = portal.admin().await;
    let provider = add_provider(&mut admin, &idp, false).await;
    let token = invitation_for(&portal, &mut admin, GINA).await;
    let mut partner = portal.browser();
    let first = trip(
        &partner
            .call("/api/send_invitation_code", &[("token", &token)])
            .await,
        &idp,
    );
    idp.answer_with(key.sign(&claims(
        &portal,
        &idp,
        &first.nonce,
        ("sub-2", "bob@globex.test"),
        true,
    )));
    assert_eq!(
        come_back(&mut partner, &first.state).await.as_deref(),
        Some("/sign-in/provider")
    );
    let mismatch = problem(&mut partner).await;
    assert_eq!(
        mismatch["message"],
        "@federation_mismatch?provider=Globex&got=bob%40globex.test&expected=gina%40globex.test"
    );
    assert_eq!(mismatch["start_again"], format!("/invite/{token}"));
    // "Try a different account" goes back with prompt=select_account.
    let retry = trip_retry(&mut partner, &idp).await;
    assert!(retry.url.contains("prompt=select_account"), "{}", retry.url);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM accounts WHERE email LIKE '%globex.test'")
            .await,
        0,
        "nothing made"
    );

    // An unverified address is refused unless the provider is trusted for its domain.
    idp.answer_with(key.sign(&claims(&portal, &idp, &retry.nonce, ("sub-1", GINA), false)));
    assert_eq!(
        come_back(&mut partner, &retry.state).await.as_deref(),
        Some("/sign-in/provider")
    );
    assert_eq!(
        problem(&mut partner).await["message"],
        "@federation_unverified?provider=Globex&got=gina%40globex.test"
    );
    let form = [
        ("id", provider.to_string()),
        ("provider[name]", "Globex".into()),
        ("provider[issuer]", idp.issuer.clone()),
        ("provider[client_id]", "portico".into()),
        ("provider[client_secret]", String::new()),
        ("provider[scopes]", "openid email".into()),
        ("provider[domains]", "globex.test".into()),
        ("provider[trust_email]", "on".into()),
        ("provider[mfa_acr]", String::new()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        admin.call("/api/save_identity_provider", &form).await.status,
        StatusCode::OK
    );
    let again = trip(
        &partner
            .call("/api/send_invitation_code", &[("token", &token)])
            .await,
        &idp,
    );
    idp.answer_with(key.sign(&claims(&portal, &idp, &again.nonce, ("sub-1", GINA), false)));
    assert_eq!(
        come_back(&mut partner, &again.state).await.as_deref(),
        Some("/my-access?joined=1")
    );
}

async fn trip_retry(browser: &mut Browser<'_>, idp: &TestIdp) -> Trip {
    let reply = browser.call("/api/retry_federation", &[]).await;
    trip(&reply, idp)
}

on_both_databases!(
    a_partner_redeems_and_signs_in_again_through_their_provider,
    forged_stale_and_replayed_answers_are_refused,
    a_rotated_key_is_fetched_again,
    another_or_unverified_address_gets_a_clear_page,
);
