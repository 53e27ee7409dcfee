use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::accounts::setup::{setup_link_status, CreateFirstAdmin};
use crate::components::form::{Field, FormFeedback, FormSummary, SubmitButton};
use rules::validation::{check_display_name, check_email, check_password_length, PASSWORD_RECOMMENDED_CHARS};

/// The page behind the one-time link the server prints at its first start.
#[component]
pub fn SetupAdminPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token")).unwrap_or_default();
    let status = Resource::new(token, setup_link_status);
    view! {
        <Title text="Create the first admin" />
        <section class="card card-narrow">
            <Suspense fallback=|| view! { <p>"Checking the setup link…"</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(true) => view! { <SetupAdminForm token=token() /> }.into_any(),
                        Ok(false) => view! { <SetupLinkInvalid /> }.into_any(),
                        Err(error) => view! {
                            <h1>"Create the first admin"</h1>
                            <div class="alert alert-error" role="alert">{error.to_string()}</div>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn SetupLinkInvalid() -> impl IntoView {
    view! {
        <h1>"This setup link does not work"</h1>
        <p>
            "It was used already, or the server has restarted since it was printed. "
            "While no admin exists, every start of the server prints a fresh link in its log; use the newest one."
        </p>
        <p><a href="/sign-in">"Sign in"</a>" if the admin account exists already."</p>
    }
}

#[component]
fn SetupAdminForm(token: String) -> impl IntoView {
    let action = ServerAction::<CreateFirstAdmin>::new();
    let feedback = FormFeedback::of(action);
    view! {
        <h1>"Create the first admin"</h1>
        <p class="lead">
            "This account can configure resources, owners and policies. The link stops working once it is created."
        </p>
        <FormSummary feedback />
        <ActionForm action>
            <input type="hidden" name="token" value=token />
            <Field label="Email" name="email" kind="email" autocomplete="email" required=true maxlength=254
                error=feedback.field("email") value=feedback.typed("email") check=check_email />
            <Field label="Full name" name="display_name" autocomplete="name" required=true maxlength=100
                error=feedback.field("display_name") value=feedback.typed("display_name") check=check_display_name />
            <Field label="Password" name="password" kind="password" autocomplete="new-password" required=true
                hint=format!("At least 8 characters; {PASSWORD_RECOMMENDED_CHARS} or more is better. A passphrase of a few words works well.")
                error=feedback.field("password") check=check_password_length />
            <Field label="Repeat the password" name="password_confirm" kind="password" autocomplete="new-password" required=true
                error=feedback.field("password_confirm") />
            <div class="form-actions">
                <SubmitButton label="Create admin account" busy_label="Creating…" pending=action.pending() />
            </div>
        </ActionForm>
    }
}
