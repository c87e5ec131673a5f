//! Dates written in article text: `21.01.2022`, `21. Januar 2022`,
//! `January 21, 2022`, `2022年1月21日`, with an optional `15:00 Uhr`.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use regex::Regex;

const MONTHS: [(&str, u32); 31] = [
    ("januar", 1),
    ("jänner", 1),
    ("january", 1),
    ("jan", 1),
    ("februar", 2),
    ("feber", 2),
    ("february", 2),
    ("feb", 2),
    ("märz", 3),
    ("march", 3),
    ("mär", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("mai", 5),
    ("may", 5),
    ("juni", 6),
    ("june", 6),
    ("jun", 6),
    ("juli", 7),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("oktober", 10),
    ("october", 10),
    ("okt", 10),
    ("oct", 10),
];
const LATE_MONTHS: [(&str, u32); 5] = [
    ("november", 11),
    ("nov", 11),
    ("dezember", 12),
    ("december", 12),
    ("dez", 12),
];

fn month(name: &str) -> Option<u32> {
    let name = name.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .chain(LATE_MONTHS.iter())
        .chain([("dec", 12)].iter())
        .find(|(n, _)| *n == name)
        .map(|(_, m)| *m)
}

/// Whether a word names a month (`März`, `Sept.`, `October`).
pub fn is_month(word: &str) -> bool {
    month(word).is_some()
}

const MONTH_NAMES: &str = r"Januar|Jänner|January|Jan|Februar|Feber|February|Feb|März|March|Mär|Mar|April|Apr|Mai|May|Juni|June|Jun|Juli|July|Jul|August|Aug|September|Sept|Sep|Oktober|October|Okt|Oct|November|Nov|Dezember|December|Dez|Dec";

struct Regexes {
    numeric: Regex,
    day_month: Regex,
    month_day: Regex,
    iso: Regex,
    /// Year, month and day each followed by its sign, as Chinese, Japanese
    /// and Korean pages write a date (`2019年3月15日`, `2019년 3월 15일`):
    /// often the only date such a page's text has.
    cjk: Regex,
    time: Regex,
    filler: Regex,
    /// A time of day, a day or a month written with figures only
    /// (`10:19`, `18:00:00+00`, `2019-11-19T08:57:45+01:00`, `05/17/2019`,
    /// `03.2015`).
    figures: Regex,
}

fn regexes() -> &'static Regexes {
    static R: OnceLock<Regexes> = OnceLock::new();
    R.get_or_init(|| Regexes {
        numeric: Regex::new(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})\b").unwrap(),
        day_month: Regex::new(&format!(r"(?i)\b(\d{{1,2}})\.?\s+({MONTH_NAMES})\.?\s+(\d{{4}})\b")).unwrap(),
        month_day: Regex::new(&format!(r"(?i)\b({MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")).unwrap(),
        iso: Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})\b").unwrap(),
        cjk: Regex::new(r"(\d{4})\s?[年년]\s?(\d{1,2})\s?[月월]\s?(\d{1,2})\s?[日일]").unwrap(),
        time: Regex::new(r"(?i)\b([01]?\d|2[0-3])[:.]([0-5]\d)(?:\s*(?:Uhr|h)\b)?").unwrap(),
        filler: Regex::new(&format!(
            r"(?i)\b(?:stand|des|artikels|aktualisiert|veröffentlicht|erstellt|geändert|zuletzt|update|updated|published|posted|last|am|um|vom|on|at|uhr|mez|mesz|cet|cest|utc|gmt|min|minuten|lesezeit|lesedauer|mo|di|mi|do|fr|sa|so|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|heute|gestern|today|yesterday|{MONTH_NAMES})\b|\d+|[-–—|,:;./()]+"
        ))
        .unwrap(),
        figures: Regex::new(
            r"\b(?:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?|(?:[01]?\d|2[0-3])[:.][0-5]\d(?::[0-5]\d)?(?:[+-]\d{2}(?::?\d{2})?)?|\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})|(?:0?[1-9]|1[0-2])[./](?:19|20)\d{2})\b",
        )
        .unwrap(),
    })
}

/// A date found in text, with the time of day when one follows it.
pub fn find(text: &str) -> Option<NaiveDateTime> {
    let r = regexes();
    let (day, end) = if let Some(c) = r.numeric.captures(text) {
        let year: i32 = c[3].parse().ok()?;
        let year = if year < 100 { 2000 + year } else { year };
        (
            NaiveDate::from_ymd_opt(year, c[2].parse().ok()?, c[1].parse().ok()?)?,
            c.get(0)?.end(),
        )
    } else if let Some(c) = r.day_month.captures(text) {
        (
            NaiveDate::from_ymd_opt(c[3].parse().ok()?, month(&c[2])?, c[1].parse().ok()?)?,
            c.get(0)?.end(),
        )
    } else if let Some(c) = r.month_day.captures(text) {
        (
            NaiveDate::from_ymd_opt(c[3].parse().ok()?, month(&c[1])?, c[2].parse().ok()?)?,
            c.get(0)?.end(),
        )
    } else if let Some(c) = r.iso.captures(text).or_else(|| r.cjk.captures(text)) {
        (
            NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?,
            c.get(0)?.end(),
        )
    } else {
        return None;
    };
    let time = r
        .time
        .captures(&text[end..])
        .and_then(|c| NaiveTime::from_hms_opt(c[1].parse().ok()?, c[2].parse().ok()?, 0))
        .unwrap_or(NaiveTime::MIN);
    Some(day.and_time(time))
}

/// The publication day written in an article's URL: `/2022/01/21/`,
/// `/2022-01-21-slug`, `_20220121_` is not read (ids look the same). In a
/// month folder a slug may start with a number (`/2019/10/9-oktober-…`,
/// `/2021/10/23-taeter-…`): a day between slashes stands alone.
pub fn in_url(url: &str) -> Option<NaiveDate> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?:^|[/_.-])((?:19|20)\d{2})(?:/(\d{1,2})/(\d{1,2})(?:$|[/_.?#])|-(\d{2})-(\d{2})(?:$|[/_.?#-]))")
            .unwrap()
    });
    re.captures_iter(url_path(url)).find_map(|c| {
        let year = c[1].parse().ok()?;
        let (month, day) = match (c.get(2), c.get(3)) {
            (Some(m), Some(d)) => (m.as_str(), d.as_str()),
            _ => (c.get(4)?.as_str(), c.get(5)?.as_str()),
        };
        NaiveDate::from_ymd_opt(year, month.parse().ok()?, day.parse().ok()?)
    })
}

/// The path of a URL: where its dates are read, since a host can hold
/// digits and a query anything.
fn url_path(url: &str) -> &str {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = path.find('/').map_or("", |i| &path[i..]);
    path.split(['?', '#']).next().unwrap_or("")
}

/// The month folder an article's URL files it under: `/2019/04/slug`, or
/// the month of a day written there.
pub fn month_in_url(url: &str) -> Option<(i32, u32)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"/((?:19|20)\d{2})/(\d{1,2})/").unwrap());
    if let Some(day) = in_url(url) {
        return Some((day.year(), day.month()));
    }
    let c = re.captures(url_path(url))?;
    let month: u32 = c[2].parse().ok()?;
    (1..=12)
        .contains(&month)
        .then(|| Some((c[1].parse().ok()?, month)))
        .flatten()
}

/// The date of a line that opens an update of the article: `Update vom
/// 03. Mai 2020, 16:05 Uhr: …`, `Aktualisiert am 3.5.2020:`, `Updated on May 3, 2020:`.
pub fn update_marker(line: &str) -> Option<NaiveDateTime> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?i)^\W{0,3}(?:updated|update|aktualisierung|aktualisiert|nachtrag)\s*(?:vom|am|on|from)?\s*[:(]?\s*",
        )
        .unwrap()
    });
    let head = line.char_indices().nth(80).map_or(line, |(i, _)| &line[..i]);
    let rest = &head[re.find(head)?.end()..];
    let starts_with_date = rest.starts_with(|c: char| c.is_ascii_digit())
        || rest.split_whitespace().next().is_some_and(|w| month(w).is_some());
    starts_with_date.then(|| find(rest)).flatten()
}

/// Whether a line holds nothing but a date, a time or a reading time
/// (`Stand: 28.04.2020 18:00 Uhr`, `Di, 10:19 Uhr`, `- -Aktualisiert am`).
/// Figures besides its dates and times make it data, not a date: a row of
/// a table or a program's output (`2, 3, 5, 12`, `4.3333`, `5.000 €`,
/// `2020-08-01 18:00:00+00 │ 200 │ 4084`) and a score (`2:1`) are text.
pub fn is_date_line(line: &str) -> bool {
    if line.split_whitespace().count() > 12 {
        return false;
    }
    let r = regexes();
    let rest = r.filler.replace_all(line, " ");
    if !rest.split_whitespace().all(|w| w.chars().count() <= 1) {
        return false;
    }
    // The line's figures left once its dates and times are out: one at
    // most (a reading time, `Stand: 28.04.2020 · 2 min`).
    let mut undated = line.to_string();
    for re in [&r.numeric, &r.day_month, &r.month_day, &r.iso, &r.cjk, &r.figures] {
        undated = re.replace_all(&undated, " ").into_owned();
    }
    undated
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .count()
        <= 1
}

/// A time of day and nothing else (`10 p.m.`, `4:14 p.m.`, `14:32 Uhr`,
/// `9.15`): the stamp of an entry in a live report.
pub fn is_clock_time(line: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        let suffix = r"(?:a\.?\s?m\.?|p\.?\s?m\.?|uhr|h)";
        Regex::new(&format!(
            r"(?i)^(?:[01]?\d|2[0-3])(?:[:.][0-5]\d\s*{suffix}?|\s*{suffix})$"
        ))
        .unwrap()
    });
    re.is_match(line.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> Option<NaiveDateTime> {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0)
    }

    #[test]
    fn clock_times() {
        for t in ["10 p.m.", "4:14 p.m.", "14:32 Uhr", "9.15", "11 AM", "8:05"] {
            assert!(is_clock_time(t), "{t}");
        }
        for t in ["10", "2 min", "Di, 10:19 Uhr", "21.01.2022", "10 p.m. Update", "25:00"] {
            assert!(!is_clock_time(t), "{t}");
        }
    }

    #[test]
    fn formats() {
        assert_eq!(find("21.01.2022"), at(2022, 1, 21, 0, 0));
        assert_eq!(find("21. Januar 2022"), at(2022, 1, 21, 0, 0));
        assert_eq!(find("January 21, 2022"), at(2022, 1, 21, 0, 0));
        assert_eq!(find("Stand: 28.04.2020 18:00 Uhr"), at(2020, 4, 28, 18, 0));
        assert_eq!(find("20. März 2021 - 15:00 Uhr"), at(2021, 3, 20, 15, 0));
        assert_eq!(find("06.11.23 - Sensation"), at(2023, 11, 6, 0, 0));
        assert_eq!(find("Published 2019-05-17"), at(2019, 5, 17, 0, 0));
        assert_eq!(find("2019年3月15日 10:30"), at(2019, 3, 15, 10, 30));
        assert_eq!(find("2019년 3월 15일"), at(2019, 3, 15, 0, 0));
        assert_eq!(find("2019年2月30日"), None);
        assert_eq!(find("31.02.2022"), None);
        assert_eq!(find("Kein Datum hier"), None);
    }

    #[test]
    fn dates_in_urls() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(in_url("https://example.org/2022/01/21/a-story/"), day(2022, 1, 21));
        assert_eq!(in_url("https://example.org/news/2019/5/7/story.html"), day(2019, 5, 7));
        assert_eq!(in_url("https://example.org/2022-01-21-a-story"), day(2022, 1, 21));
        assert_eq!(
            in_url("https://example.org/a/story_2020-04-28.html?x=1"),
            day(2020, 4, 28)
        );
        // Month only, ids, invalid days, a date in the query or host: none.
        assert_eq!(in_url("https://example.org/2022/01/a-story"), None);
        // A month folder, and a slug that starts with a number.
        assert_eq!(in_url("https://example.org/2019/10/9-oktober-ein-tag/"), None);
        assert_eq!(in_url("https://example.org/2021/10/23-fragen-an-alle/"), None);
        assert_eq!(in_url("https://example.org/a/story-1.4445845"), None);
        assert_eq!(in_url("https://example.org/a/20220121/story"), None);
        assert_eq!(in_url("https://example.org/2022/02/31/x"), None);
        assert_eq!(in_url("https://example.org/a?date=2022-01-21"), None);
        assert_eq!(in_url("https://2022-01-21.example.org/a"), None);
        assert_eq!(
            month_in_url("https://example.org/2019/04/a-story.html"),
            Some((2019, 4))
        );
        assert_eq!(month_in_url("https://example.org/2022/01/21/a-story/"), Some((2022, 1)));
        assert_eq!(month_in_url("https://example.org/blog/19/a-story"), None);
        assert_eq!(month_in_url("https://example.org/2019/13/a-story"), None);
        assert_eq!(month_in_url("https://2019.example.org/a?d=/2019/04/"), None);
    }

    #[test]
    fn update_markers() {
        assert_eq!(
            update_marker("Update vom 03. Mai 2020, 16:05 Uhr: Kim ist zurück."),
            at(2020, 5, 3, 16, 5)
        );
        assert_eq!(
            update_marker("Aktualisiert am 3.5.2020: Neue Zahlen."),
            at(2020, 5, 3, 0, 0)
        );
        assert_eq!(update_marker("Updated (May 3, 2020): more."), at(2020, 5, 3, 0, 0));
        assert_eq!(update_marker("Das Update vom 3.5.2020 brachte nichts."), None);
        assert_eq!(update_marker("Update: Die Polizei sucht Zeugen."), None);
    }

    #[test]
    fn date_lines() {
        for line in [
            "Stand: 28.04.2020 18:00 Uhr",
            "20. März 2021 - 15:00 Uhr",
            "- -Aktualisiert am",
            "Di, 10:19 Uhr",
            "31.10.2023",
            "2 min",
            "Stand des Artikels: 26. Februar 2020, 12:30 Uhr.",
            "Updated: Nov. 19, 2019 at 5:02 p.m.",
            "2019年03月15日 10:30",
            "2019년 3월 15일",
        ] {
            assert!(is_date_line(line), "{line}");
        }
        for line in [
            "Update vom 03. Mai 2020, 16:05 Uhr: Kim Jong Uns vermeintliche Rückkehr",
            "Am 31.10.2023 kam es zu einem Einbruch.",
            "2019年3月15日，市议会通过了新的预算。",
        ] {
            assert!(!is_date_line(line), "{line}");
        }
        // Figures that are dates and times, and one more at most, are one.
        for line in [
            "10:19",
            "05/17/2019",
            "2019-05-17",
            "9.15",
            "03.2015",
            "2019-05-17 10:19:00+02 | 3 min",
            "2019-11-19T08:57:45+01:00",
            "Stand: 28.04.2020 · 2 min",
            "12",
        ] {
            assert!(is_date_line(line), "{line}");
        }
        // Figures alone are data: a table's row, a program's output, a score.
        for line in [
            "2, 3, 5, 2, 3, 12, 5, 3, 4",
            "4.3333333333333333",
            "1.2511 │ 7.4155",
            "2:1",
            "25,7 20,8",
            "5.000 €",
            "2020-08-01 18:00:00+00 │ 200 │ 4084",
        ] {
            assert!(!is_date_line(line), "{line}");
        }
    }
}
