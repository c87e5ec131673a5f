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
pub fn words_of(source: &crate::content::Source) -> Result<ArticleWords, crate::FileError> {
    let f = &source.front;
    let body = source.body()?;
    let mut fields: Vec<&str> = vec![f.kicker.as_deref().unwrap_or(""), f.summary.as_deref().unwrap_or("")];
    fields.extend(f.topics.iter().map(String::as_str));
    fields.extend(f.tags.iter().map(String::as_str));
    Ok(ArticleWords::of(&f.title, &fields, &body))
}

/// The words of every article the last build indexed, by the hash of its
/// source file, so that a rebuild reads only the bodies of changed
/// articles. Kept beside the output (`.public.blatt-manifest.search`);
/// only a cache: a missing, torn or unreadable one means reading bodies.
///
/// Layout: header, count, a table sorted by hash of (hash, offset, length,
/// checksum) with its own checksum, then the words. A rebuild after a body
/// edit looks up one article with two small reads ([`WordCache::lookup`]).
#[derive(Default)]
pub struct WordCache {
    bytes: Vec<u8>,
    blobs: usize,
    table: HashMap<u128, (usize, usize, u64)>,
}

const CACHE_HEADER: &[u8] = b"blatt-search-words 2\n";
const ROW: usize = 16 + 8 + 4 + 8;

fn parse_row(row: &[u8]) -> (u128, usize, usize, u64) {
    let hash = u128::from_le_bytes(row[..16].try_into().expect("16 bytes"));
    let offset = u64::from_le_bytes(row[16..24].try_into().expect("8 bytes")) as usize;
    let len = u32::from_le_bytes(row[24..28].try_into().expect("4 bytes")) as usize;
    let sum = u64::from_le_bytes(row[28..36].try_into().expect("8 bytes"));
    (hash, offset, len, sum)
}

/// The table of a cache file's first bytes: (rows, where the words start).
fn table_of(start: &[u8]) -> Option<(usize, usize)> {
    let rest = start.strip_prefix(CACHE_HEADER)?;
    let count = u64::from_le_bytes(rest.get(..8)?.try_into().ok()?) as usize;
    let table_end = CACHE_HEADER.len() + 8 + count.checked_mul(ROW)?;
    Some((count, table_end + 16))
}

fn checked_blob(blob: &[u8], sum: u64) -> Option<&[u8]> {
    (xxhash_rust::xxh3::xxh3_64(blob) == sum && std::str::from_utf8(blob).is_ok()).then_some(blob)
}

impl WordCache {
    pub fn path_for(out: &Path) -> PathBuf {
        let mut p = crate::output::manifest::path_for(out).into_os_string();
        p.push(".search");
        PathBuf::from(p)
    }

    /// The small cache of articles edited by body-edit rebuilds since the
    /// cache was last written whole, so that editing one article again
    /// stays on the fast path.
    pub fn edits_path_for(out: &Path) -> PathBuf {
        let mut p = Self::path_for(out).into_os_string();
        p.push(".edits");
        PathBuf::from(p)
    }

    fn read(path: &Path) -> WordCache {
        let Ok(bytes) = std::fs::read(path) else {
            return WordCache::default();
        };
        Self::decode(bytes).unwrap_or_default()
    }

    /// The cache and the edits since it was written.
    pub fn load(out: &Path) -> WordCache {
        let mut cache = Self::read(&Self::path_for(out));
        let edits = Self::read(&Self::edits_path_for(out));
        let blobs = cache.bytes.len();
        cache.bytes.extend_from_slice(&edits.bytes[edits.blobs..]);
        for (hash, (offset, len, sum)) in edits.table {
            cache.table.insert(hash, (blobs - cache.blobs + offset, len, sum));
        }
        cache
    }

    /// Adds the words of edited articles to the edits file.
    pub fn add_edits(out: &Path, new: &[(u128, Vec<u8>)]) -> std::io::Result<()> {
        let old = Self::read(&Self::edits_path_for(out));
        let mut entries: Vec<(u128, &[u8])> = new.iter().map(|(h, w)| (*h, w.as_slice())).collect();
        for &hash in old.table.keys() {
            if let Some(w) = old.get(hash) {
                entries.push((hash, w));
            }
        }
        replace(&Self::edits_path_for(out), |w| Self::encode_to(&entries, w))
    }

    fn decode(bytes: Vec<u8>) -> Option<WordCache> {
        let (count, blobs) = table_of(&bytes)?;
        let table_bytes = bytes.get(..blobs - 16)?;
        let sum = u128::from_le_bytes(bytes.get(blobs - 16..blobs)?.try_into().ok()?);
        if xxhash_rust::xxh3::xxh3_128(table_bytes) != sum {
            return None;
        }
        let rows = &table_bytes[CACHE_HEADER.len() + 8..];
        let mut table = HashMap::with_capacity(count);
        for row in rows.chunks_exact(ROW) {
            let (hash, offset, len, sum) = parse_row(row);
            bytes.get(blobs + offset..blobs + offset + len)?;
            table.insert(hash, (offset, len, sum));
        }
        Some(WordCache { bytes, blobs, table })
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// The encoded words of the article whose file has `hash`.
    pub fn get(&self, hash: u128) -> Option<&[u8]> {
        let &(offset, len, sum) = self.table.get(&hash)?;
        checked_blob(&self.bytes[self.blobs + offset..self.blobs + offset + len], sum)
    }

    /// [`WordCache::get`] without reading the whole cache.
    pub fn lookup(out: &Path, hash: u128) -> Option<Vec<u8>> {
        Self::read(&Self::edits_path_for(out))
            .get(hash)
            .map(<[u8]>::to_vec)
            .or_else(|| Self::lookup_in(&Self::path_for(out), hash))
    }

    fn lookup_in(path: &Path, hash: u128) -> Option<Vec<u8>> {
        use std::io::{Read, Seek, SeekFrom};
        let mut file = std::fs::File::open(path).ok()?;
        let mut start = vec![0u8; CACHE_HEADER.len() + 8];
        file.read_exact(&mut start).ok()?;
        let (count, blobs) = table_of(&start)?;
        let mut table = start;
        table.resize(blobs, 0);
        file.read_exact(&mut table[CACHE_HEADER.len() + 8..]).ok()?;
        let sum = u128::from_le_bytes(table[blobs - 16..].try_into().ok()?);
        if xxhash_rust::xxh3::xxh3_128(&table[..blobs - 16]) != sum {
            return None;
        }
        let rows = &table[CACHE_HEADER.len() + 8..blobs - 16];
        let (mut lo, mut hi) = (0, count);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let (h, offset, len, sum) = parse_row(&rows[mid * ROW..(mid + 1) * ROW]);
            match h.cmp(&hash) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    file.seek(SeekFrom::Start((blobs + offset) as u64)).ok()?;
                    let mut blob = vec![0u8; len];
                    file.read_exact(&mut blob).ok()?;
                    return checked_blob(&blob, sum).map(<[u8]>::to_vec);
                }
            }
        }
        None
    }

    /// The cache of exactly `entries` (file hash, encoded words), written
    /// as it is made, so that the words of 100 000 articles are not copied
    /// into one buffer first.
    pub fn encode_to(entries: &[(u128, &[u8])], w: &mut impl std::io::Write) -> std::io::Result<()> {
        let mut sorted: Vec<&(u128, &[u8])> = entries.iter().collect();
        // Stable: of two entries for one hash, the first given stays.
        sorted.sort_by_key(|(h, _)| *h);
        sorted.dedup_by_key(|(h, _)| *h);
        let mut head = CACHE_HEADER.to_vec();
        head.extend_from_slice(&(sorted.len() as u64).to_le_bytes());
        let mut offset = 0u64;
        for (hash, blob) in &sorted {
            head.extend_from_slice(&hash.to_le_bytes());
            head.extend_from_slice(&offset.to_le_bytes());
            head.extend_from_slice(&(blob.len() as u32).to_le_bytes());
            head.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(blob).to_le_bytes());
            offset += blob.len() as u64;
        }
        let sum = xxhash_rust::xxh3::xxh3_128(&head);
        head.extend_from_slice(&sum.to_le_bytes());
        w.write_all(&head)?;
        for (_, blob) in &sorted {
            w.write_all(blob)?;
        }
        w.flush()
    }

    /// Writes a whole cache of `entries`; the edits it replaces go.
    pub fn write_entries(out: &Path, entries: &[(u128, &[u8])]) -> std::io::Result<()> {
        Self::stage_entries(out, entries)?.commit()
    }

    /// Writes a whole cache of `entries` under another name, to be renamed
    /// into place when the build that made it commits ([`PendingCache`]).
    pub fn stage_entries(out: &Path, entries: &[(u128, &[u8])]) -> std::io::Result<PendingCache> {
        let mut pending = Self::path_for(out).into_os_string();
        pending.push(".new");
        // Deleted when dropped, that is unless committed.
        let pending = tempfile::TempPath::try_from_path(pending)?;
        write_file(&pending, |w| Self::encode_to(entries, w))?;
        Ok(PendingCache {
            pending,
            out: out.to_path_buf(),
        })
    }
}

/// A whole word cache written beside the output but not yet in place. Its
/// entries hold whether or not the build succeeds, and writing them as
/// soon as they are made spares holding every article's words until the
/// commit; but a build that fails or is refused must leave nothing behind,
/// so the file takes the cache's name only when the build commits.
pub struct PendingCache {
    pending: tempfile::TempPath,
    out: std::path::PathBuf,
}

impl PendingCache {
    /// Puts the cache in place; the edits it replaces go.
    pub fn commit(self) -> std::io::Result<()> {
        self.pending
            .persist(WordCache::path_for(&self.out))
            .map_err(|e| e.error)?;
        match std::fs::remove_file(WordCache::edits_path_for(&self.out)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// Writes a cache file through a temporary file and a rename, without the
/// fsync of outputs: a torn cache fails its checksums and is only re-read.
fn replace(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_os_string();
    tmp.push(".tmp");
    write_file(Path::new(&tmp), write)?;
    std::fs::rename(&tmp, path)
}

fn write_file(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    write(&mut file)?;
    file.into_inner().map_err(std::io::IntoInnerError::into_error)?;
    Ok(())
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

/// The files of the index a previous build wrote to `out`, changed for
/// articles whose words changed: `(id, old words, new words)`. This is
/// what a clean build would write, since files are a function of the
/// postings and only these articles' postings differ. `None` when the
/// files are not as expected or a shard would disappear (a deleted file is
/// for the ordinary rebuild).
pub fn patch(out: &Path, dir: &str, changes: &[(u32, &[u8], &[u8])]) -> Option<SearchData> {
    let read = |rel: &str| std::fs::read(out.join(rel)).ok();
    let meta_rel = SearchFile::Meta.path(dir);
    let meta: MetaFile = serde_json::from_slice(&read(&meta_rel)?).ok()?;
    let mut shard_names: Vec<String> = meta.shards;
    // Per shard: word → postings (absolute).
    let mut shards: BTreeMap<String, BTreeMap<String, Vec<u32>>> = BTreeMap::new();
    for &(id, old, new) in changes {
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
            return None;
        }
        files.insert(SearchFile::Shard(name.clone()).path(dir), shard_json(&words));
    }
    let names: Vec<&str> = shard_names.iter().map(String::as_str).collect();
    let meta_bytes = meta_json(meta.articles, &names);
    if read(&meta_rel)? != meta_bytes {
        files.insert(meta_rel, meta_bytes);
    }
    Some(SearchData { files })
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
        let names: Vec<&str> = shards.keys().map(String::as_str).collect();
        files.insert(SearchFile::Meta.path(dir), meta_json(n, &names));
        SearchData { files }
    }

    /// The jobs of the data files present.
    pub fn data_jobs(&self, dir: &str) -> Vec<SearchFile> {
        let meta = SearchFile::Meta.path(dir);
        let shards = format!("{dir}/shards/");
        let docs = format!("{dir}/docs/");
        let mut jobs = Vec::new();
        if self.files.contains_key(&meta) {
            jobs.push(SearchFile::Meta);
        }
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

    #[test]
    fn cache_round_trips_and_finds_one_article() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let a = ArticleWords::of("Titel", &[], "Text über Öl");
        let b = ArticleWords::of("Anderes", &[], "");
        WordCache::write_entries(&out, &[(7, &a.0), (3, &b.0)]).unwrap();
        let bytes = std::fs::read(WordCache::path_for(&out)).unwrap();
        let cache = WordCache::load(&out);
        assert_eq!(cache.get(7), Some(&a.0[..]));
        assert_eq!(cache.get(3), Some(&b.0[..]));
        assert_eq!(WordCache::lookup(&out, 7), Some(a.0.clone()));
        assert_eq!(WordCache::lookup(&out, 3), Some(b.0.clone()));
        assert_eq!(WordCache::lookup(&out, 5), None);
        // Edits are found by both ways of reading, until a whole cache replaces them.
        let c = ArticleWords::of("Neu", &[], "");
        WordCache::add_edits(&out, &[(5, c.0.clone())]).unwrap();
        WordCache::add_edits(&out, &[(6, b.0.clone())]).unwrap();
        assert_eq!(WordCache::lookup(&out, 5), Some(c.0.clone()));
        let cache = WordCache::load(&out);
        assert_eq!(
            (cache.get(5), cache.get(6), cache.get(7)),
            (Some(&c.0[..]), Some(&b.0[..]), Some(&a.0[..]))
        );
        WordCache::write_entries(&out, &[(7, &a.0), (3, &b.0)]).unwrap();
        assert_eq!(WordCache::lookup(&out, 5), None);
        // A torn file is no cache.
        std::fs::write(WordCache::path_for(&out), &bytes[..bytes.len() - 1]).unwrap();
        assert!(WordCache::load(&out).is_empty());
        assert_eq!(WordCache::lookup(&out, 7), None);
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
        assert_eq!(data.data_jobs("s").len(), 1 + 3 + 1, "meta, shards al ne wo, docs");
    }

    #[test]
    fn a_patch_writes_what_a_clean_build_writes() {
        let dir = tempfile::tempdir().unwrap();
        let a = ArticleWords::of("Neu", &[], "wort welt");
        let b = ArticleWords::of("Alt", &[], "wort");
        let before = SearchData::build("s", &[&a.0, &b.0], &[doc("/n/"), doc("/o/")]);
        for (rel, bytes) in &before.files {
            crate::output::write_atomic(&dir.path().join(rel), bytes).unwrap();
        }
        // "Alt" (id 0) now says "Welt" and "Zeit", and "wort" in its title.
        let b2 = ArticleWords::of("Alt Wort", &[], "welt zeit");
        let patched = patch(dir.path(), "s", &[(0, &b.0, &b2.0)]).unwrap();
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
        assert!(patch(dir.path(), "s", &[(0, &b.0, &b3.0)]).is_none());
    }
}
