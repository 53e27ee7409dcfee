//! Choosing the language: the switcher in the header posts here (a plain form, so it works
//! without JavaScript and reloads the page in the new language).

use leptos::prelude::*;

use rules::error::AppError;

/// Remembers `language` in a cookie (and, for a signed-in person, as their preference for
/// pages and emails), then sends the person back to `back`, a path on this portal.
#[server(prefix = "/api", endpoint = "set_language")]
pub async fn set_language(language: String, back: String) -> Result<(), AppError> {
    use crate::api::session::{app_state, session, signed_in_account};
    use rules::error::FieldErrors;
    use rules::validation::safe_return_path;

    let Some(chosen) = locales::from_tag(&language) else {
        return Err(AppError::Invalid(FieldErrors::new().with(
            "language",
            rules::message::with(
                "choose_offered_language",
                &[("choices", &locales::tags().join(", "))],
            ),
        )));
    };
    let state = app_state()?;
    let tag = locales::tag(chosen);
    if let Some(account) = signed_in_account(&state, &session().await?).await? {
        services::accounts::preferences::save_language(&state.store, account.id, tag).await?;
    }
    remember_language(&state, tag);
    leptos_axum::redirect(safe_return_path(&back).unwrap_or("/"));
    Ok(())
}

/// Sets the language cookie on this response: a year long, for the whole portal, Secure when
/// the portal is served over https.
#[cfg(feature = "ssr")]
pub fn remember_language(state: &crate::state::AppState, tag: &str) {
    use http::header::{HeaderValue, SET_COOKIE};
    use rules::languages::LANGUAGE_COOKIE;
    let secure = if state.settings.public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!("{LANGUAGE_COOKIE}={tag}; Path=/; Max-Age=31536000; SameSite=Lax{secure}");
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&cookie),
    ) {
        response.append_header(SET_COOKIE, value);
    }
}
