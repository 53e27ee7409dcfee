//! How an audit event reads to a person: what happened, in words, and its details as labelled
//! values. The stored event stays data (its action code and JSON details); this is only how it
//! is shown, on the audit page and in a request's history.

use serde_json::Value;

use super::event::actions;
use crate::dates::format_date_time;

/// What the actor did, as a phrase that follows their name ("Asked for access").
pub fn what_happened(action: &str) -> &str {
    match action {
        actions::SIGN_IN_SUCCEEDED => "Signed in",
        actions::SIGN_IN_FAILED => "Failed to sign in",
        actions::SIGN_IN_THROTTLED => "Was held back after too many sign-in attempts",
        actions::SIGNED_OUT => "Signed out",
        actions::FIRST_ADMIN_CREATED => "Set up the portal as its first admin",
        actions::SETUP_LINK_ISSUED => "Issued the set-up link",
        actions::ACCESS_REFUSED => "Was refused a page reserved for others",
        actions::REQUEST_CREATED => "Asked for access",
        actions::REQUEST_REFUSED_BY_POLICY => "Was refused by the policy",
        actions::REQUEST_RESUBMITTED => "Asked again",
        actions::REQUEST_AUTO_APPROVED => "Approved by the policy, without an approver",
        actions::REQUEST_CANCELLED => "Withdrew the request",
        actions::DECISION_RECORDED => "Decided",
        actions::DECISION_IN_PLACE => "Decided in place of the approvers",
        actions::REQUEST_APPROVED => "Approved the request: the partner is invited",
        actions::REQUEST_DENIED => "Denied the request",
        actions::REQUEST_ADVANCED => "Moved the request on",
        actions::INVITATION_CREATED => "Sent an invitation",
        actions::INVITATION_REDEEMED => "Accepted the invitation",
        actions::MEMBERSHIP_LEFT => "Gave up access",
        actions::MEMBERSHIP_REMINDED => "Reminded the member that access ends soon",
        actions::MEMBERSHIP_EXPIRED => "Ended access that ran out",
        actions::INVITATION_EXPIRED => "Closed an invitation nobody accepted in time",
        actions::REQUEST_TIMED_OUT => "Closed: not decided in time",
        actions::JOB_RUN_REQUESTED => "Asked for a background job to run now",
        actions::AUDIT_EXPORTED => "Downloaded the audit log",
        actions::ACCOUNT_DISABLED => "Disabled the account",
        actions::ACCOUNT_ENABLED => "Enabled the account",
        actions::ACCOUNT_MADE_ADMIN => "Made the account an admin",
        actions::ACCOUNT_ADMIN_REMOVED => "Took admin rights away",
        actions::SESSIONS_ENDED => "Signed the account out everywhere",
        actions::INVITATION_RESENT => "Sent the invitation again",
        actions::INVITATION_REVOKED => "Withdrew the invitation",
        actions::MEMBERSHIP_REVOKED => "Took access away",
        actions::MEMBERSHIP_EXTENDED => "Extended access",
        actions::ACCOUNT_CREATED => "Created the account",
        actions::PASSWORD_SET => "Set a password",
        actions::RESOURCE_CREATED => "Added the resource",
        actions::RESOURCE_UPDATED => "Changed the resource",
        actions::RESOURCE_ARCHIVED => "Archived the resource",
        actions::RESOURCE_RESTORED => "Restored the resource",
        actions::OWNER_ADDED => "Added an owner",
        actions::OWNER_REMOVED => "Removed an owner",
        actions::POLICY_CHANGED => "Changed the policy",
        actions::BULK_CHECKED => "Checked a list for a bulk invitation",
        actions::BULK_STARTED => "Started a bulk invitation",
        actions::BULK_STOPPED => "Stopped a bulk invitation",
        actions::SETTINGS_CHANGED => "Changed the portal's settings",
        actions::LOGO_CHANGED => "Changed the logo",
        actions::LOGO_REMOVED => "Removed the logo",
        actions::TERMS_PUBLISHED => "Published terms of use",
        actions::TERMS_ACCEPTED => "Accepted the terms of use",
        actions::TERMS_WITHDRAWN => "Withdrew the terms of use",
        actions::API_CALLED => "Called the API",
        actions::API_TOKEN_CREATED => "Made an API token",
        actions::API_TOKEN_REVOKED => "Revoked an API token",
        actions::WEBHOOK_CREATED => "Added a webhook",
        actions::WEBHOOK_UPDATED => "Changed a webhook",
        actions::WEBHOOK_DELETED => "Deleted a webhook",
        actions::WEBHOOK_REDELIVERED => "Sent a webhook delivery again",
        other => other,
    }
}

/// The longest a shown value gets; the CSV export keeps the whole of it.
const LONGEST_VALUE: usize = 160;

/// An event's details as (label, value) lines: `expires_at: 1767225600` reads
/// "Expires at: 1 Jan 2026, 00:00 UTC". Details that are not a JSON object read as one line.
pub fn detail_lines(details: &str) -> Vec<(String, String)> {
    match serde_json::from_str::<Value>(details) {
        Ok(Value::Object(map)) => {
            if let Some(changed) = changed_settings(&map) {
                return vec![("Changed".to_string(), changed)];
            }
            let mut keys: Vec<&String> = map.keys().filter(|key| !map[key.as_str()].is_null()).collect();
            keys.sort();
            keys.into_iter()
                .map(|key| (label(key), shown(key, &map[key.as_str()])))
                .collect()
        }
        Ok(Value::Null) => Vec::new(),
        _ if details.trim().is_empty() => Vec::new(),
        _ => vec![("Details".to_string(), shorten(details.to_string()))],
    }
}

/// A change of a whole set of settings (`before`/`after` or `from`/`to`, both objects) reads as
/// the names of the settings that differ; the CSV export keeps both sets in full.
fn changed_settings(map: &serde_json::Map<String, Value>) -> Option<String> {
    let pair = |a: &str, b: &str| Some((map.get(a)?.as_object()?, map.get(b)?.as_object()?));
    let (before, after) = pair("before", "after").or_else(|| pair("from", "to"))?;
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    let changed: Vec<String> = keys
        .into_iter()
        .filter(|key| before.get(key.as_str()) != after.get(key.as_str()))
        .map(|key| label(key).to_lowercase())
        .collect();
    Some(if changed.is_empty() {
        "nothing".to_string()
    } else {
        shorten(changed.join(", "))
    })
}

/// A nested set of values, as `label: value` pairs.
fn flattened(map: &serde_json::Map<String, Value>) -> String {
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    let parts: Vec<String> = keys
        .into_iter()
        .map(|key| {
            format!(
                "{}: {}",
                label(key).to_lowercase(),
                shown(key, &map[key.as_str()])
            )
        })
        .collect();
    shorten(parts.join("; "))
}

/// `expires_at` -> "Expires at".
fn label(key: &str) -> String {
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

fn shown(key: &str, value: &Value) -> String {
    match value {
        Value::Bool(true) => "yes".to_string(),
        Value::Bool(false) => "no".to_string(),
        Value::Number(n) if is_time(key) => n.as_i64().map(format_date_time).unwrap_or_else(|| n.to_string()),
        Value::String(s) => shorten(s.clone()),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            shorten(items.iter().map(|i| shown("", i)).collect::<Vec<_>>().join(", "))
        }
        Value::Object(map) => flattened(map),
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
    fn every_action_has_words_of_its_own() {
        for action in actions::ALL {
            let words = what_happened(action);
            assert_ne!(words, *action, "{action} has no words");
            assert!(
                words.chars().next().is_some_and(char::is_uppercase),
                "{action}: {words}"
            );
        }
        assert_eq!(what_happened("something.new"), "something.new");
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
