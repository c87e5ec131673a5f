//! `robots.txt`: everything may be crawled; here are the sitemaps.

use crate::error::FileError;
use crate::render::outputs::news_sitemap;
use crate::render::outputs::{Output, Rendered, Scope, Signatures};
use crate::render::page::PageRenderer;

/// `news`: whether the build writes the News sitemap, which robots.txt
/// then names (never a file that is not there).
pub struct Robots {
    pub news: bool,
}

const PATH: &str = "robots.txt";

impl Output for Robots {
    fn count(&self) -> usize {
        1
    }

    fn path(&self, _s: &Scope, _n: usize) -> String {
        PATH.into()
    }

    /// Its text is made of the base URL and settings, both in the global
    /// part, and whether there is a News sitemap.
    fn signature(&self, _s: &Scope, sig: &Signatures, _n: usize) -> u128 {
        sig.start("robots").num(u64::from(self.news)).finish()
    }

    fn render(&self, r: &PageRenderer, _n: usize) -> Result<Rendered, FileError> {
        let urls = r.urls();
        let mut text = format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", urls.absolute("sitemap.xml"));
        if self.news {
            text.push_str(&format!("Sitemap: {}\n", urls.absolute(news_sitemap::FILE)));
        }
        Ok(Rendered::one(PATH.into(), text.into_bytes()))
    }
}
