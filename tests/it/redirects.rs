//! URLs that never break: `aliases:` and the URLs a moved article had
//! become redirect pages to it, which no sitemap, feed or search lists and
//! which never replace a real page.

use std::path::Path;

use blatt::config::Site;
use blatt::pipeline::{BuildOptions, BuildReport, build};

fn article(title: &str, date: &str, extra: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\n{extra}---\n\nText zu {title}.\n")
}

fn run(root: &Path) -> Result<BuildReport, String> {
    let site = Site::load(root).unwrap();
    build(&site, &BuildOptions::for_site(&site), &|| {}).map_err(|e| e.to_string())
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join("public").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Whether the page at `rel` redirects to the absolute `target`.
fn redirects(root: &Path, rel: &str, target: &str) -> bool {
    let html = read(root, rel);
    html.contains(&format!("<meta http-equiv=\"refresh\" content=\"0; url={target}\">"))
        && html.contains(&format!("<link rel=\"canonical\" href=\"{target}\">"))
        && html.contains(&format!("<a href=\"{target}\">"))
        && html.contains("<meta name=\"robots\" content=\"noindex\">")
}

/// The News sitemap exists only while an article is in its window.
fn listed_anywhere(root: &Path, path: &str) -> bool {
    ["sitemap.xml", "feed.xml", "atom.xml", "feed.json", "sitemap-news.xml"]
        .iter()
        .filter(|f| **f != "sitemap-news.xml" || root.join("public").join(f).exists())
        .any(|f| read(root, f).contains(path))
}

#[test]
fn an_alias_becomes_a_redirect_listed_nowhere() {
    let aliases = "aliases: [/2021/12/alter-name/, alt/seite.html]\n";
    let dir = crate::common::site_with(&[("neu.md", article("Neu & <b>wichtig</b>", "2022-01-10", aliases))]);
    run(dir.path()).unwrap();
    let target = "https://example.org/2022/01/neu/";
    assert!(redirects(dir.path(), "2021/12/alter-name/index.html", target));
    assert!(redirects(dir.path(), "alt/seite.html", target));
    // The title is the page's text, never its markup.
    let page = read(dir.path(), "alt/seite.html");
    assert!(!page.contains("<b>"), "{page}");
    assert!(page.contains("<title>Neu &amp; &lt;b&gt;wichtig&lt;"), "{page}");
    assert!(!listed_anywhere(dir.path(), "alter-name"));
    assert!(!listed_anywhere(dir.path(), "seite.html"));
}

#[test]
fn a_bad_alias_is_refused_at_its_line() {
    for bad in ["https://evil.example/x/", "/a/../../b/", "//evil.example/"] {
        let extra = format!("summary: Kurz\naliases:\n  - /gut/\n  - \"{bad}\"\n");
        let dir = crate::common::site_with(&[("neu.md", article("Neu", "2022-01-10", &extra))]);
        let error = run(dir.path()).unwrap_err();
        assert!(error.contains("neu.md:5"), "{bad}: {error}");
        assert!(error.contains("`aliases`"), "{bad}: {error}");
        assert!(!dir.path().join("public").exists());
    }
}

#[test]
fn an_alias_where_a_page_is_is_refused() {
    let dir = crate::common::site_with(&[
        ("alt.md", article("Alt", "2022-01-09", "")),
        (
            "neu.md",
            article("Neu", "2022-01-10", "slug: neu\naliases:\n  - /2022/01/alt/\n"),
        ),
    ]);
    let error = run(dir.path()).unwrap_err();
    assert!(error.contains("neu.md:6"), "{error}");
    assert!(
        error.contains("/2022/01/alt/` cannot redirect here: the build has a page there"),
        "{error}"
    );
}

#[test]
fn a_moved_article_leaves_a_redirect_that_stays_until_a_page_takes_its_place() {
    let dir = crate::common::site_with(&[("bericht.md", article("Bericht", "2022-01-10", "slug: alter-name\n"))]);
    let root = dir.path();
    let file = root.join("content/bericht.md");
    assert!(run(root).unwrap().redirected.is_empty());

    // The slug is corrected: the old URL redirects, and the build says so.
    std::fs::write(&file, article("Bericht", "2022-01-10", "slug: neuer-name\n")).unwrap();
    let report = run(root).unwrap();
    assert_eq!(
        report.redirected,
        [("/2022/01/alter-name/".to_string(), "/2022/01/neuer-name/".to_string())]
    );
    let new_url = "https://example.org/2022/01/neuer-name/";
    assert!(redirects(root, "2022/01/alter-name/index.html", new_url));
    assert!(!listed_anywhere(root, "alter-name"));

    // The date is corrected too: both old URLs lead to the newest.
    std::fs::write(&file, article("Bericht", "2022-02-03", "slug: neuer-name\n")).unwrap();
    let report = run(root).unwrap();
    assert_eq!(report.redirected.len(), 1, "{:?}", report.redirected);
    let newest = "https://example.org/2022/02/neuer-name/";
    assert!(redirects(root, "2022/01/alter-name/index.html", newest));
    assert!(redirects(root, "2022/01/neuer-name/index.html", newest));

    // A later build with other changes keeps them, and so does a build
    // after the output folder was deleted (the state lives beside it).
    std::fs::write(root.join("content/anderer.md"), article("Anderer", "2022-03-01", "")).unwrap();
    assert!(run(root).unwrap().redirected.is_empty());
    assert!(redirects(root, "2022/01/alter-name/index.html", newest));
    std::fs::remove_dir_all(root.join("public")).unwrap();
    run(root).unwrap();
    assert!(redirects(root, "2022/01/alter-name/index.html", newest));
    assert!(redirects(root, "2022/01/neuer-name/index.html", newest));

    // A new article at an old URL wins; the redirect is dropped and reported.
    std::fs::write(
        root.join("content/neu.md"),
        article("Neu", "2022-01-12", "slug: alter-name\n"),
    )
    .unwrap();
    let report = run(root).unwrap();
    assert_eq!(report.redirects_dropped, ["/2022/01/alter-name/"]);
    assert!(read(root, "2022/01/alter-name/index.html").contains("<h1>Neu</h1>"));
    assert!(redirects(root, "2022/01/neuer-name/index.html", newest));
    // It is forgotten: when the new article moves on, its old URL leads
    // to it, not to the first article.
    std::fs::write(
        root.join("content/neu.md"),
        article("Neu", "2022-01-12", "slug: ganz-neu\n"),
    )
    .unwrap();
    let report = run(root).unwrap();
    assert!(report.redirects_dropped.is_empty());
    assert_eq!(
        report.redirected,
        [("/2022/01/alter-name/".to_string(), "/2022/01/ganz-neu/".to_string())]
    );
    assert!(redirects(
        root,
        "2022/01/alter-name/index.html",
        "https://example.org/2022/01/ganz-neu/"
    ));
}

/// A remembered URL's redirect exists only because of the site's history:
/// a link to it would pass here and fail in a clean build of the same
/// content (found by `BLATT_INCREMENTAL_SEEDS=500`, seed 251), so the link
/// check treats it as no page. An alias, written in the content, is one.
#[test]
fn a_link_to_a_remembered_url_is_broken_as_in_a_clean_build() {
    let dir = crate::common::site_with(&[
        ("bericht.md", article("Bericht", "2022-01-10", "slug: alter-name\n")),
        (
            "zweiter.md",
            article("Zweiter", "2022-01-11", "aliases: [/2021/12/frueher/]\n"),
        ),
    ]);
    let root = dir.path();
    run(root).unwrap();
    std::fs::write(
        root.join("content/bericht.md"),
        article("Bericht", "2022-01-10", "slug: neuer-name\n"),
    )
    .unwrap();
    run(root).unwrap();
    assert!(redirects(
        root,
        "2022/01/alter-name/index.html",
        "https://example.org/2022/01/neuer-name/"
    ));
    let linking = |target: &str| format!("---\ntitle: Verweis\ndate: 2022-01-12\n---\n\nSiehe [dort]({target}).\n");
    std::fs::write(root.join("content/verweis.md"), linking("/2022/01/alter-name/")).unwrap();
    let error = run(root).unwrap_err();
    assert!(
        error.contains("broken link") && error.contains("/2022/01/alter-name/"),
        "{error}"
    );
    // Linking the alias works, in this build as in a clean one.
    std::fs::write(root.join("content/verweis.md"), linking("/2021/12/frueher/")).unwrap();
    run(root).unwrap();
    std::fs::remove_dir_all(root.join("public")).unwrap();
    std::fs::remove_file(root.join(".public.blatt-manifest")).unwrap();
    run(root).unwrap();
}

/// The same on the body-edit path, where the link check asks the
/// manifest's records instead of the planned outputs: a plain link added
/// to another article's text must not reach a remembered redirect either.
#[test]
fn a_body_edit_linking_a_remembered_url_fails_as_a_clean_build_would() {
    let dir = crate::common::site_with(&[
        ("bericht.md", article("Bericht", "2022-01-10", "slug: alter-name\n")),
        ("zweiter.md", article("Zweiter", "2022-01-11", "")),
    ]);
    let root = dir.path();
    run(root).unwrap();
    std::fs::write(
        root.join("content/bericht.md"),
        article("Bericht", "2022-01-10", "slug: neuer-name\n"),
    )
    .unwrap();
    run(root).unwrap();
    // Only the body changes: the fast path is taken.
    std::fs::write(
        root.join("content/zweiter.md"),
        "---\ntitle: Zweiter\ndate: 2022-01-11\n---\n\nText zu Zweiter, siehe [dort](/2022/01/alter-name/).\n",
    )
    .unwrap();
    let error = run(root).unwrap_err();
    assert!(
        error.contains("broken link") && error.contains("/2022/01/alter-name/"),
        "{error}"
    );
}
