//! The example archive in `content/` is exactly what `blatt import` makes of
//! the raw inputs in `tests/fixtures/raw/` and the seed: a golden test of
//! the whole importer, checked by hand when it was written.
//!
//! After a deliberate change to the cleaning rules, regenerate it with
//! `rm -r content && cargo run -- import ../shared/seeds/000_26328b77b207f0a4.txt --date 2022-01-21 && cargo run -- import tests/fixtures/raw`
//! and read the diff before committing it.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;

fn markdown_files(root: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap().display().to_string();
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn content_is_what_import_makes_of_the_fixtures() {
    let Some(seed) = common::seed() else { return };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    let import = |args: &[&std::ffi::OsStr]| {
        Command::cargo_bin("blatt")
            .unwrap()
            .arg("--root")
            .arg(dir.path())
            .arg("import")
            .args(args)
            .assert()
            .success();
    };
    import(&[seed.as_os_str(), "--date".as_ref(), "2022-01-21".as_ref()]);
    import(&[repo.join("tests/fixtures/raw").as_os_str()]);

    let expected = markdown_files(repo);
    let actual = markdown_files(dir.path());
    assert_eq!(expected.len(), 13);
    assert_eq!(actual.keys().collect::<Vec<_>>(), expected.keys().collect::<Vec<_>>());
    for (path, text) in &expected {
        assert_eq!(&actual[path], text, "{path} differs from a fresh import");
    }
}

#[test]
fn example_archive_spans_topics_and_months() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = common::example_site(repo);
    let loaded = blatt::content::load_dir(&site.content_dir(), &blatt::content::Rules::of(&site.config));
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let mut topics: BTreeMap<String, usize> = BTreeMap::new();
    let mut months = std::collections::BTreeSet::new();
    for a in &loaded.articles {
        assert_eq!(a.front.topics.len(), 1, "{}: {:?}", a.path.display(), a.front.topics);
        *topics.entry(a.front.topics[0].clone()).or_default() += 1;
        months.insert(a.front.date.format("%Y-%m").to_string());
        assert!(!a.front.tags.is_empty(), "{} has no tags", a.path.display());
    }
    assert_eq!(
        topics.into_iter().collect::<Vec<_>>(),
        vec![
            ("Bildung".into(), 3),
            ("Energiewende".into(), 3),
            ("Ukraine-Konflikt".into(), 4),
            ("Verkehr".into(), 3)
        ]
    );
    assert!(months.len() >= 6, "{months:?}");
}
