//! How the SQLite store is tuned: its pragmas and its checkpoints. Each test answers at once on
//! PostgreSQL, which has none of these.

use rules::audit::event::{Actor, AuditEvent};
use storage::audit::audit_events::insert_audit_events;
use storage::checkpoints::{INTERVAL, RESTART_PAGES};
use storage::{Engine, Store};

use crate::on_both_databases;
use crate::support::{Db, TestPortal, START};

async fn sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(db: Db) {
    let portal = TestPortal::start(db).await;
    let store = &portal.state.store;
    if store.engine() != Engine::Sqlite {
        assert_eq!(store.engine(), Engine::Postgres);
        return;
    }
    let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
        .fetch_one(store.read())
        .await
        .expect("pragma");
    assert_eq!(mode, "wal");
    let (fk,): (i64,) = sqlx::query_as("PRAGMA foreign_keys")
        .fetch_one(store.read())
        .await
        .expect("pragma");
    assert_eq!(fk, 1);
    let (timeout,): (i64,) = sqlx::query_as("PRAGMA busy_timeout")
        .fetch_one(store.read())
        .await
        .expect("pragma");
    assert!(timeout >= 5000, "{timeout}");
}

/// The write connection never stops to copy the log back into the database file: a task of its
/// own does that beside it (storage/src/checkpoints.rs). Rows written only through the write
/// connection reach the database file all the same, also after the task sat idle (it runs no
/// round while nothing is written).
async fn sqlite_checkpoints_run_beside_the_writer(db: Db) {
    let portal = TestPortal::start(db).await;
    let store = &portal.state.store;
    if store.engine() != Engine::Sqlite {
        return;
    }
    let mut tx = store.begin().await.expect("tx");
    let (on_commit,): (i64,) = sqlx::query_as("PRAGMA wal_autocheckpoint")
        .fetch_one(&mut *tx)
        .await
        .expect("pragma");
    assert_eq!(on_commit, 0, "the writer does not checkpoint");
    // Nor does it cut the log's file back at every restart, only past twice the restart size.
    let (limit,): (i64,) = sqlx::query_as("PRAGMA journal_size_limit")
        .fetch_one(&mut *tx)
        .await
        .expect("pragma");
    let (page_size,): (i64,) = sqlx::query_as("PRAGMA page_size")
        .fetch_one(&mut *tx)
        .await
        .expect("pragma");
    assert!(limit >= 2 * RESTART_PAGES * page_size, "{limit}");
    tx.commit().await.expect("commit");
    // Rounds that find the whole log copied back, then rounds skipped while nothing is written.
    tokio::time::sleep(4 * INTERVAL).await;
    let path = store.url().trim_start_matches("sqlite://");
    let path = std::path::PathBuf::from(path.split('?').next().expect("path"));
    let before = std::fs::metadata(&path).expect("database file").len();
    for batch in 0..20 {
        let events: Vec<AuditEvent> = (0..100)
            .map(|n| {
                AuditEvent::new(&Actor::system(), "test.checkpointed", START).target(
                    "write",
                    batch * 100 + n,
                    &"x".repeat(500),
                )
            })
            .collect();
        let mut tx = store.begin().await.expect("tx");
        insert_audit_events(&mut tx, &events).await.expect("insert");
        tx.commit().await.expect("commit");
    }
    let waited = std::time::Instant::now();
    while std::fs::metadata(&path).expect("database file").len() <= before {
        assert!(
            waited.elapsed() < std::time::Duration::from_secs(5),
            "nothing was copied back into the database file"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// A connection of its own for the checkpoint task's passive rounds, as the store makes one.
async fn checkpoint_connection(store: &Store) -> sqlx::AnyPool {
    sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(store.url())
        .await
        .expect("checkpoint connection")
}

/// A restart of the log waits for readers still in it while it holds the writer back, so it
/// waits only briefly (RESTART_PATIENCE) and gives up until its next round rather than keep
/// every writer waiting for SQLite's usual 5 s.
async fn a_log_restart_gives_up_soon_rather_than_hold_the_writer(db: Db) {
    use storage::checkpoints::checkpoint;
    let portal = TestPortal::start(db).await;
    let store = &portal.state.store;
    if store.engine() != Engine::Sqlite {
        return;
    }
    let checkpointer = checkpoint_connection(store).await;
    let write_events = |first: i64| async move {
        let events: Vec<AuditEvent> = (first..first + 50)
            .map(|n| AuditEvent::new(&Actor::system(), "test.restarted", START).target("write", n, "x"))
            .collect();
        let mut tx = store.begin().await.expect("tx");
        insert_audit_events(&mut tx, &events).await.expect("insert");
        tx.commit().await.expect("commit");
    };
    write_events(0).await;
    // A reader whose snapshot is in the log, then more writes after it.
    let mut reader = store.read().begin().await.expect("read tx");
    let (seen,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_events WHERE action = 'test.restarted'")
        .fetch_one(&mut *reader)
        .await
        .expect("read");
    assert_eq!(seen, 50);
    write_events(50).await;

    let started = std::time::Instant::now();
    let restarted = checkpoint(&checkpointer, store.writer(), 0)
        .await
        .expect("checkpoint");
    assert!(
        !restarted,
        "the reader still in the log keeps it from starting again"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "the restart waited {:?} for the reader (SQLite's usual patience is 5 s)",
        started.elapsed()
    );
    // The restart ran on the write connection, which has its usual patience back.
    let (patience,): (i64,) = sqlx::query_as("PRAGMA busy_timeout")
        .fetch_one(store.writer())
        .await
        .expect("pragma");
    assert_eq!(patience, 5000, "the write connection's usual patience is back");

    reader.rollback().await.expect("end the read");
    let restarted = restarts_within_rounds(&checkpointer, store.writer()).await;
    assert!(restarted, "with no reader left the log starts again");
    write_events(100).await;
    let (written,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_events WHERE action = 'test.restarted'")
            .fetch_one(store.read())
            .await
            .expect("count");
    assert_eq!(written, 150, "the writer goes on after the restart");
    checkpointer.close().await;
}

/// The write connection keeps statement journals in memory: a multi-row insert's journal spilled
/// to a temporary file past 64 KiB, a file created and deleted per batch. The readers keep the
/// default, so a large sort of theirs spills to disk rather than to memory.
async fn the_sqlite_writer_keeps_statement_journals_in_memory(db: Db) {
    let portal = TestPortal::start(db).await;
    let store = &portal.state.store;
    if store.engine() != Engine::Sqlite {
        return;
    }
    let temp_store = |pool: &sqlx::AnyPool| {
        let pool = pool.clone();
        async move {
            let (mode,): (i64,) = sqlx::query_as("PRAGMA temp_store")
                .fetch_one(&pool)
                .await
                .expect("pragma");
            mode
        }
    };
    assert_eq!(temp_store(store.writer()).await, 2, "the writer: MEMORY");
    assert_eq!(temp_store(store.read()).await, 0, "a reader: the default");
    // A statement journal far past 64 KiB, and the writer goes on.
    let events: Vec<AuditEvent> = (0..200)
        .map(|n| {
            AuditEvent::new(&Actor::system(), "test.journalled", START).target("write", n, &"x".repeat(2_000))
        })
        .collect();
    let mut tx = store.begin().await.expect("tx");
    insert_audit_events(&mut tx, &events).await.expect("insert");
    tx.commit().await.expect("commit");
    let (written,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_events WHERE action = 'test.journalled'")
            .fetch_one(store.read())
            .await
            .expect("count");
    assert_eq!(written, 200);
}

/// A restart takes the write connection like any write: it waits in the pool for a write
/// transaction to end (and the next write waits for it the same way), rather than failing as
/// busy or leaving writers asleep in SQLite's busy handler.
async fn a_log_restart_queues_for_the_write_connection(db: Db) {
    use storage::checkpoints::checkpoint;
    let portal = TestPortal::start(db).await;
    let store = portal.state.store.clone();
    if store.engine() != Engine::Sqlite {
        return;
    }
    let checkpointer = checkpoint_connection(&store).await;
    let checkpointer_again = checkpointer.clone();
    let mut tx = store.begin().await.expect("tx");
    let event = AuditEvent::new(&Actor::system(), "test.queued", START);
    insert_audit_events(&mut tx, std::slice::from_ref(&event))
        .await
        .expect("insert");

    let restart = tokio::spawn({
        let store = store.clone();
        async move { checkpoint(&checkpointer, store.writer(), 0).await }
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(
        !restart.is_finished(),
        "the restart waits for the write transaction to end"
    );
    tx.commit().await.expect("commit");
    let restarted = restart.await.expect("task").expect("checkpoint")
        || restarts_within_rounds(&checkpointer_again, store.writer()).await;
    assert!(restarted, "then it has its turn and starts the log again");
}

/// Runs restarts as the checkpoint task does, a round at a time, until one starts the log again
/// (at most 20 rounds). The store's own task runs beside the test's, and a restart that finds it
/// in the middle of a passive round gives up after RESTART_PATIENCE like any other: on a loaded
/// CI machine that happened once. The task then tries again next round, and so does the test.
async fn restarts_within_rounds(checkpointer: &sqlx::AnyPool, writer: &sqlx::AnyPool) -> bool {
    for _ in 0..20 {
        if storage::checkpoints::checkpoint(checkpointer, writer, 0)
            .await
            .expect("checkpoint")
        {
            return true;
        }
        tokio::time::sleep(INTERVAL / 4).await;
    }
    false
}

/// Writes `count` audit events, each in a transaction of its own.
async fn write_events(store: &Store, count: i64) {
    for n in 0..count {
        let event = AuditEvent::new(&Actor::system(), "test.flushed", START).target("write", n, "x");
        let mut tx = store.begin().await.expect("tx");
        insert_audit_events(&mut tx, &[event]).await.expect("insert");
        tx.commit().await.expect("commit");
    }
}

/// Before a restart the checkpoint task flushes the database to disk itself, off the writer
/// (`checkpoints::flush_to_disk`), and that must leave SQLite's own locks alone: another process
/// that opens the database afterwards (an admin's `sqlite3`, `make bench`'s queries) must still
/// see the portal's connections and leave the log to them. A first version synced the two files
/// through descriptors of its own; closing one dropped SQLite's locks on the file, and the other
/// process, believing itself alone, deleted the log on its way out.
async fn flushing_keeps_the_database_safe_from_other_processes(db: Db) {
    use storage::checkpoints::flush_to_disk;
    let portal = TestPortal::start(db).await;
    let store = &portal.state.store;
    if store.engine() != Engine::Sqlite {
        return;
    }
    write_events(store, 10).await;
    let checkpointer = checkpoint_connection(store).await;
    flush_to_disk(&checkpointer).await.expect("flushed");
    let database = portal.folder.path().join("portico.db");
    let log = portal.folder.path().join("portico.db-wal");
    assert!(log.exists(), "the portal writes through a log");

    let python = crate::support::test_python();
    let read = "import sqlite3, sys\n\
                c = sqlite3.connect(sys.argv[1])\n\
                print(c.execute(\"SELECT COUNT(*) FROM audit_events WHERE action = 'test.flushed'\").fetchone()[0])\n\
                c.close()";
    let other = std::process::Command::new(python)
        .args(["-c", read])
        .arg(&database)
        .output()
        .expect("python runs");
    assert!(
        other.status.success(),
        "{}",
        String::from_utf8_lossy(&other.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&other.stdout).trim(), "10");
    assert!(
        log.exists(),
        "the other process took the log for its own and deleted it"
    );

    // The portal writes and reads on as before.
    write_events(store, 5).await;
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_events WHERE action = 'test.flushed'")
        .fetch_one(store.read())
        .await
        .expect("count");
    assert_eq!(count, 15);
    checkpointer.close().await;
}

on_both_databases!(
    flushing_keeps_the_database_safe_from_other_processes,
    sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout,
    a_log_restart_queues_for_the_write_connection,
    sqlite_checkpoints_run_beside_the_writer,
    a_log_restart_gives_up_soon_rather_than_hold_the_writer,
    the_sqlite_writer_keeps_statement_journals_in_memory,
);
