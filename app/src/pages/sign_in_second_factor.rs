use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};

use crate::api::mfa::passkeys::GivePasskey;
use crate::api::mfa::second_step::{second_step_state, GiveSecondFactor, SecondStep};
use crate::components::form::{Field, FormFeedback, FormSummary, SubmitButton};
use crate::components::language::language;
use crate::pages::account_passkeys::PasskeyAnswer;
use leptos_i18n::td_string;
use rules::list_filter::url_encode;
use rules::mfa::second_step::check_second_factor;
use rules::validation::safe_return_path;

/// The second step: a passkey, the code from an authenticator app or a recovery code, at sign-in
/// or when something asks for it later (step-up); adding a factor first for someone who has none.
#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.with(|q| q.get("next")).unwrap_or_default();
    let search = use_location().search;
    let state = Resource::new(move || search.get(), |_| second_step_state());
    let l = language();
    view! {
        <Title text=td_string!(l, sign_in.second_step_title) />
        <section class="card card-narrow">
            <h1>{td_string!(l, sign_in.second_step_title)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let onward = safe_return_path(&next()).unwrap_or("/").to_string();
                    match state.await.unwrap_or(SecondStep::Nothing) {
                        SecondStep::Code { passkey } => view! {
                            {passkey.then(|| view! { <PasskeyStepForm next=next() /> })}
                            <SecondFactorForm next=next() passkey />
                        }.into_any(),
                        SecondStep::Enrol => view! {
                            <p>{td_string!(l, sign_in.second_step_enrol_first)}</p>
                            <div class="form-actions">
                                <a class="button button-primary" href=format!("/account/authenticator?next={}", url_encode(&onward))>{td_string!(l, sign_in.second_step_add_app)}</a>
                                <a class="button button-secondary needs-passkeys" href=format!("/account/passkey?next={}", url_encode(&onward))>{td_string!(l, sign_in.second_step_add_passkey)}</a>
                            </div>
                        }.into_any(),
                        SecondStep::Given => view! {
                            <p>{td_string!(l, sign_in.second_step_given)}</p>
                            <p><a class="button" href=onward>{td_string!(l, sign_in.second_step_go_on)}</a></p>
                        }.into_any(),
                        SecondStep::Nothing => view! {
                            <p>{td_string!(l, sign_in.second_step_nothing_waiting)}</p>
                            <p><a href="/sign-in">{td_string!(l, sign_in.sign_in_again)}</a></p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Using a passkey: `public/passkeys.js` asks the browser for it and fills the hidden fields.
#[component]
fn PasskeyStepForm(next: String) -> impl IntoView {
    let l = language();
    let action = ServerAction::<GivePasskey>::new();
    let feedback = FormFeedback::of(action);
    view! {
        <div class="needs-passkeys passkey-choice">
            <FormSummary feedback />
            <ActionForm action attr:data-passkey="get" attr:data-passkey-options="/api/passkey_step_options">
                <PasskeyAnswer />
                <input type="hidden" name="next" value=next />
                <p class="alert alert-error" role="alert" data-passkey-problem hidden>{td_string!(l, sign_in.second_step_passkey_failed)}</p>
                <div class="form-actions">
                    <SubmitButton label=td_string!(l, sign_in.second_step_use_passkey) busy_label=td_string!(l, sign_in.busy) pending=action.pending() />
                </div>
            </ActionForm>
        </div>
    }
}

#[component]
fn SecondFactorForm(next: String, passkey: bool) -> impl IntoView {
    let l = language();
    let action = ServerAction::<GiveSecondFactor>::new();
    let feedback = FormFeedback::of(action);
    let intro = if passkey {
        view! { <p class="needs-passkeys">{td_string!(l, sign_in.second_step_or_code)}</p><p class="without-passkeys">{td_string!(l, sign_in.second_step_intro)}</p> }.into_any()
    } else {
        view! { <p>{td_string!(l, sign_in.second_step_intro)}</p> }.into_any()
    };
    view! {
        {intro}
        <FormSummary feedback />
        <ActionForm action>
            <input type="hidden" name="next" value=next />
            <Field
                label=td_string!(l, sign_in.second_step_code)
                name="code"
                autocomplete="one-time-code"
                required=true
                maxlength=20
                hint=td_string!(l, sign_in.second_step_hint)
                error=feedback.field("code")
                check=check_second_factor
            />
            <div class="form-actions">
                <SubmitButton label=td_string!(l, sign_in.submit) busy_label=td_string!(l, sign_in.busy) pending=action.pending() />
            </div>
        </ActionForm>
        <p class="muted form-note">{td_string!(l, sign_in.second_step_lost)}</p>
    }
}
