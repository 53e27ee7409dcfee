//! The admin's view of the background work: each job's schedule and last result, the mail not
//! sent yet and the messages that keep failing; and running a job now.

use rules::audit::event::{actions, Actor, AuditEvent};
use rules::clock::Clock;
use storage::jobs::{list_jobs, make_due, JobRow};
use storage::outbox::{failing, unsent_count, FailingMessage};
use storage::{commit, Store, StoreError};

use super::Job;
use crate::audit::record_event;

/// How many failing messages the page lists.
const FAILING_LISTED: i64 = 50;

pub struct WorkOverview {
    /// The jobs Portico knows, with their stored schedule.
    pub jobs: Vec<(Job, JobRow)>,
    pub unsent_mail: i64,
    pub failing_mail: Vec<FailingMessage>,
}

pub async fn work_overview(store: &Store) -> Result<WorkOverview, StoreError> {
    let db = store.read();
    let jobs = list_jobs(db)
        .await?
        .into_iter()
        .filter_map(|row| Some((Job::from_name(&row.name)?, row)))
        .collect();
    Ok(WorkOverview {
        jobs,
        unsent_mail: unsent_count(db).await?,
        failing_mail: failing(db, FAILING_LISTED).await?,
    })
}

/// Makes a job due now (audited); the next scheduler round in any instance runs it. `None`
/// for a name that is no job.
pub async fn run_now(
    store: &Store,
    clock: &dyn Clock,
    admin: &Actor,
    name: &str,
) -> Result<Option<Job>, StoreError> {
    let Some(job) = Job::from_name(name) else {
        return Ok(None);
    };
    let now = clock.now();
    let mut tx = store.begin().await?;
    make_due(&mut tx, job.name(), now).await?;
    let event = AuditEvent::new(admin, actions::JOB_RUN_REQUESTED, now).target("job", job.name(), job.name());
    record_event(&mut tx, &event).await?;
    commit(tx).await?;
    Ok(Some(job))
}
