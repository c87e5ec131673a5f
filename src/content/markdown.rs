//! Markdown to HTML, with raw HTML neutralised unless the site allows it.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

/// The Markdown dialect of article bodies. Smart punctuation stays off:
/// typographic quotes in scraped text are kept exactly as they came.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

/// How a site renders its article bodies.
#[derive(Debug, Clone)]
pub struct Rendering {
    /// Raw HTML in the Markdown is markup, not text (only for sites whose
    /// editors write their own content).
    pub allow_html: bool,
    /// `## Titel {#eigene-id}` sets a heading's id (pulldown-cmark's heading
    /// attributes). Off by default: a scraped heading ending in braces
    /// would lose them.
    pub heading_attributes: bool,
    /// The site's base path (`/archiv/`): a link written from the site's root
    /// (`/2022/01/x/`) is a link into the site and gets it in front.
    pub base_path: String,
    /// The links of `@/2022/01/x.md` (the file relative to `content/`):
    /// `/archiv/2022/01/x/`.
    pub content_urls: std::sync::Arc<std::collections::HashMap<String, String>>,
}

impl Default for Rendering {
    fn default() -> Self {
        Rendering {
            allow_html: false,
            heading_attributes: false,
            base_path: "/".into(),
            content_urls: Default::default(),
        }
    }
}

/// Ids the default theme gives elements of an article page; a heading
/// named like one gets a suffix, so that ids stay unique in the page.
pub const THEME_IDS: &[&str] = &["main", "related-heading"];

/// Renders a Markdown body. Unless `allow_html`, raw HTML in the Markdown is
/// shown as text: scraped content must never inject markup into a page.
pub fn to_html(markdown: &str, allow_html: bool) -> String {
    render(
        markdown,
        &Rendering {
            allow_html,
            ..Rendering::default()
        },
    )
}

/// Renders a Markdown body as `how` says: raw HTML as text unless allowed,
/// script URLs defused, every heading with an id (German-aware slug of its
/// text, unique in the page), root-relative links under the base path.
pub fn render(markdown: &str, how: &Rendering) -> String {
    let mut options = options();
    if how.heading_attributes {
        options |= Options::ENABLE_HEADING_ATTRIBUTES;
    }
    // For each open image: whether it was dropped, so that its end goes too.
    let mut images: Vec<bool> = Vec::new();
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) if !how.allow_html => Some(Event::Text(raw)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Some(Event::Start(Tag::Link {
            link_type,
            dest_url: link_target(dest_url, how),
            title,
            id,
        })),
        // An image without a usable address is shown as its description:
        // `<img src="">` is invalid HTML and shows nothing.
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let safe = is_safe_url(&dest_url);
            images.push(!safe);
            safe.then(|| {
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: link_target(dest_url, how),
                    title,
                    id,
                })
            })
        }
        Event::End(TagEnd::Image) => (!images.pop().unwrap_or(false)).then_some(event),
        other => Some(other),
    });
    let events = with_heading_ids(events.collect());
    let mut out = String::with_capacity(markdown.len() * 5 / 4);
    html::push_html(&mut out, events.into_iter());
    if memchr::memmem::find(out.as_bytes(), b"<img").is_some() {
        out = lazy_images(&out);
    }
    out
}

/// A link's target as the page shows it: `#` for a script URL, the base
/// path before a link written from the site's root, the article's URL for
/// its file (`@/…`; one that names no article is reported by the build).
fn link_target<'a>(url: CowStr<'a>, how: &Rendering) -> CowStr<'a> {
    if let Some(file) = url.strip_prefix(CONTENT_LINK) {
        let (file, fragment) = file.split_once('#').map_or((file, None), |(f, x)| (f, Some(x)));
        return match (how.content_urls.get(file), fragment) {
            (Some(href), None) => CowStr::from(href.clone()),
            (Some(href), Some(fragment)) => CowStr::from(format!("{href}#{fragment}")),
            (None, _) => CowStr::Borrowed("#"),
        };
    }
    if !is_safe_url(&url) {
        return CowStr::Borrowed("#");
    }
    let base_path = how.base_path.as_str();
    let from_root = url.starts_with('/') && !url.starts_with("//");
    if base_path == "/" || !from_root || url.starts_with(base_path) || format!("{url}/") == base_path {
        return url;
    }
    CowStr::from(format!("{}{}", base_path.trim_end_matches('/'), url))
}

/// Gives every heading an id: its own (`{#id}`), else the slug of its text;
/// a repeated id gets `-1`, `-2` …, as do ids of the theme.
fn with_heading_ids(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut used: std::collections::HashSet<String> = THEME_IDS.iter().map(|s| s.to_string()).collect();
    // Explicit ids first: they are the author's, a slug must give way.
    for e in &events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
            used.insert(id.to_string());
        }
    }
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            for e in &events[i + 1..] {
                match e {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
            }
            let base = crate::text::slug::slugify(&text);
            let mut id = base.clone();
            let mut n = 0;
            while used.contains(&id) {
                n += 1;
                id = format!("{base}-{n}");
            }
            used.insert(id.clone());
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(CowStr::from(id));
            }
        }
        i += 1;
    }
    events
}

/// What the build must know of a body without rendering it: which ids it
/// gives its headings, for fragment links from other pages, and which
/// links name articles by their file, whose URLs it shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BodyFacts {
    /// The ids of its headings, as [`render`] gives them.
    pub anchors: Vec<String>,
    /// `@/2022/01/x.md` links: the file (relative to `content/`) and the
    /// line in the article file.
    pub content_links: Vec<(String, usize)>,
    /// Whether it links to a fragment of another page (`../x/#y`).
    pub fragment_links: bool,
}

/// The prefix of a link to an article by its file (as Zola writes them).
pub const CONTENT_LINK: &str = "@/";

impl BodyFacts {
    /// The facts of `markdown`, a body whose first line is line `first_line`
    /// of its file.
    pub fn of(markdown: &str, heading_attributes: bool, first_line: usize) -> BodyFacts {
        // Most bodies have neither headings nor links worth knowing, and
        // parsing every body of a large site again costs time.
        let worth = ["#", CONTENT_LINK, "\n==", "\n--"];
        if !worth.iter().any(|w| markdown.contains(w)) {
            return BodyFacts::default();
        }
        let markdown = crate::text::chars::strip_forbidden_chars(markdown);
        let mut options = options();
        if heading_attributes {
            options |= Options::ENABLE_HEADING_ATTRIBUTES;
        }
        let mut facts = BodyFacts::default();
        let mut events = Vec::new();
        let mut newlines = (0, first_line);
        for (event, range) in Parser::new_ext(&markdown, options).into_offset_iter() {
            if let Event::Start(Tag::Link { dest_url, .. }) = &event {
                if let Some(file) = dest_url.strip_prefix(CONTENT_LINK) {
                    let (seen, line) = &mut newlines;
                    *line += markdown.as_bytes()[*seen..range.start]
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count();
                    *seen = range.start;
                    let file = file.split('#').next().unwrap_or("");
                    facts.content_links.push((file.to_string(), *line));
                }
                facts.fragment_links |= !dest_url.starts_with('#') && dest_url.contains('#');
            }
            if matches!(
                event,
                Event::Start(Tag::Heading { .. }) | Event::End(TagEnd::Heading(_)) | Event::Text(_) | Event::Code(_)
            ) {
                events.push(event);
            }
        }
        for event in with_heading_ids(events) {
            if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
                facts.anchors.push(id.to_string());
            }
        }
        facts
    }
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
    fn headings_get_unique_german_ids() {
        let html = to_html(
            "## Außenminister in Kiew\n\n## Außenminister in Kiew\n\n## Main\n\n### `Code` und *mehr*\n",
            false,
        );
        assert!(html.contains("<h2 id=\"aussenminister-in-kiew\">"), "{html}");
        assert!(html.contains("<h2 id=\"aussenminister-in-kiew-1\">"), "{html}");
        assert!(html.contains("<h2 id=\"main-1\">"), "{html}");
        assert!(html.contains("<h3 id=\"code-und-mehr\">"), "{html}");
    }

    #[test]
    fn explicit_heading_ids_only_when_enabled() {
        let md = "## Erster {#start}\n\n## Start\n";
        let on = render(
            md,
            &Rendering {
                heading_attributes: true,
                ..Rendering::default()
            },
        );
        assert!(on.contains("<h2 id=\"start\">Erster</h2>"), "{on}");
        assert!(on.contains("<h2 id=\"start-1\">Start</h2>"), "{on}");
        let off = to_html(md, false);
        assert!(off.contains("<h2 id=\"erster-start\">Erster {#start}</h2>"), "{off}");
    }

    #[test]
    fn links_from_the_root_get_the_base_path() {
        let how = Rendering {
            base_path: "/archiv/".into(),
            ..Rendering::default()
        };
        let html = render(
            "[a](/2022/01/x/) [b](/archiv/2022/) [c](//cdn.example/x) [d](../y/) ![e](/static/bild.png)\n",
            &how,
        );
        assert!(html.contains("href=\"/archiv/2022/01/x/\""), "{html}");
        assert!(html.contains("href=\"/archiv/2022/\""), "{html}");
        assert!(html.contains("href=\"//cdn.example/x\""), "{html}");
        assert!(html.contains("href=\"../y/\""), "{html}");
        assert!(html.contains("src=\"/archiv/static/bild.png\""), "{html}");
    }

    #[test]
    fn facts_are_what_rendering_does() {
        let md =
            "Text\n\n## Neue Pläne\n\n[a](@/2022/01/x.md#y) [b](../c/#d) [e](#f)\n\nZweite\n======\n\n[g](@/y.md)\n";
        let facts = BodyFacts::of(md, false, 7);
        assert_eq!(facts.anchors, vec!["neue-plaene", "zweite"]);
        assert_eq!(
            facts.content_links,
            vec![("2022/01/x.md".to_string(), 11), ("y.md".to_string(), 16)]
        );
        assert!(facts.fragment_links);
        let how = Rendering {
            base_path: "/archiv/".into(),
            content_urls: std::sync::Arc::new([("2022/01/x.md".to_string(), "/archiv/2022/01/x/".to_string())].into()),
            ..Rendering::default()
        };
        let html = render(md, &how);
        assert!(html.contains("href=\"/archiv/2022/01/x/#y\""), "{html}");
        assert!(
            html.contains("<h2 id=\"neue-plaene\">") && html.contains("<h1 id=\"zweite\">"),
            "{html}"
        );
        assert_eq!(BodyFacts::of("Nur Text.\n", false, 1), BodyFacts::default());
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
