//! The frame around every page: header with navigation and who is signed in, and footer.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::accounts::auth::SignOut;
use crate::api::site::SiteInfo;
use rules::accounts::account::Viewer;
use rules::error::AppError;

/// Shared by the frame and the pages: the portal's name and who is signed in (fetched again
/// on every navigation, so signing in or out anywhere shows at once), and signing out.
#[derive(Clone, Copy)]
pub struct Site {
    pub info: Resource<Result<SiteInfo, AppError>>,
    pub sign_out: ServerAction<SignOut>,
}

#[component]
pub fn SiteHeader() -> impl IntoView {
    let site = expect_context::<Site>();
    view! {
        <a class="skip-link" href="#main">"Skip to main content"</a>
        <header class="site-header">
            <Transition fallback=|| view! { <div class="site-header-inner"><a class="brand" href="/">"Portico"</a></div> }>
                {move || Suspend::new(async move {
                    let info = site.info.await.ok();
                    let name = info.as_ref().map(|i| i.portal_name.clone()).unwrap_or_else(|| "Portico".into());
                    let logo = info.as_ref().and_then(|i| i.logo_url.clone()).unwrap_or_else(|| "/favicon.svg".into());
                    // The accent colour's style sheet, after the house style so it wins; its
                    // address changes with the colour, so a new one applies at once.
                    let accent = info.as_ref().map(|i| i.accent.trim_start_matches('#').to_string()).unwrap_or_default();
                    let viewer = info.and_then(|i| i.viewer);
                    let is_admin = viewer.as_ref().is_some_and(|v| v.is_admin);
                    view! {
                        <link rel="stylesheet" href=format!("/branding.css?v={accent}") />
                        <div class="site-header-inner">
                            <a class="brand" href="/">
                                <img class="brand-mark" src=logo alt="" height="28" />
                                {name}
                            </a>
                            <nav class="site-nav" aria-label="Main">
                                {match viewer {
                                    Some(viewer) => view! { <SignedInNav viewer /> }.into_any(),
                                    None => view! { <AnonymousNav /> }.into_any(),
                                }}
                            </nav>
                        </div>
                        {is_admin.then(|| view! { <AdminNav /> })}
                    }
                })}
            </Transition>
        </header>
    }
}

#[component]
fn AnonymousNav() -> impl IntoView {
    view! {
        <ul class="nav-links">
            <li><a href="/sign-in" class="button button-secondary">"Sign in"</a></li>
        </ul>
    }
}

#[component]
fn SignedInNav(viewer: Viewer) -> impl IntoView {
    let site = expect_context::<Site>();
    let role = viewer.role_label();
    let mut links = vec![("/", "Home"), ("/my-access", "My access")];
    if viewer.has_reviews || viewer.is_staff {
        links.push(("/review", "Review"));
    }
    if viewer.is_staff && !viewer.is_admin {
        links.push(("/my-resources", "My resources"));
    }
    view! {
        <ul class="nav-links">
            {links.into_iter().map(|(href, label)| view! { <li><NavLink href label /></li> }).collect_view()}
        </ul>
        <div class="nav-account">
            <span class="nav-who">
                <span class="nav-name">{viewer.display_name}</span>
                <span class="badge">{role}</span>
            </span>
            <ActionForm action=site.sign_out>
                <button type="submit" class="button button-secondary">"Sign out"</button>
            </ActionForm>
        </div>
    }
}

/// Admins' second row: the console, one click from any page.
#[component]
fn AdminNav() -> impl IntoView {
    let links = [
        ("/admin", "Dashboard"),
        ("/admin/requests", "Requests"),
        ("/admin/invitations", "Invitations"),
        ("/admin/resources", "Resources"),
        ("/admin/policy", "Policy"),
        ("/admin/accounts", "Accounts"),
        ("/admin/audit", "Audit"),
        ("/admin/jobs", "Jobs"),
        ("/admin/api-tokens", "API"),
        ("/admin/webhooks", "Webhooks"),
        ("/admin/settings", "Settings"),
    ];
    view! {
        <nav class="admin-nav" aria-label="Admin">
            <ul class="nav-links">
                {links.into_iter().map(|(href, label)| view! { <li><NavLink href label /></li> }).collect_view()}
            </ul>
        </nav>
    }
}

/// A navigation link that marks itself as the current page.
#[component]
fn NavLink(href: &'static str, label: &'static str) -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let current = move || {
        let path = location.pathname.get();
        let here = if href == "/" || href == "/admin" {
            path == href
        } else {
            path == href || path.starts_with(&format!("{href}/"))
        };
        here.then_some("page")
    };
    view! { <a href=href aria-current=current>{label}</a> }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>"Portico · partner access portal"</p>
        </footer>
    }
}
