//! The properties blatt's fuzz targets check.
//!
//! Each takes arbitrary bytes and panics when blatt breaks a promise on
//! them: a panic inside blatt, an imported article that does not load back,
//! a slug outside `[a-z0-9-]`, escaped text that does not come back from
//! the HTML. The fuzz targets call these, and `tests/it/fuzz_replay.rs` in the
//! main crate includes this file to replay every committed finding and seed
//! on stable Rust, so a fixed bug stays fixed without a fuzzer installed.

use std::path::Path;
use std::sync::OnceLock;

use blatt::SiteConfig;
use blatt::config::Site;
use blatt::content::Article;
use blatt::import::blocks::{Block, body};
use blatt::import::input::{Format, parse_bytes};
use blatt::import::{Importer, Overrides, normalize};
use blatt::text::slug;
use scraper::{Html, Selector};

/// The name every fuzz input goes by; errors must name it.
const INPUT: &str = "fuzz-input.txt";

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| Site {
        root: "/nonexistent/blatt-fuzz".into(),
        config: SiteConfig::default(),
    })
}

fn importer() -> &'static Importer<'static> {
    static IMPORTER: OnceLock<Importer<'static>> = OnceLock::new();
    IMPORTER.get_or_init(|| Importer::new(site()).expect("the default patterns compile"))
}

/// Plain-text import: never panics; what imports loads back unchanged.
pub fn import_text(data: &[u8]) {
    import(data, Format::Text);
}

/// JSON import (the first byte chooses JSON or JSON Lines).
pub fn import_json(data: &[u8]) {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    import(
        rest,
        if first % 2 == 0 {
            Format::Json
        } else {
            Format::JsonLines
        },
    );
}

fn import(data: &[u8], format: Format) {
    let rules = blatt::content::Rules::of(&site().config);
    for raw in parse_bytes(data, Some(format), Path::new(INPUT), None) {
        let raw = match raw {
            Ok(raw) => raw,
            Err(e) => {
                assert!(e.to_string().contains(INPUT), "error without the file name: {e}");
                continue;
            }
        };
        // A date for inputs that carry none, so that every input reaches
        // the checks below.
        let overrides = Overrides {
            date: blatt::content::date::parse("2022-01-21", rules.tz).ok(),
            ..Overrides::default()
        };
        let article = match importer().prepare(&raw, &overrides) {
            Ok((article, _, _)) => article,
            Err(e) => {
                assert!(e.to_string().contains(INPUT), "error without the file name: {e}");
                continue;
            }
        };
        assert!(slug::is_valid(&article.slug()), "slug {:?}", article.slug());
        assert!(!article.front.title.trim().is_empty());
        let text = article.to_file_string();
        let back = Article::parse(&text, &article.path, &rules)
            .unwrap_or_else(|e| panic!("imported article does not load: {e:?}\n{text}"));
        assert_eq!(back.front, article.front, "front matter changed on reload:\n{text}");
        assert_eq!(
            back.body.trim_matches('\n'),
            article.body.trim_matches('\n'),
            "body changed on reload"
        );
        assert_no_markup(&blatt::content::markdown::to_html(&article.body, false));
    }
}

/// Front matter: parsing never panics, errors name the file, and what
/// parses is written back by blatt into text that parses to the same.
pub fn front_matter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("content/2024/01/fuzz.md");
    let rules = blatt::content::Rules::of(&site().config);
    match Article::parse(text, path, &rules) {
        Ok(article) => {
            let written = article.to_file_string();
            let back = Article::parse(&written, path, &rules)
                .unwrap_or_else(|e| panic!("written front matter does not parse: {e:?}\n{written}"));
            assert_eq!(back.front, article.front, "front matter changed:\n{written}");
            assert_eq!(back.body.trim_matches('\n'), article.body.trim_matches('\n'));
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in errors {
                assert!(e.to_string().contains("fuzz.md"), "error without the file name: {e}");
            }
        }
    }
}

/// Markdown escaping: each line becomes a paragraph, heading or quote (by
/// its first byte) whose text comes back out of the HTML unchanged.
pub fn markdown_roundtrip(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let blocks: Vec<Block> = text
        .lines()
        .filter_map(|l| {
            let kind = l.bytes().next()? % 5;
            let t = normalize::line(l);
            (!t.is_empty()).then(|| block(kind, t))
        })
        .collect();
    assert_blocks_survive(&blocks);
}

/// A paragraph, heading, quote, list or table of `text`, by `kind` modulo 5
/// (the list has the text twice, the table a head and a row of it).
pub fn block(kind: u8, text: String) -> Block {
    match kind % 5 {
        0 => Block::Paragraph(text),
        1 => Block::Heading(text),
        2 => Block::Quote(vec![text]),
        3 => Block::List(vec![text.clone(), text]),
        _ => Block::Table(vec![vec![text.clone(), "x".into()], vec!["y".into(), text]]),
    }
}

/// Blocks written as Markdown and rendered come back out of the HTML as
/// the same blocks with the same text, and make no other markup.
pub fn assert_blocks_survive(blocks: &[Block]) {
    let markdown = body(blocks);
    let html = blatt::content::markdown::to_html(&markdown, false);
    assert_no_markup(&html);
    assert_eq!(rendered_blocks(&html), blocks, "markdown:\n{markdown}\nhtml:\n{html}");
}

/// Slugs: always `[a-z0-9-]`, never empty, never `..`, accepted as a slug.
pub fn slug(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let s = slug::slugify(&text);
    assert!(!s.is_empty());
    assert!(s.len() <= slug::MAX_LEN, "{s:?} is longer than {}", slug::MAX_LEN);
    assert!(
        s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
        "{s:?}"
    );
    assert!(!s.contains(".."));
    assert!(slug::is_valid(&s), "{s:?} is not a valid slug");
}

/// Blocks of rendered HTML, read back as text.
pub fn rendered_blocks(html: &str) -> Vec<Block> {
    let doc = Html::parse_fragment(html);
    let selector = Selector::parse("p, h2, blockquote, ul, table").expect("selector");
    let inner = Selector::parse("p").expect("selector");
    let items = Selector::parse("li").expect("selector");
    let rows = Selector::parse("tr").expect("selector");
    let cells = Selector::parse("th, td").expect("selector");
    doc.select(&selector)
        .filter(|e| {
            e.value().name() != "p"
                || e.ancestors().all(|a| {
                    a.value()
                        .as_element()
                        .is_none_or(|x| !matches!(x.name(), "blockquote" | "li" | "td" | "th"))
                })
        })
        .map(|e| {
            let text = |e: scraper::ElementRef| e.text().collect::<String>();
            match e.value().name() {
                "h2" => Block::Heading(text(e)),
                "blockquote" => Block::Quote(e.select(&inner).map(text).collect()),
                "ul" => Block::List(e.select(&items).map(text).collect()),
                "table" => Block::Table(e.select(&rows).map(|r| r.select(&cells).map(text).collect()).collect()),
                _ => Block::Paragraph(text(e)),
            }
        })
        .collect()
}

/// Markdown from scraped text may make paragraphs, headings, emphasis and
/// links to safe URLs; nothing else, and no attribute that runs script.
pub fn assert_no_markup(html: &str) {
    const ALLOWED: &[&str] = &[
        "html",
        "head",
        "body",
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "em",
        "strong",
        "a",
        "ul",
        "ol",
        "li",
        "code",
        "pre",
        "br",
        "hr",
        "del",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "sup",
    ];
    let doc = Html::parse_fragment(html);
    for node in doc.tree.nodes() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        assert!(ALLOWED.contains(&el.name()), "<{}> in {html}", el.name());
        for (name, value) in el.attrs() {
            assert!(!name.starts_with("on"), "{name}= in {html}");
            if name == "href" || name == "src" {
                assert!(
                    blatt::content::markdown::is_safe_url(value),
                    "unsafe {name}={value:?} in {html}"
                );
            }
        }
    }
}
