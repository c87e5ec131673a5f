//! `blatt build` end to end: sites built in temp folders, read back with real
//! parsers (scraper for HTML, the rss crate for feeds, quick-xml for the sitemap).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use scraper::{Html, Selector};

/// A site with the repository's `site.yaml` and the given articles.
fn site(articles: &[(&str, &str)]) -> tempfile::TempDir {
    crate::common::site_with(articles)
}

/// The repository's example site, copied.
fn example_site() -> tempfile::TempDir {
    crate::common::example_site_with::<&str, &str>(&[])
}

fn files(public: &Path) -> BTreeMap<String, Vec<u8>> {
    crate::common::files(public)
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

fn text(e: &scraper::ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

/// The file a site link leads to, or `None` for links that leave the site.
fn target(public: &Path, base_path: &str, page: &str, link: &str) -> Option<PathBuf> {
    let link = link.split(['#', '?']).next().unwrap();
    if link.is_empty() || link.starts_with("mailto:") {
        return None;
    }
    let path = if let Some(rest) = link.strip_prefix("https://example.org") {
        rest.to_string()
    } else if link.contains("://") {
        return None;
    } else if link.starts_with('/') {
        link.to_string()
    } else {
        format!("{}{link}", &page[..=page.rfind('/').unwrap()])
    };
    let rel = path
        .strip_prefix(base_path)
        .unwrap_or_else(|| panic!("{link} on {page} is outside {base_path}"));
    let file = public.join(rel);
    Some(if path.ends_with('/') {
        file.join("index.html")
    } else {
        file
    })
}

/// Every `href`/`src` of every page resolves to a built file.
fn assert_links_resolve(public: &Path, base_path: &str) -> usize {
    let mut checked = 0;
    for (rel, bytes) in files(public).iter().filter(|(r, _)| r.ends_with(".html")) {
        let doc = Html::parse_document(std::str::from_utf8(bytes).unwrap());
        let page = format!("{base_path}{rel}");
        for e in select(&doc, "[href], [src]") {
            let link = e.value().attr("href").or(e.value().attr("src")).unwrap();
            if let Some(file) = target(public, base_path, &page, link) {
                assert!(file.is_file(), "{rel}: link {link} leads to missing {}", file.display());
                checked += 1;
            }
        }
    }
    checked
}

fn sitemap_locs(xml: &[u8]) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut locs = Vec::new();
    let mut in_loc = false;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).unwrap() {
            quick_xml::events::Event::Start(e) => in_loc = e.name().as_ref() == b"loc",
            quick_xml::events::Event::Text(t) if in_loc => locs.push(t.decode().unwrap().into_owned()),
            quick_xml::events::Event::End(_) => in_loc = false,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    locs
}

#[test]
fn the_seed_site_as_the_issue_checks_it() {
    let Some(seed) = crate::common::seed() else { return };
    let dir = tempfile::tempdir().unwrap();
    let root = crate::common::init_site(dir.path());
    crate::common::blatt(&root)
        .arg("import")
        .arg(&seed)
        .args(["--date", "2022-01-21"])
        .assert()
        .success();
    crate::common::blatt(&root)
        .args(["build", "--base-url", "https://example.org/"])
        .assert()
        .success()
        .stdout(
            // Its four tags have one article each: no page until a second
            // article carries them (`min_articles.tags` is 2 by default).
            predicate::str::is_match(r"^built 1 article, 1 topic, 0 tags, \d+ pages in [0-9.]+ s → .*public\n$")
                .unwrap(),
        );
    let public = root.join("public");
    let slug = "us-aussenminister-blinken-zusammenarbeit-mit-russland-moeglich";
    let html = std::fs::read_to_string(public.join(format!("2022/01/{slug}/index.html"))).unwrap();
    let doc = Html::parse_document(&html);
    assert_eq!(select(&doc, "html")[0].value().attr("lang"), Some("de"));
    assert_eq!(
        select(&doc, "h1").iter().map(text).collect::<Vec<_>>(),
        vec!["US-Außenminister Blinken: Zusammenarbeit mit Russland möglich"]
    );
    assert_eq!(text(&select(&doc, "article .kicker")[0]), "Krisentreffen in Genf");
    assert_eq!(select(&doc, "article .content h2").len(), 4);
    let time = &select(&doc, "article header time")[0];
    assert!(time.value().attr("datetime").unwrap().starts_with("2022-01-21"));
    assert_eq!(text(time), "21. Januar 2022");
    assert_eq!(
        select(&doc, "link[rel=canonical]")[0].value().attr("href"),
        Some(format!("https://example.org/2022/01/{slug}/").as_str())
    );
    let feeds: Vec<&str> = select(&doc, "link[rel=alternate][type='application/rss+xml']")
        .iter()
        .map(|e| e.value().attr("href").unwrap())
        .collect();
    assert!(feeds.contains(&"https://example.org/feed.xml"), "{feeds:?}");
    for tag in ["header", "nav", "main", "article", "time", "footer"] {
        assert!(!select(&doc, tag).is_empty(), "no <{tag}>");
    }
    assert!(
        !select(&doc, "meta[name=description]")[0]
            .value()
            .attr("content")
            .unwrap()
            .is_empty()
    );
    // The article links its topic; the topic page lists it and links its own feed.
    let topic_links: Vec<&str> = select(&doc, "a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .filter(|h| h.contains("/themen/"))
        .collect();
    assert!(topic_links.contains(&"/themen/ukraine-konflikt/"), "{topic_links:?}");
    let topic =
        Html::parse_document(&std::fs::read_to_string(public.join("themen/ukraine-konflikt/index.html")).unwrap());
    assert!(
        select(&topic, "main a")
            .iter()
            .any(|a| a.value().attr("href") == Some(&*format!("/2022/01/{slug}/")))
    );
    let topic_feeds: Vec<&str> = select(&topic, "link[rel=alternate]")
        .iter()
        .map(|e| e.value().attr("href").unwrap())
        .collect();
    assert_eq!(topic_feeds[0], "https://example.org/themen/ukraine-konflikt/feed.xml");
    assert!(public.join("themen/ukraine-konflikt/feed.xml").is_file());

    // The site feed, read back with the rss crate.
    let channel = rss::Channel::read_from(&std::fs::read(public.join("feed.xml")).unwrap()[..]).unwrap();
    assert_eq!(channel.language(), Some("de"));
    assert!(channel.last_build_date().is_some());
    let self_link = &channel.atom_ext().unwrap().links()[0];
    assert_eq!(
        (self_link.rel(), self_link.href()),
        ("self", "https://example.org/feed.xml")
    );
    let item = &channel.items()[0];
    assert_eq!(
        item.link(),
        Some(format!("https://example.org/2022/01/{slug}/").as_str())
    );
    assert_eq!(
        item.guid().map(|g| (g.value(), g.is_permalink())),
        Some((item.link().unwrap(), true))
    );
    let published = chrono::DateTime::parse_from_rfc2822(item.pub_date().unwrap()).unwrap();
    assert_eq!(published.date_naive().to_string(), "2022-01-21");
    assert!(item.content().unwrap().contains("Diplomatie oder Aggression"));
    assert!(
        item.description()
            .unwrap()
            .starts_with("US-Außenminister Antony Blinken sieht")
    );
    // The topic; its tags have no page yet, so they are no category.
    let categories: Vec<&str> = item.categories().iter().map(|c| c.name()).collect();
    assert_eq!(categories, ["Ukraine-Konflikt"]);
    // The credit's initials (rcl, sst) name editors, not a byline to show.
    assert!(item.dublin_core_ext().is_none_or(|dc| dc.creators().is_empty()));

    assert!(assert_links_resolve(&public, "/") > 20);
    let sitemap = sitemap_locs(&std::fs::read(public.join("sitemap.xml")).unwrap());
    assert!(sitemap.contains(&format!("https://example.org/2022/01/{slug}/")));
    for loc in &sitemap {
        let file = target(&public, "/", "/", loc).unwrap();
        assert!(file.is_file(), "sitemap lists {loc}, which was not built");
    }
    assert!(
        std::fs::read_to_string(public.join("robots.txt"))
            .unwrap()
            .contains("Sitemap: https://example.org/sitemap.xml")
    );
    assert!(public.join("404.html").is_file());
}

#[test]
fn the_example_site_builds_with_a_base_path() {
    let dir = example_site();
    let built = crate::common::blatt(dir.path())
        .args(["build", "--base-url", "https://example.org/archiv/"])
        .assert()
        .success();
    // Crawlers read robots.txt at the host's root only: the summary says so, once.
    let stdout = String::from_utf8_lossy(&built.get_output().stdout).into_owned();
    assert_eq!(
        stdout
            .matches("robots.txt is at https://example.org/archiv/robots.txt, where crawlers do not look")
            .count(),
        1,
        "{stdout}"
    );
    let public = dir.path().join("public");
    assert!(public.join("robots.txt").is_file());
    assert!(assert_links_resolve(&public, "/archiv/") > 200);
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(home.contains("href=\"/archiv/static/style.css\""));
    assert!(home.contains("<link rel=\"canonical\" href=\"https://example.org/archiv/\">"));
    let channel = rss::Channel::read_from(&std::fs::read(public.join("feed.xml")).unwrap()[..]).unwrap();
    assert_eq!(channel.items().len(), 13);
    assert!(
        channel
            .items()
            .iter()
            .all(|i| i.link().unwrap().starts_with("https://example.org/archiv/20"))
    );
    for loc in sitemap_locs(&std::fs::read(public.join("sitemap.xml")).unwrap()) {
        assert!(
            target(&public, "/archiv/", "/archiv/", &loc).unwrap().is_file(),
            "{loc}"
        );
    }
    // Date archives, term lists with counts, German segments.
    let year = Html::parse_document(&std::fs::read_to_string(public.join("2022/index.html")).unwrap());
    assert!(select(&year, "main li a").iter().any(|a| text(a) == "Januar 2022"));
    let topics = Html::parse_document(&std::fs::read_to_string(public.join("themen/index.html")).unwrap());
    let listed: Vec<String> = select(&topics, "main li").iter().map(text).collect();
    assert!(listed.contains(&"Ukraine-Konflikt (4)".to_string()), "{listed:?}");
}

#[test]
fn pagination_and_feed_limit() {
    let articles: Vec<(String, String)> = (1..=5)
        .map(|i| {
            (
                format!("a{i}.md"),
                format!("---\ntitle: Artikel {i}\ndate: 2022-03-0{i}\ntopics: [Verkehr]\n---\nText {i}.\n"),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = articles.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let dir = site(&refs);
    let yaml = std::fs::read_to_string(dir.path().join("site.yaml"))
        .unwrap()
        .replace("paginate: 20", "paginate: 2\nlisting:\n  archive_paginate: 2")
        .replace("limit: 50", "limit: 3");
    std::fs::write(dir.path().join("site.yaml"), yaml).unwrap();
    crate::common::blatt(dir.path()).arg("build").assert().success();
    let public = dir.path().join("public");
    // Five articles, two a page: the front page shows the newest two,
    // archive pages count from the oldest: page 1 holds articles 2 and 1,
    // page 2 (full, so it repeats one of the front page's) 4 and 3.
    for page in [
        "index.html",
        "seite/1/index.html",
        "seite/2/index.html",
        "themen/verkehr/seite/2/index.html",
        "2022/03/seite/2/index.html",
    ] {
        assert!(public.join(page).is_file(), "{page}");
    }
    assert!(!public.join("seite/3/index.html").exists());
    let titles_of = |rel: &str| -> Vec<String> {
        let doc = Html::parse_document(&std::fs::read_to_string(public.join(rel)).unwrap());
        // Front pages list headings, archive pages links (`listing.summaries`).
        select(&doc, "ol.articles h2, ol.articles.brief li > a")
            .iter()
            .map(text)
            .collect()
    };
    assert_eq!(titles_of("index.html"), ["Artikel 5", "Artikel 4"]);
    assert_eq!(titles_of("seite/2/index.html"), ["Artikel 4", "Artikel 3"]);
    assert_eq!(titles_of("seite/1/index.html"), ["Artikel 2", "Artikel 1"]);
    let second = Html::parse_document(&std::fs::read_to_string(public.join("seite/2/index.html")).unwrap());
    assert_eq!(select(&second, "a[rel=prev]")[0].value().attr("href"), Some("/"));
    assert_eq!(
        select(&second, "a[rel=next]")[0].value().attr("href"),
        Some("/seite/1/")
    );
    // A new article changes the front page only: the archive pages keep
    // their articles and their bytes.
    let before: Vec<Vec<u8>> = ["seite/1/index.html", "seite/2/index.html"]
        .iter()
        .map(|p| std::fs::read(public.join(p)).unwrap())
        .collect();
    std::fs::write(
        dir.path().join("content/a6.md"),
        "---\ntitle: Artikel 6\ndate: 2022-03-06\ntopics: [Verkehr]\n---\nText 6.\n",
    )
    .unwrap();
    crate::common::blatt(dir.path()).arg("build").assert().success();
    let after: Vec<Vec<u8>> = ["seite/1/index.html", "seite/2/index.html"]
        .iter()
        .map(|p| std::fs::read(public.join(p)).unwrap())
        .collect();
    assert_eq!(before, after);
    assert_eq!(titles_of("index.html"), ["Artikel 6", "Artikel 5"]);
    std::fs::remove_file(dir.path().join("content/a6.md")).unwrap();
    crate::common::blatt(dir.path()).arg("build").assert().success();
    let channel = rss::Channel::read_from(&std::fs::read(public.join("themen/verkehr/feed.xml")).unwrap()[..]).unwrap();
    assert_eq!(
        channel.items().iter().map(|i| i.title().unwrap()).collect::<Vec<_>>(),
        vec!["Artikel 5", "Artikel 4", "Artikel 3"]
    );
    // A term's feed carries `term_limit` items, the site's `limit`.
    let yaml = std::fs::read_to_string(dir.path().join("site.yaml"))
        .unwrap()
        .replace("limit: 3", "limit: 3\n  term_limit: 2");
    std::fs::write(dir.path().join("site.yaml"), yaml).unwrap();
    crate::common::blatt(dir.path()).arg("build").assert().success();
    let items = |rel: &str| {
        let channel = rss::Channel::read_from(&std::fs::read(public.join(rel)).unwrap()[..]).unwrap();
        channel
            .items()
            .iter()
            .map(|i| i.title().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(items("themen/verkehr/feed.xml"), ["Artikel 5", "Artikel 4"]);
    assert_eq!(items("feed.xml"), ["Artikel 5", "Artikel 4", "Artikel 3"]);
    assert_links_resolve(&public, "/");
    // Archive pages of their own size: the three the front page does not
    // show fit on one page of four, which fills up with the front's older
    // entry; the page that held the rest is gone.
    let yaml = std::fs::read_to_string(dir.path().join("site.yaml"))
        .unwrap()
        .replace("archive_paginate: 2", "archive_paginate: 4");
    std::fs::write(dir.path().join("site.yaml"), yaml).unwrap();
    crate::common::blatt(dir.path()).arg("build").assert().success();
    assert_eq!(titles_of("index.html"), ["Artikel 5", "Artikel 4"]);
    assert_eq!(
        titles_of("seite/1/index.html"),
        ["Artikel 4", "Artikel 3", "Artikel 2", "Artikel 1"]
    );
    assert!(!public.join("seite/2").exists());
    assert_links_resolve(&public, "/");
}

#[test]
fn drafts_and_future_articles_only_on_request() {
    let dir = site(&[
        (
            "draft.md",
            "---\ntitle: Entwurf\ndate: 2022-01-01\ndraft: true\n---\nText.\n",
        ),
        ("future.md", "---\ntitle: Zukunft\ndate: 2999-01-01\n---\nText.\n"),
        ("now.md", "---\ntitle: Jetzt\ndate: 2022-01-02\n---\nText.\n"),
    ]);
    crate::common::blatt(dir.path())
        .arg("build")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("built 1 article,"));
    assert!(!dir.path().join("public/2022/01/draft/index.html").exists());
    crate::common::blatt(dir.path())
        .args(["build", "--drafts", "--future"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("built 3 articles,"));
    assert!(dir.path().join("public/2022/01/draft/index.html").is_file());
    assert!(dir.path().join("public/2999/01/future/index.html").is_file());
}

/// The summary names the output as seen from where the command ran,
/// though the site is loaded by its real path: `public` inside the site,
/// `site/public` beside it.
#[test]
fn the_summary_names_the_output_from_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = crate::common::init_site(dir.path());
    let name = root.file_name().unwrap().to_str().unwrap().to_string();
    let summary = |cmd: &mut assert_cmd::Command| {
        let out = cmd.arg("build").assert().success().get_output().stdout.clone();
        String::from_utf8(out).unwrap()
    };
    let inside = summary(assert_cmd::Command::cargo_bin("blatt").unwrap().current_dir(&root));
    assert!(inside.ends_with(" → public\n"), "{inside}");
    let beside = summary(
        assert_cmd::Command::cargo_bin("blatt")
            .unwrap()
            .current_dir(dir.path())
            .args(["--root", &name]),
    );
    assert!(beside.ends_with(&format!(" → {name}/public\n")), "{beside}");
    // Elsewhere: the whole path.
    let elsewhere = summary(&mut crate::common::blatt(&root));
    let real = root.canonicalize().unwrap().join("public");
    assert!(elsewhere.ends_with(&format!(" → {}\n", real.display())), "{elsewhere}");
}

const PAYLOADS: [&str; 4] = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "</title><script>alert(2)</script>",
];

#[test]
fn content_never_injects_markup() {
    let p = PAYLOADS.join(" ");
    let article = format!(
        "---\ntitle: {title:?}\ndate: 2022-01-21\nkicker: {p:?}\nsummary: {p:?}\ntopics: [{t:?}]\ntags: [{t:?}]\nauthors: [{p:?}]\nsources: [{p:?}]\n---\n\n{p}\n\n<script>alert(3)</script>\n\n[klick](javascript:alert(4))\n\n## {p}\n",
        title = format!("Titel {p}"),
        t = "Thema <b>fett</b>",
    );
    let dir = site(&[("x.md", &article)]);
    // Every optional place content may show, on: the Twitter tags, the
    // JSON-LD description and repeats, summaries on every listing page,
    // term feeds in full text, every feed format in every head; the
    // description cut at a word (the default), so cut text is escaped too.
    let yaml = dir.path().join("site.yaml");
    let mut config = std::fs::read_to_string(&yaml).unwrap().replace(
        "\n  formats: [rss, atom, json]\n",
        "\n  formats: [rss, atom, json]\n  term_full_text: 50\n  article_links: all\n",
    );
    assert!(config.contains("term_full_text: 50"));
    config.push_str("\nsocial: { twitter_tags: true, json_ld_description: true, json_ld_repeats: true }\nlisting: { summaries: all }\n");
    std::fs::write(&yaml, config).unwrap();
    crate::common::blatt(dir.path()).arg("build").assert().success();
    let public = dir.path().join("public");
    let mut pages = 0;
    for (rel, bytes) in files(&public) {
        let text = String::from_utf8(bytes).unwrap();
        if rel.ends_with(".html") {
            pages += 1;
            let doc = Html::parse_document(&text);
            assert!(
                select(
                    &doc,
                    "script:not([type=\"application/ld+json\"]):not([src='/static/search.js']), svg, img, b"
                )
                .is_empty(),
                "{rel}: markup from content"
            );
            // The theme's JSON-LD holds the payloads as data, inside one script.
            for script in select(&doc, "script[type=\"application/ld+json\"]") {
                let json: serde_json::Value = serde_json::from_str(&script.inner_html()).unwrap();
                assert_eq!(json["description"], p.as_str(), "{rel}");
                let headline = json["headline"].as_str().unwrap();
                assert!(
                    headline.starts_with("Titel <script>alert(1)</script>"),
                    "{rel}: {headline}"
                );
            }
            assert_eq!(
                text.matches("<script").count(),
                select(&doc, "script").len(),
                "{rel}: a script from content"
            );
            for e in select(&doc, "*") {
                for (name, value) in e.value().attrs() {
                    assert!(!name.starts_with("on"), "{rel}: event handler {name}");
                    assert!(
                        !value.trim().to_lowercase().starts_with("javascript:"),
                        "{rel}: {name}={value}"
                    );
                }
            }
            assert_eq!(select(&doc, "title").len(), 1, "{rel}");
        } else if rel.ends_with(".xml") && rel.contains("feed") {
            let channel = rss::Channel::read_from(text.as_bytes()).unwrap();
            let item = &channel.items()[0];
            assert_eq!(
                item.title(),
                Some(format!("Titel {p}").as_str()),
                "{rel}: the title is text"
            );
            let body = Html::parse_fragment(item.content().unwrap());
            assert!(
                select(&body, "script, svg, img").is_empty(),
                "{rel}: markup in content:encoded"
            );
        }
    }
    assert!(pages >= 8);
}

#[test]
fn raw_html_only_when_the_site_allows_it() {
    let dir = site(&[(
        "x.md",
        "---\ntitle: Roh\ndate: 2022-01-21\n---\n\nEin <b>fetter</b> Satz.\n",
    )]);
    let yaml = std::fs::read_to_string(dir.path().join("site.yaml")).unwrap();
    std::fs::write(
        dir.path().join("site.yaml"),
        format!("{yaml}\nmarkdown:\n  allow_html: true\n"),
    )
    .unwrap();
    crate::common::blatt(dir.path()).arg("build").assert().success();
    let html = std::fs::read_to_string(dir.path().join("public/2022/01/x/index.html")).unwrap();
    assert!(html.contains("Ein <b>fetter</b> Satz."));
}

fn snapshot(public: &Path) -> BTreeMap<String, Vec<u8>> {
    files(public)
}

#[test]
fn a_broken_article_stops_the_build_and_keeps_the_previous_site() {
    let dir = example_site();
    crate::common::blatt(dir.path()).arg("build").assert().success();
    let public = dir.path().join("public");
    let before = snapshot(&public);
    std::fs::write(
        dir.path().join("content/2022/01/kaputt.md"),
        "---\ntitle: Kaputt\ndate: 21.01.2022\ntpoics: [x]\n---\nText\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("content/2022/01/ohne.md"), "Nur Text\n").unwrap();
    let kaputt = dir.path().join("content/2022/01/kaputt.md").display().to_string();
    crate::common::blatt(dir.path()).arg("build").assert().code(1).stderr(
        predicate::str::contains(format!("{kaputt}:3: `date`: invalid date `21.01.2022`"))
            .and(predicate::str::contains(format!(
                "{kaputt}:4: unknown key `tpoics` (did you mean `topics`?)"
            )))
            .and(predicate::str::contains("ohne.md:1: has no front matter"))
            .and(predicate::str::contains("3 errors in 2 files; nothing was written")),
    );
    assert_eq!(snapshot(&public), before, "public/ changed");
    let siblings: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!siblings.iter().any(|n| n.contains("staging")), "{siblings:?}");
}

#[test]
fn template_errors_name_template_line_and_variable() {
    let dir = example_site();
    crate::common::blatt(dir.path()).arg("build").assert().success();
    let before = snapshot(&dir.path().join("public"));
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/article.html"),
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ article.titel }}</h1>\n{% endblock main %}\n",
    )
    .unwrap();
    let path = dir.path().join("templates/article.html").display().to_string();
    crate::common::blatt(dir.path()).arg("build").assert().code(1).stderr(
        predicate::str::contains(format!("{path}:3: template error:\n"))
            .and(predicate::str::contains("titel"))
            .and(predicate::str::contains("\\n").not()),
    );
    assert_eq!(snapshot(&dir.path().join("public")), before);
    // A working override is used.
    std::fs::write(dir.path().join("templates/article.html"), "{% extends \"base.html\" %}\n{% block main %}\n<h1 class=\"mine\">{{ article.title }}</h1>\n{% endblock main %}\n").unwrap();
    crate::common::blatt(dir.path()).arg("build").assert().success();
    let html = std::fs::read_to_string(
        dir.path()
            .join("public/2022/01/us-aussenminister-blinken-zusammenarbeit-mit-russland-moeglich/index.html"),
    )
    .unwrap();
    assert!(html.contains("<h1 class=\"mine\">US-Außenminister"));
}

#[test]
fn a_broken_internal_link_in_an_article_is_an_error() {
    let dir = site(&[
        (
            "a.md",
            "---\ntitle: A\ndate: 2022-01-21\n---\n\nSiehe [B](/2022/01/b/) und [C](/2022/01/c/).\n",
        ),
        ("b.md", "---\ntitle: B\ndate: 2022-01-22\n---\n\nText.\n"),
    ]);
    let a = dir.path().join("content/a.md").display().to_string();
    crate::common::blatt(dir.path())
        .arg("build")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "{a}: broken link `/2022/01/c/` on /2022/01/a/"
        )));
    assert!(!dir.path().join("public").exists());
}

/// A page the rebuild keeps is not rendered again, but its links still
/// count: when the article it links to goes, or the heading it names, the
/// rebuild fails as a clean build would, naming the linking file. (Article
/// `a` is the oldest of five, so the changes below touch neither its
/// neighbours nor its related articles and its page is kept.)
#[test]
fn a_kept_page_whose_link_target_went_fails_the_rebuild() {
    let article =
        |title: &str, day: u32, body: &str| format!("---\ntitle: {title}\ndate: 2022-01-{day:02}\n---\n\n{body}\n");
    let a_text = article(
        "A",
        1,
        "Siehe [B](/2022/01/b/) und [den zweiten Teil](/2022/01/c/#zwei).",
    );
    let c_text = article("C", 20, "Erster Teil.\n\n## Zwei\n\nZweiter Teil.");
    let b_text = article("B", 10, "Text.");
    let dir = site(&[
        ("a.md", a_text.as_str()),
        ("x.md", article("X", 2, "Text.").as_str()),
        ("y.md", article("Y", 3, "Text.").as_str()),
        ("b.md", b_text.as_str()),
        ("c.md", c_text.as_str()),
    ]);
    let content = dir.path().join("content");
    let a = content.join("a.md").display().to_string();
    crate::common::blatt(dir.path()).arg("build").assert().success();
    let page = dir.path().join("public/2022/01/a/index.html");
    let rendered = std::fs::metadata(&page).unwrap().modified().unwrap();

    std::fs::remove_file(content.join("b.md")).unwrap();
    crate::common::blatt(dir.path())
        .arg("build")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "{a}: broken link `/2022/01/b/` on /2022/01/a/"
        )));
    std::fs::write(content.join("b.md"), &b_text).unwrap();
    crate::common::blatt(dir.path()).arg("build").assert().success();

    std::fs::write(content.join("c.md"), c_text.replace("## Zwei", "## Drei")).unwrap();
    crate::common::blatt(dir.path())
        .arg("build")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "{a}: broken link `/2022/01/c/#zwei` on /2022/01/a/: that page has no element with the id `zwei`"
        )));
    // The page was kept through all of it: the errors came from its
    // recorded links, not from rendering it again.
    assert_eq!(std::fs::metadata(&page).unwrap().modified().unwrap(), rendered);
}

#[test]
fn unchanged_files_keep_their_modification_time() {
    let dir = example_site();
    crate::common::blatt(dir.path()).arg("build").assert().success();
    let public = dir.path().join("public");
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400);
    for f in files(&public).keys() {
        std::fs::File::options()
            .write(true)
            .open(public.join(f))
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    let edited = dir
        .path()
        .join("content/2022/06/kita-plaetze-bleiben-knapp-eltern-demonstrieren-vor-dem-rathaus.md");
    let text = std::fs::read_to_string(&edited).unwrap().replace(
        "Eltern demonstrieren vor dem Rathaus",
        "Eltern protestieren vor dem Rathaus",
    );
    std::fs::write(&edited, text).unwrap();
    crate::common::blatt(dir.path()).arg("build").assert().success();
    let changed: BTreeSet<String> = files(&public)
        .keys()
        .filter(|f| std::fs::metadata(public.join(f)).unwrap().modified().unwrap() != old)
        .cloned()
        .collect();
    assert!(
        changed.contains("2022/06/kita-plaetze-bleiben-knapp-eltern-demonstrieren-vor-dem-rathaus/index.html"),
        "{changed:?}"
    );
    assert!(changed.contains("feed.xml"));
    assert!(!changed.contains("static/style.css"));
    assert!(!changed.contains("2021/11/buergerinitiative-klagt-gegen-windpark-am-hohen-eichberg/index.html"));
    assert!(
        changed.len() < files(&public).len() / 2,
        "{} of {} files rewritten",
        changed.len(),
        files(&public).len()
    );
}

#[test]
fn never_replaces_a_folder_blatt_did_not_make() {
    let dir = example_site();
    std::fs::create_dir_all(dir.path().join("public")).unwrap();
    std::fs::write(dir.path().join("public/mine.txt"), "keep").unwrap();
    crate::common::blatt(dir.path())
        .arg("build")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("was not made by blatt"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("public/mine.txt")).unwrap(),
        "keep"
    );
}

#[test]
fn a_sitemap_index_past_50000_urls() {
    // Pages of one give every article an article page, a home page and a
    // month page: 17 000 articles make 51 000+ URLs.
    let dir = site(&[]);
    let yaml = std::fs::read_to_string(dir.path().join("site.yaml"))
        .unwrap()
        .replace("paginate: 20", "paginate: 1\nlisting:\n  archive_paginate: 1");
    std::fs::write(dir.path().join("site.yaml"), yaml).unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    for i in 0..17_000 {
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        std::fs::write(
            content.join(format!("a{i}.md")),
            format!("---\ntitle: Nummer {i}\ndate: 2020-{month:02}-{day:02}\n---\nText.\n"),
        )
        .unwrap();
    }
    crate::common::blatt(dir.path())
        .args(["build", "-q"])
        .assert()
        .success();
    let public = dir.path().join("public");
    let index = sitemap_locs(&std::fs::read(public.join("sitemap.xml")).unwrap());
    assert_eq!(
        index,
        vec!["https://example.org/sitemap-1.xml", "https://example.org/sitemap-2.xml"]
    );
    let mut urls = Vec::new();
    for part in ["sitemap-1.xml", "sitemap-2.xml"] {
        let locs = sitemap_locs(&std::fs::read(public.join(part)).unwrap());
        assert!(locs.len() <= 50_000);
        urls.extend(locs);
    }
    assert!(urls.len() > 50_000, "{}", urls.len());
    let unique: BTreeSet<&String> = urls.iter().collect();
    assert_eq!(unique.len(), urls.len());
    for loc in urls.iter().step_by(997) {
        assert!(target(&public, "/", "/", loc).unwrap().is_file(), "{loc}");
    }
}

#[test]
fn static_files_are_copied_and_override_the_theme() {
    let dir = site(&[("a.md", "---\ntitle: A\ndate: 2022-01-21\n---\nText.\n")]);
    std::fs::create_dir_all(dir.path().join("static/img")).unwrap();
    std::fs::write(dir.path().join("static/img/logo.txt"), "logo").unwrap();
    std::fs::write(dir.path().join("static/style.css"), "body { color: red; }\n").unwrap();
    crate::common::blatt(dir.path()).arg("build").assert().success();
    let public = dir.path().join("public");
    assert_eq!(
        std::fs::read_to_string(public.join("static/img/logo.txt")).unwrap(),
        "logo"
    );
    assert_eq!(
        std::fs::read_to_string(public.join("static/style.css")).unwrap(),
        "body { color: red; }\n"
    );
    assert!(
        public.join("static/favicon.svg").is_file(),
        "the theme's other files stay"
    );
}
