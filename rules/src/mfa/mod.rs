//! Second factors: what a typed second-factor code is, when the step locks, and the shape of
//! recovery codes. The codes themselves are checked in `services::mfa` (with `totp-rs`).

pub mod recovery;
pub mod requirement;
pub mod second_step;
