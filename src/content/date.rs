//! Dates in front matter: RFC 3339, or a plain day in the site's time zone.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone};
use chrono_tz::Tz;

/// Parses a front-matter date. A plain `YYYY-MM-DD` means midnight in the
/// site's time zone; a date with a time but no offset is refused, because
/// guessing the zone of a timestamp silently moves articles between days.
pub fn parse(value: &str, tz: Tz) -> Result<DateTime<FixedOffset>, String> {
    let value = value.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(value) {
        return Ok(dt);
    }
    if let Ok(day) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return local_midnight(day, tz).ok_or_else(|| "this day has no midnight in the site's time zone".into());
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if NaiveDateTime::parse_from_str(value, format).is_ok() {
            return Err(format!(
                "it has a time but no time zone offset; write it as `{}+01:00` (or the offset you mean) or as a plain date",
                value.replace(' ', "T")
            ));
        }
    }
    Err("expected RFC 3339 (2022-01-21T12:00:00+01:00) or a day (2022-01-21)".into())
}

/// Midnight of `day` in `tz` as a fixed-offset time.
pub fn local_midnight(day: NaiveDate, tz: Tz) -> Option<DateTime<FixedOffset>> {
    local(day.and_hms_opt(0, 0, 0)?, tz)
}

/// A wall-clock time in `tz`; in a DST gap, the earliest valid reading.
pub fn local(naive: NaiveDateTime, tz: Tz) -> Option<DateTime<FixedOffset>> {
    tz.from_local_datetime(&naive)
        .earliest()
        .or_else(|| tz.from_local_datetime(&(naive + chrono::Duration::hours(1))).earliest())
        .map(|dt| dt.fixed_offset())
}

/// The canonical way blatt writes a date.
pub fn format(dt: &DateTime<FixedOffset>) -> String {
    dt.to_rfc3339_opts(SecondsFormat::Secs, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_day_is_local_midnight() {
        let dt = parse("2022-01-21", chrono_tz::Europe::Berlin).unwrap();
        assert_eq!(format(&dt), "2022-01-21T00:00:00+01:00");
        let summer = parse("2022-07-01", chrono_tz::Europe::Berlin).unwrap();
        assert_eq!(format(&summer), "2022-07-01T00:00:00+02:00");
    }

    #[test]
    fn rfc3339_keeps_its_offset() {
        let dt = parse("2022-01-21T12:00:00-05:00", chrono_tz::Europe::Berlin).unwrap();
        assert_eq!(format(&dt), "2022-01-21T12:00:00-05:00");
    }

    #[test]
    fn time_without_zone_is_refused_with_a_fix() {
        let err = parse("2022-01-21T12:00:00", chrono_tz::Europe::Berlin).unwrap_err();
        assert!(err.contains("no time zone"), "{err}");
        assert!(err.contains("2022-01-21T12:00:00+01:00"), "{err}");
    }

    #[test]
    fn nonsense_is_refused() {
        for bad in ["21.01.2022", "2022-13-01", "yesterday", "2022-02-30"] {
            assert!(parse(bad, chrono_tz::UTC).is_err(), "{bad}");
        }
    }
}
