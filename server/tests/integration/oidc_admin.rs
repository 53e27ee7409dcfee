//! An admin registers an app resource's app, sees its secret once, and makes a new one; owners
//! register their own apps once the admins allow them to.

use axum::http::StatusCode;
use serde_json::Value;

use crate::oidc_support::*;
use crate::on_both_databases;
use crate::support::{Db, TestPortal, PUBLIC_URL};

async fn an_admin_registers_an_app_and_its_secret_is_shown_once(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let id = crm.to_string();

    let refused = admin
        .call(
            "/api/save_app_client",
            &[
                ("resource_id", &id),
                ("client[redirect_uris]", "http://crm.example.com/cb"),
                ("client[sign_in_url]", ""),
                ("client[kind]", "confidential"),
            ],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("must use https"), "{}", refused.body);
    assert!(refused.body.contains("client[sign_in_url]"), "{}", refused.body);
    assert_eq!(portal.count("SELECT COUNT(*) FROM oidc_clients").await, 0);

    let saved = admin
        .call(
            "/api/save_app_client",
            &[
                ("resource_id", &id),
                ("client[redirect_uris]", CALLBACK),
                ("client[sign_in_url]", "https://crm.example.com/login"),
                ("client[kind]", "confidential"),
                ("client[first_party]", "on"),
                ("client[claim_email]", "on"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let page = |body: &str| serde_json::from_str::<Value>(body).expect("json");
    let shown = page(
        &admin
            .call("/api/app_registration", &[("resource_id", &id)])
            .await
            .body,
    );
    let secret = shown["new_secret"]
        .as_str()
        .expect("the secret, once")
        .to_string();
    assert_eq!(
        shown["discovery_url"],
        format!("{PUBLIC_URL}/.well-known/openid-configuration")
    );
    let client_id = shown["client"]["client_id"]
        .as_str()
        .expect("client id")
        .to_string();
    let again = page(
        &admin
            .call("/api/app_registration", &[("resource_id", &id)])
            .await
            .body,
    );
    assert!(again["new_secret"].is_null(), "not shown twice");

    let app = App {
        client_id: client_id.clone(),
        secret: Some(secret.clone()),
    };
    let mut ann = member(&portal, &mut admin, crm, MEMBER).await;
    let code = code_for(&mut ann, &authorize_path(&client_id, &[])).await;
    let rotated = admin
        .call("/api/rotate_app_secret", &[("resource_id", &id)])
        .await;
    assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.body);
    let (status, old) = exchange(&portal, &app, &code).await;
    assert_eq!(
        (status, old["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("invalid_client"))
    );
    let fresh = page(
        &admin
            .call("/api/app_registration", &[("resource_id", &id)])
            .await
            .body,
    );
    let app = App {
        secret: fresh["new_secret"].as_str().map(str::to_string),
        ..app
    };
    let (status, tokens) = exchange(&portal, &app, &code).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let audited = portal
        .count(
            "SELECT COUNT(*) FROM audit_events WHERE action IN ('oidc.client_saved', 'oidc.secret_rotated')",
        )
        .await;
    assert_eq!(audited, 2);

    // A partner who owns nothing sees and changes nothing.
    let mut partner = portal.signed_in(MEMBER).await;
    let forbidden = partner
        .call("/api/app_registration", &[("resource_id", &id)])
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let forbidden = partner
        .call("/api/rotate_app_secret", &[("resource_id", &id)])
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
}

async fn owners_register_their_app_once_the_admins_allow_it(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let wiki = portal.create_resource(&mut admin, "Wiki", "wiki").await;
    let id = crm.to_string();
    let mut olga = portal.owner(&mut admin, crm, "olga@example.com").await;
    let registration = [
        ("resource_id", id.as_str()),
        ("client[redirect_uris]", CALLBACK),
        ("client[sign_in_url]", "https://crm.example.com/login"),
        ("client[kind]", "confidential"),
        ("client[claim_email]", "on"),
    ];
    let may_register =
        |body: &str| serde_json::from_str::<Value>(body).expect("json")["may_register_app"].clone();

    // Not until an admin allows it: no link, no page, no saving.
    let people = olga
        .call("/api/resource_people", &[("resource_id", &id), ("search", "")])
        .await;
    assert_eq!(may_register(&people.body), Value::Bool(false));
    let page = olga.call("/api/app_registration", &[("resource_id", &id)]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let refused = olga.call("/api/save_app_client", &registration).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let partner_may = olga
        .call("/api/save_owner_app_registration", &[("owners_register", "on")])
        .await;
    assert_eq!(partner_may.status, StatusCode::FORBIDDEN, "only admins choose");

    let allowed = admin
        .call("/api/save_owner_app_registration", &[("owners_register", "on")])
        .await;
    assert_eq!(allowed.status, StatusCode::OK, "{}", allowed.body);
    let people = olga
        .call("/api/resource_people", &[("resource_id", &id), ("search", "")])
        .await;
    assert_eq!(may_register(&people.body), Value::Bool(true));
    let saved = olga.call("/api/save_app_client", &registration).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let page: Value = serde_json::from_str(
        &olga
            .call("/api/app_registration", &[("resource_id", &id)])
            .await
            .body,
    )
    .expect("json");
    assert!(
        page["new_secret"].as_str().is_some(),
        "the secret, once, to the owner"
    );
    assert_eq!(page["back_url"], format!("/resources/{crm}"));
    let rotated = olga.call("/api/rotate_app_secret", &[("resource_id", &id)]).await;
    assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.body);

    // Her own apps only.
    let other = olga
        .call("/api/app_registration", &[("resource_id", &wiki.to_string())])
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);

    // Stopping owners leaves what they registered, and the choice is audited both ways.
    let stopped = admin.call("/api/save_owner_app_registration", &[]).await;
    assert_eq!(stopped.status, StatusCode::OK, "{}", stopped.body);
    let refused = olga.call("/api/rotate_app_secret", &[("resource_id", &id)]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(portal.count("SELECT COUNT(*) FROM oidc_clients").await, 1);
    let audited = portal
        .count(
            "SELECT COUNT(*) FROM audit_events
             WHERE action = 'settings.changed' AND target_id = 'owners_register_apps'",
        )
        .await;
    assert_eq!(audited, 2);
}

on_both_databases!(
    an_admin_registers_an_app_and_its_secret_is_shown_once,
    owners_register_their_app_once_the_admins_allow_it
);
