//! The request context every server function starts from: state, session, client address,
//! and the signed-in account. Also the one place internal errors are logged and hidden.

use axum::http::request::Parts;
use leptos::prelude::use_context;
use tower_sessions::Session;

use crate::state::{AppState, ClientIp};
use rules::audit::event::Actor;
use rules::error::AppError;
use services::accounts::sign_in::{account_of_sign_in, end_sign_in, SignedIn};
use storage::accounts::account::AccountRecord;
use storage::accounts::sign_in_cache::KeptSignIn;
use storage::accounts::sign_ins::SignInRecord;

/// The session holds nothing but the id of its sign-in.
const SIGN_IN_KEY: &str = "sign_in";
/// ... or of a sign-in waiting for its second factor (which signs nobody in).
const AWAITING_KEY: &str = "sign_in_awaiting";
/// When the session was last saved only to restart its idle timer (server/src/sessions.rs).
pub const TOUCHED_KEY: &str = "touched_at";

pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| internal("AppState missing from context"))
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| internal(format!("session layer missing: {e}")))
}

pub fn client_ip() -> String {
    use_context::<Parts>()
        .and_then(|parts| parts.extensions.get::<ClientIp>().cloned())
        .map(|ip| ip.0)
        .unwrap_or_default()
}

/// The language this request is answered in, as the server chose it (server/src/languages.rs):
/// the page's language, and the one its emails to the person making the request are written in.
pub fn request_language() -> locales::Locale {
    use crate::state::RequestLanguage;
    use_context::<Parts>()
        .and_then(|parts| parts.extensions.get::<RequestLanguage>().copied())
        .map_or(locales::all()[0], |RequestLanguage(language)| language)
}

/// True for a plain HTML form post (JavaScript off): such requests end in a redirect.
pub fn is_plain_form_post() -> bool {
    use_context::<Parts>()
        .and_then(|parts| parts.headers.get(http::header::ACCEPT).cloned())
        .and_then(|accept| accept.to_str().ok().map(|a| a.contains("text/html")))
        .unwrap_or(false)
}

/// For forms on pages that send no Referer (pages with a token in their address): answers a
/// plain form post (JavaScript off) with a redirect to `page`, carrying an error in the address
/// the way Leptos does for other forms. `fn_path` is the server function's path.
pub fn redirect_plain_form_post<T>(
    state: &AppState,
    fn_path: &str,
    page: &str,
    result: &Result<T, AppError>,
) {
    if !is_plain_form_post() {
        return;
    }
    if let Err(error) = result {
        let base = state.settings.link(page);
        match leptos::server_fn::error::ServerFnUrlError::new(fn_path, error.clone()).to_url(&base) {
            Ok(url) => leptos_axum::redirect(url.as_str()),
            Err(_) => leptos_axum::redirect(page),
        }
    }
}

/// Gives a server function's error answer the error's own status: 422 for a form to correct,
/// 401/403/404 for access, 429 with Retry-After for throttling, 500 only for real failures.
/// A plain form post keeps its redirect back to the form. Returns the error with its message
/// codes worded in the request's language, as the reader of the answer sees it. Installed with
/// [`rules::error::on_answer`], it runs as the error is encoded for the response.
pub fn answer(error: &AppError) -> AppError {
    set_status_of(error);
    let language = request_language();
    error.worded(|message| locales::messages::word(language, message))
}

fn set_status_of(error: &AppError) {
    use http::{header::RETRY_AFTER, HeaderValue, StatusCode};
    if is_plain_form_post() {
        return;
    }
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    response
        .set_status(StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    if let AppError::Throttled(seconds) = error {
        response.insert_header(RETRY_AFTER, HeaderValue::from(*seconds));
    }
}

/// The page's own Referrer-Policy: pages with a secret token in their address send none.
pub fn send_no_referrer() {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            http::header::REFERRER_POLICY,
            http::HeaderValue::from_static("no-referrer"),
        );
    }
}

/// The mail context of this portal.
pub fn mail_context(state: &AppState) -> services::mail::MailContext {
    state.look.mail(&state.settings)
}

/// Logs the real cause and gives the browser only the generic message.
pub fn internal(cause: impl std::fmt::Display) -> AppError {
    tracing::error!(%cause, "request failed");
    AppError::Internal
}

/// Starts a signed-in session: a new session id (no fixation) pointing at the sign-in. A sign-in
/// still waiting for its second factor is kept aside: nobody is signed in until it is given.
pub async fn start_session(
    state: &AppState,
    session: &Session,
    signed_in: &SignedIn,
) -> Result<(), AppError> {
    forget_kept(&state.store, session);
    session.cycle_id().await.map_err(internal)?;
    let (key, other) = if signed_in.awaiting_second_factor {
        (AWAITING_KEY, SIGN_IN_KEY)
    } else {
        (SIGN_IN_KEY, AWAITING_KEY)
    };
    session.remove::<String>(other).await.map_err(internal)?;
    session.insert(key, &signed_in.sign_in_id).await.map_err(internal)
}

/// Starts the session and sends the person to `target`, by way of the second step when the
/// sign-in waits for it or owes one (the portal asks it of them, or `resource` does).
pub async fn start_session_and_go(
    state: &AppState,
    session: &Session,
    signed_in: &SignedIn,
    target: &str,
    resource: Option<i64>,
) -> Result<(), AppError> {
    start_session(state, session, signed_in).await?;
    let owes = owes_second_factor(state, session, resource).await?;
    leptos_axum::redirect(&next_stop(signed_in.awaiting_second_factor || owes, target));
    Ok(())
}

/// Whether the session just started must give a second factor before it goes on: the portal
/// or an admin asks one of this person, or `resource` does, and none was given.
pub async fn owes_second_factor(
    state: &AppState,
    session: &Session,
    resource: Option<i64>,
) -> Result<bool, AppError> {
    use services::mfa::requirement::portal_wants_second_factor;
    let Some(record) = signed_in_record(state, session).await? else {
        return Ok(false);
    };
    if portal_wants_second_factor(&state.look.second_factors(), &record) {
        return Ok(true);
    }
    match resource {
        Some(resource) => Ok(require_second_factor_for(state, &record, resource).await.is_err()),
        None => Ok(false),
    }
}

/// Where a first step leads: `target`, or the second step first (which then goes on to it).
pub fn next_stop(second_step_first: bool, target: &str) -> String {
    if second_step_first {
        format!(
            "/sign-in/second-factor?next={}",
            rules::list_filter::url_encode(target)
        )
    } else {
        target.to_string()
    }
}

/// The sign-in of this browser that waits for its second factor, if there is one.
pub async fn awaiting_sign_in(session: &Session) -> Result<Option<String>, AppError> {
    session.get::<String>(AWAITING_KEY).await.map_err(internal)
}

/// Ends the session: deletes its sign-in and the session record, and clears the cookie.
pub async fn end_session(state: &AppState, session: &Session) -> Result<(), AppError> {
    forget_kept(&state.store, session);
    for key in [SIGN_IN_KEY, AWAITING_KEY] {
        if let Some(sign_in_id) = session.get::<String>(key).await.map_err(internal)? {
            end_sign_in(&state.store, &sign_in_id).await?;
        }
    }
    session.flush().await.map_err(internal)
}

/// The session's sign-in, if it still stands; a void session is ended on the spot. A sign-in
/// read for this session in the last second is taken from memory, without loading the session
/// (storage/src/accounts/sign_in_cache.rs).
pub async fn signed_in_record(state: &AppState, session: &Session) -> Result<Option<SignInRecord>, AppError> {
    use services::accounts::sign_in::session_stands;
    let lifetime = state.settings.session_absolute_seconds;
    let now = state.clock.now();
    let kept_as = session.id().map(|id| id.to_string());
    if let Some(kept) = kept_as.as_deref().and_then(|id| state.store.sign_ins().get(id)) {
        let record = &kept.record;
        if session_stands(record.signed_in_at, &record.account, now, lifetime) {
            return Ok(Some(record.clone()));
        }
    }
    let generation = state.store.sign_ins().generation();
    let Some(sign_in_id) = session.get::<String>(SIGN_IN_KEY).await.map_err(internal)? else {
        return Ok(None);
    };
    match account_of_sign_in(&state.store, &sign_in_id, now, lifetime).await? {
        Some(record) => {
            if let Some(id) = kept_as {
                let touched = session.get(TOUCHED_KEY).await.map_err(internal)?;
                let kept = KeptSignIn {
                    record: record.clone(),
                    touched,
                };
                state.store.sign_ins().keep(&id, kept, generation);
            }
            Ok(Some(record))
        }
        None => {
            end_session(state, session).await?;
            Ok(None)
        }
    }
}

/// Drops what is kept in memory for this session, as it changes.
fn forget_kept(store: &storage::Store, session: &Session) {
    if let Some(id) = session.id() {
        store.sign_ins().forget(&id.to_string());
    }
}

/// The signed-in account, if the session still stands (whether or not it owes a second factor:
/// for pages that only show who is signed in).
pub async fn signed_in_account(
    state: &AppState,
    session: &Session,
) -> Result<Option<AccountRecord>, AppError> {
    Ok(signed_in_record(state, session)
        .await?
        .map(|record| record.account))
}

/// The caller, signed in, even while a second factor the portal asks for is still owed: only
/// for what gives one (the second step, adding an authenticator app).
pub async fn require_sign_in() -> Result<(AppState, Session, SignInRecord), AppError> {
    let state = app_state()?;
    let session = session().await?;
    match signed_in_record(&state, &session).await? {
        Some(record) => Ok((state, session, record)),
        None => Err(AppError::Unauthenticated),
    }
}

/// The caller, who must be signed in, with the second factor the portal or an admin asks of
/// them given ([`AppError::SecondFactorNeeded`] sends them to give it).
pub async fn require_sign_in_record() -> Result<(AppState, Session, SignInRecord), AppError> {
    use services::mfa::requirement::portal_wants_second_factor;
    let (state, session, record) = require_sign_in().await?;
    if portal_wants_second_factor(&state.look.second_factors(), &record) {
        return Err(AppError::SecondFactorNeeded);
    }
    Ok((state, session, record))
}

/// [`require_sign_in_record`], for the account alone.
pub async fn require_account() -> Result<(AppState, Session, AccountRecord), AppError> {
    let (state, session, record) = require_sign_in_record().await?;
    Ok((state, session, record.account))
}

/// Refuses a session without a second factor when the resource's policy asks for one.
pub async fn require_second_factor_for(
    state: &AppState,
    record: &SignInRecord,
    resource_id: i64,
) -> Result<(), AppError> {
    use services::mfa::requirement::resource_requires_second_factor;
    if record.second_factor.is_none() && resource_requires_second_factor(&state.store, resource_id).await? {
        return Err(AppError::SecondFactorNeeded);
    }
    Ok(())
}

/// The caller, who must be an admin; a refusal is audited.
pub async fn require_admin() -> Result<(AppState, Session, AccountRecord), AppError> {
    let (state, session, account) = require_account().await?;
    if account.is_admin() {
        Ok((state, session, account))
    } else {
        audit_refusal(&state, &account, "admin area").await;
        Err(AppError::Forbidden)
    }
}

/// Like [`require_admin`], without auditing a refusal: for a second call of a page whose main
/// call already audits the same attempt, so one visit leaves one record.
pub async fn require_admin_already_audited() -> Result<(AppState, Session, AccountRecord), AppError> {
    let (state, session, account) = require_account().await?;
    if account.is_admin() {
        Ok((state, session, account))
    } else {
        Err(AppError::Forbidden)
    }
}

/// Records that an account reached for something it may not use.
pub async fn audit_refusal(state: &AppState, account: &AccountRecord, what: &str) {
    let actor = Actor::account(account.id, &account.email, &client_ip());
    record_refusal(state, &actor, what).await;
}

/// Audits that `actor` was refused `what` (for handlers outside server functions, which
/// know the actor's address themselves). A failure to record is logged, not raised.
pub async fn record_refusal(state: &AppState, actor: &Actor, what: &str) {
    if let Err(error) = services::audit::record_refusal(&state.store, actor, what, state.clock.now()).await {
        tracing::error!(%error, "could not audit a refused access");
    }
}
