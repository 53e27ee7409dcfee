//! The pages a partner sees before and after being let in: the catalog, the request form and its
//! receipt, the request's status, the invitation, My access and the terms. The server draws them
//! without the router (`plain_page.rs`) and sends them as plain HTML without the app's script:
//! every one of them works fully without JavaScript (the end-to-end suite runs each journey with
//! JavaScript off), so a partner downloads no wasm at all, and none of the staff and admin code.
//! Staff pages, sign-in included (it validates as you type), load the script and hydrate. Since
//! no partner page is ever hydrated, the script carries none of their code either: when a staff
//! page leads to one (a link, or a server function's redirect), the browser loads it from the
//! server ([`LoadFromServer`]), as a partner gets it.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::pages::partner::{
    accept_terms::terms_page, catalog::home_page, my_access::my_access_page,
    redeem_invitation::invitation_page, request_access::request_form_page, request_sent::request_sent_page,
    request_status::request_status_page,
};
#[cfg(feature = "ssr")]
use crate::plain_page::PlainPage;

/// The partner pages, by route path (as axum writes it): the server answers them in front of the
/// app's routes, which leave them out. Each also has a route in the app's table
/// ([`drawn_plain`]), for the browser's router.
#[cfg(feature = "ssr")]
pub const DRAWN_PLAIN: &[(&str, PlainPage)] = &[
    ("/", |info| Box::pin(home_page(info))),
    ("/request/{slug}", |_| Box::pin(request_form_page())),
    ("/request/{slug}/sent", |_| Box::pin(request_sent_page())),
    ("/status/{token}", |_| Box::pin(request_status_page())),
    ("/invite/{token}", |_| Box::pin(invitation_page())),
    ("/my-access", |_| Box::pin(my_access_page())),
    ("/terms", |_| Box::pin(terms_page())),
];

/// The route table's view of a partner page. On the server the app's routes leave these pages
/// out, so it is reached only by an address axum's route does not take (say, with a trailing
/// slash): there is no such page.
#[cfg(feature = "ssr")]
pub fn drawn_plain() -> fn() -> AnyView {
    || crate::pages::not_found::NotFoundPage().into_any()
}

/// The route table's view of a partner page: in the browser, [`LoadFromServer`]. Called where
/// the routes are drawn, inside the router, whose location it keeps.
#[cfg(not(feature = "ssr"))]
pub fn drawn_plain() -> LoadFromServer {
    LoadFromServer(leptos_router::hooks::use_location())
}

/// Hands a partner page's address to the browser, which loads it from the server. The router
/// shows an address only once its view is ready, and this view never is: so the router neither
/// draws anything nor adds a history entry, and the browser's own navigation makes the one
/// entry (Back returns to the staff page).
#[cfg(not(feature = "ssr"))]
#[derive(Clone)]
pub struct LoadFromServer(leptos_router::location::Location);

#[cfg(not(feature = "ssr"))]
impl leptos_router::ChooseView for LoadFromServer {
    async fn choose(self) -> AnyView {
        let Self(location) = self;
        let search = location.search.get_untracked();
        let query = if search.is_empty() {
            String::new()
        } else {
            format!("?{search}")
        };
        let href = format!(
            "{}{query}{}",
            location.pathname.get_untracked(),
            location.hash.get_untracked()
        );
        if window().location().assign(&href).is_err() {
            leptos::logging::warn!("could not load {href}");
        }
        std::future::pending().await
    }

    async fn preload(&self) {}
}
