//! An article moved among others by a new date, its words unchanged
//! ([`super::moved`]): every id of the run between its two places holds
//! another article, so the postings of all their words change, but only
//! inside the run, and every word keeps how many articles it is in. The
//! chunks then keep their boundaries (a chunk starts at a word by its hash
//! and the lengths of its list and the one before: `starts_chunk`), so each
//! chunk a changed word is in is written again with that word's list
//! spliced — the entries before the run and after the first one past it
//! copied as bytes — instead of decoding every word of the chunk and
//! encoding it again: at 100 000 articles a run of two reaches some 600
//! chunks and 36 MB, most of it the long lists of common words.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::{SearchFile, decode_words, shard_name};

/// A word whose postings inside the run change: the word, and its
/// postings there before and after.
type Moved<'a> = (&'a str, Vec<u32>, Vec<u32>);

/// The chunk files (site-relative path, bytes) of the index in `dir`
/// (`read` gives a file) whose words' postings change when the ids from
/// `first` held articles with the words `before` and now `after` (each
/// encoded as [`super::ArticleWords`], the same words over the run), given
/// the chunks' `keys`. `None` when a word's count changes, or a chunk is
/// not as expected: then the caller re-cuts the chunks.
pub(super) fn moved_postings(
    read: &(impl Fn(&str) -> Option<Vec<u8>> + Sync),
    dir: &str,
    keys: &[String],
    first: u32,
    before: &[&[u8]],
    after: &[&[u8]],
) -> Option<BTreeMap<String, Vec<u8>>> {
    // Each word's postings (`id * 4 + weight`) inside the run, before and
    // after, in the order of the ids.
    let mut runs: BTreeMap<&str, (Vec<u32>, Vec<u32>)> = BTreeMap::new();
    for (k, (old, new)) in before.iter().zip(after).enumerate() {
        let id = first.checked_add(u32::try_from(k).ok()?)?;
        for (w, weight) in decode_words(old) {
            runs.entry(w).or_default().0.push(id * 4 + u32::from(weight));
        }
        for (w, weight) in decode_words(new) {
            runs.entry(w).or_default().1.push(id * 4 + u32::from(weight));
        }
    }
    let run = (first * 4, (first + u32::try_from(before.len()).ok()?) * 4 - 1);
    if keys.first().map(String::as_str) != Some("") {
        return None;
    }
    let mut by_chunk: BTreeMap<usize, Vec<Moved>> = BTreeMap::new();
    for (w, (old, new)) in runs {
        if old == new {
            continue;
        }
        if old.len() != new.len() {
            return None;
        }
        let chunk = keys.partition_point(|k| k.as_str() <= w) - 1;
        by_chunk.entry(chunk).or_default().push((w, old, new));
    }
    let chunks: Vec<(usize, Vec<Moved>)> = by_chunk.into_iter().collect();
    chunks
        .par_iter()
        .map(|(c, words)| {
            let path = SearchFile::Shard(shard_name(&keys[*c])).path(dir);
            let bytes = read(&path)?;
            Some((path, spliced(&bytes, words, run)?))
        })
        .collect()
}

/// The chunk file `bytes` with the lists of `words` (in the file's order,
/// each with its postings inside `run` before and after) spliced.
fn spliced(bytes: &[u8], words: &[Moved], run: (u32, u32)) -> Option<Vec<u8>> {
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
        match next.next_if(|(w, ..)| *w == name) {
            Some((_, old, new)) => {
                out.push(b'[');
                splice_list(&bytes[pos + 1..end], old, new, run, &mut out)?;
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

/// Writes `list` (a posting list's deltas, comma-separated) with its
/// entries inside `run` — which must be `old` — replaced by `new`: the
/// entries before copied as they are, the first one after given its new
/// delta, the rest copied.
fn splice_list(list: &[u8], old: &[u32], new: &[u32], (lo, hi): (u32, u32), out: &mut Vec<u8>) -> Option<()> {
    let mut number = itoa::Buffer::new();
    let (mut value, mut last, mut head_end) = (0u32, 0u32, 0usize);
    let mut inside = Vec::with_capacity(old.len());
    // The first entry after the run: its bytes' end and its value.
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
    if inside != old {
        return None;
    }
    out.extend_from_slice(&list[..head_end]);
    let mut comma = head_end > 0;
    for &v in new.iter().chain(after.as_ref().map(|(_, v)| v)) {
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

    fn spliced_list(list: &str, old: &[u32], new: &[u32], run: (u32, u32)) -> Option<String> {
        let mut out = Vec::new();
        splice_list(list.as_bytes(), old, new, run, &mut out)?;
        Some(String::from_utf8(out).unwrap())
    }

    /// Deltas before the run are copied, the run's entries and the first
    /// after it written anew, the rest copied; a run at the start, at the
    /// end and alone; entries that are not the `old` ones give none.
    #[test]
    fn a_list_is_spliced_inside_the_run_only() {
        // Values 4, 9, 13, 21, 30.
        let list = "4,5,4,8,9";
        assert_eq!(
            spliced_list(list, &[9, 13], &[10, 12], (8, 15)).as_deref(),
            Some("4,6,2,9,9")
        );
        assert_eq!(spliced_list(list, &[4], &[5], (4, 7)).as_deref(), Some("5,4,4,8,9"));
        assert_eq!(spliced_list(list, &[30], &[29], (28, 31)).as_deref(), Some("4,5,4,8,8"));
        assert_eq!(spliced_list("6", &[6], &[5], (4, 7)).as_deref(), Some("5"));
        assert_eq!(spliced_list(list, &[], &[], (0, 3)).as_deref(), Some("4,5,4,8,9"));
        assert_eq!(spliced_list(list, &[9], &[10], (8, 15)), None, "13 is in the run too");
        assert_eq!(spliced_list("4,,5", &[], &[], (40, 43)), None);
        assert_eq!(spliced_list("4,5,", &[], &[], (40, 43)), None);
        assert_eq!(spliced_list("4,x", &[], &[], (40, 43)), None);
    }
}
