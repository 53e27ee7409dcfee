//! Audit events: who did what to what, when and from where. Built here, stored append-only.

use serde_json::Value;

use crate::clock::Timestamp;

/// Who is acting, and from which address. For anonymous visitors `account_id` is `None` and
/// `label` is what they claimed to be (the email typed), or "anonymous".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account_id: Option<i64>,
    pub label: String,
    pub client_ip: String,
}

impl Actor {
    pub fn account(account_id: i64, email: &str, client_ip: &str) -> Self {
        Self {
            account_id: Some(account_id),
            label: email.to_string(),
            client_ip: client_ip.to_string(),
        }
    }

    pub fn anonymous(claimed: &str, client_ip: &str) -> Self {
        let label = if claimed.trim().is_empty() {
            "anonymous".to_string()
        } else {
            // A typed email is attacker-controlled; keep it short in the log.
            claimed.trim().chars().take(254).collect()
        };
        Self {
            account_id: None,
            label,
            client_ip: client_ip.to_string(),
        }
    }

    pub fn system() -> Self {
        Self {
            account_id: None,
            label: "system".to_string(),
            client_ip: String::new(),
        }
    }
}

/// The actions the audit log knows. Names are `subject.verb`, stable for filtering.
pub mod actions {
    pub const SIGN_IN_SUCCEEDED: &str = "sign_in.succeeded";
    pub const SIGN_IN_FAILED: &str = "sign_in.failed";
    pub const SIGN_IN_THROTTLED: &str = "sign_in.throttled";
    pub const SIGN_IN_CODE_SENT: &str = "sign_in.code_sent";
    pub const SIGNED_OUT: &str = "sign_out";
    pub const IDENTITY_LINKED: &str = "identity.linked";
    pub const IDENTITY_UNLINKED: &str = "identity.unlinked";
    pub const SECOND_FACTOR_ADDED: &str = "second_factor.added";
    pub const SECOND_FACTOR_REMOVED: &str = "second_factor.removed";
    pub const SECOND_FACTOR_PASSED: &str = "second_factor.passed";
    pub const SECOND_FACTOR_FAILED: &str = "second_factor.failed";
    pub const SECOND_FACTOR_LOCKED: &str = "second_factor.locked";
    pub const RECOVERY_CODE_USED: &str = "second_factor.recovery_code_used";
    pub const RECOVERY_CODES_RENEWED: &str = "second_factor.recovery_codes_renewed";
    pub const SECOND_FACTORS_RESET: &str = "second_factor.reset";
    pub const SECOND_FACTOR_REQUIRED: &str = "second_factor.required";
    pub const SECOND_FACTOR_NOT_REQUIRED: &str = "second_factor.not_required";
    pub const OIDC_KEYS_ROTATED: &str = "oidc.keys_rotated";
    pub const OIDC_CLIENT_SAVED: &str = "oidc.client_saved";
    pub const OIDC_SECRET_ROTATED: &str = "oidc.secret_rotated";
    pub const OIDC_APP_SIGNED_IN: &str = "oidc.app_signed_in";
    pub const OIDC_CONSENT_GIVEN: &str = "oidc.consent_given";
    pub const OIDC_CONSENT_WITHDRAWN: &str = "oidc.consent_withdrawn";
    pub const OIDC_TOKEN_REUSED: &str = "oidc.token_reused";
    pub const PROVIDER_ADDED: &str = "identity_provider.added";
    pub const PROVIDER_CHANGED: &str = "identity_provider.changed";
    pub const PROVIDER_REMOVED: &str = "identity_provider.removed";
    pub const FIRST_ADMIN_CREATED: &str = "setup.first_admin_created";
    pub const SETUP_LINK_ISSUED: &str = "setup.link_issued";
    pub const ACCESS_REFUSED: &str = "authorisation.refused";
    pub const REQUEST_CREATED: &str = "request.created";
    pub const REQUEST_REFUSED_BY_POLICY: &str = "request.refused_by_policy";
    pub const REQUEST_RESUBMITTED: &str = "request.resubmitted";
    pub const REQUEST_AUTO_APPROVED: &str = "request.auto_approved";
    pub const REQUEST_CANCELLED: &str = "request.cancelled";
    pub const DECISION_RECORDED: &str = "decision.recorded";
    pub const DECISION_IN_PLACE: &str = "decision.in_place";
    pub const REQUEST_APPROVED: &str = "request.approved";
    pub const REQUEST_DENIED: &str = "request.denied";
    pub const REQUEST_ADVANCED: &str = "request.advanced";
    pub const INVITATION_CREATED: &str = "invitation.created";
    pub const INVITATION_REDEEMED: &str = "invitation.redeemed";
    pub const MEMBERSHIP_LEFT: &str = "membership.left";
    pub const MEMBERSHIP_REMINDED: &str = "membership.reminded";
    pub const MEMBERSHIP_EXPIRED: &str = "membership.expired";
    pub const INVITATION_EXPIRED: &str = "invitation.expired";
    pub const REQUEST_TIMED_OUT: &str = "request.timed_out";
    pub const JOB_RUN_REQUESTED: &str = "job.run_requested";
    pub const AUDIT_EXPORTED: &str = "audit.exported";
    pub const ACCOUNT_DISABLED: &str = "account.disabled";
    pub const ACCOUNT_ENABLED: &str = "account.enabled";
    pub const ACCOUNT_MADE_ADMIN: &str = "account.made_admin";
    pub const ACCOUNT_ADMIN_REMOVED: &str = "account.admin_removed";
    pub const SESSIONS_ENDED: &str = "account.sessions_ended";
    pub const INVITATION_RESENT: &str = "invitation.resent";
    pub const INVITATION_REVOKED: &str = "invitation.revoked";
    pub const MEMBERSHIP_REVOKED: &str = "membership.revoked";
    pub const MEMBERSHIP_EXTENDED: &str = "membership.extended";
    pub const ACCOUNT_CREATED: &str = "account.created";
    pub const PASSWORD_SET: &str = "account.password_set";
    pub const RESOURCE_CREATED: &str = "resource.created";
    pub const RESOURCE_UPDATED: &str = "resource.updated";
    pub const RESOURCE_ARCHIVED: &str = "resource.archived";
    pub const RESOURCE_RESTORED: &str = "resource.restored";
    pub const OWNER_ADDED: &str = "resource.owner_added";
    pub const OWNER_REMOVED: &str = "resource.owner_removed";
    pub const POLICY_CHANGED: &str = "policy.changed";
    pub const BULK_CHECKED: &str = "bulk.checked";
    pub const BULK_STARTED: &str = "bulk.started";
    pub const BULK_STOPPED: &str = "bulk.stopped";
    pub const SETTINGS_CHANGED: &str = "settings.changed";
    pub const LOGO_CHANGED: &str = "settings.logo_changed";
    pub const LOGO_REMOVED: &str = "settings.logo_removed";
    pub const TERMS_PUBLISHED: &str = "terms.published";
    pub const TERMS_ACCEPTED: &str = "terms.accepted";
    pub const TERMS_WITHDRAWN: &str = "terms.withdrawn";
    pub const API_CALLED: &str = "api.called";
    pub const API_TOKEN_CREATED: &str = "api_token.created";
    pub const API_TOKEN_REVOKED: &str = "api_token.revoked";
    pub const WEBHOOK_CREATED: &str = "webhook.created";
    pub const WEBHOOK_UPDATED: &str = "webhook.updated";
    pub const WEBHOOK_DELETED: &str = "webhook.deleted";
    pub const WEBHOOK_REDELIVERED: &str = "webhook.redelivered";

    /// Every action, for the audit log's filter.
    pub const ALL: &[&str] = &[
        SIGN_IN_SUCCEEDED,
        SIGN_IN_FAILED,
        SIGN_IN_THROTTLED,
        SIGN_IN_CODE_SENT,
        SIGNED_OUT,
        IDENTITY_LINKED,
        IDENTITY_UNLINKED,
        SECOND_FACTOR_ADDED,
        SECOND_FACTOR_REMOVED,
        SECOND_FACTOR_PASSED,
        SECOND_FACTOR_FAILED,
        SECOND_FACTOR_LOCKED,
        RECOVERY_CODE_USED,
        RECOVERY_CODES_RENEWED,
        SECOND_FACTORS_RESET,
        SECOND_FACTOR_REQUIRED,
        SECOND_FACTOR_NOT_REQUIRED,
        OIDC_KEYS_ROTATED,
        OIDC_CLIENT_SAVED,
        OIDC_SECRET_ROTATED,
        OIDC_APP_SIGNED_IN,
        OIDC_CONSENT_GIVEN,
        OIDC_CONSENT_WITHDRAWN,
        OIDC_TOKEN_REUSED,
        PROVIDER_ADDED,
        PROVIDER_CHANGED,
        PROVIDER_REMOVED,
        FIRST_ADMIN_CREATED,
        SETUP_LINK_ISSUED,
        ACCESS_REFUSED,
        REQUEST_CREATED,
        REQUEST_REFUSED_BY_POLICY,
        REQUEST_RESUBMITTED,
        REQUEST_AUTO_APPROVED,
        REQUEST_CANCELLED,
        DECISION_RECORDED,
        DECISION_IN_PLACE,
        REQUEST_APPROVED,
        REQUEST_DENIED,
        REQUEST_ADVANCED,
        INVITATION_CREATED,
        INVITATION_REDEEMED,
        MEMBERSHIP_LEFT,
        MEMBERSHIP_REMINDED,
        MEMBERSHIP_EXPIRED,
        INVITATION_EXPIRED,
        REQUEST_TIMED_OUT,
        JOB_RUN_REQUESTED,
        AUDIT_EXPORTED,
        ACCOUNT_DISABLED,
        ACCOUNT_ENABLED,
        ACCOUNT_MADE_ADMIN,
        ACCOUNT_ADMIN_REMOVED,
        SESSIONS_ENDED,
        INVITATION_RESENT,
        INVITATION_REVOKED,
        MEMBERSHIP_REVOKED,
        MEMBERSHIP_EXTENDED,
        ACCOUNT_CREATED,
        PASSWORD_SET,
        RESOURCE_CREATED,
        RESOURCE_UPDATED,
        RESOURCE_ARCHIVED,
        RESOURCE_RESTORED,
        OWNER_ADDED,
        OWNER_REMOVED,
        POLICY_CHANGED,
        BULK_CHECKED,
        BULK_STARTED,
        BULK_STOPPED,
        SETTINGS_CHANGED,
        LOGO_CHANGED,
        LOGO_REMOVED,
        TERMS_PUBLISHED,
        TERMS_ACCEPTED,
        TERMS_WITHDRAWN,
        API_CALLED,
        API_TOKEN_CREATED,
        API_TOKEN_REVOKED,
        WEBHOOK_CREATED,
        WEBHOOK_UPDATED,
        WEBHOOK_DELETED,
        WEBHOOK_REDELIVERED,
    ];
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    pub occurred_at: Timestamp,
    pub actor_account_id: Option<i64>,
    pub actor: String,
    pub action: &'static str,
    pub target_kind: String,
    pub target_id: String,
    pub target: String,
    pub resource_id: Option<i64>,
    pub client_ip: String,
    pub details: Value,
}

impl AuditEvent {
    pub fn new(actor: &Actor, action: &'static str, now: Timestamp) -> Self {
        Self {
            occurred_at: now,
            actor_account_id: actor.account_id,
            actor: actor.label.clone(),
            action,
            target_kind: String::new(),
            target_id: String::new(),
            target: String::new(),
            resource_id: None,
            client_ip: actor.client_ip.clone(),
            details: Value::Object(Default::default()),
        }
    }

    pub fn target(mut self, kind: &str, id: impl ToString, label: &str) -> Self {
        self.target_kind = kind.to_string();
        self.target_id = id.to_string();
        self.target = label.to_string();
        self
    }

    pub fn resource(mut self, resource_id: i64) -> Self {
        self.resource_id = Some(resource_id);
        self
    }

    pub fn details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
}
