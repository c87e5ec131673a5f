//! The three feed formats read back with independent parsers: Atom with
//! roxmltree (a strict XML parser), JSON Feed with serde_json, and the
//! autodiscovery links of the pages with scraper. `feed.formats` chooses
//! which files and links exist.

use std::path::Path;

use blatt::config::{Site, SiteConfig};
use blatt::pipeline::{BuildOptions, Mode, build};
use scraper::{Html, Selector};

const ATOM: &str = "http://www.w3.org/2005/Atom";
const TYPES: [&str; 3] = ["application/rss+xml", "application/atom+xml", "application/feed+json"];

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

/// `(type, href)` of every `<link rel="alternate">` of a page.
fn alternates(html: &str) -> Vec<(String, String)> {
    let doc = Html::parse_document(html);
    select(&doc, "head link[rel=alternate]")
        .iter()
        .map(|e| {
            let attr = |name| e.value().attr(name).unwrap_or_default().to_string();
            (attr("type"), attr("href"))
        })
        .collect()
}

fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    node.children().filter(|c| c.has_tag_name((ATOM, name))).collect()
}

fn text<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> &'a str {
    let found = child(node, name);
    assert_eq!(found.len(), 1, "one <{name}> in <{}>", node.tag_name().name());
    found[0].text().unwrap_or_default()
}

fn link<'a>(node: roxmltree::Node<'a, '_>, rel: &str) -> &'a str {
    child(node, "link")
        .into_iter()
        .find(|l| l.attribute("rel") == Some(rel))
        .and_then(|l| l.attribute("href"))
        .unwrap_or_else(|| panic!("no link rel={rel}"))
}

fn rfc3339(s: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{s:?} is not RFC 3339: {e}"))
}

#[test]
fn the_seed_site_in_atom_and_json_feed() {
    let Some(seed) = crate::common::seed() else { return };
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("site.yaml"),
        root.join("site.yaml"),
    )
    .unwrap();
    every_tag_has_a_page(root);
    crate::common::blatt(root)
        .arg("import")
        .arg(&seed)
        .args(["--date", "2022-01-21"])
        .assert()
        .success();
    crate::common::blatt(root).arg("build").assert().success();
    let public = root.join("public");
    let slug = "us-aussenminister-blinken-zusammenarbeit-mit-russland-moeglich";
    let permalink = format!("https://example.org/2022/01/{slug}/");

    // Atom.
    let xml = std::fs::read_to_string(public.join("atom.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")));
    assert_eq!(text(feed, "id"), "https://example.org/atom.xml");
    assert_eq!(text(feed, "title"), "Blatt – Nachrichtenarchiv");
    assert_eq!(link(feed, "self"), "https://example.org/atom.xml");
    assert_eq!(link(feed, "alternate"), "https://example.org/");
    assert!(!text(child(feed, "author")[0], "name").is_empty());
    let entries = child(feed, "entry");
    assert_eq!(entries.len(), 1);
    let entry = entries[0];
    assert_eq!(text(entry, "id"), permalink);
    assert_eq!(link(entry, "alternate"), permalink);
    assert_eq!(
        text(entry, "title"),
        "US-Außenminister Blinken: Zusammenarbeit mit Russland möglich"
    );
    let updated = rfc3339(text(entry, "updated"));
    assert_eq!(updated.format("%Y-%m-%d").to_string(), "2022-01-21");
    assert_eq!(rfc3339(text(feed, "updated")), updated);
    assert_eq!(rfc3339(text(entry, "published")), updated);
    let content = child(entry, "content")[0];
    assert_eq!(content.attribute("type"), Some("html"));
    // Escaped HTML: the markup is in the text, not in the XML tree.
    let body = content.text().unwrap();
    assert!(
        body.contains("Diplomatie oder Aggression") && body.contains("<h2 id=\"diplomatie-oder-aggression\">"),
        "{body}"
    );
    assert!(content.children().all(|c| c.is_text()));
    let categories: Vec<(&str, &str)> = child(entry, "category")
        .iter()
        .map(|c| (c.attribute("term").unwrap(), c.attribute("scheme").unwrap()))
        .collect();
    assert!(
        categories.contains(&("Ukraine-Konflikt", "https://example.org/themen/")),
        "{categories:?}"
    );
    assert!(
        categories
            .iter()
            .any(|(_, scheme)| *scheme == "https://example.org/schlagworte/")
    );
    assert!(!text(entry, "summary").is_empty());

    // JSON Feed 1.1.
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(public.join("feed.json")).unwrap()).unwrap();
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(json["title"], "Blatt – Nachrichtenarchiv");
    assert_eq!(json["home_page_url"], "https://example.org/");
    assert_eq!(json["feed_url"], "https://example.org/feed.json");
    assert_eq!(json["language"], "de");
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(item["id"], permalink.as_str());
    assert_eq!(item["url"], permalink.as_str());
    assert!(
        item["content_html"]
            .as_str()
            .unwrap()
            .contains("Diplomatie oder Aggression")
    );
    assert!(item["summary"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(rfc3339(item["date_published"].as_str().unwrap()), updated);
    let tags: Vec<&str> = item["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(tags.contains(&"Ukraine-Konflikt"), "{tags:?}");

    // Per term: the three files, announced by the term page, and the site's three.
    let term = public.join("themen/ukraine-konflikt");
    for file in ["feed.xml", "atom.xml", "feed.json"] {
        assert!(term.join(file).is_file(), "themen/ukraine-konflikt/{file}");
    }
    let term_json: serde_json::Value = serde_json::from_slice(&std::fs::read(term.join("feed.json")).unwrap()).unwrap();
    assert_eq!(term_json["items"][0]["id"], permalink.as_str());
    let links = alternates(&std::fs::read_to_string(term.join("index.html")).unwrap());
    for (ty, file) in TYPES.iter().zip(["feed.xml", "atom.xml", "feed.json"]) {
        for page in ["themen/ukraine-konflikt/", ""] {
            let href = format!("https://example.org/{page}{file}");
            assert!(
                links.contains(&(ty.to_string(), href.clone())),
                "{href} as {ty} in {links:?}"
            );
        }
    }
    // Every page announces the site's feeds (an article page each feed in
    // its first format only), and every announced feed exists.
    for path in crate::common::file_paths(&public) {
        if path.extension().is_some_and(|e| e == "html") {
            let text = std::fs::read_to_string(&path).unwrap();
            let links = alternates(&text);
            let types = if text.contains("<article class=\"article\"") {
                &TYPES[..1]
            } else {
                &TYPES[..]
            };
            for ty in types {
                assert!(links.iter().any(|(t, _)| t == ty), "{}: no {ty}", path.display());
            }
            for (_, href) in links {
                let rel = href.strip_prefix("https://example.org/").unwrap();
                assert!(public.join(rel).is_file(), "{}: {href}", path.display());
            }
        }
    }
}

/// A site with two articles and `formats` as its `feed.formats`.
/// These fixtures have one article a tag, and show how tags reach the
/// feeds: every tag gets its page (the default asks for two articles).
fn every_tag_has_a_page(root: &Path) {
    let yaml = root.join("site.yaml");
    let mut text = std::fs::read_to_string(&yaml).unwrap();
    text.push_str("min_articles:\n  tags: 1\n");
    std::fs::write(&yaml, text).unwrap();
}

fn site_with_formats(formats: &str) -> (tempfile::TempDir, Site, BuildOptions) {
    let dir = crate::common::site_with(&[
        (
            "2022/01/a.md",
            "---\ntitle: A\ndate: 2022-01-21\ntopics: [Verkehr]\ntags: [Bahn]\n---\n\nText A\n",
        ),
        (
            "2022/02/b.md",
            "---\ntitle: B\ndate: 2022-02-21\nupdated: 2022-03-01\ntopics: [Verkehr]\n---\n\nText B\n",
        ),
    ]);
    every_tag_has_a_page(dir.path());
    with_yaml(dir, |yaml| {
        let yaml = yaml.replace("formats: [rss, atom, json]", &format!("formats: {formats}"));
        assert!(yaml.contains(&format!("formats: {formats}")));
        yaml
    })
}

/// The site in `dir` with its site.yaml rewritten by `edit`, and the
/// options of a build of it.
fn with_yaml(dir: tempfile::TempDir, edit: impl FnOnce(&str) -> String) -> (tempfile::TempDir, Site, BuildOptions) {
    let path = dir.path().join("site.yaml");
    let yaml = edit(&std::fs::read_to_string(&path).unwrap());
    std::fs::write(&path, &yaml).unwrap();
    let site = Site {
        root: dir.path().to_path_buf(),
        config: SiteConfig::parse(&yaml, &path).unwrap(),
    };
    let options = BuildOptions::for_site(&site);
    (dir, site, options)
}

/// The feed files of an output folder and the media types its pages announce.
fn feeds_and_links(public: &Path) -> (Vec<String>, Vec<String>) {
    let mut files = Vec::new();
    let mut types = Vec::new();
    for path in crate::common::file_paths(public) {
        let rel = path.strip_prefix(public).unwrap().display().to_string();
        if rel.ends_with("feed.xml") || rel.ends_with("atom.xml") || rel.ends_with("feed.json") {
            files.push(rel);
        } else if rel.ends_with(".html") {
            let html = std::fs::read_to_string(&path).unwrap();
            let doc = Html::parse_document(&html);
            for (ty, _) in alternates(&html) {
                types.push(ty);
            }
            for a in select(&doc, "a[type]") {
                types.push(a.value().attr("type").unwrap().to_string());
            }
        }
    }
    types.sort();
    types.dedup();
    (files, types)
}

#[test]
fn formats_choose_the_files_and_the_links() {
    let (_dir, site, options) = site_with_formats("[rss]");
    build(&site, &options, &|| {}).unwrap();
    let (files, types) = feeds_and_links(&options.out);
    assert_eq!(
        files,
        ["feed.xml", "schlagworte/bahn/feed.xml", "themen/verkehr/feed.xml"],
        "no Atom or JSON Feed files"
    );
    assert_eq!(types, ["application/rss+xml"]);

    let (_dir, site, options) = site_with_formats("[json, atom]");
    build(&site, &options, &|| {}).unwrap();
    let (files, types) = feeds_and_links(&options.out);
    assert!(files.iter().all(|f| !f.ends_with("feed.xml")), "{files:?}");
    assert_eq!(files.len(), 6, "{files:?}");
    assert_eq!(types, ["application/atom+xml", "application/feed+json"]);
    // The term page's plain feed link names the first enabled format.
    let term = std::fs::read_to_string(options.out.join("themen/verkehr/index.html")).unwrap();
    assert!(term.contains("href=\"/themen/verkehr/atom.xml\""), "{term}");

    let (_dir, site, options) = site_with_formats("[]");
    build(&site, &options, &|| {}).unwrap();
    let (files, types) = feeds_and_links(&options.out);
    assert_eq!((files.len(), types.len()), (0, 0), "{files:?} {types:?}");
    let term = std::fs::read_to_string(options.out.join("themen/verkehr/index.html")).unwrap();
    assert!(!term.contains(".xml") && !term.contains("feed.json"), "{term}");
}

#[test]
fn dates_and_updates_in_every_format() {
    let (_dir, site, options) = site_with_formats("[rss, atom, json]");
    build(&site, &options, &|| {}).unwrap();
    let xml = std::fs::read_to_string(options.out.join("themen/verkehr/atom.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let feed = doc.root_element();
    let entries = child(feed, "entry");
    // Newest first; an update is the entry's `updated` and the feed's.
    assert_eq!(text(entries[0], "title"), "B");
    assert_eq!(
        rfc3339(text(entries[0], "updated")),
        rfc3339("2022-03-01T00:00:00+01:00")
    );
    assert_eq!(
        rfc3339(text(entries[0], "published")),
        rfc3339("2022-02-21T00:00:00+01:00")
    );
    assert_eq!(rfc3339(text(feed, "updated")), rfc3339("2022-03-01T00:00:00+01:00"));
    assert_eq!(text(entries[1], "title"), "A");
    assert_eq!(text(entries[1], "updated"), text(entries[1], "published"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(options.out.join("themen/verkehr/feed.json")).unwrap()).unwrap();
    let items = json["items"].as_array().unwrap();
    assert_eq!(
        rfc3339(items[0]["date_modified"].as_str().unwrap()),
        rfc3339("2022-03-01T00:00:00+01:00")
    );
    assert!(items[1].get("date_modified").is_none());
    assert_eq!(items[1]["tags"], serde_json::json!(["Verkehr", "Bahn"]));
}

#[test]
fn a_body_edit_reaches_every_format() {
    // Term feeds carry bodies only when asked.
    let (dir, site, options) = site_with_formats("[rss, atom, json]\n  term_full_text: 20");
    build(&site, &options, &|| {}).unwrap();
    let a = dir.path().join("content/2022/01/a.md");
    let text = std::fs::read_to_string(&a).unwrap().replace("Text A", "Neuer Text A");
    std::fs::write(&a, text).unwrap();
    let report = build(&site, &options, &|| {}).unwrap();
    assert_eq!(report.mode, Mode::Edits);
    // The page, the site's, the topic's and the tag's feed in three
    // formats, and of the search index (two articles: all in recent
    // files) the new file of words starting with `n` for "neuer" and the
    // index file that lists it.
    assert_eq!(report.rendered, 1 + 3 * 3 + 2, "{report:?}");
    for feed in ["feed.xml", "atom.xml", "feed.json"] {
        for dir in ["", "themen/verkehr/", "schlagworte/bahn/"] {
            let body = std::fs::read_to_string(options.out.join(format!("{dir}{feed}"))).unwrap();
            assert!(body.contains("Neuer Text A"), "{dir}{feed}");
        }
    }
}

/// Every `href`, `src` and `srcset` URL in an HTML fragment.
fn urls_in(html: &str) -> Vec<String> {
    let doc = Html::parse_fragment(html);
    let mut found = Vec::new();
    for e in select(&doc, "[href], [src], [srcset]") {
        let v = e.value();
        found.extend(v.attr("href").into_iter().chain(v.attr("src")).map(str::to_string));
        if let Some(set) = v.attr("srcset") {
            found.extend(set.split(',').map(|c| c.split_whitespace().next().unwrap().to_string()));
        }
    }
    found
}

#[test]
fn feed_content_has_only_absolute_urls_and_lists_topics_and_tags() {
    let article = "---\ntitle: \"Bund & Länder <streiten>\"\ndate: 2022-01-21\ntopics: [Verkehr]\n\
                   tags: [Bahn, Brücke]\n---\n\nSiehe [den Abschnitt](#abschnitt), [den Monat](../), \
                   [die Quelle](/archiv/2022/01/zweiter/) und ![ein Bild](../../../static/bild.png).\n\n\
                   <img srcset=\"../../../static/klein.png 1x, /archiv/static/gross.png 2x\" \
                   src=\"../../../static/klein.png\" alt=\"x\">\n\n\
                   [Post](mailto:redaktion@example.org)\n\n## Abschnitt\n\nMehr.\n";
    let second = "---\ntitle: Zweiter\ndate: 2022-01-20\n---\n\nText.\n";
    let dir = crate::common::site_with(&[("a.md", article), ("zweiter.md", second)]);
    let yaml = dir.path().join("site.yaml");
    let mut config = std::fs::read_to_string(&yaml).unwrap();
    config.push_str("markdown:\n  allow_html: true\nmin_articles:\n  tags: 1\n");
    std::fs::write(&yaml, config).unwrap();
    std::fs::create_dir_all(dir.path().join("static")).unwrap();
    for f in ["bild.png", "klein.png", "gross.png"] {
        std::fs::write(dir.path().join("static").join(f), b"x").unwrap();
    }
    let site = Site::load(dir.path()).unwrap();
    let mut options = BuildOptions::for_site(&site);
    options.base_url = Some("https://example.org/archiv/".into());
    build(&site, &options, &|| {}).unwrap();
    let public = dir.path().join("public");
    let page = "https://example.org/archiv/2022/01/a/";
    let expected = [
        format!("{page}#abschnitt"),
        "https://example.org/archiv/2022/01/".to_string(),
        "https://example.org/archiv/2022/01/zweiter/".to_string(),
        "https://example.org/archiv/static/bild.png".to_string(),
        "https://example.org/archiv/static/klein.png".to_string(),
        "https://example.org/archiv/static/klein.png".to_string(),
        "https://example.org/archiv/static/gross.png".to_string(),
        "mailto:redaktion@example.org".to_string(),
    ];
    let mut sorted = expected.to_vec();
    sorted.sort();
    let check = |format: &str, html: &str| {
        let mut urls = urls_in(html);
        urls.sort();
        assert_eq!(urls, sorted, "{format}: {html}");
    };
    let topics_and_tags = ["Bahn", "Brücke", "Verkehr"];

    let rss_bytes = std::fs::read(public.join("feed.xml")).unwrap();
    let rss_text = String::from_utf8(rss_bytes.clone()).unwrap();
    // The W3C validator's form for & and < in plain text.
    assert!(
        rss_text.contains("<title>Bund &#x26; Länder &#x3C;streiten&gt;</title>"),
        "{rss_text}"
    );
    let channel = rss::Channel::read_from(&rss_bytes[..]).unwrap();
    let item = channel.items().iter().find(|i| i.link() == Some(page)).unwrap();
    assert_eq!(item.title(), Some("Bund & Länder <streiten>"));
    check("rss", item.content().unwrap());
    let mut names: Vec<&str> = item.categories().iter().map(|c| c.name()).collect();
    names.sort();
    assert_eq!(names, topics_and_tags);

    let atom: atom_syndication::Feed = std::fs::read_to_string(public.join("atom.xml"))
        .unwrap()
        .parse()
        .unwrap();
    let entry = atom.entries().iter().find(|e| e.id() == page).unwrap();
    check("atom", entry.content().unwrap().value().unwrap());
    let mut terms: Vec<&str> = entry.categories().iter().map(|c| c.term()).collect();
    terms.sort();
    assert_eq!(terms, topics_and_tags);

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(public.join("feed.json")).unwrap()).unwrap();
    let item = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["url"] == page)
        .unwrap();
    check("json", item["content_html"].as_str().unwrap());
    let mut tags: Vec<&str> = item["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    tags.sort();
    assert_eq!(tags, topics_and_tags);
}

/// Three articles in one topic, with `feed` as the whole `feed:` section
/// of site.yaml (the repository's names every format, so it is replaced).
fn site_with_feed_section(dir: Option<tempfile::TempDir>, feed: &str) -> (tempfile::TempDir, Site, BuildOptions) {
    let dir = dir.unwrap_or_else(|| {
        crate::common::site_with(&[
            (
                "2022/01/a.md",
                "---\ntitle: A\ndate: 2022-01-21\nsummary: Kurz A\ntopics: [Verkehr]\ntags: [Bahn]\n---\n\nText A\n",
            ),
            (
                "2022/02/b.md",
                "---\ntitle: B\ndate: 2022-02-21\ntopics: [Verkehr]\ntags: [Bahn]\n---\n\nText B\n",
            ),
            (
                "2022/03/c.md",
                "---\ntitle: C\ndate: 2022-03-21\nsummary: Kurz C\ntopics: [Verkehr]\n---\n\nText C\n",
            ),
        ])
    });
    with_yaml(dir, |yaml| {
        let start = yaml.find("\nfeed:\n").map(|i| i + 1).unwrap_or(yaml.len());
        let end = yaml[start..].find("\n\n").map_or(yaml.len(), |i| start + i + 2);
        format!("{}{feed}\n\n{}", &yaml[..start], &yaml[end..])
    })
}

/// Without a word about them in site.yaml, term feeds are RSS only and
/// carry the full text of their newest `term_full_text` items; the site
/// feed stays in three formats, in full; pages announce only files that exist.
#[test]
fn term_feeds_default_to_rss_and_full_text_for_the_newest() {
    let (_dir, site, options) = site_with_feed_section(None, "feed:\n  limit: 50\n  term_full_text: 2");
    build(&site, &options, &|| {}).unwrap();
    let (files, types) = feeds_and_links(&options.out);
    assert_eq!(
        files,
        [
            "atom.xml",
            "feed.json",
            "feed.xml",
            "schlagworte/bahn/feed.xml",
            "themen/verkehr/feed.xml"
        ]
    );
    let mut every_type = TYPES.map(str::to_string).to_vec();
    every_type.sort();
    assert_eq!(types, every_type);
    let a = std::fs::read_to_string(options.out.join("2022/01/a/index.html")).unwrap();
    let links = alternates(&a);
    assert!(links.contains(&(TYPES[0].into(), "https://example.org/themen/verkehr/feed.xml".into())));
    assert!(
        !links.iter().any(|(_, href)| href.contains("themen/verkehr/atom")),
        "{links:?}"
    );
    for (_, href) in &links {
        let rel = href.strip_prefix("https://example.org/").unwrap();
        assert!(options.out.join(rel).is_file(), "{href}");
    }

    let read = |rel: &str| rss::Channel::read_from(&std::fs::read(options.out.join(rel)).unwrap()[..]).unwrap();
    let topic = read("themen/verkehr/feed.xml");
    let shown: Vec<(Option<&str>, Option<&str>, Option<&str>)> = topic
        .items()
        .iter()
        .map(|i| (i.title(), i.description(), i.content().map(str::trim_end)))
        .collect();
    assert_eq!(
        shown,
        [
            (Some("C"), Some("Kurz C"), Some("<p>Text C</p>")),
            (Some("B"), None, Some("<p>Text B</p>")),
            (Some("A"), Some("Kurz A"), None),
        ]
    );
    let site_feed = read("feed.xml");
    assert!(
        site_feed.items().iter().all(|i| i.content().is_some()),
        "the site feed is in full"
    );
}

/// By default only topic feeds carry full text (tags and authors are
/// thousands of feeds); `term_full_text` takes a number per kind, and a kind
/// it does not name keeps its default.
#[test]
fn full_text_goes_into_topic_feeds_unless_a_kind_asks_for_it() {
    let in_full = |dir: &Path, rel: &str| -> Vec<bool> {
        let channel = rss::Channel::read_from(&std::fs::read(dir.join(rel)).unwrap()[..]).unwrap();
        channel.items().iter().map(|i| i.content().is_some()).collect()
    };
    let (_dir, site, options) = site_with_feed_section(None, "feed:\n  limit: 50");
    build(&site, &options, &|| {}).unwrap();
    assert_eq!(in_full(&options.out, "themen/verkehr/feed.xml"), [true, true, true]);
    assert_eq!(in_full(&options.out, "schlagworte/bahn/feed.xml"), [false, false]);
    let (_dir, site, options) = site_with_feed_section(None, "feed:\n  term_full_text: { tags: 1 }");
    build(&site, &options, &|| {}).unwrap();
    assert_eq!(in_full(&options.out, "themen/verkehr/feed.xml"), [true, true, true]);
    assert_eq!(in_full(&options.out, "schlagworte/bahn/feed.xml"), [true, false]);
}

/// Summary-only items in Atom and JSON Feed when a site asks for those
/// formats per term: Atom leaves out `content` (the alternate link is
/// there), JSON Feed carries the summary, else the title, as `content_text`.
#[test]
fn items_past_the_full_text_in_atom_and_json_feed() {
    let (_dir, site, options) = site_with_feed_section(
        None,
        "feed:\n  formats: [rss]\n  term_formats: [atom, json]\n  term_full_text: 1",
    );
    build(&site, &options, &|| {}).unwrap();
    let (files, _) = feeds_and_links(&options.out);
    assert_eq!(
        files,
        [
            "feed.xml",
            "schlagworte/bahn/atom.xml",
            "schlagworte/bahn/feed.json",
            "themen/verkehr/atom.xml",
            "themen/verkehr/feed.json"
        ]
    );
    let term = std::fs::read_to_string(options.out.join("themen/verkehr/index.html")).unwrap();
    assert!(term.contains("href=\"/themen/verkehr/atom.xml\""), "{term}");
    let xml = std::fs::read_to_string(options.out.join("themen/verkehr/atom.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let entries = child(doc.root_element(), "entry");
    let content: Vec<usize> = entries.iter().map(|e| child(*e, "content").len()).collect();
    assert_eq!(content, [1, 0, 0]);
    assert_eq!(link(entries[2], "alternate"), "https://example.org/2022/01/a/");
    assert_eq!(text(entries[2], "summary"), "Kurz A");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(options.out.join("themen/verkehr/feed.json")).unwrap()).unwrap();
    let items = json["items"].as_array().unwrap();
    assert!(items[0]["content_html"].is_string() && items[0].get("content_text").is_none());
    assert_eq!(
        (items[1].get("content_html"), &items[1]["content_text"]),
        (None, &serde_json::json!("B"))
    );
    assert_eq!(items[2]["content_text"], "Kurz A");
}

/// Changing which formats term feeds have between builds adds the new
/// files and removes the old ones, and the output is the clean build's.
#[test]
fn switching_term_formats_between_builds_is_a_clean_build() {
    let (mut dir, site, options) = site_with_feed_section(None, "feed:\n  term_formats: [rss]");
    build(&site, &options, &|| {}).unwrap();
    assert!(options.out.join("themen/verkehr/feed.xml").is_file());
    for (section, present, absent) in [
        (
            "feed:\n  term_formats: [atom, json]",
            "themen/verkehr/atom.xml",
            "themen/verkehr/feed.xml",
        ),
        (
            "feed:\n  term_formats: []\n  term_full_text: 0",
            "feed.json",
            "themen/verkehr/atom.xml",
        ),
        (
            "feed:\n  limit: 2",
            "themen/verkehr/feed.xml",
            "schlagworte/bahn/atom.xml",
        ),
    ] {
        let (kept, site, options) = site_with_feed_section(Some(dir), section);
        build(&site, &options, &|| {}).unwrap();
        assert!(options.out.join(present).is_file(), "{section}: {present}");
        assert!(!options.out.join(absent).exists(), "{section}: {absent}");
        let clean = tempfile::tempdir().unwrap();
        let mut clean_options = options.clone();
        clean_options.out = clean.path().join("public");
        build(&site, &clean_options, &|| {}).unwrap();
        assert_eq!(
            crate::common::output_files(&options.out).keys().collect::<Vec<_>>(),
            crate::common::output_files(&clean_options.out)
                .keys()
                .collect::<Vec<_>>(),
            "{section}"
        );
        assert!(
            crate::common::output_files(&options.out) == crate::common::output_files(&clean_options.out),
            "{section}: the same bytes as a clean build"
        );
        dir = kept;
    }
}
