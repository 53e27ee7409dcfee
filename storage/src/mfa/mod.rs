//! Second factors: authenticator apps, passkeys, recovery codes and the wrong tries that lock
//! the step.

pub mod authenticators;
pub mod failures;
pub mod passkeys;
pub mod recovery_codes;
pub mod requirement;
