//! Atom 1.0 (RFC 4287) with the `atom_syndication` crate.

use atom_syndication::extension::{Extension, ExtensionMap};
use atom_syndication::{Category, Content, Entry, Generator, Link, Person, Text};
use chrono::DateTime;

use crate::config::FeedFormat;
use crate::render::feeds::model::{self, Feed, Image, Item, MEDIA_NS, media_content};

/// The Atom document of `feed`.
pub fn write(feed: &Feed) -> Vec<u8> {
    let doc = atom_syndication::Feed {
        title: Text::plain(feed.title),
        id: feed.self_url(FeedFormat::Atom),
        // A feed without entries still needs a date; the epoch keeps it
        // reproducible.
        updated: feed.updated.unwrap_or_else(|| DateTime::UNIX_EPOCH.fixed_offset()),
        authors: vec![person(feed.author)],
        generator: Some(Generator {
            value: "blatt".to_string(),
            ..Default::default()
        }),
        links: vec![
            link("self", feed.self_url(FeedFormat::Atom), FeedFormat::Atom.media_type()),
            link("alternate", feed.home_page_url.clone(), "text/html"),
        ],
        subtitle: Some(Text::plain(feed.description)),
        lang: Some(feed.language.to_string()),
        entries: feed.items.iter().map(entry).collect(),
        namespaces: if feed.items.iter().any(|it| it.image.is_some()) {
            [("media".to_string(), MEDIA_NS.to_string())].into()
        } else {
            Default::default()
        },
        ..Default::default()
    };
    // As in RSS, front-matter parsing has dropped the characters XML
    // forbids; the crate escapes the rest (content is text, not CDATA).
    doc.write_to(Vec::with_capacity(feed.size_hint()))
        .expect("writing XML to memory cannot fail")
}

fn person(name: &str) -> Person {
    Person {
        name: name.to_string(),
        ..Default::default()
    }
}

fn link(rel: &str, href: String, media_type: &str) -> Link {
    Link {
        href,
        rel: rel.to_string(),
        mime_type: Some(media_type.to_string()),
        ..Default::default()
    }
}

/// Topics and tags alike, told apart by their scheme (the taxonomy's page).
fn category(c: &model::Category) -> Category {
    Category {
        term: c.name.to_string(),
        scheme: Some(c.scheme.clone()),
        label: None,
    }
}

fn entry(it: &Item) -> Entry {
    Entry {
        title: Text::plain(it.title),
        id: it.id.clone(),
        updated: it.updated(),
        published: Some(it.published),
        authors: it.authors.iter().map(|a| person(a)).collect(),
        links: vec![link("alternate", it.url.clone(), "text/html")],
        summary: it.summary.map(Text::plain),
        // Without content, the alternate link is what RFC 4287 asks for.
        content: it.content_html.as_deref().map(|html| Content {
            value: Some(html.to_string()),
            content_type: Some("html".to_string()),
            ..Default::default()
        }),
        categories: it.topics.iter().chain(&it.tags).map(category).collect(),
        extensions: it.image.as_ref().map(media_ext).unwrap_or_default(),
        ..Default::default()
    }
}

/// atom_syndication writes attribute values as they are given: escaped here.
fn media_ext(image: &Image) -> ExtensionMap {
    media_content!(Extension, image, |v: &str| quick_xml::escape::escape(v).into_owned())
}

#[cfg(test)]
mod tests {
    use crate::config::FeedFormat;
    use crate::render::feeds::test_support::feed_of;

    #[test]
    fn control_characters_and_markup_in_scraped_text_stay_text() {
        let xml = feed_of(
            "---\ntitle: \"A\\x01<b>B</b>\\uFFFF\"\ndate: 2022-01-21\nauthors: [\"\\x0bC\"]\n\
             summary: \"]]> & <script>\"\n---\n\nText\u{1}\u{c} mit\u{fffe} <i>Steuerzeichen</i>\n",
            false,
            FeedFormat::Atom,
        );
        assert_eq!(crate::text::chars::find_forbidden(xml.as_bytes()), None, "{xml:?}");
        let feed: atom_syndication::Feed = xml.parse().unwrap();
        let entry = &feed.entries()[0];
        assert_eq!(entry.title().value, "A<b>B</b>");
        assert_eq!(entry.summary().unwrap().value, "]]> & <script>");
        assert_eq!(entry.authors()[0].name, "C");
        let content = entry.content().unwrap();
        assert_eq!(content.content_type(), Some("html"));
        assert_eq!(
            content.value().map(str::trim_end),
            Some("<p>Text mit &lt;i&gt;Steuerzeichen&lt;/i&gt;</p>")
        );
        // Atom wants an author on the feed when an entry has none.
        assert_eq!(feed.authors()[0].name, "blatt");
        let roxml = roxmltree::Document::parse(&xml).unwrap();
        assert_eq!(roxml.descendants().filter(|n| n.has_tag_name("script")).count(), 0);
    }

    #[test]
    fn an_empty_feed_is_dated_reproducibly() {
        let xml = feed_of(
            "---\ntitle: A\ndate: 2022-01-21\ndraft: true\n---\n\nx\n",
            false,
            FeedFormat::Atom,
        );
        let feed: atom_syndication::Feed = xml.parse().unwrap();
        assert!(feed.entries().is_empty());
        assert_eq!(feed.updated().timestamp(), 0);
    }
}
