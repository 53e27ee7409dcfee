//! Beginning and committing write transactions, and the count of commits this process made.
//!
//! The count lets a copy kept in memory (kept.rs) stand for data that too many kinds of change
//! touch to name each one: a copy read before the count moved is not served again.

use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::AnyPool;

use crate::{Engine, StoreResult, Tx};

/// Write transactions committed (or tried) through this process, by every store in it.
static COMMITTED: AtomicU64 = AtomicU64::new(0);

/// How many write transactions this process has committed so far. Read it before a read whose
/// copy is to be kept, and keep the copy only while it has not moved.
pub fn committed() -> u64 {
    COMMITTED.load(Ordering::Acquire)
}

/// Begins a write transaction on `write`; on SQLite IMMEDIATE (see `Store::begin`).
pub(crate) async fn begin_write(write: &AnyPool, engine: Engine) -> Result<Tx, sqlx::Error> {
    match engine {
        Engine::Sqlite => write.begin_with("BEGIN IMMEDIATE").await,
        Engine::Postgres => write.begin().await,
    }
}

/// Commits a write transaction (its errors as store errors), and counts it: whether or not the
/// commit answered, what was kept from before it may be out of date now.
pub async fn commit(tx: Tx) -> StoreResult<()> {
    let committed = tx.commit().await;
    COMMITTED.fetch_add(1, Ordering::AcqRel);
    committed?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_commit_moves_the_count() {
        sqlx::any::install_default_drivers();
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await
            .expect("pool");
        let before = committed();
        let tx = begin_write(&pool, Engine::Sqlite).await.expect("begin");
        commit(tx).await.expect("commit");
        assert!(committed() > before);
    }
}
