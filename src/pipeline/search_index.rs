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
/// its articles by id (oldest first) as (file, hash), and the signatures
/// it recorded for its files (sorted by path).
pub(super) struct PreviousIndex {
    pub articles: Vec<(std::path::PathBuf, u128)>,
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
    let index = search::WordIndex::taking(words, release);
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
    fresh: &FreshWords,
) -> Option<IndexResult> {
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
            let source = s.index.article(i);
            if source.path == *path && source.hash == *hash {
                continue;
            }
        }
        if differ.len() >= INDEX_CHANGES {
            return renumbered_index(s, previous, out, fresh);
        }
        differ.push((u32::try_from(id).ok()?, old.map(|(_, h)| *h), new));
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
        before,
        after,
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
        change.docs.extend(new.map(|_| id));
    }
    let recorded = |path: &str| recorded(previous, path);
    let data = search::update(
        |rel| std::fs::read(out.join(rel)).ok(),
        &s.urls.search,
        &change,
        |id| search::Doc::of(s, &entries[now(id).expect("docs files hold ids of the index")]),
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

/// The search index of `s` when articles were added, removed or re-dated
/// inside the archive, so that the ids of all later articles moved (see
/// [`search::renumbered`]): the last build's postings under the new ids,
/// with the words of the articles that are new or changed, which are all
/// that is read of the articles. The docs files below the first id that
/// moved are kept as the last build recorded them; every other file is
/// made again, as a clean build makes it, and those that come out the same
/// are not written. `None`
/// when [`INDEX_CHANGES`] or more articles are new or changed (a change
/// that large is made whole, as [`updated_index`] leaves it), or when the
/// last build's files do not read back.
fn renumbered_index(
    s: &Scope,
    previous: &PreviousIndex,
    out: &std::path::Path,
    fresh: &FreshWords,
) -> Option<IndexResult> {
    let entries = &s.index.entries;
    let after = entries.len();
    let top = u32::try_from(after).ok()?;
    // The id each (file, hash) has now: entry i is id after - 1 - i. A file
    // is one article, so each key is there once; were one there twice, the
    // id it lost would count as a new article's, whose words are read.
    let mut now: foldhash::HashMap<(&std::path::Path, u128), u32> = entries
        .iter()
        .zip((0..top).rev())
        .map(|(e, id)| (s.index.source(e), id))
        .map(|(source, id)| ((source.path.as_path(), source.hash), id))
        .collect();
    let map: Vec<Option<u32>> = previous
        .articles
        .iter()
        .map(|(path, hash)| now.remove(&(path.as_path(), *hash)))
        .collect();
    let mut kept = vec![false; after];
    for &id in map.iter().flatten() {
        kept[id as usize] = true;
    }
    let new: Vec<usize> = (0..after).filter(|&id| !kept[id]).collect();
    if new.len() >= INDEX_CHANGES {
        return None;
    }
    let entry_of = |id: usize| after - 1 - id;
    let hashes: Vec<u128> = new.iter().map(|&id| s.index.article(entry_of(id)).hash).collect();
    let (cached, added) = match changed_words(s, out, fresh, &hashes, new.iter().map(|&id| entry_of(id)))? {
        Ok(found) => found,
        Err(errors) => return Some(Err(errors)),
    };
    let mut words: Vec<(u32, &[u8])> = Vec::with_capacity(new.len());
    for &id in &new {
        let hash = s.index.article(entry_of(id)).hash;
        let w = cached.found.get(&hash).or_else(|| added.get(&hash))?;
        words.push((u32::try_from(id).ok()?, w.as_slice()));
    }
    let mut timings = Timings::new();
    let read = |rel: &str| std::fs::read(out.join(rel)).ok();
    let index = search::renumbered(read, &s.urls.search, &map, &words, after)?;
    timings.done("      search: postings renumbered");
    drop(words);
    // Below the first id that moved or changed, the docs files are as they were.
    let from = (0..after)
        .find(|&id| map.get(id) != Some(&Some(id as u32)))
        .unwrap_or(after);
    let data = SearchData::for_site_from(s, index, from, |path| recorded(previous, path))?;
    timings.done("      search: files");
    Some(Ok((data, WordsUpdate::Edits(added.into_iter().collect()))))
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
