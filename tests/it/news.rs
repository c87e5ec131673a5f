//! The conventions of the news web (issue 6): schema.org `NewsArticle`
//! JSON-LD, Open Graph and Twitter card meta, the Google News sitemap and
//! related articles, read back with real parsers.

use std::collections::BTreeMap;
use std::path::Path;

use blatt::config::Site;
use blatt::pipeline::{BuildOptions, Mode, build};
use chrono::{Duration, SecondsFormat, Utc};
use scraper::{Html, Selector};

const SEED_PAGE: &str = "2022/01/us-aussenminister-blinken-zusammenarbeit-mit-russland-moeglich/index.html";

/// A site with the example `site.yaml` plus `config`, and these articles.
fn site(config: &str, articles: &[(String, String)]) -> tempfile::TempDir {
    let dir = crate::common::site_with(articles);
    crate::common::example_images(dir.path());
    let yaml = dir.path().join("site.yaml");
    let mut text = std::fs::read_to_string(&yaml).unwrap();
    text.push_str(config);
    std::fs::write(&yaml, text).unwrap();
    dir
}

/// The example site's articles (the seed among them).
fn example_articles() -> Vec<(String, String)> {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    crate::common::files(&content)
        .into_iter()
        .map(|(rel, bytes)| (rel, String::from_utf8(bytes).unwrap()))
        .collect()
}

fn run(dir: &Path) -> blatt::pipeline::BuildReport {
    let site = Site::load(dir).unwrap();
    build(&site, &BuildOptions::for_site(&site), &|| {}).unwrap()
}

fn page(dir: &Path, rel: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(dir.join("public").join(rel)).unwrap())
}

pub(crate) fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

/// `<meta property|name=key content>` values of a page, in order.
pub(crate) fn meta(doc: &Html) -> BTreeMap<String, Vec<String>> {
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in select(doc, "head meta") {
        let e = m.value();
        if let (Some(key), Some(content)) = (e.attr("property").or(e.attr("name")), e.attr("content")) {
            found.entry(key.to_string()).or_default().push(content.to_string());
        }
    }
    found
}

pub(crate) fn json_ld(doc: &Html) -> Vec<serde_json::Value> {
    select(doc, "script[type=\"application/ld+json\"]")
        .iter()
        .map(|s| serde_json::from_str(&s.inner_html()).unwrap())
        .collect()
}

fn front(title: &str, date: &str, topics: &str, extra: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndate: {date}\ntopics: [{topics}]\n{extra}---\n\nText von {title}.\n")
}

fn rfc3339(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

#[test]
fn the_seed_article_has_news_article_json_ld() {
    // The seed's tags are its own: each gets a page, to be named here.
    let dir = site("min_articles:\n  tags: 1\n", &example_articles());
    run(dir.path());
    let doc = page(dir.path(), SEED_PAGE);
    let scripts = json_ld(&doc);
    assert_eq!(scripts.len(), 1);
    let ld = &scripts[0];
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "NewsArticle");
    let title = select(&doc, "h1")[0].text().collect::<String>();
    assert_eq!(ld["headline"], title.as_str());
    assert_eq!(ld["datePublished"], "2022-01-21T00:00:00+01:00");
    let modified = ld["dateModified"].as_str().unwrap();
    chrono::DateTime::parse_from_rfc3339(modified).unwrap();
    assert!(modified.ends_with("+01:00"), "{modified}");
    assert_eq!(ld["publisher"]["@type"], "Organization");
    assert_eq!(ld["publisher"]["name"], "Blatt – Nachrichtenarchiv");
    assert_eq!(ld["publisher"]["url"], "https://example.org/");
    assert!(ld["publisher"].get("logo").is_none());
    let keywords: Vec<&str> = ld["keywords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    let tags: Vec<String> = select(&doc, "ul.tags a").iter().map(|a| a.text().collect()).collect();
    assert!(
        !tags.is_empty() && keywords.contains(&tags[0].as_str()),
        "{keywords:?} {tags:?}"
    );
    assert_eq!(ld["articleSection"][0], "Ukraine-Konflikt");
    let canonical = format!("https://example.org/{}", SEED_PAGE.trim_end_matches("index.html"));
    assert_eq!(ld["mainEntityOfPage"]["@id"], canonical.as_str());
    // What the page and mainEntityOfPage already say, only when asked.
    for key in ["inLanguage", "url", "isAccessibleForFree"] {
        assert!(ld.get(key).is_none(), "{key}");
    }
    let authors = ld["author"].as_array().unwrap();
    assert!(!authors.is_empty());
    // The seed credits only newsroom initials (editors, not a byline), so
    // JSON-LD credits its agencies as organisations.
    assert!(
        authors
            .iter()
            .all(|a| { (a["@type"] == "Person" || a["@type"] == "Organization") && a["name"].is_string() })
    );

    let m = meta(&doc);
    let one = |k: &str| m.get(k).and_then(|v| v.first()).map(String::as_str);
    assert_eq!(one("og:type"), Some("article"));
    assert_eq!(one("og:title"), Some(title.as_str()));
    assert_eq!(one("og:url"), Some(canonical.as_str()));
    assert_eq!(one("og:site_name"), Some("Blatt – Nachrichtenarchiv"));
    assert_eq!(one("og:locale"), Some("de_DE"));
    assert_eq!(one("article:published_time"), Some("2022-01-21T00:00:00+01:00"));
    assert_eq!(one("article:modified_time"), Some(modified));
    assert_eq!(one("article:section"), Some("Ukraine-Konflikt"));
    assert_eq!(m["article:tag"], tags);
    assert_eq!(one("twitter:card"), Some("summary"));
    let description = select(&doc, "meta[name=description]")[0]
        .value()
        .attr("content")
        .unwrap()
        .to_string();
    assert_eq!(one("og:description"), Some(description.as_str()));
    assert!(one("og:image").is_none());

    // Other pages: the basic values, no article ones, no JSON-LD.
    let home = page(dir.path(), "index.html");
    let m = meta(&home);
    assert_eq!(m["og:type"], ["website"]);
    assert_eq!(m["og:title"], ["Blatt – Nachrichtenarchiv"]);
    assert_eq!(m["og:url"], ["https://example.org/"]);
    assert!(!m.contains_key("article:published_time"));
    assert!(json_ld(&home).is_empty());
}

/// The head says title, description and image once: X reads the Open
/// Graph tags when its own are absent, Google's article structured data
/// asks for no description, and the JSON-LD does not repeat the page's URL
/// and language. The repeats come back when site.yaml asks.
#[test]
fn twitter_tags_and_json_ld_repeats_only_when_asked() {
    let dir = site("", &example_articles());
    run(dir.path());
    let doc = page(dir.path(), SEED_PAGE);
    let m = meta(&doc);
    let twitter: Vec<&String> = m.keys().filter(|k| k.starts_with("twitter:")).collect();
    assert_eq!(twitter, ["twitter:card"]);
    assert!(json_ld(&doc)[0].get("description").is_none());
    let description = select(&doc, "meta[name=description]")[0]
        .value()
        .attr("content")
        .unwrap()
        .to_string();
    assert!(!description.is_empty());
    assert_eq!(m["og:description"], [description.as_str()]);

    let dir = site(
        "social:\n  twitter_tags: true\n  json_ld_description: true\n",
        &example_articles(),
    );
    run(dir.path());
    let doc = page(dir.path(), SEED_PAGE);
    let m = meta(&doc);
    assert_eq!(m["twitter:title"], m["og:title"]);
    assert_eq!(m["twitter:description"], [description.as_str()]);
    assert_eq!(json_ld(&doc)[0]["description"], description.as_str());

    let dir = site("social:\n  json_ld_repeats: true\n", &example_articles());
    run(dir.path());
    let ld = &json_ld(&page(dir.path(), SEED_PAGE))[0];
    let canonical = format!("https://example.org/{}", SEED_PAGE.trim_end_matches("index.html"));
    assert_eq!(ld["url"], canonical.as_str());
    assert_eq!(ld["mainEntityOfPage"]["@id"], canonical.as_str());
    assert_eq!(ld["inLanguage"], "de");
    assert_eq!(ld["isAccessibleForFree"], true);
}

#[test]
fn json_ld_headline_logo_image_and_agency_authors() {
    let long = "Wort ".repeat(30);
    let dir = site(
        "social:\n  image: static/card.png\n  logo: https://cdn.example.net/logo.png\n",
        &[(
            "a.md".into(),
            front(
                &format!("{long}</script><script>alert(1)</script>"),
                "2022-01-21T12:00:00+01:00",
                "",
                "updated: 2022-01-22T08:00:00+01:00\nsources: [dpa, AFP]\n",
            ),
        )],
    );
    run(dir.path());
    let rel = std::fs::read_dir(dir.path().join("public/2022/01"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap();
    let raw = std::fs::read_to_string(rel.join("index.html")).unwrap();
    assert!(!raw.contains("</script><script>alert"), "the payload closed the script");
    let doc = Html::parse_document(&raw);
    let ld = &json_ld(&doc)[0];
    let headline = ld["headline"].as_str().unwrap();
    assert!(
        headline.chars().count() <= 110 && headline.ends_with("Wort…"),
        "{headline}"
    );
    assert_eq!(ld["dateModified"], "2022-01-22T08:00:00+01:00");
    assert_eq!(
        ld["author"],
        serde_json::json!([{"@type": "Organization", "name": "dpa"}, {"@type": "Organization", "name": "AFP"}])
    );
    assert_eq!(ld["publisher"]["logo"]["url"], "https://cdn.example.net/logo.png");
    assert_eq!(ld["image"][0], "https://example.org/static/card.png");
    assert!(ld.get("keywords").is_none() && ld.get("articleSection").is_none());
    let m = meta(&doc);
    assert_eq!(m["twitter:card"], ["summary_large_image"]);
    assert_eq!(m["og:image"], ["https://example.org/static/card.png"]);
    assert_eq!(
        m["og:title"][0],
        format!("{long}</script><script>alert(1)</script>").trim_end()
    );
}

fn news_urls(dir: &Path) -> Vec<(String, String, String, String, String)> {
    let text = std::fs::read_to_string(dir.join("public/sitemap-news.xml")).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    const SM: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
    const NEWS: &str = "http://www.google.com/schemas/sitemap-news/0.9";
    let root = doc.root_element();
    assert_eq!(root.tag_name().namespace(), Some(SM));
    assert_eq!(root.tag_name().name(), "urlset");
    fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, ns: &str, name: &str) -> roxmltree::Node<'a, 'i> {
        n.children()
            .find(|c| c.tag_name().namespace() == Some(ns) && c.tag_name().name() == name)
            .unwrap_or_else(|| panic!("no {name}"))
    }
    let text_of = |n: roxmltree::Node| n.text().unwrap_or("").to_string();
    root.children()
        .filter(|n| n.is_element())
        .map(|url| {
            let news = child(url, NEWS, "news");
            let publication = child(news, NEWS, "publication");
            (
                text_of(child(url, SM, "loc")),
                text_of(child(publication, NEWS, "name")),
                text_of(child(publication, NEWS, "language")),
                text_of(child(news, NEWS, "publication_date")),
                text_of(child(news, NEWS, "title")),
            )
        })
        .collect()
}

#[test]
fn the_news_sitemap_lists_the_last_two_days_newest_first() {
    let now = Utc::now();
    let hour = |h: i64| rfc3339(now - Duration::hours(h));
    let articles = vec![
        ("old.md".to_string(), front("Alt", "2022-01-21", "", "")),
        ("three-days.md".into(), front("Vorgestern & früher", &hour(72), "", "")),
        ("one.md".into(), front("Vor einer Stunde <b>", &hour(1), "", "")),
        (
            "two.md".into(),
            front("Vor zwei Stunden", &hour(2), "", "language: en-GB\n"),
        ),
        ("day.md".into(), front("Gestern", &hour(30), "", "")),
    ];
    let dir = site("", &articles);
    run(dir.path());
    let urls = news_urls(dir.path());
    let titles: Vec<&str> = urls.iter().map(|u| u.4.as_str()).collect();
    assert_eq!(titles, ["Vor einer Stunde <b>", "Vor zwei Stunden", "Gestern"]);
    for (loc, name, language, date, _) in &urls {
        assert!(loc.starts_with("https://example.org/") && loc.ends_with('/'), "{loc}");
        assert_eq!(name, "Blatt – Nachrichtenarchiv");
        assert!(language == "de" || language == "en", "{language}");
        chrono::DateTime::parse_from_rfc3339(date).unwrap();
    }
    assert_eq!(urls[1].2, "en");
    assert_eq!(urls[0].3, hour(1));
    let robots = std::fs::read_to_string(dir.path().join("public/robots.txt")).unwrap();
    assert!(
        robots.contains("Sitemap: https://example.org/sitemap.xml\n"),
        "{robots}"
    );
    assert!(
        robots.contains("Sitemap: https://example.org/sitemap-news.xml\n"),
        "{robots}"
    );

    // The build must run again when the oldest listed article leaves the window.
    let out = dir.path().join("public");
    let manifest =
        blatt::pipeline::state::manifest::Manifest::load(&out, blatt::output::build_dir::marker_generation(&out))
            .expect("a manifest");
    let leaves = chrono::DateTime::parse_from_rfc3339(&hour(30)).unwrap() + Duration::hours(48);
    assert_eq!(manifest.head.next_due, Some(leaves.timestamp()));

    // Configured: name, window and limit.
    let dir = site(
        "news:\n  publication: \"Blatt & Co\"\n  window_hours: 24\n  limit: 1\n",
        &articles,
    );
    run(dir.path());
    let urls = news_urls(dir.path());
    assert_eq!(urls.len(), 1);
    assert_eq!(urls[0].1, "Blatt & Co");
    assert_eq!(urls[0].4, "Vor einer Stunde <b>");
}

#[test]
fn an_old_archive_has_no_news_sitemap_and_it_can_be_switched_off() {
    let articles = vec![("old.md".to_string(), front("Alt", "2022-01-21", "", ""))];
    let dir = site("", &articles);
    run(dir.path());
    // An empty `<urlset>` fails the sitemap schema: no file, and robots.txt
    // names none.
    assert!(!dir.path().join("public/sitemap-news.xml").exists());
    let robots = std::fs::read_to_string(dir.path().join("public/robots.txt")).unwrap();
    assert!(!robots.contains("sitemap-news"), "{robots}");
    assert!(
        robots.contains("Sitemap: https://example.org/sitemap.xml\n"),
        "{robots}"
    );
    let fresh = vec![(
        "new.md".to_string(),
        front("Neu", &rfc3339(Utc::now() - Duration::hours(1)), "", ""),
    )];
    let dir = site("news:\n  sitemap: false\n", &fresh);
    run(dir.path());
    assert!(!dir.path().join("public/sitemap-news.xml").exists());
    let robots = std::fs::read_to_string(dir.path().join("public/robots.txt")).unwrap();
    assert!(!robots.contains("sitemap-news"), "{robots}");
}

#[test]
fn the_news_sitemap_goes_when_its_last_article_leaves_the_window() {
    let fresh = front("Neu", &rfc3339(Utc::now() - Duration::hours(1)), "", "");
    let articles = vec![
        ("old.md".to_string(), front("Alt", "2022-01-21", "", "")),
        ("new.md".to_string(), fresh),
    ];
    let dir = site("", &articles);
    assert_eq!(run(dir.path()).mode, Mode::Full);
    assert_eq!(news_urls(dir.path()).len(), 1);
    // Corrected to an old date: the window is empty now.
    let new = dir.path().join("content/new.md");
    std::fs::write(&new, front("Neu", "2021-12-01", "", "")).unwrap();
    assert_eq!(run(dir.path()).mode, Mode::Incremental);
    let out = dir.path().join("public");
    assert!(!out.join("sitemap-news.xml").exists());
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(!robots.contains("sitemap-news"), "{robots}");
    // Exactly what a clean build makes.
    let incremental = crate::common::output_files(&out);
    std::fs::remove_dir_all(&out).unwrap();
    assert_eq!(run(dir.path()).mode, Mode::Full);
    assert_eq!(incremental, crate::common::output_files(&out));
}

/// Articles a0 (newest) … a9, one hour apart; even ones in Politik, all in Sport.
fn related_site(config: &str) -> tempfile::TempDir {
    let articles: Vec<(String, String)> = (0..10)
        .map(|n| {
            let topics = if n % 2 == 0 { "Politik, Sport" } else { "Sport" };
            let date = format!("2022-03-01T{:02}:00:00+01:00", 20 - n);
            (
                format!("a{n}.md"),
                front(
                    &format!("a{n}"),
                    &date,
                    topics,
                    &format!("kicker: \"K{n}\"\nslug: a{n}\n"),
                ),
            )
        })
        .collect();
    site(config, &articles)
}

fn related_of(dir: &Path, n: usize) -> Vec<String> {
    let doc = page(dir, &format!("2022/03/a{n}/index.html"));
    let asides = select(&doc, "aside.related");
    if asides.is_empty() {
        return Vec::new();
    }
    let aside = asides[0];
    let heading = aside.value().attr("aria-labelledby").unwrap();
    let h = select(&doc, &format!("#{heading}"));
    assert_eq!(h[0].text().collect::<String>(), "Mehr zum Thema");
    aside
        .select(&Selector::parse("li a").unwrap())
        .map(|a| a.text().collect())
        .collect()
}

#[test]
fn related_articles_share_the_first_topic_and_are_nearest() {
    let dir = related_site("");
    run(dir.path());
    // Politik: a0 a2 a4 a6 a8. From a4: older a6, newer a2, a8, a0.
    assert_eq!(related_of(dir.path(), 4), ["a6", "a2", "a8", "a0"]);
    // From a8 (oldest in Politik): the four newer ones.
    assert_eq!(related_of(dir.path(), 8), ["a6", "a4", "a2", "a0"]);
    // Sport only: a3's nearest in Sport.
    assert_eq!(related_of(dir.path(), 3), ["a4", "a2", "a5", "a1"]);
    let doc = page(dir.path(), "2022/03/a3/index.html");
    let item = select(&doc, "aside.related li")[0];
    assert_eq!(
        item.select(&Selector::parse(".kicker").unwrap())
            .next()
            .unwrap()
            .text()
            .collect::<String>(),
        "K4"
    );
    let time = item.select(&Selector::parse("time").unwrap()).next().unwrap();
    assert_eq!(time.value().attr("datetime"), Some("2022-03-01T16:00:00+01:00"));
    assert_eq!(time.text().collect::<String>(), "1. März 2022");
    for n in 0..10 {
        let shown = related_of(dir.path(), n);
        assert_eq!(shown.len(), 4);
        assert!(!shown.contains(&format!("a{n}")));
    }

    let dir = related_site("related:\n  limit: 2\n");
    run(dir.path());
    assert_eq!(related_of(dir.path(), 4), ["a6", "a2"]);
    let dir = related_site("related:\n  limit: 0\n");
    run(dir.path());
    assert!(related_of(dir.path(), 4).is_empty());
}

#[test]
fn a_body_edit_renders_the_related_articles_of_a_clean_build() {
    let dir = related_site("");
    run(dir.path());
    // A related article's title changes: the pages that list it follow
    // (the edit path renders the pages naming it as related).
    let a6 = dir.path().join("content/a6.md");
    let text = std::fs::read_to_string(&a6)
        .unwrap()
        .replace("title: \"a6\"", "title: \"a6 neu\"");
    std::fs::write(&a6, text).unwrap();
    assert_eq!(run(dir.path()).mode, Mode::Edits);
    assert_eq!(related_of(dir.path(), 4), ["a6 neu", "a2", "a8", "a0"]);
    // A body-only edit takes the fast path and still shows the same list.
    let a4 = dir.path().join("content/a4.md");
    let mut text = std::fs::read_to_string(&a4).unwrap();
    text.push_str("\nNoch ein Absatz.\n");
    std::fs::write(&a4, text).unwrap();
    assert_eq!(run(dir.path()).mode, Mode::Edits);
    let edited = crate::common::output_files(&dir.path().join("public"));
    assert_eq!(related_of(dir.path(), 4), ["a6 neu", "a2", "a8", "a0"]);
    let clean = tempfile::tempdir().unwrap();
    let site = Site::load(dir.path()).unwrap();
    let mut options = BuildOptions::for_site(&site);
    options.out = clean.path().join("public");
    build(&site, &options, &|| {}).unwrap();
    let clean = crate::common::output_files(&options.out);
    assert_eq!(edited.keys().collect::<Vec<_>>(), clean.keys().collect::<Vec<_>>());
    for (rel, bytes) in &clean {
        assert!(edited[rel] == *bytes, "{rel} differs from a clean build");
    }
}

/// The page's description is the summary cut at a word near 160
/// characters (what search results and previews show), the same in
/// `og:description` and an asked-for JSON-LD `description`;
/// `social.description_length: 0` carries the whole summary.
#[test]
fn descriptions_are_cut_at_a_word_unless_asked_for_in_full() {
    let summary = "Der Gemeinderat hat am Abend über die Zukunft des alten Hallenbads beraten. \
                   Nach langer Debatte fiel die Entscheidung knapp aus, und die Verwaltung soll bis \
                   zum Sommer ein neues Gutachten über die Kosten der Sanierung vorlegen.";
    assert!(summary.chars().count() > 200);
    let article = || {
        vec![(
            "a.md".to_string(),
            front(
                "Hallenbad",
                "2022-01-21T12:00:00+01:00",
                "",
                &format!("summary: \"{summary}\"\n"),
            ),
        )]
    };
    let description = |doc: &Html| -> String {
        select(doc, "meta[name=description]")[0]
            .value()
            .attr("content")
            .unwrap()
            .to_string()
    };
    let rel = "2022/01/a/index.html";

    let dir = site("social:\n  json_ld_description: true\n", &article());
    run(dir.path());
    let doc = page(dir.path(), rel);
    let cut = description(&doc);
    assert!(cut.chars().count() <= 160 && cut.ends_with("…"), "{cut}");
    let kept = cut.trim_end_matches('…');
    assert!(summary.starts_with(kept), "{cut}");
    // At a word: the next character of the summary is a space.
    assert!(summary[kept.len()..].starts_with(' '), "{cut}");
    assert!(kept.chars().count() > 120, "{cut}");
    assert_eq!(meta(&doc)["og:description"], [cut.as_str()]);
    assert_eq!(json_ld(&doc)[0]["description"], cut.as_str());
    // Listings still show the whole summary.
    assert!(
        std::fs::read_to_string(dir.path().join("public/index.html"))
            .unwrap()
            .contains("die Kosten der Sanierung"),
    );

    let dir = site(
        "social:\n  json_ld_description: true\n  description_length: 0\n",
        &article(),
    );
    run(dir.path());
    let doc = page(dir.path(), rel);
    assert_eq!(description(&doc), summary);
    assert_eq!(meta(&doc)["og:description"], [summary]);
    assert_eq!(json_ld(&doc)[0]["description"], summary);
}

/// An article page names each of its feeds once, in the first format
/// (its topics', then the site's); the home and topic pages name theirs
/// in every format, and `feed.article_links: all` does so on article
/// pages too.
#[test]
fn article_pages_announce_each_feed_once_unless_asked_for_every_format() {
    let article = || {
        vec![(
            "a.md".to_string(),
            front("Hallenbad", "2022-01-21T12:00:00+01:00", "Stadtrat", ""),
        )]
    };
    let alternates = |dir: &Path, rel: &str| -> Vec<String> {
        select(&page(dir, rel), "head link[rel=alternate]")
            .iter()
            .map(|l| l.value().attr("href").unwrap().to_string())
            .collect()
    };
    let rel = "2022/01/a/index.html";
    let every = |prefix: &str| -> Vec<String> {
        ["feed.xml", "atom.xml", "feed.json"]
            .iter()
            .map(|f| format!("https://example.org/{prefix}{f}"))
            .collect()
    };

    let dir = site("", &article());
    run(dir.path());
    assert_eq!(
        alternates(dir.path(), rel),
        [
            "https://example.org/themen/stadtrat/feed.xml",
            "https://example.org/feed.xml"
        ]
    );
    assert_eq!(alternates(dir.path(), "index.html"), every(""));
    let topic = alternates(dir.path(), "themen/stadtrat/index.html");
    assert_eq!(topic[..3], every("themen/stadtrat/"));
    // Every format is still written.
    for f in every("themen/stadtrat/").iter().chain(&every("")) {
        let file = f.strip_prefix("https://example.org/").unwrap();
        assert!(dir.path().join("public").join(file).is_file(), "{file}");
    }

    let dir = site("", &article());
    let yaml = dir.path().join("site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    assert!(text.contains("\n  formats: [rss, atom, json]\n"));
    std::fs::write(
        &yaml,
        text.replace(
            "\n  formats: [rss, atom, json]\n",
            "\n  formats: [rss, atom, json]\n  article_links: all\n",
        ),
    )
    .unwrap();
    run(dir.path());
    let all = alternates(dir.path(), rel);
    assert_eq!(all, [every("themen/stadtrat/"), every("")].concat());
}
