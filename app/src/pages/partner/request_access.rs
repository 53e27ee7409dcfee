//! The access request form for one resource. Drawn without the router (`crate::plain_page`);
//! anonymous visitors get it kept rendered (server/src/page_cache.rs).

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::api::requests::catalog::{request_form, RequestFormInfo, SubmitAccessRequest};
use crate::components::form::{
    CheckboxField, Field, FormFeedback, FormSummary, SelectField, SubmitButton, TextAreaField,
};
use crate::components::language::language;
use crate::components::problem::Problem;
use crate::plain_page::{path_parameter, Drawn};
use leptos_i18n::td_string;
use rules::requests::policy::{CustomQuestion, QuestionKind};
use rules::validation::{check_display_name, check_email};

/// The form for the resource the address names (`/request/{slug}`), with the errors of a form
/// posted without JavaScript next to their fields.
pub async fn request_form_page() -> Drawn {
    let l = language();
    let slug = path_parameter().await;
    match request_form(slug).await {
        Ok(info) => Drawn {
            title: td_string!(l, partner.request_title, name = &info.resource.name).to_string(),
            body: view! { <RequestForm info /> }.into_any(),
        },
        Err(error) => Drawn {
            title: String::new(),
            body: view! { <Problem error /> }.into_any(),
        },
    }
}

#[component]
fn RequestForm(info: RequestFormInfo) -> impl IntoView {
    let action = ServerAction::<SubmitAccessRequest>::new();
    let feedback = FormFeedback::of(action);
    let resource = info.resource;
    let l = language();
    let title = td_string!(l, partner.request_title, name = &resource.name).to_string();
    view! {
        <section class="card card-medium">
            <p class="eyebrow">{super::kind_name(l, resource.kind)}</p>
            <h1>{title}</h1>
            <p class="lead">{resource.description.clone()}</p>
            <FormSummary feedback />
            <ActionForm action>
                <input type="hidden" name="slug" value=resource.slug.clone() />
                <Field label=td_string!(l, partner.work_email) name="email" kind="email" autocomplete="email" required=true maxlength=254
                    hint=td_string!(l, partner.work_email_hint)
                    error=feedback.field("email") value=feedback.typed("email") check=check_email />
                <Field label=td_string!(l, partner.full_name) name="display_name" autocomplete="name" required=true maxlength=100
                    error=feedback.field("display_name") value=feedback.typed("display_name") check=check_display_name />
                <Field label=td_string!(l, partner.organisation) name="organisation" autocomplete="organization" required=true maxlength=200
                    error=feedback.field("organisation") value=feedback.typed("organisation") />
                <TextAreaField label=td_string!(l, partner.why) name="justification" required=true maxlength=2000
                    hint=td_string!(l, partner.why_hint)
                    error=feedback.field("justification") value=feedback.typed("justification") />
                {info.questions.into_iter().map(|question| view! { <QuestionField question feedback /> }).collect_view()}
                {info.terms.map(|terms| {
                    let version = terms.version.to_string();
                    view! {
                        <div class="terms">
                            <h2>{td_string!(l, partner.terms_heading, version = terms.version).to_string()}</h2>
                            <div class="terms-text" tabindex="0">{terms.text_in(locales::tag(l)).to_string()}</div>
                        </div>
                        <CheckboxField label=td_string!(l, partner.accept_terms) name="accept_terms" value=version
                            checked=Signal::derive(|| false) error=feedback.field("accept_terms") />
                    }
                })}
                <div class="form-actions">
                    <SubmitButton label=td_string!(l, partner.send_request) busy_label=td_string!(l, partner.sending)
                        pending=action.pending() />
                    <a href="/">{td_string!(l, partner.back_to_catalog)}</a>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn QuestionField(question: CustomQuestion, feedback: FormFeedback) -> impl IntoView {
    let l = language();
    let name = format!("answers[{}]", question.id);
    let label = question.label_in(locales::tag(l)).to_string();
    let label = if question.required {
        label
    } else {
        td_string!(l, partner.optional, label = &label).to_string()
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
        QuestionKind::SingleChoice(_) => {
            let mut options = vec![(String::new(), td_string!(l, partner.choose).to_string())];
            options.extend(question.choices_in(locales::tag(l)));
            view! { <SelectField label name options selected=typed error /> }.into_any()
        }
    }
}
