//! The partner pages drawn without the router (app/src/plain_page.rs) that My access's and the
//! catalog's tests do not cover: the request's receipt, its status page and the terms.

use axum::http::StatusCode;

use crate::on_both_databases;
use crate::support::{Db, TestPortal};

const PARTNER: &str = "ann@partner.example";

/// The receipt is drawn without the router (app/src/plain_page.rs), in the whole frame: it says
/// what happens next by the outcome in its address alone (the same whatever the portal knew of
/// the address), in the reader's language, and no script is sent or allowed.
async fn the_receipt_says_what_happens_next(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut partner = portal.browser();
    let received = partner.get("/request/crm/sent?outcome=received").await;
    assert_eq!(received.status, StatusCode::OK, "{}", received.body);
    let policy = received.header("content-security-policy").expect("a policy");
    assert!(policy.contains("script-src 'none'"), "{policy}");
    for part in [
        "<title>Request sent · Portico</title>",
        "<h1>Request received</h1>",
        "No email? Check your spam folder",
        "<a href=\"/\">Back to the catalog</a>",
        "<footer class=\"site-footer\">",
    ] {
        assert!(received.body.contains(part), "{part} in {}", received.body);
    }
    assert!(!received.body.contains("<script"), "{}", received.body);
    assert!(!received.body.contains("Check your email"), "{}", received.body);

    let invited = partner.get("/request/crm/sent?outcome=invited").await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.body);
    assert!(
        invited.body.contains("<h1>Check your email</h1>"),
        "{}",
        invited.body
    );
    assert!(!invited.body.contains("Request received"), "{}", invited.body);

    partner.accept_language = Some("nl");
    let dutch = partner.get("/request/crm/sent?outcome=received").await;
    assert!(dutch.body.contains("<html lang=\"nl\">"), "{}", dutch.body);
    assert!(
        dutch.body.contains("<title>Aanvraag verstuurd · Portico</title>"),
        "{}",
        dutch.body
    );
    assert!(
        dutch.body.contains("<h1>Aanvraag ontvangen</h1>"),
        "{}",
        dutch.body
    );
}

/// The status page is drawn without the router (app/src/plain_page.rs): it sends no referrer
/// (its address is a secret) and no script, and Withdraw works as a plain form, whose error
/// comes back next to it.
async fn the_status_page_withdraws_without_javascript(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut partner = portal.browser();
    partner.request_access("crm", PARTNER, "Ann").await;
    let page_path = portal.last_email_to(PARTNER).await.link("/status/");
    let token = page_path.trim_start_matches("/status/").to_string();

    let page = partner.get(&page_path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    let policy = page.header("content-security-policy").expect("a policy");
    assert!(policy.contains("script-src 'none'"), "{policy}");
    for part in [
        "<title>Your request · Portico</title>",
        "<h1>CRM</h1>",
        "action=\"/api/cancel_request\"",
    ] {
        assert!(page.body.contains(part), "{part} in {}", page.body);
    }
    assert!(!page.body.contains("<script"), "{}", page.body);

    let form = [("token", token.as_str())];
    let withdrawn = partner.submit_without_js("/api/cancel_request", &form, "").await;
    let back = withdrawn.header("location").expect("a redirect").to_string();
    assert_eq!(back, format!("/status/{token}?withdrawn=1"));
    let after = partner.get(&back).await;
    assert!(after.body.contains("alert alert-info"), "{}", after.body);
    assert!(
        !after.body.contains("action=\"/api/cancel_request\""),
        "{}",
        after.body
    );

    let twice = partner.submit_without_js("/api/cancel_request", &form, "").await;
    let back = twice.header("location").expect("a redirect").to_string();
    assert!(back.contains("__err="), "{back}");
    let again = partner
        .get(back.trim_start_matches(crate::support::PUBLIC_URL))
        .await;
    assert!(
        again
            .body
            .contains("This request is no longer waiting, so it cannot be withdrawn."),
        "{}",
        again.body
    );
}

/// The terms page offers the version in force to a partner who has not accepted it, going on
/// to `?next` after; a form posted without JavaScript gets its error back next to it.
async fn the_terms_are_accepted_without_javascript(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut ann = crate::oidc_support::member(&portal, &mut admin, crm, PARTNER).await;
    admin.call("/api/publish_terms", &[("text", "Be kind.")]).await;

    let page = ann.get("/terms?next=/my-access").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for part in [
        "<title>Terms of use · Portico</title>",
        "Be kind.",
        "The terms of use have changed since you last accepted them.",
        "action=\"/api/accept_terms\"",
        "name=\"next\" value=\"/my-access\"",
    ] {
        assert!(page.body.contains(part), "{part} in {}", page.body);
    }
    assert!(!page.body.contains("<script"), "{}", page.body);

    // A new version is published while Ann reads the first.
    admin
        .call("/api/publish_terms", &[("text", "Be kind. Be quick.")])
        .await;
    let form = [("version", "1"), ("next", "/my-access")];
    let stale = ann
        .submit_without_js("/api/accept_terms", &form, "/terms?next=/my-access")
        .await;
    let back = stale.header("location").expect("a redirect").to_string();
    assert!(back.contains("__err="), "{back}");
    let again = ann.get(back.trim_start_matches(crate::support::PUBLIC_URL)).await;
    assert!(
        again
            .body
            .contains("The terms changed while you were reading them."),
        "{}",
        again.body
    );

    let form = [("version", "2"), ("next", "/my-access")];
    let accepted = ann.submit_without_js("/api/accept_terms", &form, "/terms").await;
    assert_eq!(accepted.header("location"), Some("/my-access"));
    let read = ann.get("/terms").await;
    assert!(
        !read.body.contains("action=\"/api/accept_terms\""),
        "{}",
        read.body
    );
}

on_both_databases!(
    the_receipt_says_what_happens_next,
    the_status_page_withdraws_without_javascript,
    the_terms_are_accepted_without_javascript,
);
