//! The filter of the admin lists of invitations and requests, as typed into the page and as
//! checked before any query runs. Shared with the browser, so it validates the same in both.

use serde::{Deserialize, Serialize};

use crate::dates::parse_date;
use crate::error::FieldErrors;

const DAY: i64 = 86_400;

/// What a person typed; every field may be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListFilterInput {
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub resource: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// "oldest" for oldest first; anything else is newest first.
    #[serde(default)]
    pub sort: String,
}

/// The checked filter: `None` means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub state: Option<String>,
    pub resource_id: Option<i64>,
    /// Part of an email address, lower-cased.
    pub email: Option<String>,
    /// Created from the first second of this day (UTC)...
    pub from: Option<i64>,
    /// ...up to, not including, this second (the day after the "to" date).
    pub until: Option<i64>,
    pub oldest_first: bool,
}

impl ListFilterInput {
    /// Checks the input; `states` are the values the state filter offers.
    pub fn check(&self, states: &[&str]) -> Result<ListFilter, FieldErrors> {
        let mut errors = FieldErrors::new();
        let state = match self.state.trim() {
            "" | "all" => None,
            state if states.contains(&state) => Some(state.to_string()),
            _ => {
                errors.add("state", "@choose_state_from_list");
                None
            }
        };
        let resource_id = check_resource(&mut errors, &self.resource);
        let email = self.email.trim().to_lowercase();
        if email.chars().count() > 254 {
            errors.add("email", "@search_most_254_characters");
        }
        let (from, until) = check_dates(&mut errors, &self.from, &self.to);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ListFilter {
            state,
            resource_id,
            email: (!email.is_empty()).then_some(email),
            from,
            until,
            oldest_first: self.sort == "oldest",
        })
    }

    /// The filter as a query string, for the links to the next page.
    pub fn query(&self) -> String {
        query_string(&[
            ("state", &self.state),
            ("resource", &self.resource),
            ("email", &self.email),
            ("from", &self.from),
            ("to", &self.to),
            ("sort", &self.sort),
        ])
    }
}

/// A resource filter: empty, or a resource id from the list.
pub fn check_resource(errors: &mut FieldErrors, typed: &str) -> Option<i64> {
    match typed.trim() {
        "" => None,
        id => match id.parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                errors.add("resource", "@choose_resource_from_list");
                None
            }
        },
    }
}

/// A date range from the "from" and "to" fields: from the first second of "from" up to, not
/// including, the day after "to" (UTC).
pub fn check_dates(errors: &mut FieldErrors, from: &str, to: &str) -> (Option<i64>, Option<i64>) {
    let mut date = |field: &str, value: &str| match value.trim() {
        "" => None,
        typed => {
            let parsed = parse_date(typed);
            if parsed.is_none() {
                errors.add(field, "@enter_date_as_yyyy_2");
            }
            parsed
        }
    };
    let from = date("from", from);
    let until = date("to", to).map(|day| day + DAY);
    if let (Some(from), Some(until)) = (from, until) {
        if until <= from {
            errors.add("to", "@end_date_must_not");
        }
    }
    (from, until)
}

/// `name=value&...` for the fields that are not empty.
pub fn query_string(fields: &[(&str, &String)]) -> String {
    let mut out = String::new();
    for (name, value) in fields {
        if !value.trim().is_empty() {
            out.push_str(if out.is_empty() { "" } else { "&" });
            out.push_str(name);
            out.push('=');
            out.push_str(&url_encode(value.trim()));
        }
    }
    out
}

/// Percent-encodes a path for use as a query value.
pub fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATES: [&str; 2] = ["pending", "redeemed"];

    #[test]
    fn an_empty_filter_matches_everything_newest_first() {
        let filter = ListFilterInput::default().check(&STATES).unwrap();
        assert_eq!(filter, ListFilter::default());
    }

    #[test]
    fn each_field_is_checked_and_named() {
        let input = ListFilterInput {
            state: "lost".into(),
            resource: "x".into(),
            from: "2027-02-30".into(),
            ..Default::default()
        };
        let errors = input.check(&STATES).unwrap_err();
        assert_eq!(errors.message("state"), Some("@choose_state_from_list"));
        assert_eq!(errors.message("resource"), Some("@choose_resource_from_list"));
        assert_eq!(errors.message("from"), Some("@enter_date_as_yyyy_2"));
        let backwards = ListFilterInput {
            from: "2027-03-02".into(),
            to: "2027-03-01".into(),
            ..Default::default()
        };
        assert!(backwards.check(&STATES).unwrap_err().message("to").is_some());
    }

    #[test]
    fn a_good_filter_is_normalised() {
        let input = ListFilterInput {
            state: "pending".into(),
            resource: "7".into(),
            email: " Ana@Example.COM ".into(),
            from: "2027-01-15".into(),
            to: "2027-01-15".into(),
            sort: "oldest".into(),
        };
        let filter = input.check(&STATES).unwrap();
        assert_eq!(filter.state.as_deref(), Some("pending"));
        assert_eq!(filter.resource_id, Some(7));
        assert_eq!(filter.email.as_deref(), Some("ana@example.com"));
        assert_eq!(filter.from, Some(1_799_971_200));
        assert_eq!(filter.until, Some(1_799_971_200 + DAY));
        assert!(filter.oldest_first);
        assert_eq!(
            input.query(),
            "state=pending&resource=7&email=Ana%40Example.COM&from=2027-01-15&to=2027-01-15&sort=oldest"
        );
    }
}
