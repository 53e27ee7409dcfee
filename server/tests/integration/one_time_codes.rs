//! One-time codes by email: redeeming an invitation and signing in without a password, the
//! code's limits (once, ten minutes, this browser, five tries), the sending limits, and the
//! admin's choice of how partners sign in.

use axum::http::StatusCode;

use crate::on_both_databases;
use crate::support::{Browser, TestPortal, PASSWORD};

const PARTNER: &str = "ann@partner.example";

/// A portal whose per-address request limit (10 a minute for the sign-in forms, codes among
/// them) stays out of the way: these tests are about the codes' own limits.
async fn start(db: crate::support::Db, extra: &[&str]) -> TestPortal {
    let mut args = vec!["--sign-in-limit-per-minute", "100000"];
    args.extend_from_slice(extra);
    TestPortal::start_with(db, &args).await
}

/// A resource that auto-approves partner.example: a request yields an invitation at once.
async fn invitation_for(portal: &TestPortal, email: &str) -> String {
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    portal
        .set_policy(
            &mut admin,
            crm,
            &[("form[auto_approve_domains]", "partner.example")],
        )
        .await;
    portal.browser().request_access("crm", email, "Ann Example").await;
    portal
        .last_email_to(email)
        .await
        .link("/invite/")
        .trim_start_matches("/invite/")
        .to_string()
}

/// The digits of the newest code emailed to `email` (its subject opens with "1234 5678").
async fn code_sent_to(portal: &TestPortal, email: &str) -> String {
    let email = portal.last_email_to(email).await;
    assert!(email.subject.contains("is your code"), "{}", email.subject);
    assert!(
        !email.text.contains("/invite/") && !email.text.contains("/sign-in"),
        "no link: {}",
        email.text
    );
    email
        .subject
        .chars()
        .take(9)
        .filter(char::is_ascii_digit)
        .collect()
}

/// A code that is not `code`.
fn other_than(code: &str) -> String {
    let last = code.as_bytes()[7];
    format!(
        "{}{}",
        &code[..7],
        if last == b'9' { '0' } else { (last + 1) as char }
    )
}

async fn redeem_with_code<'a>(portal: &'a TestPortal, token: &str) -> Browser<'a> {
    let mut partner = portal.browser();
    let sent = partner
        .call("/api/send_invitation_code", &[("token", token)])
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert_eq!(
        sent.header("location"),
        Some(format!("/invite/{token}?code=sent").as_str())
    );
    let code = code_sent_to(portal, PARTNER).await;
    let redeemed = partner
        .call(
            "/api/redeem_invitation",
            &[
                ("token", token),
                ("mode", "code"),
                ("display_name", "Ann Example"),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(redeemed.status, StatusCode::OK, "{}", redeemed.body);
    assert_eq!(redeemed.header("location"), Some("/my-access?joined=1"));
    partner
}

async fn ask_for_sign_in_code(browser: &mut Browser<'_>, email: &str) {
    let sent = browser
        .call("/api/send_sign_in_code", &[("code_email", email), ("next", "")])
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert_eq!(sent.header("location"), Some("/sign-in/code"));
}

async fn a_new_partner_redeems_and_signs_in_again_without_a_password(db: crate::support::Db) {
    let portal = start(db, &[]).await;
    let token = invitation_for(&portal, PARTNER).await;
    let page = portal.browser().get(&format!("/invite/{token}")).await;
    assert!(page.body.contains("Email me a code"), "{}", page.body);
    assert!(
        !page.body.contains("Choose a password"),
        "passwords are off for new partners"
    );

    let mut partner = redeem_with_code(&portal, &token).await;
    assert_eq!(partner.signed_in_as().await.as_deref(), Some(PARTNER));
    let access = partner.call("/api/my_access", &[]).await;
    assert!(
        access.body.contains("\"resource_name\":\"CRM\""),
        "{}",
        access.body
    );
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM accounts WHERE email = 'ann@partner.example' AND password_hash IS NULL AND display_name = 'Ann Example'")
            .await,
        1,
        "an account without a password"
    );

    // Later, in another browser: a code instead of a password.
    let mut later = portal.browser();
    ask_for_sign_in_code(&mut later, PARTNER).await;
    let page = later.get("/sign-in/code").await;
    assert!(page.body.contains("ann@partner.example"), "{}", page.body);
    assert!(
        page.body.contains("one-time-code"),
        "autofill hint: {}",
        page.body
    );
    let code = code_sent_to(&portal, PARTNER).await;
    let signed_in = later
        .call(
            "/api/sign_in_with_code",
            &[
                ("code", &format!("{} {}", &code[..4], &code[4..])),
                ("next", "/my-access"),
            ],
        )
        .await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
    assert_eq!(signed_in.header("location"), Some("/my-access"));
    assert_eq!(later.signed_in_as().await.as_deref(), Some(PARTNER));
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action = 'sign_in.succeeded' AND details LIKE '%\"sign_in_with\":\"code\"%'")
            .await,
        1
    );
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action = 'sign_in.code_sent'")
            .await,
        1
    );
    // Codes are kept only as keyed hashes.
    assert_eq!(
        portal
            .count(&format!(
                "SELECT COUNT(*) FROM one_time_codes WHERE code_hash LIKE '%{code}%'"
            ))
            .await,
        0
    );
}

async fn a_code_works_once_in_its_own_browser_within_ten_minutes_and_five_tries(db: crate::support::Db) {
    let portal = start(db, &[]).await;
    let token = invitation_for(&portal, PARTNER).await;
    redeem_with_code(&portal, &token).await;

    // Another browser cannot use the code this one asked for.
    let mut asker = portal.browser();
    ask_for_sign_in_code(&mut asker, PARTNER).await;
    let code = code_sent_to(&portal, PARTNER).await;
    let mut stranger = portal.browser();
    ask_for_sign_in_code(&mut stranger, PARTNER).await;
    let strangers_code = code_sent_to(&portal, PARTNER).await;
    let refused = stranger
        .call("/api/sign_in_with_code", &[("code", &code), ("next", "")])
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let refused = asker
        .call(
            "/api/sign_in_with_code",
            &[("code", &strangers_code), ("next", "")],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("4 more times"),
        "a wrong code here: {}",
        refused.body
    );

    // Wrong tries say how many are left; the fifth kills the code, right or not.
    for left in ["3 more times", "2 more times", "1 more time"] {
        let wrong = asker
            .call(
                "/api/sign_in_with_code",
                &[("code", &other_than(&code)), ("next", "")],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.body.contains(left), "{left}: {}", wrong.body);
    }
    let fifth = asker
        .call(
            "/api/sign_in_with_code",
            &[("code", &other_than(&code)), ("next", "")],
        )
        .await;
    assert!(fifth.body.contains("Ask for a new code"), "{}", fifth.body);
    let dead = asker
        .call("/api/sign_in_with_code", &[("code", &code), ("next", "")])
        .await;
    assert_eq!(dead.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dead.body.contains("no longer works"), "{}", dead.body);
    assert_eq!(asker.signed_in_as().await, None);

    // A fresh code works once; and a code older than ten minutes not at all.
    ask_for_sign_in_code(&mut asker, PARTNER).await;
    let code = code_sent_to(&portal, PARTNER).await;
    let ok = asker
        .call("/api/sign_in_with_code", &[("code", &code), ("next", "")])
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let mut again = portal.browser();
    again.cookie = asker.cookie.clone();
    let reused = again
        .call("/api/sign_in_with_code", &[("code", &code), ("next", "")])
        .await;
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reused.body);

    let mut late = portal.browser();
    ask_for_sign_in_code(&mut late, PARTNER).await;
    let code = code_sent_to(&portal, PARTNER).await;
    portal.clock.advance(600);
    let expired = late
        .call("/api/sign_in_with_code", &[("code", &code), ("next", "")])
        .await;
    assert!(expired.body.contains("no longer works"), "{}", expired.body);
    let malformed = late
        .call("/api/sign_in_with_code", &[("code", "12ab"), ("next", "")])
        .await;
    assert!(malformed.body.contains("8 digits"), "{}", malformed.body);
    assert!(
        portal.count("SELECT COUNT(*) FROM audit_events WHERE action = 'sign_in.failed' AND details LIKE '%wrong_code%'").await >= 5
    );
}

async fn the_answer_is_the_same_for_every_address_and_only_partners_get_mail(db: crate::support::Db) {
    let portal = start(db, &[]).await;
    let _admin = portal.admin().await;
    for email in ["nobody@nowhere.example", "ada@example.com"] {
        let mut browser = portal.browser();
        ask_for_sign_in_code(&mut browser, email).await;
        let page = browser.get("/sign-in/code").await;
        assert!(
            page.body
                .contains(&format!("If {email} belongs to a partner account")),
            "{}",
            page.body
        );
        assert!(portal.emails_to(email).await.is_empty(), "no code to {email}");
    }
    assert_eq!(
        portal.count("SELECT COUNT(*) FROM one_time_codes").await,
        2,
        "stored and counted alike"
    );
    let invalid = portal
        .browser()
        .call(
            "/api/send_sign_in_code",
            &[("code_email", "not an email"), ("next", "")],
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(invalid.body.contains("code_email"), "{}", invalid.body);
}

async fn codes_are_limited_per_address_and_per_client(db: crate::support::Db) {
    let portal = start(db, &["--codes-per-client-per-hour", "6"]).await;
    for _ in 0..5 {
        ask_for_sign_in_code(&mut portal.browser(), "someone@partner.example").await;
    }
    let sixth = portal
        .browser()
        .call(
            "/api/send_sign_in_code",
            &[("code_email", "someone@partner.example"), ("next", "")],
        )
        .await;
    assert_eq!(sixth.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(sixth.body.contains("Too many codes"), "{}", sixth.body);
    ask_for_sign_in_code(&mut portal.browser(), "other@partner.example").await;
    let eighth = portal
        .browser()
        .call(
            "/api/send_sign_in_code",
            &[("code_email", "third@partner.example"), ("next", "")],
        )
        .await;
    assert!(
        eighth.body.contains("Too many codes"),
        "the client's 6 an hour: {}",
        eighth.body
    );
    portal.clock.advance(3601);
    ask_for_sign_in_code(&mut portal.browser(), "someone@partner.example").await;
}

async fn the_admin_chooses_how_new_partners_sign_in(db: crate::support::Db) {
    let portal = start(db, &[]).await;
    let token = invitation_for(&portal, PARTNER).await;
    let mut partner = portal.browser();
    let with_password = [
        ("token", token.as_str()),
        ("mode", "new"),
        ("display_name", "Ann Example"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
    ];
    let refused = partner.call("/api/redeem_invitation", &with_password).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains("not with a password"), "{}", refused.body);

    let mut admin = portal.signed_in(crate::support::ADMIN_EMAIL).await;
    let neither = admin.call("/api/save_sign_in_methods", &[]).await;
    assert_eq!(neither.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        neither.body.contains("New partners need a way to sign in"),
        "{}",
        neither.body
    );
    let passwords_only = admin
        .call("/api/save_sign_in_methods", &[("partner_passwords", "on")])
        .await;
    assert_eq!(passwords_only.status, StatusCode::OK, "{}", passwords_only.body);

    let page = portal.browser().get(&format!("/invite/{token}")).await;
    assert!(
        page.body.contains("Choose a password") && !page.body.contains("Email me a code"),
        "{}",
        page.body
    );
    let off = partner
        .call("/api/send_invitation_code", &[("token", &token)])
        .await;
    assert_eq!(off.status, StatusCode::CONFLICT);
    let off = portal
        .browser()
        .call("/api/send_sign_in_code", &[("code_email", PARTNER), ("next", "")])
        .await;
    assert!(off.body.contains("switched off"), "{}", off.body);
    let redeemed = partner.call("/api/redeem_invitation", &with_password).await;
    assert_eq!(redeemed.status, StatusCode::OK, "{}", redeemed.body);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action = 'settings.changed' AND target_id = 'sign_in_methods'")
            .await,
        1
    );
    let partner_refused = partner
        .call("/api/save_sign_in_methods", &[("partner_codes", "on")])
        .await;
    assert_eq!(partner_refused.status, StatusCode::FORBIDDEN);
}

async fn staff_accept_invitations_with_their_password_not_a_code(db: crate::support::Db) {
    let portal = start(db, &[]).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    portal
        .set_policy(&mut admin, crm, &[("form[auto_approve_domains]", "example.com")])
        .await;
    portal
        .browser()
        .request_access("crm", crate::support::ADMIN_EMAIL, "Ada")
        .await;
    let link = portal
        .last_email_to(crate::support::ADMIN_EMAIL)
        .await
        .link("/invite/");
    let token = link.trim_start_matches("/invite/");
    let page = portal.browser().get(&link).await;
    assert!(!page.body.contains("Email me a code"), "{}", page.body);
    let refused = portal
        .browser()
        .call("/api/send_invitation_code", &[("token", token)])
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(
        refused.body.contains("sign in with your password"),
        "{}",
        refused.body
    );
    let sign_in_code = portal
        .browser()
        .call(
            "/api/send_sign_in_code",
            &[("code_email", crate::support::ADMIN_EMAIL), ("next", "")],
        )
        .await;
    assert_eq!(
        sign_in_code.status,
        StatusCode::OK,
        "the same answer as for anyone"
    );
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM outbox_messages WHERE idempotency_key LIKE 'one-time-code.%'")
            .await,
        0
    );
}

on_both_databases!(
    staff_accept_invitations_with_their_password_not_a_code,
    a_new_partner_redeems_and_signs_in_again_without_a_password,
    a_code_works_once_in_its_own_browser_within_ten_minutes_and_five_tries,
    the_answer_is_the_same_for_every_address_and_only_partners_get_mail,
    codes_are_limited_per_address_and_per_client,
    the_admin_chooses_how_new_partners_sign_in,
);
