//! Splitting a listing into pages of `paginate` entries.

use std::ops::Range;

/// One page of a listing: its 1-based number, the page count, and the
/// range of the listing it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub number: usize,
    pub total: usize,
    pub range: Range<usize>,
}

/// The pages of a listing of `len` entries; an empty listing still has one
/// (empty) page, so that its URL exists.
pub fn pages(len: usize, per_page: usize) -> Vec<Page> {
    let per_page = per_page.max(1);
    let total = len.div_ceil(per_page).max(1);
    (0..total)
        .map(|i| Page {
            number: i + 1,
            total,
            range: (i * per_page).min(len)..((i + 1) * per_page).min(len),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_keeps_one_empty_page() {
        let p = pages(45, 20);
        assert_eq!(p.len(), 3);
        assert_eq!(
            p[2],
            Page {
                number: 3,
                total: 3,
                range: 40..45
            }
        );
        assert_eq!(
            pages(0, 20),
            vec![Page {
                number: 1,
                total: 1,
                range: 0..0
            }]
        );
        assert_eq!(pages(40, 20).len(), 2);
    }
}
