use crate::components::language::language;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::accounts::setup::{setup_link_status, CreateFirstAdmin};
use crate::components::form::{CheckboxField, Field, FormFeedback, FormSummary, SubmitButton};
use rules::validation::{check_display_name, check_email, check_password_length, PASSWORD_RECOMMENDED_CHARS};

/// The page behind the one-time link the server prints at its first start.
#[component]
pub fn SetupAdminPage() -> impl IntoView {
    let l = language();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token")).unwrap_or_default();
    let status = Resource::new(token, setup_link_status);
    view! {
        <Title text=td_string!(l, admin_system.create_the_first_admin) />
        <section class="card card-narrow">
            <Suspense fallback=move || view! { <p>{td_string!(l, admin_system.checking_the_setup_link)}</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(true) => view! { <SetupAdminForm token=token() /> }.into_any(),
                        Ok(false) => view! { <SetupLinkInvalid /> }.into_any(),
                        Err(error) => view! {
                            <h1>{td_string!(l, admin_system.create_the_first_admin)}</h1>
                            <div class="alert alert-error" role="alert">{crate::components::problem::error_text(l, &error)}</div>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SetupLinkInvalid() -> impl IntoView {
    let l = language();
    view! {
        <h1>{td_string!(l, admin_system.this_setup_link_does_not)}</h1>
        <p>
            td_string!(l, admin_system.it_was_used_already_or)
            td_string!(l, admin_system.while_no_admin_exists_every)
        </p>
        <p><a href="/sign-in">{td_string!(l, admin_system.sign_in)}</a>{td_string!(l, admin_system.if_the_admin_account_exists)}</p>
    }
}

#[component]
fn SetupAdminForm(token: String) -> impl IntoView {
    let l = language();
    let action = ServerAction::<CreateFirstAdmin>::new();
    let feedback = FormFeedback::of(action);
    view! {
        <h1>{td_string!(l, admin_system.create_the_first_admin)}</h1>
        <p class="lead">
            {td_string!(l, admin_system.this_account_can_configure_resources)}
        </p>
        <FormSummary feedback />
        <ActionForm action>
            <input type="hidden" name="token" value=token />
            <Field label=td_string!(l, admin_system.email) name="email" kind="email" autocomplete="email" required=true maxlength=254
                error=feedback.field("email") value=feedback.typed("email") check=check_email />
            <Field label=td_string!(l, admin_system.full_name) name="display_name" autocomplete="name" required=true maxlength=100
                error=feedback.field("display_name") value=feedback.typed("display_name") check=check_display_name />
            <Field label=td_string!(l, admin_system.password) name="password" kind="password" autocomplete="new-password" required=true
                hint=td_string!(l, admin_system.setup_password_hint, recommended = PASSWORD_RECOMMENDED_CHARS).to_string()
                error=feedback.field("password") check=check_password_length />
            <Field label=td_string!(l, admin_system.repeat_the_password) name="password_confirm" kind="password" autocomplete="new-password" required=true
                error=feedback.field("password_confirm") />
            <CheckboxField label=td_string!(l, admin_system.second_factor_for_admins_at_setup) name="second_factor_for_admins"
                checked=Signal::derive(|| true) />
            <p class="field-hint">{td_string!(l, admin_system.second_factor_at_setup_hint)}</p>
            <div class="form-actions">
                <SubmitButton label=td_string!(l, admin_system.create_admin_account) busy_label=td_string!(l, admin_system.creating) pending=action.pending() />
            </div>
        </ActionForm>
    }
}
