//! The Portico server: configuration, start-up, the HTTP stack and shutdown. The product
//! itself (pages, server functions, rules, storage) lives in the `app` crate.

#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod api_error;
pub mod assets;
pub mod audit_export;
pub mod branding;
pub mod bulk_upload;
pub mod config;
pub mod front_door;
pub mod languages;
pub mod mailer;
pub mod oidc;
pub mod page_cache;
pub mod plain_pages;
pub mod rest;
pub mod router;
pub mod secret_key;
pub mod security;
pub mod sessions;
pub mod shutdown;
pub mod telemetry;
pub mod workers;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::serve::ListenerExt;
use leptos::config::{Env, LeptosOptions};
use tokio::task::JoinHandle;

use app::state::{AppState, Shared};
use rules::accounts::one_time_code::CodeLimits;
use rules::administration::branding::Branding;
use rules::clock::{SharedClock, SystemClock};
use rules::federation::provider::IssuerPolicy;
use services::accounts::{passwords, setup};
use services::administration::look::{Look, LookCell, PortalSettings};
use services::federation::Federation;
use services::mfa::passkeys::Passkeys;
use storage::{PoolSizes, Store, StoreError};

use crate::config::{redact_password, Config, PublicUrl};
use crate::front_door::{FrontDoor, Guards};
use crate::mailer::Mailer;
use crate::rest::auth::TokenLimits;
use crate::router::app_routes;
use crate::security::rate_limit::RateLimits;
use crate::sessions::{add_sessions, SessionSettings, SessionSetupError};
use crate::shutdown::Shutdown;
use crate::workers::{stop_signal, StopSender};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("could not create the data folder {path}: {source}")]
    DataFolder { path: String, source: std::io::Error },
    #[error("could not open the database {url}: {source}")]
    Database { url: String, source: StoreError },
    #[error("could not prepare the database: {0}")]
    Migration(StoreError),
    #[error(transparent)]
    Sessions(#[from] SessionSetupError),
    #[error("could not read the portal's settings: {0}")]
    Settings(StoreError),
    #[error("could not create the first-admin setup link: {0}")]
    SetupLink(StoreError),
    #[error(transparent)]
    Mail(#[from] crate::mailer::MailerError),
    #[error(transparent)]
    SecretKey(#[from] secret_key::SecretKeyError),
    #[error("could not listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// A started portal, ready to serve.
pub struct Portal {
    pub front_door: FrontDoor,
    pub state: AppState,
    /// The one-time link to create the first admin, while none exists.
    pub setup_link: Option<String>,
    /// How mail leaves ("SMTP" or ".eml files").
    pub mail_transport: &'static str,
    background: Vec<JoinHandle<()>>,
    /// Workers that must finish what they hold before the database closes.
    workers: Vec<JoinHandle<()>>,
    stop_workers: StopSender,
}

impl Portal {
    /// Opens and migrates the database, prepares everything the requests need, and issues a
    /// setup link when there is no admin yet.
    pub async fn start(
        config: &Config,
        public: &PublicUrl,
        clock: SharedClock,
    ) -> Result<Portal, StartError> {
        let store = open_store(config).await?;
        passwords::warm_up();
        // Before anything uses `jsonwebtoken`, which keeps the first provider it meets.
        services::oidc::parsed_keys::install();
        let (state, setup_link) = app_state(config, public, store.clone(), clock).await?;
        let session_settings = SessionSettings {
            idle_minutes: config.session_idle_minutes,
            pool_size: 4,
        };
        let token_limits = TokenLimits::per_minute(config.api_limit_per_minute);
        let (router, session_cleanup) = add_sessions(
            app_routes(state.clone(), token_limits.clone()),
            &store,
            state.clock.clone(),
            session_settings,
        )
        .await?;
        let rate_limits = RateLimits::new(config.sign_in_limit_per_minute, config.form_limit_per_minute);
        let limits_cleanup = forget_idle_clients(rate_limits.clone(), token_limits);
        let guards = Guards {
            public_origin: public.origin.clone(),
            is_https: public.is_https,
            trust_proxy: config.trust_proxy,
            max_body_bytes: config.max_body_bytes,
            rate_limits,
        };
        let mailer = Mailer::new(
            config.smtp_url.as_deref(),
            &config.mail_dir,
            &mail_from(config, public),
            &public.host,
        )?;
        let mail_transport = mailer.describe();
        let (stop_workers, stop) = stop_signal();
        let workers = if config.run_workers {
            spawn_workers(config, &state, mailer, stop)
        } else {
            Vec::new()
        };
        Ok(Portal {
            front_door: FrontDoor::new(router, state.clone(), guards),
            state,
            setup_link,
            mail_transport,
            background: vec![session_cleanup, limits_cleanup],
            workers,
            stop_workers,
        })
    }

    /// Serves until SIGTERM or Ctrl-C, then lets requests in flight finish (bounded by the
    /// grace period), stops background work and closes the database.
    pub async fn serve(self, addr: SocketAddr, grace: Duration) -> Result<(), StartError> {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Listen { addr, source })?
            // Without this every small response waits ~40 ms on Nagle's algorithm.
            .tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
        let shutdown = Shutdown::on_signals();
        let service = axum::ServiceExt::<axum::extract::Request>::into_make_service_with_connect_info::<
            SocketAddr,
        >(self.front_door.clone());
        let server = axum::serve(listener, service).with_graceful_shutdown(shutdown.clone().requested());
        let mut serving = tokio::spawn(async move { server.await });
        tokio::select! {
            result = &mut serving => {
                if let Ok(Err(error)) = result {
                    tracing::error!(%error, "server stopped");
                }
            }
            () = shutdown.requested() => {
                if tokio::time::timeout(grace, &mut serving).await.is_err() {
                    tracing::warn!(seconds = grace.as_secs(), "requests still running after the grace period were cut off");
                    serving.abort();
                }
            }
        }
        self.stop().await;
        Ok(())
    }

    /// Stops background work (workers finish the batch in hand) and closes the database.
    pub async fn stop(self) {
        self.stop_workers.stop();
        for worker in self.workers {
            if tokio::time::timeout(Duration::from_secs(10), worker)
                .await
                .is_err()
            {
                tracing::warn!("a worker did not stop within 10 s");
            }
        }
        for task in &self.background {
            task.abort();
        }
        self.state.store.close().await;
        tracing::info!("stopped");
    }
}

/// The sender address: configured, or the portal's name at no-reply@ its public host.
fn mail_from(config: &Config, public: &PublicUrl) -> String {
    config.mail_from.clone().unwrap_or_else(|| {
        let name: String = config
            .portal_name
            .chars()
            .filter(|c| !matches!(c, '"' | '<' | '>' | '\\'))
            .collect();
        format!("\"{}\" <no-reply@{}>", name.trim(), public.host)
    })
}

fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("portico")
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .env(Env::PROD)
        // The page then names the hashed files the build wrote (see assets.rs).
        .hash_files(app::front_end::hash_file().is_some())
        .hash_file(std::sync::Arc::from(app::front_end::HASH_FILE))
        .build()
}

/// Connects to the configured database and brings its tables up to date.
async fn open_store(config: &Config) -> Result<Store, StartError> {
    ensure_sqlite_folder(&config.database_url)?;
    let sizes = PoolSizes {
        max_connections: config.db_max_connections,
    };
    let store = Store::connect(&config.database_url, sizes)
        .await
        .map_err(|source| StartError::Database {
            url: redact_password(&config.database_url),
            source,
        })?;
    store.migrate().await.map_err(StartError::Migration)?;
    Ok(store)
}

/// What every request shares (store, clock, settings, the portal's look), and the first-admin
/// setup link while there is no admin yet.
async fn app_state(
    config: &Config,
    public: &PublicUrl,
    store: Store,
    clock: SharedClock,
) -> Result<(AppState, Option<String>), StartError> {
    let settings = PortalSettings {
        portal_name: config.portal_name.trim().to_string(),
        public_url: public.base.clone(),
        session_absolute_seconds: i64::from(config.session_absolute_hours) * 3600,
        server_key: secret_key::load(config)?,
        code_limits: CodeLimits {
            per_email: config.codes_per_email_per_hour,
            per_client: config.codes_per_client_per_hour,
        },
    };
    let setup_link = setup::issue_setup_token_if_needed(&store, &*clock)
        .await
        .map_err(StartError::SetupLink)?
        .map(|token| settings.link(&format!("/setup/{}", token.raw)));
    let look = LookCell::new(Look {
        branding: Branding::initial(&settings.portal_name),
        logo_version: None,
        second_factors: Default::default(),
    });
    look.refresh(&store, &settings.portal_name)
        .await
        .map_err(StartError::Settings)?;
    let passkeys = Passkeys::for_portal(&settings.portal_name, &settings.public_url);
    let state = AppState::new(Shared {
        store,
        clock,
        settings: Arc::new(settings),
        look,
        federation: Federation::new(
            &public.base,
            IssuerPolicy {
                allow_http_loopback: config.allow_http_loopback_issuers,
            },
        ),
        passkeys,
        leptos_options: leptos_options(config),
    });
    Ok((state, setup_link))
}

/// Every minute, forgets the rate-limit counters of clients that have gone quiet.
fn forget_idle_clients(rate_limits: RateLimits, token_limits: TokenLimits) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            rate_limits.forget_idle_clients();
            token_limits.forget_idle();
        }
    })
}

/// The background workers: mail, bulk invitations, the look, webhooks and the lifecycle jobs.
fn spawn_workers(
    config: &Config,
    state: &AppState,
    mailer: Mailer,
    stop: workers::StopSignal,
) -> Vec<JoinHandle<()>> {
    let lease = i64::from(config.worker_lease_seconds);
    vec![
        tokio::spawn(workers::outbox::run(
            state.store.clone(),
            mailer,
            state.clock.clone(),
            lease,
            stop.clone(),
        )),
        tokio::spawn(workers::bulk::run(state.clone(), stop.clone())),
        // Another instance may change the settings: read them again every few seconds.
        tokio::spawn(workers::look::run(
            state.clone(),
            state.settings.portal_name.clone(),
            stop.clone(),
        )),
        tokio::spawn(workers::webhooks::run(state.clone(), lease, stop.clone())),
        tokio::spawn(workers::lifecycle::run(state.clone(), lease, stop)),
    ]
}

/// A fresh checkout has no `data/` folder; SQLite creates the file but not its folder.
fn ensure_sqlite_folder(database_url: &str) -> Result<(), StartError> {
    let Some(rest) = database_url.strip_prefix("sqlite:") else {
        return Ok(());
    };
    let path = rest.trim_start_matches("//");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path.contains(":memory:") {
        return Ok(());
    }
    match Path::new(path).parent() {
        Some(folder) if !folder.as_os_str().is_empty() => {
            std::fs::create_dir_all(folder).map_err(|source| StartError::DataFolder {
                path: folder.display().to_string(),
                source,
            })
        }
        _ => Ok(()),
    }
}

/// The default clock.
pub fn system_clock() -> SharedClock {
    Arc::new(SystemClock)
}
