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
//!   articles `k * DOCS_PER_FILE ..`, for showing results; only the files
//!   of the results shown are fetched, so they are small.
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
//! Article ids count from the oldest article (id 0), so adding the newest
//! article changes only the chunks of its words and the last docs file.
//! A posting is `id * 4 + weight`: weight 3 when the word is in the title,
//! else 0, 1 or 2 for one, two, three or more occurrences; the script ranks
//! by it and by how rare the word is. The list is sorted and delta-encoded
//! (the first value as is, then differences), which keeps the numbers short.
//!
//! Words are normalised by [`normalize`] — NFKC, lowercase, `ä ö ü ß`
//! folded to `ae oe ue ss` — and split at every character that is not a
//! letter or digit; `static/search.js` applies the same rules to the query.

use std::collections::{BTreeMap, HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;

use crate::render::outputs::Scope;

mod patch;
pub use patch::{IndexChange, WordChange, patch, update};

/// Format of the files; the script refuses other versions.
pub const VERSION: u32 = 2;
/// Articles per docs file: a query shows 10 results, scattered over the
/// archive, so each costs a file; small files keep that to a few KB each.
pub const DOCS_PER_FILE: usize = 20;
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
}

impl SearchFile {
    /// Site-relative path below the search segment `dir` (`suche`).
    pub fn path(&self, dir: &str) -> String {
        match self {
            SearchFile::Page => format!("{dir}/"),
            SearchFile::Meta => format!("{dir}/index.json"),
            SearchFile::Shard(name) => format!("{dir}/shards/{name}.json"),
            SearchFile::Docs(k) => format!("{dir}/docs/{k}.json"),
        }
    }
}

/// Text as the index and the query see it: NFKC, lowercase, German umlauts
/// and ß folded (`Außenminister` → `aussenminister`).
pub fn normalize(text: &str) -> String {
    use unicode_normalization::IsNormalized;
    let lower = match unicode_normalization::is_nfkc_quick(text.chars()) {
        IsNormalized::Yes => text.to_lowercase(),
        _ => text.nfkc().collect::<String>().to_lowercase(),
    };
    if lower.is_ascii() {
        return lower;
    }
    let mut out = String::with_capacity(lower.len() + 8);
    for c in lower.chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c => out.push(c),
        }
    }
    out
}

/// The indexable words of `text` as [`normalize`] then [`words`] give
/// them, joined by spaces: in one pass over the text for the usual case
/// (NFKC already, no capital sigma, whose lowercase depends on its
/// neighbours), since this runs on every body of a full build.
fn index_words(text: &str) -> String {
    use unicode_normalization::IsNormalized;
    if text.contains('Σ') || unicode_normalization::is_nfkc_quick(text.chars()) != IsNormalized::Yes {
        return words(&normalize(text)).collect::<Vec<_>>().join(" ");
    }
    let mut out = String::with_capacity(text.len());
    // Where the current word starts in `out`, and its characters so far.
    let mut start = 0;
    let mut chars = 0;
    let end_word = |out: &mut String, start: &mut usize, chars: &mut usize| {
        if (2..=MAX_WORD_CHARS).contains(chars) && out.len() - *start <= MAX_WORD_BYTES {
            out.push(' ');
        } else {
            out.truncate(*start);
        }
        *start = out.len();
        *chars = 0;
    };
    for c in text.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
                chars += 1;
            } else if chars > 0 {
                end_word(&mut out, &mut start, &mut chars);
            }
            continue;
        }
        for l in c.to_lowercase() {
            let folded = match l {
                'ä' => "ae",
                'ö' => "oe",
                'ü' => "ue",
                'ß' => "ss",
                l if l.is_alphanumeric() => {
                    out.push(l);
                    chars += 1;
                    continue;
                }
                _ => {
                    if chars > 0 {
                        end_word(&mut out, &mut start, &mut chars);
                    }
                    continue;
                }
            };
            out.push_str(folded);
            chars += 2;
        }
    }
    if chars > 0 {
        end_word(&mut out, &mut start, &mut chars);
    }
    out.pop();
    out
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

type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;
type FastSet<K> = HashSet<K, std::hash::BuildHasherDefault<Fnv>>;

/// The indexable words of normalised text: runs of letters and digits of 2
/// to [`MAX_WORD_CHARS`] characters.
pub fn words(normalized: &str) -> impl Iterator<Item = &str> {
    normalized.split(|c: char| !c.is_alphanumeric()).filter(|w| {
        let n = w.chars().count();
        (2..=MAX_WORD_CHARS).contains(&n) && w.len() <= MAX_WORD_BYTES
    })
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
fn chunk_starts<L: AsRef<[u32]>>(words: &[(&str, L)]) -> Vec<usize> {
    let mut starts = Vec::new();
    for (i, (w, list)) in words.iter().enumerate() {
        if i == 0 || starts_chunk(w, list.as_ref().len(), words[i - 1].1.as_ref().len()) {
            starts.push(i);
        }
    }
    starts
}

/// The words of one article, sorted, each with its weight (see the module
/// comment); kept encoded (a line per word, the weight's digit and the
/// word) so that the cache's bytes serve as they are, without a string per
/// word.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleWords(pub Vec<u8>);

/// Weight of a word in the title.
pub const TITLE: u8 = 3;

/// The (word, weight) pairs of encoded words.
pub fn decode_words(blob: &[u8]) -> impl Iterator<Item = (&str, u8)> {
    // Encoded from &str, and checked when read from the cache.
    let text = std::str::from_utf8(blob).unwrap_or("");
    text.split_terminator('\n').filter_map(|line| {
        let (flag, word) = line.split_at_checked(1)?;
        let weight = flag.as_bytes()[0].checked_sub(b'0').filter(|&w| w <= TITLE)?;
        Some((word, weight))
    })
}

impl ArticleWords {
    /// `fields` are kicker, summary, topics, tags; `body` the Markdown source.
    pub fn of(title: &str, fields: &[&str], body: &str) -> ArticleWords {
        let texts: Vec<String> = std::iter::once(title)
            .chain(fields.iter().copied())
            .chain([body])
            .map(index_words)
            .collect();
        let title_words: FastSet<&str> = words(&texts[0]).collect();
        // Index in `list` of each word seen.
        let mut seen: FastMap<&str, usize> = FastMap::default();
        let mut list: Vec<(&str, u8)> = Vec::new();
        for text in &texts {
            for w in words(text) {
                if let Some(&at) = seen.get(w) {
                    let weight = &mut list[at].1;
                    *weight = (*weight + 1).min(2).max(*weight);
                } else if list.len() < MAX_WORDS {
                    seen.insert(w, list.len());
                    list.push((w, if title_words.contains(w) { TITLE } else { 0 }));
                }
            }
        }
        list.sort_unstable();
        let mut out = Vec::with_capacity(list.iter().map(|(w, _)| w.len() + 2).sum());
        for (w, weight) in &list {
            out.push(b'0' + weight);
            out.extend_from_slice(w.as_bytes());
            out.push(b'\n');
        }
        ArticleWords(out)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, u8)> {
        decode_words(&self.0)
    }
}

/// The words of an article as the index has them (reads its body).
pub fn words_of(source: &crate::content::ArticleFile) -> Result<ArticleWords, crate::FileError> {
    let f = &source.front;
    let body = source.body()?;
    let mut fields: Vec<&str> = vec![f.kicker.as_deref().unwrap_or(""), f.summary.as_deref().unwrap_or("")];
    fields.extend(f.topics.iter().map(String::as_str));
    fields.extend(f.tags.iter().map(String::as_str));
    Ok(ArticleWords::of(&f.title, &fields, &body))
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
        let f = &e.source.front;
        let text = f.kicker.clone().or_else(|| f.summary.clone()).unwrap_or_default();
        let text = match text.char_indices().nth(200) {
            Some((cut, _)) => format!("{} …", text[..cut].trim_end()),
            None => text,
        };
        Doc {
            url: s.urls.href(&e.path),
            title: f.title.clone(),
            date: e.local.format("%Y-%m-%d").to_string(),
            date_display: s.lang.day(&e.local),
            text,
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
}

fn json(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// A shard file: its words (sorted) with their postings (absolute, sorted).
fn shard_json<L: AsRef<[u32]>>(words: &[(&str, L)]) -> Vec<u8> {
    let mut out = String::from("{\"w\":[");
    for (k, (w, _)) in words.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str(&json(w));
    }
    out.push_str("],\"p\":[");
    for (k, (_, list)) in words.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push('[');
        let mut last = 0;
        for (j, &v) in list.as_ref().iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(&(v - last).to_string());
            last = v;
        }
        out.push(']');
    }
    out.push_str("]}\n");
    out.into_bytes()
}

pub(super) fn meta_json(articles: usize, keys: &[&str]) -> Vec<u8> {
    let keys: Vec<String> = keys.iter().map(|k| json(k)).collect();
    format!(
        "{{\"version\":{VERSION},\"articles\":{articles},\"docs_per_file\":{DOCS_PER_FILE},\"keys\":[{}]}}\n",
        keys.join(",")
    )
    .into_bytes()
}

/// The chunk files of `words` (sorted, non-empty lists), cut by the rule,
/// the first chunk keyed `first_key`: (key, file bytes) in order.
pub(super) fn chunk_files<L: AsRef<[u32]> + Sync>(first_key: &str, words: &[(&str, L)]) -> Vec<(String, Vec<u8>)> {
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

/// Docs file `k` of an index of `n` articles; `doc(id)` is article `id`
/// (oldest first).
pub(super) fn docs_json<D: std::borrow::Borrow<Doc>>(k: usize, n: usize, doc: impl Fn(usize) -> D) -> Vec<u8> {
    let mut out = String::from("[");
    for id in k * DOCS_PER_FILE..n.min((k + 1) * DOCS_PER_FILE) {
        let d = doc(id);
        let d = d.borrow();
        if id > k * DOCS_PER_FILE {
            out.push_str(",\n");
        }
        out.push_str(&format!(
            "[{},{},{},{},{}]",
            json(&d.url),
            json(&d.title),
            json(&d.date),
            json(&d.date_display),
            json(&d.text)
        ));
    }
    out.push_str("]\n");
    out.into_bytes()
}

impl SearchData {
    /// `articles[i]` (encoded words) and `docs[i]` are entry `i` of the
    /// site (newest first).
    pub fn build(dir: &str, articles: &[&[u8]], docs: &[Doc]) -> SearchData {
        use rayon::prelude::*;
        let n = articles.len();
        // Postings in id order (oldest first), so every list comes out sorted.
        // One map per thread, each for the words whose hash falls to it, so
        // that the maps are disjoint and each is filled in id order.
        let parts = rayon::current_num_threads().max(1) as u64;
        let maps: Vec<FastMap<&str, Vec<u32>>> = (0..parts)
            .into_par_iter()
            .map(|part| {
                use std::hash::{BuildHasher, BuildHasherDefault};
                let hasher = BuildHasherDefault::<Fnv>::default();
                let mut postings: FastMap<&str, Vec<u32>> = FastMap::default();
                for (i, blob) in articles.iter().enumerate().rev() {
                    let id = (n - 1 - i) as u32;
                    for (w, weight) in decode_words(blob) {
                        if parts == 1 || hasher.hash_one(w) % parts == part {
                            postings.entry(w).or_default().push(id * 4 + u32::from(weight));
                        }
                    }
                }
                postings
            })
            .collect();
        let mut words: Vec<(&str, Vec<u32>)> = maps.into_iter().flatten().collect();
        words.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
        let chunks = if words.is_empty() {
            Vec::new()
        } else {
            chunk_files("", &words)
        };
        let keys: Vec<&str> = chunks.iter().map(|(k, _)| k.as_str()).collect();
        let meta = meta_json(n, &keys);
        let mut files: BTreeMap<String, Vec<u8>> = chunks
            .into_iter()
            .map(|(key, bytes)| (SearchFile::Shard(shard_name(&key)).path(dir), bytes))
            .collect();
        let doc_files: Vec<(String, Vec<u8>)> = (0..n.div_ceil(DOCS_PER_FILE))
            .into_par_iter()
            .map(|k| (SearchFile::Docs(k).path(dir), docs_json(k, n, |id| &docs[n - 1 - id])))
            .collect();
        files.extend(doc_files);
        files.insert(SearchFile::Meta.path(dir), meta);
        SearchData {
            dir: dir.to_string(),
            files,
            kept: BTreeMap::new(),
        }
    }

    /// The index of a site: `words[i]` are the encoded words of entry `i`.
    pub fn for_site(s: &Scope, words: &[&[u8]]) -> SearchData {
        use rayon::prelude::*;
        let docs: Vec<Doc> = s.index.entries.par_iter().map(|e| Doc::of(s, e)).collect();
        SearchData::build(&s.urls.search, words, &docs)
    }

    /// The data files present.
    pub fn files(&self) -> Vec<SearchFile> {
        let dir = &self.dir;
        let meta = SearchFile::Meta.path(dir);
        let shards = format!("{dir}/shards/");
        let docs = format!("{dir}/docs/");
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
            }
        }
        files
    }
}

#[cfg(test)]
mod tests {
    use super::patch::{MetaFile, ShardFile};
    use super::*;

    #[test]
    fn german_words_fold_on_both_sides() {
        assert_eq!(normalize("Außenministers"), "aussenministers");
        assert_eq!(normalize("ÄRGER Öl Über"), "aerger oel ueber");
        assert_eq!(normalize("ﬁnanz"), "finanz", "NFKC expands ligatures");
        let n = normalize("US-Außenminister, a Blinken! x2");
        let w: Vec<&str> = words(&n).collect();
        assert_eq!(w, ["us", "aussenminister", "blinken", "x2"]);
    }

    #[test]
    fn one_pass_words_are_normalize_then_words() {
        for text in [
            "US-Außenminister, a Blinken! x2 ÄRGER Öl Über",
            "ﬁnanz Ελληνικά ΟΔΟΣ Straße ŒUVRE été a\u{0301}b İstanbul",
            "Café ½ x² ǅemal",
            &format!("{} kurz {}", "lang".repeat(11), "\u{4e00}".repeat(41)),
            "",
            "ß",
        ] {
            let normalized = normalize(text);
            let expected: Vec<&str> = words(&normalized).collect();
            assert_eq!(index_words(text), expected.join(" "), "{text}");
        }
    }

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

    #[test]
    fn words_are_capped_and_weighted() {
        let w = ArticleWords::of(
            "Der Außenminister",
            &["Krise"],
            "außenminister reist x, Krise, reist und reist: Krise",
        );
        let list: Vec<(&str, u8)> = w.iter().collect();
        assert_eq!(
            list,
            [
                ("aussenminister", TITLE),
                ("der", TITLE),
                ("krise", 2),
                ("reist", 2),
                ("und", 0)
            ]
        );
        let w = ArticleWords::of("", &[], "eins zwei eins");
        assert_eq!(w.iter().collect::<Vec<_>>(), [("eins", 1), ("zwei", 0)]);
        let long: String = (0..MAX_WORDS + 500).map(|i| format!("w{i} ")).collect();
        assert_eq!(ArticleWords::of("", &[], &long).iter().count(), MAX_WORDS);
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

    #[test]
    fn postings_are_sorted_weighted_and_delta_encoded() {
        let new = ArticleWords::of("Neu", &[], "wort wort");
        let old = ArticleWords::of("Alt", &[], "wort");
        let data = SearchData::build("s", &[&new.0, &old.0], &[doc("/n/"), doc("/o/")]);
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

    #[test]
    fn chunks_are_cut_by_hash_and_frequent_words_stand_alone() {
        // 2 000 rare words, and one word in BIG_WORD articles.
        let mut articles: Vec<Vec<u8>> = (0..BIG_WORD)
            .map(|k| {
                let words: String = (0..4).map(|j| format!("r{} ", k * 4 + j)).collect();
                ArticleWords::of("", &[], &format!("{words} haeufig")).0
            })
            .collect();
        articles.push(ArticleWords::of("", &[], "einmal").0);
        let refs: Vec<&[u8]> = articles.iter().map(Vec::as_slice).collect();
        let docs: Vec<Doc> = (0..refs.len()).map(|k| doc(&format!("/{k}/"))).collect();
        let data = SearchData::build("s", &refs, &docs);
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
        assert_eq!(data.files().len(), 1 + keys.len() + refs.len().div_ceil(DOCS_PER_FILE));
    }

    fn same_as_clean(before: &SearchData, changes: &[WordChange], after: &[&[u8]], docs: &[Doc]) -> SearchData {
        let read = |rel: &str| before.files.get(rel).cloned();
        let patched = patch(read, "s", changes).expect("patched");
        let clean = SearchData::build("s", after, docs);
        for (rel, bytes) in &patched.files {
            assert_eq!(Some(bytes), clean.files.get(rel), "{rel}");
        }
        for (rel, bytes) in &clean.files {
            if !patched.files.contains_key(rel) {
                assert_eq!(Some(bytes), before.files.get(rel), "{rel} unchanged");
            }
        }
        patched
    }

    /// Every change an ordinary rebuild meets: an article's words and
    /// title changed, one moved (ids shift), the newest added, articles
    /// added past a docs file's end; each brought-up-to-date index holds
    /// exactly the clean build's files, and keeps what it does not write.
    #[test]
    fn an_update_writes_what_a_clean_build_writes_and_keeps_the_rest() {
        // Two hundred words of its own per article (sorted together, so in a
        // few of the index's chunks), one shared by all.
        let words: Vec<ArticleWords> = (0..DOCS_PER_FILE + 3)
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
            ((0..DOCS_PER_FILE - 1).collect(), (0..DOCS_PER_FILE + 2).collect()),
            // An article moved from id 2 to id 6: ids 2..=6 change.
            ((0..10).collect(), vec![0, 1, 3, 4, 5, 6, 2, 7, 8, 9]),
            // The newest article removed (its shards go).
            ((0..11).collect(), (0..10).collect()),
            // Fewer docs files than before.
            ((0..DOCS_PER_FILE + 1).collect(), (0..DOCS_PER_FILE).collect()),
        ];
        for (before_ids, after_ids) in cases {
            let (bw, bd) = site(&before_ids);
            let before = SearchData::build("s", &bw, &bd);
            let (aw, ad) = site(&after_ids);
            let clean = SearchData::build("s", &aw, &ad);
            let (n0, n1) = (before_ids.len(), after_ids.len());
            let mut change = IndexChange {
                words: Vec::new(),
                docs: Vec::new(),
                before: n0,
                after: n1,
            };
            for id in 0..n0.max(n1) {
                let (old, new) = (before_ids.get(id), after_ids.get(id));
                if old != new {
                    change.words.push(WordChange {
                        id: id as u32,
                        old: old.map_or(&[], |&i| &words[i].0),
                        new: new.map_or(&[], |&i| &words[i].0),
                    });
                    change.docs.extend(new.map(|_| id as u32));
                }
            }
            let read = |rel: &str| before.files.get(rel).cloned();
            let signature = |rel: &str| before.files.get(rel).map(|b| b.len() as u128);
            let updated = update(read, "s", &change, |id| &docs[after_ids[id]], signature).unwrap();
            for (rel, bytes) in &updated.files {
                assert_eq!(Some(bytes), clean.files.get(rel), "{rel} as a clean build writes it");
            }
            for rel in clean.files.keys() {
                match updated.kept.get(rel) {
                    Some(&kept) => {
                        assert_eq!(before.files[rel], clean.files[rel], "{rel} kept but changed");
                        assert_eq!(
                            kept,
                            before.files[rel].len() as u128,
                            "{rel} keeps its recorded signature"
                        );
                    }
                    None => assert!(updated.files.contains_key(rel), "{rel} neither written nor kept"),
                }
            }
            assert_eq!(updated.files(), clean.files(), "the files of a clean build, no more");
            assert!(
                updated.files.len() < clean.files.len(),
                "only what changed is written: {:?} of {:?}",
                updated.files.keys(),
                clean.files.keys()
            );
        }
        // An edit of article 3's words and title rewrites the chunks of the
        // words it lost and gained, its docs file and the index file only.
        let ids: Vec<usize> = (0..10).collect();
        let (bw, bd) = site(&ids);
        let before = SearchData::build("s", &bw, &bd);
        let mut aw = bw.clone();
        aw[9 - 3] = &edited.0;
        let clean = SearchData::build("s", &aw, &bd);
        let change = IndexChange {
            words: vec![WordChange {
                id: 3,
                old: &words[3].0,
                new: &edited.0,
            }],
            docs: vec![3],
            before: 10,
            after: 10,
        };
        let read = |rel: &str| before.files.get(rel).cloned();
        let updated = update(read, "s", &change, |id| &docs[id], |_| Some(1)).unwrap();
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
        assert!(update(read, "s", &change, |id| &docs[id], |_| None).is_none());
    }

    #[test]
    fn a_patch_writes_what_a_clean_build_writes() {
        let a = ArticleWords::of("Neu", &[], "wort welt");
        let b = ArticleWords::of("Alt", &[], "wort");
        let docs = [doc("/n/"), doc("/o/")];
        let before = SearchData::build("s", &[&a.0, &b.0], &docs);
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
        // Removing it again would delete that file: for the ordinary build.
        let split = SearchData::build("s", &[&a.0, &b3.0], &docs);
        let read = |rel: &str| split.files.get(rel).cloned();
        let back = WordChange {
            id: 0,
            old: &b3.0,
            new: &b.0,
        };
        assert!(patch(read, "s", &[back]).is_none());
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
        let before = SearchData::build("s", &refs, &docs);
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
}
