//! Bringing the index files of a previous build up to date: after body
//! edits ([`patch`]) and after any change of a few articles ([`update`]),
//! only the files the changes reach are made again, and they are what a
//! clean build would write.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use super::docs::{DocsRuns, docs_update, read_docs_of};
use super::ids::docs_file;
use super::splice::{self, WordEdits, parse_shard};
use super::{
    BIG_WORD, Doc, Layout, RECENT_BLOCK, SearchData, SearchFile, chunk_files, chunk_of, chunk_path, decode_words,
    meta_json, recent_files, recent_from, recent_name, shard_name,
};

#[derive(serde::Deserialize)]
pub(super) struct MetaFile {
    pub version: u32,
    pub articles: usize,
    pub slots: u32,
    pub recent_from: u32,
    pub keys: Vec<String>,
    pub recent: Vec<String>,
}

impl MetaFile {
    /// The manifest `read` gives, if it is one of this version.
    pub(super) fn read(read: &impl Fn(&str) -> Option<Vec<u8>>, dir: &str) -> Option<(MetaFile, Vec<u8>)> {
        let bytes = read(&SearchFile::Meta.path(dir))?;
        let meta: MetaFile = serde_json::from_slice(&bytes).ok()?;
        (meta.version == super::VERSION).then_some((meta, bytes))
    }

    fn layout(&self) -> Layout {
        Layout {
            articles: self.articles,
            slots: self.slots,
            recent_from: self.recent_from,
        }
    }
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
/// word before it). A file the change empties (a chunk or recent file
/// whose words all went, or whose key another word now starts) is in
/// `gone`, for the build to delete: removing the one use of a word is an
/// edit like any other. `None` when the files are not as expected.
pub fn patch(read: impl Fn(&str) -> Option<Vec<u8>> + Sync, dir: &str, changes: &[WordChange]) -> Option<SearchData> {
    patch_in(read, dir, changes)
}

/// [`patch`], whatever the recent block holds: no article comes or goes,
/// so its boundary stays where the manifest file says it is.
pub(super) fn patch_in(
    read: impl Fn(&str) -> Option<Vec<u8>> + Sync,
    dir: &str,
    changes: &[WordChange],
) -> Option<SearchData> {
    let (meta, meta_bytes) = MetaFile::read(&read, dir)?;
    let layout = meta.layout();
    let before = (meta.keys.clone(), meta.recent.clone());
    let patched = patch_files(&read, dir, changes, meta, layout.recent_from)?;
    let gone = gone_files(dir, before, (&patched.keys, &patched.recent)).collect();
    let mut files = patched.files;
    let new_meta = meta_json(layout, &patched.keys, &patched.recent);
    if new_meta != meta_bytes {
        files.insert(SearchFile::Meta.path(dir), new_meta);
    }
    Some(SearchData {
        dir: dir.to_string(),
        files,
        kept: BTreeMap::new(),
        gone,
    })
}

/// The chunk and recent files of an index whose keys and recent names
/// were `keys` and `recent` (both sorted) that `patched` no longer has.
fn gone_files<'a>(
    dir: &'a str,
    (keys, recent): (Vec<String>, Vec<String>),
    (keys_now, recent_now): (&'a [String], &'a [String]),
) -> impl Iterator<Item = String> + 'a {
    let chunks = keys
        .into_iter()
        .filter(|k| keys_now.binary_search(k).is_err())
        .map(move |k| SearchFile::Shard(shard_name(&k)).path(dir));
    let recent = recent
        .into_iter()
        .filter(|n| recent_now.binary_search(n).is_err())
        .map(move |n| SearchFile::Recent(n).path(dir));
    chunks.chain(recent)
}

/// What changed in the index between two builds, for [`update`].
pub struct IndexChange<'a> {
    /// The ids whose words changed; `old` or `new` is empty where the id
    /// had no article before or has none now.
    pub words: Vec<WordChange<'a>>,
    /// The ids whose article (and so its title, URL, date or text in the
    /// results) is new or may have changed.
    pub docs: Vec<u32>,
    /// The ids of the articles before and after, oldest first.
    pub before: &'a [u32],
    pub after: &'a [u32],
    /// Slots per day of both ([`super::ids::slots`]): with other slots
    /// every id changes, and the index is made whole.
    pub slots: u32,
}

/// Articles whose ids change while their words stay: an article moved to
/// another date, and those whose ids its move pushes on or lets back
/// ([`super::ids::assign`]).
pub struct Moved<'a> {
    /// Each such article: its id before and now, and its words.
    pub moves: Vec<(u32, u32, &'a [u8])>,
    /// The re-dated article's id now, and what the results show of it now.
    pub doc: (u32, Doc),
    /// The ids of all articles before and now, oldest first.
    pub before: &'a [u32],
    pub after: &'a [u32],
    pub slots: u32,
}

/// The index a previous build wrote (`read` gives its files by
/// site-relative path) with articles moved ([`Moved`]): [`update`] with
/// the docs of the files they leave and join read back, for a date edit
/// rebuilt without indexing the other articles (`pipeline::edits`, which
/// deletes the files it lists as gone, as for [`super::add_one`]). The
/// postings of the moved articles' words change, and no others.
pub fn moved(
    read: impl Fn(&str) -> Option<Vec<u8>> + Sync,
    dir: &str,
    m: &Moved,
    recorded: impl Fn(&str) -> Option<u128>,
) -> Option<SearchData> {
    moved_in(RECENT_BLOCK, read, dir, m, recorded)
}

/// [`moved`] for an index whose recent block holds `block` articles at
/// most: spliced where it can be ([`super::splice::moved`]), else re-cut.
pub(super) fn moved_in(
    block: usize,
    read: impl Fn(&str) -> Option<Vec<u8>> + Sync,
    dir: &str,
    m: &Moved,
    recorded: impl Fn(&str) -> Option<u128>,
) -> Option<SearchData> {
    let (docs, change) = moved_change(&read, dir, m)?;
    if let Some(data) = super::splice::moved(block, &read, dir, (m, &change), |id| &docs[&id], &recorded) {
        return Some(data);
    }
    update_in(block, read, dir, &change, |id| &docs[&id], recorded)
}

/// What [`moved_in`] brings up to date: the docs of the files the moved
/// articles leave and join, read back (`read`) and put at their ids now,
/// and the change of words and ids.
pub(super) fn moved_change<'a>(
    read: &impl Fn(&str) -> Option<Vec<u8>>,
    dir: &str,
    m: &Moved<'a>,
) -> Option<(BTreeMap<u32, Doc>, IndexChange<'a>)> {
    let moves = m.moves.iter().map(|&(old, new, _)| (old, new));
    let docs = moved_docs(read, dir, m.before, moves, (m.doc.0, Some(&m.doc.1)))?;
    let change = IndexChange {
        words: words_by_id(m.moves.iter().map(|&(old, new, words)| (Some(old), Some(new), words))).collect(),
        docs: m.moves.iter().map(|&(_, new, _)| new).chain([m.doc.0]).collect(),
        before: m.before,
        after: m.after,
        slots: m.slots,
    };
    Some((docs, change))
}

/// The docs of the files articles leave and join when their ids change
/// (`moves`: id before, id now) and of the file of `doc`'s id, read back
/// (`read`; the index's ids were `before`) and put at their ids now, with
/// `doc`'s article at its id (none: an article gone).
pub(super) fn moved_docs(
    read: &impl Fn(&str) -> Option<Vec<u8>>,
    dir: &str,
    before: &[u32],
    moves: impl Iterator<Item = (u32, u32)> + Clone,
    doc: (u32, Option<&Doc>),
) -> Option<BTreeMap<u32, Doc>> {
    let files: BTreeSet<usize> = moves
        .clone()
        .flat_map(|(old, new)| [docs_file(old), docs_file(new)])
        .chain([docs_file(doc.0)])
        .collect();
    let mut docs = read_docs_of(read, dir, before, files)?;
    // All taken out before any is put in: one's id now can be another's before.
    let taken: Vec<(u32, Doc)> = moves
        .map(|(old, new)| Some((new, docs.remove(&old)?)))
        .collect::<Option<_>>()?;
    docs.remove(&doc.0);
    docs.extend(taken);
    if let Some(d) = doc.1 {
        docs.insert(doc.0, d.clone());
    }
    Some(docs)
}

/// The change of words `moves` (each an article's id before and now, none
/// for one that comes or goes, and its words) make: per id, the words of
/// the article it named before and of the one it names now, where they
/// differ.
pub(super) fn words_by_id<'a>(
    moves: impl Iterator<Item = (Option<u32>, Option<u32>, &'a [u8])>,
) -> impl Iterator<Item = WordChange<'a>> {
    let mut by_id: BTreeMap<u32, (&[u8], &[u8])> = BTreeMap::new();
    for (old, new, words) in moves {
        if let Some(old) = old {
            by_id.entry(old).or_default().0 = words;
        }
        if let Some(new) = new {
            by_id.entry(new).or_default().1 = words;
        }
    }
    by_id
        .into_iter()
        .filter(|(_, (old, new))| old != new)
        .map(|(id, (old, new))| WordChange { id, old, new })
}

/// The index a previous build wrote (`read` gives its files by
/// site-relative path), brought up to date with `change`: the chunks
/// around changed words are re-cut, the recent files of their first
/// characters, the docs files of changed articles and of those gone
/// (`doc(id)` gives the article with that id now, for every id of such a
/// file) and the manifest file made again; every other file is kept with
/// the signature `recorded` gives, and a file the index no longer has (a
/// chunk whose words all went, a docs file whose articles all went) is in
/// neither list but in `gone`, for the build to delete. What a clean
/// build would write, for the reasons [`patch`] gives. `None` when the
/// files are not as expected or one to keep was not recorded: then the
/// whole index is built.
pub fn update<D: std::borrow::Borrow<Doc>>(
    read: impl Fn(&str) -> Option<Vec<u8>> + Sync,
    dir: &str,
    change: &IndexChange,
    doc: impl Fn(u32) -> D,
    recorded: impl Fn(&str) -> Option<u128>,
) -> Option<SearchData> {
    update_in(RECENT_BLOCK, read, dir, change, doc, recorded)
}

/// [`update`] for an index whose recent block holds `block` articles at
/// most.
pub(super) fn update_in<D: std::borrow::Borrow<Doc>>(
    block: usize,
    read: impl Fn(&str) -> Option<Vec<u8>> + Sync,
    dir: &str,
    change: &IndexChange,
    doc: impl Fn(u32) -> D,
    recorded: impl Fn(&str) -> Option<u128>,
) -> Option<SearchData> {
    let meta_rel = SearchFile::Meta.path(dir);
    let (meta, old_meta) = MetaFile::read(&read, dir)?;
    let (before, after) = (change.before, change.after);
    let ascending = |ids: &[u32]| ids.windows(2).all(|w| w[0] < w[1]);
    let from_old = recent_from(before, block);
    if meta.articles != before.len()
        || meta.slots != change.slots
        || meta.recent_from != from_old
        || after.is_empty()
        || !ascending(before)
        || !ascending(after)
    {
        return None;
    }
    let from = recent_from(after, block);
    // When the boundary moves down (articles removed), the articles between
    // leave the chunks; only those that changed are known here.
    let changed: foldhash::HashSet<u32> = change.words.iter().map(|c| c.id).collect();
    let (lo, hi) = (
        after.partition_point(|&id| id < from),
        after.partition_point(|&id| id < from_old),
    );
    if after[lo..hi.max(lo)].iter().any(|id| !changed.contains(id)) {
        return None;
    }
    // The chunks and recent files there were, to find those that go.
    let files_before = (meta.keys.clone(), meta.recent.clone());
    let patched = patch_files(&read, dir, &change.words, meta, from)?;
    let mut files = patched.files;
    let (docs, after_files, docs_gone) = docs_update(dir, &change.docs, before, after, doc);
    files.extend(docs);
    let layout = Layout {
        articles: after.len(),
        slots: change.slots,
        recent_from: from,
    };
    let meta_bytes = meta_json(layout, &patched.keys, &patched.recent);
    if old_meta != meta_bytes {
        files.insert(meta_rel, meta_bytes);
    }
    let kept = kept_files(dir, &files, (&patched.keys, &patched.recent, &after_files), recorded)?;
    // Keys and names are sorted; the manifest file always stays.
    let gone = gone_files(dir, files_before, (&patched.keys, &patched.recent))
        .chain(docs_gone)
        .collect();
    Some(SearchData {
        dir: dir.to_string(),
        files,
        kept,
        gone,
    })
}

/// The files of an index with chunks `keys`, recent files `recent` and
/// docs files `docs` (the manifest file too) that are not among `files`
/// (those made again), each with the signature `recorded` gives it;
/// `None` when one was not recorded.
pub(super) fn kept_files(
    dir: &str,
    files: &Files,
    (keys, recent, docs): (&[String], &[String], &DocsRuns),
    recorded: impl Fn(&str) -> Option<u128>,
) -> Option<BTreeMap<String, u128>> {
    let every_file = std::iter::once(SearchFile::Meta.path(dir))
        .chain(keys.iter().map(|key| SearchFile::Shard(shard_name(key)).path(dir)))
        .chain(recent.iter().map(|name| SearchFile::Recent(name.clone()).path(dir)))
        .chain(docs.iter().map(|(k, _)| SearchFile::Docs(*k).path(dir)));
    let mut kept = BTreeMap::new();
    for path in every_file {
        if !files.contains_key(&path) {
            let signature = recorded(&path)?;
            kept.insert(path, signature);
        }
    }
    Some(kept)
}

/// Files of the index by site-relative path.
pub(super) type Files = BTreeMap<String, Vec<u8>>;

/// Per word: the new posting weight (or none) of each article whose
/// posting of it changes.
type Edits = BTreeMap<String, Vec<(u32, Option<u8>)>>;

/// The files changes reach, and the keys of all chunks and names of all
/// recent files after them.
struct Patched {
    files: Files,
    keys: Vec<String>,
    recent: Vec<String>,
}

/// Adds to `edits` what changes between an article's words `old` and `new`.
fn diff_words(edits: &mut Edits, id: u32, old: &[u8], new: &[u8]) {
    let old: foldhash::HashMap<&str, u8> = decode_words(old).collect();
    let new: foldhash::HashMap<&str, u8> = decode_words(new).collect();
    for w in old.keys().chain(new.keys()) {
        if old.get(w) != new.get(w) {
            let list = edits.entry(w.to_string()).or_default();
            if !list.iter().any(|(i, _)| *i == id) {
                list.push((id, new.get(w).copied()));
            }
        }
    }
}

/// Puts article `id`'s posting (`weight`, or none) in `list`.
pub(super) fn place(list: &mut Vec<u32>, id: u32, weight: Option<u8>) {
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

/// The chunk and recent files of the index `meta` describes that
/// `changes` reach, when the recent block starts at id `from` after them
/// (at `meta.recent_from` before). An article's words are in the chunks
/// below the boundary and in the recent files from it on; when the
/// boundary moves up (a new article completes the block), the articles
/// below it move into the chunks, which needs every recent file. When it
/// moves down (articles removed), the articles between leave the chunks,
/// which needs their words: the caller makes sure they are all among
/// `changes` ([`update_in`]). A file the changes empty is left out: the
/// build deletes the files the index no longer makes.
fn patch_files(
    read: &(impl Fn(&str) -> Option<Vec<u8>> + Sync),
    dir: &str,
    changes: &[WordChange],
    meta: MetaFile,
    from: u32,
) -> Option<Patched> {
    let from_old = meta.recent_from;
    let changed: foldhash::HashSet<u32> = changes.iter().map(|c| c.id).collect();
    let mut chunk_edits = Edits::new();
    let mut recent_edits = Edits::new();
    for c in changes {
        match (c.id < from_old, c.id < from) {
            (true, true) => diff_words(&mut chunk_edits, c.id, c.old, c.new),
            (false, false) => diff_words(&mut recent_edits, c.id, c.old, c.new),
            // Moves into the chunks: its old postings go below, with the block's.
            (false, true) => diff_words(&mut chunk_edits, c.id, &[], c.new),
            // Moves out of them.
            (true, false) => {
                diff_words(&mut chunk_edits, c.id, c.old, &[]);
                diff_words(&mut recent_edits, c.id, &[], c.new);
            }
        }
    }
    // The recent files to read and write: those of the first characters
    // of the recent articles' changed words, all of them when the block moves.
    let mut wanted: BTreeSet<String> = recent_edits.keys().map(|w| recent_name(w)).collect();
    if from > from_old {
        wanted.extend(meta.recent.iter().cloned());
    }
    let to_read: Vec<&String> = wanted.iter().filter(|name| meta.recent.contains(name)).collect();
    let read_recent: Vec<(&String, Chunk)> = to_read
        .par_iter()
        .map(|&name| {
            let bytes = read(&SearchFile::Recent(name.clone()).path(dir))?;
            let words = parse_shard(&bytes)?;
            Some((name, Chunk { bytes, words }))
        })
        .collect::<Option<_>>()?;
    let mut recent: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    let mut recent_before: BTreeMap<&String, Vec<u8>> = BTreeMap::new();
    for (name, Chunk { bytes, words }) in read_recent {
        recent.extend(words);
        recent_before.insert(name, bytes);
    }
    for (w, list_edits) in recent_edits {
        let list = recent.entry(w).or_default();
        for (id, weight) in list_edits {
            place(list, id, weight);
        }
    }
    if from > from_old {
        // The block moves into the chunks: postings of the articles that
        // did not change go along as they are.
        for (w, list) in &mut recent {
            let moved: Vec<u32> = list.drain(..list.partition_point(|&v| v / 4 < from)).collect();
            for v in moved.into_iter().filter(|v| !changed.contains(&(v / 4))) {
                chunk_edits
                    .entry(w.clone())
                    .or_default()
                    .push((v / 4, Some((v % 4) as u8)));
            }
        }
    }
    let (mut files, keys) = patch_chunks(read, dir, &chunk_edits, meta.keys)?;
    // The wanted recent files as they are now, and the names of all.
    let words: Vec<(&str, &Vec<u32>)> = recent
        .iter()
        .filter(|(_, l)| !l.is_empty())
        .map(|(w, l)| (w.as_str(), l))
        .collect();
    let made = recent_files(&words);
    let mut names: Vec<String> = meta.recent.into_iter().filter(|n| !wanted.contains(n)).collect();
    for (name, bytes) in made {
        if recent_before.get(&name) != Some(&bytes) {
            files.insert(SearchFile::Recent(name.clone()).path(dir), bytes);
        }
        names.push(name);
    }
    names.sort();
    Some(Patched {
        files,
        keys,
        recent: names,
    })
}

/// The chunk files `edits` reach, re-cut, and the keys of all chunks
/// (`keys`: those of the files as read); a chunk the re-cut no longer
/// makes is left out.
fn patch_chunks(
    read: &(impl Fn(&str) -> Option<Vec<u8>> + Sync),
    dir: &str,
    edits: &Edits,
    mut keys: Vec<String>,
) -> Option<(Files, Vec<String>)> {
    if edits.is_empty() {
        return Some((Files::new(), keys));
    }
    // No chunks yet (all articles in the recent block, fewer than it
    // holds): the first block moving in makes them all, as a clean build.
    if keys.is_empty() {
        let lists = edits.iter().map(|(w, list_edits)| {
            let mut list = Vec::new();
            list_edits.iter().for_each(|&(id, weight)| place(&mut list, id, weight));
            (w.as_str(), list)
        });
        return Some(super::first_chunks(dir, lists));
    }
    if keys.first().map(String::as_str) != Some("") || !keys.windows(2).all(|k| k[0] < k[1]) {
        return None;
    }
    let shard = |c: usize| chunk_path(dir, &keys, c);
    // A changed word's postings are in its own chunk. A chunk starts at a
    // word by its hash, its list and the list of the word before it
    // (`starts_chunk`), so only a word that enters or leaves the index or
    // whose list crosses BIG_WORD moves a boundary. The usual change, an
    // article's words added to lists that stay on their side of BIG_WORD,
    // moves none: each chunk is read and its lists spliced as bytes
    // (`splice::edited`). A chunk where a boundary may move is decoded and
    // re-cut with its neighbours.
    let mut by_chunk: BTreeMap<usize, Vec<WordEdits>> = BTreeMap::new();
    for (w, list_edits) in edits {
        by_chunk
            .entry(chunk_of(&keys, w))
            .or_default()
            .push((w.as_str(), list_edits.as_slice()));
    }
    /// A chunk as its edits left it: spliced (its bytes before and now),
    /// or decoded for the re-cut.
    enum Tried {
        Spliced(Vec<u8>, Vec<u8>),
        Decoded(Chunk),
    }
    let tried: Vec<(usize, Tried)> = by_chunk
        .par_iter()
        .map(|(&c, words)| {
            let bytes = read(&shard(c))?;
            let tried = match splice::edited(&bytes, words) {
                Some(now) => Tried::Spliced(bytes, now),
                None => Tried::Decoded(Chunk {
                    words: parse_shard(&bytes)?,
                    bytes,
                }),
            };
            Some((c, tried))
        })
        .collect::<Option<_>>()?;
    let (mut spliced, mut loaded) = (BTreeMap::new(), BTreeMap::new());
    for (c, tried) in tried {
        match tried {
            Tried::Spliced(before, now) => {
                spliced.insert(c, (before, now));
            }
            Tried::Decoded(chunk) => {
                loaded.insert(c, chunk);
            }
        }
    }
    let mut neighbours = BTreeSet::new();
    for (&c, words) in &by_chunk {
        if let Some(chunk) = loaded.get_mut(&c)
            && edit_words(&mut chunk.words, words)
        {
            neighbours.extend([c.saturating_sub(1), (c + 1).min(keys.len() - 1)]);
        }
    }
    // A neighbour spliced already is re-cut too, from its bytes as read
    // and with its edits, which move no boundary of their own.
    let mut more = Vec::new();
    for c in neighbours {
        if loaded.contains_key(&c) {
            continue;
        }
        match spliced.remove(&c) {
            Some((bytes, _)) => {
                let mut words = parse_shard(&bytes)?;
                edit_words(&mut words, &by_chunk[&c]);
                loaded.insert(c, Chunk { bytes, words });
            }
            None => more.push(c),
        }
    }
    loaded.extend(read_chunks(read, dir, &keys, &more)?);
    let mut files: Files = spliced
        .into_iter()
        .filter(|(_, (before, now))| before != now)
        .map(|(c, (_, now))| (shard(c), now))
        .collect();
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
    for (&(a, b), chunks) in runs.iter().zip(recut).rev() {
        if chunks.is_empty() {
            // Every word of the run went: the first chunk (key "") never does.
            if a == 0 {
                return None;
            }
            keys.drain(a..=b);
            continue;
        }
        let new_keys: Vec<String> = chunks.iter().map(|(k, _)| k.clone()).collect();
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

/// `words` (a chunk's, decoded) with each of `edits` (in order) applied:
/// a word not there yet is put at its place (each chunk holds a run of
/// the sorted vocabulary, and an edited word sorts between its key and
/// the next). Whether a boundary may move: a list that was or becomes
/// empty, or crosses BIG_WORD.
fn edit_words(words: &mut Vec<(String, Vec<u32>)>, edits: &[WordEdits]) -> bool {
    let mut moves = false;
    for &(w, list_edits) in edits {
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
            place(list, id, weight);
        }
        let new_len = list.len();
        moves |= old_len == 0 || new_len == 0 || (old_len >= BIG_WORD) != (new_len >= BIG_WORD);
    }
    moves
}

/// A chunk or recent file as read: its bytes, to write only what changes,
/// and its words with their postings.
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
            let bytes = read(&chunk_path(dir, keys, c))?;
            let words = parse_shard(&bytes)?;
            Some((c, Chunk { bytes, words }))
        })
        .collect()
}
