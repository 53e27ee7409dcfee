//! The main flow through the server functions: request, approval, invitation, redemption.

use axum::http::StatusCode;

use crate::on_both_databases;
use crate::support::{Db, TestPortal, PASSWORD};

const PARTNER: &str = "ann@partner.example";
const OWNER: &str = "olga@example.com";

async fn a_request_approved_by_the_owner_becomes_access_for_a_new_account(db: Db) {
    let portal = TestPortal::start(db).await;
    portal.allow_partner_passwords().await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, OWNER).await;

    // The partner asks.
    let mut partner = portal.browser();
    let sent = partner
        .request_access("crm", "Ann@Partner.Example", "Ann Example")
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert_eq!(
        sent.header("location"),
        Some("/request/crm/sent?outcome=received")
    );
    let received = portal.last_email_to(PARTNER).await;
    assert!(
        received.subject.starts_with("We received your request for CRM"),
        "{}",
        received.subject
    );
    let status_path = received.link("/status/");
    let needed = portal.last_email_to(OWNER).await;
    assert!(
        needed.subject.contains("Ann Example asks for access to CRM"),
        "{}",
        needed.subject
    );

    // The status page shows it waiting.
    let token = status_path.trim_start_matches("/status/");
    let status = partner.call("/api/request_status", &[("token", token)]).await;
    assert_eq!(status.status, StatusCode::OK, "{}", status.body);
    assert!(status.body.contains("\"state\":\"Pending\""), "{}", status.body);

    // The owner sees it in the queue and approves.
    let queue = owner.call("/api/review_queue", &[]).await;
    assert!(queue.body.contains(PARTNER), "{}", queue.body);
    let request_id = portal.count("SELECT id FROM access_requests").await.to_string();
    let decided = owner
        .call(
            "/api/decide_request",
            &[
                ("request_id", &request_id),
                ("outcome", "approve"),
                ("justification", ""),
            ],
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);
    let empty = owner.call("/api/review_queue", &[]).await;
    assert!(
        !empty.body.contains(PARTNER),
        "the queue is empty again: {}",
        empty.body
    );

    // The invitation arrives; opening it changes nothing.
    let invitation = portal.last_email_to(PARTNER).await;
    assert!(
        invitation.subject.starts_with("You are invited to CRM"),
        "{}",
        invitation.subject
    );
    let invite_token = invitation
        .link("/invite/")
        .trim_start_matches("/invite/")
        .to_string();
    let page = partner.get(&format!("/invite/{invite_token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Olga Owner invites you to CRM"),
        "{}",
        page.body
    );
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM invitations WHERE state = 'pending'")
            .await,
        1
    );

    // Redeeming creates the account, signs the partner in and grants the membership.
    let redeemed = partner
        .call(
            "/api/redeem_invitation",
            &[
                ("token", &invite_token),
                ("mode", "new"),
                ("display_name", "Ann Example"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(redeemed.status, StatusCode::OK, "{}", redeemed.body);
    assert_eq!(redeemed.header("location"), Some("/my-access?joined=1"));
    assert_eq!(partner.signed_in_as().await.as_deref(), Some(PARTNER));
    let access = partner.call("/api/my_access", &[]).await;
    assert!(
        access.body.contains("\"resource_name\":\"CRM\""),
        "{}",
        access.body
    );
    let view: serde_json::Value = serde_json::from_str(&access.body).expect("json");
    assert_eq!(
        view["requests"][0]["resource_name"], "CRM",
        "the request, with its resource's name: {}",
        access.body
    );

    // The link is spent.
    let again = portal.browser().get(&format!("/invite/{invite_token}")).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(
        again.body.contains("This invitation has been used"),
        "{}",
        again.body
    );

    let actions: Vec<(String,)> = sqlx::query_as("SELECT action FROM audit_events ORDER BY id")
        .fetch_all(portal.state.store.read())
        .await
        .expect("audit");
    let actions: Vec<&str> = actions.iter().map(|a| a.0.as_str()).collect();
    for expected in [
        "request.created",
        "decision.recorded",
        "request.approved",
        "invitation.created",
        "account.created",
        "invitation.redeemed",
    ] {
        assert!(actions.contains(&expected), "{expected} missing from {actions:?}");
    }
}

async fn the_answer_never_reveals_an_existing_account_or_request(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    portal.create_resource(&mut admin, "CRM", "crm").await;
    // The admin's own address has an account; a second request repeats a pending one.
    let with_account = portal
        .browser()
        .request_access("crm", crate::support::ADMIN_EMAIL, "Ada")
        .await;
    let first = portal.browser().request_access("crm", PARTNER, "Ann").await;
    let repeated = portal.browser().request_access("crm", PARTNER, "Ann").await;
    for reply in [&with_account, &first, &repeated] {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(
            reply.header("location"),
            Some("/request/crm/sent?outcome=received")
        );
        assert_eq!(reply.body, first.body);
    }
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM access_requests WHERE email = 'ann@partner.example'")
            .await,
        1,
        "nothing new"
    );
    let emails = portal.emails_to(PARTNER).await;
    assert_eq!(emails.len(), 2);
    assert!(
        emails[1]
            .subject
            .starts_with("Your request for CRM is still waiting"),
        "{}",
        emails[1].subject
    );
    // The fresh link works and the old one no longer does.
    let old = emails[0].link("/status/");
    let new = emails[1].link("/status/");
    let mut browser = portal.browser();
    assert_eq!(
        browser
            .call(
                "/api/request_status",
                &[("token", new.trim_start_matches("/status/"))]
            )
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        browser
            .call(
                "/api/request_status",
                &[("token", old.trim_start_matches("/status/"))]
            )
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn bad_input_gets_a_message_per_field_and_the_typed_values_back(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    portal.create_resource(&mut admin, "CRM", "crm").await;
    let reply = portal
        .browser()
        .call(
            "/api/submit_access_request",
            &[
                ("slug", "crm"),
                ("email", "ann@"),
                ("display_name", ""),
                ("organisation", ""),
                ("justification", "pls"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
    let messages = &error["Invalid"]["messages"];
    for field in ["email", "display_name", "organisation", "justification"] {
        assert!(messages[field].is_string(), "{field}: {}", reply.body);
    }
    assert_eq!(error["Invalid"]["values"]["justification"], "pls");
    assert_eq!(portal.count("SELECT COUNT(*) FROM access_requests").await, 0);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM outbox_messages WHERE to_address = 'ann@'")
            .await,
        0
    );
}

async fn the_partner_can_withdraw_a_pending_request(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, OWNER).await;
    let mut partner = portal.browser();
    partner.request_access("crm", PARTNER, "Ann").await;
    let token = portal
        .last_email_to(PARTNER)
        .await
        .link("/status/")
        .trim_start_matches("/status/")
        .to_string();
    let cancelled = partner.call("/api/cancel_request", &[("token", &token)]).await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.body);
    let status = partner.call("/api/request_status", &[("token", &token)]).await;
    assert!(status.body.contains("\"state\":\"Cancelled\""), "{}", status.body);
    assert!(
        !owner.call("/api/review_queue", &[]).await.body.contains(PARTNER),
        "gone from the queue"
    );
    let twice = partner.call("/api/cancel_request", &[("token", &token)]).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
}

async fn a_denial_reaches_the_partner_with_the_reason(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, OWNER).await;
    portal.browser().request_access("crm", PARTNER, "Ann").await;
    let token = portal
        .last_email_to(PARTNER)
        .await
        .link("/status/")
        .trim_start_matches("/status/")
        .to_string();
    let id = portal.count("SELECT id FROM access_requests").await.to_string();

    let no_reason = owner
        .call(
            "/api/decide_request",
            &[("request_id", &id), ("outcome", "deny"), ("justification", " ")],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("Say why you deny"), "{}", no_reason.body);

    let denied = owner
        .call(
            "/api/decide_request",
            &[
                ("request_id", &id),
                ("outcome", "deny"),
                ("justification", "Not a current partner."),
            ],
        )
        .await;
    assert_eq!(denied.status, StatusCode::OK, "{}", denied.body);
    let email = portal.last_email_to(PARTNER).await;
    assert!(
        email.subject.starts_with("Your request for CRM was not approved"),
        "{}",
        email.subject
    );
    assert!(email.text.contains("Not a current partner."), "{}", email.text);
    let status = portal
        .browser()
        .call("/api/request_status", &[("token", &token)])
        .await;
    assert!(status.body.contains("Not a current partner."), "{}", status.body);
    assert_eq!(portal.count("SELECT COUNT(*) FROM invitations").await, 0);
}

async fn too_many_requests_from_one_address_get_429_and_nothing_more_is_saved(db: Db) {
    use std::net::{IpAddr, Ipv4Addr};

    let portal = TestPortal::start_with(db, &["--form-limit-per-minute", "3"]).await;
    let mut admin = portal.admin().await;
    portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut partner = portal.browser_from(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 20)));
    for n in 0..3 {
        let reply = partner
            .request_access("crm", &format!("p{n}@partner.example"), "Ann")
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let limited = partner.request_access("crm", "p3@partner.example", "Ann").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.header("retry-after").is_some());
    // Redeeming shares the budget for forms that create things.
    let redeem = partner
        .call("/api/redeem_invitation", &[("token", "whatever")])
        .await;
    assert_eq!(redeem.status, StatusCode::TOO_MANY_REQUESTS);
    let queue = admin.call("/api/admin_requests", &[]).await.body;
    assert!(
        queue.contains("p2@partner.example") && !queue.contains("p3@partner.example"),
        "{queue}"
    );

    // Another address has its own budget.
    let mut other = portal.browser_from(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 21)));
    let reply = other.request_access("crm", "p3@partner.example", "Ann").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

on_both_databases!(
    too_many_requests_from_one_address_get_429_and_nothing_more_is_saved,
    a_request_approved_by_the_owner_becomes_access_for_a_new_account,
    the_answer_never_reveals_an_existing_account_or_request,
    bad_input_gets_a_message_per_field_and_the_typed_values_back,
    the_partner_can_withdraw_a_pending_request,
    a_denial_reaches_the_partner_with_the_reason,
);
