use crate::components::language::language;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use locales::Locale;

use crate::api::administration::policy::{get_policy_editor, PolicyEditor, SavePolicy};
use crate::components::form::{
    CheckboxField, Field, FormFeedback, FormSummary, RadioGroup, SelectField, SubmitButton, TextAreaField,
};
use crate::components::problem::Problem;
use crate::components::translations::TranslatedFields;
use crate::pages::number_param;
use rules::administration::policy_form::PolicyForm;
use rules::requests::policy::{MAX_INVITATION_LIFETIME_HOURS, MAX_QUESTIONS, MAX_STAGES};

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect()
}

/// Admin: the portal's default policy.
#[component]
pub fn DefaultPolicyPage() -> impl IntoView {
    let l = language();
    let query = use_query_map();
    let editor = Resource::new(move || query.get(), |_| get_policy_editor(None));
    let saved = move || query.with(|q| q.get("saved").is_some());
    view! {
        <Title text=td_string!(l, admin_catalogue.default_policy_2) />
        <Show when=saved>
            <div class="alert alert-success" role="status">{td_string!(l, admin_catalogue.the_default_policy_is_saved)}</div>
        </Show>
        <PolicyLoader editor />
    }
}

/// Admin: one resource's own policy.
#[component]
pub fn ResourcePolicyPage() -> impl IntoView {
    let l = language();
    let id = number_param("id");
    let editor = Resource::new(id, |id| get_policy_editor(Some(id)));
    view! {
        <Title text=td_string!(l, admin_catalogue.resource_policy) />
        <PolicyLoader editor />
    }
}

#[component]
fn PolicyLoader(editor: Resource<Result<PolicyEditor, rules::error::AppError>>) -> impl IntoView {
    let l = language();
    view! {
        <Suspense fallback=move || view! { <p>{td_string!(l, admin_catalogue.loading)}</p> }>
            {move || Suspend::new(async move {
                match editor.await {
                    Ok(editor) => view! { <PolicyEditorForm editor /> }.into_any(),
                    Err(error) => view! { <Problem error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The policy form's two ways of reading a field: its error, and what to show in it (what the
/// admin typed last, else the stored value).
#[derive(Clone, Copy)]
struct Fields {
    feedback: FormFeedback,
}

impl Fields {
    fn error(self, name: &str) -> Signal<Option<String>> {
        self.feedback.field(name.to_string())
    }

    fn value(self, name: &str, initial: &str) -> Signal<String> {
        self.feedback
            .typed_or(format!("form[{name}]"), initial.to_string())
    }
}

#[component]
fn PolicyEditorForm(editor: PolicyEditor) -> impl IntoView {
    let l = language();
    let action = ServerAction::<SavePolicy>::new();
    let feedback = FormFeedback::of(action);
    let f = Fields { feedback };
    let form: PolicyForm = editor.form.clone();
    let (title, intro) = heading(l, &editor);
    let back = match &editor.resource {
        Some((id, name)) => view! { <a href=format!("/admin/resources/{id}")>{name.clone()}</a> }.into_any(),
        None => {
            view! { <a href="/admin/resources">{td_string!(l, admin_catalogue.resources)}</a> }.into_any()
        }
    };
    let staff: Vec<String> = editor.staff.iter().map(|(e, _)| e.clone()).collect();
    let staff_hint = td_string!(
        l,
        admin_catalogue.staff_who_can_be_named,
        names = if staff.is_empty() {
            td_string!(l, admin_catalogue.none_yet).to_string()
        } else {
            staff.join(", ")
        }
    )
    .to_string();
    view! {
        <section class="card card-medium">
            <p class="eyebrow">{back}</p>
            <h1>{title}</h1>
            <p class="muted">{intro}</p>
            <FormSummary feedback />
            <ActionForm action>
                {editor.resource.as_ref().map(|(id, _)| view! { <input type="hidden" name="resource_id" value=*id /> })}
                <WhoMayAsk form=form.clone() f />
                <WhoApproves form=form.clone() f staff_hint />
                <TimeLimits form=form.clone() f />
                <Questions form=form.clone() f languages=editor.other_languages.clone() />
                <Terms form f languages=editor.other_languages.clone() />
                <div class="form-actions">
                    <SubmitButton label=td_string!(l, admin_catalogue.save_policy) busy_label=td_string!(l, admin_catalogue.saving) pending=action.pending() />
                </div>
            </ActionForm>
        </section>
    }
}

/// The form's title and the sentence under it: the default policy, a resource that follows it,
/// or a resource with its own.
fn heading(l: Locale, editor: &PolicyEditor) -> (String, String) {
    match &editor.resource {
        None => (
            td_string!(l, admin_catalogue.default_policy_2).to_string(),
            td_string!(l, admin_catalogue.every_resource_follows_these_rules).to_string(),
        ),
        Some((_, name)) if editor.uses_default => (
            td_string!(l, admin_catalogue.policy_of, name).to_string(),
            td_string!(l, admin_catalogue.it_follows_the_default_policy).to_string(),
        ),
        Some((_, name)) => (
            td_string!(l, admin_catalogue.policy_of, name).to_string(),
            td_string!(l, admin_catalogue.these_rules_apply_to_this).to_string(),
        ),
    }
}

/// Who may ask: the domains allowed, denied and approved at once, and free mail.
#[component]
fn WhoMayAsk(form: PolicyForm, f: Fields) -> impl IntoView {
    let l = language();
    view! {
        <h2>{td_string!(l, admin_catalogue.who_may_ask)}</h2>
        <RadioGroup legend=td_string!(l, admin_catalogue.who_may_request_access) name="form[who_may_request]"
            options=pairs(&[("anyone", td_string!(l, admin_catalogue.anyone_with_an_email_address)), ("allowed", td_string!(l, admin_catalogue.only_addresses_at_the_allowed))])
            selected=f.value("who_may_request", &form.who_may_request) error=f.error("who_may_request") />
        <TextAreaField label=td_string!(l, admin_catalogue.allowed_domains) name="form[allowed_domains]" rows=3
            hint=td_string!(l, admin_catalogue.one_per_line_a_domain)
            error=f.error("allowed_domains") value=f.value("allowed_domains", &form.allowed_domains) />
        <TextAreaField label=td_string!(l, admin_catalogue.denied_domains) name="form[denied_domains]" rows=3
            hint=td_string!(l, admin_catalogue.always_refused_whatever_else_is)
            error=f.error("denied_domains") value=f.value("denied_domains", &form.denied_domains) />
        <TextAreaField label=td_string!(l, admin_catalogue.auto_approve_domains) name="form[auto_approve_domains]" rows=3
            hint=td_string!(l, admin_catalogue.requests_from_these_domains_skip)
            error=f.error("auto_approve_domains") value=f.value("auto_approve_domains", &form.auto_approve_domains) />
        <CheckboxField label=td_string!(l, admin_catalogue.refuse_free_mail_addresses_gmail)
            name="form[block_free_mail]" checked=Signal::derive({ let on = form.block_free_mail.is_some(); move || on }) />
        <CheckboxField label=td_string!(l, admin_catalogue.require_second_factor)
            name="form[require_mfa]" checked=Signal::derive({ let on = form.require_mfa.is_some(); move || on }) />
        <p class="field-hint">{td_string!(l, admin_catalogue.require_second_factor_hint)}</p>
    }
}

/// Who approves: how many stages, and who decides at each.
#[component]
fn WhoApproves(form: PolicyForm, f: Fields, staff_hint: String) -> impl IntoView {
    let l = language();
    view! {
        <h2>{td_string!(l, admin_catalogue.who_approves)}</h2>
        <SelectField label=td_string!(l, admin_catalogue.approval_stages) name="form[stage_count]"
            options=pairs(&[("1", td_string!(l, admin_catalogue.stages_1)), ("2", td_string!(l, admin_catalogue.stages_2)), ("3", td_string!(l, admin_catalogue.stages_3))])
            selected=f.value("stage_count", &form.stage_count) error=f.error("stage_count")
            hint=td_string!(l, admin_catalogue.each_stage_must_approve_before) />
        {(0..MAX_STAGES).map(|i| {
            let stage = form.stages.get(i).cloned().unwrap_or_default();
            let n = i + 1;
            view! {
                <fieldset class="stage">
                    <legend>{td_string!(l, admin_catalogue.stage_n, n).to_string()}</legend>
                    <SelectField label=td_string!(l, admin_catalogue.approvers) name=format!("form[stages][{i}][approvers]")
                        options=pairs(&[("owners", td_string!(l, admin_catalogue.the_resource_s_owners)), ("named", td_string!(l, admin_catalogue.named_staff))])
                        selected=f.value(&format!("stages][{i}][approvers"), &stage.approvers) />
                    <Field label=td_string!(l, admin_catalogue.named_staff_emails) name=format!("form[stages][{i}][accounts]")
                        hint=staff_hint.clone()
                        error=f.error(&format!("stage{n}_accounts")) value=f.value(&format!("stages][{i}][accounts"), &stage.accounts) />
                    <SelectField label=td_string!(l, admin_catalogue.rule) name=format!("form[stages][{i}][rule]")
                        options=pairs(&[("any", td_string!(l, admin_catalogue.any_one_of_them_decides)), ("all", td_string!(l, admin_catalogue.all_of_them_must_approve))])
                        selected=f.value(&format!("stages][{i}][rule"), &stage.rule) />
                </fieldset>
            }
        }).collect_view()}
    }
}

/// How long a request waits, an invitation works and access lasts.
#[component]
fn TimeLimits(form: PolicyForm, f: Fields) -> impl IntoView {
    let l = language();
    view! {
        <h2>{td_string!(l, admin_catalogue.time_limits)}</h2>
        <Field label=td_string!(l, admin_catalogue.decision_timeout_days) name="form[decision_timeout_days]" kind="number"
            hint=td_string!(l, admin_catalogue.requests_nobody_decides_in_this)
            error=f.error("decision_timeout_days") value=f.value("decision_timeout_days", &form.decision_timeout_days) />
        <Field label=td_string!(l, admin_catalogue.invitation_lifetime_hours) name="form[invitation_lifetime_hours]" kind="number"
            hint=td_string!(l, admin_catalogue.invitation_lifetime_hint, max = MAX_INVITATION_LIFETIME_HOURS).to_string()
            error=f.error("invitation_lifetime_hours") value=f.value("invitation_lifetime_hours", &form.invitation_lifetime_hours) />
        <RadioGroup legend=td_string!(l, admin_catalogue.access_lasts) name="form[access_duration]"
            options=pairs(&[("never", td_string!(l, admin_catalogue.until_someone_ends_it)), ("days", td_string!(l, admin_catalogue.a_number_of_days_after)), ("until", td_string!(l, admin_catalogue.until_a_date))])
            selected=f.value("access_duration", &form.access_duration) />
        <Field label=td_string!(l, admin_catalogue.days_of_access) name="form[access_days]" kind="number"
            error=f.error("access_days") value=f.value("access_days", &form.access_days) />
        <Field label=td_string!(l, admin_catalogue.access_ends_on) name="form[access_until]" kind="date"
            error=f.error("access_until") value=f.value("access_until", &form.access_until) />
    }
}

/// The questions a partner answers when asking.
#[component]
fn Questions(form: PolicyForm, f: Fields, languages: Vec<String>) -> impl IntoView {
    let l = language();
    view! {
        <h2>{td_string!(l, admin_catalogue.questions_on_the_request_form)}</h2>
        <p class="muted">{td_string!(l, admin_catalogue.up_to_questions, max = MAX_QUESTIONS).to_string()}</p>
        {(0..MAX_QUESTIONS).map(|i| {
            let q = form.questions.get(i).cloned().unwrap_or_default();
            let n = i + 1;
            let required = q.required.is_some();
            view! {
                <fieldset class="stage">
                    <legend>{td_string!(l, admin_catalogue.question_n, n).to_string()}</legend>
                    <Field label=td_string!(l, admin_catalogue.label) name=format!("form[questions][{i}][label]") maxlength=200
                        error=f.error(&format!("q{n}_label")) value=f.value(&format!("questions][{i}][label"), &q.label) />
                    <TranslatedFields label=td_string!(l, admin_catalogue.label) name=format!("form[questions][{i}][label_translations]")
                        field=format!("q{n}_label") languages=languages.clone() values=q.label_translations.clone() feedback=f.feedback />
                    <SelectField label=td_string!(l, admin_catalogue.answer) name=format!("form[questions][{i}][kind]")
                        options=pairs(&[("short", td_string!(l, admin_catalogue.short_text)), ("long", td_string!(l, admin_catalogue.long_text)), ("choice", td_string!(l, admin_catalogue.one_of_a_list))])
                        selected=f.value(&format!("questions][{i}][kind"), &q.kind) />
                    <Field label=td_string!(l, admin_catalogue.longest_answer_characters) name=format!("form[questions][{i}][max_length]") kind="number"
                        error=f.error(&format!("q{n}_max_length")) value=f.value(&format!("questions][{i}][max_length"), &q.max_length) />
                    <TextAreaField label=td_string!(l, admin_catalogue.choices_one_per_line_for) name=format!("form[questions][{i}][choices]") rows=3
                        error=f.error(&format!("q{n}_choices")) value=f.value(&format!("questions][{i}][choices"), &q.choices) />
                    <TranslatedFields label=td_string!(l, admin_catalogue.choices_in_the_same_order) name=format!("form[questions][{i}][choice_translations]")
                        field=format!("q{n}_choices") languages=languages.clone() values=q.choice_translations.clone() feedback=f.feedback rows=3 maxlength=5000 />
                    <CheckboxField label=td_string!(l, admin_catalogue.required) name=format!("form[questions][{i}][required]") checked=Signal::derive(move || required) />
                </fieldset>
            }
        }).collect_view()}
    }
}

/// The terms of use a partner accepts.
#[component]
fn Terms(form: PolicyForm, f: Fields, languages: Vec<String>) -> impl IntoView {
    let l = language();
    view! {
        <h2>{td_string!(l, admin_catalogue.terms_of_use)}</h2>
        <TextAreaField label=td_string!(l, admin_catalogue.terms_partners_must_accept) name="form[terms_text]" rows=6 maxlength=20000
            hint=td_string!(l, admin_catalogue.leave_empty_for_none_changing)
            error=f.error("terms_text") value=f.value("terms_text", &form.terms_text) />
        <TranslatedFields label=td_string!(l, admin_catalogue.terms_partners_must_accept) name="form[terms_translations]"
            field="terms_text" languages values=form.terms_translations feedback=f.feedback rows=6 />
    }
}
