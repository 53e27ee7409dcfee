use crate::components::language::language;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use locales::dates::date;
use locales::Locale;

use crate::api::integrations::webhooks::{
    admin_webhooks, CreateWebhook, EndpointView, SetWebhookTargets, WebhooksView,
};
use crate::components::form::{clear_on_success, Field, FormFeedback, FormSummary, SubmitButton};
use crate::components::problem::Problem;
use rules::integrations::webhook::EVENTS;

/// Admin: the endpoints that hear about changes, and where they may point.
#[component]
pub fn AdminWebhooksPage() -> impl IntoView {
    let l = language();
    let location = leptos_router::hooks::use_location();
    let view = Resource::new(move || location.search.get(), |_| admin_webhooks());
    view! {
        <Title text=td_string!(l, admin_integrations.webhooks) />
        <Suspense fallback=move || view! { <p>{td_string!(l, admin_integrations.loading)}</p> }>
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
    let l = language();
    let query = use_query_map();
    let note = query.with_untracked(|q| {
        if q.get("deleted").is_some() {
            Some(td_string!(l, admin_integrations.the_endpoint_is_deleted_with))
        } else if q.get("targets").is_some() {
            Some(td_string!(l, admin_integrations.saved_the_setting_applies_to))
        } else {
            None
        }
    });
    view! {
        <section class="card">
            <h1>{td_string!(l, admin_integrations.webhooks)}</h1>
            <p class="muted">
                {td_string!(l, admin_integrations.other_apps_learn_what_changed)}
            </p>
            {note.map(|text| view! { <div class="alert alert-success" role="status">{text}</div> })}
            <EndpointTable endpoints=view.endpoints />
        </section>
        <section class="card card-medium">
            <h2>{td_string!(l, admin_integrations.add_an_endpoint)}</h2>
            <NewEndpointForm />
        </section>
        <section class="card card-medium">
            <h2>{td_string!(l, admin_integrations.where_deliveries_may_go)}</h2>
            <TargetsForm allow_private=view.allow_private />
        </section>
    }
}

#[component]
fn EndpointTable(endpoints: Vec<EndpointView>) -> impl IntoView {
    let l = language();
    if endpoints.is_empty() {
        return view! { <p class="empty">{td_string!(l, admin_integrations.no_endpoints_yet)}</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">{td_string!(l, admin_integrations.webhook_endpoints)}</caption>
                <thead><tr><th scope="col">{td_string!(l, admin_integrations.address)}</th><th scope="col">{td_string!(l, admin_integrations.events)}</th><th scope="col">{td_string!(l, admin_integrations.state)}</th><th scope="col">{td_string!(l, admin_integrations.added)}</th></tr></thead>
                <tbody>
                    {endpoints.into_iter().map(|e| view! {
                        <tr class:row-muted=!e.enabled>
                            <td><a href=format!("/admin/webhooks/{}", e.id)>{e.url}</a><br /><span class="muted">{e.description}</span></td>
                            <td>{e.events.into_iter().map(|name| view! { <code class="scope">{name}</code>" " }).collect_view()}</td>
                            <td>{if e.enabled { td_string!(l, admin_integrations.on) } else { td_string!(l, admin_integrations.off) }}</td>
                            <td>{date(l, e.created_at)}</td>
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
    let l = language();
    let action = ServerAction::<CreateWebhook>::new();
    let feedback = FormFeedback::of(action);
    let events_error = feedback.field("endpoint[events]");
    let form = clear_on_success(action);
    view! {
        <FormSummary feedback />
        <ActionForm action node_ref=form>
            <Field label=td_string!(l, admin_integrations.address) name="endpoint[url]" kind="url" maxlength=2000
                hint=td_string!(l, admin_integrations.https_where_the_receiving_app)
                error=feedback.field("endpoint[url]") value=feedback.typed("endpoint[url]") />
            <Field label=td_string!(l, admin_integrations.description_optional) name="endpoint[description]" maxlength=200
                error=feedback.field("endpoint[description]") value=feedback.typed("endpoint[description]") />
            <fieldset class="field" class:field-invalid=move || events_error.with(Option::is_some)>
                <legend>{td_string!(l, admin_integrations.events_to_send)}</legend>
                {EVENTS.iter().enumerate().map(|(i, name)| {
                    let id = format!("event-{}", name.replace('.', "-"));
                    view! {
                        <div class="field-check">
                            <input type="checkbox" id=id.clone() name=format!("endpoint[events][{i}]") value=*name
                                aria-describedby="endpoint-events-error" />
                            <label for=id><code>{*name}</code>" "{event_meaning(l, name)}</label>
                        </div>
                    }
                }).collect_view()}
                <p class="field-error" id="endpoint-events-error" aria-live="polite">{move || events_error.get()}</p>
            </fieldset>
            <div class="form-actions">
                <SubmitButton label=td_string!(l, admin_integrations.add_endpoint) busy_label=td_string!(l, admin_integrations.adding) pending=action.pending() />
            </div>
        </ActionForm>
    }
}

#[component]
fn TargetsForm(allow_private: bool) -> impl IntoView {
    let l = language();
    let action = ServerAction::<SetWebhookTargets>::new();
    view! {
        <p class="muted">
            {td_string!(l, admin_integrations.deliveries_to_loopback_and_private)}
        </p>
        <ActionForm action>
            <div class="field-check">
                <input type="checkbox" id="allow-private" name="allow_private" value="on" checked=allow_private />
                <label for="allow-private">{td_string!(l, admin_integrations.allow_loopback_and_private_addresses)}</label>
            </div>
            <div class="form-actions">
                <SubmitButton label=td_string!(l, admin_integrations.save) busy_label=td_string!(l, admin_integrations.saving) pending=action.pending() />
            </div>
        </ActionForm>
    }
}

/// What a webhook event means, in the reader's words.
fn event_meaning(l: Locale, event: &str) -> &'static str {
    match event {
        "request.created" => td_string!(l, admin_integrations.event_request_created),
        "request.decided" => td_string!(l, admin_integrations.event_request_decided),
        "invitation.created" => td_string!(l, admin_integrations.event_invitation_created),
        "invitation.redeemed" => td_string!(l, admin_integrations.event_invitation_redeemed),
        "invitation.revoked" => td_string!(l, admin_integrations.event_invitation_revoked),
        _ => td_string!(l, admin_integrations.event_membership_ended),
    }
}
