//! Admin: the background jobs and the mail queue, so failures are seen without a database client.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobView {
    pub name: String,
    pub description: String,
    pub every_seconds: i64,
    pub next_run_at: i64,
    pub running: bool,
    pub last_success_at: Option<i64>,
    pub last_processed: i64,
    pub failures: i64,
    pub last_error: Option<String>,
    pub last_error_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailingMail {
    pub to: String,
    pub subject: String,
    pub attempts: i64,
    pub error: String,
    pub next_try_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkOverview {
    pub jobs: Vec<JobView>,
    pub unsent_mail: i64,
    pub failing_mail: Vec<FailingMail>,
}

#[server(prefix = "/api", endpoint = "background_work")]
pub async fn background_work() -> Result<WorkOverview, AppError> {
    use crate::api::session::require_admin;
    use services::memberships::lifecycle::overview::work_overview;
    let (state, _, _) = require_admin().await?;
    let now = state.clock.now();
    let work = work_overview(&state.store).await?;
    Ok(WorkOverview {
        jobs: work
            .jobs
            .into_iter()
            .map(|(job, row)| JobView {
                name: row.name,
                description: job.description().to_string(),
                every_seconds: job.interval_seconds(),
                next_run_at: row.next_run_at,
                running: row.claimed_until.is_some_and(|until| until > now),
                last_success_at: row.last_success_at,
                last_processed: row.last_processed,
                failures: row.failures,
                last_error: row.last_error,
                last_error_at: row.last_error_at,
            })
            .collect(),
        unsent_mail: work.unsent_mail,
        failing_mail: work
            .failing_mail
            .into_iter()
            .map(|m| FailingMail {
                to: m.to_address,
                subject: m.subject,
                attempts: m.attempts,
                error: m.last_error,
                next_try_at: m.send_after,
            })
            .collect(),
    })
}

/// Makes a job due now; the next scheduler round in any instance runs it.
#[server(prefix = "/api", endpoint = "run_job_now")]
pub async fn run_job_now(name: String) -> Result<(), AppError> {
    use crate::api::administration::resources::admin_actor;
    use crate::api::session::require_admin;
    use services::memberships::lifecycle::overview::run_now;
    let (state, _, admin) = require_admin().await?;
    let job = run_now(&state.store, &*state.clock, &admin_actor(&admin), &name)
        .await?
        .ok_or(AppError::NotFound)?;
    leptos_axum::redirect(&format!("/admin/jobs?queued={}", job.name()));
    Ok(())
}
