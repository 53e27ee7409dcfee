//! The layers around every request: headers, cross-site refusal, body cap, health.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};

use crate::on_both_databases;
use crate::support::{Db, TestPortal, PUBLIC_URL};

async fn pages_carry_the_security_headers_and_a_nonce_policy(db: Db) {
    let portal = TestPortal::start(db).await;
    let page = portal.browser().get("/sign-in").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("referrer-policy"), Some("same-origin"));
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    let csp = page.header("content-security-policy").expect("CSP").to_string();
    for directive in [
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "script-src 'nonce-",
    ] {
        assert!(csp.contains(directive), "{directive} missing in {csp}");
    }
    // Every inline script carries this response's nonce.
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("nonce");
    assert!(nonce.len() >= 16);
    let scripts = page.body.matches("<script").count();
    let with_nonce = page.body.matches(&format!("nonce=\"{nonce}\"")).count();
    assert!(
        scripts > 0 && scripts == with_nonce,
        "{scripts} scripts, {with_nonce} with the nonce"
    );
    // Served over plain http (loopback), so no HSTS.
    assert_eq!(page.header("strict-transport-security"), None);

    let second = portal.browser().get("/sign-in").await;
    assert_ne!(
        second.header("content-security-policy"),
        Some(csp.as_str()),
        "a fresh nonce per response"
    );
}

async fn other_responses_get_a_policy_that_allows_nothing(db: Db) {
    let portal = TestPortal::start(db).await;
    let api = portal.browser().call("/api/site_info", &[]).await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(
        api.header("content-security-policy"),
        Some("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
    );
    assert_eq!(api.header("x-content-type-options"), Some("nosniff"));
    let missing = portal.browser().get("/no/such/page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("Page not found"));
    assert_eq!(missing.header("x-content-type-options"), Some("nosniff"));
}

async fn hsts_is_sent_when_the_portal_is_served_over_https(db: Db) {
    let portal = TestPortal::start_with(db, &["--public-url", "https://portal.example.com"]).await;
    let page = portal.browser().get("/").await;
    assert_eq!(
        page.header("strict-transport-security"),
        Some("max-age=31536000; includeSubDomains")
    );
}

async fn a_cross_site_post_is_refused(db: Db) {
    let portal = TestPortal::start(db).await;
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.example"),
    ] {
        let request = Request::builder()
            .method(Method::POST)
            .uri("/api/sign_in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header(name, value)
            .body(Body::from("email=a%40example.com&password=x"))
            .expect("request");
        let reply = portal.send(request).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{name}: {value}");
        assert!(reply.body.contains("sent from another site"), "{}", reply.body);
    }
    // The same request from the portal's own origin goes through to the sign-in check.
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/sign_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header("origin", PUBLIC_URL)
        .body(Body::from("email=a%40example.com&password=x"))
        .expect("request");
    assert_eq!(
        portal.send(request).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

async fn an_oversized_body_gets_413(db: Db) {
    let portal = TestPortal::start(db).await;
    let big = format!("email=a%40example.com&password={}", "x".repeat(70 * 1024));
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/sign_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, big.len())
        .header(header::ACCEPT, "text/html")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(big))
        .expect("request");
    let reply = portal.send(request).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        reply.body.contains("larger than the portal accepts"),
        "{}",
        reply.body
    );
}

async fn a_body_without_a_declared_length_is_cut_off_at_the_cap(db: Db) {
    let portal = TestPortal::start(db).await;
    let big = format!("email=a%40example.com&password={}", "x".repeat(70 * 1024));
    let chunks: Vec<Result<String, std::io::Error>> = big
        .as_bytes()
        .chunks(8 * 1024)
        .map(|c| Ok(String::from_utf8_lossy(c).into_owned()))
        .collect();
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/sign_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from_stream(futures::stream::iter(chunks)))
        .expect("request");
    let reply = portal.send(request).await;
    assert!(reply.status.is_client_error(), "{}: {}", reply.status, reply.body);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action = 'sign_in.failed'")
            .await,
        0,
        "the cut-off body never reached the sign-in"
    );
}

async fn health_reports_the_database(db: Db) {
    let portal = TestPortal::start(db).await;
    let reply = portal.browser().get("/healthz").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body, "ok");
    portal.state.store.close().await;
    let reply = portal.browser().get("/healthz").await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
}

on_both_databases!(
    a_body_without_a_declared_length_is_cut_off_at_the_cap,
    pages_carry_the_security_headers_and_a_nonce_policy,
    other_responses_get_a_policy_that_allows_nothing,
    hsts_is_sent_when_the_portal_is_served_over_https,
    a_cross_site_post_is_refused,
    an_oversized_body_gets_413,
    health_reports_the_database,
);
