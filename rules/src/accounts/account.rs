//! Accounts as the rest of the portal sees them, and the forms that create or sign in one.

use serde::{Deserialize, Serialize};
use validator::{Validate, ValidationError};

use crate::validation::{check_display_name, check_email, check_password_length};

/// The person behind the current session, as pages need to know them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub account_id: i64,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
    pub is_staff: bool,
    /// Has the review queue: staff always; anyone else while requests wait for their decision.
    pub has_reviews: bool,
}

impl Viewer {
    pub fn role_label(&self) -> &'static str {
        if self.is_admin {
            "Admin"
        } else if self.is_staff {
            "Staff"
        } else {
            "Partner"
        }
    }
}

fn rule(result: Result<(), String>) -> Result<(), ValidationError> {
    result.map_err(|message| ValidationError::new("invalid").with_message(message.into()))
}

pub fn email_rule(value: &str) -> Result<(), ValidationError> {
    rule(check_email(value))
}

pub fn display_name_rule(value: &str) -> Result<(), ValidationError> {
    rule(check_display_name(value))
}

/// Names and labels other people read: one line, no direction overrides.
pub fn one_line_rule(value: &str) -> Result<(), ValidationError> {
    rule(crate::validation::check_one_line(value))
}

pub fn password_rule(value: &str) -> Result<(), ValidationError> {
    rule(check_password_length(value))
}

/// The first admin, created through the one-time setup link.
#[derive(Debug, Clone, Validate)]
pub struct NewAdminInput {
    #[validate(custom(function = "email_rule"))]
    pub email: String,
    #[validate(custom(function = "display_name_rule"))]
    pub display_name: String,
    #[validate(custom(function = "password_rule"))]
    pub password: String,
    #[validate(must_match(other = "password", message = "@two_passwords_do_not"))]
    pub password_confirm: String,
}

/// A partner creating their account while redeeming an invitation (the email is the invitation's).
#[derive(Debug, Clone, Validate)]
pub struct NewPartnerInput {
    #[validate(custom(function = "display_name_rule"))]
    pub display_name: String,
    #[validate(custom(function = "password_rule"))]
    pub password: String,
    #[validate(must_match(other = "password", message = "@two_passwords_do_not"))]
    pub password_confirm: String,
}

/// What the sign-in form sends. Only presence is checked: telling someone their password
/// is "too short" at sign-in would leak the policy of an account they may not own.
#[derive(Debug, Clone, Validate)]
pub struct SignInInput {
    #[validate(length(min = 1, max = 254, message = "@enter_email_address_2"))]
    pub email: String,
    #[validate(length(min = 1, max = 1024, message = "@enter_password"))]
    pub password: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldErrors;

    fn admin(email: &str, name: &str, password: &str, confirm: &str) -> NewAdminInput {
        NewAdminInput {
            email: email.into(),
            display_name: name.into(),
            password: password.into(),
            password_confirm: confirm.into(),
        }
    }

    #[test]
    fn a_complete_admin_form_is_valid() {
        let input = admin("ada@example.com", "Ada", "a long passphrase", "a long passphrase");
        assert!(input.validate().is_ok());
    }

    #[test]
    fn each_bad_field_gets_its_own_message() {
        let input = admin("ada", "", "short", "other");
        let report = input.validate().expect_err("should be invalid");
        let errors = FieldErrors::from_validation(&report);
        assert_eq!(errors.message("email"), Some("@enter_email_address_like"));
        assert_eq!(errors.message("display_name"), Some("@enter_name"));
        assert!(crate::message::english(errors.message("password")).contains("at least 8"));
        assert_eq!(errors.message("password_confirm"), Some("@two_passwords_do_not"));
    }

    #[test]
    fn sign_in_only_checks_presence() {
        let input = SignInInput {
            email: String::new(),
            password: String::new(),
        };
        let errors = FieldErrors::from_validation(&input.validate().expect_err("empty"));
        assert_eq!(errors.message("email"), Some("@enter_email_address_2"));
        assert_eq!(errors.message("password"), Some("@enter_password"));
    }
}
