//! Second factors: what a typed second-factor code is, when the step locks, the shape of
//! recovery codes and what a passkey may be called. The codes and keys themselves are checked in
//! `services::mfa` (with `totp-rs` and `webauthn-rs`).

pub mod passkey;
pub mod recovery;
pub mod requirement;
pub mod second_step;
