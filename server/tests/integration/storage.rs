//! The storage layer itself, on both engines.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use futures::future::BoxFuture;
use sqlx::Executor;

use rules::audit::event::{Actor, AuditEvent};
use storage::accounts::account::{find_by_email, insert_account, NewAccount};
use storage::audit::audit_events::{insert_audit_event, insert_audit_events};
use storage::batch_writer::BatchWrite;
use storage::{StoreError, StoreResult, Tx};

use crate::on_both_databases;
use crate::support::{Db, TestPortal, ADMIN_EMAIL, START};

async fn migrations_can_run_again_without_harm(db: Db) {
    let portal = TestPortal::start(db).await;
    portal.state.store.migrate().await.expect("second run is a no-op");
}

async fn audit_events_cannot_be_changed_or_deleted(db: Db) {
    let portal = TestPortal::start(db).await;
    let store = &portal.state.store;
    let mut tx = store.begin().await.expect("tx");
    insert_audit_event(
        &mut tx,
        &AuditEvent::new(&Actor::system(), "test.recorded", START),
    )
    .await
    .expect("insert");
    tx.commit().await.expect("commit");

    let update = store
        .read()
        .execute("UPDATE audit_events SET action = 'tampered'")
        .await;
    assert!(update.is_err(), "update must be refused");
    let delete = store.read().execute("DELETE FROM audit_events").await;
    assert!(delete.is_err(), "delete must be refused");
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_events WHERE action = 'test.recorded'")
        .fetch_one(store.read())
        .await
        .expect("count");
    assert_eq!(count, 1);
}

async fn a_taken_email_is_a_conflict(db: Db) {
    let portal = TestPortal::start(db).await;
    let store = &portal.state.store;
    let account = NewAccount {
        email: "bob@example.com",
        display_name: "Bob",
        password_hash: None,
        is_admin: false,
        is_staff: false,
    };
    let mut tx = store.begin().await.expect("tx");
    insert_account(&mut tx, &account, START)
        .await
        .expect("first insert");
    let second = insert_account(&mut tx, &account, START).await;
    assert!(matches!(second, Err(StoreError::Conflict)), "{second:?}");
    drop(tx);
    assert!(
        find_by_email(store.read(), "bob@example.com")
            .await
            .expect("query")
            .is_none(),
        "rolled back"
    );
}

/// A requestable resource `crm` written straight to the database: no change is announced.
async fn insert_crm_behind_the_portals_back(store: &storage::Store) {
    use storage::administration::resources::{insert_resource, ResourceFields};
    let mut tx = store.begin().await.expect("tx");
    let fields = ResourceFields {
        slug: "crm",
        name: "CRM",
        kind: "app",
        description: "",
        is_requestable: true,
    };
    insert_resource(&mut tx, &fields, START).await.expect("insert");
    tx.commit().await.expect("commit");
}

/// The catalog's copy serves until a change is announced, then the next read goes to the
/// database.
async fn the_catalog_copy_is_dropped_when_a_change_is_announced(db: Db) {
    let portal = TestPortal::start(db).await;
    let store = &portal.state.store;
    assert!(store.catalog().await.expect("catalog").resources.is_empty());
    insert_crm_behind_the_portals_back(store).await;
    assert!(
        store.catalog().await.expect("catalog").resources.is_empty(),
        "written behind the portal's back: the copy still serves"
    );
    store.catalog_changed();
    let catalog = store.catalog().await.expect("catalog");
    let crm = catalog.find("crm").expect("read again after the announcement");
    assert_eq!(crm.name, "CRM");
    assert_eq!(catalog.policy_of(crm), catalog.default_policy);
}

/// An old copy read again: the same value while nothing changed (what was drawn from it stays
/// valid), a new one once the database differs; and the old copy serves while one reads.
async fn an_old_catalog_copy_is_read_again_and_kept_if_unchanged(db: Db) {
    use storage::requests::catalog_cache::FRESH_FOR;
    let portal = TestPortal::start(db).await;
    let store = &portal.state.store;
    let first = store.catalog().await.expect("catalog");
    tokio::time::sleep(FRESH_FOR + std::time::Duration::from_millis(100)).await;
    let again = store.catalog().await.expect("catalog");
    assert!(
        std::sync::Arc::ptr_eq(&first, &again),
        "read again, unchanged: the same value"
    );

    insert_crm_behind_the_portals_back(store).await;
    tokio::time::sleep(FRESH_FOR + std::time::Duration::from_millis(100)).await;
    let (a, b) = tokio::join!(store.catalog(), store.catalog());
    let (a, b) = (a.expect("catalog"), b.expect("catalog"));
    assert!(
        a.find("crm").is_some() || b.find("crm").is_some(),
        "one of them read again"
    );
    let now = store.catalog().await.expect("catalog");
    assert!(now.find("crm").is_some(), "and the copy is the new one");
    assert!(!std::sync::Arc::ptr_eq(&first, &now));
}

/// A write for the batch writer's test: an audit event numbered `n`, answered `n * 2`. A
/// batch holding a 3 (mod 10) fails and one holding a 7 panics, after writing.
struct NumberedWrite {
    n: i64,
    largest_batch: Arc<AtomicUsize>,
}

impl BatchWrite for NumberedWrite {
    type Answer = i64;

    fn write_all<'t>(tx: &'t mut Tx, items: &'t [Self]) -> BoxFuture<'t, StoreResult<Vec<i64>>> {
        Box::pin(async move {
            items[0].largest_batch.fetch_max(items.len(), Ordering::SeqCst);
            let events: Vec<AuditEvent> = items
                .iter()
                .map(|w| {
                    AuditEvent::new(&Actor::system(), "test.batched", START).target("write", w.n, "batched")
                })
                .collect();
            insert_audit_events(tx, &events).await?;
            if let Some(w) = items.iter().find(|w| w.n % 10 == 7) {
                panic!("write {} breaks half-way", w.n);
            }
            if items.iter().any(|w| w.n % 10 == 3) {
                return Err(StoreError::Conflict);
            }
            Ok(items.iter().map(|w| w.n * 2).collect())
        })
    }
}

/// Writes through the batch writer: every one that succeeds is kept and answered on its own,
/// one that fails or panics keeps nothing and troubles no other (its batch is undone and each
/// of its writes tried alone), and the writer goes on.
async fn batched_writes_keep_what_succeeded_and_nothing_of_what_failed(db: Db) {
    let portal = TestPortal::start(db).await;
    let store = portal.state.store.clone();
    let largest_batch = Arc::new(AtomicUsize::new(0));
    let mut writes = Vec::new();
    for n in 0..60i64 {
        let store = store.clone();
        let largest_batch = largest_batch.clone();
        writes.push(tokio::spawn(async move {
            store.write_batched(NumberedWrite { n, largest_batch }).await
        }));
    }
    for (n, write) in writes.into_iter().enumerate() {
        match (n % 10, write.await.expect("the caller's task ends")) {
            (3 | 7, Ok(value)) => panic!("write {n} failed but answered {value}"),
            (3 | 7, Err(_)) => {}
            (_, Ok(value)) => assert_eq!(value, n as i64 * 2, "each caller gets its own answer"),
            (_, Err(error)) => panic!("write {n} should have succeeded: {error}"),
        }
    }
    assert!(
        largest_batch.load(Ordering::SeqCst) > 1,
        "writes waiting together were written together"
    );
    let kept: Vec<(String,)> =
        sqlx::query_as("SELECT target_id FROM audit_events WHERE action = 'test.batched'")
            .fetch_all(store.read())
            .await
            .expect("events");
    let mut kept: Vec<i64> = kept.iter().map(|(n,)| n.parse().expect("number")).collect();
    kept.sort_unstable();
    let expected: Vec<i64> = (0..60).filter(|n| n % 10 != 3 && n % 10 != 7).collect();
    assert_eq!(kept, expected);
    let after = store
        .write_batched(NumberedWrite {
            n: 100,
            largest_batch,
        })
        .await;
    assert_eq!(after.expect("the writer goes on"), 200);
}

on_both_databases!(
    batched_writes_keep_what_succeeded_and_nothing_of_what_failed,
    an_old_catalog_copy_is_read_again_and_kept_if_unchanged,
    abandoned_transaction_starts_leave_the_writer_usable,
    migrations_can_run_again_without_harm,
    audit_events_cannot_be_changed_or_deleted,
    a_taken_email_is_a_conflict,
    the_catalog_copy_is_dropped_when_a_change_is_announced,
    a_connection_dropped_while_idle_is_replaced_before_use,
);

/// Transaction starts abandoned at any point (their requests dropped by clients hanging up)
/// must leave the writer usable for everyone after them. sqlx's `begin` alone did not: one
/// unlucky drop left SQLite's single write connection refusing every later transaction.
async fn abandoned_transaction_starts_leave_the_writer_usable(db: Db) {
    let portal = TestPortal::start(db).await;
    let store = portal.state.store.clone();
    let mut writers = Vec::new();
    for writer in 0..16u64 {
        let store = store.clone();
        writers.push(tokio::spawn(async move {
            for round in 0..150u64 {
                // Give up on the start after 0 to ~1 ms, at a different point each time.
                let patience = std::time::Duration::from_micros((writer * 37 + round * 101) % 1200);
                if let Ok(Ok(tx)) = tokio::time::timeout(patience, store.begin()).await {
                    tx.commit().await.expect("commit");
                }
            }
        }));
    }
    for writer in writers {
        writer.await.expect("writer");
    }
    for _ in 0..3 {
        let mut tx = store.begin().await.expect("a later transaction starts");
        insert_audit_event(
            &mut tx,
            &AuditEvent::new(&Actor::system(), "test.after_abandon", START),
        )
        .await
        .expect("insert");
        tx.commit().await.expect("commit");
    }
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_events WHERE action = 'test.after_abandon'")
            .fetch_one(store.read())
            .await
            .expect("count");
    assert_eq!(count, 3);
}

/// The store's pools and the session store's do not ping a connection each time they hand it
/// out (a round trip before every transaction), only one that sat idle: a PostgreSQL connection
/// the server dropped meanwhile is replaced before use, not handed to a request. SQLite's connections live in
/// the process and cannot be dropped like that.
async fn a_connection_dropped_while_idle_is_replaced_before_use(db: Db) {
    let portal = TestPortal::start(db).await;
    let store = &portal.state.store;
    if store.engine() != storage::Engine::Postgres {
        return;
    }
    // A signed-in admin: the sessions' pool has a connection too.
    portal.admin().await;
    // Every connection of this test's own database (the store's and the sessions' pools) ends.
    store.ping().await.expect("the pool has a connection");
    let mut outside = <sqlx::PgConnection as sqlx::Connection>::connect(store.url())
        .await
        .expect("a connection of its own");
    let pids: Vec<(i32,)> = sqlx::query_as(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .fetch_all(&mut outside)
    .await
    .expect("the pool's connections");
    assert!(!pids.is_empty());
    for (pid,) in pids {
        sqlx::query("SELECT pg_terminate_backend($1)")
            .bind(pid)
            .execute(&mut outside)
            .await
            .expect("terminate");
    }
    tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;

    let (one,): (i32,) = sqlx::query_as("SELECT 1")
        .fetch_one(store.read())
        .await
        .expect("the dropped connection was replaced");
    assert_eq!(one, 1);
    // The session store's pool replaced its dropped connection as well: a sign-in saves a new
    // session (with the dead connection, the save failed and the sign-in answered 500).
    let mut again = portal.signed_in(ADMIN_EMAIL).await;
    assert_eq!(again.signed_in_as().await.as_deref(), Some(ADMIN_EMAIL));
}
