//! Dates and times as each language writes them: in UTC, the month in words so that nobody
//! mistakes the day for the month, 24-hour times. The words and their order come from the
//! `dates` catalogue, so a new language brings its own.

use leptos_i18n::td_string;
use time::OffsetDateTime;

use crate::Locale;

/// `15 Jan 2027` in English, `15 jan 2027` in Dutch.
pub fn date(language: Locale, timestamp: i64) -> String {
    match OffsetDateTime::from_unix_timestamp(timestamp) {
        Ok(moment) => written_date(language, moment),
        Err(_) => timestamp.to_string(),
    }
}

/// `15 Jan 2027, 14:30 UTC` in English, `15 jan 2027 om 14:30 UTC` in Dutch.
pub fn date_time(language: Locale, timestamp: i64) -> String {
    match OffsetDateTime::from_unix_timestamp(timestamp) {
        Ok(moment) => {
            let date = written_date(language, moment);
            let time = format!("{:02}:{:02}", moment.hour(), moment.minute());
            td_string!(language, dates.date_time, date = date, time = time).to_string()
        }
        Err(_) => timestamp.to_string(),
    }
}

/// `15 Jan` in English, `15 jan` in Dutch (a chart's axis).
pub fn day_month(language: Locale, timestamp: i64) -> String {
    match OffsetDateTime::from_unix_timestamp(timestamp) {
        Ok(moment) => {
            let month = month_name(language, moment.month());
            td_string!(language, dates.day_month, day = moment.day(), month = month).to_string()
        }
        Err(_) => timestamp.to_string(),
    }
}

/// When `at` is, seen from `now`, in whole calendar days (UTC): "today", "tomorrow",
/// "in 3 days", "2 days ago"; in Dutch "vandaag", "morgen", "over 3 dagen", "2 dagen geleden".
pub fn relative(language: Locale, now: i64, at: i64) -> String {
    let day = |timestamp: i64| {
        OffsetDateTime::from_unix_timestamp(timestamp).map(|moment| moment.date().to_julian_day())
    };
    let (Ok(today), Ok(then)) = (day(now), day(at)) else {
        return at.to_string();
    };
    match i64::from(then) - i64::from(today) {
        0 => td_string!(language, dates.today).to_string(),
        1 => td_string!(language, dates.tomorrow).to_string(),
        -1 => td_string!(language, dates.yesterday).to_string(),
        days if days > 0 => crate::messages::counted(language, "in_days", days),
        days => crate::messages::counted(language, "days_ago", -days),
    }
}

/// `15 Jan 2027 (in 3 days)`: a day and how far it is from `now`.
pub fn date_from_now(language: Locale, now: i64, at: i64) -> String {
    format!("{} ({})", date(language, at), relative(language, now, at))
}

/// `15 Jan 2027, 14:30 UTC (tomorrow)`: a moment and how far its day is from `now`.
pub fn date_time_from_now(language: Locale, now: i64, at: i64) -> String {
    format!("{} ({})", date_time(language, at), relative(language, now, at))
}

fn written_date(language: Locale, moment: OffsetDateTime) -> String {
    let month = month_name(language, moment.month());
    td_string!(
        language,
        dates.date,
        day = moment.day(),
        month = month,
        year = moment.year()
    )
    .to_string()
}

fn month_name(language: Locale, month: time::Month) -> &'static str {
    use time::Month::*;
    match month {
        January => td_string!(language, dates.month_1),
        February => td_string!(language, dates.month_2),
        March => td_string!(language, dates.month_3),
        April => td_string!(language, dates.month_4),
        May => td_string!(language, dates.month_5),
        June => td_string!(language, dates.month_6),
        July => td_string!(language, dates.month_7),
        August => td_string!(language, dates.month_8),
        September => td_string!(language, dates.month_9),
        October => td_string!(language, dates.month_10),
        November => td_string!(language, dates.month_11),
        December => td_string!(language, dates.month_12),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::from_tag;

    #[test]
    fn dates_are_written_in_the_readers_language() {
        let english = from_tag("en").unwrap();
        let dutch = from_tag("nl").unwrap();
        // 2027-03-15 14:05 UTC
        let moment = 1_805_119_500;
        assert_eq!(date(english, moment), "15 Mar 2027");
        assert_eq!(date(dutch, moment), "15 mrt 2027");
        assert_eq!(date_time(english, moment), "15 Mar 2027, 14:05 UTC");
        assert_eq!(date_time(dutch, moment), "15 mrt 2027 om 14:05 UTC");
        assert_eq!(day_month(english, moment), "15 Mar");
        assert_eq!(day_month(dutch, moment), "15 mrt");
    }

    #[test]
    fn relative_days_count_calendar_days() {
        let english = from_tag("en").unwrap();
        let dutch = from_tag("nl").unwrap();
        // 2027-03-15 14:05 UTC; the next day starts 9 h 55 min later.
        let now = 1_805_119_500;
        let day = 86_400;
        assert_eq!(relative(english, now, now + 3_600), "today");
        assert_eq!(relative(dutch, now, now + 36_000), "morgen");
        assert_eq!(relative(dutch, now, now - day), "gisteren");
        assert_eq!(relative(english, now, now + 14 * day), "in 14 days");
        assert_eq!(relative(dutch, now, now + 3 * day), "over 3 dagen");
        assert_eq!(relative(english, now, now - 5 * day), "5 days ago");
        assert_eq!(relative(dutch, now, now - 2 * day), "2 dagen geleden");
    }
}
