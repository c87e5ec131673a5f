//! Edits that move an article into or out of a topic, a tag or an author:
//! besides the pages that show the edited article, what changes is the
//! term's own list. It gains or loses one position while the site's order
//! and every other listing stay, so of the term's pages only those whose
//! run of articles shifted are rendered again (pages are counted from the
//! oldest, so older pages keep theirs), its feed when its newest articles
//! changed, the list of the taxonomy (the counts), in the sitemap the days
//! of the pages rendered, and the pages of articles whose related articles
//! changed: those near the moved article in a moved topic's list, or
//! without a topic near it in a moved tag's list (related articles follow
//! an article's topics, or its tags when it has none:
//! [`Moves::related_near`]). A topic
//! moved also changes what listings show of the article (the caller
//! renders them as for a new title). A term no article had that the edits
//! give enough articles for its page (a new topic or author: `min_articles`
//! is one for them by default) is put into the head without articles
//! first ([`new_terms`], [`insert_terms`]), so the articles move into it as
//! into any other; its page is then new, listed in the sitemap after the
//! term before it ([`first_pages`]). A term the edits take the last
//! articles from goes the other way: its page and feeds are deleted
//! ([`Moves::gone_files`]), the sitemap no longer lists the page, and the
//! record takes it out of the head ([`Moves::apply`]). What would reach
//! further is for the ordinary rebuild:
//! - a term that would keep articles but too few for its page, or get its
//!   page with articles it already had (`min_articles`; the head counts the
//!   articles of terms without one: their pages would link to it), or gain
//!   or lose one of its archive pages: links to it, the page counts, the
//!   sitemap's list of pages;
//! - a term another spelling might come to name: the edit spells it
//!   otherwise than its name, or takes away as many uses of the name as it
//!   leads the next spelling by (`manifest::TermCounts`);
//! - a change of the topics the main navigation names, on every page
//!   ([`Moves::nav_stays`]).

use std::collections::BTreeMap;

use super::super::state::manifest::{Head, Listings, StoredTerm};
use crate::config::SiteConfig;
use crate::content::FrontMatter;
use crate::render::context::NAV_TOPICS;
use crate::render::outputs::Counted;
use crate::site::paginate::{self, Page};
use crate::site::{Taxonomy, Urls, output_file};
use crate::text::slug::slugify;

/// A term the edits moved articles into or out of.
pub(crate) struct MovedTerm {
    pub taxonomy: Taxonomy,
    /// Its number among the stored terms of its taxonomy (by slug).
    pub t: usize,
    /// Its articles before and after the edits, as positions in the order
    /// after them; `before` in the order they had before (after a date
    /// edit not sorted: [`super::redated`]).
    pub before: Vec<usize>,
    pub after: Vec<usize>,
    /// The lead of its name after the edits.
    pub lead: u32,
}

/// The terms the edits moved articles into or out of.
#[derive(Default)]
pub(crate) struct Moves {
    pub terms: Vec<MovedTerm>,
    /// Terms without a page the edits moved articles into or out of, with
    /// how many articles they have after them (still too few for a page).
    pub below: BTreeMap<(Taxonomy, String), u32>,
    /// Articles whose related articles the moves changed: (position in
    /// the order, related articles now).
    pub related: Vec<(usize, Vec<u32>)>,
}

/// An edited article whose tags or authors changed: its position in the
/// order, and its front matter before and after.
pub(super) struct Retagged<'a> {
    pub at: usize,
    pub before: &'a FrontMatter,
    pub after: &'a FrontMatter,
}

pub(super) fn stored(head: &Head, taxonomy: Taxonomy) -> (&[StoredTerm], &[Vec<u32>], &[u32]) {
    let (terms, lists) = match taxonomy {
        Taxonomy::Topics => (&head.index.topics, &head.listings.topics),
        Taxonomy::Tags => (&head.index.tags, &head.listings.tags),
        Taxonomy::Authors => (&head.index.authors, &head.listings.authors),
    };
    (terms, lists, &head.term_counts.leads[taxonomy as usize])
}

/// [`stored`] to change: the terms, their lists and the leads of their
/// names, each indexed by the term's number.
fn stored_mut(head: &mut Head, taxonomy: Taxonomy) -> (&mut Vec<StoredTerm>, &mut Vec<Vec<u32>>, &mut Vec<u32>) {
    let leads = &mut head.term_counts.leads[taxonomy as usize];
    match taxonomy {
        Taxonomy::Topics => (&mut head.index.topics, &mut head.listings.topics, leads),
        Taxonomy::Tags => (&mut head.index.tags, &mut head.listings.tags, leads),
        Taxonomy::Authors => (&mut head.index.authors, &mut head.listings.authors, leads),
    }
}

/// The count of `taxonomy`'s terms that the build reports (authors are
/// not counted).
fn counted(head: &mut Head, taxonomy: Taxonomy) -> Option<&mut usize> {
    match taxonomy {
        Taxonomy::Topics => Some(&mut head.counts.topics),
        Taxonomy::Tags => Some(&mut head.counts.tags),
        Taxonomy::Authors => None,
    }
}

/// A term's page (its front page: a term that comes or goes on the edit
/// path has no other) and the files of its feeds.
pub(super) fn term_files(urls: &Urls, taxonomy: Taxonomy, slug: &str) -> (String, Vec<String>) {
    let page = urls.term(taxonomy, slug);
    let feeds = urls.term_feeds.iter().map(|&f| Urls::feed(&page, f)).collect();
    (page, feeds)
}

/// The stored terms of `taxonomy` (their numbers, by slug) that `front`
/// names, in its order, each once; a term with too few articles for a
/// page is not stored.
pub(super) fn stored_terms(head: &Head, taxonomy: Taxonomy, front: &FrontMatter) -> Vec<usize> {
    let (terms, ..) = stored(head, taxonomy);
    let mut ts: Vec<usize> = Vec::new();
    for name in taxonomy.names(front) {
        let slug = slugify(name);
        if let Ok(t) = terms.binary_search_by(|s| s.slug.as_str().cmp(&slug))
            && !ts.contains(&t)
        {
            ts.push(t);
        }
    }
    ts
}

/// Fewer articles than this give a term of `taxonomy` no page.
fn minimum(config: &SiteConfig, taxonomy: Taxonomy) -> usize {
    let min = match taxonomy {
        Taxonomy::Topics => config.min_articles.topics,
        Taxonomy::Tags => config.min_articles.tags,
        Taxonomy::Authors => config.min_articles.authors,
    };
    min.max(1)
}

/// The names of `names` by slug, in the order of the slugs.
fn by_slug(names: &[String]) -> BTreeMap<String, Vec<&str>> {
    let mut slugs: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for n in names {
        slugs.entry(slugify(n)).or_default().push(n);
    }
    slugs
}

impl Moves {
    /// The moves of the `edits`, or why the ordinary rebuild must do them.
    pub(super) fn of(head: &Head, edits: &[Retagged], config: &SiteConfig, gains: bool) -> Result<Moves, &'static str> {
        let mut moved: BTreeMap<(Taxonomy, usize), MovedTerm> = BTreeMap::new();
        let mut below: BTreeMap<(Taxonomy, String), u32> = BTreeMap::new();
        for edit in edits {
            for taxonomy in Taxonomy::ALL {
                let (terms, lists, leads) = stored(head, taxonomy);
                if !head.term_counts.known || lists.len() != terms.len() || leads.len() != terms.len() {
                    return Err("the manifest has no term counts (an older blatt wrote it)");
                }
                let before = by_slug(taxonomy.names(edit.before));
                let after = by_slug(taxonomy.names(edit.after));
                let slugs: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
                for slug in slugs {
                    let none = Vec::new();
                    let (was, is) = (before.get(slug).unwrap_or(&none), after.get(slug).unwrap_or(&none));
                    if was == is {
                        continue;
                    }
                    let Ok(t) = terms.binary_search_by(|s| s.slug.as_str().cmp(slug)) else {
                        if was.is_empty() != is.is_empty() {
                            let count = below_count(head, &below, taxonomy, slug);
                            let count = if is.is_empty() {
                                count.checked_sub(1).ok_or("a stored count does not hold its article")?
                            } else {
                                count + 1
                            };
                            if count as usize >= minimum(config, taxonomy) {
                                return Err("a term would get its page");
                            }
                            below.insert((taxonomy, slug.clone()), count);
                        }
                        continue;
                    };
                    if was.iter().chain(is).any(|n| *n != terms[t].name) {
                        return Err("a term is spelled otherwise than its name");
                    }
                    let term = moved.entry((taxonomy, t)).or_insert_with(|| {
                        let positions = Listings::positions(&lists[t]);
                        MovedTerm {
                            taxonomy,
                            t,
                            after: positions.clone(),
                            before: positions,
                            lead: leads[t],
                        }
                    });
                    let lead = i64::from(term.lead) + is.len() as i64 - was.len() as i64;
                    match (was.is_empty(), is.is_empty()) {
                        (false, true) => {
                            let k = term
                                .after
                                .binary_search(&edit.at)
                                .map_err(|_| "a stored term list does not hold its article")?;
                            term.after.remove(k);
                        }
                        (true, false) => {
                            let k = term
                                .after
                                .binary_search(&edit.at)
                                .err()
                                .ok_or("a stored term list holds an article it should not")?;
                            term.after.insert(k, edit.at);
                        }
                        _ => {}
                    }
                    // A term left without articles loses its page (`check`).
                    if lead <= 0 && !term.after.is_empty() {
                        return Err("another spelling may come to name a term");
                    }
                    term.lead = u32::try_from(lead.max(0)).unwrap_or(u32::MAX);
                }
            }
        }
        let moves = Moves {
            terms: moved.into_values().collect(),
            below,
            related: Vec::new(),
        };
        moves.check(config, gains)?;
        Ok(moves)
    }

    /// Whether the moves reach no further than this module renders: with
    /// `gains` (a new article's, whose new pages the plan lists in the
    /// sitemap) a term may gain a page, never lose one; a term may go
    /// whole, with its one page.
    fn check(&self, config: &SiteConfig, gains: bool) -> Result<(), &'static str> {
        for term in &self.terms {
            // Its last articles leave: its page and feed go
            // ([`MovedTerm::goes`]), when it has no archive pages.
            if term.goes() && archive_pages(config, term.before.len()) == 0 {
                continue;
            }
            if term.after.len() < minimum(config, term.taxonomy) {
                return Err("a term would lose its page");
            }
            let (then, now) = (
                archive_pages(config, term.before.len()),
                archive_pages(config, term.after.len()),
            );
            if now < then || (now > then && !gains) {
                return Err("a term's number of pages changes");
            }
        }
        Ok(())
    }

    /// The number of archive pages term `slug` of `taxonomy` had before
    /// the moves, when they changed its length.
    pub(super) fn pages_before(
        &self,
        config: &SiteConfig,
        head: &Head,
        taxonomy: Taxonomy,
        slug: &str,
    ) -> Option<usize> {
        self.terms
            .iter()
            .find(|m| m.taxonomy == taxonomy && m.slug(head) == slug && m.before.len() != m.after.len())
            .map(|m| archive_pages(config, m.before.len()))
    }

    /// Whether the main navigation names the same topics after the moves:
    /// the topics with the most articles (`render::context`).
    pub(super) fn nav_stays(&self, head: &Head) -> Result<(), &'static str> {
        let topics = &head.index.topics;
        let before: Vec<usize> = head.listings.topics.iter().map(Vec::len).collect();
        if before.len() != topics.len() {
            return Err("the stored topic lists are short");
        }
        let mut after = before.clone();
        for m in self.terms.iter().filter(|m| m.taxonomy == Taxonomy::Topics) {
            after[m.t] = m.after.len();
        }
        // A topic without articles (one a new article is about to join,
        // [`insert_terms`]) has no page to name.
        let named = |counts: &[usize]| {
            let mut nav: Vec<usize> = (0..topics.len()).filter(|&t| counts[t] > 0).collect();
            nav.sort_by(|&a, &b| {
                counts[b]
                    .cmp(&counts[a])
                    .then_with(|| topics[a].slug.cmp(&topics[b].slug))
            });
            nav.truncate(NAV_TOPICS);
            nav
        };
        if named(&before) != named(&after) {
            return Err("the topics of the navigation change");
        }
        Ok(())
    }

    /// The related articles, chosen again, of the articles at `centers`
    /// (the edited ones, as positions in the order) and of those near them
    /// in the topic and tag lists the moves changed: an article chooses
    /// from its lists nearest first, and every article it passes over is
    /// chosen or was already, so one further than `limit` from a changed
    /// place in a list has chosen all before it gets there
    /// (`site::related`). The lists are those the moves leave; `front` gives
    /// an article's front matter as it is now, by its id.
    pub(super) fn related_near(
        &mut self,
        head: &Head,
        front: impl Fn(u32) -> Option<FrontMatter>,
        limit: usize,
        centers: &[usize],
    ) -> Result<(), &'static str> {
        if head.index.related.is_empty() {
            return Ok(());
        }
        let mut near: std::collections::BTreeSet<usize> = centers.iter().copied().collect();
        for m in self.terms.iter().filter(|m| m.taxonomy != Taxonomy::Authors) {
            for list in [&m.before, &m.after] {
                for &c in centers {
                    let at = list.partition_point(|&p| p < c);
                    near.extend(&list[at.saturating_sub(limit)..(at + limit + 1).min(list.len())]);
                }
            }
        }
        self.related_of(head, front, limit, near)
    }

    /// The related articles, chosen again, of the articles at `near`
    /// (positions in the order), from the lists the moves leave.
    pub(super) fn related_of(
        &mut self,
        head: &Head,
        front: impl Fn(u32) -> Option<FrontMatter>,
        limit: usize,
        near: std::collections::BTreeSet<usize>,
    ) -> Result<(), &'static str> {
        if head.index.related.is_empty() {
            return Ok(());
        }
        let order = &head.index.order;
        let mut decoded: BTreeMap<(Taxonomy, usize), Vec<usize>> = BTreeMap::new();
        let mut changed = Vec::new();
        for p in near {
            let front = front(order[p]).ok_or("an article the edit shows is not in the manifest")?;
            // Its topics with a page, or its tags when it has none.
            let of = |taxonomy: Taxonomy| stored_terms(head, taxonomy, &front);
            let (taxonomy, ts) = match of(Taxonomy::Topics) {
                ts if ts.is_empty() => (Taxonomy::Tags, of(Taxonomy::Tags)),
                ts => (Taxonomy::Topics, ts),
            };
            for &t in &ts {
                if self.positions(taxonomy, t).is_none() {
                    let steps = stored(head, taxonomy).1.get(t).ok_or("a stored listing is missing")?;
                    decoded
                        .entry((taxonomy, t))
                        .or_insert_with(|| Listings::positions(steps));
                }
            }
            let lists: Vec<&[usize]> = ts
                .iter()
                .map(|&t| {
                    self.positions(taxonomy, t)
                        .unwrap_or_else(|| decoded.get(&(taxonomy, t)).map_or(&[], Vec::as_slice))
                })
                .collect();
            let now: Vec<u32> = crate::site::related::nearest(&lists, p, limit)
                .into_iter()
                .map(|q| order[q])
                .collect();
            if head.index.related.get(p) != Some(&now) {
                changed.push((p, now));
            }
        }
        self.related = changed;
        Ok(())
    }

    /// The positions of stored term `t` of `taxonomy` after the moves, when
    /// they moved it.
    pub(super) fn positions(&self, taxonomy: Taxonomy, t: usize) -> Option<&[usize]> {
        self.terms
            .iter()
            .find(|m| m.taxonomy == taxonomy && m.t == t)
            .map(|m| m.after.as_slice())
    }

    /// Whether the moves take the last articles from term `slug` of
    /// `taxonomy`: then it has no page, feed or line in the lists.
    pub(super) fn goes(&self, head: &Head, taxonomy: Taxonomy, slug: &str) -> bool {
        self.terms
            .iter()
            .any(|m| m.taxonomy == taxonomy && m.goes() && m.slug(head) == slug)
    }

    /// The list of each taxonomy whose counts the moves changed: every
    /// stored term with its count after them (none for a term that goes).
    pub(super) fn counts(&self, head: &Head) -> Vec<(Taxonomy, Vec<Counted>)> {
        Taxonomy::ALL
            .into_iter()
            .filter(|&tx| {
                self.terms
                    .iter()
                    .any(|m| m.taxonomy == tx && m.before.len() != m.after.len())
            })
            .map(|taxonomy| {
                let (terms, lists, _) = stored(head, taxonomy);
                let counted = terms
                    .iter()
                    .zip(lists)
                    .enumerate()
                    .map(|(t, (term, list))| Counted {
                        name: term.name.clone(),
                        slug: term.slug.clone(),
                        count: self.positions(taxonomy, t).map_or(list.len(), <[usize]>::len),
                    })
                    .filter(|c| c.count > 0)
                    .collect();
                (taxonomy, counted)
            })
            .collect()
    }

    /// Brings `head`'s stored terms up to date: their lists, feeds and
    /// leads, and the counts of those without a page; a term that goes is
    /// no longer stored (the plan counted it out, [`Moves::count_gone`]).
    pub(crate) fn apply(&self, head: &mut Head, feed_limit: usize) {
        for ((taxonomy, slug), &count) in &self.below {
            let counts = &mut head.term_counts.below_minimum[*taxonomy as usize];
            match (counts.binary_search_by(|(s, _)| s.as_str().cmp(slug)), count) {
                (Ok(at), 0) => {
                    counts.remove(at);
                }
                (Ok(at), _) => counts[at].1 = count,
                (Err(_), 0) => {}
                (Err(at), _) => counts.insert(at, (slug.clone(), count)),
            }
        }
        for (p, related) in &self.related {
            head.index.related[*p].clone_from(related);
        }
        for m in &self.terms {
            let feed: Vec<u32> = m.after.iter().take(feed_limit).map(|&p| head.index.order[p]).collect();
            let (terms, lists, leads) = stored_mut(head, m.taxonomy);
            terms[m.t].feed = feed;
            lists[m.t] = Listings::steps(m.after.iter().copied());
            leads[m.t] = m.lead;
        }
        // From the last, so that the numbers of the others hold.
        let mut gone: Vec<(Taxonomy, usize)> = self
            .terms
            .iter()
            .filter(|m| m.goes())
            .map(|m| (m.taxonomy, m.t))
            .collect();
        gone.sort_unstable_by(|a, b| b.cmp(a));
        for (taxonomy, t) in gone {
            let (terms, lists, leads) = stored_mut(head, taxonomy);
            terms.remove(t);
            lists.remove(t);
            leads.remove(t);
        }
    }

    /// Takes the terms that go out of `head`'s counts, and their pages.
    pub(super) fn count_gone(&self, head: &mut Head) {
        for m in self.terms.iter().filter(|m| m.goes()) {
            if let Some(count) = counted(head, m.taxonomy) {
                *count = count.saturating_sub(1);
            }
            head.counts.pages = head.counts.pages.saturating_sub(1);
        }
    }

    /// The output files of the terms that go (their page and feeds), and
    /// the paths of their pages, which the sitemap no longer lists.
    pub(super) fn gone_files(&self, head: &Head, urls: &Urls) -> (Vec<String>, Vec<String>) {
        let (mut files, mut pages) = (Vec::new(), Vec::new());
        for m in self.terms.iter().filter(|m| m.goes()) {
            let (page, feeds) = term_files(urls, m.taxonomy, m.slug(head));
            files.push(output_file(&page));
            files.extend(feeds);
            pages.push(page);
        }
        (files, pages)
    }
}

impl MovedTerm {
    /// The pages of the term whose articles or navigation the moves
    /// changed, as they are now (more only with a new article: [`Moves::of`]).
    pub(super) fn changed_pages(&self, config: &SiteConfig, order: &[u32]) -> Vec<Page> {
        changed_pages(config, &self.before, &self.after, order)
    }

    /// The articles its feed shows now, when they changed.
    pub(super) fn new_feed(&self, head: &Head, feed_limit: usize) -> Option<Vec<u32>> {
        let (terms, ..) = stored(head, self.taxonomy);
        let feed = self.feed(head, feed_limit);
        (feed != terms[self.t].feed).then_some(feed)
    }

    /// The articles its feed shows now.
    pub(super) fn feed(&self, head: &Head, feed_limit: usize) -> Vec<u32> {
        self.after
            .iter()
            .take(feed_limit)
            .map(|&p| head.index.order[p])
            .collect()
    }

    /// Whether its last articles leave it.
    pub(super) fn goes(&self) -> bool {
        self.after.is_empty()
    }

    pub(super) fn slug<'a>(&self, head: &'a Head) -> &'a str {
        &stored(head, self.taxonomy).0[self.t].slug
    }
}

/// A term the edits give its first articles, as many as its page needs
/// (`min_articles`; one for topics and authors by default): a new topic
/// or author named in an edited or new article.
pub(super) struct NewTerm {
    pub taxonomy: Taxonomy,
    pub name: String,
    pub slug: String,
}

/// The terms that have no articles before the `edits` and enough for a
/// page after them, each spelled one way. The head knows every term with
/// articles (with a page, or counted below the minimum), so a slug it does
/// not know had none. A term with more articles than its front page shows
/// would get archive pages too: for the ordinary rebuild.
pub(super) fn new_terms(head: &Head, edits: &[Retagged], config: &SiteConfig) -> Vec<NewTerm> {
    let mut found: BTreeMap<(Taxonomy, String), (Vec<&str>, usize)> = BTreeMap::new();
    for edit in edits {
        for taxonomy in Taxonomy::ALL {
            let before = by_slug(taxonomy.names(edit.before));
            for (slug, names) in by_slug(taxonomy.names(edit.after)) {
                if slug.is_empty() || before.contains_key(&slug) {
                    continue;
                }
                let entry = found.entry((taxonomy, slug)).or_default();
                entry.0.extend(names);
                entry.1 += 1;
            }
        }
    }
    found
        .into_iter()
        .filter_map(|((taxonomy, slug), (mut names, count))| {
            let (terms, ..) = stored(head, taxonomy);
            names.sort_unstable();
            names.dedup();
            let unknown = terms.binary_search_by(|s| s.slug.as_str().cmp(&slug)).is_err()
                && below_count(head, &BTreeMap::new(), taxonomy, &slug) == 0;
            let fits = count >= minimum(config, taxonomy) && count <= config.paginate.max(1);
            (unknown && fits && names.len() == 1).then(|| NewTerm {
                taxonomy,
                name: names[0].to_string(),
                slug,
            })
        })
        .collect()
}

/// Gives `head` the `new` terms without articles, where their slugs sort
/// them among the stored ones, and counts them: [`Moves::of`] then
/// moves the articles into them as into any stored term.
pub(super) fn insert_terms(head: &mut Head, new: &[NewTerm]) {
    for term in new {
        let (terms, lists, leads) = stored_mut(head, term.taxonomy);
        let Err(at) = terms.binary_search_by(|s| s.slug.as_str().cmp(&term.slug)) else {
            continue;
        };
        terms.insert(
            at,
            StoredTerm {
                name: term.name.clone(),
                slug: term.slug.clone(),
                feed: Vec::new(),
            },
        );
        lists.insert(at, Vec::new());
        leads.insert(at, 0);
        if let Some(count) = counted(head, term.taxonomy) {
            *count += 1;
        }
    }
}

/// Where the sitemap lists the front page of each of the `new` terms of
/// `head` (which has them): after the last page of the term before it
/// (its oldest archive page, or its front page), or after the list of
/// its taxonomy when it comes first.
pub(super) fn first_pages(
    config: &SiteConfig,
    urls: &Urls,
    head: &Head,
    moves: &Moves,
    new: &[NewTerm],
) -> Vec<super::added::Gained> {
    new.iter()
        .filter_map(|term| {
            let (terms, lists, _) = stored(head, term.taxonomy);
            let t = terms.binary_search_by(|s| s.slug.as_str().cmp(&term.slug)).ok()?;
            let after = match t.checked_sub(1) {
                None => urls.taxonomy(term.taxonomy),
                Some(p) => {
                    let len = moves.positions(term.taxonomy, p).map_or(lists[p].len(), <[usize]>::len);
                    let last = pages(config, len).last().map_or(0, |page| page.number);
                    urls.paginated(&urls.term(term.taxonomy, &terms[p].slug), last)
                }
            };
            Some(super::added::Gained {
                after,
                page: term_files(urls, term.taxonomy, &term.slug).0,
                dated: true,
            })
        })
        .collect()
}

/// How many articles the term `slug` of `taxonomy` without a page has:
/// as the edits so far left it, or as the head stored it.
fn below_count(head: &Head, moved: &BTreeMap<(Taxonomy, String), u32>, taxonomy: Taxonomy, slug: &str) -> u32 {
    if let Some(&count) = moved.get(&(taxonomy, slug.to_string())) {
        return count;
    }
    let counts = &head.term_counts.below_minimum[taxonomy as usize];
    counts
        .binary_search_by(|(s, _)| s.as_str().cmp(slug))
        .map_or(0, |at| counts[at].1)
}

/// The pages of a listing that was `before` and is `after` (positions in
/// `order`) whose articles or navigation changed, as they are now, pages
/// the listing gains among them; the front page also when the length
/// changed (a term's shows its count). Pages it loses are not named.
pub(super) fn changed_pages(config: &SiteConfig, before: &[usize], after: &[usize], order: &[u32]) -> Vec<Page> {
    let ids =
        |list: &[usize], page: &Page| -> Vec<u32> { list[page.range.clone()].iter().map(|&p| order[p]).collect() };
    let then = pages(config, before.len());
    // The front page first, then the archive pages from the newest: the
    // page numbered n > 0 is n places from the end.
    let then_numbered = |n: usize| {
        let k = if n == 0 { Some(0) } else { then.len().checked_sub(n) };
        k.and_then(|k| then.get(k)).filter(|p| p.number == n)
    };
    let same_count = before.len() == after.len();
    pages(config, after.len())
        .into_iter()
        .filter(|now| {
            let Some(then) = then_numbered(now.number) else {
                return true;
            };
            let count = now.number != 0 || same_count;
            let nav =
                (now.number, now.newer, now.older, &now.window) == (then.number, then.newer, then.older, &then.window);
            !(count && nav && ids(after, now) == ids(before, then))
        })
        .collect()
}

/// How many archive pages a listing of `len` has.
pub(super) fn archive_pages(config: &SiteConfig, len: usize) -> usize {
    paginate::archive_pages(len, config.paginate, config.listing.archive_paginate)
}

pub(super) fn pages(config: &SiteConfig, len: usize) -> Vec<Page> {
    paginate::pages(len, config.paginate, config.listing.archive_paginate)
}
