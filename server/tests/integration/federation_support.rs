//! What the federation tests share: a portal that allows the test provider's http issuer, the
//! provider added through the admin's call, Gina's invitation, and the trip there and back.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::federation_idp::{SigningKey, TestIdp};
use crate::support::{Browser, TestPortal};

pub(crate) const SECRET: &str = "globex-client-secret-0123456789";
pub(crate) const GINA: &str = "gina@globex.test";

pub(crate) async fn start(db: crate::support::Db) -> TestPortal {
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

pub(crate) async fn add_provider(admin: &mut Browser<'_>, idp: &TestIdp, trust_email: bool) -> i64 {
    let extra: &[(&str, &str)] = if trust_email {
        &[("provider[trust_email]", "on")]
    } else {
        &[]
    };
    add_provider_with(admin, idp, extra).await
}

/// Adds Globex's provider with `extra` fields (ticked boxes) besides the usual ones.
pub(crate) async fn add_provider_with(admin: &mut Browser<'_>, idp: &TestIdp, extra: &[(&str, &str)]) -> i64 {
    let mut form = vec![
        ("provider[name]", "Globex"),
        ("provider[issuer]", idp.issuer.as_str()),
        ("provider[client_id]", "portico"),
        ("provider[client_secret]", SECRET),
        ("provider[scopes]", "openid email profile"),
        ("provider[domains]", "globex.test"),
        ("provider[mfa_acr]", ""),
    ];
    form.extend_from_slice(extra);
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
pub(crate) async fn invitation_for(portal: &TestPortal, admin: &mut Browser<'_>, email: &str) -> String {
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
pub(crate) struct Trip {
    pub state: String,
    pub nonce: String,
    pub url: String,
}

pub(crate) fn trip(reply: &crate::support::Reply, idp: &TestIdp) -> Trip {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    trip_to(reply.header("location").expect("sent to the provider"), idp)
}

pub(crate) fn trip_to(url: &str, idp: &TestIdp) -> Trip {
    let url = url.to_string();
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

pub(crate) fn claims(
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
pub(crate) type Craft<'a> = dyn Fn(&str) -> String + 'a;

pub(crate) async fn come_back(browser: &mut Browser<'_>, state: &str) -> Option<String> {
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
pub(crate) async fn problem(browser: &mut Browser<'_>) -> Value {
    let reply = browser.call("/api/federation_problem", &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).expect("json")
}

pub(crate) async fn sign_in_trip<'a>(
    portal: &'a TestPortal,
    idp: &TestIdp,
    email: &str,
) -> (Browser<'a>, Trip) {
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
pub(crate) async fn redeemed(portal: &TestPortal, admin: &mut Browser<'_>, idp: &TestIdp, key: &SigningKey) {
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
