//! Adding a passkey or security key: the person names it, and the browser makes it. The form is
//! a plain server-function form; `public/passkeys.js` runs the browser's part (it asks for the
//! options, calls `navigator.credentials.create`, and puts the answer in the hidden fields)
//! before the form goes. Without JavaScript, or in a browser without passkeys, the page says so.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::mfa::passkeys::AddPasskey;
use crate::components::form::{Field, FormFeedback, FormSummary, SubmitButton};
use crate::components::language::language;
use rules::mfa::passkey::{check_passkey_name, PASSKEY_NAME_MAX};
use rules::validation::safe_return_path;

#[component]
pub fn AddPasskeyPage() -> impl IntoView {
    let l = language();
    let next = use_query_map()
        .with_untracked(|q| q.get("next"))
        .unwrap_or_default();
    let cancel = safe_return_path(&next).map_or("/account".to_string(), |_| "/".to_string());
    let app_link = format!("/account/authenticator{}", query_next(&next));
    let action = ServerAction::<AddPasskey>::new();
    let feedback = FormFeedback::of(action);
    view! {
        <Title text=td_string!(l, partner.add_passkey_title) />
        <section class="card card-medium">
            <h1>{td_string!(l, partner.add_passkey_title)}</h1>
            <p>{td_string!(l, partner.passkey_intro)}</p>
            <p class="alert alert-info without-passkeys">{td_string!(l, partner.passkey_needs_script)}</p>
            <FormSummary feedback />
            <ActionForm action attr:class="needs-passkeys" attr:data-passkey="create" attr:data-passkey-options="/api/new_passkey_options">
                <PasskeyAnswer />
                <input type="hidden" name="next" value=next />
                <Field
                    label=td_string!(l, partner.passkey_name)
                    name="name"
                    required=true
                    maxlength=PASSKEY_NAME_MAX
                    hint=td_string!(l, partner.passkey_name_hint)
                    error=feedback.field("name")
                    check=check_passkey_name
                />
                <p class="alert alert-error" role="alert" data-passkey-problem hidden>{td_string!(l, partner.passkey_cancelled)}</p>
                <div class="form-actions">
                    <SubmitButton label=td_string!(l, partner.add_passkey_submit) busy_label=td_string!(l, partner.saving) pending=action.pending() />
                    <a href=cancel.clone()>{td_string!(l, partner.cancel)}</a>
                </div>
            </ActionForm>
            <p class="without-passkeys"><a class="button button-secondary" href=app_link>{td_string!(l, partner.add_authenticator)}</a></p>
        </section>
    }
}

/// The hidden fields `passkeys.js` fills with the challenge's id and the browser's answer.
#[component]
pub fn PasskeyAnswer() -> impl IntoView {
    view! {
        <input type="hidden" name="challenge" value="" />
        <input type="hidden" name="credential" value="" />
    }
}

fn query_next(next: &str) -> String {
    safe_return_path(next)
        .map(|n| format!("?next={}", rules::list_filter::url_encode(n)))
        .unwrap_or_default()
}
