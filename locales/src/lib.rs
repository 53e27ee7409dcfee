//! Portico's languages: the catalogues under `catalogues/<language>/<part>.json`, checked and
//! compiled by build.rs into the `i18n` module, read with typed keys:
//! `leptos_i18n::td_string!(language, frame.sign_in)`.

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod check;
pub mod dates;
pub mod messages;
pub mod plurals;

pub use i18n::{use_i18n, Locale};
pub use leptos_i18n::Locale as _;

/// Every language Portico speaks, the default first.
pub fn all() -> &'static [Locale] {
    <Locale as leptos_i18n::Locale>::get_all()
}

/// The tags of every language Portico speaks (`["en", "nl"]`), the default first.
pub fn tags() -> &'static [&'static str] {
    static TAGS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    TAGS.get_or_init(|| all().iter().map(|l| tag(*l)).collect())
}

/// The language of a tag such as `nl` or `nl-BE` (its first part), if Portico speaks it.
pub fn from_tag(tag: &str) -> Option<Locale> {
    let spoken = rules::languages::supported_of(tag, tags())?;
    all().iter().copied().find(|l| self::tag(*l) == spoken)
}

/// The language's tag, as `<html lang>` and the cookie carry it.
pub fn tag(language: Locale) -> &'static str {
    leptos_i18n::Locale::as_str(language)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn texts(pairs: &[(&str, &str)]) -> check::Texts {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn every_language_has_every_key_with_the_same_placeholders() {
        let catalogues =
            check::read_catalogues(&Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogues")).unwrap();
        assert!(catalogues.len() >= 2, "English and Dutch at least");
        assert_eq!(check::problems(&catalogues), Vec::<String>::new());
    }

    #[test]
    fn a_mismatch_is_named() {
        let mut catalogues = std::collections::BTreeMap::new();
        catalogues.insert(
            "en".to_string(),
            texts(&[("a.hello", "Hello {{ name }}"), ("a.bye", "Bye")]),
        );
        catalogues.insert(
            "nl".to_string(),
            texts(&[("a.hello", "Hallo {{ naam }}"), ("a.extra", "x")]),
        );
        assert_eq!(
            check::problems(&catalogues),
            vec![
                "nl: a.bye is missing".to_string(),
                "nl: a.hello has placeholders {\"naam\"}, en has {\"name\"}".to_string(),
                "nl: a.extra is not in en".to_string(),
            ]
        );
    }

    #[test]
    fn a_language_gives_the_plural_forms_its_rules_use() {
        let mut catalogues = std::collections::BTreeMap::new();
        catalogues.insert(
            "en".to_string(),
            texts(&[
                ("messages.days.one", "{{ count }} day"),
                ("messages.days.other", "{{ count }} days"),
            ]),
        );
        // Polish-like: no `one` of its own, `few` and `many` more, `one` may drop the count.
        catalogues.insert(
            "pl".to_string(),
            texts(&[
                ("messages.days.few", "{{ count }} dni"),
                ("messages.days.many", "{{ count }} dni"),
                ("messages.days.other", "{{ count }} dnia"),
            ]),
        );
        assert_eq!(check::problems(&catalogues), Vec::<String>::new());
        catalogues.insert("nl".to_string(), texts(&[("messages.days.one", "één {{ dag }}")]));
        assert_eq!(
            check::problems(&catalogues),
            vec![
                "nl: messages.days.one has placeholders {\"dag\"}, en has {\"count\"}".to_string(),
                "nl: messages.days.other is missing".to_string(),
            ]
        );
    }

    #[test]
    fn tags_name_the_languages_spoken() {
        assert_eq!(from_tag("nl-BE").map(tag), Some("nl"));
        assert_eq!(from_tag("EN").map(tag), Some("en"));
        assert_eq!(from_tag("de"), None);
        assert_eq!(tag(all()[0]), "en");
        assert_eq!(tags(), ["en", "nl"]);
    }
}
