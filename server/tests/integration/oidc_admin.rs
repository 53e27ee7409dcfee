//! An admin registers an app resource's app, sees its secret once, and makes a new one.

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

    // Only admins see or change a registration.
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

on_both_databases!(an_admin_registers_an_app_and_its_secret_is_shown_once);
