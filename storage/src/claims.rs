//! What the workers' claims share: the lock their choice takes, and a look for due work that
//! does not take the writer.

use rules::clock::Timestamp;

use crate::{Engine, Store, StoreResult};

/// What ends a claim's choice of rows: on PostgreSQL, workers of several instances skip each
/// other's rows instead of waiting for them. SQLite has one writer, which is lock enough.
pub(crate) fn claim_lock(engine: Engine) -> &'static str {
    match engine {
        Engine::Postgres => "FOR UPDATE SKIP LOCKED",
        Engine::Sqlite => "",
    }
}

/// Whether `choice` (a claim's choice of ids without its lock: `$1` now, `$2` how many) finds
/// anything due at `now`, asked on a read connection.
///
/// Each worker looks for work twice a second. Its claim is a write transaction, and on SQLite
/// every write transaction takes the portal's one write connection (`BEGIN IMMEDIATE`): an idle
/// portal took it six times a second for nothing, and under load those claims queued with the
/// submissions. Now a worker takes the writer only when this look finds something (and the claim
/// then chooses again, inside its transaction).
pub(crate) async fn any_due(store: &Store, choice: &str, now: Timestamp) -> StoreResult<bool> {
    let found: Option<(i64,)> = sqlx::query_as(choice)
        .bind(now)
        .bind(1_i64)
        .fetch_optional(store.read())
        .await?;
    Ok(found.is_some())
}
