//! Many request submissions at once: those that arrive together are written together
//! (app/src/domain/submission_write.rs), and each must come out as if it had been alone.

use axum::http::StatusCode;
use futures::future::join_all;

use crate::on_both_databases;
use crate::support::{Db, TestPortal};

const OWNER: &str = "olga@example.com";
const WIKI_OWNER: &str = "wes@example.com";

/// 40 different people at once for two resources with an owner of their own, plus five asking
/// twice at the same moment and three whose domain a third resource's policy refuses, with a
/// webhook listening.
async fn submissions_at_once_each_get_what_one_alone_would(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let wiki = portal.create_resource(&mut admin, "Wiki", "wiki").await;
    portal.owner(&mut admin, crm, OWNER).await;
    portal.owner(&mut admin, wiki, WIKI_OWNER).await;
    // CRM and the wiki share the default policy; the vault has its own.
    let vault = portal.create_resource(&mut admin, "Vault", "vault").await;
    portal
        .set_policy(&mut admin, vault, &[("form[denied_domains]", "rival.example")])
        .await;
    portal.dead_end_webhook(&mut admin).await;

    let mut asks: Vec<(&str, String)> = (0..40)
        .map(|n| {
            (
                if n % 2 == 0 { "crm" } else { "wiki" },
                format!("p{n}@partner.example"),
            )
        })
        .collect();
    for n in 0..5 {
        asks.push(("crm", format!("p{}@partner.example", n * 2)));
    }
    for n in 0..3 {
        asks.push(("vault", format!("eve{n}@rival.example")));
    }
    let replies = join_all(asks.iter().map(|(slug, email)| {
        let portal = &portal;
        async move { portal.browser().request_access(slug, email, "Partner").await }
    }))
    .await;

    for ((slug, email), reply) in asks.iter().zip(&replies) {
        if email.ends_with("@rival.example") {
            assert_eq!(
                reply.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{email}: {}",
                reply.body
            );
            assert!(
                reply
                    .body
                    .contains("Addresses at rival.example cannot request access to Vault"),
                "{email}: {}",
                reply.body
            );
        } else {
            assert_eq!(reply.status, StatusCode::OK, "{email}: {}", reply.body);
            assert_eq!(
                reply.header("location"),
                Some(format!("/request/{slug}/sent?outcome=received").as_str()),
                "{email}"
            );
        }
    }

    // One pending request per person and resource, each with its approval task and event.
    let count = |sql: &'static str| portal.count(sql);
    assert_eq!(
        count("SELECT COUNT(*) FROM access_requests WHERE state = 'pending'").await,
        40
    );
    assert_eq!(count("SELECT COUNT(*) FROM approval_tasks").await, 40);
    // Each resource's requests wait for its own owner.
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM access_requests r JOIN approval_tasks t ON t.request_id = r.id
             JOIN accounts a ON a.id = t.account_id JOIN resources s ON s.id = r.resource_id
             WHERE (s.slug = 'crm' AND a.email = 'olga@example.com')
                OR (s.slug = 'wiki' AND a.email = 'wes@example.com')"
        )
        .await,
        40
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM audit_events WHERE action = 'request.created'").await,
        40
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM audit_events WHERE action = 'request.resubmitted'").await,
        5
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM audit_events WHERE action = 'request.refused_by_policy'").await,
        3
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM webhook_deliveries WHERE event = 'request.created'").await,
        40
    );
    // Every audit event of a created request names its own request.
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM audit_events e JOIN access_requests r
               ON e.target_id = CAST(r.id AS TEXT) AND e.target = r.email AND e.resource_id = r.resource_id
             WHERE e.action = 'request.created'"
        )
        .await,
        40
    );

    // The emails: one received notice per request, one to its owner per request, and one
    // "still pending" notice to each person who asked twice. Nothing for the refused.
    for owner in [OWNER, WIKI_OWNER] {
        let asked = portal.emails_to(owner).await;
        let asked = asked.iter().filter(|m| m.subject.contains("asks for access"));
        assert_eq!(asked.count(), 20, "{owner}");
    }
    for n in 0..40 {
        let email = format!("p{n}@partner.example");
        let mine = portal.emails_to(&email).await;
        let expected = if n % 2 == 0 && n < 10 { 2 } else { 1 };
        assert_eq!(
            mine.len(),
            expected,
            "{email}: {:?}",
            mine.iter().map(|m| &m.subject).collect::<Vec<_>>()
        );
    }
    assert!(portal.emails_to("eve0@rival.example").await.is_empty());

    // The latest status link each person was sent works, and shows the request waiting.
    for n in [0, 1, 2, 9] {
        let email = format!("p{n}@partner.example");
        let link = portal.last_email_to(&email).await.link("/status/");
        let token = link.trim_start_matches("/status/");
        let status = portal
            .browser()
            .call("/api/request_status", &[("token", token)])
            .await;
        assert_eq!(status.status, StatusCode::OK, "{email}: {}", status.body);
        assert!(
            status.body.contains("\"state\":\"Pending\""),
            "{email}: {}",
            status.body
        );
    }
}

on_both_databases!(submissions_at_once_each_get_what_one_alone_would);
