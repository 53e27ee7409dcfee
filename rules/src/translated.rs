//! Texts an admin writes (terms of use, custom questions and their choices, the portal's name)
//! are written in the portal's default language and may be given in each other language
//! Portico speaks. A reader whose language has none reads the default text.

use std::collections::BTreeMap;

use crate::error::FieldErrors;

/// A text in other languages, by language tag (`nl`). No entry, or an empty one: the default.
pub type Translations = BTreeMap<String, String>;

/// The text in `language` when the admin gave one, else the default `text`.
pub fn pick<'a>(text: &'a str, translations: &'a Translations, language: &str) -> &'a str {
    translations
        .get(language)
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .unwrap_or(text)
}

/// Translations as a form sends them (`name[nl]`): trimmed, empty ones and keys that are no
/// language tag left out. One longer than `max` characters gets a message on `{field}_{tag}`.
pub fn from_form(
    form: &BTreeMap<String, String>,
    field: &str,
    max: usize,
    errors: &mut FieldErrors,
) -> Translations {
    let mut translations = Translations::new();
    for (tag, text) in form {
        let text = text.trim();
        if text.is_empty() || !is_tag(tag) {
            continue;
        }
        if text.chars().count() > max {
            let max = max.to_string();
            errors.add(
                &format!("{field}_{tag}"),
                crate::message::with("too_long", &[("max", &max)]),
            );
        }
        translations.insert(tag.clone(), text.to_string());
    }
    translations
}

/// A language tag as Portico names its languages: two or three lower-case letters.
fn is_tag(tag: &str) -> bool {
    (2..=3).contains(&tag.len()) && tag.bytes().all(|b| b.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_gets_their_language_else_the_default() {
        let mut translations = Translations::new();
        translations.insert("nl".into(), "Gebruiksvoorwaarden".into());
        translations.insert("de".into(), "  ".into());
        assert_eq!(pick("Terms", &translations, "nl"), "Gebruiksvoorwaarden");
        assert_eq!(pick("Terms", &translations, "en"), "Terms");
        assert_eq!(pick("Terms", &translations, "de"), "Terms", "empty is none");
    }

    #[test]
    fn a_form_keeps_real_translations_and_names_a_long_one() {
        let form: BTreeMap<String, String> = [
            ("nl".to_string(), " Welkom ".to_string()),
            ("fr".to_string(), String::new()),
            ("../x".to_string(), "junk".to_string()),
            ("de".to_string(), "x".repeat(11)),
        ]
        .into();
        let mut errors = FieldErrors::new();
        let translations = from_form(&form, "terms_text", 10, &mut errors);
        assert_eq!(translations.get("nl").map(String::as_str), Some("Welkom"));
        assert!(!translations.contains_key("fr") && !translations.contains_key("../x"));
        assert_eq!(errors.message("terms_text_de"), Some("@too_long?max=10"));
    }
}
