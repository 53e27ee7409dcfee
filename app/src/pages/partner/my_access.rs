use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::memberships::my_access::{my_access, HeldAccess, LeaveResource, MyAccessView};
use crate::components::problem::Problem;
use rules::dates::format_date;
use rules::requests::access_request::RequestState;

/// What the signed-in person can use, and what they have asked for.
#[component]
pub fn MyAccessPage() -> impl IntoView {
    let query = use_query_map();
    let joined = move || query.with(|q| q.get("joined").is_some());
    let left = move || query.with(|q| q.get("left").is_some());
    let access = Resource::new(move || query.get(), |_| my_access());
    view! {
        <Title text="My access" />
        <Suspense fallback=|| view! { <p>"Loading your access…"</p> }>
            {move || Suspend::new(async move {
                match access.await {
                    Ok(view) => view! {
                        <Show when=joined>
                            <div class="alert alert-success" role="status">"Welcome! The invitation is accepted and your access is below."</div>
                        </Show>
                        {view.continue_to.clone().map(|(name, url)| view! {
                            <p class="continue-to">
                                <a class="button" href=url rel="noopener noreferrer">{format!("Continue to {name}")}</a>
                            </p>
                        })}
                        <Show when=left>
                            <div class="alert alert-info" role="status">"Done: you no longer have that access."</div>
                        </Show>
                        <AccessLists view />
                    }
                    .into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccessLists(view: MyAccessView) -> impl IntoView {
    let requests = view.requests;
    view! {
        <section class="card">
            <h1>"My access"</h1>
            {if view.held.is_empty() {
                view! { <p class="empty">"You have no access yet. Ask for it from the catalog on the start page."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <caption class="visually-hidden">"Resources you can use"</caption>
                            <thead><tr><th scope="col">"Resource"</th><th scope="col">"Since"</th><th scope="col">"Until"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                            <tbody>{view.held.into_iter().map(|held| view! { <HeldRow held /> }).collect_view()}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </section>
        <section class="card">
            <h2>"My requests"</h2>
            {if requests.is_empty() {
                view! { <p class="empty">"You have not asked for anything yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table>
                            <caption class="visually-hidden">"Your requests"</caption>
                            <thead><tr><th scope="col">"Resource"</th><th scope="col">"Asked"</th><th scope="col">"Status"</th></tr></thead>
                            <tbody>
                                {requests.into_iter().map(|r| {
                                    let badge = if r.state == RequestState::Pending { "badge" } else { "badge badge-muted" };
                                    view! {
                                        <tr>
                                            <td>{r.resource_name}</td>
                                            <td>{format_date(r.created_at)}</td>
                                            <td><span class=badge>{r.state.label()}</span></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </section>
    }
}

#[component]
fn HeldRow(held: HeldAccess) -> impl IntoView {
    let leave = ServerAction::<LeaveResource>::new();
    let label = format!("Leave {}", held.resource_name);
    view! {
        <tr>
            <td>
                <strong>{held.resource_name.clone()}</strong>
                " "
                <span class="badge badge-muted">{held.resource_kind.label()}</span>
                <div class="muted">{held.resource_description.clone()}</div>
            </td>
            <td>{format_date(held.granted_at)}</td>
            <td>{held.expires_at.map(format_date).unwrap_or_else(|| "No end date".to_string())}</td>
            <td>
                <ActionForm action=leave>
                    <input type="hidden" name="membership_id" value=held.membership_id />
                    <button type="submit" class="button button-secondary button-small" aria-label=label>"Leave"</button>
                </ActionForm>
            </td>
        </tr>
    }
}
