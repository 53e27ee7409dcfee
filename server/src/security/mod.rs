//! The layers every request passes: client address, cross-site refusal, body cap, rate
//! limits and response headers. Each refusal answers in the caller's language: a small HTML
//! page for a plain form post, the app's JSON error for the browser app.

pub mod body_limit;
pub mod client_ip;
pub mod cross_site;
pub mod headers;
pub mod rate_limit;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use leptos_i18n::td_string;
use rules::error::AppError;

pub fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

/// Who a refusal is for, and so its language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// A person's plain form post or page: a small HTML page.
    Page,
    /// The browser app: the app's JSON error.
    App,
    /// A program calling the JSON API: the API's error shape.
    Api,
}

impl Audience {
    pub fn of(request: &axum::extract::Request) -> Self {
        if request.uri().path().starts_with("/api/v1/") {
            Audience::Api
        } else if accepts_html(request.headers()) {
            Audience::Page
        } else {
            Audience::App
        }
    }
}

/// A refusal made before the app runs, in the reader's language (their cookie or
/// `Accept-Language`: the portal's settings are not read this early).
pub fn refusal(status: StatusCode, error: AppError, request: &axum::extract::Request) -> Response {
    let audience = Audience::of(request);
    let l = crate::languages::reader_language(request.headers());
    let title = match status {
        StatusCode::PAYLOAD_TOO_LARGE => td_string!(l, common.refused_too_large),
        StatusCode::TOO_MANY_REQUESTS => td_string!(l, common.refused_too_many),
        _ => td_string!(l, common.refused),
    };
    let message = app::components::problem::error_text(l, &error);
    if audience == Audience::Api {
        let code = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "body_too_large",
            StatusCode::TOO_MANY_REQUESTS => "rate_limited",
            _ => "refused",
        };
        return crate::api_error::ApiError::new(status, code, message).into_response();
    }
    let (content_type, body) = if audience == Audience::Page {
        let message = escape_html(&message);
        let (lang, home) = (locales::tag(l), td_string!(l, common.go_to_the_start_page));
        let css = app::front_end::stylesheet_href();
        let page = format!(
            "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title} · Portico</title><link rel=\"stylesheet\" href=\"{css}\"></head>\
             <body><main id=\"main\" class=\"page\"><section class=\"card card-narrow\">\
             <h1>{title}</h1><p>{message}</p><p><a href=\"/\">{home}</a></p>\
             </section></main></body></html>"
        );
        ("text/html; charset=utf-8", page)
    } else {
        let worded = error.worded(|m| locales::messages::word(l, m));
        let json = serde_json::to_string(&worded).unwrap_or_else(|_| "\"Internal\"".to_string());
        ("application/json", json)
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if audience == Audience::Page {
        // The page's stylesheet must load; the fallback policy would block it.
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(headers::STATIC_PAGE_CSP),
        );
    }
    response
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
