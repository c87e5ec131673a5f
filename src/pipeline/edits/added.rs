//! A new article: the newest of the site, the daily case of a news
//! archive, or one dated among the others — a late report, a story filed
//! for an earlier day; a new file, or a draft published ([`one_published`]:
//! its file was among the sources already and keeps its position). It
//! takes its place in the order and in every list
//! it joins; pages are counted from the oldest, so every page holding
//! older articles keeps them, and every search id but its own stays (ids
//! follow the articles' times). What changes is what shows the run from
//! the front of those lists to its place, which moved one place on: the
//! pages of the home, its month and its terms holding that run (for the
//! newest, the front pages and the newest archive pages), the site's
//! feeds and its terms' where it is among their newest, the counts (of
//! the month, the year, the archive overview, the taxonomies' lists), the
//! pages of its neighbours, the pages of the articles that now name it as
//! related, the News sitemap while it is fresh, the sitemap (which lists
//! article pages first, oldest first: its line goes after the article
//! before it) and the search files its words reach. The newest in a new
//! month adds the month's page, and every page of the month before it
//! now names a newer month; the first of a year adds the year's page; the
//! first fresh one starts the News sitemap, which robots.txt then names.
//! A listing that reaches another `archive_paginate` articles gains an
//! archive page, which the front page and the newest archive pages now
//! name. New pages join the sitemap where their kind lists them
//! ([`gained`]).
//!
//! So the edit path takes it ([`super::plan`]) on a head brought up to
//! date as if the article had always been there without terms
//! ([`new_one`]); joining its terms is then a move into each of them at
//! its place ([`super::terms`]), topics included; among articles of the
//! same time (an import dates those known by their day alone at midnight)
//! its place goes by address, as the index orders them. What reaches
//! further is for the ordinary rebuild: another file changed too, the
//! oldest article, a
//! month it opens inside the archive, more than [`PUSH_LIMIT`] search ids
//! it pushes on, a term that gets its first page, a change of the topics the
//! navigation names, aliases, links by file or to headings.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use chrono::{Datelike, Utc};

use super::listed::month_holding;
use super::terms::pages;
use super::{Listed, ListedPage, listing_days};
use crate::config::SiteConfig;
use crate::content::file::Stamp;
use crate::content::{ArticleFile, FrontMatter, Rules};
use crate::pipeline::scan::Inputs;
use crate::pipeline::state::manifest::{Counts, Head, LazyTail, Manifest, SearchIds, Shift, StoredIndex, StoredTerm};
use crate::pipeline::state::word_cache::WordCache;
use crate::render::outputs::sitemap::{self, day_in};
use crate::render::outputs::{EditedListings, SitemapUrl, news_sitemap};
use crate::render::search::{self, Doc, SearchData, ids};
use crate::site::{SiteIndex, Urls, output_file};

/// The new article and the head as it is with it.
pub(super) struct Added {
    /// The previous head with the article at the front of the order, every
    /// id after its own one higher, its month one longer; in no term's list
    /// yet. Without stamps: the build records its own.
    pub head: Head,
    /// The previous build's records, with the article's.
    pub tail: Arc<LazyTail>,
    /// Its position among the sources.
    pub id: u32,
    /// Its position in the order (0: the newest).
    pub at: usize,
    pub source: ArticleFile,
    /// What the search results show of it.
    pub doc: Doc,
    /// The output file of its page.
    pub page: String,
    /// Whether it opens a month, and with it a year.
    pub opens: Option<Opens>,
    /// Whether the News sitemap starts with it (robots.txt then names it).
    pub starts_news: bool,
    /// The search ids, before and now, of the articles right after it
    /// whose ids it pushed on, oldest first.
    pub pushed: Vec<(u32, u32)>,
}

/// The articles whose search ids a new article may push on (or one
/// deleted let back), at most: a run of articles sharing slots is short
/// where slots stay mostly free ([`ids`]), and each moved article's
/// postings are rewritten.
pub(super) const PUSH_LIMIT: usize = 64;

/// A new article that is the first of its month: the month's page is new,
/// and the year's when it is the first of its year too.
#[derive(Clone, Copy)]
pub(super) struct Opens {
    pub year: bool,
}

impl Added {
    /// Its month in the head's months ([`month_holding`]): its number
    /// there, its first position and its length.
    pub fn month(&self) -> Result<(usize, usize, usize), &'static str> {
        month_holding(&self.head.listings, self.at).ok_or("the stored months do not hold the new article")
    }

    /// Its front matter without terms: the article as it was before it
    /// joined them, for [`super::Moves::of`].
    pub fn without_terms(&self) -> FrontMatter {
        let mut front = self.source.front.clone();
        front.topics.clear();
        front.tags.clear();
        front.authors.clear();
        front
    }
}

/// `terms` with the ids of their feeds as `id` gives them now (`None`:
/// gone), for a head in which sources moved place.
pub(super) fn remapped(terms: &[StoredTerm], id: impl Fn(u32) -> Option<u32>) -> Vec<StoredTerm> {
    terms
        .iter()
        .map(|t| StoredTerm {
            name: t.name.clone(),
            slug: t.slug.clone(),
            feed: t.feed.iter().filter_map(|&i| id(i)).collect(),
        })
        .collect()
}

/// A term list ([`Listings`](crate::pipeline::state::manifest::Listings)
/// steps) with every position from `at` on one further, for an article
/// placed at `at` in the order: the first step says where the list starts,
/// each next one how far the next position is, so only the step that
/// crosses `at` grows.
fn one_place_down_from(steps: &mut [u32], at: usize) {
    let mut position = 0usize;
    for step in steps.iter_mut() {
        position += *step as usize;
        if position >= at {
            *step += 1;
            return;
        }
    }
}

/// Where `longer` has the one source `shorter` lacks, when every other
/// stamp is the same: a file added or deleted and nothing else.
pub(super) fn one_file_apart(longer: &[Stamp], shorter: &[Stamp]) -> Option<usize> {
    let k = longer
        .iter()
        .zip(shorter)
        .position(|(a, b)| a.path != b.path)
        .unwrap_or(shorter.len());
    (longer[..k] == shorter[..k] && longer.get(k + 1..) == Some(&shorter[k..])).then_some(k)
}

/// The paths of the sources, which the walk gives in the order of their
/// names (the shift of the manifest's tail counts on it).
pub(super) fn sorted_paths(stamps: &[Stamp]) -> Result<Vec<&str>, &'static str> {
    let now: Vec<&str> = stamps.iter().map(|s| s.path.as_str()).collect();
    match now.is_sorted() {
        true => Ok(now),
        false => Err("the sources are not in the order of their names"),
    }
}

/// When the only change since `manifest` is one new file: the article and
/// the head with it at its place, its month (and year) added when, the
/// newest, it opens one. Otherwise why not.
pub(super) fn new_one(
    manifest: &Manifest,
    stamps: &[Stamp],
    config: &SiteConfig,
    inputs: &Inputs,
    rules: &Rules,
) -> Result<Added, &'static str> {
    let head = &manifest.head;
    let k = one_file_apart(stamps, &head.stamps).ok_or("a file added beside other changes")?;
    let now = sorted_paths(stamps)?;
    // A file that does not read is for the ordinary build to report.
    let source = ArticleFile::read(Path::new(now[k]), rules).map_err(|_| "the new file does not read")?;
    let (tail, shift, id) = manifest
        .lazy_tail_adding(&source, &now)
        .ok_or("the manifest's tail does not read")?;
    placed(head, source, (tail, shift, id, 1), (config, inputs, rules))
}

/// When the only change since the last build is one article published
/// that was not ([`super::changed::toggled`]: `draft: true` taken off, or a date
/// moved out of the future): as [`new_one`], its file already among the
/// tail's sources, every other keeping its position.
pub(super) fn one_published(
    head: &Head,
    toggled: super::changed::Toggled,
    config: &SiteConfig,
    inputs: &Inputs,
    rules: &Rules,
) -> Result<Added, &'static str> {
    let super::changed::Toggled { tail, x, now, .. } = toggled;
    let shift = head.shift.clone();
    placed(head, now, (tail, shift, x, 0), (config, inputs, rules))
}

/// The article of `source` placed in `head`: its file is the source `id`
/// of `tail` (and `shift`, the tail's as it is now), where the sources
/// from `id` on moved `up` (1: a new file, 0: one that was there).
fn placed(
    head: &Head,
    source: ArticleFile,
    (tail, shift, id, up): (LazyTail, Shift, u32, u32),
    (config, inputs, rules): (&SiteConfig, &Inputs, &Rules),
) -> Result<Added, &'static str> {
    // Redirect pages, and links the whole index resolves or checks.
    if !source.front.aliases.is_empty() || source.body.fragment_links || !source.body.content_links.is_empty() {
        return Err("the new article has aliases, or links by file or to headings");
    }
    let alone = SiteIndex::new(vec![source.clone()], rules.tz, inputs.selection);
    let entry = alone.entries.first().ok_or("the new article is not published")?;
    let remap = |i: u32| i + up * u32::from(i >= id);
    let stored = &head.index;
    let len = stored.order.len();
    // Its place in the order (newest first), among the dates of the
    // articles there; the articles beside it are read to say so.
    let file_at = |p: usize| tail.file(remap(stored.order[p]));
    let (mut lo, mut hi) = (0, len);
    // The article right before its place (newer), once known: `lo` only
    // moves past a newer article, so the last one it moved past.
    let mut newer = None;
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let file = tail
            .file(remap(stored.order[mid]))
            .ok_or("an article of the order is not in the manifest")?;
        if SiteIndex::comes_before(&file, rules.tz, (source.front.date, &entry.path)) {
            (lo, newer) = (mid + 1, Some(file));
        } else {
            hi = mid;
        }
    }
    let at = lo;
    if len == 0 {
        return Err("the site had no article");
    }
    if at == len {
        return Err("the new article is the oldest");
    }
    let mut listings = head.listings.clone();
    let (year, month) = (entry.local.year(), entry.local.month());
    let months = &mut listings.months;
    let opens = match months.iter().position(|&(y, m, _)| (y, m) == (year, month)) {
        Some(m) => {
            months[m].2 += 1;
            None
        }
        // Newer than the newest, in a newer month than the newest's.
        None if at == 0 => {
            let y = months.first().ok_or("the stored months are missing")?.0;
            months.insert(0, (year, month, 1));
            Some(Opens { year: y != year })
        }
        None => return Err("the new article opens a month inside the archive"),
    };
    // Its search id follows the one before it, on the scale the busiest
    // month gives (which a new article may change: then every id changes);
    // the next article's must stay.
    let busiest = listings.months.iter().map(|m| m.2 as usize).max().unwrap_or(0);
    let slots = head.search_ids.slots;
    if ids::slots(busiest) != slots {
        return Err("the new article changes the search ids' scale");
    }
    let mut search_ids = head
        .search_ids
        .ids(len)
        .ok_or("the manifest has no search ids (an older blatt wrote it)")?;
    let k = len - at;
    let new_id = ids::next(
        k.checked_sub(1).map(|k| search_ids[k]),
        ids::place(&entry.local, &entry.path),
        slots,
    );
    // It takes its slot, and pushes on the articles right after it that
    // shared the slot's run until one keeps its id.
    let too_many = (PUSH_LIMIT, "the new article pushes on too many search ids");
    let pushed = ids::follow_on(&mut search_ids[k..], Some(new_id), slots, too_many, |i| {
        let place = match (i, &newer) {
            (0, Some(newer)) => ids::place_of(newer, rules.tz),
            _ => file_at(len - 1 - (k + i))
                .map(|f| ids::place_of(&f, rules.tz))
                .ok_or("an article of the order is not in the manifest")?,
        };
        Ok(place)
    })?;
    search_ids.insert(k, new_id);
    let page = output_file(&entry.path);
    if tail.output(&page).is_some() || head.moved.iter().any(|(from, _)| *from == entry.path) {
        return Err("the new article's address was taken");
    }
    // The News sitemap lists it while it is fresh: it then leaves the
    // sitemap after every other article listed, so the next change by the
    // clock comes no later, unless the sitemap starts with it.
    let published = source.front.date.with_timezone(&Utc);
    let selection = inputs.selection;
    let fresh =
        config.news.sitemap && published > news_sitemap::since(config, selection.now) && published <= selection.now;
    let starts_news = fresh && tail.output(news_sitemap::FILE).is_none();
    let leaves = fresh.then(|| news_sitemap::leaves(config, published)).flatten();
    let next_due = head.next_due.into_iter().chain(leaves.map(|d| d.timestamp())).min();
    for steps in listings.term_lists_mut() {
        one_place_down_from(steps, at);
    }
    let terms = |terms: &[StoredTerm]| remapped(terms, |i| Some(remap(i)));
    let mut order: Vec<u32> = stored.order.iter().map(|&i| remap(i)).collect();
    order.insert(at, id);
    let mut related: Vec<Vec<u32>> = stored
        .related
        .iter()
        .map(|r| r.iter().map(|&i| remap(i)).collect())
        .collect();
    // Its own are chosen with the moves ([`related`]).
    if !related.is_empty() {
        related.insert(at, Vec::new());
    }
    let index = StoredIndex {
        order,
        topics: terms(&stored.topics),
        tags: terms(&stored.tags),
        authors: terms(&stored.authors),
        related,
        site: stored.site.clone(),
    };
    // Its page; the listing pages it adds are counted with the plan's
    // [`gained`].
    let counts = Counts {
        articles: head.counts.articles + 1,
        pages: head.counts.pages + 1,
        ..head.counts
    };
    let doc = super::doc_alone(config, inputs, &alone);
    let head = Head {
        next_due,
        counts,
        shift,
        search_ids: SearchIds::of(slots, &search_ids),
        ..head.reordered(index, listings)
    };
    Ok(Added {
        head,
        tail: Arc::new(tail),
        id,
        at,
        source,
        doc,
        page,
        opens,
        starts_news,
        pushed,
    })
}

/// Adds to `listed` the home and month pages the new article changes,
/// and to `shown` the articles they show, a page one of those listings
/// gains among them: those holding the run from the listing's front to
/// its place, which moved one place on (pages count from the oldest). A
/// month it opens has one page, new, and every page of the month before
/// now names a newer month.
pub(super) fn listing_pages(
    listed: &mut Listed,
    shown: &mut BTreeSet<u32>,
    config: &SiteConfig,
    head: &Head,
    added: &Added,
) -> Result<(), &'static str> {
    let order = &head.index.order;
    if added.opens.is_some() {
        let before = head.listings.months.get(1).ok_or("the stored months are missing")?.2 as usize;
        for (m, first, len) in [(0, 0, 1), (1, 1, before)] {
            for page in pages(config, len) {
                let number = page.number;
                listed
                    .months
                    .insert((m, number), ListedPage::of(page, |p| order[first + p], shown));
            }
        }
    }
    let (m, first, count) = added.month()?;
    let month = Some((first, count, Some(m))).filter(|_| added.opens.is_none());
    // A listing that gains a page: the new one is among the changed.
    for (first, len, month) in std::iter::once((0, order.len(), None)).chain(month) {
        let before: Vec<usize> = (first..first + len).filter(|&p| p != added.at).collect();
        let after: Vec<usize> = (first..first + len).collect();
        listed.run_changed(shown, config, (order, order), (&before, &after), month);
    }
    Ok(())
}

/// The `gained` pages, each with the page the sitemap lists it after,
/// taken out of the `days` of the pages rendered: a new page is listed
/// with the day it is given, not looked up.
pub(super) fn listed_after(
    days: &mut Vec<SitemapUrl>,
    gained: &[Gained],
) -> Result<Vec<(String, Vec<SitemapUrl>)>, &'static str> {
    let mut following = Vec::with_capacity(gained.len());
    for g in gained {
        let url = match g.dated {
            true => days
                .iter()
                .position(|d| d.path == g.page)
                .map(|k| days.remove(k))
                .ok_or("a new listing page is not rendered")?,
            false => SitemapUrl {
                path: g.page.clone(),
                lastmod: None,
            },
        };
        following.push((g.after.clone(), vec![url]));
    }
    Ok(following)
}

/// A page the new article (or a new term, [`super::terms::first_pages`]) adds: its path, that of the page the sitemap
/// lists it after, and whether the sitemap gives it a day (a listing's,
/// from the articles it shows; a year's page has none).
pub(super) struct Gained {
    pub after: String,
    pub page: String,
    pub dated: bool,
}

/// The pages the new article adds, in the order the sitemap takes them:
/// the year's page after the date archive's overview and the month's after
/// its year's, when it opens them ([`Opens`]); a listing's new archive page
/// (numbered past those it had) after the listing's front page, where the
/// newest archive page goes, among the home's, its month's (unless it
/// opens it) and its terms' (`moves`) rendered. `head` is the head with it.
pub(super) fn gained(
    config: &SiteConfig,
    urls: &Urls,
    index: &SiteIndex,
    listings: &EditedListings,
    head: &Head,
    moves: &super::Moves,
    added: &Added,
) -> Vec<Gained> {
    let archive_pages = |len: usize| super::terms::archive_pages(config, len);
    let mut gained = Vec::new();
    let opens = added.opens;
    let its_month = added
        .month()
        .ok()
        .and_then(|(m, ..)| head.listings.months.get(m))
        .map(|&(year, month, count)| (year, month, count as usize));
    if let Some((opens, (year, month, _))) = opens.zip(its_month) {
        if opens.year {
            let page = Urls::year(year);
            gained.push(Gained {
                after: urls.archive(),
                page,
                dated: false,
            });
        }
        let (after, page) = (Urls::year(year), Urls::month(year, month));
        gained.push(Gained {
            after,
            page,
            dated: true,
        });
    }
    let mut add = |after: String, number: usize, had: usize| {
        if number > had {
            let page = urls.paginated(&after, number);
            gained.push(Gained {
                after,
                page,
                dated: true,
            });
        }
    };
    let home_had = archive_pages(head.index.order.len() - 1);
    for (page, _) in &listings.home {
        add(urls.paginated("", 0), page.number, home_had);
    }
    if let (None, Some((year, month, count))) = (opens, its_month) {
        let had = archive_pages(count - 1);
        let small = small_month(index, year, month);
        for (_, _, page) in listings.months.iter().filter(|(y, m, _)| Some((*y, *m)) == small) {
            add(Urls::month(year, month), page.number, had);
        }
    }
    for (taxonomy, t, page, _) in &listings.terms {
        let slug = &index.terms(*taxonomy)[*t].slug;
        if let Some(had) = moves.pages_before(config, head, *taxonomy, slug) {
            add(urls.term(*taxonomy, slug), page.number, had);
        }
    }
    gained
}

/// The search files with the new article: its postings and doc (it has
/// the words `words`), and the postings of the articles its coming moves
/// from the chunks into the recent files ([`search::add_one`]), whose
/// words are read from the word cache of the build in `out`.
/// `search_ids` are those of the order with it, oldest first.
pub(super) fn search(
    out: &Path,
    dir: &str,
    added: &Added,
    words: &[u8],
    search_ids: &[u32],
    tail: &LazyTail,
) -> Result<SearchData, &'static str> {
    let order = &added.head.index.order;
    let k = order.len() - 1 - added.at;
    let before: Vec<u32> = search_ids[..k].iter().chain(&search_ids[k + 1..]).copied().collect();
    let (from, from_old) = (search::recent_start(search_ids), search::recent_start(&before));
    // Ids are ascending: those the block's start passes are one run.
    let run = search_ids.partition_point(|&id| id < from)..search_ids.partition_point(|&id| id < from_old);
    let mut crossing = Vec::new();
    for i in run.filter(|&i| i != k) {
        crossing.push((search_ids[i], cached_words(out, tail, order[order.len() - 1 - i])?));
    }
    // The articles it pushed on follow it.
    let mut pushed = Vec::with_capacity(added.pushed.len());
    for (rank, &(old, new)) in (k + 1..).zip(&added.pushed) {
        pushed.push((old, new, cached_words(out, tail, order[order.len() - 1 - rank])?));
    }
    let crossing: Vec<(u32, &[u8])> = crossing.iter().map(|(id, w)| (*id, w.as_slice())).collect();
    let pushed: Vec<search::Push> = pushed.iter().map(|(old, new, w)| (*old, *new, w.as_slice())).collect();
    let read = |rel: &str| std::fs::read(out.join(rel)).ok();
    let recorded = |rel: &str| tail.output(rel).map(|o| o.signature);
    let ids = (added.head.search_ids.slots, search_ids);
    search::add_one(
        read,
        dir,
        (words, added.doc.clone()),
        (k, &crossing),
        &pushed,
        ids,
        recorded,
    )
    .ok_or("the search index cannot be brought up to date")
}

/// The search words of the article `source` (of `tail`) as the word cache
/// of the build in `out` keeps them: an article whose postings move
/// without its file being read.
pub(super) fn cached_words(out: &Path, tail: &LazyTail, source: u32) -> Result<Vec<u8>, &'static str> {
    let file = tail
        .file(source)
        .ok_or("an article of the search index is not in the manifest")?;
    WordCache::lookup(out, file.hash).ok_or("the word cache does not know an article's words")
}

/// The year and month of the small `index` that are `year` and `month`,
/// as [`EditedListings`] names them.
pub(super) fn small_month(index: &SiteIndex, year: i32, month: u32) -> Option<(usize, usize)> {
    let y = index.years.iter().position(|y| y.year == year)?;
    let m = index.years[y].months.iter().position(|m| m.month == month)?;
    Some((y, m))
}

/// The sitemap with the new article's page (`entry` of the small
/// `index`) after the other articles' (it lists them oldest first, so
/// after that of `previous`, the newest before it, at position `at`: the
/// number of articles before), the days of the listing pages rendered
/// brought up to date, and the pages it adds ([`gained`]) where the other
/// kinds list them.
pub(super) fn sitemap(
    inputs: &Inputs,
    index: &SiteIndex,
    listings: &EditedListings,
    (entry, previous, at): (usize, usize, usize),
    gained: &[Gained],
) -> Result<Vec<(String, Vec<u8>)>, &'static str> {
    let urls = inputs.urls;
    let new = SitemapUrl {
        path: index.entries[entry].path.clone(),
        lastmod: Some(day_in(index, entry)),
    };
    let mut days = listing_days(urls, index, listings);
    let following = listed_after(&mut days, gained)?;
    let after = &index.entries[previous].path;
    sitemap::inserted(inputs.out, urls, at, after, &new, &days, &following)
        .ok_or("the sitemap cannot be brought up to date")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::state::manifest::Listings;

    #[test]
    fn a_term_list_makes_room_at_the_new_articles_place() {
        for positions in [vec![0, 3, 7], vec![4], vec![2, 5], vec![], vec![6, 9]] {
            for at in [0, 1, 3, 4, 6, 8, 12] {
                let mut steps = Listings::steps(positions.iter().copied());
                one_place_down_from(&mut steps, at);
                let want: Vec<usize> = positions.iter().map(|&p| p + usize::from(p >= at)).collect();
                assert_eq!(Listings::positions(&steps), want, "{positions:?} at {at}");
            }
        }
    }
}
