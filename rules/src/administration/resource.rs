//! Resources as people describe them: kinds, slugs, and the admin's resource form.

use serde::{Deserialize, Serialize};
use validator::{Validate, ValidationError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResourceKind {
    App,
    Group,
}

impl ResourceKind {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "app" => Some(ResourceKind::App),
            "group" => Some(ResourceKind::Group),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::App => "app",
            ResourceKind::Group => "group",
        }
    }
}

/// Slugs name resources in addresses: lowercase letters, digits and single hyphens.
pub fn check_slug(slug: &str) -> Result<(), String> {
    let valid_chars = slug
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if slug.is_empty() {
        Err("@enter_short_name_address".into())
    } else if slug.len() > 60 {
        Err("@use_most_60_characters".into())
    } else if !valid_chars || slug.starts_with('-') || slug.ends_with('-') || slug.contains("--") {
        Err("@use_lowercase_letters_digits".into())
    } else {
        Ok(())
    }
}

fn slug_rule(value: &str) -> Result<(), ValidationError> {
    check_slug(value).map_err(|m| ValidationError::new("slug").with_message(m.into()))
}

fn kind_rule(value: &str) -> Result<(), ValidationError> {
    ResourceKind::parse(value)
        .map(|_| ())
        .ok_or_else(|| ValidationError::new("kind").with_message("@choose_app_group".into()))
}

/// The resource form (create and edit).
#[derive(Debug, Clone, Validate)]
pub struct ResourceInput {
    #[validate(
        length(min = 1, max = 100, message = "@enter_name_most_100"),
        custom(function = "crate::accounts::account::one_line_rule")
    )]
    pub name: String,
    #[validate(custom(function = "slug_rule"))]
    pub slug: String,
    #[validate(custom(function = "kind_rule"))]
    pub kind: String,
    #[validate(length(max = 2000, message = "@use_most_2_000"))]
    pub description: String,
    pub is_requestable: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_hyphens() {
        assert!(check_slug("crm").is_ok());
        assert!(check_slug("design-team-2").is_ok());
        for bad in ["", "CRM", "design team", "-crm", "crm-", "a--b", "crm/x"] {
            assert!(check_slug(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_resource_form_reports_each_field() {
        let input = ResourceInput {
            name: String::new(),
            slug: "Bad Slug".into(),
            kind: "printer".into(),
            description: String::new(),
            is_requestable: true,
        };
        let errors = crate::error::FieldErrors::from_validation(&input.validate().expect_err("invalid"));
        assert!(errors.message("name").is_some());
        assert!(errors.message("slug").is_some());
        assert_eq!(errors.message("kind"), Some("@choose_app_group"));
    }

    #[test]
    fn a_resource_name_may_not_change_its_direction() {
        let input = ResourceInput {
            name: "CRM \u{202E}nimda".into(),
            slug: "crm".into(),
            kind: "app".into(),
            description: String::new(),
            is_requestable: true,
        };
        let errors = crate::error::FieldErrors::from_validation(&input.validate().expect_err("invalid"));
        assert_eq!(errors.message("name"), Some("@remove_characters_that_change"));
    }
}
