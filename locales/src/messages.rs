//! Messages the server makes (a field's problem, a refusal) travel as codes, `@part_key` with
//! named values (`@too_long?max=200`), and are worded where a person reads them, in the
//! reader's language: a page in its language, the JSON API in the `Accept-Language` one. The
//! texts are the `messages` catalogue; build.rs checks that every code the sources use has one.

use crate::Locale;

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

/// `text` in `language` when it is a message code; any other text is returned as it is.
/// A code without a text (a newer server's) reads in English, else as its code. A code with a
/// `count` value picks the plural form of its language (`@in_days?count=3`).
pub fn word(language: Locale, text: &str) -> String {
    let Some(code) = text.strip_prefix('@') else {
        return text.to_string();
    };
    let (key, values) = code.split_once('?').unwrap_or((code, ""));
    // A value may itself be a code ("Invalid email: {{ why }}"): it is worded too.
    let values: Vec<(String, String)> = form_urlencoded::parse(values.as_bytes())
        .map(|(name, value)| (name.into_owned(), word(language, &value)))
        .collect();
    let count = values
        .iter()
        .find(|(name, _)| name == "count")
        .and_then(|(_, value)| value.parse::<i64>().ok());
    match lookup(language, key, count).or_else(|| lookup(crate::all()[0], key, count)) {
        Some(template) => fill(template, &values),
        None => text.to_string(),
    }
}

/// The text of `key` for `count` things in `language`: `counted(nl, "in_days", 3)` is
/// "over 3 dagen".
pub fn counted(language: Locale, key: &str, count: i64) -> String {
    let values = [("count".to_string(), count.to_string())];
    match lookup(language, key, Some(count)).or_else(|| lookup(crate::all()[0], key, Some(count))) {
        Some(template) => fill(template, &values),
        None => format!("@{key}?count={count}"),
    }
}

/// A plain text, else the plural form `count` takes in the language, else its `other` form.
fn lookup(language: Locale, key: &str, count: Option<i64>) -> Option<&'static str> {
    let tag = crate::tag(language);
    template(tag, key).or_else(|| {
        let form = crate::plurals::form(language, count?.unsigned_abs());
        template(tag, &format!("{key}.{form}")).or_else(|| template(tag, &format!("{key}.other")))
    })
}

/// The template with each `{{ name }}` replaced by its value (an unknown name stays as it is).
fn fill(template: &str, values: &[(String, String)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let Some(length) = rest[start..].find("}}") else {
            break;
        };
        let name = rest[start + 2..start + length].trim();
        out.push_str(&rest[..start]);
        match values.iter().find(|(n, _)| n == name) {
            Some((_, value)) => out.push_str(value),
            None => out.push_str(&rest[start..start + length + 2]),
        }
        rest = &rest[start + length + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_in_the_language_asked_with_its_values() {
        let code = rules::message::with("too_long", &[("max", "200")]);
        assert_eq!(word(Locale::en, &code), "Use at most 200 characters.");
        assert_eq!(word(Locale::nl, &code), "Gebruik hoogstens 200 tekens.");
    }

    #[test]
    fn a_value_that_is_a_code_is_worded_too() {
        let code = rules::message::with("bulk_invalid_email", &[("why", "@enter_email_address")]);
        assert_eq!(
            word(Locale::nl, &code),
            "Ongeldig e-mailadres: Vul een e-mailadres in."
        );
    }

    #[test]
    fn plain_text_and_unknown_codes_pass_unchanged() {
        assert_eq!(word(Locale::nl, "Typed by a person"), "Typed by a person");
        assert_eq!(word(Locale::nl, "@no_such_message"), "@no_such_message");
    }

    #[test]
    fn a_count_picks_the_plural_form_of_the_language() {
        assert_eq!(counted(Locale::en, "in_days", 1), "in 1 day");
        assert_eq!(counted(Locale::en, "in_days", 3), "in 3 days");
        assert_eq!(counted(Locale::nl, "in_days", 1), "over 1 dag");
        assert_eq!(counted(Locale::nl, "in_days", 3), "over 3 dagen");
        let code = rules::message::with("days_ago", &[("count", "2")]);
        assert_eq!(word(Locale::nl, &code), "2 dagen geleden");
    }

    #[test]
    fn values_keep_what_would_break_a_code() {
        let code = rules::message::with("not_a_domain", &[("entry", "a&b=c?d e")]);
        assert_eq!(
            word(Locale::en, &code),
            "\"a&b=c?d e\" is not a domain like example.com."
        );
    }
}
