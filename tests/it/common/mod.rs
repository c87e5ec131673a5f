//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use blatt::config::{Site, SiteConfig};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

pub mod quality;

/// `../shared` beside the repository: the seed and the third-party corpus,
/// read in place (never copied into the repository). `BLATT_SHARED` points
/// elsewhere. Absent, the tests that need it say so and pass, unless
/// `BLATT_REQUIRE_SHARED=1` (set by `.ci/run` when the folder exists).
pub fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("BLATT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    if dir.join("corpus").is_dir() {
        return Some(dir);
    }
    if std::env::var_os("BLATT_REQUIRE_SHARED").is_some() {
        panic!("BLATT_REQUIRE_SHARED is set but {} has no corpus/", dir.display());
    }
    eprintln!(
        "note: {} not found; skipping the tests that read the shared seed and corpus",
        dir.display()
    );
    None
}

/// The seed article's raw text file.
pub fn seed() -> Option<PathBuf> {
    shared().map(|s| s.join("seeds/000_26328b77b207f0a4.txt"))
}

/// The repository's own example `site.yaml` (German, Europe/Berlin).
pub fn example_config() -> SiteConfig {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("site.yaml");
    let text = std::fs::read_to_string(&path).expect("site.yaml at the repository root");
    SiteConfig::parse(&text, &path).expect("example site.yaml parses")
}

/// A site in `root` with the example configuration.
pub fn example_site(root: &Path) -> Site {
    Site {
        root: root.to_path_buf(),
        config: example_config(),
    }
}

/// A block of rendered body text: a heading or a paragraph, as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    Heading(String),
    Paragraph(String),
}

impl Shown {
    pub fn text(&self) -> &str {
        match self {
            Shown::Heading(t) | Shown::Paragraph(t) => t,
        }
    }
}

/// The blocks a Markdown body renders to, as plain text (escapes resolved):
/// a list item is a paragraph of its own, and so is a table row, its
/// non-empty cells joined by a space.
pub fn shown_blocks(markdown: &str) -> Vec<Shown> {
    let mut blocks = Vec::new();
    let mut current = String::new();
    let mut cells: Vec<String> = Vec::new();
    let mut heading = false;
    for event in Parser::new_ext(markdown, blatt::content::markdown::options()) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = true,
            Event::Text(t) | Event::Code(t) => current.push_str(&t),
            Event::SoftBreak | Event::HardBreak => current.push(' '),
            Event::End(TagEnd::Heading(_)) => {
                blocks.push(Shown::Heading(std::mem::take(&mut current)));
                heading = false;
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item) if !heading && !current.is_empty() => {
                blocks.push(Shown::Paragraph(std::mem::take(&mut current)))
            }
            Event::End(TagEnd::TableCell) => cells.push(std::mem::take(&mut current)),
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                let row: Vec<String> = std::mem::take(&mut cells)
                    .into_iter()
                    .filter(|c| !c.is_empty())
                    .collect();
                blocks.push(Shown::Paragraph(row.join(" ")));
            }
            _ => {}
        }
    }
    blocks
}

/// `--date 2020-01-01` (Europe/Berlin): a date for inputs that carry none.
pub fn fill_in_date() -> blatt::import::Overrides {
    blatt::import::Overrides {
        date: Some(blatt::content::date::parse("2020-01-01", chrono_tz::Europe::Berlin).unwrap()),
        ..Default::default()
    }
}

/// Letters and digits only, lower case: ground truth spaces quotes and
/// punctuation differently from the extraction (`delays ”`, `Boeing 's`).
pub fn letters(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Folds white space so that snippets compare regardless of line breaks.
pub fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A site in a temp folder with the repository's `site.yaml` and these
/// files (name, text) under `content/`.
pub fn site_with<N: AsRef<str>, T: AsRef<str>>(articles: &[(N, T)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("site.yaml"),
        dir.path().join("site.yaml"),
    )
    .unwrap();
    for (name, text) in articles {
        let path = dir.path().join("content").join(name.as_ref());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text.as_ref()).unwrap();
    }
    dir
}

/// A site in a temp folder with the repository's `site.yaml`, its example
/// `content/` (and the images it shows), and these files (name, text)
/// under `content/`.
pub fn example_site_with<N: AsRef<str>, T: AsRef<str>>(articles: &[(N, T)]) -> tempfile::TempDir {
    let dir = site_with(articles);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    example_images(dir.path());
    for entry in walkdir::WalkDir::new(repo.join("content"))
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(repo).unwrap();
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(dir.path().join(rel)).unwrap();
        } else {
            std::fs::copy(entry.path(), dir.path().join(rel)).unwrap();
        }
    }
    dir
}

/// The example site's own static files (`static/beispiel/`: the lead
/// image of one article) into the site in `root`; the rest of the
/// repository's `static/` is the theme, built into the binary.
pub fn example_images(root: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("static/beispiel");
    for entry in walkdir::WalkDir::new(&from).into_iter().filter_map(Result::ok) {
        let to = root
            .join("static/beispiel")
            .join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
}

/// A site made by `blatt init` in `dir/site`, with the repository's
/// `site.yaml`; returns its folder.
pub fn init_site(dir: &Path) -> PathBuf {
    let root = dir.join("site");
    assert_cmd::Command::cargo_bin("blatt")
        .unwrap()
        .arg("init")
        .arg(&root)
        .assert()
        .success();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("site.yaml"),
        root.join("site.yaml"),
    )
    .unwrap();
    root
}

/// Every file below `dir`, sorted.
pub fn file_paths(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// Every file below `dir` by its path relative to `dir`, with its bytes.
pub fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    file_paths(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p.strip_prefix(dir).unwrap().display().to_string(), bytes)
        })
        .collect()
}

/// An output folder's files, the marker among them (its bytes are the same
/// for every build).
pub fn output_files(out: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    use blatt::output::build_dir::{MARKER, PROBE};
    let mut files = files(out);
    // The marker's name for the moment a build checks that it may change
    // the folder: a run killed in that moment leaves it so, and the next
    // run gives the marker its name back, so it counts as the marker.
    if let Some(marker) = files.remove(PROBE) {
        files.entry(MARKER.to_string()).or_insert(marker);
    }
    files
}

/// The `blatt` binary for the site in `root`.
pub fn blatt(root: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("blatt").unwrap();
    cmd.arg("--root").arg(root);
    cmd
}
