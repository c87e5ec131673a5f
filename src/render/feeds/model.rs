//! What a feed says, independent of its format: built once per feed job
//! from the index, then written as RSS, Atom or JSON Feed.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::config::{FeedFormat, SiteConfig};
use crate::error::FileError;
use crate::render::feeds::FeedSpec;
use crate::render::page::Bodies;
use crate::site::{SiteIndex, Taxonomy, Urls};

/// One feed: a listing's newest articles, the newest with their full text.
pub struct Feed<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// The listing's page, absolute.
    pub home_page_url: String,
    /// The site title: Atom wants an author on the feed when an entry has
    /// none, and blatt knows no other name for the publisher.
    pub author: &'a str,
    pub language: &'a str,
    /// The newest date or update of its items; `None` for a feed without
    /// items. Never the clock: a rebuild of the same content gives the
    /// same bytes.
    pub updated: Option<DateTime<FixedOffset>>,
    pub items: Vec<Item<'a>>,
}

/// One article in a feed.
pub struct Item<'a> {
    /// The article's absolute URL: permanent, as RSS `guid`, Atom `id` and
    /// JSON Feed `id` must be.
    pub id: String,
    pub url: String,
    pub title: &'a str,
    pub summary: Option<&'a str>,
    /// The body, every URL in it absolute; `None` past a term feed's
    /// `feed.term_full_text` items, which readers open at `url`.
    pub content_html: Option<Arc<str>>,
    pub published: DateTime<FixedOffset>,
    /// The front matter's `updated`, if any.
    pub modified: Option<DateTime<FixedOffset>>,
    pub authors: &'a [String],
    /// The first [`crate::render::context::LISTED_TERMS`] topics and tags.
    pub topics: Vec<Category<'a>>,
    pub tags: Vec<Category<'a>>,
    pub image: Option<Image<'a>>,
}

/// An item's lead image, as every feed format carries it.
pub struct Image<'a> {
    /// Absolute: a feed is read away from the site.
    pub url: String,
    /// `image/jpeg`, when the address's file name says so.
    pub media_type: Option<&'static str>,
    pub alt: Option<&'a str>,
}

/// The Media RSS namespace: RSS and Atom carry a lead image as its
/// `media:content` element, which feedparser, Feedly and the W3C validator
/// know in both formats. RSS's `enclosure` would need the file's length,
/// and Atom's `link rel="enclosure"` makes readers offer the image as a
/// download.
pub const MEDIA_NS: &str = "http://search.yahoo.com/mrss/";

/// An item's `media:content` element (with the image's description as
/// `media:description type="plain"`) as an extension map of the rss or the
/// atom_syndication crate, whose `Extension` types are alike but distinct;
/// `$attr` prepares an attribute value for the crate's writer.
macro_rules! media_content {
    ($extension:ty, $image:expr, $attr:expr) => {{
        let image: &$crate::render::feeds::model::Image = $image;
        let attr = $attr;
        let mut content = <$extension>::default();
        content.name = "media:content".to_string();
        content.attrs = image.media_attrs().into_iter().map(|(k, v)| (k, attr(&v))).collect();
        if let Some(alt) = image.alt {
            let mut description = <$extension>::default();
            description.name = "media:description".to_string();
            description.value = Some(alt.to_string());
            description.attrs = [("type".to_string(), "plain".to_string())].into();
            content.children.insert("description".to_string(), vec![description]);
        }
        let media = [("content".to_string(), vec![content])].into();
        [("media".to_string(), media)].into()
    }};
}
pub(crate) use media_content;

impl<'a> Image<'a> {
    /// The attributes of its `media:content` element, unescaped.
    pub fn media_attrs(&self) -> Vec<(String, String)> {
        let mut attrs = vec![
            ("url".to_string(), self.url.clone()),
            ("medium".to_string(), "image".to_string()),
        ];
        if let Some(t) = self.media_type {
            attrs.push(("type".to_string(), t.to_string()));
        }
        attrs
    }

    fn new(value: &str, alt: Option<&'a str>, urls: &Urls) -> Image<'a> {
        let url = urls.asset_absolute(value);
        Image {
            media_type: image_type(&url),
            url,
            alt: alt.filter(|a| !a.trim().is_empty()),
        }
    }
}

/// The media type an image address's file name implies, if it is an
/// image's: readers pick a media element by its type, and a wrong one is
/// worse than none.
fn image_type(url: &str) -> Option<&'static str> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let name = path.rsplit('/').next().unwrap_or(path);
    if !name.contains('.') {
        return None;
    }
    mime_guess::from_path(name).iter_raw().find(|m| m.starts_with("image/"))
}

impl Item<'_> {
    /// When the article last changed (never before it was published):
    /// Atom's required `updated`.
    pub fn updated(&self) -> DateTime<FixedOffset> {
        self.modified.unwrap_or(self.published).max(self.published)
    }
}

/// A topic or tag of an item.
pub struct Category<'a> {
    pub name: &'a str,
    /// The term's page, absolute.
    pub url: String,
    /// The page listing every term of its taxonomy, absolute: tells a
    /// topic from a tag of the same name.
    pub scheme: String,
}

impl<'a> Feed<'a> {
    pub fn new(
        spec: &'a FeedSpec,
        index: &'a SiteIndex,
        urls: &Urls,
        config: &'a SiteConfig,
        bodies: &Bodies,
    ) -> Result<Feed<'a>, FileError> {
        let items: Vec<Item> = spec
            .entries
            .iter()
            .enumerate()
            .map(|(n, &i)| item(i, n < spec.full_text, index, urls, bodies))
            .collect::<Result<_, _>>()?;
        let updated = items.iter().map(Item::updated).max();
        Ok(Feed {
            title: &spec.title,
            description: &spec.description,
            home_page_url: urls.absolute(&spec.page),
            author: &config.title,
            language: &config.language,
            updated,
            items,
        })
    }

    /// About the size of the feed's document, so that it is written into
    /// one buffer: grown by doubling, a feed with full texts was copied
    /// several times, each time into memory fresh from the system. Bodies
    /// count a quarter more for the escaping Atom and JSON give them.
    pub fn size_hint(&self) -> usize {
        let per_item = |it: &Item| {
            let body = it.content_html.as_deref().map_or(0, str::len);
            body + body / 4 + it.summary.map_or(0, str::len) + 1024
        };
        2048 + self.items.iter().map(per_item).sum::<usize>()
    }

    /// This feed's own URL in `format` (its files lie beside its page).
    pub fn self_url(&self, format: FeedFormat) -> String {
        format!("{}{}", self.home_page_url, format.file_name())
    }
}

fn item<'a>(i: usize, full: bool, index: &'a SiteIndex, urls: &Urls, bodies: &Bodies) -> Result<Item<'a>, FileError> {
    let entry = &index.entries[i];
    let front = &index.source(entry).front;
    let url = urls.absolute(&entry.path);
    let categories = |taxonomy: Taxonomy, ids: &[usize]| -> Vec<Category<'a>> {
        let scheme = urls.absolute(&urls.taxonomy(taxonomy));
        ids.iter()
            .take(crate::render::context::LISTED_TERMS)
            .map(|&t| {
                let term = &index.terms(taxonomy)[t];
                Category {
                    name: &term.name,
                    url: urls.absolute(&urls.term(taxonomy, &term.slug)),
                    scheme: scheme.clone(),
                }
            })
            .collect()
    };
    Ok(Item {
        content_html: if full { Some(bodies.feed_html(i, &url)?) } else { None },
        id: url.clone(),
        url,
        title: &front.title,
        summary: front.summary.as_deref(),
        published: front.date,
        modified: front.updated,
        authors: &front.authors,
        topics: categories(Taxonomy::Topics, &entry.topics),
        tags: categories(Taxonomy::Tags, &entry.tags),
        image: front
            .image
            .as_deref()
            .map(|value| Image::new(value, front.image_alt.as_deref(), urls)),
    })
}

#[cfg(test)]
mod tests {
    use super::image_type;

    /// An article of the usual shape (paragraphs, a link, quotes) fits the
    /// buffer the hint asks for in every format, so it is written without
    /// growing it.
    #[test]
    fn the_size_hint_holds_a_usual_article_in_every_format() {
        use crate::config::FeedFormat;
        use crate::render::feeds::{FeedSpec, render};
        use crate::render::page::Bodies;
        let paragraph = "Der Rat \"beschloss\" am Dienstag [mehr](https://example.org/a?b=1&c=2) \
                         über die Vorlage, die Ämter & Behörden betrifft. ";
        let article = format!(
            "---\ntitle: Ein Titel\ndate: 2022-01-21\nsummary: Kurz & knapp\n---\n\n{}\n",
            vec![paragraph.repeat(8); 12].join("\n\n")
        );
        let dir = tempfile::tempdir().unwrap();
        let (config, index, urls, lang) = crate::render::test_support::one_article(dir.path(), &article);
        let bodies = Bodies::new(&index, Default::default(), &[true]);
        let spec = FeedSpec::new(None, &index, &urls, &config, &lang);
        let hint = super::Feed::new(&spec, &index, &urls, &config, &bodies)
            .unwrap()
            .size_hint();
        for format in [FeedFormat::Rss, FeedFormat::Atom, FeedFormat::Json] {
            let written = render(format, &spec, &index, &urls, &config, &bodies).unwrap();
            assert!(written.len() > 10_000, "{format:?}: the body is in the feed");
            assert!(
                written.len() <= hint,
                "{format:?}: {} bytes, hint {hint}",
                written.len()
            );
        }
    }

    #[test]
    fn an_image_type_comes_from_the_file_name_only() {
        assert_eq!(
            image_type("https://cdn.example.org/a/b.JPG?w=1200&x=.png"),
            Some("image/jpeg")
        );
        assert_eq!(image_type("https://example.org/static/lead.png#x"), Some("image/png"));
        assert_eq!(image_type("https://example.org/static/logo.svg"), Some("image/svg+xml"));
        assert_eq!(image_type("https://cdn.example.org/image?id=1.jpg"), None);
        assert_eq!(image_type("https://cdn.example.org/v1.2/bild"), None);
        assert_eq!(image_type("https://example.org/a.html"), None);
    }
}
