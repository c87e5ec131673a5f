//! `blatt check`: every problem in every file, in one run, with file and line.

use assert_cmd::Command;
use predicates::prelude::*;

fn site_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.yaml"), "language: de\ntimezone: Europe/Berlin\n").unwrap();
    for (name, text) in files {
        let path = dir.path().join("content").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn check(dir: &tempfile::TempDir) -> Command {
    let mut cmd = Command::cargo_bin("blatt").unwrap();
    cmd.arg("--root").arg(dir.path()).arg("check");
    cmd
}

#[test]
fn the_example_site_is_clean() {
    Command::cargo_bin("blatt")
        .unwrap()
        .arg("--root")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("checked 13 articles: no errors"));
}

#[test]
fn every_error_in_one_run() {
    let dir = site_with(&[
        ("a.md", "---\ntitel: Hallo\ndate: 2022-01-21\n---\nText\n"),
        (
            "b/c.md",
            "---\ntitle: Zweiter\ndate: 21.01.2022\ntpoics: [x]\n---\nText\n",
        ),
        ("ok.md", "---\ntitle: Gut\ndate: 2022-01-21T10:00:00+01:00\n---\nText\n"),
        ("no-front.md", "Nur Text\n"),
        ("dup.md", "---\ntitle: Gleich\ndate: 2022-01-21\nslug: ok\n---\n"),
        ("notes.txt", "not an article"),
    ]);
    let content = dir.path().join("content");
    let at = |name: &str, line: usize| format!("{}:{line}:", content.join(name).display());
    check(&dir)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains(format!("{} unknown key `titel` (did you mean `title`?)", at("a.md", 2)))
                .and(predicate::str::contains(format!(
                    "{} missing required key `title`",
                    at("a.md", 2)
                )))
                .and(predicate::str::contains(format!(
                    "{} `date`: invalid date `21.01.2022`",
                    at("b/c.md", 3)
                )))
                .and(predicate::str::contains(format!(
                    "{} unknown key `tpoics` (did you mean `topics`?)",
                    at("b/c.md", 4)
                )))
                .and(predicate::str::contains(format!(
                    "{} has no front matter",
                    at("no-front.md", 1)
                )))
                .and(predicate::str::contains("has the same URL /2022/01/ok/ as")),
        )
        .stdout(predicate::str::contains("checked 2 articles: 6 errors in 4 files"));
}

#[test]
fn a_bad_site_yaml_is_named_with_its_line() {
    let dir = site_with(&[]);
    std::fs::write(dir.path().join("site.yaml"), "title: x\npaginte: 10\n").unwrap();
    check(&dir).assert().code(1).stderr(predicate::str::contains(
        "site.yaml:2: unknown key `paginte` (did you mean `paginate`?)",
    ));
}

#[test]
fn a_bad_pattern_in_site_yaml_is_named() {
    let dir = site_with(&[]);
    std::fs::write(
        dir.path().join("site.yaml"),
        "import:\n  patterns:\n    drop:\n      mine: ['(unclosed']\n",
    )
    .unwrap();
    check(&dir).assert().code(1).stderr(predicate::str::contains(
        "import.patterns.drop.mine: invalid pattern `(unclosed`",
    ));
}

#[test]
fn check_renders_everything_a_build_would_and_writes_nothing() {
    let dir = site_with(&[
        (
            "a.md",
            "---\ntitle: A\ndate: 2022-01-21\ndraft: true\n---\n\nSiehe [C](/2022/01/c/).\n",
        ),
        ("b.md", "---\ntitle: B\ndate: 2999-01-21\n---\n\nText.\n"),
    ]);
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(dir.path().join("templates/404.html"), "<p>{{ page.nope }}</p>").unwrap();
    check(&dir)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains(format!(
                "{}: broken link `/2022/01/c/`",
                dir.path().join("content/a.md").display()
            ))
            .and(predicate::str::contains(format!(
                "{}:1: template error",
                dir.path().join("templates/404.html").display()
            ))),
        )
        .stdout(predicate::str::contains("checked 2 articles: 2 errors in 2 files"));
    assert!(!dir.path().join("public").exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        3,
        "only site.yaml, content/, templates/"
    );
}

#[test]
fn a_file_that_cannot_be_read_does_not_hide_the_other_errors() {
    let dir = site_with(&[
        ("ok.md", "---\ntitle: Gut\ndate: 2022-01-21\n---\nText\n"),
        (
            "bad.md",
            "---\ntitle: Schlecht\ndate: 2022-01-21\ncolour: rot\n---\nText\n",
        ),
    ]);
    let content = dir.path().join("content");
    std::os::unix::fs::symlink("nowhere.md", content.join("z.md")).unwrap();
    check(&dir).assert().code(1).stderr(
        predicate::str::contains(format!(
            "{}: is a symbolic link to `nowhere.md`, which does not exist",
            content.join("z.md").display()
        ))
        .and(predicate::str::contains(format!(
            "{}:4: unknown key `colour`",
            content.join("bad.md").display()
        ))),
    );
}
