//! Who calls: the bearer token, checked on every call, and the admin it acts as. Each call is
//! rate limited per token and audited with the token's name.

use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use app::state::{AppState, ClientIp};
use rules::audit::event::Actor;
use rules::integrations::api_token::{parse_scopes, strip_bearer};
use services::integrations::api_calls::{token_holder, Call, CallError, TokenRefusal};
use services::invitations::owner_tools::Acting;
use services::mail::MailContext;
use storage::accounts::account::AccountRecord;

use crate::api_error::ApiError;

/// The caller of one API call.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token_id: i64,
    pub token_name: String,
    pub scopes: Vec<String>,
    /// The admin who made the token; the token acts as them.
    pub account: AccountRecord,
    /// How the audit log names the caller: the admin, and the token.
    pub actor: Actor,
}

impl Caller {
    /// Who acts, for the owner services.
    pub fn acting<'a>(&'a self, mail: &'a MailContext, now: i64) -> Acting<'a> {
        Acting {
            account: &self.account,
            actor: &self.actor,
            mail,
            now,
        }
    }

    pub fn require(&self, scope: &str) -> Result<(), ApiError> {
        if self.scopes.iter().any(|s| s == scope) {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "missing_scope",
                rules::message::with("missing_scope", &[("scope", scope)]),
            ))
        }
    }
}

/// Calls allowed per minute, per client address (checked first, so calls with no or a wrong
/// token are limited too) and per token: a burst of that size, refilled evenly.
#[derive(Clone)]
pub struct TokenLimits {
    by_address: Arc<DefaultKeyedRateLimiter<String>>,
    by_token: Arc<DefaultKeyedRateLimiter<i64>>,
}

impl TokenLimits {
    pub fn per_minute(calls: u32) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(calls).unwrap_or(NonZeroU32::MIN));
        Self {
            by_address: Arc::new(RateLimiter::keyed(quota)),
            by_token: Arc::new(RateLimiter::keyed(quota)),
        }
    }

    pub fn forget_idle(&self) {
        self.by_address.retain_recent();
        self.by_token.retain_recent();
    }
}

/// The 429 for a refused budget, with whole seconds to wait (never 0).
fn throttled(not_until: governor::NotUntil<<DefaultClock as Clock>::Instant>) -> ApiError {
    let wait = not_until.wait_time_from(DefaultClock::default().now());
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0 || wait.as_secs() == 0);
    ApiError::throttled(seconds)
}

#[derive(Clone)]
pub struct AuthState {
    pub app: AppState,
    pub limits: TokenLimits,
}

/// Checks the token, the rate limit and the owner; runs the call; audits it.
pub async fn authenticate(State(auth): State<AuthState>, mut request: Request, next: Next) -> Response {
    let client_ip = request
        .extensions()
        .get::<ClientIp>()
        .map(|ip| ip.0.clone())
        .unwrap_or_default();
    if let Err(not_until) = auth.limits.by_address.check_key(&client_ip) {
        return throttled(not_until).into_response();
    }
    let caller = match caller(&auth.app, request.headers(), &client_ip).await {
        Ok(caller) => caller,
        Err(error) => return error.into_response(),
    };
    if let Err(not_until) = auth.limits.by_token.check_key(&caller.token_id) {
        return throttled(not_until).into_response();
    }
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    request.extensions_mut().insert(caller.clone());
    let response = next.run(request).await;
    if let Err(error) = record_call(&auth.app, &caller, &method, &path, response.status().as_u16()).await {
        tracing::error!(%error, "could not audit an API call");
    }
    response
}

async fn caller(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    client_ip: &str,
) -> Result<Caller, ApiError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::unauthenticated("@send_api_token_authorization"))?;
    let bearer = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .unwrap_or_default();
    let raw = strip_bearer(bearer).ok_or_else(|| ApiError::unauthenticated("@api_token_not_valid"))?;
    let (token, account) = match token_holder(&state.store, raw, state.clock.now()).await {
        Ok(holder) => holder,
        Err(CallError::Refused(refusal)) => return Err(refused(refusal)),
        Err(CallError::Store(error)) => return Err(error.into()),
    };
    let actor = Actor {
        account_id: Some(account.id),
        label: format!("{} (API token \"{}\")", account.email, token.name),
        client_ip: client_ip.to_string(),
    };
    Ok(Caller {
        token_id: token.id,
        token_name: token.name,
        scopes: parse_scopes(&token.scopes),
        account,
        actor,
    })
}

/// How each refusal reads to the caller.
fn refused(refusal: TokenRefusal) -> ApiError {
    match refusal {
        TokenRefusal::Unknown => ApiError::unauthenticated("@api_token_not_valid"),
        TokenRefusal::Revoked => ApiError::unauthenticated("@api_token_was_revoked"),
        TokenRefusal::Expired => ApiError::unauthenticated("@api_token_has_expired"),
        TokenRefusal::AccountDisabled => ApiError::unauthenticated("@account_behind_api_token"),
        TokenRefusal::NotAdmin => ApiError::forbidden("forbidden", "@account_behind_api_token_2"),
    }
}

/// One audit event per call, and the token's last use.
async fn record_call(
    state: &AppState,
    caller: &Caller,
    method: &str,
    path: &str,
    status: u16,
) -> Result<(), storage::StoreError> {
    let call = Call {
        token_id: caller.token_id,
        token_name: &caller.token_name,
        actor: &caller.actor,
        method,
        path,
        status,
    };
    services::integrations::api_calls::record_call(&state.store, &call, state.clock.now()).await
}
