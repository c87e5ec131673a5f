//! Markdown to HTML, with raw HTML neutralised unless the site allows it.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

/// The Markdown dialect of article bodies. Smart punctuation stays off:
/// typographic quotes in scraped text are kept exactly as they came.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

/// Renders a Markdown body. Unless `allow_html`, raw HTML in the Markdown is
/// shown as text: scraped content must never inject markup into a page.
pub fn to_html(markdown: &str, allow_html: bool) -> String {
    // For each open image: whether it was dropped, so that its end goes too.
    let mut images: Vec<bool> = Vec::new();
    let parser = Parser::new_ext(markdown, options()).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) if !allow_html => Some(Event::Text(raw)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !is_safe_url(&dest_url) => Some(Event::Start(Tag::Link {
            link_type,
            dest_url: CowStr::Borrowed("#"),
            title,
            id,
        })),
        // An image without a usable address is shown as its description:
        // `<img src="">` is invalid HTML and shows nothing.
        Event::Start(Tag::Image { ref dest_url, .. }) => {
            let safe = is_safe_url(dest_url);
            images.push(!safe);
            safe.then_some(event)
        }
        Event::End(TagEnd::Image) => (!images.pop().unwrap_or(false)).then_some(event),
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() * 5 / 4);
    html::push_html(&mut out, parser);
    if memchr::memmem::find(out.as_bytes(), b"<img").is_some() {
        out = lazy_images(&out);
    }
    out
}

/// Images in a body load when they come near the screen: they are below
/// the lead image and the headline, and an archive page may have many. An
/// image of raw HTML that says how to load keeps its own choice (a second
/// `loading` attribute would be invalid). Rewritten with lol_html because
/// raw HTML a site allows has images the Markdown parser never sees.
fn lazy_images(html: &str) -> String {
    let settings =
        lol_html::RewriteStrSettings::new().append_element_content_handler(lol_html::element!("img", |el| {
            if !el.has_attribute("loading") {
                el.set_attribute("loading", "lazy")?;
            }
            Ok(())
        }));
    // Rewriting a string fails only past a memory limit that is not set.
    lol_html::rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

/// The text a reader sees in a Markdown body, one block a line: what the
/// topic rules and the near-duplicate check read in a stored article, as
/// import reads the cleaned text (escapes resolved, no markup).
pub fn to_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell) => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// Whether a link target is a web address or a path, not a `javascript:`,
/// `data:` or other scheme that runs code or smuggles content.
pub fn is_safe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    match cleaned.find(':') {
        Some(colon) if !cleaned[..colon].contains(['/', '?', '#']) => {
            matches!(&cleaned[..colon], "http" | "https" | "mailto")
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_images_load_lazily_unless_raw_html_says_otherwise() {
        let html = to_html("Text\n\n![Ein Bild](bild.png \"Titel\")\n", false);
        let doc = scraper::Html::parse_fragment(&html);
        let img = doc.select(&scraper::Selector::parse("img").unwrap()).next().unwrap();
        assert_eq!(img.value().attr("loading"), Some("lazy"), "{html}");
        assert_eq!(img.value().attr("alt"), Some("Ein Bild"));
        let raw = to_html("<img src=\"a.png\" alt=\"\" loading=\"eager\">\n", true);
        assert_eq!(raw.matches("loading=").count(), 1, "{raw}");
        assert!(raw.contains("loading=\"eager\""), "{raw}");
        // Shown as text, an image tag gets nothing.
        let text = to_html("<img src=\"a.png\">\n", false);
        assert!(!text.contains("loading"), "{text}");
    }

    #[test]
    fn text_is_what_a_reader_sees() {
        let md = "## Neue *Pläne*\n\nDer \\*Plan\\* gilt\nab heute.\n\n- eins\n- zwei\n";
        assert_eq!(to_text(md), "Neue Pläne\nDer *Plan* gilt ab heute.\neins\nzwei\n");
    }

    #[test]
    fn raw_html_is_text_by_default() {
        let html = to_html(
            "Hallo <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n",
            false,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn script_urls_are_defused() {
        let html = to_html(
            "[a](javascript:alert(1)) [b]( JaVa\tScript:x) ![c](data:text/html,x) [d](https://ok.example/) [e](/rel:ative)\n",
            false,
        );
        assert!(!html.to_lowercase().contains("javascript"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(html.contains("href=\"https://ok.example/\""), "{html}");
        assert!(html.contains("href=\"/rel:ative\""), "{html}");
    }

    #[test]
    fn images_with_script_urls_show_their_description() {
        let html = to_html(
            "![Bild *eins*](javascript:alert(1)) ![zwei ![drei](data:x)](https://ok.example/a.png)\n",
            false,
        );
        assert_eq!(
            html,
            "<p>Bild <em>eins</em> <img src=\"https://ok.example/a.png\" alt=\"zwei drei\" loading=\"lazy\" /></p>\n"
        );
    }

    #[test]
    fn raw_html_when_allowed() {
        assert!(to_html("<b>fett</b>\n", true).contains("<b>fett</b>"));
    }

    #[test]
    fn quotes_stay_typographic() {
        assert_eq!(to_html("„offen\" und 'so'\n", false), "<p>„offen\" und 'so'</p>\n");
    }
}
