//! A date edit that keeps the article in its month: a time corrected, a
//! day put right. The article moves among the articles of its month, so
//! what changes is bounded by how far it moves: the run of the order
//! between its old and new place shifts by one (those articles' positions,
//! and with them their places in every term list), while every other
//! article keeps its place and every listing its length,
//! pages and counts. Rendered again: its page and the pages of its old and
//! new neighbours, the pages naming it as related and of those whose
//! related articles its move changed (near it in its topics' and tags'
//! lists, before and after), the home, month and term pages that show it
//! or whose run changed, the feeds that show it or now do, the sitemap's
//! lines of the run and the days of the pages rendered, and the search
//! files of the articles whose ids change: search ids follow the times
//! (`render::search::ids`), so that is the article and the few after it
//! whose slot it takes or frees ([`search_ids`]), not the run.
//!
//! A date edit into another month that has articles is the same move
//! over a longer run, and a little more: both months' counts change (their
//! pages whose run changed, their years' pages and the overview show
//! them), and the address changes with the month (`/YYYY/MM/slug/`), so
//! the old page gives way to a redirect to the new one, which the head
//! remembers (`Head::moved`), as the ordinary build's history of addresses
//! does; the sitemap's line takes the new address. The article's other
//! redirects (its aliases, the addresses it had) lead to the new one now;
//! moved back to an address it had, its page takes that redirect's place.
//! A month's newest article moved, or one moved to the front of a month
//! (the time of the day's top story corrected), is no different: the
//! month's day in the sitemap is its front page's, which shows the
//! article, and the years' pages and the overview show counts, not days.
//!
//! What reaches further is for the ordinary rebuild: a month without
//! articles, a month gaining or losing a page, an article linked to by
//! other pages, a new address within the month (a slug), one where
//! another article's redirect is, a move past [`move_limit`] articles, a date in the future or across the edge of the News
//! sitemap's window (the sitemap gains or loses the article), other files
//! changed in the same build.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{Datelike, Utc};

use super::listed::{holding, month_holding, month_run};
use super::terms::{self, MovedTerm, stored_terms};
use super::{Listed, ListedPage, listing_days};
use crate::config::SiteConfig;
use crate::content::{ArticleFile, FrontMatter, Rules};
use crate::pipeline::scan::Inputs;
use crate::pipeline::state::manifest::{Head, LazyTail, Listings, SearchIds, StoredIndex};
use crate::pipeline::state::word_cache::WordCache;
use crate::render::outputs::sitemap::{self, day_in};
use crate::render::outputs::{EditedListings, SitemapUrl, news_sitemap};
use crate::render::search::{self, Doc, Moved, SearchData, ids};
use crate::site::{SiteIndex, Taxonomy, output_file};

/// A date edit's run may hold this many articles, or more in a large
/// archive ([`move_limit`]); past that it is for the ordinary rebuild:
/// each article of the run is read.
const MOVE_LIMIT: usize = 256;

/// The longest run a date edit takes on the edit path in an archive of
/// `articles`. The ordinary rebuild indexes the whole site, a cost that
/// follows the archive; the edit path's follows the run (about 0.1 ms an
/// article: its record read, its term lists moved). At 100 000 articles
/// (Zipf corpus, tmpfs, 2 cores) a run of 740 took 0.71 s and 230 MB on
/// the edit path against 1.6–1.9 s and 615 MB rebuilt, when search ids
/// were still ranks and every id of the run changed; a thirty-second of
/// the archive keeps the edit path below the rebuild with room to spare.
fn move_limit(articles: usize) -> usize {
    MOVE_LIMIT.max(articles / 32)
}

/// Whether `new` differs from `old` in its date alone.
pub(super) fn only_date(new: &FrontMatter, old: &FrontMatter) -> bool {
    let mut same = new.clone();
    same.date = old.date;
    new.date != old.date && same.same_as(old)
}

/// A re-dated article and the head with it at its new place.
pub(super) struct Redated {
    /// The previous head with the order, the related articles and the term
    /// lists moved; without stamps (the build records its own).
    pub head: Head,
    pub id: u32,
    /// Its positions in the order before and after.
    pub from: usize,
    pub to: usize,
    /// The ids of the order's run from the nearer to the further of the
    /// two places, as it was, and each one's file (the article's as it
    /// was).
    pub run: Vec<(u32, ArticleFile)>,
    /// What the search results show of it now.
    pub doc: Doc,
    /// Its page's site path.
    pub path: String,
    /// Into another month: what else changes.
    pub across: Option<Across>,
    /// Positions (now) of the articles whose related articles may change:
    /// its own, and those near it in its topics' and tags' lists, before
    /// and after.
    pub near: BTreeSet<usize>,
    /// The search ids of the order before, oldest first.
    pub ids_before: Vec<u32>,
    /// Each article whose search id the move changes: its id before and
    /// now, and its file's hash (none for the moved article, whose words
    /// the plan reads).
    pub id_moves: Vec<(u32, u32, Option<u128>)>,
}

/// What a date edit into another month changes besides the move.
pub(super) struct Across {
    /// The months it leaves and joins (of [`Listings::months`]).
    pub months: (usize, usize),
    /// Its page's site path before, where a redirect to its new address
    /// takes the page's place.
    pub old_path: String,
}

impl Redated {
    /// Where the article at `p` of the order before is now.
    pub fn now(&self, p: usize) -> usize {
        moved_place(p, self.from, self.to)
    }

    /// The first position of the run and its length.
    pub fn span(&self) -> (usize, usize) {
        (self.from.min(self.to), self.run.len())
    }

    /// Where the article now at `p` of the order was before: the move
    /// from `to` back to `from` ([`Redated::now`] undone).
    pub fn was(&self, p: usize) -> usize {
        moved_place(p, self.to, self.from)
    }
}

/// Where the article at `p` of an order is after the one at `from` moved
/// to `to`: those between shift one place towards `from`.
fn moved_place(p: usize, from: usize, to: usize) -> usize {
    match p {
        p if p == from => to,
        p if from < p && p <= to => p - 1,
        p if to <= p && p < from => p + 1,
        p => p,
    }
}

/// The article `id` (its file `stored` as the head recorded it, `source`
/// as it is now, differing in the date alone) moved to its new place, with
/// the moves of its terms' lists; or why the ordinary rebuild must do it.
#[allow(clippy::too_many_arguments)]
pub(super) fn moved(
    head: &Head,
    tail: &LazyTail,
    id: u32,
    source: &ArticleFile,
    stored: &ArticleFile,
    config: &SiteConfig,
    inputs: &Inputs,
    rules: &Rules,
) -> Result<(Redated, Vec<MovedTerm>), &'static str> {
    let selection = inputs.selection;
    let since = news_sitemap::since(config, selection.now);
    let fresh = |date: chrono::DateTime<chrono::FixedOffset>| config.news.sitemap && date.with_timezone(&Utc) > since;
    for date in [source.front.date, stored.front.date] {
        if date.with_timezone(&Utc) > selection.now {
            return Err("a date edit in the future");
        }
    }
    // Within the window the News sitemap is rendered again (the article
    // is listed there, as for any edit of what lists show); across its
    // edge the sitemap gains or loses the article, and the clock's next
    // change with it.
    if fresh(source.front.date) != fresh(stored.front.date) {
        return Err("a date edit into or out of the News sitemap's window");
    }
    let now = SiteIndex::new(vec![source.clone()], rules.tz, selection);
    let was = SiteIndex::new(vec![stored.clone()], rules.tz, selection);
    let (Some(new), Some(old)) = (now.entries.first(), was.entries.first()) else {
        return Err("the re-dated article is not published");
    };
    let (year, month) = (new.local.year(), new.local.month());
    let other_month = (year, month) != (old.local.year(), old.local.month());
    if !other_month && new.path != old.path {
        return Err("the new date changes the article's address");
    }
    let mut takes_back = false;
    if other_month {
        takes_back = address_moves(head, tail, stored, &old.path, &new.path)?;
    }
    let order = &head.index.order;
    let from = order
        .iter()
        .position(|&x| x == id)
        .ok_or("the re-dated article is not in the order")?;
    // Its month's run of the order.
    let (leaves, first, count) =
        month_holding(&head.listings, from).ok_or("the stored months do not hold the article")?;
    // Into another month it passes the articles between, whatever their
    // month; that month must have articles already (a new one adds pages).
    let (first, end) = if other_month {
        (0, order.len())
    } else {
        (first, first + count)
    };
    let joins = match other_month {
        true => Some(
            head.listings
                .months
                .iter()
                .position(|&(y, m, _)| (y, m) == (year, month))
                .ok_or("the new date opens a month")?,
        ),
        false => None,
    };
    // Its new place: past every article of the month dated after it (or
    // before it), read one by one from where it was.
    let date = source.front.date;
    let newer = date > stored.front.date;
    let mut to = from;
    let mut run = vec![(id, stored.clone())];
    loop {
        let next = if newer { to.checked_sub(1) } else { Some(to + 1) };
        let Some(next) = next.filter(|&p| p >= first && p < end) else {
            break;
        };
        let file = tail
            .file(order[next])
            .ok_or("an article of the month is not in the manifest")?;
        // Whether it stays ahead.
        if SiteIndex::comes_before(&file, rules.tz, (date, &new.path)) == newer {
            break;
        }
        if run.len() > move_limit(order.len()) {
            return Err("the new date moves the article too far");
        }
        run.push((order[next], file));
        to = next;
    }
    if newer {
        run.reverse();
    }
    let mut r = Redated {
        head: Head::default(),
        id,
        from,
        to,
        run,
        doc: super::doc_alone(config, inputs, &now),
        path: new.path.clone(),
        across: joins.map(|joins| Across {
            months: (leaves, joins),
            old_path: old.path.clone(),
        }),
        near: BTreeSet::new(),
        ids_before: Vec::new(),
        id_moves: Vec::new(),
    };
    let (mut moved, terms) = moved_head(head, &r)?;
    if let Some(across) = &r.across {
        months_keep_their_shape(config, head, &moved, &r, across.months)?;
        let file = stored.path.to_string_lossy().into_owned();
        if takes_back {
            moved.moved.retain(|(from, _)| *from != new.path);
        }
        moved.moved.push((old.path.clone(), file));
    }
    r.near = near(&moved, &terms, &r, config.related.limit);
    let ids_now = search_ids(head, tail, &mut r, (ids::place(&new.local, &new.path), rules.tz))?;
    moved.search_ids = SearchIds::of(head.search_ids.slots, &ids_now);
    // A fresh article now leaves the News sitemap when its new date does:
    // the next build by the clock may come earlier, never later, than a
    // clean build's (an early one is an ordinary rebuild that changes
    // nothing).
    if fresh(date) {
        let leaves = news_sitemap::leaves(config, date.with_timezone(&Utc)).map(|d| d.timestamp());
        moved.next_due = moved.next_due.into_iter().chain(leaves).min();
    }
    r.head = moved;
    Ok((r, terms))
}

/// The search ids of the order after the move (oldest first), with the
/// moves of those that change put in `r` ([`Redated::id_moves`], and the
/// ids before): the run's articles take their ids again in their new
/// order, and those after it follow on as long as one pushed on or let
/// back changes ([`search::ids::follow_on`], as after an article come or
/// gone); `place` is the article's new place on the ids' scale, `tz` the
/// site's time zone. Only the times of those articles are read.
fn search_ids(
    head: &Head,
    tail: &LazyTail,
    r: &mut Redated,
    (place, tz): (u64, chrono_tz::Tz),
) -> Result<Vec<u32>, &'static str> {
    let order = &head.index.order;
    let n = order.len();
    let before = head
        .search_ids
        .ids(n)
        .ok_or("the manifest has no search ids (an older blatt wrote it)")?;
    let slots = head.search_ids.slots;
    let (lo, len) = r.span();
    // Ranks count from the oldest: position p (newest first) is rank n - 1 - p.
    let first = n - lo - len;
    // The place of the article at `rank` now, and its file's hash.
    let place_at = |rank: usize| -> Result<(u64, Option<u128>), &'static str> {
        let was = r.was(n - 1 - rank);
        if was == r.from {
            return Ok((place, None));
        }
        match was.checked_sub(lo).and_then(|k| r.run.get(k)) {
            Some((_, file)) => Ok((ids::place_of(file, tz), Some(file.hash))),
            None => {
                let file = tail
                    .file(order[was])
                    .ok_or("an article after the move is not in the manifest")?;
                Ok((ids::place_of(&file, tz), Some(file.hash)))
            }
        }
    };
    let mut now = before.clone();
    let mut prev = first.checked_sub(1).map(|k| before[k]);
    let mut moves = Vec::new();
    // The run's articles take their ids again in their new order.
    for rank in first..first + len {
        let (place, hash) = place_at(rank)?;
        let id = ids::next(prev, place, slots);
        let old = before[n - 1 - r.was(n - 1 - rank)];
        if id != old {
            moves.push((old, id, hash));
        }
        (now[rank], prev) = (id, Some(id));
    }
    // Those after it follow on as after any article come or gone.
    let mut hashes = Vec::new();
    let after = ids::follow_on(&mut now[first + len..], prev, slots, (usize::MAX, ""), |i| {
        let (place, hash) = place_at(first + len + i)?;
        hashes.push(hash);
        Ok(place)
    })?;
    moves.extend(after.into_iter().zip(hashes).map(|((old, id), hash)| (old, id, hash)));
    r.id_moves = moves;
    r.ids_before = before;
    Ok(now)
}

/// Whether the page of an article moved from `old` to `new` (its file
/// `stored` as the head recorded it) can make way for a redirect here, as
/// the ordinary build's history of addresses does, and whether it takes
/// back an address it had (its page replacing the redirect there). Not
/// when another article's redirect or an alias of its own is at the new
/// address (the ordinary build drops the one and refuses the other), a
/// page of the last build is there, or another page links to the old one
/// (a remembered redirect is no link target, so the ordinary build
/// reports that link).
fn address_moves(
    head: &Head,
    tail: &LazyTail,
    stored: &ArticleFile,
    old: &str,
    new: &str,
) -> Result<bool, &'static str> {
    let file = stored.path.to_string_lossy();
    let mut takes_back = false;
    for (_, f) in head.moved.iter().filter(|(from, _)| from == new) {
        match *f == file {
            true => takes_back = true,
            false => return Err("another article's redirect is at the new address"),
        }
    }
    let alias_there = |alias: &String| crate::text::url::alias_path(alias).is_ok_and(|from| from == new);
    if stored.front.aliases.iter().any(alias_there) {
        return Err("an alias of the re-dated article is its new address");
    }
    if !takes_back && tail.output(&output_file(new)).is_some() {
        return Err("the last build made a file at the new address");
    }
    let page = output_file(old);
    let links = tail
        .links_to(|target| output_file(target) == page || format!("{target}/index.html") == page)
        .ok_or("the manifest's links do not read")?;
    if links {
        return Err("other pages link to the re-dated article");
    }
    Ok(takes_back)
}

/// Whether the two months of a move into another month (`months`, left
/// and joined) keep their number of pages in `moved`, the head after it
/// (a page gained or lost is a file made or deleted), the search ids keep
/// their scale (or every id would change), and the article is in the
/// month it joins; otherwise the ordinary rebuild does it.
fn months_keep_their_shape(
    config: &SiteConfig,
    head: &Head,
    moved: &Head,
    r: &Redated,
    (leaves, joins): (usize, usize),
) -> Result<(), &'static str> {
    for m in [leaves, joins] {
        let (before, after) = (head.listings.months[m].2, moved.listings.months[m].2);
        if terms::archive_pages(config, before as usize) != terms::archive_pages(config, after as usize) {
            return Err("the date edit changes a month's number of pages");
        }
    }
    // Search ids are slots on a scale set by the busiest month.
    let busiest = moved.listings.months.iter().map(|m| m.2 as usize).max().unwrap_or(0);
    if ids::slots(busiest) != head.search_ids.slots {
        return Err("the date edit changes the search ids' scale");
    }
    match month_holding(&moved.listings, r.to) {
        Some((m, ..)) if m == joins => Ok(()),
        _ => Err("the moved article is not in the month of its new date"),
    }
}

/// The head with the article at its new place, and the moves of its terms'
/// lists (before: the list's articles in their old order, as positions
/// now, so not sorted when it passed one of them).
fn moved_head(head: &Head, r: &Redated) -> Result<(Head, Vec<MovedTerm>), &'static str> {
    let stored = &head.index;
    let mut order = stored.order.clone();
    let mut related = stored.related.clone();
    if r.from != r.to {
        let at = order.remove(r.from);
        order.insert(r.to, at);
        if !related.is_empty() {
            let at = related.remove(r.from);
            related.insert(r.to, at);
        }
    }
    // The lists holding an article of the run: only their positions change
    // (and, for the article's own terms, its place among them).
    let mut lists: BTreeSet<(Taxonomy, usize)> = BTreeSet::new();
    for (_, file) in &r.run {
        for taxonomy in Taxonomy::ALL {
            lists.extend(
                stored_terms(head, taxonomy, &file.front)
                    .into_iter()
                    .map(|t| (taxonomy, t)),
            );
        }
    }
    let own = &r
        .run
        .iter()
        .find(|(id, _)| *id == r.id)
        .ok_or("the run lacks its article")?
        .1;
    let mut listings = head.listings.clone();
    if let Some(Across {
        months: (leaves, joins),
        ..
    }) = r.across
    {
        listings.months[leaves].2 -= 1;
        listings.months[joins].2 += 1;
    }
    let mut moved: BTreeMap<(Taxonomy, usize), MovedTerm> = BTreeMap::new();
    for (taxonomy, t) in lists {
        let steps = match taxonomy {
            Taxonomy::Topics => &mut listings.topics,
            Taxonomy::Tags => &mut listings.tags,
            Taxonomy::Authors => &mut listings.authors,
        };
        let list = steps.get_mut(t).ok_or("a stored listing is missing")?;
        let before: Vec<usize> = Listings::positions(list).into_iter().map(|p| r.now(p)).collect();
        let mut after = before.clone();
        after.sort_unstable();
        *list = Listings::steps(after.iter().copied());
        if stored_terms(head, taxonomy, &own.front).contains(&t) {
            let lead = terms::stored(head, taxonomy)
                .2
                .get(t)
                .copied()
                .ok_or("the manifest has no term counts (an older blatt wrote it)")?;
            moved.insert(
                (taxonomy, t),
                MovedTerm {
                    taxonomy,
                    t,
                    before,
                    after,
                    lead,
                },
            );
        }
    }
    let index = StoredIndex {
        order,
        related,
        topics: stored.topics.clone(),
        tags: stored.tags.clone(),
        authors: stored.authors.clone(),
        site: stored.site.clone(),
    };
    let head = head.reordered(index, listings);
    Ok((head, moved.into_values().collect()))
}

/// The positions (now) of the articles whose related articles the move
/// may change: an article chooses from its topics' (or tags') lists
/// nearest first, so only those within `limit` of the article's old or
/// new place in a list it is in (`super::Moves::related_near`).
fn near(head: &Head, terms: &[MovedTerm], r: &Redated, limit: usize) -> BTreeSet<usize> {
    let mut near = BTreeSet::from([r.to]);
    if head.index.related.is_empty() {
        return near;
    }
    for m in terms.iter().filter(|m| m.taxonomy != Taxonomy::Authors) {
        for list in [&m.before, &m.after] {
            if let Some(at) = list.iter().position(|&p| p == r.to) {
                near.extend(&list[at.saturating_sub(limit)..(at + limit + 1).min(list.len())]);
            }
        }
    }
    near
}

/// Adds to `listed` the home and month pages whose run of articles the
/// move changed, and to `shown` the articles they show (the pages that
/// show the article are added as for any edit of what lists show).
pub(super) fn listing_pages(
    listed: &mut Listed,
    shown: &mut BTreeSet<u32>,
    config: &SiteConfig,
    head: &Head,
    r: &Redated,
) -> Result<(), &'static str> {
    if r.from == r.to {
        return Ok(());
    }
    // Every position of the run holds another article now, and nothing
    // else moved: the pages changed are those holding a position of it.
    let order = &head.index.order;
    let (lo, len) = r.span();
    for q in lo..lo + len {
        for page in holding(config, order.len(), q) {
            let at = listed.home.entry(page.number);
            at.or_insert_with(|| ListedPage::of(page, |p| order[p], shown));
        }
    }
    if let Some(Across {
        months: (leaves, joins),
        ..
    }) = r.across
    {
        // Both months' runs changed, and their lengths: their pages are
        // compared as they were (positions now, in the order they had)
        // and are.
        let count = |k: usize| head.listings.months[k].2 as usize;
        let before = |k: usize| count(k) + usize::from(k == leaves) - usize::from(k == joins);
        for m in [leaves, joins] {
            let (first, now) = month_run(&head.listings, m).ok_or("the stored months are missing")?;
            let first_before: usize = (0..m).map(before).sum();
            let was: Vec<usize> = (first_before..first_before + before(m)).map(|p| r.now(p)).collect();
            let is: Vec<usize> = (first..first + now).collect();
            listed.run_changed(shown, config, (order, order), (&was, &is), Some(m));
        }
        return Ok(());
    }
    let (m, first, count) = month_holding(&head.listings, r.to).ok_or("the stored months do not hold the article")?;
    for q in lo..lo + len {
        for page in holding(config, count, q - first) {
            let at = listed.months.entry((m, page.number));
            at.or_insert_with(|| ListedPage::of(page, |p| order[first + p], shown));
        }
    }
    Ok(())
}

/// The sitemap with the article's page (`entry` of the small `index`) at
/// its new place among the article pages (listed oldest first) and its
/// new day, and the days of the listing pages rendered brought up to date.
pub(super) fn sitemap(
    inputs: &Inputs,
    index: &SiteIndex,
    listings: &EditedListings,
    r: &Redated,
    entry: usize,
) -> Result<Vec<(String, Vec<u8>)>, &'static str> {
    let urls = inputs.urls;
    let mut days = listing_days(urls, index, listings);
    days.push(SitemapUrl {
        path: r.path.clone(),
        lastmod: Some(day_in(index, entry)),
    });
    let last = r.head.index.order.len() - 1;
    let lines = (last - r.from, last - r.to);
    let was = r.across.as_ref().map_or(&r.path, |a| &a.old_path);
    sitemap::moved(inputs.out, urls, lines, (was, &r.path), &days).ok_or("the sitemap cannot be brought up to date")
}

/// The search files the move changes: the postings and docs of the
/// articles whose ids it changes (`Redated::id_moves`), whose words are read
/// from the word cache of the build in `out`; the article has the words
/// `words`.
pub(super) fn search(
    out: &Path,
    dir: &str,
    r: &Redated,
    words: &[u8],
    tail: &LazyTail,
) -> Result<SearchData, &'static str> {
    let hashes: Vec<u128> = r.id_moves.iter().filter_map(|m| m.2).collect();
    let found = WordCache::lookup_many(out, &hashes).found;
    let moves = r
        .id_moves
        .iter()
        .map(|&(old, new, hash)| match hash {
            Some(h) => found.get(&h).map(|w| (old, new, w.as_slice())),
            None => Some((old, new, words)),
        })
        .collect::<Option<Vec<_>>>()
        .ok_or("the word cache does not know the words of an article the date edit moves")?;
    let n = r.ids_before.len();
    let ids_now = r.head.search_ids.ids(n).ok_or("the moved head has no search ids")?;
    let moved = Moved {
        moves,
        doc: (ids_now[n - 1 - r.to], r.doc.clone()),
        before: &r.ids_before,
        after: &ids_now,
        slots: r.head.search_ids.slots,
    };
    let read = |rel: &str| std::fs::read(out.join(rel)).ok();
    let recorded = |rel: &str| tail.output(rel).map(|o| o.signature);
    search::moved(read, dir, &moved, recorded).ok_or("the search index cannot be brought up to date")
}

/// The years of the small `index` (whose years hold every month) of the
/// two months of a move into another month, `head` the head after it.
pub(super) fn years(
    index: &SiteIndex,
    head: &Head,
    (leaves, joins): (usize, usize),
) -> Result<Vec<usize>, &'static str> {
    let mut years = Vec::new();
    for m in [leaves, joins] {
        let (year, month, _) = head.listings.months[m];
        let (y, _) = super::added::small_month(index, year, month).ok_or("a moved article's month is not shown")?;
        if !years.contains(&y) {
            years.push(y);
        }
    }
    Ok(years)
}
