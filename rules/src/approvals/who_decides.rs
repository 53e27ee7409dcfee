//! Who may see an access request, and who may decide it at its current stage. The review page
//! asks these rules whether to show the request and its decision buttons, and the decision
//! service asks them before recording a decision, so the two can never disagree.

/// What is known of one person and one request at its current stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// The request still waits for a decision.
    pub is_pending: bool,
    /// The person is the one who asked.
    pub is_own_request: bool,
    /// The person is among the approvers still to decide the current stage.
    pub is_open_approver: bool,
    /// The person has decided the current stage already.
    pub decided_this_stage: bool,
    pub is_admin: bool,
}

/// The answer: decide as an approver, decide in place of the stage's approvers (an admin, when
/// they are away), or not, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MayDecide {
    AsApprover,
    InPlaceOfApprovers,
    No(WhyNot),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhyNot {
    /// Nobody decides their own request.
    OwnRequest,
    /// The request was decided, cancelled or expired.
    Closed,
    /// The person decided this stage already; others are still to decide.
    DecidedThisStage,
    NotAnApprover,
}

impl MayDecide {
    pub fn is_allowed(self) -> bool {
        !matches!(self, MayDecide::No(_))
    }
}

pub fn may_decide(standing: Standing) -> MayDecide {
    if standing.is_own_request {
        MayDecide::No(WhyNot::OwnRequest)
    } else if !standing.is_pending {
        MayDecide::No(WhyNot::Closed)
    } else if standing.is_open_approver {
        MayDecide::AsApprover
    } else if standing.decided_this_stage {
        MayDecide::No(WhyNot::DecidedThisStage)
    } else if standing.is_admin {
        MayDecide::InPlaceOfApprovers
    } else {
        MayDecide::No(WhyNot::NotAnApprover)
    }
}

/// How a staff member stands to a request, for seeing it (the partner who asked sees it through
/// their private status link instead).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Involvement {
    /// Asked to decide it at its current stage.
    pub is_open_approver: bool,
    /// Decided it at an earlier stage (or this one).
    pub decided_before: bool,
    /// Owns its resource.
    pub owns_resource: bool,
    pub is_admin: bool,
}

/// Whether a signed-in person may see a request on the review page: those asked to decide it,
/// those who did, its resource's owners, and admins.
pub fn may_see(involvement: Involvement) -> bool {
    let Involvement {
        is_open_approver,
        decided_before,
        owns_resource,
        is_admin,
    } = involvement;
    is_open_approver || decided_before || owns_resource || is_admin
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_seen_by_those_involved_and_admins_only() {
        assert!(!may_see(Involvement::default()), "a stranger to the request");
        for involved in [
            Involvement {
                is_open_approver: true,
                ..Default::default()
            },
            Involvement {
                decided_before: true,
                ..Default::default()
            },
            Involvement {
                owns_resource: true,
                ..Default::default()
            },
            Involvement {
                is_admin: true,
                ..Default::default()
            },
        ] {
            assert!(may_see(involved), "{involved:?}");
        }
    }

    fn approver() -> Standing {
        Standing {
            is_pending: true,
            is_own_request: false,
            is_open_approver: true,
            decided_this_stage: false,
            is_admin: false,
        }
    }

    #[test]
    fn an_open_approver_decides_a_pending_request() {
        assert_eq!(may_decide(approver()), MayDecide::AsApprover);
    }

    #[test]
    fn nobody_decides_their_own_request_not_even_an_admin() {
        let own = Standing {
            is_own_request: true,
            is_admin: true,
            ..approver()
        };
        assert_eq!(may_decide(own), MayDecide::No(WhyNot::OwnRequest));
    }

    #[test]
    fn a_closed_request_is_decided_by_nobody() {
        let closed = Standing {
            is_pending: false,
            is_admin: true,
            ..approver()
        };
        assert_eq!(may_decide(closed), MayDecide::No(WhyNot::Closed));
    }

    #[test]
    fn an_admin_who_is_no_approver_decides_in_place_unless_they_decided_this_stage() {
        let admin = Standing {
            is_open_approver: false,
            is_admin: true,
            ..approver()
        };
        assert_eq!(may_decide(admin), MayDecide::InPlaceOfApprovers);
        let decided = Standing {
            decided_this_stage: true,
            ..admin
        };
        assert_eq!(may_decide(decided), MayDecide::No(WhyNot::DecidedThisStage));
    }

    #[test]
    fn others_may_not_decide() {
        let owner = Standing {
            is_open_approver: false,
            ..approver()
        };
        assert_eq!(may_decide(owner), MayDecide::No(WhyNot::NotAnApprover));
        assert!(!may_decide(owner).is_allowed());
    }
}
