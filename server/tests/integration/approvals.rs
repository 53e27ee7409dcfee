//! Policies at work: stages, auto-approval, refusals, and decisions racing each other.

use axum::http::StatusCode;
use futures::future::join_all;

use crate::on_both_databases;
use crate::support::{Db, TestPortal};

const PARTNER: &str = "ann@partner.example";

async fn a_two_stage_policy_needs_both_stages(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, "olga@example.com").await;
    let mut security = portal.owner(&mut admin, crm, "sam@example.com").await;
    // Stage 1: the owners (either); stage 2: Sam by name.
    portal
        .set_policy(
            &mut admin,
            crm,
            &[
                ("form[stage_count]", "2"),
                ("form[stages][1][approvers]", "named"),
                ("form[stages][1][accounts]", "sam@example.com"),
            ],
        )
        .await;
    portal.browser().request_access("crm", PARTNER, "Ann").await;
    let id = portal.newest_request_id(PARTNER).await;

    let first = owner
        .call(
            "/api/decide_request",
            &[
                ("request_id", &id),
                ("outcome", "approve"),
                ("justification", "Known partner."),
            ],
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.header("location"), Some("/review?decided=advanced"));
    assert_eq!(
        portal.count("SELECT COUNT(*) FROM invitations").await,
        0,
        "no invitation after stage 1"
    );
    assert!(portal
        .last_email_to("sam@example.com")
        .await
        .subject
        .contains("asks for access to CRM"));
    // Stage 1's approver cannot decide stage 2; the stage-2 approver sees stage 1's reason.
    let again = owner
        .call(
            "/api/decide_request",
            &[("request_id", &id), ("outcome", "approve"), ("justification", "")],
        )
        .await;
    assert_eq!(again.status, StatusCode::FORBIDDEN, "{}", again.body);
    let detail = security.call("/api/review_detail", &[("request_id", &id)]).await;
    assert!(detail.body.contains("Known partner."), "{}", detail.body);
    assert!(detail.body.contains("\"can_decide\":true"), "{}", detail.body);

    let second = security
        .call(
            "/api/decide_request",
            &[("request_id", &id), ("outcome", "approve"), ("justification", "")],
        )
        .await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    assert_eq!(second.header("location"), Some("/review?decided=approved"));
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM invitations WHERE state = 'pending'")
            .await,
        1
    );
    assert!(portal
        .last_email_to(PARTNER)
        .await
        .subject
        .starts_with("You are invited to CRM"));
}

async fn with_everyone_required_each_approver_must_approve(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut olga = portal.owner(&mut admin, crm, "olga@example.com").await;
    let mut sam = portal.owner(&mut admin, crm, "sam@example.com").await;
    portal
        .set_policy(&mut admin, crm, &[("form[stages][0][rule]", "all")])
        .await;
    portal.browser().request_access("crm", PARTNER, "Ann").await;
    let id = portal.newest_request_id(PARTNER).await;
    let first = olga
        .call(
            "/api/decide_request",
            &[("request_id", &id), ("outcome", "approve"), ("justification", "")],
        )
        .await;
    assert_eq!(first.header("location"), Some("/review?decided=recorded"));
    assert_eq!(portal.count("SELECT COUNT(*) FROM invitations").await, 0);
    let second = sam
        .call(
            "/api/decide_request",
            &[("request_id", &id), ("outcome", "approve"), ("justification", "")],
        )
        .await;
    assert_eq!(
        second.header("location"),
        Some("/review?decided=approved"),
        "{}",
        second.body
    );
    assert_eq!(portal.count("SELECT COUNT(*) FROM invitations").await, 1);
}

async fn an_auto_approve_domain_goes_straight_to_an_invitation(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    portal
        .set_policy(
            &mut admin,
            crm,
            &[("form[auto_approve_domains]", "partner.example")],
        )
        .await;
    let sent = portal
        .browser()
        .request_access("crm", "bob@eu.partner.example", "Bob")
        .await;
    assert_eq!(sent.header("location"), Some("/request/crm/sent?outcome=invited"));
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM access_requests WHERE state = 'approved'")
            .await,
        1
    );
    let invitation = portal.last_email_to("bob@eu.partner.example").await;
    assert!(
        invitation.subject.starts_with("You are invited to CRM"),
        "{}",
        invitation.subject
    );
    assert_eq!(
        portal.count("SELECT COUNT(*) FROM approval_tasks").await,
        0,
        "nobody is asked"
    );
}

async fn a_denied_domain_is_refused_with_a_clear_reason(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    portal
        .set_policy(
            &mut admin,
            crm,
            &[
                ("form[denied_domains]", "rival.example"),
                ("form[block_free_mail]", "on"),
            ],
        )
        .await;
    let refused = portal
        .browser()
        .request_access("crm", "eve@rival.example", "Eve")
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("Addresses at rival.example cannot request access to CRM"),
        "{}",
        refused.body
    );
    let free_mail = portal
        .browser()
        .request_access("crm", "eve@gmail.com", "Eve")
        .await;
    assert_eq!(free_mail.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        free_mail.body.contains("needs a work address"),
        "{}",
        free_mail.body
    );
    assert_eq!(portal.count("SELECT COUNT(*) FROM access_requests").await, 0);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM outbox_messages WHERE to_address LIKE 'eve@%'")
            .await,
        0,
        "refusals send nothing"
    );
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action = 'request.refused_by_policy'")
            .await,
        2
    );
}

async fn nobody_decides_their_own_request(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, "olga@example.com").await;
    portal.owner(&mut admin, crm, "sam@example.com").await;
    portal
        .browser()
        .request_access("crm", "olga@example.com", "Olga")
        .await;
    let id = portal.newest_request_id("olga@example.com").await;
    // Olga is not among the approvers of her own request; Sam is.
    assert_eq!(portal.count("SELECT COUNT(*) FROM approval_tasks t JOIN accounts a ON a.id = t.account_id WHERE a.email = 'olga@example.com'").await, 0);
    let own = owner
        .call(
            "/api/decide_request",
            &[("request_id", &id), ("outcome", "approve"), ("justification", "")],
        )
        .await;
    assert_eq!(own.status, StatusCode::CONFLICT);
    assert!(
        own.body.contains("Nobody decides their own request"),
        "{}",
        own.body
    );
}

async fn fifty_simultaneous_approvals_give_one_decision_and_one_invitation(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let owner = portal.owner(&mut admin, crm, "olga@example.com").await;
    portal.browser().request_access("crm", PARTNER, "Ann").await;
    let id = portal.newest_request_id(PARTNER).await;
    let cookie = owner.cookie.clone().expect("signed in");
    let attempts = (0..50).map(|_| {
        let portal = &portal;
        let (cookie, id) = (cookie.clone(), id.clone());
        async move {
            let mut browser = portal.browser();
            browser.cookie = Some(cookie);
            browser
                .call(
                    "/api/decide_request",
                    &[("request_id", &id), ("outcome", "approve"), ("justification", "")],
                )
                .await
                .status
        }
    });
    let statuses = join_all(attempts).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    assert_eq!(portal.count("SELECT COUNT(*) FROM decisions").await, 1);
    assert_eq!(portal.count("SELECT COUNT(*) FROM invitations").await, 1);
}

async fn an_owner_cannot_see_or_decide_another_owners_requests(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let wiki = portal.create_resource(&mut admin, "Wiki", "wiki").await;
    portal.owner(&mut admin, crm, "olga@example.com").await;
    let mut stranger = portal.owner(&mut admin, wiki, "walt@example.com").await;
    portal.browser().request_access("crm", PARTNER, "Ann").await;
    let id = portal.newest_request_id(PARTNER).await;
    assert!(!stranger
        .call("/api/review_queue", &[])
        .await
        .body
        .contains(PARTNER));
    assert_eq!(
        stranger
            .call("/api/review_detail", &[("request_id", &id)])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let decide = stranger
        .call(
            "/api/decide_request",
            &[("request_id", &id), ("outcome", "approve"), ("justification", "")],
        )
        .await;
    assert_eq!(decide.status, StatusCode::FORBIDDEN);
    assert!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action = 'authorisation.refused'")
            .await
            >= 2
    );
    // A partner is refused the admin's pages too.
    assert_eq!(
        stranger.call("/api/admin_resources", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        portal.browser().call("/api/review_queue", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
}

on_both_databases!(
    a_two_stage_policy_needs_both_stages,
    with_everyone_required_each_approver_must_approve,
    an_auto_approve_domain_goes_straight_to_an_invitation,
    a_denied_domain_is_refused_with_a_clear_reason,
    nobody_decides_their_own_request,
    fifty_simultaneous_approvals_give_one_decision_and_one_invitation,
    an_owner_cannot_see_or_decide_another_owners_requests,
);
