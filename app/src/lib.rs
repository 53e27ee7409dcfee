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
pub mod routes;

#[cfg(feature = "ssr")]
pub mod state;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Pages are lazy routes (see routes.rs): hydrating waits until the page's code has loaded.
    _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        let body = leptos::prelude::document().body();
        let Some(body) = body else { return };
        leptos::mount::hydrate_from_async(body.clone(), app::App)
            .await
            .forget();
        // Lets tests (and curious people) see that the page is interactive now.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
