//! The listing pages an edit renders: found by position in the whole
//! order (the head's lists), then found again in the small index that
//! renders them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{Moves, terms};
use crate::config::SiteConfig;
use crate::content::ArticleFile;
use crate::pipeline::state::manifest::{Head, LazyTail, Listings};
use crate::render::outputs::{EditedListings, SitemapUrl, home_page_url, month_page_url, news_sitemap, term_page_url};
use crate::site::paginate::{self, Page, Window};
use crate::site::{Month, Selection, SiteIndex, Taxonomy, Urls, Year};

/// A listing page to render, found by position in the whole order: its
/// page, and the ids of the first and last article it shows, by which
/// the small index's list is found.
pub(super) struct ListedPage {
    pub page: Page,
    pub first: u32,
    pub last: u32,
}

impl ListedPage {
    /// `page` of a listing whose position `p` is the article `ids(p)`;
    /// adds the articles it shows to `shown`.
    pub(super) fn of(page: Page, ids: impl Fn(usize) -> u32, shown: &mut BTreeSet<u32>) -> ListedPage {
        shown.extend(page.range.clone().map(&ids));
        let (first, last) = (ids(page.range.start), ids(page.range.end - 1));
        ListedPage { page, first, last }
    }
}

/// The listing pages that show an article whose title, kicker or summary
/// changed, by listing: `home` by page number, `months` by (month, page
/// number) of [`Listings::months`], `terms` by (taxonomy, slug, page
/// number) with the term's length.
#[derive(Default)]
pub(super) struct Listed {
    pub home: BTreeMap<usize, ListedPage>,
    pub months: BTreeMap<(usize, usize), ListedPage>,
    pub terms: BTreeMap<(Taxonomy, String, usize), (ListedPage, usize)>,
    pub news: bool,
}

impl Listed {
    /// Adds the pages of the home, or of the month `month` (of
    /// [`Listings::months`]), whose run of the order was `before` and is
    /// `after` (positions in the order, compared by the ids `compared`
    /// gives them; `order`'s, for those shown) where their articles or
    /// navigation changed, and to `shown` the articles they show: what an
    /// article coming to or leaving a listing changes.
    pub(super) fn run_changed(
        &mut self,
        shown: &mut BTreeSet<u32>,
        config: &SiteConfig,
        (order, compared): (&[u32], &[u32]),
        (before, after): (&[usize], &[usize]),
        month: Option<usize>,
    ) {
        for page in terms::changed_pages(config, before, after, compared) {
            let number = page.number;
            let found = ListedPage::of(page, |i| order[after[i]], shown);
            match month {
                None => self.home.insert(number, found),
                Some(m) => self.months.insert((m, number), found),
            };
        }
    }
}

/// The pages of a listing of `len` that show its position `q`: the front
/// page, an archive page, or both where they overlap.
pub(super) fn holding(config: &SiteConfig, len: usize, q: usize) -> impl Iterator<Item = Page> {
    paginate::pages_holding(len, config.paginate, config.listing.archive_paginate, q).into_iter()
}

/// Adds to `listed` the listing pages that show the article at `at` of the
/// order, and to `shown` the articles they show.
#[allow(clippy::too_many_arguments)]
pub(super) fn listing_pages(
    listed: &mut Listed,
    shown: &mut BTreeSet<u32>,
    config: &SiteConfig,
    head: &Head,
    moves: &Moves,
    source: &ArticleFile,
    at: usize,
    selection: Selection,
) -> Result<(), &'static str> {
    let order = &head.index.order;
    let lists = &head.listings;
    for page in holding(config, order.len(), at) {
        let number = page.number;
        let found = ListedPage::of(page, |p| order[p], shown);
        listed.home.insert(number, found);
    }
    let (month, first, count) = month_holding(lists, at).ok_or("the stored months do not hold the article")?;
    for page in holding(config, count, at - first) {
        let number = page.number;
        let found = ListedPage::of(page, |p| order[first + p], shown);
        listed.months.insert((month, number), found);
    }
    for taxonomy in Taxonomy::ALL {
        let (stored, steps, _) = terms::stored(head, taxonomy);
        // Two spellings of a term are one term, its list decoded once; a
        // term with too few articles has no page.
        for t in terms::stored_terms(head, taxonomy, &source.front) {
            let slug = &stored[t].slug;
            let positions = match moves.positions(taxonomy, t) {
                Some(moved) => moved.to_vec(),
                None => Listings::positions(steps.get(t).ok_or("a stored listing is missing")?),
            };
            let q = positions
                .binary_search(&at)
                .map_err(|_| "a stored listing does not hold its article")?;
            for page in holding(config, positions.len(), q) {
                let number = page.number;
                let found = ListedPage::of(page, |p| order[positions[p]], shown);
                let key = (taxonomy, slug.clone(), number);
                listed.terms.insert(key, (found, positions.len()));
            }
        }
    }
    // The News sitemap names it while it is fresh.
    let since = news_sitemap::since(config, selection.now);
    listed.news |= config.news.sitemap && source.front.date.with_timezone(&chrono::Utc) > since;
    Ok(())
}

/// The month of [`Listings::months`] that holds position `at` of the
/// order (months are runs of it, newest first): its number there, its
/// first position and its length.
pub(super) fn month_holding(listings: &Listings, at: usize) -> Option<(usize, usize, usize)> {
    let mut first = 0;
    for (m, &(_, _, count)) in listings.months.iter().enumerate() {
        let count = count as usize;
        if at < first + count {
            return Some((m, first, count));
        }
        first += count;
    }
    None
}

/// The run of the order that month `m` of [`Listings::months`] is: its
/// first position and its length.
pub(super) fn month_run(listings: &Listings, m: usize) -> Option<(usize, usize)> {
    let months = listings.months.get(..=m)?;
    let first = months[..m].iter().map(|&(.., count)| count as usize).sum();
    Some((first, months[m].2 as usize))
}

/// Adds to `shown` the newest articles of the order, up to the first too
/// old for the News sitemap: then the small index lists what the whole
/// one does.
pub(super) fn fresh_articles(
    shown: &mut BTreeSet<u32>,
    tail: &LazyTail,
    edited: &[(u32, ArticleFile, bool)],
    order: &[u32],
    config: &SiteConfig,
    selection: Selection,
) -> Result<(), &'static str> {
    let since = news_sitemap::since(config, selection.now);
    for (k, &id) in order.iter().enumerate() {
        // Future articles (`--future`) come first, then the fresh ones: the
        // sitemap lists `news.limit` at most, and an archive that dated
        // many more ahead is for the ordinary rebuild.
        if k > 2 * config.news.limit + 64 {
            return Err("too many fresh articles for the News sitemap");
        }
        let date = match edited.iter().find(|e| e.0 == id) {
            Some(e) => e.1.front.date,
            None => {
                tail.file(id)
                    .ok_or("an article the edit shows is not in the manifest")?
                    .front
                    .date
            }
        };
        shown.insert(id);
        if date.with_timezone(&chrono::Utc) <= since {
            break;
        }
    }
    Ok(())
}

/// The listing pages of `listed` as the small `index` holds them: where
/// each page's entries are, and for month pages every month with its
/// length (the page's navigation and its year's counts), as its years.
#[allow(clippy::too_many_arguments)]
pub(super) fn small_listings(
    index: &mut SiteIndex,
    listed: Listed,
    entry_of: &HashMap<u32, usize>,
    order: &[u32],
    lists: &Listings,
    config: &SiteConfig,
    selection: Selection,
) -> Result<EditedListings, &'static str> {
    let entry = |id: u32| {
        entry_of
            .get(&id)
            .copied()
            .ok_or("a listed article is not in the small index")
    };
    // Where a page's run starts in `list`, checked to be a run there.
    let held = |list: &[usize], p: &ListedPage| -> Result<usize, &'static str> {
        let (first, last) = (entry(p.first)?, entry(p.last)?);
        let from = list
            .binary_search(&first)
            .map_err(|_| "a listed article is not in its small list")?;
        let len = p.page.range.len();
        if list.get(from + len - 1) != Some(&last) {
            return Err("a listing page is no run of the small index");
        }
        Ok(from)
    };
    let all: Vec<usize> = (0..index.entries.len()).collect();
    let mut home = Vec::new();
    for p in listed.home.into_values() {
        let from = held(&all, &p)?;
        home.push((p.page.clone(), Window::run(order.len(), p.page.range.start, from)));
    }
    let mut terms = Vec::new();
    for ((taxonomy, slug, _), (p, len)) in listed.terms {
        let small = index
            .terms(taxonomy)
            .iter()
            .position(|term| term.slug == slug)
            .ok_or("a listed term is not in the small index")?;
        let from = held(&index.terms(taxonomy)[small].entries, &p)?;
        terms.push((
            taxonomy,
            small,
            p.page.clone(),
            Window::run(len, p.page.range.start, from),
        ));
    }
    let mut months = Vec::new();
    if !listed.months.is_empty() {
        // Every month of the site with its length; only the runs of the
        // pages rendered hold entries, the rest no article at all.
        let mut years: Vec<Year> = Vec::new();
        let mut start = 0;
        for (k, &(year, month, count)) in lists.months.iter().enumerate() {
            if years.last().is_none_or(|y| y.year != year) {
                years.push(Year {
                    year,
                    months: Vec::new(),
                });
            }
            let mut entries = vec![usize::MAX; count as usize];
            let y = years.len() - 1;
            for (_, p) in listed.months.range((k, 0)..=(k, usize::MAX)) {
                for q in p.page.range.clone() {
                    entries[q] = entry(order[start + q])?;
                }
                months.push((y, years[y].months.len(), p.page.clone()));
            }
            years[y].months.push(Month { year, month, entries });
            start += count as usize;
        }
        index.years = years;
    }
    let news = listed
        .news
        .then(|| news_sitemap::select(index, config, selection.now))
        .filter(|listed| !listed.is_empty());
    Ok(EditedListings {
        home,
        terms,
        months,
        news,
        ..Default::default()
    })
}

/// The sitemap's days of the listing pages an edit renders.
pub(super) fn listing_days(urls: &Urls, index: &SiteIndex, listings: &EditedListings) -> Vec<SitemapUrl> {
    let home = listings.home.iter().map(|(p, w)| home_page_url(urls, index, p, w));
    let months = listings
        .months
        .iter()
        .map(|(y, m, p)| month_page_url(urls, index, *y, *m, p));
    let terms = listings
        .terms
        .iter()
        .map(|(tx, t, p, w)| term_page_url(urls, index, *tx, *t, p, w));
    home.chain(months).chain(terms).collect()
}
