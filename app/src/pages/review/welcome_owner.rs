use crate::components::language::language;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::accounts::welcome::{password_link, SetPassword};
use crate::components::form::{Field, FormFeedback, FormSummary, SubmitButton};
use crate::components::problem::Problem;
use rules::validation::{check_password_length, PASSWORD_RECOMMENDED_CHARS};

/// A new owner chooses a password through the link in their welcome email.
#[component]
pub fn WelcomeOwnerPage() -> impl IntoView {
    let l = language();
    #[cfg(feature = "ssr")]
    crate::api::session::send_no_referrer();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token")).unwrap_or_default();
    let link = Resource::new(token, password_link);
    view! {
        <Title text=td_string!(l, review.set_your_password) />
        <section class="card card-narrow">
            <Suspense fallback=move || view! { <p>{td_string!(l, review.checking_the_link)}</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Ok(Some(email)) => view! { <PasswordForm email token=token() /> }.into_any(),
                        Ok(None) => view! {
                            <h1>{td_string!(l, review.this_link_does_not_work)}</h1>
                            <p>{td_string!(l, review.it_was_used_already_or)}</p>
                        }.into_any(),
                        Err(error) => view! { <Problem error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn PasswordForm(email: String, token: String) -> impl IntoView {
    let l = language();
    let action = ServerAction::<SetPassword>::new();
    let feedback = FormFeedback::of(action);
    view! {
        <h1>{td_string!(l, review.set_your_password)}</h1>
        <p>{td_string!(l, review.set_password_for, email).to_string()}</p>
        <FormSummary feedback />
        <ActionForm action>
            <input type="hidden" name="token" value=token />
            <Field label=td_string!(l, review.password) name="password" kind="password" autocomplete="new-password" required=true
                hint=td_string!(l, review.password_hint, recommended = PASSWORD_RECOMMENDED_CHARS).to_string()
                error=feedback.field("password") check=check_password_length />
            <Field label=td_string!(l, review.repeat_the_password) name="password_confirm" kind="password" autocomplete="new-password" required=true
                error=feedback.field("password_confirm") />
            <div class="form-actions">
                <SubmitButton label=td_string!(l, review.set_password) busy_label=td_string!(l, review.saving) pending=action.pending() />
            </div>
        </ActionForm>
    }
}
