use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::requests::catalog::{list_catalog, CatalogEntry};
use crate::components::language::{language, role_name};
use crate::components::layout::Site;
use crate::components::problem::Problem;
use leptos_i18n::td_string;
use rules::accounts::account::Viewer;

/// The start page: who you are (when signed in) and what can be requested.
#[component]
pub fn HomePage() -> impl IntoView {
    let site = expect_context::<Site>();
    let query = use_query_map();
    let welcome = move || query.with(|q| q.get("welcome").is_some());
    let catalog = Resource::new(|| (), |_| list_catalog());
    view! {
        <Title text="" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let info = site.info.await.ok();
                let portal_name = info.as_ref().map(|i| i.portal_name.clone()).unwrap_or_default();
                match info.and_then(|i| i.viewer) {
                    Some(viewer) => view! { <SignedInWelcome viewer welcome=welcome() /> }.into_any(),
                    None => view! { <PublicWelcome portal_name /> }.into_any(),
                }
            })}
        </Suspense>
        <Suspense fallback=move || view! { <p>{td_string!(language(), home.loading_catalog)}</p> }>
            {move || Suspend::new(async move {
                match catalog.await {
                    Ok(entries) => view! { <Catalog entries /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
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
