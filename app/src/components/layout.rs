//! The frame around every page: header with navigation and who is signed in, and footer.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::app::Site;
use crate::domain::accounts::Viewer;

#[component]
pub fn SiteHeader() -> impl IntoView {
    let site = expect_context::<Site>();
    view! {
        <a class="skip-link" href="#main">"Skip to main content"</a>
        <header class="site-header">
            <div class="site-header-inner">
                <Transition fallback=|| view! { <a class="brand" href="/">"Portico"</a> }>
                    {move || Suspend::new(async move {
                        let info = site.info.await.ok();
                        let name = info.as_ref().map(|i| i.portal_name.clone()).unwrap_or_else(|| "Portico".into());
                        let viewer = info.and_then(|i| i.viewer);
                        view! {
                            <a class="brand" href="/">
                                <img class="brand-mark" src="/favicon.svg" alt="" width="28" height="28" />
                                {name}
                            </a>
                            <nav class="site-nav" aria-label="Main">
                                {match viewer {
                                    Some(viewer) => view! { <SignedInNav viewer /> }.into_any(),
                                    None => view! { <AnonymousNav /> }.into_any(),
                                }}
                            </nav>
                        }
                    })}
                </Transition>
            </div>
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
    if viewer.is_admin {
        links.push(("/admin/resources", "Resources"));
        links.push(("/admin/policy", "Policy"));
        links.push(("/admin/accounts", "Accounts"));
        links.push(("/admin/audit", "Audit"));
        links.push(("/admin/jobs", "Jobs"));
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

/// A navigation link that marks itself as the current page.
#[component]
fn NavLink(href: &'static str, label: &'static str) -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let current = move || {
        let path = location.pathname.get();
        let here = if href == "/" {
            path == "/"
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
