//! How connections are made and kept: SQLite's pragmas per connection, PostgreSQL's ping after
//! idling, and the SQLite URL that creates a fresh database file.

use std::time::Duration;

use futures::future::BoxFuture;
use sqlx::any::AnyPoolOptions;
use sqlx::pool::PoolConnectionMetadata;
use sqlx::{AnyConnection, Connection, Executor};

use crate::checkpoints;

/// A PostgreSQL connection idle this long is pinged before it is used again (sqlx pinged it
/// when it came back to the pool; a connection in steady use is not pinged again).
const PING_AFTER_IDLE: Duration = Duration::from_secs(1);

/// The `before_acquire` of a pool of PostgreSQL connections, in place of sqlx's ping before
/// every use (`test_before_acquire`, to be switched off): pings only a connection that sat idle
/// for [`PING_AFTER_IDLE`], so one the server dropped meanwhile is replaced before use.
pub fn ping_if_idle<C: Connection>(
    conn: &mut C,
    meta: PoolConnectionMetadata,
) -> BoxFuture<'_, Result<bool, sqlx::Error>> {
    Box::pin(async move {
        if meta.idle_for >= PING_AFTER_IDLE {
            conn.ping().await?;
        }
        Ok(true)
    })
}

/// How long a SQLite connection waits for a lock before it answers "busy".
pub(crate) const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Sets how long `conn` (SQLite) waits for a lock before it answers "busy".
pub(crate) async fn set_busy_timeout(
    conn: &mut AnyConnection,
    patience: Duration,
) -> Result<(), sqlx::Error> {
    conn.execute(format!("PRAGMA busy_timeout = {}", patience.as_millis()).as_str())
        .await?;
    Ok(())
}

/// A pool of SQLite connections; for the write connection, with the [`checkpoints::Writes`] it
/// counts.
pub(crate) fn sqlite_pool(max_connections: u32, writes: Option<checkpoints::Writes>) -> AnyPoolOptions {
    let writer = writes.is_some();
    let options = AnyPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        // An in-process connection does not drop, so no ping (a turn of its thread) before use.
        // On the write connection that was one turn in every batch and in every single write.
        .test_before_acquire(false)
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                // WAL lets readers run beside the writer; NORMAL sync in WAL mode loses nothing
                // on a process crash (only on power loss), which is the SQLite deployment's bar.
                // sqlx already sets foreign_keys=ON and a 5 s busy_timeout on every connection.
                conn.execute("PRAGMA journal_mode = WAL").await?;
                conn.execute("PRAGMA synchronous = NORMAL").await?;
                set_busy_timeout(conn, SQLITE_BUSY_TIMEOUT).await?;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                // After a checkpoint starts the log again, its file is cut back to this size.
                let limit = format!("PRAGMA journal_size_limit = {}", checkpoints::LOG_FILE_LIMIT);
                conn.execute(limit.as_str()).await?;
                if writer {
                    // Its commits must not stop to copy the log back (checkpoints.rs does that).
                    conn.execute("PRAGMA wal_autocheckpoint = 0").await?;
                    // A multi-row INSERT in a transaction keeps a statement journal, to undo just
                    // that statement. Past 64 KiB SQLite spills it to a temporary file, so batches
                    // of submissions created, wrote and deleted a file each: 40% of the writer's
                    // pwrite calls and 15% of its CPU per submission. In memory it is a buffer.
                    // Only here: a reader's large sort should still spill to disk, not to RAM.
                    conn.execute("PRAGMA temp_store = MEMORY").await?;
                }
                Ok(())
            })
        });
    match writes {
        Some(writes) => options.after_release(move |_conn, _meta| {
            writes.add_one();
            Box::pin(async { Ok(true) })
        }),
        None => options,
    }
}

/// Adds `mode=rwc` so a fresh checkout's database file is created on first start.
pub(crate) fn sqlite_url_with_create(url: &str) -> String {
    if url.contains("mode=") || url.contains(":memory:") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_files_are_created_unless_a_mode_is_given() {
        assert_eq!(
            sqlite_url_with_create("sqlite://data/p.db"),
            "sqlite://data/p.db?mode=rwc"
        );
        assert_eq!(
            sqlite_url_with_create("sqlite://p.db?cache=shared"),
            "sqlite://p.db?cache=shared&mode=rwc"
        );
        assert_eq!(
            sqlite_url_with_create("sqlite://p.db?mode=ro"),
            "sqlite://p.db?mode=ro"
        );
    }
}
