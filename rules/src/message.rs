//! Messages for people (a field's problem, a refusal) are made here as codes, not sentences:
//! `"@too_long"`, or with named values `message::with("too_long", &[("max", "200")])`. The
//! reader's language words them where they are shown (`locales::messages::word`); the texts are
//! the `messages` catalogue, and the build fails on a code that has none.

/// A message code with named values: `@key?name=value&...` (values URL-encoded, so any text fits).
pub fn with(key: &str, values: &[(&str, &str)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in values {
        query.append_pair(name, value);
    }
    format!("@{key}?{}", query.finish())
}

/// Whether `text` is a message code rather than words.
pub fn is_code(text: &str) -> bool {
    text.starts_with('@')
}

/// A message as an English reader sees it, for the tests.
#[cfg(test)]
pub(crate) fn english(message: Option<&str>) -> String {
    message.map_or_else(String::new, |m| locales::messages::word(locales::Locale::en, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_encoded_into_the_code() {
        assert_eq!(with("too_long", &[("max", "200")]), "@too_long?max=200");
        assert_eq!(
            with("not_a_domain", &[("entry", "a&b c")]),
            "@not_a_domain?entry=a%26b+c"
        );
        assert!(is_code("@too_long") && !is_code("Too long"));
    }
}
