//! What readers meet on listing pages: pagination with first, last and
//! gaps, summaries where `listing.summaries` shows them, month archives
//! that lead to the neighbouring months, and the archive's overview.

use std::path::Path;

use blatt::config::Site;
use blatt::pipeline::{BuildOptions, Mode, build};
use scraper::{Html, Selector};

/// The example site with pages of one article and one article per date.
fn site(dates: &[&str]) -> tempfile::TempDir {
    let articles: Vec<(String, String)> = dates
        .iter()
        .enumerate()
        .map(|(n, date)| {
            (
                format!("a{n}.md"),
                format!("---\ntitle: Artikel {n}\ndate: {date}\nsummary: Kurz {n}\n---\n\nText {n}.\n"),
            )
        })
        .collect();
    let dir = crate::common::site_with(&articles);
    let yaml = dir.path().join("site.yaml");
    let text = std::fs::read_to_string(&yaml)
        .unwrap()
        .replace("paginate: 20", "paginate: 1\nlisting:\n  archive_paginate: 1");
    std::fs::write(&yaml, text).unwrap();
    rebuild(dir.path());
    dir
}

fn rebuild(root: &Path) {
    let site = Site::load(root).unwrap();
    build(&site, &BuildOptions::for_site(&site), &|| {}).unwrap();
}

fn page(dir: &Path, rel: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(dir.join("public").join(rel)).unwrap())
}

/// The titles a listing page lists: headings on pages with summaries,
/// links in a brief list on the others.
const TITLES: &str = "ol.articles h2, ol.articles.brief li > a";

fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&Selector::parse(css).unwrap())
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

#[test]
fn pagination_shows_neighbours_the_oldest_and_gaps() {
    // Ten articles, one a page: the front page shows 10 January, archive
    // pages 1–9 the 1st to the 9th, counted from the oldest.
    let dates: Vec<String> = (1..=10).map(|d| format!("2022-01-{d:02}")).collect();
    let dir = site(&dates.iter().map(String::as_str).collect::<Vec<_>>());
    let doc = page(dir.path(), "seite/5/index.html");
    assert_eq!(
        texts(&doc, r#"nav.pagination[aria-label="Seiten"] li"#),
        [
            "← Vorherige Seite",
            "…",
            "7",
            "6",
            "5",
            "4",
            "3",
            "…",
            "1",
            "Nächste Seite →"
        ]
    );
    assert_eq!(texts(&doc, r#"nav.pagination a[aria-current="page"]"#), ["5"]);
    // The gap is not read out: the numbers around it say what is left out.
    assert_eq!(texts(&doc, r#"nav.pagination li[aria-hidden="true"]"#), ["…", "…"]);
    // Near the oldest there is no gap before page 1.
    let second = page(dir.path(), "seite/2/index.html");
    assert_eq!(
        texts(&second, "nav.pagination li"),
        ["← Vorherige Seite", "…", "4", "3", "2", "1", "Nächste Seite →"]
    );
    // The front page lists the newest three archive pages and the oldest,
    // and has no newer page.
    let front = page(dir.path(), "index.html");
    assert_eq!(
        texts(&front, "nav.pagination li"),
        ["9", "8", "7", "…", "1", "Nächste Seite →"]
    );
    assert_eq!(texts(&page(dir.path(), "seite/9/index.html"), TITLES).len(), 1);
}

/// The summaries (`Kurz 1`, `Lang 1`) a listing page shows, wherever in
/// its list.
fn summaries(dir: &Path, rel: &str) -> Vec<String> {
    let list = texts(&page(dir, rel), "ol.articles").join(" ");
    let words: Vec<&str> = list.split_whitespace().collect();
    words
        .windows(2)
        .filter(|w| w[0] == "Kurz" || w[0] == "Lang")
        .map(|w| w.join(" "))
        .collect()
}

#[test]
fn summaries_show_on_front_pages_unless_listing_summaries_says_otherwise() {
    let dir = site(&["2022-01-01", "2022-01-02", "2022-01-03"]);
    let root = dir.path();
    let pages = [
        "index.html",
        "seite/1/index.html",
        "2022/01/index.html",
        "2022/01/seite/2/index.html",
    ];
    let shown = |root: &Path| pages.map(|p| summaries(root, p));
    // Front pages show the newest article's; archive pages list titles and dates.
    let titles = texts(&page(root, "seite/1/index.html"), TITLES);
    assert_eq!(titles, ["Artikel 0"]);
    // And without the markup of the front page's entries.
    assert!(texts(&page(root, "seite/1/index.html"), "ol.articles h2, ol.articles p.meta").is_empty());
    assert_eq!(shown(root), [vec!["Kurz 2"], vec![], vec!["Kurz 2"], vec![]]);

    // An edited summary renders the front pages again, not the archive
    // pages that list the article without it.
    let archive = root.join("public/2022/01/seite/2/index.html");
    let inode = |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
    let before = inode(&archive);
    let a1 = root.join("content/a1.md");
    std::fs::write(&a1, std::fs::read_to_string(&a1).unwrap().replace("Kurz 1", "Lang 1")).unwrap();
    rebuild(root);
    assert_eq!(
        inode(&archive),
        before,
        "an archive page without summaries was written again"
    );

    // A changed option renders every listing page again.
    let yaml = root.join("site.yaml");
    let config = std::fs::read_to_string(&yaml).unwrap();
    let listing = |summaries: &str| config.replace("listing:\n", &format!("listing:\n  summaries: {summaries}\n"));
    std::fs::write(&yaml, listing("all")).unwrap();
    rebuild(root);
    assert_eq!(
        shown(root),
        [vec!["Kurz 2"], vec!["Kurz 0"], vec!["Kurz 2"], vec!["Lang 1"]]
    );
    std::fs::write(&yaml, listing("none")).unwrap();
    rebuild(root);
    let none: [Vec<String>; 4] = Default::default();
    assert_eq!(shown(root), none);
}

#[test]
fn month_archives_link_the_neighbouring_months_with_articles() {
    let dir = site(&["2021-12-05", "2022-01-10", "2022-03-02"]);
    let links = |rel: &str| -> Vec<(String, String)> {
        let doc = page(dir.path(), rel);
        let selector = Selector::parse(r#"nav[aria-label="Monate"] li"#).unwrap();
        doc.select(&selector)
            .map(|li| {
                let a = li.select(&Selector::parse("a").unwrap()).next().unwrap();
                (a.value().attr("href").unwrap().to_string(), a.text().collect())
            })
            .collect()
    };
    // February has no articles: January and March are neighbours, across a year too.
    assert_eq!(
        links("2022/01/index.html"),
        [
            ("/2021/12/".to_string(), "Dezember 2021".to_string()),
            ("/2022/03/".to_string(), "März 2022".to_string())
        ]
    );
    assert_eq!(
        links("2022/03/index.html"),
        [("/2022/01/".to_string(), "Januar 2022".to_string())]
    );
    assert_eq!(
        links("2021/12/index.html"),
        [("/2022/01/".to_string(), "Januar 2022".to_string())]
    );
}

fn hrefs(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&Selector::parse(css).unwrap())
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect()
}

#[test]
fn the_archive_overview_lists_every_year_and_month_and_every_page_links_it() {
    let dir = site(&["2021-12-05", "2022-01-10", "2022-01-20", "2022-03-02"]);
    let overview = |dir: &Path| {
        let doc = page(dir, "archiv/index.html");
        (
            texts(&doc, "main h2"),
            texts(&doc, "main ul.months li"),
            hrefs(&doc, "main a"),
        )
    };
    let (years, months, links) = overview(dir.path());
    assert_eq!(years, ["2022 (3)", "2021 (1)"]);
    assert_eq!(months, ["März (1)", "Januar (2)", "Dezember (1)"]);
    assert_eq!(links, ["/2022/", "/2022/03/", "/2022/01/", "/2021/", "/2021/12/"]);
    // Every page's footer links the overview and lists no years: a list
    // that grows by a line a year on every page of the site.
    for rel in [
        "index.html",
        "2022/01/index.html",
        "2021/index.html",
        "suche/index.html",
        "404.html",
    ] {
        let doc = page(dir.path(), rel);
        assert_eq!(hrefs(&doc, "footer.site-footer a[href^='/']"), ["/archiv/"], "{rel}");
    }
    // A year page leads back to it.
    assert_eq!(
        hrefs(&page(dir.path(), "2022/index.html"), "main p.kicker a"),
        ["/archiv/"]
    );
    // An article in a new year reaches the overview in the next build.
    std::fs::write(
        dir.path().join("content/neu.md"),
        "---\ntitle: Neu\ndate: 2023-02-01\nsummary: Neu\n---\n\nText.\n",
    )
    .unwrap();
    rebuild(dir.path());
    let (years, months, _) = overview(dir.path());
    assert_eq!(years, ["2023 (1)", "2022 (3)", "2021 (1)"]);
    assert_eq!(months[0], "Februar (1)");
}

/// The first article of a new year renders what shows it, not every page:
/// the built-in theme reads no list of years, so every page's `site` value
/// holds none. A site template that reads `site.years` gets them, and then
/// a new year changes every page.
#[test]
fn a_new_year_renders_every_page_only_for_a_theme_that_lists_the_years() {
    let new_year = |dir: &Path| {
        std::fs::write(
            dir.join("content/neu.md"),
            "---\ntitle: Neu\ndate: 2023-02-01\nsummary: Neu\n---\n\nText.\n",
        )
        .unwrap();
        let site = Site::load(dir).unwrap();
        build(&site, &BuildOptions::for_site(&site), &|| {}).unwrap()
    };
    let dates = ["2021-12-05", "2022-01-10", "2022-01-20", "2022-03-02"];
    let default = site(&dates);
    let listing = site(&dates);
    let templates = listing.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("404.html"),
        "{% extends \"base.html\" %}{% block main %}<ul class=\"years\">{% for y in site.years %}<li>{{ y.year }}</li>{% endfor %}</ul>{% endblock main %}\n",
    )
    .unwrap();
    rebuild(listing.path());
    assert_eq!(
        texts(&page(listing.path(), "404.html"), "ul.years li"),
        ["2022", "2021"]
    );
    let (quiet, every) = (new_year(default.path()), new_year(listing.path()));
    // The edit path for the built-in theme, not where every page changes.
    assert_eq!((quiet.mode, every.mode), (Mode::Edits, Mode::Incremental));
    assert_eq!(
        texts(&page(listing.path(), "404.html"), "ul.years li"),
        ["2023", "2022", "2021"]
    );
    assert!(every.rendered > every.pages, "{} of {}", every.rendered, every.pages);
    // At least the pages of the three older articles, which neither show
    // nor neighbour the new one, stay as they were.
    assert!(
        quiet.rendered + 3 < every.rendered,
        "{} rendered for a new year, {} with a theme that lists the years",
        quiet.rendered,
        every.rendered
    );
}

#[test]
fn search_results_follow_their_count_directly() {
    let dir = site(&["2022-01-10"]);
    let doc = page(dir.path(), "suche/index.html");
    let status = doc.select(&Selector::parse("#search-status").unwrap()).next().unwrap();
    let next = status
        .next_siblings()
        .find_map(scraper::ElementRef::wrap)
        .expect("an element after the status");
    // On a phone the links for readers without JavaScript would push the
    // results below the fold: they come after them.
    assert_eq!(next.value().attr("id"), Some("search-results"));
    // Then the button for more results (hidden until there are more).
    let more = next.next_siblings().find_map(scraper::ElementRef::wrap).unwrap();
    assert_eq!(
        more.select(&Selector::parse("button#search-more[hidden]").unwrap())
            .count(),
        1,
        "{}",
        more.html()
    );
    let after = more.next_siblings().find_map(scraper::ElementRef::wrap).unwrap();
    assert!(
        after.select(&Selector::parse("a").unwrap()).count() >= 3,
        "{}",
        after.html()
    );
}
