//! Webhook endpoints, their deliveries (queued in the transaction of the change) and every
//! attempt to deliver them.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use sqlx::{AnyExecutor, FromRow};

use crate::claims::{any_due, claim_lock};
use crate::{value_rows, Engine, Store, StoreResult, Tx, ROWS_PER_STATEMENT};
use rules::clock::Timestamp;

#[derive(Debug, Clone, FromRow)]
pub struct EndpointRow {
    pub id: i64,
    pub url: String,
    pub secret: String,
    pub events: String,
    pub description: String,
    pub enabled: i64,
    pub created_at: i64,
}

const ENDPOINT_COLUMNS: &str = "id, url, secret, events, description, enabled, created_at";

pub struct NewEndpoint<'a> {
    pub url: &'a str,
    pub secret: &'a str,
    pub events: &'a str,
    pub description: &'a str,
    pub created_by: i64,
}

pub async fn insert_endpoint(tx: &mut Tx, endpoint: &NewEndpoint<'_>, now: Timestamp) -> StoreResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO webhook_endpoints (url, secret, events, description, enabled, created_by, created_at)
         VALUES ($1, $2, $3, $4, 1, $5, $6) RETURNING id",
    )
    .bind(endpoint.url)
    .bind(endpoint.secret)
    .bind(endpoint.events)
    .bind(endpoint.description)
    .bind(endpoint.created_by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn list_endpoints<'e>(db: impl AnyExecutor<'e>) -> StoreResult<Vec<EndpointRow>> {
    let sql = format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints ORDER BY id");
    Ok(sqlx::query_as(&sql).fetch_all(db).await?)
}

pub async fn find_endpoint<'e>(db: impl AnyExecutor<'e>, id: i64) -> StoreResult<Option<EndpointRow>> {
    let sql = format!("SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1");
    Ok(sqlx::query_as(&sql).bind(id).fetch_optional(db).await?)
}

pub async fn set_enabled(tx: &mut Tx, id: i64, enabled: bool) -> StoreResult<bool> {
    let done = sqlx::query("UPDATE webhook_endpoints SET enabled = $2 WHERE id = $1")
        .bind(id)
        .bind(i64::from(enabled))
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes an endpoint with its deliveries and their attempts.
pub async fn delete_endpoint(tx: &mut Tx, id: i64) -> StoreResult<bool> {
    sqlx::query(
        "DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = $1)",
    )
    .bind(id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM webhook_deliveries WHERE endpoint_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let done = sqlx::query("DELETE FROM webhook_endpoints WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A change to tell webhooks about: its event name, its payload and when it happened.
pub struct WebhookEvent<'a> {
    pub event: &'a str,
    pub payload: String,
    pub at: Timestamp,
}

/// Queues each event's payload for every enabled endpoint that chose it, in the caller's
/// transaction (so a change and its deliveries are saved together, or neither is), in one
/// statement however many events there are. (`VALUES` names its columns column1, column2 ...
/// in both engines.)
pub async fn enqueue_events(tx: &mut Tx, events: &[WebhookEvent<'_>]) -> StoreResult<()> {
    for chunk in events.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO webhook_deliveries (endpoint_id, event, payload, created_at, state, next_attempt_at)
             SELECT w.id, v.column1, v.column2, v.column3, 'pending', v.column3
             FROM (VALUES {}) AS v
             JOIN webhook_endpoints w
               ON w.enabled = 1 AND (',' || w.events || ',') LIKE ('%,' || v.column1 || ',%')
             ORDER BY v.column4, w.id",
            value_rows(chunk.len(), 4)
        );
        let mut query = sqlx::query(&sql);
        // The fourth column keeps the deliveries in the order of the events.
        for (order, event) in (0i64..).zip(chunk) {
            query = query
                .bind(event.event)
                .bind(&event.payload)
                .bind(event.at)
                .bind(order);
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// A delivery to make now, with where and how to sign it.
#[derive(Debug, Clone, FromRow)]
pub struct DueDelivery {
    pub id: i64,
    pub endpoint_id: i64,
    pub url: String,
    pub secret: String,
    pub event: String,
    pub payload: String,
    pub attempts: i64,
    pub created_at: i64,
}

/// The claim's choice: the ids of at most `$2` deliveries due at `$1`, oldest first. Ordered by
/// `next_attempt_at` alone, the key of `webhook_deliveries_due`, so the database walks that index
/// and stops after `$2` rows (deliveries due in the same second come in the index's order); with
/// `, id` added it sorted every pending delivery first, as the outbox's claim did (see
/// `outbox::due_ids`). It reads no other table: joined with the endpoints, PostgreSQL planned it,
/// after statistics taken while few deliveries waited, as every pending delivery of each endpoint
/// sorted by due time. SQLite is told the index by name.
pub fn due_delivery_ids(engine: Engine) -> String {
    format!("{} {}", due_choice(engine), claim_lock(engine))
}

/// [`due_delivery_ids`] without its lock: also the look for due deliveries before a claim.
fn due_choice(engine: Engine) -> String {
    let index = match engine {
        Engine::Postgres => "",
        Engine::Sqlite => "INDEXED BY webhook_deliveries_due",
    };
    format!(
        "SELECT id FROM webhook_deliveries {index}
         WHERE state = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
         ORDER BY next_attempt_at LIMIT $2"
    )
}

/// The claim of one delivery: delivery `$1`, leased until `$2`.
pub const CLAIM_DELIVERY: &str =
    "UPDATE webhook_deliveries SET claimed_until = $2, attempts = attempts + 1 WHERE id = $1
     RETURNING id, endpoint_id, event, payload, attempts - 1 AS attempts, created_at";

#[derive(FromRow)]
struct ClaimedDelivery {
    id: i64,
    endpoint_id: i64,
    event: String,
    payload: String,
    attempts: i64,
    created_at: i64,
}

/// Claims up to `limit` due deliveries for `lease` seconds (see the outbox: the same lease), oldest
/// first. As the outbox's claim: a look on a read connection first, then the due ids, then each
/// delivery by its id, so that no plan depends on statistics; then each endpoint they go to, once.
pub async fn claim_due(
    store: &Store,
    now: Timestamp,
    lease: i64,
    limit: i64,
) -> StoreResult<Vec<DueDelivery>> {
    if !any_due(store, &due_choice(store.engine()), now).await? {
        return Ok(Vec::new());
    }
    let mut tx = store.begin().await?;
    let due: Vec<(i64,)> = sqlx::query_as(&due_delivery_ids(store.engine()))
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
    let mut endpoints: HashMap<i64, (String, String)> = HashMap::new();
    let mut claimed = Vec::with_capacity(due.len());
    for (id,) in due {
        let delivery: ClaimedDelivery = sqlx::query_as(CLAIM_DELIVERY)
            .bind(id)
            .bind(now + lease)
            .fetch_one(&mut *tx)
            .await?;
        if let Entry::Vacant(entry) = endpoints.entry(delivery.endpoint_id) {
            let endpoint: (String, String) =
                sqlx::query_as("SELECT url, secret FROM webhook_endpoints WHERE id = $1")
                    .bind(delivery.endpoint_id)
                    .fetch_one(&mut *tx)
                    .await?;
            entry.insert(endpoint);
        }
        let (url, secret) = endpoints[&delivery.endpoint_id].clone();
        claimed.push(DueDelivery {
            id: delivery.id,
            endpoint_id: delivery.endpoint_id,
            url,
            secret,
            event: delivery.event,
            payload: delivery.payload,
            attempts: delivery.attempts,
            created_at: delivery.created_at,
        });
    }
    crate::commit(tx).await?;
    Ok(claimed)
}

/// How one try went.
pub struct Attempt<'a> {
    pub delivery_id: i64,
    pub status_code: Option<i64>,
    pub latency_ms: i64,
    pub error: &'a str,
}

/// What becomes of the delivery after a try.
pub enum AfterAttempt {
    Delivered,
    RetryAt(Timestamp),
    GiveUp,
}

pub async fn record_attempt(
    store: &Store,
    attempt: &Attempt<'_>,
    after: AfterAttempt,
    now: Timestamp,
) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    let (state, next, finished) = match after {
        AfterAttempt::Delivered => ("delivered", now, Some(now)),
        AfterAttempt::RetryAt(at) => ("pending", at, None),
        AfterAttempt::GiveUp => ("failed", now, Some(now)),
    };
    let updated = sqlx::query(
        "UPDATE webhook_deliveries SET state = $2, next_attempt_at = $3, finished_at = $4, last_status = $5, claimed_until = NULL
         WHERE id = $1",
    )
    .bind(attempt.delivery_id)
    .bind(state)
    .bind(next)
    .bind(finished)
    .bind(attempt.status_code)
    .execute(&mut *tx)
    .await?;
    // The endpoint was deleted while this try was under way: nothing is left to log it on.
    if updated.rows_affected() == 1 {
        sqlx::query(
            "INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, latency_ms, error) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(attempt.delivery_id)
        .bind(now)
        .bind(attempt.status_code)
        .bind(attempt.latency_ms)
        .bind(attempt.error)
        .execute(&mut *tx)
        .await?;
    }
    crate::commit(tx).await?;
    Ok(())
}

/// Sends a delivery again now (whatever became of it), with a fresh day of retries.
pub async fn redeliver(tx: &mut Tx, delivery_id: i64, endpoint_id: i64, now: Timestamp) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = $3, claimed_until = NULL, finished_at = NULL,
                created_at = $3
         WHERE id = $1 AND endpoint_id = $2",
    )
    .bind(delivery_id)
    .bind(endpoint_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct DeliveryRow {
    pub id: i64,
    pub event: String,
    pub payload: String,
    pub created_at: i64,
    pub state: String,
    pub attempts: i64,
    pub last_status: Option<i64>,
    pub next_attempt_at: i64,
}

/// An endpoint's latest deliveries, newest first.
pub async fn recent_deliveries<'e>(
    db: impl AnyExecutor<'e>,
    endpoint_id: i64,
    limit: i64,
) -> StoreResult<Vec<DeliveryRow>> {
    Ok(sqlx::query_as(
        "SELECT id, event, payload, created_at, state, attempts, last_status, next_attempt_at
         FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(endpoint_id)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

#[derive(Debug, Clone, FromRow)]
pub struct AttemptRow {
    pub delivery_id: i64,
    pub attempted_at: i64,
    pub status_code: Option<i64>,
    pub latency_ms: i64,
    pub error: String,
}

/// The attempts of deliveries from `oldest_delivery` on, of one endpoint, in order.
pub async fn attempts_since<'e>(
    db: impl AnyExecutor<'e>,
    endpoint_id: i64,
    oldest_delivery: i64,
) -> StoreResult<Vec<AttemptRow>> {
    Ok(sqlx::query_as(
        "SELECT a.delivery_id, a.attempted_at, a.status_code, a.latency_ms, a.error
         FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
         WHERE d.endpoint_id = $1 AND a.delivery_id >= $2 ORDER BY a.id",
    )
    .bind(endpoint_id)
    .bind(oldest_delivery)
    .fetch_all(db)
    .await?)
}
