//! Second factors: authenticator apps, recovery codes and the wrong tries that lock the step.

pub mod authenticators;
pub mod failures;
pub mod recovery_codes;
pub mod requirement;
