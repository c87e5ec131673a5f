//! The search index: static JSON files the search page's script
//! (`static/search.js`) reads, made at build time.
//!
//! Layout, chosen so that a reader of a 100 000-article archive downloads
//! tens of kilobytes per query, not the whole index:
//! - `<search>/index.json`: the manifest (format version, article count,
//!   docs per file, and the first word of every chunk). Loaded up front.
//! - `<search>/shards/<name>.json`: a chunk, a run of consecutive words of
//!   the sorted vocabulary, each with its posting list. The script finds the
//!   chunk of a query word by binary search over the first words, then the
//!   word in it; a prefix ("außenminister" finds "Außenministers") reads on
//!   into the following chunks while their first word has the prefix.
//! - `<search>/docs/<k>.json`: title, URL, date and kicker (or summary) of
//!   the articles with ids `k * DOCS_SPAN ..` ([`ids::DOCS_SPAN`]), each
//!   after its id's offset in the file, for showing results; only the
//!   files of the results shown are fetched, so they are small.
//!
//! Chunks are cut by a rule that looks at a word and its neighbour only:
//! a chunk starts at a word whose hash is a multiple of [`CHUNK_WORDS`]
//! (so a chunk holds that many words on average, whatever the vocabulary),
//! and at and after every word in [`BIG_WORD`] articles or more, so that a
//! frequent word's long list is fetched only by a query for it. Because the
//! rule is local, an edit that adds or removes words re-cuts only the
//! chunks around them ([`fn@patch`]) and still writes what a clean build would.
//! A chunk is named after its first word ([`shard_name`]); the first chunk
//! has the key `""` and the name `_`.
//!
//! Article ids follow the articles' times ([`ids`]): they rise with the
//! date, but an article added, removed or re-dated anywhere in the archive
//! changes its own id and its own postings, not those of every article
//! after it. Its words reach a few hundred chunks, though, one per word; so
//! the newest articles, the last `n % RECENT_BLOCK` of `n` by date, are
//! kept apart: `<search>/recent/<c>.json` holds their postings of the words
//! that start with character `c` (named like a chunk), in the chunks'
//! format. A new article then rewrites a few dozen small files, and only
//! every [`RECENT_BLOCK`]th moves the block into the chunks. The boundary
//! follows from the articles' ids alone (`index.json` names its first id),
//! so a brought-up-to-date index is still what a clean build writes. The script reads a query word's chunk
//! and the recent file of its first character and joins the word's two
//! lists (chunk ids are all below recent ones) before it weighs them.
//! A posting is `id * 4 + weight`: weight 3 when the word is in the title,
//! else 0, 1 or 2 for one, two, three or more occurrences; the script ranks
//! by it and by how rare the word is. The list is sorted and delta-encoded
//! (the first value as is, then differences), which keeps the numbers short.
//!
//! Words are normalised by [`normalize`] — NFKC, lowercase, `ä ö ü ß`
//! folded to `ae oe ue ss` — and split at every character that is not a
//! letter or digit; `static/search.js` applies the same rules to the query.

use std::collections::BTreeMap;

use crate::render::outputs::Scope;

mod docs;
pub mod ids;
mod lists;
mod newest;
mod patch;
mod splice;
mod words;
pub use docs::patch_docs;
use docs::{docs_json, docs_runs};
use ids::DOCS_SPAN;
use lists::{Encoded, PostingList};
pub use newest::{Push, add_one, remove_one};
pub use patch::{IndexChange, Moved, WordChange, moved, patch, update};
#[cfg(test)]
use patch::{moved_in, patch_in, update_in};
pub use words::{ArticleWords, TITLE, decode_words, normalize, words, words_in, words_of};

/// Format of the files; the script refuses other versions.
pub const VERSION: u32 = 4;
/// The newest `n % RECENT_BLOCK` articles of an index of `n` are in the
/// recent files (see the module comment): small enough that those files
/// stay a few KB for a query to fetch, large enough that the block moves
/// into the chunks rarely.
pub const RECENT_BLOCK: usize = 64;
/// Words per chunk on average (see the module comment).
pub const CHUNK_WORDS: u64 = 128;
/// A word in this many articles gets a chunk of its own.
pub const BIG_WORD: usize = 500;
/// Distinct words indexed per article at most (title, kicker, summary and
/// terms come first, then the body): keeps a long article from weighing as
/// much as ten short ones.
pub const MAX_WORDS: usize = 3_000;
/// Longer "words" are URLs or junk, not something anyone types.
pub const MAX_WORD_CHARS: usize = 40;
/// A word's bytes at most, so that a chunk's file name (hex of the first
/// word, see [`shard_name`]) stays well under file systems' 255 bytes.
pub const MAX_WORD_BYTES: usize = 120;

/// One file of the search feature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchFile {
    /// The HTML page.
    Page,
    /// `index.json`.
    Meta,
    /// A shard, by its file name without `.json`.
    Shard(String),
    /// Docs file number `k`.
    Docs(usize),
    /// The recent file of the words that start with a character, by its
    /// file name without `.json` ([`recent_name`]).
    Recent(String),
}

impl SearchFile {
    /// Site-relative path below the search segment `dir` (`suche`).
    pub fn path(&self, dir: &str) -> String {
        match self {
            SearchFile::Page => format!("{dir}/"),
            SearchFile::Meta => format!("{dir}/index.json"),
            SearchFile::Shard(name) => format!("{dir}/shards/{name}.json"),
            SearchFile::Docs(k) => format!("{dir}/docs/{k}.json"),
            SearchFile::Recent(name) => format!("{dir}/recent/{name}.json"),
        }
    }
}

/// FNV-1a: words are short, and the standard hasher's DoS resistance is
/// not needed for our own index.
#[derive(Default, Clone, Copy)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// The chunk a word is in, of chunks with sorted `keys` (the first `""`):
/// the last whose key sorts at or before it, as the script finds it.
fn chunk_of(keys: &[String], word: &str) -> usize {
    keys.partition_point(|k| k.as_str() <= word) - 1
}

/// The site-relative path of chunk `c` of `keys` in the index in `dir`.
fn chunk_path(dir: &str, keys: &[String], c: usize) -> String {
    SearchFile::Shard(shard_name(&keys[c])).path(dir)
}

/// The file name of the chunk whose key (first word) is `key`: the word
/// when it is `a-z0-9`, `_` for the first chunk's empty key, else `x` and
/// the hex of its UTF-8 bytes.
pub fn shard_name(key: &str) -> String {
    if key.is_empty() {
        "_".into()
    } else if key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        key.into()
    } else {
        let mut name = String::from("x");
        for b in key.bytes() {
            name.push_str(&format!("{b:02x}"));
        }
        name
    }
}

/// The name of the recent file that holds `word`: its first character,
/// named as a chunk would be.
pub fn recent_name(word: &str) -> String {
    shard_name(word.chars().next().map_or("", |c| &word[..c.len_utf8()]))
}

/// The first id of the recent block of articles with `ids` (oldest first)
/// when the block holds `block` articles at most (1: none): every id from
/// it on is in the recent files, every id below it in the chunks.
pub(super) fn recent_from(ids: &[u32], block: usize) -> u32 {
    let n = ids.len();
    match ids.get(n - n % block) {
        Some(&id) => id,
        None => ids.last().map_or(0, |&last| last + 1),
    }
}

/// The first id of the recent block of an index of articles with `ids`
/// (oldest first): [`recent_from`] with the block builds use.
pub fn recent_start(ids: &[u32]) -> u32 {
    recent_from(ids, RECENT_BLOCK)
}

/// The recent files of `words` (sorted, the recent block's postings,
/// non-empty lists): (name, bytes) in the words' order. Words that share a
/// first character are neighbours in the sorted vocabulary.
pub(super) fn recent_files<L: PostingList>(words: &[(&str, L)]) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut start = 0;
    while start < words.len() {
        let first = words[start].0.chars().next();
        let end = start + words[start..].partition_point(|(w, _)| w.chars().next() == first);
        files.push((recent_name(words[start].0), shard_json(&words[start..end])));
        start = end;
    }
    files
}

/// Whether a chunk starts at `word` (with `list` postings) after `prev`
/// (with `prev_list`): the rule of the module comment.
fn starts_chunk(word: &str, list: usize, prev_list: usize) -> bool {
    use std::hash::Hasher;
    let mut h = Fnv::default();
    h.write(word.as_bytes());
    h.finish() % CHUNK_WORDS == 0 || list >= BIG_WORD || prev_list >= BIG_WORD
}

/// The indexes in `words` (sorted) where chunks start; the first word
/// always starts one.
fn chunk_starts<L: PostingList>(words: &[(&str, L)]) -> Vec<usize> {
    let mut starts = Vec::new();
    for (i, (w, list)) in words.iter().enumerate() {
        if i == 0 || starts_chunk(w, list.count(), words[i - 1].1.count()) {
            starts.push(i);
        }
    }
    starts
}

/// What the results list shows of an article.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Absolute path (`/2022/01/slug/`).
    pub url: String,
    pub title: String,
    /// `2022-01-21`, for `<time datetime>`.
    pub date: String,
    /// The date as the site shows it (`21. Januar 2022`).
    pub date_display: String,
    /// Kicker, else summary.
    pub text: String,
}

impl Doc {
    /// An entry of the site as the results list shows it.
    pub fn of(s: &Scope, e: &crate::site::Entry) -> Doc {
        let f = &s.index.source(e).front;
        Doc {
            url: s.urls.href(&e.path),
            title: f.title.clone(),
            date: crate::content::date::day(e.local.date_naive()),
            date_display: s.lang.day(&e.local),
            text: Doc::text(f),
        }
    }

    /// The text the results list shows under the title.
    pub fn text(f: &crate::content::FrontMatter) -> String {
        let text = f.kicker.clone().or_else(|| f.summary.clone()).unwrap_or_default();
        match text.char_indices().nth(200) {
            Some((cut, _)) => format!("{} …", text[..cut].trim_end()),
            None => text,
        }
    }
}

/// The data files of the index (all but the page), by site-relative path.
pub struct SearchData {
    /// The search segment (`suche`), which the paths start with.
    dir: String,
    /// Files made by this build, with their bytes.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Files of the previous build's index that stay as they are, with the
    /// signature that build recorded for them: after a few changes a
    /// rebuild makes only the files they reach ([`update`]), not every
    /// shard of a 100 000-article index.
    pub kept: BTreeMap<String, u128>,
    /// Files of the previous build's index that this one no longer makes
    /// ([`update`]: a chunk whose words all went, the recent files when
    /// their block moves into the chunks): the ordinary rebuild finds them
    /// missing from its outputs, a rebuild after edits deletes these.
    pub gone: Vec<String>,
}

impl SearchData {
    /// Files of the index made again, and no other file of it touched.
    pub fn some_files(dir: &str, files: BTreeMap<String, Vec<u8>>) -> SearchData {
        SearchData {
            dir: dir.to_string(),
            files,
            kept: BTreeMap::new(),
            gone: Vec::new(),
        }
    }
}

fn json(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// A shard file: its words (sorted) with their postings (absolute, sorted).
/// Written into one buffer: there are thousands of these per build.
fn shard_json<L: PostingList>(words: &[(&str, L)]) -> Vec<u8> {
    let size: usize = words.iter().map(|(w, list)| w.len() + 4 + 4 * list.count()).sum();
    let mut out = Vec::with_capacity(16 + size);
    out.extend_from_slice(b"{\"w\":[");
    for (k, (w, _)) in words.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        // Words are letters and digits; anything JSON escapes goes through serde.
        if w.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
            out.push(b'"');
            out.extend_from_slice(w.as_bytes());
            out.push(b'"');
        } else {
            out.extend_from_slice(json(w).as_bytes());
        }
    }
    out.extend_from_slice(b"],\"p\":[");
    let mut number = itoa::Buffer::new();
    for (k, (_, list)) in words.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.push(b'[');
        for (j, d) in list.deltas().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            out.extend_from_slice(number.format(d).as_bytes());
        }
        out.push(b']');
    }
    out.extend_from_slice(b"]}\n");
    out
}

/// A word's posting list while the index is made, with its hash, so that
/// a table that grows does not hash it again. The word is owned, so that
/// each article's encoded words can go as soon as they are counted.
type Postings = hashbrown::HashTable<(u64, Box<str>, Encoded)>;

/// Adds `posting` to the postings of `word` in `table`.
fn add_posting(table: &mut Postings, hash: u64, word: &str, posting: u32) {
    match table.find_mut(hash, |e| &*e.1 == word) {
        Some(e) => e.2.push(posting),
        None => {
            let mut list = Encoded::default();
            list.push(posting);
            table.insert_unique(hash, (hash, Box::from(word), list), |e| e.0);
        }
    }
}

/// The words are counted in this many tables, by eight bits of their hash:
/// one table for all grew past the processor's cache, and each posting
/// added to it went to memory for its slot, its word and its list.
const TABLES: usize = 256;

/// Articles whose words one thread spreads over the tables' queues at a time.
const RUN: usize = 1024;

/// Which of the [`TABLES`] a word's hash goes to: bits the hash table
/// itself does not use for the slot (the low ones) or the tag (the top
/// seven), so that the words of one table still spread over it.
fn table_of(hash: u64) -> usize {
    (hash >> 32) as usize % TABLES
}

/// One table's share of a run's words, in id order: the words one after
/// another in `words`, and for each its hash, posting and end in `words`.
#[derive(Default)]
struct Queue {
    words: String,
    entries: Vec<(u64, u32, u32)>,
}

// A run's words, all in one queue at worst, keep their ends within a u32.
const _: () = assert!(RUN * MAX_WORDS * (MAX_WORD_BYTES + 4) < u32::MAX as usize);

/// Every word of `articles` (encoded words, newest first; `ids` theirs,
/// oldest first) with its postings, sorted by word. The ids are cut into runs of [`RUN`]; the runs
/// of a batch spread their words over one queue per table (writing in
/// order, which the cache serves well), on as many threads as there are,
/// and each table then takes its queues in id order (oldest first), also
/// in parallel: every list comes out sorted, and a table's work stays
/// within the cache. Each article is dropped once its words are queued: at
/// 100 000 articles the encoded words weigh more than the postings, and
/// holding both made the peak of a build. The lists are held as the files
/// write them, as differences ([`lists`]): in `Vec<u32>`s they were the
/// peak after that (c100k: 767 MB, 684 MB so).
/// `release`, when given, hands memory freed back to the system and is
/// called after each batch (see [`WordIndex::taking`]).
fn postings<A: AsRef<[u8]> + Send>(
    mut articles: Vec<A>,
    ids: &[u32],
    release: Option<fn()>,
) -> Vec<(Box<str>, Encoded)> {
    use rayon::prelude::*;
    let n = articles.len();
    assert_eq!(ids.len(), n, "an id for every article");
    let runs = n.div_ceil(RUN).max(1);
    // Run r holds ids n * r / runs.., which are the articles from index
    // n - n * (r + 1) / runs on, newest first.
    let mut by_run = (0..runs).map(|r| (n * r / runs, articles.split_off(n - n * (r + 1) / runs)));
    let mut tables: Vec<Postings> = (0..TABLES).map(|_| Postings::default()).collect();
    let batch = rayon::current_num_threads().max(1) * 2;
    loop {
        let runs: Vec<(usize, Vec<A>)> = by_run.by_ref().take(batch).collect();
        if runs.is_empty() {
            break;
        }
        let queued: Vec<Vec<Queue>> = runs
            .into_par_iter()
            .map(|(first, run)| {
                let mut queues: Vec<Queue> = (0..TABLES).map(|_| Queue::default()).collect();
                for (rank, article) in (first..).zip(run.into_iter().rev()) {
                    let id = ids[rank];
                    for (w, weight) in decode_words(article.as_ref()) {
                        let hash = xxhash_rust::xxh3::xxh3_64(w.as_bytes());
                        let queue = &mut queues[table_of(hash)];
                        queue.words.push_str(w);
                        let posting = id * 4 + u32::from(weight);
                        queue.entries.push((hash, posting, queue.words.len() as u32));
                    }
                }
                queues
            })
            .collect();
        if let Some(release) = release {
            release();
        }
        tables.par_iter_mut().enumerate().for_each(|(t, table)| {
            for queues in &queued {
                let queue = &queues[t];
                let mut start = 0;
                for &(hash, posting, end) in &queue.entries {
                    add_posting(table, hash, &queue.words[start..end as usize], posting);
                    start = end as usize;
                }
            }
        });
    }
    let mut words: Vec<(Box<str>, Encoded)> = tables
        .into_par_iter()
        .flat_map_iter(|table| table.into_iter().map(|(_, w, list)| (w, list)))
        .collect();
    words.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    words
}

/// The manifest: `recent` names the recent files there are, so that the
/// script asks for no file that is not; `slots` and `recent_from` say how
/// the ids were given ([`ids::slots`], [`recent_from`]), for an update to
/// check and to find the recent block's boundary without the articles.
pub(super) fn meta_json<K: AsRef<str>, R: AsRef<str>>(layout: Layout, keys: &[K], recent: &[R]) -> Vec<u8> {
    let keys: Vec<String> = keys.iter().map(|k| json(k.as_ref())).collect();
    let recent: Vec<String> = recent.iter().map(|k| json(k.as_ref())).collect();
    let Layout {
        articles,
        slots,
        recent_from,
    } = layout;
    format!(
        "{{\"version\":{VERSION},\"articles\":{articles},\"slots\":{slots},\"recent_from\":{recent_from},\"docs_span\":{DOCS_SPAN},\"keys\":[{}],\"recent\":[{}]}}\n",
        keys.join(","),
        recent.join(",")
    )
    .into_bytes()
}

/// How an index's ids were given: its articles, the slots per day of its
/// ids ([`ids::slots`]; 0 where they are ranks, as in tests) and the first
/// id of its recent block ([`recent_from`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Layout {
    pub articles: usize,
    pub slots: u32,
    pub recent_from: u32,
}

/// The chunk files (by site-relative path below `dir`) and keys of an
/// index whose chunks hold the words of `lists` (in order; empty lists are
/// left out): the first block of articles moving into an index that had
/// no chunks ([`patch::update`]).
pub(super) fn first_chunks<'a>(
    dir: &str,
    lists: impl Iterator<Item = (&'a str, Vec<u32>)>,
) -> (BTreeMap<String, Vec<u8>>, Vec<String>) {
    let lists: Vec<(&str, Vec<u32>)> = lists.filter(|(_, list)| !list.is_empty()).collect();
    if lists.is_empty() {
        return (BTreeMap::new(), Vec::new());
    }
    let chunks = chunk_files("", &lists);
    let keys = chunks.iter().map(|(k, _)| k.clone()).collect();
    let files = chunks
        .into_iter()
        .map(|(key, bytes)| (SearchFile::Shard(shard_name(&key)).path(dir), bytes))
        .collect();
    (files, keys)
}

/// The chunk files of `words` (sorted, non-empty lists), cut by the rule,
/// the first chunk keyed `first_key`: (key, file bytes) in order.
pub(super) fn chunk_files<L: PostingList + Sync>(first_key: &str, words: &[(&str, L)]) -> Vec<(String, Vec<u8>)> {
    use rayon::prelude::*;
    let mut starts = chunk_starts(words);
    starts.push(words.len());
    starts
        .par_windows(2)
        .enumerate()
        .map(|(k, r)| {
            let key = if k == 0 { first_key } else { words[r[0]].0 };
            (key.to_string(), shard_json(&words[r[0]..r[1]]))
        })
        .collect()
}

/// Every word of a site's articles with its postings, owning its words:
/// made while the articles' encoded words are at hand, so that those (a
/// few KB an article) can go before the index files are written.
pub struct WordIndex {
    /// The articles' ids, oldest first.
    ids: Vec<u32>,
    /// Slots per day of the ids ([`ids::slots`]).
    slots: u32,
    words: Vec<(Box<str>, Encoded)>,
}

impl WordIndex {
    /// The postings of `articles` (encoded words, newest first) with
    /// their ranks, oldest first, for ids: tests of what does not depend
    /// on the ids. A build's ids come from the articles' times
    /// ([`ids::of_site`]).
    #[cfg(test)]
    pub fn of(articles: &[&[u8]]) -> WordIndex {
        let ids = (0..articles.len() as u32).collect();
        WordIndex::taking(articles.to_vec(), (0, ids), None)
    }

    /// The postings of `articles` (encoded words, newest first) with the
    /// ids `ids` (slots per day, ids oldest first: [`ids::of_site`]).
    #[cfg(test)]
    pub fn with_ids(articles: &[&[u8]], ids: (u32, Vec<u32>)) -> WordIndex {
        WordIndex::taking(articles.to_vec(), ids, None)
    }

    /// The postings of `articles` (encoded words, newest first), each
    /// dropped as soon as it is counted.
    /// `release`, when given, hands the memory freed so far back to the
    /// system, and is called after each batch of runs: the articles' words
    /// freed there would otherwise stay resident for the allocator's purge
    /// delay while the lists grow, which made the peak of a clean c100k
    /// build (712–742 MB in three runs, 658–669 MB so, for 130–230 ms of CPU).
    pub fn taking<A: AsRef<[u8]> + Send>(articles: Vec<A>, ids: (u32, Vec<u32>), release: Option<fn()>) -> WordIndex {
        let (slots, ids) = ids;
        let words = postings(articles, &ids, release);
        WordIndex { ids, slots, words }
    }
}

impl SearchData {
    /// The files of `index`; `docs[i]` is entry `i` of the site.
    pub fn of_index(dir: &str, index: WordIndex, docs: &[Doc]) -> SearchData {
        SearchData::of_index_in(RECENT_BLOCK, dir, index, docs)
    }

    /// [`SearchData::of_index`] with a recent block of `block` articles
    /// at most: 1 keeps every article in the chunks, which tests of the
    /// chunks alone use.
    pub(super) fn of_index_in(block: usize, dir: &str, index: WordIndex, docs: &[Doc]) -> SearchData {
        let n = index.ids.len();
        SearchData::of_index_with(block, dir, index, |rank| &docs[n - 1 - rank])
    }

    /// [`SearchData::of_index_in`] with `doc(rank)` giving the article of
    /// that rank (oldest first).
    fn of_index_with<D: std::borrow::Borrow<Doc>>(
        block: usize,
        dir: &str,
        index: WordIndex,
        doc: impl Fn(usize) -> D + Sync,
    ) -> SearchData {
        use rayon::prelude::*;
        let n = index.ids.len();
        let layout = Layout {
            articles: n,
            slots: index.slots,
            recent_from: recent_from(&index.ids, block),
        };
        let from = layout.recent_from * 4;
        // Each list splits where the recent block's ids start.
        let split: Vec<(lists::Head, Vec<u32>)> = index.words.par_iter().map(|(_, l)| l.split(from)).collect();
        let mut words: Vec<(&str, lists::Head)> = Vec::with_capacity(index.words.len());
        let mut recent: Vec<(&str, Vec<u32>)> = Vec::new();
        for ((w, _), (old, new)) in index.words.iter().zip(split) {
            if old.count() > 0 {
                words.push((w, old));
            }
            if !new.is_empty() {
                recent.push((w, new));
            }
        }
        let chunks = if words.is_empty() {
            Vec::new()
        } else {
            chunk_files("", &words)
        };
        let recent = recent_files(&recent);
        // The postings are in the files now.
        drop(words);
        let WordIndex { ids, .. } = index;
        let keys: Vec<&str> = chunks.iter().map(|(k, _)| k.as_str()).collect();
        let mut names: Vec<&str> = recent.iter().map(|(name, _)| name.as_str()).collect();
        // By name, as an update lists them.
        names.sort_unstable();
        let meta = meta_json(layout, &keys, &names);
        let mut files: BTreeMap<String, Vec<u8>> = chunks
            .into_iter()
            .map(|(key, bytes)| (SearchFile::Shard(shard_name(&key)).path(dir), bytes))
            .collect();
        files.extend(
            recent
                .into_iter()
                .map(|(name, bytes)| (SearchFile::Recent(name).path(dir), bytes)),
        );
        let doc_files: Vec<(String, Vec<u8>)> = docs_runs(&ids)
            .into_par_iter()
            .map(|(k, ranks)| {
                let docs = ranks.map(|r| (ids[r], doc(r)));
                (SearchFile::Docs(k).path(dir), docs_json(docs))
            })
            .collect();
        files.extend(doc_files);
        files.insert(SearchFile::Meta.path(dir), meta);
        SearchData::some_files(dir, files)
    }

    /// The index files of a site whose words are in `index`.
    pub fn for_site(s: &Scope, index: WordIndex) -> SearchData {
        use rayon::prelude::*;
        let docs: Vec<Doc> = s.index.entries.par_iter().map(|e| Doc::of(s, e)).collect();
        SearchData::of_index(&s.urls.search, index, &docs)
    }

    /// The search segment the files' paths start with.
    pub fn dir(&self) -> &str {
        &self.dir
    }

    /// The data files present.
    pub fn files(&self) -> Vec<SearchFile> {
        let dir = &self.dir;
        let meta = SearchFile::Meta.path(dir);
        let shards = format!("{dir}/shards/");
        let docs = format!("{dir}/docs/");
        let recent = format!("{dir}/recent/");
        let mut files = Vec::new();
        let paths: std::collections::BTreeSet<&String> = self.files.keys().chain(self.kept.keys()).collect();
        if paths.contains(&meta) {
            files.push(SearchFile::Meta);
        }
        for path in paths {
            if let Some(name) = path.strip_prefix(&shards).and_then(|p| p.strip_suffix(".json")) {
                files.push(SearchFile::Shard(name.to_string()));
            } else if let Some(k) = path.strip_prefix(&docs).and_then(|p| p.strip_suffix(".json")) {
                files.push(SearchFile::Docs(k.parse().expect("docs files are numbered")));
            } else if let Some(name) = path.strip_prefix(&recent).and_then(|p| p.strip_suffix(".json")) {
                files.push(SearchFile::Recent(name.to_string()));
            }
        }
        files
    }
}

#[cfg(test)]
mod tests {
    use super::patch::MetaFile;

    /// A chunk file as serde reads it, beside `splice::parse_shard`.
    #[derive(serde::Deserialize)]
    struct ShardFile {
        w: Vec<String>,
        p: Vec<Vec<u32>>,
    }
    use super::*;

    #[test]
    fn shard_names_are_safe_file_names() {
        assert_eq!(shard_name(""), "_");
        assert_eq!(shard_name("aussen"), "aussen");
        assert_eq!(shard_name("été"), "xc3a974c3a9");
        let longest: String = "\u{4e00}".repeat(MAX_WORD_CHARS);
        assert_eq!(words(&longest).count(), 1, "40 three-byte characters are a word");
        assert!(shard_name(&longest).len() + ".json".len() < 255);
        let wider: String = "\u{20000}".repeat(MAX_WORD_CHARS);
        assert_eq!(words(&wider).count(), 0, "160 bytes: no file name for it");
    }

    /// The index of `articles` with every article in the chunks: tests of
    /// the chunks alone.
    fn build(dir: &str, articles: &[&[u8]], docs: &[Doc]) -> SearchData {
        SearchData::of_index_in(1, dir, WordIndex::of(articles), docs)
    }

    fn doc(u: &str) -> Doc {
        Doc {
            url: u.into(),
            title: u.into(),
            date: String::new(),
            date_display: String::new(),
            text: String::new(),
        }
    }

    fn meta_keys(data: &SearchData) -> Vec<String> {
        let meta: MetaFile = serde_json::from_slice(&data.files["s/index.json"]).unwrap();
        meta.keys
    }

    /// Docs files patched for new titles and texts are the files of an
    /// index built with them, quotes and all; the others are not touched,
    /// and a docs file that is not the index's is refused.
    #[test]
    fn patched_docs_are_the_docs_built_with_the_change() {
        let n = 2 * DOCS_SPAN as usize + 5;
        let words: Vec<Vec<u8>> = (0..n).map(|i| ArticleWords::of(&format!("t{i}"), &[], "x").0).collect();
        let articles: Vec<&[u8]> = words.iter().map(Vec::as_slice).collect();
        let docs: Vec<Doc> = (0..n).map(|i| doc(&format!("/a{i}/"))).collect();
        let before = build("s", &articles, &docs);
        let mut changed_docs = docs.clone();
        let changes = [
            (3u32, "Neu \"zitiert\" <b>".to_string(), "Text".to_string()),
            (2 * DOCS_SPAN + 4, "Letzter".into(), String::new()),
        ];
        // Docs are given newest first; ids count from the oldest.
        for (id, title, text) in &changes {
            changed_docs[n - 1 - *id as usize].title.clone_from(title);
            changed_docs[n - 1 - *id as usize].text.clone_from(text);
        }
        let after = build("s", &articles, &changed_docs);
        let read = |rel: &str| before.files.get(rel).cloned();
        let patched = patch_docs(read, "s", &changes).unwrap();
        let names: Vec<&str> = patched.keys().map(String::as_str).collect();
        assert_eq!(names, ["s/docs/0.json", "s/docs/2.json"]);
        for (path, bytes) in &patched {
            assert_eq!(bytes, &after.files[path], "{path}");
            assert_ne!(bytes, &before.files[path], "{path}");
        }
        let broken = |rel: &str| {
            (rel != "s/docs/0.json")
                .then(|| before.files.get(rel).cloned())
                .flatten()
        };
        assert!(patch_docs(broken, "s", &changes).is_none());
        assert!(patch_docs(read, "s", &[(999, String::new(), String::new())]).is_none());
    }

    /// Articles over several runs and batches, on two threads: every
    /// word's list is what a plain map of the same words gives, in id order.
    #[test]
    fn postings_over_many_runs_equal_a_plain_count() {
        let n = RUN * 5 + 37;
        // Newest first, as the index takes them; article i (from the
        // newest) has id n - 1 - i.
        let articles: Vec<Vec<u8>> = (0..n)
            .map(|i| {
                ArticleWords::of(
                    &format!("t{}", i % 7),
                    &[],
                    &format!("w{} w{} x{i} all all", i % 13, i % 501),
                )
                .0
            })
            .collect();
        // Ids with gaps, as the articles' times give them (oldest first).
        let ids: Vec<u32> = (0..n as u32).map(|r| r * 3 + r % 2).collect();
        let mut expected: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
        for (i, article) in articles.iter().enumerate().rev() {
            let id = ids[n - 1 - i];
            for (w, weight) in decode_words(article) {
                expected
                    .entry(w.to_string())
                    .or_default()
                    .push(id * 4 + u32::from(weight));
            }
        }
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let got = pool.install(|| postings(articles, &ids, None));
        let got: Vec<(String, Vec<u32>)> = got.into_iter().map(|(w, l)| (w.into(), l.values().collect())).collect();
        let expected: Vec<(String, Vec<u32>)> = expected.into_iter().collect();
        assert_eq!(got.len(), expected.len());
        assert!(got.len() > n, "{} words", got.len());
        assert_eq!(got, expected);
    }

    #[test]
    fn postings_drop_each_article_once_its_words_are_counted() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static LIVE: AtomicUsize = AtomicUsize::new(0);
        static LIVE_AT_NEWEST: AtomicUsize = AtomicUsize::new(0);
        struct Tracked(Vec<u8>, bool);
        impl AsRef<[u8]> for Tracked {
            fn as_ref(&self) -> &[u8] {
                if self.1 {
                    LIVE_AT_NEWEST.store(LIVE.load(Ordering::SeqCst), Ordering::SeqCst);
                }
                &self.0
            }
        }
        impl Drop for Tracked {
            fn drop(&mut self) {
                LIVE.fetch_sub(1, Ordering::SeqCst);
            }
        }
        let n = 64;
        let words = ArticleWords::of("Titel", &[], "wort");
        let articles: Vec<Tracked> = (0..n)
            .map(|i| {
                LIVE.fetch_add(1, Ordering::SeqCst);
                Tracked(words.0.clone(), i == 0)
            })
            .collect();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let index = pool.install(|| WordIndex::taking(articles, (0, (0..n as u32).collect()), None));
        // One thread counts the four runs in order, and the newest article
        // last: the others are gone by then, those of its own run too.
        let live = LIVE_AT_NEWEST.load(Ordering::SeqCst);
        assert!(live < n / 4, "{live} of {n} articles still held");
        assert_eq!(LIVE.load(Ordering::SeqCst), 0);
        let titel = index.words.iter().find(|(w, _)| &**w == "titel").unwrap();
        assert_eq!(titel.1.len(), n);
    }

    #[test]
    fn postings_are_sorted_weighted_and_delta_encoded() {
        let new = ArticleWords::of("Neu", &[], "wort wort");
        let old = ArticleWords::of("Alt", &[], "wort");
        let data = build("s", &[&new.0, &old.0], &[doc("/n/"), doc("/o/")]);
        assert_eq!(meta_keys(&data), [""], "three words: one chunk");
        let shard = String::from_utf8(data.files["s/shards/_.json"].clone()).unwrap();
        // alt: old (id 0) in the title; neu: new (id 1) in the title; wort:
        // once in old (0 * 4 + 0), twice in new (1 * 4 + 1).
        assert_eq!(shard, "{\"w\":[\"alt\",\"neu\",\"wort\"],\"p\":[[3],[7],[0,5]]}\n");
        let docs = String::from_utf8(data.files["s/docs/0.json"].clone()).unwrap();
        assert!(docs.find("/o/").unwrap() < docs.find("/n/").unwrap(), "oldest is id 0");
        assert_eq!(data.files().len(), 1 + 1 + 1, "meta, one chunk, docs");
    }

    /// A word whose hash starts a chunk, and one that does not, among
    /// `w<k>`-like words (found by trying, so the test does not depend on
    /// the hash's values).
    fn cut_word(cut: bool, prefix: &str) -> String {
        (0..100_000)
            .map(|k| format!("{prefix}{k}"))
            .find(|w| starts_chunk(w, 1, 1) == cut)
            .unwrap()
    }

    /// BIG_WORD articles of four rare words each and `haeufig`, and the
    /// oldest, `einmal`: 2 002 words, one of them frequent.
    fn rare_words_and_a_frequent_one() -> (Vec<Vec<u8>>, Vec<Doc>) {
        let mut articles: Vec<Vec<u8>> = (0..BIG_WORD)
            .map(|k| {
                let words: String = (0..4).map(|j| format!("r{} ", k * 4 + j)).collect();
                ArticleWords::of("", &[], &format!("{words} haeufig")).0
            })
            .collect();
        articles.push(ArticleWords::of("", &[], "einmal").0);
        let docs = (0..articles.len()).map(|k| doc(&format!("/{k}/"))).collect();
        (articles, docs)
    }

    #[test]
    fn chunks_are_cut_by_hash_and_frequent_words_stand_alone() {
        let (articles, docs) = rare_words_and_a_frequent_one();
        let refs: Vec<&[u8]> = articles.iter().map(Vec::as_slice).collect();
        let data = build("s", &refs, &docs);
        let keys = meta_keys(&data);
        assert!(keys.len() > 5, "{} chunks for 2 002 words", keys.len());
        assert!(keys.windows(2).all(|k| k[0] < k[1]));
        let mut seen = 0;
        for key in &keys {
            let file: ShardFile =
                serde_json::from_slice(&data.files[&SearchFile::Shard(shard_name(key)).path("s")]).unwrap();
            if !key.is_empty() {
                assert_eq!(&file.w[0], key, "a chunk is keyed by its first word");
            }
            if file.w.contains(&"haeufig".to_string()) {
                assert_eq!(file.w, ["haeufig"], "a frequent word has its chunk to itself");
            }
            seen += file.w.len();
        }
        assert_eq!(seen, 2 + 4 * BIG_WORD);
        assert_eq!(
            data.files().len(),
            1 + keys.len() + refs.len().div_ceil(DOCS_SPAN as usize)
        );
    }

    /// The change from the site of articles `before` (indexes into `words`,
    /// oldest first) with ids `ids_before` to `after` with `ids_after`:
    /// every id whose article differs.
    fn change_between<'a>(
        words: &'a [impl AsRef<[u8]>],
        (before, ids_before): (&[usize], &'a [u32]),
        (after, ids_after): (&[usize], &'a [u32]),
    ) -> IndexChange<'a> {
        let old: BTreeMap<u32, usize> = ids_before.iter().copied().zip(before.iter().copied()).collect();
        let new: BTreeMap<u32, usize> = ids_after.iter().copied().zip(after.iter().copied()).collect();
        let mut change = IndexChange {
            words: Vec::new(),
            docs: Vec::new(),
            before: ids_before,
            after: ids_after,
            slots: 0,
        };
        let every: std::collections::BTreeSet<u32> = old.keys().chain(new.keys()).copied().collect();
        for id in every {
            let (old, new) = (old.get(&id), new.get(&id));
            if old != new {
                change.words.push(WordChange {
                    id,
                    old: old.map_or(&[], |&i| words[i].as_ref()),
                    new: new.map_or(&[], |&i| words[i].as_ref()),
                });
                change.docs.extend(new.map(|_| id));
            }
        }
        change
    }

    /// Ranks as ids: `0..n`.
    /// `n` articles (words and docs), oldest first: each with a word of
    /// its own, one word all share, and one of `kinds` that every
    /// `kinds`th shares.
    fn numbered(n: usize, kinds: usize) -> (Vec<ArticleWords>, Vec<Doc>) {
        let words = (0..n)
            .map(|i| {
                ArticleWords::of(
                    &format!("Titel{i}"),
                    &[],
                    &format!("eigen{i} gemeinsam wort{}", i % kinds),
                )
            })
            .collect();
        (words, (0..n).map(|i| doc(&format!("/{i}/"))).collect())
    }

    /// The articles of `words` (ids `after` now) that one added at `k`
    /// moves from the chunks to the recent files: those between the
    /// block's start now and before it came (`before`: the others' ids).
    fn crossing<'a>(words: &'a [ArticleWords], k: usize, after: &[u32], before: &[u32]) -> Vec<(u32, &'a [u8])> {
        let (from, from_old) = (recent_start(after), recent_start(before));
        (0..words.len())
            .filter(|&i| i != k && (from..from_old).contains(&after[i]))
            .map(|i| (after[i], words[i].0.as_slice()))
            .collect()
    }

    /// The index of the articles `kept` (oldest first) of `words` and
    /// `docs`, with slots per day and ids `ids`.
    fn index_of((words, docs): (&[ArticleWords], &[Doc]), kept: &[usize], ids: (u32, Vec<u32>)) -> SearchData {
        let w: Vec<&[u8]> = kept.iter().rev().map(|&i| words[i].0.as_slice()).collect();
        let d: Vec<Doc> = kept.iter().rev().map(|&i| docs[i].clone()).collect();
        SearchData::of_index("s", WordIndex::with_ids(&w, ids), &d)
    }

    /// [`add_one`] on the files of `before` (in the folder `s`), each
    /// recorded with its length as its signature.
    fn added_to(
        before: &SearchData,
        (words, doc): (&[u8], &Doc),
        (k, crossing): (usize, &[(u32, &[u8])]),
        pushed: &[Push],
        ids: (u32, &[u32]),
    ) -> Option<SearchData> {
        let read = |rel: &str| before.files.get(rel).cloned();
        let signature = |rel: &str| before.files.get(rel).map(|b| b.len() as u128);
        add_one(read, "s", (words, doc.clone()), (k, crossing), pushed, ids, signature)
    }

    /// [`remove_one`] on the files of `before`, as [`added_to`].
    fn removed_from(
        before: &SearchData,
        words: &[u8],
        moves: (usize, &[Push]),
        ids: (u32, &[u32]),
    ) -> Option<SearchData> {
        let read = |rel: &str| before.files.get(rel).cloned();
        let signature = |rel: &str| before.files.get(rel).map(|b| b.len() as u128);
        remove_one(read, "s", words, moves, ids, signature)
    }

    fn dense(n: usize) -> Vec<u32> {
        (0..n as u32).collect()
    }

    /// Ids as times give them to the articles `list` (oldest first), when
    /// article `k` was written at time `10 * k`: an article out of that
    /// order (re-dated) takes the id after the one before it, and no
    /// other moves ([`ids::assign`]).
    fn stable(list: &[usize]) -> Vec<u32> {
        let mut prev: Option<u32> = None;
        list.iter()
            .map(|&k| {
                let id = prev.map_or(10 * k as u32, |p| (10 * k as u32).max(p + 1));
                prev = Some(id);
                id
            })
            .collect()
    }

    fn same_as_clean(before: &SearchData, changes: &[WordChange], after: &[&[u8]], docs: &[Doc]) -> SearchData {
        let read = |rel: &str| before.files.get(rel).cloned();
        let patched = patch_in(read, "s", changes).expect("patched");
        let clean = build("s", after, docs);
        for (rel, bytes) in &patched.files {
            assert_eq!(Some(bytes), clean.files.get(rel), "{rel}");
        }
        for (rel, bytes) in &clean.files {
            if !patched.files.contains_key(rel) {
                assert_eq!(Some(bytes), before.files.get(rel), "{rel} unchanged");
            }
        }
        // The files gone are exactly those a clean build no longer makes.
        let gone: Vec<&String> = before
            .files
            .keys()
            .filter(|rel| !clean.files.contains_key(*rel))
            .collect();
        assert_eq!(patched.gone.iter().collect::<Vec<_>>(), gone, "gone");
        patched
    }

    /// `made` (an index brought up to date from `before`, whose files'
    /// signatures are their lengths) writes what `clean` has and keeps the
    /// rest, which `clean` has unchanged: the files of a clean build, no more.
    fn writes_the_clean_files_and_keeps_the_rest(
        made: &SearchData,
        before: &SearchData,
        clean: &SearchData,
        what: &str,
    ) {
        for (rel, bytes) in &made.files {
            assert_eq!(Some(bytes), clean.files.get(rel), "{rel} {what}");
        }
        for rel in clean.files.keys().filter(|rel| !made.files.contains_key(*rel)) {
            assert_eq!(
                made.kept.get(rel),
                Some(&(before.files[rel].len() as u128)),
                "{rel} kept, {what}"
            );
            assert_eq!(before.files[rel], clean.files[rel], "{rel} kept but changed, {what}");
        }
        assert_eq!(
            made.files(),
            clean.files(),
            "the files of a clean build, no more, {what}"
        );
        // And those of the build before that a clean build does not make
        // are listed as gone, for a build that deletes only what it is told.
        let mut gone: Vec<&String> = made.gone.iter().collect();
        gone.sort();
        let not_made: Vec<&String> = before
            .files
            .keys()
            .filter(|rel| !clean.files.contains_key(*rel))
            .collect();
        assert_eq!(gone, not_made, "the files gone, {what}");
    }

    /// A new newest article, from its files alone (`pipeline::edits`): the
    /// docs of the file it joins read back from it, in the middle of a docs
    /// file, at its end and starting the next, with ranks as ids and with
    /// ids that leave gaps; the files written are the clean build's, the
    /// rest are kept. And the newest article taken out again, the inverse:
    /// the clean build's files without it, the docs file it alone was in
    /// gone; taking out the article that filled the recent block moves the
    /// block back out of the chunks, which no update does (the build then
    /// makes the index whole).
    #[test]
    fn the_newest_article_added_or_taken_out_gives_what_a_clean_build_writes() {
        let span = DOCS_SPAN as usize;
        let words: Vec<ArticleWords> = (0..span + 4)
            .map(|i| ArticleWords::of(&format!("Titel{i}"), &[], &format!("eigen{i} gemeinsam wort{}", i % 3)))
            .collect();
        let docs: Vec<Doc> = (0..words.len()).map(|i| doc(&format!("/{i}/"))).collect();
        for ids in [dense(words.len()), stable(&(0..words.len()).collect::<Vec<_>>())] {
            for n in [1, 3, 10, RECENT_BLOCK - 1, span - 1, span, span + 3] {
                // The index's words newest first.
                let site = |n: usize| {
                    let w: Vec<&[u8]> = words[..n].iter().rev().map(|w| w.0.as_slice()).collect();
                    let d: Vec<Doc> = docs[..n].iter().rev().cloned().collect();
                    SearchData::of_index("s", WordIndex::with_ids(&w, (0, ids[..n].to_vec())), &d)
                };
                let (without, with) = (site(n), site(n + 1));
                let what = format!("{n} articles and one more, ids {:?}", &ids[..2]);
                let added = added_to(&without, (&words[n].0, &docs[n]), (n, &[]), &[], (0, &ids[..=n])).unwrap();
                writes_the_clean_files_and_keeps_the_rest(&added, &without, &with, &format!("added: {what}"));
                let removed = removed_from(&with, &words[n].0, (n, &[]), (0, &ids[..=n]));
                if (n + 1) % RECENT_BLOCK == 0 {
                    assert!(removed.is_none(), "{what}: the block moves out of the chunks");
                    continue;
                }
                let removed = removed.unwrap();
                writes_the_clean_files_and_keeps_the_rest(&removed, &with, &without, &format!("taken out: {what}"));
                // Its own word went with it, and the chunk or recent file it made.
                let own = format!("eigen{n}");
                assert!(
                    removed
                        .files
                        .values()
                        .all(|b| !String::from_utf8_lossy(b).contains(&own)),
                    "{what}"
                );
            }
        }
    }

    /// A new article dated among older ones, from its files alone: the
    /// recent block starts a number of articles from the oldest, so it
    /// starts one article lower and that article's postings leave the
    /// chunks (`crossing`); inserted in the chunks' range, in the recent
    /// block, at the oldest, the files written are the clean build's.
    #[test]
    fn an_article_added_among_older_ones_gives_what_a_clean_build_writes() {
        let n = 2 * RECENT_BLOCK + 10;
        let (words, docs) = numbered(n, 7);
        // Ids with room between them, as times leave it.
        let ids: Vec<u32> = (0..n as u32).map(|i| i * 3).collect();
        let site = |without: Option<usize>| {
            let kept: Vec<usize> = (0..n).filter(|&i| Some(i) != without).collect();
            index_of((&words, &docs), &kept, (0, kept.iter().map(|&i| ids[i]).collect()))
        };
        let clean = site(None);
        for k in [0, 7, RECENT_BLOCK + 3, n - 5] {
            let before = site(Some(k));
            let others: Vec<u32> = ids
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != k)
                .map(|(_, &id)| id)
                .collect();
            let crossing = crossing(&words, k, &ids, &others);
            // One inserted below the block's start moves it; one inside does not.
            let below = k < n - n % RECENT_BLOCK;
            assert_eq!(crossing.len(), usize::from(below), "inserted at {k}");
            let added = added_to(&before, (&words[k].0, &docs[k]), (k, &crossing), &[], (0, &ids));
            let what = format!("inserted at {k} of {n}");
            writes_the_clean_files_and_keeps_the_rest(&added.expect("updated"), &before, &clean, &what);
            // Without the crossing article's words the update cannot tell
            // where its postings go.
            let without = added_to(&before, (&words[k].0, &docs[k]), (k, &[]), &[], (0, &ids));
            assert_eq!(without.is_none(), below, "{what}");
        }
    }

    /// A new article that takes the slot of the article after it pushes on
    /// that one's id and those of the next ones in the slot's run
    /// ([`ids::assign`]): with them moved (`pushed`: id before, id now,
    /// words), the files written are the clean build's — inserted in the
    /// chunks' range, in the recent block, and where the pushed articles
    /// reach the block's start; and taken out again, with their ids let
    /// back, the files before it came. Moves that do not follow from the
    /// ids give none.
    #[test]
    fn an_article_that_pushes_on_the_next_ids_or_lets_them_back_gives_what_a_clean_build_writes() {
        let n = 2 * RECENT_BLOCK + 10;
        let (words, docs) = numbered(n, 5);
        // Four articles a day, every tenth day, one slot a day: each day's
        // articles share a run of ids.
        let minutes: Vec<u64> = (0..n as u64)
            .map(|i| ((i / 4) * 10 * 1440 + (i % 4) * 60) * ids::PER_MINUTE)
            .collect();
        let site = |kept: &[usize]| {
            let ids = ids::assign(kept.iter().map(|&i| minutes[i]), 1);
            (index_of((&words, &docs), kept, (1, ids.clone())), ids)
        };
        let (clean, after) = site(&(0..n).collect::<Vec<_>>());
        for k in [1, 21, RECENT_BLOCK + 1, n - n % RECENT_BLOCK - 3, n - 9] {
            let (before, ids_before) = site(&(0..n).filter(|&i| i != k).collect::<Vec<_>>());
            let pushed: Vec<Push> = (k + 1..n)
                .filter(|&i| ids_before[i - 1] != after[i])
                .map(|i| (ids_before[i - 1], after[i], words[i].0.as_slice()))
                .collect();
            let what = format!("inserted at {k} of {n}");
            assert_eq!(pushed.len(), 2, "{what}: the rest of its day");
            let crossing = crossing(&words, k, &after, &ids_before);
            let added = added_to(&before, (&words[k].0, &docs[k]), (k, &crossing), &pushed, (1, &after));
            writes_the_clean_files_and_keeps_the_rest(&added.expect("updated"), &before, &clean, &what);
            // Ids now that do not follow from those before and the pushes.
            let unpushed = added_to(
                &before,
                (&words[k].0, &docs[k]),
                (k, &crossing),
                &pushed[1..],
                (1, &after),
            );
            assert!(unpushed.is_none(), "{what}");
            // Taken out again, the articles it pushed on take back their ids.
            let let_back: Vec<Push> = pushed.iter().map(|&(old, new, w)| (new, old, w)).collect();
            let removed = removed_from(&clean, &words[k].0, (k, &let_back), (1, &after));
            writes_the_clean_files_and_keeps_the_rest(&removed.expect("updated"), &clean, &before, &what);
            let kept_ids = removed_from(&clean, &words[k].0, (k, &let_back[1..]), (1, &after));
            assert!(kept_ids.is_none(), "{what}");
        }
    }

    /// The article that fills the recent block moves the block into the
    /// chunks, and the recent files go: the update lists them as gone (the
    /// edit path deletes them; the ordinary rebuild finds them missing from
    /// its outputs), added as the newest or counted again.
    #[test]
    fn a_new_newest_article_that_empties_the_recent_block_lists_its_files_as_gone() {
        // A block in the chunks, and one but an article in recent files.
        let words: Vec<ArticleWords> = (0..2 * RECENT_BLOCK)
            .map(|i| ArticleWords::of(&format!("Titel{i}"), &[], &format!("eigen{i} gemeinsam")))
            .collect();
        let docs: Vec<Doc> = (0..words.len()).map(|i| doc(&format!("/{i}/"))).collect();
        let site = |n: usize| {
            let w: Vec<&[u8]> = words[..n].iter().rev().map(|w| w.0.as_slice()).collect();
            let d: Vec<Doc> = docs[..n].iter().rev().cloned().collect();
            SearchData::of_index("s", WordIndex::of(&w), &d)
        };
        let n = 2 * RECENT_BLOCK - 1;
        let (before, clean) = (site(n), site(n + 1));
        let recent = |data: &SearchData| data.files.keys().filter(|f| f.starts_with("s/recent/")).count();
        assert!(recent(&before) > 0 && recent(&clean) == 0);
        let read = |rel: &str| before.files.get(rel).cloned();
        let signature = |rel: &str| before.files.get(rel).map(|b| b.len() as u128);
        let ids = dense(n + 1);
        let added = added_to(&before, (&words[n].0, &docs[n]), (ids.len() - 1, &[]), &[], (0, &ids)).unwrap();
        writes_the_clean_files_and_keeps_the_rest(&added, &before, &clean, "the block moved, added");
        assert_eq!(added.gone.len(), recent(&before));
        let change = IndexChange {
            words: vec![WordChange {
                id: n as u32,
                old: &[],
                new: &words[n].0,
            }],
            docs: vec![n as u32],
            before: &ids[..n],
            after: &ids,
            slots: 0,
        };
        let updated = update(read, "s", &change, |id| &docs[id as usize], signature).unwrap();
        writes_the_clean_files_and_keeps_the_rest(&updated, &before, &clean, "the block moved");
    }

    /// An article moved among others by a new date, from its files alone
    /// (`pipeline::edits`): later and earlier, across a docs file's end,
    /// in place, and pushing on the article whose id it takes; with the run
    /// in the recent block and in the chunks. Only the moved articles'
    /// postings and docs change; the files written are the clean build's,
    /// the rest are kept.
    #[test]
    fn a_moved_article_gives_what_a_clean_build_writes() {
        let span = DOCS_SPAN as usize;
        let n = span / 2 + 4;
        let (words, docs) = numbered(n, 3);
        let new_doc = doc("/neu/");
        let all: Vec<usize> = (0..n).collect();
        // Article k at time 10 k: ids 0, 10, 20, ... (a docs file ends past 12).
        let ids_before = stable(&all);
        for block in [RECENT_BLOCK, 1] {
            let site = |list: &[usize], ids: &[u32], moved: Option<usize>| {
                let w: Vec<&[u8]> = list.iter().rev().map(|&k| words[k].0.as_slice()).collect();
                let d: Vec<Doc> = list
                    .iter()
                    .rev()
                    .map(|&k| {
                        if Some(k) == moved {
                            new_doc.clone()
                        } else {
                            docs[k].clone()
                        }
                    })
                    .collect();
                SearchData::of_index_in(block, "s", WordIndex::with_ids(&w, (0, ids.to_vec())), &d)
            };
            let before = site(&all, &ids_before, None);
            // (article, its rank now, its id now, the article pushed on by one).
            for (k, to, id, pushed) in [
                (2, 5, 55, None),
                (5, 2, 15, None),
                (2, 4, 50, Some(5)),
                (3, 3, 31, None),
                // From docs file 0 (ids below DOCS_SPAN) into file 1.
                (11, 14, 145, None),
            ] {
                let mut list = all.clone();
                list.remove(k);
                list.insert(to, k);
                let mut ids_after = ids_before.clone();
                ids_after.remove(k);
                ids_after.insert(to, id);
                let mut moves = vec![(ids_before[k], id, words[k].0.as_slice())];
                if let Some(p) = pushed {
                    ids_after[to + 1] += 1;
                    moves.push((ids_before[p], ids_before[p] + 1, words[p].0.as_slice()));
                }
                let clean = site(&list, &ids_after, Some(k));
                let m = Moved {
                    moves,
                    doc: (id, new_doc.clone()),
                    before: &ids_before,
                    after: &ids_after,
                    slots: 0,
                };
                let read = |rel: &str| before.files.get(rel).cloned();
                let signature = |rel: &str| before.files.get(rel).map(|b| b.len() as u128);
                let what = format!("block {block}, article {k} to {to}");
                let made = moved_in(block, read, "s", &m, signature).unwrap();
                writes_the_clean_files_and_keeps_the_rest(&made, &before, &clean, &what);
                // Below the recent block, with its boundary where it was:
                // the chunks are spliced, not re-cut.
                let (docs, change) = patch::moved_change(&read, "s", &m).unwrap();
                let spliced = splice::moved(block, &read, "s", (&m, &change), |id| &docs[&id], signature);
                assert_eq!(
                    spliced.as_ref().map(|d| (&d.files, &d.kept, &d.gone)),
                    Some((&made.files, &made.kept, &made.gone)),
                    "{what}: spliced"
                );
                // Of the docs files, only those the moved articles leave
                // and join: the articles between keep their ids.
                let docs_written: Vec<usize> = made
                    .files
                    .keys()
                    .filter_map(|p| p.strip_prefix("s/docs/")?.strip_suffix(".json")?.parse().ok())
                    .collect();
                let reached: Vec<usize> = m
                    .moves
                    .iter()
                    .flat_map(|&(old, new, _)| [ids::docs_file(old), ids::docs_file(new)])
                    .collect();
                assert!(
                    !docs_written.is_empty() && docs_written.iter().all(|k| reached.contains(k)),
                    "{what}: {docs_written:?}"
                );
            }
        }
    }

    /// Every change an ordinary rebuild meets: an article's words and
    /// title changed, one moved (ids shift), the newest added, articles
    /// added past a docs file's end; each brought-up-to-date index holds
    /// exactly the clean build's files, and keeps what it does not write.
    #[test]
    fn an_update_writes_what_a_clean_build_writes_and_keeps_the_rest() {
        // Two hundred words of its own per article (sorted together, so in a
        // few of the index's chunks), one shared by all.
        let span = DOCS_SPAN as usize;
        let words: Vec<ArticleWords> = (0..span + 3)
            .map(|i| {
                let own: Vec<String> = (0..200).map(|j| format!("w{i}x{j}")).collect();
                ArticleWords::of(&format!("w{i}x0"), &[], &format!("{} gemeinsam", own.join(" ")))
            })
            .collect();
        let docs: Vec<Doc> = (0..words.len()).map(|i| doc(&format!("/{i}/"))).collect();
        // Entries are newest first; `take(n)` of the reversed lists is the n oldest.
        let site = |ids: &[usize]| -> (Vec<&[u8]>, Vec<Doc>) {
            let w = ids.iter().rev().map(|&i| &words[i].0[..]).collect();
            let d = ids.iter().rev().map(|&i| docs[i].clone()).collect();
            (w, d)
        };
        let edited = ArticleWords::of("Ganz neu", &[], "anders");
        let cases: Vec<(Vec<usize>, Vec<usize>)> = vec![
            // The newest article added.
            ((0..10).collect(), (0..11).collect()),
            // Articles added past the end of the first docs file.
            ((0..span - 1).collect(), (0..span + 2).collect()),
            // An article moved from rank 2 to rank 6: ranks 2..=6 change
            // their articles, ids that times give only its own.
            ((0..10).collect(), vec![0, 1, 3, 4, 5, 6, 2, 7, 8, 9]),
            // An article added inside the archive, one removed there.
            ((0..10).collect(), vec![0, 1, 2, 3, 11, 4, 5, 6, 7, 8, 9]),
            ((0..10).collect(), vec![0, 1, 2, 4, 5, 6, 7, 8, 9]),
            // The newest article removed (its shards go).
            ((0..11).collect(), (0..10).collect()),
            // Fewer docs files than before.
            ((0..span + 1).collect(), (0..span).collect()),
        ];
        // Every article in the chunks, the newest in recent files (the
        // block moves in the second case), every article in recent files.
        let ranks = |list: &[usize]| dense(list.len());
        type IdsOf<'a> = &'a dyn Fn(&[usize]) -> Vec<u32>;
        let schemes: [(&str, IdsOf); 2] = [("ranks", &ranks), ("times", &stable)];
        let every = [1, 4, 64].into_iter().flat_map(|b| cases.iter().map(move |c| (b, c)));
        for ((block, (before_ids, after_ids)), (scheme, id_of)) in every.flat_map(|c| schemes.map(|s| (c, s))) {
            let build = |w: &[&[u8]], d: &[Doc], ids: Vec<u32>| {
                SearchData::of_index_in(block, "s", WordIndex::with_ids(w, (0, ids)), d)
            };
            let (ib, ia) = (id_of(before_ids), id_of(after_ids));
            let (bw, bd) = site(before_ids);
            let before = build(&bw, &bd, ib.clone());
            let (aw, ad) = site(after_ids);
            let clean = build(&aw, &ad, ia.clone());
            let encoded: Vec<&[u8]> = words.iter().map(|w| w.0.as_slice()).collect();
            let change = change_between(&encoded, (before_ids, &ib), (after_ids, &ia));
            let read = |rel: &str| before.files.get(rel).cloned();
            let signature = |rel: &str| before.files.get(rel).map(|b| b.len() as u128);
            let doc_of = |id: u32| &docs[after_ids[ia.binary_search(&id).unwrap()]];
            let what = format!("block {block}, {scheme}, {before_ids:?} -> {after_ids:?}");
            let updated = update_in(block, read, "s", &change, doc_of, signature).expect(&what);
            writes_the_clean_files_and_keeps_the_rest(&updated, &before, &clean, &what);
            // (With every article in two recent files, `w` and `g`, each
            // change reaches all of the index.)
            assert!(
                block == 64 || updated.files.len() < clean.files.len(),
                "only what changed is written: {:?} of {:?}",
                updated.files.keys(),
                clean.files.keys()
            );
        }
        // An edit of article 3's words and title rewrites the chunks of the
        // words it lost and gained, its docs file and the index file only.
        let block = 1;
        let list: Vec<usize> = (0..10).collect();
        let ids = dense(10);
        let (bw, bd) = site(&list);
        let before = build("s", &bw, &bd);
        let mut aw = bw.clone();
        aw[9 - 3] = &edited.0;
        let clean = build("s", &aw, &bd);
        let change = IndexChange {
            words: vec![WordChange {
                id: 3,
                old: &words[3].0,
                new: &edited.0,
            }],
            docs: vec![3],
            before: &ids,
            after: &ids,
            slots: 0,
        };
        let read = |rel: &str| before.files.get(rel).cloned();
        let updated = update_in(block, read, "s", &change, |id| &docs[id as usize], |_| Some(1)).unwrap();
        assert_eq!(updated.files(), clean.files());
        for (rel, bytes) in &updated.files {
            assert_eq!(Some(bytes), clean.files.get(rel), "{rel}");
        }
        for rel in updated.kept.keys() {
            assert_eq!(before.files[rel], clean.files[rel], "{rel} kept but changed");
        }
        assert!(
            updated.files.len() * 2 < clean.files.len(),
            "{:?}",
            updated.files.keys()
        );
        // A file to keep that the previous build did not record: made whole.
        assert!(update_in(block, read, "s", &change, |id| &docs[id as usize], |_| None).is_none());
    }

    /// Articles added one by one, so that the recent block fills, moves
    /// into the chunks and fills again, with an older or a recent article
    /// edited on the way and, every third step, the newest one removed
    /// again (and when the block is full, an older one, so that the
    /// boundary moves down): each index brought up to date from the one before is what a
    /// clean build writes, and a new article that does not complete the
    /// block writes no chunk.
    #[test]
    fn the_recent_block_fills_and_moves_like_a_clean_build() {
        let block = 8;
        let seed = std::cell::Cell::new(7u64);
        let next = |n: usize| {
            seed.set(
                seed.get()
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407),
            );
            (seed.get() >> 33) as usize % n
        };
        // Words with first characters of one and of several bytes, the
        // low ones frequent.
        let vocabulary: Vec<String> = (0..300)
            .map(|k| match k % 4 {
                0 => format!("élan{k}"),
                1 => format!("日本{k}"),
                _ => format!("w{k}"),
            })
            .collect();
        let article = |tag: usize| {
            let words: Vec<&str> = (0..20).map(|_| vocabulary[next(300).min(next(300))].as_str()).collect();
            ArticleWords::of(&format!("t{tag}"), &[], &words.join(" ")).0
        };
        let mut articles: Vec<Vec<u8>> = Vec::new();
        let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let mut ids: Vec<usize> = Vec::new();
        let (mut whole, mut updated_count) = (0, 0);
        for step in 0..44 {
            let mut after_ids = ids.clone();
            articles.push(article(step));
            after_ids.push(articles.len() - 1);
            let n0 = ids.len();
            let boundary = |n: usize| n - n % block;
            let from_old = boundary(n0);
            if step % 5 == 3 || (n0 + 1) % block == 0 && n0 > from_old {
                // An edit: a new text for an older or a recent article; when
                // the new article completes the block, for one it moves.
                articles.push(article(1000 + step));
                let at = match (n0 + 1) % block {
                    0 => from_old + next(n0 - from_old),
                    _ => next(n0),
                };
                // Half of the time it keeps its words and changes one.
                if step % 2 == 0 {
                    let kept = ArticleWords::of(
                        &format!("t{step}"),
                        &[],
                        &format!(
                            "{} neu",
                            decode_words(&articles[ids[at]])
                                .map(|(w, _)| w)
                                .collect::<Vec<_>>()
                                .join(" ")
                        ),
                    )
                    .0;
                    *articles.last_mut().unwrap() = kept;
                }
                after_ids[at] = articles.len() - 1;
            }
            let removal = step % 3 == 2;
            // An older article removed when the block is full: every id from
            // it on shifts, the block's boundary moves down.
            let older_removed = (n0 % block == 0 && n0 >= 2 * block).then(|| {
                let mut fewer = ids.clone();
                fewer.remove(2);
                fewer
            });
            let variants = [Some(after_ids.clone()), removal.then_some(ids.clone()), older_removed];
            for after_ids in variants.into_iter().flatten() {
                let docs: Vec<Doc> = after_ids.iter().rev().map(|&i| doc(&format!("/{i}/"))).collect();
                let words: Vec<&[u8]> = after_ids.iter().rev().map(|&i| &articles[i][..]).collect();
                let clean = SearchData::of_index_in(block, "s", WordIndex::of(&words), &docs);
                let (n0, n1) = (ids.len(), after_ids.len());
                let (dense0, dense1) = (dense(n0), dense(n1));
                let change = change_between(&articles, (&ids, &dense0), (&after_ids, &dense1));
                let read = |rel: &str| files.get(rel).cloned();
                let signature = |rel: &str| files.get(rel).map(|b| b.len() as u128);
                let doc_of = |id: u32| docs[n1 - 1 - id as usize].clone();
                let Some(updated) = update_in(block, read, "s", &change, doc_of, signature) else {
                    // Made whole: the first build; the first block, with no
                    // chunks to move into; a boundary moving down past
                    // articles that did not change (their words are not known).
                    let unknown =
                        (boundary(n1)..boundary(n0)).any(|id| !change.words.iter().any(|c| c.id as usize == id));
                    assert!(
                        n0 == 0 || n0 < block && n1 >= block || unknown,
                        "step {step}: {n0} -> {n1} made whole"
                    );
                    whole += 1;
                    ids = after_ids;
                    files = clean.files;
                    continue;
                };
                updated_count += 1;
                assert_eq!(updated.files(), clean.files(), "step {step}: {n0} -> {n1}");
                for (rel, bytes) in &clean.files {
                    let now = updated.files.get(rel).or_else(|| files.get(rel));
                    assert_eq!(now, Some(bytes), "step {step}: {n0} -> {n1}: {rel}");
                }
                let same_block = boundary(n0) == boundary(n1);
                if same_block && change.words.iter().all(|c| c.id as usize >= boundary(n1)) {
                    assert!(
                        updated.files.keys().all(|rel| !rel.starts_with("s/shards/")),
                        "step {step}: {:?}",
                        updated.files.keys()
                    );
                }
                ids = after_ids;
                files = clean.files;
            }
        }
        assert!(
            whole <= 8 && updated_count > 50,
            "{whole} made whole, {updated_count} updated"
        );
        assert!(
            files.keys().any(|f| f.starts_with("s/recent/x")),
            "a first character of several bytes"
        );
    }

    #[test]
    fn a_patch_writes_what_a_clean_build_writes() {
        let a = ArticleWords::of("Neu", &[], "wort welt");
        let b = ArticleWords::of("Alt", &[], "wort");
        let docs = [doc("/n/"), doc("/o/")];
        let before = build("s", &[&a.0, &b.0], &docs);
        // "Alt" (id 0) now says "Welt" and "Zeit", and "wort" in its title.
        let b2 = ArticleWords::of("Alt Wort", &[], "welt zeit");
        fn change<'a>(old: &'a ArticleWords, new: &'a ArticleWords) -> WordChange<'a> {
            WordChange {
                id: 0,
                old: &old.0,
                new: &new.0,
            }
        }
        let patched = same_as_clean(&before, &[change(&b, &b2)], &[&a.0, &b2.0], &docs);
        assert_eq!(patched.files.keys().collect::<Vec<_>>(), ["s/shards/_.json"]);
        // A word that starts a chunk splits one: a new file and new keys.
        let cut = cut_word(true, "welt");
        let b3 = ArticleWords::of("Alt", &[], &format!("wort {cut}"));
        let patched = same_as_clean(&before, &[change(&b, &b3)], &[&a.0, &b3.0], &docs);
        let cut_file = format!("s/shards/{cut}.json");
        assert_eq!(
            patched.files.keys().collect::<Vec<_>>(),
            ["s/index.json", "s/shards/_.json", cut_file.as_str()]
        );
        // Removing it again deletes that file, the chunk's key with it.
        let split = build("s", &[&a.0, &b3.0], &docs);
        let back = change(&b3, &b);
        let patched = same_as_clean(&split, &[back], &[&a.0, &b.0], &docs);
        assert_eq!(patched.gone, [cut_file]);
        assert_eq!(meta_keys(&before), ["".to_string()]);
        assert!(patched.files.contains_key("s/index.json"));
    }

    #[test]
    fn chunk_files_read_back_as_written_and_nothing_else() {
        use super::splice::parse_shard;
        let words: Vec<(&str, Vec<u32>)> = vec![
            ("a\"b\\", vec![0, 5, 9]),
            ("leer", vec![]),
            ("straße", vec![7]),
            ("zz", vec![3, u32::MAX]),
        ];
        let bytes = shard_json(&words);
        let by_serde: ShardFile = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(
            (by_serde.w.len(), &by_serde.p[0]),
            (4, &vec![0, 5, 4]),
            "deltas on disk"
        );
        let read = parse_shard(&bytes).expect("read back");
        let expected: Vec<(String, Vec<u32>)> = words.iter().map(|(w, l)| (w.to_string(), l.clone())).collect();
        assert_eq!(read, expected);
        for bad in [
            &b"{\"w\":[\"a\"],\"p\":[[1,2]"[..],
            b"{\"w\":[\"a\"],\"p\":[[1,2],[3]]}",
            b"{\"w\":[\"a\",\"b\"],\"p\":[[1]]}",
            b"{\"w\":[\"a\"],\"p\":[[4294967295,1]]}",
            b"{\"w\":[\"a\"],\"p\":[[99999999999]]}",
            b"{\"w\":[\"a\"],\"p\":[[1,,2]]}",
            b"{\"w\":[\"a\"],\"p\":[[-1]]}",
            b"{\"w\":[\"a\"],\"p\":[[1]]}x",
            b"{\"w\":\"a\",\"p\":[[1]]}",
        ] {
            assert_eq!(parse_shard(bad), None, "{}", String::from_utf8_lossy(bad));
        }
        assert!(parse_shard(b"{\"w\":[\"a\"],\"p\":[[1]]}\n").is_some());
    }

    #[test]
    fn a_patch_reads_only_the_chunks_of_words_whose_boundaries_stay() {
        // A frequent word (a chunk of its own) and 2 000 rare ones; the
        // oldest article gains the frequent word and a rare word another
        // article has: neither enters the index nor crosses BIG_WORD, so
        // only their two chunks (and the manifest) are read.
        let (articles, docs) = rare_words_and_a_frequent_one();
        let refs: Vec<&[u8]> = articles.iter().map(Vec::as_slice).collect();
        let before = build("s", &refs, &docs);
        assert!(meta_keys(&before).len() > 5);
        let new = ArticleWords::of("", &[], "einmal haeufig r7");
        let change = WordChange {
            id: 0,
            old: refs[refs.len() - 1],
            new: &new.0,
        };
        let read_files = std::sync::Mutex::new(Vec::new());
        let read = |rel: &str| {
            read_files.lock().unwrap().push(rel.to_string());
            before.files.get(rel).cloned()
        };
        let patched = patch_in(read, "s", std::slice::from_ref(&change)).expect("patched");
        let mut after = refs.clone();
        *after.last_mut().unwrap() = &new.0;
        let clean = build("s", &after, &docs);
        for (rel, bytes) in &clean.files {
            assert_eq!(patched.files.get(rel).or(before.files.get(rel)), Some(bytes), "{rel}");
        }
        let keys = meta_keys(&before);
        let chunk = |w: &str| shard_name(&keys[chunk_of(&keys, w)]);
        let mut expected = vec![
            "s/index.json".to_string(),
            format!("s/shards/{}.json", chunk("haeufig")),
            format!("s/shards/{}.json", chunk("r7")),
        ];
        expected.sort();
        let mut read_files = read_files.into_inner().unwrap();
        read_files.sort();
        assert_eq!(read_files, expected);
    }

    #[test]
    fn a_patch_recuts_around_a_word_that_becomes_frequent() {
        // `haeufig` in BIG_WORD - 1 articles, then in one more: it gets a
        // chunk of its own, and the word after it starts one.
        let rare = cut_word(false, "haeufigx");
        let mut articles: Vec<Vec<u8>> = (0..BIG_WORD - 1)
            .map(|k| ArticleWords::of("", &[], &format!("haeufig a{k}")).0)
            .collect();
        articles.push(ArticleWords::of("", &[], &format!("anders {rare}")).0);
        let docs: Vec<Doc> = (0..articles.len()).map(|k| doc(&format!("/{k}/"))).collect();
        let refs: Vec<&[u8]> = articles.iter().map(Vec::as_slice).collect();
        let before = build("s", &refs, &docs);
        let new = ArticleWords::of("", &[], &format!("anders {rare} haeufig"));
        let mut after = refs.clone();
        let last = after.len() - 1;
        after[last] = &new.0;
        let patched = same_as_clean(
            &before,
            &[WordChange {
                id: 0,
                old: refs[last],
                new: &new.0,
            }],
            &after,
            &docs,
        );
        let keys: MetaFile = serde_json::from_slice(&patched.files["s/index.json"]).unwrap();
        assert!(keys.keys.contains(&"haeufig".to_string()) && keys.keys.contains(&rare));
    }

    #[test]
    fn chunks_spliced_beside_one_that_is_re_cut_are_re_cut_with_their_edits() {
        // `haeufig` in BIG_WORD articles, a chunk of its own, each article
        // with rare words of its own before and after it in the
        // vocabulary. The oldest loses `haeufig`, which falls below
        // BIG_WORD: its chunk and both neighbours are re-cut, and merge
        // where the words' hashes start no chunk. It also gains a rare
        // word from each neighbour, whose edits alone would be spliced.
        let mut articles: Vec<Vec<u8>> = (0..BIG_WORD - 1)
            .map(|k| ArticleWords::of("", &[], &format!("a{k} haeufig z{k}")).0)
            .collect();
        articles.push(ArticleWords::of("", &[], "anders haeufig").0);
        let docs: Vec<Doc> = (0..articles.len()).map(|k| doc(&format!("/{k}/"))).collect();
        let refs: Vec<&[u8]> = articles.iter().map(Vec::as_slice).collect();
        let before = build("s", &refs, &docs);
        let keys = meta_keys(&before);
        let c = chunk_of(&keys, "haeufig");
        assert!(keys[c] == "haeufig" && c > 0 && c + 1 < keys.len());
        let shard = |chunk: usize| chunk_path("s", &keys, chunk);
        let word_of = |chunk: usize| {
            let file: ShardFile = serde_json::from_slice(&before.files[&shard(chunk)]).unwrap();
            file.w.into_iter().find(|w| w != "anders").unwrap()
        };
        let (below, above) = (word_of(c - 1), word_of(c + 1));
        let clean_after = |new: &ArticleWords| {
            let mut after = refs.clone();
            *after.last_mut().unwrap() = &new.0;
            let change = WordChange {
                id: 0,
                old: refs[refs.len() - 1],
                new: &new.0,
            };
            same_as_clean(&before, &[change], &after, &docs)
        };
        let merged = clean_after(&ArticleWords::of("", &[], &format!("anders {below} {above}")));
        assert!(merged.gone.contains(&shard(c)), "`haeufig` no longer has a chunk");
        // Keeping `haeufig`, the two rare words' chunks alone are spliced.
        let spliced = clean_after(&ArticleWords::of("", &[], &format!("anders haeufig {below} {above}")));
        let mut expected = vec![shard(c - 1), shard(c + 1)];
        expected.sort();
        assert_eq!(spliced.files.keys().cloned().collect::<Vec<_>>(), expected);
    }
}
