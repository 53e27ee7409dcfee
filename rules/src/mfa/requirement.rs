//! Where a second factor is required: for the whole portal by role (admins, owners, partners),
//! for one person (an admin's choice), and for one resource (its policy). A person who signed in
//! without one and reaches something that requires it is asked for it then (step-up).

use serde::{Deserialize, Serialize};

/// The portal's own requirement, by role. A portal set up from scratch asks its admins (the
/// setup page's box is ticked); a portal from before this setting asks nobody until an admin
/// chooses. Whoever has a second factor is asked for it at every sign-in anyway.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorPolicy {
    pub admins: bool,
    pub owners: bool,
    pub partners: bool,
}

/// What the requirement looks at in a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Person {
    pub is_admin: bool,
    /// Staff of the organisation: the people who own apps and groups.
    pub is_staff: bool,
    /// An admin required a second factor of this one person.
    pub required_by_admin: bool,
}

impl SecondFactorPolicy {
    /// Whether the portal asks `person` for a second factor, wherever they go.
    pub fn requires(&self, person: Person) -> bool {
        person.required_by_admin
            || (self.admins && person.is_admin)
            || (self.owners && person.is_staff)
            || (self.partners && !person.is_staff && !person.is_admin)
    }
}

/// How a session stands with a requirement: given, or still to be asked for.
pub fn second_factor_missing(required: bool, given: Option<&str>) -> bool {
    required && given.is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADMIN: Person = Person {
        is_admin: true,
        is_staff: false,
        required_by_admin: false,
    };
    const OWNER: Person = Person {
        is_admin: false,
        is_staff: true,
        required_by_admin: false,
    };
    const PARTNER: Person = Person {
        is_admin: false,
        is_staff: false,
        required_by_admin: false,
    };

    #[test]
    fn nobody_is_asked_before_an_admin_chooses() {
        let policy = SecondFactorPolicy::default();
        assert!(![ADMIN, OWNER, PARTNER].iter().any(|p| policy.requires(*p)));
    }

    #[test]
    fn each_role_is_asked_only_when_its_box_is_ticked() {
        let admins = SecondFactorPolicy {
            admins: true,
            ..Default::default()
        };
        assert!(admins.requires(ADMIN) && !admins.requires(OWNER) && !admins.requires(PARTNER));
        let owners = SecondFactorPolicy {
            owners: true,
            ..Default::default()
        };
        assert!(!owners.requires(ADMIN) && owners.requires(OWNER) && !owners.requires(PARTNER));
        let partners = SecondFactorPolicy {
            partners: true,
            ..Default::default()
        };
        assert!(!partners.requires(ADMIN) && !partners.requires(OWNER) && partners.requires(PARTNER));
    }

    #[test]
    fn an_admin_can_require_it_of_one_person_whatever_the_portal_says() {
        let one = Person {
            required_by_admin: true,
            ..PARTNER
        };
        assert!(SecondFactorPolicy::default().requires(one));
    }

    #[test]
    fn a_given_second_factor_meets_every_requirement() {
        assert!(second_factor_missing(true, None));
        assert!(!second_factor_missing(true, Some("authenticator")));
        assert!(!second_factor_missing(false, None));
    }
}
