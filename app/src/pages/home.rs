use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::app::Site;
use crate::domain::accounts::Viewer;

#[component]
pub fn HomePage() -> impl IntoView {
    let site = expect_context::<Site>();
    let query = use_query_map();
    let welcome = move || query.with(|q| q.get("welcome").is_some());
    view! {
        <Title text="" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let info = site.info.await.ok();
                let portal_name = info.as_ref().map(|i| i.portal_name.clone()).unwrap_or_default();
                match info.and_then(|i| i.viewer) {
                    Some(viewer) => view! { <StaffHome viewer welcome=welcome() /> }.into_any(),
                    None => view! { <PublicHome portal_name /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PublicHome(portal_name: String) -> impl IntoView {
    view! {
        <section class="hero">
            <h1>{format!("Welcome to {portal_name}")}</h1>
            <p class="lead">
                "Partners ask here for access to our apps and groups. The owners of each one decide, "
                "and every approval arrives as an invitation by email."
            </p>
            <p><a class="button button-primary" href="/sign-in">"Sign in"</a></p>
        </section>
    }
}

#[component]
fn StaffHome(viewer: Viewer, welcome: bool) -> impl IntoView {
    view! {
        <section class="card">
            <Show when=move || welcome>
                <div class="alert alert-success" role="status">
                    "Your admin account is ready, and the setup link no longer works."
                </div>
            </Show>
            <h1>{format!("Hello, {}", viewer.display_name)}</h1>
            <dl class="facts">
                <dt>"Signed in as"</dt>
                <dd>{viewer.email.clone()}</dd>
                <dt>"Role"</dt>
                <dd>{viewer.role_label()}</dd>
            </dl>
        </section>
    }
}
