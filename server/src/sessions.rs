//! Server-side sessions (tower-sessions) in the configured database, so any instance can
//! serve any session. The cookie is `__Host-` prefixed, HttpOnly, Secure and SameSite=Lax.

use std::str::FromStr;
use std::time::Duration;

use axum::extract::Request;
use axum::http::header::SET_COOKIE;
use axum::http::HeaderValue;
use axum::middleware::{from_fn, Next};
use axum::response::Response;
use axum::Router;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use tokio::task::JoinHandle;
use tower_sessions::cookie::SameSite;
use tower_sessions::session_store::ExpiredDeletion;
use tower_sessions::{Expiry, SessionManagerLayer, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use app::store::{Engine, Store};

pub const COOKIE_NAME: &str = "__Host-portico";
/// How often expired session records are deleted.
const CLEANUP_EVERY: Duration = Duration::from_secs(600);

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
    settings: SessionSettings,
) -> Result<(Router, JoinHandle<()>), SessionSetupError> {
    match store.engine() {
        Engine::Sqlite => {
            let options = SqliteConnectOptions::from_str(store.url())?
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(5));
            let pool = SqlitePoolOptions::new()
                .max_connections(settings.pool_size)
                .connect_with(options)
                .await?;
            let sessions = SqliteStore::new(pool)
                .with_table_name("sessions")
                .map_err(SessionSetupError::Config)?;
            Ok(layer(router, sessions, settings))
        }
        Engine::Postgres => {
            let options = PgConnectOptions::from_str(store.url())?;
            let pool = PgPoolOptions::new()
                .max_connections(settings.pool_size)
                .connect_with(options)
                .await?;
            let sessions = PostgresStore::new(pool)
                .with_schema_name("public")
                .and_then(|s| s.with_table_name("sessions"))
                .map_err(SessionSetupError::Config)?;
            Ok(layer(router, sessions, settings))
        }
    }
}

fn layer<S>(router: Router, sessions: S, settings: SessionSettings) -> (Router, JoinHandle<()>)
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
        .with_expiry(Expiry::OnInactivity(idle))
        // Every request refreshes the idle timer; the absolute limit is checked in code.
        .with_always_save(true);
    (
        router.layer(layer).layer(from_fn(keep_host_cookies_secure)),
        cleanup,
    )
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
    use super::needs_secure;

    #[test]
    fn host_cookie_deletions_get_the_secure_attribute() {
        assert!(needs_secure("__Host-portico=; Path=/; Max-Age=0"));
        assert!(!needs_secure("__Host-portico=abc; HttpOnly; Secure; Path=/"));
        assert!(!needs_secure("other=1; Path=/"));
    }
}
