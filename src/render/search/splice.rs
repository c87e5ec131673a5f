//! Articles moved to other ids with their words unchanged (a date edit,
//! and the articles whose slots it takes or frees: [`super::moved`]):
//! every word keeps how many articles it is in, so the chunks keep their
//! boundaries (a chunk starts at a word by its hash and the lengths of its
//! list and the one before: `starts_chunk`). Each chunk a moved article's
//! word is in is written again with only that word's list changed between
//! the lowest and the highest posting the moves touch — the entries before
//! copied as bytes, those after too once the first of them has its new
//! delta — instead of decoding every word of the chunk and encoding it
//! again. A common word's chunk is its list alone, tens of thousands of
//! entries at 100 000 articles, and an article has a hundred such words:
//! re-coding them was about a quarter of a day's move's CPU there.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::docs::docs_update;
use super::patch::{Files, IndexChange, MetaFile, Moved, kept_files};
use super::{Doc, SearchData, SearchFile, decode_words, recent_from, shard_name};

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
        let chunk = keys.partition_point(|k| k.as_str() <= w) - 1;
        by_chunk.entry(chunk).or_default().push((w, p));
    }
    let chunks: Vec<(usize, Vec<(&str, Postings)>)> = by_chunk.into_iter().collect();
    chunks
        .par_iter()
        .map(|(c, words)| {
            let path = SearchFile::Shard(shard_name(&keys[*c])).path(dir);
            let bytes = read(&path)?;
            Some((path, spliced(&bytes, words)?))
        })
        .collect()
}

/// The chunk file `bytes` with the lists of `words` (in the file's order)
/// spliced.
fn spliced(bytes: &[u8], words: &[(&str, Postings)]) -> Option<Vec<u8>> {
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
            Some((_, postings)) => {
                out.push(b'[');
                splice_list(&bytes[pos + 1..end], postings, &mut out)?;
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

/// Writes `list` (a posting list's deltas, comma-separated) with the
/// postings `p.out` taken out and `p.put` put in: the entries below the
/// lowest of them copied as they are, those up to the highest and the
/// first after written anew, the rest copied.
fn splice_list(list: &[u8], p: &Postings, out: &mut Vec<u8>) -> Option<()> {
    let lo = p.out.first().into_iter().chain(p.put.first()).min().copied()?;
    let hi = p.out.last().into_iter().chain(p.put.last()).max().copied()?;
    let (mut value, mut last, mut head_end) = (0u32, 0u32, 0usize);
    let mut inside = Vec::new();
    // The first entry after the span: its bytes' end and its value.
    let mut after: Option<(usize, u32)> = None;
    if list.last() == Some(&b',') {
        return None;
    }
    // Numbers of a few digits each: read byte by byte, as `parse_shard` does.
    let mut pos = 0;
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
            (last, head_end) = (value, pos);
        } else if value <= hi {
            inside.push(value);
        } else {
            after = Some((pos, value));
            break;
        }
        pos += 1;
    }
    let mut now = Vec::with_capacity(inside.len() + p.put.len());
    let mut taken = 0;
    for v in inside {
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
    out.extend_from_slice(&list[..head_end]);
    let mut comma = head_end > 0;
    let mut number = itoa::Buffer::new();
    for &v in now.iter().chain(after.as_ref().map(|(_, v)| v)) {
        if comma {
            out.push(b',');
        }
        out.extend_from_slice(number.format(v.checked_sub(last)?).as_bytes());
        (last, comma) = (v, true);
    }
    if let Some((end, _)) = after {
        out.extend_from_slice(&list[end..]);
    }
    Some(())
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
}
