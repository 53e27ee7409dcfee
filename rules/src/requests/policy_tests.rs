//! The policy's decisions, rule by rule.

use super::*;

fn domains(list: &[&str]) -> Vec<String> {
    list.iter().map(|d| d.to_string()).collect()
}

fn policy() -> Policy {
    Policy::default()
}

#[test]
fn by_default_anyone_may_ask_and_waits_for_stage_one() {
    assert_eq!(
        decide_request("ann@partner.example", &policy()),
        PolicyDecision::PendingAtStageOne
    );
}

#[test]
fn a_denied_domain_is_refused() {
    let p = Policy {
        denied_domains: domains(&["rival.example"]),
        ..policy()
    };
    assert_eq!(
        decide_request("ann@rival.example", &p),
        PolicyDecision::Deny(DenyReason::DomainDenied)
    );
    assert_eq!(
        decide_request("ann@partner.example", &p),
        PolicyDecision::PendingAtStageOne
    );
}

#[test]
fn entries_cover_subdomains_but_not_lookalikes() {
    let p = Policy {
        denied_domains: domains(&["rival.example"]),
        ..policy()
    };
    assert_eq!(
        decide_request("ann@eu.rival.example", &p),
        PolicyDecision::Deny(DenyReason::DomainDenied)
    );
    assert_eq!(
        decide_request("ann@notrival.example", &p),
        PolicyDecision::PendingAtStageOne
    );
    assert!(domain_matches("a.b.example", "b.example"));
    assert!(!domain_matches("b.example", "a.b.example"));
}

#[test]
fn allowed_domains_only_refuses_everyone_else() {
    let p = Policy {
        who_may_request: WhoMayRequest::AllowedDomainsOnly,
        allowed_domains: domains(&["partner.example"]),
        ..policy()
    };
    assert_eq!(
        decide_request("ann@partner.example", &p),
        PolicyDecision::PendingAtStageOne
    );
    assert_eq!(
        decide_request("ann@other.example", &p),
        PolicyDecision::Deny(DenyReason::DomainNotAllowed)
    );
}

#[test]
fn an_auto_approve_domain_skips_the_approvers() {
    let p = Policy {
        auto_approve_domains: domains(&["trusted.example"]),
        ..policy()
    };
    assert_eq!(
        decide_request("ann@trusted.example", &p),
        PolicyDecision::AutoApprove
    );
    assert_eq!(
        decide_request("ann@dept.trusted.example", &p),
        PolicyDecision::AutoApprove
    );
}

#[test]
fn deny_beats_auto_approve() {
    let p = Policy {
        denied_domains: domains(&["contractors.trusted.example"]),
        auto_approve_domains: domains(&["trusted.example"]),
        ..policy()
    };
    assert_eq!(
        decide_request("ann@contractors.trusted.example", &p),
        PolicyDecision::Deny(DenyReason::DomainDenied)
    );
}

#[test]
fn deny_beats_allow() {
    let p = Policy {
        who_may_request: WhoMayRequest::AllowedDomainsOnly,
        allowed_domains: domains(&["partner.example"]),
        denied_domains: domains(&["partner.example"]),
        ..policy()
    };
    assert_eq!(
        decide_request("ann@partner.example", &p),
        PolicyDecision::Deny(DenyReason::DomainDenied)
    );
}

#[test]
fn allow_beats_auto_approve() {
    // Listed for auto-approval but not among the allowed domains: the allow list wins.
    let p = Policy {
        who_may_request: WhoMayRequest::AllowedDomainsOnly,
        allowed_domains: domains(&["partner.example"]),
        auto_approve_domains: domains(&["trusted.example"]),
        ..policy()
    };
    assert_eq!(
        decide_request("ann@trusted.example", &p),
        PolicyDecision::Deny(DenyReason::DomainNotAllowed)
    );
}

#[test]
fn free_mail_is_refused_when_blocked_unless_explicitly_allowed() {
    let blocked = Policy {
        block_free_mail: true,
        ..policy()
    };
    assert_eq!(
        decide_request("ann@gmail.com", &blocked),
        PolicyDecision::Deny(DenyReason::FreeMailBlocked)
    );
    assert_eq!(
        decide_request("ann@partner.example", &blocked),
        PolicyDecision::PendingAtStageOne
    );
    assert_eq!(
        decide_request("ann@gmail.com", &policy()),
        PolicyDecision::PendingAtStageOne
    );
    let allowed = Policy {
        allowed_domains: domains(&["gmail.com"]),
        ..blocked
    };
    assert_eq!(
        decide_request("ann@gmail.com", &allowed),
        PolicyDecision::PendingAtStageOne
    );
}

#[test]
fn a_denied_free_mail_domain_reports_the_denial() {
    let p = Policy {
        block_free_mail: true,
        denied_domains: domains(&["gmail.com"]),
        ..policy()
    };
    assert_eq!(
        decide_request("ann@gmail.com", &p),
        PolicyDecision::Deny(DenyReason::DomainDenied)
    );
}

#[test]
fn international_domains_match_in_their_ascii_form() {
    // Addresses are normalised before the decision: bücher.example -> xn--bcher-kva.example.
    let email = crate::email::normalise_email("ann@BÜCHER.example").expect("valid");
    let p = Policy {
        denied_domains: domains(&["xn--bcher-kva.example"]),
        ..policy()
    };
    assert_eq!(
        decide_request(&email, &p),
        PolicyDecision::Deny(DenyReason::DomainDenied)
    );
}

#[test]
fn access_duration_sets_the_membership_end() {
    assert_eq!(AccessDuration::Never.expires_at(1000), None);
    assert_eq!(AccessDuration::Days(2).expires_at(1000), Some(1000 + 2 * 86_400));
    assert_eq!(AccessDuration::Until(5000).expires_at(1000), Some(5000));
}

#[test]
fn stages_are_numbered_from_one() {
    let p = policy();
    assert!(p.stage(1).is_some());
    assert!(p.stage(0).is_none());
    assert!(p.stage(2).is_none());
}
