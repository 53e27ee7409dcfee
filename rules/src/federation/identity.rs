//! Whom a provider's ID token proves, and whether Portico takes it.

use serde::{Deserialize, Serialize};

use crate::email::{email_domain, normalise_email};

/// What the verified ID token says about the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvedIdentity {
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: Option<bool>,
}

/// Why a first sign-in through a provider is not taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdentityProblem {
    /// The token carries no email address (the `email` scope may be missing).
    NoEmail,
    /// The provider does not vouch for the address and is not trusted for its domain.
    Unverified { got: String },
    /// Signed in as another address than the one invited or typed.
    Mismatch { got: String, expected: String },
}

/// A first sign-in (no link yet) is taken when the address equals the expected one, compared
/// without regard to case, and the provider has verified it or is trusted for its domain.
/// Returns the address, normalised.
pub fn judge_first_sign_in(
    identity: &ProvedIdentity,
    expected: &str,
    trusted_domains: Option<&[String]>,
) -> Result<String, IdentityProblem> {
    let Some(raw) = identity.email.as_deref() else {
        return Err(IdentityProblem::NoEmail);
    };
    let got = normalise_email(raw).unwrap_or_else(|_| raw.trim().to_lowercase());
    let expected = normalise_email(expected).unwrap_or_else(|_| expected.trim().to_lowercase());
    if got != expected {
        return Err(IdentityProblem::Mismatch { got, expected });
    }
    let trusted = trusted_domains.is_some_and(|domains| domains.iter().any(|d| d == email_domain(&got)));
    if identity.email_verified == Some(true) || trusted {
        Ok(got)
    } else {
        Err(IdentityProblem::Unverified { got })
    }
}

/// Whether the provider's token says a second factor was used: `amr` holds `mfa`, or the
/// `acr` equals the one the admin configured.
pub fn says_mfa(amr: &[String], acr: Option<&str>, configured_acr: &str) -> bool {
    amr.iter().any(|method| method == "mfa") || (!configured_acr.is_empty() && acr == Some(configured_acr))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(email: Option<&str>, verified: Option<bool>) -> ProvedIdentity {
        ProvedIdentity {
            subject: "s1".into(),
            email: email.map(String::from),
            email_verified: verified,
        }
    }

    #[test]
    fn the_expected_verified_address_is_taken_whatever_its_case() {
        assert_eq!(
            judge_first_sign_in(
                &identity(Some("Ann@Globex.COM"), Some(true)),
                "ann@globex.com",
                None
            ),
            Ok("ann@globex.com".into())
        );
    }

    #[test]
    fn another_address_is_a_mismatch() {
        assert_eq!(
            judge_first_sign_in(
                &identity(Some("bob@globex.com"), Some(true)),
                "ann@globex.com",
                None
            ),
            Err(IdentityProblem::Mismatch {
                got: "bob@globex.com".into(),
                expected: "ann@globex.com".into()
            })
        );
        assert_eq!(
            judge_first_sign_in(&identity(None, Some(true)), "ann@globex.com", None),
            Err(IdentityProblem::NoEmail)
        );
    }

    #[test]
    fn an_unverified_address_needs_a_trusted_domain() {
        let unverified = identity(Some("ann@globex.com"), Some(false));
        assert_eq!(
            judge_first_sign_in(&unverified, "ann@globex.com", None),
            Err(IdentityProblem::Unverified {
                got: "ann@globex.com".into()
            })
        );
        let trusted = ["globex.com".to_string()];
        assert_eq!(
            judge_first_sign_in(&unverified, "ann@globex.com", Some(&trusted)),
            Ok("ann@globex.com".into())
        );
        let other = ["initech.com".to_string()];
        assert!(judge_first_sign_in(
            &identity(Some("ann@globex.com"), None),
            "ann@globex.com",
            Some(&other)
        )
        .is_err());
    }

    #[test]
    fn mfa_is_read_from_amr_or_the_configured_acr() {
        assert!(says_mfa(&["pwd".into(), "mfa".into()], None, ""));
        assert!(!says_mfa(&["pwd".into()], Some("x"), ""));
        assert!(says_mfa(
            &[],
            Some("http://schemas.example/mfa"),
            "http://schemas.example/mfa"
        ));
    }
}
