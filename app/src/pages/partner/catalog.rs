//! The start page: who you are (when signed in) and what can be requested. Drawn without the
//! router (`crate::plain_page`); kept ready for anonymous visitors (server/src/page_cache.rs).

use leptos::prelude::*;

use crate::api::requests::catalog::{list_catalog, CatalogEntry};
use crate::api::site::SiteInfo;
use crate::components::here::here;
use crate::components::language::{language, role_name};
use crate::components::problem::Problem;
use crate::plain_page::Drawn;
use leptos_i18n::td_string;
use rules::accounts::account::Viewer;

/// Greets the person the header shows (`?welcome` after the first admin's setup) and lists the
/// catalog.
pub async fn home_page(info: Option<SiteInfo>) -> Drawn {
    let welcome = here().query.get_untracked().get("welcome").is_some();
    let portal_name = info.as_ref().map(|i| i.portal_name.clone()).unwrap_or_default();
    let greeting = match info.and_then(|i| i.viewer) {
        Some(viewer) => view! { <SignedInWelcome viewer welcome /> }.into_any(),
        None => view! { <PublicWelcome portal_name /> }.into_any(),
    };
    let catalog = match list_catalog().await {
        Ok(entries) => view! { <Catalog entries /> }.into_any(),
        Err(error) => view! { <Problem error /> }.into_any(),
    };
    Drawn {
        title: String::new(),
        body: view! { {greeting} {catalog} }.into_any(),
    }
}

#[component]
fn PublicWelcome(portal_name: String) -> impl IntoView {
    let l = language();
    view! {
        <section class="hero">
            <h1>{td_string!(l, home.welcome, portal = portal_name).to_string()}</h1>
            <p class="lead">{td_string!(l, home.welcome_lead)}</p>
        </section>
    }
}

#[component]
fn SignedInWelcome(viewer: Viewer, welcome: bool) -> impl IntoView {
    let l = language();
    let links = {
        let mut links = vec![(
            "/my-access",
            td_string!(l, frame.my_access),
            td_string!(l, home.my_access_text),
        )];
        if viewer.has_reviews {
            links.push((
                "/review",
                td_string!(l, home.review_title),
                td_string!(l, home.review_text),
            ));
        }
        if viewer.is_admin {
            links.extend([
                (
                    "/admin/resources",
                    td_string!(l, frame.resources),
                    td_string!(l, home.resources_text),
                ),
                (
                    "/admin/policy",
                    td_string!(l, home.default_policy),
                    td_string!(l, home.default_policy_text),
                ),
                (
                    "/admin/accounts",
                    td_string!(l, frame.accounts),
                    td_string!(l, home.accounts_text),
                ),
                (
                    "/admin/audit",
                    td_string!(l, home.audit_title),
                    td_string!(l, home.audit_text),
                ),
                (
                    "/admin/jobs",
                    td_string!(l, home.jobs_title),
                    td_string!(l, home.jobs_text),
                ),
            ]);
        }
        links
    };
    let hello = td_string!(l, home.hello, name = &viewer.display_name).to_string();
    let signed_in_as = td_string!(
        l,
        home.signed_in_as,
        email = &viewer.email,
        role = role_name(l, &viewer)
    )
    .to_string();
    view! {
        <section class="card">
            {welcome.then(|| view! {
                <div class="alert alert-success" role="status">
                    {td_string!(l, home.admin_ready)}
                </div>
            })}
            <h1>{hello}</h1>
            <p class="muted">{signed_in_as}</p>
            <ul class="tiles">
                {links
                    .into_iter()
                    .map(|(href, title, text)| view! {
                        <li><a class="tile" href=href><strong>{title}</strong><span>{text}</span></a></li>
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Catalog(entries: Vec<CatalogEntry>) -> impl IntoView {
    let l = language();
    if entries.is_empty() {
        return view! {
            <section class="card">
                <h2>{td_string!(l, home.what_you_can_ask_for)}</h2>
                <p class="empty">{td_string!(l, home.nothing_yet)}</p>
            </section>
        }
        .into_any();
    }
    view! {
        <section aria-labelledby="catalog-heading">
            <h2 id="catalog-heading">{td_string!(l, home.what_you_can_ask_for)}</h2>
            <ul class="catalog">
                {entries
                    .into_iter()
                    .map(|entry| {
                        let href = format!("/request/{}", entry.slug);
                        let label = td_string!(l, home.request_access_to, name = &entry.name).to_string();
                        let kind = super::kind_name(l, entry.kind);
                        view! {
                            <li class="catalog-item">
                                <div class="catalog-head">
                                    <h3>{entry.name}</h3>
                                    <span class="badge badge-muted">{kind}</span>
                                </div>
                                <p>{entry.description}</p>
                                <a class="button button-secondary" href=href aria-label=label>{td_string!(l, home.request_access)}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
    .into_any()
}
