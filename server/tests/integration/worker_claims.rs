//! The background workers' claims on their queues (the mail worker's outbox, the webhook
//! worker's deliveries): which rows they take, and how the database finds them (a claim runs for
//! every 20 emails or deliveries, also while thousands wait).

use app::store::outbox::{claim_due, due_ids, enqueue, OutboxMessage};
use app::store::webhooks::{
    self, due_deliveries, enqueue_events, insert_endpoint, NewEndpoint, WebhookEvent,
};
use app::store::{Engine, Store};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, Row};

use crate::on_both_databases;
use crate::support::{Db, TestPortal, START};

/// Queues `count` messages, the n-th due at `due(n)`.
async fn queue(portal: &TestPortal, count: i64, due: impl Fn(i64) -> i64) {
    let mut tx = portal.state.store.begin().await.expect("tx");
    for n in 0..count {
        let message = OutboxMessage {
            idempotency_key: format!("test.{n}"),
            to_address: format!("p{n}@partner.example"),
            subject: format!("Message {n}"),
            text_body: "x".into(),
            html_body: "x".into(),
        };
        enqueue(&mut tx, &message, due(n)).await.expect("queued");
    }
    tx.commit().await.expect("commit");
}

/// Due times out of order for 30 rows: the first 25 due at distinct times before START, the
/// last five not yet due.
fn shuffled_due(n: i64) -> i64 {
    if n >= 25 {
        START + 1_000
    } else {
        START - (n * 7) % 25
    }
}

/// What a claim of 20 should take from [`shuffled_due`] rows, oldest first, each named by
/// `name(n)`.
fn oldest_twenty(name: impl Fn(i64) -> String) -> Vec<String> {
    let mut due: Vec<(i64, String)> = (0..25).map(|n| (shuffled_due(n), name(n))).collect();
    due.sort();
    due.into_iter().take(20).map(|(_, name)| name).collect()
}

async fn the_claim_takes_the_oldest_due_messages_first(db: Db) {
    let portal = TestPortal::start(db).await;
    queue(&portal, 30, shuffled_due).await;

    let claimed = claim_due(&portal.state.store, START, 60, 20)
        .await
        .expect("claim");
    let got: Vec<String> = claimed.iter().map(|m| m.subject.clone()).collect();
    assert_eq!(got, oldest_twenty(|n| format!("Message {n}")));

    // The rest that is due, then nothing: the claimed are leased, the others not due.
    let rest = claim_due(&portal.state.store, START, 60, 20)
        .await
        .expect("claim");
    assert_eq!(rest.len(), 5);
    assert!(claim_due(&portal.state.store, START, 60, 20)
        .await
        .expect("claim")
        .is_empty());
}

/// The plan the database picks for `query` (its statement prefixed with EXPLAIN), as text.
async fn plan<'q>(store: &Store, query: Query<'q, Any, AnyArguments<'q>>) -> String {
    let rows = query.fetch_all(store.read()).await.expect("explain");
    let lines: Vec<String> = rows
        .iter()
        .map(|row| {
            let column = row.columns().len() - 1;
            row.try_get::<String, _>(column).expect("plan text")
        })
        .collect();
    lines.join("\n")
}

fn explain(store: &Store, sql: &str) -> String {
    match store.engine() {
        Engine::Postgres => format!("EXPLAIN {sql}"),
        Engine::Sqlite => format!("EXPLAIN QUERY PLAN {sql}"),
    }
}

/// Asserts that `plan` reads `index` and sorts nothing.
fn assert_walks_index(plan: &str, index: &str) {
    assert!(plan.contains(index), "{plan}");
    assert!(!plan.to_uppercase().contains("SORT"), "{plan}");
    assert!(!plan.contains("TEMP B-TREE"), "{plan}");
}

/// The claim walks the due index in its order and stops after its limit: no sort of every
/// waiting message, whatever the statistics say (here none were ever taken).
async fn the_claim_reads_the_due_index_in_order_without_a_sort(db: Db) {
    let portal = TestPortal::start(db).await;
    queue(&portal, 500, |n| START - 500 + n / 50).await;
    let store = &portal.state.store;
    let sql = explain(store, &due_ids(store.engine()));
    let query = sqlx::query(&sql).bind(START).bind(START + 60).bind(20_i64);
    assert_walks_index(&plan(store, query).await, "outbox_messages_due");
}

/// Queues `count` webhook deliveries to one endpoint (made by the first admin), the n-th due
/// at `due(n)`, with payload `n`.
async fn queue_deliveries(portal: &TestPortal, count: i64, due: impl Fn(i64) -> i64) {
    let store = &portal.state.store;
    portal.admin().await;
    let (admin_id,): (i64,) = sqlx::query_as("SELECT id FROM accounts")
        .fetch_one(store.read())
        .await
        .expect("the admin");
    let mut tx = store.begin().await.expect("tx");
    let endpoint = NewEndpoint {
        url: "https://hooks.partner.example/portico",
        secret: "a-secret-of-at-least-some-length",
        events: "request.submitted",
        description: "claims",
        created_by: admin_id,
    };
    insert_endpoint(&mut tx, &endpoint, START)
        .await
        .expect("endpoint");
    let events: Vec<WebhookEvent> = (0..count)
        .map(|n| WebhookEvent {
            event: "request.submitted",
            payload: n.to_string(),
            at: due(n),
        })
        .collect();
    enqueue_events(&mut tx, &events).await.expect("queued");
    tx.commit().await.expect("commit");
}

async fn the_webhook_claim_takes_the_oldest_due_deliveries_first(db: Db) {
    let portal = TestPortal::start(db).await;
    let store = &portal.state.store;
    queue_deliveries(&portal, 30, shuffled_due).await;

    let claimed = webhooks::claim_due(store, START, 60, 20).await.expect("claim");
    let got: Vec<String> = claimed.iter().map(|d| d.payload.clone()).collect();
    assert_eq!(got, oldest_twenty(|n| n.to_string()));

    let rest = webhooks::claim_due(store, START, 60, 20).await.expect("claim");
    assert_eq!(rest.len(), 5);
    assert!(webhooks::claim_due(store, START, 60, 20)
        .await
        .expect("claim")
        .is_empty());
}

async fn the_webhook_claim_reads_the_due_index_in_order_without_a_sort(db: Db) {
    let portal = TestPortal::start(db).await;
    let store = &portal.state.store;
    queue_deliveries(&portal, 500, |n| START - 500 + n / 50).await;
    let sql = explain(store, &due_deliveries(store.engine()));
    let query = sqlx::query(&sql).bind(START).bind(20_i64);
    assert_walks_index(&plan(store, query).await, "webhook_deliveries_due");
}

on_both_databases!(
    the_claim_takes_the_oldest_due_messages_first,
    the_claim_reads_the_due_index_in_order_without_a_sort,
    the_webhook_claim_takes_the_oldest_due_deliveries_first,
    the_webhook_claim_reads_the_due_index_in_order_without_a_sort,
);
