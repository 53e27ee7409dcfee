//! Apps signing partners in through Portico: the code flow end to end, and every refusal the
//! specs name (OpenID Connect Core, RFC 6749, RFC 7636, the OAuth 2.0 Security BCP).

use axum::http::StatusCode;

use crate::oidc_support::*;
use crate::on_both_databases;
use crate::support::{Db, TestPortal, PUBLIC_URL};

async fn a_member_signs_in_to_the_app_and_the_app_learns_who_they_are(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let app = register(&portal, crm, &client_form(true)).await;
    let mut ann = member(&portal, &mut admin, crm, MEMBER).await;
    member_of_group(&portal, &mut admin, "Team", "team").await;

    // My access opens the app, and sends the partner who just joined on to it.
    let access: serde_json::Value =
        serde_json::from_str(&ann.call("/api/my_access", &[]).await.body).expect("json");
    let crm_tile = access["held"]
        .as_array()
        .expect("held")
        .iter()
        .find(|h| h["resource_name"] == "CRM")
        .expect("CRM");
    assert_eq!(crm_tile["sign_in_url"], "https://crm.example.com/login");
    assert_eq!(
        access["continue_to"],
        serde_json::json!(["CRM", "https://crm.example.com/login"])
    );

    let code = code_for(&mut ann, &authorize_path(&app.client_id, &[])).await;
    let (status, tokens) = exchange(&portal, &app, &code).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    let claims = verified_id_token(
        &portal,
        tokens["id_token"].as_str().expect("id token"),
        &app.client_id,
    )
    .await;
    assert_eq!(claims["nonce"], "no-1");
    assert_eq!(claims["email"], MEMBER);
    assert_eq!(claims["name"], "Ann Partner");
    assert_eq!(claims["groups"], serde_json::json!(["team"]));
    assert!(claims["auth_time"].as_i64().is_some(), "{claims}");
    // She signed in by redeeming the emailed invitation: a one-time secret, no second factor.
    assert_eq!(claims["amr"], serde_json::json!(["otp"]));

    let (status, info) = userinfo(&portal, tokens["access_token"].as_str().expect("access")).await;
    assert_eq!(status, StatusCode::OK, "{info}");
    assert_eq!(
        (info["sub"].clone(), info["email"].clone()),
        (claims["sub"].clone(), claims["email"].clone())
    );

    // A second app (or the same one again) does not ask the member to sign in again.
    let again = code_for(&mut ann, &authorize_path(&app.client_id, &[])).await;
    assert_ne!(again, code);
    let audited = portal
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'oidc.app_signed_in'")
        .await;
    assert_eq!(audited, 1, "the first sign-in of a session is audited, once");
}

async fn refresh_tokens_rotate_and_a_reused_one_revokes_the_family(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let app = register(&portal, crm, &client_form(true)).await;
    let mut ann = member(&portal, &mut admin, crm, MEMBER).await;
    let code = code_for(&mut ann, &authorize_path(&app.client_id, &[])).await;
    let (_, first) = exchange(&portal, &app, &code).await;
    let first_refresh = first["refresh_token"].as_str().expect("refresh").to_string();

    let (status, second) = refresh(&portal, &app, &first_refresh).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    let second_refresh = second["refresh_token"].as_str().expect("rotated").to_string();
    assert_ne!(second_refresh, first_refresh);

    // The old one comes back: refused, and the whole family with it.
    let (status, reused) = refresh(&portal, &app, &first_refresh).await;
    assert_eq!(
        (status, reused["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );
    let (_, after) = refresh(&portal, &app, &second_refresh).await;
    assert_eq!(
        after["error"], "invalid_grant",
        "the newest token of the family is revoked too"
    );
    let (status, _) = userinfo(&portal, second["access_token"].as_str().expect("access")).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "access tokens of the family stop at userinfo"
    );
    let audited = portal
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'oidc.token_reused'")
        .await;
    assert_eq!(audited, 1);
}

async fn a_code_works_once_and_its_second_use_revokes_what_the_first_gave(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let app = register(&portal, crm, &client_form(true)).await;
    let mut ann = member(&portal, &mut admin, crm, MEMBER).await;

    let code = code_for(&mut ann, &authorize_path(&app.client_id, &[])).await;
    let (_, tokens) = exchange(&portal, &app, &code).await;
    let (status, again) = exchange(&portal, &app, &code).await;
    assert_eq!(
        (status, again["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );
    let (_, refreshed) = refresh(&portal, &app, tokens["refresh_token"].as_str().expect("refresh")).await;
    assert_eq!(refreshed["error"], "invalid_grant");

    // Codes last 60 seconds, and only with the address they were issued for.
    let late = code_for(&mut ann, &authorize_path(&app.client_id, &[])).await;
    portal.clock.advance(61);
    let (_, expired) = exchange(&portal, &app, &late).await;
    assert_eq!(expired["error"], "invalid_grant");
    let other = code_for(&mut ann, &authorize_path(&app.client_id, &[])).await;
    let secret = app.secret.as_deref().expect("secret");
    let (_, wrong_uri) = token_call(
        &portal,
        Some((&app.client_id, secret)),
        &[
            ("grant_type", "authorization_code"),
            ("code", &other),
            ("redirect_uri", "https://crm.example.com/other"),
        ],
    )
    .await;
    assert_eq!(wrong_uri["error"], "invalid_grant");
}

async fn the_token_endpoint_names_each_mistake(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let app = register(&portal, crm, &client_form(true)).await;
    let mut ann = member(&portal, &mut admin, crm, MEMBER).await;
    let code = code_for(&mut ann, &authorize_path(&app.client_id, &[])).await;
    let exchange_form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", CALLBACK),
    ];

    let (status, wrong) = token_call(&portal, Some((&app.client_id, "not-the-secret")), &exchange_form).await;
    assert_eq!(
        (status, wrong["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_client"))
    );
    let (status, nobody) = token_call(&portal, None, &exchange_form).await;
    assert_eq!(
        (status, nobody["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_client"))
    );
    let secret = app.secret.as_deref().expect("secret");
    let basic = Some((app.client_id.as_str(), secret));
    let (_, grant) = token_call(&portal, basic, &[("grant_type", "password")]).await;
    assert_eq!(grant["error"], "unsupported_grant_type");
    let (_, missing) = token_call(&portal, basic, &[("code", "x")]).await;
    assert_eq!(missing["error"], "invalid_request");
    let (_, unknown) = token_call(
        &portal,
        basic,
        &[
            ("grant_type", "authorization_code"),
            ("code", "nope"),
            ("redirect_uri", CALLBACK),
        ],
    )
    .await;
    assert_eq!(unknown["error"], "invalid_grant");
    // client_secret_post works as well as basic; the code is still good after the refusals.
    let mut post = exchange_form.to_vec();
    post.extend([("client_id", app.client_id.as_str()), ("client_secret", secret)]);
    let (status, tokens) = token_call(&portal, None, &post).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");

    let (status, _) = userinfo(&portal, "not.a.token").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn a_public_client_must_prove_its_pkce_verifier(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let app = register(&portal, crm, &client_form(false)).await;
    assert!(app.secret.is_none());
    let mut ann = member(&portal, &mut admin, crm, MEMBER).await;

    let without = ann.get(&authorize_path(&app.client_id, &[])).await;
    let pairs = location_query(&without);
    assert_eq!(
        param(&pairs, "error").as_deref(),
        Some("invalid_request"),
        "{pairs:?}"
    );
    assert_eq!(param(&pairs, "state").as_deref(), Some("st-1"));

    let (verifier, challenge) = pkce_pair("verifier");
    let pkce = [
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let code = code_for(&mut ann, &authorize_path(&app.client_id, &pkce)).await;
    let (wrong_verifier, _) = pkce_pair("another");
    let form = |verifier: &str| {
        vec![
            ("grant_type", "authorization_code".to_string()),
            ("code", code.clone()),
            ("redirect_uri", CALLBACK.to_string()),
            ("client_id", app.client_id.clone()),
            ("code_verifier", verifier.to_string()),
        ]
    };
    let call = |pairs: Vec<(&'static str, String)>| {
        let portal = &portal;
        async move {
            let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            token_call(portal, None, &borrowed).await
        }
    };
    let (status, refused) = call(form(&wrong_verifier)).await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );
    let (status, tokens) = call(form(&verifier)).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
}

async fn the_authorization_endpoint_refuses_by_the_rules(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let app = register(&portal, crm, &client_form(true)).await;
    let mut stranger = portal.browser();

    // Unknown apps and addresses: Portico's own page, never the address given.
    let unknown = stranger.get(&authorize_path("nobody", &[])).await;
    assert_eq!(
        unknown.header("location"),
        Some("/sign-in/app/problem?reason=unknown_app")
    );
    let evil = stranger
        .get(&authorize_path(
            &app.client_id,
            &[
                ("redirect_uri", "https://evil.example/cb"),
                ("response_type", "token"),
            ],
        ))
        .await;
    assert_eq!(
        evil.header("location"),
        Some("/sign-in/app/problem?reason=app_address_not_registered")
    );
    let page = stranger
        .get("/sign-in/app/problem?reason=app_address_not_registered")
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("has not registered"), "{}", page.body);

    // Mistakes the app can read go back to it.
    for (extra, error) in [
        (("response_type", "token"), "unsupported_response_type"),
        (("scope", "email"), "invalid_scope"),
        (("prompt", "none"), "login_required"),
    ] {
        let reply = stranger.get(&authorize_path(&app.client_id, &[extra])).await;
        let pairs = location_query(&reply);
        assert!(reply.header("location").expect("location").starts_with(CALLBACK));
        assert_eq!(param(&pairs, "error").as_deref(), Some(error), "{extra:?}");
        assert_eq!(param(&pairs, "iss").as_deref(), Some(PUBLIC_URL));
    }

    // Not signed in: sign in first, then back to the request.
    let reply = stranger.get(&authorize_path(&app.client_id, &[])).await;
    let location = reply.header("location").expect("location").to_string();
    assert!(
        location.starts_with("/sign-in?next=/sign-in/app%3Fclient_id%3D"),
        "{location}"
    );
    assert!(
        location.ends_with("&app=crm"),
        "someone new can ask for access: {location}"
    );
    let page = stranger.get(&location).await;
    assert!(page.body.contains("href=\"/request/crm\""), "{}", page.body);

    // Signed in without access: the way to ask for it.
    let mut admin_browser = portal.signed_in(crate::support::ADMIN_EMAIL).await;
    let reply = admin_browser.get(&authorize_path(&app.client_id, &[])).await;
    assert_eq!(reply.header("location"), Some("/sign-in/app/no-access/crm"));
    let page = admin_browser.get("/sign-in/app/no-access/crm").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("have access to CRM yet"), "{}", page.body);
    assert!(page.body.contains("href=\"/request/crm\""), "{}", page.body);
    let silent = admin_browser
        .get(&authorize_path(&app.client_id, &[("prompt", "none")]))
        .await;
    assert_eq!(
        param(&location_query(&silent), "error").as_deref(),
        Some("access_denied")
    );
}

async fn a_revoked_membership_stops_refresh_and_userinfo_at_once(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let app = register(&portal, crm, &client_form(true)).await;
    let mut ann = member(&portal, &mut admin, crm, MEMBER).await;
    let code = code_for(&mut ann, &authorize_path(&app.client_id, &[])).await;
    let (_, tokens) = exchange(&portal, &app, &code).await;

    sqlx::query("UPDATE memberships SET ended_at = $1 WHERE resource_id = $2")
        .bind(rules::clock::Clock::now(&portal.clock))
        .bind(crm)
        .execute(portal.state.store.read())
        .await
        .expect("revoked");
    let (status, _) = userinfo(&portal, tokens["access_token"].as_str().expect("access")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, refreshed) = refresh(&portal, &app, tokens["refresh_token"].as_str().expect("refresh")).await;
    assert_eq!(refreshed["error"], "invalid_grant");
    let reply = ann.get(&authorize_path(&app.client_id, &[])).await;
    assert_eq!(reply.header("location"), Some("/sign-in/app/no-access/crm"));
}

on_both_databases!(
    a_member_signs_in_to_the_app_and_the_app_learns_who_they_are,
    refresh_tokens_rotate_and_a_reused_one_revokes_the_family,
    a_code_works_once_and_its_second_use_revokes_what_the_first_gave,
    the_token_endpoint_names_each_mistake,
    a_public_client_must_prove_its_pkce_verifier,
    the_authorization_endpoint_refuses_by_the_rules,
    a_revoked_membership_stops_refresh_and_userinfo_at_once,
);
