//! Boots a whole portal (real router, real database) for a test, and a small browser-like
//! client that keeps the session cookie. Every test runs on SQLite and on PostgreSQL.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use clap::Parser;
use http_body_util::BodyExt;
use tower::ServiceExt;

use app::domain::clock::ManualClock;
use app::state::AppState;
use portico_server::config::Config;
use portico_server::Portal;

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

pub struct TestPortal {
    pub router: Router,
    pub state: AppState,
    pub clock: ManualClock,
    pub setup_link: Option<String>,
    pub database_url: String,
    _folder: tempfile::TempDir,
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

pub fn test_config(database_url: &str, extra: &[&str]) -> Config {
    let mut args = vec![
        "server",
        "--database-url",
        database_url,
        "--db-max-connections",
        "8",
    ];
    if !extra.contains(&"--public-url") {
        args.extend_from_slice(&["--public-url", PUBLIC_URL]);
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
        let config = test_config(&database_url, extra_args);
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
            router: portal.router.clone(),
            state: portal.state.clone(),
            setup_link: portal.setup_link.clone(),
            clock,
            database_url,
            _folder: folder,
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
        let response = tokio::time::timeout(limit, self.router.clone().oneshot(request))
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
}

impl Browser<'_> {
    fn request(&self, method: Method, path: &str) -> axum::http::request::Builder {
        let mut builder = Request::builder().method(method).uri(path);
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

pub fn encode_form(form: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish()
}
