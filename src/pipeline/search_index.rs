//! The search data of a build: made whole from every article's words, or
//! brought up to date from the last build's index files when only a few
//! articles changed, so that a title edit or a new article does not cost a
//! rebuild of every shard.

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;

use super::plan::WordsUpdate;
use super::state::word_cache::WordCache;
use super::timings::Timings;
use crate::error::FileError;
use crate::render::outputs::Scope;
use crate::render::search::{self, SearchData};

/// Search words (as [`search::ArticleWords`] holds them) of the articles a
/// build has just read, by file hash: taken by the scan while each body
/// was at hand, so that the index does not read and check it again.
pub(super) type FreshWords = foldhash::HashMap<u128, Vec<u8>>;

/// The search data and what changes the word cache, or the problems of
/// bodies that do not read.
type IndexResult = Result<(SearchData, WordsUpdate), Vec<FileError>>;

/// An article's words: those the scan took, else read from its body.
fn words_of<'a>(fresh: &'a FreshWords, source: &crate::content::ArticleFile) -> Result<Cow<'a, [u8]>, FileError> {
    match fresh.get(&source.hash) {
        Some(w) => Ok(Cow::Borrowed(w)),
        None => search::words_of(source).map(|w| Cow::Owned(w.0)),
    }
}

/// What the last build's search index was made of, for [`search_data`]:
/// its articles (oldest first) as (file, hash), their ids, and the
/// signatures it recorded for its files (sorted by path).
pub(super) struct PreviousIndex {
    pub articles: Vec<(std::path::PathBuf, u128)>,
    pub ids: Vec<u32>,
    pub recorded: Vec<(String, u128)>,
}

/// The search index: only the bodies of articles neither `fresh` nor the
/// word cache beside `out` knows (by their file's hash) are read. With `keep`, what
/// changes the cache is kept for the build to commit: a whole new cache
/// staged beside the output, or, when the index was brought up to date
/// from `previous` (a few articles changed), the changed articles' words.
/// `release` hands freed memory back to the system (see below).
pub(super) fn search_data(
    s: &Scope,
    out: &std::path::Path,
    keep: bool,
    previous: Option<&PreviousIndex>,
    fresh: FreshWords,
    release: Option<fn()>,
) -> IndexResult {
    let mut timings = Timings::new();
    if let Some(previous) = previous.filter(|_| keep) {
        let updated = updated_index(s, previous, out, &fresh);
        timings.done("    search: brought up to date");
        if let Some(result) = updated {
            return result;
        }
    }
    // A clean build took every article's words in the scan: no cache to read.
    let all_fresh = s
        .index
        .entries
        .iter()
        .all(|e| fresh.contains_key(&s.index.source(e).hash));
    let cache = if all_fresh {
        WordCache::default()
    } else {
        WordCache::load(out)
    };
    timings.done("    search: word cache read");
    // The words the scan took move out of `fresh` (copied only for a file
    // that two entries share), so that the postings can drop each
    // article's words once counted instead of holding them all to the end.
    let mut fresh = fresh;
    let mut uses: foldhash::HashMap<u128, usize> = foldhash::HashMap::default();
    for e in &s.index.entries {
        let hash = s.index.source(e).hash;
        if fresh.contains_key(&hash) {
            *uses.entry(hash).or_default() += 1;
        }
    }
    let taken: Vec<Option<Cow<'_, [u8]>>> = s
        .index
        .entries
        .iter()
        .map(|e| {
            let hash = s.index.source(e).hash;
            if let Some(w) = cache.get(hash) {
                return Some(Cow::Borrowed(w));
            }
            let left = uses.get_mut(&hash)?;
            *left -= 1;
            match *left {
                0 => fresh.remove(&hash),
                _ => fresh.get(&hash).cloned(),
            }
            .map(Cow::Owned)
        })
        .collect();
    drop(fresh);
    let found: Vec<Result<Cow<'_, [u8]>, FileError>> = taken
        .into_par_iter()
        .zip(&s.index.entries)
        .map(|(w, e)| match w {
            Some(w) => Ok(w),
            None => search::words_of(s.index.source(e)).map(|w| Cow::Owned(w.0)),
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
    let all_cached = s
        .index
        .entries
        .iter()
        .all(|e| cache.get(s.index.source(e).hash).is_some());
    let update = if keep && (!all_cached || cache.len() != s.index.entries.len()) {
        let entries: Vec<(u128, &[u8])> = s
            .index
            .entries
            .iter()
            .map(|e| s.index.source(e).hash)
            .zip(words.iter().map(|w| w.as_ref()))
            .collect();
        // Only a cache: a build that cannot stage it still succeeds.
        WordCache::stage(out, &entries).map_or(WordsUpdate::None, WordsUpdate::Whole)
    } else {
        WordsUpdate::None
    };
    timings.done("    search: word cache staged");
    // Every article's words (300 MB at 100 000 articles) go while the
    // postings are counted, before the index files are made: the postings
    // own what they need.
    // The words freed while the postings are counted would stay resident
    // for the allocator's purge delay while the lists grow and the index
    // files (100 MB at 100 000 articles) are made: handed back after each
    // batch and at the end (`WordIndex::taking`; of three clean c100k
    // builds, one peaked at 768 MB while the files were made).
    let release = release.filter(|_| words.len() >= super::RELEASE_AFTER);
    let index = search::WordIndex::taking(words, search::ids::of_site(s.index), release);
    if let Some(release) = release {
        release();
    }
    timings.done("    search: postings");
    drop(cache);
    let data = SearchData::for_site(s, index);
    timings.done("    search: files");
    Ok((data, update))
}

/// More changed articles than this and the search index is made whole:
/// updating reads most chunks by then.
const INDEX_CHANGES: usize = 256;

/// Entries the word cache may hold beyond the index's articles (words of
/// files changed or gone since it was written whole) before it is written
/// whole again.
const STALE_WORDS: usize = 4096;

/// The search index of `s` made from the last build's files in `out`,
/// changing only what the articles that differ reach, and the words new
/// to the cache; reads neither the other articles nor the whole cache.
/// Ids follow the articles' times, so an article added, removed or
/// re-dated anywhere changes its own id and postings, not every later
/// one's. `None` when that is not possible or not cheaper (then the index
/// is made whole); the problems of bodies that do not read are returned as
/// a whole build would return them.
fn updated_index(
    s: &Scope,
    previous: &PreviousIndex,
    out: &std::path::Path,
    fresh: &FreshWords,
) -> Option<IndexResult> {
    let entries = &s.index.entries;
    let n = entries.len();
    let (slots, ids) = search::ids::of_site(s.index);
    // Entry i (newest first) has id ids[n - 1 - i]; rank r (oldest first)
    // is entry n - 1 - r.
    let entry_of = |id: u32| ids.binary_search(&id).ok().map(|r| n - 1 - r);
    // (id, old file hash, new entry) of every id whose article differs,
    // walking both lists of ids in order.
    let mut differ: Vec<(u32, Option<u128>, Option<usize>)> = Vec::new();
    let (old, mut a, mut b) = (&previous.ids, 0, 0);
    while a < old.len() || b < n {
        let here = match (old.get(a).copied(), ids.get(b).copied()) {
            (Some(o), Some(i)) if o == i => {
                let (path, hash) = &previous.articles[a];
                let source = s.index.article(n - 1 - b);
                (a, b) = (a + 1, b + 1);
                if source.path == *path && source.hash == *hash {
                    continue;
                }
                (o, Some(*hash), Some(n - b))
            }
            // An id only the new index has: a new article.
            (o, Some(i)) if o.is_none_or(|o| i < o) => {
                b += 1;
                (i, None, Some(n - b))
            }
            // One only the old index had: an article gone.
            (Some(o), _) => {
                a += 1;
                (o, Some(previous.articles[a - 1].1), None)
            }
            (None, _) => break,
        };
        if differ.len() >= INDEX_CHANGES {
            return None;
        }
        differ.push(here);
    }
    // The articles the recent block's boundary passes when it moves down
    // (an article added or re-dated below it moves every later one a rank
    // on) leave the chunks for the recent files: their words are read too.
    let (from, from_old) = (search::recent_start(&ids), search::recent_start(old));
    let lo = ids.partition_point(|&i| i < from);
    let hi = ids.partition_point(|&i| i < from_old).max(lo);
    let crossing: Vec<u32> = ids[lo..hi]
        .iter()
        .copied()
        .filter(|id| !differ.iter().any(|d| d.0 == *id))
        .collect();
    for &id in &crossing {
        let entry = entry_of(id)?;
        differ.push((id, Some(s.index.article(entry).hash), Some(entry)));
    }
    let hashes: Vec<u128> = differ
        .iter()
        .flat_map(|&(_, old, new)| old.into_iter().chain(new.map(|i| s.index.article(i).hash)))
        .collect();
    let new_entries = differ.iter().filter_map(|&(_, _, new)| new);
    let (cached, added) = match changed_words(s, out, fresh, &hashes, new_entries)? {
        Ok(found) => found,
        Err(errors) => return Some(Err(errors)),
    };
    let words_of = |hash: u128| cached.found.get(&hash).or_else(|| added.get(&hash)).map(Vec::as_slice);
    let mut change = search::IndexChange {
        words: Vec::with_capacity(differ.len()),
        docs: Vec::new(),
        before: old,
        after: &ids,
        slots,
    };
    for &(id, old, new) in &differ {
        let old_words = match old {
            Some(hash) => words_of(hash)?,
            None => &[],
        };
        let new_words = match new {
            Some(i) => words_of(s.index.article(i).hash)?,
            None => &[],
        };
        change.words.push(search::WordChange {
            id,
            old: old_words,
            new: new_words,
        });
        if !crossing.contains(&id) {
            change.docs.extend(new.map(|_| id));
        }
    }
    let recorded = |path: &str| recorded(previous, path);
    let data = search::update(
        |rel| std::fs::read(out.join(rel)).ok(),
        &s.urls.search,
        &change,
        |id| search::Doc::of(s, &entries[entry_of(id).expect("docs files hold ids of the index")]),
        recorded,
    )?;
    Some(Ok((data, WordsUpdate::Edits(added.into_iter().collect()))))
}

/// The signature the last build recorded for the file `path` of its index.
fn recorded(previous: &PreviousIndex, path: &str) -> Option<u128> {
    let at = previous.recorded.binary_search_by(|(p, _)| p.as_str().cmp(path)).ok()?;
    Some(previous.recorded[at].1)
}

/// Words of changed articles: those the word cache held, and those it
/// did not (by file hash), which go into it.
type ChangedWords = (super::state::word_cache::Found, HashMap<u128, Vec<u8>>);

/// The words of the changed articles: of `hashes` those the word cache
/// beside `out` holds, and of the entries `new` (indexes into the site's
/// entries) the others, from `fresh` or their bodies. `None` when the
/// cache would then be written whole, which needs every article's words.
fn changed_words(
    s: &Scope,
    out: &std::path::Path,
    fresh: &FreshWords,
    hashes: &[u128],
    new: impl Iterator<Item = usize>,
) -> Option<Result<ChangedWords, Vec<FileError>>> {
    let entries = &s.index.entries;
    let cached = WordCache::lookup_many(out, hashes);
    let mut errors = Vec::new();
    let mut added: HashMap<u128, Vec<u8>> = HashMap::new();
    for source in new.map(|i| s.index.article(i)) {
        if cached.found.contains_key(&source.hash) || added.contains_key(&source.hash) {
            continue;
        }
        match words_of(fresh, source) {
            Ok(words) => {
                added.insert(source.hash, words.into_owned());
            }
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Some(Err(errors));
    }
    // Past this the cache is written whole.
    if cached.entries + added.len() > entries.len() + STALE_WORDS {
        return None;
    }
    Some(Ok((cached, added)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;
    use crate::content::{ArticleFile, Rules};

    /// The words the scan takes while it has the body are those the index
    /// would read from the file, and with them the index needs the file no
    /// more: a full build reads each body once for its words.
    #[test]
    fn words_taken_in_the_scan_spare_the_second_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        let text = "---\ntitle: Brücke über die Saale\ndate: 2024-03-01T10:00:00Z\ntopics: [Verkehr]\n\
                    summary: Die Sanierung dauert länger.\n---\n\nDie **Brücke** bleibt bis zum Sommer gesperrt; \
                    Pendler fahren Umwege.\n";
        std::fs::write(&path, text).unwrap();
        let rules = Rules::of(&SiteConfig::default());
        let (source, taken) =
            ArticleFile::read_then(&path, &rules, |front, body| search::words_in(front, body).0).unwrap();
        let read_again = search::words_of(&source).unwrap().0;
        assert_eq!(taken, read_again);
        assert!(String::from_utf8_lossy(&taken).contains("pendler"));

        let fresh: FreshWords = [(source.hash, taken.clone())].into_iter().collect();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(words_of(&fresh, &source).unwrap().as_ref(), taken.as_slice());
        // Without them the body is read, and a file gone since is an error.
        assert!(words_of(&FreshWords::default(), &source).is_err());
    }
}
