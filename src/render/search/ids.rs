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

/// The minute of `unix` (seconds) on the scale, clamped to its 400 years.
pub fn minute(unix: i64) -> u64 {
    let m = (unix.saturating_sub(EPOCH) / 60).max(0) as u64;
    m.min(DAYS * 1440 - 1)
}

/// Slots per day for an archive whose busiest month holds `busiest`
/// articles: a power of two, at least eight times its articles per day
/// (a month taken as 32 days).
pub fn slots(busiest: usize) -> u32 {
    let wanted = busiest.div_ceil(4).max(1).next_power_of_two();
    u32::try_from(wanted).unwrap_or(MAX_SLOTS).min(MAX_SLOTS)
}

/// The slot of `minute` on a scale of `slots` per day.
fn base(minute: u64, slots: u32) -> u64 {
    minute * u64::from(slots) / 1440
}

/// The id of an article at `minute` after one with id `prev` (none for
/// the oldest article).
pub fn next(prev: Option<u32>, minute: u64, slots: u32) -> u32 {
    let b = base(minute, slots.min(MAX_SLOTS));
    let id = prev.map_or(b, |p| b.max(u64::from(p) + 1));
    // Fewer than u32::MAX / 16 articles keep the pushed ids below ID_LIMIT.
    u32::try_from(id).expect("ids stay below ID_LIMIT")
}

/// The ids of articles at `minutes`, oldest first (in the site's order,
/// whose ties the ids keep).
pub fn assign(minutes: impl IntoIterator<Item = u64>, slots: u32) -> Vec<u32> {
    let mut prev = None;
    minutes
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
/// Each takes [`next`] by its minute (`minute(i)` for `ids[i]`) until one
/// keeps its id, and then every later one does too, as [`assign`] would
/// give them. The (id before, id now) of each that moved; `too_many`
/// when more than `limit` would.
pub fn follow_on<E>(
    ids: &mut [u32],
    mut prev: Option<u32>,
    slots: u32,
    (limit, too_many): (usize, E),
    mut minute: impl FnMut(usize) -> Result<u64, E>,
) -> Result<Vec<(u32, u32)>, E> {
    let mut moved = Vec::new();
    for (i, slot) in ids.iter_mut().enumerate() {
        let id = next(prev, minute(i)?, slots);
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
    let minutes = index.entries.iter().rev().map(|e| minute(e.local.timestamp()));
    (slots, assign(minutes, slots))
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

    fn minutes(times: &[i64]) -> Vec<u64> {
        times.iter().map(|&t| minute(t)).collect()
    }

    #[test]
    fn ids_rise_with_the_date_and_push_on_past_a_taken_slot() {
        // Four slots a day: six hours each.
        let times = [MARCH, MARCH + 60, MARCH + 7 * 3600, MARCH + DAY, MARCH + DAY];
        let ids = assign(minutes(&times), 4);
        let first = ids[0];
        assert_eq!(ids, vec![first, first + 1, first + 2, first + 4, first + 5]);
        assert_eq!(u64::from(first), minute(MARCH) * 4 / 1440);
    }

    /// What the ids are for: an article added inside the archive, or one
    /// moved to another date, leaves every other id as it was when no
    /// other article shares its run.
    #[test]
    fn an_article_added_or_moved_changes_no_other_id() {
        let times: Vec<i64> = (0..200).map(|k| MARCH + k * 7_000).collect();
        let slots = slots(2 * 200);
        let before = assign(minutes(&times), slots);
        let mut added = times.clone();
        added.insert(101, MARCH + 100 * 7_000 + 3_000);
        let after = assign(minutes(&added), slots);
        assert_eq!(after[..101], before[..101]);
        assert_eq!(after[102..], before[101..]);
        assert!(after[100] < after[101] && after[101] < after[102]);

        let mut moved = times.clone();
        let article = moved.remove(30);
        moved.insert(150, article + 120 * 7_000 + 3_000);
        let after = assign(minutes(&moved), slots);
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
        let all: Vec<u64> = (0..40u64).map(|i| (i / 4) * 10 * 1440 + (i % 4) * 60).collect();
        let after = assign(all.iter().copied(), 1);
        for k in [0, 1, 2, 3, 13, 39] {
            let mut others = all.clone();
            others.remove(k);
            let before = assign(others.iter().copied(), 1);
            let minute_after = |i: usize| Ok::<u64, ()>(all[k + 1 + i]);
            // Added: those after it, from their ids before.
            let mut ids = before[k..].to_vec();
            let pushed = follow_on(&mut ids, Some(after[k]), 1, (64, ()), minute_after).unwrap();
            assert_eq!(ids, after[k + 1..], "added at {k}");
            assert_eq!(pushed.len(), 3 - k % 4, "added at {k}: the rest of its day");
            // Gone: the same articles, from their ids with it.
            let mut ids = after[k + 1..].to_vec();
            let back = follow_on(&mut ids, k.checked_sub(1).map(|p| after[p]), 1, (64, ()), minute_after);
            assert_eq!(ids, before[k..], "gone at {k}");
            let pairs: Vec<(u32, u32)> = pushed.iter().map(|&(old, new)| (new, old)).collect();
            assert_eq!(back.unwrap(), pairs, "gone at {k}");
            if !pushed.is_empty() {
                let mut ids = before[k..].to_vec();
                let limited = follow_on(&mut ids, Some(after[k]), 1, (pushed.len() - 1, ()), minute_after);
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
        let ids = assign(minutes(&times), MAX_SLOTS);
        assert_eq!(ids[0], 0);
        assert_eq!(ids[1], 1, "before 1800: the first slot, pushed on");
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
        assert!(u64::from(ids[4]) * 4 + 3 <= u64::from(u32::MAX));
        assert_eq!(u64::from(ids[3]), (DAYS * 1440 - 1) * u64::from(MAX_SLOTS) / 1440);
    }
}
