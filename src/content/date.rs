//! Dates in front matter: RFC 3339, or a plain day or time in the site's time zone.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone};
use chrono_tz::Tz;

/// Parses a front-matter date. A plain `YYYY-MM-DD` means midnight in the
/// site's time zone, and a date and time without an offset
/// (`2022-01-21T10:00:00`) that time in the site's time zone: `timezone` in
/// `site.yaml` says where the archive's clocks are, as Hugo's `timeZone` does.
pub fn parse(value: &str, tz: Tz) -> Result<DateTime<FixedOffset>, String> {
    let dt = parse_any_year(value, tz)?;
    check_year(dt.year())?;
    check_elsewhere(&dt, tz)?;
    Ok(dt)
}

/// An offset of almost a day moves the last or first day of the range out
/// of it: URLs take the year in the site's time zone, and the selection of
/// published articles compares in UTC.
fn check_elsewhere(dt: &DateTime<FixedOffset>, tz: Tz) -> Result<(), String> {
    for (year, place) in [
        (dt.with_timezone(&chrono::Utc).year(), "UTC"),
        (dt.with_timezone(&tz).year(), "the site's time zone"),
    ] {
        if !(1..=9999).contains(&year) {
            return Err(format!(
                "this is the year {year} in {place}; dates must lie within the years 1–9999 there too"
            ));
        }
    }
    Ok(())
}

/// Only years RFC 3339 can write: chrono reads `-022-05-03` as the year -22,
/// which blatt could then not write into front matter it reads back.
fn check_year(year: i32) -> Result<(), String> {
    if (1..=9999).contains(&year) {
        Ok(())
    } else {
        Err(format!("the year {year} is outside 1–9999"))
    }
}

fn in_range(dt: &DateTime<FixedOffset>) -> bool {
    check_year(dt.year()).is_ok()
}

fn parse_any_year(value: &str, tz: Tz) -> Result<DateTime<FixedOffset>, String> {
    let value = value.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(value) {
        return Ok(dt);
    }
    if let Ok(day) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        check_year(day.year())?;
        return any_year_local(day.and_hms_opt(0, 0, 0).expect("midnight exists"), tz)
            .ok_or_else(|| "this day has no midnight in the site's time zone".into());
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(value, format) {
            check_year(naive.year())?;
            return any_year_local(naive, tz).ok_or_else(|| "this time does not exist in the site's time zone".into());
        }
    }
    Err("expected a day (2022-01-21), a date and time in the site's time zone (YYYY-MM-DDTHH:MM, as 2022-01-21T12:00) or RFC 3339 (2022-01-21T12:00:00+01:00)".into())
}

/// Midnight of `day` in `tz` as a fixed-offset time.
pub fn local_midnight(day: NaiveDate, tz: Tz) -> Option<DateTime<FixedOffset>> {
    local(day.and_hms_opt(0, 0, 0)?, tz)
}

/// A wall-clock time in `tz`; in a DST gap, the earliest valid reading.
/// `None` also outside the years [`parse`] accepts.
pub fn local(naive: NaiveDateTime, tz: Tz) -> Option<DateTime<FixedOffset>> {
    any_year_local(naive, tz).filter(|dt| in_range(dt) && check_elsewhere(dt, tz).is_ok())
}

fn any_year_local(naive: NaiveDateTime, tz: Tz) -> Option<DateTime<FixedOffset>> {
    tz.from_local_datetime(&naive)
        .earliest()
        .or_else(|| tz.from_local_datetime(&(naive + chrono::Duration::hours(1))).earliest())
        .map(|dt| dt.fixed_offset())
}

/// The canonical way blatt writes a date.
pub fn format(dt: &DateTime<FixedOffset>) -> String {
    dt.to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// `YYYY-MM-DD` as chrono's `%Y-%m-%d` writes it, written directly: chrono
/// parses its format string on every call, and the sitemap and the search
/// index write a day for each of 100 000 articles. Years outside four
/// digits are left to chrono, which signs them.
pub fn day(day: NaiveDate) -> String {
    let mut out = String::with_capacity(10);
    push_day(&mut out, day);
    out
}

/// [`day`] written onto the end of `out`: the sitemap writes 100 000 of
/// them into one file, and a string for each was an allocation each.
pub fn push_day(out: &mut String, day: NaiveDate) {
    let year = match u32::try_from(day.year()) {
        Ok(year) if year <= 9999 => year,
        _ => {
            out.push_str(&day.format("%Y-%m-%d").to_string());
            return;
        }
    };
    // The digits by hand: `write!` goes through the formatting machinery
    // for each of the three numbers.
    let mut text = *b"0000-00-00";
    for (at, value, digits) in [(0, year, 4), (5, day.month(), 2), (8, day.day(), 2)] {
        let mut value = value;
        for i in (at..at + digits).rev() {
            text[i] = b'0' + (value % 10) as u8;
            value /= 10;
        }
    }
    out.push_str(std::str::from_utf8(&text).expect("ASCII digits"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_written_as_chrono_writes_them() {
        for (y, m, d) in [
            (1, 1, 1),
            (999, 12, 31),
            (2024, 2, 29),
            (9999, 12, 31),
            (10000, 1, 1),
            (-5, 3, 9),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(day(date), date.format("%Y-%m-%d").to_string(), "{y}-{m}-{d}");
        }
        assert_eq!(day(NaiveDate::from_ymd_opt(7, 8, 9).unwrap()), "0007-08-09");
        let mut text = String::from("<lastmod>");
        push_day(&mut text, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        assert_eq!(text, "<lastmod>2024-02-29");
    }

    #[test]
    fn years_rfc_3339_cannot_write_are_refused() {
        // Found by the import_json fuzz target: a JSON date of `-022-05-03`.
        let berlin = chrono_tz::Europe::Berlin;
        assert_eq!(
            parse("-022-05-03", berlin).unwrap_err(),
            "the year -22 is outside 1–9999"
        );
        assert!(parse("0000-01-01", berlin).is_err());
        assert!(parse("+12022-01-01", berlin).is_err());
        assert!(parse("0001-01-02", berlin).is_ok());
        // Offsets that carry the first or last day out of the range.
        let utc = chrono_tz::UTC;
        for (value, tz, year) in [
            ("9999-12-31T23:59:59-23:59", utc, "10000 in UTC"),
            ("0001-01-01T00:00:00+00:01", utc, "0 in UTC"),
            (
                "9999-12-31T23:00:00+00:00",
                chrono_tz::Asia::Tokyo,
                "10000 in the site's time zone",
            ),
            ("0001-01-01", berlin, "0 in UTC"),
        ] {
            let e = parse(value, tz).unwrap_err();
            assert!(e.contains(&format!("the year {year}")), "{value}: {e}");
        }
        assert!(parse("9999-12-31T23:59:59+00:00", utc).is_ok());
        let naive = NaiveDate::from_ymd_opt(-22, 5, 3)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        assert_eq!(local(naive, berlin), None);
    }

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
    fn time_without_offset_is_in_the_site_time_zone() {
        let berlin = chrono_tz::Europe::Berlin;
        assert_eq!(
            format(&parse("2022-01-21T10:00:00", berlin).unwrap()),
            "2022-01-21T10:00:00+01:00"
        );
        assert_eq!(
            format(&parse("2022-07-01 10:00", berlin).unwrap()),
            "2022-07-01T10:00:00+02:00"
        );
        // 02:30 does not exist on the night clocks go forward: the next valid reading.
        assert_eq!(
            format(&parse("2022-03-27T02:30:00", berlin).unwrap()),
            "2022-03-27T03:30:00+02:00"
        );
    }

    #[test]
    fn nonsense_is_refused() {
        for bad in ["21.01.2022", "2022-13-01", "yesterday", "2022-02-30"] {
            assert!(parse(bad, chrono_tz::UTC).is_err(), "{bad}");
        }
    }
}
