//! A policy's texts in the reader's language: the questions, their choices and the terms, as
//! the admin gave them in that language, else in the portal's default one.

use crate::requests::policy::{CustomQuestion, QuestionKind, Terms};
use crate::translated::pick;

impl CustomQuestion {
    /// The label in `language`.
    pub fn label_in(&self, language: &str) -> &str {
        pick(&self.label, &self.label_translations, language)
    }

    /// Each choice as (the value a request stores, what the reader sees). The stored value is
    /// always the default language's, so answers read the same whoever gave them.
    pub fn choices_in(&self, language: &str) -> Vec<(String, String)> {
        let QuestionKind::SingleChoice(choices) = &self.kind else {
            return Vec::new();
        };
        let shown = self
            .choice_translations
            .get(language)
            .filter(|translated| translated.len() == choices.len());
        choices
            .iter()
            .enumerate()
            .map(|(i, value)| {
                let seen = shown.and_then(|s| s.get(i)).unwrap_or(value);
                (value.clone(), seen.clone())
            })
            .collect()
    }
}

impl Terms {
    /// The terms' text in `language`.
    pub fn text_in(&self, language: &str) -> &str {
        pick(&self.text, &self.translations, language)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question() -> CustomQuestion {
        CustomQuestion {
            id: "q1".into(),
            label: "Team".into(),
            kind: QuestionKind::SingleChoice(vec!["Sales".into(), "Support".into()]),
            required: true,
            max_length: 100,
            label_translations: [("nl".to_string(), "Afdeling".to_string())].into(),
            choice_translations: [("nl".to_string(), vec!["Verkoop".into(), "Klantenservice".into()])].into(),
        }
    }

    #[test]
    fn a_question_reads_in_the_readers_language_and_keeps_its_values() {
        let q = question();
        assert_eq!(q.label_in("nl"), "Afdeling");
        assert_eq!(q.label_in("en"), "Team");
        assert_eq!(
            q.choices_in("nl"),
            vec![
                ("Sales".to_string(), "Verkoop".to_string()),
                ("Support".to_string(), "Klantenservice".to_string())
            ]
        );
        assert_eq!(
            q.choices_in("de")[1],
            ("Support".to_string(), "Support".to_string())
        );
    }

    #[test]
    fn an_old_policy_without_translations_still_reads() {
        let stored = r#"{"version":2,"text":"Be nice."}"#;
        let terms: Terms = serde_json::from_str(stored).unwrap();
        assert_eq!(terms.text_in("nl"), "Be nice.");
    }
}
