//! The lifecycle scheduler: every few seconds, each instance tries to claim each due job and
//! runs the ones it gets. The claim (a conditional update on the job's row) makes one instance
//! run each round; the jobs themselves stay correct even if two ran at once.

use std::time::Duration;

use app::state::AppState;
use services::memberships::lifecycle::{retry_delay, Job, JobContext};
use storage::jobs::{claim_job, fail_job, finish_job};
use storage::{Store, StoreError};

use super::StopSignal;

const TICK: Duration = Duration::from_secs(5);

/// Runs `job` if this instance can claim it now; `Ok(None)` when it was not due or another
/// instance holds it, else how many rows the run changed.
pub async fn run_if_due(state: &AppState, job: Job, now: i64, lease: i64) -> Result<Option<u64>, StoreError> {
    let store = &state.store;
    if !claim_job(store, job.name(), now, lease).await? {
        return Ok(None);
    }
    let context = JobContext {
        mail: state.look.mail(&state.settings),
        session_absolute_seconds: state.settings.session_absolute_seconds,
    };
    match job.run(store, &context, now).await {
        Ok(changed) => {
            finish_job(
                store,
                job.name(),
                now,
                changed as i64,
                now + job.interval_seconds(),
            )
            .await?;
            if changed > 0 {
                tracing::info!(job = job.name(), changed, "job ran");
            }
            Ok(Some(changed))
        }
        Err(error) => {
            let failures = failures_so_far(store, job).await.unwrap_or(0) + 1;
            let retry_at = now + retry_delay(failures);
            tracing::warn!(job = job.name(), %error, failures, "job failed; will retry");
            fail_job(store, job.name(), now, &error.to_string(), retry_at).await?;
            Err(error)
        }
    }
}

async fn failures_so_far(store: &Store, job: Job) -> Result<i64, StoreError> {
    let jobs = storage::jobs::list_jobs(store.read()).await?;
    Ok(jobs
        .into_iter()
        .find(|row| row.name == job.name())
        .map(|row| row.failures)
        .unwrap_or(0))
}

pub async fn run(state: AppState, lease: i64, mut stop: StopSignal) {
    while !stop.is_stopped() {
        for job in Job::ALL {
            if stop.is_stopped() {
                break;
            }
            if let Err(error) = run_if_due(&state, job, state.clock.now(), lease).await {
                tracing::error!(job = job.name(), %error, "job could not run");
            }
        }
        stop.sleep(TICK).await;
    }
}
