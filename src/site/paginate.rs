//! Splitting a listing (newest first) into a front page of `paginate`
//! entries and archive pages of `listing.archive_paginate` each.
//!
//! Pages are counted from the oldest entry, so that they keep what they
//! show as the listing grows: a new article changes the front page and the
//! newest archive page and, once every `archive_paginate` articles, adds a
//! page and the links of the newest two — never every page of the listing,
//! which for the home page of a 100 000-article archive means thousands of
//! pages rendered again per article. A page's number (and URL) names the
//! same articles for good, so links to it and caches of it stay right.
//!
//! - A listing of at most `paginate` entries is one page: its front page.
//! - Otherwise the front page (number 0, at the listing's own URL) shows
//!   the newest `paginate` entries, and archive pages 1, 2, … hold
//!   `archive_paginate` entries each, page 1 the oldest, together every
//!   entry the front page does not show. The newest archive page may repeat
//!   some of the front page's entries: it is as full as the listing allows.

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

/// Where the positions of a listing are in the list an index holds of it.
/// A whole index holds every listing whole; the small index of an edit
/// (`pipeline::edits`) holds only the run of a long listing that the pages
/// it renders show, so a page's range is shifted into that run, and the
/// listing's length (its pages, its count) is the whole listing's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The whole listing's length.
    pub len: usize,
    /// The first position of the run held, and where it is held.
    from: usize,
    at: usize,
}

impl Window {
    /// A listing of `len` entries held whole.
    pub fn whole(len: usize) -> Window {
        Window { len, from: 0, at: 0 }
    }

    /// A listing of `len` entries of which the run starting at position
    /// `from` is held from `at` on.
    pub fn run(len: usize, from: usize, at: usize) -> Window {
        Window { len, from, at }
    }

    /// Where the positions `range` of the listing are held.
    pub fn held(&self, range: Range<usize>) -> Range<usize> {
        range.start + self.at - self.from..range.end + self.at - self.from
    }
}

/// The pages of a listing of `len` entries, `front` on the front page and
/// `per_page` on each archive page; an empty listing still has one (empty)
/// page, so that its URL exists. The front page comes first, then the
/// archive pages from the newest.
pub fn pages(len: usize, front: usize, per_page: usize) -> Vec<Page> {
    let (front, k) = (front.max(1), per_page.max(1));
    if len <= front {
        return vec![Page {
            number: 0,
            range: 0..len,
            newer: None,
            older: None,
            window: Vec::new(),
        }];
    }
    // Archive pages cover every entry the front page does not show.
    let archive = (len - front).div_ceil(k);
    let mut pages = Vec::with_capacity(archive + 1);
    pages.push(front_page(front, archive));
    pages.extend((1..=archive).rev().map(|j| archive_page(len, k, j, archive)));
    pages
}

/// How many archive pages [`pages`] gives a listing of `len` entries.
pub fn archive_pages(len: usize, front: usize, per_page: usize) -> usize {
    let (front, k) = (front.max(1), per_page.max(1));
    len.saturating_sub(front).div_ceil(k)
}

/// The pages of [`pages`] that show position `q` of the listing: the front
/// page, an archive page, or both where the newest archive page repeats
/// the front page's entries. Made without the others, which for the home
/// page of a 100 000-article archive are a thousand.
pub fn pages_holding(len: usize, front: usize, per_page: usize, q: usize) -> Vec<Page> {
    let (front, k) = (front.max(1), per_page.max(1));
    if q >= len {
        return Vec::new();
    }
    if len <= front {
        return pages(len, front, k);
    }
    let archive = (len - front).div_ceil(k);
    let mut held = Vec::with_capacity(2);
    if q < front {
        held.push(front_page(front, archive));
    }
    // Page j holds the positions from len − j·k to len − (j − 1)·k.
    let j = (len - q).div_ceil(k);
    if j <= archive {
        held.push(archive_page(len, k, j, archive));
    }
    held
}

/// The front page of a listing with `archive` archive pages.
fn front_page(front: usize, archive: usize) -> Page {
    Page {
        number: 0,
        range: 0..front,
        newer: None,
        older: Some(archive),
        window: window(0, archive),
    }
}

/// Archive page `j` of `archive`, of a listing of `len` in pages of `k`.
fn archive_page(len: usize, k: usize, j: usize, archive: usize) -> Page {
    Page {
        number: j,
        // Entries j·k − k ..< j·k counted from the oldest.
        range: len.saturating_sub(j * k)..len - (j - 1) * k,
        newer: Some(if j == archive { 0 } else { j + 1 }),
        older: (j > 1).then(|| j - 1),
        window: window(j, archive),
    }
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
            let p = pages(len, 20, 20);
            assert_eq!(p.len(), 1);
            assert_eq!((p[0].number, p[0].range.clone(), p[0].older), (0, 0..len, None));
        }
    }

    #[test]
    fn archive_pages_are_full_and_counted_from_the_oldest() {
        // 45 entries: the front page shows 0..20; archive page 1 the oldest
        // 20 (25..45), page 2 the next 20 (5..25), repeating 5 of the front's.
        let p = pages(45, 20, 20);
        let numbers: Vec<(usize, Range<usize>)> = p.iter().map(|p| (p.number, p.range.clone())).collect();
        assert_eq!(numbers, [(0, 0..20), (2, 5..25), (1, 25..45)]);
        assert_eq!((p[0].newer, p[0].older), (None, Some(2)));
        assert_eq!((p[1].newer, p[1].older), (Some(0), Some(1)));
        assert_eq!((p[2].newer, p[2].older), (Some(2), None));
        // Exactly two pages' worth: one archive page, the oldest 20.
        let p = pages(40, 20, 20);
        assert_eq!(p.iter().map(|p| p.range.clone()).collect::<Vec<_>>(), [0..20, 20..40]);
    }

    /// Archive pages larger than the front page (the default: 20 and 100)
    /// or smaller: together they show every entry, each once but for the
    /// newest archive page's repeats of the front page, and every archive
    /// page but the newest holds `per_page`.
    #[test]
    fn archive_pages_of_their_own_size_show_every_entry() {
        let p = pages(145, 20, 100);
        let numbers: Vec<(usize, Range<usize>)> = p.iter().map(|p| (p.number, p.range.clone())).collect();
        assert_eq!(numbers, [(0, 0..20), (2, 0..45), (1, 45..145)]);
        for (front, per_page) in [(20, 100), (20, 7), (3, 3), (1, 50)] {
            for len in 0..400 {
                let p = pages(len, front, per_page);
                if len <= front {
                    assert_eq!((p.len(), p[0].range.clone()), (1, 0..len));
                    continue;
                }
                let mut seen = vec![0; len];
                for page in &p[1..] {
                    seen[page.range.clone()].iter_mut().for_each(|n| *n += 1);
                }
                for (i, &n) in seen.iter().enumerate() {
                    // The front page's entries at most once more.
                    let right = if i < front { n <= 1 } else { n == 1 };
                    assert!(right, "{front} {per_page} {len}: entry {i} {n}×");
                }
                assert_eq!(p[0].range, 0..front);
                assert!(
                    p[2..].iter().all(|page| page.range.len() == per_page),
                    "{front} {per_page} {len}"
                );
                assert!(p[1].range.len() <= per_page && p[1].range.end > front);
            }
        }
    }

    /// The point of counting from the oldest: a new newest entry leaves
    /// every archive page's entries where they were.
    #[test]
    fn a_new_entry_changes_only_the_front_and_the_newest_pages() {
        for (front, k) in [(10, 10), (5, 12), (12, 5)] {
            a_new_entry_changes_little(front, k);
        }
    }

    fn a_new_entry_changes_little(front: usize, k: usize) {
        for len in front + 1..front + 8 * k {
            let before = pages(len, front, k);
            let after = pages(len + 1, front, k);
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

    /// The pages found for a position are those of the whole layout that
    /// show it, in its order, for front and archive pages of either size.
    #[test]
    fn the_pages_holding_a_position_are_those_of_the_whole_layout() {
        for (front, k) in [(20, 100), (20, 20), (20, 7), (3, 3), (1, 50), (0, 0)] {
            for len in 0..260 {
                let all = pages(len, front, k);
                for q in 0..len + 2 {
                    let expected: Vec<&Page> = all.iter().filter(|p| p.range.contains(&q)).collect();
                    let found = pages_holding(len, front, k, q);
                    assert_eq!(found.iter().collect::<Vec<_>>(), expected, "{front} {k} {len} {q}");
                    assert!(q >= len || !found.is_empty(), "{front} {k} {len} {q}");
                }
            }
        }
    }

    #[test]
    fn the_window_keeps_to_its_neighbours_and_the_oldest() {
        let p = pages(20 * 100 + 20, 20, 20);
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
