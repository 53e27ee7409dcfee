//! The audit log for admins: filters, keyset pages, the CSV export, and who may see it.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};

use rules::audit::event::{Actor, AuditEvent};
use storage::audit::audit_events::insert_audit_event;

use crate::on_both_databases;
use crate::support::{Db, TestPortal, ADMIN_EMAIL};

/// Writes `n` events: actors cycle through three people, actions through two.
async fn seed(portal: &TestPortal, n: usize, at: i64) {
    let mut tx = portal.state.store.begin().await.expect("tx");
    for i in 0..n {
        let who = ["bob@example.com", "cy@example.com", "dee@example.com"][i % 3];
        let action = ["invitation.created", "membership.left"][i % 2];
        let event = AuditEvent::new(&Actor::account(100, who, "192.0.2.7"), action, at + i as i64).target(
            "account",
            i,
            &format!("partner{i}@partner.example"),
        );
        insert_audit_event(&mut tx, &event).await.expect("insert");
    }
    tx.commit().await.expect("commit");
}

fn ids(body: &str) -> Vec<i64> {
    let page: serde_json::Value = serde_json::from_str(body).expect("json");
    page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["id"].as_i64().expect("id"))
        .collect()
}

async fn filters_narrow_the_log_and_pages_follow_each_other(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    seed(&portal, 130, 1_793_491_200).await;

    // bob did every third event: 44 of 130; both actions alternate.
    let mut seen = Vec::new();
    let mut before: Option<String> = None;
    loop {
        let mut form = vec![("filter[actor]", "Bob@Example.com")];
        if let Some(b) = &before {
            form.push(("before", b.as_str()));
        }
        let page = admin.call("/api/audit_log", &form).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let page_ids = ids(&page.body);
        assert!(page_ids.windows(2).all(|w| w[0] > w[1]), "newest first");
        seen.extend(page_ids);
        let json: serde_json::Value = serde_json::from_str(&page.body).expect("json");
        match json["older"].as_i64() {
            Some(older) => before = Some(older.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 44, "every event of bob, once");
    let unique: std::collections::HashSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), 44);

    let by_action = admin
        .call(
            "/api/audit_log",
            &[
                ("filter[action]", "membership.left"),
                ("filter[actor]", "cy@example.com"),
            ],
        )
        .await;
    let found = ids(&by_action.body);
    assert!(!found.is_empty());
    assert!(by_action.body.contains("membership.left") && !by_action.body.contains("invitation.created"));
    assert!(!by_action.body.contains("bob@example.com"));

    let by_target = admin
        .call(
            "/api/audit_log",
            &[("filter[target]", "partner7@partner.example")],
        )
        .await;
    assert_eq!(ids(&by_target.body).len(), 1, "{}", by_target.body);

    // A date range: the seeded events are all on 1 Nov 2026, the admin's sign-in is later.
    let day = admin
        .call(
            "/api/audit_log",
            &[("filter[from]", "2026-11-01"), ("filter[to]", "2026-11-01")],
        )
        .await;
    let json: serde_json::Value = serde_json::from_str(&day.body).expect("json");
    assert_eq!(ids(&day.body).len(), 50, "a full first page");
    assert!(json["older"].as_i64().is_some());
    assert!(
        !day.body.contains(ADMIN_EMAIL),
        "the admin's own sign-in is outside the range"
    );
    let none = admin
        .call(
            "/api/audit_log",
            &[("filter[from]", "2026-11-02"), ("filter[to]", "2026-11-02")],
        )
        .await;
    assert_eq!(ids(&none.body).len(), 0);
}

async fn a_bad_filter_gets_a_message_next_to_its_field(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let bad = admin
        .call(
            "/api/audit_log",
            &[("filter[from]", "last tuesday"), ("filter[resource]", "x")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("Enter a date as YYYY-MM-DD."), "{}", bad.body);
    assert!(
        bad.body.contains("Choose a resource from the list."),
        "{}",
        bad.body
    );
    let page = admin.get("/admin/audit?from=last+tuesday").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Enter a date as YYYY-MM-DD."), "{}", page.body);
    assert!(
        page.body.contains("value=\"last tuesday\""),
        "the typed value stays: {}",
        page.body
    );
}

async fn only_admins_read_or_export_the_log_and_refusals_are_audited(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, "olga@example.com").await;
    assert_eq!(
        owner
            .call("/api/audit_log", &[("filter[actor]", "")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let page = owner.get("/admin/audit").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("Not available to you"), "{}", page.body);
    let csv = owner.get("/admin/audit.csv").await;
    assert_eq!(csv.status, StatusCode::FORBIDDEN, "{}", csv.body);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action = 'authorisation.refused' AND actor = 'olga@example.com'")
            .await,
        3
    );
    let anonymous = portal.browser().get("/admin/audit.csv").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(anonymous.header("location"), Some("/sign-in?next=/admin/audit"));
}

async fn the_csv_export_streams_every_matching_event_once(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    seed(&portal, 2_500, 1_793_491_200).await;
    let cookie = admin.cookie.clone().expect("signed in");
    let request = Request::builder()
        .method(Method::GET)
        .uri("/admin/audit.csv?action=membership.left")
        .header(header::COOKIE, format!("__Host-portico={cookie}"))
        .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            [192, 0, 2, 10],
            5000,
        ))))
        .body(Body::empty())
        .expect("request");
    let reply = portal.send(request).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(reply
        .header("content-disposition")
        .is_some_and(|d| d.starts_with("attachment; filename=\"portico-audit-")));
    let mut reader = csv::Reader::from_reader(reply.body.as_bytes());
    let headers = reader.headers().expect("header row").clone();
    assert_eq!(&headers[0], "id");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 1_250, "every second event, across batches of 1,000");
    assert!(rows.iter().all(|r| &r[5] == "membership.left"));
    let ids: std::collections::HashSet<&str> = rows.iter().map(|r| r.get(0).expect("id")).collect();
    assert_eq!(ids.len(), 1_250, "no row twice");
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action = 'audit.exported'")
            .await,
        1
    );
    // The page offers the download with the same filter.
    let page = admin.get("/admin/audit?action=membership.left").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("/admin/audit.csv?action=membership.left"),
        "{}",
        page.body
    );
}

on_both_databases!(
    filters_narrow_the_log_and_pages_follow_each_other,
    a_bad_filter_gets_a_message_next_to_its_field,
    only_admins_read_or_export_the_log_and_refusals_are_audited,
    the_csv_export_streams_every_matching_event_once,
);
