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
//! [`INTERVAL`], which copies what it can without stopping anyone (and none while nothing was
//! written since a round that copied everything: see [`Writes`]). Under a steady stream of writes
//! a passive checkpoint never catches up with the end of the log, and the log only starts again
//! from its beginning once one has, so when the log passes [`RESTART_PAGES`] the task runs a
//! `RESTART` checkpoint, which waits for the writer to finish its transaction and holds the next
//! one back while it copies the rest (little, right after a passive one) and readers leave the
//! log. That wait is bounded by [`RESTART_PATIENCE`]: a restart that cannot have its turn soon
//! gives up, and the next round tries again. The log's file is cut back only past
//! [`LOG_FILE_LIMIT`], twice the restart size (see there).
//!
//! The restart runs on the write connection itself, taken from its pool like any write. Run
//! from this task's own connection, it held SQLite's write lock while writers waited in SQLite's
//! busy handler, which sleeps in growing steps (1, 2, 5, 10, 15, 20 ms) rather than waking when
//! the lock is free: a restart of 16 to 42 ms kept the next write waiting 22 to 47 ms (sqlx's
//! statement log under `make bench`'s submissions). Queued in the pool, the next write starts
//! the moment the restart gives the connection back; the submission p99 went from 51 to 56 ms
//! to 36 to 51 ms side by side.
//!
//! What the restart still did with the writer held was mostly syncing: a passive checkpoint that
//! does not reach the end of the log leaves the database file's new pages unsynced, so the
//! restart synced everything the passive rounds had copied since the last one, and the log
//! written since the last round. Now the task has the kernel write both files first (see
//! [`flush_to_disk`]) and runs one more passive round (see [`checkpoint`]): restarts took 10 to
//! 17 ms instead of 16 to 42 ms, and 6.6 ms at the median once the log file also kept its size
//! ([`LOG_FILE_LIMIT`]). Submission p99 on copies of the `make bench` database, lines side by
//! side: 37 to 51 ms before, 29 to 37 ms with the syncs, 17 to 24 ms with all three changes
//! (the syncs then went through descriptors of the two files, which turned out unsafe; see
//! `flush_to_disk`), and 16 to 17 ms as they are now.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sqlx::AnyPool;
use tokio::sync::mpsc;

use crate::{set_busy_timeout, SQLITE_BUSY_TIMEOUT};

/// How often the log is copied back.
pub const INTERVAL: Duration = Duration::from_millis(200);

/// Log pages (4 KiB each) past which the log is started again from its beginning.
pub const RESTART_PAGES: i64 = 16_384;

/// The size past which the log's file is cut back after a restart (`journal_size_limit`): twice
/// the restart size, so that in steady work the file keeps its size. At the restart size itself
/// (the former 64 MiB), every restart cut the file back and the next commits grew it again, and
/// the first commit after a restart took up to 17 ms; twice that, the submission p99 went from
/// 22 to 28 ms to 17 to 24 ms (copies of the `make bench` database, side by side).
pub const LOG_FILE_LIMIT: i64 = 2 * RESTART_PAGES * 4096;

/// How long a restart, holding the write connection, may wait for readers still in the log
/// before it gives up for a round (it waits for the writer's transaction in the pool instead).
pub const RESTART_PATIENCE: Duration = Duration::from_millis(10);

/// Starts the task on `pool` (one connection of its own, for the passive rounds) with the
/// store's `writer` pool for the restarts and the `writes` that pool counts. It stops when
/// `stop` has no sender left (the store is gone) or the pool is closed.
pub(crate) fn start(pool: AnyPool, writer: AnyPool, writes: Writes, stop: mpsc::Receiver<()>) {
    tokio::spawn(run(pool, writer, writes, stop));
}

/// How many times the write connection was given back to its pool (`connections.rs` counts
/// them). A round that copied the whole log back need not run again until this moves: an idle
/// portal then asks SQLite nothing, where it asked five times a second, each a turn of a thread.
#[derive(Clone, Default)]
pub(crate) struct Writes(Arc<AtomicU64>);

impl Writes {
    pub(crate) fn count(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    pub(crate) fn add_one(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

async fn run(pool: AnyPool, writer: AnyPool, writes: Writes, mut stop: mpsc::Receiver<()>) {
    // The writes counted when a round last left nothing in the log to copy.
    let mut copied_all_at = None;
    loop {
        tokio::select! {
            _ = stop.recv() => return,
            _ = tokio::time::sleep(INTERVAL) => {}
        }
        if pool.is_closed() {
            return;
        }
        // Read before the round: a write given back during it makes the next round run.
        let written = writes.count();
        if copied_all_at == Some(written) {
            continue;
        }
        match round(&pool, &writer, RESTART_PAGES).await {
            Ok(done) => {
                if done.restarted {
                    tracing::debug!("SQLite log started again from its beginning");
                }
                copied_all_at = done.copied_all.then_some(written);
            }
            Err(_) if pool.is_closed() || writer.is_closed() => return,
            Err(error) => tracing::warn!(%error, "SQLite checkpoint failed; trying again"),
        }
    }
}

/// One round: a passive checkpoint on `pool`, and a restart on `writer` (the write connection)
/// if the log has grown past `restart_pages`. Answers whether the log was started again.
///
/// Before a restart, everything that can be done off the writer is: the files are flushed to
/// disk ([`flush_to_disk`]), one more passive checkpoint copies what was committed meanwhile
/// (under `make bench`'s submissions it reached the end of the log as it found it every time),
/// and what that wrote is flushed too. The restart, holding the writer, then copies and syncs
/// only what was committed in the last few milliseconds.
pub async fn checkpoint(pool: &AnyPool, writer: &AnyPool, restart_pages: i64) -> Result<bool, sqlx::Error> {
    Ok(round(pool, writer, restart_pages).await?.restarted)
}

/// What a round did: whether it started the log again, and whether it left nothing in the log
/// to copy back.
struct Round {
    restarted: bool,
    copied_all: bool,
}

/// [`checkpoint`], telling also whether the log was copied back whole.
async fn round(pool: &AnyPool, writer: &AnyPool, restart_pages: i64) -> Result<Round, sqlx::Error> {
    let (log, copied) = passive(pool).await?;
    if log <= restart_pages {
        return Ok(Round {
            restarted: false,
            copied_all: copied == log,
        });
    }
    flush_before_restart(pool).await;
    passive(pool).await?;
    flush_before_restart(pool).await;
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
    Ok(Round {
        restarted: busy == 0,
        copied_all: busy == 0,
    })
}

/// A passive checkpoint on `pool`'s connection; answers how many pages the log holds and how
/// many of them are copied back.
async fn passive(pool: &AnyPool) -> Result<(i64, i64), sqlx::Error> {
    // (busy, pages in the log, pages copied back)
    let (_, log, copied): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
        .fetch_one(pool)
        .await?;
    Ok((log, copied))
}

/// [`flush_to_disk`], where a failure only means the restart has more to sync itself.
async fn flush_before_restart(pool: &AnyPool) {
    if let Err(error) = flush_to_disk(pool).await {
        tracing::debug!(%error, "SQLite files not flushed before the restart; it will sync them");
    }
}

/// Has the kernel write what it still holds of the database file and its log (and of anything
/// else on their filesystem) to disk, from this task and off the writer.
///
/// A checkpoint syncs the log before it copies it back and the database file once it has copied
/// all of it. Passive rounds under a stream of writes never copy all of it (readers hold the
/// last frames, and commits go on while they copy), so they leave the database file's new pages
/// to the kernel, and the restart, which does copy all of it, then synced every page the passive
/// rounds had copied since the last restart, and the log written since the last round, with the
/// writer held: 16 to 42 ms every 0.7 s under `make bench`'s submissions, the cause of their p99
/// on SQLite.
///
/// It syncs the filesystem the database is on (`syncfs`, through the database's folder), not
/// the two files. Closing a descriptor of the database file, even one opened only to sync it,
/// drops every POSIX lock this process holds on that file, SQLite's included; another process
/// that opened the database next believed itself its only user and, closing, deleted the log
/// under the portal ("disk I/O error", then "database disk image is malformed": `make bench`'s
/// `sqlite3` queries did it to my first version). The test
/// `flushing_keeps_the_database_safe_from_other_processes` holds that line.
pub async fn flush_to_disk(pool: &AnyPool) -> std::io::Result<()> {
    let Some(folder) = database_folder(pool).await.map_err(std::io::Error::other)? else {
        return Ok(());
    };
    tokio::task::spawn_blocking(move || sync_filesystem(&folder))
        .await
        .map_err(std::io::Error::other)?
}

#[cfg(target_os = "linux")]
fn sync_filesystem(folder: &Path) -> std::io::Result<()> {
    let folder = std::fs::File::open(folder)?;
    Ok(rustix::fs::syncfs(&folder)?)
}

/// Elsewhere there is no syncfs; the restart then syncs everything itself, as before.
#[cfg(not(target_os = "linux"))]
fn sync_filesystem(_folder: &Path) -> std::io::Result<()> {
    Ok(())
}

/// The folder of `pool`'s database file, as its connection names it; none for a database in
/// memory.
async fn database_folder(pool: &AnyPool) -> Result<Option<PathBuf>, sqlx::Error> {
    let (_, _, database): (i64, String, String) =
        sqlx::query_as("PRAGMA database_list").fetch_one(pool).await?;
    if database.is_empty() {
        return Ok(None);
    }
    Ok(Path::new(&database).parent().map(Path::to_path_buf))
}
