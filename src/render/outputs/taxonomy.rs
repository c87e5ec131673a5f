//! Topic and tag pages: the list of all topics (or tags) with their counts,
//! and each term's articles, paginated.

use serde::Serialize;

use crate::error::FileError;
use crate::render::context::{FeedLink, PageMeta, TaxonomyView, TermLink};
use crate::render::outputs::sitemap::day_in;
use crate::render::outputs::{Output, Rendered, Scope, Signatures, SitemapUrl};
use crate::render::page::PageRenderer;
use crate::site::paginate::{self, Page, Window};
use crate::site::{SiteIndex, Taxonomy, Urls, output_file};

/// A term as its taxonomy's list shows it.
pub struct Counted {
    pub name: String,
    pub slug: String,
    pub count: usize,
}

enum TermPage {
    /// `/themen/`: every term of a taxonomy, in the index's order (by slug).
    List(Taxonomy, Vec<Counted>),
    /// `/themen/<slug>/seite/1/`: one page of a term's articles, which
    /// the term's list holds where the window says.
    Term(Taxonomy, usize, Page, Window),
}

pub struct TermPages {
    pages: Vec<TermPage>,
}

impl TermPages {
    pub fn new(s: &Scope) -> TermPages {
        let mut pages = Vec::new();
        for taxonomy in Taxonomy::ALL {
            let counted = s
                .index
                .terms(taxonomy)
                .iter()
                .map(|t| Counted {
                    name: t.name.clone(),
                    slug: t.slug.clone(),
                    count: t.entries.len(),
                })
                .collect();
            pages.push(TermPage::List(taxonomy, counted));
            for (t, term) in s.index.terms(taxonomy).iter().enumerate() {
                let window = Window::whole(term.entries.len());
                pages.extend(
                    paginate::pages(window.len, s.config.paginate, s.config.listing.archive_paginate)
                        .into_iter()
                        .map(|p| TermPage::Term(taxonomy, t, p, window)),
                );
            }
        }
        TermPages { pages }
    }

    /// Some pages of terms (taxonomy, term, page), whose lists the index
    /// holds where the windows say (an edit's small index), and lists of
    /// terms whose counts an edit changed, counted from the whole site.
    pub fn only(
        pages: impl IntoIterator<Item = (Taxonomy, usize, Page, Window)>,
        lists: Vec<(Taxonomy, Vec<Counted>)>,
    ) -> TermPages {
        let lists = lists.into_iter().map(|(t, counted)| TermPage::List(t, counted));
        TermPages {
            pages: lists
                .chain(pages.into_iter().map(|(t, i, p, w)| TermPage::Term(t, i, p, w)))
                .collect(),
        }
    }
}

impl Output for TermPages {
    fn count(&self) -> usize {
        self.pages.len()
    }

    fn path(&self, s: &Scope, n: usize) -> String {
        match &self.pages[n] {
            TermPage::List(t, _) => s.urls.taxonomy(*t),
            TermPage::Term(t, i, p, _) => s
                .urls
                .paginated(&s.urls.term(*t, &s.index.terms(*t)[*i].slug), p.number),
        }
    }

    fn signature(&self, s: &Scope, sig: &Signatures, n: usize) -> u128 {
        match &self.pages[n] {
            TermPage::List(t, counted) => {
                let mut h = sig.start("taxonomy");
                h.num(*t as u64);
                for term in counted {
                    h.str(&term.name).str(&term.slug).num(term.count as u64);
                }
                h.finish()
            }
            TermPage::Term(t, i, page, window) => {
                let term = &s.index.terms(*t)[*i];
                let mut h = sig.start("term");
                h.num(*t as u64).str(&term.name).str(&term.slug);
                // The count shows on the front page only (`TermLink::count`).
                if page.number == 0 {
                    h.num(window.len as u64);
                }
                sig.page(
                    &mut h,
                    page,
                    term.entries[window.held(page.range.clone())].iter().copied(),
                );
                h.finish()
            }
        }
    }

    fn render(&self, r: &PageRenderer, n: usize) -> Result<Rendered, FileError> {
        let path = self.path(&r.scope, n);
        let index = r.index();
        let html = match &self.pages[n] {
            TermPage::List(t, counted) => {
                let taxonomy = r.views.taxonomy(*t);
                let meta = r.meta("taxonomy_list", &taxonomy.name, "", &path, Vec::new());
                let terms: Vec<_> = counted
                    .iter()
                    .map(|c| r.views.counted_term(*t, &c.name, &c.slug, c.count))
                    .collect();
                #[derive(Serialize)]
                struct Ctx<'a> {
                    page: PageMeta,
                    taxonomy: TaxonomyView,
                    terms: &'a [TermLink],
                }
                r.render(
                    "taxonomy_list.html",
                    &Ctx {
                        page: meta,
                        taxonomy,
                        terms: &terms,
                    },
                )?
            }
            TermPage::Term(t, i, page, window) => {
                let term = &index.terms(*t)[*i];
                let mut link = r.views.term(term);
                link.count = (page.number == 0).then_some(window.len);
                let taxonomy = r.views.taxonomy(*t);
                let own_feeds = FeedLink::all(
                    &r.urls().term_feeds,
                    r.urls(),
                    &r.urls().term(*t, &term.slug),
                    &format!("{}: {} – {}", taxonomy.name, term.name, r.label("feed")),
                );
                let description = format!("{} {}: {}", r.label("articles_in"), taxonomy.name, term.name);
                let meta = r.meta(
                    "taxonomy_term",
                    &r.paged_title(&term.name, page),
                    &description,
                    &path,
                    own_feeds,
                );
                #[derive(Serialize)]
                struct Extra {
                    taxonomy: TaxonomyView,
                    term: TermLink,
                }
                let first = r.urls().term(*t, &term.slug);
                r.listing(
                    "taxonomy_term.html",
                    meta,
                    &term.entries[window.held(page.range.clone())],
                    &first,
                    page,
                    &Extra { taxonomy, term: link },
                )?
            }
        };
        Ok(Rendered::one(output_file(&path), html))
    }

    fn is_page(&self, _n: usize) -> bool {
        true
    }

    fn sitemap(&self, s: &Scope, n: usize) -> Option<SitemapUrl> {
        Some(match &self.pages[n] {
            TermPage::List(..) => SitemapUrl {
                path: self.path(s, n),
                lastmod: None,
            },
            TermPage::Term(t, i, p, w) => term_page_url(s.urls, s.index, *t, *i, p, w),
        })
    }
}

/// The sitemap's entry of page `page` of term `t` of `index`, whose list
/// the index holds where `window` says: the whole build's, and an edit's
/// that patches the sitemap (`pipeline::edits`).
pub fn term_page_url(
    urls: &Urls,
    index: &SiteIndex,
    taxonomy: Taxonomy,
    t: usize,
    page: &Page,
    window: &Window,
) -> SitemapUrl {
    let term = &index.terms(taxonomy)[t];
    SitemapUrl {
        path: urls.paginated(&urls.term(taxonomy, &term.slug), page.number),
        lastmod: term.entries[window.held(page.range.clone())]
            .iter()
            .min()
            .map(|&i| day_in(index, i)),
    }
}
