use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::approvals::review::{get_review_queue, ReviewQueue};
use crate::components::problem::Problem;
use rules::dates::format_date;
use rules::list_filter::url_encode;

/// The requests waiting for this person's decision, oldest first.
#[component]
pub fn ReviewQueuePage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || query.with(|q| q.get("resource").and_then(|r| r.parse::<i64>().ok()));
    let after = move || query.with(|q| q.get("after"));
    let queue = Resource::new(
        move || (filter(), after()),
        |(resource, after)| get_review_queue(resource, after),
    );
    let notice = move || {
        query.with(|q| match q.get("decided").as_deref() {
            Some("approved") => Some("Approved: the partner has been invited."),
            Some("denied") => Some("Denied: the partner has been told, with your reason."),
            Some("advanced") => Some("Approved: the request moves on to its next approval stage."),
            Some("recorded") => {
                Some("Your approval is recorded; the other approvers of this stage still decide.")
            }
            _ => q
                .get("welcome")
                .map(|_| "Your password is set. Requests for your resources will appear here."),
        })
    };
    view! {
        <Title text="Review requests" />
        <section class="card">
            <h1>"Review requests"</h1>
            {move || notice().map(|text| view! { <div class="alert alert-success" role="status">{text}</div> })}
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
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
    let filter = (!queue.resources.is_empty()).then(|| {
        view! {
            <form method="get" action="/review" class="filters">
                <label for="filter-resource">"Resource"</label>
                <select id="filter-resource" name="resource">
                    <option value="" selected=selected.is_none()>"All my resources"</option>
                    {queue.resources.iter().map(|(id, name)| view! {
                        <option value=id.to_string() selected=selected == Some(*id)>{name.clone()}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="button button-secondary button-small">"Show"</button>
            </form>
        }
    });
    let next = queue.next.map(|cursor| {
        let mut href = format!("/review?after={}", url_encode(&cursor));
        if let Some(id) = selected {
            href.push_str(&format!("&resource={id}"));
        }
        view! { <p class="pager"><a href=href>"Next page"</a></p> }
    });
    let body = if queue.items.is_empty() {
        view! { <p class="empty">"Nothing is waiting for your decision."</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table>
                    <thead>
                        <tr><th scope="col">"Requested by"</th><th scope="col">"Resource"</th><th scope="col">"Stage"</th><th scope="col">"Asked"</th><th scope="col"><span class="visually-hidden">"Open"</span></th></tr>
                    </thead>
                    <tbody>
                        {queue.items.into_iter().map(|item| {
                            let href = format!("/review/{}", item.request_id);
                            let label = format!("Review the request of {}", item.display_name);
                            view! {
                                <tr>
                                    <td><strong>{item.display_name}</strong><div class="muted">{format!("{} · {}", item.email, item.organisation)}</div></td>
                                    <td>{item.resource_name}</td>
                                    <td>{item.stage}</td>
                                    <td>{format_date(item.created_at)}</td>
                                    <td><a class="button button-secondary button-small" href=href aria-label=label>"Review"</a></td>
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
