//! Webhooks: which changes other apps can hear about, what an admin types to register an
//! endpoint, which addresses may receive deliveries, and how long a failing delivery is retried.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;

/// Every event an endpoint can choose (the admin pages say what each means).
pub const EVENTS: &[&str] = &[
    "request.created",
    "request.decided",
    "invitation.created",
    "invitation.redeemed",
    "invitation.revoked",
    "membership.ended",
];

/// The webhook event an audit action is part of, if any.
pub fn event_for_action(action: &str) -> Option<&'static str> {
    Some(match action {
        "request.created" => "request.created",
        "request.approved" | "request.denied" | "request.auto_approved" => "request.decided",
        "invitation.created" => "invitation.created",
        "invitation.redeemed" => "invitation.redeemed",
        "invitation.revoked" => "invitation.revoked",
        "membership.revoked" | "membership.expired" | "membership.left" => "membership.ended",
        _ => return None,
    })
}

/// A failing delivery is tried again for this long after the change, then given up.
pub const RETRY_FOR_SECONDS: i64 = 24 * 3600;

/// The pause before try number `attempts + 1`: 30 s, doubling each time, at most an hour.
pub fn retry_delay(attempts: i64) -> i64 {
    let doublings = attempts.clamp(1, 8) - 1;
    (30_i64 << doublings).min(3600)
}

/// When to try again after a failed try, or `None` to give up.
pub fn next_attempt(created_at: i64, attempts: i64, now: i64) -> Option<i64> {
    let next = now + retry_delay(attempts);
    (next <= created_at + RETRY_FOR_SECONDS).then_some(next)
}

/// True for addresses on the public internet; loopback, private, link-local, shared (CGNAT),
/// multicast and unspecified addresses are not.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// What an admin types to register an endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointInput {
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub events: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedEndpoint {
    pub url: String,
    pub description: String,
    /// Sorted, comma-separated.
    pub events: String,
}

pub const URL_MAX_CHARS: usize = 2000;

impl EndpointInput {
    /// Checks the input. `host_check` judges the host of an otherwise good URL (a message
    /// when it may not receive deliveries); the server passes one that knows the setting.
    pub fn check(
        &self,
        host_check: impl Fn(&str) -> Result<(), String>,
    ) -> Result<CheckedEndpoint, FieldErrors> {
        let mut errors = FieldErrors::new();
        let url = self.url.trim();
        if url.is_empty() {
            errors.add("url", "@enter_address_that_receives");
        } else if url.chars().count() > URL_MAX_CHARS {
            errors.add(
                "url",
                crate::message::with("too_long", &[("max", &URL_MAX_CHARS.to_string())]),
            );
        } else if let Err(message) = check_url_shape(url).and_then(|host| host_check(&host)) {
            errors.add("url", message);
        }
        let description = self.description.trim();
        if description.chars().count() > 200 {
            errors.add("description", "@use_most_200_characters");
        }
        let mut events: Vec<&str> = self.events.iter().map(|e| e.trim()).collect();
        events.sort_unstable();
        events.dedup();
        if events.is_empty() {
            errors.add("events", "@choose_least_one_event");
        } else if let Some(unknown) = events.iter().find(|e| !EVENTS.contains(&**e)) {
            errors.add(
                "events",
                crate::message::with("not_an_event", &[("event", unknown)]),
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(CheckedEndpoint {
            url: url.to_string(),
            description: description.to_string(),
            events: events.join(","),
        })
    }
}

/// `http(s)://host[:port]/path`, without credentials or fragment; returns the host.
pub fn check_url_shape(url: &str) -> Result<String, String> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| "@give_full_address_starting".to_string())?;
    if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
        return Err("@only_http_https_addresses".to_string());
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("@remove_spaces_from_address".to_string());
    }
    if url.contains('#') {
        return Err("@leave_fragment_out_address".to_string());
    }
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err("@leave_user_names_passwords".to_string());
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default().to_string()
    } else {
        authority
            .rsplit_once(':')
            .map_or(authority, |(host, _)| host)
            .to_string()
    };
    if host.is_empty() {
        return Err("@address_needs_host_name".to_string());
    }
    Ok(host.to_ascii_lowercase())
}

/// The host check without DNS: literal addresses must be public (and "localhost" is not),
/// unless private targets are allowed.
pub fn literal_host_check(host: &str, allow_private: bool) -> Result<(), String> {
    if allow_private {
        return Ok(());
    }
    let private = match host.parse::<IpAddr>() {
        Ok(ip) => !is_public(ip),
        Err(_) => host == "localhost" || host.ends_with(".localhost"),
    };
    if private {
        Err("@loopback_private_addresses_are".to_string())
    } else {
        Ok(())
    }
}

/// What webhooks are told of an audit event: the event's name and its JSON payload, for the
/// events other apps may hear about (see [`event_for_action`]); `None` for the others.
pub fn webhook_notice(event: &crate::audit::event::AuditEvent) -> Option<(&'static str, serde_json::Value)> {
    let name = event_for_action(event.action)?;
    Some((
        name,
        serde_json::json!({
            "event": name,
            "action": event.action,
            "occurred_at": event.occurred_at,
            "actor": event.actor,
            "target": { "kind": event.target_kind, "id": event.target_id, "label": event.target },
            "resource_id": event.resource_id,
            "details": event.details,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_actions_map_to_the_events_apps_subscribe_to() {
        assert_eq!(event_for_action("request.denied"), Some("request.decided"));
        assert_eq!(event_for_action("request.auto_approved"), Some("request.decided"));
        assert_eq!(event_for_action("membership.expired"), Some("membership.ended"));
        assert_eq!(
            event_for_action("invitation.redeemed"),
            Some("invitation.redeemed")
        );
        assert_eq!(event_for_action("sign_in.succeeded"), None);
        for event in EVENTS {
            assert!(
                [
                    "request.created",
                    "invitation.created",
                    "invitation.redeemed",
                    "invitation.revoked"
                ]
                .contains(event)
                    || event_for_action(&event.replace("decided", "approved").replace("ended", "left"))
                        == Some(event),
                "{event} is reachable"
            );
        }
    }

    #[test]
    fn retries_back_off_and_stop_after_a_day() {
        assert_eq!(retry_delay(1), 30);
        assert_eq!(retry_delay(2), 60);
        assert_eq!(retry_delay(5), 480);
        assert_eq!(retry_delay(20), 3600);
        assert_eq!(next_attempt(0, 1, 100), Some(130));
        assert_eq!(next_attempt(0, 30, RETRY_FOR_SECONDS - 10), None);
    }

    #[test]
    fn only_public_addresses_count_as_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "8.8.8.8"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn endpoint_input_is_checked_field_by_field() {
        let input = |url: &str, events: &[&str]| EndpointInput {
            url: url.into(),
            description: String::new(),
            events: events.iter().map(|e| e.to_string()).collect(),
        };
        let strict = |host: &str| literal_host_check(host, false);
        let errors = input("ftp://x.example", &[]).check(strict).unwrap_err();
        assert!(crate::message::english(errors.message("url")).contains("http"));
        assert!(crate::message::english(errors.message("events")).contains("at least one"));
        let errors = input("http://127.0.0.1:9000/hook", &["request.created"])
            .check(strict)
            .unwrap_err();
        assert!(crate::message::english(errors.message("url")).contains("private"));
        let errors = input("https://u:p@hooks.example/x", &["nope"])
            .check(strict)
            .unwrap_err();
        assert!(crate::message::english(errors.message("url")).contains("passwords"));
        assert!(crate::message::english(errors.message("events")).contains("\"nope\""));
        let relaxed = |host: &str| literal_host_check(host, true);
        let ok = input(
            "http://127.0.0.1:9000/hook",
            &["request.created", "invitation.created", "request.created"],
        )
        .check(relaxed)
        .unwrap();
        assert_eq!(ok.events, "invitation.created,request.created");
        assert_eq!(check_url_shape("https://[::1]:8443/x").unwrap(), "::1");
        assert_eq!(
            check_url_shape("https://Hooks.Example:8443").unwrap(),
            "hooks.example"
        );
    }
}
