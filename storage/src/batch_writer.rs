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
//! PostgreSQL writes up to [`POSTGRES_BATCHES_IN_FLIGHT`] batches side by side, on as many
//! connections; while one is being written, the next waits for [`GATHER_WHILE_WRITING`] writes or
//! for a batch to be done, so that it does not set off with the first write to arrive alone.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;
use futures::FutureExt;
use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot, Notify, OwnedSemaphorePermit, Semaphore};

use crate::{begin_write, Engine, StoreError, StoreResult, Tx};

/// The most writes one batch carries.
pub const MAX_BATCH: usize = 64;

/// How many batches PostgreSQL writes at once (SQLite: one).
pub const POSTGRES_BATCHES_IN_FLIGHT: usize = 4;

/// While another batch is being written, a new one starts once this many writes wait or once
/// some batch is done, whichever comes first. With nothing in flight a write starts at once.
pub const GATHER_WHILE_WRITING: usize = 8;

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
    let written = Arc::new(Notify::new());
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let mut batch = Vec::with_capacity(MAX_BATCH);
        if queue.recv_many(&mut batch, MAX_BATCH).await == 0 {
            return;
        }
        // Told when a batch is done from now on: listening before looking at the slots, so
        // that none can finish unnoticed in between.
        let one_written = written.notified();
        tokio::pin!(one_written);
        one_written.as_mut().enable();
        let others_writing = slots.available_permits() + 1 < in_flight;
        if others_writing {
            // A free slot would otherwise take the first write to arrive, alone: on PostgreSQL
            // half the batches carried one submission, each paying a whole batch's round trips.
            while batch.len() < GATHER_WHILE_WRITING {
                let room = MAX_BATCH - batch.len();
                tokio::select! {
                    biased;
                    _ = one_written.as_mut() => break,
                    received = queue.recv_many(&mut batch, room) => {
                        if received == 0 {
                            break;
                        }
                    }
                }
            }
        }
        let in_flight = InFlight {
            slot: Some(slot),
            written: written.clone(),
        };
        tokio::spawn(write_batch(write.clone(), engine, batch, in_flight));
    }
}

/// A batch's place among those in flight. However the batch ends (even by a panic), its slot is
/// given back and then the gatherer told, in that order: a gatherer told looks at the slots
/// and must find this one free, or it would wait for a batch that is no longer there.
struct InFlight {
    slot: Option<OwnedSemaphorePermit>,
    written: Arc<Notify>,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        drop(self.slot.take());
        self.written.notify_waiters();
    }
}

async fn write_batch<B: BatchWrite>(
    write: AnyPool,
    engine: Engine,
    batch: Vec<Queued<B>>,
    _in_flight: InFlight,
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
    crate::commit(tx).await?;
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use sqlx::any::AnyPoolOptions;

    use super::*;

    /// A write that records the size of each batch it is written in, and holds the first batch
    /// until `release` is told.
    struct Held {
        sizes: Arc<Mutex<Vec<usize>>>,
        release: Arc<Semaphore>,
    }

    impl BatchWrite for Held {
        type Answer = ();

        fn write_all<'t>(_tx: &'t mut Tx, items: &'t [Self]) -> BoxFuture<'t, StoreResult<Vec<()>>> {
            Box::pin(async move {
                let first = {
                    let mut sizes = items[0].sizes.lock().unwrap();
                    sizes.push(items.len());
                    sizes.len() == 1
                };
                if first {
                    let _ = items[0].release.acquire().await;
                }
                Ok(vec![(); items.len()])
            })
        }
    }

    /// Batches on PostgreSQL's terms (several in flight), written on in-memory SQLite
    /// connections that nothing is written to.
    async fn writers() -> BatchWriters {
        sqlx::any::install_default_drivers();
        let pool = AnyPoolOptions::new()
            .max_connections(POSTGRES_BATCHES_IN_FLIGHT as u32)
            .connect("sqlite::memory:")
            .await
            .unwrap();
        BatchWriters::new(pool, Engine::Postgres)
    }

    async fn write_some(
        writers: &BatchWriters,
        count: usize,
        sizes: &Arc<Mutex<Vec<usize>>>,
        release: &Arc<Semaphore>,
    ) -> Vec<tokio::task::JoinHandle<StoreResult<()>>> {
        let mut handles = Vec::new();
        for _ in 0..count {
            let (writers, item) = (
                writers.clone(),
                Held {
                    sizes: sizes.clone(),
                    release: release.clone(),
                },
            );
            handles.push(tokio::spawn(async move { writers.write(item).await }));
            // One at a time, as requests arrive.
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        handles
    }

    #[tokio::test]
    async fn writes_arriving_while_a_batch_is_written_wait_for_it_and_go_together() {
        let writers = writers().await;
        let sizes = Arc::new(Mutex::new(Vec::new()));
        let release = Arc::new(Semaphore::new(0));
        let first = write_some(&writers, 1, &sizes, &release).await;
        let later = write_some(&writers, 3, &sizes, &release).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(
            *sizes.lock().unwrap(),
            vec![1],
            "the three wait while the first is written"
        );

        release.add_permits(1);
        for handle in first.into_iter().chain(later) {
            handle.await.unwrap().unwrap();
        }
        assert_eq!(*sizes.lock().unwrap(), vec![1, 3]);
    }

    #[tokio::test]
    async fn enough_waiting_writes_start_a_batch_beside_the_one_in_flight() {
        let writers = writers().await;
        let sizes = Arc::new(Mutex::new(Vec::new()));
        let release = Arc::new(Semaphore::new(0));
        let first = write_some(&writers, 1, &sizes, &release).await;
        let later = write_some(&writers, GATHER_WHILE_WRITING, &sizes, &release).await;
        for handle in later {
            handle.await.unwrap().unwrap();
        }
        assert_eq!(*sizes.lock().unwrap(), vec![1, GATHER_WHILE_WRITING]);

        release.add_permits(1);
        for handle in first {
            handle.await.unwrap().unwrap();
        }
    }
}
