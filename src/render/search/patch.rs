//! Bringing the index files of a previous build up to date: after body
//! edits ([`patch`]) and after any change of a few articles ([`update`]),
//! only the files the changes reach are made again, and they are what a
//! clean build would write.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::{
    BIG_WORD, DOCS_PER_FILE, Doc, SearchData, SearchFile, chunk_files, decode_words, docs_json, meta_json, shard_name,
};

/// A chunk file as serde reads it: for tests, beside [`parse_shard`].
#[cfg(test)]
#[derive(serde::Deserialize)]
pub(super) struct ShardFile {
    pub w: Vec<String>,
    pub p: Vec<Vec<u32>>,
}

#[derive(serde::Deserialize)]
pub(super) struct MetaFile {
    pub articles: usize,
    pub keys: Vec<String>,
}

/// An article whose words changed: its id in the index, its words before
/// and after (encoded as [`super::ArticleWords`]).
pub struct WordChange<'a> {
    pub id: u32,
    pub old: &'a [u8],
    pub new: &'a [u8],
}

/// The files of the index a previous build wrote (`read` gives one by its
/// site-relative path), changed for articles whose words changed. This is
/// what a clean build would write: the postings of the other articles are
/// as they were, and the chunks are re-cut around every changed word (with
/// their neighbours, since whether a chunk starts at a word depends on the
/// word before it). `None` when the files are not as expected or a chunk
/// would disappear (a deleted file is for the ordinary rebuild).
pub fn patch(read: impl Fn(&str) -> Option<Vec<u8>> + Sync, dir: &str, changes: &[WordChange]) -> Option<SearchData> {
    let meta_rel = SearchFile::Meta.path(dir);
    let meta_bytes = read(&meta_rel)?;
    let meta: MetaFile = serde_json::from_slice(&meta_bytes).ok()?;
    let (mut files, keys) = patch_chunks(&read, dir, changes, meta.keys, false)?;
    let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let new_meta = meta_json(meta.articles, &key_refs);
    if new_meta != meta_bytes {
        files.insert(meta_rel, new_meta);
    }
    Some(SearchData {
        dir: dir.to_string(),
        files,
        kept: BTreeMap::new(),
    })
}

/// What changed in the index between two builds, for [`update`].
pub struct IndexChange<'a> {
    /// The ids whose words changed; `old` or `new` is empty where the id
    /// had no article before or has none now.
    pub words: Vec<WordChange<'a>>,
    /// The ids whose article (and so its title, URL, date or text in the
    /// results) may have changed.
    pub docs: Vec<u32>,
    /// Articles in the index before and after.
    pub before: usize,
    pub after: usize,
}

/// The index a previous build wrote (`read` gives its files by
/// site-relative path), brought up to date with `change`: the chunks
/// around changed words are re-cut, the docs files of changed articles
/// (`doc(id)` gives article `id`, oldest first, as it is now) and the
/// manifest file made again; every other file is kept with the signature
/// `recorded` gives, and a file the index no longer has (a chunk whose
/// words all went, a docs file past the end) is in neither list, for the
/// build to delete. What a clean build would write, for the reasons
/// [`patch`] gives. `None` when the files are not as expected or one to
/// keep was not recorded: then the whole index is built.
pub fn update<D: std::borrow::Borrow<Doc>>(
    read: impl Fn(&str) -> Option<Vec<u8>> + Sync,
    dir: &str,
    change: &IndexChange,
    doc: impl Fn(usize) -> D,
    recorded: impl Fn(&str) -> Option<u128>,
) -> Option<SearchData> {
    let meta_rel = SearchFile::Meta.path(dir);
    let old_meta = read(&meta_rel)?;
    let meta: MetaFile = serde_json::from_slice(&old_meta).ok()?;
    let (before, after) = (change.before, change.after);
    if meta.articles != before || after == 0 {
        return None;
    }
    let (mut files, keys) = patch_chunks(&read, dir, &change.words, meta.keys, true)?;
    let mut docs_files: Vec<usize> = change.docs.iter().map(|&id| id as usize / DOCS_PER_FILE).collect();
    docs_files.extend((before.min(after)..before.max(after)).map(|id| id / DOCS_PER_FILE));
    docs_files.sort_unstable();
    docs_files.dedup();
    for k in docs_files.into_iter().filter(|&k| k < after.div_ceil(DOCS_PER_FILE)) {
        files.insert(SearchFile::Docs(k).path(dir), docs_json(k, after, &doc));
    }
    let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let meta_bytes = meta_json(after, &key_refs);
    if old_meta != meta_bytes {
        files.insert(meta_rel.clone(), meta_bytes);
    }
    let every_file = std::iter::once(meta_rel)
        .chain(keys.iter().map(|key| SearchFile::Shard(shard_name(key)).path(dir)))
        .chain((0..after.div_ceil(DOCS_PER_FILE)).map(|k| SearchFile::Docs(k).path(dir)));
    let mut kept = BTreeMap::new();
    for path in every_file {
        if !files.contains_key(&path) {
            let signature = recorded(&path)?;
            kept.insert(path, signature);
        }
    }
    Some(SearchData {
        dir: dir.to_string(),
        files,
        kept,
    })
}

/// Files of the index by site-relative path.
type Files = BTreeMap<String, Vec<u8>>;

/// The chunk files `changes` reach, re-cut, and the keys of all chunks
/// (`keys`: those of the files as read). With `drop_gone`, a chunk the
/// re-cut no longer makes is left out (for a build that deletes the files
/// it does not make); otherwise that is `None`.
fn patch_chunks(
    read: &(impl Fn(&str) -> Option<Vec<u8>> + Sync),
    dir: &str,
    changes: &[WordChange],
    mut keys: Vec<String>,
    drop_gone: bool,
) -> Option<(Files, Vec<String>)> {
    if keys.first().map(String::as_str) != Some("") || !keys.windows(2).all(|k| k[0] < k[1]) {
        return None;
    }
    let chunk_of = |w: &str| keys.partition_point(|k| k.as_str() <= w) - 1;
    // Per changed word: its new posting (or none) for each changed article.
    let mut edits: BTreeMap<&str, Vec<(u32, Option<u8>)>> = BTreeMap::new();
    for &WordChange { id, old, new } in changes {
        let old: foldhash::HashMap<&str, u8> = decode_words(old).collect();
        let new: foldhash::HashMap<&str, u8> = decode_words(new).collect();
        for w in old.keys().chain(new.keys()) {
            if old.get(w) != new.get(w) {
                let list = edits.entry(w).or_default();
                if !list.iter().any(|(i, _)| *i == id) {
                    list.push((id, new.get(w).copied()));
                }
            }
        }
    }
    // A changed word's postings are in its own chunk, which is read and
    // changed first. Its neighbours are read too only where a boundary can
    // move: a chunk starts at a word by its hash, its list and the list of
    // the word before it (`starts_chunk`), so only a word that enters or
    // leaves the index or whose list crosses BIG_WORD moves one. The usual
    // change, an article's words added to lists that stay on their side
    // of BIG_WORD, reads one chunk per word instead of three.
    // The words are in order, and so are their chunks.
    let mut first: Vec<usize> = edits.keys().map(|w| chunk_of(w)).collect();
    first.dedup();
    let mut loaded = read_chunks(read, dir, &keys, &first)?;
    let mut neighbours = BTreeSet::new();
    for (w, list_edits) in &edits {
        let c = chunk_of(w);
        // Each chunk holds a run of the sorted vocabulary, and `w` sorts
        // between its key and the next: its place is found within the chunk.
        let words = &mut loaded
            .get_mut(&c)
            .expect("the chunk of every changed word is read")
            .words;
        let at = match words.binary_search_by(|(x, _)| x.as_str().cmp(w)) {
            Ok(at) => at,
            Err(at) => {
                words.insert(at, (w.to_string(), Vec::new()));
                at
            }
        };
        let list = &mut words[at].1;
        let old_len = list.len();
        for &(id, weight) in list_edits {
            // Postings are sorted and `id * 4 + weight`: the article's one
            // posting, if any, is where its id starts.
            let at = list.partition_point(|&v| v / 4 < id);
            let had = list.get(at).is_some_and(|&v| v / 4 == id);
            match (had, weight) {
                (true, Some(weight)) => list[at] = id * 4 + u32::from(weight),
                (true, None) => {
                    list.remove(at);
                }
                (false, Some(weight)) => list.insert(at, id * 4 + u32::from(weight)),
                (false, None) => {}
            }
        }
        let new_len = list.len();
        if old_len == 0 || new_len == 0 || (old_len >= BIG_WORD) != (new_len >= BIG_WORD) {
            neighbours.extend([c.saturating_sub(1), (c + 1).min(keys.len() - 1)]);
        }
    }
    let more: Vec<usize> = neighbours.into_iter().filter(|c| !loaded.contains_key(c)).collect();
    loaded.extend(read_chunks(read, dir, &keys, &more)?);
    // Runs of consecutive loaded chunks, re-cut side by side, then put in
    // place from the last, so that replacing a run's keys leaves earlier
    // indexes valid.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &c in loaded.keys() {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == c => *end = c,
            _ => runs.push((c, c)),
        }
    }
    let recut: Vec<Vec<(String, Vec<u8>)>> = runs
        .par_iter()
        .map(|&(a, b)| {
            let words: Vec<(&str, &Vec<u32>)> = (a..=b)
                .flat_map(|c| &loaded[&c].words)
                .filter(|(_, l)| !l.is_empty())
                .map(|(w, l)| (w.as_str(), l))
                .collect();
            if words.is_empty() {
                Vec::new()
            } else {
                chunk_files(&keys[a], &words)
            }
        })
        .collect();
    let mut files = BTreeMap::new();
    for (&(a, b), chunks) in runs.iter().zip(recut).rev() {
        if chunks.is_empty() {
            // Every word of the run went: the first chunk (key "") never does.
            if !drop_gone || a == 0 {
                return None;
            }
            keys.drain(a..=b);
            continue;
        }
        let new_keys: Vec<String> = chunks.iter().map(|(k, _)| k.clone()).collect();
        if !drop_gone && keys[a..=b].iter().any(|k| new_keys.binary_search(k).is_err()) {
            return None;
        }
        for (key, bytes) in chunks {
            let before = (a..=b).find(|&c| keys[c] == key).map(|c| loaded[&c].bytes.as_slice());
            if before != Some(bytes.as_slice()) {
                files.insert(SearchFile::Shard(shard_name(&key)).path(dir), bytes);
            }
        }
        keys.splice(a..=b, new_keys);
    }
    Some((files, keys))
}

/// A chunk file as read: its bytes, to write only what changes, and its
/// words with their postings.
struct Chunk {
    bytes: Vec<u8>,
    words: Vec<(String, Vec<u32>)>,
}

/// The chunk files of the chunks numbered `wanted` (of `keys`), read and
/// decoded side by side; `None` when one is not as a build writes it.
fn read_chunks(
    read: &(impl Fn(&str) -> Option<Vec<u8>> + Sync),
    dir: &str,
    keys: &[String],
    wanted: &[usize],
) -> Option<BTreeMap<usize, Chunk>> {
    wanted
        .par_iter()
        .map(|&c| {
            let bytes = read(&SearchFile::Shard(shard_name(&keys[c])).path(dir))?;
            let words = parse_shard(&bytes)?;
            Some((c, Chunk { bytes, words }))
        })
        .collect()
}

/// The words of a chunk file as [`super::shard_json`] writes it, each with
/// its postings decoded from their deltas; `None` for anything else (then
/// the index is made whole). The lists are read by hand: a frequent word's
/// list holds a number per article, 100 000 in a large archive, a new
/// article reads one such list for each common word it has, and serde's
/// generic reading into a list of lists took half the time of bringing
/// the index up to date after one new article at 100 000.
pub(super) fn parse_shard(bytes: &[u8]) -> Option<Vec<(String, Vec<u32>)>> {
    let rest = bytes.strip_prefix(b"{\"w\":")?;
    let mut stream = serde_json::Deserializer::from_slice(rest).into_iter::<Vec<String>>();
    let words = stream.next()?.ok()?;
    let mut rest = rest[stream.byte_offset()..].strip_prefix(b",\"p\":[")?;
    let mut out = Vec::with_capacity(words.len());
    for (k, word) in words.into_iter().enumerate() {
        if k > 0 {
            rest = rest.strip_prefix(b",")?;
        }
        rest = rest.strip_prefix(b"[")?;
        let mut list = Vec::new();
        let mut v = 0u32;
        if let Some(after) = rest.strip_prefix(b"]") {
            rest = after;
        } else {
            loop {
                let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
                if digits == 0 {
                    return None;
                }
                let mut delta = 0u32;
                for &b in &rest[..digits] {
                    delta = delta.checked_mul(10)?.checked_add(u32::from(b - b'0'))?;
                }
                v = v.checked_add(delta)?;
                list.push(v);
                let (&separator, after) = rest[digits..].split_first()?;
                rest = after;
                match separator {
                    b',' => {}
                    b']' => break,
                    _ => return None,
                }
            }
        }
        out.push((word, list));
    }
    let rest = rest.strip_prefix(b"]}")?;
    rest.iter().all(u8::is_ascii_whitespace).then_some(out)
}
