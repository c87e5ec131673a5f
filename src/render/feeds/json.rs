//! JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>), with serde.

use serde::Serialize;

use crate::config::FeedFormat;
use crate::content::date;
use crate::render::feeds::model::{Feed, Item};

const VERSION: &str = "https://jsonfeed.org/version/1.1";

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: String,
    description: &'a str,
    language: &'a str,
    authors: [Author<'a>; 1],
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<&'a str>,
    /// JSON Feed 1.1 wants `content_html` or `content_text`: an item
    /// without its full text carries its summary (or title) as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    date_published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author<'a>>,
    /// Topics, then tags; a name given as both is listed once.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    /// The lead image, absolute.
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
}

/// The JSON Feed document of `feed`. serde_json escapes what JSON needs;
/// the text was already stripped of control characters where it entered.
pub fn write(feed: &Feed) -> Vec<u8> {
    let doc = JsonFeed {
        version: VERSION,
        title: feed.title,
        home_page_url: &feed.home_page_url,
        feed_url: feed.self_url(FeedFormat::Json),
        description: feed.description,
        language: feed.language,
        authors: [Author { name: feed.author }],
        items: feed.items.iter().map(item).collect(),
    };
    let mut out = Vec::with_capacity(feed.size_hint());
    serde_json::to_writer_pretty(&mut out, &doc).expect("a feed serialises");
    out.push(b'\n');
    out
}

fn item<'a>(it: &'a Item) -> JsonItem<'a> {
    let mut tags: Vec<&str> = Vec::with_capacity(it.topics.len() + it.tags.len());
    for c in it.topics.iter().chain(&it.tags) {
        if !tags.contains(&c.name) {
            tags.push(c.name);
        }
    }
    JsonItem {
        id: &it.id,
        url: &it.url,
        title: it.title,
        content_html: it.content_html.as_deref(),
        content_text: it.content_html.is_none().then(|| it.summary.unwrap_or(it.title)),
        summary: it.summary,
        date_published: date::format(&it.published),
        date_modified: it.modified.as_ref().map(date::format),
        authors: it.authors.iter().map(|a| Author { name: a }).collect(),
        tags,
        image: it.image.as_ref().map(|i| i.url.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use crate::config::FeedFormat;
    use crate::render::feeds::test_support::feed_of;

    #[test]
    fn scraped_text_stays_text_in_valid_json() {
        let json = feed_of(
            "---\ntitle: \"A\\x01\\\"},<b>\\u2029x\"\ndate: 2022-01-21T10:00:00+01:00\n\
             updated: 2022-01-22\nauthors: [\"\\x0bC\"]\n---\n\nText\u{1} mit <i>x</i>\n",
            false,
            FeedFormat::Json,
        );
        assert_eq!(crate::text::chars::find_forbidden(json.as_bytes()), None, "{json:?}");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["version"], "https://jsonfeed.org/version/1.1");
        let item = &v["items"][0];
        assert_eq!(item["title"], "A\"},<b>\u{2029}x");
        assert_eq!(
            item["content_html"].as_str().map(str::trim_end),
            Some("<p>Text mit &lt;i&gt;x&lt;/i&gt;</p>")
        );
        assert_eq!(item["authors"][0]["name"], "C");
        assert_eq!(item["date_published"], "2022-01-21T10:00:00+01:00");
        assert!(item["date_modified"].is_string());
        assert!(item.get("summary").is_none() || item["summary"].is_string());
    }
}
