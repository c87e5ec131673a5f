//! What templates see. Each struct here is documented, field by field, in
//! `templates/README.md`; listing pages get [`Summary`] values, never whole
//! articles, so a page of twenty items does not copy twenty bodies.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::render::locale::Lang;
use crate::site::paginate::Page;
use crate::site::{SiteIndex, Taxonomy, Term, Urls, Year};

/// `site`: the same on every page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteContext {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: String,
    pub base_path: String,
    pub home_url: String,
    /// The site's main feed (the first enabled format), absolute; empty
    /// when the site has no feeds.
    pub feed_url: String,
    /// The site's feeds, one per enabled format.
    pub feeds: Vec<FeedLink>,
    pub topics_url: String,
    pub tags_url: String,
    /// The list of authors.
    #[serde(default)]
    pub authors_url: String,
    pub stylesheet_url: String,
    pub favicon_url: String,
    pub labels: BTreeMap<String, String>,
    /// The topics with the most articles, for the navigation.
    pub nav_topics: Vec<TermRef>,
    /// Every year with articles, newest first (without counts, so that a new
    /// article does not change every page of the site); empty unless one of
    /// the site's own templates reads it (`with_years`), as a new year would
    /// change every page.
    pub years: Vec<YearRef>,
    /// The archive's overview of every year and month; none while the site
    /// has no articles. The footer links it instead of listing the years:
    /// a list that grows by a line a year, on every page.
    #[serde(default)]
    pub archive_url: Option<String>,
    /// The search page, when search is enabled.
    #[serde(default)]
    pub search_url: Option<String>,
}

impl SiteContext {
    /// The `site` value of a site with `index`.
    pub fn new(
        config: &crate::config::SiteConfig,
        index: &SiteIndex,
        urls: &Urls,
        lang: &Lang,
        with_years: bool,
    ) -> SiteContext {
        let views = Views::new(index, urls, lang);
        let mut nav: Vec<&Term> = index.topics.iter().collect();
        nav.sort_by(|a, b| b.entries.len().cmp(&a.entries.len()).then_with(|| a.slug.cmp(&b.slug)));
        SiteContext {
            title: config.title.clone(),
            description: config.description.clone(),
            language: config.language.clone(),
            base_url: urls.base_url().to_string(),
            base_path: urls.base_path().to_string(),
            home_url: urls.href(""),
            feed_url: urls.main_feed().map(|f| urls.absolute(&f)).unwrap_or_default(),
            feeds: FeedLink::all(
                &urls.feeds,
                urls,
                "",
                &format!(
                    "{} – {}",
                    config.title,
                    lang.labels.get("feed").map_or("", String::as_str)
                ),
            ),
            topics_url: urls.href(&urls.taxonomy(Taxonomy::Topics)),
            tags_url: urls.href(&urls.taxonomy(Taxonomy::Tags)),
            authors_url: urls.href(&urls.taxonomy(Taxonomy::Authors)),
            stylesheet_url: urls.href("static/style.css"),
            favicon_url: urls.href("static/favicon.svg"),
            labels: lang.labels.clone(),
            nav_topics: nav.into_iter().take(NAV_TOPICS).map(|t| views.term_ref(t)).collect(),
            years: index
                .years
                .iter()
                .filter(|_| with_years)
                .map(|y| YearRef {
                    year: y.year,
                    url: urls.href(&Urls::year(y.year)),
                })
                .collect(),
            archive_url: (!index.years.is_empty()).then(|| urls.href(&urls.archive())),
            search_url: config
                .search
                .enabled
                .then(|| urls.href(&crate::render::search::SearchFile::Page.path(&urls.search))),
        }
    }
}

/// The topics the main navigation names: those with the most articles.
pub const NAV_TOPICS: usize = 5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearRef {
    pub year: i32,
    pub url: String,
}

/// `page`: what the `<head>` of every page needs.
#[derive(Debug, Clone, Serialize)]
pub struct PageMeta {
    /// `home`, `article`, `taxonomy_list`, `taxonomy_term`, `archive`, `year`, `month`, `404`.
    pub kind: &'static str,
    /// The document title (`<title>`).
    pub title: String,
    pub description: String,
    /// Absolute URL of this page.
    pub canonical: String,
    /// Site-relative link of this page (`/2022/01/x/`).
    pub url: String,
    /// Feeds to announce in `<link rel="alternate">`, most specific first.
    pub feeds: Vec<FeedLink>,
    /// Open Graph and Twitter card values for link previews.
    pub social: Social,
    /// schema.org JSON-LD, escaped so that it cannot end its `<script>`
    /// (print it with `| safe`); article pages only.
    pub json_ld: Option<String>,
}

/// `page.social`: what link previews (Open Graph, Twitter cards) show.
#[derive(Debug, Clone, Serialize)]
pub struct Social {
    /// `article` or `website`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The page's own title, without the site title.
    pub title: String,
    pub description: String,
    pub url: String,
    pub site_name: String,
    /// `de_DE`.
    pub locale: String,
    /// Absolute: the article's lead image, else the site's share image.
    pub image: Option<String>,
    /// The lead image's description, when the article gives one.
    pub image_alt: Option<String>,
    /// `summary`, or `summary_large_image` with an image.
    pub twitter_card: &'static str,
    /// Whether the head repeats title, description and image as
    /// `twitter:*` tags (`social.twitter_tags`); X reads the Open Graph
    /// ones when they are absent.
    pub twitter_tags: bool,
    /// Article pages: RFC 3339.
    pub published_time: Option<String>,
    pub modified_time: Option<String>,
    /// Article pages: the first topic.
    pub section: Option<String>,
    pub tags: Vec<String>,
}

/// An entry of `related` on an article page.
#[derive(Debug, Clone, Serialize)]
pub struct Related {
    pub title: String,
    pub kicker: Option<String>,
    pub url: String,
    pub date: String,
    pub date_display: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedLink {
    pub title: String,
    /// Absolute.
    pub url: String,
    /// The media type (`application/atom+xml`).
    pub r#type: String,
    /// The format's name (`Atom`), for a link text.
    pub name: String,
}

impl FeedLink {
    /// The feeds of the listing whose first page is `first`, one per
    /// format of `formats` (the site's or the terms' list in [`Urls`]);
    /// `title` names the listing's feed.
    pub fn all(formats: &[crate::config::FeedFormat], urls: &Urls, first: &str, title: &str) -> Vec<FeedLink> {
        formats
            .iter()
            .map(|&f| FeedLink {
                title: format!("{title} ({})", f.name()),
                url: urls.absolute(&Urls::feed(first, f)),
                r#type: f.media_type().to_string(),
                name: f.name().to_string(),
            })
            .collect()
    }
}

/// A link to a topic or tag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermRef {
    pub name: String,
    pub slug: String,
    pub url: String,
    pub feed_url: String,
}

/// A link to a topic or tag with its number of articles, for term lists
/// and term pages.
#[derive(Debug, Clone, Serialize)]
pub struct TermLink {
    #[serde(flatten)]
    pub term: TermRef,
    /// Not on a term's archive pages, which would otherwise change with
    /// every new article of the term.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
}

/// An article in a list.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub title: String,
    pub kicker: Option<String>,
    pub summary: Option<String>,
    pub url: String,
    /// RFC 3339, for `<time datetime>` and the `date` filter.
    pub date: String,
    /// In the site's language: `21. Januar 2022`.
    pub date_display: String,
    pub topics: Vec<TermRef>,
}

/// `article` on an article page.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    #[serde(flatten)]
    pub summary: Summary,
    pub permalink: String,
    pub updated: Option<String>,
    pub updated_display: Option<String>,
    pub tags: Vec<TermRef>,
    pub authors: Vec<String>,
    /// The authors with a link to their page (`url` is `None` for an author
    /// with fewer articles than `min_articles.authors`).
    pub bylines: Vec<Byline>,
    pub sources: Vec<String>,
    pub language: String,
    pub source_url: Option<String>,
    /// The lead image, shown above the body.
    pub image: Option<LeadImage>,
    /// The body as HTML (render with `| safe`).
    pub content: String,
    pub extra: serde_yaml::Mapping,
    pub year_url: String,
    pub month_url: String,
}

/// An author of an article, as its byline shows them.
#[derive(Debug, Clone, Serialize)]
pub struct Byline {
    pub name: String,
    /// Site-relative link of the author's page.
    pub url: Option<String>,
}

/// `article.image`: an article's lead image.
#[derive(Debug, Clone, Serialize)]
pub struct LeadImage {
    /// For `src`: a path in the site under the base path (so that a
    /// preview on another host shows it), or the absolute URL as given.
    pub src: String,
    /// Absolute, for anything read outside the site.
    pub url: String,
    /// Empty when the article does not describe the image: an empty `alt`
    /// tells screen readers to skip it rather than read its address.
    pub alt: String,
    pub caption: Option<String>,
}

/// `newer` / `older` on an article page.
#[derive(Debug, Clone, Serialize)]
pub struct Neighbour {
    pub title: String,
    pub url: String,
}

/// `paginator` on listing pages (see [`crate::site::paginate`]: pages
/// count from the oldest, so no page shows how many there are).
#[derive(Debug, Clone, Serialize)]
pub struct Paginator {
    /// 0 on the front page, else the archive page's number (1: the oldest).
    pub current: usize,
    /// The front page (the newest articles) and the oldest page.
    pub first_url: String,
    pub last_url: String,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    pub pages: Vec<PageLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Pages are left out before this one: the paginator shows `…` there.
    pub gap_before: bool,
}

/// `taxonomy` on topic and tag pages.
#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyView {
    /// `topics` or `tags`.
    pub kind: Taxonomy,
    /// In the site's language: `Themen`.
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearLink {
    pub year: i32,
    pub url: String,
    pub count: usize,
    pub months: Vec<MonthLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthLink {
    pub year: i32,
    pub month: u32,
    /// `Januar`.
    pub name: String,
    /// `Januar 2022`.
    pub label: String,
    pub url: String,
    pub count: usize,
}

/// `newer_month` / `older_month` on a month's archive: the nearest months
/// with articles.
#[derive(Debug, Clone, Serialize)]
pub struct MonthRef {
    /// `Januar 2022`.
    pub label: String,
    pub url: String,
}

/// How many of an article's topics a listing shows, and how many topics and
/// tags each feed item carries as categories; the article's own page shows
/// them all. An article is listed on the page and in the feeds of each of
/// its terms, so all of them there would grow with the square of their
/// number: 1 000 topics on one article wrote 221 MB.
pub const LISTED_TERMS: usize = 10;

/// Builds context values from the site index. Term links and article
/// summaries are made once per build and cloned where shown: a summary
/// appears on its home page, month page and every term page of the article.
pub struct Views<'a> {
    pub index: &'a SiteIndex,
    pub urls: &'a Urls,
    pub lang: &'a Lang,
    topic_refs: Vec<TermRef>,
    tag_refs: Vec<TermRef>,
    author_refs: Vec<TermRef>,
    /// The topic links as template values, made once: every summary of
    /// an article lists its topics, and a map per topic per summary held
    /// for 100 000 articles weighed 140 MB; clones share the one map.
    topic_values: Vec<tera::Value>,
    /// Summaries as template values without their `summary` text, made
    /// once: an article is listed on its home page, month page and every
    /// term page, and cloning a template value copies no text. The pages
    /// that show the text (`listing.summaries`) add it to a copy.
    briefs: Vec<std::sync::OnceLock<tera::Value>>,
}

impl<'a> Views<'a> {
    pub fn new(index: &'a SiteIndex, urls: &'a Urls, lang: &'a Lang) -> Self {
        let refs = |terms: &[Term]| terms.iter().map(|t| Self::make_term_ref(urls, t)).collect();
        let topic_refs: Vec<TermRef> = refs(&index.topics);
        Views {
            index,
            urls,
            lang,
            topic_values: topic_refs.iter().map(tera::Value::from_serializable).collect(),
            topic_refs,
            tag_refs: refs(&index.tags),
            author_refs: refs(&index.authors),
            briefs: (0..index.entries.len()).map(|_| std::sync::OnceLock::new()).collect(),
        }
    }

    fn make_term_ref(urls: &Urls, term: &Term) -> TermRef {
        Self::named_term_ref(urls, term.taxonomy, &term.name, &term.slug)
    }

    fn named_term_ref(urls: &Urls, taxonomy: Taxonomy, name: &str, slug: &str) -> TermRef {
        let path = urls.term(taxonomy, slug);
        TermRef {
            name: name.to_string(),
            slug: slug.to_string(),
            url: urls.href(&path),
            feed_url: urls.main_term_feed(&path).map(|f| urls.href(&f)).unwrap_or_default(),
        }
    }

    /// The link of a term known by name and count only: the list of a
    /// taxonomy's terms, which an edit renders without the terms' articles.
    pub fn counted_term(&self, taxonomy: Taxonomy, name: &str, slug: &str, count: usize) -> TermLink {
        TermLink {
            term: self.cached_term_ref(taxonomy, name, slug),
            count: Some(count),
        }
    }

    pub fn term_ref(&self, term: &Term) -> TermRef {
        self.cached_term_ref(term.taxonomy, &term.name, &term.slug)
    }

    /// The index's link of a term where it has one: its terms, and so their
    /// links, are sorted by slug, and an overview of 2 000 authors made
    /// each one's URLs again (or looked it up among all of them).
    fn cached_term_ref(&self, taxonomy: Taxonomy, name: &str, slug: &str) -> TermRef {
        let cached = match taxonomy {
            Taxonomy::Topics => &self.topic_refs,
            Taxonomy::Tags => &self.tag_refs,
            Taxonomy::Authors => &self.author_refs,
        };
        match cached.binary_search_by(|r| r.slug.as_str().cmp(slug)) {
            Ok(at) if cached[at].name == name => cached[at].clone(),
            _ => Self::named_term_ref(self.urls, taxonomy, name, slug),
        }
    }

    /// The link of topic (or tag) number `t`.
    pub fn topic_ref(&self, t: usize) -> TermRef {
        self.topic_refs[t].clone()
    }

    pub fn tag_ref(&self, t: usize) -> TermRef {
        self.tag_refs[t].clone()
    }

    pub fn term(&self, term: &Term) -> TermLink {
        TermLink {
            term: self.term_ref(term),
            count: Some(term.entries.len()),
        }
    }

    /// The summary of entry `i`.
    pub fn summary(&self, i: usize) -> Summary {
        let entry = &self.index.entries[i];
        let mut summary = self.summary_without_topics(i);
        summary.topics = entry.topics.iter().map(|&t| self.topic_ref(t)).collect();
        summary
    }

    fn summary_without_topics(&self, i: usize) -> Summary {
        let entry = &self.index.entries[i];
        let front = &self.index.source(entry).front;
        Summary {
            title: front.title.clone(),
            kicker: front.kicker.clone(),
            summary: front.summary.clone(),
            url: self.urls.href(&entry.path),
            date: crate::content::date::format(&front.date),
            date_display: self.lang.day(&entry.local),
            topics: Vec::new(),
        }
    }

    /// Entry `i`'s summary as a template value, with its first
    /// [`LISTED_TERMS`] topics and no `summary` text: the value of
    /// [`Views::summary`] so cut, its topics shared with every other brief.
    fn brief(&self, i: usize) -> tera::Value {
        let entry = &self.index.entries[i];
        let mut summary = self.summary_without_topics(i);
        summary.summary = None;
        let topics: Vec<tera::Value> = entry
            .topics
            .iter()
            .take(LISTED_TERMS)
            .map(|&t| self.topic_values[t].clone())
            .collect();
        let mut map = tera::Value::from_serializable(&summary)
            .into_map()
            .expect("a summary serialises as a map");
        map.insert("topics".into(), tera::Value::from(topics));
        tera::Value::from(map)
    }

    /// The summaries of `entries` as one template value, each with its
    /// first [`LISTED_TERMS`] topics, and its `summary` none unless
    /// `with_summaries` (`listing.summaries`).
    pub fn summaries(&self, entries: &[usize], with_summaries: bool) -> tera::Value {
        let values: Vec<tera::Value> = entries
            .iter()
            .map(|&i| {
                let brief = self.briefs[i].get_or_init(|| self.brief(i));
                match &self.index.article(i).front.summary {
                    Some(text) if with_summaries => {
                        // The cached map shares its values: this copies
                        // pointers and the summary, on front pages only by
                        // default.
                        let mut map = brief.clone().into_map().expect("a summary serialises as a map");
                        map.insert("summary".into(), tera::Value::from(text.as_str()));
                        tera::Value::from(map)
                    }
                    _ => brief.clone(),
                }
            })
            .collect();
        tera::Value::from(values)
    }

    pub fn year(&self, year: &Year) -> YearLink {
        YearLink {
            year: year.year,
            url: self.urls.href(&Urls::year(year.year)),
            count: year.count(),
            months: year
                .months
                .iter()
                .map(|m| MonthLink {
                    year: m.year,
                    month: m.month,
                    name: self.lang.month_name(m.month),
                    label: self.lang.month_year(m.year, m.month),
                    url: self.urls.href(&Urls::month(m.year, m.month)),
                    count: m.entries.len(),
                })
                .collect(),
        }
    }

    pub fn month_ref(&self, year: i32, month: u32) -> MonthRef {
        MonthRef {
            label: self.lang.month_year(year, month),
            url: self.urls.href(&Urls::month(year, month)),
        }
    }

    pub fn taxonomy(&self, taxonomy: Taxonomy) -> TaxonomyView {
        let key = match taxonomy {
            Taxonomy::Topics => "topics",
            Taxonomy::Tags => "tags",
            Taxonomy::Authors => "authors",
        };
        TaxonomyView {
            kind: taxonomy,
            name: self.lang.labels.get(key).cloned().unwrap_or_default(),
            url: self.urls.href(&self.urls.taxonomy(taxonomy)),
        }
    }

    /// The paginator for `page` of the listing whose front page is `first`.
    pub fn paginator(&self, first: &str, page: &Page) -> Paginator {
        let url = |n: usize| self.urls.href(&self.urls.paginated(first, n));
        let oldest = page.window.last().map_or(0, |&(n, _)| n);
        Paginator {
            current: page.number,
            first_url: url(0),
            last_url: url(oldest),
            prev_url: page.newer.map(url),
            next_url: page.older.map(url),
            pages: page
                .window
                .iter()
                .map(|&(n, gap)| PageLink {
                    number: n,
                    url: url(n),
                    current: n == page.number,
                    gap_before: gap,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_brief_is_the_summary_cut_to_its_listed_topics_without_text() {
        let dir = tempfile::tempdir().unwrap();
        let topics: Vec<String> = (0..LISTED_TERMS + 2).map(|t| format!("- Thema {t}")).collect();
        let text = format!(
            "---\ntitle: Titel\ndate: 2022-01-21T10:00:00+01:00\nkicker: Dachzeile\nsummary: Worum es geht\ntopics:\n{}\n---\n\nText.\n",
            topics.join("\n")
        );
        let (_, index, urls, lang) = crate::render::test_support::one_article(dir.path(), &text);
        let views = Views::new(&index, &urls, &lang);
        let mut expected = views.summary(0);
        assert_eq!(expected.topics.len(), LISTED_TERMS + 2);
        expected.topics.truncate(LISTED_TERMS);
        expected.summary = None;
        assert!(views.brief(0) == tera::Value::from_serializable(&expected));
        let listed = views.summaries(&[0], true);
        let mut with_text = expected;
        with_text.summary = Some("Worum es geht".into());
        assert!(listed == tera::Value::from(vec![tera::Value::from_serializable(&with_text)]));
    }
}
