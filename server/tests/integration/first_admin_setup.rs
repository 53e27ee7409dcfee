//! The one-time link that creates the first admin.

use std::sync::Arc;

use axum::http::StatusCode;
use futures::future::join_all;

use portico_server::Portal;
use rules::clock::ManualClock;

use crate::on_both_databases;
use crate::support::{test_config, Db, TestPortal, START};

const PASSWORD: &str = "plum-kettle-orbit-47";

async fn setup_link_works_once(db: Db) {
    let portal = TestPortal::start(db).await;
    let token = portal.setup_token();
    let mut browser = portal.browser();

    let page = browser.get(&format!("/setup/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Create the first admin"), "{}", page.body);

    let form = [
        ("token", token.as_str()),
        ("email", "Ada@Example.com"),
        ("display_name", "Ada Lovelace"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
    ];
    let created = browser.call("/api/create_first_admin", &form).await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert_eq!(browser.signed_in_as().await.as_deref(), Some("ada@example.com"));

    let mut other = portal.browser();
    let again = other.call("/api/create_first_admin", &form).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(again.body.contains("no longer works"), "{}", again.body);

    let dead_page = other.get(&format!("/setup/{token}")).await;
    assert!(
        dead_page.body.contains("This setup link does not work"),
        "{}",
        dead_page.body
    );
}

async fn no_link_is_issued_once_an_admin_exists(db: Db) {
    let portal = TestPortal::start(db).await;
    portal.first_admin("ada@example.com", PASSWORD).await;

    let config = test_config(&portal.database_url, &portal.folder.path().join("mail"), &[]);
    let public = config.check().expect("valid");
    let restarted = Portal::start(&config, &public, Arc::new(ManualClock::at(START)))
        .await
        .expect("restart");
    assert!(restarted.setup_link.is_none());
}

async fn a_restart_voids_the_earlier_link(db: Db) {
    let portal = TestPortal::start(db).await;
    let first_token = portal.setup_token();

    let config = test_config(&portal.database_url, &portal.folder.path().join("mail"), &[]);
    let public = config.check().expect("valid");
    let restarted = Portal::start(&config, &public, Arc::new(ManualClock::at(START)))
        .await
        .expect("restart");
    let second_link = restarted.setup_link.expect("still no admin, so a new link");
    assert!(!second_link.ends_with(&first_token));

    let mut browser = portal.browser();
    let old = browser.get(&format!("/setup/{first_token}")).await;
    assert!(old.body.contains("This setup link does not work"));
    let new_token = second_link.rsplit('/').next().expect("token");
    let new = browser.get(&format!("/setup/{new_token}")).await;
    assert!(new.body.contains("Create the first admin"));
}

async fn each_bad_field_gets_its_own_message_and_nothing_is_created(db: Db) {
    let portal = TestPortal::start(db).await;
    let token = portal.setup_token();
    let mut browser = portal.browser();
    let reply = browser
        .call(
            "/api/create_first_admin",
            &[
                ("token", &token),
                ("email", "not-an-email"),
                ("display_name", "  "),
                ("password", "short"),
                ("password_confirm", "different"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
    let messages = &error["Invalid"]["messages"];
    assert_eq!(messages["email"], "Enter an email address like name@example.com.");
    assert_eq!(messages["display_name"], "Enter a name.");
    assert!(messages["password"]
        .as_str()
        .unwrap_or_default()
        .contains("at least 8"));
    assert_eq!(messages["password_confirm"], "The two passwords do not match.");
    // What was typed comes back (except passwords), so a page without JavaScript can refill it.
    assert_eq!(error["Invalid"]["values"]["email"], "not-an-email");
    assert!(error["Invalid"]["values"].get("password").is_none());

    let common = browser
        .call(
            "/api/create_first_admin",
            &[
                ("token", &token),
                ("email", "ada@example.com"),
                ("display_name", "Ada"),
                ("password", "password123"),
                ("password_confirm", "password123"),
            ],
        )
        .await;
    assert_eq!(common.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(common.body.contains("most common"), "{}", common.body);

    // The link still works after the failed attempts.
    let page = browser.get(&format!("/setup/{token}")).await;
    assert!(page.body.contains("Create the first admin"));
}

async fn simultaneous_submissions_create_one_admin(db: Db) {
    let portal = TestPortal::start(db).await;
    let token = portal.setup_token();
    let mut attempts = Vec::new();
    for n in 0..8 {
        let portal = &portal;
        let token = token.clone();
        attempts.push(async move {
            let mut browser = portal.browser();
            let email = format!("admin{n}@example.com");
            browser
                .call(
                    "/api/create_first_admin",
                    &[
                        ("token", &token),
                        ("email", &email),
                        ("display_name", "Admin"),
                        ("password", PASSWORD),
                        ("password_confirm", PASSWORD),
                    ],
                )
                .await
                .status
        });
    }
    let statuses = join_all(attempts).await;
    let created = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!(created, 1, "{statuses:?}");
    let (admins,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM accounts WHERE is_admin = 1")
        .fetch_one(portal.state.store.read())
        .await
        .expect("count");
    assert_eq!(admins, 1);
}

async fn only_a_hash_of_the_token_is_stored(db: Db) {
    let portal = TestPortal::start(db).await;
    let token = portal.setup_token();
    let rows: Vec<(String,)> = sqlx::query_as("SELECT token_hash FROM setup_tokens")
        .fetch_all(portal.state.store.read())
        .await
        .expect("rows");
    assert_eq!(rows.len(), 1);
    assert_ne!(rows[0].0, token);
    assert_eq!(rows[0].0, services::tokens::hash_token(&token));
}

on_both_databases!(
    setup_link_works_once,
    no_link_is_issued_once_an_admin_exists,
    a_restart_voids_the_earlier_link,
    each_bad_field_gets_its_own_message_and_nothing_is_created,
    simultaneous_submissions_create_one_admin,
    only_a_hash_of_the_token_is_stored,
);
