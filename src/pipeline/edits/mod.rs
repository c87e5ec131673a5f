//! Rebuilding after edits that move no article: fixing a typo in a body,
//! or in what lists show of an article (its title, kicker or summary), or
//! changing its topics, tags or authors. Such an edit cannot change the order of
//! the articles or the pages of any listing but those of the terms the
//! article joined or left ([`terms`]); only what shows the edited
//! articles: their pages, the feeds that carry them and, for a title,
//! kicker or summary, the pages that list them (their neighbours' and the
//! pages naming them as related, the home, month and term pages that hold
//! them, the News sitemap) and the search results. The manifest's head
//! keeps the order,
//! what each feed shows and every listing's whole list
//! ([`super::state::manifest::Listings`]), so those outputs are rendered
//! from a small index of just the articles they show, without reading or
//! indexing the other 100 000, and only the head of the manifest is
//! written again ([`super::state::manifest::Patch`]).
//!
//! The small index renders the same bytes as the whole one, because:
//! - an article's neighbours in the whole order are its neighbours in any
//!   subset of articles that contains them;
//! - a feed shows the newest articles of its term, so they come first among
//!   the subset's articles of that term (any other is older);
//! - an article's related articles are chosen again from any subset that
//!   holds them (`site::related`), and the manifest names them;
//! - a listing page shows a run of its listing: the subset holds that run
//!   whole, so it is a run of the subset's list too, and the page is told
//!   where ([`Window`](crate::site::paginate::Window)) and how long the whole listing is; a month page is
//!   given every month's length (its navigation and its year's counts);
//! - the News sitemap lists the newest articles, all of which are loaded
//!   when it shows an edited one;
//! - terms are named as the whole index named them (by their most used
//!   spelling), from the manifest.
//!
//! An edit of an article's topics, tags or authors moves it within those
//! terms' lists only; [`terms`] says what else that changes (those terms' pages
//! whose runs shifted, their feeds, the counts, the sitemap's days) and
//! when it is for the ordinary rebuild. A new article is planned the same
//! way on a head that has it at its place without terms, then moved into
//! them there ([`added`]). A date edit moves an article among the
//! articles it passes: the plan runs on a head with the run of the order
//! it passes shifted by one, its terms' lists moved the same way; into
//! another month, both months' counts change and a redirect takes its old
//! page's place ([`redated`]).

mod added;
mod changed;
mod listed;
mod redated;
mod redirected;
mod removed;
mod shown;
mod terms;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use super::state::manifest::{self, Head, LazyTail, Manifest, StoredTerm};
use super::state::word_cache::WordCache;
use crate::config::SiteConfig;
use crate::content::file::Stamp;
use crate::content::{ArticleFile, FrontMatter, Rules};
use crate::render::context::SiteContext;
use crate::render::outputs::redirect::Redirect;
use crate::render::outputs::{EditedListings, FeedScope, SitemapUrl, sitemap, term_page_url};
use crate::render::search::{self, SearchData, WordChange};
use crate::site::{SiteIndex, Taxonomy, output_file};
use changed::{changes, toggled};
use listed::{Listed, ListedPage, fresh_articles, listing_days, listing_pages, small_listings};
use redirected::redirects_to;
pub(crate) use terms::Moves;
use terms::Retagged;

/// More edited files than this are rebuilt the ordinary way: reading them
/// one by one stops being the cheap part.
const LIMIT: usize = 64;

/// The articles an edit may show and still be rendered from a small
/// index (or half the site, when that is more).
const SHOWN_LIMIT: usize = 4096;

/// What a rebuild after edits renders, from what.
pub(super) struct EditPlan {
    /// The previous build's records, read as needed.
    pub tail: Arc<LazyTail>,
    /// Every edited file as it is now (published or not).
    pub edited: Vec<ArticleFile>,
    /// The articles the outputs below show.
    pub index: SiteIndex,
    /// The article pages rendered again: the edited articles', and where
    /// a title, kicker or summary changed, the pages that show it.
    pub articles: Vec<usize>,
    /// The feeds (every format) that show them.
    pub feeds: Vec<FeedScope>,
    /// The listing pages that show a changed title, kicker or summary, or
    /// whose run of a term's articles shifted, with what else a move into
    /// or out of a term changes (the counts, the sitemap's days).
    pub listings: EditedListings,
    /// The `site` value of the templates, unchanged, and as stored.
    pub site: SiteContext,
    pub site_json: Vec<u8>,
    /// The search index files the edits change.
    pub search: Option<SearchData>,
    /// The words of the edited published articles, by their file's hash,
    /// for the word cache.
    pub search_words: Vec<(u128, Vec<u8>)>,
    /// The files of redirects from the site's history: kept, but no link
    /// target (`Output::linkable`), as in the build that wrote them.
    pub remembered: HashSet<String>,
    /// The tags and authors the edits moved articles into or out of, for
    /// the manifest's head.
    pub moves: Moves,
    /// After a new article or a date edit that moved one, the head with
    /// the order as it is now, for the record.
    pub reordered: Option<Box<Head>>,
    /// The output files this build makes that the last one did not: links
    /// may lead to them.
    pub new_files: Vec<String>,
    /// The output files of the last build this one no longer makes (each
    /// one the tail records: blatt's), for the commit to delete.
    pub gone: Vec<String>,
    /// A removed article's page, which the manifest forgets.
    pub removed: Option<TakenOut>,
    /// The old address of an article a date edit moved to another month,
    /// and the entry of the small index its redirect leads to.
    pub redirect: Option<(String, usize)>,
    /// The redirects to an edited article that show what changed, its
    /// title or (a date edit into another month) its address, the one at
    /// its old address among them; each leads to an entry of the small index.
    pub redirects: Vec<Redirect>,
}

/// What the record of a rebuild after edits takes from its plan: the
/// edited files as they are now, the moves of articles within terms, and
/// after a new or re-dated article the head with the order as it is now.
pub(crate) struct Record {
    pub edited: Vec<ArticleFile>,
    pub moves: Moves,
    pub reordered: Option<Box<Head>>,
    /// The output files the build deletes, which the manifest forgets.
    pub gone: Vec<String>,
    /// A removed article's page, whose records the manifest forgets.
    pub removed: Option<TakenOut>,
}

/// The page of an article taken out of the site, and its file when
/// deleted (a draft's stays, recorded as it is now).
pub(crate) struct TakenOut {
    pub page: String,
    pub file: Option<String>,
}

/// Whether the only changes since `manifest` are to files whose articles
/// keep their places (bodies, what lists show of them, their topics, tags
/// or authors), one new or newly published article ([`added`]), one
/// deleted or set to draft ([`removed`]), or one article's date
/// ([`redated`]). Then the plan
/// for rebuilding what shows them. Otherwise, whenever anything else
/// changed or anything is in doubt, why not (printed with
/// `BLATT_TIMINGS`, since this path decides whether an edit costs
/// milliseconds or a rebuild); the ordinary rebuild handles that.
pub(super) fn plan(
    manifest: &Manifest,
    stamps: &[Stamp],
    config: &SiteConfig,
    inputs: &super::scan::Inputs,
) -> Result<EditPlan, &'static str> {
    let (selection, out) = (inputs.selection, inputs.out);
    let rules = Rules::of(config);
    let feed_limit = config.feed.limit;
    let feed_formats = config.feed.enabled();
    let term_feed_formats = config.feed.term_enabled();
    let search = config.search.enabled.then_some(config.urls.search.as_str());
    let head = &manifest.head;
    if head.patch.len() >= manifest::patch_limit(head) {
        return Err("the manifest's patch is full");
    }
    // The tail, when opened to see whether an edit publishes an article.
    let mut opened = None;
    let (added, removed) = match (stamps.len() + 1).checked_sub(head.stamps.len()) {
        Some(1) => match toggled(manifest, stamps, inputs, &rules)? {
            Ok(t) if t.was => (None, Some(removed::one_drafted(head, t, config, inputs, &rules)?)),
            Ok(t) => (Some(added::one_published(head, t, config, inputs, &rules)?), None),
            Err(tail) => {
                opened = tail;
                (None, None)
            }
        },
        Some(2) => (Some(added::new_one(manifest, stamps, config, inputs, &rules)?), None),
        Some(0) => (None, Some(removed::one_gone(manifest, stamps, config, inputs, &rules)?)),
        _ => return Err("files added or removed"),
    };
    let (removed, leaving) = removed.unzip();
    let mut changed = Vec::new();
    let same_files = added.is_none() && removed.is_none();
    for (old, new) in head.stamps.iter().zip(stamps).filter(|_| same_files) {
        if old.path != new.path {
            return Err("a file renamed");
        }
        if old != new {
            changed.push(new.path.as_str());
            if changed.len() > LIMIT {
                return Err("too many files changed");
            }
        }
    }
    let site_json = head.index.site.clone();
    let site: SiteContext = serde_json::from_slice(&site_json).map_err(|_| "the stored site value does not read")?;
    // A theme that reads `site.years` shows them on every page.
    if added.as_ref().is_some_and(|a| a.opens.is_some_and(|o| o.year)) && !site.years.is_empty() {
        return Err("a new year, and the site's templates list the years");
    }
    let (head, tail) = match (&added, &removed) {
        (Some(a), _) => (&a.head, Arc::clone(&a.tail)),
        (_, Some(r)) => (&r.head, Arc::clone(&r.tail)),
        (None, None) => {
            let tail = match opened {
                Some(tail) => tail,
                None => manifest.lazy_tail().ok_or("the manifest's tail does not read")?,
            };
            (head, Arc::new(tail))
        }
    };
    // Each edited file, and whether what lists show of it changed.
    let mut edited: Vec<(u32, ArticleFile, bool)> = Vec::with_capacity(changed.len());
    let mut old_hashes: HashMap<u32, u128> = HashMap::new();
    // The front matter before of those whose tags or authors changed.
    let mut retagged: Vec<(u32, FrontMatter)> = Vec::new();
    // The file before of one whose date alone changed.
    let mut redate: Option<(u32, ArticleFile)> = None;
    let mut redirects: Vec<(String, u32, bool)> = Vec::new();
    for path in changed {
        let (id, stored) = tail.find_file(path).ok_or("an edited file is not in the manifest")?;
        // A file that does not read is for the ordinary build to report.
        let source = ArticleFile::read(Path::new(path), &rules).map_err(|_| "an edited file does not read")?;
        // Dates with their offsets, not just instants. The slug is the
        // front matter's or the file name's, so with the same file and
        // `slug` the URL stays with any new title.
        let (listed, terms) = if source.front.same_as(&stored.front) {
            (false, false)
        } else if let Some(changed) = changes(&source.front, &stored.front) {
            changed
        } else if redated::only_date(&source.front, &stored.front) {
            redate = Some((id, stored.clone()));
            (true, false)
        } else {
            return Err("front matter changed");
        };
        // A redirect page shows its article's title (and address, which
        // an edit on this path keeps), not its date or summary.
        if source.front.title != stored.front.title {
            redirects.extend(redirects_to(head, &tail, &source, id)?);
        }
        if terms {
            retagged.push((id, stored.front.clone()));
        }
        // Other pages' links may name its headings, and its own links to
        // other pages' headings or to articles by file need the whole index.
        if source.body != stored.body || source.body.fragment_links || !source.body.content_links.is_empty() {
            return Err("headings or links to other pages changed");
        }
        old_hashes.insert(id, stored.hash);
        edited.push((id, source, listed));
    }
    // A drafted article's file is recorded as it is now; nothing shows it.
    if let Some((id, now)) = removed.as_ref().and_then(|r| r.kept.clone()) {
        edited.push((id, now, false));
    }
    // A new article is listed where it was not, and joins its terms.
    if let Some(a) = &added {
        edited.push((a.id, a.source.clone(), true));
        retagged.push((a.id, a.without_terms()));
    }
    // A re-dated one moves among its month's articles, and in its terms.
    let (redated, redated_terms) = match redate {
        Some(_) if edited.len() > 1 => return Err("a date edit beside other changes"),
        Some((id, before)) => {
            let (r, terms) = redated::moved(head, &tail, id, &edited[0].1, &before, config, inputs, &rules)?;
            (Some(r), terms)
        }
        None => (None, Vec::new()),
    };
    // A re-dated article's redirects lead to its new address (but one
    // there, which its page takes back).
    if let Some(r) = redated.as_ref().filter(|r| r.across.is_some()) {
        let shown = redirects_to(head, &tail, &edited[0].1, r.id)?;
        redirects.extend(shown.into_iter().filter(|(from, ..)| *from != r.path));
    }
    let head = redated.as_ref().map_or(head, |r| &r.head);

    let stored = &head.index;
    let order = &stored.order;
    let lists = &head.listings;
    if (edited.iter().any(|e| e.2) || !retagged.is_empty()) && lists.months.is_empty() && !order.is_empty() {
        return Err("the manifest has no listings (an older blatt wrote it)");
    }
    // Not in the order: a draft or future article, which no term counts.
    let position = |id: &u32| order.iter().position(|x| x == id);
    let retags: Vec<Retagged> = retagged
        .iter()
        .filter_map(|(id, before)| {
            let at = position(id)?;
            let after = &edited.iter().find(|e| e.0 == *id)?.1.front;
            Some(Retagged { at, before, after })
        })
        .collect();
    // A topic or author no article had gets its page: the plan runs on a
    // head that has it without articles, and moves them into it.
    let new_terms = terms::new_terms(head, &retags, config);
    let termed: Option<Head> = (!new_terms.is_empty()).then(|| {
        let mut termed = head.clone();
        terms::insert_terms(&mut termed, &new_terms);
        termed
    });
    let (head, stored, lists) = match &termed {
        Some(h) => (h, &h.index, &h.listings),
        None => (head, stored, lists),
    };
    // A removed article's moves were worked out on the head with it.
    let mut moves = match leaving {
        Some(moves) => moves,
        None => {
            let mut moves = Moves::of(head, &retags, config, added.is_some())?;
            moves.terms.extend(redated_terms);
            moves.nav_stays(head)?;
            moves
        }
    };
    let front_now = |id: u32| match edited.iter().find(|e| e.0 == id) {
        Some(e) => Some(e.1.front.clone()),
        None => tail.file(id).map(|f| f.front),
    };
    let most_shown = SHOWN_LIMIT.max(order.len() / 2);
    // A move in a topic's or a tag's list changes the related articles of
    // those near it there (and the moved article's own).
    let centers: Vec<usize> = retags.iter().map(|r| r.at).collect();
    match (&redated, &removed) {
        (Some(r), _) => moves.related_of(head, front_now, config.related.limit, r.near.clone())?,
        (_, Some(r)) => moves.related_of(head, front_now, config.related.limit, r.near.clone())?,
        (None, None) => moves.related_near(head, front_now, config.related.limit, &centers)?,
    }
    let term_limit = config.feed.term_limit();
    let mut shown: BTreeSet<u32> = BTreeSet::new();
    // Positions in the order of the article pages to render.
    let mut pages: BTreeSet<usize> = BTreeSet::new();
    let mut listed = Listed::default();
    let mut site_feed = false;
    let mut term_feeds: Vec<(Taxonomy, &str)> = Vec::new();
    let mut word_changes: Vec<(u32, Vec<u8>, Vec<u8>)> = Vec::new();
    let mut doc_changes: Vec<(u32, String, String)> = Vec::new();
    let mut search_words: Vec<(u128, Vec<u8>)> = Vec::new();
    let mut new_words: Option<Vec<u8>> = None;
    // The search ids of the order, oldest first (a new article's among them).
    let search_ids = match search {
        Some(_) => head
            .search_ids
            .ids(order.len())
            .ok_or("the manifest has no search ids (an older blatt wrote it)")?,
        None => Vec::new(),
    };
    let stored_terms = [
        (Taxonomy::Topics, &stored.topics),
        (Taxonomy::Tags, &stored.tags),
        (Taxonomy::Authors, &stored.authors),
    ];
    for (id, source, listed_changed) in &edited {
        // Not in the order: a draft or future article, which nothing shows.
        let Some(at) = position(id) else {
            continue;
        };
        let search_id = search_ids.get(order.len() - 1 - at).copied().unwrap_or_default();
        // Its words, as indexed (from the word cache) and as they are now.
        // A new or moved article's words change ids: indexed below.
        let moving = added.as_ref().is_some_and(|a| a.id == *id) || redated.as_ref().is_some_and(|r| r.id == *id);
        if search.is_some() && moving {
            let new = search::words_of(source)
                .map_err(|_| "the new or moved article's body does not read")?
                .0;
            search_words.push((source.hash, new.clone()));
            new_words = Some(new);
        } else if search.is_some() {
            let old = old_hashes
                .get(id)
                .and_then(|hash| WordCache::lookup(out, *hash))
                .ok_or("the word cache does not know the article's old words")?;
            let new = search::words_of(source).map_err(|_| "an edited body does not read")?.0;
            search_words.push((source.hash, new.clone()));
            if old != new {
                word_changes.push((search_id, old, new));
            }
            if *listed_changed {
                doc_changes.push((search_id, source.front.title.clone(), search::Doc::text(&source.front)));
            }
        }
        pages.insert(at);
        if *listed_changed {
            // Its neighbours' pages name it, as do those of the articles
            // it is related to.
            pages.extend(at.checked_sub(1));
            pages.extend((at + 1 < order.len()).then_some(at + 1));
            for (r, related) in stored.related.iter().enumerate() {
                if related.contains(id) {
                    pages.insert(r);
                }
            }
            listing_pages(&mut listed, &mut shown, config, head, &moves, source, at, selection)?;
        }
        site_feed |= at < feed_limit;
        for (taxonomy, terms) in stored_terms {
            // A term the edits take the last articles from has no feed.
            let shows = |t: &&StoredTerm| t.feed.contains(id) && !moves.goes(head, taxonomy, &t.slug);
            for term in terms.iter().filter(shows) {
                if !term_feeds.contains(&(taxonomy, term.slug.as_str())) {
                    term_feeds.push((taxonomy, &term.slug));
                    shown.extend(&term.feed);
                }
            }
        }
    }
    if let Some(a) = &added {
        added::listing_pages(&mut listed, &mut shown, config, head, a)?;
    }
    if let Some(r) = &redated {
        // Its old neighbours' pages named it (none newer when it was the
        // site's newest).
        pages.extend(
            [r.from.checked_sub(1), Some(r.from + 1)]
                .into_iter()
                .flatten()
                .filter(|&p| p < order.len())
                .map(|p| r.now(p)),
        );
        site_feed |= r.from < feed_limit;
        redated::listing_pages(&mut listed, &mut shown, config, head, r)?;
    }
    // What showed a removed article: every listing it was in showed it first.
    let compared = match &removed {
        Some(r) => {
            site_feed = true;
            let compared = r.compared();
            r.shown_by(&mut pages, &mut listed, &mut shown, (config, &compared))?;
            std::borrow::Cow::Owned(compared)
        }
        None => std::borrow::Cow::Borrowed(order.as_slice()),
    };
    // The pages of articles whose related articles the moves changed.
    for (p, related) in &moves.related {
        pages.insert(*p);
        shown.extend(related);
    }
    // The pages of the terms the edits moved articles into or out of, and
    // their feeds.
    for m in moves.terms.iter().filter(|m| !m.goes()) {
        let slug = m.slug(head);
        for page in m.changed_pages(config, &compared) {
            let key = (m.taxonomy, slug.to_string(), page.number);
            let found = ListedPage::of(page, |p| order[m.after[p]], &mut shown);
            listed.terms.insert(key, (found, m.after.len()));
        }
        let feed = match removed {
            Some(_) => Some(m.feed(head, term_limit)),
            None => m.new_feed(head, term_limit),
        };
        if let Some(feed) = feed {
            if !term_feeds.contains(&(m.taxonomy, slug)) {
                term_feeds.push((m.taxonomy, slug));
            }
            shown.extend(feed);
        }
    }
    for &at in &pages {
        shown.insert(order[at]);
        shown.extend(at.checked_sub(1).map(|p| order[p]));
        shown.extend(order.get(at + 1));
        // Its related articles, so that the small index chooses them again
        // (see `site::related`); none are stored when `related.limit` is 0.
        if !stored.related.is_empty() {
            shown.extend(stored.related.get(at).ok_or("the stored related articles are short")?);
        }
    }
    if site_feed {
        shown.extend(order.iter().take(feed_limit));
    }
    if listed.news {
        fresh_articles(&mut shown, &tail, &edited, order, config, selection)?;
    }

    let ids: Vec<u32> = shown.iter().copied().collect();
    let mut index = shown::load(&ids, most_shown, &edited, &tail, stored, (&rules, selection))?;

    // Where each shown article is in the small index.
    let entry_of: HashMap<u32, usize> = index
        .entries
        .iter()
        .enumerate()
        .map(|(k, e)| (ids[e.file], k))
        .collect();
    let articles: Vec<usize> = pages
        .iter()
        .map(|&at| entry_of.get(&order[at]).copied())
        .collect::<Option<_>>()
        .ok_or("an article page to render is not in the small index")?;
    // A draft's or a future article's redirects are not written.
    let mut redirects: Vec<Redirect> = redirects
        .into_iter()
        .filter(|(_, id, _)| order.contains(id))
        .map(|(from, id, remembered)| entry_of.get(&id).map(|&to| Redirect { from, to, remembered }))
        .collect::<Option<_>>()
        .ok_or("a redirected article is not in the small index")?;
    let mut listings = small_listings(&mut index, listed, &entry_of, order, lists, config, selection)?;
    // The listing pages a new article adds.
    let mut gained = Vec::new();
    // The old address of an article a date edit moved, and where it leads.
    let mut redirect = None;
    if let Some(a) = &added {
        listings.counts = moves.counts(head);
        // Its year's page and the overview show the month's count.
        let (year, month, _) = head.listings.months[a.month()?.0];
        let (y, _) =
            added::small_month(&index, year, month).ok_or("the new article's month is not in the small index")?;
        (listings.years, listings.overview, listings.robots) = (vec![y], true, a.starts_news);
        let entry = |id: &u32| {
            entry_of
                .get(id)
                .copied()
                .ok_or("the new article's neighbour is not in the small index")
        };
        // The sitemap lists it after the article before it, oldest first.
        let places = (entry(&a.id)?, entry(&order[a.at + 1])?, order.len() - 1 - a.at);
        gained = added::gained(config, inputs.urls, &index, &listings, head, &moves, a);
        gained.extend(terms::first_pages(config, inputs.urls, head, &moves, &new_terms));
        listings.sitemap = Some(added::sitemap(inputs, &index, &listings, places, &gained)?);
    } else if let Some(r) = &redated {
        let entry = *entry_of
            .get(&r.id)
            .ok_or("the re-dated article is not in the small index")?;
        if let Some(across) = &r.across {
            // The pages of their years and the overview show the months' counts.
            (listings.years, listings.overview) = (redated::years(&index, head, across.months)?, true);
            redirect = Some((across.old_path.clone(), entry));
            redirects.push(Redirect {
                from: across.old_path.clone(),
                to: entry,
                remembered: true,
            });
        }
        listings.sitemap = Some(redated::sitemap(inputs, &index, &listings, r, entry)?);
    } else if let Some(r) = &removed {
        r.listings(&mut listings, inputs, &index, &moves)?;
    } else if !moves.terms.is_empty() {
        listings.counts = moves.counts(head);
        // The days the sitemap gives the term pages rendered.
        let urls = inputs.urls;
        let days: Vec<SitemapUrl> = listings
            .terms
            .iter()
            .map(|(taxonomy, t, page, window)| term_page_url(urls, &index, *taxonomy, *t, page, window))
            .collect();
        gained = terms::first_pages(config, urls, head, &moves, &new_terms);
        let mut days = days;
        let following = added::listed_after(&mut days, &gained)?;
        let dropped = moves.gone_files(head, urls).1;
        listings.sitemap = Some(
            sitemap::patched(out, urls, &days, &following, &dropped)
                .ok_or("the sitemap cannot be brought up to date")?,
        );
    }
    let mut feeds: Vec<FeedScope> = Vec::new();
    if site_feed {
        feeds.extend(feed_formats.iter().map(|&f| (f, None)));
    }
    for (taxonomy, slug) in term_feeds {
        let t = index
            .terms(taxonomy)
            .iter()
            .position(|t| t.slug == slug)
            .ok_or("a term feed is not in the small index")?;
        feeds.extend(term_feed_formats.iter().map(|&f| (f, Some((taxonomy, t)))));
    }
    let search = match (search, &added, &redated, &removed) {
        (Some(dir), None, None, Some(r)) => Some(r.search(out, dir)?),
        (Some(dir), None, Some(r), _) => {
            let words = new_words.ok_or("the moved article's words are missing")?;
            Some(redated::search(out, dir, r, &words, &tail)?)
        }
        (Some(dir), Some(a), ..) => {
            let words = new_words.ok_or("the new article's words are missing")?;
            Some(added::search(out, dir, a, &words, &search_ids, &tail)?)
        }
        (Some(dir), None, None, None) if !word_changes.is_empty() || !doc_changes.is_empty() => {
            let read = |rel: &str| std::fs::read(out.join(rel)).ok();
            let changes: Vec<WordChange> = word_changes
                .iter()
                .map(|(id, old, new)| WordChange { id: *id, old, new })
                .collect();
            let mut data = if changes.is_empty() {
                SearchData::some_files(dir, BTreeMap::new())
            } else {
                search::patch(read, dir, &changes).ok_or("the search index cannot be patched")?
            };
            data.files
                .extend(search::patch_docs(read, dir, &doc_changes).ok_or("the search results cannot be patched")?);
            Some(data)
        }
        _ => None,
    };
    let remembered = head.moved.iter().map(|(from, _)| output_file(from)).collect();
    // A new term's page is among the pages gained; its feeds are new too.
    let new_feeds = new_terms
        .iter()
        .flat_map(|t| terms::term_files(inputs.urls, t.taxonomy, &t.slug).1);
    let new_files = added
        .iter()
        .flat_map(|a| {
            std::iter::once(a.page.clone())
                .chain(a.starts_news.then(|| crate::render::outputs::news_sitemap::FILE.into()))
        })
        .chain(gained.iter().map(|g| output_file(&g.page)))
        // A date edit into another month gives the article a new page.
        .chain(
            redated
                .iter()
                .filter(|r| r.across.is_some())
                .map(|r| output_file(&r.path)),
        )
        .chain(new_feeds)
        .collect();
    // The files of terms that go and of the search index that an update
    // no longer makes (its recent block moved into the chunks), which the
    // last build made.
    let gone: Vec<String> = moves
        .gone_files(head, inputs.urls)
        .0
        .into_iter()
        .chain(removed.iter().map(|r| output_file(&r.page)))
        .chain(search.iter().flat_map(|d| d.gone.iter().cloned()))
        .filter(|f| tail.output(f).is_some())
        .collect();
    // A term that goes changes the head's terms and counts.
    let going = moves.terms.iter().any(|m| m.goes());
    let plain = (going && termed.is_none() && same_files && redated.is_none()).then(|| head.clone());
    let taken_out = removed.as_ref().map(|r| TakenOut {
        page: r.page.clone(),
        file: r.kept.is_none().then(|| r.source.path.to_string_lossy().into_owned()),
    });
    let mut reordered = termed
        .or(added.map(|a| a.head))
        .or(redated.map(|r| r.head))
        .or(removed.map(|r| r.head))
        .or(plain);
    if let Some(head) = &mut reordered {
        head.counts.pages += gained.len();
        moves.count_gone(head);
    }
    Ok(EditPlan {
        redirect,
        redirects,
        removed: taken_out,
        reordered: reordered.map(Box::new),
        gone,
        new_files,
        moves,
        remembered,
        search,
        search_words,
        tail,
        edited: edited.into_iter().map(|(_, s, _)| s).collect(),
        index,
        articles,
        feeds,
        listings,
        site,
        site_json,
    })
}

/// What the search results show of the one article of `alone` (an index
/// of it alone: its URL and local date are the whole index's).
fn doc_alone(config: &SiteConfig, inputs: &super::scan::Inputs, alone: &SiteIndex) -> search::Doc {
    let lang = crate::render::locale::Lang::new(&config.language, &config.labels);
    let scope = crate::render::outputs::Scope {
        index: alone,
        urls: inputs.urls,
        config,
        lang: &lang,
    };
    search::Doc::of(&scope, &alone.entries[0])
}
