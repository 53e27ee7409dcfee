use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::requests::catalog::{request_form, RequestFormInfo, SubmitAccessRequest};
use crate::components::form::{
    CheckboxField, Field, FormFeedback, FormSummary, SelectField, SubmitButton, TextAreaField,
};
use crate::components::problem::Problem;
use rules::requests::policy::{CustomQuestion, QuestionKind};
use rules::validation::{check_display_name, check_email};

/// The access request form for one resource.
#[component]
pub fn RequestAccessPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("slug")).unwrap_or_default();
    let info = Resource::new(slug, request_form);
    view! {
        <Suspense fallback=|| view! { <p>"Loading the form…"</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(info) => view! { <RequestForm info /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RequestForm(info: RequestFormInfo) -> impl IntoView {
    let action = ServerAction::<SubmitAccessRequest>::new();
    let feedback = FormFeedback::of(action);
    let resource = info.resource;
    let title = format!("Request access to {}", resource.name);
    view! {
        <Title text=title.clone() />
        <section class="card card-medium">
            <p class="eyebrow">{resource.kind.label()}</p>
            <h1>{title}</h1>
            <p class="lead">{resource.description.clone()}</p>
            <FormSummary feedback />
            <ActionForm action>
                <input type="hidden" name="slug" value=resource.slug.clone() />
                <Field label="Work email" name="email" kind="email" autocomplete="email" required=true maxlength=254
                    hint="The invitation will go to this address."
                    error=feedback.field("email") value=feedback.typed("email") check=check_email />
                <Field label="Full name" name="display_name" autocomplete="name" required=true maxlength=100
                    error=feedback.field("display_name") value=feedback.typed("display_name") check=check_display_name />
                <Field label="Organisation" name="organisation" autocomplete="organization" required=true maxlength=200
                    error=feedback.field("organisation") value=feedback.typed("organisation") />
                <TextAreaField label="Why do you need access?" name="justification" required=true maxlength=2000
                    hint="The people who decide read this. 10 to 2,000 characters."
                    error=feedback.field("justification") value=feedback.typed("justification") />
                {info.questions.into_iter().map(|question| view! { <QuestionField question feedback /> }).collect_view()}
                {info.terms.map(|terms| {
                    let version = terms.version.to_string();
                    view! {
                        <div class="terms">
                            <h2>{format!("Terms of use (version {})", terms.version)}</h2>
                            <div class="terms-text" tabindex="0">{terms.text}</div>
                        </div>
                        <CheckboxField label="I have read and accept these terms of use" name="accept_terms" value=version
                            checked=Signal::derive(|| false) error=feedback.field("accept_terms") />
                    }
                })}
                <div class="form-actions">
                    <SubmitButton label="Send request" busy_label="Sending…" pending=action.pending() />
                    <a href="/">"Back to the catalog"</a>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn QuestionField(question: CustomQuestion, feedback: FormFeedback) -> impl IntoView {
    let name = format!("answers[{}]", question.id);
    let label = if question.required {
        question.label.clone()
    } else {
        format!("{} (optional)", question.label)
    };
    let error = feedback.field(name.clone());
    let typed = feedback.typed(name.clone());
    let max = question.max_length as usize;
    match question.kind {
        QuestionKind::ShortText => {
            view! { <Field label name error value=typed required=question.required maxlength=max /> }
                .into_any()
        }
        QuestionKind::LongText => {
            view! { <TextAreaField label name error value=typed required=question.required maxlength=max /> }
                .into_any()
        }
        QuestionKind::SingleChoice(choices) => {
            let mut options = vec![(String::new(), "Choose…".to_string())];
            options.extend(choices.into_iter().map(|c| (c.clone(), c)));
            view! { <SelectField label name options selected=typed error /> }.into_any()
        }
    }
}

/// After the request was sent: the same answer whatever the portal knew about the address.
#[component]
pub fn RequestSentPage() -> impl IntoView {
    let query = use_query_map();
    let invited = move || query.with(|q| q.get("outcome").as_deref() == Some("invited"));
    view! {
        <Title text="Request sent" />
        <section class="card card-narrow">
            <Show
                when=invited
                fallback=|| view! {
                    <h1>"Request received"</h1>
                    <p>"The people who decide have been told. We have emailed you a private link where you can follow your request, and we will email you again when it is decided."</p>
                    <p class="muted">"No email? Check your spam folder, and that the address was typed right."</p>
                }
            >
                <h1>"Check your email"</h1>
                <p>"Your organisation may use this without waiting for an approval: we have emailed you an invitation. Open it to get access."</p>
            </Show>
            <p><a href="/">"Back to the catalog"</a></p>
        </section>
    }
}
