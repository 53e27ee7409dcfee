//! How an audit event reads to a person, in their language: what happened, in words, and its
//! details as labelled values. The stored event stays data (its action code and JSON details);
//! rules::audit::describe lays the details out, this names them.

use leptos_i18n::td_string;
use locales::dates::date_time;
use locales::Locale;
use rules::administration::resource::ResourceKind;
use rules::audit::describe::{detail_lines, DetailWords};
use rules::audit::event::actions;

/// What the actor did, as a phrase that follows their name ("Asked for access"); an action
/// without words (a newer server's) shows its code.
pub fn what_happened(l: Locale, action: &str) -> String {
    let words = match action {
        actions::SIGN_IN_SUCCEEDED => td_string!(l, audit.did_sign_in_succeeded),
        actions::SIGN_IN_FAILED => td_string!(l, audit.did_sign_in_failed),
        actions::SIGN_IN_THROTTLED => td_string!(l, audit.did_sign_in_throttled),
        actions::SIGN_IN_CODE_SENT => td_string!(l, audit.did_sign_in_code_sent),
        actions::IDENTITY_LINKED => td_string!(l, audit.did_identity_linked),
        actions::IDENTITY_UNLINKED => td_string!(l, audit.did_identity_unlinked),
        actions::SECOND_FACTOR_ADDED => td_string!(l, audit.did_second_factor_added),
        actions::SECOND_FACTOR_REMOVED => td_string!(l, audit.did_second_factor_removed),
        actions::SECOND_FACTOR_PASSED => td_string!(l, audit.did_second_factor_passed),
        actions::SECOND_FACTOR_FAILED => td_string!(l, audit.did_second_factor_failed),
        actions::SECOND_FACTOR_LOCKED => td_string!(l, audit.did_second_factor_locked),
        actions::RECOVERY_CODE_USED => td_string!(l, audit.did_recovery_code_used),
        actions::RECOVERY_CODES_RENEWED => td_string!(l, audit.did_recovery_codes_renewed),
        actions::SECOND_FACTORS_RESET => td_string!(l, audit.did_second_factors_reset),
        actions::SECOND_FACTOR_REQUIRED => td_string!(l, audit.did_second_factor_required),
        actions::SECOND_FACTOR_NOT_REQUIRED => td_string!(l, audit.did_second_factor_not_required),
        actions::OIDC_KEYS_ROTATED => td_string!(l, audit.did_oidc_keys_rotated),
        actions::OIDC_CLIENT_SAVED => td_string!(l, audit.did_oidc_client_saved),
        actions::OIDC_SECRET_ROTATED => td_string!(l, audit.did_oidc_secret_rotated),
        actions::OIDC_APP_SIGNED_IN => td_string!(l, audit.did_oidc_app_signed_in),
        actions::OIDC_CONSENT_GIVEN => td_string!(l, audit.did_oidc_consent_given),
        actions::OIDC_CONSENT_WITHDRAWN => td_string!(l, audit.did_oidc_consent_withdrawn),
        actions::OIDC_TOKEN_REUSED => td_string!(l, audit.did_oidc_token_reused),
        actions::PROVIDER_ADDED => td_string!(l, audit.did_provider_added),
        actions::PROVIDER_CHANGED => td_string!(l, audit.did_provider_changed),
        actions::PROVIDER_REMOVED => td_string!(l, audit.did_provider_removed),
        actions::SIGNED_OUT => td_string!(l, audit.did_sign_out),
        actions::FIRST_ADMIN_CREATED => td_string!(l, audit.did_setup_first_admin_created),
        actions::SETUP_LINK_ISSUED => td_string!(l, audit.did_setup_link_issued),
        actions::ACCESS_REFUSED => td_string!(l, audit.did_authorisation_refused),
        actions::REQUEST_CREATED => td_string!(l, audit.did_request_created),
        actions::REQUEST_REFUSED_BY_POLICY => td_string!(l, audit.did_request_refused_by_policy),
        actions::REQUEST_RESUBMITTED => td_string!(l, audit.did_request_resubmitted),
        actions::REQUEST_AUTO_APPROVED => td_string!(l, audit.did_request_auto_approved),
        actions::REQUEST_CANCELLED => td_string!(l, audit.did_request_cancelled),
        actions::DECISION_RECORDED => td_string!(l, audit.did_decision_recorded),
        actions::DECISION_IN_PLACE => td_string!(l, audit.did_decision_in_place),
        actions::REQUEST_APPROVED => td_string!(l, audit.did_request_approved),
        actions::REQUEST_DENIED => td_string!(l, audit.did_request_denied),
        actions::REQUEST_ADVANCED => td_string!(l, audit.did_request_advanced),
        actions::INVITATION_CREATED => td_string!(l, audit.did_invitation_created),
        actions::INVITATION_REDEEMED => td_string!(l, audit.did_invitation_redeemed),
        actions::MEMBERSHIP_LEFT => td_string!(l, audit.did_membership_left),
        actions::MEMBERSHIP_REMINDED => td_string!(l, audit.did_membership_reminded),
        actions::MEMBERSHIP_EXPIRED => td_string!(l, audit.did_membership_expired),
        actions::INVITATION_EXPIRED => td_string!(l, audit.did_invitation_expired),
        actions::REQUEST_TIMED_OUT => td_string!(l, audit.did_request_timed_out),
        actions::JOB_RUN_REQUESTED => td_string!(l, audit.did_job_run_requested),
        actions::AUDIT_EXPORTED => td_string!(l, audit.did_audit_exported),
        actions::ACCOUNT_DISABLED => td_string!(l, audit.did_account_disabled),
        actions::ACCOUNT_ENABLED => td_string!(l, audit.did_account_enabled),
        actions::ACCOUNT_MADE_ADMIN => td_string!(l, audit.did_account_made_admin),
        actions::ACCOUNT_ADMIN_REMOVED => td_string!(l, audit.did_account_admin_removed),
        actions::SESSIONS_ENDED => td_string!(l, audit.did_account_sessions_ended),
        actions::INVITATION_RESENT => td_string!(l, audit.did_invitation_resent),
        actions::INVITATION_REVOKED => td_string!(l, audit.did_invitation_revoked),
        actions::MEMBERSHIP_REVOKED => td_string!(l, audit.did_membership_revoked),
        actions::MEMBERSHIP_EXTENDED => td_string!(l, audit.did_membership_extended),
        actions::ACCOUNT_CREATED => td_string!(l, audit.did_account_created),
        actions::PASSWORD_SET => td_string!(l, audit.did_account_password_set),
        actions::RESOURCE_CREATED => td_string!(l, audit.did_resource_created),
        actions::RESOURCE_UPDATED => td_string!(l, audit.did_resource_updated),
        actions::RESOURCE_ARCHIVED => td_string!(l, audit.did_resource_archived),
        actions::RESOURCE_RESTORED => td_string!(l, audit.did_resource_restored),
        actions::OWNER_ADDED => td_string!(l, audit.did_resource_owner_added),
        actions::OWNER_REMOVED => td_string!(l, audit.did_resource_owner_removed),
        actions::POLICY_CHANGED => td_string!(l, audit.did_policy_changed),
        actions::BULK_CHECKED => td_string!(l, audit.did_bulk_checked),
        actions::BULK_STARTED => td_string!(l, audit.did_bulk_started),
        actions::BULK_STOPPED => td_string!(l, audit.did_bulk_stopped),
        actions::SETTINGS_CHANGED => td_string!(l, audit.did_settings_changed),
        actions::LOGO_CHANGED => td_string!(l, audit.did_settings_logo_changed),
        actions::LOGO_REMOVED => td_string!(l, audit.did_settings_logo_removed),
        actions::TERMS_PUBLISHED => td_string!(l, audit.did_terms_published),
        actions::TERMS_ACCEPTED => td_string!(l, audit.did_terms_accepted),
        actions::TERMS_WITHDRAWN => td_string!(l, audit.did_terms_withdrawn),
        actions::API_CALLED => td_string!(l, audit.did_api_called),
        actions::API_TOKEN_CREATED => td_string!(l, audit.did_api_token_created),
        actions::API_TOKEN_REVOKED => td_string!(l, audit.did_api_token_revoked),
        actions::WEBHOOK_CREATED => td_string!(l, audit.did_webhook_created),
        actions::WEBHOOK_UPDATED => td_string!(l, audit.did_webhook_updated),
        actions::WEBHOOK_DELETED => td_string!(l, audit.did_webhook_deleted),
        actions::WEBHOOK_REDELIVERED => td_string!(l, audit.did_webhook_redelivered),
        other => return other.to_string(),
    };
    words.to_string()
}

/// One line of a request's history: what happened, and at which approval stage if it was a
/// stage's decision.
pub fn trail_words(l: Locale, action: &str, stage: Option<i64>) -> String {
    let what = what_happened(l, action);
    let staged = [
        actions::DECISION_RECORDED,
        actions::DECISION_IN_PLACE,
        actions::REQUEST_ADVANCED,
    ];
    match stage {
        Some(stage) if staged.contains(&action) => td_string!(l, audit.at_stage, what, stage).to_string(),
        _ => what,
    }
}

/// An event's details as (label, value) lines in `l`.
pub fn details(l: Locale, details: &str) -> Vec<(String, String)> {
    let words = DetailWords {
        label: &|key| label(l, key),
        yes: td_string!(l, audit.yes),
        no: td_string!(l, audit.no),
        nothing: td_string!(l, audit.nothing),
        changed: td_string!(l, audit.detail_changed),
        details: td_string!(l, audit.detail_details),
        moment: &|at| date_time(l, at),
        value: &|key, value| coded_value(l, key, value),
    };
    detail_lines(details, &words)
}

/// Words for the details whose values are codes the pages word elsewhere too.
fn coded_value(l: Locale, key: &str, value: &str) -> Option<String> {
    match key {
        "source" => Some(crate::components::words::source_name(l, value).to_string()),
        "sign_in_with" => Some(
            match value {
                "password" => td_string!(l, audit.with_password),
                "code" => td_string!(l, audit.with_code),
                _ => return None,
            }
            .to_string(),
        ),
        "kind" => {
            ResourceKind::parse(value).map(|kind| crate::components::words::kind_name(l, kind).to_string())
        }
        _ => None,
    }
}

/// The label of a detail's key; a key without one (a newer server's) reads as its words.
fn label(l: Locale, key: &str) -> Option<&'static str> {
    Some(match key {
        "stage" => td_string!(l, audit.detail_stage),
        "expires_at" => td_string!(l, audit.detail_expires_at),
        "slug" => td_string!(l, audit.detail_slug),
        "sessions_ended" => td_string!(l, audit.detail_sessions_ended),
        "requestable" => td_string!(l, audit.detail_requestable),
        "kind" => td_string!(l, audit.detail_kind),
        "after" => td_string!(l, audit.detail_after),
        "to" => td_string!(l, audit.detail_to),
        "reason" => td_string!(l, audit.detail_reason),
        "outcome" => td_string!(l, audit.detail_outcome),
        "name" => td_string!(l, audit.detail_name),
        "justification" => td_string!(l, audit.detail_justification),
        "from" => td_string!(l, audit.detail_from),
        "before" => td_string!(l, audit.detail_before),
        "approvers" => td_string!(l, audit.detail_approvers),
        "via" => td_string!(l, audit.detail_via),
        "uses_default" => td_string!(l, audit.detail_uses_default),
        "status" => td_string!(l, audit.detail_status),
        "source" => td_string!(l, audit.detail_source),
        "scopes" => td_string!(l, audit.detail_scopes),
        "rows" => td_string!(l, audit.detail_rows),
        "retry_after_seconds" => td_string!(l, audit.detail_retry_after_seconds),
        "resource" => td_string!(l, audit.detail_resource),
        "request_id" => td_string!(l, audit.detail_request_id),
        "ready" => td_string!(l, audit.detail_ready),
        "path" => td_string!(l, audit.detail_path),
        "on" => td_string!(l, audit.detail_on),
        "method" => td_string!(l, audit.detail_method),
        "sign_in_with" => td_string!(l, audit.detail_sign_in_with),
        "issuer" => td_string!(l, audit.detail_issuer),
        "subject" => td_string!(l, audit.detail_subject),
        "membership_id" => td_string!(l, audit.detail_membership_id),
        "in_place_of" => td_string!(l, audit.detail_in_place_of),
        "events" => td_string!(l, audit.detail_events),
        "emailed" => td_string!(l, audit.detail_emailed),
        "email" => td_string!(l, audit.detail_email),
        "display_name" => td_string!(l, audit.detail_display_name),
        "delivery_id" => td_string!(l, audit.detail_delivery_id),
        "decide_by" => td_string!(l, audit.detail_decide_by),
        "days_before" => td_string!(l, audit.detail_days_before),
        "content_type" => td_string!(l, audit.detail_content_type),
        "characters" => td_string!(l, audit.detail_characters),
        "translated_into" => td_string!(l, audit.detail_translated_into),
        "change" => td_string!(l, audit.detail_change),
        "bytes" => td_string!(l, audit.detail_bytes),
        "attempted" => td_string!(l, audit.detail_attempted),
        "allow_private_targets" => td_string!(l, audit.detail_allow_private_targets),
        "authenticators_removed" => td_string!(l, audit.detail_authenticators_removed),
        "client_id" => td_string!(l, audit.detail_client_id),
        "domains" => td_string!(l, audit.detail_domains),
        "factor" => td_string!(l, audit.detail_factor),
        "grant" => td_string!(l, audit.detail_grant),
        "locked_seconds" => td_string!(l, audit.detail_locked_seconds),
        "new_keys" => td_string!(l, audit.detail_new_keys),
        "passkeys_removed" => td_string!(l, audit.detail_passkeys_removed),
        "second_factor" => td_string!(l, audit.detail_second_factor),
        "second_factors" => td_string!(l, audit.detail_second_factors),
        "signing_from" => td_string!(l, audit.detail_signing_from),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_words_of_its_own_in_every_language() {
        for language in locales::all() {
            for action in actions::ALL {
                let words = what_happened(*language, action);
                assert_ne!(words, *action, "{action} has no words");
                assert!(
                    words.chars().next().is_some_and(char::is_uppercase),
                    "{action}: {words}"
                );
            }
        }
        assert_eq!(what_happened(Locale::en, "something.new"), "something.new");
    }

    #[test]
    fn a_stage_decision_names_its_stage() {
        assert_eq!(
            trail_words(Locale::nl, actions::DECISION_RECORDED, Some(2)),
            "Besloot (ronde 2)"
        );
        assert_eq!(
            trail_words(Locale::en, actions::REQUEST_CREATED, Some(2)),
            "Asked for access"
        );
    }

    #[test]
    fn details_read_in_the_language_asked() {
        let lines = details(
            Locale::nl,
            r#"{"expires_at": 1767225600, "emailed": true, "brand_new": 1}"#,
        );
        assert_eq!(
            lines,
            vec![
                ("Brand new".to_string(), "1".to_string()),
                ("Gemaild".to_string(), "ja".to_string()),
                ("Verloopt op".to_string(), "1 jan 2026 om 00:00 UTC".to_string()),
            ]
        );
    }

    #[test]
    fn coded_values_read_as_the_pages_word_them() {
        let lines = details(
            Locale::nl,
            r#"{"source": "request", "kind": "app", "slug": "crm"}"#,
        );
        assert_eq!(
            lines,
            vec![
                ("Soort".to_string(), "Applicatie".to_string()),
                ("Adresnaam".to_string(), "crm".to_string()),
                ("Herkomst".to_string(), "Aanvraag".to_string()),
            ]
        );
    }

    /// Every key the services write into an event's details (`details(json!({ "key": ... }))`)
    /// has a label: one without shows in English on a Dutch page.
    #[test]
    fn every_detail_key_the_services_write_has_a_label() {
        fn sources(dir: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).expect("services/src").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    sources(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    found.push(std::fs::read_to_string(&path).expect("a source file"));
                }
            }
        }
        let mut files = Vec::new();
        sources(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../services/src"),
            &mut files,
        );
        let mut keys = Vec::new();
        for file in &files {
            for call in file.split("details(json!({").skip(1) {
                let object = call.split("}))").next().unwrap_or_default();
                for part in object.split(',') {
                    let Some((key, after)) = part
                        .trim_start()
                        .strip_prefix('"')
                        .and_then(|r| r.split_once('"'))
                    else {
                        continue;
                    };
                    let is_key = after.trim_start().starts_with(':')
                        && key.chars().all(|c| c.is_ascii_lowercase() || c == '_');
                    if is_key {
                        keys.push(key.to_string());
                    }
                }
            }
        }
        assert!(keys.len() > 20, "the services' detail keys were found: {keys:?}");
        let unlabelled: Vec<&String> = keys.iter().filter(|k| label(Locale::nl, k).is_none()).collect();
        assert!(unlabelled.is_empty(), "no label for {unlabelled:?}");
    }
}
