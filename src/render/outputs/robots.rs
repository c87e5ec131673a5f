//! `robots.txt`: everything may be crawled; here are the sitemaps.

use crate::error::FileError;
use crate::render::outputs::news_sitemap;
use crate::render::outputs::{Output, Rendered, Scope, Signatures};
use crate::render::page::PageRenderer;

pub struct Robots;

const PATH: &str = "robots.txt";

impl Output for Robots {
    fn count(&self) -> usize {
        1
    }

    fn path(&self, _s: &Scope, _n: usize) -> String {
        PATH.into()
    }

    /// Its text is made of the base URL and settings, both in the global part.
    fn signature(&self, _s: &Scope, sig: &Signatures, _n: usize) -> u128 {
        sig.start("robots").finish()
    }

    fn render(&self, r: &PageRenderer, _n: usize) -> Result<Rendered, FileError> {
        let urls = r.urls();
        let mut text = format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", urls.absolute("sitemap.xml"));
        if r.scope.config.news.sitemap {
            text.push_str(&format!("Sitemap: {}\n", urls.absolute(news_sitemap::FILE)));
        }
        Ok(Rendered::one(PATH.into(), text.into_bytes()))
    }
}
