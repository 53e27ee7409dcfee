use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::codes::{code_sign_in_state, SignInWithCode};
use crate::components::form::{Field, FormFeedback, FormSummary, SubmitButton};
use crate::components::language::language;
use leptos_i18n::td_string;
use rules::accounts::one_time_code::check_code;

/// Typing the code sent by email. The page says the same for every address: whether a code
/// went out is for the mailbox's owner to see.
#[component]
pub fn SignInCodePage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next")).unwrap_or_default();
    let state = Resource::new(|| (), |_| code_sign_in_state());
    let l = language();
    view! {
        <Title text=td_string!(l, sign_in.code_title) />
        <section class="card card-narrow">
            <h1>{td_string!(l, sign_in.code_title)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match state.await.ok().and_then(|s| s.sent_to) {
                        Some(email) => view! { <CodeForm email next=next() /> }.into_any(),
                        None => view! {
                            <p>{td_string!(l, sign_in.no_code_asked)}</p>
                            <p><a href="/sign-in">{td_string!(l, sign_in.ask_for_code)}</a></p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn CodeForm(email: String, next: String) -> impl IntoView {
    let l = language();
    let action = ServerAction::<SignInWithCode>::new();
    let feedback = FormFeedback::of(action);
    view! {
        <p>{td_string!(l, sign_in.code_sent_if, email).to_string()}</p>
        <FormSummary feedback />
        <ActionForm action>
            <input type="hidden" name="next" value=next />
            <Field
                label=td_string!(l, sign_in.code)
                name="code"
                autocomplete="one-time-code"
                inputmode="numeric"
                required=true
                maxlength=12
                hint=td_string!(l, sign_in.code_hint)
                error=feedback.field("code")
                check=check_code
            />
            <div class="form-actions">
                <SubmitButton label=td_string!(l, sign_in.submit) busy_label=td_string!(l, sign_in.busy) pending=action.pending() />
            </div>
        </ActionForm>
        <p class="muted form-note">{td_string!(l, sign_in.no_code_came)}" "<a href="/sign-in">{td_string!(l, sign_in.ask_again_or_password)}</a></p>
    }
}
