//! What an owner types to invite one partner directly. Shared with the browser.

use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::accounts::account::{display_name_rule, email_rule};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
pub struct DirectInviteInput {
    #[validate(custom(function = "email_rule"))]
    pub email: String,
    #[validate(custom(function = "display_name_rule"))]
    pub display_name: String,
    #[validate(length(max = 1000, message = "@keep_message_1_000"))]
    #[serde(default)]
    pub message: String,
    /// The language of the invitation's emails (a tag; empty for the portal's default).
    #[serde(default)]
    pub language: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_and_name_are_required_and_the_message_is_bounded() {
        let bad = DirectInviteInput {
            email: "not an email".into(),
            display_name: " ".into(),
            message: "x".repeat(1001),
            language: String::new(),
        };
        let errors = bad.validate().unwrap_err();
        let fields = errors.field_errors();
        assert!(fields.contains_key("email"));
        assert!(fields.contains_key("display_name"));
        assert!(fields.contains_key("message"));
        let good = DirectInviteInput {
            email: "ann@partner.example".into(),
            display_name: "Ann".into(),
            message: String::new(),
            language: String::new(),
        };
        assert!(good.validate().is_ok());
    }
}
