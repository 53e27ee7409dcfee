//! Signing in and out, and who is signed in.

use leptos::prelude::*;

use rules::error::AppError;

#[server(prefix = "/api", endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::api::session::{app_state, client_ip, internal, session};
    use rules::accounts::account::SignInInput;
    use rules::error::FieldErrors;
    use services::accounts::sign_in::{sign_in, SignInError};
    use validator::Validate;

    let state = app_state()?;
    let session = session().await?;
    let input = SignInInput { email, password };
    let echo = [("email", input.email.as_str())];
    if let Err(report) = input.validate() {
        return Err(AppError::Invalid(
            FieldErrors::from_validation(&report).echo(&echo),
        ));
    }
    match sign_in(
        &state.store,
        &*state.clock,
        &input.email,
        input.password.clone(),
        &client_ip(),
    )
    .await
    {
        Ok(signed_in) => after_sign_in(&state, &session, &signed_in, next.as_deref()).await,
        Err(SignInError::BadCredentials) => Err(AppError::Invalid(
            FieldErrors::new()
                .with("form", "@email_password_not_right")
                .echo(&echo),
        )),
        Err(SignInError::Throttled(seconds)) => Err(AppError::Throttled(seconds)),
        Err(SignInError::Store(error)) => Err(internal(error)),
    }
}

/// Starts the session and sends the person on: first to the terms when a partner has not
/// accepted the version in force, else to `next` (a path on this site) or home.
#[cfg(feature = "ssr")]
pub async fn after_sign_in(
    state: &crate::state::AppState,
    session: &tower_sessions::Session,
    signed_in: &services::accounts::sign_in::SignedIn,
    next: Option<&str>,
) -> Result<(), AppError> {
    use rules::validation::safe_return_path;
    crate::api::session::start_session(state, session, signed_in).await?;
    // The person's saved language follows them to this browser.
    if let Some(language) = locales::from_tag(&signed_in.account.language) {
        crate::api::languages::remember_language(state, locales::tag(language));
    }
    let target = next.and_then(safe_return_path).unwrap_or("/");
    let owes = crate::api::session::owes_second_factor(state, session, None).await?;
    if signed_in.awaiting_second_factor || owes {
        leptos_axum::redirect(&crate::api::session::next_stop(true, target));
        return Ok(());
    }
    let terms =
        services::administration::portal_settings::terms_to_accept(&state.store, &signed_in.account).await?;
    if terms.is_some() {
        leptos_axum::redirect(&format!("/terms?next={}", rules::list_filter::url_encode(target)));
    } else {
        leptos_axum::redirect(target);
    }
    Ok(())
}

#[server(prefix = "/api", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::api::session::{app_state, client_ip, end_session, session, signed_in_account};
    use rules::audit::event::{actions, Actor, AuditEvent};
    use services::audit::record_event;

    let state = app_state()?;
    let session = session().await?;
    if let Some(account) = signed_in_account(&state, &session).await? {
        let actor = Actor::account(account.id, &account.email, &client_ip());
        let event = AuditEvent::new(&actor, actions::SIGNED_OUT, state.clock.now());
        let mut tx = state.store.begin().await?;
        record_event(&mut tx, &event).await?;
        storage::commit(tx).await?;
    }
    end_session(&state, &session).await?;
    leptos_axum::redirect("/sign-in?signed_out=1");
    Ok(())
}
