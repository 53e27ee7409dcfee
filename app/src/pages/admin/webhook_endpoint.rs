use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::integrations::webhooks::{
    webhook_detail, DeliveryView, EndpointDetail, RedeliverWebhook, WebhookAction,
};
use crate::components::form::{row_button, FormFeedback, FormSummary};
use crate::components::problem::Problem;
use rules::dates::format_date_time;

/// Admin: one endpoint, its secret, and the log of its latest deliveries.
#[component]
pub fn AdminWebhookPage() -> impl IntoView {
    let params = use_params_map();
    let location = leptos_router::hooks::use_location();
    let detail = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())),
                location.search.get(),
            )
        },
        |(id, _)| async move {
            match id {
                Some(id) => webhook_detail(id).await,
                None => Err(rules::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Title text="Webhook" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <Endpoint detail /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Endpoint(detail: EndpointDetail) -> impl IntoView {
    let query = use_query_map();
    let note = query.with_untracked(|q| {
        if q.get("made").is_some() {
            Some("The endpoint is added. Give its signing secret (below) to the receiving app.".to_string())
        } else if let Some(id) = q.get("redelivered") {
            Some(format!(
                "Delivery {id} is queued again and goes out within seconds."
            ))
        } else {
            q.get("changed").map(|c| {
                format!(
                    "The endpoint is turned {}.",
                    if c == "enable" { "on" } else { "off" }
                )
            })
        }
    });
    let change = ServerAction::<WebhookAction>::new();
    let feedback = FormFeedback::of(change);
    let endpoint = detail.endpoint;
    let id = endpoint.id;
    let toggle = if endpoint.enabled {
        ("disable", "Turn off")
    } else {
        ("enable", "Turn on")
    };
    view! {
        <section class="card">
            <p><a href="/admin/webhooks">"← All webhooks"</a></p>
            <h1 class="break-anywhere">{endpoint.url.clone()}</h1>
            {note.map(|text| view! { <div class="alert alert-success" role="status">{text}</div> })}
            <FormSummary feedback />
            <dl class="facts">
                <dt>"Description"</dt><dd>{if endpoint.description.is_empty() { "—".to_string() } else { endpoint.description.clone() }}</dd>
                <dt>"Events"</dt><dd>{endpoint.events.iter().map(|e| view! { <code class="scope">{e.clone()}</code>" " }).collect_view()}</dd>
                <dt>"State"</dt><dd>{if endpoint.enabled { "On: changes are sent" } else { "Off: nothing is queued" }}</dd>
                <dt>"Signing secret"</dt>
                <dd><details><summary>"Show"</summary><code class="token-value" data-testid="webhook-secret">{detail.secret}</code></details></dd>
            </dl>
            <div class="form-actions">
                <ActionForm action=change>
                    <input type="hidden" name="endpoint_id" value=id.to_string() />
                    <input type="hidden" name="action" value=toggle.0 />
                    <button type="submit" class="button button-secondary">{toggle.1}</button>
                </ActionForm>
                <ActionForm action=change>
                    <input type="hidden" name="endpoint_id" value=id.to_string() />
                    <input type="hidden" name="action" value="delete" />
                    <button type="submit" class="button button-danger">"Delete endpoint"</button>
                </ActionForm>
            </div>
        </section>
        <section class="card">
            <h2>"Latest deliveries"</h2>
            <DeliveryLog endpoint_id=endpoint.id deliveries=detail.deliveries />
        </section>
    }
}

fn attempt_text(status: Option<i64>, error: &str) -> String {
    match (status, error.is_empty()) {
        (Some(code), true) => format!("{code} OK"),
        (Some(code), false) => format!("{code}: {error}"),
        (None, _) => error.to_string(),
    }
}

#[component]
fn DeliveryLog(endpoint_id: i64, deliveries: Vec<DeliveryView>) -> impl IntoView {
    if deliveries.is_empty() {
        return view! { <p class="empty">"Nothing delivered yet: deliveries appear here when a chosen event happens."</p> }.into_any();
    }
    let redeliver = ServerAction::<RedeliverWebhook>::new();
    let feedback = FormFeedback::of(redeliver);
    view! {
        <FormSummary feedback />
        <div class="table-wrap">
            <table class="delivery-log">
                <caption class="visually-hidden">"Deliveries, newest first"</caption>
                <thead><tr>
                    <th scope="col">"Event"</th><th scope="col">"Queued"</th><th scope="col">"State"</th>
                    <th scope="col">"Tries"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr></thead>
                <tbody>
                    {deliveries.into_iter().map(|d| {
                        // Pending after a good try: it was queued again by hand.
                        let last_went_through = d.attempts.last().is_some_and(|a| a.error.is_empty());
                        let state = match d.state.as_str() {
                            "delivered" => "Delivered".to_string(),
                            "failed" => "Gave up after 24 hours".to_string(),
                            _ if d.attempts.is_empty() || last_went_through => "Queued to be sent".to_string(),
                            _ => format!("Retrying at {}", format_date_time(d.next_attempt_at)),
                        };
                        let subject = format!("delivery {} ({})", d.id, d.event);
                        view! {
                            <tr class=format!("delivery delivery-{}", d.state)>
                                <td><code>{d.event.clone()}</code>
                                    <details><summary>"Payload"</summary><pre class="payload">{d.payload}</pre></details></td>
                                <td>{format_date_time(d.created_at)}</td>
                                <td>{state}</td>
                                <td><ol class="attempts">
                                    {d.attempts.into_iter().map(|a| view! {
                                        <li>{format!("{} · {} · {} ms", format_date_time(a.at), attempt_text(a.status_code, &a.error), a.latency_ms)}</li>
                                    }).collect_view()}
                                </ol></td>
                                <td>
                                    <ActionForm action=redeliver>
                                        <input type="hidden" name="endpoint_id" value=endpoint_id.to_string() />
                                        <input type="hidden" name="delivery_id" value=d.id.to_string() />
                                        {row_button("Redeliver", &subject, false)}
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
