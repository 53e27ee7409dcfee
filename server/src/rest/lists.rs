//! What the invitation and request lists share: the filter parameters, their checks (the same
//! as the admin pages'), and cursor pages.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use rules::dates::parse_date;
use rules::list_filter::{ListFilter, ListFilterInput};

use crate::api_error::ApiError;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    #[default]
    Newest,
    Oldest,
}

/// The filter fields both lists take, as typed into the query string.
pub struct CommonFilter<'a> {
    pub state: &'a str,
    pub resource_id: Option<i64>,
    pub email: Option<&'a str>,
    pub created_from: Option<&'a str>,
    pub created_to: Option<&'a str>,
    pub order: Option<Order>,
    pub limit: Option<i64>,
}

/// The API's names for the page filter's fields.
const RENAMED: &[(&str, &str)] = &[
    ("resource", "resource_id"),
    ("from", "created_from"),
    ("to", "created_to"),
];

impl CommonFilter<'_> {
    /// The checked filter and the page size, or the first problem with its field.
    pub fn check(&self, states: &[&str]) -> Result<(ListFilter, i64), ApiError> {
        for (field, value) in [
            ("created_from", self.created_from),
            ("created_to", self.created_to),
        ] {
            if value.is_some_and(|v| v.trim().is_empty()) {
                return Err(ApiError::invalid(field, "@give_date_as_yyyy"));
            }
        }
        // Two good dates the wrong way round match nothing; that is an answer, not an error.
        let reversed = match (
            self.created_from.and_then(parse_date),
            self.created_to.and_then(parse_date),
        ) {
            (Some(from), Some(to)) => to < from,
            _ => false,
        };
        let input = ListFilterInput {
            state: self.state.to_string(),
            resource: self.resource_id.map(|id| id.to_string()).unwrap_or_default(),
            email: self.email.unwrap_or_default().to_string(),
            from: self.created_from.unwrap_or_default().to_string(),
            to: if reversed {
                String::new()
            } else {
                self.created_to.unwrap_or_default().to_string()
            },
            sort: match self.order.unwrap_or_default() {
                Order::Newest => String::new(),
                Order::Oldest => "oldest".to_string(),
            },
        };
        let mut filter = input
            .check(states)
            .map_err(|errors| ApiError::from_fields(&errors, RENAMED))?;
        if reversed {
            filter.until = filter.from;
        }
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::invalid(
                "limit",
                rules::message::with("page_size", &[("max", &MAX_LIMIT.to_string())]),
            ));
        }
        Ok((filter, limit))
    }
}

/// A page of a list; pass `next_cursor` as `cursor` to get the next one.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Absent on the last page.
    pub next_cursor: Option<i64>,
}
