//! RSS 2.0 with the `rss` crate: the full text (when the item has it) in
//! `content:encoded`, the summary in `description`, topics and
//! tags as categories, authors as `dc:creator`, and an `atom:link` to itself.

use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::extension::{Extension, ExtensionMap};
use rss::{Category, Channel, Guid};

use crate::config::FeedFormat;
use crate::render::feeds::model::{Feed, Image, Item, MEDIA_NS, media_content};

/// The RSS document of `feed`.
pub fn write(feed: &Feed) -> Vec<u8> {
    let last = feed.updated.map(|d| d.to_rfc2822());
    let mut self_link = Link::default();
    self_link.set_rel("self");
    self_link.set_href(feed.self_url(FeedFormat::Rss));
    self_link.set_mime_type(Some(FeedFormat::Rss.media_type().to_string()));
    let mut atom = AtomExtension::default();
    atom.set_links(vec![self_link]);
    let mut channel = Channel::default();
    channel.set_title(feed.title);
    channel.set_link(feed.home_page_url.clone());
    channel.set_description(as_html(feed.description));
    channel.set_language(Some(feed.language.to_string()));
    channel.set_generator(Some("blatt".to_string()));
    channel.set_last_build_date(last.clone());
    channel.set_pub_date(last);
    channel.set_atom_ext(Some(atom));
    if feed.items.iter().any(|it| it.image.is_some()) {
        channel.set_namespaces([("media".to_string(), MEDIA_NS.to_string())]);
    }
    channel.set_items(feed.items.iter().map(item).collect::<Vec<_>>());
    // Titles, summaries, term names and authors are scraped text, but
    // front-matter parsing has dropped the characters XML forbids.
    hex_references(
        &channel
            .write_to(Vec::with_capacity(feed.size_hint()))
            .expect("writing XML to memory cannot fail"),
    )
}

/// `xml` with `&amp;` and `&lt;` written `&#x26;` and `&#x3C;` outside CDATA
/// sections: the same characters to every XML parser, but the form the W3C
/// Feed Validator asks for in RSS, whose plain-text elements some readers
/// take for HTML (an `&amp;` they would show as `&`, then read as markup).
/// CDATA holds the body's HTML as it is and is copied untouched.
fn hex_references(xml: &[u8]) -> Vec<u8> {
    const OPEN: &[u8] = b"<![CDATA[";
    const CLOSE: &[u8] = b"]]>";
    let mut out = Vec::with_capacity(xml.len() + xml.len() / 64);
    let mut rest = xml;
    while !rest.is_empty() {
        let (text, cdata) = match memchr::memmem::find(rest, OPEN) {
            Some(start) => {
                let end = memchr::memmem::find(&rest[start..], CLOSE).map_or(rest.len(), |e| start + e + CLOSE.len());
                (&rest[..start], &rest[start..end])
            }
            None => (rest, &rest[rest.len()..]),
        };
        let mut i = 0;
        while let Some(at) = memchr::memchr(b'&', &text[i..]) {
            out.extend_from_slice(&text[i..i + at]);
            let entity = &text[i + at..];
            if entity.starts_with(b"&amp;") {
                out.extend_from_slice(b"&#x26;");
                i += at + 5;
            } else if entity.starts_with(b"&lt;") {
                out.extend_from_slice(b"&#x3C;");
                i += at + 4;
            } else {
                out.push(b'&');
                i += at + 1;
            }
        }
        out.extend_from_slice(&text[i..]);
        out.extend_from_slice(cdata);
        rest = &rest[text.len() + cdata.len()..];
    }
    out
}

/// `text` as HTML that shows it. RSS leaves titles plain but makes every
/// `<description>` HTML, and readers render it so: a summary or term name
/// holding `<img src=x onerror=…>` would become an element there. Escaped
/// once more than XML needs, it reads as the text it is.
fn as_html(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

fn item(it: &Item) -> rss::Item {
    let mut guid = Guid::default();
    guid.set_value(it.id.clone());
    guid.set_permalink(true);
    // Topics and tags, each with its page as the domain (which tells a
    // topic from a tag of the same name), as Atom and JSON Feed list them.
    let categories: Vec<Category> = it
        .topics
        .iter()
        .chain(&it.tags)
        .map(|t| {
            let mut c = Category::default();
            c.set_name(t.name);
            c.set_domain(Some(t.url.clone()));
            c
        })
        .collect();
    let mut item = rss::Item::default();
    item.set_title(it.title.to_string());
    item.set_link(it.url.clone());
    item.set_guid(guid);
    item.set_pub_date(it.published.to_rfc2822());
    item.set_description(it.summary.map(as_html));
    item.set_content(it.content_html.as_deref().map(str::to_string));
    item.set_categories(categories);
    if !it.authors.is_empty() {
        let mut dc = DublinCoreExtension::default();
        dc.set_creators(it.authors.to_vec());
        item.set_dublin_core_ext(dc);
    }
    if let Some(image) = &it.image {
        item.set_extensions(media_ext(image));
    }
    item
}

/// The rss crate escapes attribute values itself.
fn media_ext(image: &Image) -> ExtensionMap {
    media_content!(Extension, image, |v: &str| v.to_string())
}

#[cfg(test)]
mod tests {
    use rss::Channel;

    use crate::config::FeedFormat;
    use crate::render::feeds::test_support;

    fn feed_of(article: &str, allow_html: bool) -> String {
        test_support::feed_of(article, allow_html, FeedFormat::Rss)
    }

    #[test]
    fn control_characters_in_scraped_text_leave_the_feed_well_formed() {
        let xml = feed_of(
            "---\ntitle: \"A\\x01B\\x1b[0m\\uFFFF\"\ndate: 2022-01-21\nauthors: [\"\\x0bC\"]\n---\n\
             \nText\u{1}\u{c} mit\u{fffe} Steuerzeichen\n",
            false,
        );
        assert_eq!(crate::text::chars::find_forbidden(xml.as_bytes()), None, "{xml:?}");
        let channel = Channel::read_from(xml.as_bytes()).unwrap();
        let item = &channel.items()[0];
        assert_eq!(item.title(), Some("AB[0m"));
        assert_eq!(item.content(), Some("<p>Text mit Steuerzeichen</p>"));
        assert_eq!(item.dublin_core_ext().unwrap().creators(), ["C"]);
    }

    #[test]
    fn a_summary_reads_as_text_where_readers_expect_html() {
        let xml = feed_of(
            "---\ntitle: A\ndate: 2022-01-21\nsummary: \"<img src=x onerror=alert(1)> AT&T <a href='javascript:x'>y</a>\"\n---\n\nx\n",
            false,
        );
        let channel = Channel::read_from(xml.as_bytes()).unwrap();
        let description = channel.items()[0].description().unwrap();
        let html = scraper::Html::parse_fragment(description);
        let elements: Vec<&str> = html
            .root_element()
            .descendants()
            .filter_map(|n| n.value().as_element())
            .map(|e| e.name())
            .collect();
        assert_eq!(elements, ["html"], "{description}");
        assert_eq!(
            html.root_element().text().collect::<String>(),
            "<img src=x onerror=alert(1)> AT&T <a href='javascript:x'>y</a>"
        );
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
