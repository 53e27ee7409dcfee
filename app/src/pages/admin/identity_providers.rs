use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::federation::providers::{
    identity_provider, identity_providers, ProviderDetails, ProviderRow, RemoveIdentityProvider,
    SaveIdentityProvider, TestIdentityProvider,
};
use crate::components::form::{CheckboxField, Field, FormFeedback, FormSummary, SubmitButton};
use crate::components::language::language;
use crate::components::problem::Problem;

/// Admin: the partners' own identity providers, and a form to add one.
#[component]
pub fn AdminIdentityProvidersPage() -> impl IntoView {
    let l = language();
    let location = leptos_router::hooks::use_location();
    let view = Resource::new(move || location.search.get(), |_| identity_providers());
    let removed = use_query_map().with_untracked(|q| q.get("removed").is_some());
    view! {
        <Title text=td_string!(l, admin_system.identity_providers) />
        <section class="card">
            <h1>{td_string!(l, admin_system.identity_providers)}</h1>
            <p class="muted">{td_string!(l, admin_system.providers_intro)}</p>
            {removed.then(|| view! { <div class="alert alert-success" role="status">{td_string!(l, admin_system.provider_removed)}</div> })}
            <Suspense fallback=move || view! { <p>{td_string!(l, admin_system.loading)}</p> }>
                {move || Suspend::new(async move {
                    match view.await {
                        Ok(view) => view! {
                            <ProviderTable providers=view.providers />
                            <p class="field-hint">{td_string!(l, admin_system.register_redirect)}" "<code>{view.redirect_uri}</code></p>
                        }.into_any(),
                        Err(error) => view! { <Problem error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <section class="card card-medium">
            <h2>{td_string!(l, admin_system.add_provider)}</h2>
            <ProviderForm details=None />
        </section>
    }
}

#[component]
fn ProviderTable(providers: Vec<ProviderRow>) -> impl IntoView {
    let l = language();
    if providers.is_empty() {
        return view! { <p class="empty">{td_string!(l, admin_system.no_providers_yet)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="visually-hidden">{td_string!(l, admin_system.identity_providers)}</caption>
                <thead><tr>
                    <th scope="col">{td_string!(l, admin_system.provider_name)}</th>
                    <th scope="col">{td_string!(l, admin_system.email_domains)}</th>
                    <th scope="col">{td_string!(l, admin_system.linked_accounts)}</th>
                </tr></thead>
                <tbody>
                    {providers.into_iter().map(|p| view! {
                        <tr>
                            <td><a href=format!("/admin/identity-providers/{}", p.id)>{p.name}</a><br /><span class="muted">{p.issuer}</span></td>
                            <td>{p.domains.join(", ")}</td>
                            <td>{p.linked}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Admin: one provider: its form, "Test" and "Remove".
#[component]
pub fn AdminIdentityProviderPage() -> impl IntoView {
    let l = language();
    let params = use_params_map();
    let id = move || {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or_default()
        })
    };
    let location = leptos_router::hooks::use_location();
    let details = Resource::new(
        move || (id(), location.search.get()),
        |(id, _)| identity_provider(id),
    );
    view! {
        <Title text=td_string!(l, admin_system.identity_providers) />
        <Suspense fallback=move || view! { <p>{td_string!(l, admin_system.loading)}</p> }>
            {move || Suspend::new(async move {
                match details.await {
                    Ok(details) => view! { <ProviderPage details /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProviderPage(details: ProviderDetails) -> impl IntoView {
    let l = language();
    let query = use_query_map();
    let saved = query.with_untracked(|q| q.get("saved").is_some());
    let tested = query.with_untracked(|q| {
        q.get("tested")
            .map(|m| (q.get("ok").as_deref() == Some("true"), m))
    });
    let id = details.id;
    let test = ServerAction::<TestIdentityProvider>::new();
    let remove = ServerAction::<RemoveIdentityProvider>::new();
    view! {
        <section class="card card-medium">
            <p><a href="/admin/identity-providers">{td_string!(l, admin_system.all_providers)}</a></p>
            <h1>{details.name.clone()}</h1>
            {saved.then(|| view! { <div class="alert alert-success" role="status">{td_string!(l, admin_system.provider_saved)}</div> })}
            {tested.map(|(ok, message)| {
                let class = if ok { "alert alert-success" } else { "alert alert-error" };
                view! { <div class=class role="status" id="provider-test">{locales::messages::word(l, &message)}</div> }
            })}
            <p class="field-hint">{td_string!(l, admin_system.register_redirect)}" "<code>{details.redirect_uri.clone()}</code></p>
            <ProviderForm details=Some(details) />
        </section>
        <section class="card card-medium">
            <h2>{td_string!(l, admin_system.test_and_remove)}</h2>
            <p class="muted">{td_string!(l, admin_system.test_intro)}</p>
            <ActionForm action=test>
                <input type="hidden" name="id" value=id />
                <div class="form-actions">
                    <button type="submit" class="button button-secondary">{td_string!(l, admin_system.test_provider)}</button>
                </div>
            </ActionForm>
            <p class="muted">{td_string!(l, admin_system.remove_intro)}</p>
            <ActionForm action=remove>
                <input type="hidden" name="id" value=id />
                <div class="form-actions">
                    <button type="submit" class="button button-danger">{td_string!(l, admin_system.remove_provider)}</button>
                </div>
            </ActionForm>
        </section>
    }
}

/// The provider's settings: empty to add one, filled to edit (the secret is never shown).
#[component]
fn ProviderForm(details: Option<ProviderDetails>) -> impl IntoView {
    let l = language();
    let action = ServerAction::<SaveIdentityProvider>::new();
    let feedback = FormFeedback::of(action);
    let d = details.clone().unwrap_or(ProviderDetails {
        id: 0,
        name: String::new(),
        issuer: String::new(),
        client_id: String::new(),
        scopes: "openid email profile".into(),
        domains: String::new(),
        trust_email: false,
        trust_mfa: false,
        mfa_acr: String::new(),
        redirect_uri: String::new(),
    });
    let editing = details.is_some();
    let secret_hint = if editing {
        td_string!(l, admin_system.secret_kept)
    } else {
        td_string!(l, admin_system.secret_hint)
    };
    view! {
        <FormSummary feedback />
        <ActionForm action attr:id=if editing { "edit-provider" } else { "add-provider" }>
            {editing.then(|| view! { <input type="hidden" name="id" value=d.id /> })}
            <Field label=td_string!(l, admin_system.provider_name) name="provider[name]" required=true maxlength=80
                hint=td_string!(l, admin_system.provider_name_hint) error=feedback.field("provider[name]") value=feedback.typed_or("provider[name]", d.name) />
            <Field label=td_string!(l, admin_system.issuer_url) name="provider[issuer]" kind="url" required=true maxlength=500
                hint=td_string!(l, admin_system.issuer_hint) error=feedback.field("provider[issuer]") value=feedback.typed_or("provider[issuer]", d.issuer) />
            <Field label=td_string!(l, admin_system.client_id) name="provider[client_id]" required=true maxlength=255
                error=feedback.field("provider[client_id]") value=feedback.typed_or("provider[client_id]", d.client_id) />
            <Field label=td_string!(l, admin_system.client_secret) name="provider[client_secret]" kind="password" autocomplete="off" required=!editing maxlength=1024
                hint=secret_hint error=feedback.field("provider[client_secret]") />
            <Field label=td_string!(l, admin_system.scopes) name="provider[scopes]" maxlength=500
                hint=td_string!(l, admin_system.scopes_hint) error=feedback.field("provider[scopes]") value=feedback.typed_or("provider[scopes]", d.scopes) />
            <Field label=td_string!(l, admin_system.email_domains) name="provider[domains]" required=true maxlength=2000
                hint=td_string!(l, admin_system.domains_hint) error=feedback.field("provider[domains]") value=feedback.typed_or("provider[domains]", d.domains) />
            <CheckboxField label=td_string!(l, admin_system.trust_email) name="provider[trust_email]" checked=Signal::derive(move || d.trust_email) />
            <CheckboxField label=td_string!(l, admin_system.trust_mfa) name="provider[trust_mfa]" checked=Signal::derive(move || d.trust_mfa) />
            <Field label=td_string!(l, admin_system.mfa_acr) name="provider[mfa_acr]" maxlength=255
                hint=td_string!(l, admin_system.mfa_acr_hint) error=feedback.field("provider[mfa_acr]") value=feedback.typed_or("provider[mfa_acr]", d.mfa_acr) />
            <div class="form-actions">
                <SubmitButton
                    label=if editing { td_string!(l, admin_system.save_provider) } else { td_string!(l, admin_system.add_provider) }
                    busy_label=td_string!(l, admin_system.saving) pending=action.pending() />
            </div>
        </ActionForm>
    }
}
