use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::administration::policy::UseDefaultPolicy;
use crate::api::administration::resources::{
    admin_resource, AddOwner, ArchiveResource, RemoveOwner, ResourceDetail, SaveResource,
};
use crate::components::form::{
    CheckboxField, Field, FormFeedback, FormSummary, RadioGroup, SubmitButton, TextAreaField,
};
use crate::components::problem::Problem;
use crate::pages::number_param;
use rules::administration::resource::check_slug;

fn kinds() -> Vec<(String, String)> {
    vec![("app".into(), "App".into()), ("group".into(), "Group".into())]
}

/// Admin: a new resource.
#[component]
pub fn NewResourcePage() -> impl IntoView {
    view! {
        <Title text="New resource" />
        <section class="card card-medium">
            <p class="eyebrow"><a href="/admin/resources">"Resources"</a></p>
            <h1>"New resource"</h1>
            <ResourceForm detail=None />
        </section>
    }
}

/// Admin: one resource: details, owners, policy, archive.
#[component]
pub fn AdminResourcePage() -> impl IntoView {
    let id = number_param("id");
    let query = use_query_map();
    let detail = Resource::new(move || (id(), query.get()), |(id, _)| admin_resource(id));
    let notice = move || {
        query.with(|q| {
            if q.get("saved").is_some() {
                Some("Saved.")
            } else {
                match (q.get("owner").as_deref(), q.get("policy").as_deref()) {
                    (Some("appointed"), _) => Some("Owner added."),
                    (Some("invited"), _) => {
                        Some("Owner invited: they were emailed a link to set their password.")
                    }
                    (Some("already"), _) => Some("That person owns this resource already."),
                    (Some("removed"), _) => Some("Owner removed."),
                    (_, Some("saved")) => Some("The resource's own policy is saved."),
                    (_, Some("default")) => Some("The resource follows the default policy again."),
                    _ => None,
                }
            }
        })
    };
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! {
                        <Title text=detail.resource.name.clone() />
                        {notice().map(|text| view! { <div class="alert alert-success" role="status">{text}</div> })}
                        <section class="card card-medium">
                            <p class="eyebrow"><a href="/admin/resources">"Resources"</a></p>
                            <div class="card-head">
                                <h1>{detail.resource.name.clone()}</h1>
                                <a class="button button-secondary button-small" href=format!("/resources/{}", detail.resource.id)>"Members and invitations"</a>
                            </div>
                            <ResourceForm detail=Some(detail.clone()) />
                        </section>
                        <Owners detail=detail.clone() />
                        <PolicyCard detail=detail.clone() />
                        <ArchiveCard detail />
                    }
                    .into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ResourceForm(detail: Option<ResourceDetail>) -> impl IntoView {
    let action = ServerAction::<SaveResource>::new();
    let feedback = FormFeedback::of(action);
    let initial = {
        let detail = detail.clone();
        move |f: fn(&ResourceDetail) -> String| detail.as_ref().map(f).unwrap_or_default()
    };
    let kind = feedback.typed_or(
        "kind",
        detail
            .as_ref()
            .map(|d| d.resource.kind.as_str().to_string())
            .unwrap_or_else(|| "app".into()),
    );
    let requestable = detail.as_ref().map(|d| d.resource.is_requestable).unwrap_or(true);
    let id = detail.as_ref().map(|d| d.resource.id);
    view! {
        <FormSummary feedback />
        <ActionForm action>
            {id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
            <Field label="Name" name="name" required=true maxlength=100
                error=feedback.field("name") value=feedback.typed_or("name", initial(|d| d.resource.name.clone())) />
            <Field label="Address name" name="slug" required=true maxlength=60
                hint="Lowercase letters, digits and hyphens. Partners find the request form at /request/<this>."
                error=feedback.field("slug") value=feedback.typed_or("slug", initial(|d| d.resource.slug.clone())) check=check_slug />
            <RadioGroup legend="Kind" name="kind" options=kinds() selected=kind error=feedback.field("kind") />
            <TextAreaField label="Description" name="description" maxlength=2000
                hint="Shown to partners in the catalog and the request form."
                error=feedback.field("description") value=feedback.typed_or("description", initial(|d| d.description.clone())) />
            <CheckboxField label="Partners may request access" name="is_requestable" checked=Signal::derive(move || requestable) />
            <div class="form-actions">
                <SubmitButton label=if id.is_some() { "Save changes" } else { "Create resource" } busy_label="Saving…" pending=action.pending() />
            </div>
        </ActionForm>
    }
}

#[component]
fn Owners(detail: ResourceDetail) -> impl IntoView {
    let add = ServerAction::<AddOwner>::new();
    let feedback = FormFeedback::of(add);
    let resource_id = detail.resource.id;
    view! {
        <section class="card card-medium">
            <h2>"Owners"</h2>
            <p class="muted">"Owners review the requests for this resource (unless its policy names other approvers)."</p>
            {if detail.owners.is_empty() {
                view! { <p class="empty">"No owners yet: until there are, the admins decide its requests."</p> }.into_any()
            } else {
                view! {
                    <ul class="people">
                        {detail.owners.into_iter().map(|owner| {
                            let remove = ServerAction::<RemoveOwner>::new();
                            let label = format!("Remove {} as owner", owner.display_name);
                            view! {
                                <li>
                                    <span><strong>{owner.display_name.clone()}</strong><span class="muted">{format!(" {}", owner.email)}</span></span>
                                    <ActionForm action=remove>
                                        <input type="hidden" name="resource_id" value=resource_id />
                                        <input type="hidden" name="account_id" value=owner.account_id />
                                        <button type="submit" class="button button-secondary button-small" aria-label=label>"Remove"</button>
                                    </ActionForm>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h3>"Add an owner"</h3>
            <FormSummary feedback />
            <ActionForm action=add>
                <input type="hidden" name="resource_id" value=resource_id />
                <Field label="Email" name="owner_email" kind="email" required=true maxlength=254
                    hint="Someone with an account becomes an owner at once; anyone else gets an email to set a password."
                    error=feedback.field("owner_email") value=feedback.typed("owner_email") />
                <Field label="Full name (for a new account)" name="owner_name" maxlength=100
                    error=feedback.field("owner_name") value=feedback.typed("owner_name") />
                <div class="form-actions">
                    <SubmitButton label="Add owner" busy_label="Adding…" pending=add.pending() />
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn PolicyCard(detail: ResourceDetail) -> impl IntoView {
    let back_to_default = ServerAction::<UseDefaultPolicy>::new();
    let id = detail.resource.id;
    let edit = format!("/admin/resources/{id}/policy");
    view! {
        <section class="card card-medium">
            <h2>"Policy"</h2>
            {if detail.resource.uses_default_policy {
                view! {
                    <p>"This resource follows the "<a href="/admin/policy">"default policy"</a>"."</p>
                    <a class="button button-secondary" href=edit>"Give it its own policy"</a>
                }.into_any()
            } else {
                view! {
                    <p>"This resource has its own policy."</p>
                    <div class="form-actions">
                        <a class="button button-secondary" href=edit>"Edit its policy"</a>
                        <ActionForm action=back_to_default>
                            <input type="hidden" name="resource_id" value=id />
                            <button type="submit" class="button button-secondary">"Follow the default policy again"</button>
                        </ActionForm>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn ArchiveCard(detail: ResourceDetail) -> impl IntoView {
    let action = ServerAction::<ArchiveResource>::new();
    let archived = detail.resource.archived;
    view! {
        <section class="card card-medium">
            <h2>{if archived { "Archived" } else { "Archive" }}</h2>
            <p class="muted">{if archived {
                "Archived: it is hidden from partners and takes no requests. Memberships stay as they are."
            } else {
                "Archiving hides the resource from partners and stops new requests. Memberships stay as they are."
            }}</p>
            <ActionForm action>
                <input type="hidden" name="id" value=detail.resource.id />
                <input type="hidden" name="archive" value=(!archived).to_string() />
                <button type="submit" class="button button-secondary">{if archived { "Restore" } else { "Archive this resource" }}</button>
            </ActionForm>
        </section>
    }
}
