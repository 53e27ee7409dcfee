//! API tokens: what a token may do (its scopes), what an admin types to make one, and the
//! token's shape. A token acts as the admin who made it, never beyond its scopes.

use serde::{Deserialize, Serialize};

use crate::dates::parse_date;
use crate::error::FieldErrors;

/// Every scope a token can hold (the admin pages say what each lets it do).
pub const SCOPES: &[&str] = &[
    "resources:read",
    "invitations:read",
    "invitations:write",
    "requests:read",
    "requests:decide",
    "memberships:read",
];

/// What every token starts with, so a leaked one is easy to recognise (and to search for).
pub const TOKEN_PREFIX: &str = "ptk_";
pub const NAME_MAX_CHARS: usize = 80;

pub fn is_scope(text: &str) -> bool {
    SCOPES.contains(&text)
}

/// The scopes a stored token holds (space-separated), unknown words dropped.
pub fn parse_scopes(stored: &str) -> Vec<String> {
    stored
        .split_whitespace()
        .filter(|s| is_scope(s))
        .map(str::to_string)
        .collect()
}

/// What an admin types to create a token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTokenInput {
    #[serde(default)]
    pub name: String,
    /// The ticked scopes.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// `YYYY-MM-DD`, the last day the token works; empty: it does not expire.
    #[serde(default)]
    pub expires_on: String,
}

/// A checked request for a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedToken {
    pub name: String,
    /// Sorted and space-separated, as stored.
    pub scopes: String,
    /// The first second after the last day, UTC.
    pub expires_at: Option<i64>,
}

impl NewTokenInput {
    pub fn check(&self, now: i64) -> Result<CheckedToken, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = self.name.trim();
        if name.is_empty() {
            errors.add(
                "name",
                "Name the token after what uses it, e.g. \"HR onboarding sync\".",
            );
        } else if name.chars().count() > NAME_MAX_CHARS {
            errors.add(
                "name",
                crate::message::with("too_long", &[("max", &NAME_MAX_CHARS.to_string())]),
            );
        } else if let Err(message) = crate::validation::check_one_line(name) {
            errors.add("name", message);
        }
        let mut scopes: Vec<&str> = self.scopes.iter().map(|s| s.trim()).collect();
        scopes.sort_unstable();
        scopes.dedup();
        if scopes.is_empty() {
            errors.add("scopes", "@tick_least_one_thing");
        } else if let Some(unknown) = scopes.iter().find(|s| !is_scope(s)) {
            errors.add(
                "scopes",
                crate::message::with("not_a_scope", &[("scope", unknown)]),
            );
        }
        let expires_at = match self.expires_on.trim() {
            "" => None,
            typed => match parse_date(typed) {
                None => {
                    errors.add("expires_on", "@enter_date_as_yyyy");
                    None
                }
                Some(day) if day + 86_400 <= now => {
                    errors.add("expires_on", "@choose_today_later_day");
                    None
                }
                Some(day) => Some(day + 86_400),
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(CheckedToken {
            name: name.to_string(),
            scopes: scopes.join(" "),
            expires_at,
        })
    }
}

/// The raw bearer value: the prefix, then 256 random bits.
pub fn bearer_value(raw_token: &str) -> String {
    format!("{TOKEN_PREFIX}{raw_token}")
}

/// The token part of a bearer value, if it has the right shape.
pub fn strip_bearer(value: &str) -> Option<&str> {
    value.strip_prefix(TOKEN_PREFIX).filter(|rest| {
        rest.len() == 43
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn input(name: &str, scopes: &[&str], expires_on: &str) -> NewTokenInput {
        NewTokenInput {
            name: name.into(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            expires_on: expires_on.into(),
        }
    }

    #[test]
    fn a_token_needs_a_name_and_known_scopes() {
        let errors = input(" ", &[], "").check(NOW).unwrap_err();
        assert!(errors.message("name").is_some());
        assert!(crate::message::english(errors.message("scopes")).contains("at least one"));
        let errors = input("Sync", &["invitations:write", "root"], "")
            .check(NOW)
            .unwrap_err();
        assert!(crate::message::english(errors.message("scopes")).contains("\"root\""));
        let errors = input(&"n".repeat(81), &["resources:read"], "")
            .check(NOW)
            .unwrap_err();
        assert!(crate::message::english(errors.message("name")).contains("80"));
    }

    #[test]
    fn scopes_are_stored_sorted_once_and_expiry_ends_after_the_last_day() {
        let checked = input(
            " HR sync ",
            &["memberships:read", "invitations:write", "memberships:read"],
            "2027-03-01",
        )
        .check(NOW)
        .unwrap();
        assert_eq!(checked.name, "HR sync");
        assert_eq!(checked.scopes, "invitations:write memberships:read");
        assert_eq!(checked.expires_at, Some(parse_date("2027-03-02").unwrap()));
        assert_eq!(
            parse_scopes(&checked.scopes),
            vec!["invitations:write", "memberships:read"]
        );
    }

    #[test]
    fn expiry_must_be_a_date_today_or_later() {
        let errors = input("Sync", &["resources:read"], "next week")
            .check(NOW)
            .unwrap_err();
        assert!(crate::message::english(errors.message("expires_on")).contains("YYYY-MM-DD"));
        let errors = input("Sync", &["resources:read"], "2020-01-01")
            .check(NOW)
            .unwrap_err();
        assert!(crate::message::english(errors.message("expires_on")).contains("today"));
    }

    #[test]
    fn bearer_values_carry_the_prefix_and_a_token_of_the_right_shape() {
        let raw = "a".repeat(43);
        let bearer = bearer_value(&raw);
        assert_eq!(strip_bearer(&bearer), Some(raw.as_str()));
        assert_eq!(strip_bearer(&raw), None);
        assert_eq!(strip_bearer("ptk_short"), None);
        assert_eq!(strip_bearer(&format!("ptk_{}", "!".repeat(43))), None);
    }
}
