use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::administration::policy::{get_policy_editor, PolicyEditor, SavePolicy};
use crate::components::form::{
    CheckboxField, Field, FormFeedback, FormSummary, RadioGroup, SelectField, SubmitButton, TextAreaField,
};
use crate::components::problem::Problem;
use crate::pages::number_param;
use rules::administration::policy_form::PolicyForm;
use rules::requests::policy::{MAX_INVITATION_LIFETIME_HOURS, MAX_QUESTIONS, MAX_STAGES};

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect()
}

/// Admin: the portal's default policy.
#[component]
pub fn DefaultPolicyPage() -> impl IntoView {
    let query = use_query_map();
    let editor = Resource::new(move || query.get(), |_| get_policy_editor(None));
    let saved = move || query.with(|q| q.get("saved").is_some());
    view! {
        <Title text="Default policy" />
        <Show when=saved>
            <div class="alert alert-success" role="status">"The default policy is saved. Requests already waiting keep the policy they arrived under."</div>
        </Show>
        <PolicyLoader editor />
    }
}

/// Admin: one resource's own policy.
#[component]
pub fn ResourcePolicyPage() -> impl IntoView {
    let id = number_param("id");
    let editor = Resource::new(id, |id| get_policy_editor(Some(id)));
    view! {
        <Title text="Resource policy" />
        <PolicyLoader editor />
    }
}

#[component]
fn PolicyLoader(editor: Resource<Result<PolicyEditor, rules::error::AppError>>) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
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
    let action = ServerAction::<SavePolicy>::new();
    let feedback = FormFeedback::of(action);
    let f = Fields { feedback };
    let form: PolicyForm = editor.form.clone();
    let (title, intro) = heading(&editor);
    let back = match &editor.resource {
        Some((id, name)) => view! { <a href=format!("/admin/resources/{id}")>{name.clone()}</a> }.into_any(),
        None => view! { <a href="/admin/resources">"Resources"</a> }.into_any(),
    };
    let staff: Vec<String> = editor.staff.iter().map(|(e, _)| e.clone()).collect();
    let staff_hint = format!(
        "Staff who can be named: {}.",
        if staff.is_empty() {
            "none yet".to_string()
        } else {
            staff.join(", ")
        }
    );
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
                <Questions form=form.clone() f />
                <Terms form f />
                <div class="form-actions">
                    <SubmitButton label="Save policy" busy_label="Saving…" pending=action.pending() />
                </div>
            </ActionForm>
        </section>
    }
}

/// The form's title and the sentence under it: the default policy, a resource that follows it,
/// or a resource with its own.
fn heading(editor: &PolicyEditor) -> (String, String) {
    match &editor.resource {
        None => ("Default policy".to_string(), "Every resource follows these rules unless it has its own policy.".to_string()),
        Some((_, name)) if editor.uses_default => (
            format!("Policy of {name}"),
            "It follows the default policy now; saving this form gives it its own, starting from the default shown here.".to_string(),
        ),
        Some((_, name)) => (format!("Policy of {name}"), "These rules apply to this resource only.".to_string()),
    }
}

/// Who may ask: the domains allowed, denied and approved at once, and free mail.
#[component]
fn WhoMayAsk(form: PolicyForm, f: Fields) -> impl IntoView {
    view! {
        <h2>"Who may ask"</h2>
        <RadioGroup legend="Who may request access" name="form[who_may_request]"
            options=pairs(&[("anyone", "Anyone with an email address"), ("allowed", "Only addresses at the allowed domains")])
            selected=f.value("who_may_request", &form.who_may_request) error=f.error("who_may_request") />
        <TextAreaField label="Allowed domains" name="form[allowed_domains]" rows=3
            hint="One per line. A domain includes its subdomains: example.com also allows eu.example.com."
            error=f.error("allowed_domains") value=f.value("allowed_domains", &form.allowed_domains) />
        <TextAreaField label="Denied domains" name="form[denied_domains]" rows=3
            hint="Always refused, whatever else is set (subdomains included)."
            error=f.error("denied_domains") value=f.value("denied_domains", &form.denied_domains) />
        <TextAreaField label="Auto-approve domains" name="form[auto_approve_domains]" rows=3
            hint="Requests from these domains skip the approvers and get an invitation at once (if they are allowed at all)."
            error=f.error("auto_approve_domains") value=f.value("auto_approve_domains", &form.auto_approve_domains) />
        <CheckboxField label="Refuse free-mail addresses (Gmail, Outlook.com, Yahoo and the like) unless their domain is allowed above"
            name="form[block_free_mail]" checked=Signal::derive({ let on = form.block_free_mail.is_some(); move || on }) />
    }
}

/// Who approves: how many stages, and who decides at each.
#[component]
fn WhoApproves(form: PolicyForm, f: Fields, staff_hint: String) -> impl IntoView {
    view! {
        <h2>"Who approves"</h2>
        <SelectField label="Approval stages" name="form[stage_count]"
            options=pairs(&[("1", "1 stage"), ("2", "2 stages"), ("3", "3 stages")])
            selected=f.value("stage_count", &form.stage_count) error=f.error("stage_count")
            hint="Each stage must approve before the next is asked; the last approval sends the invitation." />
        {(0..MAX_STAGES).map(|i| {
            let stage = form.stages.get(i).cloned().unwrap_or_default();
            let n = i + 1;
            view! {
                <fieldset class="stage">
                    <legend>{format!("Stage {n}")}</legend>
                    <SelectField label="Approvers" name=format!("form[stages][{i}][approvers]")
                        options=pairs(&[("owners", "The resource's owners"), ("named", "Named staff")])
                        selected=f.value(&format!("stages][{i}][approvers"), &stage.approvers) />
                    <Field label="Named staff (emails)" name=format!("form[stages][{i}][accounts]")
                        hint=staff_hint.clone()
                        error=f.error(&format!("stage{n}_accounts")) value=f.value(&format!("stages][{i}][accounts"), &stage.accounts) />
                    <SelectField label="Rule" name=format!("form[stages][{i}][rule]")
                        options=pairs(&[("any", "Any one of them decides"), ("all", "All of them must approve")])
                        selected=f.value(&format!("stages][{i}][rule"), &stage.rule) />
                </fieldset>
            }
        }).collect_view()}
    }
}

/// How long a request waits, an invitation works and access lasts.
#[component]
fn TimeLimits(form: PolicyForm, f: Fields) -> impl IntoView {
    view! {
        <h2>"Time limits"</h2>
        <Field label="Decision timeout (days)" name="form[decision_timeout_days]" kind="number"
            hint="Requests nobody decides in this time are denied automatically. 1 to 90."
            error=f.error("decision_timeout_days") value=f.value("decision_timeout_days", &form.decision_timeout_days) />
        <Field label="Invitation lifetime (hours)" name="form[invitation_lifetime_hours]" kind="number"
            hint=format!("How long an invitation link works: 1 to {MAX_INVITATION_LIFETIME_HOURS} hours (168 is a week).")
            error=f.error("invitation_lifetime_hours") value=f.value("invitation_lifetime_hours", &form.invitation_lifetime_hours) />
        <RadioGroup legend="Access lasts" name="form[access_duration]"
            options=pairs(&[("never", "Until someone ends it"), ("days", "A number of days after acceptance"), ("until", "Until a date")])
            selected=f.value("access_duration", &form.access_duration) />
        <Field label="Days of access" name="form[access_days]" kind="number"
            error=f.error("access_days") value=f.value("access_days", &form.access_days) />
        <Field label="Access ends on" name="form[access_until]" kind="date"
            error=f.error("access_until") value=f.value("access_until", &form.access_until) />
    }
}

/// The questions a partner answers when asking.
#[component]
fn Questions(form: PolicyForm, f: Fields) -> impl IntoView {
    view! {
        <h2>"Questions on the request form"</h2>
        <p class="muted">{format!("Up to {MAX_QUESTIONS}. Leave a label empty to skip that question.")}</p>
        {(0..MAX_QUESTIONS).map(|i| {
            let q = form.questions.get(i).cloned().unwrap_or_default();
            let n = i + 1;
            let required = q.required.is_some();
            view! {
                <fieldset class="stage">
                    <legend>{format!("Question {n}")}</legend>
                    <Field label="Label" name=format!("form[questions][{i}][label]") maxlength=200
                        error=f.error(&format!("q{n}_label")) value=f.value(&format!("questions][{i}][label"), &q.label) />
                    <SelectField label="Answer" name=format!("form[questions][{i}][kind]")
                        options=pairs(&[("short", "Short text"), ("long", "Long text"), ("choice", "One of a list")])
                        selected=f.value(&format!("questions][{i}][kind"), &q.kind) />
                    <Field label="Longest answer (characters)" name=format!("form[questions][{i}][max_length]") kind="number"
                        error=f.error(&format!("q{n}_max_length")) value=f.value(&format!("questions][{i}][max_length"), &q.max_length) />
                    <TextAreaField label="Choices (one per line, for a list)" name=format!("form[questions][{i}][choices]") rows=3
                        error=f.error(&format!("q{n}_choices")) value=f.value(&format!("questions][{i}][choices"), &q.choices) />
                    <CheckboxField label="Required" name=format!("form[questions][{i}][required]") checked=Signal::derive(move || required) />
                </fieldset>
            }
        }).collect_view()}
    }
}

/// The terms of use a partner accepts.
#[component]
fn Terms(form: PolicyForm, f: Fields) -> impl IntoView {
    view! {
        <h2>"Terms of use"</h2>
        <TextAreaField label="Terms partners must accept" name="form[terms_text]" rows=6 maxlength=20000
            hint="Leave empty for none. Changing the text makes a new version; each request records the version accepted."
            error=f.error("terms_text") value=f.value("terms_text", &form.terms_text) />
    }
}
