//! The URL scheme (README.md), in one place: every page's path is made here,
//! so templates, feeds, the sitemap and the link check agree.

use crate::config::{FeedFormat, SiteConfig};

/// Paths are site-relative without a leading slash (`2022/01/slug/`, ``
/// for the home page); [`Urls::href`] adds the base path, [`Urls::absolute`]
/// the base URL.
#[derive(Debug, Clone)]
pub struct Urls {
    /// `https://example.org/archiv/`, always ending in `/`.
    base_url: String,
    /// `/archiv/`, always starting and ending in `/`.
    base_path: String,
    pub topics: String,
    pub tags: String,
    pub authors: String,
    pub page: String,
    /// The site feed's formats (`feed.formats`), in a fixed order.
    pub feeds: Vec<FeedFormat>,
    /// Each term feed's formats (`feed.term_formats`), in the same order.
    pub term_feeds: Vec<FeedFormat>,
    pub search: String,
    pub archive: String,
}

/// Which list of terms a term belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Taxonomy {
    Topics,
    Tags,
    /// People named in `authors:` (agencies are `sources:` and get no page).
    Authors,
}

impl Taxonomy {
    /// Every taxonomy, in the order their pages and feeds are listed.
    pub const ALL: [Taxonomy; 3] = [Taxonomy::Topics, Taxonomy::Tags, Taxonomy::Authors];

    /// The names a front matter gives under this taxonomy, as written.
    pub fn names(self, front: &crate::content::FrontMatter) -> &[String] {
        match self {
            Taxonomy::Topics => &front.topics,
            Taxonomy::Tags => &front.tags,
            Taxonomy::Authors => &front.authors,
        }
    }
}

impl Urls {
    pub fn new(config: &SiteConfig, base_url: Option<&str>) -> Urls {
        let mut base_url = base_url.unwrap_or(&config.base_url).trim().to_string();
        if !base_url.ends_with('/') {
            base_url.push('/');
        }
        let after_scheme = base_url.split_once("://").map_or(base_url.as_str(), |(_, rest)| rest);
        let base_path = after_scheme
            .find('/')
            .map_or("/".to_string(), |i| after_scheme[i..].to_string());
        Urls {
            base_url,
            base_path,
            topics: config.urls.topics.clone(),
            tags: config.urls.tags.clone(),
            authors: config.urls.authors.clone(),
            page: config.urls.page.clone(),
            feeds: config.feed.enabled(),
            term_feeds: config.feed.term_enabled(),
            search: config.urls.search.clone(),
            archive: config.urls.archive.clone(),
        }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// A link for use inside the site: `/archiv/2022/01/slug/`.
    pub fn href(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path)
    }

    /// An absolute URL, for canonical links, feeds and the sitemap.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// An image or logo as readers outside the site need it: an http(s)
    /// URL as given, a path in the site (`/static/a.png`) absolute.
    pub fn asset_absolute(&self, value: &str) -> String {
        if crate::text::url::is_http_url(value) {
            value.to_string()
        } else {
            self.absolute(value.trim_start_matches('/'))
        }
    }

    /// The same for a page's own `src`: a path in the site stays a path
    /// under the base path, so that it loads wherever the site is served
    /// and the link check sees it.
    pub fn asset_href(&self, value: &str) -> String {
        if crate::text::url::is_http_url(value) {
            value.to_string()
        } else {
            self.href(value.trim_start_matches('/'))
        }
    }

    /// The site-relative path for a link found in a page, if the link points
    /// into this site: `/archiv/a/` and `https://example.org/archiv/a/` give `a/`.
    pub fn site_path<'a>(&self, link: &'a str) -> Option<&'a str> {
        link.strip_prefix(self.base_url.as_str())
            .or_else(|| link.strip_prefix(self.base_path.as_str()))
            .or_else(|| (link.len() + 1 == self.base_path.len() && self.base_path.starts_with(link)).then_some(""))
    }

    pub fn article(year: i32, month: u32, slug: &str) -> String {
        format!("{year:04}/{month:02}/{slug}/")
    }

    pub fn year(year: i32) -> String {
        format!("{year:04}/")
    }

    pub fn month(year: i32, month: u32) -> String {
        format!("{year:04}/{month:02}/")
    }

    /// The overview of every year and month.
    pub fn archive(&self) -> String {
        format!("{}/", self.archive)
    }

    pub fn taxonomy(&self, taxonomy: Taxonomy) -> String {
        match taxonomy {
            Taxonomy::Topics => format!("{}/", self.topics),
            Taxonomy::Tags => format!("{}/", self.tags),
            Taxonomy::Authors => format!("{}/", self.authors),
        }
    }

    pub fn term(&self, taxonomy: Taxonomy, slug: &str) -> String {
        format!("{}{slug}/", self.taxonomy(taxonomy))
    }

    /// Page `n` of a paginated listing whose front page is `first`: 0 is
    /// the front page, 1 the oldest archive page ([`super::paginate`]).
    pub fn paginated(&self, first: &str, n: usize) -> String {
        if n == 0 {
            first.to_string()
        } else {
            format!("{first}{}/{n}/", self.page)
        }
    }

    /// A feed of a listing: `feed.xml`, `atom.xml` or `feed.json` beside
    /// its first page.
    pub fn feed(first: &str, format: FeedFormat) -> String {
        format!("{first}{}", format.file_name())
    }

    /// The feed a plain link names (the footer's): the site feed's first
    /// format; `None` when the site has no feed.
    pub fn main_feed(&self) -> Option<String> {
        self.feeds.first().map(|&f| Self::feed("", f))
    }

    /// The same for the term whose page is `first`.
    pub fn main_term_feed(&self, first: &str) -> Option<String> {
        self.term_feeds.first().map(|&f| Self::feed(first, f))
    }
}

/// The file a path is written to: `a/b/` → `a/b/index.html`, `feed.xml` stays.
pub fn output_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(base: &str) -> Urls {
        Urls::new(&SiteConfig::default(), Some(base))
    }

    #[test]
    fn base_path_comes_from_base_url() {
        let u = urls("https://example.org/archiv");
        assert_eq!(u.base_url(), "https://example.org/archiv/");
        assert_eq!(u.base_path(), "/archiv/");
        assert_eq!(u.href("2022/01/a/"), "/archiv/2022/01/a/");
        assert_eq!(u.absolute("feed.xml"), "https://example.org/archiv/feed.xml");
        assert_eq!(urls("https://example.org").base_path(), "/");
    }

    #[test]
    fn links_into_the_site() {
        let u = urls("https://example.org/archiv/");
        assert_eq!(u.site_path("/archiv/topics/x/"), Some("topics/x/"));
        assert_eq!(u.site_path("https://example.org/archiv/feed.xml"), Some("feed.xml"));
        assert_eq!(u.site_path("/archiv"), Some(""));
        assert_eq!(u.site_path("/other/"), None);
        assert_eq!(u.site_path("https://elsewhere.org/archiv/"), None);
    }

    #[test]
    fn pages_and_files() {
        let u = urls("https://example.org/");
        assert_eq!(u.paginated("topics/nato/", 0), "topics/nato/");
        assert_eq!(u.paginated("topics/nato/", 1), "topics/nato/page/1/");
        assert_eq!(u.paginated("topics/nato/", 3), "topics/nato/page/3/");
        assert_eq!(u.paginated("", 2), "page/2/");
        assert_eq!(output_file(""), "index.html");
        assert_eq!(output_file("2022/01/"), "2022/01/index.html");
        assert_eq!(output_file("feed.xml"), "feed.xml");
        assert_eq!(Urls::feed("topics/nato/", FeedFormat::Atom), "topics/nato/atom.xml");
        assert_eq!(Urls::feed("", FeedFormat::Json), "feed.json");
        assert_eq!(u.main_feed().as_deref(), Some("feed.xml"));
        assert_eq!(
            u.main_term_feed("topics/nato/").as_deref(),
            Some("topics/nato/feed.xml")
        );
        let atom = SiteConfig::parse(
            "feed:\n  formats: [json]\n  term_formats: [atom, json]\n",
            std::path::Path::new("site.yaml"),
        )
        .unwrap();
        let u = Urls::new(&atom, None);
        assert_eq!(u.main_feed().as_deref(), Some("feed.json"));
        assert_eq!(u.main_term_feed("tags/x/").as_deref(), Some("tags/x/atom.xml"));
        assert_eq!(Urls::article(2022, 1, "a"), "2022/01/a/");
    }
}
