//! Signing in with a partner's own OpenID provider: redemption and later sign-ins through it,
//! the link by (issuer, subject), every ID-token check with crafted tokens, the clear pages for
//! a different or unverified address, and the admin's providers and unlinking.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::federation_idp::{hs256, signing_input, SigningKey, TestIdp};
use crate::on_both_databases;
use crate::support::{Browser, TestPortal};

const SECRET: &str = "globex-client-secret-0123456789";
const GINA: &str = "gina@globex.test";

async fn start(db: crate::support::Db) -> TestPortal {
    TestPortal::start_with(
        db,
        &[
            "--allow-http-loopback-issuers",
            "--sign-in-limit-per-minute",
            "100000",
        ],
    )
    .await
}

async fn add_provider(admin: &mut Browser<'_>, idp: &TestIdp, trust_email: bool) -> i64 {
    let mut form = vec![
        ("provider[name]", "Globex"),
        ("provider[issuer]", idp.issuer.as_str()),
        ("provider[client_id]", "portico"),
        ("provider[client_secret]", SECRET),
        ("provider[scopes]", "openid email profile"),
        ("provider[domains]", "globex.test"),
        ("provider[mfa_acr]", ""),
    ];
    if trust_email {
        form.push(("provider[trust_email]", "on"));
    }
    let reply = admin.call("/api/save_identity_provider", &form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let location = reply.header("location").expect("to the provider's page");
    location
        .trim_start_matches("/admin/identity-providers/")
        .trim_end_matches("?saved=1")
        .parse()
        .expect("id")
}

/// An invitation for `email` (the CRM auto-approves globex.test).
async fn invitation_for(portal: &TestPortal, admin: &mut Browser<'_>, email: &str) -> String {
    let crm = portal.create_resource(admin, "CRM", "crm").await;
    portal
        .set_policy(admin, crm, &[("form[auto_approve_domains]", "globex.test")])
        .await;
    portal.browser().request_access("crm", email, "Gina Globex").await;
    portal
        .last_email_to(email)
        .await
        .link("/invite/")
        .trim_start_matches("/invite/")
        .to_string()
}

/// The trip's `state` and `nonce`, read from the address Portico sent the browser to.
struct Trip {
    state: String,
    nonce: String,
    url: String,
}

fn trip(reply: &crate::support::Reply, idp: &TestIdp) -> Trip {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let url = reply
        .header("location")
        .expect("sent to the provider")
        .to_string();
    assert!(url.starts_with(&format!("{}/auth?", idp.issuer)), "{url}");
    let parsed = url::Url::parse(&url).expect("url");
    let param = |name: &str| {
        parsed
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.to_string())
    };
    assert_eq!(
        param("code_challenge_method").as_deref(),
        Some("S256"),
        "PKCE: {url}"
    );
    assert_eq!(param("response_type").as_deref(), Some("code"));
    assert!(param("scope").expect("scope").split(' ').any(|s| s == "email"));
    Trip {
        state: param("state").expect("state"),
        nonce: param("nonce").expect("nonce"),
        url,
    }
}

fn claims(
    portal: &TestPortal,
    idp: &TestIdp,
    nonce: &str,
    (sub, email): (&str, &str),
    verified: bool,
) -> Value {
    let now = portal.state.clock.now();
    json!({
        "iss": idp.issuer, "aud": "portico", "sub": sub, "email": email, "email_verified": verified,
        "nonce": nonce, "iat": now, "exp": now + 300, "name": "Gina Globex",
    })
}

/// Makes an ID token for a trip's nonce.
type Craft<'a> = dyn Fn(&str) -> String + 'a;

async fn come_back(browser: &mut Browser<'_>, state: &str) -> Option<String> {
    let reply = browser
        .get(&format!("/api/federation_callback?code=c-1&state={state}"))
        .await;
    assert!(
        reply.status.is_redirection() || reply.status == StatusCode::OK,
        "{} {}",
        reply.status,
        reply.body
    );
    reply.header("location").map(str::to_string)
}

/// The problem page's message code, after a failed trip.
async fn problem(browser: &mut Browser<'_>) -> Value {
    let reply = browser.call("/api/federation_problem", &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).expect("json")
}

async fn sign_in_trip<'a>(portal: &'a TestPortal, idp: &TestIdp, email: &str) -> (Browser<'a>, Trip) {
    let mut browser = portal.browser();
    let reply = browser
        .call(
            "/api/send_sign_in_code",
            &[("code_email", email), ("next", "/my-access")],
        )
        .await;
    let trip = trip(&reply, idp);
    (browser, trip)
}

/// Gina redeems her invitation at Globex's provider: an account without a password, linked.
async fn redeemed(portal: &TestPortal, admin: &mut Browser<'_>, idp: &TestIdp, key: &SigningKey) {
    let token = invitation_for(portal, admin, GINA).await;
    let mut partner = portal.browser();
    let reply = partner
        .call("/api/send_invitation_code", &[("token", &token)])
        .await;
    let trip = trip(&reply, idp);
    assert!(trip.url.contains("login_hint=gina%40globex.test"), "{}", trip.url);
    assert_eq!(
        portal.count("SELECT COUNT(*) FROM one_time_codes").await,
        0,
        "no code is sent"
    );
    idp.answer_with(key.sign(&claims(portal, idp, &trip.nonce, ("sub-1", GINA), true)));
    assert_eq!(
        come_back(&mut partner, &trip.state).await.as_deref(),
        Some("/my-access?joined=1")
    );
    assert_eq!(partner.signed_in_as().await.as_deref(), Some(GINA));
    // The same answer again is refused: the trip was used.
    assert_eq!(
        come_back(&mut partner, &trip.state).await.as_deref(),
        Some("/sign-in/provider")
    );
    assert_eq!(problem(&mut partner).await["message"], "@federation_expired");
}

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

async fn trip_retry(browser: &mut Browser<'_>, idp: &TestIdp) -> Trip {
    let reply = browser.call("/api/retry_federation", &[]).await;
    trip(&reply, idp)
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
    a_partner_redeems_and_signs_in_again_through_their_provider,
    forged_stale_and_replayed_answers_are_refused,
    a_rotated_key_is_fetched_again,
    another_or_unverified_address_gets_a_clear_page,
    admins_add_test_and_remove_providers,
    an_unreachable_provider_is_said_beside_the_address,
);
