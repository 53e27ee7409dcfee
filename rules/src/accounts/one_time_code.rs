//! One-time codes by email: a partner proves control of a mailbox with 8 digits that live ten
//! minutes, work once, in the browser that asked, and die after five wrong tries. How many may
//! be sent is limited per address and per client, the same whether or not an account exists.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;

pub const CODE_DIGITS: usize = 8;
pub const CODE_LIFETIME_SECONDS: i64 = 600;
/// Wrong tries a code survives; the fifth kills it.
pub const MAX_WRONG_TRIES: i64 = 5;
/// The window the sending limits count in.
pub const LIMIT_WINDOW_SECONDS: i64 = 3600;

/// What a code proves control of the mailbox for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePurpose {
    SignIn,
    /// Redeeming the invitation with this id.
    Invitation(i64),
}

impl CodePurpose {
    /// As stored: a code for one purpose never works for another.
    pub fn as_key(&self) -> String {
        match self {
            CodePurpose::SignIn => "sign_in".to_string(),
            CodePurpose::Invitation(id) => format!("invitation:{id}"),
        }
    }
}

/// How many codes may be sent in an hour (configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeLimits {
    pub per_email: u32,
    pub per_client: u32,
}

impl Default for CodeLimits {
    fn default() -> Self {
        Self {
            per_email: 5,
            per_client: 20,
        }
    }
}

impl CodeLimits {
    /// Whether another code may go out, given those sent in the last hour to this address and
    /// asked for from this client.
    pub fn allow(&self, to_email: i64, from_client: i64) -> bool {
        to_email < i64::from(self.per_email) && from_client < i64::from(self.per_client)
    }
}

/// The typed code with spaces and dashes taken out (people copy "1234 5678" or "1234-5678"),
/// or the message code for what is wrong with it.
pub fn normalise_code(typed: &str) -> Result<String, &'static str> {
    let digits: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if digits.is_empty() {
        Err("@code_required")
    } else if digits.len() != CODE_DIGITS || !digits.bytes().all(|b| b.is_ascii_digit()) {
        Err("@code_eight_digits")
    } else {
        Ok(digits)
    }
}

/// The same check as a field rule, for the browser and the server alike.
pub fn check_code(typed: &str) -> Result<(), String> {
    normalise_code(typed).map(|_| ()).map_err(str::to_string)
}

/// A stored code as far as judging it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeState {
    pub expires_at: Timestamp,
    pub wrong_tries: i64,
    pub used: bool,
}

/// What becomes of a typed code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeVerdict {
    Accepted,
    /// Wrong; this many tries are left (0: the code is dead now).
    Wrong {
        tries_left: i64,
    },
    /// Used, expired or killed by wrong tries earlier: ask for a new one.
    Spent,
}

/// Judges a typed code against the newest code this browser asked for; `matches` is whether
/// the keyed hashes agree (compared in constant time by the caller).
pub fn judge(code: &CodeState, matches: bool, now: Timestamp) -> CodeVerdict {
    if code.used || now >= code.expires_at || code.wrong_tries >= MAX_WRONG_TRIES {
        CodeVerdict::Spent
    } else if matches {
        CodeVerdict::Accepted
    } else {
        CodeVerdict::Wrong {
            tries_left: MAX_WRONG_TRIES - code.wrong_tries - 1,
        }
    }
}

/// How partners prove who they are (an admin setting). Staff always use passwords.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInMethods {
    /// One-time codes by email, at sign-in and when redeeming an invitation.
    pub partner_codes: bool,
    /// Whether a new partner may choose a password when redeeming; partners who have one keep
    /// signing in with it either way.
    pub partner_passwords: bool,
}

impl Default for SignInMethods {
    fn default() -> Self {
        Self {
            partner_codes: true,
            partner_passwords: false,
        }
    }
}

impl SignInMethods {
    /// A new partner needs at least one way in.
    pub fn check(&self) -> Result<(), &'static str> {
        if self.partner_codes || self.partner_passwords {
            Ok(())
        } else {
            Err("@one_sign_in_method_needed")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = 1_800_000_000;

    fn fresh() -> CodeState {
        CodeState {
            expires_at: NOW + CODE_LIFETIME_SECONDS,
            wrong_tries: 0,
            used: false,
        }
    }

    #[test]
    fn a_right_code_in_time_is_accepted_once() {
        assert_eq!(judge(&fresh(), true, NOW), CodeVerdict::Accepted);
        let used = CodeState {
            used: true,
            ..fresh()
        };
        assert_eq!(judge(&used, true, NOW), CodeVerdict::Spent);
    }

    #[test]
    fn a_code_dies_at_its_end() {
        assert_eq!(
            judge(&fresh(), true, NOW + CODE_LIFETIME_SECONDS - 1),
            CodeVerdict::Accepted
        );
        assert_eq!(
            judge(&fresh(), true, NOW + CODE_LIFETIME_SECONDS),
            CodeVerdict::Spent
        );
    }

    #[test]
    fn the_fifth_wrong_try_kills_the_code_and_then_even_the_right_one_fails() {
        let mut code = fresh();
        for left in (0..MAX_WRONG_TRIES).rev() {
            assert_eq!(judge(&code, false, NOW), CodeVerdict::Wrong { tries_left: left });
            code.wrong_tries += 1;
        }
        assert_eq!(judge(&code, true, NOW), CodeVerdict::Spent);
    }

    #[test]
    fn typed_codes_may_carry_spaces_and_dashes() {
        assert_eq!(normalise_code(" 1234 5678 "), Ok("12345678".to_string()));
        assert_eq!(normalise_code("1234-5678"), Ok("12345678".to_string()));
        assert_eq!(normalise_code(""), Err("@code_required"));
        assert_eq!(normalise_code("1234567"), Err("@code_eight_digits"));
        assert_eq!(normalise_code("1234567a"), Err("@code_eight_digits"));
        assert_eq!(normalise_code("١٢٣٤٥٦٧٨"), Err("@code_eight_digits"));
    }

    #[test]
    fn limits_count_per_address_and_per_client() {
        let limits = CodeLimits {
            per_email: 5,
            per_client: 20,
        };
        assert!(limits.allow(4, 19));
        assert!(!limits.allow(5, 0));
        assert!(!limits.allow(0, 20));
    }

    #[test]
    fn purposes_never_share_a_key() {
        assert_eq!(CodePurpose::SignIn.as_key(), "sign_in");
        assert_ne!(
            CodePurpose::Invitation(1).as_key(),
            CodePurpose::Invitation(11).as_key()
        );
    }

    #[test]
    fn new_partners_need_a_way_in() {
        assert!(SignInMethods::default().check().is_ok());
        let none = SignInMethods {
            partner_codes: false,
            partner_passwords: false,
        };
        assert_eq!(none.check(), Err("@one_sign_in_method_needed"));
    }
}
