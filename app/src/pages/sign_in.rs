use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::auth::SignIn;
use crate::components::form::{Field, FormFeedback, FormSummary, SubmitButton};
use rules::validation::check_email;

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let feedback = FormFeedback::of(action);
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next")).unwrap_or_default();
    let signed_out = move || query.with(|q| q.get("signed_out").is_some());
    view! {
        <Title text="Sign in" />
        <section class="card card-narrow">
            <h1>"Sign in"</h1>
            <Show when=signed_out>
                <div class="alert alert-info" role="status">"You are signed out."</div>
            </Show>
            <FormSummary feedback />
            <ActionForm action>
                <input type="hidden" name="next" value=next />
                <Field
                    label="Email"
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
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    error=feedback.field("password")
                />
                <div class="form-actions">
                    <SubmitButton label="Sign in" busy_label="Signing in…" pending=action.pending() />
                </div>
            </ActionForm>
        </section>
    }
}
