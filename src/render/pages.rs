//! One function per kind of HTML page: build its context, render its
//! template. Every output of a build is a [`Job`], so the list of files is
//! known before anything is rendered (the link check needs that).

use std::sync::Arc;

use serde::Serialize;
use tera::Context;

use crate::config::{FeedFormat, SiteConfig};
use crate::content::chars::strip_forbidden_chars;
use crate::content::markdown;
use crate::error::FileError;
use crate::render::context::{ArticleView, FeedLink, Neighbour, PageMeta, Related, SiteContext, Social, Views};
use crate::render::templates::Templates;
use crate::site::paginate::{self, Page};
use crate::site::{SiteIndex, Taxonomy, Urls};

/// Something the build writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    Article(usize),
    Home(Page),
    TaxonomyList(Taxonomy),
    Term(Taxonomy, usize, Page),
    Year(usize),
    Month(usize, usize, Page),
    NotFound,
    /// A feed of the whole site (`None`) or of one term, in one format.
    Feed(FeedFormat, Option<(Taxonomy, usize)>),
    Sitemap,
    Robots,
    /// The Google News sitemap: the articles of the last two days.
    NewsSitemap,
    /// The search page.
    SearchPage,
    /// A data file of the search index ([`crate::render::search`]): made
    /// before rendering, from every article's words.
    SearchData(crate::render::search::SearchFile),
}

/// Every job of a site, in a stable order; `feeds`: the enabled feed formats.
pub fn jobs(index: &SiteIndex, per_page: usize, feeds: &[FeedFormat]) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..index.entries.len()).map(Job::Article).collect();
    jobs.extend(
        paginate::pages(index.entries.len(), per_page)
            .into_iter()
            .map(Job::Home),
    );
    for taxonomy in [Taxonomy::Topics, Taxonomy::Tags] {
        jobs.push(Job::TaxonomyList(taxonomy));
        for (t, term) in index.terms(taxonomy).iter().enumerate() {
            jobs.extend(
                paginate::pages(term.entries.len(), per_page)
                    .into_iter()
                    .map(|p| Job::Term(taxonomy, t, p)),
            );
            jobs.extend(feeds.iter().map(|&f| Job::Feed(f, Some((taxonomy, t)))));
        }
    }
    for (y, year) in index.years.iter().enumerate() {
        jobs.push(Job::Year(y));
        for (m, month) in year.months.iter().enumerate() {
            jobs.extend(
                paginate::pages(month.entries.len(), per_page)
                    .into_iter()
                    .map(|p| Job::Month(y, m, p)),
            );
        }
    }
    jobs.push(Job::NotFound);
    jobs.extend(feeds.iter().map(|&f| Job::Feed(f, None)));
    jobs.extend([Job::Sitemap, Job::Robots]);
    jobs
}

/// [`jobs`], with the Google News sitemap when `site.yaml` asks for it.
pub fn all_jobs(index: &SiteIndex, config: &SiteConfig, feeds: &[FeedFormat]) -> Vec<Job> {
    let mut all = jobs(index, config.paginate, feeds);
    if config.news.sitemap {
        all.push(Job::NewsSitemap);
    }
    all
}

/// The site-relative URL path of a job's output (`2022/01/x/`, `feed.xml`).
pub fn path(job: &Job, index: &SiteIndex, urls: &Urls) -> String {
    match job {
        Job::Article(i) => index.entries[*i].path.clone(),
        Job::Home(p) => urls.paginated("", p.number),
        Job::TaxonomyList(t) => urls.taxonomy(*t),
        Job::Term(t, i, p) => urls.paginated(&urls.term(*t, &index.terms(*t)[*i].slug), p.number),
        Job::Year(y) => Urls::year(index.years[*y].year),
        Job::Month(y, m, p) => {
            let month = &index.years[*y].months[*m];
            urls.paginated(&Urls::month(month.year, month.month), p.number)
        }
        Job::NotFound => "404.html".into(),
        Job::Feed(f, None) => Urls::feed("", *f),
        Job::Feed(f, Some((t, i))) => Urls::feed(&urls.term(*t, &index.terms(*t)[*i].slug), *f),
        Job::Sitemap => "sitemap.xml".into(),
        Job::Robots => "robots.txt".into(),
        Job::NewsSitemap => crate::render::news::FILE.into(),
        Job::SearchPage => crate::render::search::SearchFile::Page.path(&urls.search),
        Job::SearchData(file) => file.path(&urls.search),
    }
}

/// Article bodies as HTML, read from disk and rendered when a page needs
/// them. The bodies of articles shown in feeds are kept once rendered (a
/// feed needs fifty of them, and many feeds share articles); the rest are
/// rendered for their own page and dropped, so memory stays with metadata.
pub struct Bodies<'a> {
    index: &'a SiteIndex,
    allow_html: bool,
    kept: Vec<Option<KeptBody>>,
}

type KeptBody = std::sync::OnceLock<Result<Arc<str>, FileError>>;

impl<'a> Bodies<'a> {
    /// `keep[i]`: whether entry `i`'s body is kept once rendered.
    pub fn new(index: &'a SiteIndex, allow_html: bool, keep: &[bool]) -> Self {
        Bodies {
            index,
            allow_html,
            kept: keep.iter().map(|&k| k.then(std::sync::OnceLock::new)).collect(),
        }
    }

    /// Forbidden characters go before the Markdown is read, not only from
    /// the finished page: a feed carries the body in a CDATA section, where
    /// dropping one afterwards could close `]]\u{1}>` into `]]>`.
    fn render(&self, i: usize) -> Result<Arc<str>, FileError> {
        let body = self.index.entries[i].source.body()?;
        Ok(Arc::from(markdown::to_html(
            &strip_forbidden_chars(&body),
            self.allow_html,
        )))
    }

    /// Entry `i`'s body as HTML.
    pub fn html(&self, i: usize) -> Result<Arc<str>, FileError> {
        match self.kept.get(i).and_then(Option::as_ref) {
            Some(cell) => cell.get_or_init(|| self.render(i)).clone(),
            None => self.render(i),
        }
    }
}

/// Renders the HTML pages; feeds, sitemap and robots.txt have modules of their own.
pub struct PageRenderer<'a> {
    pub views: Views<'a>,
    pub templates: &'a Templates,
    pub config: &'a SiteConfig,
    pub site: &'a SiteContext,
    pub bodies: &'a Bodies<'a>,
}

/// A listing page's context but its articles, which are added as a
/// ready template value.
#[derive(Serialize)]
struct Listing<'a, T: Serialize> {
    page: PageMeta,
    paginator: crate::render::context::Paginator,
    #[serde(flatten)]
    extra: &'a T,
}

impl PageRenderer<'_> {
    fn urls(&self) -> &Urls {
        self.views.urls
    }

    fn index(&self) -> &SiteIndex {
        self.views.index
    }

    fn label(&self, key: &str) -> String {
        self.views.lang.labels.get(key).cloned().unwrap_or_default()
    }

    fn meta(
        &self,
        kind: &'static str,
        title: &str,
        description: &str,
        path: &str,
        mut feeds: Vec<FeedLink>,
    ) -> PageMeta {
        feeds.extend(self.site.feeds.iter().cloned());
        let image = self.config.social.image.as_deref().map(|i| self.asset_url(i));
        let social = Social {
            kind: "website",
            title: if title.is_empty() {
                self.config.title.clone()
            } else {
                title.to_string()
            },
            description: if description.is_empty() {
                self.site.description.clone()
            } else {
                description.to_string()
            },
            url: self.urls().absolute(path),
            site_name: self.config.title.clone(),
            locale: format!("{:?}", self.views.lang.locale),
            twitter_card: if image.is_some() {
                "summary_large_image"
            } else {
                "summary"
            },
            image,
            published_time: None,
            modified_time: None,
            section: None,
            tags: Vec::new(),
        };
        PageMeta {
            social,
            json_ld: None,
            kind,
            title: if title.is_empty() {
                self.config.title.clone()
            } else {
                format!("{title} – {}", self.config.title)
            },
            description: if description.is_empty() {
                self.site.description.clone()
            } else {
                description.to_string()
            },
            canonical: self.urls().absolute(path),
            url: self.urls().href(path),
            feeds,
        }
    }

    /// An image or logo from `site.yaml`: absolute as given, or a path in the site.
    fn asset_url(&self, value: &str) -> String {
        if crate::content::front_matter::is_http_url(value) {
            value.to_string()
        } else {
            self.urls().absolute(value.trim_start_matches('/'))
        }
    }

    fn paged_title(&self, title: &str, page: &Page) -> String {
        if page.number > 1 {
            format!(
                "{title} – {} {} {} {}",
                self.label("page"),
                page.number,
                self.label("of"),
                page.total
            )
        } else {
            title.to_string()
        }
    }

    fn context(template: &str, context: &impl Serialize) -> Result<Context, FileError> {
        Context::from_serialize(context)
            .map_err(|e| FileError::new(crate::Location::file(template), crate::Problem::Template(e.to_string())))
    }

    fn render(&self, template: &str, context: &impl Serialize) -> Result<Vec<u8>, FileError> {
        self.render_context(template, &Self::context(template, context)?)
    }

    fn render_context(&self, template: &str, context: &Context) -> Result<Vec<u8>, FileError> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.templates.render_to(template, context, &mut out)?;
        Ok(out)
    }

    /// Renders an HTML page job; `None` for jobs that are not HTML pages.
    pub fn render_job(&self, job: &Job) -> Option<Result<Vec<u8>, FileError>> {
        let index = self.index();
        let path = path(job, index, self.urls());
        Some(match job {
            Job::Article(i) => self.article(*i, &path),
            Job::Home(page) => {
                let meta = self.meta("home", &self.paged_title("", page), "", &path, Vec::new());
                let list: Vec<usize> = (page.range.clone()).collect();
                self.listing("index.html", meta, &list, "", page, &())
            }
            Job::TaxonomyList(t) => {
                let taxonomy = self.views.taxonomy(*t);
                let meta = self.meta("taxonomy_list", &taxonomy.name, "", &path, Vec::new());
                let terms: Vec<_> = index.terms(*t).iter().map(|term| self.views.term(term)).collect();
                #[derive(Serialize)]
                struct Ctx<'a> {
                    page: PageMeta,
                    taxonomy: crate::render::context::TaxonomyView,
                    terms: &'a [crate::render::context::TermLink],
                }
                self.render(
                    "taxonomy_list.html",
                    &Ctx {
                        page: meta,
                        taxonomy,
                        terms: &terms,
                    },
                )
            }
            Job::Term(t, i, page) => {
                let term = &index.terms(*t)[*i];
                let link = self.views.term(term);
                let taxonomy = self.views.taxonomy(*t);
                let own_feeds = FeedLink::all(
                    self.urls(),
                    &self.urls().term(*t, &term.slug),
                    &format!("{}: {} – {}", taxonomy.name, term.name, self.label("feed")),
                );
                let description = format!("{} {}: {}", self.label("articles_in"), taxonomy.name, term.name);
                let meta = self.meta(
                    "taxonomy_term",
                    &self.paged_title(&term.name, page),
                    &description,
                    &path,
                    own_feeds,
                );
                #[derive(Serialize)]
                struct Extra {
                    taxonomy: crate::render::context::TaxonomyView,
                    term: crate::render::context::TermLink,
                }
                let first = self.urls().term(*t, &term.slug);
                self.listing(
                    "taxonomy_term.html",
                    meta,
                    &term.entries[page.range.clone()],
                    &first,
                    page,
                    &Extra { taxonomy, term: link },
                )
            }
            Job::Year(y) => {
                let year = self.views.year(&index.years[*y]);
                let title = format!("{} {}", self.label("archive"), year.year);
                let meta = self.meta("year", &title, &title, &path, Vec::new());
                #[derive(Serialize)]
                struct Ctx {
                    page: PageMeta,
                    year: crate::render::context::YearLink,
                }
                self.render("archive_year.html", &Ctx { page: meta, year })
            }
            Job::Month(y, m, page) => {
                let year = self.views.year(&index.years[*y]);
                let month = year.months[*m].clone();
                let source = &index.years[*y].months[*m];
                let meta = self.meta(
                    "month",
                    &self.paged_title(&month.label, page),
                    &format!("{} {}", self.label("archive"), month.label),
                    &path,
                    Vec::new(),
                );
                #[derive(Serialize)]
                struct Extra {
                    year: crate::render::context::YearLink,
                    month: crate::render::context::MonthLink,
                }
                let first = Urls::month(month.year, month.month);
                self.listing(
                    "archive_month.html",
                    meta,
                    &source.entries[page.range.clone()],
                    &first,
                    page,
                    &Extra { year, month },
                )
            }
            Job::NotFound => {
                let title = self.label("not_found_title");
                let meta = self.meta("404", &title, &title, "404.html", Vec::new());
                #[derive(Serialize)]
                struct Ctx {
                    page: PageMeta,
                }
                self.render("404.html", &Ctx { page: meta })
            }
            Job::SearchPage => {
                let title = self.label("search");
                let meta = self.meta("search", &title, &title, &path, Vec::new());
                #[derive(Serialize)]
                struct Search {
                    index_url: String,
                    script_url: String,
                    articles: usize,
                }
                #[derive(Serialize)]
                struct Ctx {
                    page: PageMeta,
                    search: Search,
                }
                let dir = &self.urls().search;
                let search = Search {
                    index_url: self.urls().href(&crate::render::search::SearchFile::Meta.path(dir)),
                    script_url: self.urls().href("static/search.js"),
                    articles: index.entries.len(),
                };
                self.render("search.html", &Ctx { page: meta, search })
            }
            Job::Feed(..) | Job::Sitemap | Job::Robots | Job::NewsSitemap | Job::SearchData(_) => return None,
        })
    }

    fn listing(
        &self,
        template: &str,
        page: PageMeta,
        entries: &[usize],
        first: &str,
        pager: &Page,
        extra: &impl Serialize,
    ) -> Result<Vec<u8>, FileError> {
        let listing = Listing {
            page,
            paginator: self.views.paginator(first, pager.number, pager.total),
            extra,
        };
        let mut context = Self::context(template, &listing)?;
        context.insert_value("articles", self.views.summaries(entries));
        self.render_context(template, &context)
    }

    fn article(&self, i: usize, path: &str) -> Result<Vec<u8>, FileError> {
        let index = self.index();
        let entry = &index.entries[i];
        let front = &entry.source.front;
        let summary = self.views.summary(i);
        let topic_feeds: Vec<FeedLink> = entry
            .topics
            .iter()
            .flat_map(|&t| {
                let term = &index.topics[t];
                FeedLink::all(
                    self.urls(),
                    &self.urls().term(Taxonomy::Topics, &term.slug),
                    &format!("{}: {} – {}", self.label("topic"), term.name, self.label("feed")),
                )
            })
            .collect();
        let description = front.summary.clone().unwrap_or_default();
        let mut meta = self.meta("article", &front.title, &description, path, topic_feeds);
        let published = crate::content::date::format(&front.date);
        let modified = front
            .updated
            .as_ref()
            .map_or_else(|| published.clone(), crate::content::date::format);
        let topic_names: Vec<&str> = entry.topics.iter().map(|&t| index.topics[t].name.as_str()).collect();
        let tag_names: Vec<&str> = entry.tags.iter().map(|&t| index.tags[t].name.as_str()).collect();
        let language = front.language.clone().unwrap_or_else(|| self.config.language.clone());
        let canonical = meta.canonical.clone();
        let logo = self.config.social.logo.as_deref().map(|l| self.asset_url(l));
        let json_ld = crate::render::jsonld::NewsArticle {
            title: &front.title,
            summary: front.summary.as_deref(),
            published: published.clone(),
            modified: modified.clone(),
            authors: &front.authors,
            sources: &front.sources,
            keywords: tag_names.clone(),
            sections: topic_names.clone(),
            language: &language,
            url: &canonical,
            site_title: &self.config.title,
            site_url: &self.site.base_url,
            logo: logo.as_deref(),
            image: meta.social.image.as_deref(),
        };
        meta.json_ld = Some(crate::render::jsonld::script_safe(&json_ld.value()));
        meta.social.kind = "article";
        meta.social.published_time = Some(published);
        meta.social.modified_time = Some(modified);
        meta.social.section = topic_names.first().map(|s| s.to_string());
        meta.social.tags = tag_names.iter().map(|s| s.to_string()).collect();
        let article = ArticleView {
            permalink: self.urls().absolute(path),
            updated: front.updated.as_ref().map(crate::content::date::format),
            updated_display: front
                .updated
                .map(|u| self.views.lang.day(&u.with_timezone(&self.config.timezone))),
            tags: entry
                .tags
                .iter()
                .map(|&t| self.views.term_ref(&index.tags[t]))
                .collect(),
            authors: front.authors.clone(),
            sources: front.sources.clone(),
            language,
            source_url: front.source_url.clone(),
            content: self.bodies.html(i)?.to_string(),
            extra: front.extra.clone(),
            year_url: self
                .urls()
                .href(&Urls::year(entry.local.format("%Y").to_string().parse().unwrap_or(0))),
            month_url: self.urls().href(&format!("{}/", entry.local.format("%Y/%m"))),
            summary,
        };
        let neighbour = |j: usize| {
            let e = &index.entries[j];
            Neighbour {
                title: e.source.front.title.clone(),
                url: self.urls().href(&e.path),
            }
        };
        let related: Vec<Related> = crate::site::related::related(index, i, self.config.related.limit)
            .into_iter()
            .map(|j| {
                let e = &index.entries[j];
                Related {
                    title: e.source.front.title.clone(),
                    kicker: e.source.front.kicker.clone(),
                    url: self.urls().href(&e.path),
                    date: crate::content::date::format(&e.source.front.date),
                    date_display: self.views.lang.day(&e.local),
                }
            })
            .collect();
        #[derive(Serialize)]
        struct Ctx {
            page: PageMeta,
            article: ArticleView,
            newer: Option<Neighbour>,
            older: Option<Neighbour>,
            related: Vec<Related>,
        }
        self.render(
            "article.html",
            &Ctx {
                page: meta,
                article,
                newer: i.checked_sub(1).map(neighbour),
                older: (i + 1 < index.entries.len()).then(|| neighbour(i + 1)),
                related,
            },
        )
        .map_err(|mut e| {
            // A failing article page is most likely about this article.
            if let crate::Problem::Template(report) = &mut e.problem {
                report.push_str(&format!("\n(while rendering {})", entry.source.path.display()));
            }
            e
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::chars::find_forbidden;
    use crate::render::context::SiteContext;

    #[test]
    fn control_characters_in_scraped_text_never_reach_a_page() {
        let dir = tempfile::tempdir().unwrap();
        let (config, index, urls, lang) = crate::render::test_support::one_article(
            dir.path(),
            "---\ntitle: \"Ti\\x01tel\\uFFFE\"\ndate: 2022-01-21\nkicker: \"\\x1b[31mrot\"\n\
             tags: [\"\\x7fNATO\"]\n---\n\nText\u{0}\u{b} mit\u{85} Steuerzeichen\n",
        );
        let site = SiteContext {
            title: "Blatt".into(),
            description: String::new(),
            language: "de".into(),
            base_url: urls.base_url().to_string(),
            base_path: urls.base_path().to_string(),
            home_url: urls.href(""),
            feed_url: urls.absolute("feed.xml"),
            feeds: FeedLink::all(&urls, "", "Blatt – Feed"),
            topics_url: urls.href(&urls.taxonomy(Taxonomy::Topics)),
            tags_url: urls.href(&urls.taxonomy(Taxonomy::Tags)),
            stylesheet_url: urls.href("static/style.css"),
            favicon_url: urls.href("static/favicon.svg"),
            labels: lang.labels.clone(),
            nav_topics: Vec::new(),
            years: Vec::new(),
            search_url: None,
        };
        let mut templates = Templates::load(&dir.path().join("templates"), &lang).unwrap();
        templates.set_global("site", &site);
        let bodies = Bodies::new(&index, false, &[false]);
        let renderer = PageRenderer {
            views: Views::new(&index, &urls, &lang),
            templates: &templates,
            config: &config,
            site: &site,
            bodies: &bodies,
        };
        for job in jobs(&index, 20, &FeedFormat::ALL) {
            let Some(page) = renderer.render_job(&job) else {
                continue;
            };
            let page = String::from_utf8(page.unwrap()).unwrap();
            assert_eq!(find_forbidden(page.as_bytes()), None, "{job:?}: {page:?}");
            if job == Job::Article(0) {
                for shown in [
                    "<h1>Titel</h1>",
                    "[31mrot",
                    ">NATO</a>",
                    "<p>Text mit Steuerzeichen</p>",
                ] {
                    assert!(page.contains(shown), "{shown} not in {page}");
                }
            }
        }
    }
}
