//! Settings: name, accent colour and contact address (on pages and in emails), the logo, and
//! versioned terms of use that partners accept at their next sign-in.

use axum::http::StatusCode;

use crate::on_both_databases;
use crate::support::{multipart, Browser, Db, TestPortal, PASSWORD};

const PARTNER: &str = "ann@partner.example";

async fn save(admin: &mut Browser<'_>, name: &str, accent: &str, contact: &str) -> crate::support::Reply {
    admin
        .call(
            "/api/save_branding",
            &[
                ("branding[portal_name]", name),
                ("branding[accent]", accent),
                ("branding[contact_email]", contact),
            ],
        )
        .await
}

/// A partner with an account, through an auto-approved request and the invitation.
async fn partner<'a>(portal: &'a TestPortal, admin: &mut Browser<'_>, email: &str) -> Browser<'a> {
    portal.allow_partner_passwords().await;
    let crm = portal
        .create_resource(admin, &format!("CRM {email}"), &format!("crm-{}", email.len()))
        .await;
    portal
        .set_policy(admin, crm, &[("form[auto_approve_domains]", "partner.example")])
        .await;
    let slug = format!("crm-{}", email.len());
    portal.browser().request_access(&slug, email, "Ann").await;
    let link = portal.last_email_to(email).await.link("/invite/");
    let mut browser = portal.browser();
    let reply = browser
        .call(
            "/api/redeem_invitation",
            &[
                ("token", link.trim_start_matches("/invite/")),
                ("mode", "new"),
                ("display_name", "Ann Partner"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    browser
}

async fn sign_in_target(portal: &TestPortal, email: &str) -> String {
    let mut browser = portal.browser();
    let reply = browser
        .call(
            "/api/sign_in",
            &[("email", email), ("password", PASSWORD), ("next", "/my-access")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.header("location").unwrap_or_default().to_string()
}

async fn branding_shows_on_pages_and_in_emails(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;

    let bad = save(&mut admin, "", "#ffee88", "not-an-address").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Enter the portal's name."), "{}", bad.body);
    assert!(bad.body.contains("too light"), "{}", bad.body);
    assert!(bad.body.contains("contact_email"), "{}", bad.body);
    let typo = save(&mut admin, "Acme", "blue", "").await;
    assert!(typo.body.contains("six hex digits"), "{}", typo.body);

    let saved = save(
        &mut admin,
        "Northwind Partners",
        "#0B5A3C",
        "Help@Northwind.example",
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.header("location"), Some("/admin/settings?saved=branding"));
    let info = portal.browser().call("/api/site_info", &[]).await;
    assert!(
        info.body.contains("\"portal_name\":\"Northwind Partners\""),
        "{}",
        info.body
    );
    let css = portal.browser().get("/branding.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.body.contains("--accent: #0b5a3c;"), "{}", css.body);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));

    // Every email from now on names the portal and its contact.
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let _ = crm;
    portal.browser().request_access("crm", PARTNER, "Ann").await;
    let email = portal.last_email_to(PARTNER).await;
    assert!(
        email.subject.ends_with("· Northwind Partners"),
        "{}",
        email.subject
    );
    assert!(
        email.text.contains("Questions? Write to help@northwind.example."),
        "{}",
        email.text
    );
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action = 'settings.changed'")
            .await,
        1
    );

    let mut owner = portal.owner(&mut admin, crm, "olga@example.com").await;
    let refused = save(&mut owner, "Mine now", "#000000", "").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        owner.call("/api/admin_settings", &[]).await.status,
        StatusCode::FORBIDDEN
    );
}

async fn a_logo_is_checked_by_its_bytes_served_and_removed(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-not-a-real-image-but-a-png-signature".to_vec();

    let (content_type, body) = multipart("logo", "mark.svg", b"<svg onload=alert(1)></svg>");
    let svg = admin
        .post_multipart("/admin/settings/logo", &content_type, body)
        .await;
    assert_eq!(svg.status, StatusCode::SEE_OTHER);
    assert_eq!(
        svg.header("location"),
        Some("/admin/settings?logo_error=not_an_image#logo")
    );
    let (content_type, body) = multipart("logo", "huge.png", &vec![0x89; 300 * 1024]);
    let huge = admin
        .post_multipart("/admin/settings/logo", &content_type, body)
        .await;
    assert_eq!(
        huge.header("location"),
        Some("/admin/settings?logo_error=too_large#logo")
    );
    assert_eq!(
        portal.browser().get("/branding/logo").await.status,
        StatusCode::NOT_FOUND
    );

    let (content_type, body) = multipart("logo", "mark.png", &png);
    let uploaded = admin
        .post_multipart("/admin/settings/logo", &content_type, body)
        .await;
    assert_eq!(
        uploaded.header("location"),
        Some("/admin/settings?saved=logo#logo")
    );
    let served = portal.browser().get("/branding/logo").await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.header("content-type"), Some("image/png"));
    let info = portal.browser().call("/api/site_info", &[]).await;
    assert!(info.body.contains("/branding/logo?v="), "{}", info.body);

    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, "olga@example.com").await;
    let (content_type, body) = multipart("logo", "mark.png", &png);
    let refused = owner
        .post_multipart("/admin/settings/logo", &content_type, body)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let removed = admin.call("/api/remove_logo", &[]).await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert_eq!(
        portal.browser().get("/branding/logo").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action IN ('settings.logo_changed', 'settings.logo_removed')")
            .await,
        2
    );
}

async fn new_terms_are_accepted_at_the_next_sign_in(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    partner(&portal, &mut admin, PARTNER).await;
    assert_eq!(
        sign_in_target(&portal, PARTNER).await,
        "/my-access",
        "no terms yet"
    );

    let empty = admin.call("/api/publish_terms", &[("text", "  ")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let first = admin.call("/api/publish_terms", &[("text", "Be kind.")]).await;
    assert_eq!(
        first.header("location"),
        Some("/admin/settings?saved=terms&version=1")
    );
    let same = admin.call("/api/publish_terms", &[("text", "Be kind.")]).await;
    assert!(same.body.contains("in force already"), "{}", same.body);

    assert_eq!(sign_in_target(&portal, PARTNER).await, "/terms?next=/my-access");
    assert_eq!(
        sign_in_target(&portal, "ada@example.com").await,
        "/my-access",
        "staff are not asked"
    );
    let mut ann = portal.signed_in(PARTNER).await;
    let offer = ann.call("/api/terms_offer", &[]).await;
    assert!(offer.body.contains("\"must_accept\":true"), "{}", offer.body);
    let accepted = ann
        .call("/api/accept_terms", &[("version", "1"), ("next", "/my-access")])
        .await;
    assert_eq!(
        accepted.header("location"),
        Some("/my-access"),
        "{}",
        accepted.body
    );
    assert_eq!(sign_in_target(&portal, PARTNER).await, "/my-access");

    admin
        .call("/api/publish_terms", &[("text", "Be kind. Be quick.")])
        .await;
    assert_eq!(sign_in_target(&portal, PARTNER).await, "/terms?next=/my-access");
    let stale = ann
        .call("/api/accept_terms", &[("version", "1"), ("next", "")])
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("The terms changed"), "{}", stale.body);

    // A partner who creates an account accepts the terms in force with it.
    partner(&portal, &mut admin, "bo@partner.example").await;
    assert_eq!(sign_in_target(&portal, "bo@partner.example").await, "/my-access");
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM accounts WHERE email = 'bo@partner.example' AND terms_accepted_version = 2")
            .await,
        1
    );

    let withdrawn = admin.call("/api/withdraw_terms", &[]).await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.body);
    assert_eq!(
        sign_in_target(&portal, PARTNER).await,
        "/my-access",
        "nothing to accept"
    );
    let again = admin.call("/api/withdraw_terms", &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let anonymous = portal.browser().call("/api/terms_offer", &[]).await;
    assert!(anonymous.body.contains("\"terms\":null"), "{}", anonymous.body);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action IN ('terms.published', 'terms.accepted', 'terms.withdrawn')")
            .await,
        5
    );
}

on_both_databases!(
    branding_shows_on_pages_and_in_emails,
    a_logo_is_checked_by_its_bytes_served_and_removed,
    new_terms_are_accepted_at_the_next_sign_in,
);
