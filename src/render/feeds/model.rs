//! What a feed says, independent of its format: built once per feed job
//! from the index, then written as RSS, Atom or JSON Feed.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::config::{FeedFormat, SiteConfig};
use crate::error::FileError;
use crate::render::feeds::FeedSpec;
use crate::render::page::Bodies;
use crate::site::{SiteIndex, Taxonomy, Urls};

/// One feed: a listing's newest articles with their full text.
pub struct Feed<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// The listing's page, absolute.
    pub home_page_url: String,
    /// The site title: Atom wants an author on the feed when an entry has
    /// none, and blatt knows no other name for the publisher.
    pub author: &'a str,
    pub language: &'a str,
    /// The newest date or update of its items; `None` for a feed without
    /// items. Never the clock: a rebuild of the same content gives the
    /// same bytes.
    pub updated: Option<DateTime<FixedOffset>>,
    pub items: Vec<Item<'a>>,
}

/// One article in a feed.
pub struct Item<'a> {
    /// The article's absolute URL: permanent, as RSS `guid`, Atom `id` and
    /// JSON Feed `id` must be.
    pub id: String,
    pub url: String,
    pub title: &'a str,
    pub summary: Option<&'a str>,
    /// The body, every URL in it absolute.
    pub content_html: Arc<str>,
    pub published: DateTime<FixedOffset>,
    /// The front matter's `updated`, if any.
    pub modified: Option<DateTime<FixedOffset>>,
    pub authors: &'a [String],
    /// The first [`crate::render::context::LISTED_TERMS`] topics and tags.
    pub topics: Vec<Category<'a>>,
    pub tags: Vec<Category<'a>>,
}

impl Item<'_> {
    /// When the article last changed (never before it was published):
    /// Atom's required `updated`.
    pub fn updated(&self) -> DateTime<FixedOffset> {
        self.modified.unwrap_or(self.published).max(self.published)
    }
}

/// A topic or tag of an item.
pub struct Category<'a> {
    pub name: &'a str,
    /// The term's page, absolute.
    pub url: String,
    /// The page listing every term of its taxonomy, absolute: tells a
    /// topic from a tag of the same name.
    pub scheme: String,
}

impl<'a> Feed<'a> {
    pub fn new(
        spec: &'a FeedSpec,
        index: &'a SiteIndex,
        urls: &Urls,
        config: &'a SiteConfig,
        bodies: &Bodies,
    ) -> Result<Feed<'a>, FileError> {
        let items: Vec<Item> = spec
            .entries
            .iter()
            .map(|&i| item(i, index, urls, bodies))
            .collect::<Result<_, _>>()?;
        let updated = items.iter().map(Item::updated).max();
        Ok(Feed {
            title: &spec.title,
            description: &spec.description,
            home_page_url: urls.absolute(&spec.page),
            author: &config.title,
            language: &config.language,
            updated,
            items,
        })
    }

    /// This feed's own URL in `format` (its files lie beside its page).
    pub fn self_url(&self, format: FeedFormat) -> String {
        format!("{}{}", self.home_page_url, format.file_name())
    }
}

fn item<'a>(i: usize, index: &'a SiteIndex, urls: &Urls, bodies: &Bodies) -> Result<Item<'a>, FileError> {
    let entry = &index.entries[i];
    let front = &entry.source.front;
    let url = urls.absolute(&entry.path);
    let categories = |taxonomy: Taxonomy, ids: &[usize]| -> Vec<Category<'a>> {
        let scheme = urls.absolute(&urls.taxonomy(taxonomy));
        ids.iter()
            .take(crate::render::context::LISTED_TERMS)
            .map(|&t| {
                let term = &index.terms(taxonomy)[t];
                Category {
                    name: &term.name,
                    url: urls.absolute(&urls.term(taxonomy, &term.slug)),
                    scheme: scheme.clone(),
                }
            })
            .collect()
    };
    Ok(Item {
        content_html: bodies.feed_html(i, &url)?,
        id: url.clone(),
        url,
        title: &front.title,
        summary: front.summary.as_deref(),
        published: front.date,
        modified: front.updated,
        authors: &front.authors,
        topics: categories(Taxonomy::Topics, &entry.topics),
        tags: categories(Taxonomy::Tags, &entry.tags),
    })
}
