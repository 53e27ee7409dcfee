//! A text an admin writes, in the portal's other languages: one field per language, each
//! optional (an empty one reads the default language's text). Used by the policy form and the
//! portal settings.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_i18n::td_string;

use crate::components::form::{Field, FormFeedback, TextAreaField};
use crate::components::language::{language, own_name};

/// The fields `{name}[{tag}]` for each of `languages`, labelled "`label` (Nederlands)"; a
/// message for one shows beside it from `{field}_{tag}`.
#[component]
pub fn TranslatedFields(
    #[prop(into)] label: String,
    /// The input name's start, as the form's deserializer reads a map: `form[terms_translations]`.
    #[prop(into)]
    name: String,
    /// The field the default text's messages are on (`terms_text`).
    #[prop(into)]
    field: String,
    /// Where the typed values come back after a refused submit, when not under `name`
    /// (`portal_name_translations` gives `portal_name_translations[nl]`).
    #[prop(optional, into)]
    echo: Option<String>,
    languages: Vec<String>,
    values: BTreeMap<String, String>,
    feedback: FormFeedback,
    /// Rows of a text area; none: a one-line field.
    #[prop(optional)]
    rows: Option<u32>,
    #[prop(optional)] maxlength: Option<usize>,
) -> impl IntoView {
    let l = language();
    let echo = echo.unwrap_or_else(|| name.clone());
    languages
        .into_iter()
        .filter_map(|tag| locales::from_tag(&tag).map(|spoken| (tag, spoken)))
        .map(|(tag, spoken)| {
            let label = td_string!(l, common.in_language, label = &label, language = own_name(spoken)).to_string();
            let name = format!("{name}[{tag}]");
            let error = feedback.field(format!("{field}_{tag}"));
            let value = feedback.typed_or(format!("{echo}[{tag}]"), values.get(&tag).cloned().unwrap_or_default());
            let hint = td_string!(l, common.translation_hint).to_string();
            match rows {
                Some(rows) => view! { <TextAreaField label name error value rows hint maxlength=maxlength.unwrap_or(20_000) /> }.into_any(),
                None => view! { <Field label name error value hint maxlength=maxlength.unwrap_or(200) /> }.into_any(),
            }
        })
        .collect_view()
}
