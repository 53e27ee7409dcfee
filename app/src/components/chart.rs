//! The dashboard's daily chart, worked out without drawing: counts per day filled in for days
//! with none, and where each bar goes in the SVG's coordinates.

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

/// The top of the scale: the largest count rounded up to a round number (at least 1), so the
/// gridlines read 0, half and top.
pub fn scale_top(days: &[DayCounts]) -> i64 {
    let largest = days
        .iter()
        .map(|d| d.requests.max(d.redemptions))
        .max()
        .unwrap_or(0)
        .max(1);
    let step = match largest {
        0..=4 => 2,
        5..=10 => 5,
        11..=50 => 10,
        51..=100 => 20,
        _ => 10_i64.pow(largest.ilog10()),
    };
    (largest + step - 1) / step * step
}

/// Where a bar of `value` sits: its height in a plot of `height` units whose top is `top`.
pub fn bar_height(value: i64, top: i64, height: f64) -> f64 {
    if top <= 0 {
        0.0
    } else {
        height * value.clamp(0, top) as f64 / top as f64
    }
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

    #[test]
    fn the_scale_rounds_up_to_a_readable_top() {
        let with = |n| {
            vec![DayCounts {
                day: 0,
                requests: n,
                redemptions: 0,
            }]
        };
        assert_eq!(scale_top(&[]), 2);
        assert_eq!(scale_top(&with(3)), 4);
        assert_eq!(scale_top(&with(7)), 10);
        assert_eq!(scale_top(&with(42)), 50);
        assert_eq!(scale_top(&with(130)), 200);
        assert_eq!(scale_top(&with(2_345)), 3_000);
    }

    #[test]
    fn bars_are_proportional_and_never_overflow() {
        assert_eq!(bar_height(5, 10, 100.0), 50.0);
        assert_eq!(bar_height(15, 10, 100.0), 100.0);
        assert_eq!(bar_height(3, 0, 100.0), 0.0);
    }
}
