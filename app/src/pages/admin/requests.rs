use crate::components::language::language;
use crate::pages::partner::state_name;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use locales::dates::date;

use crate::api::administration::lists::{
    admin_requests, resource_choices, ListPage, RequestItem, REQUEST_STATES,
};
use crate::components::filters::{filtered_list, list_filter_from_query, next_page, ListSpec};
use rules::requests::access_request::RequestState;

const PATH: &str = "/admin/requests";
const SPEC: ListSpec = ListSpec {
    path: PATH,
    prefix: "requests",
    states: &REQUEST_STATES,
    state_name: request_state_name,
};

/// Admin: every access request across resources, filtered; each opens with its decision trail.
#[component]
pub fn AdminRequestsPage() -> impl IntoView {
    let l = language();
    let query = use_query_map();
    let filter = list_filter_from_query();
    let after = move || query.with(|q| q.get("after").and_then(|a| a.parse::<i64>().ok()));
    let resources = Resource::new(|| (), |_| resource_choices());
    let page = Resource::new(
        move || (filter.get(), after()),
        |(filter, after)| admin_requests(filter, after),
    );
    view! {
        <Title text=td_string!(l, admin_access.requests) />
        <section class="card">
            <h1>{td_string!(l, admin_access.requests)}</h1>
            <p class="muted">{td_string!(l, admin_access.every_access_request_to_every)}</p>
            <Suspense fallback=move || view! { <p>{td_string!(l, admin_access.loading)}</p> }>
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
    let l = language();
    if page.rows.is_empty() {
        return view! { <p class="empty">{td_string!(l, admin_access.no_requests_match)}</p> }.into_any();
    }
    let next = next_page(PATH, &query, page.next);
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">{td_string!(l, admin_access.access_requests)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{td_string!(l, admin_access.who)}</th>
                        <th scope="col">{td_string!(l, admin_access.resource)}</th>
                        <th scope="col">{td_string!(l, admin_access.state)}</th>
                        <th scope="col">{td_string!(l, admin_access.asked)}</th>
                        <th scope="col">{td_string!(l, admin_access.decide_by_closed)}</th>
                    </tr>
                </thead>
                <tbody>{page.rows.into_iter().map(|row| view! { <Row row /> }).collect_view()}</tbody>
            </table>
        </div>
        {next}
    }
    .into_any()
}

/// How a request state of the filter reads.
fn request_state_name(l: locales::Locale, state: &str) -> &'static str {
    state_name(l, RequestState::parse(state).unwrap_or(RequestState::Pending))
}

#[component]
fn Row(row: RequestItem) -> impl IntoView {
    let l = language();
    let state = RequestState::parse(&row.state).unwrap_or(RequestState::Pending);
    let badge = match state {
        RequestState::Pending => "badge badge-warn",
        RequestState::Approved => "badge badge-ok",
        RequestState::Denied => "badge badge-bad",
        _ => "badge badge-muted",
    };
    let label = if state == RequestState::Pending {
        td_string!(
            l,
            admin_access.state_at_stage,
            state = state_name(l, state),
            stage = row.stage
        )
        .to_string()
    } else {
        state_name(l, state).to_string()
    };
    let when = match row.closed_at {
        Some(at) => td_string!(l, admin_access.closed_on, date = date(l, at)).to_string(),
        None => td_string!(l, admin_access.decide_by, date = date(l, row.decide_by)).to_string(),
    };
    let aria = td_string!(
        l,
        admin_access.request_aria,
        name = row.display_name.clone(),
        email = row.email.clone(),
        resource = row.resource_name.clone()
    )
    .to_string();
    view! {
        <tr>
            <td>
                <a href=format!("/review/{}", row.id) aria-label=aria><strong>{row.display_name.clone()}</strong></a>
                <div class="muted">{row.email.clone()}" · "{row.organisation.clone()}</div>
            </td>
            <td>{row.resource_name.clone()}</td>
            <td><span class=badge>{label}</span></td>
            <td>{date(l, row.created_at)}</td>
            <td>{when}</td>
        </tr>
    }
}
