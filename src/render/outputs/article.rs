//! Article pages: `/2022/01/<slug>/`, one per published article.

use std::path::Path;

use serde::Serialize;

use crate::config::{ArticleLinks, FeedFormat};
use crate::error::{FileError, Problem, RenderProblem};
use crate::render::context::{ArticleView, Byline, FeedLink, LeadImage, Neighbour, PageMeta, Related, TermRef};
use crate::render::links;
use crate::render::outputs::sitemap::entry_day;
use crate::render::outputs::{Output, Rendered, Scope, Signatures, SitemapUrl};
use crate::render::page::PageRenderer;
use crate::site::{Taxonomy, Urls};
use crate::text::slug::slugify;

/// The pages of some entries of the index (all of them, but for a body edit).
pub struct ArticlePages {
    entries: Vec<usize>,
}

impl ArticlePages {
    pub fn all(s: &Scope) -> ArticlePages {
        ArticlePages::only((0..s.index.entries.len()).collect())
    }

    pub fn only(entries: Vec<usize>) -> ArticlePages {
        ArticlePages { entries }
    }
}

impl Output for ArticlePages {
    fn count(&self) -> usize {
        self.entries.len()
    }

    fn path(&self, s: &Scope, n: usize) -> String {
        s.index.entries[self.entries[n]].path.clone()
    }

    fn signature(&self, s: &Scope, sig: &Signatures, n: usize) -> u128 {
        let i = self.entries[n];
        let index = s.index;
        let mut h = sig.start("article");
        h.hash(sig.article(i));
        for neighbour in [i.checked_sub(1), Some(i + 1).filter(|&n| n < index.entries.len())] {
            match neighbour {
                Some(n) => h.str(&index.article(n).front.title).str(&index.entries[n].path),
                None => h.str(""),
            };
        }
        // A related article shows its title, kicker, date and path, not its
        // summary.
        let related = crate::site::related::related(index, i, s.config.related.limit);
        h.str("related");
        sig.list(&mut h, related.into_iter(), false);
        h.finish()
    }

    fn render(&self, r: &PageRenderer, n: usize) -> Result<Rendered, FileError> {
        let i = self.entries[n];
        let path = self.path(&r.scope, n);
        let body = r.bodies.html(i)?;
        let html = article(r, i, &path, &body)?;
        // The lead image is checked with the body's links: a kept page is
        // not checked again, and its image may have gone from static/.
        let mut checked = links::internal(&body, &path, r.urls());
        let front = &r.index().article(i).front;
        if let Some(image) = front.image.as_deref() {
            checked.extend(links::internal_target(&r.urls().asset_href(image), &path, r.urls()));
            checked.sort();
            checked.dedup();
        }
        Ok(Rendered {
            files: vec![(crate::site::output_file(&path), html)],
            body_links: Some(checked),
        })
    }

    fn is_page(&self, _n: usize) -> bool {
        true
    }

    fn sitemap(&self, s: &Scope, n: usize) -> Option<SitemapUrl> {
        Some(SitemapUrl {
            path: self.path(s, n),
            lastmod: Some(entry_day(s, self.entries[n])),
        })
    }

    fn sitemap_last_first(&self) -> bool {
        true
    }

    fn origin<'a>(&self, s: &Scope<'a>, n: usize) -> Option<&'a Path> {
        Some(s.index.article(self.entries[n]).path.as_path())
    }
}

/// Every tag the article names, once per slug, in its order: a reader sees
/// how the article was tagged even where a tag has too few articles for a
/// page (`min_articles.tags`). Such a tag keeps the article's spelling and an
/// empty `url`, so the theme shows it as text, not as a link to nowhere.
fn shown_tags(r: &PageRenderer, names: &[String]) -> Vec<TermRef> {
    let pages = r.index().terms(Taxonomy::Tags);
    let mut shown: Vec<TermRef> = Vec::with_capacity(names.len());
    for name in names {
        let slug = slugify(name);
        if shown.iter().any(|t| t.slug == slug) {
            continue;
        }
        shown.push(match pages.binary_search_by(|t| t.slug.as_str().cmp(&slug)) {
            Ok(t) => r.views.tag_ref(t),
            Err(_) => TermRef {
                name: name.clone(),
                slug,
                url: String::new(),
                feed_url: String::new(),
            },
        });
    }
    shown
}

fn article(r: &PageRenderer, i: usize, path: &str, body: &str) -> Result<Vec<u8>, FileError> {
    let index = r.index();
    let config = r.scope.config;
    let entry = &index.entries[i];
    let front = &index.source(entry).front;
    let summary = r.views.summary(i);
    let all_formats = config.feed.article_links == ArticleLinks::All;
    let first_only = |formats: &[FeedFormat]| -> usize {
        if all_formats {
            formats.len()
        } else {
            formats.len().min(1)
        }
    };
    let term_formats = &r.urls().term_feeds[..first_only(&r.urls().term_feeds)];
    let topic_feeds: Vec<FeedLink> = entry
        .topics
        .iter()
        .flat_map(|&t| {
            let term = &index.topics[t];
            FeedLink::all(
                term_formats,
                r.urls(),
                &r.urls().term(Taxonomy::Topics, &term.slug),
                &format!("{}: {} – {}", r.label("topic"), term.name, r.label("feed")),
            )
        })
        .collect();
    let topic_links = topic_feeds.len();
    let description = front.summary.clone().unwrap_or_default();
    let mut meta = r.meta("article", &front.title, &description, path, topic_feeds);
    // The site's feeds follow its topics', in the formats' order.
    meta.feeds.truncate(topic_links + first_only(&r.urls().feeds));
    let published = crate::content::date::format(&front.date);
    let modified = front
        .updated
        .as_ref()
        .map_or_else(|| published.clone(), crate::content::date::format);
    let topic_names: Vec<&str> = entry.topics.iter().map(|&t| index.topics[t].name.as_str()).collect();
    let tag_names: Vec<&str> = entry.tags.iter().map(|&t| index.tags[t].name.as_str()).collect();
    let language = front.language.clone().unwrap_or_else(|| config.language.clone());
    let canonical = meta.canonical.clone();
    // An author's page is named by the slug the index gave the name, so a
    // byline written `Anna müller` still finds `Anna Müller`'s page.
    let author_pages: Vec<Option<String>> = front
        .authors
        .iter()
        .map(|name| {
            let term = index.find_term(Taxonomy::Authors, name)?;
            Some(r.urls().term(Taxonomy::Authors, &term.slug))
        })
        .collect();
    let bylines: Vec<Byline> = front
        .authors
        .iter()
        .zip(&author_pages)
        .map(|(name, page)| Byline {
            name: name.clone(),
            url: page.as_ref().map(|p| r.urls().href(p)),
        })
        .collect();
    let author_urls: Vec<(&str, Option<String>)> = front
        .authors
        .iter()
        .zip(&author_pages)
        .map(|(name, page)| (name.as_str(), page.as_ref().map(|p| r.urls().absolute(p))))
        .collect();
    let logo = config.social.logo.as_deref().map(|l| r.asset_url(l));
    let image = front.image.as_deref().map(|value| LeadImage {
        src: r.urls().asset_href(value),
        url: r.asset_url(value),
        alt: front.image_alt.clone().unwrap_or_default(),
        caption: front.image_caption.clone().filter(|c| !c.trim().is_empty()),
    });
    if let Some(image) = &image {
        meta.social.image = Some(image.url.clone());
        meta.social.image_alt = front.image_alt.clone().filter(|a| !a.trim().is_empty());
        meta.social.twitter_card = "summary_large_image";
    }
    // The JSON-LD's description, when asked for, is the head's.
    let json_ld_description = front
        .summary
        .as_deref()
        .filter(|_| config.social.json_ld_description)
        .map(|s| r.description(s));
    let json_ld = crate::render::jsonld::NewsArticle {
        title: &front.title,
        summary: json_ld_description.as_deref(),
        published: published.clone(),
        modified: modified.clone(),
        authors: author_urls,
        sources: &front.sources,
        keywords: tag_names.clone(),
        sections: topic_names.clone(),
        language: &language,
        url: &canonical,
        site_title: &config.title,
        site_url: &r.site.base_url,
        logo: logo.as_deref(),
        image: meta.social.image.as_deref(),
        repeats: config.social.json_ld_repeats,
        dateline: front.extra.get("dateline").and_then(|v| v.as_str()),
    };
    meta.json_ld = Some(crate::render::jsonld::script_safe(&json_ld.value()));
    meta.social.kind = "article";
    meta.social.published_time = Some(published);
    meta.social.modified_time = Some(modified);
    meta.social.section = topic_names.first().map(|s| s.to_string());
    meta.social.tags = tag_names.iter().map(|s| s.to_string()).collect();
    let article = ArticleView {
        permalink: r.urls().absolute(path),
        updated: front.updated.as_ref().map(crate::content::date::format),
        updated_display: front
            .updated
            .map(|u| r.views.lang.day(&u.with_timezone(&config.timezone))),
        tags: shown_tags(r, &front.tags),
        authors: front.authors.clone(),
        bylines,
        sources: front.sources.clone(),
        language,
        source_url: front.source_url.clone(),
        image,
        content: body.to_string(),
        extra: front.extra.clone(),
        year_url: r
            .urls()
            .href(&Urls::year(entry.local.format("%Y").to_string().parse().unwrap_or(0))),
        month_url: r.urls().href(&format!("{}/", entry.local.format("%Y/%m"))),
        summary,
    };
    let neighbour = |j: usize| {
        let e = &index.entries[j];
        Neighbour {
            title: index.source(e).front.title.clone(),
            url: r.urls().href(&e.path),
        }
    };
    let related: Vec<Related> = crate::site::related::related(index, i, config.related.limit)
        .into_iter()
        .map(|j| {
            let e = &index.entries[j];
            let f = &index.source(e).front;
            Related {
                title: f.title.clone(),
                kicker: f.kicker.clone(),
                url: r.urls().href(&e.path),
                date: crate::content::date::format(&f.date),
                date_display: r.views.lang.day(&e.local),
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
    r.render(
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
        if let Problem::Render(RenderProblem::Template(report)) = &mut e.problem {
            report.push_str(&format!("\n(while rendering {})", index.source(entry).path.display()));
        }
        e
    })
}
