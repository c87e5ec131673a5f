//! The docs files of the search index: what the results list shows of
//! each article (URL, title, date, kicker or summary), grouped by id so
//! that a result costs the script one small file ([`DOCS_SPAN`] ids each).
//! Written whole by a build, read back and changed in place by an edit.

use std::collections::BTreeMap;

use super::ids::{DOCS_SPAN, docs_file};
use super::patch::Files;
use super::{Doc, SearchFile, json};

/// A docs file: `docs` are its articles by id, in order; each entry starts
/// with the id's offset in the file (the id less the file's first).
pub(super) fn docs_json<D: std::borrow::Borrow<Doc>>(docs: impl IntoIterator<Item = (u32, D)>) -> Vec<u8> {
    let mut out = String::from("[");
    for (k, (id, d)) in docs.into_iter().enumerate() {
        let d = d.borrow();
        if k > 0 {
            out.push_str(",\n");
        }
        out.push_str(&format!(
            "[{},{},{},{},{},{}]",
            id % DOCS_SPAN,
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

/// Docs files by number, each with the ranks of its articles, in order.
pub(super) type DocsRuns = Vec<(usize, std::ops::Range<usize>)>;

/// The docs files of articles with `ids` (oldest first): each file's
/// number and the ranks of its articles, in order.
pub(super) fn docs_runs(ids: &[u32]) -> DocsRuns {
    let mut runs: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
    for (rank, &id) in ids.iter().enumerate() {
        let k = docs_file(id);
        match runs.last_mut() {
            Some((last, ranks)) if *last == k => ranks.end = rank + 1,
            _ => runs.push((k, rank..rank + 1)),
        }
    }
    runs
}

/// What changes in the docs files when the articles with ids `changed`
/// (ids now) may show otherwise and the ids go from `before` to `after`
/// (oldest first): the files of the changed articles and of the ids gone,
/// made again with `doc(id)` for every id now in them; the files there are
/// now, with the ranks of their articles; and the paths of the files no
/// article is in any more.
pub(super) fn docs_update<'a, D: std::borrow::Borrow<Doc>>(
    dir: &'a str,
    changed: &[u32],
    before: &[u32],
    after: &[u32],
    doc: impl Fn(u32) -> D,
) -> (Files, DocsRuns, impl Iterator<Item = String> + 'a) {
    let after_files = docs_runs(after);
    let before_files: Vec<usize> = docs_runs(before).into_iter().map(|(k, _)| k).collect();
    // Both lists ascend: one walk finds the ids only `before` has.
    let mut rest = after.iter().peekable();
    let gone_ids = before.iter().filter(|&&id| {
        while rest.next_if(|&&a| a < id).is_some() {}
        rest.peek() != Some(&&id)
    });
    let mut docs_files: Vec<usize> = changed.iter().chain(gone_ids).map(|&id| docs_file(id)).collect();
    docs_files.sort_unstable();
    docs_files.dedup();
    let mut files = Files::new();
    for k in docs_files {
        if let Ok(at) = after_files.binary_search_by_key(&k, |(k, _)| *k) {
            let docs = after_files[at].1.clone().map(|r| (after[r], doc(after[r])));
            files.insert(SearchFile::Docs(k).path(dir), docs_json(docs));
        }
    }
    let numbers: Vec<usize> = after_files.iter().map(|(k, _)| *k).collect();
    let gone = before_files
        .into_iter()
        .filter(move |k| numbers.binary_search(k).is_err())
        .map(move |k| SearchFile::Docs(k).path(dir));
    (files, after_files, gone)
}

/// The docs files of the index a previous build wrote (`read` gives them
/// by site-relative path) with what the results list shows of some
/// articles changed: `changed` has their ids and their titles and texts
/// (see [`Doc::text`]) as they are now; their URLs and dates are as they
/// were. For an edit of what lists show of an article, which moves no
/// article (`pipeline::edits`). `None` when a file is not as expected.
pub fn patch_docs(
    read: impl Fn(&str) -> Option<Vec<u8>>,
    dir: &str,
    changed: &[(u32, String, String)],
) -> Option<Files> {
    let mut by_file: BTreeMap<usize, Vec<&(u32, String, String)>> = BTreeMap::new();
    for c in changed {
        by_file.entry(docs_file(c.0)).or_default().push(c);
    }
    let mut files = Files::new();
    for (k, changes) in by_file {
        let path = SearchFile::Docs(k).path(dir);
        let mut docs = read_docs(&read, dir, k)?;
        for (id, title, text) in changes {
            let at = docs.binary_search_by_key(id, |d| d.0).ok()?;
            docs[at].1.title.clone_from(title);
            docs[at].1.text.clone_from(text);
        }
        files.insert(path, docs_json(docs.iter().map(|(id, d)| (*id, d))));
    }
    Some(files)
}

/// The docs of docs file `k`, by id, as `read` gives it; `None` when it is
/// not as [`docs_json`] writes one.
pub(super) fn read_docs(read: &impl Fn(&str) -> Option<Vec<u8>>, dir: &str, k: usize) -> Option<Vec<(u32, Doc)>> {
    type Stored = (u32, String, String, String, String, String);
    let stored: Vec<Stored> = serde_json::from_slice(&read(&SearchFile::Docs(k).path(dir))?).ok()?;
    let first = u32::try_from(k).ok()?.checked_mul(DOCS_SPAN)?;
    let docs: Vec<(u32, Doc)> = stored
        .into_iter()
        .map(|(offset, url, title, date, date_display, text)| {
            let doc = Doc {
                url,
                title,
                date,
                date_display,
                text,
            };
            (offset < DOCS_SPAN).then_some((first + offset, doc))
        })
        .collect::<Option<_>>()?;
    docs.windows(2).all(|w| w[0].0 < w[1].0).then_some(docs)
}

/// The docs of the articles with ids `ids` (oldest first) in the docs
/// files `files`, read back by id; `None` when a file does not hold
/// exactly those of `ids` that fall in it.
pub(super) fn read_docs_of(
    read: &impl Fn(&str) -> Option<Vec<u8>>,
    dir: &str,
    ids: &[u32],
    files: impl IntoIterator<Item = usize>,
) -> Option<BTreeMap<u32, Doc>> {
    let mut docs = BTreeMap::new();
    for k in files {
        let lo = ids.partition_point(|&id| docs_file(id) < k);
        let hi = ids.partition_point(|&id| docs_file(id) <= k);
        if lo == hi {
            continue;
        }
        let read_docs = read_docs(read, dir, k)?;
        if !read_docs.iter().map(|d| d.0).eq(ids[lo..hi].iter().copied()) {
            return None;
        }
        docs.extend(read_docs);
    }
    Some(docs)
}
