//! What every HTML page needs to render: the templates, the `site` value,
//! article bodies, and the `page` value of its `<head>`. Each kind of page
//! builds its own context from these ([`crate::render::outputs`]).

use std::borrow::Cow;
use std::sync::Arc;

use serde::Serialize;
use tera::Context;

use crate::content::markdown;
use crate::error::FileError;
use crate::render::context::{FeedLink, PageMeta, SiteContext, Social, Views};
use crate::render::feeds::absolute::absolute_urls;
use crate::render::outputs::Scope;
use crate::render::templates::Templates;
use crate::site::paginate::Page;
use crate::site::{SiteIndex, Urls};
use crate::text::chars::strip_forbidden_chars;

/// Article bodies as HTML, read from disk and rendered when a page needs
/// them. The bodies of articles shown in feeds are kept once rendered (a
/// feed needs fifty of them, and many feeds share articles); the rest are
/// rendered for their own page and dropped, so memory stays with metadata.
pub struct Bodies<'a> {
    index: &'a SiteIndex,
    how: markdown::Rendering,
    kept: Vec<Option<KeptBody>>,
    /// The kept bodies as feeds show them ([`Bodies::feed_html`]): an
    /// article is in the feed of the site and of each of its terms, in
    /// every format.
    kept_for_feeds: Vec<Option<KeptBody>>,
}

type KeptBody = std::sync::OnceLock<Result<Arc<str>, FileError>>;

impl<'a> Bodies<'a> {
    /// `keep[i]`: whether entry `i`'s body is kept once rendered.
    pub fn new(index: &'a SiteIndex, how: markdown::Rendering, keep: &[bool]) -> Self {
        Bodies {
            index,
            how,
            kept: keep.iter().map(|&k| k.then(std::sync::OnceLock::new)).collect(),
            kept_for_feeds: keep.iter().map(|&k| k.then(std::sync::OnceLock::new)).collect(),
        }
    }

    /// Forbidden characters go before the Markdown is read, not only from
    /// the finished page: a feed carries the body in a CDATA section, where
    /// dropping one afterwards could close `]]\u{1}>` into `]]>`.
    fn render(&self, i: usize) -> Result<Arc<str>, FileError> {
        let body = self.index.article(i).body()?;
        Ok(Arc::from(markdown::render(&strip_forbidden_chars(&body), &self.how)))
    }

    /// Entry `i`'s body as HTML.
    pub fn html(&self, i: usize) -> Result<Arc<str>, FileError> {
        match self.kept.get(i).and_then(Option::as_ref) {
            Some(cell) => cell.get_or_init(|| self.render(i)).clone(),
            None => self.render(i),
        }
    }

    /// Entry `i`'s body as feeds carry it: every URL absolute against
    /// `url`, the article's own absolute URL.
    pub fn feed_html(&self, i: usize, url: &str) -> Result<Arc<str>, FileError> {
        let render = || {
            let html = self.html(i)?;
            let feed = absolute_urls(&html, url);
            // Most bodies have no relative URL: the page's copy serves the
            // feeds too, so a kept body is held once, not twice (tens of
            // thousands of them at 100 000 articles).
            Ok(match feed {
                Cow::Owned(feed) if *feed != *html => Arc::from(feed),
                _ => html,
            })
        };
        match self.kept_for_feeds.get(i).and_then(Option::as_ref) {
            Some(cell) => cell.get_or_init(render).clone(),
            None => render(),
        }
    }
}

/// Renders HTML pages for the kinds of page in [`crate::render::outputs`].
pub struct PageRenderer<'a> {
    pub scope: Scope<'a>,
    pub views: Views<'a>,
    pub templates: &'a Templates,
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
    pub fn urls(&self) -> &Urls {
        self.views.urls
    }

    pub fn index(&self) -> &SiteIndex {
        self.views.index
    }

    pub fn label(&self, key: &str) -> String {
        self.views.lang.labels.get(key).cloned().unwrap_or_default()
    }

    pub fn meta(
        &self,
        kind: &'static str,
        title: &str,
        description: &str,
        path: &str,
        mut feeds: Vec<FeedLink>,
    ) -> PageMeta {
        feeds.extend(self.site.feeds.iter().cloned());
        let image = self.scope.config.social.image.as_deref().map(|i| self.asset_url(i));
        let description = if description.is_empty() {
            self.site.description.clone()
        } else {
            self.description(description)
        };
        let social = Social {
            kind: "website",
            title: if title.is_empty() {
                self.scope.config.title.clone()
            } else {
                title.to_string()
            },
            description: description.clone(),
            url: self.urls().absolute(path),
            site_name: self.scope.config.title.clone(),
            locale: format!("{:?}", self.views.lang.locale),
            twitter_card: if image.is_some() {
                "summary_large_image"
            } else {
                "summary"
            },
            twitter_tags: self.scope.config.social.twitter_tags,
            image,
            image_alt: None,
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
                self.scope.config.title.clone()
            } else {
                format!("{title} – {}", self.scope.config.title)
            },
            description,
            canonical: self.urls().absolute(path),
            url: self.urls().href(path),
            feeds,
        }
    }

    /// A page's description as its head carries it: cut at a word to
    /// `social.description_length`.
    pub fn description(&self, text: &str) -> String {
        crate::text::cut::at_word(text, self.scope.config.social.description_length)
    }

    /// An image or logo from `site.yaml` or front matter, absolute.
    pub fn asset_url(&self, value: &str) -> String {
        self.urls().asset_absolute(value)
    }

    pub fn paged_title(&self, title: &str, page: &Page) -> String {
        if page.number > 0 {
            format!("{title} – {} {}", self.label("page"), page.number)
        } else {
            title.to_string()
        }
    }

    fn context(template: &str, context: &impl Serialize) -> Result<Context, FileError> {
        Context::from_serialize(context).map_err(|e| {
            FileError::new(
                crate::Location::file(template),
                crate::Problem::Render(crate::error::RenderProblem::Template(e.to_string())),
            )
        })
    }

    pub fn render(&self, template: &str, context: &impl Serialize) -> Result<Vec<u8>, FileError> {
        self.render_context(template, &Self::context(template, context)?)
    }

    pub fn render_context(&self, template: &str, context: &Context) -> Result<Vec<u8>, FileError> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.templates.render_to(template, context, &mut out)?;
        Ok(out)
    }

    pub fn listing(
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
            paginator: self.views.paginator(first, pager),
            extra,
        };
        let mut context = Self::context(template, &listing)?;
        let with_summaries = self.scope.config.listing.summaries.shown_on(pager.number);
        context.insert_value("articles", self.views.summaries(entries, with_summaries));
        context.insert("with_summaries", &with_summaries);
        self.render_context(template, &context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A kept body whose feed form is its page form is held once; one with
    /// a relative link gets its own feed form, made absolute.
    #[test]
    fn a_kept_body_without_relative_links_is_held_once() {
        let dir = tempfile::tempdir().unwrap();
        let front = "---\ntitle: Brücke\ndate: 2024-03-01T10:00:00Z\n---\n\n";
        for (body, shared) in [
            (
                "Die Brücke bleibt gesperrt, sagt [die Stadt](https://example.com/a).\n",
                true,
            ),
            ("Siehe [den Plan](plan.pdf).\n", false),
        ] {
            let (_, index, _, _) = crate::render::test_support::one_article(dir.path(), &format!("{front}{body}"));
            let bodies = Bodies::new(&index, markdown::Rendering::default(), &[true]);
            let url = "https://example.org/2024/03/bruecke/";
            let feed = bodies.feed_html(0, url).unwrap();
            let page = bodies.html(0).unwrap();
            assert_eq!(Arc::ptr_eq(&feed, &page), shared, "{body}");
            assert_eq!(feed.contains("https://example.org/2024/03/bruecke/plan.pdf"), !shared);
        }
    }
}
