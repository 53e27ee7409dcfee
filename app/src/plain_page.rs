//! Partner pages drawn without the router. A page the router draws pays, for every request, for
//! building the whole app, matching its routes, the frame's resource and Suspense, and an owner
//! for each component: about three quarters of a signed-in page's time (`docs/performance.md`,
//! "Where the frame's time goes"). A partner page needs none of it: it is never hydrated
//! (`partner_pages.rs`). So the server reads such a page's data first and then draws it, with
//! the same components and frame as the routed pages, in one owner that carries the request
//! (as for a server function), the reader's language and the page's address.

use std::future::Future;
use std::pin::Pin;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;
use leptos_axum::ResponseOptions;

use crate::api::site::{get_site_info, SiteInfo};
use crate::components::document::{content_security_policy, page_title, HeadBasics};
use crate::components::here::provide_here_from_request;
use crate::components::language::{language, provide_language};
use crate::components::layout::{PlainSiteHeader, SiteFooter};
use crate::state::AppState;

/// A page drawn without the router: reads its data and draws it, given what the header shows.
pub type PlainPage = fn(Option<SiteInfo>) -> Pin<Box<dyn Future<Output = Drawn> + Send>>;

/// The one parameter of the page's route (the slug of `/request/{slug}`, the token of
/// `/invite/{token}`), or nothing.
pub async fn path_parameter() -> String {
    use axum::extract::Path;
    leptos_axum::extract::<Path<String>>()
        .await
        .map(|Path(value)| value)
        .unwrap_or_default()
}

/// A page's part of the document: its title and what goes inside `<main>`.
pub struct Drawn {
    pub title: String,
    pub body: AnyView,
}

/// Answers a request for a partner page: `page` reads the page's data and draws it, given what
/// the header shows (the portal's look and who is signed in). Within it, as within a server
/// function, the request's parts, the state and the response's options are in context, and the
/// reader's language and the page's address as in a routed page.
pub async fn answer<F, Fut>(state: AppState, request: Request, page: F) -> Response
where
    F: FnOnce(Option<SiteInfo>) -> Fut + Send,
    Fut: Future<Output = Drawn> + Send,
{
    let (parts, _) = request.into_parts();
    let owner = Owner::new();
    let options = ResponseOptions::default();
    let address = parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
    owner.with(|| {
        provide_context(state);
        provide_context(parts);
        provide_context(options.clone());
        provide_language();
        provide_here_from_request(&address);
    });
    let read = owner.with(|| {
        ScopedFuture::new_untracked(async move {
            let info = get_site_info().await.ok();
            let drawn = page(info.clone()).await;
            (info, drawn)
        })
    });
    let (info, drawn) = read.await;
    let html = owner.with(|| document(info, drawn).to_html());
    owner.cleanup();
    respond(&options, html)
}

/// The whole document: what the shell and the frame write for a routed page, without the app's
/// script.
fn document(info: Option<SiteInfo>, drawn: Drawn) -> impl IntoView {
    let lang = locales::tag(language());
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <HeadBasics />
                <title>{page_title(&drawn.title)}</title>
            </head>
            <body>
                <PlainSiteHeader info />
                <main id="main" class="page">{drawn.body}</main>
                <SiteFooter />
            </body>
        </html>
    }
}

fn respond(options: &ResponseOptions, html: String) -> Response {
    let set = options
        .0
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut response = Response::new(Body::from(html));
    *response.status_mut() = set.status.unwrap_or(StatusCode::OK);
    let headers = response.headers_mut();
    headers.extend(set.headers.clone());
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(policy) = HeaderValue::from_str(&content_security_policy(None)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}
