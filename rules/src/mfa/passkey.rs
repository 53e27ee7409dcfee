//! Passkeys and security keys: what a person may call one. (The keys themselves are checked by
//! `webauthn-rs` in `services::mfa::passkeys`.)

/// The longest name a passkey may have, in characters.
pub const PASSKEY_NAME_MAX: usize = 60;

/// The name as it is kept (trimmed), or the message code saying what is wrong with it.
pub fn read_passkey_name(typed: &str) -> Result<String, String> {
    let name = typed.trim();
    if name.is_empty() {
        return Err("@passkey_name_missing".into());
    }
    if name.chars().count() > PASSKEY_NAME_MAX {
        return Err("@passkey_name_too_long".into());
    }
    if name.chars().any(char::is_control) {
        return Err("@passkey_name_control".into());
    }
    Ok(name.to_string())
}

/// The page's check as the person types.
pub fn check_passkey_name(typed: &str) -> Result<(), String> {
    read_passkey_name(typed).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_trimmed_and_kept() {
        assert_eq!(read_passkey_name("  Work laptop ").as_deref(), Ok("Work laptop"));
        assert_eq!(
            read_passkey_name("Sleutel — blauw").as_deref(),
            Ok("Sleutel — blauw")
        );
    }

    #[test]
    fn an_empty_long_or_control_name_is_refused() {
        assert_eq!(read_passkey_name("   "), Err("@passkey_name_missing".into()));
        assert_eq!(
            read_passkey_name(&"é".repeat(61)),
            Err("@passkey_name_too_long".into())
        );
        assert!(read_passkey_name(&"é".repeat(60)).is_ok());
        assert_eq!(read_passkey_name("key\u{7}"), Err("@passkey_name_control".into()));
    }
}
