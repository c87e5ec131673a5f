//! The home page and its archive pages: the newest `paginate` articles,
//! then archive pages of `listing.archive_paginate` counted from the oldest
//! (`site::paginate`).

use crate::error::FileError;
use crate::render::outputs::sitemap::newest_day;
use crate::render::outputs::{Output, Rendered, Scope, Signatures, SitemapUrl};
use crate::render::page::PageRenderer;
use crate::site::output_file;
use crate::site::paginate::{self, Page};

pub struct HomePages {
    pages: Vec<Page>,
}

impl HomePages {
    pub fn new(s: &Scope) -> HomePages {
        HomePages {
            pages: paginate::pages(
                s.index.entries.len(),
                s.config.paginate,
                s.config.listing.archive_paginate,
            ),
        }
    }
}

impl Output for HomePages {
    fn count(&self) -> usize {
        self.pages.len()
    }

    fn path(&self, s: &Scope, n: usize) -> String {
        s.urls.paginated("", self.pages[n].number)
    }

    fn signature(&self, _s: &Scope, sig: &Signatures, n: usize) -> u128 {
        let page = &self.pages[n];
        let mut h = sig.start("home");
        sig.page(&mut h, page, page.range.clone());
        h.finish()
    }

    fn render(&self, r: &PageRenderer, n: usize) -> Result<Rendered, FileError> {
        let page = &self.pages[n];
        let path = self.path(&r.scope, n);
        let meta = r.meta("home", &r.paged_title("", page), "", &path, Vec::new());
        let list: Vec<usize> = page.range.clone().collect();
        let html = r.listing("index.html", meta, &list, "", page, &())?;
        Ok(Rendered::one(output_file(&path), html))
    }

    fn is_page(&self, _n: usize) -> bool {
        true
    }

    fn sitemap(&self, s: &Scope, n: usize) -> Option<SitemapUrl> {
        Some(SitemapUrl {
            path: self.path(s, n),
            lastmod: newest_day(s, self.pages[n].range.clone()),
        })
    }
}
