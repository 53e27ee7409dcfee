use crate::components::language::language;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use locales::Locale;

use crate::api::administration::policy::UseDefaultPolicy;
use crate::api::administration::resources::{
    admin_resource, AddOwner, ArchiveResource, RemoveOwner, ResourceDetail, SaveResource,
};
use crate::components::form::{
    CheckboxField, Field, FormFeedback, FormSummary, RadioGroup, SubmitButton, TextAreaField,
};
use crate::components::problem::Problem;
use crate::pages::number_param;
use rules::administration::resource::{check_slug, ResourceKind};

fn kinds(l: Locale) -> Vec<(String, String)> {
    vec![
        ("app".into(), td_string!(l, admin_catalogue.app).into()),
        ("group".into(), td_string!(l, admin_catalogue.group).into()),
    ]
}

/// Admin: a new resource.
#[component]
pub fn NewResourcePage() -> impl IntoView {
    let l = language();
    view! {
        <Title text=td_string!(l, admin_catalogue.new_resource) />
        <section class="card card-medium">
            <p class="eyebrow"><a href="/admin/resources">{td_string!(l, admin_catalogue.resources)}</a></p>
            <h1>{td_string!(l, admin_catalogue.new_resource)}</h1>
            <ResourceForm detail=None />
        </section>
    }
}

/// Admin: one resource: details, owners, policy, archive.
#[component]
pub fn AdminResourcePage() -> impl IntoView {
    let l = language();
    let id = number_param("id");
    let query = use_query_map();
    let detail = Resource::new(move || (id(), query.get()), |(id, _)| admin_resource(id));
    let notice = move || {
        query.with(|q| {
            if q.get("saved").is_some() {
                Some(td_string!(l, admin_catalogue.saved))
            } else {
                match (q.get("owner").as_deref(), q.get("policy").as_deref()) {
                    (Some("appointed"), _) => Some(td_string!(l, admin_catalogue.owner_added)),
                    (Some("invited"), _) => {
                        Some(td_string!(l, admin_catalogue.owner_invited_they_were_emailed))
                    }
                    (Some("already"), _) => {
                        Some(td_string!(l, admin_catalogue.that_person_owns_this_resource))
                    }
                    (Some("removed"), _) => Some(td_string!(l, admin_catalogue.owner_removed)),
                    (_, Some("saved")) => Some(td_string!(l, admin_catalogue.the_resource_s_own_policy)),
                    (_, Some("default")) => {
                        Some(td_string!(l, admin_catalogue.the_resource_follows_the_default))
                    }
                    _ => None,
                }
            }
        })
    };
    view! {
        <Suspense fallback=move || view! { <p>{td_string!(l, admin_catalogue.loading)}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! {
                        <Title text=detail.resource.name.clone() />
                        {notice().map(|text| view! { <div class="alert alert-success" role="status">{text}</div> })}
                        <section class="card card-medium">
                            <p class="eyebrow"><a href="/admin/resources">{td_string!(l, admin_catalogue.resources)}</a></p>
                            <div class="card-head">
                                <h1>{detail.resource.name.clone()}</h1>
                                <div class="button-row">
                                    <a class="button button-secondary button-small" href=format!("/resources/{}", detail.resource.id)>{td_string!(l, admin_catalogue.members_and_invitations)}</a>
                                    {(detail.resource.kind == ResourceKind::App).then(|| view! {
                                        <a class="button button-secondary button-small" href=format!("/admin/resources/{}/sign-in", detail.resource.id)>{td_string!(l, admin_catalogue.app_sign_in)}</a>
                                    })}
                                </div>
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
    let l = language();
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
            <Field label=td_string!(l, admin_catalogue.name) name="name" required=true maxlength=100
                error=feedback.field("name") value=feedback.typed_or("name", initial(|d| d.resource.name.clone())) />
            <Field label=td_string!(l, admin_catalogue.address_name) name="slug" required=true maxlength=60
                hint=td_string!(l, admin_catalogue.lowercase_letters_digits_and_hyphens)
                error=feedback.field("slug") value=feedback.typed_or("slug", initial(|d| d.resource.slug.clone())) check=check_slug />
            <RadioGroup legend=td_string!(l, admin_catalogue.kind) name="kind" options=kinds(l) selected=kind error=feedback.field("kind") />
            <TextAreaField label=td_string!(l, admin_catalogue.description) name="description" maxlength=2000
                hint=td_string!(l, admin_catalogue.shown_to_partners_in_the)
                error=feedback.field("description") value=feedback.typed_or("description", initial(|d| d.description.clone())) />
            <CheckboxField label=td_string!(l, admin_catalogue.partners_may_request_access) name="is_requestable" checked=Signal::derive(move || requestable) />
            <div class="form-actions">
                <SubmitButton label=if id.is_some() { td_string!(l, admin_catalogue.save_changes) } else { td_string!(l, admin_catalogue.create_resource) } busy_label=td_string!(l, admin_catalogue.saving) pending=action.pending() />
            </div>
        </ActionForm>
    }
}

#[component]
fn Owners(detail: ResourceDetail) -> impl IntoView {
    let l = language();
    let add = ServerAction::<AddOwner>::new();
    let feedback = FormFeedback::of(add);
    let resource_id = detail.resource.id;
    view! {
        <section class="card card-medium">
            <h2>{td_string!(l, admin_catalogue.owners)}</h2>
            <p class="muted">{td_string!(l, admin_catalogue.owners_review_the_requests_for)}</p>
            {if detail.owners.is_empty() {
                view! { <p class="empty">{td_string!(l, admin_catalogue.no_owners_yet_until_there)}</p> }.into_any()
            } else {
                view! {
                    <ul class="people">
                        {detail.owners.into_iter().map(|owner| {
                            let remove = ServerAction::<RemoveOwner>::new();
                            let label = td_string!(l, admin_catalogue.remove_as_owner, name = owner.display_name.clone()).to_string();
                            view! {
                                <li>
                                    <span><strong>{owner.display_name.clone()}</strong><span class="muted">{format!(" {}", owner.email)}</span></span>
                                    <ActionForm action=remove>
                                        <input type="hidden" name="resource_id" value=resource_id />
                                        <input type="hidden" name="account_id" value=owner.account_id />
                                        <button type="submit" class="button button-secondary button-small" aria-label=label>{td_string!(l, admin_catalogue.remove)}</button>
                                    </ActionForm>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <h3>{td_string!(l, admin_catalogue.add_an_owner)}</h3>
            <FormSummary feedback />
            <ActionForm action=add>
                <input type="hidden" name="resource_id" value=resource_id />
                <Field label=td_string!(l, admin_catalogue.email) name="owner_email" kind="email" required=true maxlength=254
                    hint=td_string!(l, admin_catalogue.someone_with_an_account_becomes)
                    error=feedback.field("owner_email") value=feedback.typed("owner_email") />
                <Field label=td_string!(l, admin_catalogue.full_name_for_a_new) name="owner_name" maxlength=100
                    error=feedback.field("owner_name") value=feedback.typed("owner_name") />
                <div class="form-actions">
                    <SubmitButton label=td_string!(l, admin_catalogue.add_owner) busy_label=td_string!(l, admin_catalogue.adding) pending=add.pending() />
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn PolicyCard(detail: ResourceDetail) -> impl IntoView {
    let l = language();
    let back_to_default = ServerAction::<UseDefaultPolicy>::new();
    let id = detail.resource.id;
    let edit = format!("/admin/resources/{id}/policy");
    view! {
        <section class="card card-medium">
            <h2>{td_string!(l, admin_catalogue.policy)}</h2>
            {if detail.resource.uses_default_policy {
                view! {
                    <p>{td_string!(l, admin_catalogue.this_resource_follows_the)}<a href="/admin/policy">{td_string!(l, admin_catalogue.default_policy)}</a>"."</p>
                    <a class="button button-secondary" href=edit>{td_string!(l, admin_catalogue.give_it_its_own_policy)}</a>
                }.into_any()
            } else {
                view! {
                    <p>{td_string!(l, admin_catalogue.this_resource_has_its_own)}</p>
                    <div class="form-actions">
                        <a class="button button-secondary" href=edit>{td_string!(l, admin_catalogue.edit_its_policy)}</a>
                        <ActionForm action=back_to_default>
                            <input type="hidden" name="resource_id" value=id />
                            <button type="submit" class="button button-secondary">{td_string!(l, admin_catalogue.follow_the_default_policy_again)}</button>
                        </ActionForm>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn ArchiveCard(detail: ResourceDetail) -> impl IntoView {
    let l = language();
    let action = ServerAction::<ArchiveResource>::new();
    let archived = detail.resource.archived;
    view! {
        <section class="card card-medium">
            <h2>{if archived { td_string!(l, admin_catalogue.archived) } else { td_string!(l, admin_catalogue.archive) }}</h2>
            <p class="muted">{if archived {
                td_string!(l, admin_catalogue.archived_it_is_hidden_from)
            } else {
                td_string!(l, admin_catalogue.archiving_hides_the_resource_from)
            }}</p>
            <ActionForm action>
                <input type="hidden" name="id" value=detail.resource.id />
                <input type="hidden" name="archive" value=(!archived).to_string() />
                <button type="submit" class="button button-secondary">{if archived { td_string!(l, admin_catalogue.restore) } else { td_string!(l, admin_catalogue.archive_this_resource) }}</button>
            </ActionForm>
        </section>
    }
}
