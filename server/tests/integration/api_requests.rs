//! Access requests by API: listed, read with their history, and decided as the token's admin.

use axum::http::StatusCode;
use serde_json::json;

use crate::api_client::{make_token, Api, ALL_SCOPES};
use crate::on_both_databases;
use crate::support::{Db, TestPortal};

const PARTNER: &str = "ann@partner.example";

async fn requests_are_read_and_decided_by_api(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let _owner = portal.owner(&mut admin, crm, "olga@example.com").await;
    let mut partner = portal.browser();
    let asked = partner.request_access("crm", PARTNER, "Ann Partner").await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    let api = Api::new(
        &portal,
        &make_token(&mut admin, "Approvals bot", ALL_SCOPES).await,
    );
    let reader = Api::new(
        &portal,
        &make_token(&mut admin, "Reader", &["requests:read"]).await,
    );

    let pending = reader.get("/api/v1/requests?state=pending").await;
    assert_eq!(pending.status, StatusCode::OK, "{}", pending.reply.body);
    let request = &pending.json["items"][0];
    assert_eq!(request["email"], PARTNER);
    let id = request["id"].as_i64().unwrap();
    let detail = reader.get(&format!("/api/v1/requests/{id}")).await;
    assert_eq!(
        detail.json["justification"],
        "I maintain our integration with this app."
    );
    assert_eq!(detail.json["trail"][0]["action"], "request.created");
    assert_eq!(detail.json["stage"], 1);
    let no_scope = reader
        .post(
            &format!("/api/v1/requests/{id}/decision"),
            json!({ "outcome": "approve" }),
        )
        .await;
    assert_eq!(
        (no_scope.status, no_scope.error().0),
        (StatusCode::FORBIDDEN, "missing_scope")
    );

    let unexplained = api
        .post(
            &format!("/api/v1/requests/{id}/decision"),
            json!({ "outcome": "deny" }),
        )
        .await;
    assert_eq!(
        (unexplained.status, unexplained.error().1),
        (StatusCode::BAD_REQUEST, Some("justification"))
    );
    let not_approver = api
        .post(
            &format!("/api/v1/requests/{id}/decision"),
            json!({ "outcome": "approve" }),
        )
        .await;
    assert_eq!(
        (not_approver.status, not_approver.error().0),
        (StatusCode::FORBIDDEN, "not_an_approver")
    );
    let bad_outcome = api
        .post(
            &format!("/api/v1/requests/{id}/decision"),
            json!({ "outcome": "maybe" }),
        )
        .await;
    assert_eq!(bad_outcome.status, StatusCode::UNPROCESSABLE_ENTITY);

    let decided = api
        .post(
            &format!("/api/v1/requests/{id}/decision"),
            json!({ "outcome": "approve", "justification": "Olga is away.", "in_place": true }),
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.reply.body);
    assert_eq!(decided.json["result"], "approved");
    assert_eq!(decided.json["request"]["state"], "approved");
    let detail = api.get(&format!("/api/v1/requests/{id}")).await;
    assert_eq!(detail.json["decisions"][0]["in_place_of"], "Olga Owner");
    assert!(portal
        .last_email_to(PARTNER)
        .await
        .link("/invite/")
        .starts_with("/invite/"));
    let in_place = portal
        .count("SELECT COUNT(*) FROM audit_events WHERE action = 'decision.in_place' AND actor LIKE '%Approvals bot%'")
        .await;
    assert_eq!(in_place, 1);
    let again = api
        .post(
            &format!("/api/v1/requests/{id}/decision"),
            json!({ "outcome": "deny", "justification": "No." }),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(
        api.get("/api/v1/requests/99999").await.status,
        StatusCode::NOT_FOUND
    );
}

/// A token is one factor: a resource whose policy asks for a second is decided in the portal.
async fn a_resource_that_asks_for_a_second_factor_is_not_decided_by_token(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let vault = portal.create_resource(&mut admin, "Vault", "vault").await;
    portal
        .set_policy(&mut admin, vault, &[("form[require_mfa]", "on")])
        .await;
    let _owner = portal.owner(&mut admin, vault, "olga@example.com").await;
    portal
        .browser()
        .request_access("vault", PARTNER, "Ann Partner")
        .await;
    let id = portal.newest_request_id(PARTNER).await;
    let api = Api::new(
        &portal,
        &make_token(&mut admin, "Approvals bot", ALL_SCOPES).await,
    );
    let refused = api
        .post(
            &format!("/api/v1/requests/{id}/decision"),
            json!({ "outcome": "approve", "in_place": true }),
        )
        .await;
    assert_eq!(
        (refused.status, refused.error().0),
        (StatusCode::FORBIDDEN, "second_factor_needed")
    );
    assert_eq!(portal.count("SELECT COUNT(*) FROM invitations").await, 0);
}

on_both_databases!(
    requests_are_read_and_decided_by_api,
    a_resource_that_asks_for_a_second_factor_is_not_decided_by_token,
);
