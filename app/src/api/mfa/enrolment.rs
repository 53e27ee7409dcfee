//! The person's own second factors, from the account page: adding an authenticator app (its
//! QR code and secret, then a first code), recovery codes (shown once), removing.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthenticatorView {
    pub id: i64,
    pub added_at: i64,
    pub last_used_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyView {
    pub id: i64,
    pub name: String,
    pub added_at: i64,
    pub last_used_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorsView {
    pub authenticators: Vec<AuthenticatorView>,
    pub passkeys: Vec<PasskeyView>,
    /// Whether this portal's address allows passkeys at all.
    pub passkeys_available: bool,
    pub recovery_codes_left: i64,
}

impl SecondFactorsView {
    pub fn is_empty(&self) -> bool {
        self.authenticators.is_empty() && self.passkeys.is_empty()
    }
}

/// What the page shows while an authenticator is being added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentView {
    pub secret: String,
    pub qr_svg: String,
}

#[cfg(feature = "ssr")]
pub(super) mod fresh_codes {
    //! Recovery codes just made wait in the session (sealed) until their page shows them once.
    use crate::api::session::internal;
    use rules::error::AppError;
    use services::server_key::ServerKey;
    use tower_sessions::Session;

    const KEY: &str = "fresh_recovery_codes";
    const PURPOSE: &str = "fresh-recovery-codes";

    pub async fn keep(session: &Session, key: &ServerKey, codes: &[String]) -> Result<(), AppError> {
        session
            .insert(KEY, key.seal(PURPOSE, &codes.join(" ")))
            .await
            .map_err(internal)
    }

    pub async fn take(session: &Session, key: &ServerKey) -> Result<Vec<String>, AppError> {
        let sealed = session.remove::<String>(KEY).await.map_err(internal)?;
        Ok(sealed
            .and_then(|sealed| key.open(PURPOSE, &sealed).ok())
            .map(|codes| codes.split(' ').map(str::to_string).collect())
            .unwrap_or_default())
    }
}

/// The caller, for adding an authenticator app: someone who has no second factor yet may add one
/// while the portal already asks for it (that is how they come to have one); someone who has one
/// gives it first.
#[cfg(feature = "ssr")]
pub(super) async fn require_enroller() -> Result<
    (
        crate::state::AppState,
        tower_sessions::Session,
        storage::accounts::sign_ins::SignInRecord,
    ),
    AppError,
> {
    use crate::api::session::require_sign_in;
    let (state, session, record) = require_sign_in().await?;
    if record.second_factor.is_none()
        && services::mfa::enrolment::has_any_second_factor(&state.store, record.account.id).await?
    {
        return Err(AppError::SecondFactorNeeded);
    }
    Ok((state, session, record))
}

#[server(prefix = "/api", endpoint = "my_second_factors")]
pub async fn my_second_factors() -> Result<SecondFactorsView, AppError> {
    use crate::api::session::require_account;
    let (state, _, account) = require_account().await?;
    let factors = services::mfa::enrolment::factors_of(&state.store, account.id).await?;
    Ok(view_of(factors, state.passkeys.available()))
}

#[cfg(feature = "ssr")]
pub(super) fn view_of(
    factors: services::mfa::enrolment::Factors,
    passkeys_available: bool,
) -> SecondFactorsView {
    SecondFactorsView {
        passkeys: factors
            .passkeys
            .into_iter()
            .map(|p| PasskeyView {
                id: p.id,
                name: p.name,
                added_at: p.created_at,
                last_used_at: p.last_used_at,
            })
            .collect(),
        passkeys_available,
        authenticators: factors
            .authenticators
            .into_iter()
            .map(|a| AuthenticatorView {
                id: a.id,
                added_at: a.confirmed_at.unwrap_or(a.created_at),
                last_used_at: a.last_used_at,
            })
            .collect(),
        recovery_codes_left: factors.recovery_codes_left,
    }
}

/// The authenticator being added: made on the first visit of the page, the same on the next.
#[server(prefix = "/api", endpoint = "authenticator_enrolment")]
pub async fn authenticator_enrolment() -> Result<EnrolmentView, AppError> {
    use super::mfa_error;
    let (state, _, record) = require_enroller().await?;
    let account = record.account;
    let issuer = state.look.get().branding.portal_name.clone();
    let enrolment = services::mfa::enrolment::begin_authenticator(
        &state.store,
        &state.settings.server_key,
        &account,
        &issuer,
        state.clock.now(),
    )
    .await
    .map_err(mfa_error)?;
    Ok(EnrolmentView {
        secret: enrolment.secret,
        qr_svg: enrolment.qr_svg,
    })
}

/// `next`: where the person was going when the portal asked for a second factor they did not
/// have yet; they go on there once the codes are noted.
#[server(prefix = "/api", endpoint = "confirm_authenticator")]
pub async fn confirm_authenticator(code: String, next: Option<String>) -> Result<(), AppError> {
    use super::mfa_error;
    use crate::api::session::client_ip;
    use rules::audit::event::Actor;
    let (state, session, record) = require_enroller().await?;
    let account = &record.account;
    let actor = Actor::account(account.id, &account.email, &client_ip());
    let key = &state.settings.server_key;
    let codes = services::mfa::enrolment::confirm_authenticator(
        &state.store,
        key,
        &actor,
        (account, &record.id),
        &code,
        state.clock.now(),
    )
    .await
    .map_err(mfa_error)?;
    factor_added(&session, key, codes, next.as_deref()).await
}

/// Where a person goes once a factor is added: to the recovery codes when it was their first,
/// then on to `next` (where they were going when the portal asked for one) or the account page.
#[cfg(feature = "ssr")]
pub(super) async fn factor_added(
    session: &tower_sessions::Session,
    key: &services::server_key::ServerKey,
    codes: Option<Vec<String>>,
    next: Option<&str>,
) -> Result<(), AppError> {
    let next = next.and_then(rules::validation::safe_return_path);
    match (codes, next) {
        (Some(codes), next) => {
            fresh_codes::keep(session, key, &codes).await?;
            let onward = next.map(|n| format!("?next={}", rules::list_filter::url_encode(n)));
            leptos_axum::redirect(&format!("/account/recovery-codes{}", onward.unwrap_or_default()));
        }
        (None, Some(next)) => leptos_axum::redirect(next),
        (None, None) => leptos_axum::redirect("/account?added=1"),
    }
    Ok(())
}

#[server(prefix = "/api", endpoint = "renew_recovery_codes")]
pub async fn renew_recovery_codes() -> Result<(), AppError> {
    use super::mfa_error;
    use crate::api::session::{client_ip, require_account};
    use rules::audit::event::Actor;
    let (state, session, account) = require_account().await?;
    let actor = Actor::account(account.id, &account.email, &client_ip());
    let key = &state.settings.server_key;
    let codes = services::mfa::enrolment::renew_recovery_codes(
        &state.store,
        key,
        &actor,
        &account,
        state.clock.now(),
    )
    .await
    .map_err(mfa_error)?;
    fresh_codes::keep(&session, key, &codes).await?;
    leptos_axum::redirect("/account/recovery-codes");
    Ok(())
}

/// The recovery codes just made, once: a second visit finds none.
#[server(prefix = "/api", endpoint = "fresh_recovery_codes")]
pub async fn fresh_recovery_codes() -> Result<Vec<String>, AppError> {
    let (state, session, _) = require_enroller().await?;
    fresh_codes::take(&session, &state.settings.server_key).await
}

#[server(prefix = "/api", endpoint = "remove_authenticator")]
pub async fn remove_authenticator(id: i64) -> Result<(), AppError> {
    use super::mfa_error;
    use crate::api::session::{client_ip, require_account};
    use rules::audit::event::Actor;
    let (state, _, account) = require_account().await?;
    let actor = Actor::account(account.id, &account.email, &client_ip());
    services::mfa::enrolment::remove_authenticator(&state.store, &actor, &account, id, state.clock.now())
        .await
        .map_err(mfa_error)?;
    leptos_axum::redirect("/account?removed=1");
    Ok(())
}
