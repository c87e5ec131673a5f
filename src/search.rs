//! The search index: static JSON files the search page's script
//! (`static/search.js`) reads, made at build time.
//!
//! Layout, chosen so that a reader of a 100 000-article archive downloads a
//! few hundred kilobytes per query, not the whole index:
//! - `<search>/index.json`: the manifest (format version, article count,
//!   docs per file, the list of shard keys). Small; loaded up front.
//! - `<search>/shards/<key>.json`: every indexed word whose first two
//!   characters are `key`, sorted, each with its posting list. A query word
//!   of two or more characters lies, with every word it is a prefix of, in
//!   exactly one shard, where the script finds them by binary search; so
//!   prefix matching ("außenminister" finds "Außenministers") costs one
//!   file per query word.
//! - `<search>/docs/<k>.json`: title, URL, date and kicker (or summary) of
//!   articles `k * DOCS_PER_FILE ..`, for showing results; only the files
//!   of the results shown are fetched.
//!
//! Article ids count from the oldest article (id 0), so adding the newest
//! article changes only the shards of its words and the last docs file.
//! A posting is `id * 2 + 1` when the word is in the title, `id * 2`
//! otherwise; the list is sorted and delta-encoded (the first value as is,
//! then differences), which keeps the numbers short.
//!
//! Words are normalised by [`normalize`] — NFKC, lowercase, `ä ö ü ß`
//! folded to `ae oe ue ss` — and split at every character that is not a
//! letter or digit; `static/search.js` applies the same rules to the query.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

/// Format of the files; the script refuses other versions.
pub const VERSION: u32 = 1;
/// Articles per docs file.
pub const DOCS_PER_FILE: usize = 500;
/// Distinct words indexed per article at most (title, kicker, summary and
/// terms come first, then the body): keeps a long article from weighing as
/// much as ten short ones.
pub const MAX_WORDS: usize = 400;
/// Longer "words" are URLs or junk, not something anyone types.
pub const MAX_WORD_CHARS: usize = 40;

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
    let lower = text.nfkc().collect::<String>().to_lowercase();
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

/// The indexable words of normalised text: runs of letters and digits of 2
/// to [`MAX_WORD_CHARS`] characters.
pub fn words(normalized: &str) -> impl Iterator<Item = &str> {
    normalized.split(|c: char| !c.is_alphanumeric()).filter(|w| {
        let n = w.chars().count();
        (2..=MAX_WORD_CHARS).contains(&n)
    })
}

/// The shard a word (or a query prefix of two or more characters) lives in,
/// as a file name: its first two characters when they are `a-z0-9`, else
/// `x` and the hex of their UTF-8 bytes.
pub fn shard_name(word: &str) -> String {
    let key: String = word.chars().take(2).collect();
    if key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        key
    } else {
        let mut name = String::from("x");
        for b in key.bytes() {
            name.push_str(&format!("{b:02x}"));
        }
        name
    }
}

/// The words of one article, sorted, each with whether it is in the title.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleWords(pub Vec<(String, bool)>);

impl ArticleWords {
    /// `fields` are title, kicker, summary, topics, tags; `body` the Markdown source.
    pub fn of(title: &str, fields: &[&str], body: &str) -> ArticleWords {
        let title_words: HashSet<String> = words(&normalize(title)).map(str::to_string).collect();
        let mut seen: HashSet<String> = HashSet::new();
        let mut list = Vec::new();
        let mut add = |text: &str, list: &mut Vec<(String, bool)>| {
            let norm = normalize(text);
            for w in words(&norm) {
                if list.len() >= MAX_WORDS {
                    return;
                }
                if seen.insert(w.to_string()) {
                    list.push((w.to_string(), title_words.contains(w)));
                }
            }
        };
        add(title, &mut list);
        for f in fields {
            add(f, &mut list);
        }
        add(body, &mut list);
        list.sort();
        ArticleWords(list)
    }

    fn encode(&self, out: &mut Vec<u8>) {
        for (w, t) in &self.0 {
            out.push(if *t { b'T' } else { b'B' });
            out.extend_from_slice(w.as_bytes());
            out.push(b'\n');
        }
    }

    fn decode(bytes: &[u8]) -> Option<ArticleWords> {
        let text = std::str::from_utf8(bytes).ok()?;
        let mut list = Vec::new();
        for line in text.split_terminator('\n') {
            let (flag, word) = line.split_at_checked(1)?;
            list.push((word.to_string(), flag == "T"));
        }
        Some(ArticleWords(list))
    }
}

/// The words of every article the last build indexed, by the hash of its
/// source file, so that a rebuild reads only the bodies of changed
/// articles. Kept beside the output (`.public.blatt-search`); only a
/// cache: a missing or unreadable one means reading the bodies again.
#[derive(Default)]
pub struct WordCache {
    words: HashMap<u128, ArticleWords>,
}

const CACHE_HEADER: &[u8] = b"blatt-search-words 1\n";

impl WordCache {
    pub fn path_for(out: &Path) -> PathBuf {
        let mut p = crate::output::manifest::path_for(out).into_os_string();
        p.push(".search");
        PathBuf::from(p)
    }

    pub fn load(out: &Path) -> WordCache {
        let Ok(bytes) = std::fs::read(Self::path_for(out)) else {
            return WordCache::default();
        };
        Self::decode(&bytes).unwrap_or_default()
    }

    /// Writes the cache beside the output of `out`: temporary file and
    /// rename, without the fsync of outputs (a torn cache fails its checksum).
    pub fn write(out: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let path = Self::path_for(out);
        let mut tmp = path.clone().into_os_string();
        tmp.push(".tmp");
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &path)
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    fn decode(bytes: &[u8]) -> Option<WordCache> {
        let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(16)?)?;
        if xxhash_rust::xxh3::xxh3_128(body).to_le_bytes() != sum {
            return None;
        }
        let mut rest = body.strip_prefix(CACHE_HEADER)?;
        let mut words = HashMap::new();
        while !rest.is_empty() {
            let hash = u128::from_le_bytes(rest.get(..16)?.try_into().ok()?);
            let len = u32::from_le_bytes(rest.get(16..20)?.try_into().ok()?) as usize;
            let blob = rest.get(20..20 + len)?;
            words.insert(hash, ArticleWords::decode(blob)?);
            rest = &rest[20 + len..];
        }
        Some(WordCache { words })
    }

    pub fn get(&self, hash: u128) -> Option<&ArticleWords> {
        self.words.get(&hash)
    }

    /// The cache of exactly `entries` (hash, words), as file bytes.
    pub fn encode(entries: &[(u128, &ArticleWords)]) -> Vec<u8> {
        let mut out = CACHE_HEADER.to_vec();
        let mut sorted: Vec<&(u128, &ArticleWords)> = entries.iter().collect();
        sorted.sort_by_key(|(h, _)| *h);
        sorted.dedup_by_key(|(h, _)| *h);
        let mut blob = Vec::new();
        for (hash, words) in sorted {
            blob.clear();
            words.encode(&mut blob);
            out.extend_from_slice(&hash.to_le_bytes());
            out.extend_from_slice(&(blob.len() as u32).to_le_bytes());
            out.extend_from_slice(&blob);
        }
        let sum = xxhash_rust::xxh3::xxh3_128(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }
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

/// The data files of the index (all but the page), by site-relative path.
pub struct SearchData {
    pub files: BTreeMap<String, Vec<u8>>,
}

fn json(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

impl SearchData {
    /// `articles[i]` and `docs[i]` are entry `i` of the site (newest first).
    pub fn build(dir: &str, articles: &[&ArticleWords], docs: &[Doc]) -> SearchData {
        use rayon::prelude::*;
        let n = articles.len();
        // Postings in id order (oldest first), so every list comes out sorted.
        let mut postings: HashMap<&str, Vec<u32>> = HashMap::new();
        for (i, words) in articles.iter().enumerate().rev() {
            let id = (n - 1 - i) as u32;
            for (w, title) in &words.0 {
                postings.entry(w.as_str()).or_default().push(id * 2 + u32::from(*title));
            }
        }
        let mut shards: BTreeMap<String, Vec<(&str, Vec<u32>)>> = BTreeMap::new();
        for (w, list) in postings {
            shards.entry(shard_name(w)).or_default().push((w, list));
        }
        let mut files: BTreeMap<String, Vec<u8>> = shards
            .par_iter_mut()
            .map(|(name, words)| {
                words.sort_unstable_by(|a, b| a.0.cmp(b.0));
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
                    for (j, &v) in list.iter().enumerate() {
                        if j > 0 {
                            out.push(',');
                        }
                        out.push_str(&(v - last).to_string());
                        last = v;
                    }
                    out.push(']');
                }
                out.push_str("]}\n");
                (SearchFile::Shard(name.clone()).path(dir), out.into_bytes())
            })
            .collect();
        let doc_files: Vec<(String, Vec<u8>)> = (0..n.div_ceil(DOCS_PER_FILE))
            .into_par_iter()
            .map(|k| {
                let mut out = String::from("[");
                for id in k * DOCS_PER_FILE..n.min((k + 1) * DOCS_PER_FILE) {
                    let d = &docs[n - 1 - id];
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
                (SearchFile::Docs(k).path(dir), out.into_bytes())
            })
            .collect();
        files.extend(doc_files);
        let names: Vec<String> = shards.keys().map(|k| json(k)).collect();
        let meta = format!(
            "{{\"version\":{VERSION},\"articles\":{n},\"docs_per_file\":{DOCS_PER_FILE},\"shards\":[{}]}}\n",
            names.join(",")
        );
        files.insert(SearchFile::Meta.path(dir), meta.into_bytes());
        SearchData { files }
    }

    /// The jobs' files, the page first.
    pub fn jobs(&self, dir: &str) -> Vec<SearchFile> {
        let mut jobs = vec![SearchFile::Page, SearchFile::Meta];
        let shards = format!("{dir}/shards/");
        let docs = format!("{dir}/docs/");
        for path in self.files.keys() {
            if let Some(name) = path.strip_prefix(&shards).and_then(|p| p.strip_suffix(".json")) {
                jobs.push(SearchFile::Shard(name.to_string()));
            } else if let Some(k) = path.strip_prefix(&docs).and_then(|p| p.strip_suffix(".json")) {
                jobs.push(SearchFile::Docs(k.parse().expect("docs files are numbered")));
            }
        }
        jobs
    }
}

#[cfg(test)]
mod tests {
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
    fn shard_names_are_safe_file_names() {
        assert_eq!(shard_name("aussen"), "au");
        assert_eq!(shard_name("au"), "au");
        assert_eq!(shard_name("été"), "xc3a974");
        assert_eq!(shard_name("a\u{0301}b"), "x61cc81");
    }

    #[test]
    fn words_are_capped_and_title_marked() {
        let w = ArticleWords::of("Der Außenminister", &["Krise"], "außenminister reist x");
        assert_eq!(
            w.0,
            [
                ("aussenminister".to_string(), true),
                ("der".to_string(), true),
                ("krise".to_string(), false),
                ("reist".to_string(), false)
            ]
        );
        let long: String = (0..1000).map(|i| format!("w{i} ")).collect();
        assert_eq!(ArticleWords::of("", &[], &long).0.len(), MAX_WORDS);
    }

    #[test]
    fn cache_round_trips() {
        let a = ArticleWords::of("Titel", &[], "Text über Öl");
        let bytes = WordCache::encode(&[(7, &a)]);
        let cache = WordCache::decode(&bytes).unwrap();
        assert_eq!(cache.get(7), Some(&a));
        assert!(WordCache::decode(&bytes[..bytes.len() - 1]).is_none());
    }

    #[test]
    fn postings_are_sorted_and_delta_encoded() {
        let new = ArticleWords::of("Neu", &[], "wort");
        let old = ArticleWords::of("Alt", &[], "wort");
        let doc = |u: &str| Doc {
            url: u.into(),
            title: u.into(),
            date: String::new(),
            date_display: String::new(),
            text: String::new(),
        };
        let data = SearchData::build("s", &[&new, &old], &[doc("/n/"), doc("/o/")]);
        let shard = String::from_utf8(data.files["s/shards/wo.json"].clone()).unwrap();
        assert_eq!(shard, "{\"w\":[\"wort\"],\"p\":[[0,2]]}\n");
        let docs = String::from_utf8(data.files["s/docs/0.json"].clone()).unwrap();
        assert!(docs.find("/o/").unwrap() < docs.find("/n/").unwrap(), "oldest is id 0");
        assert_eq!(data.jobs("s").len(), 2 + 3 + 1, "page, meta, shards al ne wo, docs");
    }
}
