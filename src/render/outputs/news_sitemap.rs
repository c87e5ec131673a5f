//! The Google News sitemap: the articles of the last two days (by default),
//! newest first, with the `news:` elements Google News reads. It depends on
//! the time of the build, so the build also says when it next changes
//! ([`next_change`]): then a rebuild with no edits must write it again.

use chrono::{DateTime, Duration, Utc};
use quick_xml::escape::escape;

use crate::config::SiteConfig;
use crate::error::FileError;
use crate::render::outputs::{Output, Rendered, Scope, Signatures};
use crate::render::page::PageRenderer;
use crate::site::{SiteIndex, Urls};

pub const FILE: &str = "sitemap-news.xml";

fn window(config: &SiteConfig) -> Duration {
    Duration::hours(i64::from(config.news.window_hours))
}

fn published(index: &SiteIndex, i: usize) -> DateTime<Utc> {
    index.article(i).front.date.with_timezone(&Utc)
}

/// The sitemap at `now` lists articles published after this.
pub fn since(config: &SiteConfig, now: DateTime<Utc>) -> DateTime<Utc> {
    // A window reaching before chrono's first date is no window at all.
    now.checked_sub_signed(window(config))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// The entries the sitemap lists at `now`: published within the window,
/// not after `now` (`--future` may index later ones), newest first, at most
/// `news.limit`.
pub fn select(index: &SiteIndex, config: &SiteConfig, now: DateTime<Utc>) -> Vec<usize> {
    if !config.news.sitemap {
        return Vec::new();
    }
    let since = since(config, now);
    // Entries are newest first: skip the future ones, stop at the first too old.
    (0..index.entries.len())
        .skip_while(|&i| published(index, i) > now)
        .take_while(|&i| published(index, i) > since)
        .take(config.news.limit)
        .collect()
}

/// When an article `published` then leaves the sitemap.
pub fn leaves(config: &SiteConfig, published: DateTime<Utc>) -> Option<DateTime<Utc>> {
    published.checked_add_signed(window(config))
}

/// When the list of [`select`] next changes without any edit: the first
/// listed article leaves the window, or the first article after `now`
/// (indexed with `--future`) enters it.
pub fn next_change(
    index: &SiteIndex,
    config: &SiteConfig,
    listed: &[usize],
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    if !config.news.sitemap {
        return None;
    }
    let leaves = listed.iter().filter_map(|&i| leaves(config, published(index, i))).min();
    let enters = (0..index.entries.len())
        .map(|i| published(index, i))
        .take_while(|d| *d > now)
        .min();
    leaves.into_iter().chain(enters).min()
}

/// ISO 639 code of a BCP 47 tag: `de-AT` → `de`.
fn language_code(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or(tag).to_ascii_lowercase()
}

/// `sitemap-news.xml` listing `listed`.
fn render(index: &SiteIndex, config: &SiteConfig, urls: &Urls, listed: &[usize]) -> Vec<u8> {
    let name = config.news.publication.as_deref().unwrap_or(&config.title);
    let mut out = String::with_capacity(listed.len() * 400 + 200);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n",
    );
    for &i in listed {
        let e = &index.entries[i];
        let front = &index.source(e).front;
        let language = language_code(front.language.as_deref().unwrap_or(&config.language));
        out.push_str("<url><loc>");
        out.push_str(&escape(urls.absolute(&e.path)));
        out.push_str("</loc><news:news><news:publication><news:name>");
        out.push_str(&escape(name));
        out.push_str("</news:name><news:language>");
        out.push_str(&escape(language));
        out.push_str("</news:language></news:publication><news:publication_date>");
        out.push_str(&crate::content::date::format(&front.date));
        out.push_str("</news:publication_date><news:title>");
        out.push_str(&escape(front.title.as_str()));
        out.push_str("</news:title></news:news></url>\n");
    }
    out.push_str("</urlset>\n");
    out.into_bytes()
}

/// `sitemap-news.xml`, when `news.sitemap` asks for it and an article is
/// in the window: a `<urlset>` without `<url>` fails the sitemap schema, so
/// an archive with no fresh article has no News sitemap at all.
pub struct NewsSitemap {
    /// The entries it lists.
    listed: Vec<usize>,
    next_change: Option<DateTime<Utc>>,
}

impl NewsSitemap {
    /// Whether the build writes the file (and robots.txt names it).
    pub fn written(&self) -> bool {
        !self.listed.is_empty()
    }

    /// The News sitemap listing `listed` (an edit's small index, which
    /// holds them): when the edit changes nothing the clock does.
    pub fn only(listed: Vec<usize>) -> NewsSitemap {
        NewsSitemap {
            listed,
            next_change: None,
        }
    }

    /// The News sitemap of a build at `now`.
    pub fn new(s: &Scope, now: DateTime<Utc>) -> NewsSitemap {
        let listed = select(s.index, s.config, now);
        NewsSitemap {
            next_change: next_change(s.index, s.config, &listed, now),
            listed,
        }
    }
}

impl Output for NewsSitemap {
    fn count(&self) -> usize {
        usize::from(self.written())
    }

    fn path(&self, _s: &Scope, _n: usize) -> String {
        FILE.into()
    }

    fn signature(&self, s: &Scope, sig: &Signatures, _n: usize) -> u128 {
        let mut h = sig.start("news");
        h.num(self.listed.len() as u64);
        for &e in &self.listed {
            let entry = &s.index.entries[e];
            let f = &s.index.source(entry).front;
            h.str(&f.title)
                .str(&crate::content::date::format(&f.date))
                .str(&entry.path)
                .str(f.language.as_deref().unwrap_or(""));
        }
        h.finish()
    }

    fn render(&self, r: &PageRenderer, _n: usize) -> Result<Rendered, FileError> {
        let s = &r.scope;
        Ok(Rendered::one(
            FILE.into(),
            render(s.index, s.config, s.urls, &self.listed),
        ))
    }

    fn next_change(&self) -> Option<DateTime<Utc>> {
        self.next_change
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_of_any_width_neither_panics_nor_loses_articles() {
        let dir = tempfile::tempdir().unwrap();
        let (mut config, index, _, _) =
            crate::render::test_support::one_article(dir.path(), "---\ntitle: A\ndate: 2022-01-21\n---\n\nText\n");
        config.news.window_hours = u32::MAX;
        let now = Utc::now();
        assert_eq!(select(&index, &config, now), vec![0]);
        // It never leaves a window of half a million years.
        assert_eq!(next_change(&index, &config, &[0], now), None);
        config.news.window_hours = 48;
        let leaves = index.article(0).front.date + Duration::hours(48);
        assert_eq!(
            next_change(&index, &config, &[0], now),
            Some(leaves.with_timezone(&Utc))
        );
        config.news.window_hours = 0;
        assert!(select(&index, &config, now).is_empty());
    }
}
