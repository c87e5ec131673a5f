//! The postings of a previous build's index under new ids: for a change
//! that moves ids rather than words. Ids count from the oldest article, so
//! one article added, removed or re-dated inside the archive moves the id
//! of every article after it, and every chunk changes although no other
//! article's words did. Counting the postings again from every article's
//! words (the word cache, then the postings step: most of a rebuild's
//! search cost at 100 000 articles) is not needed for that: the old lists,
//! read back from the files, renumbered and joined with the few changed
//! articles' words, are the lists a clean build counts.

use rayon::prelude::*;

use super::patch::{MetaFile, parse_shard};
use super::{Encoded, SearchFile, WordIndex, decode_words, shard_name};

/// The postings of the index a previous build wrote (`read` gives its
/// files by site-relative path), with each article's id changed as `map`
/// says (`map[old]`: its id now, `None` for an article gone or whose
/// words changed) and the words of `added` (id now, encoded words) put
/// in: what [`WordIndex::taking`] gives for all `after` articles, when
/// `map` and `added` together give each id below `after` once. `None`
/// when the files are not as a build writes them or do not fit `map`.
pub fn renumbered(
    read: impl Fn(&str) -> Option<Vec<u8>> + Sync,
    dir: &str,
    map: &[Option<u32>],
    added: &[(u32, &[u8])],
    after: usize,
) -> Option<WordIndex> {
    let (meta, _) = MetaFile::read(&read, dir)?;
    let top = u32::try_from(after).ok().filter(|&t| t < u32::MAX / 4)?;
    if meta.articles != map.len()
        || map
            .iter()
            .flatten()
            .chain(added.iter().map(|(id, _)| id))
            .any(|&id| id >= top)
    {
        return None;
    }
    let paths: Vec<String> = meta
        .keys
        .iter()
        .map(|k| SearchFile::Shard(shard_name(k)).path(dir))
        .chain(meta.recent.iter().map(|r| SearchFile::Recent(r.clone()).path(dir)))
        .collect();
    let renumber = |list: &mut Vec<u32>| -> Option<()> {
        let mut kept = 0;
        for k in 0..list.len() {
            let v = list[k];
            if let Some(id) = *map.get((v / 4) as usize)? {
                list[kept] = id * 4 + v % 4;
                kept += 1;
            }
        }
        list.truncate(kept);
        Some(())
    };
    let files: Vec<Vec<(String, Vec<u32>)>> = paths
        .par_iter()
        .map(|path| {
            let mut words = parse_shard(&read(path)?)?;
            for (_, list) in &mut words {
                renumber(list)?;
            }
            Some(words)
        })
        .collect::<Option<_>>()?;
    // A word is in a chunk and a recent file when old and new articles
    // have it, and in the changed articles: its parts are joined below.
    let mut parts: Vec<(String, Vec<u32>)> = files.into_iter().flatten().filter(|(_, l)| !l.is_empty()).collect();
    for &(id, words) in added {
        parts.extend(decode_words(words).map(|(w, weight)| (w.to_string(), vec![id * 4 + u32::from(weight)])));
    }
    // A stable merge sort: the chunks come in word order, runs it finds
    // (the ~300 000 parts at 100 000 articles in 8–14 ms, against 52–108 ms
    // unstable), and a word's parts keep the order they were read in
    // (chunk, recent, added), so that its joined list is ascending runs.
    parts.par_sort_by(|a, b| a.0.cmp(&b.0));
    let mut words: Vec<(Box<str>, Vec<u32>)> = Vec::with_capacity(parts.len());
    for (w, list) in parts {
        match words.last_mut() {
            Some((last, into)) if **last == *w => into.extend(list),
            _ => words.push((w.into_boxed_str(), list)),
        }
    }
    // A re-dated article moves past others, and an added article's id
    // lands inside a list. Such a list is a few ascending runs, which the
    // stable sort merges in one pass; the unstable one sorted the common
    // words' lists of up to one id per article afresh (150–280 ms of a
    // back-dated insert at 100 000 articles, against 34–60 ms).
    let words = words
        .into_par_iter()
        .map(|(w, mut list)| {
            if !list.is_sorted() {
                list.sort();
            }
            (w, Encoded::from_sorted(&list))
        })
        .collect();
    Some(WordIndex { articles: after, words })
}
