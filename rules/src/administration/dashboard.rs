//! The dashboard's daily counts: requests made and invitations redeemed per day over a
//! window ending today, with days that had none filled in as zero.

use serde::{Deserialize, Serialize};

pub const DAY: i64 = 86_400;

/// Two counts for one day (requests made, invitations redeemed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCounts {
    /// Midnight (UTC) starting the day.
    pub day: i64,
    pub requests: i64,
    pub redemptions: i64,
}

/// The first second of the window of `days` days that ends with today (UTC).
pub fn window_start(now: i64, days: i64) -> i64 {
    now.div_euclid(DAY) * DAY - (days - 1) * DAY
}

/// The chart's window, in days, ending today.
pub const CHART_DAYS: i64 = 30;
/// Memberships ending within this many days are counted and listed.
pub const ENDING_WITHIN_DAYS: i64 = 14;
/// How many of those the dashboard lists.
pub const ENDING_LISTED: i64 = 10;

/// One entry per day of the window, in order: `requests` and `redemptions` are (day index,
/// count) pairs as the store counted them; days without a pair count zero.
pub fn fill_days(
    start: i64,
    days: i64,
    requests: &[(i64, i64)],
    redemptions: &[(i64, i64)],
) -> Vec<DayCounts> {
    let count = |pairs: &[(i64, i64)], index: i64| {
        pairs
            .iter()
            .filter(|(day, _)| *day == index)
            .map(|(_, n)| n)
            .sum()
    };
    (0..days)
        .map(|index| DayCounts {
            day: start + index * DAY,
            requests: count(requests, index),
            redemptions: count(redemptions, index),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_ends_today_and_starts_at_a_midnight() {
        let now = 1_799_971_200 + 5 * 3600; // 15 Jan 2027, 05:00
        assert_eq!(window_start(now, 1), 1_799_971_200);
        assert_eq!(window_start(now, 30), 1_799_971_200 - 29 * DAY);
    }

    #[test]
    fn missing_days_count_zero() {
        let days = fill_days(0, 4, &[(0, 3), (2, 1)], &[(3, 2)]);
        assert_eq!(days.len(), 4);
        assert_eq!(days.iter().map(|d| d.requests).collect::<Vec<_>>(), [3, 0, 1, 0]);
        assert_eq!(
            days.iter().map(|d| d.redemptions).collect::<Vec<_>>(),
            [0, 0, 0, 2]
        );
        assert_eq!(days[2].day, 2 * DAY);
    }
}
