//! The outbox: emails written in the transaction that caused them, sent later by a worker.

use sqlx::{AnyExecutor, FromRow};

use crate::claims::{any_due, claim_lock};
use crate::{value_rows, Engine, Store, StoreResult, Tx, ROWS_PER_STATEMENT};
use rules::clock::Timestamp;

/// A rendered email, ready to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub idempotency_key: String,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
}

pub async fn enqueue(tx: &mut Tx, message: &OutboxMessage, now: Timestamp) -> StoreResult<()> {
    enqueue_timed(tx, &[(message, now)]).await
}

/// Queues messages, each written at its own time (a batch of requests), in one statement (on
/// SQLite every statement is a turn of the one writer, so a request that mails several people
/// should not take several).
pub async fn enqueue_timed(tx: &mut Tx, messages: &[(&OutboxMessage, Timestamp)]) -> StoreResult<()> {
    for chunk in messages.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO outbox_messages (idempotency_key, to_address, subject, text_body, html_body, created_at, send_after)
             VALUES {}",
            value_rows(chunk.len(), 7)
        );
        let mut query = sqlx::query(&sql);
        for (message, at) in chunk {
            query = query
                .bind(&message.idempotency_key)
                .bind(&message.to_address)
                .bind(&message.subject)
                .bind(&message.text_body)
                .bind(&message.html_body)
                .bind(*at)
                .bind(*at);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct QueuedMessage {
    pub id: i64,
    pub idempotency_key: String,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub attempts: i64,
}

/// Claims up to `limit` due messages for `lease` seconds: nobody else picks them up meanwhile,
/// and if this worker dies they become due again when the lease runs out. Oldest first.
///
/// Nothing is claimed, and the writer not taken, when a look on a read connection finds nothing due
/// (see `claims::any_due`). Otherwise one transaction: the due ids through the due index
/// ([`due_ids`]), then each message by its id ([`claim_by_id`]). It was one statement, `UPDATE ...
/// WHERE id IN (SELECT ...)`, but its plan followed the statistics: taken while the outbox was
/// nearly empty (by any early ANALYZE, and by `make bench` after seeding), SQLite planned it as a
/// scan of the whole table, every message ever sent included, for every 20 emails (26 ms a claim on
/// the one writer under `make bench`, growing with the table), and PostgreSQL as a merge join over
/// the primary key that reads past every sent message. A row looked up by its id is planned as that
/// lookup whatever the statistics say.
pub async fn claim_due(
    store: &Store,
    now: Timestamp,
    lease: i64,
    limit: i64,
) -> StoreResult<Vec<QueuedMessage>> {
    if !any_due(store, &due_choice(store.engine()), now).await? {
        return Ok(Vec::new());
    }
    let mut tx = store.begin().await?;
    let due: Vec<(i64,)> = sqlx::query_as(&due_ids(store.engine()))
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
    let claim = claim_by_id();
    let mut claimed = Vec::with_capacity(due.len());
    for (id,) in due {
        let row: ClaimedRow = sqlx::query_as(&claim)
            .bind(id)
            .bind(now + lease)
            .fetch_one(&mut *tx)
            .await?;
        claimed.push((row.send_after, row.message));
    }
    crate::commit(tx).await?;
    // Oldest first, and messages due in the same second in the order they were queued.
    claimed.sort_by_key(|(send_after, message)| (*send_after, message.id));
    Ok(claimed.into_iter().map(|(_, message)| message).collect())
}

/// The claim of one message: message `$1`, leased until `$2`.
pub fn claim_by_id() -> String {
    format!(
        "UPDATE outbox_messages SET claimed_until = $2, attempts = attempts + 1 WHERE id = $1
         RETURNING {CLAIMED_COLUMNS}"
    )
}

/// What a claim answers of each message.
const CLAIMED_COLUMNS: &str =
    "id, idempotency_key, to_address, subject, text_body, html_body, attempts - 1 AS attempts, send_after";

/// The claim's choice: the ids of at most `$2` messages due at `$1`, oldest first.
///
/// Ordered by `send_after` alone, exactly the key of `outbox_messages_due`, so the database
/// reads the index in order and stops after `$2` rows; ties (messages of one second) come in
/// the index's own order. With `, id` added, PostgreSQL had to sort all of a second's messages,
/// or after statistics taken while the outbox was empty, every unsent one: under a backlog of
/// 20,000 to 40,000 emails a claim took 12 to 23 ms (pg_stat_statements), against 0.5 ms now.
/// SQLite is told the index by name (INDEXED BY: its way of keeping a plan whatever ANALYZE
/// finds).
pub fn due_ids(engine: Engine) -> String {
    format!("{} {}", due_choice(engine), claim_lock(engine))
}

/// [`due_ids`] without its lock: also the look for due messages before a claim.
fn due_choice(engine: Engine) -> String {
    let index = match engine {
        Engine::Postgres => "",
        Engine::Sqlite => "INDEXED BY outbox_messages_due",
    };
    format!(
        "SELECT id FROM outbox_messages {index}
         WHERE sent_at IS NULL AND send_after <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
         ORDER BY send_after LIMIT $2"
    )
}

#[derive(FromRow)]
struct ClaimedRow {
    #[sqlx(flatten)]
    message: QueuedMessage,
    send_after: i64,
}

/// Marks a message sent and drops its bodies: they carry private links, which need not outlive
/// the delivery (recipient, subject and times stay for the record). Every email costs one, so it
/// is a single statement without a transaction around it: one round trip, not three.
pub async fn mark_sent(store: &Store, id: i64, now: Timestamp) -> StoreResult<()> {
    sqlx::query(
        "UPDATE outbox_messages SET sent_at = $2, claimed_until = NULL, last_error = NULL, text_body = '', html_body = ''
         WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(store.writer())
    .await?;
    Ok(())
}

/// Records a failed attempt and when to try again.
pub async fn mark_failed(store: &Store, id: i64, error: &str, retry_at: Timestamp) -> StoreResult<()> {
    sqlx::query(
        "UPDATE outbox_messages SET claimed_until = NULL, last_error = $2, send_after = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(error)
    .bind(retry_at)
    .execute(store.writer())
    .await?;
    Ok(())
}

/// How many messages still wait to be sent (for tests and health views).
pub async fn unsent_count<'e>(db: impl AnyExecutor<'e>) -> StoreResult<i64> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL")
        .fetch_one(db)
        .await?;
    Ok(count)
}

/// An unsent message whose last try failed.
#[derive(Debug, Clone, FromRow)]
pub struct FailingMessage {
    pub to_address: String,
    pub subject: String,
    pub attempts: i64,
    pub last_error: String,
    pub send_after: i64,
}

/// The unsent messages whose last try failed, soonest retry first.
pub async fn failing<'e>(db: impl AnyExecutor<'e>, limit: i64) -> StoreResult<Vec<FailingMessage>> {
    Ok(sqlx::query_as(
        "SELECT to_address, subject, attempts, last_error, send_after FROM outbox_messages
         WHERE sent_at IS NULL AND last_error IS NOT NULL ORDER BY send_after, id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?)
}
