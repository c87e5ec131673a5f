//! Near-duplicate recognition: a re-scrape with one word changed, a sentence
//! added or the lede rewritten is the same story, not a new article.
//!
//! Bodies are cut into overlapping runs of [`SHINGLE_WORDS`] words
//! (shingles); two bodies are near-duplicates when the Jaccard similarity of
//! their shingle sets reaches [`NEAR`]. Comparing every new article with
//! every stored one would cost the square of the archive, so each body gets a
//! MinHash signature, cut into bands; only bodies that share a band (an LSH
//! index, a hash map) are compared at all, and then exactly. A body with
//! fewer than [`MIN_SHINGLES`] shingles takes no part: a short agency stub
//! ("the full text is no longer available") shared by many articles would
//! otherwise make them one story.
//!
//! Hand-written rather than a crate: it is a hundred lines on the hash
//! (xxh3) the build already uses, and the threshold, the stub rule and the
//! cap on candidates are what matters here.

use std::collections::HashMap;

use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Words per shingle: long enough that two different stories share few.
pub const SHINGLE_WORDS: usize = 5;
/// Bodies with fewer distinct shingles (about 35 words) are too short to
/// tell a re-scrape from another story with the same stock sentences.
pub const MIN_SHINGLES: usize = 30;
/// Jaccard similarity from which two bodies are one story in two versions.
/// One changed word in an 80-word text gives about 0.89, an added sentence
/// 0.85, a rewritten lede in a short article about 0.65; different stories
/// on one subject, sharing a background paragraph, stay far below.
pub const NEAR: f64 = 0.6;
const BANDS: usize = 20;
const ROWS: usize = 3;
/// Candidates compared exactly per article, those sharing the most bands
/// first: an archive holding the same text many times must not make each
/// import compare with all of them.
const MAX_CANDIDATES: usize = 8;

/// A body's distinct shingles, as hashes, sorted.
pub fn shingles(text: &str) -> Vec<u64> {
    // Each word hashed once; a shingle's hash combines its words' in order.
    let mut out: Vec<u64> = word_hashes(text)
        .windows(SHINGLE_WORDS)
        .map(|w| w.iter().fold(0u64, |h, &x| mix(h.rotate_left(23) ^ x, 0)))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The hash of each word of `text` in lower case, in order. One pass over
/// the bytes, an ASCII word lower-cased in one buffer rather than a string
/// of its own: the first import into an archive shingles every stored body.
fn word_hashes(text: &str) -> Vec<u64> {
    let bytes = text.as_bytes();
    let mut hashes = Vec::with_capacity(bytes.len() / 6);
    let mut lower = String::new();
    let mut hash = |word: &str| {
        lower.clear();
        let h = match word.is_ascii() {
            true => {
                lower.push_str(word);
                lower.make_ascii_lowercase();
                xxh3_64_with_seed(lower.as_bytes(), 0)
            }
            // Latin-1 letters (`Ä`, `ß`) without the Unicode tables; any
            // other word as `str::to_lowercase` has it (a final sigma).
            false => match word.chars().all(|c| latin1_lower(c).map(|l| lower.push(l)).is_some()) {
                true => xxh3_64_with_seed(lower.as_bytes(), 0),
                false => xxh3_64_with_seed(word.to_lowercase().as_bytes(), 0),
            },
        };
        hashes.push(h);
    };
    // Where the word being read starts.
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let (letter, len) = match bytes[i] {
            b if b.is_ascii() => (b.is_ascii_alphanumeric(), 1),
            _ => {
                let c = text[i..].chars().next().unwrap_or(' ');
                (is_alphanumeric(c), c.len_utf8())
            }
        };
        match (letter, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                hash(&text[s..i]);
                start = None;
            }
            _ => {}
        }
        i += len;
    }
    if let Some(s) = start {
        hash(&text[s..]);
    }
    hashes
}

/// `c` in lower case when it is a char of Latin-1, where only `A`–`Z` and
/// `À`–`Þ` (but `×`) have a lower case other than themselves; `None` for
/// any other char.
fn latin1_lower(c: char) -> Option<char> {
    match c {
        'A'..='Z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{DE}' => char::from_u32(c as u32 + 0x20),
        '\0'..='\u{FF}' => Some(c),
        _ => None,
    }
}

/// `char::is_alphanumeric`, answered without the Unicode tables for the
/// letters of Latin-1 and Latin Extended-A (`ä`, `ß`, `ł`), which German
/// and other European text is full of.
fn is_alphanumeric(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        '\u{C0}'..='\u{17F}' => c != '\u{D7}' && c != '\u{F7}',
        _ => c.is_alphanumeric(),
    }
}

/// Jaccard similarity of two sorted, distinct shingle lists.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    both as f64 / (a.len() + b.len() - both) as f64
}

/// splitmix64's finaliser: a well-mixed 64-bit hash of `x` for each `seed`.
fn mix(x: u64, seed: u64) -> u64 {
    let mut z = x ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

const HASHES: usize = BANDS * ROWS;

/// The bands a body is found by, `None` for one too short to take part.
pub fn bands_of(shingles: &[u64]) -> Option<[u64; BANDS]> {
    (shingles.len() >= MIN_SHINGLES).then(|| bands(shingles))
}

/// The band keys of a shingle set's MinHash signature. The shingles are
/// hashes already, so one permutation is an xor and a multiplication by an
/// odd number (a bijection whose high bits, which decide the minimum, are
/// well mixed): two operations per shingle and hash, in one pass.
fn bands(shingles: &[u64]) -> [u64; BANDS] {
    let mins = minima(shingles);
    std::array::from_fn(|band| {
        let rows = &mins[band * ROWS..(band + 1) * ROWS];
        let bytes: Vec<u8> = rows.iter().flat_map(|m| m.to_le_bytes()).collect();
        xxh3_64_with_seed(&bytes, band as u64)
    })
}

/// The MinHash signature: for each of the [`HASHES`] permutations, the
/// least permuted shingle. Eight of them at a time where the processor
/// multiplies 64-bit lanes (AVX-512 DQ): the first import into an archive
/// signs every stored body, sixty multiplications per shingle.
fn minima(shingles: &[u64]) -> [u64; HASHES] {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512dq") {
        // SAFETY: the processor has the features the function is compiled
        // for, as just asked.
        return unsafe { minima_avx512(shingles) };
    }
    minima_portable(shingles)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
fn minima_avx512(shingles: &[u64]) -> [u64; HASHES] {
    minima_portable(shingles)
}

/// [`minima`] in plain code, which the compiler vectorises for the
/// features of the function it is inlined into.
#[inline(always)]
fn minima_portable(shingles: &[u64]) -> [u64; HASHES] {
    let xors: [u64; HASHES] = std::array::from_fn(|k| mix(k as u64, 1));
    let muls: [u64; HASHES] = std::array::from_fn(|k| mix(k as u64, 2) | 1);
    let mut mins = [u64::MAX; HASHES];
    for &s in shingles {
        for ((min, &xor), &mul) in mins.iter_mut().zip(&xors).zip(&muls) {
            *min = (*min).min((s ^ xor).wrapping_mul(mul));
        }
    }
    mins
}

/// Stored bodies by their band keys.
#[derive(Debug, Default)]
pub struct Index<K> {
    keys: Vec<K>,
    /// The bodies of [`Index::from_bands`], as (band, place in `keys`),
    /// sorted: an archive's 100 000 bodies are two million bands, which a
    /// map of lists would hold in as many allocations.
    sorted: Vec<(u64, u32)>,
    /// Bodies inserted one by one.
    buckets: HashMap<u64, Vec<usize>>,
}

impl<K: Clone> Index<K> {
    /// An index of many bodies at once, each with the bands [`bands_of`]
    /// gave for it.
    pub fn from_bands<'a>(items: impl IntoIterator<Item = (K, &'a [u64])>) -> Index<K> {
        let mut index = Index {
            keys: Vec::new(),
            sorted: Vec::new(),
            buckets: HashMap::new(),
        };
        for (key, bands) in items {
            let id = index.keys.len() as u32;
            index.keys.push(key);
            index.sorted.extend(bands.iter().map(|&band| (band, id)));
        }
        index.sorted.sort_unstable();
        index
    }

    /// Makes a body findable under `key`; too short a body is left out.
    pub fn insert(&mut self, key: K, shingles: &[u64]) {
        if let Some(bands) = bands_of(shingles) {
            self.insert_bands(key, &bands);
        }
    }

    /// Makes a body findable under `key` by the bands [`bands_of`] gave
    /// for it (kept, so that a stored body need not be read again).
    pub fn insert_bands(&mut self, key: K, bands: &[u64]) {
        let id = self.keys.len();
        self.keys.push(key);
        for &band in bands {
            self.buckets.entry(band).or_default().push(id);
        }
    }

    /// The stored bodies that may be near `shingles`, most likely first;
    /// the caller compares each exactly with [`jaccard`].
    pub fn candidates(&self, shingles: &[u64]) -> Vec<K> {
        if shingles.len() < MIN_SHINGLES {
            return Vec::new();
        }
        let mut hits: HashMap<usize, usize> = HashMap::new();
        for band in bands(shingles) {
            for &id in self.buckets.get(&band).into_iter().flatten() {
                *hits.entry(id).or_default() += 1;
            }
            let from = self.sorted.partition_point(|&(b, _)| b < band);
            for &(_, id) in self.sorted[from..].iter().take_while(|&&(b, _)| b == band) {
                *hits.entry(id as usize).or_default() += 1;
            }
        }
        let mut ranked: Vec<(usize, usize)> = hits.into_iter().collect();
        ranked.sort_by_key(|&(id, n)| (std::cmp::Reverse(n), id));
        ranked
            .into_iter()
            .take(MAX_CANDIDATES)
            .map(|(id, _)| self.keys[id].clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Der Gemeinderat von Beispielstadt hat am Montagabend nach langer Debatte \
        den Haushalt für das kommende Jahr beschlossen. Die Mehrheit stimmte für höhere Ausgaben bei \
        Schulen und Radwegen, die Opposition warnte vor neuen Schulden. Der Bürgermeister sprach von \
        einem Kompromiss, der niemanden ganz zufrieden lasse. Besonders umstritten war die Sanierung \
        des Hallenbads, die nun in zwei Abschnitten erfolgen soll. Die Kosten werden auf rund zwölf \
        Millionen Euro geschätzt, ein Drittel davon trägt das Land. Anwohner hatten vor der Sitzung \
        mit Plakaten für den Erhalt des Bades demonstriert.";

    /// The words' hashes as first written: every word lower-cased as a
    /// string of its own, words split where `char::is_alphanumeric` says.
    fn word_hashes_plainly(text: &str) -> Vec<u64> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| xxh3_64_with_seed(w.to_lowercase().as_bytes(), 0))
            .collect()
    }

    /// The quick paths give what the plain code gives, so a cache of bands
    /// made by either stays valid.
    #[test]
    fn quick_shingles_and_signatures_equal_the_plain_ones() {
        for c in (0..=0x2FFF).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?} U+{:04X}", c as u32);
            let lower: Vec<char> = c.to_lowercase().collect();
            match latin1_lower(c) {
                Some(l) => assert_eq!(vec![l], lower, "{c:?}"),
                None => assert!(c as u32 > 0xFF, "{c:?}"),
            }
        }
        let mixed = format!(
            "{STORY} ÜBER die STRASSE nach ÄÖÜ ÀÉÎØÞ ßÿ µº Müßiggang İstanbul, Łódź × Köln ÷ 2 ½ ĲSSEL; ΑΘΗΝΑ ΟΔΥΣΣΕΥΣ ΣΑΣ 東京 Ωmega ǅemal ﬁnal"
        );
        for text in [STORY, mixed.as_str()] {
            assert_eq!(word_hashes(text), word_hashes_plainly(text));
            let shingles = shingles(text);
            assert_eq!(minima(&shingles), minima_portable(&shingles));
        }
    }

    #[test]
    fn a_changed_word_is_near_and_found() {
        let a = shingles(STORY);
        let b = shingles(&STORY.replace("sprach von", "redete von"));
        assert!(jaccard(&a, &b) > 0.85, "{}", jaccard(&a, &b));
        let mut index = Index::default();
        index.insert("a", &a);
        assert_eq!(index.candidates(&b), vec!["a"]);
    }

    #[test]
    fn an_index_made_at_once_finds_what_one_made_one_by_one_finds() {
        let a = shingles(STORY);
        let b = shingles(&STORY.replace("sprach von", "redete von"));
        let other = shingles(
            &STORY
                .replace("Gemeinderat", "Kreistag")
                .replace("Hallenbads", "Freibads"),
        );
        let bodies = [("a", &a), ("other", &other)];
        let kept: Vec<(&str, Vec<u64>)> = bodies
            .iter()
            .map(|(k, s)| (*k, bands_of(s).unwrap().to_vec()))
            .collect();
        let mut at_once = Index::from_bands(kept.iter().map(|(k, b)| (*k, b.as_slice())));
        let mut one_by_one = Index::default();
        for (key, body) in bodies {
            one_by_one.insert(key, body);
        }
        assert_eq!(at_once.candidates(&b), one_by_one.candidates(&b));
        assert_eq!(at_once.candidates(&b).first(), Some(&"a"));
        // Bodies inserted later are found beside the ones made at once.
        at_once.insert("b", &b);
        assert!(at_once.candidates(&a).contains(&"b"));
    }

    #[test]
    fn an_archive_of_copies_gives_a_bounded_number_of_candidates() {
        let a = shingles(STORY);
        let mut index = Index::default();
        for i in 0..500 {
            index.insert(i, &a);
        }
        // Each found copy costs an exact comparison: never more than the cap.
        assert_eq!(index.candidates(&a), (0..MAX_CANDIDATES).collect::<Vec<_>>());
    }

    #[test]
    fn different_text_is_far_and_short_text_takes_no_part() {
        let a = shingles(STORY);
        let other: String = (0..12)
            .map(|i| format!("Absatz {i} handelt von einem Fußballspiel in der zweiten Liga."))
            .collect::<Vec<_>>()
            .join(" ");
        let b = shingles(&other);
        assert!(jaccard(&a, &b) < 0.1);
        let mut index = Index::default();
        index.insert("a", &a);
        assert!(index.candidates(&b).is_empty());
        // Identical, but too short to tell: not indexed, never a candidate.
        let stub = shingles("Der volle Text steht aus rechtlichen Gründen nicht mehr zur Verfügung.");
        assert!(stub.len() < MIN_SHINGLES);
        index.insert("stub", &stub);
        assert!(index.candidates(&stub).is_empty());
    }
}
