//! Per-account sign-in throttling (ASVS 2.2.1, NIST 800-63B 5.2.2): a few free tries, then
//! doubling waits, and never more than 100 failures an hour. Keyed by the typed email, so an
//! unknown address is throttled exactly like a real one and the answer reveals nothing.

use crate::clock::Timestamp;

pub const WINDOW_SECONDS: i64 = 3600;
pub const MAX_FAILURES_PER_WINDOW: usize = 100;
/// Failures allowed before any wait is imposed.
pub const FREE_FAILURES: usize = 5;
pub const MAX_DELAY_SECONDS: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInGate {
    Open,
    /// Come back after this many seconds.
    Wait(u64),
}

/// Decides whether a sign-in attempt may be checked now, from the failure times within the
/// last hour (any order).
pub fn sign_in_gate(recent_failures: &[Timestamp], now: Timestamp) -> SignInGate {
    let mut in_window: Vec<Timestamp> = recent_failures
        .iter()
        .copied()
        .filter(|t| *t > now - WINDOW_SECONDS && *t <= now)
        .collect();
    in_window.sort_unstable();
    let count = in_window.len();
    if count >= MAX_FAILURES_PER_WINDOW {
        // Open again when the oldest counted failure leaves the window.
        let oldest_counted = in_window[count - MAX_FAILURES_PER_WINDOW];
        return wait_until(oldest_counted + WINDOW_SECONDS, now);
    }
    if count < FREE_FAILURES {
        return SignInGate::Open;
    }
    // 1, 2, 4, ... seconds; past 2^6 the cap applies anyway (and shifting further would overflow).
    let doublings = (count - FREE_FAILURES).min(6) as u32;
    let delay = (1i64 << doublings).min(MAX_DELAY_SECONDS);
    let last = in_window[count - 1];
    wait_until(last + delay, now)
}

fn wait_until(moment: Timestamp, now: Timestamp) -> SignInGate {
    if moment > now {
        SignInGate::Wait((moment - now) as u64)
    } else {
        SignInGate::Open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = 1_800_000_000;

    fn failures_at(times: impl IntoIterator<Item = i64>) -> Vec<Timestamp> {
        times.into_iter().map(|ago| NOW - ago).collect()
    }

    #[test]
    fn first_few_failures_cost_nothing() {
        assert_eq!(sign_in_gate(&[], NOW), SignInGate::Open);
        assert_eq!(sign_in_gate(&failures_at([0, 0, 0, 0]), NOW), SignInGate::Open);
    }

    #[test]
    fn delays_double_after_the_free_failures() {
        assert_eq!(sign_in_gate(&failures_at([0; 5]), NOW), SignInGate::Wait(1));
        assert_eq!(sign_in_gate(&failures_at([0; 6]), NOW), SignInGate::Wait(2));
        assert_eq!(sign_in_gate(&failures_at([0; 8]), NOW), SignInGate::Wait(8));
    }

    #[test]
    fn delay_is_capped_and_measured_from_the_last_failure() {
        assert_eq!(sign_in_gate(&failures_at([0; 40]), NOW), SignInGate::Wait(60));
        assert_eq!(sign_in_gate(&failures_at([0; 99]), NOW), SignInGate::Wait(60));
        assert_eq!(sign_in_gate(&failures_at([20; 40]), NOW), SignInGate::Wait(40));
        assert_eq!(sign_in_gate(&failures_at([61; 40]), NOW), SignInGate::Open);
    }

    #[test]
    fn a_hundred_failures_in_an_hour_close_the_door_until_the_oldest_expires() {
        let times: Vec<Timestamp> = (0..100).map(|i| NOW - 3000 + i * 10).collect();
        // Oldest counted failure was 3000 s ago: 600 s remain in its hour.
        assert_eq!(sign_in_gate(&times, NOW + 100), SignInGate::Wait(500));
        // Then 99 remain, the last one long ago: only the capped delay applied, and it is over.
        assert_eq!(sign_in_gate(&times, NOW + 600), SignInGate::Open);
    }

    #[test]
    fn failures_older_than_an_hour_are_forgotten() {
        let old = failures_at([3600; 50]);
        assert_eq!(sign_in_gate(&old, NOW), SignInGate::Open);
    }
}
