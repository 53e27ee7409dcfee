//! Which language a page, an email or an API message is written in.
//!
//! A page: the language cookie (set by the language switcher, and at sign-in from the person's
//! saved preference, so the preference wins on every device they sign in on), else the
//! browser's `Accept-Language`, else the portal's default language.

/// The cookie that carries the chosen language.
pub const LANGUAGE_COOKIE: &str = "portico_language";

/// The primary subtag of a language tag, as written: `nl-BE` gives `nl`.
fn primary(tag: &str) -> &str {
    tag.trim().split(['-', '_']).next().unwrap_or_default()
}

/// The supported language a tag names (by its primary subtag, in any case), if any.
pub fn supported_of<'a>(tag: &str, supported: &[&'a str]) -> Option<&'a str> {
    let wanted = primary(tag);
    supported
        .iter()
        .copied()
        .find(|s| !wanted.is_empty() && s.eq_ignore_ascii_case(wanted))
}

/// The first supported language of an `Accept-Language` header, in the browser's order of
/// preference (its `q` values).
///
/// Every page asks this, so the usual header is answered without parsing it whole: a first
/// entry without a weight has the highest one a valid header can carry (1), and keeps its
/// place among equals, so when it is spoken it is the answer.
pub fn negotiate<'a>(accept_language: &str, supported: &[&'a str]) -> Option<&'a str> {
    let first = accept_language.split(',').next().unwrap_or_default();
    if !first.contains(';') {
        if let Some(spoken) = supported_of(first, supported) {
            return Some(spoken);
        }
    }
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
    fn the_short_way_answers_as_the_whole_header_does() {
        for header in [
            "nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7",
            "NL",
            " en-GB , nl;q=0.5",
            "de-DE,de;q=0.9,nl;q=0.8",
            "de,en;q=0.9",
            "fr;q=0.9,nl",
            "en;q=0.1,nl;q=0.2",
            "*",
            "*,nl;q=0.5",
            "",
            "nl_BE,en",
        ] {
            let whole = accept_language::parse(header)
                .iter()
                .find_map(|tag| supported_of(tag, SPOKEN));
            assert_eq!(negotiate(header, SPOKEN), whole, "{header:?}");
        }
        assert_eq!(negotiate("fr;q=0.9,nl", SPOKEN), Some("nl"));
        assert_eq!(negotiate("de,en;q=0.9", SPOKEN), Some("en"));
    }

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
