//! What every page's document has, whether the router draws it (`app.rs`) or not
//! (`plain_page.rs`): the start of its head, its title, and its Content-Security-Policy.

use leptos::prelude::*;

/// What every page's head starts with, routed or drawn without the router (`plain_page.rs`).
#[component]
pub fn HeadBasics() -> impl IntoView {
    // Read once per process (leptos_meta's HashedStylesheet reads the hash file on every render).
    #[cfg(feature = "ssr")]
    let stylesheet = crate::front_end::stylesheet_href();
    #[cfg(not(feature = "ssr"))]
    let stylesheet = "";
    view! {
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <link id="portico" rel="stylesheet" href=stylesheet />
    }
}

/// A page's title as the browser shows it: "My access · Portico".
pub fn page_title(page: &str) -> String {
    if page.is_empty() {
        "Portico".to_string()
    } else {
        format!("{page} · Portico")
    }
}

/// The pages' Content-Security-Policy: scripts only with this response's `nonce`, or none at all
/// for a page sent without them.
#[cfg(feature = "ssr")]
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let scripts = match nonce {
        Some(nonce) => format!("'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'"),
        None => "'none'".to_string(),
    };
    format!(
        "default-src 'self'; script-src {scripts}; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}
