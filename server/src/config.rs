//! Configuration: environment variables (or flags), read once at start, checked, and passed
//! down. `server --help` lists every one with its default.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use url::Url;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

#[derive(Debug, Clone, Parser)]
#[command(
    name = "server",
    version,
    about = "Portico: the self-service partner access portal."
)]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, env = "PORTICO_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// Database: sqlite://PATH (created if missing) or postgres://USER:PASSWORD@HOST/DB.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/portico.db")]
    pub database_url: String,

    /// Public base URL of the portal; every link it prints or sends is built from it, never
    /// from the Host header. Must be https:// unless the host is a loopback address.
    /// [default: http://PORTICO_ADDR]
    #[arg(long, env = "PORTICO_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// The portal's name, shown in the header, page titles and emails.
    #[arg(long, env = "PORTICO_NAME", default_value = "Portico")]
    pub portal_name: String,

    /// SMTP server for outgoing mail (smtp://HOST:PORT or smtps://USER:PASS@HOST). Without it,
    /// mail is written as .eml files into PORTICO_MAIL_DIR.
    #[arg(long, env = "SMTP_URL")]
    pub smtp_url: Option<String>,

    /// Sender of the portal's emails, e.g. "Acme Partners <partners@acme.example>".
    /// [default: PORTICO_NAME <no-reply@host of PORTICO_PUBLIC_URL>]
    #[arg(long, env = "PORTICO_MAIL_FROM")]
    pub mail_from: Option<String>,

    /// Folder for .eml files when SMTP_URL is not set.
    #[arg(long, env = "PORTICO_MAIL_DIR", default_value = "data/mail")]
    pub mail_dir: PathBuf,

    /// Folder holding the built browser assets (pkg/ with the .wasm, .js and .css).
    #[arg(long, env = "PORTICO_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Log filter, in tracing's EnvFilter syntax (for example "info,portico=debug").
    #[arg(long, env = "PORTICO_LOG", default_value = "info")]
    pub log: String,

    /// Log format.
    #[arg(long, env = "PORTICO_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,

    /// Minutes of inactivity after which a session ends.
    #[arg(long, env = "PORTICO_SESSION_IDLE_MINUTES", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(1..=1440))]
    pub session_idle_minutes: u32,

    /// Hours after sign-in at which a session ends, however active.
    #[arg(long, env = "PORTICO_SESSION_ABSOLUTE_HOURS", default_value_t = 12,
          value_parser = clap::value_parser!(u32).range(1..=168))]
    pub session_absolute_hours: u32,

    /// Sign-in attempts allowed per client IP per minute (then 429 with Retry-After).
    #[arg(long, env = "PORTICO_SIGN_IN_LIMIT_PER_MINUTE", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub sign_in_limit_per_minute: u32,

    /// Form submissions that create things (access requests, redemptions) allowed per client
    /// IP per minute.
    #[arg(long, env = "PORTICO_FORM_LIMIT_PER_MINUTE", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub form_limit_per_minute: u32,

    /// API calls allowed per minute per token, and per client IP (then 429 with Retry-After).
    #[arg(long, env = "PORTICO_API_LIMIT_PER_MINUTE", default_value_t = 1200,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub api_limit_per_minute: u32,

    /// Take the client IP from the last X-Forwarded-For entry (only behind a reverse proxy
    /// that sets it); otherwise the TCP peer address is used.
    #[arg(long, env = "PORTICO_TRUST_PROXY", default_value_t = false)]
    pub trust_proxy: bool,

    /// Largest request body accepted, in bytes (larger: 413).
    #[arg(long, env = "PORTICO_MAX_BODY_BYTES", default_value_t = 64 * 1024,
          value_parser = clap::value_parser!(u64).range(1024..=64 * 1024 * 1024))]
    pub max_body_bytes: u64,

    /// Database connections per pool.
    #[arg(long, env = "PORTICO_DB_MAX_CONNECTIONS", default_value_t = 16,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub db_max_connections: u32,

    /// Run the background workers (mail delivery, expiry) in this instance. Turn off to keep an
    /// instance for requests only; at least one instance must run them.
    #[arg(long, env = "PORTICO_RUN_WORKERS", default_value_t = true, action = clap::ArgAction::Set)]
    pub run_workers: bool,

    /// Seconds a worker holds what it claimed (an email being sent, a job being run). If the
    /// instance dies meanwhile, another takes the work over after this long.
    #[arg(long, env = "PORTICO_WORKER_LEASE_SECONDS", default_value_t = 120,
          value_parser = clap::value_parser!(u32).range(5..=3600))]
    pub worker_lease_seconds: u32,

    /// The server's secret key (at least 32 characters), the same on every instance: it keys
    /// the hashes of one-time codes. Without it, the key in PORTICO_SECRET_KEY_FILE is used,
    /// made on first start.
    #[arg(long, env = "PORTICO_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,

    /// Where the server keeps its secret key when PORTICO_SECRET_KEY is not set.
    #[arg(long, env = "PORTICO_SECRET_KEY_FILE", default_value = "data/secret.key")]
    pub secret_key_file: PathBuf,

    /// One-time codes sent to one email address in an hour, at most.
    #[arg(long, env = "PORTICO_CODES_PER_EMAIL_PER_HOUR", default_value_t = 5,
          value_parser = clap::value_parser!(u32).range(1..=100))]
    pub codes_per_email_per_hour: u32,

    /// One-time codes asked for from one client address in an hour, at most.
    #[arg(long, env = "PORTICO_CODES_PER_CLIENT_PER_HOUR", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub codes_per_client_per_hour: u32,

    /// Lets identity providers have plain-http issuers on this machine (127.0.0.1, ::1,
    /// localhost): for tests and development only. Every other issuer must be https.
    #[arg(long, env = "PORTICO_ALLOW_HTTP_LOOPBACK_ISSUERS", default_value_t = false)]
    pub allow_http_loopback_issuers: bool,

    /// Seconds in-flight requests get to finish after SIGTERM or Ctrl-C.
    #[arg(long, env = "PORTICO_SHUTDOWN_GRACE_SECONDS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(0..=600))]
    pub shutdown_grace_seconds: u64,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("PORTICO_PUBLIC_URL is not a valid absolute URL: {0}")]
    PublicUrlInvalid(String),
    #[error("PORTICO_PUBLIC_URL must start with https:// (plain http:// is allowed only for loopback hosts such as 127.0.0.1 or localhost)")]
    PublicUrlNotHttps,
    #[error("PORTICO_PUBLIC_URL must not contain a query or fragment")]
    PublicUrlHasQuery,
    #[error("DATABASE_URL must start with sqlite: or postgres:// (got {0:?})")]
    DatabaseUrlUnsupported(String),
    #[error("SMTP_URL must start with smtp:// or smtps:// (got {0:?})")]
    SmtpUrlUnsupported(String),
    #[error("PORTICO_NAME must be 1 to 80 printable characters")]
    PortalNameInvalid,
    #[error("PORTICO_SECRET_KEY must be at least 32 characters")]
    SecretKeyTooShort,
}

/// The public URL's facts the server acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl {
    /// Without a trailing slash, e.g. `https://portal.example.com` or `https://x.example/portico`.
    pub base: String,
    /// Scheme, host and port, as browsers send it in the Origin header.
    pub origin: String,
    pub is_https: bool,
    /// The host name, for Message-IDs and the default sender address.
    pub host: String,
}

impl Config {
    /// Checks everything clap's types cannot; each problem gets its own message.
    pub fn check(&self) -> Result<PublicUrl, Vec<ConfigError>> {
        let mut problems = Vec::new();
        let public = self.public_url();
        if !self.database_url.starts_with("sqlite:")
            && !self.database_url.starts_with("postgres://")
            && !self.database_url.starts_with("postgresql://")
        {
            problems.push(ConfigError::DatabaseUrlUnsupported(redact_password(
                &self.database_url,
            )));
        }
        if let Some(smtp) = &self.smtp_url {
            if !smtp.starts_with("smtp://") && !smtp.starts_with("smtps://") {
                problems.push(ConfigError::SmtpUrlUnsupported(redact_password(smtp)));
            }
        }
        if self.secret_key.as_ref().is_some_and(|key| key.len() < 32) {
            problems.push(ConfigError::SecretKeyTooShort);
        }
        let name = self.portal_name.trim();
        if name.is_empty() || name.chars().count() > 80 || name.chars().any(char::is_control) {
            problems.push(ConfigError::PortalNameInvalid);
        }
        match public {
            Ok(public) if problems.is_empty() => Ok(public),
            Ok(_) => Err(problems),
            Err(error) => {
                problems.insert(0, error);
                Err(problems)
            }
        }
    }

    fn public_url(&self) -> Result<PublicUrl, ConfigError> {
        let raw = self
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.addr));
        let url = Url::parse(&raw).map_err(|e| ConfigError::PublicUrlInvalid(e.to_string()))?;
        if url.query().is_some() || url.fragment().is_some() {
            return Err(ConfigError::PublicUrlHasQuery);
        }
        let is_https = match url.scheme() {
            "https" => true,
            "http" if host_is_loopback(&url) => false,
            "http" => return Err(ConfigError::PublicUrlNotHttps),
            _ => {
                return Err(ConfigError::PublicUrlInvalid(
                    "the scheme must be https or http".into(),
                ))
            }
        };
        let origin = url.origin().ascii_serialization();
        let base = url.as_str().trim_end_matches('/').to_string();
        let host = match url.host() {
            Some(url::Host::Domain(domain)) => domain.to_string(),
            _ => "localhost".to_string(),
        };
        Ok(PublicUrl {
            base,
            origin,
            is_https,
            host,
        })
    }

    pub fn engine_label(&self) -> &'static str {
        if self.database_url.starts_with("sqlite:") {
            "SQLite"
        } else {
            "PostgreSQL"
        }
    }
}

fn host_is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain == "localhost",
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// For messages and logs: `postgres://user:secret@host/db` -> `postgres://user:***@host/db`.
pub fn redact_password(raw: &str) -> String {
    match Url::parse(raw) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("***"));
            url.to_string()
        }
        _ => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Config {
        let mut all = vec!["server"];
        all.extend_from_slice(args);
        Config::try_parse_from(all).expect("parses")
    }

    #[test]
    fn defaults_are_safe_for_a_first_run() {
        let config = parse(&[]);
        assert_eq!(config.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.database_url, "sqlite://data/portico.db");
        let public = config.check().expect("valid");
        assert_eq!(public.base, "http://127.0.0.1:3000");
        assert_eq!(public.origin, "http://127.0.0.1:3000");
        assert!(!public.is_https);
    }

    #[test]
    fn plain_http_is_refused_for_a_public_host() {
        let config = parse(&["--public-url", "http://portal.example.com"]);
        assert_eq!(config.check(), Err(vec![ConfigError::PublicUrlNotHttps]));
    }

    #[test]
    fn https_public_url_keeps_its_path_without_trailing_slash() {
        let config = parse(&["--public-url", "https://example.com/portico/"]);
        let public = config.check().expect("valid");
        assert_eq!(public.base, "https://example.com/portico");
        assert_eq!(public.origin, "https://example.com");
        assert!(public.is_https);
    }

    #[test]
    fn every_bad_value_is_reported_at_once() {
        let config = parse(&[
            "--database-url",
            "mysql://u:pw@h/db",
            "--smtp-url",
            "http://x",
            "--portal-name",
            " ",
        ]);
        let problems = config.check().expect_err("invalid");
        assert_eq!(problems.len(), 3);
        assert!(
            problems[0].to_string().contains("mysql://u:***@h/db"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn out_of_range_numbers_are_refused_by_the_parser() {
        let result = Config::try_parse_from(["server", "--session-idle-minutes", "0"]);
        assert!(result.is_err());
    }
}
