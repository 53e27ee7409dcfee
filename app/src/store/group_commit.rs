//! Group commit for SQLite: many small write transactions share one commit.
//!
//! SQLite has one writer, and every commit appends each page it changed to the write-ahead log.
//! A request submission changes about fifteen pages (the request, its approval task, two emails
//! and an audit event, each with its indexes), so under load the single writer spent its time
//! writing nearly the same pages again for every submission, one transaction after the other.
//! Here the writes queue for one task, which takes everything waiting (up to [`MAX_GROUP`]),
//! runs each inside its own savepoint of one transaction and commits once: the shared pages are
//! written once per group. A write that fails is rolled back to its savepoint and only its
//! caller sees the error; the others still commit. Nobody is answered before the commit is done.
//!
//! PostgreSQL runs many writers side by side and groups concurrent commits itself, so there
//! [`Store::group_commit`](super::Store::group_commit) is an ordinary transaction.

use std::panic::AssertUnwindSafe;

use futures::future::BoxFuture;
use futures::FutureExt;
use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot};

use super::{StoreError, StoreResult, Tx};

/// The most writes one commit carries.
pub const MAX_GROUP: usize = 64;

/// One caller's write, run against the shared transaction. It answers whether it succeeded
/// (the write's own result goes to its caller through a channel of its own).
type Work = Box<dyn for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, bool> + Send>;

struct Job {
    work: Option<Work>,
    /// Told once the group's commit is done (or failed).
    committed: oneshot::Sender<Result<(), String>>,
}

/// The queue in front of the SQLite writer; cheap to clone.
#[derive(Debug, Clone)]
pub struct GroupCommit {
    jobs: mpsc::Sender<Job>,
}

impl GroupCommit {
    /// Starts the task that commits groups on `write` (the single-connection write pool). The
    /// task ends when the last `GroupCommit` is dropped.
    pub fn start(write: AnyPool) -> Self {
        let (jobs, queue) = mpsc::channel(1024);
        tokio::spawn(commit_groups(write, queue));
        Self { jobs }
    }

    /// Runs `work` inside a transaction shared with other writes and answers its result once
    /// that transaction is committed. If `work` fails, none of its writes are kept.
    pub async fn run<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: for<'t> FnOnce(&'t mut Tx) -> BoxFuture<'t, StoreResult<T>> + Send + 'static,
    {
        let (answer, result) = oneshot::channel();
        let (committed, commit_result) = oneshot::channel();
        let work: Work = Box::new(move |tx| {
            Box::pin(async move {
                let outcome = work(tx).await;
                let succeeded = outcome.is_ok();
                let _ = answer.send(outcome);
                succeeded
            })
        });
        let job = Job {
            work: Some(work),
            committed,
        };
        self.jobs.send(job).await.map_err(|_| stopped())?;
        match commit_result.await.map_err(|_| stopped())? {
            Ok(()) => result.await.map_err(|_| stopped())?,
            Err(message) => Err(StoreError::Database(sqlx::Error::Protocol(format!(
                "the shared commit failed: {message}"
            )))),
        }
    }
}

/// The writer task: takes what is waiting, commits it as one transaction, answers everyone.
async fn commit_groups(write: AnyPool, mut queue: mpsc::Receiver<Job>) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while queue.recv_many(&mut group, MAX_GROUP).await > 0 {
        let outcome = commit_group(&write, &mut group)
            .await
            .map_err(|error| error.to_string());
        for job in group.drain(..) {
            let _ = job.committed.send(outcome.clone());
        }
    }
}

async fn commit_group(write: &AnyPool, group: &mut [Job]) -> Result<(), sqlx::Error> {
    // IMMEDIATE takes the write lock up front, as Store::begin does.
    let mut tx = write.begin_with("BEGIN IMMEDIATE").await?;
    for job in group.iter_mut() {
        let Some(work) = job.work.take() else { continue };
        sqlx::query("SAVEPOINT grouped_write").execute(&mut *tx).await?;
        // A panicking write is a failed write: its caller gets an error, the group goes on.
        let succeeded = AssertUnwindSafe(work(&mut tx))
            .catch_unwind()
            .await
            .unwrap_or(false);
        if !succeeded {
            sqlx::query("ROLLBACK TO SAVEPOINT grouped_write")
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("RELEASE SAVEPOINT grouped_write")
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}

fn stopped() -> StoreError {
    StoreError::Database(sqlx::Error::WorkerCrashed)
}
