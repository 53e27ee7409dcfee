//! The dashboard's chart, worked out without drawing: where each bar goes in the SVG's
//! coordinates, on a scale that reads well.

use rules::administration::dashboard::DayCounts;

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
