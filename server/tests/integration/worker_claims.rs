//! The background workers' claims on their queues (the mail worker's outbox, the webhook
//! worker's deliveries): which rows they take, and how the database finds them (a claim runs for
//! every 20 emails or deliveries, also while thousands wait).

use std::ops::Range;

use app::api::session::mail_context;
use services::invitations::bulk::process_queued;
use sqlx::Row;
use storage::integrations::webhooks::{
    self, due_delivery_ids, enqueue_events, insert_endpoint, NewEndpoint, WebhookEvent, CLAIM_DELIVERY,
};
use storage::outbox::{claim_by_id, claim_due, due_ids, enqueue_timed, OutboxMessage};
use storage::{Engine, Store};

use crate::on_both_databases;
use crate::support::{Db, TestPortal, START};

/// Queues messages number `numbers`, the n-th due at `due(n)`.
async fn queue(portal: &TestPortal, numbers: Range<i64>, due: impl Fn(i64) -> i64) {
    let messages: Vec<(OutboxMessage, i64)> = numbers
        .map(|n| {
            let message = OutboxMessage {
                idempotency_key: format!("test.{n}"),
                to_address: format!("p{n}@partner.example"),
                subject: format!("Message {n}"),
                text_body: "x".into(),
                html_body: "x".into(),
            };
            (message, due(n))
        })
        .collect();
    let timed: Vec<(&OutboxMessage, i64)> = messages.iter().map(|(m, at)| (m, *at)).collect();
    let mut tx = portal.state.store.begin().await.expect("tx");
    enqueue_timed(&mut tx, &timed).await.expect("queued");
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
    queue(&portal, 0..30, shuffled_due).await;

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

/// The plans the database picks for `statements`, each run with its two numbers bound, as
/// text. Asked on the write connection, where the claims run: a SQLite connection loads the
/// statistics when it opens or itself runs ANALYZE, so the readers opened earlier still plan
/// without them.
async fn plans(store: &Store, statements: &[(&str, i64, i64)]) -> String {
    let mut lines = Vec::new();
    for (sql, first, second) in statements {
        let sql = match store.engine() {
            Engine::Postgres => format!("EXPLAIN {sql}"),
            Engine::Sqlite => format!("EXPLAIN QUERY PLAN {sql}"),
        };
        let rows = sqlx::query(&sql)
            .bind(*first)
            .bind(*second)
            .fetch_all(store.writer())
            .await
            .expect("explain");
        for row in rows {
            let column = row.columns().len() - 1;
            lines.push(row.try_get::<String, _>(column).expect("plan text"));
        }
    }
    lines.join("\n")
}

/// Asserts that `plan` reads `index` and sorts nothing.
fn assert_walks_index(plan: &str, index: &str) {
    assert!(plan.contains(index), "{plan}");
    assert_sorts_nothing(plan);
}

fn assert_sorts_nothing(plan: &str) {
    assert!(!plan.to_uppercase().contains("SORT"), "{plan}");
    assert!(!plan.contains("TEMP B-TREE"), "{plan}");
}

/// Asserts that `plan` reads no row of `table` but through an index.
fn assert_scans_nothing_of(plan: &str, table: &str) {
    assert!(!plan.contains(&format!("SCAN {table}")), "{plan}");
    assert!(!plan.contains(&format!("Seq Scan on {table}")), "{plan}");
}

/// Asserts that a claim's `statements` walk its due `index` and read nothing of `table` but
/// through an index.
async fn assert_claim_uses_indexes(store: &Store, statements: &[(&str, i64, i64)], index: &str, table: &str) {
    let plans = plans(store, statements).await;
    assert_walks_index(&plans, index);
    assert_scans_nothing_of(&plans, table);
}

/// Statistics as a fresh deployment's: taken while the queues held next to nothing (by an
/// ANALYZE or PRAGMA optimize early in its life, or by `make bench` after seeding). SQLite
/// believes them until the next ANALYZE, however large the table has grown since.
async fn analyze(store: &Store) {
    sqlx::query("ANALYZE")
        .execute(store.writer())
        .await
        .expect("analyze");
}

/// Every statement of the mail worker's claim finds its rows through an index: the due ids by
/// walking the due index in its order and stopping after the limit (no sort of every waiting
/// message), the messages themselves by id (no scan of the table, which keeps every message
/// ever sent). Whatever the statistics say: here they were taken while the outbox held two
/// messages, and 5,000 arrived after. SQLite planned its former one-statement claim as a scan
/// of the whole table then.
async fn the_claim_finds_its_rows_through_indexes_whatever_the_statistics(db: Db) {
    let portal = TestPortal::start(db).await;
    let store = &portal.state.store;
    queue(&portal, 0..2, |_| START - 10_000).await;
    analyze(store).await;
    queue(&portal, 2..5_002, |n| START - 5_000 + n / 50).await;

    let (due, by_id) = (due_ids(store.engine()), claim_by_id());
    let claim = [(due.as_str(), START, 20), (by_id.as_str(), 3_000, START + 60)];
    assert_claim_uses_indexes(store, &claim, "outbox_messages_due", "outbox_messages").await;
}

/// Makes one webhook endpoint (and the first admin, who makes it) for `request.submitted`.
async fn webhook_endpoint(portal: &TestPortal) {
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
    tx.commit().await.expect("commit");
}

/// Queues deliveries number `numbers` to the endpoint, the n-th due at `due(n)`, with payload
/// `n`.
async fn queue_deliveries(portal: &TestPortal, numbers: Range<i64>, due: impl Fn(i64) -> i64) {
    let mut tx = portal.state.store.begin().await.expect("tx");
    let events: Vec<WebhookEvent> = numbers
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
    webhook_endpoint(&portal).await;
    queue_deliveries(&portal, 0..30, shuffled_due).await;

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

/// The webhook claim walks the due index in its order and stops after its limit, whatever the
/// statistics say (taken here with two deliveries waiting, then 5,000 more), and then finds
/// each delivery by its id.
async fn the_webhook_claim_reads_the_due_index_whatever_the_statistics(db: Db) {
    let portal = TestPortal::start(db).await;
    let store = &portal.state.store;
    webhook_endpoint(&portal).await;
    queue_deliveries(&portal, 0..2, |_| START - 10_000).await;
    analyze(store).await;
    queue_deliveries(&portal, 2..5_002, |n| START - 5_000 + n / 50).await;
    let due = due_delivery_ids(store.engine());
    let claim = [(due.as_str(), START, 20), (CLAIM_DELIVERY, 3_000, START + 60)];
    assert_claim_uses_indexes(store, &claim, "webhook_deliveries_due", "webhook_deliveries").await;
}

/// An idle worker looks for work twice a second. The look reads; only work found takes the
/// writer (on SQLite the one write connection, which this test holds all along until the end).
async fn an_idle_worker_looks_without_taking_the_writer(db: Db) {
    let portal = TestPortal::start(db).await;
    let store = &portal.state.store;
    let now = portal.state.clock.now();
    let held = store.begin().await.expect("the writer");
    let quickly = |what: &str| format!("{what} waited for the writer with nothing to do");
    let patience = std::time::Duration::from_secs(2);
    let messages = tokio::time::timeout(patience, claim_due(store, now, 60, 20))
        .await
        .unwrap_or_else(|_| panic!("{}", quickly("the outbox's claim")))
        .expect("claim");
    assert!(messages.is_empty());
    let deliveries = tokio::time::timeout(patience, webhooks::claim_due(store, now, 60, 20))
        .await
        .unwrap_or_else(|_| panic!("{}", quickly("the webhooks' claim")))
        .expect("claim");
    assert!(deliveries.is_empty());
    let mail = mail_context(&portal.state);
    let invited = tokio::time::timeout(patience, process_queued(store, &mail, now, 25))
        .await
        .unwrap_or_else(|_| panic!("{}", quickly("the bulk invites' round")))
        .expect("round");
    assert_eq!(invited, 0);
    held.rollback().await.expect("writer back");

    // With something due, the claim takes it as before.
    queue(&portal, 0..1, |_| now - 1).await;
    let claimed = claim_due(store, now, 60, 20).await.expect("claim");
    assert_eq!(claimed.len(), 1);
}

on_both_databases!(
    an_idle_worker_looks_without_taking_the_writer,
    the_claim_takes_the_oldest_due_messages_first,
    the_claim_finds_its_rows_through_indexes_whatever_the_statistics,
    the_webhook_claim_takes_the_oldest_due_deliveries_first,
    the_webhook_claim_reads_the_due_index_whatever_the_statistics,
);
