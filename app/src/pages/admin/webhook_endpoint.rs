use crate::components::language::language;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use locales::dates::date_time;

use crate::api::integrations::webhooks::{
    webhook_detail, DeliveryView, EndpointDetail, RedeliverWebhook, WebhookAction,
};
use crate::components::form::{row_button, FormFeedback, FormSummary};
use crate::components::problem::Problem;

/// Admin: one endpoint, its secret, and the log of its latest deliveries.
#[component]
pub fn AdminWebhookPage() -> impl IntoView {
    let l = language();
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
        <Title text=td_string!(l, admin_integrations.webhook) />
        <Suspense fallback=move || view! { <p>{td_string!(l, admin_integrations.loading)}</p> }>
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
    let l = language();
    let query = use_query_map();
    let note = query.with_untracked(|q| {
        if q.get("made").is_some() {
            Some(td_string!(l, admin_integrations.the_endpoint_is_added_give).to_string())
        } else if let Some(id) = q.get("redelivered") {
            Some(td_string!(l, admin_integrations.delivery_queued_again, id).to_string())
        } else {
            q.get("changed").map(|c| {
                if c == "enable" {
                    td_string!(l, admin_integrations.endpoint_turned_on).to_string()
                } else {
                    td_string!(l, admin_integrations.endpoint_turned_off).to_string()
                }
            })
        }
    });
    let change = ServerAction::<WebhookAction>::new();
    let feedback = FormFeedback::of(change);
    let endpoint = detail.endpoint;
    let id = endpoint.id;
    let toggle = if endpoint.enabled {
        ("disable", td_string!(l, admin_integrations.turn_off))
    } else {
        ("enable", td_string!(l, admin_integrations.turn_on))
    };
    view! {
        <section class="card">
            <p><a href="/admin/webhooks">{td_string!(l, admin_integrations.all_webhooks)}</a></p>
            <h1 class="break-anywhere">{endpoint.url.clone()}</h1>
            {note.map(|text| view! { <div class="alert alert-success" role="status">{text}</div> })}
            <FormSummary feedback />
            <dl class="facts">
                <dt>{td_string!(l, admin_integrations.description)}</dt><dd>{if endpoint.description.is_empty() { "—".to_string() } else { endpoint.description.clone() }}</dd>
                <dt>{td_string!(l, admin_integrations.events)}</dt><dd>{endpoint.events.iter().map(|e| view! { <code class="scope">{e.clone()}</code>" " }).collect_view()}</dd>
                <dt>{td_string!(l, admin_integrations.state)}</dt><dd>{if endpoint.enabled { td_string!(l, admin_integrations.on_changes_are_sent) } else { td_string!(l, admin_integrations.off_nothing_is_queued) }}</dd>
                <dt>{td_string!(l, admin_integrations.signing_secret)}</dt>
                <dd><details><summary>{td_string!(l, admin_integrations.show)}</summary><code class="token-value" data-testid="webhook-secret">{detail.secret}</code></details></dd>
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
                    <button type="submit" class="button button-danger">{td_string!(l, admin_integrations.delete_endpoint)}</button>
                </ActionForm>
            </div>
        </section>
        <section class="card">
            <h2>{td_string!(l, admin_integrations.latest_deliveries)}</h2>
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
    let l = language();
    if deliveries.is_empty() {
        return view! { <p class="empty">{td_string!(l, admin_integrations.nothing_delivered_yet_deliveries_appear)}</p> }.into_any();
    }
    let redeliver = ServerAction::<RedeliverWebhook>::new();
    let feedback = FormFeedback::of(redeliver);
    view! {
        <FormSummary feedback />
        <div class="table-wrap">
            <table class="delivery-log">
                <caption class="visually-hidden">{td_string!(l, admin_integrations.deliveries_newest_first)}</caption>
                <thead><tr>
                    <th scope="col">{td_string!(l, admin_integrations.event)}</th><th scope="col">{td_string!(l, admin_integrations.queued)}</th><th scope="col">{td_string!(l, admin_integrations.state)}</th>
                    <th scope="col">{td_string!(l, admin_integrations.tries)}</th><th scope="col"><span class="visually-hidden">{td_string!(l, admin_integrations.actions)}</span></th>
                </tr></thead>
                <tbody>
                    {deliveries.into_iter().map(|d| {
                        // Pending after a good try: it was queued again by hand.
                        let last_went_through = d.attempts.last().is_some_and(|a| a.error.is_empty());
                        let state = match d.state.as_str() {
                            "delivered" => td_string!(l, admin_integrations.delivered).to_string(),
                            "failed" => td_string!(l, admin_integrations.gave_up_after_24_hours).to_string(),
                            _ if d.attempts.is_empty() || last_went_through => td_string!(l, admin_integrations.queued_to_be_sent).to_string(),
                            _ => td_string!(l, admin_integrations.retrying_at, time = date_time(l, d.next_attempt_at)).to_string(),
                        };
                        let subject = td_string!(l, admin_integrations.delivery_subject, id = d.id, event = d.event.clone()).to_string();
                        view! {
                            <tr class=format!("delivery delivery-{}", d.state)>
                                <td><code>{d.event.clone()}</code>
                                    <details><summary>{td_string!(l, admin_integrations.payload)}</summary><pre class="payload">{d.payload}</pre></details></td>
                                <td>{date_time(l, d.created_at)}</td>
                                <td>{state}</td>
                                <td><ol class="attempts">
                                    {d.attempts.into_iter().map(|a| view! {
                                        <li>{format!("{} · {} · {} ms", date_time(l, a.at), attempt_text(a.status_code, &a.error), a.latency_ms)}</li>
                                    }).collect_view()}
                                </ol></td>
                                <td>
                                    <ActionForm action=redeliver>
                                        <input type="hidden" name="endpoint_id" value=endpoint_id.to_string() />
                                        <input type="hidden" name="delivery_id" value=d.id.to_string() />
                                        {row_button(td_string!(l, admin_integrations.redeliver), &subject, false)}
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
