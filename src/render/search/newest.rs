//! The index brought up to date for the newest article alone, come or
//! gone: the daily case of a news archive and its undoing
//! (`pipeline::edits`, which deletes the files an update lists as gone,
//! as when the recent block moves into the chunks).

use super::docs::read_docs_of;
use super::ids::docs_file;
use super::patch::{IndexChange, WordChange, update_in};
use super::{Doc, RECENT_BLOCK, SearchData};

/// The index a previous build wrote (`read` gives its files by
/// site-relative path) with one article more, the newest, whose id is
/// the last of `ids` (all ids now, oldest first; `slots` theirs): its
/// `words` (encoded as [`super::ArticleWords`]) and its `doc`. [`super::update`]
/// with the docs of the file the article joins read back from it, for a
/// new article rebuilt without indexing the others (`pipeline::edits`,
/// which deletes the files it lists as gone, as when the recent block
/// moves into the chunks).
pub fn add_newest(
    read: impl Fn(&str) -> Option<Vec<u8>> + Sync,
    dir: &str,
    words: &[u8],
    doc: Doc,
    (slots, ids): (u32, &[u32]),
    recorded: impl Fn(&str) -> Option<u128>,
) -> Option<SearchData> {
    let (&id, before) = ids.split_last()?;
    let mut docs = read_docs_of(&read, dir, before, [docs_file(id)])?;
    docs.insert(id, doc);
    let change = IndexChange {
        words: vec![WordChange {
            id,
            old: &[],
            new: words,
        }],
        docs: vec![id],
        before,
        after: ids,
        slots,
    };
    update_in(RECENT_BLOCK, read, dir, &change, |i| &docs[&i], recorded)
}

/// The index a previous build wrote (`read` gives its files by
/// site-relative path) without its newest article, whose id is the last
/// of `ids` (all ids before, oldest first; `slots` theirs) and whose
/// `words` (encoded as [`super::ArticleWords`]) leave it: [`super::update`] with
/// the docs of the file it leaves read back, the inverse of
/// [`super::add_newest`]. `None` as for [`super::update`], among others when the recent
/// block it leaves would move into the chunks' range.
pub fn remove_newest(
    read: impl Fn(&str) -> Option<Vec<u8>> + Sync,
    dir: &str,
    words: &[u8],
    (slots, ids): (u32, &[u32]),
    recorded: impl Fn(&str) -> Option<u128>,
) -> Option<SearchData> {
    let (&id, after) = ids.split_last()?;
    let docs = read_docs_of(&read, dir, ids, [docs_file(id)])?;
    let change = IndexChange {
        words: vec![WordChange {
            id,
            old: words,
            new: &[],
        }],
        docs: Vec::new(),
        before: ids,
        after,
        slots,
    };
    update_in(RECENT_BLOCK, read, dir, &change, |i| &docs[&i], recorded)
}
