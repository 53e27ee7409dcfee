//! How times are shown: always UTC, written out so no reader mistakes day for month.

use time::macros::format_description;
use time::OffsetDateTime;

/// `15 Jan 2027, 01:05 UTC`: the CSV export's language-neutral form (pages and emails write
/// times in the reader's language, locales::dates).
pub fn format_date_time(timestamp: i64) -> String {
    OffsetDateTime::from_unix_timestamp(timestamp)
        .ok()
        .and_then(|t| {
            t.format(format_description!(
                "[day padding:none] [month repr:short] [year], [hour]:[minute] UTC"
            ))
            .ok()
        })
        .unwrap_or_else(|| "unknown time".to_string())
}

/// `2027-03-01` (an HTML date input's value) as the first second of that day, UTC.
pub fn parse_date(text: &str) -> Option<i64> {
    let date = time::Date::parse(text.trim(), format_description!("[year]-[month]-[day]")).ok()?;
    Some(date.midnight().assume_utc().unix_timestamp())
}

/// The value for an HTML date input.
pub fn date_input_value(timestamp: i64) -> String {
    OffsetDateTime::from_unix_timestamp(timestamp)
        .ok()
        .and_then(|t| t.format(format_description!("[year]-[month]-[day]")).ok())
        .unwrap_or_default()
}

/// `2026-12-04T06:47:00Z`, for a `<time datetime>` attribute.
pub fn machine_date_time(timestamp: i64) -> String {
    OffsetDateTime::from_unix_timestamp(timestamp)
        .ok()
        .and_then(|t| {
            t.format(format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
            ))
            .ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_reads_for_machines_in_utc() {
        assert_eq!(machine_date_time(1_767_225_600), "2026-01-01T00:00:00Z");
    }

    #[test]
    fn dates_are_written_out_in_utc() {
        assert_eq!(
            format_date_time(1_799_971_200 + 3600 + 5 * 60),
            "15 Jan 2027, 01:05 UTC"
        );
    }

    #[test]
    fn date_inputs_round_trip() {
        assert_eq!(parse_date("2027-01-15"), Some(1_799_971_200));
        assert_eq!(date_input_value(1_799_971_200), "2027-01-15");
        assert_eq!(parse_date("15/01/2027"), None);
    }
}
