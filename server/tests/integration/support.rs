//! Boots a whole portal (real router, real database) for a test, and a small browser-like
//! client that keeps the session cookie. Every test runs on SQLite and on PostgreSQL.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use clap::Parser;
use http_body_util::BodyExt;
use tower::ServiceExt;

use app::state::AppState;
use portico_server::config::Config;
use portico_server::front_door::FrontDoor;
use portico_server::Portal;
use rules::clock::ManualClock;

pub const PUBLIC_URL: &str = "http://127.0.0.1:3999";
/// 2027-01-15T00:00:00Z: tests run at a fixed, known moment.
pub const START: i64 = 1_799_971_200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// Declares each named async test fn `name(db: Db)` once per database engine.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $name() {
                    $crate::support::run(super::$name($crate::support::Db::Sqlite))
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $name() {
                    $crate::support::run(super::$name($crate::support::Db::Postgres))
                }
            )*
        }
    };
}

/// All tests share one runtime, as all requests share one in the server.
static RUNTIME: std::sync::LazyLock<tokio::runtime::Runtime> = std::sync::LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("test runtime")
});

/// Runs a test body on the shared runtime with a time limit, so a hang fails the run
/// instead of stalling it.
pub fn run(test: impl std::future::Future<Output = ()>) {
    RUNTIME.block_on(async {
        tokio::time::timeout(std::time::Duration::from_secs(90), test)
            .await
            .expect("the test finished within 90 s")
    })
}

/// Like [`run`], for the few tests that drive an outside tool for minutes (schemathesis).
pub fn run_long(test: impl std::future::Future<Output = ()>) {
    RUNTIME.block_on(async {
        tokio::time::timeout(std::time::Duration::from_secs(300), test)
            .await
            .expect("the test finished within 5 minutes")
    })
}

pub struct TestPortal {
    pub front_door: FrontDoor,
    pub state: AppState,
    pub clock: ManualClock,
    pub setup_link: Option<String>,
    pub database_url: String,
    pub folder: tempfile::TempDir,
}

static DATABASE_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh, empty database of the given engine.
pub async fn fresh_database(db: Db, folder: &tempfile::TempDir) -> String {
    match db {
        Db::Sqlite => format!("sqlite://{}/portico.db", folder.path().display()),
        Db::Postgres => {
            let admin_url = std::env::var("PORTICO_TEST_POSTGRES_URL").expect(
                "PORTICO_TEST_POSTGRES_URL is not set: run the tests with `make test` \
                 (or scripts/with-postgres.sh cargo test), which starts a throwaway PostgreSQL",
            );
            let n = DATABASE_COUNTER.fetch_add(1, Ordering::SeqCst);
            let name = format!("portico_test_{}_{}", std::process::id(), n);
            let limit = std::time::Duration::from_secs(30);
            let mut admin = tokio::time::timeout(
                limit,
                <sqlx::PgConnection as sqlx::Connection>::connect(&admin_url),
            )
            .await
            .expect("connected to the test cluster within 30 s")
            .expect("connect to the test cluster");
            tokio::time::timeout(
                limit,
                sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str()),
            )
            .await
            .expect("database created within 30 s")
            .expect("create database");
            let (base, _) = admin_url.rsplit_once('/').expect("url has a database");
            format!("{base}/{name}")
        }
    }
}

pub const TEST_SECRET_KEY: &str = "test-secret-key-for-one-time-codes-0123456789";

/// The configuration of a test portal: its database, its own mail folder, workers off (tests
/// deliver mail themselves, when they choose), and any extra flags.
pub fn test_config(database_url: &str, mail_dir: &std::path::Path, extra: &[&str]) -> Config {
    let mail_dir = mail_dir.display().to_string();
    let mut args = vec![
        "server",
        "--database-url",
        database_url,
        "--db-max-connections",
        "8",
        "--run-workers",
        "false",
        "--mail-dir",
        &mail_dir,
    ];
    if !extra.contains(&"--public-url") {
        args.extend_from_slice(&["--public-url", PUBLIC_URL]);
    }
    // Tests send many requests from one address; the one test of this limit sets its own.
    if !extra.contains(&"--form-limit-per-minute") {
        args.extend_from_slice(&["--form-limit-per-minute", "100000"]);
    }
    // Every instance of a deployment shares the key; tests never write a key file.
    if !extra.contains(&"--secret-key") {
        args.extend_from_slice(&["--secret-key", TEST_SECRET_KEY]);
    }
    args.extend_from_slice(extra);
    Config::try_parse_from(args).expect("test configuration parses")
}

impl TestPortal {
    pub async fn start(db: Db) -> TestPortal {
        Self::start_with(db, &[]).await
    }

    pub async fn start_with(db: Db, extra_args: &[&str]) -> TestPortal {
        let folder = tempfile::tempdir().expect("temp folder");
        let database_url = fresh_database(db, &folder).await;
        Self::start_on(database_url, folder, extra_args).await
    }

    /// A second instance of the same deployment: its own process state, this one's database.
    pub async fn another_instance(&self) -> TestPortal {
        let folder = tempfile::tempdir().expect("temp folder");
        Self::start_on(self.database_url.clone(), folder, &[]).await
    }

    async fn start_on(database_url: String, folder: tempfile::TempDir, extra_args: &[&str]) -> TestPortal {
        let config = test_config(&database_url, &folder.path().join("mail"), extra_args);
        let public = config.check().expect("valid test config");
        let clock = ManualClock::at(START);
        let portal = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            Portal::start(&config, &public, Arc::new(clock.clone())),
        )
        .await
        .expect("portal starts within 30 s")
        .expect("portal starts");
        TestPortal {
            front_door: portal.front_door.clone(),
            state: portal.state.clone(),
            setup_link: portal.setup_link.clone(),
            clock,
            database_url,
            folder,
        }
    }

    pub fn browser(&self) -> Browser<'_> {
        self.browser_from(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10)))
    }

    pub fn browser_from(&self, ip: IpAddr) -> Browser<'_> {
        Browser {
            portal: self,
            cookie: None,
            ip,
            accept_language: None,
        }
    }

    /// The raw setup token from the printed link.
    pub fn setup_token(&self) -> String {
        let link = self.setup_link.as_deref().expect("a setup link was issued");
        link.rsplit('/').next().expect("token").to_string()
    }

    /// Creates the first admin through the setup form and returns their browser, signed in.
    pub async fn first_admin(&self, email: &str, password: &str) -> Browser<'_> {
        let mut browser = self.browser();
        let token = self.setup_token();
        let reply = browser
            .call(
                "/api/create_first_admin",
                &[
                    ("token", &token),
                    ("email", email),
                    ("display_name", "Ada Admin"),
                    ("password", password),
                    ("password_confirm", password),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        browser
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let what = format!("{} {}", request.method(), request.uri());
        let limit = std::time::Duration::from_secs(20);
        let response = tokio::time::timeout(limit, self.front_door.clone().oneshot(request))
            .await
            .unwrap_or_else(|_| panic!("no answer to {what} within 20 s"))
            .expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = tokio::time::timeout(limit, response.into_body().collect())
            .await
            .unwrap_or_else(|_| panic!("the body of {what} did not finish within 20 s"))
            .expect("body")
            .to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).to_string(),
        }
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("__Host-portico="))
            .map(str::to_string)
    }
}

/// Something like a browser: one client address, one cookie jar (the session cookie).
pub struct Browser<'a> {
    portal: &'a TestPortal,
    pub cookie: Option<String>,
    pub ip: IpAddr,
    /// The browser's `Accept-Language`, when it sends one.
    pub accept_language: Option<&'static str>,
}

impl Browser<'_> {
    fn request(&self, method: Method, path: &str) -> axum::http::request::Builder {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(languages) = self.accept_language {
            builder = builder.header(header::ACCEPT_LANGUAGE, languages);
        }
        if let Some(cookie) = &self.cookie {
            builder = builder.header(header::COOKIE, format!("__Host-portico={cookie}"));
        }
        builder.extension(ConnectInfo(SocketAddr::new(self.ip, 50_000)))
    }

    fn remember(&mut self, reply: &Reply) {
        if let Some(set_cookie) = reply.session_cookie() {
            let value = set_cookie
                .trim_start_matches("__Host-portico=")
                .split(';')
                .next()
                .unwrap_or_default()
                .to_string();
            let expired = set_cookie.contains("Max-Age=0") || value.is_empty();
            self.cookie = (!expired).then_some(value);
        }
    }

    /// Calls a server function the way the hydrated page does (fetch, JSON answer).
    pub async fn call(&mut self, path: &str, form: &[(&str, &str)]) -> Reply {
        let request = self
            .request(Method::POST, path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header("sec-fetch-site", "same-origin")
            .header(header::ORIGIN, PUBLIC_URL)
            .body(Body::from(encode_form(form)))
            .expect("request");
        let reply = self.portal.send(request).await;
        self.remember(&reply);
        reply
    }

    /// Posts a form the way a browser without JavaScript does (answer: a redirect).
    pub async fn submit_without_js(&mut self, path: &str, form: &[(&str, &str)], from_page: &str) -> Reply {
        let request = self
            .request(Method::POST, path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header("sec-fetch-site", "same-origin")
            .header(header::ORIGIN, PUBLIC_URL)
            .header(header::REFERER, format!("{PUBLIC_URL}{from_page}"))
            .body(Body::from(encode_form(form)))
            .expect("request");
        let reply = self.portal.send(request).await;
        self.remember(&reply);
        reply
    }

    /// Posts a multipart form (a file upload) as a browser does.
    pub async fn post_multipart(&mut self, path: &str, content_type: &str, body: Vec<u8>) -> Reply {
        let request = self
            .request(Method::POST, path)
            .header(header::CONTENT_TYPE, content_type)
            .header(header::ACCEPT, "text/html")
            .header("sec-fetch-site", "same-origin")
            .header(header::ORIGIN, PUBLIC_URL)
            .body(Body::from(body))
            .expect("request");
        let reply = self.portal.send(request).await;
        self.remember(&reply);
        reply
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        let request = self
            .request(Method::GET, path)
            .header(header::ACCEPT, "text/html")
            .body(Body::empty())
            .expect("request");
        let reply = self.portal.send(request).await;
        self.remember(&reply);
        reply
    }

    /// Who the portal thinks this browser is signed in as (email), if anyone.
    pub async fn signed_in_as(&mut self) -> Option<String> {
        let reply = self.call("/api/site_info", &[]).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let info: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
        info["viewer"]["email"].as_str().map(str::to_string)
    }
}

/// A multipart form with one file field: its content type (with the boundary) and its body.
pub fn multipart(field: &str, file_name: &str, content: &[u8]) -> (String, Vec<u8>) {
    let boundary = "portico-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub fn encode_form(form: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish()
}

pub const ADMIN_EMAIL: &str = "ada@example.com";
pub const PASSWORD: &str = "plum-kettle-orbit-47";

/// An email as queued in the outbox.
#[derive(Debug, Clone)]
pub struct Email {
    pub subject: String,
    pub text: String,
}

impl Email {
    /// The path of the first link in the email that starts with `prefix` (e.g. "/invite/").
    pub fn link(&self, prefix: &str) -> String {
        let start = self
            .text
            .find(&format!("{PUBLIC_URL}{prefix}"))
            .unwrap_or_else(|| panic!("no {prefix} link in {}", self.text));
        let rest = &self.text[start + PUBLIC_URL.len()..];
        rest.split_whitespace().next().expect("link").to_string()
    }
}

impl TestPortal {
    /// The emails queued for an address, oldest first.
    pub async fn emails_to(&self, address: &str) -> Vec<Email> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT subject, text_body FROM outbox_messages WHERE to_address = $1 ORDER BY id",
        )
        .bind(address)
        .fetch_all(self.state.store.read())
        .await
        .expect("outbox");
        rows.into_iter()
            .map(|(subject, text)| Email { subject, text })
            .collect()
    }

    pub async fn last_email_to(&self, address: &str) -> Email {
        self.emails_to(address)
            .await
            .pop()
            .unwrap_or_else(|| panic!("no email to {address}"))
    }

    /// The id of the newest access request made with `email`.
    pub async fn newest_request_id(&self, email: &str) -> String {
        let (id,): (i64,) =
            sqlx::query_as("SELECT id FROM access_requests WHERE email = $1 ORDER BY id DESC LIMIT 1")
                .bind(email)
                .fetch_one(self.state.store.read())
                .await
                .expect("request");
        id.to_string()
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql)
            .fetch_one(self.state.store.read())
            .await
            .expect("count");
        n
    }

    /// The first admin, signed in.
    pub async fn admin(&self) -> Browser<'_> {
        self.first_admin(ADMIN_EMAIL, PASSWORD).await
    }

    /// Creates a requestable resource as the admin; returns its id.
    pub async fn create_resource(&self, admin: &mut Browser<'_>, name: &str, slug: &str) -> i64 {
        let reply = admin.save_resource(None, name, slug).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM resources WHERE slug = $1")
            .bind(slug)
            .fetch_one(self.state.store.read())
            .await
            .expect("the resource was created");
        assert_eq!(
            reply.header("location"),
            Some(format!("/admin/resources/{id}?saved=1").as_str())
        );
        id
    }

    /// Makes a new staff owner of the resource and returns their browser, signed in through the
    /// password link from their welcome email.
    pub async fn owner(&self, admin: &mut Browser<'_>, resource_id: i64, email: &str) -> Browser<'_> {
        let reply = admin
            .call(
                "/api/add_owner",
                &[
                    ("resource_id", &resource_id.to_string()),
                    ("owner_email", email),
                    ("owner_name", "Olga Owner"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let link = self.last_email_to(email).await.link("/welcome/");
        let token = link.trim_start_matches("/welcome/").to_string();
        let mut owner = self.browser();
        let set = owner
            .call(
                "/api/set_password",
                &[
                    ("token", &token),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                ],
            )
            .await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.body);
        owner
    }

    /// Lets webhooks reach private addresses and adds one listening for `request.created` at
    /// http://127.0.0.1:9/hook, where nothing listens (every try fails to connect). Returns its id.
    pub async fn dead_end_webhook(&self, admin: &mut Browser<'_>) -> String {
        let allowed = admin
            .call("/api/set_webhook_targets", &[("allow_private", "on")])
            .await;
        assert_eq!(allowed.status, StatusCode::OK, "{}", allowed.body);
        let made = admin
            .call(
                "/api/create_webhook",
                &[
                    ("endpoint[url]", "http://127.0.0.1:9/hook"),
                    ("endpoint[description]", ""),
                    ("endpoint[events][0]", "request.created"),
                ],
            )
            .await;
        assert_eq!(made.status, StatusCode::OK, "{}", made.body);
        let location = made.header("location").expect("the new endpoint's page");
        let id = location.trim_start_matches("/admin/webhooks/").split('?').next();
        id.expect("an id").to_string()
    }

    /// Saves a resource's own policy from form fields (`form[...]` names), as the admin.
    pub async fn set_policy(&self, admin: &mut Browser<'_>, resource_id: i64, fields: &[(&str, &str)]) {
        let mut form = default_policy_form();
        for (name, value) in fields {
            form.retain(|(n, _)| n != name);
            form.push((name.to_string(), value.to_string()));
        }
        let id = resource_id.to_string();
        let mut pairs: Vec<(&str, &str)> = vec![("resource_id", &id)];
        pairs.extend(form.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        let reply = admin.call("/api/save_policy", &pairs).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
}

/// Every field of the policy form, filled with the default policy.
pub fn default_policy_form() -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = [
        ("who_may_request", "anyone"),
        ("allowed_domains", ""),
        ("denied_domains", ""),
        ("auto_approve_domains", ""),
        ("stage_count", "1"),
        ("decision_timeout_days", "14"),
        ("invitation_lifetime_hours", "168"),
        ("access_duration", "never"),
        ("access_days", ""),
        ("access_until", ""),
        ("terms_text", ""),
    ]
    .iter()
    .map(|(k, v)| (format!("form[{k}]"), v.to_string()))
    .collect();
    for i in 0..3 {
        form.push((format!("form[stages][{i}][approvers]"), "owners".into()));
        form.push((format!("form[stages][{i}][accounts]"), String::new()));
        form.push((format!("form[stages][{i}][rule]"), "any".into()));
    }
    for i in 0..5 {
        form.push((format!("form[questions][{i}][label]"), String::new()));
        form.push((format!("form[questions][{i}][kind]"), "short".into()));
        form.push((format!("form[questions][{i}][max_length]"), "500".into()));
        form.push((format!("form[questions][{i}][choices]"), String::new()));
    }
    form
}

impl Browser<'_> {
    /// Saves a requestable app as an admin: a new one (`id` None) or an edit of resource `id`.
    pub async fn save_resource(&mut self, id: Option<i64>, name: &str, slug: &str) -> Reply {
        let id = id.map(|id| id.to_string());
        let mut form = vec![
            ("name", name),
            ("slug", slug),
            ("kind", "app"),
            ("description", "A test resource."),
            ("is_requestable", "on"),
        ];
        if let Some(id) = &id {
            form.push(("id", id));
        }
        self.call("/api/save_resource", &form).await
    }

    /// Submits the access request form for `slug`.
    pub async fn request_access(&mut self, slug: &str, email: &str, name: &str) -> Reply {
        self.call(
            "/api/submit_access_request",
            &[
                ("slug", slug),
                ("email", email),
                ("display_name", name),
                ("organisation", "Partner Ltd"),
                ("justification", "I maintain our integration with this app."),
            ],
        )
        .await
    }
}

impl TestPortal {
    /// Lets new partners choose a password when redeeming (off by default: they use codes),
    /// for the tests of that way in.
    pub async fn allow_partner_passwords(&self) {
        let methods = rules::accounts::one_time_code::SignInMethods {
            partner_codes: true,
            partner_passwords: true,
        };
        let mut tx = self.state.store.begin().await.expect("begin");
        storage::administration::portal_settings::save_sign_in_methods(&mut tx, &methods, 0)
            .await
            .expect("save");
        tx.commit().await.expect("commit");
    }

    /// A browser signed in as an existing account (password `PASSWORD`).
    pub async fn signed_in(&self, email: &str) -> Browser<'_> {
        let mut browser = self.browser();
        let reply = browser
            .call(
                "/api/sign_in",
                &[("email", email), ("password", PASSWORD), ("next", "")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        browser
    }
}

/// A real SMTP server (Python's aiosmtpd) on a free loopback port, storing what it receives
/// in a maildir; stopped when dropped.
pub struct SmtpSink {
    child: std::process::Child,
    port: u16,
    folder: tempfile::TempDir,
}

/// The Python of the tests' virtualenv (aiosmtpd, schemathesis, and `sqlite3` as another
/// process), which `make test` installs and names in `PORTICO_TEST_PYTHON`.
pub fn test_python() -> String {
    std::env::var("PORTICO_TEST_PYTHON").expect(
        "PORTICO_TEST_PYTHON is not set: run the tests with `make test`, which installs aiosmtpd into .tools/venv",
    )
}

pub fn smtp_sink() -> SmtpSink {
    let python = test_python();
    let folder = tempfile::tempdir().expect("maildir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = std::process::Command::new(python)
        .args([
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{port}"),
            "-c",
            "aiosmtpd.handlers.Mailbox",
        ])
        .arg(folder.path().join("maildir"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start aiosmtpd");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "aiosmtpd did not start listening"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    SmtpSink { child, port, folder }
}

impl SmtpSink {
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The maildir the sink writes to.
    pub fn maildir(&self) -> std::path::PathBuf {
        self.folder.path().join("maildir")
    }

    /// Every message received, raw.
    pub fn messages(&self) -> Vec<String> {
        let mut messages = Vec::new();
        for sub in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.folder.path().join("maildir").join(sub)) {
                for entry in entries.flatten() {
                    messages.push(std::fs::read_to_string(entry.path()).unwrap_or_default());
                }
            }
        }
        messages
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
