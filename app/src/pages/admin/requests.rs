use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::administration::lists::{
    admin_requests, resource_choices, ListPage, RequestItem, REQUEST_STATES,
};
use crate::components::filters::{filtered_list, list_filter_from_query, next_page, ListSpec};
use rules::dates::format_date;
use rules::requests::access_request::RequestState;

const PATH: &str = "/admin/requests";
const SPEC: ListSpec = ListSpec {
    path: PATH,
    prefix: "requests",
    states: &REQUEST_STATES,
    what: "requests",
};

/// Admin: every access request across resources, filtered; each opens with its decision trail.
#[component]
pub fn AdminRequestsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = list_filter_from_query();
    let after = move || query.with(|q| q.get("after").and_then(|a| a.parse::<i64>().ok()));
    let resources = Resource::new(|| (), |_| resource_choices());
    let page = Resource::new(
        move || (filter.get(), after()),
        |(filter, after)| admin_requests(filter, after),
    );
    view! {
        <Title text="Requests" />
        <section class="card">
            <h1>"Requests"</h1>
            <p class="muted">"Every access request to every resource. Open one to see its decisions, or to decide in place of an approver who is away."</p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let (resources, page) = (resources.await, page.await);
                    filtered_list(&SPEC, filter.get_untracked(), resources, page,
                        move |page, query| view! { <Requests page query /> }.into_any())
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Requests(page: ListPage<RequestItem>, query: String) -> impl IntoView {
    if page.rows.is_empty() {
        return view! { <p class="empty">"No requests match."</p> }.into_any();
    }
    let next = next_page(PATH, &query, page.next);
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">"Access requests"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Who"</th>
                        <th scope="col">"Resource"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Asked"</th>
                        <th scope="col">"Decide by / closed"</th>
                    </tr>
                </thead>
                <tbody>{page.rows.into_iter().map(|row| view! { <Row row /> }).collect_view()}</tbody>
            </table>
        </div>
        {next}
    }
    .into_any()
}

#[component]
fn Row(row: RequestItem) -> impl IntoView {
    let state = RequestState::parse(&row.state).unwrap_or(RequestState::Pending);
    let badge = match state {
        RequestState::Pending => "badge badge-warn",
        RequestState::Approved => "badge badge-ok",
        RequestState::Denied => "badge badge-bad",
        _ => "badge badge-muted",
    };
    let label = if state == RequestState::Pending {
        format!("{} (stage {})", state.label(), row.stage)
    } else {
        state.label().to_string()
    };
    let when = match row.closed_at {
        Some(at) => format!("Closed {}", format_date(at)),
        None => format!("By {}", format_date(row.decide_by)),
    };
    let aria = format!(
        "{}: the request of {} for {}",
        row.display_name, row.email, row.resource_name
    );
    view! {
        <tr>
            <td>
                <a href=format!("/review/{}", row.id) aria-label=aria><strong>{row.display_name.clone()}</strong></a>
                <div class="muted">{row.email.clone()}" · "{row.organisation.clone()}</div>
            </td>
            <td>{row.resource_name.clone()}</td>
            <td><span class=badge>{label}</span></td>
            <td>{format_date(row.created_at)}</td>
            <td>{when}</td>
        </tr>
    }
}
