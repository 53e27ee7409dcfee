//! What an app does after the sign-in: revoking its tokens (RFC 7009), asking whether a token is
//! still good (RFC 7662), and signing the person out of Portico (RP-initiated logout).

use axum::http::StatusCode;

use crate::oidc_support::*;
use crate::on_both_databases;
use crate::support::{encode_form, Db, TestPortal};

async fn call_about(
    portal: &TestPortal,
    app: &App,
    path: &str,
    token: &str,
) -> (StatusCode, serde_json::Value) {
    let secret = app.secret.as_deref();
    let mut form = vec![("token", token)];
    if secret.is_none() {
        form.push(("client_id", app.client_id.as_str()));
    }
    let basic = secret.map(|s| (app.client_id.as_str(), s));
    token_call_at(portal, path, basic, &form).await
}

async fn revoking_a_token_ends_the_grant_and_introspection_says_so(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let app = register(&portal, crm, &client_form(true)).await;
    let mut ann = member(&portal, &mut admin, crm, MEMBER).await;
    let code = code_for(&mut ann, &authorize_path(&app.client_id, &[])).await;
    let (_, tokens) = exchange(&portal, &app, &code).await;
    let access = tokens["access_token"].as_str().expect("access");
    let refresh_token = tokens["refresh_token"].as_str().expect("refresh");

    let (status, active) = call_about(&portal, &app, "/oauth/introspect", access).await;
    assert_eq!(status, StatusCode::OK, "{active}");
    assert_eq!(
        (active["active"].as_bool(), active["client_id"].as_str()),
        (Some(true), Some(app.client_id.as_str()))
    );
    let (_, of_refresh) = call_about(&portal, &app, "/oauth/introspect", refresh_token).await;
    assert_eq!(of_refresh["active"], true);
    let (_, nonsense) = call_about(&portal, &app, "/oauth/introspect", "nonsense").await;
    assert_eq!(nonsense, serde_json::json!({ "active": false }));

    // Another app cannot revoke or read this app's tokens.
    let other_resource = portal.create_resource(&mut admin, "Wiki", "wiki").await;
    let other = register(&portal, other_resource, &client_form(true)).await;
    let (status, _) = call_about(&portal, &other, "/oauth/revoke", refresh_token).await;
    assert_eq!(status, StatusCode::OK, "answered like any unknown token");
    let (_, theirs) = call_about(&portal, &other, "/oauth/introspect", access).await;
    assert_eq!(theirs["active"], false);
    let (_, still) = call_about(&portal, &app, "/oauth/introspect", access).await;
    assert_eq!(still["active"], true);

    let (status, _) = call_about(&portal, &app, "/oauth/revoke", refresh_token).await;
    assert_eq!(status, StatusCode::OK);
    let (_, after) = call_about(&portal, &app, "/oauth/introspect", access).await;
    assert_eq!(
        after["active"], false,
        "the access token of the revoked grant is void too"
    );
    let (_, refreshed) = refresh(&portal, &app, refresh_token).await;
    assert_eq!(refreshed["error"], "invalid_grant");

    // Public clients may revoke but not introspect.
    let public_resource = portal.create_resource(&mut admin, "Board", "board").await;
    let public = register(&portal, public_resource, &client_form(false)).await;
    let (status, refused) = call_about(&portal, &public, "/oauth/introspect", access).await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_client"))
    );
}

async fn an_app_signs_the_person_out_of_portico(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let app = register(&portal, crm, &client_form(true)).await;
    let mut ann = member(&portal, &mut admin, crm, MEMBER).await;
    let code = code_for(&mut ann, &authorize_path(&app.client_id, &[])).await;
    let (_, tokens) = exchange(&portal, &app, &code).await;
    let id_token = tokens["id_token"].as_str().expect("id token");

    // A link without proof only asks; an unregistered address is never followed.
    let asked = ann
        .get(&format!(
            "/oauth/end-session?{}",
            encode_form(&[
                ("client_id", &app.client_id),
                ("post_logout_redirect_uri", "https://crm.example.com/")
            ])
        ))
        .await;
    let location = asked.header("location").expect("location");
    assert!(location.starts_with("/sign-in/app/sign-out?"), "{location}");
    assert_eq!(ann.signed_in_as().await.as_deref(), Some(MEMBER));
    let page = ann.get(location).await;
    assert!(
        page.body.contains("action=\"/oauth/end-session\""),
        "{}",
        page.body
    );
    let evil = ann
        .get(&format!(
            "/oauth/end-session?{}",
            encode_form(&[
                ("id_token_hint", id_token),
                ("post_logout_redirect_uri", "https://evil.example/")
            ])
        ))
        .await;
    assert_eq!(
        evil.header("location"),
        Some("/sign-in/app/problem?reason=app_address_not_registered")
    );
    assert_eq!(ann.signed_in_as().await.as_deref(), Some(MEMBER));

    // An access token is no proof of a sign-in to end: only an ID token is.
    let access = tokens["access_token"].as_str().expect("access token");
    let with_access = ann
        .get(&format!(
            "/oauth/end-session?{}",
            encode_form(&[
                ("id_token_hint", access),
                ("client_id", &app.client_id),
                ("post_logout_redirect_uri", "https://crm.example.com/")
            ])
        ))
        .await;
    let asks = with_access.header("location").expect("location");
    assert!(asks.starts_with("/sign-in/app/sign-out?"), "{asks}");
    assert_eq!(ann.signed_in_as().await.as_deref(), Some(MEMBER));

    // With its ID token as proof, the app ends the session and gets the person back.
    let ended = ann
        .get(&format!(
            "/oauth/end-session?{}",
            encode_form(&[
                ("id_token_hint", id_token),
                ("post_logout_redirect_uri", "https://crm.example.com/"),
                ("state", "bye")
            ])
        ))
        .await;
    assert_eq!(
        ended.header("location"),
        Some("https://crm.example.com/?state=bye")
    );
    assert_eq!(ann.signed_in_as().await, None);
    let reply = ann
        .get(&authorize_path(&app.client_id, &[("prompt", "none")]))
        .await;
    assert_eq!(
        param(&location_query(&reply), "error").as_deref(),
        Some("login_required")
    );

    // Confirming on Portico's page signs out as well.
    let mut again = portal.signed_in(MEMBER).await;
    let confirmed = again
        .submit_without_js(
            "/oauth/end-session",
            &[
                ("client_id", &app.client_id),
                ("post_logout_redirect_uri", "https://crm.example.com/"),
            ],
            "/sign-in/app/sign-out",
        )
        .await;
    let onward = confirmed.header("location").expect("on").to_string();
    assert!(onward.starts_with("/sign-in/app/signed-out?"), "{onward}");
    assert_eq!(again.signed_in_as().await, None);
    let page = again.get(&onward).await;
    assert!(
        page.body.contains("0;url=https://crm.example.com/"),
        "{}",
        page.body
    );
    let forged = again
        .get("/sign-in/app/signed-out?client_id=x&post_logout_redirect_uri=https%3A%2F%2Fevil.example%2F")
        .await;
    assert!(
        !forged.body.contains("url=https://evil.example"),
        "never sent to an unregistered address"
    );
    assert!(
        !forged.body.contains("href=\"https://evil.example"),
        "nor offered a link there"
    );
}

async fn prompt_login_and_max_age_ask_for_a_fresh_sign_in(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let app = register(&portal, crm, &client_form(true)).await;
    let mut ann = member(&portal, &mut admin, crm, MEMBER).await;

    let reply = ann
        .get(&authorize_path(&app.client_id, &[("prompt", "login")]))
        .await;
    let location = reply.header("location").expect("location").to_string();
    assert!(
        location.starts_with("/sign-in?next=/sign-in/app%3F"),
        "{location}"
    );
    assert!(
        !location.contains("prompt"),
        "the way back does not ask again: {location}"
    );
    assert_eq!(ann.signed_in_as().await, None, "the old sign-in ended");

    let mut ann = portal.signed_in(MEMBER).await;
    portal.clock.advance(120);
    let reply = ann
        .get(&authorize_path(&app.client_id, &[("max_age", "60")]))
        .await;
    assert!(reply
        .header("location")
        .expect("location")
        .starts_with("/sign-in?next="));
    let mut ann = portal.signed_in(MEMBER).await;
    let code = code_for(&mut ann, &authorize_path(&app.client_id, &[("max_age", "60")])).await;
    let (status, tokens) = exchange(&portal, &app, &code).await;
    assert_eq!(status, StatusCode::OK);
    let id_token = tokens["id_token"].as_str().expect("id token");
    let claims = verified_id_token(&portal, id_token, &app.client_id).await;
    assert_eq!(
        claims["amr"],
        serde_json::json!(["pwd"]),
        "a fresh sign-in with the password"
    );
}

async fn an_app_of_another_party_asks_consent_once_and_it_can_be_withdrawn(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut form = client_form(true);
    form.first_party = false;
    let app = register(&portal, crm, &form).await;
    let mut ann = member(&portal, &mut admin, crm, MEMBER).await;

    let silent = ann
        .get(&authorize_path(&app.client_id, &[("prompt", "none")]))
        .await;
    assert_eq!(
        param(&location_query(&silent), "error").as_deref(),
        Some("consent_required")
    );
    let asked = ann.get(&authorize_path(&app.client_id, &[])).await;
    let location = asked.header("location").expect("location").to_string();
    assert!(location.starts_with("/sign-in/app/consent?"), "{location}");
    let query = location.trim_start_matches("/sign-in/app/consent");
    let page = ann.get(&location).await;
    assert!(page.body.contains("CRM wants to sign you in"), "{}", page.body);
    assert!(page.body.contains("your email address"), "{}", page.body);

    let declined = ann.get(&format!("/oauth/decline{query}")).await;
    let back = declined.header("location").expect("back to the app").to_string();
    assert!(
        back.starts_with(CALLBACK) && back.contains("error=access_denied") && back.contains("state=st-1"),
        "{back}"
    );

    let allowed = ann
        .submit_without_js("/api/allow_app", &[("query", query)], &location)
        .await;
    let next = allowed.header("location").expect("on").to_string();
    assert!(next.starts_with("/sign-in/app?client_id="), "{next}");
    // The browser loads that page, which goes on to the endpoint by a refresh (a form's redirect
    // may not leave the site, and the endpoint's may).
    let onward = ann.get(&next).await;
    assert_eq!(onward.status, StatusCode::OK);
    let endpoint = next.replacen("/sign-in/app?", "/oauth/authorize?", 1);
    let refresh_tag = format!("0;url={}", endpoint.replace('&', "&amp;"));
    assert!(onward.body.contains(&refresh_tag), "{}", onward.body);
    let back = ann.get(&endpoint).await;
    assert!(
        back.header("location").expect("to the app").starts_with(CALLBACK),
        "consent given: straight back"
    );
    let code = code_for(&mut ann, &authorize_path(&app.client_id, &[])).await;
    let (_, tokens) = exchange(&portal, &app, &code).await;

    let listed = ann.call("/api/my_app_consents", &[]).await;
    assert!(listed.body.contains("\"app_name\":\"CRM\""), "{}", listed.body);
    let withdrawn = ann
        .call("/api/withdraw_app_consent", &[("client_id", &app.client_id)])
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.body);
    let (_, refreshed) = refresh(&portal, &app, tokens["refresh_token"].as_str().expect("refresh")).await;
    assert_eq!(
        refreshed["error"], "invalid_grant",
        "withdrawing revokes what the app holds"
    );
    let again = ann.get(&authorize_path(&app.client_id, &[])).await;
    assert!(again
        .header("location")
        .expect("location")
        .starts_with("/sign-in/app/consent?"));
    let audited = portal
        .count("SELECT COUNT(*) FROM audit_events WHERE action IN ('oidc.consent_given', 'oidc.consent_withdrawn')")
        .await;
    assert_eq!(audited, 2);
}

async fn the_daily_clean_up_forgets_what_apps_can_no_longer_use(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let app = register(&portal, crm, &client_form(true)).await;
    let mut ann = member(&portal, &mut admin, crm, MEMBER).await;
    let code = code_for(&mut ann, &authorize_path(&app.client_id, &[])).await;
    let (_, tokens) = exchange(&portal, &app, &code).await;
    let (_, rotated) = refresh(&portal, &app, tokens["refresh_token"].as_str().expect("refresh")).await;
    let absolute = portal.state.settings.session_absolute_seconds;
    let clean = |at: i64| services::memberships::lifecycle::clean_up(&portal.state.store, absolute, at);

    let cleaned = clean(rules::clock::Clock::now(&portal.clock) + 60)
        .await
        .expect("clean up");
    assert_eq!(cleaned.app_tokens, 0, "a live grant keeps everything");
    let (status, _) = refresh(&portal, &app, rotated["refresh_token"].as_str().expect("refresh")).await;
    assert_eq!(status, StatusCode::OK);

    let later = rules::clock::Clock::now(&portal.clock) + 31 * 24 * 3600;
    let cleaned = clean(later).await.expect("clean up");
    assert!(
        cleaned.app_tokens >= 4,
        "codes, tokens and the grant: {}",
        cleaned.app_tokens
    );
    for table in ["oidc_codes", "oidc_refresh_tokens", "oidc_grants"] {
        assert_eq!(
            portal.count(&format!("SELECT COUNT(*) FROM {table}")).await,
            0,
            "{table}"
        );
    }
}

on_both_databases!(
    the_daily_clean_up_forgets_what_apps_can_no_longer_use,
    an_app_of_another_party_asks_consent_once_and_it_can_be_withdrawn,
    revoking_a_token_ends_the_grant_and_introspection_says_so,
    an_app_signs_the_person_out_of_portico,
    prompt_login_and_max_age_ask_for_a_fresh_sign_in,
);
