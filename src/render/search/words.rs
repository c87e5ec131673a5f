//! An article's words as the index has them: normalised, split, counted
//! and weighted. This runs on every body of a full build, so the usual
//! text (NFKC already) is read in one pass that lowercases, folds and
//! splits as it goes and counts each word in a per-article table, without
//! a string per word or a normalised copy of the text.

use unicode_normalization::UnicodeNormalization;

use super::{MAX_WORD_BYTES, MAX_WORD_CHARS, MAX_WORDS};

/// Weight of a word in the title.
pub const TITLE: u8 = 3;

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
        match fold(c) {
            Some(folded) => out.push_str(folded),
            None => out.push(c),
        }
    }
    out
}

/// The two letters a lower-case German letter is searched as (`ä` → `ae`):
/// a reader types `Aussenminister` as often as `Außenminister`.
fn fold(lower: char) -> Option<&'static str> {
    match lower {
        'ä' => Some("ae"),
        'ö' => Some("oe"),
        'ü' => Some("ue"),
        'ß' => Some("ss"),
        _ => None,
    }
}

/// The indexable words of normalised text: runs of letters and digits of 2
/// to [`MAX_WORD_CHARS`] characters.
pub fn words(normalized: &str) -> impl Iterator<Item = &str> {
    normalized.split(|c: char| !c.is_alphanumeric()).filter(|w| {
        let n = w.chars().count();
        (2..=MAX_WORD_CHARS).contains(&n) && w.len() <= MAX_WORD_BYTES
    })
}

/// Calls `found` with each word of `text` as [`normalize`] then [`words`]
/// give them, in order, without their strings: text that is NFKC and has
/// no capital sigma (whose lowercase depends on its neighbours) is
/// lowercased, folded and split in one pass into `word`, a buffer reused
/// across calls. Nearly all news text is NFKC already ([`plain_len`] finds
/// that); the rest is mostly plain text with a few `…` or no-break spaces,
/// and is normalised only around those ([`nfkc`]) before the same pass.
/// Text with a capital sigma, before or after NFKC, takes the two steps.
pub(super) fn each_word(text: &str, word: &mut Vec<u8>, mut found: impl FnMut(&[u8])) {
    let plain = plain_len(text);
    if plain == text.len() {
        return each_word_of_nfkc(text, word, found);
    }
    let normalized = nfkc(text, plain);
    if normalized.contains('Σ') {
        words(&normalize(text)).for_each(|w| found(w.as_bytes()));
    } else {
        each_word_of_nfkc(&normalized, word, found);
    }
}

/// [`each_word`] of text that is NFKC and has no capital sigma: then
/// lowercasing is one character at a time, as folding and splitting are.
fn each_word_of_nfkc(text: &str, word: &mut Vec<u8>, mut found: impl FnMut(&[u8])) {
    word.clear();
    // Characters of the current word. Its bytes stop growing past the
    // limit: such a word is dropped anyway, and a run of megabytes without
    // a space costs no memory.
    let mut chars = 0usize;
    let mut end = |word: &mut Vec<u8>, chars: &mut usize| {
        if (2..=MAX_WORD_CHARS).contains(chars) && word.len() <= MAX_WORD_BYTES {
            found(word);
        }
        word.clear();
        *chars = 0;
    };
    let push = |word: &mut Vec<u8>, bytes: &[u8]| {
        if word.len() <= MAX_WORD_BYTES {
            word.extend_from_slice(bytes);
        }
    };
    let two_byte = two_byte_steps();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            // A run of ASCII letters and digits is taken whole.
            let run = bytes[i..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
            if run > 0 {
                let room = (MAX_WORD_BYTES + 1).saturating_sub(word.len()).min(run);
                word.extend(bytes[i..i + room].iter().map(u8::to_ascii_lowercase));
                chars += run;
                i += run;
            } else {
                if chars > 0 {
                    end(word, &mut chars);
                }
                i += 1;
            }
            continue;
        }
        if b & 0xE0 == 0xC0 {
            // Two bytes (U+0080..U+07FF: Latin, Greek, Cyrillic, Hebrew,
            // Arabic): what the character does is looked up.
            let c = (usize::from(b & 0x1F) << 6) | usize::from(bytes[i + 1] & 0x3F);
            match two_byte[c - 0x80] {
                TwoByte::Add { bytes, len, chars: n } => {
                    push(word, &bytes[..usize::from(len)]);
                    chars += usize::from(n);
                    i += 2;
                    continue;
                }
                TwoByte::End => {
                    if chars > 0 {
                        end(word, &mut chars);
                    }
                    i += 2;
                    continue;
                }
                TwoByte::Other => {}
            }
        }
        let c = text[i..]
            .chars()
            .next()
            .expect("a character starts at a non-ASCII byte of a str");
        i += c.len_utf8();
        steps_of(c, |step| match step {
            Step::Add(bytes, n) => {
                push(word, bytes);
                chars += n;
            }
            Step::End => {
                if chars > 0 {
                    end(word, &mut chars);
                }
            }
        });
    }
    if chars > 0 {
        end(word, &mut chars);
    }
}

/// What one character does to the word being read: adds letters (their
/// bytes, and how many characters they count as), or ends the word.
enum Step<'a> {
    Add(&'a [u8], usize),
    End,
}

/// The steps of a character of NFKC text without capital sigma: German
/// letters folded without the case tables (`Ä` → `ae`), others lowercased
/// one character at a time; whatever is not a letter or digit ends a word.
fn steps_of(c: char, mut step: impl FnMut(Step)) {
    let german = match c {
        'Ä' => fold('ä'),
        'Ö' => fold('ö'),
        'Ü' => fold('ü'),
        c => fold(c),
    };
    if let Some(folded) = german {
        return step(Step::Add(folded.as_bytes(), 2));
    }
    for l in c.to_lowercase() {
        if let Some(folded) = fold(l) {
            step(Step::Add(folded.as_bytes(), 2));
        } else if l.is_alphanumeric() {
            step(Step::Add(l.encode_utf8(&mut [0; 4]).as_bytes(), 1));
        } else {
            step(Step::End);
        }
    }
}

/// [`steps_of`] a character of two UTF-8 bytes, where it is one step.
#[derive(Clone, Copy)]
enum TwoByte {
    Add {
        bytes: [u8; 4],
        len: u8,
        chars: u8,
    },
    End,
    /// Several steps (`İ` is `i` and a combining dot): asked each time.
    Other,
}

/// [`steps_of`] every character from U+0080 to U+07FF, asked once:
/// German text has an umlaut or ß every few words, and each was decoded,
/// looked up in the case tables and folded (the tokeniser's share of a
/// clean c10k build fell from 4.5 to 3.8 % with the table, session 72).
fn two_byte_steps() -> &'static [TwoByte; 0x780] {
    static TABLE: std::sync::OnceLock<[TwoByte; 0x780]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [TwoByte::Other; 0x780];
        for (k, entry) in table.iter_mut().enumerate() {
            let c = char::from_u32(0x80 + k as u32).expect("no surrogates below U+0800");
            let mut steps = Vec::new();
            steps_of(c, |step| {
                steps.push(match step {
                    // One character's bytes, or a fold's two.
                    Step::Add(b, n) => {
                        let mut bytes = [0; 4];
                        bytes[..b.len()].copy_from_slice(b);
                        TwoByte::Add {
                            bytes,
                            len: b.len() as u8,
                            chars: n as u8,
                        }
                    }
                    Step::End => TwoByte::End,
                })
            });
            if let [one] = steps[..] {
                *entry = one;
            }
        }
        table
    })
}

/// The length in bytes of the longest start of `text` whose every
/// character is plain: ASCII, or below U+3000 (Latin, Greek, Cyrillic,
/// punctuation, currency: nearly all news text) and left as it is by NFKC
/// whatever stands around it (quick check Yes, combining class 0), and not
/// the capital sigma. Such text is NFKC already, which the crate's own
/// quick check finds too, but at a table search per character: 2–3 % of a
/// clean build's CPU went there.
fn plain_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        i += ascii_len(&bytes[i..]);
        let Some(c) = text[i..].chars().next() else {
            return i;
        };
        if !is_plain(c) {
            return i;
        }
        i += c.len_utf8();
    }
}

/// The length of the run of ASCII bytes `bytes` starts with, found
/// sixteen bytes at a time: German text has a letter beyond ASCII every
/// few words, so the run usually ends inside the first sixteen.
fn ascii_len(bytes: &[u8]) -> usize {
    let mut i = 0;
    while let Some(sixteen) = bytes.get(i..i + 16) {
        let high = u128::from_le_bytes(sixteen.try_into().expect("sixteen bytes")) & (u128::MAX / 255 * 0x80);
        if high != 0 {
            // The lowest set bit is in the first byte that is not ASCII.
            return i + high.trailing_zeros() as usize / 8;
        }
        i += 16;
    }
    i + bytes[i..].iter().take_while(|b| b.is_ascii()).count()
}

/// Whether NFKC leaves `c` as it is wherever it stands (see [`plain_len`]):
/// text can then be normalised in pieces cut just before such characters.
fn is_plain(c: char) -> bool {
    let u = c as usize;
    u < PLAIN_BELOW && plain_table()[u / 64] & (1 << (u % 64)) != 0
}

/// `text` in NFKC, `text[..plain]` being plain already. Only the pieces
/// around characters that are not plain are normalised: each from the
/// character before (which may compose with it) to the next plain
/// character; a plain character starts no composition with what comes
/// before it and holds no mark that could move, so the text may be cut
/// just before it (Unicode's normalisation boundary), and the pieces'
/// normal forms joined are the whole text's.
fn nfkc(text: &str, plain: usize) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
    // `text[..copied]` is in `out`, normalised.
    let mut copied = 0;
    let mut i = plain;
    while i < bytes.len() {
        // At a character that is not plain: its piece starts at the
        // character before, unless that one ended the piece before.
        let start = text[copied..i]
            .char_indices()
            .next_back()
            .map_or(i, |(k, _)| copied + k);
        let mut end = i;
        while let Some(c) = text[end..].chars().next().filter(|&c| !is_plain(c)) {
            end += c.len_utf8();
        }
        out.push_str(&text[copied..start]);
        out.extend(text[start..end].nfkc());
        copied = end;
        i = end + plain_len(&text[end..]);
    }
    out.push_str(&text[copied..]);
    out
}

/// Characters below this are looked up in [`plain_table`].
const PLAIN_BELOW: usize = 0x3000;

/// One bit per character below [`PLAIN_BELOW`], set where [`plain_len`]
/// takes it; asked of the normalisation crate itself, once.
fn plain_table() -> &'static [u64; PLAIN_BELOW / 64] {
    use unicode_normalization::IsNormalized;
    use unicode_normalization::char::canonical_combining_class;
    static TABLE: std::sync::OnceLock<[u64; PLAIN_BELOW / 64]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [0u64; PLAIN_BELOW / 64];
        for c in (0..PLAIN_BELOW as u32).filter_map(char::from_u32) {
            let stays = unicode_normalization::is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes;
            if stays && canonical_combining_class(c) == 0 && c != 'Σ' {
                table[c as usize / 64] |= 1 << (c as usize % 64);
            }
        }
        table
    })
}

/// The words of one article, sorted, each with its weight (see the module
/// comment of the index); kept encoded (a line per word, the weight's digit
/// and the word) so that the cache's bytes serve as they are, without a
/// string per word.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleWords(pub Vec<u8>);

/// The (word, weight) pairs of encoded words.
pub fn decode_words(blob: &[u8]) -> impl Iterator<Item = (&str, u8)> {
    // Encoded from &str, and checked when read from the cache.
    let text = std::str::from_utf8(blob).unwrap_or("");
    // The lines as `split_terminator('\n')` gives them, by memchr: that
    // iterator compared each match with a call to memcmp, 1 % of a
    // clean build's CPU.
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain((!text.ends_with('\n')).then_some(text.len()));
    ends.filter_map(move |end| {
        let line = &text[start..end];
        start = end + 1;
        let (flag, word) = line.split_at_checked(1)?;
        let weight = flag.as_bytes()[0].checked_sub(b'0').filter(|&w| w <= TITLE)?;
        Some((word, weight))
    })
}

/// A distinct word of an article: its bytes in the arena, the first eight
/// of them as a number for sorting, and its weight.
struct Seen {
    start: u32,
    end: u32,
    prefix: u64,
    weight: u8,
}

/// Sorts like the bytes it is made of, on the first eight.
fn prefix_of(word: &[u8]) -> u64 {
    let mut first = [0u8; 8];
    let n = word.len().min(8);
    first[..n].copy_from_slice(&word[..n]);
    u64::from_be_bytes(first)
}

impl ArticleWords {
    /// `fields` are kicker, summary, topics, tags; `body` the Markdown source.
    /// Words count in the order of the texts, title first, so that the
    /// [`MAX_WORDS`] cap keeps the title and fields.
    pub fn of(title: &str, fields: &[&str], body: &str) -> ArticleWords {
        let mut arena: Vec<u8> = Vec::with_capacity(body.len() / 2 + 256);
        let mut seen: Vec<Seen> = Vec::new();
        let mut table: hashbrown::HashTable<u32> = hashbrown::HashTable::with_capacity(256);
        let mut word = Vec::with_capacity(64);
        let texts = std::iter::once(title).chain(fields.iter().copied()).chain([body]);
        for (k, text) in texts.enumerate() {
            let first_weight = if k == 0 { TITLE } else { 0 };
            each_word(text, &mut word, |w| {
                let hash = xxhash_rust::xxh3::xxh3_64(w);
                let prefix = prefix_of(w);
                // Most words repeat, and most are short: the first eight
                // bytes and the length tell those apart without a memcmp.
                let same = |s: &Seen| {
                    s.prefix == prefix
                        && (s.end - s.start) as usize == w.len()
                        && (w.len() <= 8 || arena[s.start as usize..s.end as usize] == *w)
                };
                if let Some(&at) = table.find(hash, |&at| same(&seen[at as usize])) {
                    let weight = &mut seen[at as usize].weight;
                    *weight = (*weight + 1).min(2).max(*weight);
                } else if seen.len() < MAX_WORDS {
                    let start = arena.len() as u32;
                    arena.extend_from_slice(w);
                    table.insert_unique(hash, seen.len() as u32, |&at| {
                        let s = &seen[at as usize];
                        xxhash_rust::xxh3::xxh3_64(&arena[s.start as usize..s.end as usize])
                    });
                    seen.push(Seen {
                        start,
                        end: arena.len() as u32,
                        prefix,
                        weight: first_weight,
                    });
                }
            });
        }
        let bytes = |s: &Seen| &arena[s.start as usize..s.end as usize];
        seen.sort_unstable_by(|a, b| a.prefix.cmp(&b.prefix).then_with(|| bytes(a).cmp(bytes(b))));
        let mut out = Vec::with_capacity(arena.len() + 2 * seen.len());
        for s in &seen {
            out.push(b'0' + s.weight);
            out.extend_from_slice(bytes(s));
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
    Ok(words_in(&source.front, &source.body()?))
}

/// The words of an article whose front matter and body are at hand: what
/// [`words_of`] gives once it has read the body.
pub fn words_in(f: &crate::content::FrontMatter, body: &str) -> ArticleWords {
    let mut fields: Vec<&str> = vec![f.kicker.as_deref().unwrap_or(""), f.summary.as_deref().unwrap_or("")];
    fields.extend(f.topics.iter().map(String::as_str));
    fields.extend(f.tags.iter().map(String::as_str));
    ArticleWords::of(&f.title, &fields, body)
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;

    /// The words of `text` by [`each_word`].
    fn one_pass(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        each_word(text, &mut Vec::new(), |w| {
            found.push(String::from_utf8(w.to_vec()).unwrap())
        });
        found
    }

    /// [`ArticleWords::of`] as it was made before the one-pass reading:
    /// every text normalised, split, and counted in a map of strings.
    fn two_pass(title: &str, fields: &[&str], body: &str) -> ArticleWords {
        let texts: Vec<String> = std::iter::once(title)
            .chain(fields.iter().copied())
            .chain([body])
            .map(normalize)
            .collect();
        let title_words: HashSet<&str> = words(&texts[0]).collect();
        let mut seen: HashMap<&str, usize> = HashMap::new();
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
        let mut out = Vec::new();
        for (w, weight) in &list {
            out.push(b'0' + weight);
            out.extend_from_slice(w.as_bytes());
            out.push(b'\n');
        }
        ArticleWords(out)
    }

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
            "Café ½ x² ǅemal ẞ STRAẞE",
            &format!("{} kurz {}", "lang".repeat(11), "\u{4e00}".repeat(41)),
            &format!("{} kurz {}", "ä".repeat(20), "ä".repeat(21)),
            &format!("x{}y", "\u{20000}".repeat(40)),
            "",
            "ß",
        ] {
            let normalized = normalize(text);
            let expected: Vec<&str> = words(&normalized).collect();
            assert_eq!(one_pass(text), expected, "{text}");
        }
    }

    /// Every character of two UTF-8 bytes, which the one pass looks up in
    /// a table, splits as the two steps split it: alone, doubled, inside
    /// ASCII and German words, at a word's length limit.
    #[test]
    fn every_two_byte_character_splits_as_the_two_steps_split_it() {
        for c in (0x80..0x800).filter_map(char::from_u32) {
            let long = "x".repeat(MAX_WORD_CHARS - 1);
            for text in [
                format!("{c}"),
                format!("ab{c}cd {c}{c} x{c}"),
                format!("Ärger{c}ßÖ {long}{c} {long}{c}{c}"),
            ] {
                let normalized = normalize(&text);
                let expected: Vec<&str> = words(&normalized).collect();
                assert_eq!(one_pass(&text), expected, "U+{:04X} in {text:?}", c as u32);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Any text, German or not, splits as the two steps split it.
        #[test]
        fn one_pass_words_of_any_text(text in "(\\PC|[äöüßÄÖÜẞΣ \\-.İ\u{0301}]){0,80}") {
            let normalized = normalize(&text);
            let expected: Vec<&str> = words(&normalized).collect();
            proptest::prop_assert_eq!(one_pass(&text), expected);
        }
    }

    /// Whether [`plain_len`] takes all of `text`.
    fn plain(text: &str) -> bool {
        plain_len(text) == text.len()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Text the fast check takes as plain is what the crate's quick
        /// check calls NFKC, and has no capital sigma; and any text
        /// normalised in pieces is the crate's NFKC of it whole.
        #[test]
        fn plain_text_is_nfkc(text in "(\\PC|[\u{a0}-\u{3ff}\u{2000}-\u{2fff}äöüß„“–…€Σ=\u{338}\u{301}\u{1100}-\u{11ff}]){0,40}") {
            use unicode_normalization::IsNormalized;
            let plain_start = &text[..plain_len(&text)];
            proptest::prop_assert_eq!(unicode_normalization::is_nfkc_quick(plain_start.chars()), IsNormalized::Yes);
            proptest::prop_assert!(!plain_start.contains('Σ'));
            let whole: String = text.nfkc().collect();
            proptest::prop_assert_eq!(nfkc(&text, plain_start.len()), whole);
        }
    }

    #[test]
    fn news_text_is_plain_and_marks_and_compatibility_forms_are_not() {
        assert!(plain("„Straße“ – 5 € Œuvre, Ελληνικά, Москва"));
        // `…` is `...` to NFKC.
        for text in ["a\u{0301}", "½", "ﬁnanz", "x²", "ΟΔΟΣ", "\u{a0}", "\u{4e00}", "…"] {
            assert!(!plain(text), "{text}");
        }
        assert_eq!(plain_len("Straße … und"), "Straße ".len());
    }

    /// Pieces cut just before plain characters: a mark composes with the
    /// letter before it, `≠` is `=` and a stroke, compatibility forms
    /// expand, a Hangul syllable's jamo join, and a piece can be the first
    /// or last thing in the text.
    #[test]
    fn text_is_normalised_in_pieces_as_whole() {
        for text in [
            "Cafe\u{301} … und ½ Stunde",
            "a=\u{338}b",
            "\u{1100}\u{1161}\u{11a8}x",
            "…",
            "x…",
            "…x",
            "e\u{301}\u{301}\u{a0}\u{a0}e",
            "Ende.\u{a0}",
        ] {
            let whole: String = text.nfkc().collect();
            assert_eq!(nfkc(text, plain_len(text)), whole, "{text:?}");
        }
        // Such text has its words as the two steps give them.
        let normalized = normalize("Cafe\u{301} … und ½\u{a0}Stunde, ﬁnal");
        let expected: Vec<&str> = words(&normalized).collect();
        assert_eq!(one_pass("Cafe\u{301} … und ½\u{a0}Stunde, ﬁnal"), expected);
        assert_eq!(expected, ["café", "und", "stunde", "final"]);
    }

    /// Lines found by memchr are the lines `split_terminator` gives,
    /// with a last line with or without its line break, and bad lines
    /// (no weight, a weight out of range, empty) left out.
    #[test]
    fn encoded_words_decode_line_by_line() {
        let reference = |blob: &str| -> Vec<(String, u8)> {
            blob.split_terminator('\n')
                .filter_map(|line| {
                    let (flag, word) = line.split_at_checked(1)?;
                    let weight = flag.as_bytes()[0].checked_sub(b'0').filter(|&w| w <= TITLE)?;
                    Some((word.to_string(), weight))
                })
                .collect()
        };
        for blob in [
            "",
            "\n",
            "3der\n0und\n",
            "3der\n0und",
            "1a\n\n9x\n2straße\n0",
            "x\n2zwei\n",
        ] {
            let found: Vec<(String, u8)> = decode_words(blob.as_bytes()).map(|(w, k)| (w.to_string(), k)).collect();
            assert_eq!(found, reference(blob), "{blob:?}");
        }
        let last: Vec<(&str, u8)> = decode_words(b"3der\n0und").collect();
        assert_eq!(last, [("der", 3), ("und", 0)]);
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
        assert_eq!(ArticleWords::of("", &[], &long), two_pass("", &[], &long));
        // Words sharing their first eight bytes sort by the rest.
        let w = ArticleWords::of("", &[], "aussenministerin aussenminister aussenm aussenministe");
        let sorted: Vec<&str> = w.iter().map(|(w, _)| w).collect();
        assert_eq!(
            sorted,
            ["aussenm", "aussenministe", "aussenminister", "aussenministerin"]
        );
    }

    /// Real articles, read in place from `../shared/corpus` (German news,
    /// and pages in many languages and scripts): the one-pass words of each
    /// are byte for byte the words the two-step reading made, which the
    /// word caches and indexes of earlier builds hold.
    #[test]
    fn one_pass_words_equal_the_two_step_words_on_real_text() {
        use std::io::BufRead;
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        // (title, fields, body) of every article.
        let mut articles: Vec<(String, Vec<String>, String)> = Vec::new();
        for dir in ["real-txt", "real-txt-with-comments", "ground-truth-en"] {
            for entry in std::fs::read_dir(corpus.join(dir)).unwrap() {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
                let (title, body) = text.split_once('\n').unwrap_or((&text, ""));
                articles.push((title.into(), Vec::new(), body.into()));
            }
        }
        let gnad = std::fs::File::open(corpus.join("10kGNAD/test.jsonl")).unwrap();
        for line in std::io::BufReader::new(gnad).lines() {
            let record: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
            let text = record["text"].as_str().unwrap();
            // Its first sentence is the sub-headline.
            let (title, body) = text.split_once(". ").unwrap_or(("", text));
            let label = record["label"].as_str().unwrap_or("");
            articles.push((title.into(), vec![label.into()], body.into()));
        }
        let bulk = std::fs::File::open(corpus.join("bulk/trafilatura-all-pages.jsonl.gz")).unwrap();
        for line in std::io::BufReader::new(flate2::read::GzDecoder::new(bulk)).lines() {
            let record: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
            let field = |k: &str| record[k].as_str().unwrap_or("").to_string();
            let fields = vec![field("excerpt"), field("categories"), field("tags")];
            articles.push((field("title"), fields, field("text")));
        }
        assert!(
            articles.len() > 2_000,
            "the corpus was read: {} articles",
            articles.len()
        );
        let mut words = 0;
        for (title, fields, body) in &articles {
            let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
            let new = ArticleWords::of(title, &fields, body);
            assert_eq!(new, two_pass(title, &fields, body), "{title}");
            words += new.iter().count();
        }
        assert!(words > 500_000, "{words} words");
    }
}
