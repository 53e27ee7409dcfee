//! Lifecycle jobs with the clock moved by hand: expiry, decision deadlines, membership
//! reminders and ends, clean-up, and the job schedule itself (claims, failures, retries).

use axum::http::StatusCode;
use futures::future::join_all;

use portico_server::workers::lifecycle::run_if_due;
use rules::clock::Clock;
use services::memberships::lifecycle::Job;
use storage::jobs::list_jobs;

use crate::on_both_databases;
use crate::support::{Db, TestPortal, PASSWORD};

const PARTNER: &str = "ann@partner.example";
const OWNER: &str = "olga@example.com";
const DAY: i64 = 86_400;

/// Runs `job` through the scheduler as an instance would at the portal's current time.
async fn run(portal: &TestPortal, job: Job) -> Option<u64> {
    run_if_due(&portal.state, job, portal.clock.now(), 120)
        .await
        .expect("the job runs")
}

/// A resource auto-approving partner.example with access for `days`; returns the invitation
/// token sent to the partner.
async fn invited_for_days(portal: &TestPortal, days: &str) -> String {
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    portal
        .set_policy(
            &mut admin,
            crm,
            &[
                ("form[auto_approve_domains]", "partner.example"),
                ("form[access_duration]", "days"),
                ("form[access_days]", days),
            ],
        )
        .await;
    portal.browser().request_access("crm", PARTNER, "Ann").await;
    portal
        .last_email_to(PARTNER)
        .await
        .link("/invite/")
        .trim_start_matches("/invite/")
        .to_string()
}

async fn redeem(portal: &TestPortal, token: &str) {
    portal.allow_partner_passwords().await;
    let reply = portal
        .browser()
        .call(
            "/api/redeem_invitation",
            &[
                ("token", token),
                ("mode", "new"),
                ("display_name", "Ann Example"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

async fn an_unused_invitation_expires_and_the_status_page_says_so(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, OWNER).await;
    portal.browser().request_access("crm", PARTNER, "Ann").await;
    let status_token = portal
        .last_email_to(PARTNER)
        .await
        .link("/status/")
        .trim_start_matches("/status/")
        .to_string();
    let request_id = portal.count("SELECT id FROM access_requests").await.to_string();
    let approved = owner
        .call(
            "/api/decide_request",
            &[
                ("request_id", &request_id),
                ("outcome", "approve"),
                ("justification", ""),
            ],
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);

    // Before its end nothing happens.
    assert_eq!(run(&portal, Job::ExpireInvitations).await, Some(0));
    portal.clock.advance(7 * DAY);
    assert_eq!(run(&portal, Job::ExpireInvitations).await, Some(1));
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM invitations WHERE state = 'expired' AND closed_at IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        portal
            .count(
                "SELECT COUNT(*) FROM audit_events WHERE action = 'invitation.expired' AND actor = 'system'"
            )
            .await,
        1
    );
    let status = portal
        .browser()
        .call("/api/request_status", &[("token", &status_token)])
        .await;
    assert!(
        status.body.contains("\"invitation\":[\"Expired\""),
        "{}",
        status.body
    );
    let page = portal.browser().get(&format!("/status/{status_token}")).await;
    assert!(page.body.contains("the invitation expired on"), "{}", page.body);
    assert!(page.body.contains("Ask again"), "{}", page.body);

    // Not due again until its interval has passed; then it finds nothing more.
    assert_eq!(run(&portal, Job::ExpireInvitations).await, None);
    portal.clock.advance(60);
    assert_eq!(run(&portal, Job::ExpireInvitations).await, Some(0));
}

async fn a_request_nobody_decides_is_denied_at_its_deadline(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    portal.owner(&mut admin, crm, OWNER).await;
    portal
        .set_policy(&mut admin, crm, &[("form[decision_timeout_days]", "3")])
        .await;
    portal.browser().request_access("crm", PARTNER, "Ann").await;
    let status_token = portal
        .last_email_to(PARTNER)
        .await
        .link("/status/")
        .trim_start_matches("/status/")
        .to_string();

    portal.clock.advance(3 * DAY - 60);
    assert_eq!(run(&portal, Job::TimeOutRequests).await, Some(0), "not yet due");
    portal.clock.advance(60);
    assert_eq!(run(&portal, Job::TimeOutRequests).await, Some(1));

    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM access_requests WHERE state = 'expired'")
            .await,
        1
    );
    assert_eq!(portal.count("SELECT COUNT(*) FROM approval_tasks").await, 0);
    // Days have passed: the owner signs in afresh, and the request has left their queue.
    let mut owner = portal.signed_in(OWNER).await;
    let queue = owner.call("/api/review_queue", &[]).await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    assert!(!queue.body.contains(PARTNER), "{}", queue.body);
    let told = portal.last_email_to(PARTNER).await;
    assert!(
        told.subject
            .starts_with("Your request for CRM was not approved in time"),
        "{}",
        told.subject
    );
    assert!(told.text.contains("denied automatically"), "{}", told.text);
    assert_eq!(
        portal
            .count(
                "SELECT COUNT(*) FROM audit_events WHERE action = 'request.timed_out' AND actor = 'system'"
            )
            .await,
        1
    );
    let page = portal.browser().get(&format!("/status/{status_token}")).await;
    assert!(page.body.contains("Not approved in time"), "{}", page.body);
    assert!(page.body.contains("denied automatically"), "{}", page.body);

    // The owner cannot decide it any more; the partner may ask again.
    let request_id = portal.count("SELECT id FROM access_requests").await.to_string();
    let late = owner
        .call(
            "/api/decide_request",
            &[
                ("request_id", &request_id),
                ("outcome", "approve"),
                ("justification", ""),
            ],
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
    let again = portal.browser().request_access("crm", PARTNER, "Ann").await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM access_requests WHERE state = 'pending'")
            .await,
        1
    );
}

async fn a_membership_gets_two_reminders_once_each_then_ends(db: Db) {
    let portal = TestPortal::start(db).await;
    let token = invited_for_days(&portal, "30").await;
    redeem(&portal, &token).await;
    let mut ann = portal.signed_in(PARTNER).await;
    let access = ann.call("/api/my_access", &[]).await;
    assert!(access.body.contains("\"held\":[{"), "{}", access.body);
    let reminders = || {
        portal.count("SELECT COUNT(*) FROM outbox_messages WHERE subject LIKE 'Your access to CRM ends %'")
    };

    // 15 days before the end: nothing yet.
    portal.clock.advance(15 * DAY);
    assert_eq!(run(&portal, Job::Memberships).await, Some(0));
    // 14 days before: the first reminder, once however often the job runs.
    portal.clock.advance(DAY);
    assert_eq!(run(&portal, Job::Memberships).await, Some(1));
    portal.clock.advance(300);
    assert_eq!(run(&portal, Job::Memberships).await, Some(0));
    assert_eq!(reminders().await, 1);
    let first = portal.last_email_to(PARTNER).await;
    assert!(
        first.subject.starts_with("Your access to CRM ends in 14 days"),
        "{}",
        first.subject
    );
    // 1 day before: the last one.
    portal.clock.advance(13 * DAY - 300);
    assert_eq!(run(&portal, Job::Memberships).await, Some(1));
    portal.clock.advance(300);
    assert_eq!(run(&portal, Job::Memberships).await, Some(0));
    assert_eq!(reminders().await, 2);
    let last = portal.last_email_to(PARTNER).await;
    assert!(last.text.contains("/my-access"), "{}", last.text);
    assert!(
        last.subject.starts_with("Your access to CRM ends tomorrow"),
        "{}",
        last.subject
    );

    // At the end: ended as of its end date, the partner told, My access empty.
    portal.clock.advance(DAY);
    assert_eq!(run(&portal, Job::Memberships).await, Some(1));
    assert_eq!(
        portal
            .count(
                "SELECT COUNT(*) FROM memberships WHERE ended_reason = 'expired' AND ended_at = expires_at"
            )
            .await,
        1
    );
    let ended = portal.last_email_to(PARTNER).await;
    assert!(
        ended.subject.starts_with("Your access to CRM has ended"),
        "{}",
        ended.subject
    );
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action IN ('membership.reminded', 'membership.expired')")
            .await,
        3
    );
    let mut ann = portal.signed_in(PARTNER).await;
    let access = ann.call("/api/my_access", &[]).await;
    assert_eq!(access.status, StatusCode::OK, "{}", access.body);
    assert!(access.body.contains("\"held\":[]"), "{}", access.body);
}

async fn a_short_membership_gets_only_the_last_reminder(db: Db) {
    let portal = TestPortal::start(db).await;
    let token = invited_for_days(&portal, "7").await;
    redeem(&portal, &token).await;
    portal.clock.advance(3 * DAY);
    assert_eq!(
        run(&portal, Job::Memberships).await,
        Some(0),
        "no 14-day reminder for a 7-day grant"
    );
    portal.clock.advance(3 * DAY);
    assert_eq!(run(&portal, Job::Memberships).await, Some(1));
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM memberships WHERE first_reminder_at IS NULL AND last_reminder_at IS NOT NULL")
            .await,
        1
    );
}

async fn one_instance_at_a_time_runs_a_job(db: Db) {
    let portal = TestPortal::start(db).await;
    let now = portal.clock.now();
    let runs = join_all((0..6).map(|_| run_if_due(&portal.state, Job::CleanUp, now, 120))).await;
    let ran = runs.iter().filter(|r| matches!(r, Ok(Some(_)))).count();
    assert_eq!(ran, 1, "{runs:?}");
    let jobs = list_jobs(portal.state.store.read()).await.expect("jobs");
    let names: Vec<&str> = jobs.iter().map(|j| j.name.as_str()).collect();
    let mut expected: Vec<&str> = Job::ALL.iter().map(|j| j.name()).collect();
    expected.sort_unstable();
    assert_eq!(names, expected, "every job has its row");
    let clean = jobs.iter().find(|j| j.name == "clean_up").expect("clean_up");
    assert_eq!(clean.next_run_at, now + 3600);
    assert_eq!(clean.claimed_until, None);
    assert_eq!(clean.last_success_at, Some(now));
}

async fn a_failing_job_backs_off_shows_its_error_and_recovers(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let store = &portal.state.store;
    // Break the job's table for a moment.
    let mut tx = store.begin().await.expect("tx");
    sqlx::query("ALTER TABLE invitations RENAME TO invitations_away")
        .execute(&mut *tx)
        .await
        .expect("rename");
    tx.commit().await.expect("commit");
    let now = portal.clock.now();
    let failed = run_if_due(&portal.state, Job::ExpireInvitations, now, 120).await;
    assert!(failed.is_err());
    let row = list_jobs(store.read())
        .await
        .expect("jobs")
        .into_iter()
        .find(|j| j.name == "expire_invitations")
        .expect("row");
    assert_eq!(row.failures, 1);
    assert_eq!(row.next_run_at, now + 30, "retried after 30 s");
    assert!(
        row.last_error.as_deref().unwrap_or("").contains("invitations"),
        "{row:?}"
    );

    // Admins see it on the background work page.
    let page = admin.get("/admin/jobs").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Failures in a row: 1"), "{}", page.body);

    let mut tx = store.begin().await.expect("tx");
    sqlx::query("ALTER TABLE invitations_away RENAME TO invitations")
        .execute(&mut *tx)
        .await
        .expect("rename back");
    tx.commit().await.expect("commit");
    assert_eq!(
        run(&portal, Job::ExpireInvitations).await,
        None,
        "waits for its retry time"
    );
    portal.clock.advance(30);
    assert_eq!(run(&portal, Job::ExpireInvitations).await, Some(0));
    let row = list_jobs(store.read())
        .await
        .expect("jobs")
        .into_iter()
        .find(|j| j.name == "expire_invitations")
        .expect("row");
    assert_eq!(row.failures, 0);
    let page = admin.get("/admin/jobs").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("in a row"), "{}", page.body);
}

async fn only_admins_see_and_start_background_work(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    let mut owner = portal.owner(&mut admin, crm, OWNER).await;
    assert_eq!(
        owner.call("/api/background_work", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        owner
            .call("/api/run_job_now", &[("name", "clean_up")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        portal.browser().call("/api/background_work", &[]).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Run now makes a job due at once, and is audited.
    assert_eq!(run(&portal, Job::CleanUp).await.map(|_| ()), Some(()));
    assert_eq!(run(&portal, Job::CleanUp).await, None);
    let queued = admin.call("/api/run_job_now", &[("name", "clean_up")]).await;
    assert_eq!(queued.status, StatusCode::OK, "{}", queued.body);
    assert_eq!(queued.header("location"), Some("/admin/jobs?queued=clean_up"));
    assert!(run(&portal, Job::CleanUp).await.is_some());
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM audit_events WHERE action = 'job.run_requested' AND target_id = 'clean_up'")
            .await,
        1
    );
    let unknown = admin.call("/api/run_job_now", &[("name", "drop_tables")]).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let work = admin.call("/api/background_work", &[]).await;
    assert!(
        work.body.contains("\"name\":\"time_out_requests\""),
        "{}",
        work.body
    );
}

async fn clean_up_removes_spent_sign_in_material_and_old_status_links(db: Db) {
    let portal = TestPortal::start(db).await;
    let mut admin = portal.admin().await;
    portal.create_resource(&mut admin, "CRM", "crm").await;
    portal.browser().request_access("crm", PARTNER, "Ann").await;
    let status_token = portal
        .last_email_to(PARTNER)
        .await
        .link("/status/")
        .trim_start_matches("/status/")
        .to_string();
    let withdrawn = portal
        .browser()
        .call("/api/cancel_request", &[("token", &status_token)])
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.body);
    let failed = portal
        .browser()
        .call(
            "/api/sign_in",
            &[
                ("email", "nobody@example.com"),
                ("password", "wrong-password"),
                ("next", ""),
            ],
        )
        .await;
    assert_eq!(failed.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", failed.body);
    assert_eq!(portal.count("SELECT COUNT(*) FROM sign_ins").await, 1);
    assert_eq!(portal.count("SELECT COUNT(*) FROM sign_in_failures").await, 1);

    // Within their lifetimes everything stays.
    assert_eq!(run(&portal, Job::CleanUp).await, Some(0));
    // A day on: the sign-in (12 h absolute) and the failure (1 h window) are gone; the status
    // link of the closed request still works.
    portal.clock.advance(DAY);
    assert_eq!(run(&portal, Job::CleanUp).await, Some(2));
    assert_eq!(portal.count("SELECT COUNT(*) FROM sign_ins").await, 0);
    assert_eq!(portal.count("SELECT COUNT(*) FROM sign_in_failures").await, 0);
    let status = portal
        .browser()
        .call("/api/request_status", &[("token", &status_token)])
        .await;
    assert_eq!(status.status, StatusCode::OK);
    // 90 days after it closed, the status link stops working.
    portal.clock.advance(90 * DAY);
    assert_eq!(run(&portal, Job::CleanUp).await, Some(1));
    let status = portal
        .browser()
        .call("/api/request_status", &[("token", &status_token)])
        .await;
    assert_eq!(status.status, StatusCode::NOT_FOUND, "{}", status.body);
}

on_both_databases!(
    an_unused_invitation_expires_and_the_status_page_says_so,
    a_request_nobody_decides_is_denied_at_its_deadline,
    a_membership_gets_two_reminders_once_each_then_ends,
    a_short_membership_gets_only_the_last_reminder,
    one_instance_at_a_time_runs_a_job,
    a_failing_job_backs_off_shows_its_error_and_recovers,
    only_admins_see_and_start_background_work,
    clean_up_removes_spent_sign_in_material_and_old_status_links,
);
