//! The newest article taken out again: a story published by mistake, or
//! [`super::added`] undone. Every other article keeps its place counted
//! from the oldest, so what changes is what showed the front of the lists
//! it was in, as when it came: the front pages of the home, its month and
//! its terms and their newest archive pages, the site's feeds and its
//! terms', the counts, the page of the article now the newest (it named
//! this one as its neighbour), the pages of the articles that named it as
//! related or chose from near it, the News sitemap while it was fresh,
//! the sitemap (its line goes) and the search files its words were in.
//! Its page is deleted.
//!
//! So the edit path takes it ([`super::plan`]) on a head without it
//! ([`newest`]); leaving its terms is a move out of each at the front
//! ([`super::terms`]), worked out on the head with it and then placed in
//! the head without it, where the article stands at the position past the
//! last (`gone_at`), the one place no other article has. What reaches
//! further is for the ordinary rebuild: another file changed too, an
//! article that is not the newest, one alone in its month (the month's
//! page would go, and perhaps its year's), a listing or term losing a page,
//! the News sitemap left empty, aliases and redirects to it, links to it
//! from other pages.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use chrono::Utc;

use super::added::{one_file_apart, remapped, sorted_paths};
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
    /// The previous head without the article: every id after its own one
    /// lower, its month one shorter, in no term's list.
    pub head: Head,
    /// The previous build's records, without the article's.
    pub tail: Arc<LazyTail>,
    /// Its file as the previous build recorded it.
    pub source: ArticleFile,
    /// Its page's site path.
    pub page: String,
    /// The articles (positions) that named it as related or chose their
    /// related ones near it in its topics' and tags' lists.
    pub near: BTreeSet<usize>,
    /// Those that named it: their pages change whatever they choose now.
    pub named: Vec<usize>,
    /// The search ids before, oldest first (its own the last).
    pub search_ids: Vec<u32>,
    /// Whether the News sitemap listed it.
    pub fresh: bool,
}

impl Removed {
    /// The position that stands for the article in the lists of its
    /// moves out of its terms ([`newest`]): past every other.
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
/// article was the newest of the site: the article and the head without
/// it, and its leaving its terms as positions in that head, where it
/// stands at `gone_at` ([`Removed::compared`]). Otherwise why not.
pub(super) fn newest(
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
    let stored = &head.index;
    if stored.order.first() != Some(&x) {
        return Err("the removed article is not the newest");
    }
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
    match listings.months.first_mut() {
        Some((.., count)) if *count > 1 => *count -= 1,
        Some(_) => return Err("the removed article was alone in its month"),
        None => return Err("the stored months are missing"),
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
    // Its terms lose it, worked out where it is (the front of each list).
    let mut bare = source.front.clone();
    (bare.topics, bare.tags, bare.authors) = (Vec::new(), Vec::new(), Vec::new());
    let leaving = Retagged {
        at: 0,
        before: &source.front,
        after: &bare,
    };
    let mut moves = Moves::of(head, std::slice::from_ref(&leaving), config, false)?;
    moves.nav_stays(head)?;

    // The tail as read so far, its chunks kept, without the article.
    let (tail, shift) = before.without(path, &now);
    let remap = |i: u32| i - u32::from(i > x);
    let len = stored.order.len() - 1;
    // Positions one lower; its own (0) stands past the last.
    let placed = |p: usize| p.checked_sub(1).unwrap_or(len);
    for m in &mut moves.terms {
        m.before = m.before.iter().map(|&p| placed(p)).collect();
        m.after = m.after.iter().map(|&p| placed(p)).collect();
    }
    for steps in listings
        .topics
        .iter_mut()
        .chain(&mut listings.tags)
        .chain(&mut listings.authors)
    {
        one_place_up(steps);
    }
    let terms = |terms: &[StoredTerm]| remapped(terms, |i| (i != x).then(|| remap(i)));
    let mut named = Vec::new();
    let related = stored
        .related
        .iter()
        .enumerate()
        .skip(1)
        .map(|(p, r)| {
            if r.contains(&x) {
                named.push(p - 1);
            }
            r.iter().filter(|&&i| i != x).map(|&i| remap(i)).collect()
        })
        .collect();
    let index = StoredIndex {
        order: stored.order[1..].iter().map(|&i| remap(i)).collect(),
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
        near.extend(m.after.iter().take(limit + 1));
    }
    let counts = Counts {
        articles: head.counts.articles - 1,
        pages: head.counts.pages - 1,
        ..head.counts
    };
    let new_ids = &search_ids[..search_ids.len() - 1];
    let head = Head {
        counts,
        shift,
        search_ids: SearchIds::of(slots, new_ids),
        ..head.reordered(index, listings)
    };
    // The News sitemap lists it while it is fresh; without it, the next
    // newest must be fresh too, or the sitemap would end.
    let selection = inputs.selection;
    let since = news_sitemap::since(config, selection.now);
    let is_fresh = |f: &ArticleFile| config.news.sitemap && f.front.date.with_timezone(&Utc) > since;
    let fresh = is_fresh(&source);
    if fresh {
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
        source,
        page,
        near,
        named,
        search_ids,
        fresh,
    };
    Ok((removed, moves))
}

impl Removed {
    /// Adds to `pages` the article pages that showed it (the one now the
    /// newest named it as its neighbour, some as related), to `listed` the
    /// home and month pages the removal changes (the month is the newest,
    /// the first of the order; a listing that would lose a page is for the
    /// ordinary rebuild) and the News sitemap while it listed it, and to
    /// `shown` the articles those pages show.
    pub fn shown_by(
        &self,
        pages: &mut BTreeSet<usize>,
        listed: &mut Listed,
        shown: &mut BTreeSet<u32>,
        (config, compared): (&SiteConfig, &[u32]),
    ) -> Result<(), &'static str> {
        let order = &self.head.index.order;
        pages.extend(order.first().map(|_| 0));
        pages.extend(&self.named);
        listed.news |= self.fresh;
        let month = self
            .head
            .listings
            .months
            .first()
            .ok_or("the stored months are missing")?
            .2 as usize;
        for (len, is_month) in [(order.len(), false), (month, true)] {
            if archive_pages(config, len + 1) != archive_pages(config, len) {
                return Err("a listing loses a page");
            }
            let before: Vec<usize> = std::iter::once(self.gone_at()).chain(0..len).collect();
            let after: Vec<usize> = (0..len).collect();
            listed.run_changed(
                shown,
                config,
                (order, compared),
                (&before, &after),
                is_month.then_some(0),
            );
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
        (listings.years, listings.overview) = (vec![0], true);
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
        search::remove_newest(read, dir, &words, ids, recorded).ok_or("the search index cannot be brought up to date")
    }
}

/// A term list ([`Listings`](crate::pipeline::state::manifest::Listings) steps) without the article at position 0,
/// every other position one lower: the first step says where the list
/// starts; at 0 it was that article, and the next step from it is the
/// next one's position.
fn one_place_up(steps: &mut Vec<u32>) {
    match steps.first().copied() {
        Some(0) => {
            steps.remove(0);
            if let Some(first) = steps.first_mut() {
                *first -= 1;
            }
        }
        Some(_) => steps[0] -= 1,
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::state::manifest::Listings;

    #[test]
    fn a_term_list_loses_the_front_and_moves_one_place_up() {
        for positions in [vec![0, 3, 7], vec![0], vec![2, 5], vec![1], vec![]] {
            let mut steps = Listings::steps(positions.iter().copied());
            one_place_up(&mut steps);
            let want: Vec<usize> = positions.iter().filter(|&&p| p != 0).map(|p| p - 1).collect();
            assert_eq!(Listings::positions(&steps), want, "{positions:?}");
        }
    }
}
