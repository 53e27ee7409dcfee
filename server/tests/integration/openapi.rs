//! The OpenAPI document is served, is OpenAPI 3.1, names every route, and `schemathesis` (run
//! against a live portal with a real token) finds no response that breaks it.

use std::net::SocketAddr;

use axum::http::StatusCode;
use serde_json::json;

use crate::api_client::{make_token, Api, ALL_SCOPES};
use crate::support::{Db, TestPortal};

#[test]
fn the_document_is_openapi_3_1_and_has_a_reference_page() {
    crate::support::run(async {
        let portal = TestPortal::start(Db::Sqlite).await;
        let nobody = Api::anonymous(&portal);
        let doc = nobody.get("/api/v1/openapi.json").await;
        assert_eq!(doc.status, StatusCode::OK);
        assert!(
            doc.json["openapi"].as_str().unwrap().starts_with("3.1"),
            "{}",
            doc.json["openapi"]
        );
        let paths = doc.json["paths"].as_object().unwrap();
        for path in [
            "/api/v1/invitations",
            "/api/v1/invitations/{id}",
            "/api/v1/invitations/{id}/resend",
            "/api/v1/invitations/{id}/revoke",
            "/api/v1/requests",
            "/api/v1/requests/{id}",
            "/api/v1/requests/{id}/decision",
            "/api/v1/memberships",
            "/api/v1/memberships/check",
            "/api/v1/resources",
            "/api/v1/resources/{id}",
        ] {
            assert!(paths.contains_key(path), "{path} is documented");
        }
        assert_eq!(
            doc.json["components"]["securitySchemes"]["token"]["scheme"],
            "bearer"
        );
        assert_eq!(
            doc.json["components"]["schemas"]["NewInvitation"]["properties"]["message_language"]["enum"],
            json!(["en", "nl", null]),
            "the languages Portico speaks, or none"
        );
        let page = portal.browser().get("/api/v1/docs").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("POST /api/v1/invitations"), "{}", page.body);
        assert!(page.body.contains("invitations:write"));
        let policy = page.header("content-security-policy").unwrap();
        assert!(
            policy.contains("style-src 'self'") && !policy.contains("script-src"),
            "{policy}"
        );
    })
}

/// Runs schemathesis against the portal served on a loopback port.
async fn schemathesis_finds_nothing(db: Db) {
    let portal = TestPortal::start_with(db, &["--api-limit-per-minute", "1000000"]).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut partner = portal.browser();
    assert_eq!(
        partner
            .request_access("crm", "ann@partner.example", "Ann")
            .await
            .status,
        StatusCode::OK
    );
    let token = make_token(&mut admin, "Schemathesis", ALL_SCOPES).await;
    let api = Api::new(&portal, &token);
    let made = api
        .post(
            "/api/v1/invitations",
            json!({ "email": "bob@partner.example", "display_name": "Bob", "resource_id": crm }),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let service = axum::ServiceExt::<axum::extract::Request>::into_make_service_with_connect_info::<SocketAddr>(
        portal.front_door.clone(),
    );
    let server = tokio::spawn(async move { axum::serve(listener, service).await });

    let python = crate::support::test_python();
    let cli = std::path::Path::new(&python).with_file_name("schemathesis");
    let output = tokio::time::timeout(
        std::time::Duration::from_secs(240),
        tokio::process::Command::new(&cli)
            .args([
                "run",
                &format!("http://{address}/api/v1/openapi.json"),
                "--url",
                &format!("http://{address}"),
                "--header",
                &format!("Authorization: Bearer {token}"),
                "--max-examples",
                "40",
                "--seed",
                "7",
                "--no-color",
            ])
            .env("SCHEMATHESIS_HOOKS", "")
            .current_dir(portal.folder.path())
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("schemathesis finished within 4 minutes")
    .unwrap_or_else(|e| panic!("could not run {}: {e}", cli.display()));
    server.abort();
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "schemathesis found problems:\n{report}");
    assert!(report.contains("passed"), "{report}");
}

#[test]
fn schemathesis_passes_on_sqlite() {
    crate::support::run_long(schemathesis_finds_nothing(Db::Sqlite))
}

#[test]
fn schemathesis_passes_on_postgres() {
    crate::support::run_long(schemathesis_finds_nothing(Db::Postgres))
}
