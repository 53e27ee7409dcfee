//! The second step of a sign-in: reading what the person typed, and the lock after five
//! wrong codes (ASVS 5.0 6.3.1, NIST 800-63B 5.2.2).

use crate::clock::Timestamp;
use crate::mfa::recovery::normalise_recovery_code;

/// Wrong codes allowed within [`LOCK_SECONDS`]; the next attempt waits.
pub const MAX_WRONG_CODES: usize = 5;
/// How long the step stays locked after the fifth wrong code.
pub const LOCK_SECONDS: i64 = 15 * 60;
/// Digits of an authenticator app's code.
pub const AUTHENTICATOR_DIGITS: usize = 6;

/// What was typed at the second step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondFactorInput {
    /// Six digits from an authenticator app.
    Authenticator(String),
    /// A recovery code, normalised.
    Recovery(String),
}

/// Reads the typed text: six digits (spaces allowed, as apps show "123 456") are an
/// authenticator code; the shape of a recovery code is one; anything else is `None`.
pub fn read_second_factor(typed: &str) -> Option<SecondFactorInput> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == AUTHENTICATOR_DIGITS && digits.chars().all(|c| c.is_ascii_digit()) {
        return Some(SecondFactorInput::Authenticator(digits));
    }
    normalise_recovery_code(typed).map(SecondFactorInput::Recovery)
}

/// Reads an authenticator code alone (enrolment asks for one, not for a recovery code).
pub fn read_authenticator_code(typed: &str) -> Option<String> {
    match read_second_factor(typed) {
        Some(SecondFactorInput::Authenticator(code)) => Some(code),
        _ => None,
    }
}

/// The page's check as the person types (a message code when it cannot be a code).
pub fn check_second_factor(typed: &str) -> Result<(), String> {
    read_second_factor(typed)
        .map(|_| ())
        .ok_or_else(|| "@not_a_second_factor_code".to_string())
}

/// The enrolment page's check: six digits.
pub fn check_authenticator_code(typed: &str) -> Result<(), String> {
    read_authenticator_code(typed)
        .map(|_| ())
        .ok_or_else(|| "@not_an_authenticator_code".to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondStepGate {
    Open,
    /// Locked; open again after this many seconds.
    Locked(u64),
}

/// How far back the wrong codes that can still lock the step go.
pub const FAILURES_LOOK_BACK_SECONDS: i64 = 2 * LOCK_SECONDS;

/// Whether a code may be checked now, from the times of the account's wrong codes of the last
/// [`FAILURES_LOOK_BACK_SECONDS`]: five wrong codes within 15 minutes lock the step for 15
/// minutes from the fifth.
pub fn second_step_gate(recent_failures: &[Timestamp], now: Timestamp) -> SecondStepGate {
    let mut times: Vec<Timestamp> = recent_failures.iter().copied().filter(|t| *t <= now).collect();
    times.sort_unstable();
    let opens = times
        .windows(MAX_WRONG_CODES)
        .filter(|five| five[MAX_WRONG_CODES - 1] - five[0] < LOCK_SECONDS)
        .map(|five| five[MAX_WRONG_CODES - 1] + LOCK_SECONDS)
        .max();
    match opens {
        Some(opens) if opens > now => SecondStepGate::Locked((opens - now) as u64),
        _ => SecondStepGate::Open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = 1_800_000_000;

    #[test]
    fn six_digits_are_an_authenticator_code_with_or_without_spaces() {
        assert_eq!(
            read_second_factor(" 123 456 "),
            Some(SecondFactorInput::Authenticator("123456".into()))
        );
        assert_eq!(read_second_factor("12345"), None);
        assert_eq!(read_second_factor("1234567"), None);
        assert_eq!(read_authenticator_code("abcdef"), None);
    }

    #[test]
    fn a_recovery_code_reads_in_any_case_with_or_without_its_dash() {
        let expected = Some(SecondFactorInput::Recovery("abcde-fghjk".into()));
        assert_eq!(read_second_factor("ABCDE-FGHJK"), expected);
        assert_eq!(read_second_factor("abcdefghjk"), expected);
        assert_eq!(read_authenticator_code("abcde-fghjk"), None);
    }

    #[test]
    fn four_wrong_codes_leave_the_step_open() {
        let failures: Vec<Timestamp> = (1..=4).map(|ago| NOW - ago).collect();
        assert_eq!(second_step_gate(&failures, NOW), SecondStepGate::Open);
    }

    #[test]
    fn the_fifth_wrong_code_locks_for_fifteen_minutes() {
        let failures: Vec<Timestamp> = (0..5).map(|ago| NOW - ago).collect();
        assert_eq!(second_step_gate(&failures, NOW), SecondStepGate::Locked(900));
        assert_eq!(second_step_gate(&failures, NOW + 899), SecondStepGate::Locked(1));
        assert_eq!(second_step_gate(&failures, NOW + 900), SecondStepGate::Open);
    }

    #[test]
    fn old_wrong_codes_do_not_count() {
        let failures = vec![NOW - 2000, NOW - 1900, NOW - 10, NOW - 5, NOW - 1];
        assert_eq!(second_step_gate(&failures, NOW), SecondStepGate::Open);
        // Five spread over more than 15 minutes do not lock either.
        let spread = vec![NOW - 1000, NOW - 700, NOW - 400, NOW - 200, NOW - 1];
        assert_eq!(second_step_gate(&spread, NOW), SecondStepGate::Open);
    }
}
