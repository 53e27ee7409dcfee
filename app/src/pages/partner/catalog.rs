use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::requests::catalog::{list_catalog, CatalogEntry};
use crate::components::layout::Site;
use crate::components::problem::Problem;
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
        <Suspense fallback=|| view! { <p>"Loading the catalog…"</p> }>
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
    view! {
        <section class="hero">
            <h1>{format!("Welcome to {portal_name}")}</h1>
            <p class="lead">
                "Work with us? Ask here for access to our apps and groups. The owner of each one decides, "
                "and an approval arrives as an invitation by email."
            </p>
        </section>
    }
}

#[component]
fn SignedInWelcome(viewer: Viewer, welcome: bool) -> impl IntoView {
    let links = {
        let mut links = vec![("/my-access", "My access", "What you can use, and your requests.")];
        if viewer.has_reviews || viewer.is_staff {
            links.push((
                "/review",
                "Review requests",
                "Requests waiting for your decision.",
            ));
        }
        if viewer.is_admin {
            links.push((
                "/admin/resources",
                "Resources",
                "Apps and groups, their owners and policies.",
            ));
            links.push((
                "/admin/policy",
                "Default policy",
                "The rules every resource follows unless it has its own.",
            ));
            links.push((
                "/admin/accounts",
                "Accounts",
                "Partners and staff: disable, enable, admin rights, sessions.",
            ));
            links.push((
                "/admin/audit",
                "Audit log",
                "Who did what and when: filter it, page through it, download it.",
            ));
            links.push((
                "/admin/jobs",
                "Background work",
                "Scheduled jobs, their errors, and email that could not be sent.",
            ));
        }
        links
    };
    view! {
        <section class="card">
            <Show when=move || welcome>
                <div class="alert alert-success" role="status">
                    "Your admin account is ready, and the setup link no longer works."
                </div>
            </Show>
            <h1>{format!("Hello, {}", viewer.display_name)}</h1>
            <p class="muted">{format!("Signed in as {} · {}", viewer.email, viewer.role_label())}</p>
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
    if entries.is_empty() {
        return view! {
            <section class="card">
                <h2>"What you can ask for"</h2>
                <p class="empty">"Nothing can be requested here yet."</p>
            </section>
        }
        .into_any();
    }
    view! {
        <section aria-labelledby="catalog-heading">
            <h2 id="catalog-heading">"What you can ask for"</h2>
            <ul class="catalog">
                {entries
                    .into_iter()
                    .map(|entry| {
                        let href = format!("/request/{}", entry.slug);
                        let label = format!("Request access to {}", entry.name);
                        view! {
                            <li class="catalog-item">
                                <div class="catalog-head">
                                    <h3>{entry.name}</h3>
                                    <span class="badge badge-muted">{entry.kind.label()}</span>
                                </div>
                                <p>{entry.description}</p>
                                <a class="button button-secondary" href=href aria-label=label>"Request access"</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
    .into_any()
}
