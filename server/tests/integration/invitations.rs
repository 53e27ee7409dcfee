//! Redeeming invitations, and the mail that carries them.

use std::sync::Arc;

use axum::http::StatusCode;
use futures::future::join_all;

use portico_server::mailer::Mailer;
use portico_server::workers::outbox::deliver_due;
use rules::clock::SharedClock;
use storage::outbox::{enqueue, unsent_count, OutboxMessage};

use crate::on_both_databases;
use crate::support::{smtp_sink, Db, TestPortal, PASSWORD};

const PARTNER: &str = "ann@partner.example";

/// A resource that auto-approves partner.example, so a request yields an invitation at once.
async fn invited(portal: &TestPortal, email: &str) -> String {
    portal.allow_partner_passwords().await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    portal
        .set_policy(
            &mut admin,
            crm,
            &[
                ("form[auto_approve_domains]", "partner.example"),
                ("form[access_duration]", "days"),
                ("form[access_days]", "30"),
            ],
        )
        .await;
    portal.browser().request_access("crm", email, "Ann").await;
    portal
        .last_email_to(email)
        .await
        .link("/invite/")
        .trim_start_matches("/invite/")
        .to_string()
}

fn new_account(token: &str) -> Vec<(&'static str, String)> {
    vec![
        ("token", token.to_string()),
        ("mode", "new".into()),
        ("display_name", "Ann Example".into()),
        ("password", PASSWORD.into()),
        ("password_confirm", PASSWORD.into()),
    ]
}

fn pairs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn an_expired_link_shows_the_expired_page_and_redeems_nothing(db: Db) {
    let portal = TestPortal::start(db).await;
    let token = invited(&portal, PARTNER).await;
    portal.clock.advance(7 * 24 * 3600);
    let page = portal.browser().get(&format!("/invite/{token}")).await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(page.body.contains("This invitation has expired"), "{}", page.body);
    assert!(page.body.contains("/request/crm"), "offers to ask again");
    let redeem = portal
        .browser()
        .call("/api/redeem_invitation", &pairs(&new_account(&token)))
        .await;
    assert_eq!(redeem.status, StatusCode::CONFLICT);
    assert!(redeem.body.contains("expired"), "{}", redeem.body);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM accounts WHERE email = 'ann@partner.example'")
            .await,
        0
    );
}

async fn fifty_simultaneous_redemptions_make_one_account_and_one_membership(db: Db) {
    let portal = TestPortal::start(db).await;
    let token = invited(&portal, PARTNER).await;
    let form = new_account(&token);
    let attempts = (0..50).map(|_| {
        let portal = &portal;
        let form = pairs(&form);
        async move {
            portal
                .browser()
                .call("/api/redeem_invitation", &form)
                .await
                .status
        }
    });
    let statuses = join_all(attempts).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM accounts WHERE email = 'ann@partner.example'")
            .await,
        1
    );
    assert_eq!(portal.count("SELECT COUNT(*) FROM memberships").await, 1);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM invitations WHERE state = 'redeemed'")
            .await,
        1
    );
}

async fn a_known_email_signs_in_on_the_same_page_and_others_are_refused(db: Db) {
    let portal = TestPortal::start(db).await;
    let token = invited(&portal, PARTNER).await;
    // Ann gets an account from a first invitation, then a second one for another resource.
    portal
        .browser()
        .call("/api/redeem_invitation", &pairs(&new_account(&token)))
        .await;
    let mut admin = portal.signed_in(crate::support::ADMIN_EMAIL).await;
    let wiki = portal.create_resource(&mut admin, "Wiki", "wiki").await;
    portal
        .set_policy(
            &mut admin,
            wiki,
            &[("form[auto_approve_domains]", "partner.example")],
        )
        .await;
    portal.browser().request_access("wiki", PARTNER, "Ann").await;
    let second = portal
        .last_email_to(PARTNER)
        .await
        .link("/invite/")
        .trim_start_matches("/invite/")
        .to_string();

    let page = portal.browser().get(&format!("/invite/{second}")).await;
    assert!(page.body.contains("already has an account here"), "{}", page.body);
    // Signed in as someone else: refused.
    let refused = admin
        .call(
            "/api/redeem_invitation",
            &[("token", &second), ("mode", "signed_in")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("another email address"), "{}", refused.body);
    // A wrong password: a field message, nothing spent.
    let mut ann = portal.browser();
    let wrong = ann
        .call(
            "/api/redeem_invitation",
            &[
                ("token", &second),
                ("mode", "existing"),
                ("password", "not-her-password"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong.body);
    let right = ann
        .call(
            "/api/redeem_invitation",
            &[("token", &second), ("mode", "existing"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.body);
    let access = ann.call("/api/my_access", &[]).await;
    assert!(
        access.body.contains("\"resource_name\":\"CRM\"")
            && access.body.contains("\"resource_name\":\"Wiki\""),
        "{}",
        access.body
    );
    // The 30-day access of CRM carries its end date.
    assert!(
        access
            .body
            .contains(&format!("\"expires_at\":{}", crate::support::START + 30 * 86_400)),
        "{}",
        access.body
    );
}

async fn leaving_a_resource_ends_the_membership(db: Db) {
    let portal = TestPortal::start(db).await;
    let token = invited(&portal, PARTNER).await;
    let mut ann = portal.browser();
    ann.call("/api/redeem_invitation", &pairs(&new_account(&token)))
        .await;
    let (membership,): (i64,) = sqlx::query_as("SELECT id FROM memberships")
        .fetch_one(portal.state.store.read())
        .await
        .expect("membership");
    let left = ann
        .call(
            "/api/leave_resource",
            &[("membership_id", &membership.to_string())],
        )
        .await;
    assert_eq!(left.status, StatusCode::OK, "{}", left.body);
    let access = ann.call("/api/my_access", &[]).await;
    assert!(access.body.contains("\"held\":[]"), "{}", access.body);
    // Not twice, and not someone else's.
    assert_eq!(
        ann.call(
            "/api/leave_resource",
            &[("membership_id", &membership.to_string())]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action = 'membership.left'")
            .await,
        1
    );
}

async fn no_raw_token_is_kept_in_the_database(db: Db) {
    let portal = TestPortal::start(db).await;
    let token = invited(&portal, PARTNER).await;
    let status = portal.emails_to(PARTNER).await;
    assert!(!status.is_empty());
    // Deliver everything: delivered bodies are dropped.
    let mailer = Mailer::new(
        None,
        &portal.folder.path().join("mail"),
        "Portico <no-reply@localhost>",
        "localhost",
    )
    .expect("mailer");
    let clock: SharedClock = Arc::new(portal.clock.clone());
    deliver_due(&portal.state.store, &mailer, &clock, 120)
        .await
        .expect("delivery");
    assert_eq!(unsent_count(portal.state.store.read()).await.expect("count"), 0);
    // Every text column a token could have landed in.
    let columns = [
        ("invitations", "token_hash"),
        ("invitations", "message"),
        ("access_requests", "status_token_hash"),
        ("access_requests", "answers"),
        ("outbox_messages", "text_body"),
        ("outbox_messages", "html_body"),
        ("outbox_messages", "subject"),
        ("audit_events", "details"),
        ("audit_events", "target"),
        ("sign_ins", "id"),
    ];
    for (table, column) in columns {
        let rows: Vec<(String,)> = sqlx::query_as(&format!("SELECT {column} FROM {table}"))
            .fetch_all(portal.state.store.read())
            .await
            .expect("column");
        assert!(
            rows.iter().all(|(value,)| !value.contains(&token)),
            "raw token found in {table}.{column}"
        );
    }
    let dumped: Vec<(String, String)> = sqlx::query_as("SELECT text_body, html_body FROM outbox_messages")
        .fetch_all(portal.state.store.read())
        .await
        .expect("rows");
    assert!(dumped
        .iter()
        .all(|(t, h)| !t.contains(&token) && !h.contains(&token)));
    let invitation: Vec<(String,)> = sqlx::query_as("SELECT token_hash FROM invitations")
        .fetch_all(portal.state.store.read())
        .await
        .expect("rows");
    assert_eq!(invitation[0].0, services::tokens::hash_token(&token));
    // The .eml file written by the file transport does carry the link: that is the email.
    let files: Vec<_> = std::fs::read_dir(portal.folder.path().join("mail"))
        .expect("mail folder")
        .collect();
    assert!(!files.is_empty());
}

async fn a_rolled_back_transaction_leaves_no_outbox_message(db: Db) {
    let portal = TestPortal::start(db).await;
    let message = OutboxMessage {
        idempotency_key: "test.rollback".into(),
        to_address: "nobody@example.com".into(),
        subject: "Never sent".into(),
        text_body: "x".into(),
        html_body: "x".into(),
    };
    let mut tx = portal.state.store.begin().await.expect("tx");
    enqueue(&mut tx, &message, crate::support::START)
        .await
        .expect("queued");
    tx.rollback().await.expect("rollback");
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM outbox_messages WHERE idempotency_key = 'test.rollback'")
            .await,
        0
    );
}

async fn mail_goes_out_through_a_real_smtp_server_once_with_its_message_id(db: Db) {
    let portal = TestPortal::start(db).await;
    invited(&portal, PARTNER).await;
    let sink = smtp_sink();
    let mailer = Mailer::new(
        Some(&sink.url()),
        &portal.folder.path().join("unused"),
        "Portico <no-reply@localhost>",
        "localhost",
    )
    .expect("mailer");
    let clock: SharedClock = Arc::new(portal.clock.clone());
    let (key,): (String,) = sqlx::query_as("SELECT idempotency_key FROM outbox_messages WHERE to_address = $1 AND subject LIKE 'You are invited%'")
        .bind(PARTNER)
        .fetch_one(portal.state.store.read())
        .await
        .expect("invitation email");
    let sent = deliver_due(&portal.state.store, &mailer, &clock, 120)
        .await
        .expect("delivery");
    assert!(sent >= 1);
    assert_eq!(
        deliver_due(&portal.state.store, &mailer, &clock, 120)
            .await
            .expect("second pass"),
        0,
        "nothing twice"
    );
    let messages = sink.messages();
    let invitation: Vec<&String> = messages
        .iter()
        .filter(|m| m.contains("Subject: You are invited to CRM"))
        .collect();
    assert_eq!(invitation.len(), 1, "{messages:?}");
    assert!(
        invitation[0].contains(&format!("Message-ID: <{key}@localhost>")),
        "{}",
        invitation[0]
    );
    assert!(
        invitation[0].contains(&format!("To: {PARTNER}")),
        "{}",
        invitation[0]
    );
}

on_both_databases!(
    an_expired_link_shows_the_expired_page_and_redeems_nothing,
    fifty_simultaneous_redemptions_make_one_account_and_one_membership,
    a_known_email_signs_in_on_the_same_page_and_others_are_refused,
    leaving_a_resource_ends_the_membership,
    no_raw_token_is_kept_in_the_database,
    a_rolled_back_transaction_leaves_no_outbox_message,
    mail_goes_out_through_a_real_smtp_server_once_with_its_message_id,
);
