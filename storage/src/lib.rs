//! Storage: one interface over SQLite (one machine) and PostgreSQL (many instances): rows,
//! queries and migrations, folders by feature as in `rules` and `services`; no product rules.
//!
//! Every query is written once, with `$1`-style parameters that both engines accept, and runs
//! through sqlx's `Any` driver. Times are stored as Unix seconds (BIGINT) and flags as integers,
//! which both engines and `Any` treat alike. Write transactions go through [`Store::begin`].

#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod accounts;
pub mod administration;
pub mod approvals;
pub mod audit;
pub mod federation;
pub mod integrations;
pub mod invitations;
pub mod memberships;
pub mod mfa;
pub mod oidc;
pub mod requests;

pub mod batch_writer;
pub mod checkpoints;
mod claims;
pub mod conditions;
mod connections;
pub mod jobs;
pub mod kept;
pub mod outbox;
pub mod writes;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Executor, Transaction};
use tokio::sync::mpsc;

use accounts::sign_in_cache::SignInCache;
use batch_writer::{BatchWrite, BatchWriters};
pub use connections::ping_if_idle;
pub(crate) use connections::{set_busy_timeout, SQLITE_BUSY_TIMEOUT};
use connections::{sqlite_pool, sqlite_url_with_create};
use kept::KeptCopies;
use memberships::my_access::{KeptAccess, KEPT_ACCOUNTS};
use oidc::clients::ClientRow;
use requests::catalog_cache::{Catalog, CatalogCache};
pub(crate) use writes::begin_write;
pub use writes::commit;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn from_url(url: &str) -> Option<Engine> {
        if url.starts_with("sqlite:") {
            Some(Engine::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Engine::Postgres)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the write (the caller decides what that means).
    #[error("conflict with existing data")]
    Conflict,
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL (use sqlite:... or postgres://...)")]
    UnsupportedUrl,
}

/// A storage failure reaches people as the generic "something went wrong on our side": the
/// cause is logged here, never sent to the browser. This lets adapters use `?` on storage calls.
impl From<StoreError> for rules::error::AppError {
    fn from(error: StoreError) -> Self {
        tracing::error!(%error, "storage failed");
        rules::error::AppError::Internal
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict,
            _ => StoreError::Database(error),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Escapes `\`, `%` and `_` for a `LIKE ... ESCAPE '\'` pattern.
pub(crate) fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
pub type Tx = Transaction<'static, Any>;

/// How many connections each pool may open.
#[derive(Debug, Clone, Copy)]
pub struct PoolSizes {
    pub max_connections: u32,
}

impl Default for PoolSizes {
    fn default() -> Self {
        Self { max_connections: 16 }
    }
}

#[derive(Debug, Clone)]
pub struct Store {
    read: AnyPool,
    write: AnyPool,
    engine: Engine,
    url: String,
    catalog: Arc<CatalogCache>,
    /// Standing sign-ins by session, kept in memory (see sign_in_cache.rs).
    sign_ins: Arc<SignInCache>,
    /// The apps registered with the provider, by client id, kept in memory (see kept.rs).
    clients: Arc<KeptCopies<ClientRow>>,
    /// Whether an account has anything in the review queue, by account id, kept in memory (see
    /// accounts/account.rs: `kept_has_reviews`).
    reviewers: Arc<KeptCopies<bool>>,
    /// A partner's "My access", by account id, kept in memory (see memberships/my_access.rs).
    my_access: Arc<KeptCopies<KeptAccess>>,
    /// The queues of batched writes (see batch_writer.rs).
    batches: BatchWriters,
    /// SQLite only: the connection that checkpoints the log (see checkpoints.rs), and the
    /// handle whose last drop stops its task.
    checkpoints: Option<(AnyPool, mpsc::Sender<()>)>,
}

impl Store {
    /// Opens the database named by `url` (creating a SQLite file if needed). Migrations are
    /// separate: see [`Store::migrate`].
    pub async fn connect(url: &str, sizes: PoolSizes) -> StoreResult<Store> {
        sqlx::any::install_default_drivers();
        let engine = Engine::from_url(url).ok_or(StoreError::UnsupportedUrl)?;
        let url = match engine {
            Engine::Sqlite => sqlite_url_with_create(url),
            Engine::Postgres => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        match engine {
            Engine::Sqlite => {
                // SQLite has one writer at a time: a single write connection queues writers in
                // the pool (fair, async) instead of in SQLite's sleeping busy handler.
                // The write connection leaves checkpoints to a task of their own.
                let writes = checkpoints::Writes::default();
                let write = sqlite_pool(1, Some(writes.clone()))
                    .connect_with(options.clone())
                    .await?;
                let read = sqlite_pool(sizes.max_connections, None)
                    .connect_with(options.clone())
                    .await?;
                let checkpointer = sqlite_pool(1, None).connect_with(options).await?;
                let (stop_checkpoints, stopped) = mpsc::channel(1);
                checkpoints::start(checkpointer.clone(), write.clone(), writes, stopped);
                Ok(Store {
                    read,
                    checkpoints: Some((checkpointer, stop_checkpoints)),
                    batches: BatchWriters::new(write.clone(), engine),
                    write,
                    engine,
                    url,
                    catalog: Arc::default(),
                    sign_ins: Arc::default(),
                    clients: Arc::default(),
                    reviewers: Arc::default(),
                    my_access: Arc::new(KeptCopies::at_most(KEPT_ACCOUNTS)),
                })
            }
            Engine::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(sizes.max_connections)
                    .acquire_timeout(Duration::from_secs(10))
                    // sqlx pings every connection it takes from the pool, a round trip before
                    // each transaction or statement, though it already pinged it when it was
                    // given back. Only a connection that sat idle can have died since.
                    .test_before_acquire(false)
                    .before_acquire(ping_if_idle)
                    .connect_with(options)
                    .await?;
                Ok(Store {
                    read: pool.clone(),
                    batches: BatchWriters::new(pool.clone(), engine),
                    write: pool,
                    engine,
                    url,
                    catalog: Arc::default(),
                    sign_ins: Arc::default(),
                    clients: Arc::default(),
                    reviewers: Arc::default(),
                    my_access: Arc::new(KeptCopies::at_most(KEPT_ACCOUNTS)),
                    checkpoints: None,
                })
            }
        }
    }

    /// Applies pending migrations. On PostgreSQL sqlx holds an advisory lock meanwhile, so
    /// instances starting together migrate one after the other.
    pub async fn migrate(&self) -> StoreResult<()> {
        match self.engine {
            Engine::Sqlite => SQLITE_MIGRATIONS.run(&self.write).await?,
            Engine::Postgres => POSTGRES_MIGRATIONS.run(&self.write).await?,
        }
        Ok(())
    }

    /// A write transaction. On SQLite it begins IMMEDIATE, taking the write lock up front so
    /// it can never fail half-way on a lock upgrade.
    ///
    /// sqlx's `begin` is not safe to cancel (launchbadge/sqlx#3932): dropped while the BEGIN
    /// runs, the connection goes back to the pool believing it is inside a transaction, and every
    /// later `begin` on it fails. A request whose client hangs up is dropped exactly like that,
    /// and on SQLite all writes share one connection, so one hang-up stopped every write until a
    /// restart (`make bench` found it). The begin therefore runs in a task of its own that
    /// finishes whatever happens to the caller; a transaction nobody takes is rolled back on drop.
    pub async fn begin(&self) -> StoreResult<Tx> {
        let write = self.write.clone();
        let engine = self.engine;
        let begun = tokio::spawn(async move { begin_write(&write, engine).await }).await;
        match begun {
            Ok(tx) => Ok(tx?),
            Err(_) => Err(StoreError::Database(sqlx::Error::WorkerCrashed)),
        }
    }

    /// A write that is batched with others of its kind (see batch_writer.rs): it is answered
    /// once its batch is committed, and if it fails, none of its writes are kept. For short
    /// writes on hot paths.
    pub async fn write_batched<B: BatchWrite>(&self, item: B) -> StoreResult<B::Answer> {
        self.batches.write(item).await
    }

    /// The pool for a write that is one statement: atomic on its own, it needs no transaction,
    /// and saves the BEGIN and COMMIT round trips (on SQLite, turns of the one writer). For the
    /// workers, whose calls nobody cancels; a request handler uses [`Store::begin`] (see there).
    pub fn writer(&self) -> &AnyPool {
        &self.write
    }

    /// The pool for reads outside a transaction.
    pub fn read(&self) -> &AnyPool {
        &self.read
    }

    /// The requestable resources and the default policy, kept in memory (see catalog_cache.rs).
    pub async fn catalog(&self) -> StoreResult<Arc<Catalog>> {
        self.catalog.get(&self.read).await
    }

    /// A resource or a policy was changed and committed: drops the catalog's copy, and the
    /// kept apps (each carries its resource's name and whether it is archived).
    pub fn catalog_changed(&self) {
        self.catalog.changed();
        self.clients.changed();
    }

    /// Standing sign-ins by session, kept in memory (see sign_in_cache.rs).
    pub fn sign_ins(&self) -> &SignInCache {
        &self.sign_ins
    }

    /// The apps registered with the provider, by client id, kept in memory (see
    /// oidc/clients.rs: `kept_client`).
    pub fn clients(&self) -> &KeptCopies<ClientRow> {
        &self.clients
    }

    /// Whether an account has anything in the review queue, by account id, kept in memory.
    pub fn reviewers(&self) -> &KeptCopies<bool> {
        &self.reviewers
    }

    /// A partner's "My access", by account id, kept in memory.
    pub fn kept_access(&self) -> &KeptCopies<KeptAccess> {
        &self.my_access
    }

    /// Approval tasks or a resource's owners were changed and committed: drops every kept
    /// answer to "has this account anything to review?".
    pub fn reviews_changed(&self) {
        self.reviewers.changed();
    }

    /// A sign-in or an account was changed and committed: drops every kept sign-in.
    pub fn sign_ins_changed(&self) {
        self.sign_ins.changed();
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The URL the store was opened with (the session store opens its own pool from it).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// One round trip to the database, for health checks.
    pub async fn ping(&self) -> StoreResult<()> {
        self.read.execute("SELECT 1").await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
        if let Some((checkpointer, _)) = &self.checkpoints {
            checkpointer.close().await;
        }
    }
}

/// The most rows one multi-row INSERT carries (SQLite allows 32,766 parameters a statement).
pub(crate) const ROWS_PER_STATEMENT: usize = 256;

/// The VALUES rows of a multi-row INSERT: `rows` groups of `columns` parameters, numbered from
/// `$1` on, as in `($1, $2), ($3, $4)`.
pub(crate) fn value_rows(rows: usize, columns: usize) -> String {
    let row = |r: usize| {
        let params: Vec<String> = (1..=columns).map(|c| format!("${}", r * columns + c)).collect();
        format!("({})", params.join(", "))
    };
    (0..rows).map(row).collect::<Vec<_>>().join(", ")
}

/// A column list (`"id, name"`) with every column taken from the table known as `alias` in a
/// join: `"r.id, r.name"`.
pub(crate) fn qualified(columns: &str, alias: &str) -> String {
    let qualified: Vec<String> = columns
        .split(',')
        .map(|c| format!("{alias}.{}", c.trim()))
        .collect();
    qualified.join(", ")
}

/// Converts an integer flag column to a boolean (flags are integers in both engines).
pub(crate) fn flag(value: i64) -> bool {
    value != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_rows_number_every_parameter_once() {
        assert_eq!(value_rows(1, 3), "($1, $2, $3)");
        assert_eq!(value_rows(2, 2), "($1, $2), ($3, $4)");
        assert_eq!(value_rows(0, 2), "");
    }

    #[test]
    fn qualified_columns_name_their_table() {
        assert_eq!(qualified("id, name", "r"), "r.id, r.name");
        assert_eq!(qualified("id,\n  email", "q"), "q.id, q.email");
    }

    #[test]
    fn engine_is_chosen_by_url_scheme() {
        assert_eq!(Engine::from_url("sqlite://data/portico.db"), Some(Engine::Sqlite));
        assert_eq!(
            Engine::from_url("postgres://u@localhost/p"),
            Some(Engine::Postgres)
        );
        assert_eq!(
            Engine::from_url("postgresql://u@localhost/p"),
            Some(Engine::Postgres)
        );
        assert_eq!(Engine::from_url("mysql://u@localhost/p"), None);
    }
}
