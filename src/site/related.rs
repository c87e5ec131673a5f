//! Related articles: those that share an article's first topic, nearest to
//! it in the site's order. "Nearest" is by position in the newest-first
//! order, alternating older and newer, so it is total and stable: ties of
//! date are already broken there.
//!
//! The choice only ever looks at the articles it passes over, so any subset
//! of the index that contains an article and its related articles chooses
//! the same ones for it (the rebuild after edits relies on that; see
//! `src/pipeline/edits/mod.rs`).

use super::{SiteIndex, Taxonomy};

/// The entries related to entry `i`, at most `limit`, nearest first:
/// from its first topic, then its later topics, or its tags when it has
/// no topic.
pub fn related(index: &SiteIndex, i: usize, limit: usize) -> Vec<usize> {
    let entry = &index.entries[i];
    let (taxonomy, terms) = if entry.topics.is_empty() {
        (Taxonomy::Tags, &entry.tags)
    } else {
        (Taxonomy::Topics, &entry.topics)
    };
    let lists: Vec<&[usize]> = terms
        .iter()
        .map(|&t| index.terms(taxonomy)[t].entries.as_slice())
        .collect();
    nearest(&lists, i, limit)
}

/// At most `limit` of the items of `lists` (each sorted) nearest to `i`
/// in the first list that holds it, alternating after and before it, then
/// in the next: the choice [`related`] makes, over any numbering in the
/// site's order (the edit path's positions).
pub fn nearest<T: Copy + Ord>(lists: &[&[T]], i: T, limit: usize) -> Vec<T> {
    let mut chosen: Vec<T> = Vec::new();
    if limit == 0 {
        return chosen;
    }
    for list in lists {
        // Term lists are in index order, so the article is found by search.
        let Ok(at) = list.binary_search(&i) else {
            continue;
        };
        let mut step = 1;
        while chosen.len() < limit && (at + step < list.len() || step <= at) {
            for candidate in [list.get(at + step), at.checked_sub(step).map(|p| &list[p])]
                .into_iter()
                .flatten()
            {
                if chosen.len() < limit && !chosen.contains(candidate) {
                    chosen.push(*candidate);
                }
            }
            step += 1;
        }
        if chosen.len() == limit {
            break;
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{ArticleFile, FrontMatter, date};
    use crate::site::Selection;
    use chrono_tz::Europe::Berlin;

    fn article(n: usize, topics: &[&str], tags: &[&str]) -> ArticleFile {
        let newest = date::parse("2022-06-01T12:00:00+02:00", Berlin).unwrap();
        let day = newest - chrono::Duration::hours(n as i64);
        let mut fm = FrontMatter::new(format!("a{n}"), day);
        fm.topics = topics.iter().map(|s| s.to_string()).collect();
        fm.tags = tags.iter().map(|s| s.to_string()).collect();
        fm.slug = Some(format!("a{n}"));
        ArticleFile {
            path: format!("content/a{n}.md").into(),
            size: 0,
            mtime: 0,
            hash: 0,
            front: fm,
            body: Default::default(),
        }
    }

    fn index(sources: Vec<ArticleFile>) -> SiteIndex {
        let now = date::parse("2023-01-01", Berlin).unwrap().with_timezone(&chrono::Utc);
        SiteIndex::new(
            sources,
            Berlin,
            Selection {
                drafts: false,
                future: false,
                now,
            },
        )
    }

    #[test]
    fn nearest_of_the_first_topic_alternating_older_and_newer() {
        // a0 is the newest; entry n is a{n}.
        let index = index(
            (0..10)
                .map(|n| match n {
                    3 => article(n, &["Sport"], &[]),
                    _ if n % 2 == 0 => article(n, &["Politik", "Sport"], &[]),
                    _ => article(n, &["Sport"], &[]),
                })
                .collect(),
        );
        // Politik: 0 2 4 6 8. From 4: older 6, newer 2, older 8, newer 0.
        assert_eq!(related(&index, 4, 4), vec![6, 2, 8, 0]);
        assert_eq!(related(&index, 4, 2), vec![6, 2]);
        assert_eq!(related(&index, 4, 0), Vec::<usize>::new());
        // From 8, the oldest: Politik has 6 4 2 0, then Sport fills up.
        assert_eq!(related(&index, 8, 5), vec![6, 4, 2, 0, 9]);
        // Sport only: 3's neighbours in the whole Sport list.
        assert_eq!(related(&index, 3, 3), vec![4, 2, 5]);
        for i in 0..10 {
            assert!(!related(&index, i, 20).contains(&i));
        }
    }

    #[test]
    fn tags_when_there_is_no_topic_and_nothing_when_alone() {
        let index = index(vec![
            article(0, &[], &["NATO"]),
            article(1, &["Politik"], &["NATO"]),
            article(2, &[], &["NATO", "EU"]),
            article(3, &["Wetter"], &[]),
        ]);
        assert_eq!(related(&index, 0, 4), vec![1, 2]);
        assert_eq!(related(&index, 3, 4), Vec::<usize>::new());
        // An article with a topic does not fall back to its tags.
        assert_eq!(related(&index, 1, 4), Vec::<usize>::new());
    }

    #[test]
    fn a_subset_holding_the_related_articles_chooses_them_again() {
        let sources: Vec<ArticleFile> = (0..30)
            .map(|n| {
                let topics: &[&str] = match n % 3 {
                    0 => &["A", "B"],
                    1 => &["B"],
                    _ => &["A"],
                };
                article(n, topics, &[])
            })
            .collect();
        let whole = index(sources.clone());
        for i in 0..30 {
            let chosen = related(&whole, i, 4);
            let mut keep: Vec<usize> = chosen.clone();
            keep.push(i);
            keep.extend([(i + 7) % 30, (i + 13) % 30]);
            let part = index(
                sources
                    .iter()
                    .filter(|s| keep.iter().any(|&k| whole.article(k).path == s.path))
                    .cloned()
                    .collect(),
            );
            let at = |idx: &SiteIndex, path: &std::path::Path| {
                idx.entries.iter().position(|e| idx.source(e).path == path).unwrap()
            };
            let again: Vec<&std::path::Path> = related(&part, at(&part, &whole.article(i).path), 4)
                .into_iter()
                .map(|j| part.article(j).path.as_path())
                .collect();
            let expected: Vec<&std::path::Path> = chosen.iter().map(|&j| whole.article(j).path.as_path()).collect();
            assert_eq!(again, expected, "article {i}");
        }
    }
}
