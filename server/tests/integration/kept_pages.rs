//! The catalog and the request forms are kept ready for anonymous partners (server/src/
//! page_cache.rs): a kept page is never older than what it shows, never someone else's, and is
//! the answer the page itself gives.

use axum::http::StatusCode;

use crate::on_both_databases;
use crate::support::{Browser, Db, Reply, TestPortal, PUBLIC_URL};

/// An answer's headers, leaving out the date and the framing (a kept page is sent whole, a
/// rendered one streamed).
fn headers_of(reply: &Reply) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = reply
        .headers
        .iter()
        .filter(|(name, _)| !["date", "content-length", "transfer-encoding"].contains(&name.as_str()))
        .map(|(name, value)| {
            (
                name.to_string(),
                value.to_str().expect("a readable header").to_string(),
            )
        })
        .collect();
    headers.sort();
    headers
}

async fn anonymous_get(portal: &TestPortal, path: &str) -> Reply {
    let reply = portal.browser().get(path).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    reply
}

async fn rename(admin: &mut Browser<'_>, id: i64, name: &str, slug: &str) {
    let reply = admin.save_resource(Some(id), name, slug).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

async fn the_kept_answer_is_the_rendered_answer(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    portal.create_resource(&mut admin, "CRM", "crm").await;
    // Both are drawn without the router (app/src/plain_page.rs): no script, none allowed.
    for path in ["/", "/request/crm"] {
        let first = anonymous_get(&portal, path).await;
        let second = anonymous_get(&portal, path).await;
        for reply in [&first, &second] {
            let policy = reply.header("content-security-policy").expect("a policy");
            assert!(policy.contains("script-src 'none'"), "{path}: {policy}");
            assert!(!reply.body.contains("<script"), "{path}: {}", reply.body);
        }
        assert_eq!(first.body, second.body, "{path}: the same page");
        assert_eq!(first.header("content-type"), Some("text/html; charset=utf-8"));
        // The second answer is the kept page, answered in front of the app's routes: it still
        // passes the security layers and the language's Vary, as the rendered one did.
        assert_eq!(
            headers_of(&first),
            headers_of(&second),
            "{path}: the kept answer has the rendered answer's headers"
        );
        assert_eq!(second.header("x-content-type-options"), Some("nosniff"));
        assert!(
            second
                .header("vary")
                .is_some_and(|vary| vary.contains("Accept-Language")),
            "{path}: {:?}",
            second.headers
        );
    }
}

async fn an_admins_edit_shows_on_the_next_visit(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    assert!(anonymous_get(&portal, "/").await.body.contains("CRM"));
    assert!(anonymous_get(&portal, "/request/crm")
        .await
        .body
        .contains("Request access to CRM"));

    rename(&mut admin, crm, "Sales CRM", "crm").await;
    assert!(
        anonymous_get(&portal, "/").await.body.contains("Sales CRM"),
        "catalog"
    );
    let form = anonymous_get(&portal, "/request/crm").await;
    assert!(
        form.body.contains("Request access to Sales CRM"),
        "form: {}",
        form.body
    );

    portal
        .set_policy(&mut admin, crm, &[("form[terms_text]", "Keep our data private.")])
        .await;
    let form = anonymous_get(&portal, "/request/crm").await;
    assert!(
        form.body.contains("Keep our data private."),
        "new terms: {}",
        form.body
    );
    // Kept again under the current catalog: only the look changes next.
    assert!(anonymous_get(&portal, "/")
        .await
        .body
        .contains("Welcome to Portico"));

    let branding = admin
        .call(
            "/api/save_branding",
            &[
                ("branding[portal_name]", "Northwind Partners"),
                ("branding[accent]", "#0B5A3C"),
                ("branding[contact_email]", ""),
            ],
        )
        .await;
    assert_eq!(branding.status, StatusCode::OK, "{}", branding.body);
    assert!(
        anonymous_get(&portal, "/")
            .await
            .body
            .contains("Welcome to Northwind Partners"),
        "new name"
    );

    rename(&mut admin, crm, "Sales CRM", "sales").await;
    let gone = portal.browser().get("/request/crm").await;
    assert_eq!(
        gone.status,
        StatusCode::NOT_FOUND,
        "the old address: {}",
        gone.body
    );
    assert!(anonymous_get(&portal, "/request/sales")
        .await
        .body
        .contains("Sales CRM"));
}

async fn another_instance_drops_its_kept_pages_with_its_catalog_copy(db: Db) {
    use storage::requests::catalog_cache::FRESH_FOR;
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let other = portal.another_instance().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    assert!(
        anonymous_get(&other, "/").await.body.contains("CRM"),
        "first visit"
    );
    anonymous_get(&other, "/request/crm").await;

    rename(&mut admin, crm, "Sales CRM", "crm").await;
    let started = std::time::Instant::now();
    while !anonymous_get(&other, "/").await.body.contains("Sales CRM") {
        assert!(
            started.elapsed() < FRESH_FOR + std::time::Duration::from_secs(1),
            "the other instance still shows the old name after {:?}",
            started.elapsed()
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let form = anonymous_get(&other, "/request/crm").await;
    assert!(form.body.contains("Request access to Sales CRM"), "{}", form.body);
}

async fn signed_in_visitors_get_their_own_page_and_it_is_not_kept(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    portal.create_resource(&mut admin, "CRM", "crm").await;
    let before = anonymous_get(&portal, "/").await;
    assert!(before.body.contains("Sign in"), "{}", before.body);

    let own = admin.get("/").await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(
        own.body.contains("Sign out"),
        "the admin's own page: {}",
        own.body
    );
    assert!(!own.body.contains("Welcome to Portico"), "{}", own.body);

    let after = anonymous_get(&portal, "/").await;
    assert!(!after.body.contains("Sign out"), "{}", after.body);
    // The catalog has no script, so no nonce: the very same page.
    assert_eq!(after.body, before.body);
}

async fn a_form_sent_back_with_errors_is_not_kept(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    portal.create_resource(&mut admin, "CRM", "crm").await;
    anonymous_get(&portal, "/request/crm").await;

    let mut partner = portal.browser();
    let form = [
        ("slug", "crm"),
        ("email", "not an address"),
        ("display_name", "Ann Typed-Name"),
        ("organisation", "Partner Company"),
        ("justification", "short"),
    ];
    let sent = partner
        .submit_without_js("/api/submit_access_request", &form, "/request/crm")
        .await;
    let location = sent.header("location").expect("sent back to the form");
    let back = location.trim_start_matches(PUBLIC_URL).to_string();
    assert!(back.starts_with("/request/crm?"), "{location}");
    let with_errors = partner.get(&back).await;
    assert!(
        with_errors.body.contains("Ann Typed-Name"),
        "typed values come back: {}",
        with_errors.body
    );

    let plain = anonymous_get(&portal, "/request/crm").await;
    assert!(!plain.body.contains("Ann Typed-Name"), "{}", plain.body);
    let again = partner.get(&back).await;
    assert!(again.body.contains("Ann Typed-Name"), "{}", again.body);
}

on_both_databases!(
    the_kept_answer_is_the_rendered_answer,
    an_admins_edit_shows_on_the_next_visit,
    another_instance_drops_its_kept_pages_with_its_catalog_copy,
    signed_in_visitors_get_their_own_page_and_it_is_not_kept,
    a_form_sent_back_with_errors_is_not_kept,
);
