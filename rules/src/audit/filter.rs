//! The audit log's filter, as typed into the page (or the CSV link) and as checked before any
//! query runs. Shared with the browser, so it validates the same in both.

use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::list_filter::{check_dates, check_resource, query_string};

/// What a person typed; every field may be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilterInput {
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub resource: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

/// The checked filter: `None` means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub target: Option<String>,
    pub resource_id: Option<i64>,
    /// From the first second of this day (UTC).
    pub from: Option<i64>,
    /// Up to, not including, this second (the day after the "to" date).
    pub until: Option<i64>,
}

impl AuditFilterInput {
    pub fn check(&self) -> Result<AuditFilter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let text = |value: &str| {
            let value = value.trim();
            (!value.is_empty()).then(|| value.to_string())
        };
        let resource_id = check_resource(&mut errors, &self.resource);
        let (from, until) = check_dates(&mut errors, &self.from, &self.to);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(AuditFilter {
            actor: text(&self.actor).map(|a| a.to_lowercase()),
            action: text(&self.action),
            target: text(&self.target),
            resource_id,
            from,
            until,
        })
    }

    /// The filter as a query string (for the "older" link and the CSV download).
    pub fn query(&self) -> String {
        query_string(&[
            ("actor", &self.actor),
            ("action", &self.action),
            ("target", &self.target),
            ("resource", &self.resource),
            ("from", &self.from),
            ("to", &self.to),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(pairs: &[(&str, &str)]) -> AuditFilterInput {
        let mut input = AuditFilterInput::default();
        for (name, value) in pairs {
            let value = value.to_string();
            match *name {
                "actor" => input.actor = value,
                "action" => input.action = value,
                "target" => input.target = value,
                "resource" => input.resource = value,
                "from" => input.from = value,
                "to" => input.to = value,
                _ => unreachable!(),
            }
        }
        input
    }

    #[test]
    fn an_empty_filter_matches_everything() {
        assert_eq!(AuditFilterInput::default().check(), Ok(AuditFilter::default()));
    }

    #[test]
    fn the_to_date_includes_its_whole_day() {
        let filter = input(&[("from", "2026-11-01"), ("to", "2026-11-01")])
            .check()
            .unwrap();
        assert_eq!(filter.from, Some(1_793_491_200));
        assert_eq!(filter.until, Some(1_793_491_200 + 86_400));
    }

    #[test]
    fn actors_are_compared_lowercase_and_blanks_mean_any() {
        let filter = input(&[("actor", " Ada@Example.com "), ("target", "  ")])
            .check()
            .unwrap();
        assert_eq!(filter.actor.as_deref(), Some("ada@example.com"));
        assert_eq!(filter.target, None);
    }

    #[test]
    fn bad_dates_and_resources_get_a_message_each() {
        let errors = input(&[("from", "yesterday"), ("resource", "crm")])
            .check()
            .unwrap_err();
        assert_eq!(errors.message("from"), Some("@enter_date_as_yyyy_2"));
        assert_eq!(errors.message("resource"), Some("@choose_resource_from_list"));
        let reversed = input(&[("from", "2026-11-02"), ("to", "2026-11-01")])
            .check()
            .unwrap_err();
        assert!(reversed.message("to").is_some());
    }

    #[test]
    fn the_query_string_carries_only_what_was_typed() {
        let query = input(&[("actor", "ada@example.com"), ("from", "2026-11-01")]).query();
        assert_eq!(query, "actor=ada%40example.com&from=2026-11-01");
    }
}
