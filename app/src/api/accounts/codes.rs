//! Signing in with a one-time code by email: asking for one, and typing it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use rules::error::AppError;

/// What the sign-in pages need to know: whether partners may use codes, and the address a
/// code was last sent to from this browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeOptions {
    pub codes: bool,
    pub sent_to: Option<String>,
}

#[cfg(feature = "ssr")]
mod browser {
    use tower_sessions::Session;

    use crate::api::session::internal;
    use rules::error::AppError;

    /// The browser's own random value: a code works only where it was asked for.
    const SECRET_KEY: &str = "code_browser";
    /// The address the last sign-in code went to.
    const EMAIL_KEY: &str = "code_email";

    pub async fn secret(session: &Session) -> Result<String, AppError> {
        if let Some(secret) = session.get::<String>(SECRET_KEY).await.map_err(internal)? {
            return Ok(secret);
        }
        let secret = services::tokens::new_token().raw;
        session.insert(SECRET_KEY, &secret).await.map_err(internal)?;
        Ok(secret)
    }

    pub async fn existing_secret(session: &Session) -> Result<String, AppError> {
        Ok(session
            .get::<String>(SECRET_KEY)
            .await
            .map_err(internal)?
            .unwrap_or_default())
    }

    pub async fn remember_email(session: &Session, email: &str) -> Result<(), AppError> {
        session.insert(EMAIL_KEY, email).await.map_err(internal)
    }

    pub async fn email(session: &Session) -> Result<Option<String>, AppError> {
        session.get::<String>(EMAIL_KEY).await.map_err(internal)
    }

    /// This browser as the code services know it: its own random value and its address.
    pub struct ThisBrowser {
        secret: String,
        client_ip: String,
    }

    impl ThisBrowser {
        /// Asking for a code: the browser's value, made on its first ask.
        pub async fn asking(session: &Session) -> Result<Self, AppError> {
            Ok(Self {
                secret: secret(session).await?,
                client_ip: crate::api::session::client_ip(),
            })
        }

        /// Typing a code: the value it has (none, and no code will match).
        pub async fn typing(session: &Session) -> Result<Self, AppError> {
            Ok(Self {
                secret: existing_secret(session).await?,
                client_ip: crate::api::session::client_ip(),
            })
        }

        pub fn codes(&self) -> services::accounts::one_time_codes::CodeBrowser<'_> {
            services::accounts::one_time_codes::CodeBrowser {
                secret: &self.secret,
                client_ip: &self.client_ip,
            }
        }
    }
}

#[cfg(feature = "ssr")]
pub use browser::ThisBrowser;

/// A code problem as the person reads it, next to its field.
#[cfg(feature = "ssr")]
pub fn code_problem(error: services::accounts::one_time_codes::CodeError, email: &str) -> AppError {
    use rules::error::FieldErrors;
    use services::accounts::one_time_codes::CodeError;
    let message = error.message().unwrap_or_default();
    match error {
        CodeError::Store(error) => crate::api::session::internal(error),
        CodeError::SwitchedOff => AppError::Refused(message),
        // Problems with the address sit beside the code form's own field, `code_email` (the
        // password form below has `email`), with what was typed.
        CodeError::Invalid("email", _) | CodeError::TooMany => AppError::Invalid(
            FieldErrors::new()
                .with("code_email", message)
                .echo(&[("code_email", email)]),
        ),
        _ => AppError::Invalid(FieldErrors::new().with("code", message)),
    }
}

#[server(prefix = "/api", endpoint = "code_sign_in_state")]
pub async fn code_sign_in_state() -> Result<CodeOptions, AppError> {
    use crate::api::session::{app_state, session};
    let state = app_state()?;
    let session = session().await?;
    let methods = services::administration::sign_in_methods::sign_in_methods(&state.store).await?;
    // With codes off, partners whose domain has a provider still start with their address.
    let providers = storage::federation::providers::list_providers(state.store.read())
        .await
        .map_err(crate::api::session::internal)?;
    Ok(CodeOptions {
        codes: methods.partner_codes || !providers.is_empty(),
        sent_to: browser::email(&session).await?,
    })
}

/// Sends a code when the address belongs to a partner, and goes to the page to type it either
/// way: the answer is the same for every address.
#[server(prefix = "/api", endpoint = "send_sign_in_code")]
pub async fn send_sign_in_code(code_email: String, next: Option<String>) -> Result<(), AppError> {
    use crate::api::session::{app_state, mail_context, session};
    use services::accounts::one_time_codes::send_sign_in_code;

    let state = app_state()?;
    let session = session().await?;
    // An address whose domain has its own identity provider signs in there.
    if let Some(provider) = crate::api::federation::sign_in::trip::provider_for(&state, &code_email).await? {
        return to_provider(&state, &session, &provider, &code_email, next).await;
    }
    let browser = ThisBrowser::asking(&session).await?;
    let mail = mail_context(&state);
    let sent = send_sign_in_code(
        &state.store,
        &*state.clock,
        (&state.settings, &mail),
        &code_email,
        browser.codes(),
    )
    .await;
    let email = sent.map_err(|error| code_problem(error, &code_email))?;
    browser::remember_email(&session, &email).await?;
    let next = next
        .as_deref()
        .and_then(rules::validation::safe_return_path)
        .map(|path| format!("?next={}", rules::list_filter::url_encode(path)))
        .unwrap_or_default();
    leptos_axum::redirect(&format!("/sign-in/code{next}"));
    Ok(())
}

/// Off to the partner's own provider; when it cannot be reached, said beside the address.
#[cfg(feature = "ssr")]
async fn to_provider(
    state: &crate::state::AppState,
    session: &tower_sessions::Session,
    provider: &storage::federation::providers::ProviderRecord,
    email: &str,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::api::federation::sign_in::trip::{go, setting_out_problem};
    use rules::error::FieldErrors;
    use services::federation::flow::FlowPurpose;
    let next = next.filter(|n| rules::validation::safe_return_path(n).is_some());
    let email = rules::email::normalise_email(email).unwrap_or_default();
    match go(
        state,
        session,
        provider,
        (&email, FlowPurpose::SignIn { next }),
        false,
    )
    .await
    {
        Ok(()) => Ok(()),
        Err(error) => Err(AppError::Invalid(
            FieldErrors::new()
                .with("code_email", setting_out_problem(provider, &error))
                .echo(&[("code_email", &email)]),
        )),
    }
}

#[server(prefix = "/api", endpoint = "sign_in_with_code")]
pub async fn sign_in_with_code(code: String, next: Option<String>) -> Result<(), AppError> {
    use crate::api::accounts::auth::after_sign_in;
    use crate::api::session::{app_state, session};
    use services::accounts::one_time_codes::sign_in_with_code;

    let state = app_state()?;
    let session = session().await?;
    let Some(email) = browser::email(&session).await? else {
        return Err(code_problem(
            services::accounts::one_time_codes::CodeError::Spent,
            "",
        ));
    };
    let browser = ThisBrowser::typing(&session).await?;
    let key = &state.settings.server_key;
    match sign_in_with_code(&state.store, &*state.clock, key, &email, browser.codes(), &code).await {
        Ok(signed_in) => after_sign_in(&state, &session, &signed_in, next.as_deref()).await,
        Err(error) => Err(code_problem(error, &email)),
    }
}
