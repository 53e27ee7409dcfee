use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::auth::SignIn;
use crate::components::form::{Field, FormFeedback, FormSummary, SubmitButton};
use crate::components::language::language;
use leptos_i18n::td_string;
use rules::validation::check_email;

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let feedback = FormFeedback::of(action);
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next")).unwrap_or_default();
    let signed_out = move || query.with(|q| q.get("signed_out").is_some());
    let l = language();
    view! {
        <Title text=td_string!(l, sign_in.title) />
        <section class="card card-narrow">
            <h1>{td_string!(l, sign_in.title)}</h1>
            <Show when=signed_out>
                <div class="alert alert-info" role="status">{td_string!(l, sign_in.signed_out)}</div>
            </Show>
            <FormSummary feedback />
            <ActionForm action>
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
        </section>
    }
}
