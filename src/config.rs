//! `site.yaml`: the one file that makes a folder a blatt site.
//!
//! Every key has a default so that a new site works with an almost empty file;
//! an unknown key is an error (with the nearest known key) because a typo that
//! silently does nothing is worse than a build that stops.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::Deserialize;

use crate::error::{Error, FileError, Location, Problem, ReadProblem, YamlProblem};

mod labels;
mod pages;
pub use labels::LABEL_KEYS;
pub use pages::{
    ArticleLinks, FeedConfig, FeedFormat, FullText, ListingConfig, RelatedConfig, SocialConfig, Summaries,
};

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
    pub listing: ListingConfig,
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
    /// Limits on each article file.
    pub content: ContentConfig,
    /// Words of the theme in the site's language (`topics: Dossiers`);
    /// overrides the built-in German and English labels ([`LABEL_KEYS`]).
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
            listing: ListingConfig::default(),
            feed: FeedConfig::default(),
            markdown: MarkdownConfig::default(),
            build: BuildConfig::default(),
            urls: UrlConfig::default(),
            search: SearchConfig::default(),
            topics: Vec::new(),
            tags: Vec::new(),
            min_articles: MinArticles::default(),
            import: ImportConfig::default(),
            content: ContentConfig::default(),
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

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// Scraped text is untrusted, so raw HTML in Markdown is escaped unless a
    /// site owner who writes their own content opts in.
    pub allow_html: bool,
    /// `## Titel {#id}` gives a heading its own id; off, as braces at the
    /// end of a scraped heading are text.
    pub heading_attributes: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BuildConfig {
    /// Incremental builds rename their new files into the output one by
    /// one under a journal, so a build killed during those renames leaves a
    /// mix of old and new files until the next build finishes the update.
    /// Atomic updates instead link a complete new folder and swap it in one
    /// step, as full builds do: never a mix, but each update then costs a
    /// link per output file and a walk of the output — 0.4–1.2 s at 1 500
    /// articles on disk where the journaled edit takes 20–70 ms (bench/RESULTS.md),
    /// and seconds at 100 000. So updates are journaled unless
    /// `build: { atomic: true }` asks for swaps.
    pub atomic: Option<bool>,
    /// Follow symbolic links in content/, static/ and templates/ that lead
    /// out of the site; by default they are skipped with a warning
    /// (`content::load::Links`).
    pub follow_symlinks: bool,
}

impl BuildConfig {
    /// Whether an incremental update swaps in a whole new folder.
    pub fn atomic(&self) -> bool {
        self.atomic.unwrap_or(false)
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
    /// Author pages: `/authors/<slug>/`.
    pub authors: String,
    pub page: String,
    /// The search page and its index: `/search/`.
    pub search: String,
    /// The archive's overview, every year and month: `/archive/`.
    pub archive: String,
}

impl Default for UrlConfig {
    fn default() -> Self {
        UrlConfig {
            topics: "topics".into(),
            tags: "tags".into(),
            authors: "authors".into(),
            page: "page".into(),
            search: "search".into(),
            archive: "archive".into(),
        }
    }
}

/// Terms with fewer articles are shown nowhere. Tags default to 2: scraped
/// input names thousands that one article carries (a page of one article is
/// a dead end); topics come from the site's own rules, so one earns a page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MinArticles {
    pub topics: usize,
    pub tags: usize,
    pub authors: usize,
}

impl MinArticles {
    /// For an index of part of the site, where the whole site decides pages.
    pub const EVERY: MinArticles = MinArticles {
        topics: 1,
        tags: 1,
        authors: 1,
    };
}

impl Default for MinArticles {
    fn default() -> Self {
        MinArticles {
            topics: 1,
            tags: 2,
            authors: 1,
        }
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

/// Cleaning patterns for `blatt import`, as written in YAML (`import.patterns`
/// here, and the built-in `src/import/patterns.yaml` in the same shape): data,
/// compiled by the importer.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PatternData {
    /// Rule name → whole-line patterns of chrome to drop.
    pub drop: std::collections::BTreeMap<String, Vec<String>>,
    pub end_markers: Vec<String>,
    pub playlist_intro: Vec<String>,
    pub strip_prefix: Vec<String>,
    pub strip_inline: Vec<String>,
    pub agencies: Vec<String>,
    pub not_authors: Vec<String>,
    pub author_prefixes: Vec<String>,
    pub not_author_words: Vec<String>,
    pub name_particles: Vec<String>,
    pub generic_terms: Vec<String>,
    pub camel_case_names: Vec<String>,
    pub glued_teaser_words: Vec<String>,
    pub reader_voice: Vec<String>,
    pub reader_opinion: Vec<String>,
    pub first_person: Vec<String>,
    pub open_ending_words: Vec<String>,
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

/// Limits on each article file in `content/`, so that one absurd file
/// (written by hand, or by a tool gone wrong) costs an error, not
/// gigabytes: every listing and feed an article appears in repeats some of
/// it, so its size and its number of terms multiply.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ContentConfig {
    /// Larger article files are refused before they are read.
    pub max_file_size: u64,
    /// How many topics, and how many tags, one article may have.
    pub max_terms: usize,
}

impl Default for ContentConfig {
    fn default() -> Self {
        ContentConfig {
            max_file_size: 10 * 1024 * 1024,
            max_terms: 100,
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
        if let Err(e) = std::fs::symlink_metadata(&path) {
            return Err(match e.kind() {
                std::io::ErrorKind::NotFound => Error::NoSite(root.to_path_buf()),
                _ => Error::io(&path, e),
            });
        }
        // Opened without blocking and checked on the handle: a named pipe
        // here would otherwise make every command wait for a writer.
        let bytes = match crate::read::read_regular(&path, u64::MAX) {
            Ok((bytes, _)) => bytes,
            Err(Problem::Read(ReadProblem::NotAFile(kind))) => {
                return Err(
                    FileError::new(Location::file(&path), Problem::Read(ReadProblem::NotARegularFile(kind))).into(),
                );
            }
            Err(problem) => return Err(FileError::new(Location::file(&path), problem).into()),
        };
        let text = crate::read::decode(bytes, &path)?;
        let config = SiteConfig::parse_all(&text, &path).map_err(Error::Files)?;
        // The same folder named another way (`.` inside it, `site` beside
        // it, through a link) is one site: the manifest of its last build
        // names files by path, and a root spelled differently would make
        // every file look renamed and the next build rebuild everything.
        let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
        Ok(Site { root, config })
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }
}

impl SiteConfig {
    /// Parses `site.yaml` text; `path` only names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<SiteConfig, FileError> {
        Self::parse_all(text, path).map_err(|mut errors| errors.remove(0))
    }

    /// [`SiteConfig::parse`] with every problem of the file, each at its
    /// line, so that one run shows all there is to fix, as `blatt check`
    /// does for articles. Never empty on error.
    pub fn parse_all(text: &str, path: &Path) -> Result<SiteConfig, Vec<FileError>> {
        if text.trim().is_empty() {
            return Ok(SiteConfig::default());
        }
        match crate::yaml::from_str::<SiteConfig>(text, path, 0) {
            Ok(config) => {
                let mut errors = config.validate(text, path);
                errors.sort_by_key(|e| e.location.line);
                if errors.is_empty() { Ok(config) } else { Err(errors) }
            }
            // Nothing more is read of a file nested too deep or not YAML.
            Err(first)
                if !matches!(
                    first.problem,
                    Problem::Yaml(YamlProblem::Yaml(_)) | Problem::Yaml(YamlProblem::UnknownKey { .. })
                ) =>
            {
                Err(vec![first])
            }
            Err(first) => Err(Self::errors_by_key(text, path, first)),
        }
    }

    /// Serde stops at the first wrong value: every top-level key is tried on
    /// its own to find the others. `first`, the error serde gave with its
    /// exact line, stands for the key it is under.
    fn errors_by_key(text: &str, path: &Path, first: FileError) -> Vec<FileError> {
        let Ok(serde_yaml::Value::Mapping(map)) = serde_yaml::from_str::<serde_yaml::Value>(text) else {
            return vec![first];
        };
        let mut found: Vec<(Option<usize>, FileError)> = Vec::new();
        let mut good = serde_yaml::Mapping::new();
        for (key, value) in map {
            let name = key.as_str().map(str::to_string).unwrap_or_else(|| format!("{key:?}"));
            let line = line_of(text, &name);
            let mut alone = serde_yaml::Mapping::new();
            alone.insert(key.clone(), value.clone());
            match serde_yaml::from_value::<SiteConfig>(serde_yaml::Value::Mapping(alone)) {
                Ok(_) => drop(good.insert(key, value)),
                Err(e) => {
                    let mut error = crate::yaml::error(&e, path, 0);
                    error.location.line = line;
                    found.push((line, error));
                }
            }
        }
        // The key whose block holds the line serde named: of the keys in
        // file order, the last one starting at or before it.
        let at = first.location.line;
        let owner = found
            .iter()
            .rposition(|(line, _)| line.zip(at).is_some_and(|(l, a)| l <= a));
        match owner {
            Some(n) => found[n] = (at, first),
            None => found.insert(0, (at, first)),
        }
        // The values that did deserialise are checked as well.
        if let Ok(partial) = serde_yaml::from_value::<SiteConfig>(serde_yaml::Value::Mapping(good)) {
            found.extend(partial.validate(text, path).into_iter().map(|e| (e.location.line, e)));
        }
        found.sort_by_key(|(line, _)| *line);
        found.into_iter().map(|(_, e)| e).collect()
    }

    /// Every value that deserialised but is wrong, each at its line.
    fn validate(&self, text: &str, path: &Path) -> Vec<FileError> {
        let mut errors = Vec::new();
        let bad = |key: &str, message: String| {
            FileError::new(
                Location {
                    path: path.to_path_buf(),
                    line: line_of(text, key),
                },
                Problem::Yaml(YamlProblem::BadValue {
                    key: key.into(),
                    message,
                }),
            )
        };
        if self.paginate == 0 {
            errors.push(bad("paginate", "must be at least 1".into()));
        }
        if self.listing.archive_paginate == 0 {
            errors.push(bad("listing.archive_paginate", "must be at least 1".into()));
        }
        errors.extend(labels::unknown(&self.labels, text, path));
        // Text from here reaches every page and feed; a control character
        // or noncharacter would make each feed ill-formed XML.
        let labels = self.labels.iter().map(|(k, v)| (format!("labels.{k}"), v.as_str()));
        let texts = [
            ("title", Some(&self.title)),
            ("description", Some(&self.description)),
            ("base_url", Some(&self.base_url)),
            ("language", Some(&self.language)),
            ("news.publication", self.news.publication.as_ref()),
            ("social.image", self.social.image.as_ref()),
            ("social.logo", self.social.logo.as_ref()),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_string(), v?.as_str())));
        // Rule names become the topics and tags of imported articles.
        let rules = (self.topics.iter().map(|r| ("topics", r)))
            .chain(self.tags.iter().map(|r| ("tags", r)))
            .map(|(k, r)| (format!("{k}.name"), r.name.as_str()));
        for (key, name) in rules.clone() {
            if name.trim().is_empty() {
                errors.push(bad(
                    &key,
                    "must not be empty: it becomes a topic or tag of imported articles".into(),
                ));
            }
        }
        for (key, text) in texts.chain(labels).chain(rules) {
            if let Some(c) = text.chars().find(|&c| crate::text::chars::is_forbidden(c)) {
                errors.push(bad(
                    &key,
                    format!(
                        "contains U+{:04X}, a control character or noncharacter that no page or feed may carry: `{}`",
                        c as u32,
                        text.escape_default()
                    ),
                ));
            }
        }
        if !is_base_url(&self.base_url) {
            errors.push(bad("base_url", base_url_problem(&self.base_url)));
        }
        let segments = [
            ("urls.topics", &self.urls.topics),
            ("urls.tags", &self.urls.tags),
            ("urls.authors", &self.urls.authors),
            ("urls.page", &self.urls.page),
            ("urls.search", &self.urls.search),
            ("urls.archive", &self.urls.archive),
        ];
        for (n, (key, segment)) in segments.iter().enumerate() {
            if crate::text::slug::slugify(segment) != **segment {
                errors.push(bad(
                    key,
                    format!("must be a lower-case URL segment such as `themen`, not `{segment}`"),
                ));
            }
            // Each names a folder at the top of the output, beside the
            // years and the static files: two of them in one place would
            // overwrite each other's pages without a word.
            if segment.bytes().all(|b| b.is_ascii_digit()) {
                errors.push(bad(
                    key,
                    format!("`{segment}` is a number, and /{segment}/ would be a year's archive; use a word"),
                ));
            }
            if *segment == "static" {
                errors.push(bad(
                    key,
                    "`static` is where the site's static files go; use another word".into(),
                ));
            }
            if let Some((other, _)) = segments[..n].iter().find(|(_, s)| s == segment) {
                errors.push(bad(
                    key,
                    format!("is `{segment}`, as is `{other}`; their pages would overwrite each other"),
                ));
            }
        }
        errors
    }
}

/// Whether `url` can stand before every link of a site: an absolute http(s)
/// URL with a host (the test `source_url` passes, so no spaces, quotes or
/// control characters), without a query or fragment, which would land in
/// the middle of every link made from it.
pub fn is_base_url(url: &str) -> bool {
    let host = url.split_once("://").map_or("", |(_, rest)| rest);
    crate::text::url::is_http_url(url) && !host.starts_with('/') && !url.contains(['?', '#', '\\'])
}

/// Why `url` is not a base URL, for `base_url` and `--base-url` alike.
pub fn base_url_problem(url: &str) -> String {
    format!(
        "must be an absolute http(s) URL such as `https://example.org/archiv/`, without a query (`?`) or fragment (`#`), not `{}`",
        url.escape_default()
    )
}

/// The 1-based line of a dotted key (`urls.topics`) in YAML text, as block
/// style writes keys; the line of its nearest parent found when it is
/// written in flow style (`urls: {topics: x}`); `None` when even its first
/// part is not a key on a line of its own.
fn line_of(text: &str, key: &str) -> Option<usize> {
    let mut found = None;
    let mut start = 0;
    let mut indent = None;
    'parts: for part in key.split('.') {
        for (n, line) in text.lines().enumerate().skip(start) {
            let trimmed = line.trim_start();
            let depth = line.len() - trimmed.len();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if indent.is_some_and(|i| depth <= i) {
                break 'parts; // left the parent's block
            }
            let name = trimmed.split_once(':').map(|(k, _)| k.trim().trim_matches(['"', '\'']));
            if name == Some(part) && (indent.is_some() || depth == 0) {
                found = Some(n + 1);
                start = n + 1;
                indent = Some(depth);
                continue 'parts;
            }
        }
        break;
    }
    found
}

#[cfg(test)]
mod tests {

    #[test]
    fn updates_are_journaled_unless_atomic_is_asked_for() {
        assert!(!BuildConfig::default().atomic());
        let always = BuildConfig {
            atomic: Some(true),
            ..Default::default()
        };
        assert!(always.atomic());
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
    fn term_feeds_default_to_rss_twenty_items_ten_of_a_topics_in_full_text() {
        let c = SiteConfig::parse("", Path::new("site.yaml")).unwrap();
        assert_eq!(c.feed.term_enabled(), [FeedFormat::Rss]);
        let in_full = |topics, tags, authors| FullText { topics, tags, authors };
        assert_eq!(c.feed.term_full_text(), in_full(10, 0, 0));
        assert_eq!((c.feed.limit, c.feed.term_limit()), (50, 20));
        assert_eq!(c.listing.summaries, Summaries::First);
        assert_eq!(c.listing.archive_paginate, 100);
        let c = SiteConfig::parse(
            "feed:\n  limit: 5\n  term_formats: [json, atom]\n  term_full_text: 20\n",
            Path::new("site.yaml"),
        )
        .unwrap();
        assert_eq!(c.feed.enabled(), FeedFormat::ALL);
        assert_eq!(c.feed.term_enabled(), [FeedFormat::Atom, FeedFormat::Json]);
        assert_eq!(c.feed.term_full_text(), in_full(5, 5, 5));
        assert_eq!(c.feed.term_limit(), 5);
        let each = SiteConfig::parse(
            "feed:\n  term_full_text: { tags: 3, authors: 30 }\n",
            Path::new("site.yaml"),
        );
        assert_eq!(each.unwrap().feed.term_full_text(), in_full(10, 3, 20));
        let e = SiteConfig::parse("feed:\n  term_full_text: { topic: 3 }\n", Path::new("site.yaml")).unwrap_err();
        assert!(e.to_string().contains("topic"), "{e}");
        assert_eq!(e.location.line, Some(2), "{e}");
        let e = SiteConfig::parse("feed:\n  term_full_text: viele\n", Path::new("site.yaml")).unwrap_err();
        assert!(e.to_string().contains("a number, or `topics`"), "{e}");
        let none = SiteConfig::parse("feed:\n  term_formats: []\n", Path::new("site.yaml")).unwrap();
        assert!(none.feed.term_enabled().is_empty());
        assert_eq!(none.feed.enabled(), FeedFormat::ALL);
    }

    /// A site.yaml written before `term_formats` existed, whose `formats`
    /// named the feeds of every listing, keeps every feed file it had.
    #[test]
    fn formats_without_term_formats_keep_their_old_meaning() {
        let old = SiteConfig::parse(
            "feed:\n  limit: 50\n  formats: [rss, atom, json]\n",
            Path::new("site.yaml"),
        )
        .unwrap();
        assert_eq!(old.feed.enabled(), FeedFormat::ALL);
        assert_eq!(old.feed.term_enabled(), FeedFormat::ALL);
        let atom = SiteConfig::parse("feed:\n  formats: [atom]\n", Path::new("site.yaml")).unwrap();
        assert_eq!(atom.feed.term_enabled(), [FeedFormat::Atom]);
        let none = SiteConfig::parse("feed:\n  formats: []\n", Path::new("site.yaml")).unwrap();
        assert!(none.feed.term_enabled().is_empty());
    }

    #[test]
    fn an_unknown_label_is_refused_at_its_line() {
        let errors = SiteConfig::parse_all(
            "title: x\nlabels:\n  topics: Dossiers\n  tpoics: Dossiers\n",
            Path::new("site.yaml"),
        )
        .err()
        .unwrap();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].location.line, Some(4));
        assert_eq!(
            errors[0].problem,
            Problem::Yaml(YamlProblem::UnknownKey {
                key: "labels.tpoics".into(),
                suggestion: Some("labels.topics".into())
            })
        );
    }

    #[test]
    fn unknown_key_names_line_and_nearest_key() {
        let e = SiteConfig::parse("title: x\ntimezon: Europe/Berlin\n", Path::new("site.yaml")).unwrap_err();
        assert_eq!(e.location.line, Some(2));
        assert_eq!(
            e.problem,
            Problem::Yaml(YamlProblem::UnknownKey {
                key: "timezon".into(),
                suggestion: Some("timezone".into())
            })
        );
    }

    #[test]
    fn bad_timezone_is_named() {
        let e = SiteConfig::parse("timezone: Mars/Olympus\n", Path::new("site.yaml")).unwrap_err();
        assert!(e.to_string().contains("Mars/Olympus"), "{e}");
    }

    fn refused(yaml: &str) -> String {
        SiteConfig::parse(yaml, Path::new("site.yaml")).unwrap_err().to_string()
    }

    #[test]
    fn text_that_reaches_pages_and_feeds_has_no_control_characters() {
        let message = |key: &str, code: &str, shown: &str| {
            format!(
                "`{key}` contains U+{code}, a control character or noncharacter that no page or feed may carry: `{shown}`"
            )
        };
        for (yaml, line, key, code, shown) in [
            ("title: \"Blatt\\x01\"\n", 1, "title", "0001", "Blatt\\u{1}"),
            (
                "title: x\ndescription: \"a\\u0085b\"\n",
                2,
                "description",
                "0085",
                "a\\u{85}b",
            ),
            (
                "news:\n  sitemap: true\n  publication: \"\\x1b[2J\"\n",
                3,
                "news.publication",
                "001B",
                "\\u{1b}[2J",
            ),
            (
                "social:\n  image: \"/x\\x7f.png\"\n",
                2,
                "social.image",
                "007F",
                "/x\\u{7f}.png",
            ),
            (
                "labels:\n  topics: Dossiers\n  tags: \"\\uFDD0\"\n",
                3,
                "labels.tags",
                "FDD0",
                "\\u{fdd0}",
            ),
            ("language: \"de\\x00\"\n", 1, "language", "0000", "de\\u{0}"),
            (
                "topics:\n  - name: \"A\\x01\"\n    keywords: [a]\n",
                1,
                "topics.name",
                "0001",
                "A\\u{1}",
            ),
        ] {
            assert_eq!(
                refused(yaml),
                format!("site.yaml:{line}: {}", message(key, code, shown)),
                "{yaml}"
            );
        }
    }

    #[test]
    fn rule_names_must_not_be_empty() {
        assert_eq!(
            refused("title: x\ntags:\n  - name: \" \"\n    keywords: [a]\n"),
            "site.yaml:2: `tags.name` must not be empty: it becomes a topic or tag of imported articles"
        );
    }

    #[test]
    fn url_segments_that_would_share_a_folder_are_refused() {
        assert_eq!(
            refused("title: x\nurls:\n  topics: tags\n"),
            "site.yaml:2: `urls.tags` is `tags`, as is `urls.topics`; their pages would overwrite each other"
        );
        assert_eq!(
            refused("urls:\n  page: seite\n  search: seite\n"),
            "site.yaml:3: `urls.search` is `seite`, as is `urls.page`; their pages would overwrite each other"
        );
        assert_eq!(
            refused("urls: {topics: \"2024\"}\n"),
            "site.yaml:1: `urls.topics` `2024` is a number, and /2024/ would be a year's archive; use a word"
        );
        assert_eq!(
            refused("urls:\n  tags: static\n"),
            "site.yaml:2: `urls.tags` `static` is where the site's static files go; use another word"
        );
        assert_eq!(
            refused("urls: {archive: themen, topics: themen}\n"),
            "site.yaml:1: `urls.archive` is `themen`, as is `urls.topics`; their pages would overwrite each other"
        );
        SiteConfig::parse(
            "urls: {topics: themen, tags: schlagworte, page: seite, search: suche, archive: archiv}\n",
            Path::new("s"),
        )
        .unwrap();
    }

    #[test]
    fn a_base_url_must_be_a_base_for_every_link() {
        for bad in [
            "https://example.org/?a=1",
            "https://example.org/archiv#x",
            "https://ex\\\"ample.org/",
            "https:///archiv/",
            "https://",
            "ftp://example.org/",
            "https://example.org/a b/",
        ] {
            let e = refused(&format!("title: x\nbase_url: \"{bad}\"\n"));
            assert!(
                e.starts_with("site.yaml:2: `base_url` must be an absolute http(s) URL"),
                "{bad}: {e}"
            );
        }
        for good in [
            "https://example.org",
            "http://127.0.0.1:1111/",
            "https://example.org/archiv/",
        ] {
            assert!(is_base_url(good), "{good}");
        }
    }

    #[test]
    fn deep_nesting_in_site_yaml_is_refused_at_its_line() {
        let text = format!("title: x\nlabels: {}\n", "[".repeat(100_000) + &"]".repeat(100_000));
        assert_eq!(
            refused(&text),
            format!(
                "site.yaml:2: lists and mappings nested more than {} levels deep",
                crate::yaml::MAX_DEPTH
            )
        );
    }

    #[test]
    fn content_limits_have_defaults_and_can_be_set() {
        let c = SiteConfig::parse("", Path::new("site.yaml")).unwrap();
        assert_eq!(
            c.content,
            ContentConfig {
                max_file_size: 10 * 1024 * 1024,
                max_terms: 100
            }
        );
        let c = SiteConfig::parse("content:\n  max_terms: 5\n", Path::new("site.yaml")).unwrap();
        assert_eq!(c.content.max_terms, 5);
        assert_eq!(c.content.max_file_size, 10 * 1024 * 1024);
    }

    #[test]
    fn url_segments_must_be_slugs() {
        let e = SiteConfig::parse("urls:\n  topics: Themen\n", Path::new("site.yaml")).unwrap_err();
        assert!(e.to_string().contains("urls.topics"), "{e}");
    }

    #[test]
    fn every_problem_of_site_yaml_is_reported_at_its_line() {
        let yaml =
            "title: X\nbase_url: ftp://x\nlanguage: 12\npaginate: -3\nurls:\n  topics: tags\n  tags: tags\nbogus: 1\n";
        let errors = SiteConfig::parse_all(yaml, Path::new("site.yaml")).unwrap_err();
        let lines: Vec<Option<usize>> = errors.iter().map(|e| e.location.line).collect();
        assert_eq!(lines, [Some(2), Some(3), Some(4), Some(7), Some(8)], "{errors:#?}");
        assert!(errors[0].to_string().contains("base_url"), "{}", errors[0]);
        assert!(
            matches!(errors[4].problem, Problem::Yaml(YamlProblem::UnknownKey { .. })),
            "{}",
            errors[4]
        );
        // Values that deserialise are checked together, too.
        let yaml = "title: \"a\\x01\"\nbase_url: ftp://x\npaginate: 0\n";
        let errors = SiteConfig::parse_all(yaml, Path::new("site.yaml")).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:#?}");
    }
}
