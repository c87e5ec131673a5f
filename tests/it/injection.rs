//! Scraped text never becomes markup (SECURITY.md): every payload below goes into
//! every front-matter field blatt accepts and into the body, through the real
//! `blatt build`, and every output file is read back with real parsers —
//! HTML with scraper (html5ever, the parser browsers use), feeds and the
//! sitemap with roxmltree (a strict XML parser), the rss and atom_syndication
//! crates, JSON (JSON Feed too) with serde_json. Fields that check their value (`slug`, `language`,
//! `source_url`, dates, `draft`) must refuse the payloads with the file and
//! line instead.
//!
//! A check collects every problem it finds before it fails, so one run shows
//! the whole extent of a regression.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use blatt::render::context::LISTED_TERMS;
use blatt::text::slug::slugify;
use scraper::{ElementRef, Html, Selector};

/// `(name, payload)`. The name becomes part of the article's file name.
const PAYLOADS: &[(&str, &str)] = &[
    ("script", "<script>alert(1)</script>"),
    ("script-upper", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>"),
    ("img-onerror", "<img src=x onerror=alert(1)>"),
    ("svg-onload", "<svg onload=alert(1)>"),
    ("svg-script", "<svg><script>alert(1)</script></svg>"),
    (
        "math",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    ),
    ("iframe", "<iframe src=\"javascript:alert(1)\"></iframe>"),
    (
        "object-embed",
        "<object data=javascript:alert(1)></object><embed src=javascript:alert(1)>",
    ),
    (
        "form",
        "<form action=javascript:alert(1)><button formaction=javascript:alert(1)>x</button></form>",
    ),
    ("style", "<style>body{background:url(javascript:alert(1))}</style>"),
    (
        "meta-refresh",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    ),
    ("base", "<base href=\"javascript:alert(1)//\">"),
    ("js-url", "javascript:alert(1)"),
    ("js-mixed-case", "JaVaScRiPt:alert(1)"),
    ("js-leading-space", " \t\n javascript:alert(1)"),
    ("js-tab-inside", "java\tscript:alert(1)"),
    ("js-entity", "&#106;avascript:alert(1)"),
    ("js-entity-colon", "javascript&colon;alert(1)"),
    ("data-url", "data:text/html,<script>alert(1)</script>"),
    (
        "data-base64",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    ),
    ("vbscript", "vbscript:msgbox(1)"),
    ("close-title", "</title><script>alert(1)</script>"),
    ("attr-double", "\"><script>alert(1)</script>"),
    ("attr-single", "'><script>alert(1)</script>"),
    ("attr-unquoted", "x onmouseover=alert(1) y"),
    ("cdata-end", "]]><script>alert(1)</script>"),
    ("close-script", "</script><script>alert(1)</script>"),
    ("html-comment", "<!-- <script>alert(1)</script> -->"),
    (
        "html-block",
        "<div onclick=alert(1)>\n<iframe src=javascript:alert(1)></iframe>\n</div>",
    ),
    ("anchor", "<a href=\"javascript:alert(1)\">x</a>"),
    ("tera-expression", "{{ config }} {{ site.title }} {{ __tera_context }}"),
    (
        "tera-statement",
        "{% raw %}{{ site }}{% endraw %} {% include \"base.html\" %} {# x #}",
    ),
    ("md-link", "[x](javascript:alert(1))"),
    ("md-link-entity", "[x](&#106;avascript:alert(1))"),
    ("md-link-angle", "[x](<java script:alert(1)>)"),
    ("md-link-zero-width", "[x](java\u{200b}script:alert(1))"),
    (
        "md-link-title",
        "[x](https://example.org \"\\\"><script>alert(1)</script>\")",
    ),
    ("md-image", "![x](javascript:alert(1))"),
    (
        "md-image-data",
        "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    ),
    ("md-autolink", "<javascript:alert(1)>"),
    ("md-autolink-data", "<data:text/html,alert(1)>"),
    ("md-reference", "[x][evil]\n\n[evil]: javascript:alert(1)"),
    ("md-reference-angle", "[evil]\n\n[evil]: <JavaScript:alert(1)> \"t\""),
    ("md-footnote", "x[^a]\n\n[^a]: <script>alert(1)</script>"),
    ("md-heading-attributes", "# Titel {onclick=alert(1) #x .y}"),
    (
        "controls-xml",
        "C0\u{0}\u{1}\u{2}\u{3}\u{4}\u{5}\u{6}\u{7}\u{8}|\u{b}\u{c}|\u{e}\u{f}\u{10}\u{11}\u{12}\u{13}\u{14}\u{15}\
         \u{16}\u{17}\u{18}\u{19}\u{1a}\u{1b}[31m\u{1c}\u{1d}\u{1e}\u{1f}|\u{fffe}\u{ffff}|end",
    ),
    (
        "controls-html",
        "DEL\u{7f}C1\u{80}\u{85}\u{9f}nonchar\u{fdd0}\u{1fffe}\u{10ffff}|end",
    ),
    ("line-separators", "a\u{2028}b\u{2029}c</script>"),
];

/// Whether the body shows a payload as it was written: Markdown reads some
/// of them (links, images, references, footnotes, entities, headings).
fn body_shows_verbatim(name: &str) -> bool {
    !(name.starts_with("md-") || name.starts_with("js-entity"))
}

/// Words of a list written as one string.
fn words(list: &'static str) -> impl Iterator<Item = &'static str> {
    list.split_whitespace()
}

/// Element names any page may contain besides the default templates' own:
/// what Markdown renders to. `img` is not among them: the theme's one image
/// is an article's lead image (see [`lead_image`]), so every other image on
/// a page came from content.
const MARKDOWN_ELEMENTS: &str = "p a em strong code pre blockquote ul ol li h1 h2 h3 h4 h5 h6 hr br \
    table thead tbody tr th td del sup div section";

/// Elements that run code, load things or change how the page is read;
/// none may come from content.
const DANGEROUS: &str = "script svg math img image iframe frame frameset object embed applet form \
    input button textarea select base style link meta template video audio source noscript xmp \
    plaintext noembed portal";

/// Attributes whose value is a URL a browser may load or navigate to.
const URL_ATTRIBUTES: &str = "href src action formaction xlink:href srcset poster data background \
    cite ping codebase manifest longdesc lowsrc dynsrc";

const SITE_TITLE: &str = "Blatt – Nachrichtenarchiv";
const BASE: &str = "https://example.org/";
/// Accepted by `source_url` (an absolute http URL without quotes, `<`, `>`
/// or spaces) yet built to break out of a single-quoted attribute.
const TRICKY_SOURCE_URL: &str = "https://example.org/'onmouseover='alert(1)'/?a=1&b=2";

/// A site with the repository's `site.yaml` and these files under `content/`.
fn site(articles: &[(String, String)]) -> tempfile::TempDir {
    crate::common::site_with(articles)
}

/// A YAML double-quoted scalar holding exactly `s`. YAML allows only
/// printable characters in a file, so the rest are written as escapes, the
/// way a careful scraper (or `serde_yaml`) writes them.
fn yaml(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{0}'..='\u{1f}' | '\u{7f}' => write!(out, "\\x{:02X}", c as u32).unwrap(),
            '\u{80}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}' => {
                write!(out, "\\u{:04X}", c as u32).unwrap()
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn yaml_list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|s| yaml(s)).collect::<Vec<_>>().join(", "))
}

/// Characters a reader never sees: controls other than tab and line breaks
/// (XML 1.0 forbids the C0 ones, HTML calls all of them parse errors) and
/// Unicode noncharacters.
fn invisible(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || ('\u{fdd0}'..='\u{fdef}').contains(&c)
        || (c as u32) & 0xfffe == 0xfffe
}

/// What XML 1.0 allows in a document (§2.2, `Char`).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// A front-matter value as an output carries it: trimmed, invisible characters gone.
fn stored(s: &str) -> String {
    s.trim().chars().filter(|&c| !invisible(c)).collect()
}

/// A front-matter list as blatt keeps it: entries trimmed, repeats dropped
/// (` javascript:…` and `javascript:…` are one author).
fn listed(items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items.iter().map(|i| i.trim().to_string()) {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// Text as a reader sees it, for comparing with text a parser found in HTML.
fn shown(s: &str) -> String {
    s.chars()
        .filter(|&c| !invisible(c))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn text_of(e: &ElementRef) -> String {
    shown(&e.text().collect::<String>())
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

/// What one article's page and feed items must show.
#[derive(Debug, Clone, Default)]
struct Expected {
    title: String,
    kicker: String,
    summary: String,
    authors: Vec<String>,
    sources: Vec<String>,
    topics: Vec<String>,
    tags: Vec<String>,
    source_url: Option<String>,
    /// Text the body must show, as it was written.
    body: Vec<String>,
}

impl Expected {
    /// The article's file: its fields, `payload` in the fields no page
    /// shows (`fingerprint`, `extra`), and `body`.
    fn file(&self, payload: &str, body: &str) -> String {
        let mut text = String::from("---\n");
        writeln!(text, "title: {}", yaml(&self.title)).unwrap();
        text.push_str("date: 2022-01-21\n");
        writeln!(text, "kicker: {}", yaml(&self.kicker)).unwrap();
        writeln!(text, "summary: {}", yaml(&self.summary)).unwrap();
        writeln!(text, "topics: {}", yaml_list(&self.topics)).unwrap();
        writeln!(text, "tags: {}", yaml_list(&self.tags)).unwrap();
        writeln!(text, "authors: {}", yaml_list(&self.authors)).unwrap();
        writeln!(text, "sources: {}", yaml_list(&self.sources)).unwrap();
        writeln!(text, "fingerprint: {}", yaml(payload)).unwrap();
        if let Some(url) = &self.source_url {
            writeln!(text, "source_url: {}", yaml(url)).unwrap();
        }
        writeln!(
            text,
            // An explicit key (`?`): a plain one may not be longer than 1024 characters.
            // `standfirst` and `dateline`: the keys the default theme shows.
            "extra:\n  ? {}\n  : {}\n  list: [{}]\n  nested: {{ inner: {} }}\n  standfirst: {}\n  dateline: {}",
            yaml(payload),
            yaml(payload),
            yaml(payload),
            yaml(payload),
            yaml(payload),
            yaml(payload)
        )
        .unwrap();
        text.push_str("---\n\n");
        text.push_str(body);
        text.push('\n');
        text
    }
}

fn topic_name(n: usize, payload: &str) -> String {
    format!("{payload} t{n}")
}

fn tag_name(n: usize, payload: &str) -> String {
    format!("{payload} g{n}")
}

/// The body of a payload's article: the payload as a paragraph of its own,
/// inside a sentence, quoted, in a list and as a heading.
fn body(payload: &str) -> String {
    format!("{payload}\n\nEin Satz mit {payload} mitten darin.\n\n> {payload}\n\n- {payload}\n\n## {payload}\n")
}

/// One article per payload (every text field and the body hold it), one
/// with all of them together, and one whose file name is a payload.
fn corpus() -> (Vec<(String, String)>, BTreeMap<String, Expected>) {
    let mut files = Vec::new();
    let mut expected = BTreeMap::new();
    for (n, (name, payload)) in PAYLOADS.iter().enumerate() {
        let article = Expected {
            title: format!("{payload} #{n}"),
            kicker: payload.to_string(),
            summary: format!("Zusammenfassung {payload} #{n}"),
            authors: vec![payload.to_string()],
            sources: vec![format!("{payload} q{n}")],
            topics: vec![topic_name(n, payload)],
            tags: vec![tag_name(n, payload)],
            source_url: None,
            body: if body_shows_verbatim(name) {
                vec![payload.to_string()]
            } else {
                Vec::new()
            },
        };
        let file = format!("p{n:02}-{name}.md");
        files.push((file.clone(), article.file(payload, &body(payload))));
        expected.insert(format!("2022/01/{}/", slugify(&file[..file.len() - 3])), article);
    }
    let all: Vec<&str> = PAYLOADS.iter().map(|p| p.1).collect();
    let together = Expected {
        title: format!("{} #all", all.join(" ")),
        kicker: all.join(" "),
        summary: all.join(" "),
        authors: all.iter().map(|p| p.to_string()).collect(),
        sources: all.iter().map(|p| format!("{p} all")).collect(),
        topics: all.iter().enumerate().map(|(n, p)| topic_name(n, p)).collect(),
        tags: all.iter().enumerate().map(|(n, p)| tag_name(n, p)).collect(),
        source_url: Some(TRICKY_SOURCE_URL.into()),
        body: PAYLOADS
            .iter()
            .filter(|(name, _)| body_shows_verbatim(name))
            .map(|(_, payload)| payload.to_string())
            .collect(),
    };
    let together_body: String = PAYLOADS.iter().map(|(_, payload)| body(payload) + "\n").collect();
    files.push(("zz-together.md".into(), together.file(&all.join(" "), &together_body)));
    expected.insert("2022/01/zz-together/".into(), together);

    let named = "\"><img src=x onerror=alert(1)>";
    let by_name = Expected {
        title: "Dateiname".into(),
        kicker: "Kicker".into(),
        summary: "Zusammenfassung".into(),
        authors: vec!["a".into()],
        sources: vec!["dpa".into()],
        ..Default::default()
    };
    files.push((format!("{named}.md"), by_name.file("x", "Text.")));
    expected.insert(format!("2022/01/{}/", slugify(named)), by_name);
    (files, expected)
}

/// How the default theme itself uses the elements content must not bring.
struct Theme {
    elements: BTreeSet<String>,
    /// `type` of every `<script>` of the templates.
    script_types: BTreeSet<String>,
}

fn theme() -> Theme {
    let tag = regex::Regex::new(r"<([a-zA-Z][a-zA-Z0-9-]*)").unwrap();
    let mut elements: BTreeSet<String> = words(MARKDOWN_ELEMENTS).map(String::from).collect();
    elements.extend(["html", "head", "body"].map(String::from));
    let mut script_types = BTreeSet::new();
    for (name, text) in blatt::render::templates::DEFAULTS {
        for c in tag.captures_iter(text) {
            elements.insert(c[1].to_ascii_lowercase());
        }
        let fragment = Html::parse_fragment(text);
        for script in select(&fragment, "script") {
            if *name == "search.html" {
                continue; // its own script, checked by `search_page_own`
            }
            script_types.insert(script.value().attr("type").unwrap_or("").to_ascii_lowercase());
            assert!(script.value().attr("src").is_none(), "{name}: a script with src");
        }
    }
    let unexpected: Vec<&String> = elements
        .iter()
        .filter(|e| {
            words(DANGEROUS).any(|d| d == *e)
                && !matches!(e.as_str(), "link" | "meta" | "script")
                && !SEARCH_PAGE_OWN.contains(&e.as_str())
                && e.as_str() != "img"
        })
        .collect();
    assert!(
        unexpected.is_empty(),
        "the theme now uses {unexpected:?}: teach this test which of them are the theme's own"
    );
    Theme { elements, script_types }
}

/// Elements the search page (and only it) has of its own: its form, the
/// button for more results and the script that reads the index.
const SEARCH_PAGE_OWN: [&str; 3] = ["form", "input", "button"];

/// Whether `e` is one of the search page's own elements, exactly as the
/// theme writes them.
fn search_page_own(rel: &str, e: &ElementRef) -> bool {
    let v = e.value();
    if !matches!(rel, "search/index.html" | "suche/index.html") {
        return false;
    }
    let in_form = e
        .ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| a.value().id() == Some("search-form"));
    match v.name() {
        "form" => v.id() == Some("search-form"),
        "input" => v.id() == Some("search-input") && in_form,
        "button" => in_form || v.id() == Some("search-more"),
        "script" => v.attr("src") == Some("/static/search.js") && v.attr("type").is_none() && e.inner_html().is_empty(),
        _ => false,
    }
}

/// Whether `e` is the theme's lead image, exactly where the theme puts it:
/// the one `img` in the frame of a `figure class="lead"` right inside the
/// article.
fn lead_image(e: &ElementRef) -> bool {
    let up: Vec<ElementRef> = e.ancestors().filter_map(ElementRef::wrap).take(3).collect();
    let is = |i: usize, name: &str, class: Option<&str>| {
        up.get(i)
            .is_some_and(|a| a.value().name() == name && a.value().attr("class") == class)
    };
    e.value().name() == "img"
        && is(0, "div", Some("frame"))
        && is(1, "figure", Some("lead"))
        && up.get(2).is_some_and(|a| a.value().name() == "article")
}

/// JSON-LD is the one kind of script a page may carry, and only when the
/// theme puts it there. Its text must be valid JSON, and must not end the
/// script early: `</script` or `<!--` inside it would let content out.
fn check_json_ld(rel: &str, raw: &str, problems: &mut Vec<String>) -> usize {
    let lower = raw.to_ascii_lowercase();
    let mut checked = 0;
    let mut at = 0;
    while let Some(start) = lower[at..].find("<script").map(|i| at + i) {
        let open_end = lower[start..].find('>').map_or(lower.len(), |i| start + i + 1);
        let close = lower[open_end..].find("</script").map_or(lower.len(), |i| open_end + i);
        let open = &lower[start..open_end];
        if open.contains("application/ld+json") {
            let json = &raw[open_end..close];
            if let Err(e) = serde_json::from_str::<serde_json::Value>(json) {
                problems.push(format!("{rel}: JSON-LD is not valid JSON ({e}): {json}"));
            }
            if json.contains("<!--") {
                problems.push(format!("{rel}: `<!--` inside JSON-LD"));
            }
            checked += 1;
        }
        at = close.max(start + 1);
    }
    checked
}

/// Every check of one HTML document (a page, or the body of a feed item);
/// the number of JSON-LD scripts it checked.
fn check_html(rel: &str, raw: &str, doc: &Html, theme: &Theme, problems: &mut Vec<String>) -> usize {
    let mut scripts = 0;
    for e in select(doc, "*") {
        let element = e.value();
        let name = element.name();
        if search_page_own(rel, &e) || lead_image(&e) {
            if name == "script" {
                scripts += 1;
            }
        } else if name == "script" {
            let kind = element.attr("type").unwrap_or("").to_ascii_lowercase();
            if kind == "application/ld+json" && theme.script_types.contains(&kind) {
                scripts += 1;
            } else {
                problems.push(format!("{rel}: <script> from content: {}", e.html()));
            }
        } else if !theme.elements.contains(name) {
            problems.push(format!("{rel}: <{name}> from content: {}", e.html()));
        } else if words(DANGEROUS).any(|d| d == name) {
            // The theme's own: links and metadata in the head.
            let in_head = e
                .ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| a.value().name() == "head");
            if !in_head || element.attr("http-equiv").is_some() {
                problems.push(format!("{rel}: <{name}> outside the theme's head: {}", e.html()));
            }
        }
        for (attr, value) in element.attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") || attr == "srcdoc" {
                problems.push(format!("{rel}: attribute {attr}={value:?} on <{name}>"));
            }
            if attr == "style" && !matches!(value, "text-align: left" | "text-align: center" | "text-align: right") {
                problems.push(format!("{rel}: style={value:?} on <{name}>"));
            }
            if words(URL_ATTRIBUTES).any(|u| u == attr) {
                let cleaned: String = value
                    .chars()
                    .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                if ["javascript:", "vbscript:", "data:"]
                    .iter()
                    .any(|s| cleaned.starts_with(s))
                {
                    problems.push(format!("{rel}: {attr}={value:?} on <{name}>"));
                }
            }
        }
    }
    let raw_scripts = raw.to_ascii_lowercase().matches("<script").count();
    if raw_scripts != scripts {
        problems.push(format!(
            "{rel}: {raw_scripts} `<script` in the source, {scripts} from the theme"
        ));
    }
    check_json_ld(rel, raw, problems)
}

/// Characters no output may contain, named with where they are.
fn check_characters(rel: &str, text: &str, problems: &mut Vec<String>) {
    for (line, l) in text.lines().enumerate() {
        if let Some(c) = l.chars().find(|&c| !xml_char(c) || invisible(c)) {
            problems.push(format!("{rel}:{}: character U+{:04X}", line + 1, c as u32));
        }
    }
}

fn outputs(public: &Path) -> BTreeMap<String, Vec<u8>> {
    crate::common::files(public)
}

fn fail_on(problems: Vec<String>) {
    if !problems.is_empty() {
        let shown: Vec<String> = problems
            .iter()
            .take(40)
            .map(|p| match p.char_indices().nth(400) {
                Some((cut, _)) => format!("{} …", &p[..cut]),
                None => p.clone(),
            })
            .collect();
        panic!(
            "{} problems, the first {}:\n{}",
            problems.len(),
            shown.len(),
            shown.join("\n")
        );
    }
}

/// Checks an article page against what its front matter and body hold.
fn check_article_page(rel: &str, doc: &Html, article: &Expected, problems: &mut Vec<String>) {
    let mut expect = |what: &str, found: Vec<String>, wanted: Vec<String>| {
        if found != wanted {
            problems.push(format!("{rel}: {what}: found {found:?}, wanted {wanted:?}"));
        }
    };
    let texts = |css: &str| select(doc, css).iter().map(text_of).collect::<Vec<_>>();
    expect(
        "<title>",
        texts("head > title"),
        vec![shown(&format!("{} – {SITE_TITLE}", article.title))],
    );
    expect("<h1>", texts("article > header h1"), vec![shown(&article.title)]);
    expect("kicker", texts("article header p.kicker"), vec![shown(&article.kicker)]);
    let description: Vec<String> = select(doc, "meta[name=description]")
        .iter()
        .map(|m| shown(m.value().attr("content").unwrap_or("")))
        .collect();
    expect("meta description", description, vec![shown(&article.summary)]);
    let byline: Vec<String> = texts("article header p.meta")
        .iter()
        .map(|t| t.split_once(" · Von ").map_or(String::new(), |(_, by)| by.to_string()))
        .collect();
    expect("authors", byline, vec![shown(&listed(&article.authors).join(", "))]);
    expect(
        "sources",
        texts("p.sources"),
        vec![shown(&format!("Quellen: {}", listed(&article.sources).join(", ")))],
    );
    expect(
        "topics",
        texts("ul.topics a"),
        article.topics.iter().map(|t| shown(t)).collect(),
    );
    expect(
        "tags",
        texts("ul.tags a"),
        article.tags.iter().map(|t| shown(t)).collect(),
    );
    let original: Vec<String> = select(doc, "a[rel~=nofollow]")
        .iter()
        .map(|a| a.value().attr("href").unwrap_or("").to_string())
        .collect();
    expect("source link", original, article.source_url.iter().cloned().collect());
    let content = select(doc, "article .content").first().map(text_of).unwrap_or_default();
    for shown_text in article.body.iter().map(|b| shown(b)) {
        if !content.contains(&shown_text) {
            problems.push(format!(
                "{rel}: the body does not show {shown_text:?} as text: {content:?}"
            ));
        }
    }
}

/// Links name what they lead to: an article link its title, a term link the
/// term's name, wherever they appear (lists, navigation, neighbours).
fn check_link_texts(rel: &str, doc: &Html, names: &BTreeMap<String, String>, problems: &mut Vec<String>) {
    for a in select(doc, "a[href]") {
        let href = a.value().attr("href").unwrap();
        if let Some(name) = href.strip_prefix('/').and_then(|path| names.get(path)) {
            let text = text_of(&a);
            if text != shown(name) {
                problems.push(format!("{rel}: link to {href} reads {text:?}, not {:?}", shown(name)));
            }
        }
    }
}

fn element<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|c| c.is_element() && c.tag_name().name() == name)
}

fn text_in(node: Option<roxmltree::Node>) -> String {
    node.map(|n| n.children().filter_map(|c| c.text()).collect())
        .unwrap_or_default()
}

/// The text a reader shows for a feed value it renders as HTML (every RSS
/// `<description>`, Atom text of `type="html"`). These values are made from
/// plain text, so any element a reader's HTML parser finds in one came from
/// content: a problem, whatever it is.
fn html_text(rel: &str, what: &str, html: &str, problems: &mut Vec<String>) -> String {
    let fragment = Html::parse_fragment(html);
    for e in fragment
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .skip(1)
    {
        problems.push(format!(
            "{rel}: {what}: <{}> in a text value: {}",
            e.value().name(),
            e.html()
        ));
    }
    fragment.root_element().text().collect()
}

/// The text a reader shows for an Atom text construct (`title`, `subtitle`,
/// `summary`): plain unless its `type` says HTML.
fn atom_text(rel: &str, what: &str, node: Option<roxmltree::Node>, problems: &mut Vec<String>) -> String {
    let text = text_in(node);
    match node.and_then(|n| n.attribute("type")) {
        None | Some("text") => text,
        Some("html") => html_text(rel, what, &text, problems),
        Some(other) => {
            problems.push(format!("{rel}: {what} of type {other:?}"));
            text
        }
    }
}

/// The channel of an RSS feed: its description, which readers render as
/// HTML, shows the site's description or the term's name as text.
fn check_channel(rel: &str, xml: &roxmltree::Document, names: &BTreeMap<String, String>, problems: &mut Vec<String>) {
    let channel = element(xml.root_element(), "channel");
    let description = text_in(channel.and_then(|c| element(c, "description")));
    let shown_text = html_text(rel, "channel description", &description, problems);
    let page = rel.trim_end_matches("feed.xml");
    match names.get(page) {
        Some(term) if !shown_text.ends_with(&format!(": {}", stored(term))) => problems.push(format!(
            "{rel}: channel description {shown_text:?} does not name {term:?}"
        )),
        None if page.is_empty() && shown_text.trim().is_empty() => {
            problems.push(format!("{rel}: no channel description"))
        }
        _ => {}
    }
}

/// A feed: every item as its article says, its body passing the page checks.
fn check_feed(
    rel: &str,
    xml: &roxmltree::Document,
    articles: &BTreeMap<String, Expected>,
    theme: &Theme,
    problems: &mut Vec<String>,
) -> usize {
    const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
    const DC: &str = "http://purl.org/dc/elements/1.1/";
    let mut items = 0;
    for item in xml.descendants().filter(|n| n.has_tag_name("item")) {
        items += 1;
        let link = text_in(element(item, "link"));
        let summary = html_text(
            rel,
            &format!("{link}: description"),
            &text_in(element(item, "description")),
            problems,
        );
        let entry = Entry {
            link,
            title: text_in(element(item, "title")),
            summary,
            authors: item
                .children()
                .filter(|c| c.has_tag_name((DC, "creator")))
                .map(|c| text_in(Some(c)))
                .collect(),
            categories: item
                .children()
                .filter(|c| c.has_tag_name("category"))
                .map(|c| text_in(Some(c)))
                .collect(),
            in_attributes: false,
            body: text_in(item.children().find(|c| c.has_tag_name((CONTENT, "encoded")))),
        };
        check_entry(rel, entry, articles, theme, problems);
    }
    items
}

/// One feed entry as a format carries it, for [`check_entry`].
struct Entry {
    link: String,
    title: String,
    summary: String,
    authors: Vec<String>,
    /// Topics and tags, in any order.
    categories: BTreeSet<String>,
    /// Whether the categories were XML attribute values, which a parser
    /// reads with tabs and line breaks as spaces (XML 1.0 §3.3.3).
    in_attributes: bool,
    body: String,
}

/// An Atom or JSON Feed entry: as its article says, its body passing the
/// page checks.
fn check_entry(
    rel: &str,
    entry: Entry,
    articles: &BTreeMap<String, Expected>,
    theme: &Theme,
    problems: &mut Vec<String>,
) {
    let link = &entry.link;
    let Some(article) = link.strip_prefix(BASE).and_then(|path| articles.get(path)) else {
        problems.push(format!("{rel}: an entry links to {link:?}"));
        return;
    };
    let mut expect = |what: &str, found: Vec<String>, wanted: Vec<String>| {
        if found != wanted {
            problems.push(format!("{rel}: {link}: {what}: found {found:?}, wanted {wanted:?}"));
        }
    };
    expect("title", vec![entry.title], vec![stored(&article.title)]);
    expect("summary", vec![entry.summary], vec![stored(&article.summary)]);
    expect(
        "authors",
        entry.authors,
        listed(&article.authors).iter().map(|a| stored(a)).collect(),
    );
    expect(
        "categories",
        entry.categories.into_iter().collect(),
        // Each feed item carries the first few of its article's terms.
        article
            .topics
            .iter()
            .take(LISTED_TERMS)
            .chain(article.tags.iter().take(LISTED_TERMS))
            .map(|t| stored(t))
            .map(|t| {
                if entry.in_attributes {
                    t.replace(['\t', '\n', '\r'], " ")
                } else {
                    t
                }
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
    );
    let fragment = Html::parse_fragment(&entry.body);
    check_html(
        &format!("{rel}: {link}: content"),
        &entry.body,
        &fragment,
        theme,
        problems,
    );
    let shown_body = shown(&fragment.root_element().text().collect::<String>());
    for text in article.body.iter().map(|b| shown(b)) {
        if !shown_body.contains(&text) {
            problems.push(format!("{rel}: {link}: content does not show {text:?}"));
        }
    }
}

/// An Atom feed; returns its number of entries.
fn check_atom(
    rel: &str,
    xml: &roxmltree::Document,
    articles: &BTreeMap<String, Expected>,
    theme: &Theme,
    problems: &mut Vec<String>,
) -> usize {
    const ATOM: &str = "http://www.w3.org/2005/Atom";
    fn atom<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
        node.children().find(|c| c.has_tag_name((ATOM, name)))
    }
    let entries: Vec<_> = xml
        .root_element()
        .children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .collect();
    let feed = xml.root_element();
    for what in ["title", "subtitle"] {
        atom_text(rel, what, atom(feed, what), problems);
    }
    for entry in &entries {
        let content = atom(*entry, "content");
        if content.and_then(|c| c.attribute("type")) != Some("html") {
            problems.push(format!("{rel}: an entry's content is not type=\"html\""));
        }
        let link = atom(*entry, "link")
            .and_then(|l| l.attribute("href"))
            .unwrap_or_default()
            .to_string();
        let entry = Entry {
            title: atom_text(rel, &format!("{link}: title"), atom(*entry, "title"), problems),
            summary: atom_text(rel, &format!("{link}: summary"), atom(*entry, "summary"), problems),
            link,
            authors: entry
                .children()
                .filter(|c| c.has_tag_name((ATOM, "author")))
                .map(|a| text_in(atom(a, "name")))
                .collect(),
            categories: entry
                .children()
                .filter(|c| c.has_tag_name((ATOM, "category")))
                .filter_map(|c| c.attribute("term").map(str::to_string))
                .collect(),
            in_attributes: true,
            body: text_in(content),
        };
        check_entry(rel, entry, articles, theme, problems);
    }
    entries.len()
}

/// A JSON Feed; returns its number of items. JSON Feed 1.1 makes `title`
/// and `summary` plain text and only `content_html` HTML, so the summary
/// must arrive as exactly the text of the front matter (a reader shows it
/// as it is), and the body passes the page checks.
fn check_json_feed(
    rel: &str,
    feed: &serde_json::Value,
    articles: &BTreeMap<String, Expected>,
    theme: &Theme,
    problems: &mut Vec<String>,
) -> usize {
    let string = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let items = feed["items"].as_array().cloned().unwrap_or_default();
    for item in &items {
        let entry = Entry {
            link: string(&item["url"]),
            title: string(&item["title"]),
            summary: string(&item["summary"]),
            authors: item["authors"]
                .as_array()
                .map(|a| a.iter().map(|a| string(&a["name"])).collect())
                .unwrap_or_default(),
            categories: item["tags"]
                .as_array()
                .map(|t| t.iter().map(string).collect())
                .unwrap_or_default(),
            in_attributes: false,
            body: string(&item["content_html"]),
        };
        check_entry(rel, entry, articles, theme, problems);
    }
    items.len()
}

#[test]
fn payloads_in_every_field_and_the_body_never_become_markup() {
    let (files, articles) = corpus();
    let dir = site(&files);
    // A news sitemap window of a century, so that it lists every article;
    // bodies in every term feed and whole summaries as descriptions, so that
    // each field is shown somewhere in full (build.rs checks cut ones).
    let yaml = dir.path().join("site.yaml");
    let config = std::fs::read_to_string(&yaml).unwrap().replace(
        "\n  formats: [rss, atom, json]\n",
        "\n  formats: [rss, atom, json]\n  term_full_text: 50\n",
    ) + "news:\n  window_hours: 876000\nsocial:\n  description_length: 0\n";
    assert!(config.contains("term_full_text: 50"));
    std::fs::write(&yaml, config).unwrap();
    let assert = crate::common::blatt(dir.path()).arg("build").assert().success();
    let summary = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(
        summary.contains(&format!("built {} articles", articles.len())),
        "{summary}"
    );
    let public = dir.path().join("public");
    let theme = theme();

    // Link targets and the names they must read as.
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for (path, article) in &articles {
        names.insert(path.clone(), article.title.clone());
        for topic in &article.topics {
            names.insert(format!("themen/{}/", slugify(topic)), topic.clone());
        }
        for tag in &article.tags {
            names.insert(format!("schlagworte/{}/", slugify(tag)), tag.clone());
        }
    }

    let mut problems = Vec::new();
    let (mut pages, mut article_pages, mut feeds, mut items, mut json) = (0, 0, 0, 0, 0);
    let (mut atom_feeds, mut atom_entries, mut json_feeds, mut json_items) = (0, 0, 0, 0);
    let mut news_titles = 0;
    let outputs = outputs(&public);
    for (rel, bytes) in &outputs {
        let Ok(text) = std::str::from_utf8(bytes) else {
            if !rel.starts_with("static/") {
                problems.push(format!("{rel}: not UTF-8"));
            }
            continue;
        };
        check_characters(rel, text, &mut problems);
        if rel.ends_with(".html") {
            pages += 1;
            let doc = Html::parse_document(text);
            json += check_html(rel, text, &doc, &theme, &mut problems);
            let titles = select(&doc, "title").len();
            if titles != 1 || select(&doc, "head > title").len() != 1 {
                problems.push(format!("{rel}: {titles} <title> elements"));
            }
            check_link_texts(rel, &doc, &names, &mut problems);
            let path = rel.trim_end_matches("index.html");
            if let Some(article) = articles.get(path) {
                article_pages += 1;
                check_article_page(rel, &doc, article, &mut problems);
            }
            if let Some(term) = names.get(path).filter(|_| !articles.contains_key(path)) {
                let h1: Vec<String> = select(&doc, "h1").iter().map(text_of).collect();
                if h1 != [shown(term)] {
                    problems.push(format!("{rel}: <h1> {h1:?}, not the term {:?}", shown(term)));
                }
            }
        } else if rel.ends_with(".xml") {
            let xml = match roxmltree::Document::parse(text) {
                Ok(xml) => xml,
                Err(e) => {
                    problems.push(format!("{rel}: not well-formed XML: {e}"));
                    continue;
                }
            };
            match xml.root_element().tag_name().name() {
                "rss" => {
                    feeds += 1;
                    check_channel(rel, &xml, &names, &mut problems);
                    items += check_feed(rel, &xml, &articles, &theme, &mut problems);
                    if let Err(e) = rss::Channel::read_from(bytes.as_slice()) {
                        problems.push(format!("{rel}: the rss crate cannot read it: {e}"));
                    }
                }
                "feed" => {
                    atom_feeds += 1;
                    atom_entries += check_atom(rel, &xml, &articles, &theme, &mut problems);
                    if let Err(e) = text.parse::<atom_syndication::Feed>() {
                        problems.push(format!("{rel}: the atom_syndication crate cannot read it: {e}"));
                    }
                }
                "urlset" => {
                    const NEWS: &str = "http://www.google.com/schemas/sitemap-news/0.9";
                    for url in xml.root_element().children().filter(|n| n.has_tag_name("url")) {
                        let Some(title) = url.descendants().find(|n| n.has_tag_name((NEWS, "title"))) else {
                            continue;
                        };
                        news_titles += 1;
                        let loc = text_in(element(url, "loc"));
                        match loc.strip_prefix(BASE).and_then(|path| articles.get(path)) {
                            Some(a) if text_in(Some(title)) == stored(&a.title) => {}
                            _ => problems.push(format!("{rel}: {loc}: news:title {:?}", text_in(Some(title)))),
                        }
                    }
                    for loc in xml.descendants().filter(|n| n.has_tag_name("loc")) {
                        let url = text_in(Some(loc));
                        let file = url.strip_prefix(BASE).map(|p| public.join(p).join("index.html"));
                        if !file.is_some_and(|f| f.is_file()) {
                            problems.push(format!("{rel}: <loc> {url:?} is not a page of the site"));
                        }
                    }
                }
                other => problems.push(format!("{rel}: unexpected XML document <{other}>")),
            }
        } else if rel.ends_with(".json") {
            json += 1;
            match serde_json::from_slice::<serde_json::Value>(bytes) {
                Err(e) => problems.push(format!("{rel}: not valid JSON: {e}")),
                Ok(feed) if rel.ends_with("feed.json") => {
                    json_feeds += 1;
                    json_items += check_json_feed(rel, &feed, &articles, &theme, &mut problems);
                }
                Ok(_) => {}
            }
        }
    }
    fail_on(problems);
    // The checks above ran on everything they should have.
    assert_eq!(article_pages, articles.len());
    // Authors are named by the payloads themselves, so some share a slug
    // and with it a page and feed.
    let mut by_author: BTreeMap<String, usize> = BTreeMap::new();
    for a in articles.values() {
        for slug in a.authors.iter().map(|name| slugify(name)).collect::<BTreeSet<_>>() {
            *by_author.entry(slug).or_default() += 1;
        }
    }
    // The site feed, one per topic and tag (each payload has its own), one per author.
    assert_eq!(feeds, 1 + 2 * PAYLOADS.len() + by_author.len(), "feeds");
    // The site feed's newest `feed.limit` (50), two in each term feed.
    let author_items: usize = by_author.values().map(|&n| n.min(50)).sum();
    assert_eq!(
        items,
        articles.len().min(50) + 2 * PAYLOADS.len() * 2 + author_items,
        "feed items"
    );
    // The same feeds in Atom and JSON Feed, with the same entries.
    assert_eq!((atom_feeds, json_feeds), (feeds, feeds), "Atom and JSON feeds");
    assert_eq!(
        (atom_entries, json_items),
        (items, items),
        "Atom entries and JSON Feed items"
    );
    assert!(pages > 2 * PAYLOADS.len() + articles.len(), "{pages} pages");
    assert!(outputs.contains_key("sitemap.xml"));
    assert_eq!(news_titles, articles.len(), "news sitemap entries");
    if json == 0 {
        eprintln!("note: blatt wrote no JSON and no JSON-LD; the JSON checks had nothing to read");
    }
}

/// The checks are not vacuous: each finds what it looks for.
#[test]
fn the_checks_catch_injected_markup() {
    let theme = theme();
    let page = "<!DOCTYPE html><html><head><title>a</title></head><body>\
        <p onclick=x>a</p><a href=\" JAVA\tscript:x\">b</a><svg></svg><b>c</b><script>d</script>\
        <script type=application/ld+json>{\"a\": \"</script>\"}</script></body></html>";
    let mut problems = Vec::new();
    check_html("t.html", page, &Html::parse_document(page), &theme, &mut problems);
    let found = problems.join("\n");
    for needle in [
        "onclick",
        "JAVA",
        "<svg>",
        "<b>",
        "<script> from content",
        "JSON-LD is not valid",
    ] {
        assert!(found.contains(needle), "{needle} not caught:\n{found}");
    }
    let mut problems = Vec::new();
    check_characters("f.xml", "<a>\u{1}</a>\n<b>\u{ffff}\u{85}</b>", &mut problems);
    assert_eq!(problems, ["f.xml:1: character U+0001", "f.xml:2: character U+FFFF"]);
    // roxmltree refuses what a streaming reader such as quick-xml lets through.
    for bad in [
        "<a>\u{1}</a>",
        "<a>&bogus;</a>",
        "<a>]]></a>",
        "<a x='1' x='2'/>",
        "<p:a/>",
    ] {
        assert!(roxmltree::Document::parse(bad).is_err(), "roxmltree accepts {bad:?}");
    }
    assert_eq!(
        yaml("a\"\\\n\u{0}\u{85}\u{ffff}"),
        "\"a\\\"\\\\\\n\\x00\\u0085\\uFFFF\""
    );
}

/// `slug`, `language`, `source_url`, `date`, `updated` and `draft` check
/// their values: each payload is refused, naming the file, the line and the
/// key, and the build writes nothing.
#[test]
fn checked_fields_refuse_the_payloads_with_file_and_line() {
    let fields = ["slug", "language", "source_url", "date", "updated", "draft"];
    let mut files = Vec::new();
    let mut wanted = Vec::new();
    for field in fields {
        for (n, (name, payload)) in PAYLOADS.iter().enumerate() {
            let file = format!("{field}/p{n:02}-{name}.md");
            let (text, line) = if field == "date" {
                (format!("---\ntitle: Probe\ndate: {}\n---\n\nText.\n", yaml(payload)), 3)
            } else {
                (
                    format!(
                        "---\ntitle: Probe\ndate: 2022-01-21\n{field}: {}\n---\n\nText.\n",
                        yaml(payload)
                    ),
                    4,
                )
            };
            files.push((file.clone(), text));
            wanted.push((file, line, field));
        }
    }
    let dir = site(&files);
    let output = crate::common::blatt(dir.path()).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut problems = Vec::new();
    for (file, line, field) in &wanted {
        let path = dir.path().join("content").join(file).display().to_string();
        let prefix = format!("error: {path}:{line}: `{field}`");
        if !stderr.lines().any(|l| l.starts_with(&prefix)) {
            problems.push(format!("no `{prefix}` error"));
        }
    }
    fail_on(problems);
    assert!(
        stderr.contains(&format!(
            "{} errors in {} files; nothing was written",
            wanted.len(),
            wanted.len()
        )),
        "{stderr}"
    );
    assert!(!dir.path().join("public").exists());
}

/// YAML cannot hold a control character written as it is; such a file is
/// refused with its name rather than read with the character lost.
#[test]
fn a_literal_control_character_in_front_matter_is_refused() {
    let dir = site(&[(
        "a.md".into(),
        "---\ntitle: a\ndate: 2022-01-21\nkicker: \"x\u{1}y\"\n---\n\nText.\n".into(),
    )]);
    let path = dir.path().join("content/a.md").display().to_string();
    let output = crate::common::blatt(dir.path()).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = stderr
        .lines()
        .find(|l| l.starts_with(&format!("error: {path}:")))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(line.contains("control characters are not allowed"), "{line}");
    let number: String = line[format!("error: {path}:").len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert!(!number.is_empty(), "no line number: {line}");
}

/// The theme may show `extra` values (templates/README.md); a site's own
/// template that does is escaped all the same, and never evaluates them.
#[test]
fn extra_values_shown_by_a_site_template_are_escaped() {
    let payloads: Vec<&str> = PAYLOADS.iter().map(|p| p.1).collect();
    let mut front = String::from("---\ntitle: Extra\ndate: 2022-01-21\nextra:\n");
    for (n, payload) in payloads.iter().enumerate() {
        writeln!(front, "  k{n:02}: {}", yaml(payload)).unwrap();
    }
    front.push_str("---\n\nText.\n");
    let dir = site(&[("x.md".into(), front)]);
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("article.html"),
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ article.title }}</h1>\n\
         {% for key, value in article.extra %}<p class=\"extra\" title=\"{{ value }}\">{{ value }}</p>\n{% endfor %}\
         {% endblock main %}\n",
    )
    .unwrap();
    crate::common::blatt(dir.path()).arg("build").assert().success();
    let raw = std::fs::read_to_string(dir.path().join("public/2022/01/x/index.html")).unwrap();
    let doc = Html::parse_document(&raw);
    let mut problems = Vec::new();
    check_html("x/index.html", &raw, &doc, &theme(), &mut problems);
    check_characters("x/index.html", &raw, &mut problems);
    // Sorted: the order in which a template sees a mapping's keys is Tera's.
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let shown_extra = sorted(select(&doc, "p.extra").iter().map(text_of).collect());
    let titles = sorted(
        select(&doc, "p.extra")
            .iter()
            .map(|p| shown(p.value().attr("title").unwrap_or("")))
            .collect(),
    );
    let wanted = sorted(payloads.iter().map(|p| shown(p)).collect());
    if shown_extra != wanted {
        problems.push(format!("extra as text: {shown_extra:?}"));
    }
    if titles != wanted {
        problems.push(format!("extra in an attribute: {titles:?}"));
    }
    fail_on(problems);
}

/// A value quoted in an error message must not carry a terminal escape
/// sequence from scraped front matter to the terminal of whoever runs
/// `blatt build` (it could retitle the window or hide text).
#[test]
fn error_messages_do_not_pass_control_characters_to_the_terminal() {
    let dir = site(&[(
        "a.md".into(),
        "---\ntitle: a\ndate: 2022-01-21\nslug: \"\\x1b]0;pwned\\x07\\x1b[2J\"\n---\n\nText.\n".into(),
    )]);
    let output = crate::common::blatt(dir.path()).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.chars().any(invisible), "{stderr:?}");
}
