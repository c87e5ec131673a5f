//! Author pages: the people of `authors:` get a list page, a paginated page
//! each with its feeds, links from bylines and JSON-LD, and sitemap entries
//! like topics and tags; agencies (`sources:`) get none. Also the number of
//! articles a tag needs before it is shown anywhere.

use std::path::Path;

use blatt::config::Site;
use blatt::pipeline::{BuildOptions, build};

fn article(title: &str, day: &str, authors: &str, sources: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: 2022-01-{day}T09:00:00+01:00\nauthors: [{authors}]\nsources: [{sources}]\n---\n\nText zu {title}.\n"
    )
}

/// The example site with `paginate: 1` plus `extra` in site.yaml.
fn site(extra: &str) -> tempfile::TempDir {
    let dir = crate::common::site_with(&[
        (
            "erster-bericht.md",
            article("Erster Bericht", "10", "Anna Müller", "dpa"),
        ),
        (
            "zweiter-bericht.md",
            article("Zweiter Bericht", "11", "Anna müller, Jan Probe", ""),
        ),
        ("dritter-bericht.md", article("Dritter Bericht", "12", "", "AFP, dpa")),
    ]);
    let yaml = dir.path().join("site.yaml");
    let text = std::fs::read_to_string(&yaml)
        .unwrap()
        .replace("paginate: 20", "paginate: 1");
    std::fs::write(&yaml, format!("{text}{extra}")).unwrap();
    let site = Site::load(dir.path()).unwrap();
    build(&site, &BuildOptions::for_site(&site), &|| {}).unwrap();
    dir
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join("public").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn exists(dir: &Path, rel: &str) -> bool {
    dir.join("public").join(rel).exists()
}

#[test]
fn authors_get_paginated_pages_with_feeds_and_agencies_none() {
    let dir = site("");
    let root = dir.path();
    let list = read(root, "autoren/index.html");
    assert!(
        list.contains(r#"<a href="/autoren/anna-mueller/">Anna Müller</a> <span class="count">(2)</span>"#),
        "{list}"
    );
    assert!(
        list.contains(r#"<a href="/autoren/jan-probe/">Jan Probe</a>"#),
        "{list}"
    );
    // Two spellings, one person, two pages of one article each: the newest
    // on the front page, the oldest on archive page 1.
    assert!(read(root, "autoren/anna-mueller/index.html").contains("Zweiter Bericht"));
    assert!(read(root, "autoren/anna-mueller/seite/1/index.html").contains("Erster Bericht"));
    for feed in ["feed.xml", "atom.xml", "feed.json"] {
        let text = read(root, &format!("autoren/anna-mueller/{feed}"));
        assert!(
            text.contains("Erster Bericht") && text.contains("Zweiter Bericht"),
            "{feed}: {text}"
        );
    }
    for agency in ["dpa", "afp"] {
        assert!(
            !exists(root, &format!("autoren/{agency}/index.html")),
            "{agency} has a page"
        );
        assert!(!list.contains(&format!("/autoren/{agency}/")), "{agency} is listed");
    }
    let sitemap = read(root, "sitemap.xml");
    for path in [
        "autoren/",
        "autoren/anna-mueller/",
        "autoren/anna-mueller/seite/1/",
        "autoren/jan-probe/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>https://example.org/{path}</loc>")),
            "{path} not in the sitemap"
        );
    }
}

#[test]
fn bylines_and_json_ld_link_the_author_pages() {
    let dir = site("");
    let page = read(dir.path(), "2022/01/zweiter-bericht/index.html");
    assert!(
        page.contains(r#"<a href="/autoren/anna-mueller/" rel="author">Anna müller</a>, <a href="/autoren/jan-probe/" rel="author">Jan Probe</a>"#),
        "{page}"
    );
    let doc = scraper::Html::parse_document(&page);
    let script = doc
        .select(&scraper::Selector::parse(r#"script[type="application/ld+json"]"#).unwrap())
        .next()
        .unwrap()
        .inner_html();
    let ld: serde_json::Value = serde_json::from_str(&script).unwrap();
    assert_eq!(ld["author"][0]["url"], "https://example.org/autoren/anna-mueller/");
    assert_eq!(ld["author"][1]["url"], "https://example.org/autoren/jan-probe/");
    // Agencies stay organisations without a page.
    let agencies = read(dir.path(), "2022/01/dritter-bericht/index.html");
    assert!(!agencies.contains("rel=\"author\""), "{agencies}");
}

#[test]
fn an_author_below_min_articles_has_no_page_and_no_link() {
    let dir = site("min_articles:\n  authors: 2\n");
    assert!(exists(dir.path(), "autoren/anna-mueller/index.html"));
    assert!(!exists(dir.path(), "autoren/jan-probe/index.html"));
    let page = read(dir.path(), "2022/01/zweiter-bericht/index.html");
    assert!(
        page.contains(r#"rel="author">Anna müller</a>, Jan Probe</p>"#),
        "{page}"
    );
}

/// Tags need two articles by default: a tag only one article carries has
/// no page and no feeds, and nothing links to it or lists it as a feed
/// category, sitemap entry, `article:tag` or JSON-LD keyword; the article
/// page still shows it, as text. A tag on two articles gets all of it.
#[test]
fn a_tag_of_one_article_has_no_page_by_default() {
    let tagged = |title: &str, day: &str, tags: &str| {
        format!("---\ntitle: {title}\ndate: 2022-01-{day}T09:00:00+01:00\ntags: [{tags}]\n---\n\nText zu {title}.\n")
    };
    let dir = crate::common::site_with(&[
        (
            "erster-bericht.md",
            tagged("Erster Bericht", "10", "Stadtrat, Einzelstück, einzelstück"),
        ),
        ("zweiter-bericht.md", tagged("Zweiter Bericht", "11", "Stadtrat")),
    ]);
    let site = Site::load(dir.path()).unwrap();
    build(&site, &BuildOptions::for_site(&site), &|| {}).unwrap();
    let root = dir.path();
    assert!(exists(root, "schlagworte/stadtrat/index.html"));
    assert!(exists(root, "schlagworte/stadtrat/feed.xml"));
    assert!(!exists(root, "schlagworte/einzelstueck"));
    let page = read(root, "2022/01/erster-bericht/index.html");
    assert!(
        page.contains(r#"<a href="/schlagworte/stadtrat/">Stadtrat</a>"#),
        "{page}"
    );
    assert!(!page.contains("/schlagworte/einzelstueck/"), "{page}");
    // Both tags in the article's order, the one without a page as text;
    // the same spelling twice is one tag.
    assert!(
        page.contains(
            "<ul class=\"terms tags\" aria-label=\"Schlagworte\">\n\
             <li><a href=\"/schlagworte/stadtrat/\">Stadtrat</a></li>\n\
             <li>Einzelstück</li>\n</ul>"
        ),
        "{page}"
    );
    assert!(page.contains(r#""keywords":["Stadtrat"]"#), "{page}");
    assert!(
        !page.contains(r#"<meta property="article:tag" content="Einzel"#),
        "{page}"
    );
    for rel in [
        "feed.xml",
        "atom.xml",
        "feed.json",
        "sitemap.xml",
        "schlagworte/index.html",
    ] {
        let text = read(root, rel);
        assert!(text.contains("Stadtrat") || rel == "sitemap.xml", "{rel}: {text}");
        assert!(
            !text.contains("Einzelst") && !text.contains("einzelstueck"),
            "{rel}: {text}"
        );
    }
    assert!(read(root, "sitemap.xml").contains("/schlagworte/stadtrat/"));
}
