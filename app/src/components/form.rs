//! Forms: labelled fields with their messages beside them, a summary at the top, and the
//! plumbing that reads both out of a server action's last answer (with or without JavaScript).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::components::problem::error_text;
use locales::messages::word;
use rules::error::AppError;

/// The last error a form's server action returned, and what to show for each field.
#[derive(Clone, Copy)]
pub struct FormFeedback {
    error: Signal<Option<AppError>>,
}

impl FormFeedback {
    pub fn of<S>(action: ServerAction<S>) -> Self
    where
        S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
        S::Output: Send + Sync + 'static,
    {
        let error = Signal::derive(move || {
            action
                .value()
                .with(|v| v.as_ref().and_then(|r| r.as_ref().err().cloned()))
        });
        Self { error }
    }

    /// The message for one field.
    pub fn field(self, name: impl Into<String>) -> Signal<Option<String>> {
        let name = name.into();
        let l = crate::components::language::language();
        Signal::derive(move || {
            self.error.with(|e| {
                e.as_ref()
                    .and_then(AppError::field_errors)
                    .and_then(|f| f.message(&name).map(|m| word(l, m)))
            })
        })
    }

    /// What was typed into a field before the failed submit (for pages without JavaScript).
    pub fn typed(self, name: impl Into<String>) -> Signal<String> {
        let name = name.into();
        Signal::derive(move || {
            self.error.with(|e| {
                e.as_ref()
                    .and_then(AppError::field_errors)
                    .and_then(|f| f.values.get(&name).cloned())
                    .unwrap_or_default()
            })
        })
    }

    /// What was typed, or else `initial` (forms that edit something saved).
    pub fn typed_or(self, name: impl Into<String>, initial: String) -> Signal<String> {
        let name = name.into();
        Signal::derive(move || {
            self.error.with(|e| {
                e.as_ref()
                    .and_then(AppError::field_errors)
                    .and_then(|f| f.values.get(&name).cloned())
                    .unwrap_or_else(|| initial.clone())
            })
        })
    }

    /// One sentence about the whole form: a form-level message, or a pointer to the fields.
    pub fn summary(self) -> Signal<Option<String>> {
        let l = crate::components::language::language();
        Signal::derive(move || {
            self.error.with(|e| {
                e.as_ref().map(|error| match error.field_errors() {
                    Some(fields) => fields
                        .message("form")
                        .map(|m| word(l, m))
                        .unwrap_or_else(|| error_text(l, error)),
                    None => error_text(l, error),
                })
            })
        })
    }
}

/// A field rule shared with the server: the message to show, or nothing.
pub type FieldRule = fn(&str) -> Result<(), String>;

/// A labelled input. Its message (from the server, or from the same rule run in the browser
/// when the field loses focus) sits right below it and is tied to it for screen readers.
#[component]
pub fn Field(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional, into)] value: MaybeProp<String>,
    /// Rule run in the browser on blur, the same one the server applies.
    #[prop(optional)]
    check: Option<FieldRule>,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<usize>,
    /// The keyboard a phone shows ("numeric" for codes).
    #[prop(optional)]
    inputmode: Option<&'static str>,
) -> impl IntoView {
    let id = field_id(&name);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    // What the browser's own check of the field found when it was last left: a problem, or
    // nothing. A problem found here shows; otherwise the server's last answer does (kept until
    // the next answer, so a second answer about the same field always shows).
    let local = RwSignal::new(None::<String>);
    let shown = Signal::derive(move || local.get().or_else(|| error.get()));
    let l = crate::components::language::language();
    let on_blur = move |ev: leptos::ev::FocusEvent| {
        if let Some(check) = check {
            let text = event_target_value(&ev);
            local.set(check(&text).err().map(|m| word(l, &m)));
        }
    };
    let described_by = described_by(hint.is_some(), &hint_id, &error_id, shown);
    view! {
        <div class="field" class:field-invalid=move || shown.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id.clone()>{hint}</p> })}
            <input
                id=id.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                required=required
                maxlength=maxlength.map(|n| n.to_string())
                value=move || value.get()
                aria-invalid=move || if shown.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=described_by
                on:blur=on_blur
            />
            <p class="field-error" id=error_id.clone() aria-live="polite">
                {move || shown.get()}
            </p>
        </div>
    }
}

/// The message at the top of a form after a failed submit.
#[component]
pub fn FormSummary(feedback: FormFeedback) -> impl IntoView {
    let summary = feedback.summary();
    view! {
        <Show when=move || summary.with(Option::is_some)>
            <div class="alert alert-error" role="alert">
                {move || summary.get()}
            </div>
        </Show>
    }
}

/// A submit button that says it is busy while the action runs.
#[component]
pub fn SubmitButton(
    #[prop(into)] label: String,
    #[prop(into)] busy_label: String,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    view! {
        <button type="submit" class="button button-primary" disabled=move || pending.get()>
            {move || if pending.get() { busy_label.clone() } else { label.clone() }}
        </button>
    }
}

/// The `aria-describedby` of a field: its hint, and its error while there is one.
fn described_by(
    has_hint: bool,
    hint_id: &str,
    error_id: &str,
    error: Signal<Option<String>>,
) -> impl Fn() -> Option<String> + Clone + Send + Sync + 'static {
    let (hint_id, error_id) = (hint_id.to_string(), error_id.to_string());
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(hint_id.clone());
        }
        if error.with(Option::is_some) {
            ids.push(error_id.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// An element id for a field name (`answers[q1]` -> `field-answers-q1`).
pub fn field_id(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("field-{}", cleaned.trim_matches('-').replace("--", "-"))
}

/// A labelled multi-line text field, its message below it.
#[component]
pub fn TextAreaField(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional, into)] value: MaybeProp<String>,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(default = 4)] rows: u32,
) -> impl IntoView {
    let id = field_id(&name);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = described_by(hint.is_some(), &hint_id, &error_id, error);
    view! {
        <div class="field" class:field-invalid=move || error.with(Option::is_some)>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id.clone()>{hint}</p> })}
            <textarea
                id=id.clone()
                name=name
                rows=rows
                required=required
                maxlength=maxlength.map(|n| n.to_string())
                aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                aria-describedby=described_by
                prop:value=move || value.get().unwrap_or_default()
            >
                {move || value.get().unwrap_or_default()}
            </textarea>
            <p class="field-error" id=error_id aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// A labelled drop-down list. `options` are (value, label) pairs. `id` is needed only when two
/// forms of one page have a field of the same name.
#[component]
pub fn SelectField(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    options: Vec<(String, String)>,
    #[prop(into)] selected: Signal<String>,
    #[prop(optional, into)] error: MaybeProp<String>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| field_id(&name));
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <p class="field-hint">{hint}</p> })}
            <select id=id name=name aria-describedby=error_id.clone()>
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is_selected = {
                            let value = value.clone();
                            move || selected.get() == value
                        };
                        view! { <option value=value selected=is_selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
            <p class="field-error" id=error_id aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// A group of radio buttons under one legend. `options` are (value, label) pairs.
#[component]
pub fn RadioGroup(
    #[prop(into)] legend: String,
    #[prop(into)] name: String,
    options: Vec<(String, String)>,
    #[prop(into)] selected: Signal<String>,
    #[prop(optional, into)] error: MaybeProp<String>,
    #[prop(optional, into)] hint: Option<String>,
) -> impl IntoView {
    let base = field_id(&name);
    view! {
        <fieldset class="field choice-group" class:field-invalid=move || error.get().is_some()>
            <legend>{legend}</legend>
            {hint.map(|hint| view! { <p class="field-hint">{hint}</p> })}
            {options
                .into_iter()
                .enumerate()
                .map(|(i, (value, text))| {
                    let id = format!("{base}-{i}");
                    let is_checked = {
                        let value = value.clone();
                        move || selected.get() == value
                    };
                    view! {
                        <div class="field-check">
                            <input type="radio" id=id.clone() name=name.clone() value=value checked=is_checked />
                            <label for=id>{text}</label>
                        </div>
                    }
                })
                .collect_view()}
            <p class="field-error" aria-live="polite">{move || error.get()}</p>
        </fieldset>
    }
}

/// A checkbox with its label; sends `value` when ticked, nothing otherwise.
#[component]
pub fn CheckboxField(
    #[prop(into)] label: String,
    #[prop(into)] name: String,
    #[prop(default = "on".to_string(), into)] value: String,
    #[prop(into)] checked: Signal<bool>,
    #[prop(optional, into)] error: MaybeProp<String>,
) -> impl IntoView {
    let id = field_id(&name);
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <div class="field-check">
                <input
                    type="checkbox"
                    id=id.clone()
                    name=name
                    value=value
                    checked=move || checked.get()
                    aria-describedby=error_id.clone()
                    aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                />
                <label for=id>{label}</label>
            </div>
            <p class="field-error" id=error_id aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// Empties a form once its action succeeds, so the next entry starts clean (with JavaScript;
/// without it, the page after the redirect is new anyway).
pub fn clear_on_success<S>(action: ServerAction<S>) -> NodeRef<leptos::html::Form>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        let succeeded = action.value().with(|v| matches!(v, Some(Ok(_))));
        if succeeded {
            if let Some(form) = form.get_untracked() {
                form.reset();
            }
        }
    });
    form
}

/// A small button in a table row, named for screen readers with the row it acts on
/// ("Revoke: ann@partner.example").
pub fn row_button(label: &'static str, subject: &str, danger: bool) -> impl IntoView {
    let class = if danger {
        "button button-danger button-small"
    } else {
        "button button-secondary button-small"
    };
    view! { <button type="submit" class=class aria-label=format!("{label}: {subject}")>{label}</button> }
}
