//! Rebuilding after edits that leave every front matter as it was: the
//! common case of fixing a typo in an article. Such an edit cannot change
//! the order of the articles, the terms or anything a listing page shows;
//! only the edited article's page and the feeds that carry its full text.
//! The manifest's head keeps the order and what each feed shows, so those
//! outputs are rendered from a small index of just the articles they show,
//! without reading or indexing the other 100 000, and only the head of the
//! manifest is written again ([`super::state::manifest::Patch`]).
//!
//! The small index renders the same bytes as the whole one, because:
//! - an article's neighbours in the whole order are its neighbours in any
//!   subset of articles that contains them;
//! - a feed shows the newest articles of its term, so they come first among
//!   the subset's articles of that term (any other is older);
//! - an article's related articles are chosen again from any subset that
//!   holds them (`site::related`), and the manifest names them;
//! - terms are named as the whole index named them (by their most used
//!   spelling), from the manifest.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use super::state::manifest::{LazyTail, Manifest, PATCH_LIMIT, StoredTerm};
use super::state::word_cache::WordCache;
use crate::config::SiteConfig;
use crate::content::file::Stamp;
use crate::content::{ArticleFile, Rules};
use crate::render::context::SiteContext;
use crate::render::outputs::FeedScope;
use crate::render::search::{self, SearchData, WordChange};
use crate::site::{Selection, SiteIndex, Taxonomy, output_file};

/// More edited files than this are rebuilt the ordinary way: reading them
/// one by one stops being the cheap part.
const LIMIT: usize = 64;

/// What a rebuild after body edits renders, from what.
pub(super) struct EditPlan {
    /// The previous build's records, read as needed.
    pub tail: Arc<LazyTail>,
    /// Every edited file as it is now (published or not).
    pub edited: Vec<ArticleFile>,
    /// The articles the outputs below show.
    pub index: SiteIndex,
    /// The edited articles, whose pages are rendered again.
    pub articles: Vec<usize>,
    /// The feeds (every format) that show them.
    pub feeds: Vec<FeedScope>,
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
}

/// Whether the only changes since `manifest` are to files whose front
/// matter is the same: then the plan for rebuilding what shows them.
/// Otherwise, whenever anything else changed or anything is in doubt, why
/// not (printed with `BLATT_TIMINGS`, since this path decides whether an
/// edit costs milliseconds or a rebuild); the ordinary rebuild handles that.
pub(super) fn plan(
    manifest: &Manifest,
    stamps: &[Stamp],
    config: &SiteConfig,
    selection: Selection,
    out: &Path,
) -> Result<EditPlan, &'static str> {
    let rules = Rules::of(config);
    let feed_limit = config.feed.limit;
    let feed_formats = config.feed.enabled();
    let term_feed_formats = config.feed.term_enabled();
    let search = config.search.enabled.then_some(config.urls.search.as_str());
    let head = &manifest.head;
    if head.stamps.len() != stamps.len() {
        return Err("a file added or removed");
    }
    if head.patch.len() >= PATCH_LIMIT {
        return Err("the manifest's patch is full");
    }
    let mut changed = Vec::new();
    for (old, new) in head.stamps.iter().zip(stamps) {
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
    let tail = Arc::new(manifest.lazy_tail().ok_or("the manifest's tail does not read")?);
    let mut edited: Vec<(u32, ArticleFile)> = Vec::with_capacity(changed.len());
    let mut old_hashes: HashMap<u32, u128> = HashMap::new();
    for path in changed {
        let (id, stored) = tail.find_file(path).ok_or("an edited file is not in the manifest")?;
        // A file that does not read is for the ordinary build to report.
        let source = ArticleFile::read(Path::new(path), &rules).map_err(|_| "an edited file does not read")?;
        // Dates with their offsets, not just instants.
        if !source.front.same_as(&stored.front) {
            return Err("front matter changed");
        }
        // Other pages' links may name its headings, and its own links to
        // other pages' headings or to articles by file need the whole index.
        if source.body != stored.body || source.body.fragment_links || !source.body.content_links.is_empty() {
            return Err("headings or links to other pages changed");
        }
        old_hashes.insert(id, stored.hash);
        edited.push((id, source));
    }

    let stored = &head.index;
    let order = &stored.order;
    let mut shown: BTreeSet<u32> = BTreeSet::new();
    let mut pages: Vec<&Path> = Vec::new();
    let mut site_feed = false;
    let mut term_feeds: Vec<(Taxonomy, &str)> = Vec::new();
    let mut word_changes: Vec<(u32, Vec<u8>, Vec<u8>)> = Vec::new();
    let mut search_words: Vec<(u128, Vec<u8>)> = Vec::new();
    for (id, source) in &edited {
        // Not in the order: a draft or future article, which nothing shows.
        let Some(at) = order.iter().position(|x| x == id) else {
            continue;
        };
        // Its words, as indexed (from the word cache) and as they are now.
        if search.is_some() {
            let old = old_hashes
                .get(id)
                .and_then(|hash| WordCache::lookup(out, *hash))
                .ok_or("the word cache does not know the article's old words")?;
            let new = search::words_of(source).map_err(|_| "an edited body does not read")?.0;
            search_words.push((source.hash, new.clone()));
            if old != new {
                let search_id = u32::try_from(order.len() - 1 - at).map_err(|_| "too many articles")?;
                word_changes.push((search_id, old, new));
            }
        }
        pages.push(&source.path);
        shown.insert(*id);
        shown.extend(at.checked_sub(1).map(|p| order[p]));
        shown.extend(order.get(at + 1));
        // Its related articles, so that the small index chooses them again
        // (see `site::related`); none are stored when `related.limit` is 0.
        if !stored.related.is_empty() {
            shown.extend(stored.related.get(at).ok_or("the stored related articles are short")?);
        }
        site_feed |= at < feed_limit;
        let stored_terms = [
            (Taxonomy::Topics, &stored.topics),
            (Taxonomy::Tags, &stored.tags),
            (Taxonomy::Authors, &stored.authors),
        ];
        for (taxonomy, terms) in stored_terms {
            for term in terms.iter().filter(|t| t.feed.contains(id)) {
                if !term_feeds.contains(&(taxonomy, term.slug.as_str())) {
                    term_feeds.push((taxonomy, &term.slug));
                    shown.extend(&term.feed);
                }
            }
        }
    }
    if site_feed {
        shown.extend(order.iter().take(feed_limit));
    }

    let edited_by_id: HashMap<u32, &ArticleFile> = edited.iter().map(|(id, s)| (*id, s)).collect();
    let sources: Vec<ArticleFile> = shown
        .iter()
        .map(|id| match edited_by_id.get(id) {
            Some(s) => Some((*s).clone()),
            None => tail.file(*id),
        })
        .collect::<Option<_>>()
        .ok_or("an article the edit shows is not in the manifest")?;
    // Where `@/…` links lead is known to the whole index only.
    if sources.iter().any(|s| !s.body.content_links.is_empty()) {
        return Err("an article the edit shows links to an article by file");
    }
    let mut index = SiteIndex::new(sources, rules.tz, selection);
    if index.entries.len() != shown.len() {
        return Err("an article the edit shows is no longer published");
    }
    // Terms with too few articles have no page in the stored index either.
    index.retain_terms(Taxonomy::Topics, |t| named(&stored.topics, &t.slug).is_some());
    index.retain_terms(Taxonomy::Tags, |t| named(&stored.tags, &t.slug).is_some());
    index.retain_terms(Taxonomy::Authors, |t| named(&stored.authors, &t.slug).is_some());
    let all_terms = [
        (&mut index.topics, &stored.topics),
        (&mut index.tags, &stored.tags),
        (&mut index.authors, &stored.authors),
    ];
    for (terms, stored) in all_terms {
        for term in terms.iter_mut() {
            term.name = named(stored, &term.slug)
                .ok_or("a term is not in the stored index")?
                .name
                .clone();
        }
    }

    let at: HashMap<&Path, usize> = index
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (index.source(e).path.as_path(), i))
        .collect();
    let articles: Vec<usize> = pages
        .iter()
        .map(|p| at.get(p).copied())
        .collect::<Option<_>>()
        .ok_or("an edited article is not in the small index")?;
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
    let search = match search {
        Some(dir) if !word_changes.is_empty() => {
            let changes: Vec<WordChange> = word_changes
                .iter()
                .map(|(id, old, new)| WordChange { id: *id, old, new })
                .collect();
            Some(
                search::patch(|rel| std::fs::read(out.join(rel)).ok(), dir, &changes)
                    .ok_or("the search index cannot be patched")?,
            )
        }
        _ => None,
    };
    let remembered = head.moved.iter().map(|(from, _)| output_file(from)).collect();
    Ok(EditPlan {
        remembered,
        search,
        search_words,
        tail,
        edited: edited.into_iter().map(|(_, s)| s).collect(),
        index,
        articles,
        feeds,
        site,
        site_json,
    })
}

/// The stored term of `slug` (the list is sorted by slug).
fn named<'a>(terms: &'a [StoredTerm], slug: &str) -> Option<&'a StoredTerm> {
    terms
        .binary_search_by(|t| t.slug.as_str().cmp(slug))
        .ok()
        .map(|i| &terms[i])
}
