//! The search data of a build: made whole from every article's words, or
//! brought up to date from the last build's index files when only a few
//! articles changed, so that a title edit or a new article does not cost a
//! rebuild of every shard.

use std::collections::HashMap;

use rayon::prelude::*;

use super::plan::WordsUpdate;
use super::state::word_cache::WordCache;
use super::timings::Timings;
use crate::error::FileError;
use crate::render::outputs::Scope;
use crate::render::search::{self, SearchData};

/// What the last build's search index was made of, for [`search_data`]:
/// its articles by id (oldest first) as (file, hash), and the signatures
/// it recorded for its files (sorted by path).
pub(super) struct PreviousIndex {
    pub articles: Vec<(std::path::PathBuf, u128)>,
    pub recorded: Vec<(String, u128)>,
}

/// The search index: only the bodies of articles the word cache beside
/// `out` does not know (by their file's hash) are read. With `keep`, what
/// changes the cache is kept for the build to commit: a whole new cache
/// staged beside the output, or, when the index was brought up to date
/// from `previous` (a few articles changed), the changed articles' words.
pub(super) fn search_data(
    s: &Scope,
    out: &std::path::Path,
    keep: bool,
    previous: Option<&PreviousIndex>,
) -> Result<(SearchData, WordsUpdate), Vec<FileError>> {
    use std::borrow::Cow;
    let mut timings = Timings::new();
    if let Some(previous) = previous.filter(|_| keep) {
        let updated = updated_index(s, previous, out);
        timings.done("    search: brought up to date");
        if let Some(result) = updated {
            return result;
        }
    }
    let cache = WordCache::load(out);
    timings.done("    search: word cache read");
    let found: Vec<Result<Cow<'_, [u8]>, FileError>> = s
        .index
        .entries
        .par_iter()
        .map(|e| match cache.get(e.source.hash) {
            Some(w) => Ok(Cow::Borrowed(w)),
            None => search::words_of(&e.source).map(|w| Cow::Owned(w.0)),
        })
        .collect();
    timings.done("    search: words");
    let mut errors = Vec::new();
    let mut words = Vec::with_capacity(found.len());
    for w in found {
        match w {
            Ok(w) => words.push(w),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let refs: Vec<&[u8]> = words.iter().map(|w| w.as_ref()).collect();
    let data = SearchData::for_site(s, &refs);
    timings.done("    search: files");
    let all_cached = words.iter().all(|w| matches!(w, Cow::Borrowed(_)));
    let update = if keep && (!all_cached || cache.len() != s.index.entries.len()) {
        let entries: Vec<(u128, &[u8])> = s.index.entries.iter().map(|e| e.source.hash).zip(refs).collect();
        // Only a cache: a build that cannot stage it still succeeds.
        WordCache::stage(out, &entries).map_or(WordsUpdate::None, WordsUpdate::Whole)
    } else {
        WordsUpdate::None
    };
    timings.done("    search: word cache staged");
    Ok((data, update))
}

/// More changed articles than this and the search index is made whole:
/// patching reads most shards by then.
const INDEX_CHANGES: usize = 256;

/// Entries the word cache may hold beyond the index's articles (words of
/// files changed or gone since it was written whole) before it is written
/// whole again.
const STALE_WORDS: usize = 4096;

/// The search index of `s` made from the last build's files in `out`,
/// changing only what the articles that differ reach, and the words new
/// to the cache; reads neither the other articles nor the whole cache.
/// `None` when that is not possible or not cheaper (then the index is made
/// whole); the problems of bodies that do not read are returned as a
/// whole build would return them.
fn updated_index(
    s: &Scope,
    previous: &PreviousIndex,
    out: &std::path::Path,
) -> Option<Result<(SearchData, WordsUpdate), Vec<FileError>>> {
    let entries = &s.index.entries;
    let (before, after) = (previous.articles.len(), entries.len());
    // Search ids count from the oldest article: entry i is id after - 1 - i.
    let now = |id: usize| (id < after).then(|| after - 1 - id);
    // (id, old file hash, new entry) of every id whose article differs.
    let mut differ: Vec<(u32, Option<u128>, Option<usize>)> = Vec::new();
    for id in 0..before.max(after) {
        let old = previous.articles.get(id);
        let new = now(id);
        if let (Some((path, hash)), Some(i)) = (old, new) {
            if entries[i].source.path == *path && entries[i].source.hash == *hash {
                continue;
            }
        }
        if differ.len() >= INDEX_CHANGES {
            return None;
        }
        differ.push((u32::try_from(id).ok()?, old.map(|(_, h)| *h), new));
    }
    let hashes: Vec<u128> = differ
        .iter()
        .flat_map(|&(_, old, new)| old.into_iter().chain(new.map(|i| entries[i].source.hash)))
        .collect();
    let cached = WordCache::lookup_many(out, &hashes);
    let mut errors = Vec::new();
    let mut added: HashMap<u128, Vec<u8>> = HashMap::new();
    for &(_, _, new) in &differ {
        let Some(e) = new.map(|i| &entries[i]) else { continue };
        if cached.found.contains_key(&e.source.hash) || added.contains_key(&e.source.hash) {
            continue;
        }
        match search::words_of(&e.source) {
            Ok(words) => {
                added.insert(e.source.hash, words.0);
            }
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Some(Err(errors));
    }
    // Past this the cache is written whole, which needs every article's words.
    if cached.entries + added.len() > after + STALE_WORDS {
        return None;
    }
    let words_of = |hash: u128| cached.found.get(&hash).or_else(|| added.get(&hash)).map(Vec::as_slice);
    let mut change = search::IndexChange {
        words: Vec::with_capacity(differ.len()),
        docs: Vec::new(),
        before,
        after,
    };
    for &(id, old, new) in &differ {
        let old_words = match old {
            Some(hash) => words_of(hash)?,
            None => &[],
        };
        let new_words = match new {
            Some(i) => words_of(entries[i].source.hash)?,
            None => &[],
        };
        change.words.push(search::WordChange {
            id,
            old: old_words,
            new: new_words,
        });
        change.docs.extend(new.map(|_| id));
    }
    let recorded = |path: &str| {
        let at = previous.recorded.binary_search_by(|(p, _)| p.as_str().cmp(path)).ok()?;
        Some(previous.recorded[at].1)
    };
    let data = search::update(
        |rel| std::fs::read(out.join(rel)).ok(),
        &s.urls.search,
        &change,
        |id| search::Doc::of(s, &entries[now(id).expect("docs files hold ids of the index")]),
        recorded,
    )?;
    Some(Ok((data, WordsUpdate::Edits(added.into_iter().collect()))))
}
