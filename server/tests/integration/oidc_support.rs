//! A relying party's side of the provider's tests: a registered app, a member with access, and
//! the calls an app makes (authorization in the member's browser, then token and userinfo).

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::support::{encode_form, Browser, Reply, TestPortal, ADMIN_EMAIL, PASSWORD, PUBLIC_URL};
use rules::audit::event::Actor;
use rules::clock::Clock;
use rules::oidc::clients::ClientForm;
use services::oidc::clients::save_client;

pub const CALLBACK: &str = "https://crm.example.com/callback";
pub const MEMBER: &str = "ann@partner.example";

/// A registered app: its id, and its secret when it is confidential.
pub struct App {
    pub client_id: String,
    pub secret: Option<String>,
}

pub fn client_form(confidential: bool) -> ClientForm {
    ClientForm {
        redirect_uris: CALLBACK.into(),
        post_logout_uris: "https://crm.example.com/".into(),
        sign_in_url: "https://crm.example.com/login".into(),
        confidential,
        first_party: true,
        claims: vec!["email".into(), "name".into(), "groups".into()],
    }
}

pub async fn register(portal: &TestPortal, resource_id: i64, form: &ClientForm) -> App {
    let admin = storage::accounts::account::find_by_email(portal.state.store.read(), ADMIN_EMAIL)
        .await
        .expect("read")
        .expect("the first admin");
    let saved = save_client(
        &portal.state.store,
        (&admin, &Actor::system()),
        resource_id,
        form,
        portal.clock.now(),
    )
    .await
    .expect("registered");
    App {
        client_id: saved.client_id,
        secret: saved.secret,
    }
}

/// Makes `email` a member of the resource (an owner invites, they redeem), signed in.
pub async fn member<'a>(
    portal: &'a TestPortal,
    admin: &mut Browser<'_>,
    resource_id: i64,
    email: &str,
) -> Browser<'a> {
    let mut owner = portal
        .owner(admin, resource_id, &format!("owner-{resource_id}@example.com"))
        .await;
    let sent = owner
        .call(
            "/api/invite_partner",
            &[
                ("resource_id", &resource_id.to_string()),
                ("invite[email]", email),
                ("invite[display_name]", "Ann Partner"),
                ("invite[message]", ""),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let token = portal
        .last_email_to(email)
        .await
        .link("/invite/")
        .trim_start_matches("/invite/")
        .to_string();
    portal.allow_partner_passwords().await;
    let mut browser = portal.browser();
    let redeemed = browser
        .call(
            "/api/redeem_invitation",
            &[
                ("token", token.as_str()),
                ("mode", "new"),
                ("display_name", "Ann Partner"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(redeemed.status, StatusCode::OK, "{}", redeemed.body);
    browser
}

/// Makes a group resource and gives [`MEMBER`] (a member already) a live membership of it.
pub async fn member_of_group(portal: &TestPortal, admin: &mut Browser<'_>, name: &str, slug: &str) {
    let group = portal.create_resource(admin, name, slug).await;
    sqlx::query("UPDATE resources SET kind = 'group' WHERE id = $1")
        .bind(group)
        .execute(portal.state.store.read())
        .await
        .expect("a group");
    sqlx::query(
        "INSERT INTO memberships (account_id, resource_id, source, granted_at)
         SELECT id, $1, 'invitation', 0 FROM accounts WHERE email = $2",
    )
    .bind(group)
    .bind(MEMBER)
    .execute(portal.state.store.read())
    .await
    .expect("a member of the group");
}

/// The authorization request's address for `app`, with extra parameters.
pub fn authorize_path(client_id: &str, extra: &[(&str, &str)]) -> String {
    let mut form = vec![
        ("client_id", client_id),
        ("redirect_uri", CALLBACK),
        ("response_type", "code"),
        ("scope", "openid email profile groups"),
        ("state", "st-1"),
        ("nonce", "no-1"),
    ];
    for (name, value) in extra {
        form.retain(|(n, _)| n != name);
        form.push((name, value));
    }
    format!("/oauth/authorize?{}", encode_form(&form))
}

/// The query parameters of a redirect's `Location`.
pub fn location_query(reply: &Reply) -> Vec<(String, String)> {
    let location = reply
        .header("location")
        .unwrap_or_else(|| panic!("a redirect: {} {}", reply.status, reply.body));
    let url = url::Url::parse(location)
        .unwrap_or_else(|_| url::Url::parse(&format!("{PUBLIC_URL}{location}")).expect("url"));
    url.query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

pub fn param(pairs: &[(String, String)], name: &str) -> Option<String> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}

/// The code the member's browser brings back to the app.
pub async fn code_for(browser: &mut Browser<'_>, path: &str) -> String {
    let reply = browser.get(path).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let location = reply.header("location").expect("location");
    assert!(location.starts_with(CALLBACK), "{location}");
    let pairs = location_query(&reply);
    assert_eq!(param(&pairs, "state").as_deref(), Some("st-1"));
    assert_eq!(param(&pairs, "iss").as_deref(), Some(PUBLIC_URL));
    param(&pairs, "code").expect("a code")
}

/// A call to the token endpoint as the app's server makes it (client_secret_basic when `basic`).
pub async fn token_call(
    portal: &TestPortal,
    basic: Option<(&str, &str)>,
    form: &[(&str, &str)],
) -> (StatusCode, Value) {
    token_call_at(portal, "/oauth/token", basic, form).await
}

/// A call an app's server makes to one of the provider's endpoints.
pub async fn token_call_at(
    portal: &TestPortal,
    path: &str,
    basic: Option<(&str, &str)>,
    form: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some((id, secret)) = basic {
        request = request.header(
            header::AUTHORIZATION,
            format!("Basic {}", STANDARD.encode(format!("{id}:{secret}"))),
        );
    }
    let reply = portal
        .send(request.body(Body::from(encode_form(form))).expect("request"))
        .await;
    assert_eq!(reply.header("cache-control"), Some("no-store"), "{}", reply.body);
    (
        reply.status,
        serde_json::from_str(&reply.body).unwrap_or(Value::Null),
    )
}

/// Exchanges a confidential app's code.
pub async fn exchange(portal: &TestPortal, app: &App, code: &str) -> (StatusCode, Value) {
    let secret = app.secret.as_deref().expect("confidential");
    token_call(
        portal,
        Some((&app.client_id, secret)),
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", CALLBACK),
        ],
    )
    .await
}

pub async fn refresh(portal: &TestPortal, app: &App, refresh_token: &str) -> (StatusCode, Value) {
    let secret = app.secret.as_deref().expect("confidential");
    token_call(
        portal,
        Some((&app.client_id, secret)),
        &[("grant_type", "refresh_token"), ("refresh_token", refresh_token)],
    )
    .await
}

pub async fn userinfo(portal: &TestPortal, access_token: &str) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(Method::GET)
        .uri("/oauth/userinfo")
        .header(header::AUTHORIZATION, format!("Bearer {access_token}"))
        .body(Body::empty())
        .expect("request");
    let reply = portal.send(request).await;
    (
        reply.status,
        serde_json::from_str(&reply.body).unwrap_or(Value::Null),
    )
}

/// A PKCE verifier and its S256 challenge (RFC 7636, appendix B).
pub fn pkce_pair(seed: &str) -> (String, String) {
    let verifier = format!("{seed:a<64}");
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// The ID token's claims, verified with the key the provider publishes under its `kid`.
pub async fn verified_id_token(portal: &TestPortal, id_token: &str, audience: &str) -> Value {
    let header = jsonwebtoken::decode_header(id_token).expect("a JWT");
    assert_eq!(header.alg, jsonwebtoken::Algorithm::RS256);
    // Signed by the portal through the provider that keeps RS256 keys parsed, not the default.
    assert!(services::oidc::parsed_keys::installed());
    let reply = portal.browser().get("/oauth/jwks").await;
    let keys: jsonwebtoken::jwk::JwkSet = serde_json::from_str(&reply.body).expect("jwks");
    let jwk = keys
        .find(header.kid.as_deref().expect("kid"))
        .expect("the key is published");
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&[audience]);
    validation.set_issuer(&[PUBLIC_URL]);
    validation.validate_exp = false;
    let key = jsonwebtoken::DecodingKey::from_jwk(jwk).expect("key");
    jsonwebtoken::decode::<Value>(id_token, &key, &validation)
        .expect("verifies")
        .claims
}
