//! SQL conditions shared by queries. A WHERE clause built from the filters in use only, so each
//! query can use the index of its filter. Templates say `?` for their one value; it becomes the
//! right `$n` for both engines. And the one form of "a live membership" (`live_membership!`).

use sqlx::any::AnyArguments;
use sqlx::query::QueryAs;
use sqlx::Any;

pub enum Value {
    Text(String),
    Number(i64),
}

#[derive(Default)]
pub struct Conditions {
    parts: Vec<String>,
    values: Vec<Value>,
}

impl Conditions {
    /// Adds `template`; every `?` in it stands for `value`.
    pub fn add(&mut self, template: &str, value: Value) {
        self.values.push(value);
        self.parts
            .push(template.replace('?', &format!("${}", self.values.len())));
    }

    pub fn text(&mut self, template: &str, value: impl Into<String>) {
        self.add(template, Value::Text(value.into()));
    }

    pub fn number(&mut self, template: &str, value: i64) {
        self.add(template, Value::Number(value));
    }

    /// `WHERE a AND b`, or nothing.
    pub fn clause(&self) -> String {
        if self.parts.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.parts.join(" AND "))
        }
    }

    /// The placeholder after the conditions' values (for a LIMIT, say).
    pub fn next_placeholder(&self) -> String {
        format!("${}", self.values.len() + 1)
    }

    pub fn bind<'q, O>(
        self,
        mut query: QueryAs<'q, Any, O, AnyArguments<'q>>,
    ) -> QueryAs<'q, Any, O, AnyArguments<'q>> {
        for value in self.values {
            query = match value {
                Value::Text(text) => query.bind(text),
                Value::Number(number) => query.bind(number),
            };
        }
        query
    }
}

/// The one SQL condition for a live membership: not ended, and not expired at `now`. `prefix` is
/// the memberships table's alias with its dot (`"m."`, or `""`), `now` the SQL for the moment (a
/// parameter such as `"$2"`, or `"{now}"` inside a `format!`). It expands to a literal, so the
/// queries built with `concat!` stay constants. It lives here rather than in `memberships`
/// because the provider's queries in `oidc` ask it too, and `memberships` already uses `oidc`.
macro_rules! live_membership {
    ($prefix:literal, $now:literal) => {
        concat!(
            $prefix,
            "ended_at IS NULL AND (",
            $prefix,
            "expires_at IS NULL OR ",
            $prefix,
            "expires_at > ",
            $now,
            ")"
        )
    };
}
pub(crate) use live_membership;
