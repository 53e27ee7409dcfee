//! Invitations' state machine and the redemption form.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationState {
    Pending,
    Redeemed,
    Revoked,
    Expired,
}

impl InvitationState {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "pending" => Some(InvitationState::Pending),
            "redeemed" => Some(InvitationState::Redeemed),
            "revoked" => Some(InvitationState::Revoked),
            "expired" => Some(InvitationState::Expired),
            _ => None,
        }
    }

    /// The state as a person should see it: a pending invitation past its end is expired,
    /// whether or not the expiry worker has marked it yet.
    pub fn as_seen(self, expires_at: i64, now: i64) -> Self {
        if self == InvitationState::Pending && expires_at <= now {
            InvitationState::Expired
        } else {
            self
        }
    }

    pub fn can_move_to(self, next: InvitationState) -> bool {
        self == InvitationState::Pending && next != InvitationState::Pending
    }
}

/// Where an invitation came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationSource {
    Request,
    AutoApprove,
    Invite,
    Bulk,
    Api,
}

impl InvitationSource {
    pub fn as_str(self) -> &'static str {
        match self {
            InvitationSource::Request => "request",
            InvitationSource::AutoApprove => "auto_approve",
            InvitationSource::Invite => "invite",
            InvitationSource::Bulk => "bulk",
            InvitationSource::Api => "api",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_invitation_past_its_end_is_seen_as_expired() {
        assert_eq!(
            InvitationState::Pending.as_seen(100, 99),
            InvitationState::Pending
        );
        assert_eq!(
            InvitationState::Pending.as_seen(100, 100),
            InvitationState::Expired
        );
        assert_eq!(
            InvitationState::Redeemed.as_seen(100, 200),
            InvitationState::Redeemed
        );
    }

    #[test]
    fn only_pending_invitations_change() {
        assert!(InvitationState::Pending.can_move_to(InvitationState::Redeemed));
        assert!(!InvitationState::Redeemed.can_move_to(InvitationState::Revoked));
        assert!(!InvitationState::Expired.can_move_to(InvitationState::Redeemed));
    }
}
