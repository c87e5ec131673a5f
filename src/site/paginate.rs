//! Splitting a listing (newest first) into pages of `paginate` entries.
//!
//! Pages are counted from the oldest entry, so that they keep what they
//! show as the listing grows: a new article changes the front page and,
//! once every `paginate` articles, adds a page and the links of the newest
//! two — never every page of the listing, which for the home page of a
//! 100 000-article archive means 5 000 pages rendered again per article.
//! A page's number (and URL) names the same articles for good, so links
//! to it and caches of it stay right.
//!
//! - A listing of at most `paginate` entries is one page: its front page.
//! - Otherwise the front page (number 0, at the listing's own URL) shows
//!   the newest `paginate` entries, and archive pages 1, 2, … hold
//!   `paginate` entries each, page 1 the oldest. The newest archive page
//!   may repeat some of the front page's entries: every archive page is
//!   full.

use std::ops::Range;

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// 0 for the front page, else the archive page's number (1: the oldest).
    pub number: usize,
    /// The entries it shows, as positions in the listing (newest first).
    pub range: Range<usize>,
    /// The next page toward the newest entries (toward the front page) and
    /// toward the oldest, by number.
    pub newer: Option<usize>,
    pub older: Option<usize>,
    /// The archive pages its navigation lists, newest first, as (number,
    /// whether pages are left out before it): two either side of it and
    /// the oldest; on the front page the newest three and the oldest.
    pub window: Vec<(usize, bool)>,
}

/// The pages of a listing of `len` entries; an empty listing still has one
/// (empty) page, so that its URL exists. The front page comes first, then
/// the archive pages from the newest.
pub fn pages(len: usize, per_page: usize) -> Vec<Page> {
    let k = per_page.max(1);
    if len <= k {
        return vec![Page {
            number: 0,
            range: 0..len,
            newer: None,
            older: None,
            window: Vec::new(),
        }];
    }
    // Archive pages cover every entry the front page does not show.
    let archive = (len - k).div_ceil(k);
    let mut pages = Vec::with_capacity(archive + 1);
    pages.push(Page {
        number: 0,
        range: 0..k,
        newer: None,
        older: Some(archive),
        window: window(0, archive),
    });
    for j in (1..=archive).rev() {
        pages.push(Page {
            number: j,
            // Entries j·k − k ..< j·k counted from the oldest.
            range: len - j * k..len - (j - 1) * k,
            newer: Some(if j == archive { 0 } else { j + 1 }),
            older: (j > 1).then(|| j - 1),
            window: window(j, archive),
        });
    }
    pages
}

/// The archive pages page `current` links (see [`Page::window`]) among
/// `archive` of them.
fn window(current: usize, archive: usize) -> Vec<(usize, bool)> {
    let (low, high) = match current {
        0 => (archive.saturating_sub(2).max(1), archive),
        c => (c.saturating_sub(2).max(1), (c + 2).min(archive)),
    };
    let mut numbers: Vec<usize> = (low..=high).rev().collect();
    if numbers.last() != Some(&1) {
        numbers.push(1);
    }
    let mut above = archive + 1;
    numbers
        .into_iter()
        .map(|n| {
            let gap = n + 1 < above;
            above = n;
            (n, gap)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_listings_are_one_front_page() {
        for len in [0, 1, 20] {
            let p = pages(len, 20);
            assert_eq!(p.len(), 1);
            assert_eq!((p[0].number, p[0].range.clone(), p[0].older), (0, 0..len, None));
        }
    }

    #[test]
    fn archive_pages_are_full_and_counted_from_the_oldest() {
        // 45 entries: the front page shows 0..20; archive page 1 the oldest
        // 20 (25..45), page 2 the next 20 (5..25), repeating 5 of the front's.
        let p = pages(45, 20);
        let numbers: Vec<(usize, Range<usize>)> = p.iter().map(|p| (p.number, p.range.clone())).collect();
        assert_eq!(numbers, [(0, 0..20), (2, 5..25), (1, 25..45)]);
        assert_eq!((p[0].newer, p[0].older), (None, Some(2)));
        assert_eq!((p[1].newer, p[1].older), (Some(0), Some(1)));
        assert_eq!((p[2].newer, p[2].older), (Some(2), None));
        // Exactly two pages' worth: one archive page, the oldest 20.
        let p = pages(40, 20);
        assert_eq!(p.iter().map(|p| p.range.clone()).collect::<Vec<_>>(), [0..20, 20..40]);
    }

    /// The point of counting from the oldest: a new newest entry leaves
    /// every archive page's entries where they were.
    #[test]
    fn a_new_entry_changes_only_the_front_and_the_newest_pages() {
        let k = 10;
        for len in 11..80 {
            let before = pages(len, k);
            let after = pages(len + 1, k);
            // Entries as counted from the oldest, which new entries do not shift.
            let oldest = |len: usize, r: &Range<usize>| (len - r.end)..(len - r.start);
            let changed: Vec<usize> = after
                .iter()
                .filter(|a| {
                    !before.iter().any(|b| {
                        b.number == a.number
                            && oldest(len, &b.range) == oldest(len + 1, &a.range)
                            && b.newer == a.newer
                            && b.older == a.older
                            && b.window == a.window
                    })
                })
                .map(|a| a.number)
                .collect();
            assert!(changed.contains(&0), "{len}: the front page");
            // When a page is added: it, the front page, and the three newest
            // before it (links, window, the gap before their window).
            assert!(changed.len() <= 5, "{len}: {changed:?}");
            assert!(
                changed.iter().all(|&n| n == 0 || n + 3 >= after[1].number),
                "{len}: {changed:?}"
            );
        }
    }

    #[test]
    fn the_window_keeps_to_its_neighbours_and_the_oldest() {
        let p = pages(20 * 100 + 20, 20);
        assert_eq!(p.len(), 101);
        assert_eq!(p[0].window, [(100, false), (99, false), (98, false), (1, true)]);
        let fifty = p.iter().find(|p| p.number == 50).unwrap();
        assert_eq!(
            fifty.window,
            [
                (52, true),
                (51, false),
                (50, false),
                (49, false),
                (48, false),
                (1, true)
            ]
        );
        let second = p.iter().find(|p| p.number == 2).unwrap();
        assert_eq!(second.window, [(4, true), (3, false), (2, false), (1, false)]);
    }
}
