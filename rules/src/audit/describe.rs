//! How an audit event's details are laid out for a person: labelled values, times written out,
//! long values shortened. The stored event stays data (its JSON details); the words come from
//! the reader's language (`DetailWords`), the action's phrase from the pages' catalogue.

use serde_json::Value;

/// The words a reader's language gives the details: labels for the keys it knows (others read
/// as their own words, `expires_at` -> "Expires at"), yes/no, and how a moment is written.
pub struct DetailWords<'a> {
    pub label: &'a dyn Fn(&str) -> Option<&'static str>,
    pub yes: &'a str,
    pub no: &'a str,
    pub nothing: &'a str,
    pub changed: &'a str,
    pub details: &'a str,
    pub moment: &'a dyn Fn(i64) -> String,
    /// The words for a coded value of a key (an invitation's `source`, a resource's `kind`),
    /// if it is one.
    pub value: &'a dyn Fn(&str, &str) -> Option<String>,
}

impl DetailWords<'_> {
    /// English words without a catalogue, for the tests.
    #[cfg(test)]
    pub fn english<R>(then: impl FnOnce(&DetailWords) -> R) -> R {
        then(&DetailWords {
            label: &|_| None,
            yes: "yes",
            no: "no",
            nothing: "nothing",
            changed: "Changed",
            details: "Details",
            moment: &crate::dates::format_date_time,
            value: &|_, _| None,
        })
    }

    fn label(&self, key: &str) -> String {
        (self.label)(key)
            .map(str::to_string)
            .unwrap_or_else(|| key_words(key))
    }
}

/// The longest a shown value gets; the CSV export keeps the whole of it.
const LONGEST_VALUE: usize = 160;

/// An event's details as (label, value) lines: `expires_at: 1767225600` reads
/// "Expires at: 1 Jan 2026, 00:00 UTC". Details that are not a JSON object read as one line.
pub fn detail_lines(details: &str, words: &DetailWords) -> Vec<(String, String)> {
    match serde_json::from_str::<Value>(details) {
        Ok(Value::Object(map)) => {
            if let Some(changed) = changed_settings(&map, words) {
                return vec![(words.changed.to_string(), changed)];
            }
            let mut keys: Vec<&String> = map.keys().filter(|key| !map[key.as_str()].is_null()).collect();
            keys.sort();
            keys.into_iter()
                .map(|key| (words.label(key), shown(key, &map[key.as_str()], words)))
                .collect()
        }
        Ok(Value::Null) => Vec::new(),
        _ if details.trim().is_empty() => Vec::new(),
        _ => vec![(words.details.to_string(), shorten(details.to_string()))],
    }
}

/// A change of a whole set of settings (`before`/`after` or `from`/`to`, both objects) reads as
/// the names of the settings that differ; the CSV export keeps both sets in full.
fn changed_settings(map: &serde_json::Map<String, Value>, words: &DetailWords) -> Option<String> {
    let pair = |a: &str, b: &str| Some((map.get(a)?.as_object()?, map.get(b)?.as_object()?));
    let (before, after) = pair("before", "after").or_else(|| pair("from", "to"))?;
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    let changed: Vec<String> = keys
        .into_iter()
        .filter(|key| before.get(key.as_str()) != after.get(key.as_str()))
        .map(|key| words.label(key).to_lowercase())
        .collect();
    Some(if changed.is_empty() {
        words.nothing.to_string()
    } else {
        shorten(changed.join(", "))
    })
}

/// A nested set of values, as `label: value` pairs.
fn flattened(map: &serde_json::Map<String, Value>, words: &DetailWords) -> String {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    let parts: Vec<String> = keys
        .into_iter()
        .map(|key| {
            format!(
                "{}: {}",
                words.label(key).to_lowercase(),
                shown(key, &map[key.as_str()], words)
            )
        })
        .collect();
    shorten(parts.join("; "))
}

/// `expires_at` -> "Expires at".
fn key_words(key: &str) -> String {
    let words = key.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

/// Keys whose numbers are moments in time.
fn is_time(key: &str) -> bool {
    key.ends_with("_at") || key.ends_with("_by") || matches!(key, "from" | "to")
}

fn shown(key: &str, value: &Value, words: &DetailWords) -> String {
    match value {
        Value::Bool(true) => words.yes.to_string(),
        Value::Bool(false) => words.no.to_string(),
        Value::Number(n) if is_time(key) => n.as_i64().map(words.moment).unwrap_or_else(|| n.to_string()),
        Value::String(s) => (words.value)(key, s).unwrap_or_else(|| shorten(s.clone())),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => shorten(
            items
                .iter()
                .map(|i| shown("", i, words))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Value::Object(map) => flattened(map, words),
        other => shorten(other.to_string()),
    }
}

fn shorten(text: String) -> String {
    if text.chars().count() <= LONGEST_VALUE {
        return text;
    }
    let mut cut: String = text.chars().take(LONGEST_VALUE).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail_lines(details: &str) -> Vec<(String, String)> {
        DetailWords::english(|words| super::detail_lines(details, words))
    }

    #[test]
    fn a_changed_set_of_settings_reads_as_the_names_that_differ() {
        let lines = detail_lines(
            r#"{"before": {"stages": 1, "auto_approve": false, "note": "a"}, "after": {"stages": 2, "auto_approve": false, "expiry_days": 30}}"#,
        );
        assert_eq!(
            lines,
            vec![("Changed".to_string(), "expiry days, note, stages".to_string())]
        );
        let same = detail_lines(r#"{"from": {"a": 1}, "to": {"a": 1}}"#);
        assert_eq!(same, vec![("Changed".to_string(), "nothing".to_string())]);
    }

    #[test]
    fn details_read_as_labelled_values_with_dates_written_out() {
        let lines = detail_lines(
            r#"{"expires_at": 1767225600, "emailed": true, "scopes": ["invitations:write", "requests:read"], "stage": 2, "gone": null}"#,
        );
        assert_eq!(
            lines,
            vec![
                ("Emailed".to_string(), "yes".to_string()),
                ("Expires at".to_string(), "1 Jan 2026, 00:00 UTC".to_string()),
                (
                    "Scopes".to_string(),
                    "invitations:write, requests:read".to_string()
                ),
                ("Stage".to_string(), "2".to_string()),
            ]
        );
    }

    #[test]
    fn odd_or_long_details_are_shown_shortened_not_lost() {
        assert!(detail_lines("{}").is_empty());
        assert!(detail_lines("").is_empty());
        assert_eq!(
            detail_lines("not json"),
            vec![("Details".to_string(), "not json".to_string())]
        );
        let nested = detail_lines(r#"{"after": {"auto_approve": true, "stages": 2}, "uses_default": false}"#);
        assert_eq!(
            nested[0],
            ("After".to_string(), "auto approve: yes; stages: 2".to_string())
        );
        let long = format!(r#"{{"after": {{"note": "{}"}}}}"#, "x".repeat(400));
        let lines = detail_lines(&long);
        assert_eq!(lines[0].0, "After");
        assert!(lines[0].1.ends_with('…') && lines[0].1.chars().count() == LONGEST_VALUE + 1);
    }
}
