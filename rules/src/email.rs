//! Email addresses as Portico compares them: trimmed, domain lowercased and IDNA-normalised
//! (so `Bob@BÜCHER.example` and `bob@xn--bcher-kva.example` are the same person).
//!
//! The grammar is the HTML standard's "valid email address" (what a browser's `type=email`
//! accepts; quoted local parts are refused). It is checked here in plain code rather than with
//! `validator`'s email check, which does it with `regex`: this rule also runs in the staff
//! pages' WebAssembly, and the regex engine with its Unicode tables weighed about a tenth of it.

/// The longest address SMTP can carry (RFC 5321 path limit minus the brackets).
pub const MAX_EMAIL_LEN: usize = 254;

/// The longest local part (before the `@`) SMTP can carry (RFC 5321, 4.5.3.1.1).
const MAX_LOCAL_PART_LEN: usize = 64;

/// The characters other than ASCII letters and digits that the HTML standard allows before the
/// `@`.
const LOCAL_PART_SYMBOLS: &[u8] = b".!#$%&'*+/=?^_`{|}~-";

/// Returns the normalised address, or a message for the person who typed it.
pub fn normalise_email(raw: &str) -> Result<String, &'static str> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err("@enter_email_address");
    }
    let Some((local, domain)) = trimmed.rsplit_once('@') else {
        return Err("@enter_email_address_like");
    };
    if local.is_empty() || domain.is_empty() {
        return Err("@enter_email_address_like");
    }
    let domain = normalise_domain(domain).ok_or("@part_after_not_valid")?;
    if !domain.contains('.') {
        return Err("@part_after_needs_dot");
    }
    // Local parts are case-sensitive in theory; in practice every provider ignores case, and
    // treating them alike is what keeps one person from holding two accounts.
    let local = local.to_lowercase();
    let address = format!("{local}@{domain}");
    if address.chars().count() > MAX_EMAIL_LEN {
        return Err("@email_address_too_long");
    }
    if !is_valid_local_part(&local) {
        return Err("@enter_email_address_like");
    }
    Ok(address)
}

/// The part before the `@`: 1 to 64 of the HTML standard's characters.
fn is_valid_local_part(local: &str) -> bool {
    !local.is_empty()
        && local.len() <= MAX_LOCAL_PART_LEN
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || LOCAL_PART_SYMBOLS.contains(&b))
}

/// Lowercases and converts a domain to its ASCII (punycode) form; `None` when it is not one.
pub fn normalise_domain(raw: &str) -> Option<String> {
    let trimmed = raw.trim().trim_end_matches('.');
    if trimmed.is_empty() {
        return None;
    }
    let ascii = idna::domain_to_ascii(trimmed).ok()?;
    let valid = !ascii.is_empty()
        && ascii.len() <= 253
        && ascii.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    valid.then_some(ascii)
}

/// The domain part of an already normalised address.
pub fn email_domain(normalised: &str) -> &str {
    normalised.rsplit_once('@').map(|(_, d)| d).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_lowercased() {
        assert_eq!(
            normalise_email("  Alice.Smith@Example.COM "),
            Ok("alice.smith@example.com".to_string())
        );
    }

    #[test]
    fn international_domains_become_punycode() {
        assert_eq!(
            normalise_email("bob@BÜCHER.example"),
            Ok("bob@xn--bcher-kva.example".to_string())
        );
        assert_eq!(
            normalise_domain("xn--bcher-kva.example"),
            Some("xn--bcher-kva.example".to_string())
        );
    }

    #[test]
    fn malformed_addresses_get_a_message() {
        for raw in [
            "",
            "   ",
            "alice",
            "alice@",
            "@example.com",
            "alice@localhost",
            "a b@example.com",
            "alice@exa mple.com",
        ] {
            assert!(normalise_email(raw).is_err(), "{raw:?} should be refused");
        }
    }

    #[test]
    fn the_part_before_the_at_follows_the_html_standard() {
        for raw in [
            "o'brien+news@example.com",
            "a.b!c#d$e%f&g*h/i=j?k^l_m`n{o|p}q~r-s@example.com",
            &format!("{}@example.com", "a".repeat(64)),
        ] {
            assert!(normalise_email(raw).is_ok(), "{raw:?} should be accepted");
        }
        for raw in [
            "\"alice smith\"@example.com",
            "alice(work)@example.com",
            "alice,bob@example.com",
            "jürgen@example.com",
            &format!("{}@example.com", "a".repeat(65)),
        ] {
            assert_eq!(
                normalise_email(raw),
                Err("@enter_email_address_like"),
                "{raw:?} should be refused"
            );
        }
    }

    /// The rule was `validator`'s email check (a regex) before it was written out; the two
    /// must agree on every address that reaches it.
    #[test]
    fn agrees_with_the_validator_crate() {
        use validator::ValidateEmail;
        let locals = [
            "alice", "a.b", "o'brien", "x+y", "a b", "a\"b", "ü", "a@b", "(c)", "~",
        ];
        let domains = ["example.com", "xn--bcher-kva.example", "sub.example.org"];
        for local in locals {
            for domain in domains {
                let raw = format!("{local}@{domain}");
                assert_eq!(normalise_email(&raw).is_ok(), raw.validate_email(), "{raw:?}");
            }
        }
    }

    #[test]
    fn overlong_addresses_are_refused() {
        let raw = format!("{}@example.com", "a".repeat(250));
        assert_eq!(normalise_email(&raw), Err("@email_address_too_long"));
    }

    #[test]
    fn domain_of_an_address() {
        assert_eq!(email_domain("alice@example.com"), "example.com");
    }
}
