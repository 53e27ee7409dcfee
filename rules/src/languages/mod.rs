//! Which language a page, an email or an API message is written in.
//!
//! A page: the language cookie (set by the language switcher, and at sign-in from the person's
//! saved preference, so the preference wins on every device they sign in on), else the
//! browser's `Accept-Language`, else the portal's default language.

/// The cookie that carries the chosen language.
pub const LANGUAGE_COOKIE: &str = "portico_language";

/// The primary subtag of a language tag, lowercased: `nl-BE` gives `nl`.
pub fn primary(tag: &str) -> String {
    tag.trim()
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// The supported language a tag names (by its primary subtag), if any.
pub fn supported_of<'a>(tag: &str, supported: &[&'a str]) -> Option<&'a str> {
    let wanted = primary(tag);
    supported
        .iter()
        .copied()
        .find(|s| !wanted.is_empty() && *s == wanted)
}

/// The first supported language of an `Accept-Language` header, in the browser's order of
/// preference (its `q` values).
pub fn negotiate<'a>(accept_language: &str, supported: &[&'a str]) -> Option<&'a str> {
    accept_language::parse(accept_language)
        .iter()
        .find_map(|tag| supported_of(tag, supported))
}

/// The language to answer in: the cookie's, else the browser's, else `default`.
pub fn choose<'a>(
    cookie: Option<&str>,
    accept_language: Option<&str>,
    supported: &[&'a str],
    default: &'a str,
) -> &'a str {
    cookie
        .and_then(|c| supported_of(c, supported))
        .or_else(|| accept_language.and_then(|a| negotiate(a, supported)))
        .unwrap_or(default)
}

/// The language an inviter chose for the invited person's emails: left out (empty), the
/// portal's default (`Ok("")`); else one spoken; else a message naming the languages spoken.
pub fn message_language<'a>(chosen: &str, spoken: &[&'a str]) -> Result<&'a str, String> {
    if chosen.trim().is_empty() {
        return Ok("");
    }
    supported_of(chosen, spoken)
        .ok_or_else(|| crate::message::with("choose_one_of", &[("choices", &spoken.join(", "))]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_language_is_one_spoken_or_left_to_the_default() {
        assert_eq!(message_language("", SPOKEN), Ok(""));
        assert_eq!(message_language("NL-be", SPOKEN), Ok("nl"));
        assert_eq!(
            crate::message::english(message_language("de", SPOKEN).err().as_deref()),
            "Choose one of en, nl."
        );
    }

    const SPOKEN: &[&str] = &["en", "nl"];

    #[test]
    fn the_cookie_wins_then_the_browser_then_the_default() {
        assert_eq!(choose(Some("nl"), Some("en-GB"), SPOKEN, "en"), "nl");
        assert_eq!(choose(None, Some("nl-NL,nl;q=0.9,en;q=0.8"), SPOKEN, "en"), "nl");
        assert_eq!(choose(None, Some("de-DE,de;q=0.9"), SPOKEN, "nl"), "nl");
        assert_eq!(choose(None, None, SPOKEN, "en"), "en");
        // A cookie naming a language Portico does not speak is passed over.
        assert_eq!(choose(Some("fr"), Some("nl"), SPOKEN, "en"), "nl");
    }

    #[test]
    fn the_browser_order_follows_its_quality_values() {
        assert_eq!(negotiate("en;q=0.5, nl-BE;q=0.9, de", SPOKEN), Some("nl"));
        assert_eq!(negotiate("de, fr", SPOKEN), None);
        assert_eq!(negotiate("", SPOKEN), None);
    }
}
