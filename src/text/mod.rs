//! Rules for text that every layer shares: the characters no page or feed
//! may carry, German-aware slugs, and which URLs may become links. At the
//! bottom of the layers, so that `site.yaml`, articles, the index and the
//! importer all apply the same ones.

pub mod chars;
pub mod cut;
pub mod slug;
pub mod url;

/// Where any of `separators` stands in `text`, as byte ranges, left to
/// right; where two overlap, the one that starts first, and of two that
/// start together the longer (` | ` before `|`).
pub fn separator_ranges(text: &str, separators: &[&str]) -> Vec<(usize, usize)> {
    let mut found: Vec<(usize, usize)> = separators
        .iter()
        .flat_map(|sep| text.match_indices(sep).map(|(at, s)| (at, at + s.len())))
        .collect();
    found.sort_unstable_by_key(|&(at, to)| (at, std::cmp::Reverse(to)));
    let mut end = 0;
    found.retain(|&(at, to)| {
        let apart = at >= end;
        if apart {
            end = to;
        }
        apart
    });
    found
}

#[cfg(test)]
mod tests {
    #[test]
    fn separators_are_found_left_to_right_without_overlaps() {
        assert_eq!(
            super::separator_ranges("a | b - c | d", &[" - ", " | "]),
            vec![(1, 4), (5, 8), (9, 12)]
        );
        assert_eq!(super::separator_ranges("a ||| b", &["||", "|"]), vec![(2, 4), (4, 5)]);
        assert!(super::separator_ranges("abc", &[" - "]).is_empty());
    }
}
