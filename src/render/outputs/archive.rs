//! Date archives: an overview (every year and its months, with counts), a
//! page per year (its months with counts) and a page per month (its
//! articles, paginated).

use serde::Serialize;

use crate::error::FileError;
use crate::render::context::{MonthLink, MonthRef, PageMeta, YearLink};
use crate::render::outputs::sitemap::day_in;
use crate::render::outputs::{Hash, Output, Rendered, Scope, Signatures, SitemapUrl};
use crate::render::page::PageRenderer;
use crate::site::paginate::{self, Page};
use crate::site::{SiteIndex, Urls, Year, output_file};

enum DatePage {
    /// `/archive/`
    Overview,
    /// `/2022/`
    Year(usize),
    /// `/2022/01/seite/1/`
    Month(usize, usize, Page),
}

pub struct DateArchive {
    pages: Vec<DatePage>,
}

impl DateArchive {
    pub fn new(s: &Scope) -> DateArchive {
        let mut pages = Vec::new();
        if !s.index.years.is_empty() {
            pages.push(DatePage::Overview);
        }
        for (y, year) in s.index.years.iter().enumerate() {
            pages.push(DatePage::Year(y));
            for (m, month) in year.months.iter().enumerate() {
                pages.extend(
                    paginate::pages(
                        month.entries.len(),
                        s.config.paginate,
                        s.config.listing.archive_paginate,
                    )
                    .into_iter()
                    .map(|p| DatePage::Month(y, m, p)),
                );
            }
        }
        DateArchive { pages }
    }

    /// Some month pages, as (year, month, page) of the index's years, some
    /// year pages and perhaps the overview: an edit's small index, whose
    /// years hold every month of the site with its length but only the
    /// entries of these pages (`pipeline::edits`).
    pub fn only(months: Vec<(usize, usize, Page)>, years: Vec<usize>, overview: bool) -> DateArchive {
        let overview = overview.then_some(DatePage::Overview);
        let years = years.into_iter().map(DatePage::Year);
        let months = months.into_iter().map(|(y, m, p)| DatePage::Month(y, m, p));
        DateArchive {
            pages: overview.into_iter().chain(years).chain(months).collect(),
        }
    }
}

/// What the overview and a year's page show of `year`: its months with
/// their counts.
fn months_shown(h: &mut Hash, year: &Year) {
    h.num(year.year as u64);
    for m in &year.months {
        h.num(u64::from(m.month)).num(m.entries.len() as u64);
    }
}

/// The months with articles next to month `m` of year `y`: the newer and
/// the older one, as (year, month); years and months are newest first.
fn neighbours(index: &SiteIndex, y: usize, m: usize) -> [Option<(i32, u32)>; 2] {
    let years = &index.years;
    let at = |y: usize, m: usize| {
        years
            .get(y)
            .and_then(|year| year.months.get(m))
            .map(|x| (x.year, x.month))
    };
    let newer = match m {
        0 => y
            .checked_sub(1)
            .and_then(|y| at(y, years[y].months.len().checked_sub(1)?)),
        _ => at(y, m - 1),
    };
    let older = at(y, m + 1).or_else(|| at(y + 1, 0));
    [newer, older]
}

impl Output for DateArchive {
    fn count(&self) -> usize {
        self.pages.len()
    }

    fn path(&self, s: &Scope, n: usize) -> String {
        match &self.pages[n] {
            DatePage::Overview => s.urls.archive(),
            DatePage::Year(y) => Urls::year(s.index.years[*y].year),
            DatePage::Month(y, m, p) => {
                let month = &s.index.years[*y].months[*m];
                s.urls.paginated(&Urls::month(month.year, month.month), p.number)
            }
        }
    }

    fn signature(&self, s: &Scope, sig: &Signatures, n: usize) -> u128 {
        match &self.pages[n] {
            DatePage::Overview => {
                let mut h = sig.start("archive");
                for year in &s.index.years {
                    months_shown(&mut h, year);
                }
                h.finish()
            }
            DatePage::Year(y) => {
                let mut h = sig.start("year");
                months_shown(&mut h, &s.index.years[*y]);
                h.finish()
            }
            DatePage::Month(y, m, page) => {
                let month = &s.index.years[*y].months[*m];
                let mut h = sig.start("month");
                h.num(month.year as u64).num(u64::from(month.month));
                for neighbour in neighbours(s.index, *y, *m) {
                    match neighbour {
                        Some((year, month)) => h.num(year as u64).num(u64::from(month)),
                        None => h.str("none"),
                    };
                }
                sig.page(&mut h, page, month.entries[page.range.clone()].iter().copied());
                h.finish()
            }
        }
    }

    fn render(&self, r: &PageRenderer, n: usize) -> Result<Rendered, FileError> {
        let path = self.path(&r.scope, n);
        let index = r.index();
        let html = match &self.pages[n] {
            DatePage::Overview => {
                let years: Vec<YearLink> = index.years.iter().map(|y| r.views.year(y)).collect();
                let title = r.label("archive");
                let meta = r.meta("archive", &title, &title, &path, Vec::new());
                #[derive(Serialize)]
                struct Ctx {
                    page: PageMeta,
                    years: Vec<YearLink>,
                }
                r.render("archive_index.html", &Ctx { page: meta, years })?
            }
            DatePage::Year(y) => {
                let year = r.views.year(&index.years[*y]);
                let title = format!("{} {}", r.label("archive"), year.year);
                let meta = r.meta("year", &title, &title, &path, Vec::new());
                #[derive(Serialize)]
                struct Ctx {
                    page: PageMeta,
                    year: YearLink,
                }
                r.render("archive_year.html", &Ctx { page: meta, year })?
            }
            DatePage::Month(y, m, page) => {
                let year = r.views.year(&index.years[*y]);
                let month = year.months[*m].clone();
                let source = &index.years[*y].months[*m];
                let meta = r.meta(
                    "month",
                    &r.paged_title(&month.label, page),
                    &format!("{} {}", r.label("archive"), month.label),
                    &path,
                    Vec::new(),
                );
                #[derive(Serialize)]
                struct Extra {
                    year: YearLink,
                    month: MonthLink,
                    newer_month: Option<MonthRef>,
                    older_month: Option<MonthRef>,
                }
                let [newer_month, older_month] =
                    neighbours(index, *y, *m).map(|n| n.map(|(year, month)| r.views.month_ref(year, month)));
                let first = Urls::month(month.year, month.month);
                r.listing(
                    "archive_month.html",
                    meta,
                    &source.entries[page.range.clone()],
                    &first,
                    page,
                    &Extra {
                        year,
                        month,
                        newer_month,
                        older_month,
                    },
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
            DatePage::Overview | DatePage::Year(_) => SitemapUrl {
                path: self.path(s, n),
                lastmod: None,
            },
            DatePage::Month(y, m, p) => month_page_url(s.urls, s.index, *y, *m, p),
        })
    }
}

/// The sitemap's entry of page `page` of month `m` of year `y` of `index`:
/// the whole build's, and an edit's that patches the sitemap
/// (`pipeline::edits`), whose small index holds the page's entries.
pub fn month_page_url(urls: &Urls, index: &SiteIndex, y: usize, m: usize, page: &Page) -> SitemapUrl {
    let month = &index.years[y].months[m];
    SitemapUrl {
        path: urls.paginated(&Urls::month(month.year, month.month), page.number),
        lastmod: month.entries[page.range.clone()]
            .iter()
            .min()
            .map(|&i| day_in(index, i)),
    }
}
