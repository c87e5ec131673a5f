//! The feeds of a site: its own and one per topic and tag, in each enabled
//! format. Each feed job builds one [`model::Feed`] from a [`FeedSpec`];
//! the writers ([`rss`], [`atom`], [`json`]) only translate it, so the
//! formats cannot disagree about what a feed shows.

pub mod absolute;
pub mod atom;
pub mod json;
pub mod model;
pub mod rss;

use std::borrow::Cow;

use crate::config::{FeedFormat, SiteConfig};
use crate::error::FileError;
use crate::render::locale::Lang;
use crate::render::page::Bodies;
use crate::site::{SiteIndex, Taxonomy, Urls};

pub use model::Feed;

/// The newest `limit` entries of a feed and what the channel says about them.
pub struct FeedSpec<'a> {
    pub title: String,
    pub description: String,
    /// Site-relative path of the page the feed belongs to; its feeds are
    /// files beside it.
    pub page: String,
    /// Newest first, at most `feed.limit`.
    pub entries: Cow<'a, [usize]>,
    /// How many of `entries`, from the newest, carry their full text.
    pub full_text: usize,
}

impl<'a> FeedSpec<'a> {
    /// The feed of the whole site (`None`) or of one topic or tag.
    pub fn new(
        scope: Option<(Taxonomy, usize)>,
        index: &'a SiteIndex,
        urls: &Urls,
        config: &SiteConfig,
        lang: &Lang,
    ) -> Self {
        let entries = shown(scope, index, config);
        let full_text = full_text(scope, config).min(entries.len());
        match scope {
            None => FeedSpec {
                title: config.title.clone(),
                description: if config.description.is_empty() {
                    config.title.clone()
                } else {
                    config.description.clone()
                },
                page: String::new(),
                full_text,
                entries,
            },
            Some((taxonomy, t)) => {
                let term = &index.terms(taxonomy)[t];
                let kind = match taxonomy {
                    Taxonomy::Topics => lang.labels.get("topic"),
                    Taxonomy::Tags => lang.labels.get("tag"),
                    Taxonomy::Authors => lang.labels.get("author"),
                }
                .cloned()
                .unwrap_or_default();
                FeedSpec {
                    title: format!("{} – {kind}: {}", config.title, term.name),
                    description: format!(
                        "{} {kind}: {}",
                        lang.labels.get("articles_in").cloned().unwrap_or_default(),
                        term.name
                    ),
                    page: urls.term(taxonomy, &term.slug),
                    full_text,
                    entries,
                }
            }
        }
    }
}

/// The entries the feed of `scope` shows, newest first: the newest
/// `feed.limit` of the site, or `feed.term_limit` of one term.
pub fn shown<'a>(scope: Option<(Taxonomy, usize)>, index: &'a SiteIndex, config: &SiteConfig) -> Cow<'a, [usize]> {
    match scope {
        None => Cow::Owned((0..index.entries.len().min(config.feed.limit)).collect()),
        Some((taxonomy, t)) => {
            let entries = &index.terms(taxonomy)[t].entries;
            Cow::Borrowed(&entries[..entries.len().min(config.feed.term_limit())])
        }
    }
}

/// How many of a feed's newest entries carry their full text: every one
/// of the site feed (one file per format), `feed.term_full_text` of a
/// term's (one per term, thousands in a large archive).
fn full_text(scope: Option<(Taxonomy, usize)>, config: &SiteConfig) -> usize {
    let of = config.feed.term_full_text();
    match scope {
        None => usize::MAX,
        Some((Taxonomy::Topics, _)) => of.topics,
        Some((Taxonomy::Tags, _)) => of.tags,
        Some((Taxonomy::Authors, _)) => of.authors,
    }
}

/// Of the entries `shown` gives, those whose body the feed writes in full.
pub fn shown_in_full<'a>(
    scope: Option<(Taxonomy, usize)>,
    index: &'a SiteIndex,
    config: &SiteConfig,
) -> Cow<'a, [usize]> {
    let shown = shown(scope, index, config);
    let full = full_text(scope, config).min(shown.len());
    match shown {
        Cow::Borrowed(entries) => Cow::Borrowed(&entries[..full]),
        Cow::Owned(mut entries) => {
            entries.truncate(full);
            Cow::Owned(entries)
        }
    }
}

/// Writes the feed of `spec` in `format`.
pub fn render(
    format: FeedFormat,
    spec: &FeedSpec,
    index: &SiteIndex,
    urls: &Urls,
    config: &SiteConfig,
    bodies: &Bodies,
) -> Result<Vec<u8>, FileError> {
    let feed = Feed::new(spec, index, urls, config, bodies)?;
    Ok(match format {
        FeedFormat::Rss => rss::write(&feed),
        FeedFormat::Atom => atom::write(&feed),
        FeedFormat::Json => json::write(&feed),
    })
}

/// Test setup shared by the writers' unit tests.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// The site feed of a site with one article file, in `format`.
    pub fn feed_of(article: &str, allow_html: bool, format: FeedFormat) -> String {
        let dir = tempfile::tempdir().unwrap();
        let (config, index, urls, lang) = crate::render::test_support::one_article(dir.path(), article);
        let how = crate::content::markdown::Rendering {
            allow_html,
            ..Default::default()
        };
        let bodies = Bodies::new(&index, how, &[true]);
        let spec = FeedSpec::new(None, &index, &urls, &config, &lang);
        String::from_utf8(render(format, &spec, &index, &urls, &config, &bodies).unwrap()).unwrap()
    }
}
