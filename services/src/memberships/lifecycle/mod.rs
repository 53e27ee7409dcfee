//! Lifecycle jobs: what happens because time passes. Invitations expire, undecided requests
//! are denied at their deadline, memberships get reminders and then end, and spent sign-in
//! material is removed. Every job takes the time as a value, so tests move it by hand.
//!
//! Each job is safe with any number of instances: it reads what is due, then acts on each row
//! through a conditional update in its own transaction, with the emails and audit events of the
//! change queued in that same transaction. A row that another instance handled first is skipped.

mod cleanup;
mod deadlines;
mod memberships;
pub mod overview;

pub use cleanup::clean_up;
pub use deadlines::{expire_invitations, time_out_requests};
pub use memberships::{end_memberships, send_reminders};

use crate::mail::MailContext;
use storage::{Store, StoreError};

/// How many rows one pass of a job handles before it looks again.
pub(crate) const BATCH: i64 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    ExpireInvitations,
    TimeOutRequests,
    Memberships,
    CleanUp,
}

/// What a job needs besides the store and the time.
pub struct JobContext {
    pub mail: MailContext,
    /// Sign-ins older than this many seconds cannot back a session any more.
    pub session_absolute_seconds: i64,
}

impl Job {
    pub const ALL: [Job; 4] = [
        Job::ExpireInvitations,
        Job::TimeOutRequests,
        Job::Memberships,
        Job::CleanUp,
    ];

    /// The name in the `jobs` table and on the admin page.
    pub fn name(self) -> &'static str {
        match self {
            Job::ExpireInvitations => "expire_invitations",
            Job::TimeOutRequests => "time_out_requests",
            Job::Memberships => "memberships",
            Job::CleanUp => "clean_up",
        }
    }

    pub fn from_name(name: &str) -> Option<Job> {
        Job::ALL.into_iter().find(|job| job.name() == name)
    }

    /// What it does, for admins.
    pub fn description(self) -> &'static str {
        match self {
            Job::ExpireInvitations => "@marks_invitations_past_their",
            Job::TimeOutRequests => "@denies_requests_nobody_decided",
            Job::Memberships => "@sends_reminders_14_days",
            Job::CleanUp => "@removes_old_sign_ins",
        }
    }

    /// Seconds between two successful runs.
    pub fn interval_seconds(self) -> i64 {
        match self {
            Job::ExpireInvitations | Job::TimeOutRequests => 60,
            Job::Memberships => 300,
            Job::CleanUp => 3600,
        }
    }

    /// Runs the job once for `now`; returns how many rows it changed.
    pub async fn run(self, store: &Store, context: &JobContext, now: i64) -> Result<u64, StoreError> {
        match self {
            Job::ExpireInvitations => expire_invitations(store, now).await,
            Job::TimeOutRequests => time_out_requests(store, &context.mail, now).await,
            Job::Memberships => {
                let reminded = send_reminders(store, &context.mail, now).await?;
                Ok(reminded + end_memberships(store, &context.mail, now).await?)
            }
            Job::CleanUp => clean_up(store, context.session_absolute_seconds, now)
                .await
                .map(|cleaned| cleaned.total()),
        }
    }
}

/// Seconds to wait before trying again after `failures` failures in a row: 30 s, 1 min,
/// 2 min ... never more than an hour. Shared by the jobs and the outbox.
pub fn retry_delay(failures: i64) -> i64 {
    let doublings = u32::try_from(failures.saturating_sub(1)).unwrap_or(0).min(7);
    (30i64 << doublings).min(3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(retry_delay(0), 30);
        assert_eq!(retry_delay(1), 30);
        assert_eq!(retry_delay(2), 60);
        assert_eq!(retry_delay(5), 480);
        assert_eq!(retry_delay(20), 3600);
    }

    #[test]
    fn every_job_is_found_by_its_name() {
        for job in Job::ALL {
            assert_eq!(Job::from_name(job.name()), Some(job));
        }
        assert_eq!(Job::from_name("nothing"), None);
    }
}
