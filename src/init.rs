//! `blatt init`: a new site with a commented `site.yaml`.

use std::path::Path;

use crate::config::FILE_NAME;
use crate::error::Error;

/// The `site.yaml` of a new site: every setting at its default, explained.
pub const SITE_YAML: &str = r#"# blatt site configuration. Every key is optional; the values shown are the defaults.

title: "blatt"
description: ""
# Absolute URL of the published site; may include a path, e.g. https://example.org/archiv/
# (no query or fragment).
base_url: "http://127.0.0.1:1111/"
# Language of the site (lang attribute, dates) and of imported articles that don't say.
language: en
# IANA time zone: dates without a time zone are read in it, archives are grouped by it.
timezone: UTC
# Articles per listing page.
paginate: 20

listing:
  # Which pages of the home, month, topic, tag and author listings show each
  # article's summary: first (the front page, newest articles), all, none. Other
  # pages list kicker, title and date only, as a newspaper's archive does.
  summaries: first
  # Articles on each of those archive pages (the front page shows paginate).
  archive_paginate: 100

feed:
  # How many of the newest articles the site's feeds carry.
  limit: 50
  # How many each topic's, tag's and author's feed carries (at most limit).
  term_limit: 20
  # The site's feeds: rss (feed.xml, RSS 2.0), atom (atom.xml, Atom 1.0),
  # json (feed.json, JSON Feed 1.1). [] for none.
  formats: [rss, atom, json]
  # The feeds of each topic, tag and author page, in the same names. Each is
  # one file per term, so every format added here costs as much again.
  term_formats: [rss]
  # How many of a term feed's newest items carry the full text; the rest
  # carry title, summary and link (the site's feeds are full text). One number
  # for every kind, or one per kind; 20 (term_limit) for full text throughout,
  # 0 for summaries only. Tags and authors are thousands of feeds.
  term_full_text: { topics: 10, tags: 0, authors: 0 }
  # Which formats an article page's head announces (<link rel="alternate">) for
  # each feed it names (its topics', the site's): first (one link per feed, in
  # the first format listed), all. Listing pages announce every format.
  article_links: first

# The Google News sitemap, /sitemap-news.xml (listed in robots.txt): the articles of
# the last window_hours, newest first, at most limit. publication: the news:name
# (default: the title).
news:
  sitemap: true
  window_hours: 48
  limit: 1000
#  publication: "Blatt"

# Related articles at the foot of each article (same topic, nearest in date); 0: none.
related:
  limit: 4

# Link previews and JSON-LD: the image for og:image / twitter:image (the Twitter card
# becomes summary_large_image) of pages without a lead image of their own, and the
# publisher's logo; absolute URLs or paths in the site. `blatt init` wrote placeholders:
# replace the files (1200×630 suits every preview) or point elsewhere.
# X (Twitter) reads og:title, og:description and og:image, so only twitter:card is
# written; twitter_tags: true repeats them as twitter:*. json_ld_description: true
# puts the summary into the JSON-LD too (Google does not ask for it).
# json_ld_repeats: true adds url, inLanguage and isAccessibleForFree to the JSON-LD
# (the canonical URL, the page's language and schema.org's default again).
# description_length: the description and og:description carry the summary cut at
# a word to this many characters (search results show about 155); 0: all of it.
social:
  image: static/share.png
  logo: static/logo.svg
  twitter_tags: false
  json_ld_description: false
  json_ld_repeats: false
  description_length: 160

# The theme's words, shown in the site's language (German and English are built in): set
# any of them to replace it. A key that is not one of these is an error.
labels: {}
#  home: "Home"
#  topics: "Topics"
#  tags: "Tags"
#  authors: "Authors"
#  archive: "Archive"
#  latest: "Latest articles"
#  page: "Page"
#  of: "of"
#  feed: "Feed"
#  articles: "articles"
#  article: "article"
#  published: "Published"
#  updated: "Updated"
#  by: "By"
#  sources: "Sources"
#  original: "Original article"
#  newer: "Newer article"
#  older: "Older article"
#  months: "Months"
#  newer_month: "Next month"
#  older_month: "Previous month"
#  previous_page: "Previous page"
#  next_page: "Next page"
#  pagination: "Pages"
#  navigation: "Main navigation"
#  skip: "Skip to content"
#  not_found_title: "Page not found"
#  not_found_text: "This page does not exist (any more). The home page or the archive may help."
#  articles_in: "Articles in"
#  topic: "Topic"
#  tag: "Tag"
#  author: "Author"
#  no_articles: "No articles yet."
#  powered_by: "Made with blatt"
#  related: "Related"
#  search: "Search"
#  search_label: "Search terms"
#  search_button: "Search"
#  search_intro: "Searches the titles, texts, topics and tags of all articles. The start of a word is enough."
#  search_noscript: "Search needs JavaScript. Without it, the topics, the tags and the archive lead to every article."
#  search_loading: "Searching …"
#  search_none: "No results."
#  search_one: "1 result."
#  search_many: "{n} results."
#  search_shown: "{n} results, showing the first {shown}."
#  search_more: "More results"
#  search_short: "Please type at least two letters."
#  search_error: "The search index could not be loaded."

markdown:
  # Raw HTML in articles is shown as text unless this is true. Scraped text is untrusted.
  allow_html: false
  # Headings get ids from their text (`## Neue Pläne` → #neue-plaene); true also reads
  # an explicit one written after the heading: `## Neue Pläne {#plaene}`.
  heading_attributes: false

build:
  # true: an incremental build swaps in a complete new folder in one step, so that a
  # build killed at any moment leaves the old site or the new one, never a mix; it then
  # costs a link per output file. false: changed files are renamed into place, and a
  # build killed during those renames is finished by the next one.
  # Unset: false (an edit then costs milliseconds, not a link per output file).
  # atomic: true
  # Symbolic links in content/, static/ and templates/ that lead out of the site are
  # skipped with a warning, so that a link cannot publish a file from elsewhere.
  # true follows them too.
  follow_symlinks: false

# URL segments: /topics/…, /tags/…, /authors/…, /page/1/, /search/, /archive/ (six
# different words, none a number or `static`).
urls:
  topics: topics
  tags: tags
  authors: authors
  page: page
  search: search
  archive: archive

search:
  # A search page with an index made at build time (JSON files below /search/).
  enabled: true

# Topic and tag rules for `blatt import`: an article gets the term when its keywords
# occur at least min_mentions times in title and body (whole words; a hyphen is a
# word boundary; a trailing * matches any ending). Words inside an `exclude` phrase
# are not mentions. After changing them, `blatt retag --dry-run` shows what they change
# in content/ and `blatt retag` applies them (terms added by hand stay).
topics: []
#  - name: Ukraine-Konflikt
#    keywords: [Ukraine, Kiew, Selenskyj]
#    exclude: [Dynamo Kiew]
#    min_mentions: 2
tags: []
#  - name: Wladimir Putin
#    keywords: [Putin*]

# A topic, tag or author gets its page, its feeds and its links once this many
# published articles carry it; 2 for tags keeps an archive of scraped input from
# thousands of one-article tag pages. Authors are the people of `authors:`; agencies
# (`sources:`) get no page.
min_articles:
  topics: 1
  tags: 2
  authors: 1

# Limits on each article in content/: larger files are refused, and so are articles
# with more than max_terms topics (or tags, sources, authors). Import keeps the first.
content:
  max_file_size: 10485760
  max_terms: 100

import:
  # Inputs larger than this many bytes are refused.
  max_file_size: 16777216
  # Whether the input's own categories and tags become tags (cleaned of page chrome,
  # merged with the spellings the site already uses; one named like a topic rule is
  # that topic).
  input_terms: true
  # Patterns added to the built-in cleaning rules (same lists as blatt's patterns.yaml).
  patterns: {}
#    drop:
#      my_site: ['Folgen Sie uns auf .*']
#    agencies: [KAP]
"#;

/// The placeholder share image and logo `SITE_YAML` points to, so that a
/// new site's link previews and JSON-LD are complete from the first build:
/// a 1200×630 PNG (the size Open Graph and Twitter's large card show
/// uncropped) and an SVG logo.
pub const SITE_FILES: [(&str, &[u8]); 2] = [
    ("static/share.png", include_bytes!("../assets/init/share.png")),
    ("static/logo.svg", include_bytes!("../assets/init/logo.svg")),
];

/// Creates a site in `dir`, which must be new or empty; `with_theme` also
/// copies the default templates and static files out for editing.
pub fn create_site(dir: &Path, with_theme: bool) -> Result<(), Error> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        if entries.next().is_some() {
            return Err(Error::NotEmpty(dir.to_path_buf()));
        }
    }
    for sub in ["content", "static"] {
        std::fs::create_dir_all(dir.join(sub)).map_err(|e| Error::io(dir.join(sub), e))?;
    }
    let path = dir.join(FILE_NAME);
    std::fs::write(&path, SITE_YAML).map_err(|e| Error::io(&path, e))?;
    for (rel, bytes) in SITE_FILES {
        let path = dir.join(rel);
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
    }
    if with_theme {
        let theme = crate::render::templates::DEFAULTS
            .iter()
            .map(|(name, text)| (format!("templates/{name}"), text.as_bytes()))
            .chain(
                crate::render::templates::STATIC
                    .iter()
                    .map(|(p, b)| (p.to_string(), *b)),
            );
        for (rel, bytes) in theme {
            let path = dir.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;

    #[test]
    fn theme_is_copied_on_request() {
        let dir = tempfile::tempdir().unwrap();
        create_site(&dir.path().join("s"), true).unwrap();
        assert!(dir.path().join("s/templates/article.html").is_file());
        assert!(dir.path().join("s/templates/partials/pagination.html").is_file());
        assert!(dir.path().join("s/static/style.css").is_file());
    }

    #[test]
    fn template_parses_to_the_defaults() {
        let c = SiteConfig::parse(SITE_YAML, Path::new("site.yaml")).unwrap();
        let d = SiteConfig::default();
        assert_eq!(
            (c.paginate, c.feed.limit, c.feed.enabled(), c.language, c.base_url),
            (d.paginate, d.feed.limit, d.feed.enabled(), d.language, d.base_url)
        );
        assert_eq!(
            (c.feed.term_enabled(), c.feed.term_full_text(), c.feed.article_links),
            (d.feed.term_enabled(), d.feed.term_full_text(), d.feed.article_links)
        );
        assert_eq!(c.listing.archive_paginate, d.listing.archive_paginate);
        assert_eq!(
            (c.social.description_length, c.social.json_ld_repeats),
            (d.social.description_length, d.social.json_ld_repeats)
        );
        assert_eq!(
            (c.news.sitemap, c.news.window_hours, c.news.limit, c.related.limit),
            (d.news.sitemap, d.news.window_hours, d.news.limit, d.related.limit)
        );
        assert_eq!(c.content, d.content);
        // Not a default: the files init writes beside it.
        assert_eq!(
            (c.social.image.as_deref(), c.social.logo.as_deref()),
            (Some(SITE_FILES[0].0), Some(SITE_FILES[1].0))
        );
    }

    #[test]
    fn the_share_image_and_logo_are_what_they_say() {
        let png = SITE_FILES[0].1;
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR: width and height, big-endian, right after the chunk's length and type.
        let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
        assert_eq!(&png[12..16], b"IHDR");
        assert_eq!((size(16), size(20)), (1200, 630));
        let svg = std::str::from_utf8(SITE_FILES[1].1).unwrap();
        let doc = roxmltree::Document::parse(svg).unwrap();
        assert_eq!(doc.root_element().tag_name().name(), "svg");
    }

    #[test]
    fn the_commented_labels_are_every_label_with_its_english_word() {
        let (before, after) = SITE_YAML.split_once("labels: {}\n").unwrap();
        let (block, rest) = after.split_once("\n\n").unwrap();
        let uncommented: String = block
            .lines()
            .map(|l| format!("  {}\n", l.strip_prefix("#  ").unwrap()))
            .collect();
        let yaml = format!("{before}labels:\n{uncommented}\n{rest}");
        let c = SiteConfig::parse(&yaml, Path::new("site.yaml")).unwrap();
        let english = crate::render::locale::Lang::new("en", &Default::default()).labels;
        assert_eq!(c.labels, english);
        assert_eq!(c.labels.len(), crate::config::LABEL_KEYS.len());
    }

    #[test]
    fn refuses_a_non_empty_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x"), "").unwrap();
        assert!(matches!(create_site(dir.path(), false), Err(Error::NotEmpty(_))));
        let fresh = dir.path().join("new");
        create_site(&fresh, false).unwrap();
        assert!(fresh.join("site.yaml").is_file() && fresh.join("content").is_dir());
    }
}
