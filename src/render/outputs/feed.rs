//! Feeds: the site's, in each format of `feed.formats`, and one per topic,
//! tag and author in each of `feed.term_formats`; each shows the newest
//! `feed.limit` articles, the site's all in full, a term's the newest
//! `feed.term_full_text` in full.
//! What a feed shows is decided once ([`crate::render::feeds::FeedSpec`]);
//! the format writers only translate it.

use crate::config::FeedFormat;
use crate::error::FileError;
use crate::render::feeds::{self, FeedSpec};
use crate::render::outputs::{Output, Rendered, Scope, Signatures};
use crate::render::page::PageRenderer;
use crate::site::{Taxonomy, Urls};

/// A feed of the whole site (`None`) or of one term, in one format.
pub type FeedScope = (FeedFormat, Option<(Taxonomy, usize)>);

pub struct Feeds {
    feeds: Vec<FeedScope>,
}

impl Feeds {
    pub fn all(s: &Scope) -> Feeds {
        let mut feeds = Vec::new();
        for taxonomy in Taxonomy::ALL {
            for t in 0..s.index.terms(taxonomy).len() {
                feeds.extend(s.urls.term_feeds.iter().map(|&f| (f, Some((taxonomy, t)))));
            }
        }
        feeds.extend(s.urls.feeds.iter().map(|&f| (f, None)));
        Feeds { feeds }
    }

    pub fn only(feeds: Vec<FeedScope>) -> Feeds {
        Feeds { feeds }
    }
}

impl Output for Feeds {
    fn count(&self) -> usize {
        self.feeds.len()
    }

    fn path(&self, s: &Scope, n: usize) -> String {
        match self.feeds[n] {
            (f, None) => Urls::feed("", f),
            (f, Some((t, i))) => Urls::feed(&s.urls.term(t, &s.index.terms(t)[i].slug), f),
        }
    }

    fn signature(&self, s: &Scope, sig: &Signatures, n: usize) -> u128 {
        // The article signatures cover every item field of every format
        // (front matter, body, path, topics and tags).
        let (format, scope) = self.feeds[n];
        let mut h = sig.start("feed");
        h.num(format as u64);
        if let Some((t, i)) = scope {
            let term = &s.index.terms(t)[i];
            h.num(t as u64).str(&term.name).str(&term.slug);
        }
        let shown = feeds::shown(scope, s.index, s.config);
        h.num(shown.len() as u64);
        for &e in shown.iter() {
            h.hash(sig.article(e));
        }
        h.finish()
    }

    fn render(&self, r: &PageRenderer, n: usize) -> Result<Rendered, FileError> {
        let s = &r.scope;
        let (format, scope) = self.feeds[n];
        let spec = FeedSpec::new(scope, s.index, s.urls, s.config, s.lang);
        let bytes = feeds::render(format, &spec, s.index, s.urls, s.config, r.bodies)?;
        Ok(Rendered::one(self.path(s, n), bytes))
    }

    fn share_bodies(&self, s: &Scope, n: usize, keep: &mut [bool]) {
        for &e in feeds::shown_in_full(self.feeds[n].1, s.index, s.config).iter() {
            keep[e] = true;
        }
    }
}
