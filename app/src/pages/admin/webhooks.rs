use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::integrations::webhooks::{
    admin_webhooks, CreateWebhook, EndpointView, SetWebhookTargets, WebhooksView,
};
use crate::components::form::{clear_on_success, Field, FormFeedback, FormSummary, SubmitButton};
use crate::components::problem::Problem;
use rules::dates::format_date;
use rules::integrations::webhook::EVENTS;

/// Admin: the endpoints that hear about changes, and where they may point.
#[component]
pub fn AdminWebhooksPage() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let view = Resource::new(move || location.search.get(), |_| admin_webhooks());
    view! {
        <Title text="Webhooks" />
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match view.await {
                    Ok(view) => view! { <Webhooks view /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Webhooks(view: WebhooksView) -> impl IntoView {
    let query = use_query_map();
    let note = query.with_untracked(|q| {
        if q.get("deleted").is_some() {
            Some("The endpoint is deleted, with its delivery log.")
        } else if q.get("targets").is_some() {
            Some("Saved: the setting applies to the next delivery.")
        } else {
            None
        }
    });
    view! {
        <section class="card">
            <h1>"Webhooks"</h1>
            <p class="muted">
                "Other apps learn what changed: each chosen event is posted as JSON to the endpoint, signed with "
                "HMAC-SHA256 in the Portico-Signature header, and retried with growing pauses for up to 24 hours. "
                "How to check the signature is in the API documentation (docs/api.md)."
            </p>
            {note.map(|text| view! { <div class="alert alert-success" role="status">{text}</div> })}
            <EndpointTable endpoints=view.endpoints />
        </section>
        <section class="card card-medium">
            <h2>"Add an endpoint"</h2>
            <NewEndpointForm />
        </section>
        <section class="card card-medium">
            <h2>"Where deliveries may go"</h2>
            <TargetsForm allow_private=view.allow_private />
        </section>
    }
}

#[component]
fn EndpointTable(endpoints: Vec<EndpointView>) -> impl IntoView {
    if endpoints.is_empty() {
        return view! { <p class="empty">"No endpoints yet."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">"Webhook endpoints"</caption>
                <thead><tr><th scope="col">"Address"</th><th scope="col">"Events"</th><th scope="col">"State"</th><th scope="col">"Added"</th></tr></thead>
                <tbody>
                    {endpoints.into_iter().map(|e| view! {
                        <tr class:row-muted=!e.enabled>
                            <td><a href=format!("/admin/webhooks/{}", e.id)>{e.url}</a><br /><span class="muted">{e.description}</span></td>
                            <td>{e.events.into_iter().map(|name| view! { <code class="scope">{name}</code>" " }).collect_view()}</td>
                            <td>{if e.enabled { "On" } else { "Off" }}</td>
                            <td>{format_date(e.created_at)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn NewEndpointForm() -> impl IntoView {
    let action = ServerAction::<CreateWebhook>::new();
    let feedback = FormFeedback::of(action);
    let events_error = feedback.field("endpoint[events]");
    let form = clear_on_success(action);
    view! {
        <FormSummary feedback />
        <ActionForm action node_ref=form>
            <Field label="Address" name="endpoint[url]" kind="url" maxlength=2000
                hint="https://… where the receiving app listens for POST requests."
                error=feedback.field("endpoint[url]") value=feedback.typed("endpoint[url]") />
            <Field label="Description (optional)" name="endpoint[description]" maxlength=200
                error=feedback.field("endpoint[description]") value=feedback.typed("endpoint[description]") />
            <fieldset class="field" class:field-invalid=move || events_error.with(Option::is_some)>
                <legend>"Events to send"</legend>
                {EVENTS.iter().enumerate().map(|(i, (name, about))| {
                    let id = format!("event-{}", name.replace('.', "-"));
                    view! {
                        <div class="field-check">
                            <input type="checkbox" id=id.clone() name=format!("endpoint[events][{i}]") value=*name
                                aria-describedby="endpoint-events-error" />
                            <label for=id><code>{*name}</code>" "{*about}</label>
                        </div>
                    }
                }).collect_view()}
                <p class="field-error" id="endpoint-events-error" aria-live="polite">{move || events_error.get()}</p>
            </fieldset>
            <div class="form-actions">
                <SubmitButton label="Add endpoint" busy_label="Adding…" pending=action.pending() />
            </div>
        </ActionForm>
    }
}

#[component]
fn TargetsForm(allow_private: bool) -> impl IntoView {
    let action = ServerAction::<SetWebhookTargets>::new();
    view! {
        <p class="muted">
            "Deliveries to loopback and private network addresses (127.0.0.1, 10.x, 192.168.x, …) are refused, "
            "so a webhook cannot be used to reach inside the portal's own network. Allow them only for tests "
            "or receivers on the same private network."
        </p>
        <ActionForm action>
            <div class="field-check">
                <input type="checkbox" id="allow-private" name="allow_private" value="on" checked=allow_private />
                <label for="allow-private">"Allow loopback and private addresses"</label>
            </div>
            <div class="form-actions">
                <SubmitButton label="Save" busy_label="Saving…" pending=action.pending() />
            </div>
        </ActionForm>
    }
}
