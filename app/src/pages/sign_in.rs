use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::auth::SignIn;
use crate::api::accounts::codes::{code_sign_in_state, SendSignInCode};
use crate::components::form::{Field, FormFeedback, FormSummary, SubmitButton};
use crate::components::language::language;
use leptos_i18n::td_string;
use rules::validation::check_email;

/// Signing in: partners ask for a code by email (when the portal allows it); anyone with a
/// password uses it below.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next")).unwrap_or_default();
    let signed_out = move || query.with(|q| q.get("signed_out").is_some());
    let options = Resource::new(|| (), |_| code_sign_in_state());
    let l = language();
    view! {
        <Title text=td_string!(l, sign_in.title) />
        <section class="card card-narrow">
            <h1>{td_string!(l, sign_in.title)}</h1>
            {query.with_untracked(|q| q.get("app")).filter(|slug| !slug.is_empty()).map(|slug| view! {
                <p class="new-here">
                    {td_string!(l, sign_in.new_to_the_portal)}" "
                    <a href=format!("/request/{}", rules::list_filter::url_encode(&slug))>{td_string!(l, sign_in.request_access_to_the_app)}</a>
                </p>
            })}
            <Show when=signed_out>
                <div class="alert alert-info" role="status">{td_string!(l, sign_in.signed_out)}</div>
            </Show>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let codes = options.await.map(|o| o.codes).unwrap_or(false);
                    codes.then(|| view! { <CodeRequest next=next() /> })
                })}
            </Suspense>
            <PasswordForm next=next() />
        </section>
    }
}

#[component]
fn CodeRequest(next: String) -> impl IntoView {
    let l = language();
    let action = ServerAction::<SendSignInCode>::new();
    let feedback = FormFeedback::of(action);
    view! {
        <h2 class="form-section">{td_string!(l, sign_in.with_code)}</h2>
        <p class="muted">{td_string!(l, sign_in.with_code_intro)}</p>
        <FormSummary feedback />
        <ActionForm action attr:id="code-form">
            <input type="hidden" name="next" value=next />
            <Field
                label=td_string!(l, sign_in.email_for_code)
                name="code_email"
                kind="email"
                autocomplete="email"
                required=true
                maxlength=254
                error=feedback.field("code_email")
                value=feedback.typed("code_email")
                check=check_email
            />
            <div class="form-actions">
                <SubmitButton label=td_string!(l, sign_in.send_code) busy_label=td_string!(l, sign_in.sending_code) pending=action.pending() />
            </div>
        </ActionForm>
        <h2 class="form-section section-break">{td_string!(l, sign_in.with_password)}</h2>
    }
}

#[component]
fn PasswordForm(next: String) -> impl IntoView {
    let l = language();
    let action = ServerAction::<SignIn>::new();
    let feedback = FormFeedback::of(action);
    view! {
        <FormSummary feedback />
        <ActionForm action attr:id="password-form">
            <input type="hidden" name="next" value=next />
            <Field
                label=td_string!(l, sign_in.email)
                name="email"
                kind="email"
                autocomplete="email"
                required=true
                maxlength=254
                error=feedback.field("email")
                value=feedback.typed("email")
                check=check_email
            />
            <Field
                label=td_string!(l, sign_in.password)
                name="password"
                kind="password"
                autocomplete="current-password"
                required=true
                error=feedback.field("password")
            />
            <div class="form-actions">
                <SubmitButton label=td_string!(l, sign_in.submit) busy_label=td_string!(l, sign_in.busy) pending=action.pending() />
            </div>
        </ActionForm>
    }
}
