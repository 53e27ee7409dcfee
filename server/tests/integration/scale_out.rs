//! Several real `server` processes on one database and one real SMTP server: sessions, work and
//! mail shared between them, crashes (SIGKILL) in the middle of it, and simultaneous starts.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use futures::future::join_all;
use reqwest::StatusCode;

use storage::{PoolSizes, Store};

use crate::instances::{first_admin, free_port, link, received, Deployment, Instance, Visitor};
use crate::support::{fresh_database, smtp_sink, Db, SmtpSink};

const ADMIN: &str = "ada@example.com";
const START_LIMIT: Duration = Duration::from_secs(30);

struct Setup {
    deployment: Deployment,
    sink: SmtpSink,
    client: reqwest::Client,
    store: Store,
    _folder: tempfile::TempDir,
}

async fn setup(db: Db) -> Setup {
    let folder = tempfile::tempdir().expect("folder");
    let database_url = fresh_database(db, &folder).await;
    let sink = smtp_sink();
    let deployment = Deployment {
        database_url: database_url.clone(),
        smtp_url: sink.url(),
        public_url: format!("http://127.0.0.1:{}", free_port()),
        folder: folder.path().to_path_buf(),
    };
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client");
    // The test's own look into the database (opened after the first instance migrated it).
    let store = Store::connect(&database_url, PoolSizes { max_connections: 2 })
        .await
        .expect("test connection");
    Setup {
        deployment,
        sink,
        client,
        store,
        _folder: folder,
    }
}

impl Setup {
    async fn count(&self, sql: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql)
            .fetch_one(self.store.read())
            .await
            .expect("count");
        n
    }

    async fn call(
        &self,
        visitor: &mut Visitor,
        at: &Instance,
        path: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, String) {
        let answer = visitor
            .call(&self.client, &self.deployment.public_url, at, path, form)
            .await
            .unwrap_or_else(|e| panic!("{path} on {} failed: {e}", at.name));
        (answer.status, answer.body)
    }

    async fn create_resource(&self, admin: &mut Visitor, at: &Instance) {
        let (status, body) = self
            .call(
                admin,
                at,
                "/api/save_resource",
                &[
                    ("name", "CRM"),
                    ("slug", "crm"),
                    ("kind", "app"),
                    ("description", "Customer records."),
                    ("is_requestable", "on"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    /// Waits until every queued email is marked sent.
    async fn wait_for_outbox(&self, limit: Duration) {
        let started = Instant::now();
        loop {
            let unsent = self
                .count("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL")
                .await;
            if unsent == 0 {
                return;
            }
            assert!(
                started.elapsed() < limit,
                "{unsent} emails still unsent after {limit:?}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Checks the SMTP server got every queued email, and a message twice only when it was
    /// retried after a crash (then with the same Message-ID). Returns how many came twice.
    async fn every_email_arrived(&self) -> usize {
        let keys: Vec<(String, i64)> =
            sqlx::query_as("SELECT idempotency_key, attempts FROM outbox_messages")
                .fetch_all(self.store.read())
                .await
                .expect("outbox");
        let messages = received(&self.sink.maildir());
        let mut arrivals: HashMap<String, usize> = HashMap::new();
        for message in &messages {
            let key = message
                .message_id
                .trim_start_matches('<')
                .split('@')
                .next()
                .unwrap_or_default()
                .to_string();
            *arrivals.entry(key).or_default() += 1;
        }
        let mut twice = 0;
        for (key, attempts) in &keys {
            let arrived = arrivals.get(key).copied().unwrap_or(0);
            assert!(arrived >= 1, "email {key} never arrived");
            if arrived > 1 {
                assert!(
                    *attempts >= 2,
                    "email {key} arrived {arrived} times without a retry"
                );
                assert_eq!(arrived, 2, "email {key} arrived {arrived} times");
                twice += 1;
            }
        }
        let known: HashSet<&String> = keys.iter().map(|(k, _)| k).collect();
        assert!(
            arrivals.keys().all(|k| known.contains(k)),
            "the SMTP server got a message that is not in the outbox"
        );
        twice
    }
}

/// Submits one access request to `port` (owned values, so it can run in a spawned task).
async fn submit(client: reqwest::Client, public_url: String, port: u16, email: String) -> Option<StatusCode> {
    let body = crate::support::encode_form(&[
        ("slug", "crm"),
        ("email", &email),
        ("display_name", "Partner Person"),
        ("organisation", "Partner Ltd"),
        ("justification", "I maintain our integration with this app."),
    ]);
    client
        .post(format!("http://127.0.0.1:{port}/api/submit_access_request"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("origin", public_url)
        .header("sec-fetch-site", "same-origin")
        .body(body)
        .send()
        .await
        .ok()
        .map(|reply| reply.status())
}

#[test]
fn three_instances_share_sessions_work_and_mail() {
    crate::support::run(async {
        let s = setup(Db::Postgres).await;
        let public = s.deployment.public_url.clone();
        let mut a = s.deployment.start("a");
        a.wait_healthy(&s.client, START_LIMIT).await;
        let mut admin = first_admin(&s.client, &public, &a, ADMIN).await;
        let mut b = s.deployment.start("b");
        let mut c = s.deployment.start("c");
        b.wait_healthy(&s.client, START_LIMIT).await;
        c.wait_healthy(&s.client, START_LIMIT).await;

        // The session made on A is valid on B and C.
        for instance in [&b, &c] {
            assert_eq!(
                admin.email_on(&s.client, &public, instance).await.as_deref(),
                Some(ADMIN),
                "signed in on {}",
                instance.name
            );
        }
        s.create_resource(&mut admin, &b).await;

        // Requests round-robin through all three; approvals on C.
        let instances = [&a, &b, &c];
        for i in 0..30 {
            let (status, body) = s
                .call(
                    &mut Visitor::default(),
                    instances[i % 3],
                    "/api/submit_access_request",
                    &[
                        ("slug", "crm"),
                        ("email", &format!("partner{i}@partner.example")),
                        ("display_name", "Partner Person"),
                        ("organisation", "Partner Ltd"),
                        ("justification", "I maintain our integration with this app."),
                    ],
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
        let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM access_requests ORDER BY id")
            .fetch_all(s.store.read())
            .await
            .expect("ids");
        assert_eq!(ids.len(), 30);
        for (id,) in &ids {
            let (status, body) = s
                .call(
                    &mut admin,
                    &c,
                    "/api/decide_request",
                    &[
                        ("request_id", &id.to_string()),
                        ("outcome", "approve"),
                        ("justification", ""),
                    ],
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }

        // Received, approval needed and invitation: 90 emails, each delivered exactly once.
        s.wait_for_outbox(Duration::from_secs(45)).await;
        assert_eq!(s.count("SELECT COUNT(*) FROM outbox_messages").await, 90);
        assert_eq!(s.every_email_arrived().await, 0, "no crash, so nothing twice");
        assert_eq!(received(&s.sink.maildir()).len(), 90);

        // Partners redeem with a code; the session made works on A.
        let mail = received(&s.sink.maildir());
        for i in 0..3 {
            let email = format!("partner{i}@partner.example");
            let invitation = mail
                .iter()
                .filter(|m| m.to.contains(&email))
                .find_map(|m| link(&m.text, &public, "/invite/"))
                .unwrap_or_else(|| panic!("no invitation for {email}"));
            let token = invitation.trim_start_matches("/invite/");
            // The code asked for on B is typed on C: one key, one session store.
            let mut partner = Visitor::default();
            let (status, body) = s
                .call(&mut partner, &b, "/api/send_invitation_code", &[("token", token)])
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let (subject,): (String,) = sqlx::query_as(
                "SELECT subject FROM outbox_messages WHERE to_address = $1 AND idempotency_key LIKE 'one-time-code.%'",
            )
            .bind(&email)
            .fetch_one(s.store.read())
            .await
            .expect("code email");
            let code: String = subject.chars().take(9).filter(char::is_ascii_digit).collect();
            let (status, body) = s
                .call(
                    &mut partner,
                    &c,
                    "/api/redeem_invitation",
                    &[
                        ("token", token),
                        ("mode", "code"),
                        ("display_name", "Partner Person"),
                        ("code", &code),
                    ],
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            assert_eq!(
                partner.email_on(&s.client, &public, &a).await.as_deref(),
                Some(email.as_str())
            );
        }
        assert_eq!(
            s.count("SELECT COUNT(*) FROM memberships WHERE ended_at IS NULL")
                .await,
            3
        );
    });
}

/// A burst of submissions against `targets`; kills `victim` once `kill_after` requests are
/// stored. Returns the emails whose submission was answered 200.
async fn burst_with_a_crash(
    s: &Setup,
    targets: &[u16],
    victim: &mut Instance,
    total: usize,
    kill_after: i64,
) -> Vec<String> {
    let tasks: Vec<_> = (0..total)
        .map(|i| {
            let email = format!("burst{i}@partner.example");
            let port = targets[i % targets.len()];
            let (client, public) = (s.client.clone(), s.deployment.public_url.clone());
            tokio::spawn(async move {
                // Spread over about a second and a half, so the crash lands inside the burst.
                tokio::time::sleep(Duration::from_millis(10 * i as u64)).await;
                let status = submit(client, public, port, email.clone()).await;
                (email, status)
            })
        })
        .collect();
    let started = Instant::now();
    // Kill once enough requests are stored and mail is going out.
    while s.count("SELECT COUNT(*) FROM access_requests").await < kill_after
        || s.count("SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NOT NULL")
            .await
            == 0
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the burst did not get going"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    victim.kill9();
    let results = join_all(tasks).await;
    let acknowledged: Vec<String> = results
        .into_iter()
        .map(|r| r.expect("task"))
        .filter(|(_, status)| *status == Some(StatusCode::OK))
        .map(|(email, _)| email)
        .collect();
    assert!(
        acknowledged.len() as i64 >= kill_after,
        "only {} answered",
        acknowledged.len()
    );
    assert!(acknowledged.len() < total, "the crash came after the burst");
    acknowledged
}

async fn every_acknowledged_request_is_stored(s: &Setup, acknowledged: &[String]) {
    let stored: Vec<(String,)> = sqlx::query_as("SELECT email FROM access_requests")
        .fetch_all(s.store.read())
        .await
        .expect("requests");
    let stored: HashSet<String> = stored.into_iter().map(|(e,)| e).collect();
    for email in acknowledged {
        assert!(
            stored.contains(email),
            "{email} was answered 200 but is not stored"
        );
    }
}

#[test]
fn killing_an_instance_mid_burst_loses_no_request_and_no_email() {
    crate::support::run(async {
        let s = setup(Db::Postgres).await;
        let public = s.deployment.public_url.clone();
        let mut a = s.deployment.start("a");
        a.wait_healthy(&s.client, START_LIMIT).await;
        let mut admin = first_admin(&s.client, &public, &a, ADMIN).await;
        let mut b = s.deployment.start("b");
        let mut c = s.deployment.start("c");
        b.wait_healthy(&s.client, START_LIMIT).await;
        c.wait_healthy(&s.client, START_LIMIT).await;
        s.create_resource(&mut admin, &a).await;

        let targets = [a.port, b.port, c.port];
        let acknowledged = burst_with_a_crash(&s, &targets, &mut b, 150, 40).await;
        every_acknowledged_request_is_stored(&s, &acknowledged).await;

        // A and C finish the mail, B's claimed messages included once its lease (5 s) ends.
        s.wait_for_outbox(Duration::from_secs(60)).await;
        let twice = s.every_email_arrived().await;
        println!(
            "crash test (PostgreSQL, 3 instances): {} of 150 answered 200, {} emails, {twice} sent again after the crash",
            acknowledged.len(),
            s.count("SELECT COUNT(*) FROM outbox_messages").await
        );
    });
}

#[test]
fn a_crashed_sqlite_instance_restarts_with_nothing_lost() {
    crate::support::run(async {
        let s = setup(Db::Sqlite).await;
        let public = s.deployment.public_url.clone();
        let mut first = s.deployment.start("first");
        first.wait_healthy(&s.client, START_LIMIT).await;
        let mut admin = first_admin(&s.client, &public, &first, ADMIN).await;
        s.create_resource(&mut admin, &first).await;

        let acknowledged = burst_with_a_crash(&s, &[first.port], &mut first, 80, 25).await;
        let mut again = s.deployment.start("again");
        again.wait_healthy(&s.client, START_LIMIT).await;
        every_acknowledged_request_is_stored(&s, &acknowledged).await;
        s.wait_for_outbox(Duration::from_secs(60)).await;
        let twice = s.every_email_arrived().await;
        println!(
            "crash test (SQLite, restart): {} of 80 answered 200, {twice} emails sent again after the crash",
            acknowledged.len()
        );
        // The session made before the crash still works after the restart.
        assert_eq!(
            admin.email_on(&s.client, &public, &again).await.as_deref(),
            Some(ADMIN)
        );
    });
}

#[test]
fn three_instances_started_together_on_an_empty_database_all_come_up() {
    crate::support::run(async {
        let s = setup(Db::Postgres).await;
        let mut instances: Vec<Instance> = ["a", "b", "c"].iter().map(|n| s.deployment.start(n)).collect();
        let waits = instances
            .iter_mut()
            .map(|instance| {
                let client = s.client.clone();
                async move { instance.wait_healthy(&client, START_LIMIT).await }
            })
            .collect::<Vec<_>>();
        join_all(waits).await;
        let migrations = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations/postgres"))
            .expect("migrations")
            .count() as i64;
        assert_eq!(
            s.count("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
                .await,
            migrations
        );
        assert_eq!(s.count("SELECT COUNT(*) FROM jobs").await, 4);
    });
}
