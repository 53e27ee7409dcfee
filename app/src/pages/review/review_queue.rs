use crate::components::language::language;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::approvals::review::{get_review_queue, ReviewQueue};
use crate::components::problem::Problem;
use locales::dates::date;
use rules::list_filter::url_encode;

/// The requests waiting for this person's decision, oldest first.
#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let l = language();
    let query = use_query_map();
    let filter = move || query.with(|q| q.get("resource").and_then(|r| r.parse::<i64>().ok()));
    let after = move || query.with(|q| q.get("after"));
    let queue = Resource::new(
        move || (filter(), after()),
        |(resource, after)| get_review_queue(resource, after),
    );
    let notice = move || {
        query.with(|q| match q.get("decided").as_deref() {
            Some("approved") => Some(td_string!(l, review.notice_approved)),
            Some("denied") => Some(td_string!(l, review.notice_denied)),
            Some("advanced") => Some(td_string!(l, review.notice_advanced)),
            Some("recorded") => Some(td_string!(l, review.notice_recorded)),
            _ => q.get("welcome").map(|_| td_string!(l, review.notice_welcome)),
        })
    };
    view! {
        <Title text=td_string!(l, review.review_requests) />
        <section class="card">
            <h1>{td_string!(l, review.review_requests)}</h1>
            {move || notice().map(|text| view! { <div class="alert alert-success" role="status">{text}</div> })}
            <Suspense fallback=move || view! { <p>{td_string!(l, review.loading)}</p> }>
                {move || Suspend::new(async move {
                    match queue.await {
                        Ok(queue) => view! { <Queue queue selected=filter() /> }.into_any(),
                        Err(error) => view! { <Problem error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Queue(queue: ReviewQueue, selected: Option<i64>) -> impl IntoView {
    let l = language();
    let filter = (!queue.resources.is_empty()).then(|| {
        view! {
            <form method="get" action="/review" class="filters">
                <label for="filter-resource">{td_string!(l, review.resource)}</label>
                <select id="filter-resource" name="resource">
                    <option value="" selected=selected.is_none()>{td_string!(l, review.all_my_resources)}</option>
                    {queue.resources.iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=selected == Some(*id)>{name.clone()}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="button button-secondary button-small">{td_string!(l, review.show)}</button>
            </form>
        }
    });
    let next = queue.next.map(|cursor| {
        let mut href = format!("/review?after={}", url_encode(&cursor));
        if let Some(id) = selected {
            href.push_str(&format!("&resource={id}"));
        }
        view! { <p class="pager"><a href=href>{td_string!(l, review.next_page)}</a></p> }
    });
    let body = if queue.items.is_empty() {
        view! { <p class="empty">{td_string!(l, review.nothing_is_waiting_for_your)}</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table>
                    <thead>
                        <tr><th scope="col">{td_string!(l, review.requested_by)}</th><th scope="col">{td_string!(l, review.resource)}</th><th scope="col">{td_string!(l, review.stage)}</th><th scope="col">{td_string!(l, review.asked)}</th><th scope="col"><span class="visually-hidden">{td_string!(l, review.open)}</span></th></tr>
                    </thead>
                    <tbody>
                        {queue.items.into_iter().map(|item| {
                            let href = format!("/review/{}", item.request_id);
                            let label = td_string!(l, review.review_request_of, name = item.display_name.clone()).to_string();
                            view! {
                                <tr>
                                    <td><strong>{item.display_name}</strong><div class="muted">{format!("{} · {}", item.email, item.organisation)}</div></td>
                                    <td>{item.resource_name}</td>
                                    <td>{item.stage}</td>
                                    <td>{date(l, item.created_at)}</td>
                                    <td><a class="button button-secondary button-small" href=href aria-label=label>{td_string!(l, review.review)}</a></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! { {filter} {body} {next} }
}
