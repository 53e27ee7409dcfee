//! Field rules shared by the server (authoritative) and the browser (instant feedback).

/// NIST 800-63B: at least 8 characters; we accept long passphrases and never truncate.
pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 256;
/// What the form suggests, without enforcing it.
pub const PASSWORD_RECOMMENDED_CHARS: usize = 15;
pub const DISPLAY_NAME_MAX_CHARS: usize = 100;

pub fn check_password_length(password: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        Err(crate::message::with(
            "password_too_short",
            &[
                ("min", &PASSWORD_MIN_CHARS.to_string()),
                ("recommended", &PASSWORD_RECOMMENDED_CHARS.to_string()),
            ],
        ))
    } else if chars > PASSWORD_MAX_CHARS {
        Err(crate::message::with(
            "too_long",
            &[("max", &PASSWORD_MAX_CHARS.to_string())],
        ))
    } else {
        Ok(())
    }
}

pub fn check_display_name(name: &str) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() {
        Err("@enter_name".to_string())
    } else if name.chars().count() > DISPLAY_NAME_MAX_CHARS {
        Err(crate::message::with(
            "too_long",
            &[("max", &DISPLAY_NAME_MAX_CHARS.to_string())],
        ))
    } else {
        check_one_line(name)
    }
}

/// Bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069): in a name they can make
/// the text read backwards on someone else's page, so names refuse them.
pub fn is_direction_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text shown to other people as one line (names, organisations, labels): no control
/// characters and no direction overrides.
pub fn check_one_line(text: &str) -> Result<(), String> {
    if text.chars().any(char::is_control) {
        Err("@remove_control_characters_from".to_string())
    } else if text.chars().any(is_direction_override) {
        Err("@remove_characters_that_change".to_string())
    } else {
        Ok(())
    }
}

pub fn check_email(raw: &str) -> Result<(), String> {
    crate::email::normalise_email(raw)
        .map(|_| ())
        .map_err(str::to_string)
}

/// A path inside the portal to return to after signing in; anything else (other hosts,
/// scheme-relative `//evil`, backslashes) is dropped so the form cannot be an open redirect.
pub fn safe_return_path(next: &str) -> Option<&str> {
    let is_local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
        && next.len() <= 2048;
    is_local.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_refuse_direction_overrides_and_isolates() {
        for hidden in ['\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}'] {
            let name = format!("Ann {hidden}elpmaxE");
            assert_eq!(
                check_display_name(&name),
                Err("@remove_characters_that_change".to_string()),
                "U+{:04X}",
                hidden as u32
            );
        }
        assert!(check_display_name("Zoë Ólafsdóttir").is_ok());
        assert!(
            check_display_name("محمد").is_ok(),
            "right-to-left letters themselves are fine"
        );
        assert!(check_display_name("Ann\u{0007}").is_err());
    }

    #[test]
    fn password_length_counts_characters_not_bytes() {
        assert!(check_password_length("ééééééé").is_err());
        assert!(check_password_length("éééééééé").is_ok());
        assert!(check_password_length(&"x".repeat(256)).is_ok());
        assert!(check_password_length(&"x".repeat(257)).is_err());
    }

    #[test]
    fn a_64_character_passphrase_is_accepted() {
        assert!(check_password_length(&"correct horse battery staple ".repeat(3)[..64]).is_ok());
    }

    #[test]
    fn display_names_are_trimmed_bounded_and_printable() {
        assert!(check_display_name("  ").is_err());
        assert!(check_display_name("Ada Lovelace").is_ok());
        assert!(check_display_name(&"a".repeat(101)).is_err());
        assert!(check_display_name("Ada\u{0007}").is_err());
    }

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_return_path("/my-access"), Some("/my-access"));
        assert_eq!(safe_return_path("//evil.example/"), None);
        assert_eq!(safe_return_path("https://evil.example/"), None);
        assert_eq!(safe_return_path("/\\evil.example"), None);
        assert_eq!(safe_return_path(""), None);
    }
}
