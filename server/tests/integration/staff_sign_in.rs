//! Signing in and out: credentials, sessions, throttling and the audit trail.

use std::net::{IpAddr, Ipv4Addr};

use axum::http::StatusCode;

use crate::on_both_databases;
use crate::support::{Db, TestPortal};

const EMAIL: &str = "ada@example.com";
const PASSWORD: &str = "plum-kettle-orbit-47";

async fn sign_in(
    browser: &mut crate::support::Browser<'_>,
    email: &str,
    password: &str,
) -> crate::support::Reply {
    browser
        .call(
            "/api/sign_in",
            &[("email", email), ("password", password), ("next", "")],
        )
        .await
}

async fn right_password_signs_in_and_a_wrong_one_does_not(db: Db) {
    let portal = TestPortal::start(db).await;
    portal.first_admin(EMAIL, PASSWORD).await;

    let mut browser = portal.browser();
    let wrong = sign_in(&mut browser, EMAIL, "plum-kettle-orbit-48").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.body.contains("The email or password is not right."),
        "{}",
        wrong.body
    );
    assert_eq!(browser.signed_in_as().await, None);

    let right = sign_in(&mut browser, "  ADA@example.com ", PASSWORD).await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.body);
    assert_eq!(browser.signed_in_as().await.as_deref(), Some(EMAIL));
}

async fn an_unknown_email_gets_exactly_the_answer_of_a_wrong_password(db: Db) {
    let portal = TestPortal::start(db).await;
    portal.first_admin(EMAIL, PASSWORD).await;

    let wrong_password = sign_in(&mut portal.browser(), EMAIL, "not-the-password").await;
    let unknown_email = sign_in(&mut portal.browser(), "nobody@example.com", "not-the-password").await;
    assert_eq!(wrong_password.status, unknown_email.status);
    let strip_echo = |body: &str| body.replace("nobody@example.com", "X").replace(EMAIL, "X");
    assert_eq!(strip_echo(&wrong_password.body), strip_echo(&unknown_email.body));
}

async fn the_session_cookie_is_host_only_secure_httponly_and_lax(db: Db) {
    let portal = TestPortal::start(db).await;
    portal.first_admin(EMAIL, PASSWORD).await;
    let reply = sign_in(&mut portal.browser(), EMAIL, PASSWORD).await;
    let cookie = reply.session_cookie().expect("a session cookie is set");
    assert!(cookie.starts_with("__Host-portico="), "{cookie}");
    for flag in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/", "Max-Age=1800"] {
        assert!(cookie.contains(flag), "{flag} missing in {cookie}");
    }
    assert!(!cookie.contains("Domain="), "{cookie}");
}

async fn signing_in_issues_a_new_session_id(db: Db) {
    let portal = TestPortal::start(db).await;
    portal.first_admin(EMAIL, PASSWORD).await;
    let mut browser = portal.browser();
    sign_in(&mut browser, EMAIL, PASSWORD).await;
    let first = browser.cookie.clone().expect("session");

    // Signing in again from the same browser must not keep the id it came with.
    sign_in(&mut browser, EMAIL, PASSWORD).await;
    let second = browser.cookie.clone().expect("session");
    assert_ne!(first, second);

    let mut replay = portal.browser();
    replay.cookie = Some(first);
    assert_eq!(replay.signed_in_as().await, None, "the old id must be dead");
}

async fn signing_out_deletes_the_session_on_the_server(db: Db) {
    let portal = TestPortal::start(db).await;
    portal.first_admin(EMAIL, PASSWORD).await;
    let mut browser = portal.browser();
    sign_in(&mut browser, EMAIL, PASSWORD).await;
    let stolen = browser.cookie.clone().expect("session");
    let before: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
        .fetch_one(portal.state.store.read())
        .await
        .expect("count");

    let out = browser.call("/api/sign_out", &[]).await;
    assert_eq!(out.status, StatusCode::OK, "{}", out.body);
    // Browsers only accept the deletion of a __Host- cookie when it is marked Secure.
    let deletion = out.session_cookie().expect("the cookie is deleted");
    assert!(
        deletion.contains("Max-Age=0") && deletion.contains("Secure"),
        "{deletion}"
    );
    assert_eq!(browser.cookie, None, "the cookie is cleared");
    let after: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
        .fetch_one(portal.state.store.read())
        .await
        .expect("count");
    assert_eq!(after.0, before.0 - 1, "the server-side record is gone");

    let mut thief = portal.browser();
    thief.cookie = Some(stolen);
    assert_eq!(thief.signed_in_as().await, None);
}

async fn a_request_racing_the_sign_out_cannot_bring_the_session_back(db: Db) {
    let portal = TestPortal::start(db).await;
    portal.first_admin(EMAIL, PASSWORD).await;
    let mut browser = portal.browser();
    sign_in(&mut browser, EMAIL, PASSWORD).await;
    let cookie = browser.cookie.clone().expect("session");
    let store = portal.state.store.read();
    // What a request that loaded the session just before the sign-out would write back after it.
    let saved: Vec<(String, Vec<u8>)> = sqlx::query_as("SELECT id, data FROM sessions WHERE id = $1")
        .bind(&cookie)
        .fetch_all(store)
        .await
        .expect("rows");
    assert_eq!(saved.len(), 1);

    browser.call("/api/sign_out", &[]).await;
    let resurrect = "INSERT INTO sessions (id, data, expiry_date) VALUES ($1, $2, $3)";
    match portal.state.store.engine() {
        storage::Engine::Sqlite => {
            sqlx::query(resurrect)
                .bind(&saved[0].0)
                .bind(saved[0].1.clone())
                .bind(i64::MAX / 2)
                .execute(store)
                .await
        }
        storage::Engine::Postgres => {
            let pg = resurrect.replace("$3", "now() + interval '1 hour'");
            sqlx::query(&pg)
                .bind(&saved[0].0)
                .bind(saved[0].1.clone())
                .execute(store)
                .await
        }
    }
    .expect("write the stale session back");

    let mut late = portal.browser();
    late.cookie = Some(cookie);
    assert_eq!(late.signed_in_as().await, None, "the sign-in itself is gone");
}

async fn too_many_attempts_from_one_address_get_429_with_retry_after(db: Db) {
    let portal = TestPortal::start_with(db, &["--sign-in-limit-per-minute", "3"]).await;
    let mut browser = portal.browser_from(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7)));
    for _ in 0..3 {
        let reply = sign_in(&mut browser, "someone@example.com", "whatever-password").await;
        assert_ne!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    }
    let limited = sign_in(&mut browser, "someone@example.com", "whatever-password").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = limited
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert!(limited.body.contains("Throttled"), "{}", limited.body);

    // Another address still has its own budget.
    let mut other = portal.browser_from(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 8)));
    let reply = sign_in(&mut other, "someone@example.com", "whatever-password").await;
    assert_ne!(reply.status, StatusCode::TOO_MANY_REQUESTS);
}

async fn repeated_failures_slow_down_one_account_from_any_address(db: Db) {
    let portal = TestPortal::start(db).await;
    portal.first_admin(EMAIL, PASSWORD).await;
    for n in 0..5u8 {
        let mut browser = portal.browser_from(IpAddr::V4(Ipv4Addr::new(203, 0, 113, n)));
        let reply = sign_in(&mut browser, EMAIL, "wrong-password-here").await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "attempt {n}");
    }
    // The sixth try, even with the right password and from a new address, must wait.
    let mut browser = portal.browser_from(IpAddr::V4(Ipv4Addr::new(203, 0, 113, 99)));
    let throttled = sign_in(&mut browser, EMAIL, PASSWORD).await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(throttled.header("retry-after"), Some("1"));

    portal.clock.advance(2);
    let after_wait = sign_in(&mut browser, EMAIL, PASSWORD).await;
    assert_eq!(after_wait.status, StatusCode::OK, "{}", after_wait.body);
}

async fn every_sign_in_and_failure_is_audited(db: Db) {
    let portal = TestPortal::start(db).await;
    portal.first_admin(EMAIL, PASSWORD).await;
    let mut browser = portal.browser();
    sign_in(&mut browser, EMAIL, "wrong-password-here").await;
    sign_in(&mut browser, "ghost@example.com", "wrong-password-here").await;
    sign_in(&mut browser, EMAIL, PASSWORD).await;
    browser.call("/api/sign_out", &[]).await;

    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT action, actor, client_ip, details FROM audit_events WHERE action LIKE 'sign%' ORDER BY id",
    )
    .fetch_all(portal.state.store.read())
    .await
    .expect("audit rows");
    let actions: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        actions,
        [
            "sign_in.failed",
            "sign_in.failed",
            "sign_in.succeeded",
            "sign_out"
        ]
    );
    assert!(rows[0].3.contains("wrong_password"), "{}", rows[0].3);
    assert_eq!(rows[1].1, "ghost@example.com");
    assert!(rows[1].3.contains("unknown_email"), "{}", rows[1].3);
    assert!(rows.iter().all(|r| r.2 == "192.0.2.10"), "client IP recorded");
}

async fn a_session_ends_after_the_absolute_lifetime_however_active(db: Db) {
    let portal = TestPortal::start(db).await;
    portal.first_admin(EMAIL, PASSWORD).await;
    let mut browser = portal.browser();
    sign_in(&mut browser, EMAIL, PASSWORD).await;
    portal.clock.advance(11 * 3600 + 59 * 60);
    assert_eq!(browser.signed_in_as().await.as_deref(), Some(EMAIL));
    portal.clock.advance(60);
    assert_eq!(browser.signed_in_as().await, None);
}

/// The idle timer restarts when the session is saved, which sends the cookie again with a new
/// expiry: once a minute for a session in use, not on every request (sessions.rs).
async fn an_active_session_is_saved_once_a_minute_not_on_every_request(db: Db) {
    let portal = TestPortal::start(db).await;
    portal.first_admin(EMAIL, PASSWORD).await;
    let mut browser = portal.browser();
    sign_in(&mut browser, EMAIL, PASSWORD).await;
    let expiry = |portal: &TestPortal| {
        let sql = "SELECT CAST(expiry_date AS TEXT) FROM sessions";
        let pool = portal.state.store.read().clone();
        async move {
            let rows: Vec<(String,)> = sqlx::query_as(sql).fetch_all(&pool).await.expect("sessions");
            rows
        }
    };

    let first = browser.get("/review").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert!(
        first.session_cookie().is_some(),
        "the first page after signing in restarts the timer"
    );
    let saved = expiry(&portal).await;
    for path in ["/review", "/", "/admin/audit"] {
        let page = browser.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(
            page.session_cookie(),
            None,
            "{path}: not saved again within the minute"
        );
    }
    assert_eq!(expiry(&portal).await, saved, "no write");
    assert_eq!(browser.signed_in_as().await.as_deref(), Some(EMAIL));

    portal.clock.advance(60);
    let later = browser.get("/review").await;
    assert!(
        later.session_cookie().is_some(),
        "a minute later the timer restarts"
    );
    assert_eq!(browser.signed_in_as().await.as_deref(), Some(EMAIL));

    let sessions = expiry(&portal).await.len();
    let mut stranger = portal.browser();
    stranger.cookie = Some("not-a-session".into());
    let page = stranger.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.session_cookie().is_none_or(|c| c.contains("Max-Age=0")),
        "no session is made up"
    );
    assert_eq!(expiry(&portal).await.len(), sessions, "nor stored");
}

async fn without_javascript_sign_in_redirects_and_errors_come_back_in_the_address(db: Db) {
    let portal = TestPortal::start(db).await;
    portal.first_admin(EMAIL, PASSWORD).await;
    let mut browser = portal.browser();
    let failed = browser
        .submit_without_js(
            "/api/sign_in",
            &[
                ("email", EMAIL),
                ("password", "wrong-password-here"),
                ("next", ""),
            ],
            "/sign-in",
        )
        .await;
    assert_eq!(failed.status, StatusCode::FOUND);
    let location = failed.header("location").expect("redirect").to_string();
    assert!(
        location.contains("/sign-in?") && location.contains("__err="),
        "{location}"
    );
    let page = browser
        .get(location.trim_start_matches(crate::support::PUBLIC_URL))
        .await;
    assert!(
        page.body.contains("The email or password is not right."),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(&format!("value=\"{EMAIL}\"")),
        "the email is kept"
    );

    let ok = browser
        .submit_without_js(
            "/api/sign_in",
            &[("email", EMAIL), ("password", PASSWORD), ("next", "/?from=form")],
            "/sign-in",
        )
        .await;
    assert_eq!(ok.status, StatusCode::FOUND);
    assert_eq!(ok.header("location"), Some("/?from=form"));
    let home = browser.get("/").await;
    assert!(home.body.contains("Hello, Ada Admin"), "{}", home.body);
}

async fn a_return_path_to_another_site_is_ignored(db: Db) {
    let portal = TestPortal::start(db).await;
    portal.first_admin(EMAIL, PASSWORD).await;
    let mut browser = portal.browser();
    let reply = browser
        .submit_without_js(
            "/api/sign_in",
            &[
                ("email", EMAIL),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
            "/sign-in",
        )
        .await;
    assert_eq!(reply.header("location"), Some("/"));
}

on_both_databases!(
    an_active_session_is_saved_once_a_minute_not_on_every_request,
    right_password_signs_in_and_a_wrong_one_does_not,
    an_unknown_email_gets_exactly_the_answer_of_a_wrong_password,
    the_session_cookie_is_host_only_secure_httponly_and_lax,
    signing_in_issues_a_new_session_id,
    signing_out_deletes_the_session_on_the_server,
    a_request_racing_the_sign_out_cannot_bring_the_session_back,
    too_many_attempts_from_one_address_get_429_with_retry_after,
    repeated_failures_slow_down_one_account_from_any_address,
    every_sign_in_and_failure_is_audited,
    a_session_ends_after_the_absolute_lifetime_however_active,
    without_javascript_sign_in_redirects_and_errors_come_back_in_the_address,
    a_return_path_to_another_site_is_ignored,
);
