//! Languages: a page is answered in the language cookie's language, else the browser's, else
//! the portal's default; the switcher remembers a choice and saves a signed-in person's; the
//! kept anonymous pages are kept per language.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};

use crate::on_both_databases;
use crate::support::{Db, Reply, TestPortal, ADMIN_EMAIL, PASSWORD};

/// A page as a browser with this language setting and (maybe) this language cookie gets it.
async fn page_in(portal: &TestPortal, path: &str, accept_language: &str, cookie: Option<&str>) -> Reply {
    let mut request = Request::builder()
        .method(Method::GET)
        .uri(path)
        .header(header::ACCEPT, "text/html")
        .header(header::ACCEPT_LANGUAGE, accept_language)
        .extension(ConnectInfo(SocketAddr::new(
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            50_000,
        )));
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    portal.send(request.body(Body::empty()).expect("request")).await
}

fn lang_of(reply: &Reply) -> &str {
    let start = reply
        .body
        .find("<html lang=\"")
        .expect("an html element with lang")
        + "<html lang=\"".len();
    &reply.body[start..start + reply.body[start..].find('"').expect("closing quote")]
}

/// The language cookie a reply sets, if any (its value).
fn language_cookie(reply: &Reply) -> Option<String> {
    reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("portico_language="))
        .map(|rest| rest.split(';').next().unwrap_or_default().to_string())
}

async fn pages_follow_the_cookie_then_the_browser_then_the_portal_default(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;

    let dutch = page_in(&portal, "/sign-in", "nl-NL,nl;q=0.9,en;q=0.5", None).await;
    assert_eq!(dutch.status, StatusCode::OK);
    assert_eq!(lang_of(&dutch), "nl");
    assert!(
        dutch.body.contains("Inloggen") && dutch.body.contains("Wachtwoord"),
        "{}",
        dutch.body
    );
    assert!(
        dutch
            .header("vary")
            .is_some_and(|v| v.contains("Accept-Language")),
        "{:?}",
        dutch.headers
    );
    let health = page_in(&portal, "/healthz", "nl-NL", None).await;
    let varies: Vec<&str> = health
        .headers
        .get_all("vary")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        !varies.iter().any(|v| v.contains("Accept-Language")),
        "only pages vary by language: {varies:?}"
    );

    let chosen = page_in(&portal, "/sign-in", "nl-NL", Some("portico_language=en")).await;
    assert_eq!(lang_of(&chosen), "en", "the cookie beats the browser");
    assert!(chosen.body.contains("Password"));

    let german = page_in(&portal, "/sign-in", "de-DE,de;q=0.9", None).await;
    assert_eq!(lang_of(&german), "en", "no language spoken: the portal's default");
    let saved = admin
        .call(
            "/api/save_branding",
            &[
                ("branding[portal_name]", "Acme Partners"),
                ("branding[accent]", "#1f5f8b"),
                ("branding[contact_email]", ""),
                ("branding[default_language]", "nl"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let german = page_in(&portal, "/sign-in", "de-DE,de;q=0.9", None).await;
    assert_eq!(lang_of(&german), "nl", "the admin's default now");

    let refused = admin
        .call(
            "/api/save_branding",
            &[
                ("branding[portal_name]", "Acme Partners"),
                ("branding[accent]", "#1f5f8b"),
                ("branding[default_language]", "fr"),
            ],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    // The message is in the reader's language: the portal's default, Dutch now.
    assert!(refused.body.contains("Kies een van en, nl."), "{}", refused.body);
}

async fn kept_pages_are_kept_per_language(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    portal.create_resource(&mut admin, "CRM", "crm").await;
    for _ in 0..2 {
        let english = page_in(&portal, "/", "en-GB", None).await;
        let dutch = page_in(&portal, "/", "nl-NL", None).await;
        assert_eq!((lang_of(&english), lang_of(&dutch)), ("en", "nl"));
        assert!(english.body.contains("What you can ask for"), "{}", english.body);
        assert!(dutch.body.contains("Wat je kunt aanvragen"), "{}", dutch.body);
    }
}

async fn the_switcher_remembers_a_choice_and_a_signed_in_persons_preference(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut visitor = portal.browser();
    let switched = visitor
        .submit_without_js(
            "/api/set_language",
            &[("language", "nl"), ("back", "/sign-in?next=/my-access")],
            "/sign-in",
        )
        .await;
    assert!(
        switched.status.is_redirection(),
        "{}: {}",
        switched.status,
        switched.body
    );
    assert_eq!(
        switched.header("location"),
        Some("/sign-in?next=/my-access"),
        "back to the same page"
    );
    assert_eq!(language_cookie(&switched).as_deref(), Some("nl"));

    let away = visitor
        .submit_without_js(
            "/api/set_language",
            &[("language", "en"), ("back", "//evil.example/")],
            "/",
        )
        .await;
    assert_eq!(away.header("location"), Some("/"), "never to another site");

    let unknown = visitor
        .call("/api/set_language", &[("language", "xx"), ("back", "/")])
        .await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.body
    );
    assert!(
        unknown
            .body
            .contains("Choose one of the languages offered: en, nl."),
        "{}",
        unknown.body
    );
    assert_eq!(language_cookie(&unknown), None);

    // Signed in, the choice is saved, and the next sign-in anywhere brings it back.
    let mut admin = portal.admin().await;
    let saved = admin
        .call("/api/set_language", &[("language", "nl"), ("back", "/")])
        .await;
    assert!(
        saved.status.is_success() || saved.status.is_redirection(),
        "{}",
        saved.body
    );
    assert_eq!(
        portal
            .count(&format!(
                "SELECT COUNT(*) FROM accounts WHERE email = '{ADMIN_EMAIL}' AND language = 'nl'"
            ))
            .await,
        1
    );
    let mut elsewhere = portal.browser();
    let signed_in = elsewhere
        .call("/api/sign_in", &[("email", ADMIN_EMAIL), ("password", PASSWORD)])
        .await;
    assert_eq!(
        language_cookie(&signed_in).as_deref(),
        Some("nl"),
        "{:?}",
        signed_in.headers
    );
}

/// The JSON API's `message` follows `Accept-Language`; its `code` is the same in every language.
async fn the_api_words_its_messages_in_the_callers_language(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let token = crate::api_client::make_token(&mut admin, "reader", crate::api_client::ALL_SCOPES).await;
    let ask = |path: &str, language: &str| {
        Request::builder()
            .method(Method::GET)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::ACCEPT_LANGUAGE, language)
            .extension(ConnectInfo(SocketAddr::new(
                IpAddr::V4(Ipv4Addr::LOCALHOST),
                50_000,
            )))
            .body(Body::empty())
            .expect("request")
    };
    let error = |reply: &Reply| -> (String, String) {
        let json: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
        let text = |key: &str| json["error"][key].as_str().unwrap_or_default().to_string();
        (text("code"), text("message"))
    };
    let dutch = portal
        .send(ask("/api/v1/requests/999999", "nl-NL,nl;q=0.9"))
        .await;
    assert_eq!(dutch.status, StatusCode::NOT_FOUND);
    assert_eq!(
        error(&dutch),
        ("not_found".into(), "Er is geen aanvraag met dat id.".into())
    );
    let english = portal.send(ask("/api/v1/requests/999999", "en")).await;
    assert_eq!(
        error(&english),
        ("not_found".into(), "There is no request with that id.".into())
    );
    let too_many = portal.send(ask("/api/v1/requests?limit=5000", "nl")).await;
    assert_eq!(too_many.status, StatusCode::BAD_REQUEST);
    assert_eq!(error(&too_many).1, "Vraag om 1 tot 200 items per pagina.");
}

on_both_databases!(
    pages_follow_the_cookie_then_the_browser_then_the_portal_default,
    kept_pages_are_kept_per_language,
    the_switcher_remembers_a_choice_and_a_signed_in_persons_preference,
    the_api_words_its_messages_in_the_callers_language,
);
