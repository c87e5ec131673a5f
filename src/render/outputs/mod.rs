//! Every kind of file a build writes, each kind in one module.
//!
//! A kind answers, for each of its outputs, everything the build needs to
//! know about it: its path, what it is made of (its signature: an output
//! whose signature the manifest recorded is not rendered again), how it
//! renders, and whether it is an HTML page (link-checked, counted, listed
//! in the sitemap with its last modification). The build talks to outputs
//! only through [`Output`], so a new kind of file is a new module here and
//! one line in [`Outputs::for_site`].

mod archive;
mod article;
mod feed;
mod home;
pub mod news_sitemap;
mod not_found;
pub mod redirect;
mod robots;
mod search;
pub mod signature;
pub mod sitemap;
pub mod statics;
mod taxonomy;

use std::path::Path;

use chrono::{DateTime, Utc};

use crate::config::SiteConfig;
use crate::error::FileError;
use crate::render::locale::Lang;
use crate::render::page::PageRenderer;
use crate::render::search::SearchData;
use crate::site::paginate::{Page, Window};
use crate::site::{SiteIndex, Taxonomy, Urls, output_file};

pub use archive::month_page_url;
pub use feed::FeedScope;
pub use home::home_page_url;
pub use signature::{Hash, Signatures};
pub use sitemap::SitemapUrl;
pub use statics::Statics;
pub use taxonomy::{Counted, term_page_url};

/// What every kind reads: the index of the build and how it is shown.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub index: &'a SiteIndex,
    pub urls: &'a Urls,
    pub config: &'a SiteConfig,
    pub lang: &'a Lang,
}

/// The files one output renders to, as (site-relative path, bytes).
pub struct Rendered {
    pub files: Vec<(String, Vec<u8>)>,
    /// For an article page: the internal links written in its body, the
    /// only links whose targets can disappear without the page changing.
    pub body_links: Option<Vec<String>>,
}

impl Rendered {
    pub fn one(path: String, bytes: Vec<u8>) -> Rendered {
        Rendered {
            files: vec![(path, bytes)],
            body_links: None,
        }
    }
}

/// One kind of output; its outputs are numbered `0..len()`.
pub trait Output: Send + Sync {
    /// How many outputs of this kind the build has.
    fn count(&self) -> usize;

    /// Site-relative URL path of output `n` (`2022/01/x/`, `feed.xml`).
    fn path(&self, s: &Scope, n: usize) -> String;

    /// The files output `n` writes: one, but for a sitemap split in parts.
    fn files(&self, s: &Scope, n: usize) -> Vec<String> {
        vec![output_file(&self.path(s, n))]
    }

    /// Everything output `n` is made of, as one hash.
    fn signature(&self, s: &Scope, sig: &Signatures, n: usize) -> u128;

    /// Renders output `n`.
    fn render(&self, r: &PageRenderer, n: usize) -> Result<Rendered, FileError>;

    /// Whether output `n` holds its bytes in memory until it is rendered
    /// (the search index, made before the pages): rendering those first
    /// frees that memory before the pages' own grows.
    fn held_until_rendered(&self, _n: usize) -> bool {
        false
    }

    /// HTML pages have their links checked and are counted as pages.
    fn is_page(&self, _n: usize) -> bool {
        false
    }

    /// Whether links may lead to output `n`. A page that exists only
    /// because of what earlier builds published (a remembered URL's
    /// redirect) is no target: a clean build would not have it, so a link
    /// that reaches it would pass or fail depending on the site's history.
    fn linkable(&self, _n: usize) -> bool {
        true
    }

    /// The page's entry in the sitemap, if it is listed there.
    fn sitemap(&self, _s: &Scope, _n: usize) -> Option<SitemapUrl> {
        None
    }

    /// Whether the sitemap lists this kind's pages from the last to the
    /// first: article pages oldest first, so that a new article, the
    /// newest, joins the end of their run and only the sitemap's parts
    /// from there change (`pipeline::edits::added`).
    fn sitemap_last_first(&self) -> bool {
        false
    }

    /// The file to name when output `n` has a broken link (an article
    /// page's own Markdown file); others are named by their output file.
    fn origin<'a>(&self, _s: &Scope<'a>, _n: usize) -> Option<&'a Path> {
        None
    }

    /// Marks the entries whose bodies output `n` shows and other outputs
    /// are likely to show too (feeds share their newest articles), so that
    /// they are rendered once and kept.
    fn share_bodies(&self, _s: &Scope, _n: usize, _keep: &mut [bool]) {}

    /// When this kind's outputs next change by the clock alone, with no
    /// edit: a rebuild after that moment has something to do.
    fn next_change(&self) -> Option<DateTime<Utc>> {
        None
    }

    /// What makes this kind's outputs impossible to write (an alias where
    /// a page is); the build stops with them.
    fn problems(&self) -> Vec<FileError> {
        Vec::new()
    }
}

/// One output: its kind's position in [`Outputs`] and its number there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputId {
    pub kind: usize,
    pub n: usize,
}

/// What a build knows besides the index that some kinds need.
pub struct SiteParts {
    /// The search index's data files, when search is enabled.
    pub search: Option<SearchData>,
    /// The theme's and the site's static files.
    pub statics: Statics,
    /// The time of the build (the News sitemap lists the last two days).
    pub now: DateTime<Utc>,
    /// The URLs articles had in earlier builds.
    pub moved: redirect::Moved,
}

/// The listing pages an edit of what lists show of articles renders from
/// its small index (`pipeline::edits`), each with where that index holds
/// its entries.
#[derive(Default)]
pub struct EditedListings {
    pub home: Vec<(Page, Window)>,
    /// As (taxonomy, term of the small index, page, window).
    pub terms: Vec<(Taxonomy, usize, Page, Window)>,
    /// As (year, month, page) of the small index's years.
    pub months: Vec<(usize, usize, Page)>,
    /// The News sitemap's entries, when it shows an edited article.
    pub news: Option<Vec<usize>>,
    /// The lists of terms of a taxonomy whose counts changed.
    pub counts: Vec<(Taxonomy, Vec<Counted>)>,
    /// The sitemap's files, when the days of term pages changed.
    pub sitemap: Option<Vec<(String, Vec<u8>)>>,
    /// The year pages (years of the small index) and whether the overview
    /// of the date archive show changed counts: a new article's.
    pub years: Vec<usize>,
    pub overview: bool,
    /// Whether robots.txt is written again, naming a News sitemap that
    /// starts with a new article.
    pub robots: bool,
}

/// The kinds of output of one build.
pub struct Outputs {
    kinds: Vec<Box<dyn Output>>,
    /// The remembered URLs of moved articles this build keeps as redirects.
    pub moved: Vec<(String, std::path::PathBuf)>,
    /// Those a page of this build now takes.
    pub dropped: Vec<String>,
}

impl Outputs {
    /// Every output of a site. The order of the kinds is the order of the
    /// sitemap.
    pub fn for_site(s: &Scope, parts: SiteParts) -> Outputs {
        let news = news_sitemap::NewsSitemap::new(s, parts.now);
        let mut kinds: Vec<Box<dyn Output>> = vec![
            Box::new(article::ArticlePages::all(s)),
            Box::new(home::HomePages::new(s)),
            Box::new(taxonomy::TermPages::new(s)),
            Box::new(archive::DateArchive::new(s)),
            Box::new(not_found::NotFound),
            Box::new(feed::Feeds::all(s)),
            Box::new(robots::Robots { news: news.written() }),
            Box::new(news),
            Box::new(search::Search::new(parts.search, true)),
            Box::new(parts.statics),
        ];
        // After every kind of real page, none of which it may replace.
        let mut redirects = redirect::Redirects::new(s, &kinds, &parts.moved);
        let moved = std::mem::take(&mut redirects.kept);
        let dropped = std::mem::take(&mut redirects.dropped);
        kinds.push(Box::new(redirects));
        // Last: it lists the pages of all the others.
        let sitemap = sitemap::Sitemap::new(s, &kinds);
        kinds.push(Box::new(sitemap));
        Outputs { kinds, moved, dropped }
    }

    /// The outputs an edit changes: the pages of `articles`, the `feeds`
    /// that show them, the search files the edit changed, the `listings`
    /// pages that show what changed, and the `redirects` that show an
    /// edited article: the old address of one a date edit moved to another
    /// month and its other redirects, those of a new title.
    pub fn for_edits(
        articles: Vec<usize>,
        feeds: Vec<FeedScope>,
        search: Option<SearchData>,
        listings: EditedListings,
        redirects: Vec<redirect::Redirect>,
    ) -> Outputs {
        let mut kinds: Vec<Box<dyn Output>> = vec![
            Box::new(article::ArticlePages::only(articles)),
            Box::new(home::HomePages::only(listings.home)),
            Box::new(taxonomy::TermPages::only(listings.terms, listings.counts)),
            Box::new(archive::DateArchive::only(
                listings.months,
                listings.years,
                listings.overview,
            )),
            Box::new(feed::Feeds::only(feeds)),
            Box::new(search::Search::new(search, false)),
        ];
        if listings.robots {
            kinds.push(Box::new(robots::Robots { news: true }));
        }
        if let Some(listed) = listings.news {
            kinds.push(Box::new(news_sitemap::NewsSitemap::only(listed)));
        }
        if !redirects.is_empty() {
            kinds.push(Box::new(redirect::Redirects::of_edits(redirects)));
        }
        if let Some(files) = listings.sitemap {
            kinds.push(Box::new(sitemap::PatchedSitemap { files }));
        }
        Outputs {
            kinds,
            moved: Vec::new(),
            dropped: Vec::new(),
        }
    }

    pub fn kind(&self, kind: usize) -> &dyn Output {
        self.kinds[kind].as_ref()
    }

    /// Every output, kind by kind.
    pub fn ids(&self) -> impl Iterator<Item = OutputId> + '_ {
        self.kinds
            .iter()
            .enumerate()
            .flat_map(|(kind, k)| (0..k.count()).map(move |n| OutputId { kind, n }))
    }

    /// The number of HTML pages.
    pub fn pages(&self) -> usize {
        self.kinds
            .iter()
            .map(|k| (0..k.count()).filter(|&n| k.is_page(n)).count())
            .sum()
    }

    /// Every problem of every kind that stops the build.
    pub fn problems(&self) -> Vec<FileError> {
        self.kinds.iter().flat_map(|k| k.problems()).collect()
    }

    /// When the outputs next change by the clock alone.
    pub fn next_change(&self) -> Option<DateTime<Utc>> {
        self.kinds.iter().filter_map(|k| k.next_change()).min()
    }
}
