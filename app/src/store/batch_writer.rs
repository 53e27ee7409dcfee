//! Batched writes: writes of one kind that arrive together are written together.
//!
//! Request submissions are the portal's busiest write, and each is a handful of small inserts
//! (the request, its approval tasks, its emails, its audit event). Written one transaction each,
//! the cost is in the statements and commits, not in the rows: on SQLite every statement is a turn
//! of the one writer (a hand-off to sqlx's worker thread and back), on PostgreSQL a round trip and
//! a parse, bind and execute in a backend. So writes of a kind queue here, and one task per kind
//! takes everything waiting (at most [`MAX_BATCH`]) and hands it to the kind's
//! [`BatchWrite::write_all`], which writes the whole batch with one multi-row statement per table
//! in one transaction. Nobody is answered before that transaction is committed.
//!
//! If the batch fails (an error or a panic), nothing of it is kept and each write is tried
//! again alone, in a transaction of its own: a write that fails then fails only for its caller.
//!
//! SQLite has one writer, so one batch is written at a time and the next one gathers meanwhile.
//! PostgreSQL writes [`POSTGRES_BATCHES_IN_FLIGHT`] batches side by side, on as many connections.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;
use futures::FutureExt;
use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot, OwnedSemaphorePermit, Semaphore};

use super::{begin_write, Engine, StoreError, StoreResult, Tx};

/// The most writes one batch carries.
pub const MAX_BATCH: usize = 64;

/// How many batches PostgreSQL writes at once (SQLite: one).
pub const POSTGRES_BATCHES_IN_FLIGHT: usize = 4;

/// A kind of write that can be written many at a time.
pub trait BatchWrite: Sized + Send + Sync + 'static {
    /// What each write's caller is told once it is committed.
    type Answer: Send + 'static;

    /// Writes all of `items` in `tx` and answers each, in order. An error (or a panic) undoes
    /// the whole batch; each item is then written alone.
    fn write_all<'t>(tx: &'t mut Tx, items: &'t [Self]) -> BoxFuture<'t, StoreResult<Vec<Self::Answer>>>;
}

struct Queued<B: BatchWrite> {
    item: B,
    answer: oneshot::Sender<StoreResult<B::Answer>>,
}

/// The queues of a store, one per kind of write, each started on first use. Cheap to clone.
#[derive(Clone)]
pub struct BatchWriters {
    write: AnyPool,
    engine: Engine,
    queues: Arc<Mutex<HashMap<TypeId, Box<dyn Any + Send + Sync>>>>,
}

impl std::fmt::Debug for BatchWriters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchWriters")
            .field("engine", &self.engine)
            .finish_non_exhaustive()
    }
}

impl BatchWriters {
    pub fn new(write: AnyPool, engine: Engine) -> Self {
        Self {
            write,
            engine,
            queues: Arc::default(),
        }
    }

    /// Queues `item` and answers once its batch is committed.
    pub async fn write<B: BatchWrite>(&self, item: B) -> StoreResult<B::Answer> {
        let queue = self.queue::<B>();
        let (answer, answered) = oneshot::channel();
        queue.send(Queued { item, answer }).await.map_err(|_| stopped())?;
        answered.await.map_err(|_| stopped())?
    }

    fn queue<B: BatchWrite>(&self) -> mpsc::Sender<Queued<B>> {
        let mut queues = self
            .queues
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let queue = queues.entry(TypeId::of::<B>()).or_insert_with(|| {
            let (sender, receiver) = mpsc::channel::<Queued<B>>(4 * MAX_BATCH);
            let in_flight = match self.engine {
                Engine::Sqlite => 1,
                Engine::Postgres => POSTGRES_BATCHES_IN_FLIGHT,
            };
            tokio::spawn(gather(self.write.clone(), self.engine, in_flight, receiver));
            Box::new(sender)
        });
        queue
            .downcast_ref::<mpsc::Sender<Queued<B>>>()
            .expect("each queue is stored under its own type")
            .clone()
    }
}

/// One kind's task: takes what is waiting whenever a batch may start, and starts it. It ends
/// when the store (every sender) is gone.
async fn gather<B: BatchWrite>(
    write: AnyPool,
    engine: Engine,
    in_flight: usize,
    mut queue: mpsc::Receiver<Queued<B>>,
) {
    let slots = Arc::new(Semaphore::new(in_flight));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let mut batch = Vec::with_capacity(MAX_BATCH);
        if queue.recv_many(&mut batch, MAX_BATCH).await == 0 {
            return;
        }
        tokio::spawn(write_batch(write.clone(), engine, batch, slot));
    }
}

async fn write_batch<B: BatchWrite>(
    write: AnyPool,
    engine: Engine,
    batch: Vec<Queued<B>>,
    _slot: OwnedSemaphorePermit,
) {
    let (items, answers): (Vec<B>, Vec<_>) = batch.into_iter().map(|q| (q.item, q.answer)).unzip();
    if items.len() > 1 {
        if let Ok(written) = write_together(&write, engine, &items).await {
            for (answer, written) in answers.into_iter().zip(written) {
                let _ = answer.send(Ok(written));
            }
            return;
        }
    }
    // Alone (or again, one by one, after the batch failed): each caller gets its own outcome.
    for (item, answer) in items.iter().zip(answers) {
        let outcome = write_together(&write, engine, std::slice::from_ref(item))
            .await
            .and_then(|mut written| written.pop().ok_or_else(|| answerless::<B>()));
        let _ = answer.send(outcome);
    }
}

/// Writes `items` in one transaction; a panic is an error, and nothing is kept on either.
async fn write_together<B: BatchWrite>(
    write: &AnyPool,
    engine: Engine,
    items: &[B],
) -> StoreResult<Vec<B::Answer>> {
    let mut tx = begin_write(write, engine).await?;
    let written = AssertUnwindSafe(B::write_all(&mut tx, items))
        .catch_unwind()
        .await
        .map_err(|_| StoreError::Database(sqlx::Error::Protocol("a batched write panicked".into())))??;
    if written.len() != items.len() {
        return Err(answerless::<B>());
    }
    tx.commit().await?;
    Ok(written)
}

fn answerless<B>() -> StoreError {
    StoreError::Database(sqlx::Error::Protocol(format!(
        "{} answered a different number of writes than it was given",
        std::any::type_name::<B>()
    )))
}

fn stopped() -> StoreError {
    StoreError::Database(sqlx::Error::WorkerCrashed)
}
