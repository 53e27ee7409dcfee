//! The review queue through its service: the requests waiting for an approver, a page at a time
//! and oldest first, optionally of one resource, with the resources the approver owns (the
//! page's filter), all read in one statement.

use axum::http::StatusCode;
use services::approvals::review::{queue, QueuePage};
use storage::accounts::account::find_by_email;

use crate::on_both_databases;
use crate::support::{Db, TestPortal};

const OLGA: &str = "olga@example.com";
const WALT: &str = "walt@example.com";

fn emails(page: &QueuePage) -> Vec<&str> {
    page.rows.iter().map(|row| row.email.as_str()).collect()
}

fn resources(page: &QueuePage) -> Vec<(i64, &str)> {
    page.resources.iter().map(|r| (r.id, r.name.as_str())).collect()
}

async fn the_queue_pages_filters_and_offers_the_owned_resources(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let wiki = portal.create_resource(&mut admin, "Wiki", "wiki").await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let docs = portal.create_resource(&mut admin, "Docs", "docs").await;
    let mut olga = portal.owner(&mut admin, wiki, OLGA).await;
    portal.owner(&mut admin, docs, WALT).await;
    let appointed = admin
        .call(
            "/api/add_owner",
            &[
                ("resource_id", &crm.to_string()),
                ("owner_email", OLGA),
                ("owner_name", ""),
            ],
        )
        .await;
    assert_eq!(appointed.status, StatusCode::OK, "{}", appointed.body);
    // A minute apart: three requests for Olga's resources, one for Walt's, and one Olga decides.
    for (slug, email) in [
        ("wiki", "ann@partner.example"),
        ("crm", "bob@partner.example"),
        ("docs", "cy@partner.example"),
        ("wiki", "dee@partner.example"),
        ("crm", "eve@partner.example"),
    ] {
        portal.browser().request_access(slug, email, "Partner").await;
        portal.clock.advance(60);
    }
    let eve = portal.newest_request_id("eve@partner.example").await;
    let decided = olga
        .call(
            "/api/decide_request",
            &[
                ("request_id", &eve),
                ("outcome", "approve"),
                ("justification", ""),
            ],
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);

    let account = find_by_email(portal.state.store.read(), OLGA)
        .await
        .expect("read")
        .expect("Olga");
    let store = &portal.state.store;
    let owned = [(crm, "CRM"), (wiki, "Wiki")];
    let first = queue(store, &account, None, None, 2).await.expect("first page");
    assert_eq!(emails(&first), ["ann@partner.example", "bob@partner.example"]);
    assert_eq!(first.rows[1].resource_name, "CRM");
    assert_eq!(resources(&first), owned);
    let cursor = first.next.expect("a second page");
    assert_eq!(cursor, (first.rows[1].task_created_at, first.rows[1].request_id));

    let second = queue(store, &account, None, Some(cursor), 2)
        .await
        .expect("second page");
    assert_eq!(emails(&second), ["dee@partner.example"]);
    assert_eq!(second.next, None);
    assert_eq!(resources(&second), owned);

    let of_wiki = queue(store, &account, Some(wiki), None, 10)
        .await
        .expect("Wiki's");
    assert_eq!(emails(&of_wiki), ["ann@partner.example", "dee@partner.example"]);
    assert!(of_wiki.rows.iter().all(|row| row.resource_id == wiki));

    // Walt sees only what waits for him, and his own resource.
    let walt = find_by_email(store.read(), WALT)
        .await
        .expect("read")
        .expect("Walt");
    let his = queue(store, &walt, None, None, 10).await.expect("Walt's");
    assert_eq!(emails(&his), ["cy@partner.example"]);
    assert_eq!(resources(&his), [(docs, "Docs")]);
}

on_both_databases!(the_queue_pages_filters_and_offers_the_owned_resources);
