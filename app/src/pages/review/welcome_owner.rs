use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::accounts::welcome::{password_link, SetPassword};
use crate::components::form::{Field, FormFeedback, FormSummary, SubmitButton};
use crate::components::problem::Problem;
use rules::validation::{check_password_length, PASSWORD_RECOMMENDED_CHARS};

/// A new owner chooses a password through the link in their welcome email.
#[component]
pub fn WelcomeOwnerPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::api::session::send_no_referrer();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token")).unwrap_or_default();
    let link = Resource::new(token, password_link);
    view! {
        <Title text="Set your password" />
        <section class="card card-narrow">
            <Suspense fallback=|| view! { <p>"Checking the link…"</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Ok(Some(email)) => view! { <PasswordForm email token=token() /> }.into_any(),
                        Ok(None) => view! {
                            <h1>"This link does not work"</h1>
                            <p>"It was used already or has expired (links work for 7 days). Ask an admin of the portal for a new one."</p>
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
    let action = ServerAction::<SetPassword>::new();
    let feedback = FormFeedback::of(action);
    view! {
        <h1>"Set your password"</h1>
        <p>{format!("For {email}. Then you can sign in to review requests.")}</p>
        <FormSummary feedback />
        <ActionForm action>
            <input type="hidden" name="token" value=token />
            <Field label="Password" name="password" kind="password" autocomplete="new-password" required=true
                hint=format!("At least 8 characters; {PASSWORD_RECOMMENDED_CHARS} or more is better.")
                error=feedback.field("password") check=check_password_length />
            <Field label="Repeat the password" name="password_confirm" kind="password" autocomplete="new-password" required=true
                error=feedback.field("password_confirm") />
            <div class="form-actions">
                <SubmitButton label="Set password" busy_label="Saving…" pending=action.pending() />
            </div>
        </ActionForm>
    }
}
