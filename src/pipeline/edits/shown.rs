//! The articles an edit shows, loaded into the small index that renders
//! them: each one's record decoded from the tail (the edited ones as they
//! are now), and their terms as the whole index named them.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::content::{ArticleFile, Rules};
use crate::pipeline::state::manifest::{LazyTail, StoredIndex, StoredTerm};
use crate::site::{Selection, SiteIndex, Taxonomy};

/// The small index of the articles `ids` (sorted): from `edited` (id, file
/// now, whether lists show a change) where edited, from `tail` otherwise;
/// its terms those of `stored` that have a page, named as there. More
/// than `most` articles are for the ordinary rebuild.
pub(super) fn load(
    ids: &[u32],
    most: usize,
    edited: &[(u32, ArticleFile, bool)],
    tail: &LazyTail,
    stored: &StoredIndex,
    (rules, selection): (&Rules, Selection),
) -> Result<SiteIndex, &'static str> {
    // Each article is decoded with the tail's chunk it is in, each chunk
    // once, so loading them costs at most what reading the whole tail
    // does; what grows with them is the small index. At 100 000 articles
    // (Zipf corpus, seed 1) a topic edit in the oldest article that shifts
    // every page of two topics, about 19 000 articles, took 0.51-0.71 s
    // against 1.02-1.16 s rebuilt; two topics of 59 000 together took
    // 0.77-1.08 s against 0.97-1.15 s: past half the site, the ordinary
    // rebuild is as quick.
    if ids.len() > most {
        return Err("the edit shows too many articles to load one by one");
    }
    let edited_by_id: HashMap<u32, &ArticleFile> = edited.iter().map(|(id, s, _)| (*id, s)).collect();
    // A few hundred articles for a title edit, scattered over the tail's
    // chunks: decoded on every core.
    let sources: Vec<ArticleFile> = ids
        .par_iter()
        .map(|id| match edited_by_id.get(id) {
            Some(s) => Some((*s).clone()),
            None => tail.file(*id),
        })
        .collect::<Option<_>>()
        .ok_or("an article the edit shows is not in the manifest")?;
    // Where `@/…` links lead is known to the whole index only.
    if sources.iter().any(|s| !s.body.content_links.is_empty()) {
        return Err("an article the edit shows links to an article by file");
    }
    let mut index = SiteIndex::new(sources, rules.tz, selection);
    if index.entries.len() != ids.len() {
        return Err("an article the edit shows is no longer published");
    }
    // Terms with too few articles have no page in the stored index either.
    index.retain_terms(Taxonomy::Topics, |t| named(&stored.topics, &t.slug).is_some());
    index.retain_terms(Taxonomy::Tags, |t| named(&stored.tags, &t.slug).is_some());
    index.retain_terms(Taxonomy::Authors, |t| named(&stored.authors, &t.slug).is_some());
    let all_terms = [
        (&mut index.topics, &stored.topics),
        (&mut index.tags, &stored.tags),
        (&mut index.authors, &stored.authors),
    ];
    for (terms, stored) in all_terms {
        for term in terms.iter_mut() {
            term.name = named(stored, &term.slug)
                .ok_or("a term is not in the stored index")?
                .name
                .clone();
        }
    }
    Ok(index)
}

/// The stored term of `slug` (the list is sorted by slug).
fn named<'a>(terms: &'a [StoredTerm], slug: &str) -> Option<&'a StoredTerm> {
    terms
        .binary_search_by(|t| t.slug.as_str().cmp(slug))
        .ok()
        .map(|i| &terms[i])
}
