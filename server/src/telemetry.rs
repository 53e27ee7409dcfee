//! Logging through `tracing`: human-readable by default, JSON when asked.

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

pub fn init_logging(filter: &str, format: LogFormat) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let result = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    // A second init (tests start several portals in one process) keeps the first subscriber.
    let _ = result;
}

/// The path as it may appear in logs: secret tokens in links are replaced by `***`.
pub fn redacted_path(path: &str) -> String {
    const SECRET_PREFIXES: [&str; 3] = ["/setup/", "/invite/", "/status/"];
    for prefix in SECRET_PREFIXES {
        if let Some(rest) = path.strip_prefix(prefix) {
            let tail = rest.find('/').map(|i| &rest[i..]).unwrap_or("");
            return format!("{prefix}***{tail}");
        }
    }
    path.to_string()
}

#[cfg(test)]
mod tests {
    use super::redacted_path;

    #[test]
    fn tokens_in_paths_never_reach_the_log() {
        assert_eq!(redacted_path("/invite/abcDEF123"), "/invite/***");
        assert_eq!(redacted_path("/status/abc/cancel"), "/status/***/cancel");
        assert_eq!(redacted_path("/setup/xyz"), "/setup/***");
        assert_eq!(redacted_path("/sign-in"), "/sign-in");
    }
}
