//! Per-client-IP rate limits on the endpoints worth guessing at (GCRA via `governor`).
//! Limits are kept in this process's memory: with several instances each one counts its own.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use app::state::ClientIp;
use rules::error::AppError;

use super::refusal;

type Limiter = Arc<DefaultKeyedRateLimiter<String>>;

/// Which POST paths share which budget.
#[derive(Clone)]
pub struct RateLimits {
    rules: Arc<Vec<(&'static str, Limiter)>>,
}

/// Server functions whose every call checks a password or creates an account.
pub const SIGN_IN_PATHS: &[&str] = &[
    "/api/sign_in",
    "/api/create_first_admin",
    "/api/send_sign_in_code",
    "/api/sign_in_with_code",
    "/api/send_invitation_code",
];
/// Server functions behind the public forms that create things: access requests, redemptions.
pub const FORM_PATHS: &[&str] = &["/api/submit_access_request", "/api/redeem_invitation"];

impl RateLimits {
    pub fn new(sign_in_per_minute: u32, forms_per_minute: u32) -> Self {
        let sign_in = limiter(sign_in_per_minute);
        let forms = limiter(forms_per_minute);
        let rules = SIGN_IN_PATHS
            .iter()
            .map(|path| (*path, sign_in.clone()))
            .chain(FORM_PATHS.iter().map(|path| (*path, forms.clone())))
            .collect();
        Self {
            rules: Arc::new(rules),
        }
    }

    fn for_path(&self, path: &str) -> Option<&Limiter> {
        self.rules.iter().find(|(p, _)| *p == path).map(|(_, l)| l)
    }

    /// Forgets clients that have been quiet long enough to be back at a full budget.
    pub fn forget_idle_clients(&self) {
        for (_, limiter) in self.rules.iter() {
            limiter.retain_recent();
        }
    }

    /// The refusal of a POST over its client's budget; `None` lets it through.
    pub fn refusal(&self, request: &Request) -> Option<Response> {
        if request.method() != Method::POST {
            return None;
        }
        let limiter = self.for_path(request.uri().path())?;
        let client = request
            .extensions()
            .get::<ClientIp>()
            .map(|ip| ip.0.clone())
            .unwrap_or_default();
        let not_until = limiter.check_key(&client).err()?;
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        let seconds = round_up_seconds(wait);
        tracing::info!(client = %client, path = %request.uri().path(), seconds, "rate limit reached");
        let mut response = refusal(
            StatusCode::TOO_MANY_REQUESTS,
            AppError::Throttled(seconds),
            request,
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        Some(response)
    }
}

fn limiter(per_minute: u32) -> Limiter {
    let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
    Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute)))
}

fn round_up_seconds(wait: Duration) -> u64 {
    let whole = wait.as_secs();
    if wait.subsec_nanos() > 0 || whole == 0 {
        whole + 1
    } else {
        whole
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_never_zero_and_rounds_up() {
        assert_eq!(round_up_seconds(Duration::from_millis(1)), 1);
        assert_eq!(round_up_seconds(Duration::from_millis(5_200)), 6);
        assert_eq!(round_up_seconds(Duration::from_secs(6)), 6);
    }

    #[test]
    fn the_budget_is_per_client_and_per_path_group() {
        let limits = RateLimits::new(2, 30);
        let limiter = limits.for_path("/api/sign_in").expect("sign-in is limited");
        assert!(limiter.check_key(&"10.0.0.1".to_string()).is_ok());
        assert!(limiter.check_key(&"10.0.0.1".to_string()).is_ok());
        assert!(limiter.check_key(&"10.0.0.1".to_string()).is_err());
        assert!(limiter.check_key(&"10.0.0.2".to_string()).is_ok());
        // The setup form shares the sign-in budget.
        for codes in [
            "/api/send_sign_in_code",
            "/api/sign_in_with_code",
            "/api/send_invitation_code",
        ] {
            assert!(
                limits.for_path(codes).is_some(),
                "{codes} shares the sign-in budget"
            );
        }
        let setup = limits.for_path("/api/create_first_admin").expect("limited");
        assert!(setup.check_key(&"10.0.0.1".to_string()).is_err());
        assert!(limits.for_path("/api/get_site_info").is_none());
    }
}
