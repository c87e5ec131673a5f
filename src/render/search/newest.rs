//! The index brought up to date for one article come or gone: the daily
//! case of a news archive (or a late report among the others) and its
//! undoing
//! (`pipeline::edits`, which deletes the files an update lists as gone,
//! as when the recent block moves into the chunks).

use super::patch::{IndexChange, WordChange, moved_docs, update_in, words_by_id};
use super::{Doc, RECENT_BLOCK, SearchData};

/// An article whose search id another's coming pushed on, or its going
/// let back ([`super::ids`]): its id before, its id now, its words
/// (encoded as [`super::ArticleWords`]).
pub type Push<'a> = (u32, u32, &'a [u8]);

/// The index a previous build wrote (`read` gives its files by
/// site-relative path) with one article more, whose id is the `k`th of
/// `ids` (all ids now, oldest first; `slots` theirs; the last for the
/// newest): its `words` (encoded as [`super::ArticleWords`]) and its
/// `doc`. [`super::update`] with the docs of the files it and the articles
/// it pushes on join read back, for a new article rebuilt without indexing
/// the others (`pipeline::edits`, which deletes the files it lists as
/// gone, as when the recent block moves into the chunks). `pushed` are
/// the articles right after it whose ids it pushed on ([`super::ids`]:
/// it took the slot of the first): id before, id now, words; the ids of
/// the others must be theirs before. The recent block starts a number of
/// articles from the oldest, so one dated among older ones moves its start
/// one article down: `crossing` are the words of the articles that then
/// leave the chunks for the recent files, by id.
pub fn add_one(
    read: impl Fn(&str) -> Option<Vec<u8>> + Sync,
    dir: &str,
    (words, doc): (&[u8], Doc),
    (k, crossing): (usize, &[(u32, &[u8])]),
    pushed: &[Push],
    (slots, ids): (u32, &[u32]),
    recorded: impl Fn(&str) -> Option<u128>,
) -> Option<SearchData> {
    let id = *ids.get(k)?;
    let before = others(ids, k, pushed, |&(old, new, _)| (new, old))?;
    let moves = pushed.iter().map(|&(old, new, _)| (old, new));
    let docs = moved_docs(&read, dir, &before, moves, (id, Some(&doc)))?;
    let moves = pushed.iter().map(|&(old, new, w)| (Some(old), Some(new), w));
    let mut changes: Vec<WordChange> = words_by_id(moves.chain([(None, Some(id), words)])).collect();
    // Those crossing keep their words, but not where they are kept.
    for &(id, words) in crossing {
        if !changes.iter().any(|c| c.id == id) {
            changes.push(WordChange {
                id,
                old: words,
                new: words,
            });
        }
    }
    let change = IndexChange {
        words: changes,
        docs: pushed.iter().map(|&(_, new, _)| new).chain([id]).collect(),
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
/// leave it: [`super::update`] with the docs of the files it and the
/// articles whose ids it lets back leave read back, the inverse of
/// [`super::add_one`]. `let_back` are the articles right after it whose
/// ids followed from its own and move back ([`super::ids`]): id before,
/// id now, words; the ids of the others stay. One below the recent block
/// moves the block's start one article up, and that article's postings
/// go into the chunks with no words read. `None` as for
/// [`super::update`], among others when the recent block would move back
/// out of the chunks' range.
pub fn remove_one(
    read: impl Fn(&str) -> Option<Vec<u8>> + Sync,
    dir: &str,
    words: &[u8],
    (k, let_back): (usize, &[Push]),
    (slots, ids): (u32, &[u32]),
    recorded: impl Fn(&str) -> Option<u128>,
) -> Option<SearchData> {
    let id = *ids.get(k)?;
    let after = others(ids, k, let_back, |&(old, new, _)| (old, new))?;
    let moves = let_back.iter().map(|&(old, new, _)| (old, new));
    let docs = moved_docs(&read, dir, ids, moves, (id, None))?;
    let moves = let_back.iter().map(|&(old, new, w)| (Some(old), Some(new), w));
    let change = IndexChange {
        words: words_by_id(moves.chain([(Some(id), None, words)])).collect(),
        docs: let_back.iter().map(|&(_, new, _)| new).collect(),
        before: ids,
        after: &after,
        slots,
    };
    update_in(RECENT_BLOCK, read, dir, &change, |i| &docs[&i], recorded)
}

/// `ids` without the `k`th, and with the ids of the articles right after
/// it that `moves` names changed: `ids` holds the first of the pair
/// `which` gives, the result the second. `None` when `ids` does not hold
/// them.
fn others(ids: &[u32], k: usize, moves: &[Push], which: impl Fn(&Push) -> (u32, u32)) -> Option<Vec<u32>> {
    let mut others: Vec<u32> = ids[..k].iter().chain(&ids[k + 1..]).copied().collect();
    for (slot, (has, takes)) in others
        .get_mut(k..k + moves.len())?
        .iter_mut()
        .zip(moves.iter().map(which))
    {
        if *slot != has {
            return None;
        }
        *slot = takes;
    }
    Some(others)
}
