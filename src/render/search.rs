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

use unicode_normalization::UnicodeNormalization;

use crate::render::outputs::Scope;

/// Format of the files; the script refuses other versions.
pub const VERSION: u32 = 1;
/// Articles per docs file.
pub const DOCS_PER_FILE: usize = 500;
/// Distinct words indexed per article at most (title, kicker, summary and
/// terms come first, then the body): keeps a long article from weighing as
/// much as ten short ones.
pub const MAX_WORDS: usize = 3_000;
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

/// The words of one article, sorted, each with whether it is in the
/// title; kept encoded (a line per word, `T` or `B` and the word) so that
/// the cache's bytes serve as they are, without a string per word.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleWords(pub Vec<u8>);

/// The (word, in title) pairs of encoded words.
pub fn decode_words(blob: &[u8]) -> impl Iterator<Item = (&str, bool)> {
    // Encoded from &str, and checked when read from the cache.
    let text = std::str::from_utf8(blob).unwrap_or("");
    text.split_terminator('\n').filter_map(|line| {
        let (flag, word) = line.split_at_checked(1)?;
        Some((word, flag == "T"))
    })
}

impl ArticleWords {
    /// `fields` are kicker, summary, topics, tags; `body` the Markdown source.
    pub fn of(title: &str, fields: &[&str], body: &str) -> ArticleWords {
        let texts: Vec<String> = std::iter::once(title)
            .chain(fields.iter().copied())
            .chain([body])
            .map(normalize)
            .collect();
        let title_words: FastSet<&str> = words(&texts[0]).collect();
        let mut seen: FastSet<&str> = FastSet::default();
        let mut list: Vec<(&str, bool)> = Vec::new();
        'texts: for text in &texts {
            for w in words(text) {
                if list.len() >= MAX_WORDS {
                    break 'texts;
                }
                if seen.insert(w) {
                    list.push((w, title_words.contains(w)));
                }
            }
        }
        list.sort_unstable();
        let mut out = Vec::with_capacity(list.iter().map(|(w, _)| w.len() + 2).sum());
        for (w, t) in &list {
            out.push(if *t { b'T' } else { b'B' });
            out.extend_from_slice(w.as_bytes());
            out.push(b'\n');
        }
        ArticleWords(out)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, bool)> {
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

fn meta_json(articles: usize, shards: &[&str]) -> Vec<u8> {
    let names: Vec<String> = shards.iter().map(|k| json(k)).collect();
    format!(
        "{{\"version\":{VERSION},\"articles\":{articles},\"docs_per_file\":{DOCS_PER_FILE},\"shards\":[{}]}}\n",
        names.join(",")
    )
    .into_bytes()
}

#[derive(serde::Deserialize)]
struct ShardFile {
    w: Vec<String>,
    p: Vec<Vec<u32>>,
}

#[derive(serde::Deserialize)]
struct MetaFile {
    articles: usize,
    shards: Vec<String>,
}

/// An article whose words changed: its id in the index, its words before
/// and after (encoded as [`ArticleWords`]).
pub struct WordChange<'a> {
    pub id: u32,
    pub old: &'a [u8],
    pub new: &'a [u8],
}

/// The files of the index a previous build wrote (`read` gives one by its
/// site-relative path), changed for articles whose words changed. This is
/// what a clean build would write, since files are a function of the
/// postings and only these articles' postings differ. `None` when the
/// files are not as expected or a shard would disappear (a deleted file is
/// for the ordinary rebuild).
pub fn patch(read: impl Fn(&str) -> Option<Vec<u8>>, dir: &str, changes: &[WordChange]) -> Option<SearchData> {
    let meta_rel = SearchFile::Meta.path(dir);
    let old_meta = read(&meta_rel)?;
    let meta: MetaFile = serde_json::from_slice(&old_meta).ok()?;
    let (files, shard_names) = patch_shards(&read, dir, changes, meta.shards.clone())?;
    // Its files are all the build writes: one to delete is for an ordinary build.
    if meta.shards.iter().any(|n| shard_names.binary_search(n).is_err()) {
        return None;
    }
    let mut data = SearchData {
        dir: dir.to_string(),
        files,
        kept: BTreeMap::new(),
    };
    let names: Vec<&str> = shard_names.iter().map(String::as_str).collect();
    let meta_bytes = meta_json(meta.articles, &names);
    if old_meta != meta_bytes {
        data.files.insert(meta_rel, meta_bytes);
    }
    Some(data)
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
/// site-relative path), brought up to date with `change`: the shards of
/// changed words, the docs files of changed articles (`doc(id)` gives
/// article `id`, oldest first, as it is now) and the manifest file are
/// made again; every other file is kept with the signature `recorded`
/// gives, and a file the index no longer has (a shard without words, a
/// docs file past the end) is in neither list, for the build to delete.
/// What a clean build would write, since each file is a function of the
/// postings and docs it holds. `None` when the files are not as expected
/// or one to keep was not recorded: then the whole index is built.
pub fn update<D: std::borrow::Borrow<Doc>>(
    read: impl Fn(&str) -> Option<Vec<u8>>,
    dir: &str,
    change: &IndexChange,
    doc: impl Fn(usize) -> D,
    recorded: impl Fn(&str) -> Option<u128>,
) -> Option<SearchData> {
    let meta_rel = SearchFile::Meta.path(dir);
    let old_meta = read(&meta_rel)?;
    let meta: MetaFile = serde_json::from_slice(&old_meta).ok()?;
    let (before, after) = (change.before, change.after);
    if meta.articles != before {
        return None;
    }
    let (mut files, shard_names) = patch_shards(&read, dir, &change.words, meta.shards)?;
    let mut docs_files: Vec<usize> = change.docs.iter().map(|&id| id as usize / DOCS_PER_FILE).collect();
    docs_files.extend((before.min(after)..before.max(after)).map(|id| id / DOCS_PER_FILE));
    docs_files.sort_unstable();
    docs_files.dedup();
    for k in docs_files.into_iter().filter(|&k| k < after.div_ceil(DOCS_PER_FILE)) {
        files.insert(SearchFile::Docs(k).path(dir), docs_json(k, after, &doc));
    }
    let names: Vec<&str> = shard_names.iter().map(String::as_str).collect();
    let meta_bytes = meta_json(after, &names);
    if old_meta != meta_bytes {
        files.insert(meta_rel.clone(), meta_bytes);
    }
    let every_file = std::iter::once(meta_rel)
        .chain(shard_names.iter().map(|name| SearchFile::Shard(name.clone()).path(dir)))
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

/// The shard files `changes` reach, patched, and the names of all shards
/// (`names`: those of the files as read); a shard left without words is
/// no longer named.
fn patch_shards(
    read: &impl Fn(&str) -> Option<Vec<u8>>,
    dir: &str,
    changes: &[WordChange],
    names: Vec<String>,
) -> Option<(Files, Vec<String>)> {
    let mut shard_names: Vec<String> = names;
    // Per shard: word → postings (absolute).
    let mut shards: BTreeMap<String, BTreeMap<String, Vec<u32>>> = BTreeMap::new();
    for &WordChange { id, old, new } in changes {
        let old: HashMap<&str, bool> = decode_words(old).collect();
        let new: HashMap<&str, bool> = decode_words(new).collect();
        let mut touched: Vec<&str> = old.keys().chain(new.keys()).copied().collect();
        touched.sort_unstable();
        touched.dedup();
        for w in touched {
            if old.get(w) == new.get(w) {
                continue;
            }
            let name = shard_name(w);
            if !shards.contains_key(&name) {
                let words = match shard_names.binary_search(&name) {
                    Ok(_) => {
                        let file: ShardFile =
                            serde_json::from_slice(&read(&SearchFile::Shard(name.clone()).path(dir))?).ok()?;
                        if file.w.len() != file.p.len() {
                            return None;
                        }
                        file.w
                            .into_iter()
                            .zip(file.p)
                            .map(|(w, deltas)| {
                                let mut v = 0;
                                (
                                    w,
                                    deltas
                                        .into_iter()
                                        .map(|d| {
                                            v += d;
                                            v
                                        })
                                        .collect(),
                                )
                            })
                            .collect()
                    }
                    Err(at) => {
                        shard_names.insert(at, name.clone());
                        BTreeMap::new()
                    }
                };
                shards.insert(name.clone(), words);
            }
            let list = shards.get_mut(&name)?.entry(w.to_string()).or_default();
            list.retain(|&v| v / 2 != id);
            if let Some(&title) = new.get(w) {
                let v = id * 2 + u32::from(title);
                let at = list.partition_point(|&x| x < v);
                list.insert(at, v);
            }
        }
    }
    let mut files = BTreeMap::new();
    for (name, words) in &shards {
        let words: Vec<(&str, &Vec<u32>)> = words
            .iter()
            .filter(|(_, l)| !l.is_empty())
            .map(|(w, l)| (w.as_str(), l))
            .collect();
        if words.is_empty() {
            shard_names.retain(|n| n != name);
            continue;
        }
        files.insert(SearchFile::Shard(name.clone()).path(dir), shard_json(&words));
    }
    Some((files, shard_names))
}

/// Docs file `k` of an index of `n` articles; `doc(id)` is article `id`
/// (oldest first).
fn docs_json<D: std::borrow::Borrow<Doc>>(k: usize, n: usize, doc: impl Fn(usize) -> D) -> Vec<u8> {
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
        let mut postings: FastMap<&str, Vec<u32>> = FastMap::default();
        for (i, blob) in articles.iter().enumerate().rev() {
            let id = (n - 1 - i) as u32;
            for (w, title) in decode_words(blob) {
                postings.entry(w).or_default().push(id * 2 + u32::from(title));
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
                (SearchFile::Shard(name.clone()).path(dir), shard_json(words))
            })
            .collect();
        let doc_files: Vec<(String, Vec<u8>)> = (0..n.div_ceil(DOCS_PER_FILE))
            .into_par_iter()
            .map(|k| (SearchFile::Docs(k).path(dir), docs_json(k, n, |id| &docs[n - 1 - id])))
            .collect();
        files.extend(doc_files);
        let names: Vec<&str> = shards.keys().map(String::as_str).collect();
        files.insert(SearchFile::Meta.path(dir), meta_json(n, &names));
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
        let list: Vec<(&str, bool)> = w.iter().collect();
        assert_eq!(
            list,
            [
                ("aussenminister", true),
                ("der", true),
                ("krise", false),
                ("reist", false)
            ]
        );
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

    #[test]
    fn postings_are_sorted_and_delta_encoded() {
        let new = ArticleWords::of("Neu", &[], "wort");
        let old = ArticleWords::of("Alt", &[], "wort");
        let data = SearchData::build("s", &[&new.0, &old.0], &[doc("/n/"), doc("/o/")]);
        let shard = String::from_utf8(data.files["s/shards/wo.json"].clone()).unwrap();
        assert_eq!(shard, "{\"w\":[\"wort\"],\"p\":[[0,2]]}\n");
        let docs = String::from_utf8(data.files["s/docs/0.json"].clone()).unwrap();
        assert!(docs.find("/o/").unwrap() < docs.find("/n/").unwrap(), "oldest is id 0");
        assert_eq!(data.files().len(), 1 + 3 + 1, "meta, shards al ne wo, docs");
    }

    /// Every change an ordinary rebuild meets: an article's words and
    /// title changed, one moved (ids shift), the newest added, articles
    /// added past a docs file's end; each brought-up-to-date index holds
    /// exactly the clean build's files, and keeps what it does not write.
    #[test]
    fn an_update_writes_what_a_clean_build_writes_and_keeps_the_rest() {
        // A word of its own per article (in one of 676 shards), one shared.
        let own = |i: usize| {
            let letter = |k: usize| char::from(b'a' + (k % 26) as u8);
            format!("{}{}wort", letter(i), letter(i / 26))
        };
        let words: Vec<ArticleWords> = (0..DOCS_PER_FILE + 3)
            .map(|i| ArticleWords::of(&own(i), &[], "gemeinsam"))
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
            assert!(updated.files.len() < clean.files.len(), "only what changed is written");
        }
        // An edit of article 3's words and title changes the shards of the
        // words it lost and gained, and its docs file, only.
        let (bw, bd) = site(&(0..10).collect::<Vec<_>>());
        let before = SearchData::build("s", &bw, &bd);
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
        let written: Vec<&String> = updated.files.keys().collect();
        assert_eq!(
            written,
            [
                "s/docs/0.json",
                "s/index.json",
                "s/shards/an.json",
                "s/shards/ga.json",
                "s/shards/ge.json",
                "s/shards/ne.json"
            ]
        );
        // Its own word was its alone: the shard goes.
        assert!(!updated.kept.contains_key("s/shards/da.json"));
        // A file to keep that the previous build did not record: made whole.
        assert!(update(read, "s", &change, |id| &docs[id], |_| None).is_none());
    }

    #[test]
    fn a_patch_writes_what_a_clean_build_writes() {
        let a = ArticleWords::of("Neu", &[], "wort welt");
        let b = ArticleWords::of("Alt", &[], "wort");
        let before = SearchData::build("s", &[&a.0, &b.0], &[doc("/n/"), doc("/o/")]);
        let read = |rel: &str| before.files.get(rel).cloned();
        // "Alt" (id 0) now says "Welt" and "Zeit", and "wort" in its title.
        let b2 = ArticleWords::of("Alt Wort", &[], "welt zeit");
        let patched = patch(
            read,
            "s",
            &[WordChange {
                id: 0,
                old: &b.0,
                new: &b2.0,
            }],
        )
        .unwrap();
        let clean = SearchData::build("s", &[&a.0, &b2.0], &[doc("/n/"), doc("/o/")]);
        for (rel, bytes) in &patched.files {
            assert_eq!(Some(bytes), clean.files.get(rel), "{rel}");
        }
        let mut changed: Vec<&String> = patched.files.keys().collect();
        changed.sort();
        assert_eq!(
            changed,
            [
                "s/index.json",
                "s/shards/we.json",
                "s/shards/wo.json",
                "s/shards/ze.json"
            ]
        );
        for (rel, bytes) in &clean.files {
            if !patched.files.contains_key(rel) {
                assert_eq!(bytes, &before.files[rel], "{rel} unchanged");
            }
        }
        // A shard that would become empty is for the ordinary build.
        let b3 = ArticleWords::of("", &[], "");
        assert!(
            patch(
                read,
                "s",
                &[WordChange {
                    id: 0,
                    old: &b.0,
                    new: &b3.0,
                }]
            )
            .is_none()
        );
    }
}
