//! Bulk invites: the report before anything is sent, the worker that sends, stopping, running
//! the same list again, uploads, and the owner check.

use axum::http::StatusCode;

use app::api::session::mail_context;
use services::invitations::bulk::process_queued;

use crate::on_both_databases;
use crate::support::{Browser, Db, TestPortal};

const OWNER: &str = "olga@example.com";

const LIST: &str = "email,name,message\n\
    ann@partner.example,Ann Example,Welcome\n\
    not-an-email,Nobody\n\
    eve@rival.example,Eve Rival\n\
    \n\
    bo@partner.example,\"Bo, Jr.\"\n\
    ANN@partner.example,Ann Twice\n";

async fn setup(portal: &TestPortal) -> (Browser<'_>, i64) {
    let mut admin = portal.admin().await;
    let crm = portal.create_resource(&mut admin, "CRM", "crm").await;
    portal
        .set_policy(&mut admin, crm, &[("form[denied_domains]", "rival.example")])
        .await;
    let owner = portal.owner(&mut admin, crm, OWNER).await;
    (owner, crm)
}

async fn check(owner: &mut Browser<'_>, resource: i64, rows: &str) -> (StatusCode, String, Option<String>) {
    let reply = owner
        .call(
            "/api/prepare_bulk_invite",
            &[("resource_id", &resource.to_string()), ("rows", rows)],
        )
        .await;
    let location = reply.header("location").map(str::to_string);
    (reply.status, reply.body, location)
}

fn batch_of(location: &str) -> String {
    location.rsplit('/').next().expect("batch id").to_string()
}

async fn run_worker(portal: &TestPortal) -> u64 {
    let mut handled = 0;
    loop {
        let now = portal.state.clock.now();
        let n = process_queued(&portal.state.store, &mail_context(&portal.state), now, 2)
            .await
            .expect("worker");
        if n == 0 {
            return handled;
        }
        handled += n;
    }
}

async fn a_list_is_reported_row_by_row_then_invited_once(db: Db) {
    let portal = TestPortal::start(db).await;
    let (mut owner, crm) = setup(&portal).await;
    let (status, body, location) = check(&mut owner, crm, LIST).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let location = location.expect("to the report");
    let batch = batch_of(&location);
    assert_eq!(location, format!("/resources/{crm}/bulk/{batch}"));
    assert_eq!(
        portal.count("SELECT COUNT(*) FROM invitations").await,
        0,
        "nothing is sent before confirming"
    );

    let report = owner
        .call(
            "/api/bulk_batch",
            &[("resource_id", &crm.to_string()), ("batch_id", &batch)],
        )
        .await;
    let json: serde_json::Value = serde_json::from_str(&report.body).expect("json");
    assert_eq!(json["batch"]["state"], "draft");
    assert_eq!(json["batch"]["counts"]["ready"], 2);
    assert_eq!(json["batch"]["counts"]["rejected"], 3);
    let notes: Vec<(i64, String)> = json["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["line"].as_i64().unwrap_or(0),
                // Notes are message codes; an English reader reads them so.
                locales::messages::word(locales::Locale::en, r["note"].as_str().unwrap_or("")),
            )
        })
        .collect();
    assert!(notes[1].1.starts_with("Invalid email"), "{notes:?}");
    assert!(notes[2].1.starts_with("Denied domain"), "{notes:?}");
    assert_eq!(notes[3].0, 6, "line numbers count the blank line: {notes:?}");
    assert!(notes[4].1.starts_with("Listed twice"), "{notes:?}");

    let confirm = [("resource_id", crm.to_string()), ("batch_id", batch.clone())];
    let confirm: Vec<(&str, &str)> = confirm.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let started = owner.call("/api/confirm_bulk_invite", &confirm).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let twice = owner.call("/api/confirm_bulk_invite", &confirm).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(run_worker(&portal).await, 2);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM invitations WHERE source = 'bulk' AND state = 'pending'")
            .await,
        2
    );
    let ann = portal.last_email_to("ann@partner.example").await;
    assert!(
        ann.text.contains("Welcome"),
        "the row's message is in the email: {}",
        ann.text
    );
    assert!(ann.text.contains("Olga Owner"), "{}", ann.text);
    let done = owner
        .call(
            "/api/bulk_batch",
            &[("resource_id", &crm.to_string()), ("batch_id", &batch)],
        )
        .await;
    let json: serde_json::Value = serde_json::from_str(&done.body).expect("json");
    assert_eq!(json["batch"]["state"], "done");
    assert_eq!(json["batch"]["counts"]["invited"], 2);

    // The same list again: the two are now invited already; nobody is invited twice.
    let (_, _, again) = check(&mut owner, crm, LIST).await;
    let again = batch_of(&again.expect("a report"));
    let report = owner
        .call(
            "/api/bulk_batch",
            &[("resource_id", &crm.to_string()), ("batch_id", &again)],
        )
        .await;
    let json: serde_json::Value = serde_json::from_str(&report.body).expect("json");
    assert_eq!(json["batch"]["counts"]["ready"], 0, "{}", report.body);
    let notes: Vec<String> = json["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| locales::messages::word(locales::Locale::en, r["note"].as_str().unwrap_or("")))
        .collect();
    assert!(
        notes.iter().any(|n| n.starts_with("Already invited")),
        "{notes:?}"
    );
    assert_eq!(portal.emails_to("ann@partner.example").await.len(), 1);
}

async fn a_stopped_batch_invites_no_further_rows(db: Db) {
    let portal = TestPortal::start(db).await;
    let (mut owner, crm) = setup(&portal).await;
    let list: String = (0..10)
        .map(|i| format!("p{i}@partner.example,Partner {i}\n"))
        .collect();
    let (_, _, location) = check(&mut owner, crm, &list).await;
    let batch = batch_of(&location.expect("a report"));
    let form = [("resource_id", crm.to_string()), ("batch_id", batch.clone())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    owner.call("/api/confirm_bulk_invite", &form).await;
    let now = portal.state.clock.now();
    let first = process_queued(&portal.state.store, &mail_context(&portal.state), now, 3)
        .await
        .expect("worker");
    assert_eq!(first, 3);
    let stopped = owner.call("/api/stop_bulk_invite", &form).await;
    assert_eq!(stopped.status, StatusCode::OK, "{}", stopped.body);
    assert_eq!(run_worker(&portal).await, 0);
    assert_eq!(portal.count("SELECT COUNT(*) FROM invitations").await, 3);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM bulk_rows WHERE state = 'stopped'")
            .await,
        7
    );
    let again = owner.call("/api/stop_bulk_invite", &form).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(
        portal.count("SELECT COUNT(*) FROM audit_events WHERE action IN ('bulk.checked', 'bulk.started', 'bulk.stopped')").await,
        3
    );
}

async fn whole_list_problems_are_told_by_the_field(db: Db) {
    let portal = TestPortal::start(db).await;
    let (mut owner, crm) = setup(&portal).await;
    let (status, body, _) = check(&mut owner, crm, "  \n").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("\"rows\"") && body.contains("The list is empty"),
        "{body}"
    );
    let long: String = (0..1001)
        .map(|i| format!("p{i}@partner.example,P {i}\n"))
        .collect();
    let (status, body, _) = check(&mut owner, crm, &long).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("at most 1000 rows"), "{body}");
    assert_eq!(portal.count("SELECT COUNT(*) FROM bulk_batches").await, 0);
}

async fn upload(owner: &mut Browser<'_>, resource: i64, name: &str, content: &[u8]) -> crate::support::Reply {
    let (content_type, body) = crate::support::multipart("file", name, content);
    owner
        .post_multipart(&format!("/resources/{resource}/bulk/upload"), &content_type, body)
        .await
}

async fn an_uploaded_file_gets_the_same_report(db: Db) {
    let portal = TestPortal::start(db).await;
    let (mut owner, crm) = setup(&portal).await;
    let reply = upload(
        &mut owner,
        crm,
        "partners.csv",
        format!("\u{feff}{LIST}").as_bytes(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let location = reply.header("location").expect("to the report").to_string();
    assert!(
        location.starts_with(&format!("/resources/{crm}/bulk/")),
        "{location}"
    );
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM bulk_batches WHERE origin = 'partners.csv'")
            .await,
        1
    );
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM bulk_rows WHERE state = 'ready'")
            .await,
        2
    );

    let binary = upload(&mut owner, crm, "photo.csv", &[0xff, 0xfe, 0x00, 0x81]).await;
    assert_eq!(
        binary.header("location"),
        Some(format!("/resources/{crm}/bulk?upload_error=not_text").as_str())
    );
    let page = owner
        .get(&format!("/resources/{crm}/bulk?upload_error=not_text"))
        .await;
    assert!(page.body.contains("not a text CSV file"), "{}", page.body);

    let mut admin = portal.signed_in(crate::support::ADMIN_EMAIL).await;
    let wiki = portal.create_resource(&mut admin, "Wiki", "wiki").await;
    let refused = upload(&mut owner, wiki, "partners.csv", LIST.as_bytes()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(portal.count("SELECT COUNT(*) FROM bulk_batches").await, 1);
}

async fn nobody_runs_batches_of_a_resource_they_do_not_own(db: Db) {
    let portal = TestPortal::start(db).await;
    let (mut owner, crm) = setup(&portal).await;
    let (_, _, location) = check(&mut owner, crm, LIST).await;
    let batch = batch_of(&location.expect("a report"));
    let mut admin = portal.signed_in(crate::support::ADMIN_EMAIL).await;
    let wiki = portal.create_resource(&mut admin, "Wiki", "wiki").await;
    let mut will = portal.owner(&mut admin, wiki, "will@example.com").await;
    let crm_id = crm.to_string();
    for (path, form) in [
        ("/api/bulk_overview", vec![("resource_id", crm_id.as_str())]),
        (
            "/api/bulk_batch",
            vec![("resource_id", crm_id.as_str()), ("batch_id", batch.as_str())],
        ),
        (
            "/api/confirm_bulk_invite",
            vec![("resource_id", crm_id.as_str()), ("batch_id", batch.as_str())],
        ),
        (
            "/api/prepare_bulk_invite",
            vec![("resource_id", crm_id.as_str()), ("rows", LIST)],
        ),
    ] {
        let reply = will.call(path, &form).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}: {}", reply.body);
    }
    // Through their own resource, another's batch is not found.
    let sideways = will
        .call(
            "/api/confirm_bulk_invite",
            &[("resource_id", &wiki.to_string()), ("batch_id", &batch)],
        )
        .await;
    assert_eq!(sideways.status, StatusCode::NOT_FOUND);
    assert_eq!(
        portal
            .count("SELECT COUNT(*) FROM bulk_batches WHERE state = 'draft'")
            .await,
        1
    );
}

/// A list checked but never confirmed is discarded by the hourly clean-up a day later; a
/// confirmed batch stays.
async fn a_draft_never_confirmed_is_discarded_after_a_day(db: Db) {
    use services::memberships::lifecycle::clean_up;
    let portal = TestPortal::start(db).await;
    let (mut owner, crm) = setup(&portal).await;
    let (_, _, kept) = check(&mut owner, crm, LIST).await;
    let confirmed = batch_of(&kept.expect("location"));
    let form = [("resource_id", crm.to_string()), ("batch_id", confirmed.clone())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        owner.call("/api/confirm_bulk_invite", &form).await.status,
        StatusCode::OK
    );
    let (_, _, draft) = check(&mut owner, crm, "ann@partner.example,Ann\n").await;
    let draft = batch_of(&draft.expect("location"));
    let absolute = portal.state.settings.session_absolute_seconds;

    let cleaned = clean_up(
        &portal.state.store,
        absolute,
        portal.state.clock.now() + 23 * 3600,
    )
    .await
    .expect("clean up");
    assert_eq!(cleaned.bulk_drafts, 0, "within a day the draft waits");
    let cleaned = clean_up(
        &portal.state.store,
        absolute,
        portal.state.clock.now() + 25 * 3600,
    )
    .await
    .expect("clean up");
    assert_eq!(cleaned.bulk_drafts, 1);
    let left = |id: &str| format!("SELECT COUNT(*) FROM bulk_batches WHERE id = {id}");
    assert_eq!(portal.count(&left(&draft)).await, 0);
    assert_eq!(
        portal
            .count(&format!(
                "SELECT COUNT(*) FROM bulk_rows WHERE batch_id = {draft}"
            ))
            .await,
        0
    );
    assert_eq!(
        portal.count(&left(&confirmed)).await,
        1,
        "a confirmed batch stays"
    );
}

on_both_databases!(
    a_draft_never_confirmed_is_discarded_after_a_day,
    a_list_is_reported_row_by_row_then_invited_once,
    a_stopped_batch_invites_no_further_rows,
    whole_list_problems_are_told_by_the_field,
    an_uploaded_file_gets_the_same_report,
    nobody_runs_batches_of_a_resource_they_do_not_own,
);
