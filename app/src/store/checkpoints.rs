//! SQLite checkpoints, off the writer's path.
//!
//! In WAL mode every commit appends the pages it changed to the write-ahead log, and a
//! checkpoint copies them back into the database file and syncs it. By default the connection
//! whose commit takes the log past 1,000 pages runs that checkpoint itself, inside its commit:
//! with one write connection, the portal's only writer stopped for the copy and the two `fsync`s
//! every few batches. With Python's sqlite3 running the portal's batched submission statements
//! on a copy of the `make bench` database, that was half of the writer's time: 1,835-1,896/s at
//! 47-52% of one core; with the checkpoints on a second connection in a thread of their own,
//! 3,438-4,451/s at 85-100%.
//!
//! So the write connection never checkpoints (`wal_autocheckpoint = 0`), and this task does, on
//! a connection of its own (and so a thread of its own in sqlx): a `PASSIVE` checkpoint every
//! [`INTERVAL`], which copies what it can without stopping anyone. Under a steady stream of writes
//! a passive checkpoint never catches up with the end of the log, and the log only starts again
//! from its beginning once one has, so when the log passes [`RESTART_PAGES`] the task runs a
//! `RESTART` checkpoint, which waits for the writer to finish its transaction and holds the next
//! one back while it copies the rest (little, right after a passive one) and readers leave the
//! log. That wait is bounded by [`RESTART_PATIENCE`]: a restart that cannot have its turn soon
//! gives up, and the next round tries again. `journal_size_limit` then truncates the file.
//!
//! The restart runs on the write connection itself, taken from its pool like any write. Run
//! from this task's own connection, it held SQLite's write lock while writers waited in SQLite's
//! busy handler, which sleeps in growing steps (1, 2, 5, 10, 15, 20 ms) rather than waking when
//! the lock is free: a restart of 16 to 42 ms kept the next write waiting 22 to 47 ms (sqlx's
//! statement log under `make bench`'s submissions). Queued in the pool, the next write starts
//! the moment the restart gives the connection back; the submission p99 went from 51 to 56 ms
//! to 36 to 51 ms side by side.

use std::time::Duration;

use sqlx::AnyPool;
use tokio::sync::mpsc;

use super::{set_busy_timeout, SQLITE_BUSY_TIMEOUT};

/// How often the log is copied back.
pub const INTERVAL: Duration = Duration::from_millis(200);

/// Log pages (4 KiB each) past which the log is started again from its beginning.
pub const RESTART_PAGES: i64 = 16_384;

/// How long a restart, holding the write connection, may wait for readers still in the log
/// before it gives up for a round (it waits for the writer's transaction in the pool instead).
pub const RESTART_PATIENCE: Duration = Duration::from_millis(10);

/// Starts the task on `pool` (one connection of its own, for the passive rounds) with the
/// store's `writer` pool for the restarts. It stops when `stop` has no sender left (the store is
/// gone) or the pool is closed.
pub fn start(pool: AnyPool, writer: AnyPool, stop: mpsc::Receiver<()>) {
    tokio::spawn(run(pool, writer, stop));
}

async fn run(pool: AnyPool, writer: AnyPool, mut stop: mpsc::Receiver<()>) {
    loop {
        tokio::select! {
            _ = stop.recv() => return,
            _ = tokio::time::sleep(INTERVAL) => {}
        }
        if pool.is_closed() {
            return;
        }
        match checkpoint(&pool, &writer, RESTART_PAGES).await {
            Ok(true) => tracing::debug!("SQLite log started again from its beginning"),
            Ok(false) => {}
            Err(_) if pool.is_closed() || writer.is_closed() => return,
            Err(error) => tracing::warn!(%error, "SQLite checkpoint failed; trying again"),
        }
    }
}

/// One round: a passive checkpoint on `pool`, and a restart on `writer` (the write connection)
/// if the log has grown past `restart_pages`. Answers whether the log was started again.
pub async fn checkpoint(pool: &AnyPool, writer: &AnyPool, restart_pages: i64) -> Result<bool, sqlx::Error> {
    let log = {
        let mut conn = pool.acquire().await?;
        // (busy, pages in the log, pages copied back)
        let (_, log, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
            .fetch_one(&mut *conn)
            .await?;
        log
    };
    if log <= restart_pages {
        return Ok(false);
    }
    let mut conn = writer.acquire().await?;
    // A restart holds the writer back while it waits for readers still in the log: with
    // SQLite's usual patience (5 s), one long read stopped every write for up to 5 s (the test
    // `a_log_restart_gives_up_soon_rather_than_hold_the_writer` shows it). So it waits at most
    // RESTART_PATIENCE and otherwise gives up until the next round.
    set_busy_timeout(&mut conn, RESTART_PATIENCE).await?;
    let restarted = sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(RESTART)")
        .fetch_one(&mut *conn)
        .await;
    set_busy_timeout(&mut conn, SQLITE_BUSY_TIMEOUT).await?;
    let (busy, _, _) = restarted?;
    Ok(busy == 0)
}
