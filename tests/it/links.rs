//! Links inside the archive: headings have ids that fragment links can
//! name, the build's link check reads fragments, links written from the
//! site's root work under a base path, and `@/…` links name articles by
//! their file.

use std::path::Path;

use blatt::config::Site;
use blatt::pipeline::{BuildOptions, build};

fn article(title: &str, day: u32, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: 2022-01-{day:02}T09:00:00+01:00\n---\n\n{body}\n")
}

/// Builds `articles` (file name below content/2022/01/, text) under `base`;
/// the error text when the build fails.
fn build_site(articles: &[(&str, String)], base: Option<&str>) -> (tempfile::TempDir, Result<(), String>) {
    let files: Vec<(String, &String)> = articles.iter().map(|(n, t)| (format!("2022/01/{n}"), t)).collect();
    let dir = crate::common::site_with(&files);
    let site = Site::load(dir.path()).unwrap();
    let options = BuildOptions {
        base_url: base.map(str::to_string),
        ..BuildOptions::for_site(&site)
    };
    let result = build(&site, &options, &|| {}).map(|_| ()).map_err(|e| e.to_string());
    (dir, result)
}

fn page(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join("public").join(rel)).unwrap()
}

const TARGET: &str = "## Erster Abschnitt\n\nText.\n\n## Erster Abschnitt\n\nMehr.\n\n## Übersicht & Ausblick\n\nEnde.";

#[test]
fn headings_get_ids_that_fragments_can_name() {
    let from = "Siehe [oben](#ueberblick), [dort](../ziel/#erster-abschnitt-1), [Ausblick](/2022/01/ziel/#uebersicht-ausblick).\n\n## Überblick";
    let (dir, result) = build_site(
        &[
            ("ziel.md", article("Ziel", 10, TARGET)),
            ("quelle.md", article("Quelle", 11, from)),
        ],
        None,
    );
    result.unwrap();
    let target = page(dir.path(), "2022/01/ziel/index.html");
    for id in ["erster-abschnitt", "erster-abschnitt-1", "uebersicht-ausblick"] {
        assert!(target.contains(&format!(" id=\"{id}\"")), "{id}: {target}");
    }
}

#[test]
fn a_fragment_no_element_has_fails_the_build() {
    for (link, id) in [("#fehlt", "fehlt"), ("../ziel/#zweiter-abschnitt", "zweiter-abschnitt")] {
        let from = format!("Siehe [hier]({link}).\n\n## Da");
        let (_dir, result) = build_site(
            &[
                ("ziel.md", article("Ziel", 10, TARGET)),
                ("quelle.md", article("Quelle", 11, &from)),
            ],
            None,
        );
        let error = result.unwrap_err();
        assert!(error.contains("quelle.md"), "{error}");
        assert!(error.contains(&format!("no element with the id `{id}`")), "{error}");
    }
}

#[test]
fn links_from_the_root_work_under_a_base_path() {
    let from = "Siehe [Ziel](/2022/01/ziel/) und [Stil](/static/style.css).";
    let (dir, result) = build_site(
        &[
            ("ziel.md", article("Ziel", 10, "Text.")),
            ("quelle.md", article("Quelle", 11, from)),
        ],
        Some("https://example.org/archiv/"),
    );
    result.unwrap();
    let html = page(dir.path(), "2022/01/quelle/index.html");
    assert!(html.contains(r#"<a href="/archiv/2022/01/ziel/">Ziel</a>"#), "{html}");
    assert!(
        html.contains(r#"<a href="/archiv/static/style.css">Stil</a>"#),
        "{html}"
    );
}

#[test]
fn links_to_article_files_lead_to_their_pages() {
    // The file name is not the slug: the link names the file, the page has the slug.
    let target = "---\ntitle: Ziel\ndate: 2022-01-10T09:00:00+01:00\nslug: anderer-name\n---\n\n## Teil\n\nText.\n";
    let from = "Siehe [Ziel](@/2022/01/ziel.md) und [Teil](@/2022/01/ziel.md#teil).";
    let (dir, result) = build_site(
        &[
            ("ziel.md", target.to_string()),
            ("quelle.md", article("Quelle", 11, from)),
        ],
        Some("https://example.org/archiv/"),
    );
    result.unwrap();
    let html = page(dir.path(), "2022/01/quelle/index.html");
    assert!(
        html.contains(r#"<a href="/archiv/2022/01/anderer-name/">Ziel</a>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="/archiv/2022/01/anderer-name/#teil">Teil</a>"#),
        "{html}"
    );
}

#[test]
fn a_link_to_a_missing_file_fails_with_its_line() {
    let from = "Erster Absatz.\n\nSiehe [weg](@/2022/01/fehlt.md).";
    let (dir, result) = build_site(&[("quelle.md", article("Quelle", 11, from))], None);
    let error = result.unwrap_err();
    // Front matter (4 lines), a blank line, the first paragraph, a blank line.
    assert!(error.contains("quelle.md:8"), "{error}");
    assert!(error.contains("`@/2022/01/fehlt.md`"), "{error}");
    assert!(!dir.path().join("public").exists(), "a failed build wrote an output");
}
