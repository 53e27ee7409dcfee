//! How an app resource's app signs people in through Portico: its registration (addresses, kind,
//! consent, details it receives), its client id and secret, and where the provider lives. Admins
//! reach it from the resource's admin page; owners from their resource's page, when admins allow.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use locales::dates::date;
use locales::Locale;

use crate::api::oidc::clients::{app_registration, AppClient, AppClientView, RotateAppSecret, SaveAppClient};
use crate::components::form::{
    CheckboxField, Field, FormFeedback, FormSummary, RadioGroup, SubmitButton, TextAreaField,
};
use crate::components::language::language;
use crate::components::problem::Problem;
use crate::pages::number_param;

/// The page at `/admin/resources/:id/sign-in`, and at `/resources/:id/sign-in` for an owner.
#[component]
pub fn AppSignInPage() -> impl IntoView {
    let l = language();
    let id = number_param("id");
    let query = use_query_map();
    let page = Resource::new(move || (id(), query.get()), |(id, _)| app_registration(id));
    view! {
        <Title text=td_string!(l, admin_catalogue.app_sign_in) />
        <Suspense fallback=move || view! { <p>{td_string!(l, admin_catalogue.loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <Registration page /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Registration(page: AppClientView) -> impl IntoView {
    let l = language();
    let query = use_query_map();
    let note = query.with_untracked(|q| {
        if q.get("rotated").is_some() {
            Some(td_string!(l, admin_catalogue.app_secret_rotated))
        } else {
            q.get("saved")
                .is_some()
                .then(|| td_string!(l, admin_catalogue.saved))
        }
    });
    let back = page.back_url.clone();
    view! {
        <section class="card card-medium">
            <p class="eyebrow"><a href=back>{page.resource_name.clone()}</a></p>
            <h1>{td_string!(l, admin_catalogue.app_sign_in)}</h1>
            {note.map(|text| view! { <div class="alert alert-success" role="status">{text}</div> })}
            {page.new_secret.clone().map(|secret| view! {
                <div class="alert alert-success new-token" role="status">
                    <p>{td_string!(l, admin_catalogue.app_secret_shown_once)}</p>
                    <p><code class="token-value" data-testid="app-secret">{secret}</code></p>
                </div>
            })}
            {if page.is_app {
                view! {
                    <p class="muted">{td_string!(l, admin_catalogue.app_sign_in_explained)}</p>
                    {page.client.clone().map(|client| view! { <Facts client resource_id=page.resource_id discovery=page.discovery_url.clone() /> })}
                }
                .into_any()
            } else {
                view! { <p>{td_string!(l, admin_catalogue.app_sign_in_only_apps)}</p> }.into_any()
            }}
        </section>
        {page.is_app.then(|| view! { <ClientFormCard resource_id=page.resource_id client=page.client.clone() /> })}
    }
}

#[component]
fn Facts(client: AppClient, resource_id: i64, discovery: String) -> impl IntoView {
    let l = language();
    let rotate = ServerAction::<RotateAppSecret>::new();
    let kind = if client.confidential {
        td_string!(l, admin_catalogue.app_confidential)
    } else {
        td_string!(l, admin_catalogue.app_public)
    };
    view! {
        <dl class="facts">
            <dt>{td_string!(l, admin_catalogue.app_discovery)}</dt><dd><code class="break-anywhere">{discovery}</code></dd>
            <dt>{td_string!(l, admin_catalogue.app_client_id)}</dt><dd><code data-testid="client-id">{client.client_id.clone()}</code></dd>
            <dt>{td_string!(l, admin_catalogue.app_kind)}</dt><dd>{kind}</dd>
            {client.secret_made_at.map(|made| view! {
                <dt>{td_string!(l, admin_catalogue.app_secret)}</dt>
                <dd>
                    {td_string!(l, admin_catalogue.app_secret_made, date = date(l, made)).to_string()}
                    <ActionForm action=rotate>
                        <input type="hidden" name="resource_id" value=resource_id.to_string() />
                        <button type="submit" class="button button-secondary button-small">{td_string!(l, admin_catalogue.app_rotate_secret)}</button>
                    </ActionForm>
                </dd>
            })}
        </dl>
    }
}

fn claim_label(l: Locale, claim: &str) -> &'static str {
    match claim {
        "email" => td_string!(l, admin_catalogue.app_claim_email),
        "name" => td_string!(l, admin_catalogue.app_claim_name),
        "organisation" => td_string!(l, admin_catalogue.app_claim_organisation),
        _ => td_string!(l, admin_catalogue.app_claim_groups),
    }
}

#[component]
fn ClientFormCard(resource_id: i64, client: Option<AppClient>) -> impl IntoView {
    let l = language();
    let action = ServerAction::<SaveAppClient>::new();
    let feedback = FormFeedback::of(action);
    let registered = client.is_some();
    let c = client.unwrap_or(AppClient {
        client_id: String::new(),
        redirect_uris: String::new(),
        post_logout_uris: String::new(),
        sign_in_url: String::new(),
        confidential: true,
        first_party: true,
        claims: vec!["email".into(), "name".into()],
        secret_made_at: None,
    });
    let kinds = vec![
        (
            "confidential".to_string(),
            td_string!(l, admin_catalogue.app_confidential_explained).to_string(),
        ),
        (
            "public".to_string(),
            td_string!(l, admin_catalogue.app_public_explained).to_string(),
        ),
    ];
    let kind = if c.confidential { "confidential" } else { "public" }.to_string();
    let first_party = c.first_party;
    let typed = move |name: &'static str, stored: String| feedback.typed_or(name, stored);
    view! {
        <section class="card card-medium">
            <h2>{if registered { td_string!(l, admin_catalogue.app_change_registration) } else { td_string!(l, admin_catalogue.app_register) }}</h2>
            <FormSummary feedback />
            <ActionForm action>
                <input type="hidden" name="resource_id" value=resource_id.to_string() />
                <TextAreaField label=td_string!(l, admin_catalogue.app_redirect_uris) name="client[redirect_uris]" rows=3
                    hint=td_string!(l, admin_catalogue.app_redirect_uris_hint)
                    error=feedback.field("client[redirect_uris]") value=typed("client[redirect_uris]", c.redirect_uris.clone()) />
                <Field label=td_string!(l, admin_catalogue.app_sign_in_url) name="client[sign_in_url]" kind="url"
                    hint=td_string!(l, admin_catalogue.app_sign_in_url_hint)
                    error=feedback.field("client[sign_in_url]") value=typed("client[sign_in_url]", c.sign_in_url.clone()) />
                <TextAreaField label=td_string!(l, admin_catalogue.app_post_logout_uris) name="client[post_logout_uris]" rows=2
                    hint=td_string!(l, admin_catalogue.app_post_logout_uris_hint)
                    error=feedback.field("client[post_logout_uris]") value=typed("client[post_logout_uris]", c.post_logout_uris.clone()) />
                <RadioGroup legend=td_string!(l, admin_catalogue.app_kind) name="client[kind]" options=kinds selected=Signal::derive(move || kind.clone()) />
                <CheckboxField label=td_string!(l, admin_catalogue.app_first_party) name="client[first_party]" checked=Signal::derive(move || first_party) />
                <fieldset class="field" class:field-invalid=move || feedback.field("client[claims]").with(Option::is_some)>
                    <legend>{td_string!(l, admin_catalogue.app_claims)}</legend>
                    <p class="field-hint">{td_string!(l, admin_catalogue.app_claims_hint)}</p>
                    {rules::oidc::clients::CLAIM_CHOICES.iter().map(|claim| {
                        let chosen = c.claims.iter().any(|c| c == claim);
                        view! { <CheckboxField label=claim_label(l, claim) name=format!("client[claim_{claim}]") checked=Signal::derive(move || chosen) /> }
                    }).collect_view()}
                </fieldset>
                <div class="form-actions">
                    <SubmitButton label=td_string!(l, admin_catalogue.save) busy_label=td_string!(l, admin_catalogue.saving) pending=action.pending() />
                </div>
            </ActionForm>
        </section>
    }
}
