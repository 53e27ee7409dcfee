//! The providers' discovery documents and keys, fetched with a careful HTTP client and kept a
//! few minutes per instance (fetched again when a token names a key Portico has not seen).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use openidconnect::core::CoreProviderMetadata;
use openidconnect::{reqwest, IssuerUrl};

use rules::federation::provider::IssuerPolicy;
use storage::federation::providers::ProviderRecord;

/// How long a discovery document and its keys are used before they are fetched again.
const KEEP_FOR: Duration = Duration::from_secs(600);

/// Why a provider's configuration could not be had.
#[derive(Debug, Clone, thiserror::Error)]
pub enum DirectoryError {
    /// Not reachable, too slow, or an error status: worth trying again later.
    #[error("unreachable: {0}")]
    Unreachable(String),
    /// It answered with something Portico cannot use (wrong issuer, bad JSON, no keys).
    #[error("invalid: {0}")]
    Invalid(String),
}

struct Kept {
    updated_at: i64,
    fetched: Instant,
    metadata: Arc<CoreProviderMetadata>,
}

/// What every request shares for federation: the HTTP client, the policy for issuers, where
/// providers send people back to, and the kept discovery documents.
#[derive(Clone)]
pub struct Federation {
    pub http: reqwest::Client,
    pub policy: IssuerPolicy,
    /// The redirect URI registered at every provider.
    pub redirect_uri: String,
    kept: Arc<Mutex<HashMap<i64, Kept>>>,
}

impl std::fmt::Debug for Federation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Federation")
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

impl Federation {
    /// Outgoing calls: 3 s to connect, 10 s in all, no redirects followed (a provider that
    /// redirects its discovery document is reported, never followed to plain http).
    pub fn new(public_url: &str, policy: IssuerPolicy) -> Self {
        let http = reqwest::ClientBuilder::new()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(3))
            .timeout(Duration::from_secs(10))
            .build()
            .expect("the HTTP client builds");
        Self {
            http,
            policy,
            redirect_uri: format!("{}/api/federation_callback", public_url.trim_end_matches('/')),
            kept: Arc::default(),
        }
    }

    /// The provider's configuration: kept, or fetched when older than a few minutes, when the
    /// provider was edited since, or when `fresh` (an unknown key id appeared).
    pub async fn metadata(
        &self,
        provider: &ProviderRecord,
        fresh: bool,
    ) -> Result<Arc<CoreProviderMetadata>, DirectoryError> {
        let id = provider.id();
        if !fresh {
            let kept = self.kept.lock().expect("not poisoned");
            if let Some(kept) = kept.get(&id) {
                if kept.updated_at == provider.row.updated_at && kept.fetched.elapsed() < KEEP_FOR {
                    return Ok(kept.metadata.clone());
                }
            }
        }
        let metadata = Arc::new(self.discover(&provider.row.issuer).await?);
        let kept = Kept {
            updated_at: provider.row.updated_at,
            fetched: Instant::now(),
            metadata: metadata.clone(),
        };
        self.kept.lock().expect("not poisoned").insert(id, kept);
        Ok(metadata)
    }

    /// Fetches the discovery document and the keys it points to; the crate checks that the
    /// document names exactly this issuer.
    pub async fn discover(&self, issuer: &str) -> Result<CoreProviderMetadata, DirectoryError> {
        rules::federation::provider::check_issuer(issuer, self.policy)
            .map_err(|_| DirectoryError::Invalid("the issuer URL is not allowed".into()))?;
        let issuer =
            IssuerUrl::new(issuer.to_string()).map_err(|e| DirectoryError::Invalid(e.to_string()))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|error| {
                use openidconnect::DiscoveryError as E;
                match error {
                    E::Request(e) => DirectoryError::Unreachable(plain_reason(&e)),
                    E::Response(status, _, _) if status.is_redirection() => DirectoryError::Invalid(format!(
                        "it redirects ({status}); enter the final issuer URL"
                    )),
                    E::Response(status, _, _) => DirectoryError::Unreachable(format!("it answered {status}")),
                    E::Parse(e) => DirectoryError::Invalid(format!("not a discovery document ({e})")),
                    E::Validation(e) => DirectoryError::Invalid(e),
                    other => DirectoryError::Invalid(other.to_string()),
                }
            })?;
        if metadata.jwks().keys().is_empty() {
            return Err(DirectoryError::Invalid("it publishes no signing keys".into()));
        }
        Ok(metadata)
    }

    /// Forgets what is kept for a provider (edited or removed).
    pub fn forget(&self, id: i64) {
        self.kept.lock().expect("not poisoned").remove(&id);
    }
}

/// A network failure in words an admin can act on.
fn plain_reason(error: &openidconnect::HttpClientError<reqwest::Error>) -> String {
    use std::error::Error;
    let mut reason = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        reason = inner.to_string();
        source = inner.source();
    }
    if reason.contains("timed out") || reason.contains("operation timed out") {
        "it did not answer within 10 seconds".into()
    } else {
        reason
    }
}
