//! Server-side sessions (tower-sessions) in the configured database, so any instance can
//! serve any session. The cookie is `__Host-` prefixed, HttpOnly, Secure and SameSite=Lax.
//!
//! A session ends after `idle_minutes` without a request. Saving a session restarts that timer,
//! but saving it on every request (tower-sessions' `always_save`) made every signed-in page view
//! a database write: on SQLite those queued behind the one writer, and a staff page's p95 went from
//! 4 ms to 286 ms while mail was being sent (`make bench`). So a session is saved when it changes
//! and otherwise at most once a [`TOUCH_EVERY`], which is enough to keep an active person's
//! session alive (it then ends between `idle_minutes` minus one minute and `idle_minutes` after
//! the last request).

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::header::SET_COOKIE;
use axum::http::HeaderValue;
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::Response;
use axum::Router;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use tokio::task::JoinHandle;
use tower_sessions::cookie::SameSite;
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions::{Expiry, Session, SessionManagerLayer, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use app::api::session::TOUCHED_KEY;
use rules::clock::{SharedClock, Timestamp};
use storage::{ping_if_idle, Engine, Store};

pub const COOKIE_NAME: &str = "__Host-portico";

/// The value of the request's cookie called `name`, if it sent one.
pub fn cookie_value(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(tower_sessions::cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_string())
}

/// How often expired session records are deleted.
const CLEANUP_EVERY: Duration = Duration::from_secs(600);
/// How often a session in use is saved only to restart its idle timer, in seconds.
const TOUCH_EVERY: i64 = 60;

#[derive(Debug, Clone, Copy)]
pub struct SessionSettings {
    pub idle_minutes: u32,
    pub pool_size: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum SessionSetupError {
    #[error("could not open the session store: {0}")]
    Database(#[from] sqlx::Error),
    #[error("session store configuration: {0}")]
    Config(String),
}

/// Adds the session layer to `router` (wrapping every route added before) and starts the
/// task that deletes expired sessions.
pub async fn add_sessions(
    router: Router,
    store: &Store,
    clock: SharedClock,
    settings: SessionSettings,
) -> Result<(Router, JoinHandle<()>), SessionSetupError> {
    let touch = Touch {
        clock,
        store: store.clone(),
    };
    match store.engine() {
        Engine::Sqlite => {
            let options = SqliteConnectOptions::from_str(store.url())?
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(5));
            // No ping before each use, as for the store's pools (in-process connections).
            let pool = SqlitePoolOptions::new()
                .max_connections(settings.pool_size)
                .test_before_acquire(false)
                .connect_with(options)
                .await?;
            let sessions = SqliteStore::new(pool)
                .with_table_name("sessions")
                .map_err(SessionSetupError::Config)?;
            Ok(layer(router, sessions, touch, settings))
        }
        Engine::Postgres => {
            let options = PgConnectOptions::from_str(store.url())?;
            let pool = PgPoolOptions::new()
                .max_connections(settings.pool_size)
                .test_before_acquire(false)
                .before_acquire(ping_if_idle)
                .connect_with(options)
                .await?;
            let sessions = PostgresStore::new(pool)
                .with_schema_name("public")
                .and_then(|s| s.with_table_name("sessions"))
                .map_err(SessionSetupError::Config)?;
            Ok(layer(router, sessions, touch, settings))
        }
    }
}

/// What restarting the idle timer needs: the time, and the sessions kept in memory (shared
/// behind an `Arc`: every request clones the middleware's state).
struct Touch {
    clock: SharedClock,
    store: Store,
}

fn layer<S>(router: Router, sessions: S, touch: Touch, settings: SessionSettings) -> (Router, JoinHandle<()>)
where
    S: SessionStore + ExpiredDeletion + Clone,
{
    let cleanup = tokio::spawn({
        let sessions = sessions.clone();
        async move {
            if let Err(error) = sessions.continuously_delete_expired(CLEANUP_EVERY).await {
                tracing::error!(%error, "expired-session cleanup stopped");
            }
        }
    });
    let idle = tower_sessions::cookie::time::Duration::minutes(i64::from(settings.idle_minutes));
    let layer = SessionManagerLayer::new(sessions)
        .with_name(COOKIE_NAME)
        .with_secure(true)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        // Saved when changed, and by `restart_idle_timer`; the absolute limit is checked in code.
        .with_expiry(Expiry::OnInactivity(idle));
    let router = router
        .layer(from_fn_with_state(Arc::new(touch), restart_idle_timer))
        .layer(layer)
        .layer(from_fn(keep_host_cookies_secure));
    (router, cleanup)
}

/// Marks a session in use as changed once a [`TOUCH_EVERY`], so that it is saved with a new
/// expiry. Files (the front end, the logo) neither read nor restart the session. A session whose
/// sign-in is kept in memory (storage/src/accounts/sign_in_cache.rs) says when it was last
/// touched without being loaded.
async fn restart_idle_timer(State(touch): State<Arc<Touch>>, request: Request, next: Next) -> Response {
    let session = request.extensions().get::<Session>().cloned();
    if let Some(session) = session.filter(|_| !is_file(request.uri().path())) {
        if let Some(id) = session.id().map(|id| id.to_string()) {
            let now = touch.clock.now();
            let last = match touch.store.sign_ins().get(&id) {
                Some(kept) => kept.touched,
                // A cookie whose session is gone or empty loads as empty: nothing to keep alive.
                None => session.get::<Timestamp>(TOUCHED_KEY).await.ok().flatten(),
            };
            if needs_touch(last, now) && !session.is_empty().await {
                if let Err(error) = session.insert(TOUCHED_KEY, now).await {
                    tracing::warn!(%error, "could not restart a session's idle timer");
                }
                // Kept again, with the new time, by the request's first look at its sign-in.
                touch.store.sign_ins().forget(&id);
            }
        }
    }
    next.run(request).await
}

fn needs_touch(last: Option<Timestamp>, now: Timestamp) -> bool {
    last.is_none_or(|last| now - last >= TOUCH_EVERY || now < last)
}

fn is_file(path: &str) -> bool {
    path.starts_with("/pkg/") || path.starts_with("/branding") || path == "/favicon.svg" || path == "/healthz"
}

/// tower-sessions clears the cookie at sign-out with `Max-Age=0` but without `Secure`, and
/// browsers ignore any `__Host-` cookie (deletions included) that lacks it: the dead cookie
/// would stay. This adds the attribute to every `__Host-` cookie the response sets.
async fn keep_host_cookies_secure(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let fixed: Vec<HeaderValue> = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|value| match value.to_str() {
            Ok(text) if needs_secure(text) => {
                HeaderValue::from_str(&format!("{text}; Secure")).unwrap_or_else(|_| value.clone())
            }
            _ => value.clone(),
        })
        .collect();
    if !fixed.is_empty() {
        response.headers_mut().remove(SET_COOKIE);
        for value in fixed {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

fn needs_secure(set_cookie: &str) -> bool {
    set_cookie.starts_with("__Host-")
        && !set_cookie
            .split(';')
            .any(|attribute| attribute.trim().eq_ignore_ascii_case("secure"))
}

#[cfg(test)]
mod tests {
    use super::{is_file, needs_secure, needs_touch, TOUCH_EVERY};

    #[test]
    fn a_session_in_use_is_saved_once_a_minute() {
        assert!(needs_touch(None, 1_000), "never touched");
        assert!(!needs_touch(Some(1_000), 1_000));
        assert!(!needs_touch(Some(1_000), 1_000 + TOUCH_EVERY - 1));
        assert!(needs_touch(Some(1_000), 1_000 + TOUCH_EVERY));
        assert!(needs_touch(Some(1_000), 999), "a clock set back");
    }

    #[test]
    fn files_do_not_touch_the_session() {
        for path in [
            "/pkg/portico.Xk3v9QmZ2bW8cLp0RtY7aQ.wasm",
            "/branding.css",
            "/branding/logo",
            "/favicon.svg",
        ] {
            assert!(is_file(path), "{path}");
        }
        for path in ["/", "/review", "/api/site_info", "/admin/audit.csv", "/pkgs"] {
            assert!(!is_file(path), "{path}");
        }
    }

    #[test]
    fn host_cookie_deletions_get_the_secure_attribute() {
        assert!(needs_secure("__Host-portico=; Path=/; Max-Age=0"));
        assert!(!needs_secure("__Host-portico=abc; HttpOnly; Secure; Path=/"));
        assert!(!needs_secure("other=1; Path=/"));
    }
}
