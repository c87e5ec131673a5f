//! `site.yaml`: the one file that makes a folder a blatt site.
//!
//! Every key has a default so that a new site works with an almost empty file;
//! an unknown key is an error (with the nearest known key) because a typo that
//! silently does nothing is worse than a build that stops.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::Deserialize;

use crate::error::{Error, FileError, Location, Problem, nearest};
use crate::import::patterns::PatternData;

pub const FILE_NAME: &str = "site.yaml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    pub title: String,
    pub description: String,
    /// Absolute URL of the site root; may carry a path (`https://example.org/archiv/`).
    pub base_url: String,
    /// BCP 47 language of the site, used for `lang`, dates and the import default.
    pub language: String,
    #[serde(deserialize_with = "de_timezone")]
    pub timezone: Tz,
    pub paginate: usize,
    pub feed: FeedConfig,
    pub markdown: MarkdownConfig,
    pub build: BuildConfig,
    pub urls: UrlConfig,
    pub search: SearchConfig,
    /// Rules that give an imported article its topics.
    pub topics: Vec<TermRule>,
    /// Rules that give an imported article its tags.
    pub tags: Vec<TermRule>,
    /// How many published articles a topic or tag needs before it gets a
    /// page and feeds.
    pub min_articles: MinArticles,
    pub import: ImportConfig,
    /// Words of the theme in the site's language (`topics: Dossiers`);
    /// overrides the built-in German and English labels.
    pub labels: std::collections::BTreeMap<String, String>,
    pub news: NewsConfig,
    pub related: RelatedConfig,
    pub social: SocialConfig,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "blatt".into(),
            description: String::new(),
            base_url: "http://127.0.0.1:1111/".into(),
            language: "en".into(),
            timezone: Tz::UTC,
            paginate: 20,
            feed: FeedConfig::default(),
            markdown: MarkdownConfig::default(),
            build: BuildConfig::default(),
            urls: UrlConfig::default(),
            search: SearchConfig::default(),
            topics: Vec::new(),
            tags: Vec::new(),
            min_articles: MinArticles::default(),
            import: ImportConfig::default(),
            labels: Default::default(),
            news: NewsConfig::default(),
            related: RelatedConfig::default(),
            social: SocialConfig::default(),
        }
    }
}

/// The Google News sitemap (`sitemap-news.xml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NewsConfig {
    pub sitemap: bool,
    /// `news:name`; the site title when unset.
    pub publication: Option<String>,
    /// How far back the sitemap reaches: Google News reads only the
    /// articles of the last two days.
    pub window_hours: u32,
    /// Google accepts at most 1 000 URLs per news sitemap.
    pub limit: usize,
}

impl Default for NewsConfig {
    fn default() -> Self {
        NewsConfig {
            sitemap: true,
            publication: None,
            window_hours: 48,
            limit: 1000,
        }
    }
}

/// Related articles at the foot of each article.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RelatedConfig {
    /// How many; 0 shows none.
    pub limit: usize,
}

impl Default for RelatedConfig {
    fn default() -> Self {
        RelatedConfig { limit: 4 }
    }
}

/// Images for link previews (Open Graph, Twitter cards) and the
/// publisher of the JSON-LD: absolute URLs or paths within the site.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SocialConfig {
    /// `og:image` and `twitter:image` of every page; with it the Twitter
    /// card is `summary_large_image`.
    pub image: Option<String>,
    /// The publisher's `logo` in the JSON-LD.
    pub logo: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeedConfig {
    /// How many of the newest articles a feed carries.
    pub limit: usize,
    /// Which feeds each listing gets; an empty list means none.
    pub formats: Vec<FeedFormat>,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig {
            limit: 50,
            formats: FeedFormat::ALL.to_vec(),
        }
    }
}

impl FeedConfig {
    /// The enabled formats once each, in [`FeedFormat::ALL`] order, so that
    /// the order or repetition of the list in `site.yaml` changes nothing.
    pub fn enabled(&self) -> Vec<FeedFormat> {
        FeedFormat::ALL
            .into_iter()
            .filter(|f| self.formats.contains(f))
            .collect()
    }
}

/// A syndication format: every listing with a feed gets one file per
/// enabled format, beside its first page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedFormat {
    /// RSS 2.0, `feed.xml`.
    Rss,
    /// Atom 1.0, `atom.xml`.
    Atom,
    /// JSON Feed 1.1, `feed.json`.
    Json,
}

impl FeedFormat {
    pub const ALL: [FeedFormat; 3] = [FeedFormat::Rss, FeedFormat::Atom, FeedFormat::Json];

    /// The file name beside a listing's first page.
    pub fn file_name(self) -> &'static str {
        match self {
            FeedFormat::Rss => "feed.xml",
            FeedFormat::Atom => "atom.xml",
            FeedFormat::Json => "feed.json",
        }
    }

    /// The media type, for `<link rel="alternate" type>`.
    pub fn media_type(self) -> &'static str {
        match self {
            FeedFormat::Rss => "application/rss+xml",
            FeedFormat::Atom => "application/atom+xml",
            FeedFormat::Json => "application/feed+json",
        }
    }

    /// The format's own name, the same in every language.
    pub fn name(self) -> &'static str {
        match self {
            FeedFormat::Rss => "RSS",
            FeedFormat::Atom => "Atom",
            FeedFormat::Json => "JSON Feed",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// Scraped text is untrusted, so raw HTML in Markdown is escaped unless a
    /// site owner who writes their own content opts in.
    pub allow_html: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BuildConfig {
    /// Incremental builds rename their new files into the output one by
    /// one, so a build killed during those renames leaves a mix of old and
    /// new files until the next build finishes the update. Atomic updates
    /// instead link a complete new folder and swap it in one step, as full
    /// builds do: never a mix, but each update then costs a link per output
    /// file (seconds at 100 000 articles). Unset, updates are atomic for
    /// archives of up to [`AUTO_ATOMIC_ARTICLES`] articles, where that costs
    /// little.
    pub atomic: Option<bool>,
}

/// Up to this many articles, incremental builds are atomic unless
/// `build.atomic` says otherwise.
pub const AUTO_ATOMIC_ARTICLES: usize = 2_000;

impl BuildConfig {
    /// Whether an update of a site that had `articles` articles swaps in a
    /// whole new folder.
    pub fn atomic_for(&self, articles: usize) -> bool {
        self.atomic.unwrap_or(articles <= AUTO_ATOMIC_ARTICLES)
    }
}

/// The search page and its index (`crate::render::search`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// URL segments, so that a German site can say `/themen/` instead of `/topics/`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UrlConfig {
    pub topics: String,
    pub tags: String,
    pub page: String,
    /// The search page and its index: `/search/`.
    pub search: String,
}

impl Default for UrlConfig {
    fn default() -> Self {
        UrlConfig {
            topics: "topics".into(),
            tags: "tags".into(),
            page: "page".into(),
            search: "search".into(),
        }
    }
}

/// Terms with fewer articles are shown nowhere: on an archive of scraped
/// input (thousands of tags with one article each) `tags: 2` keeps the tag
/// pages a reader can use. The default shows every term, as before.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MinArticles {
    pub topics: usize,
    pub tags: usize,
}

impl Default for MinArticles {
    fn default() -> Self {
        MinArticles { topics: 1, tags: 1 }
    }
}

/// A topic or tag and the words that earn an article that term.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermRule {
    pub name: String,
    /// Whole words; a hyphen counts as a word boundary, so `Ukraine` matches
    /// `Ukraine-Konflikt`. A trailing `*` matches any ending (`Putin*`).
    pub keywords: Vec<String>,
    /// Phrases whose words are not a mention (`Dynamo Kiew` for `Kiew`).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// How often the keywords must occur in title and body together.
    #[serde(default = "one")]
    pub min_mentions: usize,
    #[serde(default)]
    pub case_sensitive: bool,
}

fn one() -> usize {
    1
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImportConfig {
    /// Inputs larger than this are refused, so one runaway file cannot exhaust memory.
    pub max_file_size: u64,
    /// Whether the input's own `categories` and `tags` become tags.
    pub input_terms: bool,
    /// Additions to the built-in cleaning patterns.
    pub patterns: PatternData,
}

impl Default for ImportConfig {
    fn default() -> Self {
        ImportConfig {
            max_file_size: 16 * 1024 * 1024,
            input_terms: true,
            patterns: PatternData::default(),
        }
    }
}

fn de_timezone<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Tz, D::Error> {
    let name = String::deserialize(d)?;
    name.parse::<Tz>().map_err(|_| {
        serde::de::Error::custom(format!(
            "unknown time zone `{name}`; use an IANA name such as Europe/Berlin"
        ))
    })
}

/// A site on disk: its folder and its parsed configuration.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
}

impl Site {
    /// Loads `site.yaml` from `root`.
    pub fn load(root: &Path) -> Result<Site, Error> {
        let path = root.join(FILE_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::NoSite(root.to_path_buf()));
            }
            Err(e) => return Err(Error::io(&path, e)),
        };
        let config = SiteConfig::parse(&text, &path)?;
        Ok(Site {
            root: root.to_path_buf(),
            config,
        })
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }
}

impl SiteConfig {
    /// Parses `site.yaml` text; `path` only names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<SiteConfig, FileError> {
        if text.trim().is_empty() {
            return Ok(SiteConfig::default());
        }
        let config: SiteConfig = serde_yaml::from_str(text).map_err(|e| yaml_error(&e, path, 0))?;
        config.validate(path)?;
        Ok(config)
    }

    fn validate(&self, path: &Path) -> Result<(), FileError> {
        let bad = |key: &str, message: String| {
            FileError::new(
                Location::file(path),
                Problem::BadValue {
                    key: key.into(),
                    message,
                },
            )
        };
        if self.paginate == 0 {
            return Err(bad("paginate", "must be at least 1".into()));
        }
        if !(self.base_url.starts_with("http://") || self.base_url.starts_with("https://")) {
            return Err(bad(
                "base_url",
                format!("must be an absolute http(s) URL, not `{}`", self.base_url),
            ));
        }
        for (key, segment) in [
            ("urls.topics", &self.urls.topics),
            ("urls.tags", &self.urls.tags),
            ("urls.page", &self.urls.page),
            ("urls.search", &self.urls.search),
        ] {
            if crate::content::slug::slugify(segment) != *segment {
                return Err(bad(
                    key,
                    format!("must be a lower-case URL segment such as `themen`, not `{segment}`"),
                ));
            }
        }
        Ok(())
    }
}

/// Turns a YAML error into a [`FileError`] whose line counts from the file's
/// first line; `line_offset` is the number of lines before the YAML text.
pub(crate) fn yaml_error(e: &serde_yaml::Error, path: &Path, line_offset: usize) -> FileError {
    let line = e.location().map(|l| l.line() + line_offset);
    let mut message = e.to_string();
    // The location is already part of ours; drop the parser's copy.
    if let Some(pos) = message.find(" at line ") {
        message.truncate(pos);
    }
    let problem = unknown_field(&message).unwrap_or(Problem::Yaml(message));
    FileError::new(
        Location {
            path: path.to_path_buf(),
            line,
        },
        problem,
    )
}

/// serde words unknown keys as "unknown field `x`, expected one of `a`, `b`".
fn unknown_field(message: &str) -> Option<Problem> {
    let rest = message.strip_prefix("unknown field `")?;
    let (key, rest) = rest.split_once('`')?;
    let known: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    Some(Problem::UnknownKey {
        key: key.to_string(),
        suggestion: nearest(key, known.iter().copied()),
    })
}

#[cfg(test)]
mod tests {

    #[test]
    fn small_archives_update_atomically_unless_told_otherwise() {
        let auto = BuildConfig::default();
        assert!(auto.atomic_for(AUTO_ATOMIC_ARTICLES));
        assert!(!auto.atomic_for(AUTO_ATOMIC_ARTICLES + 1));
        let never = BuildConfig { atomic: Some(false) };
        assert!(!never.atomic_for(10));
        let always = BuildConfig { atomic: Some(true) };
        assert!(always.atomic_for(100_000));
    }

    use super::*;

    #[test]
    fn empty_file_gives_defaults() {
        let c = SiteConfig::parse("", Path::new("site.yaml")).unwrap();
        assert_eq!(c.paginate, 20);
        assert_eq!(c.feed.limit, 50);
        assert_eq!(c.feed.enabled(), FeedFormat::ALL);
        assert_eq!(c.urls.topics, "topics");
    }

    #[test]
    fn feed_formats_are_named_in_lower_case() {
        let c = SiteConfig::parse("feed:\n  formats: [json, rss, json]\n", Path::new("site.yaml")).unwrap();
        assert_eq!(c.feed.enabled(), [FeedFormat::Rss, FeedFormat::Json]);
        assert_eq!(c.feed.limit, 50);
        let none = SiteConfig::parse("feed:\n  formats: []\n", Path::new("site.yaml")).unwrap();
        assert!(none.feed.enabled().is_empty());
        let e = SiteConfig::parse("feed:\n  formats: [RSS]\n", Path::new("site.yaml")).unwrap_err();
        assert!(e.to_string().contains("RSS"), "{e}");
    }

    #[test]
    fn unknown_key_names_line_and_nearest_key() {
        let e = SiteConfig::parse("title: x\ntimezon: Europe/Berlin\n", Path::new("site.yaml")).unwrap_err();
        assert_eq!(e.location.line, Some(2));
        assert_eq!(
            e.problem,
            Problem::UnknownKey {
                key: "timezon".into(),
                suggestion: Some("timezone".into())
            }
        );
    }

    #[test]
    fn bad_timezone_is_named() {
        let e = SiteConfig::parse("timezone: Mars/Olympus\n", Path::new("site.yaml")).unwrap_err();
        assert!(e.to_string().contains("Mars/Olympus"), "{e}");
    }

    #[test]
    fn url_segments_must_be_slugs() {
        let e = SiteConfig::parse("urls:\n  topics: Themen\n", Path::new("site.yaml")).unwrap_err();
        assert!(e.to_string().contains("urls.topics"), "{e}");
    }
}
