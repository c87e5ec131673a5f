//! Search ids that follow an article's time rather than its rank.
//!
//! A posting names its article by id. Were ids ranks in date order, one
//! article added, removed or re-dated inside the archive would move the id
//! of every article after it, and with them nearly every file of the index.
//! Here an article's id is where its time falls on a scale of
//! [`slots`] per day counted from 1800, pushed on past the article before
//! it when that one took the slot ([`assign`]): ids still rise with the date
//! (the script ranks newer articles first on a tie), but an article that
//! comes, goes or moves changes its own id and, at most, those of the few
//! articles right after it that shared its slot's run.
//!
//! The scale has eight times as many slots as the busiest month has
//! articles per day, so that slots stay mostly free and runs short even
//! where articles cluster in the hours a newsroom works: on the Zipf bench
//! corpus at 100 000 articles (busiest month 849 articles, 256 slots a
//! day, one of 5.6 minutes) 8.8 % of the articles take a slot after their
//! own, against 48 % with 64 slots a day, so a re-dated article moves one
//! other article's postings in ten, not one in two. The price is larger
//! steps between the ids of a posting list: its postings take 28 % more
//! bytes than with ranks as ids (10 % with 64 slots). The slots per day
//! change only when the busiest month crosses a power of two; then every
//! id changes.
//!
//! An article known by its day alone stands at midnight (`blatt import`
//! dates such articles so: all 1 165 articles imported from the shared
//! corpus are at `T00:00:00`). All of a day's such articles
//! would share one slot and take the ids after it one by one, in the
//! site's order (by address), so that a new one pushed on half of its
//! day's articles, and with them the postings of every word they have
//! (2 103 outputs rewritten at 100 000 articles dated so, against 508 for
//! one that pushed none). Its [`place`] is therefore spread over its day
//! by its address, in the order the site gives such articles, so that
//! each stands where a new one seldom pushes it.

/// Seconds from the Unix epoch to 1800-01-01T00:00:00Z. Earlier times
/// take the first slot and push on.
const EPOCH: i64 = -5_364_662_400;
/// Days from 1800 to 2200: later times take the last day's slots. Bounds
/// the ids with [`MAX_SLOTS`] below [`ID_LIMIT`].
const DAYS: u64 = 146_097;
/// At most this many slots per day (a busiest month of 16 384 articles).
pub const MAX_SLOTS: u32 = 4096;
/// Ids are below this: a posting is `id * 4 + weight` in a `u32`, and the
/// last slot plus one id per article stays below it.
pub const ID_LIMIT: u64 = 1 << 30;
/// A docs file holds the articles of this many consecutive ids: 8 to 16
/// where the archive is as dense as in its busiest month, whatever that
/// density (the slots per day are 8 to 16 times its articles per day, so
/// an article there takes 8 to 16 ids), fewer elsewhere. A query fetches
/// one such file per result shown.
pub const DOCS_SPAN: u32 = 128;

const _: () = assert!(DAYS * MAX_SLOTS as u64 + (u32::MAX as u64 / 16) < ID_LIMIT);

/// A place on the scale is in these steps per minute: an article known
/// by its day alone is placed finer than by minutes within its day.
pub const PER_MINUTE: u64 = 1 << 10;
/// The steps of a day.
const DAY_STEPS: u64 = 1440 * PER_MINUTE;

/// Part of every build's fingerprint: a manifest whose ids were placed by
/// another rule is not brought up to date by this one.
pub const RULE: &str = "ids: slots per day; a day's articles at midnight spread by address";

/// The place on the scale of `unix` (seconds), in [`PER_MINUTE`] steps
/// from 1800, clamped to the scale's 400 years.
pub fn at(unix: i64) -> u64 {
    let m = (unix.saturating_sub(EPOCH) / 60).max(0) as u64;
    m.min(DAYS * 1440 - 1) * PER_MINUTE
}

/// The place of an article at `local` (its time in the site's time zone)
/// with site path `path`: its time's, or, at midnight — an article known by
/// its day alone —, a place in that day by its address (see the module's
/// comment): ids follow the site's order, which puts the greater address
/// first among articles of one time, so the greater address stands
/// earlier in the day.
pub fn place<Z: chrono::TimeZone>(local: &chrono::DateTime<Z>, path: &str) -> u64 {
    place_by(local, || std::borrow::Cow::Borrowed(path))
}

/// [`place`] of the article of `source` in a site of time zone `tz`; its
/// site path is made only for an article at midnight.
pub fn place_of(source: &crate::content::ArticleFile, tz: chrono_tz::Tz) -> u64 {
    let local = source.front.date.with_timezone(&tz);
    place_by(&local, || crate::site::SiteIndex::path_of(source, tz).into())
}

/// [`place`], asking for the site path only at midnight.
fn place_by<'a, Z: chrono::TimeZone>(
    local: &chrono::DateTime<Z>,
    path: impl FnOnce() -> std::borrow::Cow<'a, str>,
) -> u64 {
    use chrono::Timelike;
    let start = at(local.timestamp());
    if local.num_seconds_from_midnight() != 0 || local.nanosecond() != 0 {
        return start;
    }
    let later = u128::from(SPREAD_ROOM - 1 - spread_rank(&path())) * u128::from(DAY_STEPS) / u128::from(SPREAD_ROOM);
    (start + later as u64).min(DAYS * DAY_STEPS - 1)
}

/// The characters of a site path's last part and the `/` that ends it,
/// in the order of their bytes.
const SLUG_ORDER: &[u8] = b"-/0123456789abcdefghijklmnopqrstuvwxyz";
/// Characters of the slug [`spread_rank`] reads.
const SPREAD_CHARS: u32 = 11;
/// The ranks [`spread_rank`] gives: one more digit than [`SLUG_ORDER`]
/// has characters (the path's end is the lowest), to the power of the
/// characters read.
const SPREAD_ROOM: u64 = (SLUG_ORDER.len() as u64 + 1).pow(SPREAD_CHARS);

/// Where the last part of site path `path` (its slug and `/`) stands
/// among all, as a number below [`SPREAD_ROOM`] that never falls as the
/// bytes rise — the site orders articles of one time by their paths, and
/// those of one day share their month's folder: its first
/// [`SPREAD_CHARS`] characters as digits. A byte that is none of
/// [`SLUG_ORDER`] counts as the character below it followed by the highest
/// digits (or, below `-`, as the end), which keeps the order. Real slugs
/// start with any letter, so a day's articles spread over the day; slugs
/// that share their first letters (`die-`, `der-`) stand close.
fn spread_rank(path: &str) -> u64 {
    let last_part = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let last = SLUG_ORDER.len() as u64;
    let mut bytes = last_part.bytes().chain([b'/']);
    // The digit every later place takes, once the path ended or left the
    // characters of a slug.
    let mut fill = None;
    (0..SPREAD_CHARS).fold(0, |rank, _| {
        let digit = fill.unwrap_or_else(|| match bytes.next().map(|b| SLUG_ORDER.binary_search(&b)) {
            Some(Ok(i)) => i as u64 + 1,
            Some(Err(i)) if i > 0 => {
                fill = Some(last);
                i as u64
            }
            _ => *fill.insert(0),
        });
        rank * (last + 1) + digit
    })
}

/// Slots per day for an archive whose busiest month holds `busiest`
/// articles: a power of two, at least eight times its articles per day
/// (a month taken as 32 days).
pub fn slots(busiest: usize) -> u32 {
    let wanted = busiest.div_ceil(4).max(1).next_power_of_two();
    u32::try_from(wanted).unwrap_or(MAX_SLOTS).min(MAX_SLOTS)
}

/// The slot of `place` on a scale of `slots` per day.
fn base(place: u64, slots: u32) -> u64 {
    place * u64::from(slots) / DAY_STEPS
}

/// The id of an article at `place` after one with id `prev` (none for
/// the oldest article).
pub fn next(prev: Option<u32>, place: u64, slots: u32) -> u32 {
    let b = base(place, slots.min(MAX_SLOTS));
    let id = prev.map_or(b, |p| b.max(u64::from(p) + 1));
    // Fewer than u32::MAX / 16 articles keep the pushed ids below ID_LIMIT.
    u32::try_from(id).expect("ids stay below ID_LIMIT")
}

/// The ids of articles at `places`, oldest first (in the site's order,
/// whose ties the ids keep).
pub fn assign(places: impl IntoIterator<Item = u64>, slots: u32) -> Vec<u32> {
    let mut prev = None;
    places
        .into_iter()
        .map(|m| {
            let id = next(prev, m, slots);
            prev = Some(id);
            id
        })
        .collect()
}

/// The ids of the articles right after a place where one came or went,
/// brought up to date in place: `ids` are theirs (oldest first), `prev`
/// the id of the article before them now (none: they start the archive).
/// Each takes [`next`] by its place (`place(i)` for `ids[i]`) until one
/// keeps its id, and then every later one does too, as [`assign`] would
/// give them. The (id before, id now) of each that moved; `too_many`
/// when more than `limit` would.
pub fn follow_on<E>(
    ids: &mut [u32],
    mut prev: Option<u32>,
    slots: u32,
    (limit, too_many): (usize, E),
    mut place: impl FnMut(usize) -> Result<u64, E>,
) -> Result<Vec<(u32, u32)>, E> {
    let mut moved = Vec::new();
    for (i, slot) in ids.iter_mut().enumerate() {
        let id = next(prev, place(i)?, slots);
        if id == *slot {
            break;
        }
        if moved.len() == limit {
            return Err(too_many);
        }
        moved.push((*slot, id));
        (*slot, prev) = (id, Some(id));
    }
    Ok(moved)
}

/// The slots per day and the ids (oldest first) of a site's articles.
/// The busiest month is one of the index's months (in the site's time
/// zone), which the head of the manifest counts too, so that an edit finds
/// the same slots.
pub fn of_site(index: &crate::site::SiteIndex) -> (u32, Vec<u32>) {
    let months = index.years.iter().flat_map(|y| &y.months);
    let slots = slots(months.map(|m| m.entries.len()).max().unwrap_or(0));
    let places = index.entries.iter().rev().map(|e| place(&e.local, &e.path));
    (slots, assign(places, slots))
}

/// The docs file that holds id `id`.
pub fn docs_file(id: u32) -> usize {
    (id / DOCS_SPAN) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;
    /// 2024-03-01T00:00:00Z.
    const MARCH: i64 = 1_709_251_200;

    fn places(times: &[i64]) -> Vec<u64> {
        times.iter().map(|&t| at(t)).collect()
    }

    /// Articles known by their day alone, at midnight in the site's time
    /// zone: each stands in its day by its address, earlier as the address
    /// is greater (the site's order among articles of one time), so that a
    /// new one among them takes a slot of its own and pushes on none; at
    /// any other time an article stands at its time.
    #[test]
    fn a_days_articles_at_midnight_spread_over_it_and_a_new_one_pushes_none_on() {
        use chrono::TimeZone;
        let tz = chrono_tz::Europe::Berlin;
        let midnight = tz.with_ymd_and_hms(2024, 3, 1, 0, 0, 0).unwrap();
        let slugs = [
            "zoll-erhoeht",
            "wetter-am-wochenende",
            "stadtrat-tagt",
            "der-buergermeister",
            "das-umweltamt",
            "bahn-streik",
            "ausfall",
            "2024-bilanz",
        ];
        let path = |slug: &str| format!("/2024/03/{slug}/");
        // Oldest first: greater addresses first among articles of one time.
        let day: Vec<u64> = slugs.iter().map(|s| place(&midnight, &path(s))).collect();
        assert!(day.windows(2).all(|w| w[0] < w[1]), "{day:?}");
        let start = at(midnight.timestamp());
        assert!(day[0] >= start && day[day.len() - 1] < start + DAY_STEPS, "{day:?}");
        let noon = midnight + chrono::Duration::hours(12);
        assert_eq!(place(&noon, &path("stadtrat-tagt")), at(noon.timestamp()));
        // Against all at the day's first place, as by their time alone.
        let slots = slots(64 * 30);
        let spread = assign(day.iter().copied(), slots);
        let stacked = assign(vec![start; slugs.len()], slots);
        for (k, new) in [(0, "zz-top"), (3, "kita-neubau"), (8, "1999-rueckblick")] {
            let mut with = day.clone();
            with.insert(k, place(&midnight, &path(new)));
            let after = assign(with.iter().copied(), slots);
            let kept: Vec<u32> = after[..k].iter().chain(&after[k + 1..]).copied().collect();
            assert_eq!(kept, spread, "{new}: every other id stays");
            // By time alone, it would have pushed on every one after it.
            let pushed = assign(vec![start; slugs.len() + 1], slots);
            let each_on: Vec<u32> = stacked[k..].iter().map(|id| id + 1).collect();
            assert_eq!(pushed[k + 1..], each_on[..], "{new}");
        }
    }

    /// The spread never orders two paths of a month against their bytes
    /// (a slug that another continues with `-` comes after it), whatever
    /// bytes they hold, and tells slugs apart by their first characters.
    #[test]
    fn the_spread_follows_the_slugs_bytes() {
        let mut slugs: Vec<String> = ["-", "a", "a-", "a-b", "ab", "b", "z", "zz", "é", "~", "0", "9x", "Ab"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        // Every ASCII byte but the path's separator.
        slugs.extend((0u8..=127).filter(|&b| b != b'/').flat_map(|b| {
            [
                format!("m{}", b as char),
                format!("m{}z", b as char),
                format!("m{}-", b as char),
            ]
        }));
        // As the site orders them: by path.
        let mut paths: Vec<String> = slugs.iter().map(|s| format!("/2024/03/{s}/")).collect();
        paths.sort();
        let ranks: Vec<u64> = paths.iter().map(|p| spread_rank(p)).collect();
        for (w, s) in ranks.windows(2).zip(paths.windows(2)) {
            assert!(w[0] <= w[1], "{s:?}: {w:?}");
        }
        assert!(ranks.iter().all(|&r| r < SPREAD_ROOM));
        assert!(spread_rank("/2024/03/die-bahn/") < spread_rank("/2024/03/die-bank/"));
        assert_eq!(spread_rank("/x/abcdefghijk-1/"), spread_rank("/x/abcdefghijk-2/"));
    }

    #[test]
    fn ids_rise_with_the_date_and_push_on_past_a_taken_slot() {
        // Four slots a day: six hours each.
        let times = [MARCH, MARCH + 60, MARCH + 7 * 3600, MARCH + DAY, MARCH + DAY];
        let ids = assign(places(&times), 4);
        let first = ids[0];
        assert_eq!(ids, vec![first, first + 1, first + 2, first + 4, first + 5]);
        assert_eq!(u64::from(first), at(MARCH) * 4 / DAY_STEPS);
    }

    /// What the ids are for: an article added inside the archive, or one
    /// moved to another date, leaves every other id as it was when no
    /// other article shares its run.
    #[test]
    fn an_article_added_or_moved_changes_no_other_id() {
        let times: Vec<i64> = (0..200).map(|k| MARCH + k * 7_000).collect();
        let slots = slots(2 * 200);
        let before = assign(places(&times), slots);
        let mut added = times.clone();
        added.insert(101, MARCH + 100 * 7_000 + 3_000);
        let after = assign(places(&added), slots);
        assert_eq!(after[..101], before[..101]);
        assert_eq!(after[102..], before[101..]);
        assert!(after[100] < after[101] && after[101] < after[102]);

        let mut moved = times.clone();
        let article = moved.remove(30);
        moved.insert(150, article + 120 * 7_000 + 3_000);
        let after = assign(places(&moved), slots);
        let but = |ids: &[u32], at: usize| -> Vec<u32> {
            let mut ids = ids.to_vec();
            ids.remove(at);
            ids
        };
        assert_eq!(but(&before, 30), but(&after, 150));
    }

    /// An article that takes the slot of the next ones pushes them on,
    /// its going lets them back: what [`follow_on`] gives the articles
    /// after its place is what [`assign`] gives the whole archive, and no
    /// more than `limit` move.
    #[test]
    fn the_ids_after_an_article_come_or_gone_follow_on_as_assign_gives_them() {
        // Four articles an hour apart every tenth day, a slot a day.
        let all: Vec<u64> = (0..40u64)
            .map(|i| ((i / 4) * 10 * 1440 + (i % 4) * 60) * PER_MINUTE)
            .collect();
        let after = assign(all.iter().copied(), 1);
        for k in [0, 1, 2, 3, 13, 39] {
            let mut others = all.clone();
            others.remove(k);
            let before = assign(others.iter().copied(), 1);
            let place_after = |i: usize| Ok::<u64, ()>(all[k + 1 + i]);
            // Added: those after it, from their ids before.
            let mut ids = before[k..].to_vec();
            let pushed = follow_on(&mut ids, Some(after[k]), 1, (64, ()), place_after).unwrap();
            assert_eq!(ids, after[k + 1..], "added at {k}");
            assert_eq!(pushed.len(), 3 - k % 4, "added at {k}: the rest of its day");
            // Gone: the same articles, from their ids with it.
            let mut ids = after[k + 1..].to_vec();
            let back = follow_on(&mut ids, k.checked_sub(1).map(|p| after[p]), 1, (64, ()), place_after);
            assert_eq!(ids, before[k..], "gone at {k}");
            let pairs: Vec<(u32, u32)> = pushed.iter().map(|&(old, new)| (new, old)).collect();
            assert_eq!(back.unwrap(), pairs, "gone at {k}");
            if !pushed.is_empty() {
                let mut ids = before[k..].to_vec();
                let limited = follow_on(&mut ids, Some(after[k]), 1, (pushed.len() - 1, ()), place_after);
                assert!(limited.is_err(), "added at {k}: more than the limit");
            }
        }
    }

    #[test]
    fn the_slots_follow_the_busiest_month() {
        assert_eq!(slots(0), 1);
        assert_eq!(slots(4), 1);
        assert_eq!(slots(5), 2);
        // 849 articles in the busiest month: 27 a day, 213 at eight times that.
        assert_eq!(slots(849), 256);
        assert_eq!(slots(usize::MAX), MAX_SLOTS);
    }

    /// Where the archive is as dense as in its busiest month, a docs file
    /// holds 8 to 16 articles, whatever that density: a site of a few
    /// articles a month, the real-text corpora (109 and 193), the Zipf
    /// bench corpus (849), a large newsroom.
    #[test]
    fn a_docs_file_holds_8_to_16_articles_of_the_busiest_month() {
        for busiest in [8, 40, 109, 193, 849, 5_000, 16_000] {
            let ids_per_article = f64::from(slots(busiest)) / (busiest as f64 / 30.0);
            let per_file = f64::from(DOCS_SPAN) / ids_per_article;
            assert!(
                (8.0..=17.1).contains(&per_file),
                "busiest month {busiest}: {per_file:.1} a file"
            );
        }
    }

    #[test]
    fn times_outside_the_scale_take_its_ends_and_still_get_rising_ids() {
        let times = [i64::MIN, -9_000_000_000, 0, 40_000_000_000, i64::MAX];
        let ids = assign(places(&times), MAX_SLOTS);
        assert_eq!(ids[0], 0);
        assert_eq!(ids[1], 1, "before 1800: the first slot, pushed on");
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
        assert!(u64::from(ids[4]) * 4 + 3 <= u64::from(u32::MAX));
        assert_eq!(u64::from(ids[3]), (DAYS * 1440 - 1) * u64::from(MAX_SLOTS) / 1440);
    }
}
