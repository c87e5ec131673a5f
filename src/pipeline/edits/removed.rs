//! An article taken out again: a story published by mistake, a
//! duplicate, or [`super::added`] undone; deleted, or set to
//! `draft: true` ([`one_drafted`]), which keeps its file among the
//! sources. Every article older than it keeps its place counted from the
//! oldest, so what changes is what
//! showed the run of the lists it was in from their front to its place,
//! as when it came: the pages of the home, its month and its terms
//! holding that run (for the newest, the front pages and the newest
//! archive pages), the site's feeds and its terms', the counts, the pages
//! of its neighbours (they named it), the pages of the articles that
//! named it as related or chose from near it, the News sitemap while it
//! was fresh, the sitemap (its line goes) and the search files its words
//! were in. Its page is deleted.
//!
//! So the edit path takes it ([`super::plan`]) on a head without it
//! ([`one_gone`]); leaving its terms is a move out of each at its place
//! ([`super::terms`]), worked out on the head with it and then placed in
//! the head without it, where the article stands at the position past the
//! last (`gone_at`), the one place no other article has. What reaches
//! further is for the ordinary rebuild: another file changed too, one
//! alone in its month (the month's page would go, and perhaps its
//! year's), a listing or term losing a page, the News sitemap left empty,
//! more than [`PUSH_LIMIT`] search ids let back (the articles right after
//! it whose ids followed from its own take back their slots, and their
//! postings move), aliases and redirects to it, links to it from other
//! pages.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use chrono::Utc;

use super::added::{PUSH_LIMIT, cached_words, one_file_apart, remapped, sorted_paths};
use super::listed::{month_holding, month_run};
use super::terms::{Retagged, archive_pages};
use super::{Listed, Moves, listing_days};
use crate::config::SiteConfig;
use crate::content::file::Stamp;
use crate::content::{ArticleFile, Rules};
use crate::pipeline::scan::Inputs;
use crate::pipeline::state::manifest::{Counts, Head, LazyTail, Manifest, SearchIds, StoredIndex, StoredTerm};
use crate::pipeline::state::word_cache::WordCache;
use crate::render::outputs::{EditedListings, news_sitemap, sitemap};
use crate::render::search::{self, SearchData, ids};
use crate::site::{SiteIndex, Taxonomy, output_file};

/// The article taken out and the head as it is without it.
pub(super) struct Removed {
    /// The previous head without the article: its month one shorter, in
    /// no term's list, and when its file was deleted, every id after its
    /// own one lower.
    pub head: Head,
    /// The previous build's records, without the article's file unless
    /// it stays.
    pub tail: Arc<LazyTail>,
    /// Its file as the previous build recorded it.
    pub source: ArticleFile,
    /// Its file as it is now, unpublished, and its position among the
    /// tail's sources, when the file stays (`draft: true`).
    pub kept: Option<(u32, ArticleFile)>,
    /// Its page's site path.
    pub page: String,
    /// Its position in the order before, and its month's in the head's
    /// months.
    pub at: usize,
    pub month: usize,
    /// The articles (positions) that named it as related or chose their
    /// related ones near it in its topics' and tags' lists.
    pub near: BTreeSet<usize>,
    /// Those that named it: their pages change whatever they choose now.
    pub named: Vec<usize>,
    /// The search ids before, oldest first.
    pub search_ids: Vec<u32>,
    /// The search ids, before and now, of the articles right after it
    /// whose ids its going let back, oldest first.
    pub let_back: Vec<(u32, u32)>,
    /// Whether the News sitemap listed it.
    pub fresh: bool,
}

impl Removed {
    /// The position that stands for the article in the lists of its
    /// moves out of its terms ([`one_gone`]): past every other.
    fn gone_at(&self) -> usize {
        self.head.index.order.len()
    }

    /// The order to compare listings before and after with: the head's,
    /// with a placeholder id at [`Removed::gone_at`] that no article has.
    pub fn compared(&self) -> Vec<u32> {
        let mut order = self.head.index.order.clone();
        order.push(u32::MAX);
        order
    }
}

/// When the only change since `manifest` is one file deleted, whose
/// article was published: the article and the head without
/// it, and its leaving its terms as positions in that head, where it
/// stands at `gone_at` ([`Removed::compared`]). Otherwise why not.
pub(super) fn one_gone(
    manifest: &Manifest,
    stamps: &[Stamp],
    config: &SiteConfig,
    inputs: &Inputs,
    rules: &Rules,
) -> Result<(Removed, Moves), &'static str> {
    let head = &manifest.head;
    let k = one_file_apart(&head.stamps, stamps).ok_or("a file removed beside other changes")?;
    let now = sorted_paths(stamps)?;
    let path = head.stamps[k].path.as_str();
    let before = manifest.lazy_tail().ok_or("the manifest's tail does not read")?;
    let (x, source) = before
        .find_file(path)
        .ok_or("the removed file is not in the manifest")?;
    take_out(
        head,
        before,
        (x, source),
        Leaving::Deleted(&now),
        (config, inputs, rules),
    )
}

/// When the only change since the last build is one published article
/// set to `draft: true` ([`super::changed::toggled`]; its body may have changed
/// too, which no page shows now): as [`one_gone`], but its file stays
/// among the sources, recorded as it is now ([`Removed::kept`]).
pub(super) fn one_drafted(
    head: &Head,
    toggled: super::changed::Toggled,
    config: &SiteConfig,
    inputs: &Inputs,
    rules: &Rules,
) -> Result<(Removed, Moves), &'static str> {
    let super::changed::Toggled {
        tail, x, stored, now, ..
    } = toggled;
    // Anything else it changed (a date in the future would change when the
    // site next changes by the clock) is for the ordinary rebuild.
    let mut same = now.front.clone();
    same.draft = stored.front.draft;
    if !now.front.draft || !same.same_as(&stored.front) {
        return Err("front matter changed beside `draft`");
    }
    take_out(
        head,
        tail,
        (x, stored),
        Leaving::Drafted(Box::new(now)),
        (config, inputs, rules),
    )
}

/// How an article leaves the site.
enum Leaving<'a> {
    /// Its file deleted; the paths of the sources now.
    Deleted(&'a [&'a str]),
    /// Its file kept, unpublished: as it is now.
    Drafted(Box<ArticleFile>),
}

/// The article `x` of the tail `before` (its file `source` as the
/// previous build recorded it) taken out of `head`.
fn take_out(
    head: &Head,
    before: LazyTail,
    (x, source): (u32, ArticleFile),
    how: Leaving,
    (config, inputs, rules): (&SiteConfig, &Inputs, &Rules),
) -> Result<(Removed, Moves), &'static str> {
    let path = source.path.to_string_lossy().into_owned();
    let path = path.as_str();
    let stored = &head.index;
    let at = stored
        .order
        .iter()
        .position(|&i| i == x)
        .ok_or("the removed article was not published")?;
    if !source.front.aliases.is_empty() || head.moved.iter().any(|(_, file)| file == path) {
        return Err("the removed article has redirects");
    }
    let alone = SiteIndex::new(vec![source.clone()], rules.tz, inputs.selection);
    let page = alone
        .entries
        .first()
        .ok_or("the removed article is not published")?
        .path
        .clone();
    // A page that links to it would have a broken link: the ordinary
    // build reports that.
    let file = output_file(&page);
    let links = before
        .links_to(|target| output_file(target) == file || format!("{target}/index.html") == file)
        .ok_or("the manifest's links do not read")?;
    if links {
        return Err("other pages link to the removed article");
    }
    let mut listings = head.listings.clone();
    let (month, ..) = month_holding(&listings, at).ok_or("the stored months are missing")?;
    match &mut listings.months[month] {
        (.., count) if *count > 1 => *count -= 1,
        _ => return Err("the removed article was alone in its month"),
    }
    let busiest = listings.months.iter().map(|m| m.2 as usize).max().unwrap_or(0);
    let slots = head.search_ids.slots;
    if ids::slots(busiest) != slots {
        return Err("the removal changes the search ids' scale");
    }
    let search_ids = head
        .search_ids
        .ids(stored.order.len())
        .ok_or("the manifest has no search ids (an older blatt wrote it)")?;
    // The articles right after it whose ids followed from its own take
    // back the slots of their times until one keeps its id.
    let len = stored.order.len();
    let k = len - 1 - at;
    let mut new_ids: Vec<u32> = search_ids[..k].iter().chain(&search_ids[k + 1..]).copied().collect();
    let too_many = (PUSH_LIMIT, "the removal lets back too many search ids");
    let prev = k.checked_sub(1).map(|k| search_ids[k]);
    let let_back = ids::follow_on(&mut new_ids[k..], prev, slots, too_many, |i| {
        let newer = before
            .file(stored.order[len - 2 - (k + i)])
            .ok_or("an article of the order is not in the manifest")?;
        Ok(ids::place_of(&newer, rules.tz))
    })?;
    // Its terms lose it, worked out where it is.
    let mut bare = source.front.clone();
    (bare.topics, bare.tags, bare.authors) = (Vec::new(), Vec::new(), Vec::new());
    let leaving = Retagged {
        at,
        before: &source.front,
        after: &bare,
    };
    let mut moves = Moves::of(head, std::slice::from_ref(&leaving), config, false)?;
    moves.nav_stays(head)?;

    // The tail as read so far, its chunks kept, without the article's
    // file unless it stays: then every file keeps its position.
    let (tail, shift, kept, lower) = match how {
        Leaving::Deleted(now) => {
            let (tail, shift) = before.without(path, now);
            (tail, shift, None, 1)
        }
        Leaving::Drafted(now) => (before, head.shift.clone(), Some((x, *now)), 0),
    };
    let remap = |i: u32| i - lower * u32::from(i > x);
    let len = stored.order.len() - 1;
    // Positions after its own one lower; its own stands past the last.
    let placed = |p: usize| match p.cmp(&at) {
        std::cmp::Ordering::Less => p,
        std::cmp::Ordering::Equal => len,
        std::cmp::Ordering::Greater => p - 1,
    };
    for m in &mut moves.terms {
        m.before = m.before.iter().map(|&p| placed(p)).collect();
        m.after = m.after.iter().map(|&p| placed(p)).collect();
    }
    for steps in listings.term_lists_mut() {
        without_place(steps, at);
    }
    let terms = |terms: &[StoredTerm]| remapped(terms, |i| (i != x).then(|| remap(i)));
    let mut named = Vec::new();
    let related = stored
        .related
        .iter()
        .enumerate()
        .filter(|&(p, _)| p != at)
        .map(|(p, r)| {
            if r.contains(&x) {
                named.push(placed(p));
            }
            r.iter().filter(|&&i| i != x).map(|&i| remap(i)).collect()
        })
        .collect();
    let index = StoredIndex {
        order: stored.order.iter().filter(|&&i| i != x).map(|&i| remap(i)).collect(),
        topics: terms(&stored.topics),
        tags: terms(&stored.tags),
        authors: terms(&stored.authors),
        related,
        site: stored.site.clone(),
    };
    // Those near its place in the lists of its topics and tags may choose
    // another related article now (see `Moves::related_near`).
    let limit = config.related.limit;
    let mut near: BTreeSet<usize> = named.iter().copied().collect();
    for m in moves.terms.iter().filter(|m| m.taxonomy != Taxonomy::Authors) {
        let i = m.after.partition_point(|&p| p < at);
        near.extend(&m.after[i.saturating_sub(limit)..(i + limit + 1).min(m.after.len())]);
    }
    let counts = Counts {
        articles: head.counts.articles - 1,
        pages: head.counts.pages - 1,
        ..head.counts
    };
    let head = Head {
        counts,
        shift,
        search_ids: SearchIds::of(slots, &new_ids),
        ..head.reordered(index, listings)
    };
    // The News sitemap lists it while it is fresh; without it, the next
    // newest must be fresh too, or the sitemap would end.
    let selection = inputs.selection;
    let since = news_sitemap::since(config, selection.now);
    let is_fresh = |f: &ArticleFile| config.news.sitemap && f.front.date.with_timezone(&Utc) > since;
    let fresh = is_fresh(&source);
    if fresh && at == 0 {
        let next = head.index.order.first().ok_or("the site had one article")?;
        let next = tail
            .file(*next)
            .ok_or("the next newest article is not in the manifest")?;
        if !is_fresh(&next) {
            return Err("the News sitemap would end");
        }
    }
    let removed = Removed {
        head,
        tail: Arc::new(tail),
        kept,
        source,
        page,
        at,
        month,
        near,
        named,
        search_ids,
        let_back,
        fresh,
    };
    Ok((removed, moves))
}

impl Removed {
    /// Adds to `pages` the article pages that showed it (its neighbours
    /// named it, some as related), to `listed` the home and month pages
    /// the removal changes (those holding the run from the front to its
    /// place; a listing that would lose a page is for the ordinary rebuild)
    /// and the News sitemap while it listed it, and to `shown` the
    /// articles those pages show.
    pub fn shown_by(
        &self,
        pages: &mut BTreeSet<usize>,
        listed: &mut Listed,
        shown: &mut BTreeSet<u32>,
        (config, compared): (&SiteConfig, &[u32]),
    ) -> Result<(), &'static str> {
        let order = &self.head.index.order;
        let at = self.at;
        pages.extend(
            [at.checked_sub(1), (at < order.len()).then_some(at)]
                .into_iter()
                .flatten(),
        );
        pages.extend(&self.named);
        listed.news |= self.fresh;
        let (first, count) = month_run(&self.head.listings, self.month).ok_or("the stored months are missing")?;
        for (first, len, month) in [(0, order.len(), None), (first, count, Some(self.month))] {
            if archive_pages(config, len + 1) != archive_pages(config, len) {
                return Err("a listing loses a page");
            }
            let before: Vec<usize> = (first..at).chain([self.gone_at()]).chain(at..first + len).collect();
            let after: Vec<usize> = (first..first + len).collect();
            listed.run_changed(shown, config, (order, compared), (&before, &after), month);
        }
        Ok(())
    }

    /// Brings the `listings` the plan renders up to date with the removal:
    /// the taxonomies' counts, the newest year's page and the overview
    /// (they show the month's count), and the sitemap without its page
    /// and those of terms that go, with the days of the pages rendered.
    pub fn listings(
        &self,
        listings: &mut EditedListings,
        inputs: &Inputs,
        index: &SiteIndex,
        moves: &Moves,
    ) -> Result<(), &'static str> {
        let head = &self.head;
        listings.counts = moves.counts(head);
        // Its year's page and the overview show its month's count.
        let (year, month, _) = head.listings.months[self.month];
        let (y, _) = super::added::small_month(index, year, month).ok_or("the removed article's month is not shown")?;
        (listings.years, listings.overview) = (vec![y], true);
        let days = listing_days(inputs.urls, index, listings);
        let dropped: Vec<String> = std::iter::once(self.page.clone())
            .chain(moves.gone_files(head, inputs.urls).1)
            .collect();
        let sitemap = sitemap::patched(inputs.out, inputs.urls, &days, &[], &dropped);
        listings.sitemap = Some(sitemap.ok_or("the sitemap cannot be brought up to date")?);
        Ok(())
    }

    /// The search files without its words and its result, in the output
    /// at `out` whose search segment is `dir`.
    pub fn search(&self, out: &Path, dir: &str) -> Result<SearchData, &'static str> {
        let read = |rel: &str| std::fs::read(out.join(rel)).ok();
        let words =
            WordCache::lookup(out, self.source.hash).ok_or("the word cache does not know the removed article")?;
        let recorded = |rel: &str| self.tail.output(rel).map(|o| o.signature);
        let ids = (self.head.search_ids.slots, self.search_ids.as_slice());
        let k = self.search_ids.len() - 1 - self.at;
        // The articles whose ids it let back follow it: in the order
        // without it, from the one right before its place on.
        let order = &self.head.index.order;
        let mut let_back = Vec::with_capacity(self.let_back.len());
        for (p, &(old, new)) in (0..self.at).rev().zip(&self.let_back) {
            let_back.push((old, new, cached_words(out, &self.tail, order[p])?));
        }
        let let_back: Vec<search::Push> = let_back
            .iter()
            .map(|(old, new, w)| (*old, *new, w.as_slice()))
            .collect();
        search::remove_one(read, dir, &words, (k, &let_back), ids, recorded)
            .ok_or("the search index cannot be brought up to date")
    }
}

/// A term list ([`Listings`](crate::pipeline::state::manifest::Listings)
/// steps) without the article at position `at`, every later position one
/// lower: the first step says where the list starts, each next one how far
/// the next position is, so only the steps around `at` change.
fn without_place(steps: &mut Vec<u32>, at: usize) {
    let mut position = 0usize;
    for k in 0..steps.len() {
        position += steps[k] as usize;
        if position < at {
            continue;
        }
        if position == at {
            // Its step joins the next one's, which then reaches one less far.
            let own = steps.remove(k);
            if let Some(next) = steps.get_mut(k) {
                *next = *next + own - 1;
            }
        } else {
            steps[k] -= 1;
        }
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::state::manifest::Listings;

    #[test]
    fn a_term_list_loses_the_article_and_moves_up_behind_it() {
        for positions in [vec![0, 3, 7], vec![0], vec![2, 5], vec![1], vec![], vec![4, 5, 6]] {
            for at in [0, 1, 3, 5, 7, 9] {
                let mut steps = Listings::steps(positions.iter().copied());
                without_place(&mut steps, at);
                let want: Vec<usize> = positions
                    .iter()
                    .filter(|&&p| p != at)
                    .map(|&p| p - usize::from(p > at))
                    .collect();
                assert_eq!(Listings::positions(&steps), want, "{positions:?} without {at}");
            }
        }
    }
}
