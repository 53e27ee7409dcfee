//! Policies: the rules of one resource (or the portal's default), and the decision an access
//! request gets from them. The decision is a pure function so every rule is unit-tested.
//!
//! Domain lists match a domain and all of its subdomains: `example.com` covers
//! `example.com` and `eu.example.com`, but not `badexample.com`. Entries are stored lowercase
//! in ASCII (punycode), as email domains are compared.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::email::email_domain;
use crate::requests::free_mail::is_free_mail;
use crate::translated::Translations;

pub const MAX_STAGES: usize = 3;
pub const MAX_QUESTIONS: usize = 5;
pub const DEFAULT_DECISION_TIMEOUT_DAYS: u32 = 14;
pub const DEFAULT_INVITATION_LIFETIME_HOURS: u32 = 7 * 24;
pub const MAX_INVITATION_LIFETIME_HOURS: u32 = 30 * 24;
pub const MAX_DECISION_TIMEOUT_DAYS: u32 = 90;
pub const MAX_ACCESS_DAYS: u32 = 3650;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WhoMayRequest {
    Anyone,
    AllowedDomainsOnly,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Approvers {
    /// Whoever owns the resource when the stage is reached.
    ResourceOwners,
    /// Named staff accounts.
    Accounts(Vec<i64>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StageRule {
    /// The first approver's decision settles the stage.
    AnyOne,
    /// Every approver must approve; any denial denies.
    Everyone,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalStage {
    pub approvers: Approvers,
    pub rule: StageRule,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccessDuration {
    /// Access lasts until someone ends it.
    Never,
    /// Access ends this many days after redemption.
    Days(u32),
    /// Access ends at this moment (Unix seconds, UTC).
    Until(i64),
}

impl AccessDuration {
    /// When access granted at `granted_at` ends, if ever.
    pub fn expires_at(self, granted_at: i64) -> Option<i64> {
        match self {
            AccessDuration::Never => None,
            AccessDuration::Days(days) => Some(granted_at + i64::from(days) * 86_400),
            AccessDuration::Until(moment) => Some(moment),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionKind {
    ShortText,
    LongText,
    SingleChoice(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomQuestion {
    /// Stable key of the answer field (`q1`..`q5`).
    pub id: String,
    pub label: String,
    pub kind: QuestionKind,
    pub required: bool,
    pub max_length: u32,
    /// The label in other languages (policy_texts.rs).
    #[serde(default)]
    pub label_translations: Translations,
    /// The choices in other languages, in the order of `kind`'s.
    #[serde(default)]
    pub choice_translations: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Terms {
    pub version: u32,
    pub text: String,
    #[serde(default)]
    pub translations: Translations,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub who_may_request: WhoMayRequest,
    pub allowed_domains: Vec<String>,
    pub denied_domains: Vec<String>,
    pub auto_approve_domains: Vec<String>,
    pub block_free_mail: bool,
    pub stages: Vec<ApprovalStage>,
    pub decision_timeout_days: u32,
    pub invitation_lifetime_hours: u32,
    pub access_duration: AccessDuration,
    pub questions: Vec<CustomQuestion>,
    pub terms: Option<Terms>,
    /// Members use the resource through Portico only after a second factor (redeeming its
    /// invitation, opening it), and owners decide its requests only after one.
    #[serde(default)]
    pub require_mfa: bool,
}

impl Default for Policy {
    /// Anyone may ask; one stage decided by any owner; the documented default durations.
    fn default() -> Self {
        Policy {
            who_may_request: WhoMayRequest::Anyone,
            allowed_domains: Vec::new(),
            denied_domains: Vec::new(),
            auto_approve_domains: Vec::new(),
            block_free_mail: false,
            stages: vec![ApprovalStage {
                approvers: Approvers::ResourceOwners,
                rule: StageRule::AnyOne,
            }],
            decision_timeout_days: DEFAULT_DECISION_TIMEOUT_DAYS,
            invitation_lifetime_hours: DEFAULT_INVITATION_LIFETIME_HOURS,
            access_duration: AccessDuration::Never,
            questions: Vec::new(),
            terms: None,
            require_mfa: false,
        }
    }
}

impl Policy {
    pub fn stage(&self, number: i64) -> Option<&ApprovalStage> {
        usize::try_from(number)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| self.stages.get(i))
    }

    pub fn stage_count(&self) -> i64 {
        self.stages.len() as i64
    }
}

/// Why a request is refused by policy. Each says only what the domain rules decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DenyReason {
    DomainDenied,
    FreeMailBlocked,
    DomainNotAllowed,
}

impl DenyReason {
    pub fn message(self, domain: &str, resource: &str) -> String {
        match self {
            DenyReason::DomainDenied | DenyReason::DomainNotAllowed => crate::message::with(
                "domain_cannot_request",
                &[("domain", domain), ("resource", resource)],
            ),
            DenyReason::FreeMailBlocked => crate::message::with(
                "needs_work_address",
                &[("domain", domain), ("resource", resource)],
            ),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyDecision {
    Deny(DenyReason),
    /// The request is approved at once and becomes an invitation.
    AutoApprove,
    /// The request waits for the approvers of stage 1.
    PendingAtStageOne,
}

/// True when `domain` is `entry` or one of its subdomains.
pub fn domain_matches(domain: &str, entry: &str) -> bool {
    domain == entry
        || (domain.len() > entry.len()
            && domain.ends_with(entry)
            && domain[..domain.len() - entry.len()].ends_with('.'))
}

pub fn any_matches(domain: &str, entries: &[String]) -> bool {
    entries.iter().any(|entry| domain_matches(domain, entry))
}

/// What the policy says about a request from this (normalised) email address.
/// Precedence: every deny rule beats every allow rule, which beats auto-approval.
pub fn decide_request(email: &str, policy: &Policy) -> PolicyDecision {
    let domain = email_domain(email);
    if any_matches(domain, &policy.denied_domains) {
        return PolicyDecision::Deny(DenyReason::DomainDenied);
    }
    if policy.block_free_mail && is_free_mail(domain) && !any_matches(domain, &policy.allowed_domains) {
        return PolicyDecision::Deny(DenyReason::FreeMailBlocked);
    }
    if policy.who_may_request == WhoMayRequest::AllowedDomainsOnly
        && !any_matches(domain, &policy.allowed_domains)
    {
        return PolicyDecision::Deny(DenyReason::DomainNotAllowed);
    }
    if any_matches(domain, &policy.auto_approve_domains) {
        return PolicyDecision::AutoApprove;
    }
    PolicyDecision::PendingAtStageOne
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
