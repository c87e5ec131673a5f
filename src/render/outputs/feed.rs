//! Feeds: the site's and one per topic and tag, in each enabled format
//! (`feed.formats`), each showing the newest `feed.limit` articles in full.
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
        let formats = &s.urls.feeds;
        let mut feeds = Vec::new();
        for taxonomy in Taxonomy::ALL {
            for t in 0..s.index.terms(taxonomy).len() {
                feeds.extend(formats.iter().map(|&f| (f, Some((taxonomy, t)))));
            }
        }
        feeds.extend(formats.iter().map(|&f| (f, None)));
        Feeds { feeds }
    }

    pub fn only(feeds: Vec<FeedScope>) -> Feeds {
        Feeds { feeds }
    }

    /// The entries feed `n` shows, newest first.
    fn shown<'a>(&self, s: &Scope<'a>, n: usize) -> std::borrow::Cow<'a, [usize]> {
        let limit = s.config.feed.limit;
        match self.feeds[n].1 {
            None => (0..s.index.entries.len().min(limit)).collect(),
            Some((t, i)) => {
                let entries = &s.index.terms(t)[i].entries;
                std::borrow::Cow::Borrowed(&entries[..entries.len().min(limit)])
            }
        }
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
        let shown = self.shown(s, n);
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
        for &e in self.shown(s, n).iter() {
            keep[e] = true;
        }
    }
}
