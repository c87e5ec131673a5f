//! `blatt import` and `blatt init` end to end, through the binary.

use std::path::{Path, PathBuf};

use crate::common::{Shown, shown_blocks};
use assert_cmd::Command;
use predicates::prelude::*;

fn blatt() -> Command {
    Command::cargo_bin("blatt").unwrap()
}

/// A new site (made by `blatt init`) with the repository's `site.yaml`.
fn new_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    crate::common::init_site(dir.path());
    dir
}

fn root(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("site")
}

fn content_files(root: &Path) -> Vec<PathBuf> {
    crate::common::file_paths(&root.join("content"))
}

fn import(root: &Path) -> Command {
    let mut cmd = blatt();
    cmd.arg("--root").arg(root).arg("import");
    cmd
}

const SEED_FILE: &str = "content/2022/01/us-aussenminister-blinken-zusammenarbeit-mit-russland-moeglich.md";

#[test]
fn seed_imports_as_the_hand_checked_golden_file() {
    let Some(seed) = crate::common::seed() else { return };
    let dir = new_site();
    let root = root(&dir);
    import(&root)
        .arg(&seed)
        .args(["--date", "2022-01-21"])
        .assert()
        .success()
        .stdout(predicate::str::contains("imported 1 article (0 duplicates, 0 errors)"));
    let files = content_files(&root);
    assert_eq!(files, vec![root.join(SEED_FILE)]);
    let written = std::fs::read_to_string(&files[0]).unwrap();

    // The golden file is the repository's own content/ copy, checked by hand
    // against ../shared/seeds/000_26328b77b207f0a4.expected.md.
    let golden = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(SEED_FILE)).unwrap();
    assert_eq!(written, golden, "the seed no longer imports to the golden file");

    // What the issue lists, checked on the parsed article rather than the text.
    let article = blatt::content::Article::parse(
        &written,
        &files[0],
        &blatt::content::Rules::in_tz(chrono_tz::Europe::Berlin),
    )
    .unwrap();
    let fm = &article.front;
    assert_eq!(
        fm.title,
        "US-Außenminister Blinken: Zusammenarbeit mit Russland möglich"
    );
    assert_eq!(fm.kicker.as_deref(), Some("Krisentreffen in Genf"));
    assert_eq!(blatt::content::date::format(&fm.date), "2022-01-21T00:00:00+01:00");
    assert_eq!(fm.topics, vec!["Ukraine-Konflikt"]);
    assert_eq!(
        fm.tags,
        vec!["Antony Blinken", "Sergej Lawrow", "Wladimir Putin", "NATO"]
    );
    assert_eq!(fm.sources, vec!["dpa", "reuters"]);
    // The credit's initials name editors: kept, but not as the byline.
    assert!(fm.authors.is_empty(), "{:?}", fm.authors);
    let editors: Vec<String> = serde_yaml::from_value(fm.extra["editors"].clone()).unwrap();
    assert_eq!(editors, vec!["rcl", "sst"]);
    assert_eq!(fm.language.as_deref(), Some("de"));
    assert_eq!(
        fm.slug.as_deref(),
        Some("us-aussenminister-blinken-zusammenarbeit-mit-russland-moeglich")
    );
    let blocks = shown_blocks(&article.body);
    let headings: Vec<&str> = blocks
        .iter()
        .filter_map(|b| match b {
            Shown::Heading(h) => Some(h.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        headings,
        vec![
            "Mehr Transparenz bei militärischen Aktivitäten",
            "\"Diplomatie oder Aggression\"",
            "Krisentreffen auf neutralem Boden",
            "Russland-Expertin: Russen wollen keinen Krieg",
        ]
    );
    let paragraphs: Vec<&str> = blocks
        .iter()
        .filter_map(|b| match b {
            Shown::Paragraph(p) => Some(p.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(paragraphs.len(), 10);
    assert_eq!(fm.summary.as_deref(), Some(paragraphs[0]), "the lede is the summary");
    for chrome in ["Lese-Tipp", "Im Video", "Videoplaylist", "(dpa/"] {
        assert!(!written.contains(chrome), "{chrome} survived");
    }
    let duration = regex::Regex::new(r"(?m)^\d{1,2}:\d{2}").unwrap();
    assert!(!duration.is_match(&article.body), "a playlist line survived");
    // Every body paragraph of the seed is kept word for word.
    let raw = std::fs::read_to_string(&seed).unwrap();
    for line in raw
        .lines()
        .skip(1)
        .filter(|l| l.split_whitespace().count() > 20 && !l.starts_with(char::is_numeric))
    {
        assert!(paragraphs.contains(&line.trim()), "lost: {line}");
    }
}

#[test]
fn importing_again_is_a_duplicate_and_writes_nothing() {
    let Some(seed) = crate::common::seed() else { return };
    let dir = new_site();
    let root = root(&dir);
    import(&root)
        .arg(&seed)
        .args(["--date", "2022-01-21"])
        .assert()
        .success();
    let path = root.join(SEED_FILE);
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    import(&root)
        .arg(&seed)
        .args(["--date", "2022-01-21"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("duplicate:")
                .and(predicate::str::contains("imported 0 articles (1 duplicate, 0 errors)")),
        );
    assert_eq!(content_files(&root).len(), 1);
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), before);

    // A re-scrape of the same story: other line breaks, spacing and chrome,
    // another date. Still the same article.
    let raw = std::fs::read_to_string(&seed).unwrap();
    let rescrape = format!(
        "Krisentreffen in Genf\r\nUS-Außenminister  Blinken: Zusammenarbeit mit Russland möglich\r\n\r\n{}\r\nWerbung\r\nMehr zum Thema: Etwas anderes\r\n",
        raw.lines()
            .skip(1)
            .collect::<Vec<_>>()
            .join("\r\n\r\n")
            .replace(". ", ".\u{00a0} ")
    );
    let other = dir.path().join("rescrape.txt");
    std::fs::write(&other, rescrape).unwrap();
    import(&root)
        .arg(&other)
        .args(["--date", "2022-01-22"])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "duplicate: {}:1 is already {SEED_FILE}",
            other.display()
        )));
    assert_eq!(content_files(&root).len(), 1);
}

#[test]
fn existing_file_is_never_overwritten_without_force() {
    let dir = new_site();
    let root = root(&dir);
    let input = dir.path().join("a.txt");
    let text = "Stadtrat beschließt neuen Haushalt\n12.03.2022\nDer Stadtrat hat am Montag den Haushalt für das kommende Jahr beschlossen. Die Debatte dauerte vier Stunden.\n";
    std::fs::write(&input, text).unwrap();
    import(&root).arg(&input).assert().success();
    let path = root.join("content/2022/03/stadtrat-beschliesst-neuen-haushalt.md");
    let first = std::fs::read_to_string(&path).unwrap();
    assert!(first.contains("date: 2022-03-12T00:00:00+01:00"), "{first}");

    // The same article (title and date), with edited text: too short to
    // tell by the text, a new version by its title and date.
    std::fs::write(&input, text.replace("vier Stunden", "fünf Stunden")).unwrap();
    import(&root)
        .arg(&input)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "updated version of content/2022/03/stadtrat-beschliesst-neuen-haushalt.md: ",
        ))
        .stdout(predicate::str::contains(
            "(the same title and date); --update replaces it",
        ));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first, "not overwritten");

    import(&root)
        .arg(&input)
        .arg("--force")
        .assert()
        .success()
        .stdout(predicate::str::contains("replaced"));
    assert!(std::fs::read_to_string(&path).unwrap().contains("fünf Stunden"));

    // Another article with the same title in the same month gets its own slug.
    let second = dir.path().join("b.txt");
    std::fs::write(&second, "Stadtrat beschließt neuen Haushalt\n20.03.2022\nEin ganz anderer Bericht aus einer anderen Stadt, mit anderem Text als der erste.\n").unwrap();
    import(&root).arg(&second).assert().success();
    let copy = std::fs::read_to_string(root.join("content/2022/03/stadtrat-beschliesst-neuen-haushalt-2.md")).unwrap();
    assert!(copy.contains("slug: stadtrat-beschliesst-neuen-haushalt-2"), "{copy}");
}

#[test]
fn dry_run_prints_and_writes_nothing() {
    let Some(seed) = crate::common::seed() else { return };
    let dir = new_site();
    let root = root(&dir);
    import(&root)
        .arg(&seed)
        .args(["--date", "2022-01-21", "--dry-run", "--explain"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains(format!("would write {SEED_FILE}"))
                .and(predicate::str::contains("title: 'US-Außenminister Blinken"))
                .and(predicate::str::contains("dropped (reading_tip): Lese-Tipp: Habeck"))
                .and(predicate::str::contains("would import 1 article")),
        );
    assert!(content_files(&root).is_empty());
}

#[test]
fn bad_inputs_are_named_and_the_good_ones_still_import() {
    let dir = new_site();
    let root = root(&dir);
    let inputs = dir.path().join("inputs");
    std::fs::create_dir_all(inputs.join("sub")).unwrap();
    let good = "Brücke wird saniert\n01.06.2022\nDie alte Brücke über den Fluss wird ab Juni saniert. Autofahrer müssen mit Umleitungen rechnen.\n";
    std::fs::write(inputs.join("good.txt"), good).unwrap();
    std::fs::write(inputs.join("sub/good2.json"), r#"{"title": "Neue Bäume für den Park", "text": "Im Stadtpark werden zwanzig neue Bäume gepflanzt. Die Kosten trägt ein Verein.", "date": "2022-05-03"}"#).unwrap();
    std::fs::write(inputs.join("latin1.txt"), b"Gr\xfc\xdfe aus der Stadt\nText.\n").unwrap();
    std::fs::write(inputs.join("empty.txt"), "\n \n").unwrap();
    // No title and no text to take one from; no title, but text to take one from.
    std::fs::write(inputs.join("no-title.json"), r#"{"text": "", "date": "2022-05-03"}"#).unwrap();
    std::fs::write(inputs.join("untitled.json"), r#"{"text": "Der Stadtrat hat den Haushalt beschlossen. Die Opposition stimmte dagegen.", "date": "2022-05-04"}"#).unwrap();
    std::fs::write(inputs.join("broken.json"), "{\"title\": \"x\",\n\"text\": }\n").unwrap();
    std::fs::write(inputs.join("lines.jsonl"), "{\"title\": \"Erster Eintrag im Stream\", \"text\": \"Das ist ein vollständiger Satz mit Inhalt.\", \"date\": \"2022-01-05\"}\n{oops\n").unwrap();
    std::fs::write(inputs.join("notes.md"), "not an input").unwrap();

    let output = import(&root).arg(&inputs).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let shown = |name: &str| inputs.join(name).display().to_string();
    for expected in [
        format!(
            "{}:1: is not UTF-8 text (invalid byte 0xfc at column 3)",
            shown("latin1.txt")
        ),
        format!("{}: is empty", shown("empty.txt")),
        format!("{}: has no title", shown("no-title.json")),
        format!("{}:2: invalid JSON: expected value", shown("broken.json")),
        format!("{}:2: invalid JSON: key must be a string", shown("lines.jsonl")),
        format!(
            "warning: {}: has no title in its metadata; took `Der Stadtrat hat den Haushalt beschlossen` from its text",
            shown("untitled.json")
        ),
    ] {
        assert!(stderr.contains(&expected), "missing `{expected}` in:\n{stderr}");
    }
    assert!(
        stdout.contains("imported 4 articles (0 duplicates, 5 errors, 1 other file skipped)"),
        "{stdout}"
    );
    // The skipped file is named with the reason.
    assert!(
        stdout.contains(&format!(
            "skipped {}: not .txt, .json or .jsonl (nor one of them .gz)",
            shown("notes.md")
        )),
        "{stdout}"
    );
    let files: Vec<String> = content_files(&root)
        .iter()
        .map(|p| p.strip_prefix(&root).unwrap().display().to_string())
        .collect();
    assert_eq!(
        files,
        vec![
            "content/2022/01/erster-eintrag-im-stream.md",
            "content/2022/05/der-stadtrat-hat-den-haushalt-beschlossen.md",
            "content/2022/05/neue-baeume-fuer-den-park.md",
            "content/2022/06/bruecke-wird-saniert.md",
        ]
    );
}

#[test]
fn standard_input_and_url() {
    let dir = new_site();
    let root = root(&dir);
    import(&root)
        .args([
            "-",
            "--date",
            "2022-02-01T08:30:00+01:00",
            "--url",
            "https://example.org/a",
        ])
        .write_stdin("Neuer Radweg eröffnet\nDer Radweg entlang der Bahn ist fertig. Er ist drei Kilometer lang.\n")
        .assert()
        .success();
    let text = std::fs::read_to_string(root.join("content/2022/02/neuer-radweg-eroeffnet.md")).unwrap();
    assert!(text.contains("date: 2022-02-01T08:30:00+01:00"), "{text}");
    assert!(text.contains("source_url: https://example.org/a"), "{text}");
}

/// The `date:` line of the one article in a site's `content/`.
fn only_date(root: &Path) -> String {
    let files = content_files(root);
    assert_eq!(files.len(), 1, "{files:?}");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    text.lines().find(|l| l.starts_with("date: ")).unwrap().to_string()
}

#[test]
fn a_date_in_the_input_wins_over_date_and_override_date_wins_over_it() {
    let json = r#"{"title": "Neue Bäume für den Park", "text": "Im Stadtpark werden zwanzig neue Bäume gepflanzt. Die Kosten trägt ein Verein.", "date": "2021-05-03"}"#;
    let text_with_stand = "Neue Bänke für den Park\nIm Stadtpark werden zwanzig neue Bänke aufgestellt. Die Kosten trägt ein Verein.\nStand: 28.04.2020 18:00 Uhr\n";
    let text = "Neue Wege für den Park\nIm Stadtpark werden zwei neue Wege angelegt. Die Kosten trägt ein Verein.\n";
    let url = "https://example.org/lokales/2019/11/07/neue-wege/";
    let with_stand = "Im Stadtpark werden zwanzig neue Bänke aufgestellt. Die Kosten trägt ein Verein.\\nStand: 28.04.2020 18:00 Uhr";
    let year_only_with_stand = format!(r#"{{"title": "Neue Bänke", "text": "{with_stand}", "date": "2023-01-01"}}"#);
    let year_only = year_only_with_stand.replace("\\nStand: 28.04.2020 18:00 Uhr", "");
    let out_of_month = year_only_with_stand.replace("2023-01-01", "2023-06-15");
    for (input, extra, expected) in [
        // Metadata, a date line, the URL's path: each beats --date.
        (("a.json", json), vec![], "date: 2021-05-03T00:00:00+02:00"),
        (("a.txt", text_with_stand), vec![], "date: 2020-04-28T18:00:00+02:00"),
        (("a.txt", text), vec!["--url", url], "date: 2019-11-07T00:00:00+01:00"),
        // A bare first of January is a year alone (a copyright line's):
        // the text's date wins over it, and it stands where nothing else
        // dates the story.
        (
            ("a.json", year_only_with_stand.as_str()),
            vec![],
            "date: 2020-04-28T18:00:00+02:00",
        ),
        (
            ("a.json", year_only.as_str()),
            vec![],
            "date: 2023-01-01T00:00:00+01:00",
        ),
        // Metadata outside the month the URL files the story under is
        // another date of the page; the text's date in that month wins.
        (
            ("a.json", out_of_month.as_str()),
            vec!["--url", "https://example.org/2020/04/neue-baenke"],
            "date: 2020-04-28T18:00:00+02:00",
        ),
        // Nothing in the input: --date fills in.
        (("a.txt", text), vec![], "date: 2022-01-21T00:00:00+01:00"),
        // --override-date replaces what the input says.
        (
            ("a.json", json),
            vec!["--override-date"],
            "date: 2022-01-21T00:00:00+01:00",
        ),
    ] {
        let dir = new_site();
        let root = root(&dir);
        let path = dir.path().join(input.0);
        std::fs::write(&path, input.1).unwrap();
        import(&root)
            .arg(&path)
            .args(["--date", "2022-01-21"])
            .args(&extra)
            .assert()
            .success();
        assert_eq!(only_date(&root), expected, "{} {extra:?}", input.0);
    }
}

#[test]
fn an_input_without_a_date_is_not_imported_and_listed_at_the_end() {
    let dir = new_site();
    let root = root(&dir);
    let inputs = dir.path().join("inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    // Named so that the undated file comes first and the broken one after it.
    std::fs::write(
        inputs.join("a-undated.txt"),
        "Neue Wege für den Park\nIm Stadtpark werden zwei neue Wege angelegt. Die Kosten trägt ein Verein.\n",
    )
    .unwrap();
    std::fs::write(inputs.join("b-broken.json"), "{\"title\": 5}").unwrap();
    std::fs::write(
        inputs.join("c-dated.txt"),
        "Brücke wird saniert\n01.06.2022\nDie alte Brücke über den Fluss wird saniert. Autofahrer müssen mit Umleitungen rechnen.\n",
    )
    .unwrap();
    let output = import(&root).arg(&inputs).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let undated = format!(
        "{}:1: has no date in its metadata, URL or text; pass --date DATE to give it one",
        inputs.join("a-undated.txt").display()
    );
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.last().map(|l| l.ends_with(&undated)), Some(true), "{stderr}");
    assert!(lines[0].contains("b-broken.json"), "{stderr}");
    assert!(
        stdout.contains("imported 1 article (0 duplicates, 1 error, 1 without a date)"),
        "{stdout}"
    );
    // Never dated with the file's time: the undated input is simply not there.
    assert_eq!(
        content_files(&root),
        vec![root.join("content/2022/06/bruecke-wird-saniert.md")]
    );
}

#[test]
fn wrong_command_lines_exit_2() {
    let dir = new_site();
    let root = root(&dir);
    blatt().arg("frobnicate").assert().code(2);
    import(&root).assert().code(2);
    import(&root)
        .args(["x.txt", "--date", "gestern"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--date `gestern`"));
    import(&root).args(["x.txt", "--override-date"]).assert().code(2);
    import(&root)
        .args(["x.txt", "--url", "javascript:alert(1)"])
        .assert()
        .code(2);
}

#[test]
fn help_explains_each_command_with_an_example() {
    for command in ["init", "import", "check"] {
        blatt()
            .args([command, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Example:"));
    }
}

#[test]
fn build_help_names_every_feed_format() {
    let help = blatt()
        .args(["build", "--help"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let help = String::from_utf8(help).unwrap();
    for format in ["RSS", "Atom", "JSON Feed", "author"] {
        assert!(help.contains(format), "{format} missing from: {help}");
    }
}

#[test]
fn a_bad_date_names_every_form_it_takes() {
    let dir = tempfile::tempdir().unwrap();
    let root = crate::common::init_site(dir.path());
    std::fs::write(root.join("x.txt"), "Titel\n\nText.\n").unwrap();
    blatt()
        .arg("--root")
        .arg(&root)
        .args(["import", "x.txt", "--date", "21.01.2022 12:00"])
        .current_dir(&root)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("YYYY-MM-DDTHH:MM").and(predicate::str::contains("2022-01-21")));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.txt"), "mine").unwrap();
    blatt()
        .arg("init")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not empty"));
    assert_eq!(std::fs::read_to_string(dir.path().join("keep.txt")).unwrap(), "mine");
}

#[test]
fn without_a_site_the_error_says_so() {
    let dir = tempfile::tempdir().unwrap();
    blatt()
        .arg("--root")
        .arg(dir.path())
        .arg("check")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no site.yaml here"));
}

/// JSON Lines packed with gzip import as they are, and `--explain` names the
/// record whose text a dropped line is in.
#[test]
fn gzipped_json_lines_import_and_explain_names_the_record() {
    use std::io::Write;
    let dir = new_site();
    let root = root(&dir);
    let lines = "{\"title\": \"Erster Eintrag\", \"text\": \"Der erste Text hat einen ganzen Satz.\", \"date\": \"2022-01-05\"}\n\n\
                 {\"title\": \"Zweiter Eintrag\", \"text\": \"Werbung\\nDer zweite Text hat auch einen Satz.\", \"date\": \"2022-01-06\"}\n";
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(lines.as_bytes()).unwrap();
    let path = dir.path().join("stream.jsonl.gz");
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    let output = import(&root).arg(&path).arg("--explain").output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("imported 2 articles"), "{stdout}");
    let at = format!(
        "  {}:3 record 2, text line 1: dropped (advert): Werbung",
        path.display()
    );
    assert!(stdout.contains(&at), "missing `{at}` in:\n{stdout}");
}

/// Two imports at once whose different articles want the same file: each
/// file is created exclusively, so both articles survive (one under `-2`),
/// never one over the other. Many rounds, since a race shows only sometimes.
#[test]
fn concurrent_imports_never_lose_an_article() {
    let dir = new_site();
    let root = root(&dir);
    let bin = assert_cmd::cargo::cargo_bin("blatt");
    let inputs: Vec<PathBuf> = [
        "Die Stadt baut eine neue Brücke über den Fluss.",
        "Der Rat beschließt den Haushalt für das kommende Jahr.",
    ]
    .iter()
    .enumerate()
    .map(|(i, body)| {
        let path = dir.path().join(format!("in{i}.txt"));
        std::fs::write(&path, format!("Neues aus dem Rathaus\n{body}\n")).unwrap();
        path
    })
    .collect();
    let month = root.join("content/2022/03");
    for round in 0..40 {
        let _ = std::fs::remove_dir_all(root.join("content"));
        // Different days of one month: a sequential run gives the second
        // article the slug `-2` (the same day would make it a conflict).
        let children: Vec<std::process::Child> = inputs
            .iter()
            .zip(["2022-03-01", "2022-03-02"])
            .map(|(input, day)| {
                std::process::Command::new(&bin)
                    .arg("--root")
                    .arg(&root)
                    .args(["--quiet", "import", "--date", day])
                    .arg(input)
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut child in children {
            assert!(child.wait().unwrap().success(), "round {round}");
        }
        let mut bodies: Vec<String> = std::fs::read_dir(&month)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .map(|text| text.lines().last().unwrap_or_default().to_string())
            .collect();
        bodies.sort();
        assert_eq!(
            bodies,
            vec![
                "Der Rat beschließt den Haushalt für das kommende Jahr.",
                "Die Stadt baut eine neue Brücke über den Fluss."
            ],
            "round {round}: an article was lost"
        );
    }
}

#[test]
fn an_input_s_lead_image_is_kept_and_a_hostile_one_is_not() {
    let text = "Im Stadtpark werden zwanzig neue Bäume gepflanzt. Die Kosten trägt ein Verein.";
    for (image, expected) in [
        (
            r#""image": "https://cdn.example.org/park.jpg?w=1200&h=800", "image_alt": "Ein  Park\u0001", "image_caption": "Foto: Archiv""#,
            Some(vec![
                "image: https://cdn.example.org/park.jpg?w=1200&h=800",
                "image_alt: Ein Park",
                "image_caption: 'Foto: Archiv'",
            ]),
        ),
        (r#""image": "javascript:alert(1)""#, None),
        (r#""image": "  ""#, None),
    ] {
        let dir = new_site();
        let root = root(&dir);
        let path = dir.path().join("a.json");
        std::fs::write(
            &path,
            format!(r#"{{"title": "Neue Bäume für den Park", "text": "{text}", "date": "2021-05-03", {image}}}"#),
        )
        .unwrap();
        let out = import(&root).arg(&path).assert().success();
        let files = content_files(&root);
        let stored = std::fs::read_to_string(&files[0]).unwrap();
        let lines: Vec<&str> = stored.lines().filter(|l| l.starts_with("image")).collect();
        match expected {
            Some(wanted) => assert_eq!(lines, wanted, "{stored}"),
            None => {
                assert!(lines.is_empty(), "{stored}");
                let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
                if image.contains("javascript") {
                    assert!(stderr.contains("ignored the image `javascript:alert(1)`"), "{stderr}");
                }
            }
        }
        // The build reads what import wrote.
        crate::common::blatt(&root).args(["build", "-q"]).assert().success();
    }
}

/// Imports, dated 3 May 2021, a story about a park with `lead` written
/// between its headline's line and its first sentence (`Im Stadtpark …`);
/// gives the stored file.
fn import_park_story(root: &Path, path: &Path, lead: &str) -> String {
    std::fs::write(
        path,
        format!(
            "Neue Bäume für den Park\n{lead}Im Stadtpark werden zwanzig neue Bäume gepflanzt. Die Kosten trägt ein Verein aus dem Viertel.\nDer Rat hat am Montag zugestimmt. Die Arbeiten beginnen im Herbst.\n"
        ),
    )
    .unwrap();
    import(root).arg(path).args(["--date", "2021-05-03"]).assert().success();
    std::fs::read_to_string(&content_files(root)[0]).unwrap()
}

/// The standfirst (a phrase above the body) is the summary and is shown on
/// the article page under the headline, escaped like every field: a reader
/// of the page sees it, and its text never becomes markup.
#[test]
fn the_standfirst_is_shown_on_the_article_page() {
    let dir = new_site();
    let root = root(&dir);
    let path = dir.path().join("a.txt");
    let standfirst = "Warum der Rat <b>neue</b> Bäume & Bänke will";
    let stored = import_park_story(&root, &path, &format!("{standfirst}\n"));
    assert!(stored.contains(&format!("summary: {standfirst}")), "{stored}");
    assert!(stored.contains(&format!("  standfirst: {standfirst}")), "{stored}");
    let body = stored.rsplit("---").next().unwrap();
    assert!(
        !body.contains("Warum der Rat"),
        "the standfirst is not a paragraph too: {body}"
    );
    crate::common::blatt(&root).args(["build", "-q"]).assert().success();
    let page = std::fs::read_to_string(root.join("public/2021/05/neue-baeume-fuer-den-park/index.html")).unwrap();
    assert!(
        page.contains(r#"<p class="standfirst">Warum der Rat &lt;b&gt;neue&lt;/b&gt; Bäume &amp; Bänke will</p>"#),
        "{page}"
    );
}

/// A dateline's place leaves the body's first line for `extra.dateline` (its
/// agency for `sources`), and the article page still shows it, in the line
/// with the date, and gives it to crawlers as the JSON-LD `dateline`: what
/// the story said about where it was filed is not lost to readers.
#[test]
fn the_dateline_is_shown_on_the_article_page() {
    let dir = new_site();
    let root = root(&dir);
    let path = dir.path().join("a.txt");
    let stored = import_park_story(&root, &path, "Hamburg (dpa) – ");
    assert!(stored.contains("  dateline: Hamburg"), "{stored}");
    let body = stored.rsplit("---").next().unwrap();
    assert!(body.trim_start().starts_with("Im Stadtpark"), "{body}");
    crate::common::blatt(&root).args(["build", "-q"]).assert().success();
    let page = std::fs::read_to_string(root.join("public/2021/05/neue-baeume-fuer-den-park/index.html")).unwrap();
    assert!(
        page.contains(r#"<p class="meta"><span class="dateline">Hamburg</span> · <time"#),
        "{page}"
    );
    assert!(page.contains(r#""dateline":"Hamburg""#), "{page}");
    assert!(page.contains("Quellen: dpa"), "{page}");
}

/// A JSON Lines file is read record by record: the size limit holds each
/// record, not the file (here over 20 times the limit), a record over it or not
/// JSON is an error naming its line, and every record after it, in later
/// chunks too, still imports.
#[test]
fn json_lines_are_read_record_by_record_and_bad_records_lose_nothing_else() {
    use std::io::Write;
    let dir = new_site();
    let root = root(&dir);
    let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    let yaml = yaml.replace("import:\n", "import:\n  max_file_size: 2000\n");
    std::fs::write(root.join("site.yaml"), yaml).unwrap();
    let mut lines = String::new();
    for n in 1..=600 {
        let line = match n {
            300 => "{\"title\": \"Kaputt\", \"text\": }".to_string(),
            450 => format!(
                "{{\"title\": \"Zu lang\", \"text\": \"{}\", \"date\": \"2022-01-05\"}}",
                "Ein langer Satz. ".repeat(200)
            ),
            _ => format!(
                "{{\"title\": \"Meldung Nummer {n}\", \"text\": \"Die Meldung {n} berichtet aus dem Rathaus.\", \"date\": \"2022-01-05\"}}"
            ),
        };
        lines.push_str(&line);
        lines.push('\n');
    }
    assert!(lines.len() > 20 * 2000, "{}", lines.len());
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(lines.as_bytes()).unwrap();
    let path = dir.path().join("bulk.jsonl.gz");
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    let output = import(&root).arg(&path).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stdout.contains("imported 598 articles"), "{stdout}{stderr}");
    let shown = path.display().to_string();
    assert!(stderr.contains(&format!("{shown}:300: invalid JSON")), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{shown}:450: this record is more than the limit of 2000 bytes"
        )),
        "{stderr}"
    );
    let files = content_files(&root);
    assert_eq!(files.len(), 598);
    assert!(
        files.iter().any(|f| f.to_string_lossy().contains("meldung-nummer-600")),
        "the last record is missing"
    );
}
