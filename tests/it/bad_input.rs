//! The bad-input matrix, through the binary: inputs and articles broken in
//! every way scrapers, editors and file systems break them. For each case the
//! exact message names the file (and the line where there is one), the exit
//! status is 1, the good inputs of the same run are still imported, and
//! nothing is written outside `content/` (import) or the output folder
//! (build) — a failed build leaves the previous `public/` as it was.
//!
//! Memory is not measured here (tests never time or weigh runs): the 100 MB
//! input is refused from its size before any of it is read, and reads stop
//! one byte past `import.max_file_size` (`read::read_regular`).
#![cfg(unix)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use assert_cmd::Command;

/// A run that takes longer than this is killed and its test fails: the guard
/// against reading a named pipe forever or following a link loop. It is not
/// a timing assertion; every run here takes a few seconds at most.
const HANG: Duration = Duration::from_secs(300);

const SITE_YAML: &str = "language: de\ntimezone: Europe/Berlin\n";

/// [`crate::common::blatt`], stopped if it hangs.
fn blatt(root: &Path) -> Command {
    let mut cmd = crate::common::blatt(root);
    cmd.timeout(HANG);
    cmd
}

fn mkfifo(path: &Path) {
    rustix::fs::mkfifoat(rustix::fs::CWD, path, rustix::fs::Mode::from_raw_mode(0o644)).unwrap();
}

fn symlink(target: &str, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// UTF-16 with a byte-order mark, as Windows tools save "Unicode" text.
fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let bom: [u8; 2] = if big_endian { [0xFE, 0xFF] } else { [0xFF, 0xFE] };
    bom.into_iter()
        .chain(
            text.encode_utf16()
                .flat_map(move |u| if big_endian { u.to_be_bytes() } else { u.to_le_bytes() }),
        )
        .collect()
}

/// One entry of a folder tree, as far as "was anything written?" goes.
#[derive(Debug, PartialEq)]
enum Node {
    Dir,
    File(Vec<u8>, SystemTime),
    /// Files too big to hold twice in a test: size and time only.
    Big(u64, SystemTime),
    Link(PathBuf),
    /// A named pipe: never opened, which would block.
    Other,
}

/// Every entry below `root` except those below `skip`, links not followed.
fn snapshot(root: &Path, skip: Option<&Path>) -> BTreeMap<PathBuf, Node> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| skip.is_none_or(|s| e.path() != s))
        .map(|e| {
            let e = e.unwrap();
            let meta = e.path().symlink_metadata().unwrap();
            let node = if meta.is_dir() {
                Node::Dir
            } else if meta.is_symlink() {
                Node::Link(std::fs::read_link(e.path()).unwrap())
            } else if !meta.is_file() {
                Node::Other
            } else if meta.len() > 1 << 20 {
                Node::Big(meta.len(), meta.modified().unwrap())
            } else {
                Node::File(std::fs::read(e.path()).unwrap(), meta.modified().unwrap())
            };
            (e.into_path(), node)
        })
        .collect()
}

/// The `error:` lines of a run, sorted (the command line prints no colour
/// when stderr is not a terminal).
fn error_lines(stderr: &[u8]) -> Vec<String> {
    lines_after(stderr, "error: ")
}

/// The lines of `stderr` that start with `prefix`, without it, sorted.
fn lines_after(stderr: &[u8], prefix: &str) -> Vec<String> {
    let mut lines: Vec<String> = String::from_utf8_lossy(stderr)
        .lines()
        .filter_map(|l| l.strip_prefix(prefix))
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

fn sorted(mut lines: Vec<String>) -> Vec<String> {
    lines.sort();
    lines
}

/// The files below `dir`, relative to it.
fn files_below(dir: &Path) -> Vec<String> {
    crate::common::file_paths(dir)
        .iter()
        .map(|p| p.strip_prefix(dir).unwrap().display().to_string())
        .collect()
}

/// A folder with `site/` (site.yaml, empty content/) and `inputs/`.
fn import_site(site_yaml: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let inputs = dir.path().join("inputs");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::write(root.join("site.yaml"), site_yaml).unwrap();
    (dir, root, inputs)
}

const GOOD_TXT: &str = "Brücke wird saniert\n01.06.2022\nDie alte Brücke über den Fluss wird ab Juni saniert. Autofahrer müssen mit Umleitungen rechnen.\n";

#[test]
fn import_reports_every_bad_input_and_imports_the_good_ones() {
    let (dir, root, inputs) = import_site(SITE_YAML);
    let write = |name: &str, bytes: &[u8]| std::fs::write(inputs.join(name), bytes).unwrap();

    // Good inputs, some in unusual but valid shapes.
    write("good.txt", GOOD_TXT.as_bytes());
    // trafilatura writes `tags` as one string: that is one tag, not a wrong type.
    write(
        "good.json",
        r#"{"title": "Neue Bäume für den Park", "text": "Im Stadtpark werden zwanzig neue Bäume gepflanzt. Die Kosten trägt ein Verein.", "date": "2022-05-03", "tags": "Stadtpark"}"#.as_bytes(),
    );
    write(
        "utf16le.txt",
        &utf16(
            "Grüße aus Köln\r\n12.03.2022\r\nDie Kölner grüßen ihre Partnerstadt mit einem Fest auf dem Domplatz. Es gibt Musik und Essen.\r\n",
            false,
        ),
    );
    write(
        "utf16be.txt",
        &utf16(
            "Straßenbahn fährt wieder\n14.03.2022\nNach drei Wochen Bauzeit fährt die Straßenbahn wieder durch die Innenstadt. Die Umleitung entfällt.\n",
            true,
        ),
    );
    write(
        "crlf.txt",
        "Rathaus öffnet länger\r\n15.03.2022\r\n\r\nDas Rathaus öffnet ab April auch am Samstag, teilte die Stadt mit.\r\n\r\nDie Bürger hatten das lange gefordert, sagte die Bürgermeisterin.\r\n"
            .as_bytes(),
    );
    // One paragraph of 10 MiB on one line: under the default limit, so it is
    // imported, in one pass over the text (no rule rescans it per sentence).
    let sentence = "Die Stadt baut eine neue Brücke über den Fluss. ";
    let paragraph = sentence.repeat((10 << 20) / sentence.len() + 1);
    write(
        "long-line.txt",
        format!("Ein sehr langer Absatz\n02.02.2022\n{paragraph}\n").as_bytes(),
    );
    write(
        "stream.jsonl",
        concat!(
            r#"{"title": "Erster Eintrag im Stream", "text": "Das ist ein vollständiger Satz mit Inhalt.", "date": "2022-01-05"}"#,
            "\n",
            r#"{"title": "Zweiter Eintrag", "text": "Auch ein Satz.", "categories": 7}"#,
            "\n"
        )
        .as_bytes(),
    );

    // Bad inputs.
    write("latin1.txt", b"Gr\xfc\xdfe aus der Stadt\nText.\n");
    write("nul.txt", b"Titel der Meldung\nEin Satz mit einem\0 NUL-Byte.\n");
    write(
        "nul16.txt",
        &utf16("Titel der Meldung\nEin Satz.\nNoch ein\0 Satz.\n", false),
    );
    write("empty.txt", b"");
    write("title-only.txt", "Nur eine Überschrift\n".as_bytes());
    // Sparse: 100 MiB on paper, nothing on disk, so the test stays fast.
    std::fs::File::create(inputs.join("big.txt"))
        .unwrap()
        .set_len(100 << 20)
        .unwrap();
    let long_title = "wort ".repeat(2 << 20);
    write("long-title.txt", long_title.as_bytes());
    write("broken.json", b"{\"title\": \"x\",\n\"text\": }\n");
    write(
        "types.json",
        b"{\n  \"title\": 5,\n  \"text\": \"Ein Satz.\",\n  \"tags\": [\"a\", {\"b\": 1}],\n  \"date\": false\n}\n",
    );
    mkfifo(&inputs.join("x.txt"));
    symlink("nowhere.txt", &inputs.join("gone.txt"));

    let before = snapshot(dir.path(), Some(&root.join("content")));
    let output = blatt(&root).arg("import").arg(&inputs).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");

    let at = |name: &str| inputs.join(name).display().to_string();
    let expected = vec![
        format!(
            "{}:1: is not UTF-8 text (invalid byte 0xfc at column 3)",
            at("latin1.txt")
        ),
        format!(
            "{}:2: contains a NUL byte; this is binary data, not text",
            at("nul.txt")
        ),
        format!(
            "{}:3: contains a NUL byte; this is binary data, not text",
            at("nul16.txt")
        ),
        format!("{}: is empty", at("empty.txt")),
        format!("{}:1: has a title but no body text", at("title-only.txt")),
        format!(
            "{}: is 104857600 bytes, more than the limit of 16777216 bytes (import.max_file_size in site.yaml)",
            at("big.txt")
        ),
        format!(
            "{}:1: has a title of {} characters, more than the 1000 a headline can have; is the first line a paragraph?",
            at("long-title.txt"),
            long_title.trim().chars().count()
        ),
        format!("{}:2: invalid JSON: expected value", at("broken.json")),
        format!("{}:2: `title` must be text, found a number", at("types.json")),
        format!(
            "{}:4: `tags` must be a list of text, found an object in it",
            at("types.json")
        ),
        format!("{}:5: `date` must be text, found true/false", at("types.json")),
        format!(
            "{}:2: `categories` must be text or a list of text, found a number",
            at("stream.jsonl")
        ),
        format!("{}: is a named pipe (FIFO), not a regular file; skipped", at("x.txt")),
        format!(
            "{}: is a symbolic link to `nowhere.txt`, which does not exist",
            at("gone.txt")
        ),
    ];
    assert_eq!(error_lines(&output.stderr), sorted(expected));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("imported 7 articles (0 duplicates, 14 errors)"),
        "{stdout}"
    );

    let content = root.join("content");
    assert_eq!(
        files_below(&content),
        vec![
            "2022/01/erster-eintrag-im-stream.md",
            "2022/02/ein-sehr-langer-absatz.md",
            "2022/03/gruesse-aus-koeln.md",
            "2022/03/rathaus-oeffnet-laenger.md",
            "2022/03/strassenbahn-faehrt-wieder.md",
            "2022/05/neue-baeume-fuer-den-park.md",
            "2022/06/bruecke-wird-saniert.md",
        ]
    );
    let read = |name: &str| std::fs::read_to_string(content.join(name)).unwrap();
    let le = read("2022/03/gruesse-aus-koeln.md");
    assert!(le.contains("title: Grüße aus Köln\n"), "{le}");
    assert!(le.contains("\nDie Kölner grüßen ihre Partnerstadt"), "{le}");
    let be = read("2022/03/strassenbahn-faehrt-wieder.md");
    assert!(be.contains("title: Straßenbahn fährt wieder\n"), "{be}");
    assert!(be.contains("\nNach drei Wochen Bauzeit"), "{be}");
    let crlf = read("2022/03/rathaus-oeffnet-laenger.md");
    assert!(!crlf.contains('\r'), "{crlf:?}");
    assert!(
        crlf.contains("\n\nDas Rathaus öffnet ab April auch am Samstag, teilte die Stadt mit.\n\nDie Bürger hatten"),
        "{crlf}"
    );
    assert!(
        read("2022/05/neue-baeume-fuer-den-park.md").contains("tags:\n- Stadtpark\n"),
        "a string is one tag"
    );
    let long = read("2022/02/ein-sehr-langer-absatz.md");
    assert!(long.contains(paragraph.trim()), "the 10 MiB paragraph is kept whole");

    // Nothing was written next to the inputs or anywhere else in the site.
    assert_eq!(snapshot(dir.path(), Some(&content)), before);
}

#[test]
fn inputs_named_on_the_command_line_that_cannot_be_read() {
    let (dir, root, inputs) = import_site(SITE_YAML);
    std::fs::write(inputs.join("good.txt"), GOOD_TXT).unwrap();
    mkfifo(&inputs.join("x.txt"));
    // A pipe named explicitly, with an extension import does not know.
    mkfifo(&inputs.join("pipe"));
    symlink("nowhere.txt", &inputs.join("gone.txt"));
    let before = snapshot(dir.path(), Some(&root.join("content")));
    let output = blatt(&root)
        .arg("import")
        .args(["x.txt", "pipe", "gone.txt", "missing.txt", "good.txt"].map(|n| inputs.join(n)))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let at = |name: &str| inputs.join(name).display().to_string();
    assert_eq!(
        error_lines(&output.stderr),
        sorted(vec![
            format!("{}: is a named pipe (FIFO), not a regular file; skipped", at("x.txt")),
            format!("{}: is a named pipe (FIFO), not a regular file; skipped", at("pipe")),
            format!(
                "{}: is a symbolic link to `nowhere.txt`, which does not exist",
                at("gone.txt")
            ),
            format!("{}: cannot read: no such file or folder", at("missing.txt")),
        ])
    );
    assert_eq!(
        files_below(&root.join("content")),
        vec!["2022/06/bruecke-wird-saniert.md"]
    );
    assert_eq!(snapshot(dir.path(), Some(&root.join("content"))), before);
}

#[test]
fn max_file_size_in_site_yaml_is_the_limit() {
    let (dir, root, inputs) = import_site(&format!("{SITE_YAML}import:\n  max_file_size: 100\n"));
    let small = "Kurz gemeldet\n01.02.2022\nDer Wochenmarkt beginnt am Samstag.\n";
    assert!(small.len() <= 100);
    std::fs::write(inputs.join("small.txt"), small).unwrap();
    std::fs::write(inputs.join("large.txt"), GOOD_TXT).unwrap();
    let large = GOOD_TXT.len();
    assert!(large > 100);
    let before = snapshot(dir.path(), Some(&root.join("content")));
    let output = blatt(&root).arg("import").arg(&inputs).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert_eq!(
        error_lines(&output.stderr),
        vec![format!(
            "{}: is {large} bytes, more than the limit of 100 bytes (import.max_file_size in site.yaml)",
            inputs.join("large.txt").display()
        )]
    );
    assert_eq!(files_below(&root.join("content")), vec!["2022/02/kurz-gemeldet.md"]);
    assert_eq!(snapshot(dir.path(), Some(&root.join("content"))), before);

    // Standard input is read only up to the limit, so its size is not known.
    let output = blatt(&root)
        .args(["import", "-"])
        .write_stdin(GOOD_TXT)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert_eq!(
        error_lines(&output.stderr),
        vec!["-: is more than the limit of 100 bytes (import.max_file_size in site.yaml)"]
    );
}

const GOOD_ARTICLE: &str = "---\ntitle: Ein gutes Stück\ndate: 2022-01-10\n---\n\nEin Absatz mit Text.\n";

/// A site with one good article, built once so that a previous `public/`
/// exists for the failed builds to leave alone.
fn built_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("site.yaml"), SITE_YAML).unwrap();
    std::fs::create_dir_all(root.join("content/2022/01")).unwrap();
    std::fs::write(root.join("content/2022/01/gut.md"), GOOD_ARTICLE).unwrap();
    blatt(root).arg("build").assert().success();
    assert!(root.join("public/2022/01/gut/index.html").is_file());
    dir
}

/// One kind of broken content: how to break the site, and the errors
/// (`{content}` and `{site}` stand for the folders) that check and build
/// must print, no more and no fewer.
struct Case {
    name: &'static str,
    files: &'static [(&'static str, &'static str)],
    special: fn(&Path),
    errors: &'static [&'static str],
}

fn nothing(_: &Path) {}

const SLUG_MESSAGE: &str = "must use only a-z, 0-9 and `-` (one URL segment)";

fn content_cases() -> Vec<Case> {
    vec![
        Case {
            name: "front matter that is a list",
            files: &[("list.md", "---\n- title\n- date\n---\n\nText.\n")],
            special: nothing,
            errors: &["{content}/list.md:2: front matter must be a mapping of keys to values, found a list"],
        },
        Case {
            name: "front matter that is a scalar",
            files: &[("scalar.md", "---\nnur ein Satz\n---\n\nText.\n")],
            special: nothing,
            errors: &["{content}/scalar.md:2: front matter must be a mapping of keys to values, found text"],
        },
        Case {
            name: "a duplicate key",
            files: &[(
                "dup-key.md",
                "---\ntitle: Eins\ndate: 2022-01-21\ntitle: Zwei\n---\n\nText.\n",
            )],
            special: nothing,
            errors: &["{content}/dup-key.md:4: duplicate key `title`"],
        },
        Case {
            name: "unknown keys",
            files: &[(
                "unknown.md",
                "---\ntitel: Hallo\ndate: 2022-01-21\ncolour: blau\n---\n\nText.\n",
            )],
            special: nothing,
            errors: &[
                "{content}/unknown.md:2: unknown key `titel` (did you mean `title`?)",
                "{content}/unknown.md:2: missing required key `title`",
                "{content}/unknown.md:4: unknown key `colour`",
            ],
        },
        Case {
            name: "an invalid date",
            files: &[("bad-date.md", "---\ntitle: Hallo\ndate: 2022-02-30\n---\n\nText.\n")],
            special: nothing,
            errors: &[
                "{content}/bad-date.md:3: `date`: invalid date `2022-02-30`: expected a day (2022-01-21), a date and time in the site's time zone (YYYY-MM-DDTHH:MM, as 2022-01-21T12:00) or RFC 3339 (2022-01-21T12:00:00+01:00)",
            ],
        },
        Case {
            name: "a slug with a slash",
            files: &[(
                "slash.md",
                "---\ntitle: Hallo\ndate: 2022-01-21\nslug: a/b\n---\n\nText.\n",
            )],
            special: nothing,
            errors: &["{content}/slash.md:4: `slug` {SLUG}, not `a/b`; try `a-b`"],
        },
        Case {
            name: "a slug that climbs out",
            files: &[(
                "dots.md",
                "---\ntitle: Hallo\ndate: 2022-01-21\nslug: ../../etc\n---\n\nText.\n",
            )],
            special: nothing,
            errors: &["{content}/dots.md:4: `slug` {SLUG}, not `../../etc`; try `etc`"],
        },
        Case {
            name: "a slug with a drive letter",
            files: &[(
                "drive.md",
                "---\ntitle: Hallo\ndate: 2022-01-21\nslug: C:\\temp\n---\n\nText.\n",
            )],
            special: nothing,
            errors: &["{content}/drive.md:4: `slug` {SLUG}, not `C:\\temp`; try `c-temp`"],
        },
        Case {
            name: "two articles with the same slug in one month",
            files: &[
                (
                    "a/erster.md",
                    "---\ntitle: Erster\ndate: 2022-01-03\nslug: gleich\n---\n\nText.\n",
                ),
                (
                    "b/zweiter.md",
                    "---\ntitle: Zweiter\ndate: 2022-01-28\nslug: gleich\n---\n\nText.\n",
                ),
            ],
            special: nothing,
            errors: &["{content}/b/zweiter.md: has the same URL /2022/01/gleich/ as {content}/a/erster.md"],
        },
        Case {
            name: "symbolic links that loop",
            files: &[],
            special: |content| {
                symlink("..", &content.join("up"));
                std::fs::create_dir(content.join("sub")).unwrap();
                symlink(".", &content.join("sub/here"));
            },
            errors: &[
                "{content}/sub/here: is a symbolic link to `{content}/sub`, a folder that contains it; not followed",
                "{content}/up: is a symbolic link to `{site}`, a folder that contains it; not followed",
            ],
        },
        Case {
            name: "a named pipe",
            files: &[],
            special: |content| mkfifo(&content.join("x.md")),
            errors: &["{content}/x.md: is a named pipe (FIFO), not a regular file; skipped"],
        },
        Case {
            name: "a folder named like an article",
            files: &[("y.md/inside.md", GOOD_ARTICLE)],
            special: nothing,
            errors: &["{content}/y.md: is a folder, but its name ends in `.md` like a file's; rename it"],
        },
        Case {
            name: "file names that are not UTF-8",
            files: &[],
            special: |content| {
                use std::os::unix::ffi::OsStrExt;
                let name = |bytes: &[u8]| std::ffi::OsStr::from_bytes(bytes).to_os_string();
                std::fs::write(content.join(name(b"caf\xe9.md")), GOOD_ARTICLE).unwrap();
                let static_dir = content.parent().unwrap().join("static");
                std::fs::create_dir_all(&static_dir).unwrap();
                std::fs::write(static_dir.join(name(b"bild-\xff.txt")), "x").unwrap();
            },
            errors: &[
                "{content}/caf\u{FFFD}.md: has a name that is not UTF-8 (shown here with \u{FFFD} for the bytes that are not); rename it",
                "{site}/static/bild-\u{FFFD}.txt: has a name that is not UTF-8 (shown here with \u{FFFD} for the bytes that are not); rename it",
            ],
        },
        Case {
            name: "a dangling symbolic link",
            files: &[],
            special: |content| symlink("nowhere.md", &content.join("z.md")),
            errors: &["{content}/z.md: is a symbolic link to `nowhere.md`, which does not exist"],
        },
        // Before the nesting was measured first, the parser took 27 s on
        // this (200 KB) before it gave up; `{a: {a: …}}` alike.
        Case {
            name: "lists nested 100 000 deep",
            files: &[],
            special: |content| write_nested(&content.join("tief.md"), "[", "]"),
            errors: &["{content}/tief.md:4: lists and mappings nested more than 32 levels deep"],
        },
        Case {
            name: "mappings nested 100 000 deep",
            files: &[],
            special: |content| write_nested(&content.join("tiefer.md"), "{a: ", "}"),
            errors: &["{content}/tiefer.md:4: lists and mappings nested more than 32 levels deep"],
        },
        Case {
            name: "more topics than content.max_terms",
            files: &[],
            special: |content| {
                let topics: Vec<String> = (0..101).map(|n| format!("Thema {n}")).collect();
                let text = format!(
                    "---\ntitle: Viele Themen\ndate: 2022-01-21\ntopics: [{}]\n---\n\nText.\n",
                    topics.join(", ")
                );
                std::fs::write(content.join("themen.md"), text).unwrap();
            },
            errors: &[
                "{content}/themen.md:4: `topics` has 101 entries, more than the limit of 100 (content.max_terms in site.yaml)",
            ],
        },
        Case {
            name: "an article larger than content.max_file_size",
            files: &[],
            // Sparse: refused from its size, before any of it is read.
            special: |content| {
                let file = std::fs::File::create(content.join("gross.md")).unwrap();
                file.set_len(10 * 1024 * 1024 + 1).unwrap();
            },
            errors: &[
                "{content}/gross.md: is 10485761 bytes, more than the limit of 10485760 bytes for an article (content.max_file_size in site.yaml)",
            ],
        },
        Case {
            name: "offsets that carry a date out of the years 1–9999",
            files: &[
                (
                    "spaet.md",
                    "---\ntitle: Spät\ndate: 9999-12-31T23:59:59-23:59\n---\n\nText.\n",
                ),
                (
                    "frueh.md",
                    "---\ntitle: Früh\ndate: 2022-01-21\nupdated: 0001-01-01T00:00:00+00:01\n---\n\nText.\n",
                ),
            ],
            special: nothing,
            errors: &[
                "{content}/spaet.md:3: `date`: invalid date `9999-12-31T23:59:59-23:59`: this is the year 10000 in UTC; dates must lie within the years 1–9999 there too",
                "{content}/frueh.md:4: `updated`: invalid date `0001-01-01T00:00:00+00:01`: this is the year 0 in UTC; dates must lie within the years 1–9999 there too",
            ],
        },
        Case {
            name: "a title and a topic of nothing but characters that are dropped",
            files: &[(
                "leer.md",
                "---\ntitle: \"\\x7f\\x85\\uFDD0\"\ndate: 2022-01-21\ntopics: [\"\\x01\"]\n---\n\nText.\n",
            )],
            special: nothing,
            errors: &[
                "{content}/leer.md:2: `title` must not be empty",
                "{content}/leer.md:4: `topics` must not contain empty entries",
            ],
        },
        Case {
            name: "extra keys a template cannot read",
            files: &[
                (
                    "liste.md",
                    "---\ntitle: Liste\ndate: 2022-01-21\nextra:\n  ? [a, b]\n  : x\n---\n\nText.\n",
                ),
                (
                    "zahl.md",
                    "---\ntitle: Zahl\ndate: 2022-01-21\nextra:\n  ok: 1\n  1.5: x\n---\n\nText.\n",
                ),
            ],
            special: nothing,
            errors: &[
                "{content}/liste.md:4: `extra` has a key that templates cannot read (a list `- a\\n- b`); keys must be text, whole numbers or true/false",
                "{content}/zahl.md:4: `extra` has a key that templates cannot read (a number `1.5`); keys must be text, whole numbers or true/false",
            ],
        },
    ]
}

/// An article whose `extra` opens 100 000 collections with `open` and closes
/// them with `close`.
fn write_nested(path: &Path, open: &str, close: &str) {
    let n = 100_000;
    let text = format!(
        "---\ntitle: Tief\ndate: 2022-01-21\nextra: {}x{}\n---\n\nText.\n",
        open.repeat(n),
        close.repeat(n)
    );
    std::fs::write(path, text).unwrap();
}

fn expected_errors(case: &Case, root: &Path) -> Vec<String> {
    let content = root.join("content").display().to_string();
    let site = root.canonicalize().unwrap().display().to_string();
    sorted(
        case.errors
            .iter()
            .map(|e| {
                e.replace("{content}", &content)
                    .replace("{site}", &site)
                    .replace("{SLUG}", SLUG_MESSAGE)
            })
            .collect(),
    )
}

#[test]
fn check_and_build_name_every_bad_article_and_leave_public_alone() {
    for case in content_cases() {
        let dir = built_site();
        let root = dir.path();
        let content = root.join("content");
        for (name, text) in case.files {
            let path = content.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        (case.special)(&content);
        let expected = expected_errors(&case, root);
        let files = expected
            .iter()
            .map(|e| e.split(": ").next().unwrap().split(':').next().unwrap())
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let before = snapshot(root, None);

        let output = blatt(root).arg("check").output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{}: {output:?}", case.name);
        assert_eq!(error_lines(&output.stderr), expected, "check: {}", case.name);
        let stdout = String::from_utf8(output.stdout).unwrap();
        let counted = format!(
            "{} error{} in {files} file{}",
            expected.len(),
            if expected.len() == 1 { "" } else { "s" },
            if files == 1 { "" } else { "s" }
        );
        assert!(stdout.contains(&counted), "{}: {stdout}", case.name);

        let output = blatt(root).arg("build").output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{}: {output:?}", case.name);
        assert_eq!(error_lines(&output.stderr), expected, "build: {}", case.name);
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.contains(&format!("{counted}; nothing was written")),
            "{}: {stderr}",
            case.name
        );

        // public/ byte for byte (and its times), and nothing new anywhere.
        assert_eq!(snapshot(root, None), before, "{}", case.name);
    }
}

#[test]
fn every_article_error_is_reported_in_one_check() {
    let dir = built_site();
    let root = dir.path();
    let mut expected = Vec::new();
    // The cases a walk of content/ finds stop the build before articles are
    // read (src/build), so only the article cases go together here.
    for case in content_cases()
        .iter()
        .filter(|c| !c.files.is_empty() && !c.name.contains("folder"))
    {
        for (name, text) in case.files {
            let path = root.join("content").join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        expected.extend(expected_errors(case, root));
    }
    let output = blatt(root).arg("check").output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert_eq!(error_lines(&output.stderr), sorted(expected));
}

/// A date and time without an offset is read in the site's time zone, as a
/// plain day is, and as Hugo reads it with `timeZone` set. Read as UTC,
/// 23:30 on 31 January would be in February in Berlin.
#[test]
fn a_date_without_time_zone_is_in_the_site_time_zone() {
    let dir = built_site();
    let root = dir.path();
    std::fs::write(
        root.join("content/2022/01/spaet.md"),
        "---\ntitle: Spät am Abend\ndate: 2022-01-31T23:30:00\n---\n\nText.\n",
    )
    .unwrap();
    blatt(root).arg("check").assert().success();
    blatt(root).arg("build").assert().success();
    let page = std::fs::read_to_string(root.join("public/2022/01/spaet/index.html")).unwrap();
    assert!(page.contains("datetime=\"2022-01-31T23:30:00+01:00\""), "{page}");
    assert!(!root.join("public/2022/02").exists());
}

/// `content:` in site.yaml sets the limits on each article: the same
/// article is refused under a lower limit and builds under a higher one.
#[test]
fn content_limits_in_site_yaml_are_the_limits() {
    let dir = built_site();
    let root = dir.path();
    let article = "---\ntitle: Drei Schlagworte\ndate: 2022-01-12\ntags: [a, b, c]\n---\n\nText.\n";
    std::fs::write(root.join("content/2022/01/drei.md"), article).unwrap();
    let path = |name: &str| root.join("content/2022/01").join(name).display().to_string();
    let before = snapshot(root, None);
    // The good article just fits.
    let limit = GOOD_ARTICLE.len();
    assert!(article.len() > limit);
    std::fs::write(
        root.join("site.yaml"),
        format!("{SITE_YAML}content:\n  max_terms: 2\n  max_file_size: {limit}\n"),
    )
    .unwrap();
    let output = blatt(root).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    // Refused from its size: not read, so its terms are not counted.
    assert_eq!(
        error_lines(&output.stderr),
        vec![format!(
            "{}: is {} bytes, more than the limit of {limit} bytes for an article (content.max_file_size in site.yaml)",
            path("drei.md"),
            article.len()
        )]
    );
    let mut files = snapshot(root, None);
    files.remove(&root.join("site.yaml"));
    let mut unchanged = before;
    unchanged.remove(&root.join("site.yaml"));
    assert_eq!(files, unchanged, "a refused build writes nothing");

    // Large enough for the file, still too few terms: refused at the line.
    std::fs::write(root.join("site.yaml"), format!("{SITE_YAML}content:\n  max_terms: 2\n")).unwrap();
    let output = blatt(root).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert_eq!(
        error_lines(&output.stderr),
        vec![format!(
            "{}:4: `tags` has 3 entries, more than the limit of 2 (content.max_terms in site.yaml)",
            path("drei.md")
        )]
    );
    std::fs::write(root.join("site.yaml"), format!("{SITE_YAML}content:\n  max_terms: 3\n")).unwrap();
    blatt(root).arg("build").assert().success();
    assert!(root.join("public/2022/01/drei/index.html").is_file());
    // A lower limit applies to an article an earlier build read too.
    std::fs::write(root.join("site.yaml"), format!("{SITE_YAML}content:\n  max_terms: 2\n")).unwrap();
    let output = blatt(root).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert_eq!(
        error_lines(&output.stderr),
        vec![format!(
            "{}:4: `tags` has 3 entries, more than the limit of 2 (content.max_terms in site.yaml)",
            path("drei.md")
        )]
    );
}

/// site.yaml values that used to break outputs quietly: a control
/// character in the title made feed.xml and atom.xml ill-formed, a URL
/// segment shared by two kinds of page overwrote one with the other, and a
/// base URL with a query or fragment broke every link. Each is refused at
/// its line, by `check` and `build`, and the previous site stays as it was.
#[test]
fn site_yaml_values_that_would_break_the_outputs_are_refused_at_their_line() {
    let cases: &[(&str, &str)] = &[
        (
            "title: \"Blatt\\x01\"\n",
            "site.yaml:3: `title` contains U+0001, a control character or noncharacter that no page or feed may carry: `Blatt\\u{1}`",
        ),
        (
            "urls:\n  topics: tags\n",
            "site.yaml:3: `urls.tags` is `tags`, as is `urls.topics`; their pages would overwrite each other",
        ),
        (
            "urls:\n  tags: \"2024\"\n",
            "site.yaml:4: `urls.tags` `2024` is a number, and /2024/ would be a year's archive; use a word",
        ),
        (
            "base_url: \"https://example.org/archiv/?utm=x\"\n",
            "site.yaml:3: `base_url` must be an absolute http(s) URL such as `https://example.org/archiv/`, without a query (`?`) or fragment (`#`), not `https://example.org/archiv/?utm=x`",
        ),
        (
            "base_url: \"https://example.org/#top\"\n",
            "site.yaml:3: `base_url` must be an absolute http(s) URL such as `https://example.org/archiv/`, without a query (`?`) or fragment (`#`), not `https://example.org/#top`",
        ),
    ];
    for (yaml, error) in cases {
        let dir = built_site();
        let root = dir.path();
        std::fs::write(root.join("site.yaml"), format!("{SITE_YAML}{yaml}")).unwrap();
        let before = snapshot(root, None);
        for command in ["check", "build"] {
            let output = blatt(root).arg(command).output().unwrap();
            assert_eq!(output.status.code(), Some(1), "{command} {yaml}: {output:?}");
            let path = root.join(error.split(':').next().unwrap()).display().to_string();
            let wanted = error.replacen("site.yaml", &path, 1);
            assert_eq!(error_lines(&output.stderr), vec![wanted], "{command} {yaml}");
        }
        assert_eq!(snapshot(root, None), before, "{yaml}");
    }
}

/// `--base-url` is held to the same test as `base_url`: refused as a
/// wrong command line (exit 2), before anything is written.
#[test]
fn a_base_url_on_the_command_line_that_cannot_start_every_link_is_refused() {
    for url in [
        "https://example.org/?a=1",
        "https://example.org/#x",
        "https://exa\"mple.org/",
    ] {
        let dir = built_site();
        let root = dir.path();
        let before = snapshot(root, None);
        let output = blatt(root).args(["build", "--base-url", url]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{url}: {output:?}");
        assert_eq!(
            error_lines(&output.stderr),
            vec![format!(
                "invalid value '{url}' for '--base-url <URL>': must be an absolute http(s) URL such as `https://example.org/archiv/`, without a query (`?`) or fragment (`#`), not `{}`",
                url.escape_default()
            )]
        );
        assert_eq!(snapshot(root, None), before, "{url}");
    }
}

/// A site whose one article has `n` topics and `n` tags, built; its output
/// files by path.
fn site_with_terms(n: usize) -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("site.yaml"),
        // Every tag of the one article has its page, as if others shared it.
        format!("{SITE_YAML}content:\n  max_terms: {n}\nsearch:\n  enabled: false\nmin_articles:\n  tags: 1\n"),
    )
    .unwrap();
    let list = |word: &str| (0..n).map(|i| format!("{word} {i:03}")).collect::<Vec<_>>().join(", ");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(
        root.join("content/viele.md"),
        format!(
            "---\ntitle: Viele Begriffe\ndate: 2022-01-21\ntopics: [{}]\ntags: [{}]\n---\n\nText.\n",
            list("Thema"),
            list("Wort")
        ),
    )
    .unwrap();
    blatt(root).arg("build").assert().success();
    let files = crate::common::output_files(&root.join("public"));
    (dir, files)
}

/// An article is listed on the page and in the feeds of each of its terms;
/// when each listing repeated all its terms, 1 000 topics wrote 221 MB.
/// Listings and feed items now carry its first ten, its own page all of
/// them, so the output grows with the number of terms, not its square.
#[test]
fn an_article_with_many_terms_costs_output_in_proportion() {
    let (_dir, files) = site_with_terms(100);
    let topic_page = String::from_utf8(files["topics/thema-042/index.html"].clone()).unwrap();
    let doc = scraper::Html::parse_document(&topic_page);
    let selector = scraper::Selector::parse("ol.articles p.meta a").unwrap();
    let listed: Vec<String> = doc.select(&selector).map(|a| a.text().collect()).collect();
    let first_ten: Vec<String> = (0..10).map(|i| format!("Thema {i:03}")).collect();
    assert_eq!(listed, first_ten);
    let article = String::from_utf8(files["2022/01/viele/index.html"].clone()).unwrap();
    let doc = scraper::Html::parse_document(&article);
    for (css, word) in [("ul.topics a", "Thema"), ("ul.tags a", "Wort")] {
        let all: Vec<String> = doc
            .select(&scraper::Selector::parse(css).unwrap())
            .map(|a| a.text().collect())
            .collect();
        assert_eq!(all, (0..100).map(|i| format!("{word} {i:03}")).collect::<Vec<_>>());
    }
    // A term feed is RSS by default (`feed.term_formats`).
    let feed = rss::Channel::read_from(&files["tags/wort-007/feed.xml"][..]).unwrap();
    assert_eq!(feed.items()[0].categories().len(), 20, "ten topics and ten tags");

    // Twice the terms, twice the output (and a little more for the
    // article's own page); the square would be four times.
    let total = |files: &BTreeMap<String, Vec<u8>>| files.values().map(Vec::len).sum::<usize>() as f64;
    let (_dir, twice) = site_with_terms(200);
    let ratio = total(&twice) / total(&files);
    assert!(
        (1.8..2.4).contains(&ratio),
        "200 terms wrote {ratio:.2} times what 100 did"
    );
}

/// Import writes nothing a build would refuse: an input naming more terms
/// or authors than `content.max_terms` keeps the first ones (with a
/// warning), and a date whose offset carries it past the year 9999 is not
/// taken (the text's own date is).
#[test]
fn import_keeps_within_what_the_build_accepts() {
    let (_dir, root, inputs) = import_site(&format!("{SITE_YAML}content:\n  max_terms: 5\n"));
    let names = |word: &str| (0..40).map(|i| format!("{word} {i}")).collect::<Vec<_>>();
    let input = serde_json::json!({
        "title": "Brücke wird saniert",
        "date": "9999-12-31T23:59:59-23:59",
        "text": "01.06.2022\nDie alte Brücke über den Fluss wird ab Juni saniert. Autofahrer müssen mit Umleitungen rechnen.",
        "categories": names("Thema").join(";"),
        "tags": names("Wort").join(";"),
    });
    std::fs::write(inputs.join("viele.json"), input.to_string()).unwrap();
    let output = blatt(&root)
        .arg("import")
        .arg(inputs.join("viele.json"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    for warning in [
        "cannot read the date `9999-12-31T23:59:59-23:59` in the input's metadata",
        // Input categories are tags: topics come from the site's rules.
        "has 80 tags; kept the first 5 (content.max_terms in site.yaml)",
    ] {
        assert!(stderr.contains(warning), "no warning {warning:?}: {stderr}");
    }
    let written = std::fs::read_to_string(root.join("content/2022/06/bruecke-wird-saniert.md")).unwrap();
    assert!(written.contains("date: 2022-06-01T00:00:00+02:00"), "{written}");
    assert!(
        written.contains("- Thema 4\n") && !written.contains("Thema 5"),
        "{written}"
    );
    blatt(&root).arg("check").assert().success();
}

/// A named pipe (or any file that is not a regular file) as site.yaml used
/// to hang every command, which opened it to read and waited for a writer.
#[test]
fn a_site_yaml_that_is_not_a_regular_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("input.txt"), "Titel\n\nEin Absatz mit Text.\n").unwrap();
    mkfifo(&root.join("site.yaml"));
    let expected = format!(
        "{}: is a named pipe (FIFO), not a regular file",
        root.join("site.yaml").display()
    );
    for args in [
        &["build"][..],
        &["check"],
        &["import", "input.txt", "--date", "2022-01-10"],
    ] {
        let output = blatt(root).args(args).current_dir(root).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}: {output:?}");
        assert_eq!(error_lines(&output.stderr), vec![expected.clone()], "{args:?}");
    }
    std::fs::remove_file(root.join("site.yaml")).unwrap();
    std::fs::create_dir(root.join("site.yaml")).unwrap();
    let output = blatt(root).arg("check").output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert_eq!(
        error_lines(&output.stderr),
        vec![format!(
            "{}: is a folder, not a regular file",
            root.join("site.yaml").display()
        )]
    );
}

/// The warning a build prints for a link it does not follow.
fn skipped(link: &Path, target: &Path) -> String {
    format!(
        "{}: is a symbolic link to `{}`, outside the site; not followed \
         (`build: {{ follow_symlinks: true }}` in site.yaml follows it)",
        link.display(),
        target.display()
    )
}

/// Links that lead out of the site are not followed, so what they point to
/// is neither published nor read: a build, and `check`, name each with a
/// warning. Links inside the site are followed, and `build.follow_symlinks:
/// true` follows every link. (Before, `static/leak.txt -> /etc/passwd` was
/// copied into the output and served.)
#[test]
fn links_out_of_the_site_are_not_followed_unless_the_site_says_so() {
    let outside = tempfile::tempdir().unwrap();
    let outside = outside.path().canonicalize().unwrap();
    std::fs::write(outside.join("secret.txt"), "streng geheim 4711\n").unwrap();
    std::fs::create_dir(outside.join("artikel")).unwrap();
    std::fs::write(
        outside.join("artikel/fremd.md"),
        "---\ntitle: Von draussen\ndate: 2022-01-11\n---\n\nstreng geheim 4711\n",
    )
    .unwrap();
    let base = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/base.html")).unwrap();
    assert!(base.contains("</footer>"), "the theme changed; adapt this test");
    let base = base.replacen("</footer>", "<p>streng geheim 4711</p></footer>", 1);
    std::fs::write(outside.join("base.html"), base).unwrap();

    let dir = built_site();
    let root = dir.path();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::create_dir_all(root.join("shared/more")).unwrap();
    std::fs::write(root.join("shared/logo.txt"), "logo\n").unwrap();
    std::fs::write(
        root.join("shared/more/drinnen.md"),
        "---\ntitle: Von drinnen\ndate: 2022-01-12\n---\n\nText.\n",
    )
    .unwrap();
    let links = [
        ("static/leak.txt", outside.join("secret.txt")),
        ("content/usr", outside.join("artikel")),
        ("templates/base.html", outside.join("base.html")),
    ];
    for (link, target) in &links {
        std::os::unix::fs::symlink(target, root.join(link)).unwrap();
    }
    symlink("../shared/logo.txt", &root.join("static/logo.txt"));
    symlink("../shared/more", &root.join("content/more"));
    let mut expected: Vec<String> = links.iter().map(|(l, t)| skipped(&root.join(l), t)).collect();
    expected.sort();
    let warnings = |stderr: &[u8]| lines_after(stderr, "warning: ");

    let output = blatt(root).arg("check").output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(warnings(&output.stderr), expected, "check");
    let output = blatt(root).arg("build").output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(warnings(&output.stderr), expected, "build");
    let public = root.join("public");
    let built = crate::common::files(&public);
    assert!(!built.contains_key("static/leak.txt"), "{:?}", built.keys());
    assert_eq!(
        built["static/logo.txt"], b"logo\n",
        "a link inside the site is followed"
    );
    assert!(public.join("2022/01/drinnen/index.html").is_file());
    assert!(!public.join("2022/01/fremd").exists());
    for (name, bytes) in &built {
        assert!(
            !String::from_utf8_lossy(bytes).contains("streng geheim"),
            "{name} holds text from outside the site"
        );
    }
    // Quiet means errors only.
    let output = blatt(root).args(["build", "-q"]).output().unwrap();
    assert!(output.status.success() && output.stderr.is_empty(), "{output:?}");

    let yaml = format!("{SITE_YAML}build:\n  follow_symlinks: true\n");
    std::fs::write(root.join("site.yaml"), yaml).unwrap();
    let output = blatt(root).arg("build").output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(warnings(&output.stderr).is_empty(), "{output:?}");
    assert_eq!(
        std::fs::read(public.join("static/leak.txt")).unwrap(),
        b"streng geheim 4711\n"
    );
    assert!(public.join("2022/01/fremd/index.html").is_file());
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(home.contains("streng geheim"), "the linked template is used");
}

/// Output piped into a reader that stops early (`blatt build | head -1`)
/// used to panic (exit status 101). Now the rest of the output is dropped
/// quietly and the exit status is the work's, as with ripgrep. The pipe
/// here is closed before the command starts, so every write to it fails.
#[test]
fn output_into_a_closed_pipe_is_no_panic() {
    let dir = built_site();
    let root = dir.path();
    std::fs::write(root.join("input.txt"), "Neuer Titel\n\nEin Absatz mit Text.\n").unwrap();
    std::fs::write(root.join("content/2022/01/kaputt.md"), "---\ntitel: x\n---\n").unwrap();
    let new_site = root.join("neu");
    let cases: [(&[&str], i32); 6] = [
        (&["build"], 1),
        (&["check"], 1),
        (
            &["import", "input.txt", "--date", "2022-01-10", "--dry-run", "--explain"],
            0,
        ),
        (&["init", "neu"], 0),
        (&["--help"], 0),
        (&["build", "--help"], 0),
    ];
    for closed_stderr in [false, true] {
        for (args, code) in &cases {
            let _ = std::fs::remove_dir_all(&new_site);
            let (reader, writer) = rustix::pipe::pipe().unwrap();
            let writer = std::fs::File::from(writer);
            drop(reader);
            let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_blatt"));
            cmd.arg("--root").arg(root);
            cmd.args(*args).current_dir(root).stdout(writer.try_clone().unwrap());
            if closed_stderr {
                cmd.stderr(writer);
            }
            let output = cmd.output().unwrap();
            assert_eq!(output.status.code(), Some(*code), "{args:?}: {output:?}");
            assert!(
                !String::from_utf8_lossy(&output.stderr).contains("panicked"),
                "{args:?}: {output:?}"
            );
        }
    }
    // And the build that fails above succeeds into the closed pipe.
    std::fs::remove_file(root.join("content/2022/01/kaputt.md")).unwrap();
    let (reader, writer) = rustix::pipe::pipe().unwrap();
    drop(reader);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_blatt"))
        .arg("--root")
        .arg(root)
        .arg("build")
        .stdout(std::fs::File::from(writer))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
}
