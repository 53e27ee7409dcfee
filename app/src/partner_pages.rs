//! The pages a partner sees before and after being let in: the catalog, the request form and its
//! receipt, the request's status, the invitation, My access and the terms. They are sent as plain
//! HTML without the app's script: every one of them works fully without JavaScript (the
//! end-to-end suite runs each journey with JavaScript off), so a partner downloads no wasm at all,
//! and none of the staff and admin code. Staff pages, sign-in included (it validates as you type),
//! load the script and hydrate. Since no partner page is ever hydrated, the script carries none of
//! their code either: when a staff page leads to one (a link, or a server function's redirect),
//! the browser loads it from the server ([`partner_page`]), as a partner gets it.

#[cfg(not(feature = "ssr"))]
use leptos::prelude::*;

/// True for the address of a partner page (path only, without the query).
pub fn is_partner_page(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    matches!(
        segments.as_slice(),
        [""] | ["request", _]
            | ["request", _, "sent"]
            | ["status", _]
            | ["invite", _]
            | ["my-access"]
            | ["terms"]
    )
}

/// The partner pages the server draws without the router (`plain_page.rs`), by route path:
/// it answers them before the app's routes, which leave them out.
pub const DRAWN_PLAIN: &[&str] = &["/", "/my-access"];

/// The route table's view of a page in [`DRAWN_PLAIN`]: on the server nothing (the server's
/// routes leave the page out and answer it plainly); in the browser, [`LoadFromServer`].
#[cfg(feature = "ssr")]
pub fn drawn_plain() -> fn() {
    || ()
}

/// The route table's view of a page in [`DRAWN_PLAIN`]: in the browser, [`LoadFromServer`].
#[cfg(not(feature = "ssr"))]
pub fn drawn_plain() -> LoadFromServer {
    partner_page(())
}

/// A partner page's view in the route table: on the server the page itself. Wrap exactly the
/// routes [`is_partner_page`] names: a wrapped page sent with the script would, in the browser,
/// load itself again and again.
#[cfg(feature = "ssr")]
pub fn partner_page<F>(page: F) -> F {
    page
}

/// A partner page's view in the route table: in the browser, [`LoadFromServer`]. Called where
/// the routes are drawn, inside the router, whose location it keeps.
#[cfg(not(feature = "ssr"))]
pub fn partner_page<F>(_page: F) -> LoadFromServer {
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

#[cfg(test)]
mod tests {
    use super::is_partner_page;

    #[test]
    fn partner_pages_are_told_from_staff_pages() {
        for path in [
            "/",
            "/request/crm",
            "/request/crm/sent",
            "/status/abc",
            "/invite/xyz",
            "/my-access",
            "/terms",
        ] {
            assert!(is_partner_page(path), "{path}");
        }
        for path in [
            "/sign-in",
            "/review",
            "/review/4",
            "/admin",
            "/admin/audit",
            "/my-resources",
            "/resources/3",
            "/setup/abc",
            "/welcome/abc",
            "/request",
            "/request/crm/other",
            "/invite/xyz/extra",
        ] {
            assert!(!is_partner_page(path), "{path}");
        }
    }

    #[test]
    fn pages_drawn_plainly_are_partner_pages() {
        for path in super::DRAWN_PLAIN {
            assert!(is_partner_page(path), "{path}");
        }
    }
}
