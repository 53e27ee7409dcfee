//! Second factors: adding an authenticator app, the second step of signing in (replay refused,
//! recovery codes once, the lock after five wrong codes) and an admin's reset.

use axum::http::StatusCode;
use serde_json::Value;

use crate::on_both_databases;
use crate::support::{Browser, Db, TestPortal, ADMIN_EMAIL, PASSWORD};
use rules::clock::Clock;
use services::mfa::authenticator::code_at;

const WRONG: &str = "This code is not right.";

/// Adds an authenticator app from the account page's calls; returns its secret and the
/// recovery codes shown.
pub async fn add_authenticator(portal: &TestPortal, browser: &mut Browser<'_>) -> (String, Vec<String>) {
    let reply = browser.call("/api/authenticator_enrolment", &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let enrolment: Value = serde_json::from_str(&reply.body).expect("json");
    assert!(enrolment["qr_svg"]
        .as_str()
        .is_some_and(|svg| svg.starts_with("<svg")));
    let secret = enrolment["secret"].as_str().expect("secret").replace(' ', "");
    // Reloading the page shows the same secret: the app may hold it already.
    let again: Value =
        serde_json::from_str(&browser.call("/api/authenticator_enrolment", &[]).await.body).expect("json");
    assert_eq!(
        again["secret"].as_str().map(|s| s.replace(' ', "")),
        Some(secret.clone())
    );

    let wrong = browser
        .call("/api/confirm_authenticator", &[("code", "000000")])
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong.body);
    assert!(wrong.body.contains(WRONG), "{}", wrong.body);
    let not_a_code = browser
        .call("/api/confirm_authenticator", &[("code", "12ab")])
        .await;
    assert!(
        not_a_code.body.contains("Type the 6 digits"),
        "{}",
        not_a_code.body
    );

    let code = code_at(&secret, portal.clock.now()).expect("code");
    let right = browser
        .call("/api/confirm_authenticator", &[("code", &code)])
        .await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.body);
    assert_eq!(right.header("location"), Some("/account/recovery-codes"));
    let codes: Vec<String> =
        serde_json::from_str(&browser.call("/api/fresh_recovery_codes", &[]).await.body).expect("json");
    assert_eq!(codes.len(), 10);
    let shown_again: Vec<String> =
        serde_json::from_str(&browser.call("/api/fresh_recovery_codes", &[]).await.body).expect("json");
    assert!(shown_again.is_empty(), "recovery codes are shown once");
    (secret, codes)
}

/// Takes the first step with the password; the answer sends the browser to the second.
async fn first_step<'p>(portal: &'p TestPortal, email: &str) -> Browser<'p> {
    let mut browser = portal.browser();
    let reply = browser
        .call(
            "/api/sign_in",
            &[("email", email), ("password", PASSWORD), ("next", "/review")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        reply.header("location"),
        Some("/sign-in/second-factor?next=/review")
    );
    assert_eq!(browser.signed_in_as().await, None, "one step signs nobody in");
    browser
}

async fn second_step(browser: &mut Browser<'_>, code: &str) -> crate::support::Reply {
    browser
        .call("/api/give_second_factor", &[("code", code), ("next", "/review")])
        .await
}

async fn an_authenticator_is_asked_for_at_every_sign_in_and_no_code_works_twice(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let (secret, _) = add_authenticator(&portal, &mut admin).await;
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM authenticators WHERE confirmed_at IS NOT NULL")
            .await,
        1
    );
    let factors: Value =
        serde_json::from_str(&admin.call("/api/my_second_factors", &[]).await.body).expect("json");
    assert_eq!(factors["recovery_codes_left"], 10);
    assert_eq!(factors["authenticators"].as_array().map(Vec::len), Some(1));

    let mut browser = first_step(&portal, ADMIN_EMAIL).await;
    let waiting = browser.call("/api/second_step_state", &[]).await;
    assert_eq!(waiting.body, r#"{"Code":{"passkey":false}}"#);
    // The code of the step used to add the app does not work again.
    let replayed = second_step(&mut browser, &code_at(&secret, portal.clock.now()).expect("code")).await;
    assert!(replayed.body.contains(WRONG), "{}", replayed.body);
    portal.clock.advance(30);
    let code = code_at(&secret, portal.clock.now()).expect("code");
    let passed = second_step(&mut browser, &format!("{} {}", &code[..3], &code[3..])).await;
    assert_eq!(passed.status, StatusCode::OK, "{}", passed.body);
    assert_eq!(passed.header("location"), Some("/review"));
    assert_eq!(browser.signed_in_as().await.as_deref(), Some(ADMIN_EMAIL));
    // ... nor in another browser.
    let mut other = first_step(&portal, ADMIN_EMAIL).await;
    assert!(second_step(&mut other, &code).await.body.contains(WRONG));
    assert_eq!(other.signed_in_as().await, None);
    let passed = "SELECT COUNT(*) FROM audit_events WHERE action = 'second_factor.passed'";
    assert_eq!(portal.count(passed).await, 1);
    let failed = "SELECT COUNT(*) FROM audit_events WHERE action = 'second_factor.failed'";
    assert_eq!(portal.count(failed).await, 2);
}

async fn a_recovery_code_works_once_and_a_new_set_ends_the_old(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let (_, codes) = add_authenticator(&portal, &mut admin).await;
    let mut browser = first_step(&portal, ADMIN_EMAIL).await;
    let passed = second_step(&mut browser, &codes[0].to_uppercase()).await;
    assert_eq!(passed.status, StatusCode::OK, "{}", passed.body);
    assert_eq!(browser.signed_in_as().await.as_deref(), Some(ADMIN_EMAIL));
    let mut again = first_step(&portal, ADMIN_EMAIL).await;
    assert!(second_step(&mut again, &codes[0]).await.body.contains(WRONG));
    let used = "SELECT COUNT(*) FROM audit_events WHERE action = 'second_factor.recovery_code_used'";
    assert_eq!(portal.count(used).await, 1);

    let renewed = browser.call("/api/renew_recovery_codes", &[]).await;
    assert_eq!(renewed.header("location"), Some("/account/recovery-codes"));
    let fresh: Vec<String> =
        serde_json::from_str(&browser.call("/api/fresh_recovery_codes", &[]).await.body).expect("json");
    assert_eq!(fresh.len(), 10);
    assert!(
        second_step(&mut again, &codes[1]).await.body.contains(WRONG),
        "the old set is gone"
    );
    assert_eq!(second_step(&mut again, &fresh[0]).await.status, StatusCode::OK);
}

async fn five_wrong_codes_lock_the_step_for_fifteen_minutes_and_email_the_person(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let (secret, _) = add_authenticator(&portal, &mut admin).await;
    portal.clock.advance(30);
    let mut browser = first_step(&portal, ADMIN_EMAIL).await;
    for _ in 0..4 {
        assert!(second_step(&mut browser, "000000").await.body.contains(WRONG));
    }
    let fifth = second_step(&mut browser, "000000").await;
    assert_eq!(fifth.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        fifth
            .body
            .contains("this step is locked. Try again in 15 minutes"),
        "{}",
        fifth.body
    );
    let right = code_at(&secret, portal.clock.now()).expect("code");
    let locked = second_step(&mut browser, &right).await;
    assert!(locked.body.contains("this step is locked"), "{}", locked.body);
    assert_eq!(browser.signed_in_as().await, None);
    let email = portal.last_email_to(ADMIN_EMAIL).await;
    assert_eq!(
        email.subject,
        "Your second sign-in step is locked for now · Portico"
    );
    let locks = "SELECT COUNT(*) FROM audit_events WHERE action = 'second_factor.locked'";
    assert_eq!(portal.count(locks).await, 1);

    // The first step waits 10 minutes for its second; after 15 the lock has opened.
    portal.clock.advance(11 * 60);
    let expired = second_step(&mut browser, &code_at(&secret, portal.clock.now()).expect("code")).await;
    assert!(expired.body.contains("waited too long"), "{}", expired.body);
    portal.clock.advance(4 * 60);
    let mut later = first_step(&portal, ADMIN_EMAIL).await;
    let passed = second_step(&mut later, &code_at(&secret, portal.clock.now()).expect("code")).await;
    assert_eq!(passed.status, StatusCode::OK, "{}", passed.body);
}

async fn without_javascript_the_second_step_answers_with_redirects(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let (secret, _) = add_authenticator(&portal, &mut admin).await;
    portal.clock.advance(30);
    let mut browser = portal.browser();
    let first = browser
        .submit_without_js(
            "/api/sign_in",
            &[("email", ADMIN_EMAIL), ("password", PASSWORD), ("next", "")],
            "/sign-in",
        )
        .await;
    assert_eq!(first.header("location"), Some("/sign-in/second-factor?next=/"));
    let page = "/sign-in/second-factor?next=/";
    let html = browser.get(page).await;
    assert!(
        html.body.contains("autocomplete=\"one-time-code\""),
        "{}",
        html.body
    );
    let wrong = browser
        .submit_without_js(
            "/api/give_second_factor",
            &[("code", "000000"), ("next", "/")],
            page,
        )
        .await;
    let back = wrong.header("location").expect("back to the form").to_string();
    assert!(
        back.contains("/sign-in/second-factor?") && back.contains("__err="),
        "{back}"
    );
    let shown = browser
        .get(back.trim_start_matches(crate::support::PUBLIC_URL))
        .await;
    assert!(shown.body.contains(WRONG), "the error is shown beside the field");
    let code = code_at(&secret, portal.clock.now()).expect("code");
    let right = browser
        .submit_without_js("/api/give_second_factor", &[("code", &code), ("next", "/")], page)
        .await;
    assert_eq!(right.header("location"), Some("/"));
    assert_eq!(browser.signed_in_as().await.as_deref(), Some(ADMIN_EMAIL));
}

async fn an_admin_resets_another_persons_factors_never_their_own(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let resource = portal.create_resource(&mut admin, "Design", "design").await;
    let owner_email = "olga@example.com";
    let mut owner = portal.owner(&mut admin, resource, owner_email).await;
    add_authenticator(&portal, &mut owner).await;
    add_authenticator(&portal, &mut admin).await;
    let owner_id = portal
        .count("SELECT id FROM accounts WHERE email = 'olga@example.com'")
        .await
        .to_string();
    let admin_id = portal
        .count("SELECT id FROM accounts WHERE email = 'ada@example.com'")
        .await
        .to_string();

    let own = admin
        .call("/api/reset_second_factors", &[("account_id", &admin_id)])
        .await;
    assert_ne!(own.status, StatusCode::OK);
    assert!(
        own.body.contains("You cannot reset your own second step"),
        "{}",
        own.body
    );
    let by_owner = owner
        .call("/api/reset_second_factors", &[("account_id", &admin_id)])
        .await;
    assert_eq!(by_owner.status, StatusCode::FORBIDDEN);

    let seen: Value = serde_json::from_str(
        &admin
            .call("/api/account_second_factors", &[("id", &owner_id)])
            .await
            .body,
    )
    .expect("json");
    assert_eq!(seen["authenticators"].as_array().map(Vec::len), Some(1));
    let reset = admin
        .call("/api/reset_second_factors", &[("account_id", &owner_id)])
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    assert_eq!(
        reset.header("location"),
        Some(format!("/admin/accounts/{owner_id}?reset=1").as_str())
    );
    let left = format!("SELECT COUNT(*) FROM authenticators WHERE account_id = {owner_id}");
    assert_eq!(portal.count(&left).await, 0);
    let codes = format!("SELECT COUNT(*) FROM recovery_codes WHERE account_id = {owner_id}");
    assert_eq!(portal.count(&codes).await, 0);
    assert_eq!(
        portal.last_email_to(owner_email).await.subject,
        "Your second sign-in step was reset · Portico"
    );
    let audited = "SELECT COUNT(*) FROM audit_events WHERE action = 'second_factor.reset'";
    assert_eq!(portal.count(audited).await, 1);
    // The owner signs in with one step again.
    let mut browser = portal.browser();
    let reply = browser
        .call(
            "/api/sign_in",
            &[("email", owner_email), ("password", PASSWORD), ("next", "")],
        )
        .await;
    assert_eq!(reply.header("location"), Some("/"));
}

on_both_databases!(
    an_authenticator_is_asked_for_at_every_sign_in_and_no_code_works_twice,
    a_recovery_code_works_once_and_a_new_set_ends_the_old,
    five_wrong_codes_lock_the_step_for_fifteen_minutes_and_email_the_person,
    without_javascript_the_second_step_answers_with_redirects,
    an_admin_resets_another_persons_factors_never_their_own,
);
