//! The language each request is answered in (see rules::languages for the order), put in the
//! request's extensions for the pages, server functions and the kept-page cache. Pages name it in
//! `Vary`, so no shared cache hands one language's page to a reader of another (files such as
//! the wasm bundle are the same in every language and stay cacheable as they are).

use axum::extract::Request;
use axum::http::header::{ACCEPT_LANGUAGE, CONTENT_TYPE, VARY};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;

use app::state::{AppState, RequestLanguage};
use rules::languages::{choose, LANGUAGE_COOKIE};

use crate::sessions::cookie_value;

/// Notes the request's language on it.
pub fn note_language(request: &mut Request, state: &AppState) {
    let language = language_of(request.headers(), state);
    request.extensions_mut().insert(RequestLanguage(language));
}

/// Names the language's sources in a page's `Vary`.
pub fn vary_by_language(response: &mut Response) {
    let is_page = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if is_page {
        response
            .headers_mut()
            .append(VARY, HeaderValue::from_static("Accept-Language, Cookie"));
    }
}

/// The reader's language from the request alone (cookie, else `Accept-Language`, else English),
/// for answers made before the portal's settings are at hand.
pub fn reader_language(headers: &HeaderMap) -> locales::Locale {
    chosen_language(headers, locales::tags()[0])
}

fn language_of(headers: &HeaderMap, state: &AppState) -> locales::Locale {
    chosen_language(headers, locales::tag(state.look.default_language()))
}

/// The language the cookie names, else the first of `Accept-Language` spoken here, else `default`.
fn chosen_language(headers: &HeaderMap, default: &str) -> locales::Locale {
    let cookie = cookie_value(headers, LANGUAGE_COOKIE);
    let accept = headers.get(ACCEPT_LANGUAGE).and_then(|value| value.to_str().ok());
    let chosen = choose(cookie.as_deref(), accept, locales::tags(), default);
    locales::from_tag(chosen).unwrap_or(locales::all()[0])
}
