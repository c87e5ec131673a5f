//! `sitemap.xml`: every page a kind lists ([`super::Output::sitemap`]),
//! with its last modification; a sitemap index with parts once past 50 000
//! URLs, as the protocol requires.

use chrono::NaiveDate;
use quick_xml::escape::escape;

use crate::content::date::push_day;
use crate::error::FileError;
use crate::render::outputs::{Output, Rendered, Scope, Signatures};
use crate::render::page::PageRenderer;
use crate::site::Urls;

/// URLs per sitemap file, the protocol's limit.
pub const MAX_URLS: usize = 50_000;

/// A page in the sitemap: its site-relative path and last modification.
pub struct SitemapUrl {
    pub path: String,
    /// The day, written `YYYY-MM-DD` ([`crate::content::date::day`]), or
    /// nothing for pages without a date. Kept as a date and written only
    /// into the file: 145 000 strings at 100 000 articles were an
    /// allocation each, on every build (the signature reads them).
    pub lastmod: Option<NaiveDate>,
}

/// The site-relative paths of the sitemap files for `count` URLs.
pub fn files(count: usize) -> Vec<String> {
    if count <= MAX_URLS {
        vec!["sitemap.xml".into()]
    } else {
        let mut files = vec!["sitemap.xml".to_string()];
        files.extend((1..=count.div_ceil(MAX_URLS)).map(|n| format!("sitemap-{n}.xml")));
        files
    }
}

fn urlset(urls: &Urls, pages: &[SitemapUrl]) -> String {
    let mut out = String::with_capacity(pages.len() * 100 + 200);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    // Escaping works character by character, so the base escaped once and
    // each path (escaped without a copy when it needs none) make the
    // escaped absolute URL without building it.
    let base = escape(urls.base_url());
    for page in pages {
        out.push_str("<url><loc>");
        out.push_str(&base);
        out.push_str(&escape(page.path.as_str()));
        out.push_str("</loc>");
        if let Some(lastmod) = page.lastmod {
            out.push_str("<lastmod>");
            push_day(&mut out, lastmod);
            out.push_str("</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// Every sitemap file, as (site-relative path, bytes).
fn render(urls: &Urls, pages: &[SitemapUrl]) -> Vec<(String, Vec<u8>)> {
    if pages.len() <= MAX_URLS {
        return vec![("sitemap.xml".into(), urlset(urls, pages).into_bytes())];
    }
    let mut out = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, chunk) in pages.chunks(MAX_URLS).enumerate() {
        let path = format!("sitemap-{}.xml", n + 1);
        index.push_str("<sitemap><loc>");
        index.push_str(&escape(urls.absolute(&path)));
        index.push_str("</loc>");
        if let Some(newest) = chunk.iter().filter_map(|p| p.lastmod).max() {
            index.push_str("<lastmod>");
            push_day(&mut index, newest);
            index.push_str("</lastmod>");
        }
        index.push_str("</sitemap>\n");
        out.push((path, urlset(urls, chunk).into_bytes()));
    }
    index.push_str("</sitemapindex>\n");
    out.insert(0, ("sitemap.xml".into(), index.into_bytes()));
    out
}

/// The day entry `i` last changed, as the sitemap gives it: the day of
/// its update (or publication) in the site's time zone.
pub fn entry_day(s: &Scope, i: usize) -> NaiveDate {
    let e = &s.index.entries[i];
    let f = &s.index.source(e).front;
    let changed = f.updated.unwrap_or(f.date).max(f.date);
    changed.with_timezone(&e.local.timezone()).date_naive()
}

/// The day the newest of `entries` last changed (entries are newest first,
/// so the smallest index is the newest).
pub fn newest_day(s: &Scope, entries: impl Iterator<Item = usize>) -> Option<NaiveDate> {
    entries.min().map(|i| entry_day(s, i))
}

/// The sitemap of every page the other kinds list.
pub struct Sitemap {
    pages: Vec<SitemapUrl>,
}

impl Sitemap {
    /// Listed on every core: at 100 000 articles the list took a tenth of
    /// a title edit's rebuild on one.
    pub fn new(s: &Scope, kinds: &[Box<dyn Output>]) -> Sitemap {
        use rayon::prelude::*;
        let mut pages = Vec::new();
        for k in kinds {
            let of_kind: Vec<SitemapUrl> = (0..k.count()).into_par_iter().filter_map(|n| k.sitemap(s, n)).collect();
            pages.extend(of_kind);
        }
        Sitemap { pages }
    }
}

impl Output for Sitemap {
    fn count(&self) -> usize {
        1
    }

    fn path(&self, _s: &Scope, _n: usize) -> String {
        "sitemap.xml".into()
    }

    fn files(&self, _s: &Scope, _n: usize) -> Vec<String> {
        files(self.pages.len())
    }

    fn signature(&self, _s: &Scope, sig: &Signatures, _n: usize) -> u128 {
        let mut h = sig.start("sitemap");
        h.num(self.pages.len() as u64);
        // The day as the file writes it, so that signatures recorded
        // before the day was kept as a date still hold.
        let mut day = String::with_capacity(10);
        for url in &self.pages {
            day.clear();
            if let Some(lastmod) = url.lastmod {
                push_day(&mut day, lastmod);
            }
            h.str(&url.path).str(&day);
        }
        h.finish()
    }

    fn render(&self, r: &PageRenderer, _n: usize) -> Result<Rendered, FileError> {
        Ok(Rendered {
            files: render(r.urls(), &self.pages),
            body_links: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;

    /// The base escaped once and each path escaped on its own give the
    /// escaped absolute URL; the day is written as `YYYY-MM-DD`.
    #[test]
    fn urls_are_escaped_whole_and_days_written_out() {
        let urls = Urls::new(&SiteConfig::default(), Some("https://example.org/a&b/"));
        let day = NaiveDate::from_ymd_opt(2024, 2, 9);
        let pages = [
            SitemapUrl {
                path: "x<y>/".into(),
                lastmod: day,
            },
            SitemapUrl {
                path: "z/".into(),
                lastmod: None,
            },
        ];
        let xml = urlset(&urls, &pages);
        let first = format!(
            "<url><loc>{}</loc><lastmod>2024-02-09</lastmod></url>",
            escape(urls.absolute("x<y>/"))
        );
        assert!(xml.contains(&first), "{xml}");
        assert!(
            xml.contains("<url><loc>https://example.org/a&amp;b/z/</loc></url>"),
            "{xml}"
        );
        assert!(xml.contains("a&amp;b/x&lt;y&gt;/"), "{xml}");
    }

    #[test]
    fn index_past_the_limit() {
        let urls = Urls::new(&SiteConfig::default(), Some("https://example.org/a&b/"));
        let pages: Vec<SitemapUrl> = (0..MAX_URLS + 1)
            .map(|i| SitemapUrl {
                path: format!("{i}/"),
                lastmod: None,
            })
            .collect();
        let files = render(&urls, &pages);
        assert_eq!(
            files.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
            vec!["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]
        );
        assert_eq!(
            super::files(pages.len()),
            vec!["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]
        );
        let index = String::from_utf8(files[0].1.clone()).unwrap();
        assert!(
            index.contains("<sitemapindex") && index.contains("https://example.org/a&amp;b/sitemap-2.xml"),
            "{index}"
        );
        assert_eq!(super::files(MAX_URLS), vec!["sitemap.xml"]);
    }
}
