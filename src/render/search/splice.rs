//! Chunk files read and changed as bytes. A chunk starts at a word by its
//! hash and the lengths of its list and the one before (`starts_chunk`),
//! so a change that leaves every word in the index and every list on its
//! side of BIG_WORD keeps the chunks' boundaries: each chunk a changed
//! word is in is written again with only that word's list changed between
//! the lowest and the highest posting the change touches — the entries
//! before copied as bytes, those after too once the first of them has its
//! new delta — instead of decoding every word of the chunk and encoding
//! it again. A common word's chunk is its list alone, tens of thousands
//! of entries at 100 000 articles, and an article has a hundred such
//! words: re-coding them was about a quarter of the CPU of a day's move
//! or a new article there. Two changes are spliced: articles moved to
//! other ids with their words unchanged (a date edit, and the articles
//! whose slots it takes or frees: [`moved`]), where every word keeps how
//! many articles it is in; and any change of postings whose lists stay on
//! their side ([`edited`], for `super::patch`, which decodes and re-cuts
//! the chunks where that does not hold). [`parse_shard`] decodes a chunk.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::docs::docs_update;
use super::patch::{Files, IndexChange, MetaFile, Moved, kept_files, place};
use super::{BIG_WORD, Doc, SearchData, chunk_of, chunk_path, decode_words, recent_from};

/// [`super::moved`] when every id the moves touch, before and now, is below
/// the recent block and its boundary stays: the chunks keep their
/// boundaries and are spliced (below), the docs files of the articles
/// moved are made again, and nothing else changes.
pub(super) fn moved<D: std::borrow::Borrow<Doc>>(
    block: usize,
    read: &(impl Fn(&str) -> Option<Vec<u8>> + Sync),
    dir: &str,
    (m, change): (&Moved, &IndexChange),
    doc: impl Fn(u32) -> D,
    recorded: impl Fn(&str) -> Option<u128>,
) -> Option<SearchData> {
    let (meta, _) = MetaFile::read(read, dir)?;
    let from = meta.recent_from;
    let below = |id: u32| id < from;
    if meta.articles != m.before.len()
        || meta.slots != m.slots
        || recent_from(m.before, block) != from
        || recent_from(m.after, block) != from
        || !m.moves.iter().all(|&(old, new, _)| below(old) && below(new))
        || !below(m.doc.0)
    {
        return None;
    }
    let mut files = moved_chunks(read, dir, &meta.keys, &m.moves)?;
    let (docs, docs_now, gone) = docs_update(dir, &change.docs, m.before, m.after, doc);
    files.extend(docs);
    let kept = kept_files(dir, &files, (&meta.keys, &meta.recent, &docs_now), recorded)?;
    Some(SearchData {
        dir: dir.to_string(),
        files,
        kept,
        gone: gone.collect(),
    })
}

/// A word's postings (`id * 4 + weight`) the moves take out and put in,
/// sorted, none in both.
#[derive(Default)]
struct Postings {
    out: Vec<u32>,
    put: Vec<u32>,
}

/// The chunk files (site-relative path, bytes) of the index in `dir`
/// (`read` gives a file), whose chunks have `keys`, after `moves`: each
/// an article's id before and now, and its words (encoded as
/// [`super::ArticleWords`]). Every id, before and now, must be below the
/// recent block. `None` when a list does not hold what the moves take out
/// or already holds what they put in, or a chunk is not as a build writes
/// it: then the caller re-cuts the chunks.
fn moved_chunks(
    read: &(impl Fn(&str) -> Option<Vec<u8>> + Sync),
    dir: &str,
    keys: &[String],
    moves: &[(u32, u32, &[u8])],
) -> Option<Files> {
    let mut by_word: BTreeMap<&str, Postings> = BTreeMap::new();
    for &(old, new, words) in moves.iter().filter(|(old, new, _)| old != new) {
        for (w, weight) in decode_words(words) {
            let p = by_word.entry(w).or_default();
            p.out.push(old.checked_mul(4)? + u32::from(weight));
            p.put.push(new.checked_mul(4)? + u32::from(weight));
        }
    }
    if keys.first().map(String::as_str) != Some("") {
        return None;
    }
    let mut by_chunk: BTreeMap<usize, Vec<(&str, Postings)>> = BTreeMap::new();
    for (w, mut p) in by_word {
        p.out.sort_unstable();
        p.put.sort_unstable();
        // A slot one article leaves and another takes with the same weight.
        let out: Vec<u32> = p
            .out
            .iter()
            .copied()
            .filter(|v| p.put.binary_search(v).is_err())
            .collect();
        p.put.retain(|v| p.out.binary_search(v).is_err());
        p.out = out;
        if p.out.is_empty() && p.put.is_empty() {
            continue;
        }
        by_chunk.entry(chunk_of(keys, w)).or_default().push((w, p));
    }
    let chunks: Vec<(usize, Vec<(&str, Postings)>)> = by_chunk.into_iter().collect();
    chunks
        .par_iter()
        .map(|(c, words)| {
            let path = chunk_path(dir, keys, *c);
            let bytes = read(&path)?;
            Some((path, spliced(&bytes, words)?))
        })
        .collect()
}

/// The chunk file `bytes` with the lists of `words` (in the file's order)
/// spliced.
fn spliced(bytes: &[u8], words: &[(&str, Postings)]) -> Option<Vec<u8>> {
    spliced_with(bytes, words, splice_list)
}

/// A word's edits as `super::patch` gathers them: the new posting weight
/// (or none) of each article whose posting of it changes.
pub(super) type WordEdits<'a> = (&'a str, &'a [(u32, Option<u8>)]);

/// The chunk file `bytes` with the lists of `words` (in the file's order)
/// edited as bytes, as [`spliced`] does for moves, when that keeps where
/// the chunks start: every word is in the chunk already and its list
/// neither empties nor crosses [`BIG_WORD`] (`starts_chunk` looks at a
/// word's list and its neighbour's, nothing else). That is the usual
/// change: an article come, gone or edited is in a few hundred lists, a
/// hundred of them a common word's chunk of tens of thousands of entries,
/// which decoding and encoding again took a quarter of the CPU of a new
/// article at 100 000. `None` otherwise (then the chunk is decoded and
/// re-cut with its neighbours).
pub(super) fn edited(bytes: &[u8], words: &[WordEdits]) -> Option<Vec<u8>> {
    spliced_with(bytes, words, |list, &edits, out| edit_list(list, edits, out))
}

/// The chunk file `bytes` with the list of each of `words` (in the file's
/// order, each in the file) written by `splice` (from the list's bytes
/// between its brackets), the rest copied.
fn spliced_with<T>(
    bytes: &[u8],
    words: &[(&str, T)],
    splice: impl Fn(&[u8], &T, &mut Vec<u8>) -> Option<()>,
) -> Option<Vec<u8>> {
    let rest = bytes.strip_prefix(b"{\"w\":")?;
    let mut stream = serde_json::Deserializer::from_slice(rest).into_iter::<Vec<String>>();
    let names = stream.next()?.ok()?;
    let mut pos = b"{\"w\":".len() + stream.byte_offset();
    pos += bytes[pos..].strip_prefix(b",\"p\":[").map(|_| 6)?;
    let mut out = Vec::with_capacity(bytes.len() + 16);
    out.extend_from_slice(&bytes[..pos]);
    let mut next = words.iter().peekable();
    for (k, name) in names.iter().enumerate() {
        if k > 0 {
            out.push(*bytes.get(pos).filter(|&&b| b == b',')?);
            pos += 1;
        }
        bytes.get(pos).filter(|&&b| b == b'[')?;
        let end = pos + memchr::memchr(b']', &bytes[pos..])?;
        match next.next_if(|(w, _)| *w == name) {
            Some((_, edits)) => {
                out.push(b'[');
                splice(&bytes[pos + 1..end], edits, &mut out)?;
                out.push(b']');
            }
            None => out.extend_from_slice(&bytes[pos..=end]),
        }
        pos = end + 1;
    }
    let tail = &bytes[pos..];
    (next.next().is_none() && tail.starts_with(b"]}")).then(|| {
        out.extend_from_slice(tail);
        out
    })
}

/// A posting list (its deltas, comma-separated) read up to a span of
/// values: the entries below it, those inside, and the first after it.
struct Span {
    /// Where the entries below the span end in the list's bytes, and the
    /// value of the last of them (0 when none).
    head_end: usize,
    last: u32,
    inside: Vec<u32>,
    /// The first entry after the span: its bytes' end and its value.
    after: Option<(usize, u32)>,
}

impl Span {
    /// `list` read up to the first value above `hi`, the values from `lo`
    /// on being inside. `None` when it is not a list as a build writes it.
    fn of(list: &[u8], lo: u32, hi: u32) -> Option<Span> {
        let mut span = Span {
            head_end: 0,
            last: 0,
            inside: Vec::new(),
            after: None,
        };
        if list.last() == Some(&b',') {
            return None;
        }
        // Numbers of a few digits each: read byte by byte, as `parse_shard` does.
        let (mut pos, mut value) = (0, 0u32);
        while pos < list.len() {
            let start = pos;
            let mut delta = 0u32;
            while let Some(&b) = list.get(pos).filter(|&&b| b != b',') {
                let digit = b.wrapping_sub(b'0');
                if digit > 9 {
                    return None;
                }
                delta = delta.checked_mul(10)?.checked_add(u32::from(digit))?;
                pos += 1;
            }
            if pos == start {
                return None;
            }
            value = value.checked_add(delta)?;
            if value < lo {
                (span.last, span.head_end) = (value, pos);
            } else if value <= hi {
                span.inside.push(value);
            } else {
                span.after = Some((pos, value));
                break;
            }
            pos += 1;
        }
        Some(span)
    }

    /// Writes the list with the span's values now `now` (sorted): the
    /// entries below copied, `now` and the first after written anew, the
    /// rest copied.
    fn write(&self, list: &[u8], now: &[u32], out: &mut Vec<u8>) -> Option<()> {
        out.extend_from_slice(&list[..self.head_end]);
        let (mut last, mut comma) = (self.last, self.head_end > 0);
        let mut number = itoa::Buffer::new();
        for &v in now.iter().chain(self.after.as_ref().map(|(_, v)| v)) {
            if comma {
                out.push(b',');
            }
            out.extend_from_slice(number.format(v.checked_sub(last)?).as_bytes());
            (last, comma) = (v, true);
        }
        if let Some((end, _)) = self.after {
            out.extend_from_slice(&list[end..]);
        }
        Some(())
    }
}

/// Writes `list` (a posting list's deltas, comma-separated) with the
/// postings `p.out` taken out and `p.put` put in: the entries below the
/// lowest of them copied as they are, those up to the highest and the
/// first after written anew, the rest copied.
fn splice_list(list: &[u8], p: &Postings, out: &mut Vec<u8>) -> Option<()> {
    let lo = p.out.first().into_iter().chain(p.put.first()).min().copied()?;
    let hi = p.out.last().into_iter().chain(p.put.last()).max().copied()?;
    let span = Span::of(list, lo, hi)?;
    let mut now = Vec::with_capacity(span.inside.len() + p.put.len());
    let mut taken = 0;
    for &v in &span.inside {
        if p.out.binary_search(&v).is_ok() {
            taken += 1;
        } else {
            now.push(v);
        }
    }
    // An article has one posting of a word: an id put in must be free.
    let ids = |l: &[u32]| l.iter().map(|v| v / 4).collect::<Vec<_>>();
    let kept_ids = ids(&now);
    if taken != p.out.len() || ids(&p.put).iter().any(|id| kept_ids.binary_search(id).is_ok()) {
        return None;
    }
    now.extend_from_slice(&p.put);
    now.sort_unstable();
    span.write(list, &now, out)
}

/// Writes `list` with each article's posting as `edits` say
/// ([`super::patch::place`]), when the list neither was nor becomes empty
/// nor crosses [`BIG_WORD`] entries (see [`edited`]).
fn edit_list(list: &[u8], edits: &[(u32, Option<u8>)], out: &mut Vec<u8>) -> Option<()> {
    let lo = edits.iter().map(|e| e.0).min()?.checked_mul(4)?;
    let hi = edits.iter().map(|e| e.0).max()?.checked_mul(4)?.checked_add(3)?;
    let span = Span::of(list, lo, hi)?;
    let mut now = span.inside.clone();
    for &(id, weight) in edits {
        place(&mut now, id, weight);
    }
    let was = if list.is_empty() {
        0
    } else {
        memchr::memchr_iter(b',', list).count() + 1
    };
    let is = (was + now.len()).checked_sub(span.inside.len())?;
    if was == 0 || is == 0 || (was >= BIG_WORD) != (is >= BIG_WORD) {
        return None;
    }
    span.write(list, &now, out)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn spliced_list(list: &str, out: &[u32], put: &[u32]) -> Option<String> {
        let p = Postings {
            out: out.to_vec(),
            put: put.to_vec(),
        };
        let mut bytes = Vec::new();
        splice_list(list.as_bytes(), &p, &mut bytes)?;
        Some(String::from_utf8(bytes).unwrap())
    }

    /// Deltas below the span are copied, those inside it and the first
    /// after it written anew, the rest copied; a span at the start, at the
    /// end, over the whole list; postings that are not there to take out,
    /// or an id already there to put in, give none.
    #[test]
    fn a_list_is_spliced_inside_the_span_only() {
        // Values 4, 9, 13, 21, 30 (ids 1, 2, 3, 5, 7).
        let list = "4,5,4,8,9";
        // Id 2 (9) to id 4 (17): 13 stays inside the span.
        assert_eq!(spliced_list(list, &[9], &[17]).as_deref(), Some("4,9,4,4,9"));
        assert_eq!(spliced_list(list, &[4], &[5]).as_deref(), Some("5,4,4,8,9"));
        assert_eq!(spliced_list(list, &[30], &[29]).as_deref(), Some("4,5,4,8,8"));
        assert_eq!(spliced_list(list, &[30], &[0]).as_deref(), Some("0,4,5,4,8"));
        assert_eq!(spliced_list("6", &[6], &[5]).as_deref(), Some("5"));
        assert_eq!(spliced_list(list, &[10], &[11]), None, "10 is not in the list");
        assert_eq!(spliced_list(list, &[9], &[14]), None, "id 3 has a posting");
        assert_eq!(spliced_list("4,,5", &[4], &[5]), None);
        assert_eq!(spliced_list("4,5,", &[4], &[5]), None);
        assert_eq!(spliced_list("4,x", &[4], &[5]), None);
    }

    /// Edits spliced into a chunk file as bytes give what a build writes of
    /// the lists edited: a posting put in, one taken out, a weight changed,
    /// in several words at once. An edit that may move a chunk's boundary
    /// (a list emptied, one that was empty, one crossing BIG_WORD) or names
    /// a word the chunk lacks gives none.
    #[test]
    fn edits_are_spliced_as_bytes_where_no_boundary_can_move() {
        let big = BIG_WORD as u32;
        // Ids 0, 2, 4, … with weight 1: one short of BIG_WORD.
        let nearly_big: Vec<u32> = (0..big - 1).map(|k| k * 8 + 1).collect();
        let file = |a: Vec<u32>, b: Vec<u32>, c: Vec<u32>| {
            super::super::shard_json(&[("a", a), ("b", b), ("c", c), ("leer", Vec::new())])
        };
        let bytes = file(vec![4, 9], nearly_big.clone(), vec![13]);
        let edit = |edits: &[WordEdits]| edited(&bytes, edits);
        // Id 2 of `a` weighs 3 now and id 5 comes; id 0 of `b` weighs 2.
        let mut b = nearly_big.clone();
        b[0] = 2;
        assert_eq!(
            edit(&[("a", &[(2, Some(3)), (5, Some(0))]), ("b", &[(0, Some(2))])]),
            Some(file(vec![4, 11, 20], b, vec![13]))
        );
        // Id 1 goes from `a`, id 0 from `b`, and an edit that is none.
        assert_eq!(
            edit(&[("a", &[(1, None)]), ("b", &[(0, None), (1, None)])]),
            Some(file(vec![9], nearly_big[1..].to_vec(), vec![13]))
        );
        assert_eq!(edit(&[("a", &[(1, None), (2, None)])]), None, "emptied");
        assert_eq!(edit(&[("leer", &[(1, Some(0))])]), None, "was empty");
        assert_eq!(edit(&[("b", &[(1, Some(0)), (3, Some(0))])]), None, "crosses BIG_WORD");
        assert_eq!(edit(&[("bb", &[(1, Some(0))])]), None, "not in the chunk");
        assert_eq!(
            edit(&[("c", &[(3, Some(0))]), ("a", &[(5, Some(0))])]),
            None,
            "out of order"
        );
        // A list at BIG_WORD that stays there is spliced.
        let mut at_big = nearly_big.clone();
        at_big.push(big * 8);
        let bytes = file(vec![4], at_big.clone(), vec![13]);
        let mut now = at_big.clone();
        now.insert(1, 4);
        assert_eq!(
            edited(&bytes, &[("b", &[(0, None), (1, Some(0))])]),
            Some(file(vec![4], now[1..].to_vec(), vec![13]))
        );
    }
}
