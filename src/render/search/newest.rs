//! The index brought up to date for one article come or gone: the daily
//! case of a news archive (or a late report among the others) and its
//! undoing
//! (`pipeline::edits`, which deletes the files an update lists as gone,
//! as when the recent block moves into the chunks).

use super::docs::read_docs_of;
use super::ids::docs_file;
use super::patch::{IndexChange, WordChange, update_in};
use super::{Doc, RECENT_BLOCK, SearchData};

/// The index a previous build wrote (`read` gives its files by
/// site-relative path) with one article more, whose id is the `k`th of
/// `ids` (all ids now, oldest first; `slots` theirs; the last for the
/// newest): its `words` (encoded as [`super::ArticleWords`]) and its
/// `doc`. [`super::update`] with the docs of the file the article joins
/// read back from it, for a new article rebuilt without indexing the
/// others (`pipeline::edits`, which deletes the files it lists as gone, as
/// when the recent block moves into the chunks). The ids of the others
/// must be theirs before. The recent block starts a number of articles
/// from the oldest, so one dated among older ones moves its start one
/// article down: `crossing` are the words of the articles that then leave
/// the chunks for the recent files, by id.
pub fn add_one(
    read: impl Fn(&str) -> Option<Vec<u8>> + Sync,
    dir: &str,
    (words, doc): (&[u8], Doc),
    (k, crossing): (usize, &[(u32, &[u8])]),
    (slots, ids): (u32, &[u32]),
    recorded: impl Fn(&str) -> Option<u128>,
) -> Option<SearchData> {
    let id = *ids.get(k)?;
    let before: Vec<u32> = ids[..k].iter().chain(&ids[k + 1..]).copied().collect();
    let mut docs = read_docs_of(&read, dir, &before, [docs_file(id)])?;
    docs.insert(id, doc);
    let moving = crossing.iter().map(|&(id, words)| WordChange {
        id,
        old: words,
        new: words,
    });
    let change = IndexChange {
        words: std::iter::once(WordChange {
            id,
            old: &[],
            new: words,
        })
        .chain(moving)
        .collect(),
        docs: vec![id],
        before: &before,
        after: ids,
        slots,
    };
    update_in(RECENT_BLOCK, read, dir, &change, |i| &docs[&i], recorded)
}

/// The index a previous build wrote (`read` gives its files by
/// site-relative path) without one of its articles, whose id is the `k`th
/// of `ids` (all ids before, oldest first; `slots` theirs; the last for
/// the newest) and whose `words` (encoded as [`super::ArticleWords`])
/// leave it: [`super::update`] with the docs of the file it leaves read
/// back, the inverse of [`super::add_one`]. One below the recent block
/// moves the block's start one article up, and that article's postings
/// go into the chunks with no words read. `None` as for
/// [`super::update`], among others when the recent block would move back
/// out of the chunks' range.
pub fn remove_one(
    read: impl Fn(&str) -> Option<Vec<u8>> + Sync,
    dir: &str,
    words: &[u8],
    k: usize,
    (slots, ids): (u32, &[u32]),
    recorded: impl Fn(&str) -> Option<u128>,
) -> Option<SearchData> {
    let id = *ids.get(k)?;
    let after: Vec<u32> = ids[..k].iter().chain(&ids[k + 1..]).copied().collect();
    let docs = read_docs_of(&read, dir, ids, [docs_file(id)])?;
    let change = IndexChange {
        words: vec![WordChange {
            id,
            old: words,
            new: &[],
        }],
        docs: Vec::new(),
        before: ids,
        after: &after,
        slots,
    };
    update_in(RECENT_BLOCK, read, dir, &change, |i| &docs[&i], recorded)
}
