//! Webhooks: an admin registers a loopback receiver, changes are queued with their transaction,
//! signed deliveries arrive, a 500 is retried after a pause, and a delivery can be sent again.

use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::on_both_databases;
use crate::support::{Db, TestPortal};
use portico_server::workers::webhooks::deliver_due;

/// What the receiver got: headers and raw body.
type Received = Arc<Mutex<Vec<(HeaderMap, String)>>>;

/// A receiver on a free loopback port that answers 500 to the first delivery, then 200.
async fn receiver() -> (String, Received) {
    let received: Received = Arc::default();
    let seen = received.clone();
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: String| {
            let seen = seen.clone();
            async move {
                let mut seen = seen.lock().unwrap();
                seen.push((headers, body));
                if seen.len() == 1 {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::NO_CONTENT
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

fn verify(secret: &str, headers: &HeaderMap, body: &str) -> bool {
    let header = headers["portico-signature"].to_str().unwrap();
    let (t, v1) = header.split_once(',').unwrap();
    let t = t.strip_prefix("t=").unwrap();
    let v1 = v1.strip_prefix("v1=").unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    mac.verify_slice(&hex::decode(v1).unwrap()).is_ok()
}

async fn signed_deliveries_arrive_and_a_failure_is_retried(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    portal.create_resource(&mut admin, "CRM", "crm").await;
    let (url, received) = receiver().await;
    let form = [
        ("endpoint[url]", url.as_str()),
        ("endpoint[description]", "CRM provisioning"),
        ("endpoint[events][0]", "request.created"),
        ("endpoint[events][1]", "invitation.created"),
    ];

    // Loopback targets are refused until an admin allows them.
    let refused = admin.call("/api/create_webhook", &form).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("endpoint[url]") && refused.body.contains("private"),
        "{}",
        refused.body
    );
    let allowed = admin
        .call("/api/set_webhook_targets", &[("allow_private", "on")])
        .await;
    assert_eq!(allowed.status, StatusCode::OK, "{}", allowed.body);
    let made = admin.call("/api/create_webhook", &form).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let id = made
        .header("location")
        .unwrap()
        .trim_start_matches("/admin/webhooks/")
        .split('?')
        .next()
        .unwrap()
        .to_string();

    // A change queues a delivery in its own transaction.
    let mut partner = portal.browser();
    assert_eq!(
        partner
            .request_access("crm", "ann@partner.example", "Ann")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'pending'")
            .await,
        1
    );

    // First try: the receiver answers 500; it is logged and tried again 30 s later, not before.
    assert_eq!(deliver_due(&portal.state, 60).await.unwrap(), 1);
    assert_eq!(received.lock().unwrap().len(), 1);
    assert_eq!(deliver_due(&portal.state, 60).await.unwrap(), 0, "not due yet");
    let detail = admin.call("/api/webhook_detail", &[("endpoint_id", &id)]).await;
    let detail: serde_json::Value = serde_json::from_str(&detail.body).unwrap();
    let delivery = &detail["deliveries"][0];
    assert_eq!(delivery["state"], "pending");
    assert_eq!(delivery["attempts"][0]["status_code"], 500);
    assert_eq!(
        delivery["next_attempt_at"].as_i64().unwrap(),
        crate::support::START + 30
    );
    portal.clock.advance(31);
    assert_eq!(deliver_due(&portal.state, 60).await.unwrap(), 1);

    let secret = detail["secret"].as_str().unwrap();
    assert!(secret.starts_with("whsec_"));
    {
        let got = received.lock().unwrap();
        assert_eq!(got.len(), 2, "the retry arrived");
        let (headers, body) = &got[1];
        assert!(verify(secret, headers, body), "the signature verifies");
        assert!(!verify("whsec_wrong", headers, body));
        assert_eq!(headers["portico-event"], "request.created");
        let payload: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(payload["event"], "request.created");
        assert_eq!(payload["target"]["label"], "ann@partner.example");
        assert_eq!(got[0].1, got[1].1, "the same event both times");
    }
    let detail = admin.call("/api/webhook_detail", &[("endpoint_id", &id)]).await;
    let detail: serde_json::Value = serde_json::from_str(&detail.body).unwrap();
    assert_eq!(detail["deliveries"][0]["state"], "delivered");
    assert_eq!(detail["deliveries"][0]["attempts"].as_array().unwrap().len(), 2);

    // Redeliver sends it once more; events not chosen are not sent; a disabled endpoint gets nothing.
    let delivery_id = detail["deliveries"][0]["id"].as_i64().unwrap().to_string();
    let again = admin
        .call(
            "/api/redeliver_webhook",
            &[("endpoint_id", &id), ("delivery_id", &delivery_id)],
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(deliver_due(&portal.state, 60).await.unwrap(), 1);
    assert_eq!(received.lock().unwrap().len(), 3);
    let off = admin
        .call(
            "/api/webhook_action",
            &[("endpoint_id", &id), ("action", "disable")],
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    assert_eq!(
        partner
            .request_access("crm", "bob@partner.example", "Bob")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(portal.count("SELECT COUNT(*) FROM webhook_deliveries").await, 1);
    for action in ["webhook.created", "webhook.redelivered", "webhook.updated"] {
        assert_eq!(
            portal
                .count(&format!(
                    "SELECT COUNT(*) FROM audit_events WHERE action = '{action}'"
                ))
                .await,
            1,
            "{action}"
        );
    }

    // Owners and partners do not see webhooks.
    let mut stranger = portal.browser();
    assert_eq!(
        stranger.call("/api/admin_webhooks", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );
}

async fn an_endpoint_deleted_mid_delivery_leaves_nothing_behind(db: Db) {
    use storage::integrations::webhooks::{claim_due, record_attempt, AfterAttempt, Attempt};
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    portal.create_resource(&mut admin, "CRM", "crm").await;
    let id = portal.dead_end_webhook(&mut admin).await;
    assert_eq!(
        portal
            .browser()
            .request_access("crm", "ann@partner.example", "Ann")
            .await
            .status,
        StatusCode::OK
    );
    let claimed = claim_due(&portal.state.store, crate::support::START, 60, 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let deleted = admin
        .call(
            "/api/webhook_action",
            &[("endpoint_id", &id), ("action", "delete")],
        )
        .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    let attempt = Attempt {
        delivery_id: claimed[0].id,
        status_code: Some(200),
        latency_ms: 3,
        error: "",
    };
    record_attempt(
        &portal.state.store,
        &attempt,
        AfterAttempt::Delivered,
        crate::support::START,
    )
    .await
    .expect("a try on a deleted endpoint is dropped quietly");
    assert_eq!(portal.count("SELECT COUNT(*) FROM webhook_attempts").await, 0);
    assert_eq!(portal.count("SELECT COUNT(*) FROM webhook_deliveries").await, 0);
}

async fn a_delivery_that_keeps_failing_is_given_up_after_a_day(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    portal.create_resource(&mut admin, "CRM", "crm").await;
    // Nothing listens on port 9 (discard): every try fails to connect.
    portal.dead_end_webhook(&mut admin).await;
    assert_eq!(
        portal
            .browser()
            .request_access("crm", "ann@partner.example", "Ann")
            .await
            .status,
        StatusCode::OK
    );
    let mut tries = 0;
    for _ in 0..60 {
        tries += deliver_due(&portal.state, 60).await.unwrap();
        portal.clock.advance(3600);
    }
    let state = portal
        .count("SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'failed'")
        .await;
    assert_eq!(state, 1, "given up");
    // 30 s, 1, 2, 4, 8, 16, 32 min, then hourly: about 24 tries in the day, none after it.
    assert!((20..=26).contains(&tries), "{tries} tries");
    assert_eq!(
        portal.count("SELECT COUNT(*) FROM webhook_attempts").await,
        tries as i64
    );
    let error = portal.count("SELECT COUNT(*) FROM webhook_attempts WHERE status_code IS NULL AND error LIKE 'could not connect%'").await;
    assert_eq!(error, tries as i64, "each try logged with why it failed");

    // Without the setting, a loopback target is refused before any connection is tried.
    let mut admin = portal.signed_in(crate::support::ADMIN_EMAIL).await;
    assert_eq!(
        admin.call("/api/set_webhook_targets", &[]).await.status,
        StatusCode::OK
    );
    assert_eq!(
        portal
            .browser()
            .request_access("crm", "bob@partner.example", "Bob")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(deliver_due(&portal.state, 60).await.unwrap(), 1);
    let refused = portal
        .count("SELECT COUNT(*) FROM webhook_attempts WHERE error LIKE 'refused: 127.0.0.1%'")
        .await;
    assert_eq!(refused, 1);
}

on_both_databases!(
    signed_deliveries_arrive_and_a_failure_is_retried,
    an_endpoint_deleted_mid_delivery_leaves_nothing_behind,
    a_delivery_that_keeps_failing_is_given_up_after_a_day,
);
