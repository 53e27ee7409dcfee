//! The webhook worker: claims due deliveries, signs and posts them, logs every try, and retries
//! failures with growing pauses for up to a day.
//!
//! Signature: `Portico-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
//! Receivers recompute it over the raw body with the endpoint's secret, compare in constant
//! time, and refuse timestamps more than a few minutes old (replays).

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use app::state::AppState;
use rules::integrations::webhook::{is_public, next_attempt};
use services::integrations::webhooks::private_targets_allowed;
use storage::integrations::webhooks::{claim_due, record_attempt, AfterAttempt, Attempt, DueDelivery};
use storage::StoreError;

use super::StopSignal;

const BATCH: i64 = 20;
const IDLE_PAUSE: Duration = Duration::from_millis(500);
const TIMEOUT: Duration = Duration::from_secs(10);

/// The value of the `Portico-Signature` header for `body` sent at `timestamp`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    // HMAC takes keys of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("t={timestamp},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Where to connect for `url`: refused when the host is (or resolves to) a loopback or private
/// address and those are not allowed. The address found is the one used, so a second lookup
/// cannot swap in another (DNS rebinding).
async fn resolve_target(url: &url::Url, allow_private: bool) -> Result<Option<(String, SocketAddr)>, String> {
    let host = url
        .host_str()
        .ok_or("the address has no host")?
        .trim_matches(['[', ']'])
        .to_string();
    let port = url.port_or_known_default().ok_or("the address has no port")?;
    if let Ok(ip) = host.parse::<IpAddr>() {
        return if allow_private || is_public(ip) {
            Ok(None)
        } else {
            Err(format!("refused: {ip} is a loopback or private address"))
        };
    }
    let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), port))
        .await
        .map_err(|e| format!("could not resolve {host}: {e}"))?
        .collect();
    let first = *addresses
        .first()
        .ok_or_else(|| format!("{host} has no address"))?;
    if !allow_private {
        if let Some(private) = addresses.iter().find(|a| !is_public(a.ip())) {
            return Err(format!(
                "refused: {host} resolves to the private address {}",
                private.ip()
            ));
        }
    }
    Ok(Some((host, first)))
}

/// One try: the status code (if an answer came), and an error text when it was not a 2xx.
async fn post(delivery: &DueDelivery, allow_private: bool, now: i64) -> (Option<u16>, String) {
    let url = match url::Url::parse(&delivery.url) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => url,
        _ => return (None, "the address is not an http(s) URL".to_string()),
    };
    let pinned = match resolve_target(&url, allow_private).await {
        Ok(pinned) => pinned,
        Err(message) => return (None, message),
    };
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .user_agent("Portico-Webhooks/1");
    if let Some((host, address)) = pinned {
        builder = builder.resolve(&host, address);
    }
    let client = match builder.build() {
        Ok(client) => client,
        Err(error) => return (None, format!("could not prepare the request: {error}")),
    };
    let sent = client
        .post(url)
        .header("Content-Type", "application/json")
        .header("Portico-Event", &delivery.event)
        .header("Portico-Delivery", delivery.id.to_string())
        .header(
            "Portico-Signature",
            signature(&delivery.secret, now, &delivery.payload),
        )
        .body(delivery.payload.clone())
        .send()
        .await;
    match sent {
        Ok(response) if response.status().is_success() => (Some(response.status().as_u16()), String::new()),
        Ok(response) => (
            Some(response.status().as_u16()),
            format!("the receiver answered {}", response.status()),
        ),
        Err(error) if error.is_timeout() => (None, "no answer within 10 seconds".to_string()),
        Err(error) => (None, format!("could not connect: {error}")),
    }
}

/// Delivers what is due now; returns how many were tried.
pub async fn deliver_due(state: &AppState, lease: i64) -> Result<usize, StoreError> {
    let due = claim_due(&state.store, state.clock.now(), lease, BATCH).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let allow_private = private_targets_allowed(&state.store).await?;
    for delivery in &due {
        let started = Instant::now();
        let (status, error) = post(delivery, allow_private, state.clock.now()).await;
        let latency_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        let now = state.clock.now();
        let after = if error.is_empty() {
            AfterAttempt::Delivered
        } else {
            match next_attempt(delivery.created_at, delivery.attempts + 1, now) {
                Some(at) => AfterAttempt::RetryAt(at),
                None => AfterAttempt::GiveUp,
            }
        };
        if !error.is_empty() {
            tracing::warn!(endpoint = delivery.endpoint_id, delivery = delivery.id, %error, "webhook not delivered");
        }
        let attempt = Attempt {
            delivery_id: delivery.id,
            status_code: status.map(i64::from),
            latency_ms,
            error: &error,
        };
        record_attempt(&state.store, &attempt, after, now).await?;
    }
    Ok(due.len())
}

pub async fn run(state: AppState, lease: i64, mut stop: StopSignal) {
    while !stop.is_stopped() {
        match deliver_due(&state, lease).await {
            Ok(handled) if handled as i64 == BATCH => continue,
            Ok(_) => stop.sleep(IDLE_PAUSE).await,
            Err(error) => {
                tracing::error!(%error, "webhook worker could not reach the database");
                stop.sleep(Duration::from_secs(5)).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::signature;

    #[test]
    fn the_signature_is_hmac_sha256_over_time_dot_body() {
        // Computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
        assert_eq!(
            signature("whsec_test", 1_700_000_000, "{\"a\":1}"),
            "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
        );
    }
}
