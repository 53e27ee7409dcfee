use crate::components::language::language;
use crate::pages::partner::kind_name;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

use crate::api::administration::resources::{admin_resources, ResourceRow};
use crate::components::problem::Problem;

/// Admin: every resource, with a way to add one.
#[component]
pub fn AdminResourcesPage() -> impl IntoView {
    let l = language();
    let resources = Resource::new(|| (), |_| admin_resources());
    view! {
        <Title text=td_string!(l, admin_catalogue.resources) />
        <Suspense fallback=move || view! { <p>{td_string!(l, admin_catalogue.loading)}</p> }>
            {move || Suspend::new(async move {
                match resources.await {
                    Ok(rows) => view! { <ResourceTable rows /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ResourceTable(rows: Vec<ResourceRow>) -> impl IntoView {
    let l = language();
    view! {
        <section class="card">
            <div class="card-head">
                <h1>{td_string!(l, admin_catalogue.resources)}</h1>
                <a class="button button-primary" href="/admin/resources/new">{td_string!(l, admin_catalogue.new_resource)}</a>
            </div>
            <p class="muted">{td_string!(l, admin_catalogue.apps_and_groups_partners_can)}</p>
            {if rows.is_empty() {
                view! { <p class="empty">{td_string!(l, admin_catalogue.no_resources_yet_create_the)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <thead><tr><th scope="col">{td_string!(l, admin_catalogue.name)}</th><th scope="col">{td_string!(l, admin_catalogue.kind)}</th><th scope="col">{td_string!(l, admin_catalogue.requests)}</th><th scope="col">{td_string!(l, admin_catalogue.policy)}</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| {
                                    let status = if r.archived { ("badge badge-muted", td_string!(l, admin_catalogue.archived)) }
                                        else if r.is_requestable { ("badge badge-ok", td_string!(l, admin_catalogue.open)) }
                                        else { ("badge badge-warn", td_string!(l, admin_catalogue.closed)) };
                                    view! {
                                        <tr>
                                            <td><a href=format!("/admin/resources/{}", r.id)>{r.name}</a><div class="muted">{format!("/request/{}", r.slug)}</div></td>
                                            <td>{kind_name(l, r.kind)}</td>
                                            <td><span class=status.0>{status.1}</span></td>
                                            <td>{if r.uses_default_policy { td_string!(l, admin_catalogue.default) } else { td_string!(l, admin_catalogue.its_own) }}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}
