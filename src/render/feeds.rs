//! RSS 2.0 feeds with the `rss` crate: the site's and one per topic and tag,
//! each with the full text, categories, creators and a self link.

use std::borrow::Cow;

use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::{Category, Channel, Guid, Item};

use crate::config::SiteConfig;
use crate::error::FileError;
use crate::render::locale::Lang;
use crate::render::pages::Bodies;
use crate::site::{SiteIndex, Taxonomy, Urls};

/// The newest `limit` entries of a feed and what the channel says about them.
pub struct FeedSpec<'a> {
    pub title: String,
    pub description: String,
    /// Site-relative path of the page the feed belongs to.
    pub page: String,
    /// Site-relative path of the feed itself.
    pub path: String,
    /// Newest first, at most `feed.limit`.
    pub entries: Cow<'a, [usize]>,
}

impl<'a> FeedSpec<'a> {
    /// The feed of the whole site (`None`) or of one topic or tag.
    pub fn new(
        scope: Option<(Taxonomy, usize)>,
        index: &'a SiteIndex,
        urls: &Urls,
        config: &SiteConfig,
        lang: &Lang,
    ) -> Self {
        match scope {
            None => FeedSpec {
                title: config.title.clone(),
                description: if config.description.is_empty() {
                    config.title.clone()
                } else {
                    config.description.clone()
                },
                page: String::new(),
                path: Urls::feed(""),
                entries: Cow::Owned((0..index.entries.len().min(config.feed.limit)).collect()),
            },
            Some((taxonomy, t)) => {
                let term = &index.terms(taxonomy)[t];
                let kind = match taxonomy {
                    Taxonomy::Topics => lang.labels.get("topic"),
                    Taxonomy::Tags => lang.labels.get("tag"),
                }
                .cloned()
                .unwrap_or_default();
                let page = urls.term(taxonomy, &term.slug);
                FeedSpec {
                    title: format!("{} – {kind}: {}", config.title, term.name),
                    description: format!(
                        "{} {kind}: {}",
                        lang.labels.get("articles_in").cloned().unwrap_or_default(),
                        term.name
                    ),
                    path: Urls::feed(&page),
                    page,
                    entries: Cow::Borrowed(&term.entries[..term.entries.len().min(config.feed.limit)]),
                }
            }
        }
    }
}

/// Writes the RSS document for `spec`.
pub fn render(
    spec: &FeedSpec,
    index: &SiteIndex,
    urls: &Urls,
    config: &SiteConfig,
    bodies: &Bodies,
) -> Result<Vec<u8>, FileError> {
    let entries: &[usize] = &spec.entries;
    let items: Vec<Item> = entries
        .iter()
        .map(|&i| item(i, index, urls, bodies))
        .collect::<Result<_, _>>()?;
    // The newest change, not the clock: a rebuild of the same content gives the same bytes.
    let last = entries
        .iter()
        .map(|&i| {
            let f = &index.entries[i].source.front;
            f.updated.unwrap_or(f.date).max(f.date)
        })
        .max()
        .map(|d| d.to_rfc2822());
    let mut self_link = Link::default();
    self_link.set_rel("self");
    self_link.set_href(urls.absolute(&spec.path));
    self_link.set_mime_type(Some("application/rss+xml".to_string()));
    let mut atom = AtomExtension::default();
    atom.set_links(vec![self_link]);
    let mut channel = Channel::default();
    channel.set_title(spec.title.clone());
    channel.set_link(urls.absolute(&spec.page));
    channel.set_description(spec.description.clone());
    channel.set_language(Some(config.language.clone()));
    channel.set_generator(Some("blatt".to_string()));
    channel.set_last_build_date(last.clone());
    channel.set_pub_date(last);
    channel.set_atom_ext(Some(atom));
    channel.set_items(items);
    // Titles, summaries, term names and authors are scraped text, but
    // front-matter parsing has dropped the characters XML forbids.
    Ok(channel.write_to(Vec::new()).expect("writing XML to memory cannot fail"))
}

fn item(i: usize, index: &SiteIndex, urls: &Urls, bodies: &Bodies) -> Result<Item, FileError> {
    let entry = &index.entries[i];
    let front = &entry.source.front;
    let permalink = urls.absolute(&entry.path);
    let mut guid = Guid::default();
    guid.set_value(permalink.clone());
    guid.set_permalink(true);
    let categories: Vec<Category> = entry
        .topics
        .iter()
        .map(|&t| {
            let mut c = Category::default();
            c.set_name(index.topics[t].name.clone());
            c.set_domain(Some(urls.absolute(&urls.term(Taxonomy::Topics, &index.topics[t].slug))));
            c
        })
        .collect();
    let mut item = Item::default();
    item.set_title(front.title.clone());
    item.set_link(permalink);
    item.set_guid(guid);
    item.set_pub_date(front.date.to_rfc2822());
    item.set_description(front.summary.clone());
    item.set_content(bodies.html(i)?.to_string());
    item.set_categories(categories);
    if !front.authors.is_empty() {
        let mut dc = DublinCoreExtension::default();
        dc.set_creators(front.authors.clone());
        item.set_dublin_core_ext(dc);
    }
    Ok(item)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The feed of a site with one article file.
    fn feed_of(article: &str, allow_html: bool) -> String {
        let dir = tempfile::tempdir().unwrap();
        let (config, index, urls, lang) = crate::render::test_support::one_article(dir.path(), article);
        let bodies = Bodies::new(&index, allow_html, &[true]);
        let spec = FeedSpec::new(None, &index, &urls, &config, &lang);
        String::from_utf8(render(&spec, &index, &urls, &config, &bodies).unwrap()).unwrap()
    }

    #[test]
    fn control_characters_in_scraped_text_leave_the_feed_well_formed() {
        let xml = feed_of(
            "---\ntitle: \"A\\x01B\\x1b[0m\\uFFFF\"\ndate: 2022-01-21\nauthors: [\"\\x0bC\"]\n---\n\
             \nText\u{1}\u{c} mit\u{fffe} Steuerzeichen\n",
            false,
        );
        assert_eq!(crate::content::chars::find_forbidden(xml.as_bytes()), None, "{xml:?}");
        let channel = Channel::read_from(xml.as_bytes()).unwrap();
        let item = &channel.items()[0];
        assert_eq!(item.title(), Some("AB[0m"));
        assert_eq!(item.content(), Some("<p>Text mit Steuerzeichen</p>"));
        assert_eq!(item.dublin_core_ext().unwrap().creators(), ["C"]);
    }

    #[test]
    fn a_control_character_cannot_close_the_cdata_section() {
        // Only raw HTML can carry a literal `>`; the site owner allowed it.
        let xml = feed_of(
            "---\ntitle: A\ndate: 2022-01-21\n---\n\n<p title=\"]]\u{1}>\">x</p>\n",
            true,
        );
        let channel = Channel::read_from(xml.as_bytes()).unwrap();
        assert_eq!(channel.items()[0].content(), Some("<p title=\"]]>\">x</p>"));
    }
}
