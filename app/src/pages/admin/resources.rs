use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::administration::resources::{admin_resources, ResourceRow};
use crate::components::problem::Problem;

/// Admin: every resource, with a way to add one.
#[component]
pub fn AdminResourcesPage() -> impl IntoView {
    let resources = Resource::new(|| (), |_| admin_resources());
    view! {
        <Title text="Resources" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
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
    view! {
        <section class="card">
            <div class="card-head">
                <h1>"Resources"</h1>
                <a class="button button-primary" href="/admin/resources/new">"New resource"</a>
            </div>
            <p class="muted">"Apps and groups partners can ask for. Open one to edit it, appoint its owners or give it its own policy."</p>
            {if rows.is_empty() {
                view! { <p class="empty">"No resources yet. Create the first one."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <thead><tr><th scope="col">"Name"</th><th scope="col">"Kind"</th><th scope="col">"Requests"</th><th scope="col">"Policy"</th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| {
                                    let status = if r.archived { ("badge badge-muted", "Archived") }
                                        else if r.is_requestable { ("badge badge-ok", "Open") }
                                        else { ("badge badge-warn", "Closed") };
                                    view! {
                                        <tr>
                                            <td><a href=format!("/admin/resources/{}", r.id)>{r.name}</a><div class="muted">{format!("/request/{}", r.slug)}</div></td>
                                            <td>{r.kind.label()}</td>
                                            <td><span class=status.0>{status.1}</span></td>
                                            <td>{if r.uses_default_policy { "Default" } else { "Its own" }}</td>
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
