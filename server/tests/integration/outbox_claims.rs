//! The mail worker's claim on the outbox: which messages it takes, and how the database finds
//! them (it runs for every 20 emails, also while thousands wait).

use app::store::outbox::{claim_due, due_ids, enqueue, OutboxMessage};
use app::store::Engine;

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

async fn the_claim_takes_the_oldest_due_messages_first(db: Db) {
    let portal = TestPortal::start(db).await;
    // Due times out of order; the last five are not due yet.
    queue(&portal, 30, |n| {
        if n >= 25 {
            START + 1_000
        } else {
            START - (n * 7) % 25
        }
    })
    .await;

    let claimed = claim_due(&portal.state.store, START, 60, 20)
        .await
        .expect("claim");
    let mut expected: Vec<(i64, String)> = (0..25)
        .map(|n| (START - (n * 7) % 25, format!("Message {n}")))
        .collect();
    expected.sort();
    let expected: Vec<String> = expected.into_iter().take(20).map(|(_, s)| s).collect();
    let got: Vec<String> = claimed.iter().map(|m| m.subject.clone()).collect();
    assert_eq!(got, expected);

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

/// The claim walks the due index in its order and stops after its limit: no sort of every
/// waiting message, whatever the statistics say (here none were ever taken).
async fn the_claim_reads_the_due_index_in_order_without_a_sort(db: Db) {
    let portal = TestPortal::start(db).await;
    queue(&portal, 500, |n| START - 500 + n / 50).await;
    let store = &portal.state.store;
    let explain = match store.engine() {
        Engine::Postgres => "EXPLAIN",
        Engine::Sqlite => "EXPLAIN QUERY PLAN",
    };
    let sql = format!("{explain} {}", due_ids(store.engine()));
    let rows = sqlx::query(&sql)
        .bind(START)
        .bind(START + 60)
        .bind(20_i64)
        .fetch_all(store.read())
        .await
        .expect("explain");
    let plan: Vec<String> = rows
        .iter()
        .map(|row| {
            use sqlx::Row;
            let column = row.columns().len() - 1;
            row.try_get::<String, _>(column).expect("plan text")
        })
        .collect();
    let plan = plan.join("\n");
    assert!(plan.contains("outbox_messages_due"), "{plan}");
    assert!(!plan.to_uppercase().contains("SORT"), "{plan}");
    assert!(!plan.contains("TEMP B-TREE"), "{plan}");
}

on_both_databases!(
    the_claim_takes_the_oldest_due_messages_first,
    the_claim_reads_the_due_index_in_order_without_a_sort,
);
