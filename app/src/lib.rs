//! Portico's web app: pages and the server functions behind them (the adapters). The rules,
//! storage and services it builds on are crates of their own.
//! Built twice: with `ssr` into the server, with `hydrate` into the browser's WebAssembly.

#![cfg_attr(not(test), deny(clippy::unwrap_used))]
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod components;
#[cfg(feature = "ssr")]
pub mod front_end;
pub mod pages;
pub mod partner_pages;
#[cfg(feature = "ssr")]
pub mod plain_page;

#[cfg(feature = "ssr")]
pub mod state;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Lets tests (and curious people) see that the page is interactive now.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
