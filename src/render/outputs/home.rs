//! The home page and its archive pages: the newest `paginate` articles,
//! then archive pages of `listing.archive_paginate` counted from the oldest
//! (`site::paginate`).

use crate::error::FileError;
use crate::render::outputs::sitemap::day_in;
use crate::render::outputs::{Output, Rendered, Scope, Signatures, SitemapUrl};
use crate::render::page::PageRenderer;
use crate::site::paginate::{self, Page, Window};
use crate::site::{SiteIndex, Urls, output_file};

/// The pages, each with where the index holds its entries.
pub struct HomePages {
    pages: Vec<(Page, Window)>,
}

impl HomePages {
    pub fn new(s: &Scope) -> HomePages {
        let len = s.index.entries.len();
        let pages = paginate::pages(len, s.config.paginate, s.config.listing.archive_paginate);
        HomePages {
            pages: pages.into_iter().map(|p| (p, Window::whole(len))).collect(),
        }
    }

    /// Some pages of the home listing, whose entries the index holds where
    /// their windows say (an edit's small index).
    pub fn only(pages: Vec<(Page, Window)>) -> HomePages {
        HomePages { pages }
    }
}

impl Output for HomePages {
    fn count(&self) -> usize {
        self.pages.len()
    }

    fn path(&self, s: &Scope, n: usize) -> String {
        s.urls.paginated("", self.pages[n].0.number)
    }

    fn signature(&self, _s: &Scope, sig: &Signatures, n: usize) -> u128 {
        let (page, window) = &self.pages[n];
        let mut h = sig.start("home");
        sig.page(&mut h, page, window.held(page.range.clone()));
        h.finish()
    }

    fn render(&self, r: &PageRenderer, n: usize) -> Result<Rendered, FileError> {
        let (page, window) = &self.pages[n];
        let path = self.path(&r.scope, n);
        let meta = r.meta("home", &r.paged_title("", page), "", &path, Vec::new());
        let list: Vec<usize> = window.held(page.range.clone()).collect();
        let html = r.listing("index.html", meta, &list, "", page, &())?;
        Ok(Rendered::one(output_file(&path), html))
    }

    fn is_page(&self, _n: usize) -> bool {
        true
    }

    fn sitemap(&self, s: &Scope, n: usize) -> Option<SitemapUrl> {
        let (page, window) = &self.pages[n];
        Some(home_page_url(s.urls, s.index, page, window))
    }
}

/// The sitemap's entry of home page `page`, whose entries `index` holds
/// where `window` says: the whole build's, and an edit's that patches the
/// sitemap (`pipeline::edits`).
pub fn home_page_url(urls: &Urls, index: &SiteIndex, page: &Page, window: &Window) -> SitemapUrl {
    SitemapUrl {
        path: urls.paginated("", page.number),
        lastmod: window.held(page.range.clone()).min().map(|i| day_in(index, i)),
    }
}
