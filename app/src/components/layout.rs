//! The frame around every page: header with navigation and who is signed in, and footer.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use leptos_i18n::td_string;

use crate::api::accounts::auth::SignOut;
use crate::api::site::SiteInfo;
use crate::components::here::here;
use crate::components::language::{language, role_name, FollowLanguageCookie, LanguageSwitch};
use rules::accounts::account::Viewer;
use rules::error::AppError;

/// Shared by the frame and the pages: the portal's name and who is signed in (fetched again
/// on every navigation, so signing in or out anywhere shows at once), and signing out.
#[derive(Clone, Copy)]
pub struct Site {
    pub info: Resource<Result<SiteInfo, AppError>>,
    pub sign_out: ServerAction<SignOut>,
}

/// The header of a page the router draws: its data (the portal's look, who is signed in) comes
/// from the frame's resource, fetched again on every navigation.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let site = expect_context::<Site>();
    view! {
        <FollowLanguageCookie />
        <SkipLink />
        <header class="site-header">
            <Transition fallback=|| view! { <div class="site-header-inner"><a class="brand" href="/">"Portico"</a></div> }>
                {move || Suspend::new(async move {
                    let info = site.info.await.ok();
                    view! { <HeaderBar info /> }
                })}
            </Transition>
        </header>
    }
}

/// The header of a page drawn without the router (`plain_page.rs`), from data read before.
#[component]
pub fn PlainSiteHeader(info: Option<SiteInfo>) -> impl IntoView {
    view! {
        <SkipLink />
        <header class="site-header">
            <HeaderBar info />
        </header>
    }
}

#[component]
fn SkipLink() -> impl IntoView {
    view! { <a class="skip-link" href="#main">{td_string!(language(), frame.skip_to_main)}</a> }
}

/// The header's content, the same on every page: brand, navigation, language switch.
#[component]
fn HeaderBar(info: Option<SiteInfo>) -> impl IntoView {
    let l = language();
    let name = info
        .as_ref()
        .map(|i| i.portal_name.clone())
        .unwrap_or_else(|| "Portico".into());
    let logo = info
        .as_ref()
        .and_then(|i| i.logo_url.clone())
        .unwrap_or_else(|| "/favicon.svg".into());
    // The accent colour's style sheet, after the house style so it wins; its address changes
    // with the colour, so a new one applies at once.
    let accent = info
        .as_ref()
        .map(|i| i.accent.trim_start_matches('#').to_string())
        .unwrap_or_default();
    let viewer = info.and_then(|i| i.viewer);
    let is_admin = viewer.as_ref().is_some_and(|v| v.is_admin);
    view! {
        <link rel="stylesheet" href=format!("/branding.css?v={accent}") />
        <div class="site-header-inner">
            <a class="brand" href="/">
                <img class="brand-mark" src=logo alt="" height="28" />
                {name}
            </a>
            <nav class="site-nav" aria-label=td_string!(l, frame.main_navigation)>
                {match viewer {
                    Some(viewer) => view! { <SignedInNav viewer /> }.into_any(),
                    None => view! { <AnonymousNav /> }.into_any(),
                }}
            </nav>
            <LanguageSwitch />
        </div>
        {is_admin.then(|| view! { <AdminNav /> })}
    }
}

#[component]
fn AnonymousNav() -> impl IntoView {
    let l = language();
    view! {
        <ul class="nav-links">
            <li><a href="/sign-in" class="button button-secondary">{td_string!(l, frame.sign_in)}</a></li>
        </ul>
    }
}

#[component]
fn SignedInNav(viewer: Viewer) -> impl IntoView {
    let l = language();
    let role = role_name(l, &viewer);
    let mut links = vec![
        ("/", td_string!(l, frame.home)),
        ("/my-access", td_string!(l, frame.my_access)),
    ];
    if viewer.has_reviews {
        links.push(("/review", td_string!(l, frame.review)));
    }
    if viewer.is_staff && !viewer.is_admin {
        links.push(("/my-resources", td_string!(l, frame.my_resources)));
    }
    view! {
        <ul class="nav-links">
            {links.into_iter().map(|(href, label)| view! { <li><NavLink href label /></li> }).collect_view()}
        </ul>
        <div class="nav-account">
            <span class="nav-who">
                <a class="nav-name" href="/account" title=td_string!(l, frame.your_account)>{viewer.display_name}</a>
                <span class="badge">{role}</span>
            </span>
            <SignOutForm />
        </div>
    }
}

/// Signing out: the frame's action on a page the router draws (the header follows at once); on
/// a page drawn without the router the same form, posted by the browser. The button says
/// `label`, or "Sign out".
#[component]
pub fn SignOutForm(#[prop(optional)] label: Option<&'static str>) -> impl IntoView {
    let label = label.unwrap_or_else(|| td_string!(language(), frame.sign_out));
    let button = view! {
        <button type="submit" class="button button-secondary">{label}</button>
    };
    match use_context::<Site>() {
        Some(site) => view! { <ActionForm action=site.sign_out>{button}</ActionForm> }.into_any(),
        None => view! { <form action=SignOut::url() method="post">{button}</form> }.into_any(),
    }
}

/// The admin console's menu: one group per kind of work, so it fits one row at 1280 px and on a
/// phone. Each group is a `<details>` (opens without JavaScript); sharing one `name` keeps at most
/// one open, and moving to another page closes it.
type MenuGroup = (&'static str, Vec<(&'static str, &'static str)>);

fn admin_menu(l: locales::Locale) -> [MenuGroup; 4] {
    [
        (
            td_string!(l, frame.group_access),
            vec![
                ("/admin/requests", td_string!(l, frame.requests)),
                ("/admin/invitations", td_string!(l, frame.invitations)),
                ("/admin/accounts", td_string!(l, frame.accounts)),
            ],
        ),
        (
            td_string!(l, frame.group_catalogue),
            vec![
                ("/admin/resources", td_string!(l, frame.resources)),
                ("/admin/policy", td_string!(l, frame.policy)),
            ],
        ),
        (
            td_string!(l, frame.group_integrations),
            vec![
                ("/admin/api-tokens", td_string!(l, frame.api_tokens)),
                ("/admin/webhooks", td_string!(l, frame.webhooks)),
            ],
        ),
        (
            td_string!(l, frame.group_system),
            vec![
                ("/admin/audit", td_string!(l, frame.audit)),
                ("/admin/jobs", td_string!(l, frame.jobs)),
                (
                    "/admin/identity-providers",
                    td_string!(l, frame.identity_providers),
                ),
                ("/admin/signing-keys", td_string!(l, frame.signing_keys)),
                ("/admin/settings", td_string!(l, frame.settings)),
            ],
        ),
    ]
}

#[component]
fn AdminNav() -> impl IntoView {
    let l = language();
    view! {
        <nav class="admin-nav" aria-label=td_string!(l, frame.admin_navigation)>
            <ul class="nav-links admin-menu">
                <li><NavLink href="/admin" label=td_string!(l, frame.dashboard) /></li>
                {admin_menu(l).into_iter().map(|(group, links)| view! { <li><AdminGroup group links /></li> }).collect_view()}
            </ul>
        </nav>
    }
}

#[component]
fn AdminGroup(group: &'static str, links: Vec<(&'static str, &'static str)>) -> impl IntoView {
    let hrefs: Vec<&'static str> = links.iter().map(|(href, _)| *href).collect();
    let here = here();
    let holds_current = move || {
        let path = here.path.get();
        hrefs.iter().any(|href| is_at(&path, href)).then_some("current")
    };
    // Set closed again whenever the page changes; the person opens it by clicking the summary.
    let open = move || {
        here.path.track();
        false
    };
    view! {
        <details class="admin-group" name="admin-menu" prop:open=open>
            <summary class=holds_current>{group}</summary>
            <ul class="admin-group-links">
                {links.into_iter().map(|(href, label)| view! { <li><NavLink href label /></li> }).collect_view()}
            </ul>
        </details>
    }
}

/// Whether `path` is the page at `href` or one below it (the home pages only match exactly).
fn is_at(path: &str, href: &str) -> bool {
    if href == "/" || href == "/admin" {
        path == href
    } else {
        path == href || path.strip_prefix(href).is_some_and(|rest| rest.starts_with('/'))
    }
}

/// A navigation link that marks itself as the current page.
#[component]
fn NavLink(href: &'static str, label: &'static str) -> impl IntoView {
    let here = here();
    let current = move || is_at(&here.path.get(), href).then_some("page");
    view! { <a href=href aria-current=current>{label}</a> }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>{td_string!(language(), frame.footer)}</p>
        </footer>
    }
}

#[cfg(test)]
mod tests {
    use super::is_at;

    #[test]
    fn a_link_is_current_on_its_page_and_below_it_but_home_only_on_itself() {
        assert!(is_at("/admin/resources", "/admin/resources"));
        assert!(is_at("/admin/resources/7/policy", "/admin/resources"));
        assert!(!is_at("/admin/resources-old", "/admin/resources"));
        assert!(is_at("/admin", "/admin"));
        assert!(!is_at("/admin/audit", "/admin"));
        assert!(!is_at("/my-access", "/"));
    }
}
