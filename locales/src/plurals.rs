//! Which plural form a count takes in a language (`one`, `few`, `other`, ...), by the Unicode
//! CLDR rules as ICU4X (`icu_plurals`) ships them: a new language brings its own rules with it.
//! The forms themselves are catalogue texts (`"in_days": { "one": ..., "other": ... }` in the
//! `messages` part), worded by `messages::counted`.

use icu_plurals::{PluralCategory, PluralRules};

use crate::Locale;

/// The form `count` takes in `language`; `other` when the language has no rules.
pub fn form(language: Locale, count: u64) -> &'static str {
    thread_local! {
        // One set of rules a language, made once a thread (they are not `Sync`).
        static RULES: Vec<Option<PluralRules>> = crate::all().iter().map(|l| rules(*l)).collect();
    }
    let index = crate::all().iter().position(|l| *l == language);
    RULES.with(
        |all| match index.and_then(|i| all.get(i)).and_then(Option::as_ref) {
            Some(rules) => name(rules.category_for(count)),
            None => "other",
        },
    )
}

fn rules(language: Locale) -> Option<PluralRules> {
    let locale = icu_locale_core::Locale::try_from_str(crate::tag(language)).ok()?;
    PluralRules::try_new_cardinal((&locale).into()).ok()
}

fn name(category: PluralCategory) -> &'static str {
    match category {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_dutch_have_one_and_other() {
        for language in [Locale::en, Locale::nl] {
            assert_eq!(form(language, 1), "one");
            assert_eq!(form(language, 0), "other");
            assert_eq!(form(language, 2), "other");
            assert_eq!(form(language, 21), "other");
        }
    }
}
