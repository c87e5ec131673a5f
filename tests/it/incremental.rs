//! An incremental build is byte for byte a clean build: for many random
//! sequences of edits, adds, deletes, renames, redates, retags, new bylines, drafts,
//! template and static-file changes, the output folder rebuilt in place
//! equals a fresh build of the final state.
//!
//! `BLATT_INCREMENTAL_SEEDS=200 cargo test --release --test it incremental::`
//! runs more seeds than CI does; `BLATT_INCREMENTAL_SEED=160` replays one
//! sequence and prints each step's changes and outcome.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use blatt::config::{Site, SiteConfig};
use blatt::pipeline::{BuildOptions, Mode, build};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

const TOPICS: [&str; 4] = ["Verkehr", "Energie", "Bildung", "Ukraine-Konflikt"];
const TAGS: [&str; 6] = ["Bahn", "Nato", "NATO", "Schule", "Wind", "Kita"];
/// Two spellings of one person share a page, as terms do.
const AUTHORS: [&str; 4] = ["Anna Muster", "Jörg Übel", "Jörg übel", "Jan Probe"];

struct World {
    dir: tempfile::TempDir,
    rng: ChaCha8Rng,
    next: usize,
    /// Every path written, removed or renamed since the last build that
    /// succeeded: what `blatt serve`'s watcher tells its builder.
    touched: Vec<PathBuf>,
}

impl World {
    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn content(&self) -> PathBuf {
        self.root().join("content")
    }

    fn files(&self) -> Vec<PathBuf> {
        crate::common::file_paths(&self.content())
    }

    fn article(&mut self) -> String {
        let n = self.next;
        self.next += 1;
        let r = &mut self.rng;
        let topics: Vec<&str> = (0..r.random_range(0..3))
            .map(|_| TOPICS[r.random_range(0..TOPICS.len())])
            .collect();
        let tags: Vec<&str> = (0..r.random_range(0..4))
            .map(|_| TAGS[r.random_range(0..TAGS.len())])
            .collect();
        let authors: Vec<&str> = (0..r.random_range(0..3))
            .map(|_| AUTHORS[r.random_range(0..AUTHORS.len())])
            .collect();
        let day = r.random_range(1..28);
        let month = r.random_range(1..4);
        let slug = if r.random_bool(0.5) {
            format!("slug: artikel-{n}\n")
        } else {
            String::new()
        };
        let summary = if r.random_bool(0.7) {
            format!("summary: Kurz {n}\n")
        } else {
            String::new()
        };
        let hour = r.random_range(0..24);
        let mut date = format!("2022-{month:02}-{day:02}T{hour:02}:00:00+01:00");
        // Some are fresh, for the news sitemap: hours ago, never near the
        // edge of its 48-hour window, so the clean build lists the same.
        if r.random_bool(0.25) {
            let ago = [1, 5, 30, 60, 100][r.random_range(0..5)];
            let at = chrono::Utc::now() - chrono::Duration::hours(ago);
            date = at
                .with_timezone(&chrono::FixedOffset::east_opt(3600).unwrap())
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        }
        format!(
            "---\ntitle: Artikel {n}\ndate: {date}\n{slug}{summary}topics: [{}]\ntags: [{}]\nauthors: [{}]\n---\n\nText {n} mit *Betonung*.\n\n## Abschnitt {}\n",
            topics.join(", "),
            tags.join(", "),
            authors.join(", "),
            n % 3
        )
    }

    fn add(&mut self) {
        let text = self.article();
        let path = self.content().join(format!("a{}.md", self.next));
        std::fs::write(&path, text).unwrap();
        self.touched.push(path);
    }

    /// A new article dated after every other (half an hour ago, a second
    /// later each time; other fresh ones are hours old): the daily case,
    /// which the edit path takes unless a listing or a term gains a page
    /// (`pipeline::edits::added`).
    fn add_newest(&mut self) -> String {
        let text = self.article();
        let at = chrono::Utc::now() - chrono::Duration::minutes(30) + chrono::Duration::seconds(self.next as i64);
        let date = at
            .with_timezone(&chrono::FixedOffset::east_opt(3600).unwrap())
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        let text = regex::Regex::new(r"date: [^\n]+")
            .unwrap()
            .replace(&text, format!("date: {date}").as_str())
            .into_owned();
        let path = self.content().join(format!("a{}.md", self.next));
        std::fs::write(&path, text).unwrap();
        self.touched.push(path);
        "add newest".into()
    }

    fn pick(&mut self) -> Option<PathBuf> {
        let files = self.files();
        (!files.is_empty()).then(|| files[self.rng.random_range(0..files.len())].clone())
    }

    /// A change of one article's body only, which the manifest's index
    /// rebuilds without re-indexing; returns what it did.
    fn edit_body(&mut self) -> String {
        let Some(file) = self.pick() else {
            self.add();
            return "add".into();
        };
        let mut text = std::fs::read_to_string(&file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        match self.rng.random_range(0..5) {
            0 => text.push_str("\nNachtrag mit *Betonung*.\n"),
            1 => text = text.replace("mit *Betonung*", "ohne Betonung"),
            // Headings that fragment links of other pages may name.
            2 => text = text.replace("## Abschnitt", "## Teil"),
            3 => {
                // An article by its file, which may be gone or renamed.
                let n = self.rng.random_range(0..self.next.max(1));
                text.push_str(&format!("\nSiehe [Artikel {n}](@/a{n}.md).\n"));
            }
            _ => {
                // A link to an article (or one of its headings) that may or
                // may not exist: a broken one must fail the build the same
                // way as a clean build.
                let n = self.rng.random_range(0..self.next.max(1));
                let month = self.rng.random_range(1..4);
                let fragment = ["", "#abschnitt-0", "#abschnitt-1", "#abschnitt-2"][self.rng.random_range(0..4)];
                text.push_str(&format!(
                    "\nSiehe [Artikel {n}](/2022/{month:02}/artikel-{n}/{fragment}).\n"
                ));
            }
        }
        std::fs::write(&file, text).unwrap();
        self.touched.push(file);
        format!("edit body {name}")
    }

    /// A change of what lists show of one article (its title, kicker or
    /// summary), which moves no article: the edit path renders the pages
    /// and listings that show it; returns what it did.
    fn edit_listed(&mut self) -> String {
        let Some(file) = self.pick() else {
            self.add();
            return "add".into();
        };
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let k = self.rng.random_range(0..1000);
        let (key, value) = match self.rng.random_range(0..3) {
            0 => ("title", format!("Titel {k}")),
            1 => ("kicker", format!("Dachzeile {k}")),
            _ => ("summary", format!("Kurz {k}")),
        };
        let line = regex::Regex::new(&format!(r"(?m)^{key}: .*\n")).unwrap();
        let text = if line.is_match(&text) {
            line.replace(&text, format!("{key}: {value}\n").as_str()).into_owned()
        } else {
            text.replacen("---\n", &format!("---\n{key}: {value}\n"), 1)
        };
        std::fs::write(&file, text).unwrap();
        self.touched.push(file);
        format!("{key} {name} → {value}")
    }

    /// A change of one article's topics, tags or authors, which moves it
    /// within those terms' lists only: the edit path renders the pages of
    /// the terms whose runs shifted, their feeds, the counts and the
    /// sitemap's days (for topics also the listings showing the article and
    /// the pages of articles whose related articles changed); returns what
    /// it did.
    fn edit_terms(&mut self) -> String {
        let Some(file) = self.pick() else {
            self.add();
            return "add".into();
        };
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let (key, names): (&str, &[&str]) = match self.rng.random_range(0..3) {
            0 => ("tags", &TAGS),
            1 => ("authors", &AUTHORS),
            _ => ("topics", &TOPICS),
        };
        let chosen: Vec<&str> = (0..self.rng.random_range(0..3))
            .map(|_| names[self.rng.random_range(0..names.len())])
            .collect();
        let chosen = chosen.join(", ");
        set_list(&file, &text, key, &chosen);
        self.touched.push(file);
        format!("{key} {name} → [{chosen}]")
    }

    /// One random change; returns what it did, for the failure message.
    fn change(&mut self) -> String {
        let op = self.rng.random_range(0..13);
        let Some(file) = self.pick() else {
            self.add();
            return "add".into();
        };
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        // The picked file, for the changes below that touch it (`add`
        // records its own; templates/ and static/ are recorded where they
        // are written, as a watcher reports them too).
        if matches!(op, 2..=9 | 11) {
            self.touched.push(file.clone());
        }
        match op {
            0 | 1 => {
                self.add();
                "add".into()
            }
            2 => {
                std::fs::remove_file(&file).unwrap();
                format!("delete {name}")
            }
            3 => {
                std::fs::write(&file, text.replace("mit *Betonung*", "ohne Betonung")).unwrap();
                format!("edit body {name}")
            }
            4 => {
                std::fs::write(&file, text.replacen("title: Artikel", "title: Neuer Artikel", 1)).unwrap();
                format!("retitle {name}")
            }
            5 => {
                let day = self.rng.random_range(1..28);
                let re = regex::Regex::new(r"date: 2022-\d\d-\d\d").unwrap();
                std::fs::write(
                    &file,
                    re.replace(&text, format!("date: 2022-03-{day:02}").as_str()).as_ref(),
                )
                .unwrap();
                format!("redate {name}")
            }
            6 => {
                let topic = TOPICS[self.rng.random_range(0..TOPICS.len())];
                set_list(&file, &text, "topics", topic);
                format!("retopic {name} → {topic}")
            }
            7 => {
                let target = self.content().join(format!("r{}.md", self.next));
                self.next += 1;
                std::fs::rename(&file, &target).unwrap();
                self.touched.push(target);
                format!("rename {name}")
            }
            8 => {
                let draft = if text.contains("draft: true") {
                    text.replace("draft: true\n", "")
                } else {
                    text.replacen("---\n", "---\ndraft: true\n", 1)
                };
                std::fs::write(&file, draft).unwrap();
                format!("toggle draft {name}")
            }
            9 => {
                std::fs::write(&file, text.replacen("summary: Kurz", "summary: Lang", 1)).unwrap();
                format!("summary {name}")
            }
            10 => {
                let templates = self.root().join("templates");
                std::fs::create_dir_all(&templates).unwrap();
                let n = self.rng.random_range(0..3);
                self.touched.push(templates.join("404.html"));
                std::fs::write(
                    templates.join("404.html"),
                    format!("{{% extends \"base.html\" %}}{{% block main %}}<h1>Weg {n}</h1>{{% endblock main %}}"),
                )
                .unwrap();
                format!("template 404 variant {n}")
            }
            11 => {
                let author = AUTHORS[self.rng.random_range(0..AUTHORS.len())];
                set_list(&file, &text, "authors", author);
                format!("reauthor {name} → {author}")
            }
            _ => {
                let statics = self.root().join("static");
                std::fs::create_dir_all(&statics).unwrap();
                let n = self.rng.random_range(0..3);
                self.touched.push(statics.join("extra.css"));
                std::fs::write(statics.join("extra.css"), format!("p {{ margin: {n}px; }}\n")).unwrap();
                format!("static extra.css {n}")
            }
        }
    }
}

/// Writes `text` to `file` with the flow list `key: […]` made `[value]`.
fn set_list(file: &Path, text: &str, key: &str, value: &str) {
    let re = regex::Regex::new(&format!(r"{key}: \[[^\]]*\]")).unwrap();
    std::fs::write(file, re.replace(text, format!("{key}: [{value}]").as_str()).as_ref()).unwrap();
}

fn site(root: &Path) -> Site {
    site_with(root, false)
}

/// With `atomic`, updates swap in a new folder instead of renaming files
/// into the output (`build.atomic`).
fn site_with(root: &Path, atomic: bool) -> Site {
    let yaml = format!(
        "title: Test\nbase_url: https://example.org/\nlanguage: de\ntimezone: Europe/Berlin\npaginate: 3\nlisting:\n  archive_paginate: 4\nfeed:\n  limit: 4\n  term_limit: 3\n  term_full_text: {{ topics: 2, tags: 1, authors: 0 }}\nurls:\n  topics: themen\nbuild:\n  atomic: {atomic}\n"
    );
    let yaml = yaml.as_str();
    std::fs::write(root.join("site.yaml"), yaml).unwrap();
    Site {
        root: root.to_path_buf(),
        config: SiteConfig::parse(yaml, Path::new("site.yaml")).unwrap(),
    }
}

/// The site folder named another way (through a link, with `..`) is the
/// same site: an edit after a build under one name is a body edit under
/// the other, not a rebuild of every file that looks renamed.
#[test]
fn an_edit_is_a_body_edit_whatever_the_site_folder_is_called() {
    let (dir, site, _) = one_article_site();
    let out = dir.path().join("out");
    let loaded = Site::load(dir.path()).unwrap();
    assert_eq!(loaded.config.title, site.config.title);
    let options = BuildOptions {
        out: out.clone(),
        ..BuildOptions::for_site(&loaded)
    };
    assert_eq!(build(&loaded, &options, &|| {}).unwrap().mode, Mode::Full);
    let beside = tempfile::tempdir().unwrap();
    let link = beside.path().join("site");
    std::os::unix::fs::symlink(dir.path(), &link).unwrap();
    for (k, name) in [link.clone(), link.join("content").join("..")].into_iter().enumerate() {
        std::fs::write(
            dir.path().join("content/a.md"),
            format!("---\ntitle: A\ndate: 2022-01-01\n---\nText, Fassung {k}\n"),
        )
        .unwrap();
        let again = Site::load(&name).unwrap();
        let report = build(
            &again,
            &BuildOptions {
                out: out.clone(),
                ..BuildOptions::for_site(&again)
            },
            &|| {},
        )
        .unwrap();
        assert_eq!(report.mode, Mode::Edits, "{}: {report:?}", name.display());
    }
}

/// Whether `page` is a redirect page leading to one of `files`.
fn redirects_to_a_page(page: &[u8], files: &BTreeMap<String, Vec<u8>>) -> bool {
    let text = String::from_utf8_lossy(page);
    let Some((_, rest)) = text.split_once("<meta http-equiv=\"refresh\" content=\"0; url=") else {
        return false;
    };
    let url = rest.split('"').next().unwrap_or("");
    let after_host = url
        .split_once("://")
        .and_then(|(_, r)| r.split_once('/'))
        .map_or("", |(_, p)| p);
    files.contains_key(&blatt::site::output_file(after_host))
}

/// The files in which the output `a` of a build in place differs from `b`,
/// a clean build's, but the old URLs of moved articles: they redirect, and
/// a clean build without the site's history has no such pages, and so its
/// marker, a fingerprint of the files, differs too.
fn differing_but_redirects<'a>(a: &'a BTreeMap<String, Vec<u8>>, b: &'a BTreeMap<String, Vec<u8>>) -> Vec<&'a String> {
    let redirected = a
        .iter()
        .any(|(k, page)| !b.contains_key(k) && redirects_to_a_page(page, b));
    a.keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .filter(|k| b.contains_key(*k) || !redirects_to_a_page(&a[*k], b))
        .filter(|k| !(redirected && k.as_str() == ".blatt-output"))
        .collect()
}

/// Every file of an output folder.
fn snapshot(out: &Path) -> BTreeMap<String, Vec<u8>> {
    crate::common::output_files(out)
}

/// The files a clean build of `site` with `options` writes (into a folder
/// of its own).
fn clean_snapshot(site: &Site, options: &BuildOptions) -> BTreeMap<String, Vec<u8>> {
    let clean = tempfile::tempdir().unwrap();
    let clean_options = BuildOptions {
        out: clean.path().join("public"),
        ..options.clone()
    };
    build(site, &clean_options, &|| {}).unwrap();
    snapshot(&clean_options.out)
}

/// Runs one random sequence; returns the modes of its incremental builds.
/// `told`: each rebuild is told the paths changed since the last good one.
fn run(seed: u64, steps: usize, told: bool) -> Vec<Mode> {
    let mut world = World {
        dir: tempfile::tempdir().unwrap(),
        rng: ChaCha8Rng::seed_from_u64(seed),
        next: 0,
        touched: Vec::new(),
    };
    // A watcher names paths under the canonical site root.
    let canonical = world.root().canonicalize().unwrap();
    std::fs::create_dir_all(world.content()).unwrap();
    for _ in 0..8 {
        world.add();
    }
    // Every third sequence updates by swapping in whole folders.
    let site = site_with(world.root(), seed % 3 == 2);
    // Told builds keep their records in memory for the next and update a
    // preview, as `serve`'s do.
    let options = BuildOptions {
        preview: told,
        ..BuildOptions::for_site(&site)
    };
    let mut warm = blatt::pipeline::Warm::new();
    blatt::pipeline::build_knowing(&site, &options, None, told.then_some(&mut warm), &|| {}).unwrap();
    world.touched.clear();
    let mut history = Vec::new();
    let mut modes = Vec::new();
    for step in 0..steps {
        let body_only = world.rng.random_bool(0.3);
        let listed_only = !body_only && world.rng.random_bool(0.4);
        let terms_only = !body_only && !listed_only && world.rng.random_bool(0.4);
        let newest_only = !body_only && !listed_only && !terms_only && world.rng.random_bool(0.4);
        let changes = if newest_only { 1 } else { world.rng.random_range(1..=3) };
        for _ in 0..changes {
            let change = if newest_only {
                world.add_newest()
            } else if body_only {
                world.edit_body()
            } else if listed_only {
                world.edit_listed()
            } else if terms_only {
                world.edit_terms()
            } else {
                world.change()
            };
            history.push(change);
        }
        let incremental = if told {
            let changed: Vec<PathBuf> = world
                .touched
                .iter()
                .map(|p| canonical.join(p.strip_prefix(world.root()).unwrap()))
                .collect();
            blatt::pipeline::build_knowing(&site, &options, Some(&changed), Some(&mut warm), &|| {})
        } else {
            build(&site, &options, &|| {})
        };
        // A failed build leaves the last good one's manifest: the next is
        // told everything since that one.
        if incremental.is_ok() {
            world.touched.clear();
        }
        if std::env::var_os("BLATT_INCREMENTAL_SEED").is_some() {
            eprintln!(
                "step {step} (told: {told}): {history:?} → {:?}",
                incremental.as_ref().map(|r| r.mode).map_err(|e| e.to_string())
            );
        }
        let clean_out = world.root().join(format!("clean-{step}"));
        let clean = build(
            &site,
            &BuildOptions {
                out: clean_out.clone(),
                ..options.clone()
            },
            &|| {},
        );
        match (&incremental, &clean) {
            (Ok(report), Ok(_)) => {
                modes.push(report.mode);
                let (a, b) = (snapshot(&options.out), snapshot(&clean_out));
                let differing = differing_but_redirects(&a, &b);
                assert!(
                    differing.is_empty(),
                    "seed {seed}, step {step} ({:?}): {differing:?} differ after {history:?}",
                    report.mode
                );
            }
            (Err(a), Err(b)) => assert_eq!(
                a.to_string(),
                b.to_string(),
                "seed {seed}, step {step} after {history:?}"
            ),
            _ => panic!("seed {seed}, step {step}: incremental {incremental:?} but clean {clean:?} after {history:?}"),
        }
        // A failed clean build leaves nothing to remove.
        let _ = std::fs::remove_dir_all(&clean_out);
        for file in [".blatt-manifest", ".blatt-manifest.tail"] {
            let _ = std::fs::remove_file(world.root().join(format!(".clean-{step}{file}")));
        }
    }
    modes
}

/// How many random sequences a test runs: `BLATT_INCREMENTAL_SEEDS`, or 12.
fn seeds() -> u64 {
    std::env::var("BLATT_INCREMENTAL_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(12)
}

#[test]
fn incremental_builds_equal_clean_builds() {
    let seeds = seeds();
    // `BLATT_INCREMENTAL_SEED=N` replays one sequence, for debugging.
    if let Some(seed) = std::env::var("BLATT_INCREMENTAL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        run(seed, 8, false);
        run(seed, 8, true);
        return;
    }
    let modes: Vec<Mode> = (0..seeds).flat_map(|seed| run(seed, 8, false)).collect();
    // Every way of rebuilding was compared, not just one.
    for mode in [Mode::Full, Mode::Incremental, Mode::Edits] {
        assert!(modes.contains(&mode), "no {mode:?} build in {modes:?}");
    }
}

/// The same, built as `blatt serve` builds (`pipeline::build_knowing`):
/// every rebuild told which paths changed since the last one that
/// succeeded, whose stamps it then asks again only for those paths, and
/// given the records the last build kept in memory instead of the
/// manifest's tail.
#[test]
fn rebuilds_told_what_changed_equal_clean_builds() {
    let seeds = seeds();
    if std::env::var_os("BLATT_INCREMENTAL_SEED").is_some() {
        return;
    }
    let modes: Vec<Mode> = (0..seeds).flat_map(|seed| run(seed, 8, true)).collect();
    for mode in [Mode::Full, Mode::Incremental, Mode::Edits] {
        assert!(modes.contains(&mode), "no {mode:?} build in {modes:?}");
    }
}

/// A site with one article, `content/a.md`, not yet built.
fn one_article_site() -> (tempfile::TempDir, Site, BuildOptions) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(
        dir.path().join("content/a.md"),
        "---\ntitle: A\ndate: 2022-01-01\n---\nText\n",
    )
    .unwrap();
    let site = site(dir.path());
    let options = BuildOptions::for_site(&site);
    (dir, site, options)
}

/// A preview (`serve`) is updated in place even where the site asks for
/// atomic updates: swapping in a whole folder links every file of the site
/// for an edit of one, and only the previewing server reads the folder.
#[cfg(unix)]
#[test]
fn a_preview_is_updated_in_place_whatever_build_atomic_says() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    let site = site_with(dir.path(), true);
    let article = dir.path().join("content/a.md");
    let folder_inode = |out: &Path| std::fs::metadata(out).unwrap().ino();
    for preview in [true, false] {
        let options = BuildOptions {
            out: dir.path().join(format!("out-{preview}")),
            preview,
            ..BuildOptions::for_site(&site)
        };
        std::fs::write(&article, "---\ntitle: A\ndate: 2022-01-01\ntopics: [x]\n---\nText\n").unwrap();
        assert_eq!(build(&site, &options, &|| {}).unwrap().mode, Mode::Full);
        let before = folder_inode(&options.out);
        // A new topic: the ordinary incremental build, not the edit path.
        std::fs::write(&article, "---\ntitle: A\ndate: 2022-01-01\ntopics: [y]\n---\nText\n").unwrap();
        assert_eq!(build(&site, &options, &|| {}).unwrap().mode, Mode::Incremental);
        assert_eq!(
            folder_inode(&options.out) == before,
            preview,
            "preview {preview}: the output folder is the same one only in a preview"
        );
        assert_eq!(
            snapshot(&options.out),
            clean_snapshot(&site, &options),
            "preview {preview}"
        );
    }
}

#[test]
fn a_rebuild_without_changes_reads_and_writes_nothing() {
    let (dir, site, options) = one_article_site();
    assert_eq!(build(&site, &options, &|| {}).unwrap().mode, Mode::Full);
    let before = snapshot(&options.out);
    let again = build(&site, &options, &|| {}).unwrap();
    assert_eq!(
        (again.mode, again.rendered, again.written, again.articles),
        (Mode::Unchanged, 0, 0, 1)
    );
    assert_eq!(snapshot(&options.out), before);
    // An edit renders only what shows it.
    std::fs::write(
        dir.path().join("content/a.md"),
        "---\ntitle: A\ndate: 2022-01-01\n---\nNeuer Text\n",
    )
    .unwrap();
    let tail = dir.path().join(".public.blatt-manifest.tail");
    let tail_before = (
        std::fs::read(&tail).unwrap(),
        std::fs::metadata(&tail).unwrap().modified().unwrap(),
    );
    let edit = build(&site, &options, &|| {}).unwrap();
    assert_eq!(edit.mode, Mode::Edits);
    // The article page, the site feed that carries its full text in each
    // of the three formats, and of the search index (one article: it is
    // all in recent files) the new file of words starting with `n` for
    // "neuer" and the index file that lists it.
    assert_eq!((edit.rendered, edit.written), (6, 6), "{edit:?}");
    assert_eq!(
        (
            std::fs::read(&tail).unwrap(),
            std::fs::metadata(&tail).unwrap().modified().unwrap()
        ),
        tail_before,
        "a body edit patches the manifest's head and leaves its tail alone"
    );
    // A changed title moves no article either; a changed date does (into
    // a month without articles, which the edit path leaves alone).
    std::fs::write(
        dir.path().join("content/a.md"),
        "---\ntitle: B\ndate: 2022-01-01\n---\nNeuer Text\n",
    )
    .unwrap();
    assert_eq!(build(&site, &options, &|| {}).unwrap().mode, Mode::Edits);
    std::fs::write(
        dir.path().join("content/a.md"),
        "---\ntitle: B\ndate: 2022-02-02\n---\nNeuer Text\n",
    )
    .unwrap();
    assert_eq!(build(&site, &options, &|| {}).unwrap().mode, Mode::Incremental);
}

#[test]
fn a_changed_template_or_site_yaml_rebuilds_everything() {
    let (dir, site, options) = one_article_site();
    build(&site, &options, &|| {}).unwrap();
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block main %}x{% endblock main %}",
    )
    .unwrap();
    let report = build(&site, &options, &|| {}).unwrap();
    assert_eq!(report.mode, Mode::Full);
    assert!(
        report.written >= 1 && report.written < report.pages,
        "unchanged files keep their mtime: {report:?}"
    );
}

/// Settings or templates changed: everything is rendered again, and the
/// output is updated in place (its folders stay, pages no longer made are
/// deleted, someone else's file stays, one of blatt's deleted by hand comes
/// back) unless `build.atomic` asks for a folder swapped in. Either way it
/// equals a clean build's.
#[cfg(unix)]
#[test]
fn a_settings_change_updates_the_output_in_place_unless_atomic() {
    use std::os::unix::fs::MetadataExt;
    let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();
    for atomic in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        for k in 1..=7 {
            std::fs::write(
                dir.path().join(format!("content/a{k}.md")),
                format!("---\ntitle: A{k}\ndate: 2022-01-0{k}\n---\nText {k}\n"),
            )
            .unwrap();
        }
        let mut site = site_with(dir.path(), atomic);
        let options = BuildOptions::for_site(&site);
        build(&site, &options, &|| {}).unwrap();
        let out = &options.out;
        std::fs::write(out.join("operator.txt"), "mine").unwrap();
        let (folder, article) = (inode(out), inode(&out.join("2022/01/a1")));
        let before = snapshot(out);
        // A file whose bytes the change leaves as they were, deleted by hand.
        std::fs::remove_file(out.join("robots.txt")).unwrap();
        // Seven articles on one front page where three were: its pages 2 and 3 go.
        let yaml = std::fs::read_to_string(dir.path().join("site.yaml"))
            .unwrap()
            .replace("paginate: 3", "paginate: 7");
        std::fs::write(dir.path().join("site.yaml"), &yaml).unwrap();
        site.config = SiteConfig::parse(&yaml, Path::new("site.yaml")).unwrap();
        assert_eq!(build(&site, &options, &|| {}).unwrap().mode, Mode::Full);
        assert_eq!(inode(out) == folder, !atomic, "atomic {atomic}: the same output folder");
        assert_eq!(
            inode(&out.join("2022/01/a1")) == article,
            !atomic,
            "atomic {atomic}: the same article folder"
        );
        let mut after = snapshot(out);
        assert_eq!(after.remove("operator.txt").as_deref(), Some(&b"mine"[..]));
        assert!(before.keys().any(|k| !after.contains_key(k)), "a front page deleted");
        assert_eq!(
            after.get("robots.txt"),
            before.get("robots.txt"),
            "atomic {atomic}: a file deleted by hand is written again"
        );
        assert_eq!(after, clean_snapshot(&site, &options), "atomic {atomic}");
    }
}

/// A date without an offset is read in the site's time zone: after a new
/// `timezone`, the build reads every file again instead of keeping the
/// readings of the last build (whose dates carry the old zone's offset),
/// and its output equals a clean build's.
#[test]
fn a_new_time_zone_reads_every_date_again() {
    let (dir, mut site, options) = one_article_site();
    std::fs::write(
        dir.path().join("content/a.md"),
        "---\ntitle: A\ndate: 2022-05-25 00:30\n---\nText\n",
    )
    .unwrap();
    build(&site, &options, &|| {}).unwrap();
    let yaml = std::fs::read_to_string(dir.path().join("site.yaml")).unwrap();
    let yaml = yaml.replace("timezone: Europe/Berlin", "timezone: America/New_York");
    std::fs::write(dir.path().join("site.yaml"), &yaml).unwrap();
    site.config = SiteConfig::parse(&yaml, Path::new("site.yaml")).unwrap();
    build(&site, &options, &|| {}).unwrap();
    let page = String::from_utf8(snapshot(&options.out)["2022/05/a/index.html"].clone()).unwrap();
    assert!(page.contains("2022-05-25T00:30:00-04:00"), "{page}");
    let clean_out = dir.path().join("clean");
    build(
        &site,
        &BuildOptions {
            out: clean_out.clone(),
            ..options.clone()
        },
        &|| {},
    )
    .unwrap();
    assert_eq!(snapshot(&options.out), snapshot(&clean_out));
}

/// A manifest head that is empty or cut short (a full disk, another
/// program) is no manifest: the next build is a full one and writes every
/// file a clean build makes, byte for byte, with no error. (Without its
/// record it cannot tell which older files it made, so it keeps them.) The
/// head is mapped, not read, and an empty file cannot be mapped at all.
#[test]
fn an_empty_or_cut_manifest_head_gives_a_full_build() {
    let (dir, site, options) = one_article_site();
    assert_eq!(build(&site, &options, &|| {}).unwrap().mode, Mode::Full);
    let head = dir.path().join(".public.blatt-manifest");
    let whole = std::fs::read(&head).unwrap();
    for cut in [0, whole.len() / 2, whole.len() - 1] {
        std::fs::write(&head, &whole[..cut]).unwrap();
        std::fs::write(
            dir.path().join("content/a.md"),
            format!("---\ntitle: A\ndate: 2022-01-01\n---\nText {cut}\n"),
        )
        .unwrap();
        assert_eq!(
            build(&site, &options, &|| {}).unwrap().mode,
            Mode::Full,
            "head cut at {cut}"
        );
        let built = snapshot(&options.out);
        for (path, bytes) in clean_snapshot(&site, &options) {
            assert_eq!(built.get(&path), Some(&bytes), "head cut at {cut}: {path}");
        }
    }
}

#[test]
fn the_marker_changes_only_with_the_site() {
    let (dir, site, options) = one_article_site();
    let marker = options.out.join(blatt::output::build_dir::MARKER);
    let state = || {
        (
            std::fs::read(&marker).unwrap(),
            std::fs::metadata(&marker).unwrap().modified().unwrap(),
        )
    };
    assert_eq!(build(&site, &options, &|| {}).unwrap().mode, Mode::Full);
    let first = state();
    // A full build of the same site (its record gone) leaves the marker as
    // it was, bytes and time: an upload has no reason to send it.
    for suffix in ["", ".tail", ".search"] {
        let _ = std::fs::remove_file(dir.path().join(format!(".public.blatt-manifest{suffix}")));
    }
    assert_eq!(build(&site, &options, &|| {}).unwrap().mode, Mode::Full);
    assert_eq!(state(), first);
    // A new title: the marker names another generation, so that the record
    // of the old site cannot pass for the new one's.
    std::fs::write(
        dir.path().join("content/a.md"),
        "---\ntitle: B\ndate: 2022-01-01\n---\nText\n",
    )
    .unwrap();
    assert_eq!(build(&site, &options, &|| {}).unwrap().mode, Mode::Edits);
    let second = state();
    assert_ne!(second.0, first.0);
    // Back to the first title, by a body edit and then the title: the first
    // generation again, as a clean build of that content has it.
    std::fs::write(
        dir.path().join("content/a.md"),
        "---\ntitle: B\ndate: 2022-01-01\n---\nNeuer Text\n",
    )
    .unwrap();
    assert_eq!(build(&site, &options, &|| {}).unwrap().mode, Mode::Edits);
    std::fs::write(
        dir.path().join("content/a.md"),
        "---\ntitle: A\ndate: 2022-01-01\n---\nText\n",
    )
    .unwrap();
    build(&site, &options, &|| {}).unwrap();
    assert_eq!(state().0, first.0);
}

/// Whether an edit takes the edit path decides whether it costs
/// milliseconds or a rebuild; with `BLATT_TIMINGS` a build says why it
/// left that path, so that a slow edit can be explained from outside.
#[test]
fn a_build_says_why_an_edit_leaves_the_edit_path() {
    let article = |title: &str, body: &str| format!("---\ntitle: {title}\ndate: 2022-01-10\n---\n\n{body}\n");
    let dir = crate::common::site_with(&[("a.md", &article("Eins", "Text.")), ("b.md", &article("Zwei", "Text."))]);
    let root = dir.path();
    crate::common::blatt(root).arg("build").assert().success();
    let timed = |expect_note: Option<&str>| {
        let out = crate::common::blatt(root)
            .arg("build")
            .env("BLATT_TIMINGS", "1")
            .assert()
            .success()
            .get_output()
            .stderr
            .clone();
        let stderr = String::from_utf8(out).unwrap();
        match expect_note {
            Some(why) => assert!(stderr.contains(&format!("not the edit path: {why}")), "{stderr}"),
            None => assert!(!stderr.contains("not the edit path"), "{stderr}"),
        }
    };
    std::fs::write(root.join("content/a.md"), article("Eins", "Text. Nachtrag.")).unwrap();
    timed(None);
    std::fs::write(root.join("content/a.md"), article("Eins, neu", "Text. Nachtrag.")).unwrap();
    timed(None);
    let redated = article("Eins, neu", "Text. Nachtrag.").replace("2022-01-10", "2022-01-11");
    std::fs::write(root.join("content/a.md"), redated).unwrap();
    // It is the newest of its month (and of the site): still the edit path.
    timed(None);
    std::fs::write(root.join("content/c.md"), article("Drei", "Text.")).unwrap();
    // Its date is a and b's: on a tie the order goes by address.
    timed(Some("the new article is the oldest"));
    // The newest article takes the edit path (`pipeline::edits::added`),
    // one that opens a month too; its removal does too
    // (`pipeline::edits::removed`), but not when its month goes with it.
    let dated = |title: &str, date: &str| article(title, "Text.").replace("2022-01-10", date);
    std::fs::write(root.join("content/d.md"), dated("Vier", "2022-01-20")).unwrap();
    timed(None);
    std::fs::write(root.join("content/e.md"), dated("Fünf", "2022-02-01")).unwrap();
    timed(None);
    std::fs::remove_file(root.join("content/e.md")).unwrap();
    timed(Some("the removed article was alone in its month"));
    // A tag no other article has, too few articles for a page
    // (`min_articles.tags`, 2): the head counts it.
    let tagged = article("Drei", "Text.").replace("title: Drei", "title: Drei\ntags: [Bahn]");
    std::fs::write(root.join("content/c.md"), &tagged).unwrap();
    timed(None);
    // A second gives it its page, which other pages link to.
    std::fs::write(
        root.join("content/b.md"),
        article("Zwei", "Text.").replace("title: Zwei", "title: Zwei\ntags: [Bahn]"),
    )
    .unwrap();
    timed(Some("a term would get its page"));
    // With its page, one more article is one more in its list (these
    // articles have no topic: their related articles, which follow their
    // tags, are chosen again from the stored lists).
    let a = std::fs::read_to_string(root.join("content/a.md")).unwrap();
    std::fs::write(root.join("content/a.md"), a.replacen("---\n", "---\ntags: [Bahn]\n", 1)).unwrap();
    timed(None);
    // A date edit that moves an article within its month, not to its
    // front, takes the edit path (`pipeline::edits::redated`), as one into
    // another month with articles does; one into a month without any
    // does not.
    std::fs::write(
        root.join("content/c.md"),
        tagged.replace("2022-01-10", "2022-01-10T12:00:00+01:00"),
    )
    .unwrap();
    timed(None);
    std::fs::write(root.join("content/c.md"), tagged.replace("2022-01-10", "2022-02-10")).unwrap();
    timed(Some("the new date opens a month"));
}

/// A title, kicker or summary edit moves no article: the edit path renders
/// from the manifest what shows it — its page, its neighbours', the home,
/// month and topic pages holding it, the search results — and nothing else,
/// and the output is the clean build's.
#[test]
fn a_title_edit_renders_only_what_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    for n in 0..40 {
        let text = format!(
            "---\ntitle: Artikel {n}\ndate: 2022-{:02}-{:02}T10:00:00+01:00\ntopics: [{}]\nsummary: Kurz {n}\n---\n\nText {n}.\n",
            1 + n / 20,
            n % 20 + 1,
            ["Politik", "Sport"][n % 2]
        );
        std::fs::write(content.join(format!("a{n:02}.md")), text).unwrap();
    }
    let site = site(dir.path());
    let options = BuildOptions::for_site(&site);
    let full = build(&site, &options, &|| {}).unwrap();
    let a17 = content.join("a17.md");
    let text = std::fs::read_to_string(&a17).unwrap();
    std::fs::write(&a17, text.replace("title: Artikel 17", "title: Ganz neuer Titel")).unwrap();
    let report = build(&site, &options, &|| {}).unwrap();
    assert_eq!(report.mode, Mode::Edits);
    assert!(
        report.rendered * 5 < full.rendered,
        "{} of {} outputs rendered again",
        report.rendered,
        full.rendered
    );
    let shows = |page: &str| {
        std::fs::read_to_string(options.out.join(page))
            .unwrap()
            .contains("Ganz neuer Titel")
    };
    // Newest first: a18 and a16 are its neighbours; January's front page
    // shows the newest three of the month, a19 a18 a17.
    for page in [
        "2022/01/a17/index.html",
        "2022/01/a18/index.html",
        "2022/01/a16/index.html",
        "2022/01/index.html",
    ] {
        assert!(shows(page), "{page}");
    }
    assert!(!shows("2022/01/a10/index.html"));
    let files = snapshot(&options.out);
    let sport_pages = files
        .iter()
        .filter(|(k, _)| k.starts_with("themen/sport/") && k.ends_with(".html"))
        .filter(|(_, v)| String::from_utf8_lossy(v).contains("Ganz neuer Titel"))
        .count();
    assert!(sport_pages >= 1, "a page of its topic lists it");
    assert_eq!(files, clean_snapshot(&site, &options));
}

/// Tags of the tests of the edit path below: `Kita` starts on no article.
const FEW_TAGS: [&str; 4] = ["Bahn", "Schule", "Wind", "Kita"];

/// A folder for a site, with its `content/`.
fn content_folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    (dir, content)
}

/// Some of `names`, each with even odds, as the items of a flow list.
fn some_of(rng: &mut ChaCha8Rng, names: &[&str]) -> String {
    let chosen: Vec<&str> = names.iter().copied().filter(|_| rng.random_bool(0.5)).collect();
    chosen.join(", ")
}

/// The site in `root` ([`site_with`]), its `site.yaml` changed by `edit`
/// and asking three articles of a tag for its page, built once.
fn site_needing_three_per_tag(root: &Path, atomic: bool, edit: impl Fn(String) -> String) -> (Site, BuildOptions) {
    let site = site_with(root, atomic);
    let yaml = edit(std::fs::read_to_string(root.join("site.yaml")).unwrap()) + "min_articles:\n  tags: 3\n";
    std::fs::write(root.join("site.yaml"), &yaml).unwrap();
    let site = Site {
        config: SiteConfig::parse(&yaml, Path::new("site.yaml")).unwrap(),
        ..site
    };
    let options = BuildOptions::for_site(&site);
    build(&site, &options, &|| {}).unwrap();
    (site, options)
}

/// Builds `site` again and asserts that the output is a clean build's;
/// whether the build took the edit path.
fn builds_as_clean(site: &Site, options: &BuildOptions, what: &str) -> bool {
    let report = build(site, options, &|| {}).unwrap();
    let (got, clean) = (snapshot(&options.out), clean_snapshot(site, options));
    let differing: std::collections::BTreeSet<&String> = got
        .keys()
        .chain(clean.keys())
        .filter(|k| got.get(*k) != clean.get(*k))
        .collect();
    assert!(differing.is_empty(), "{what} ({:?}): {differing:?} differ", report.mode);
    report.mode == Mode::Edits
}

/// An edit of an article's tags or authors moves it within those terms'
/// lists only: the edit path renders the term pages whose runs shifted,
/// the terms' feeds, the taxonomy's counts and the sitemap's days, and the
/// output is the clean build's, step after step (each build's stored lists
/// and counts are the next one's start). `Kita` starts on no article and,
/// with three articles needed for a tag's page, is counted without one
/// until it gets it. A fifth of the articles have no topic: their related
/// articles follow their tags.
#[test]
fn tag_and_author_edits_take_the_edit_path_and_equal_clean_builds() {
    let (edits, steps) = term_edit_sequences(&[("tags", &FEW_TAGS), ("authors", &AUTHORS_OF_40)], |yaml| yaml);
    // Most such edits keep every term's page and page count.
    assert!(edits * 2 > steps, "{edits} of {steps} builds took the edit path");
}

/// A topic edit moves the article within the topics' lists the same way,
/// and also changes what listings show of it (its topics), the related
/// articles of those near it in those lists (chosen from their first
/// topics) and perhaps the topics the navigation names (then the ordinary
/// rebuild). `Kultur` starts on no article.
#[test]
fn topic_edits_take_the_edit_path_and_equal_clean_builds() {
    let (edits, steps) = term_edit_sequences(&[("topics", &["Politik", "Sport", "Kultur"])], |yaml| {
        yaml.replace("archive_paginate: 4", "archive_paginate: 30")
    });
    // With three topics the navigation names all, by their counts, so
    // many an edit reorders it (25 of 48 took the edit path in a run).
    assert!(edits * 3 > steps, "{edits} of {steps} builds took the edit path");
}

const AUTHORS_OF_40: [&str; 2] = ["Anna Muster", "Jan Probe"];

/// Sequences of edits of 40 articles' terms, each of one or two articles'
/// list `key` of `lists` set to some of its names, each build compared with
/// a clean one; how many builds took the edit path, of how many.
fn term_edit_sequences(lists: &[(&str, &[&str])], yaml: impl Fn(String) -> String + Copy) -> (usize, usize) {
    let mut edits = 0;
    let mut steps = 0;
    for seed in 0..seeds().min(6) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (dir, content) = content_folder();
        for n in 0..40 {
            let text = format!(
                "---\ntitle: Artikel {n}\ndate: 2022-{:02}-{:02}T10:00:00+01:00\ntopics: [{}]\ntags: [{}]\nauthors: [{}]\n---\n\nText {n}.\n",
                1 + n / 20,
                n % 20 + 1,
                ["Politik", "Sport", "", "Politik", "Sport"][n % 5],
                some_of(&mut rng, &FEW_TAGS[..3]),
                some_of(&mut rng, &AUTHORS_OF_40),
            );
            std::fs::write(content.join(format!("a{n:02}.md")), text).unwrap();
        }
        let (site, options) = site_needing_three_per_tag(dir.path(), seed % 2 == 1, yaml);
        for step in 0..8 {
            let mut history = Vec::new();
            for _ in 0..rng.random_range(1..=2) {
                let file = content.join(format!("a{:02}.md", rng.random_range(0..40)));
                let text = std::fs::read_to_string(&file).unwrap();
                let (key, names) = lists[rng.random_range(0..lists.len())];
                let chosen = some_of(&mut rng, names);
                set_list(&file, &text, key, &chosen);
                history.push(format!("{key} {} → [{chosen}]", file.display()));
            }
            steps += 1;
            edits += usize::from(builds_as_clean(
                &site,
                &options,
                &format!("seed {seed}, step {step} after {history:?}"),
            ));
        }
    }
    (edits, steps)
}

/// A new article that is the newest of the site takes the front of every
/// list it joins, topics included: the edit path renders what shows the
/// front of those lists (`pipeline::edits::added`), and the output is the
/// clean build's, article after article. One that gives a term its page
/// takes the ordinary rebuild. Fresh articles (every other seed) are in
/// the News sitemap.
#[test]
fn new_newest_articles_take_the_edit_path_and_equal_clean_builds() {
    let (edits, steps) = new_article_sequences(0, |_, fresh, step| match fresh {
        true => stamp(chrono::Utc::now() - chrono::Duration::hours(20) + chrono::Duration::minutes(step as i64)),
        false => format!("2022-03-{:02}T10:00:00+01:00", step + 1),
    });
    // Most articles keep every listing's page count and the navigation
    // (26 of 48 took the edit path in a run while the first of a month
    // did not).
    assert!(edits * 3 > steps, "{edits} of {steps} builds took the edit path");
}

/// A new article dated among the others — a late report, a story filed
/// for an earlier day — takes its place in the order and in every list
/// it joins: the edit path renders the pages whose run from the listing's
/// front to its place moved one place on (pages count from the oldest),
/// its neighbours', those now naming it as related, the feeds it reaches
/// and the sitemap with its line among the articles'
/// (`pipeline::edits::added`); the output is the clean build's, article
/// after article. Every other seed dates them among fresh articles, in
/// the News sitemap.
#[test]
fn new_articles_among_older_ones_take_the_edit_path_and_equal_clean_builds() {
    let (edits, steps) = new_article_sequences(6, |rng, fresh, _| {
        // Between two articles, never on another's minute.
        let minute = rng.random_range(1..59);
        match fresh {
            true => stamp(chrono::Utc::now() - chrono::Duration::minutes(rng.random_range(6..29) * 60 + minute)),
            false => format!(
                "2022-{:02}-{:02}T{:02}:{minute:02}:00+01:00",
                rng.random_range(1..=2),
                rng.random_range(1..=20),
                rng.random_range(11..23),
            ),
        }
    });
    // Those that keep every listing's page count: 44 of 48 (23 to 25 in
    // runs at different hours while an article whose search id the new
    // one pushed on took the ordinary rebuild: the fresh ones' dates
    // follow the clock, and with them the slots they meet; none before
    // the edit path took them).
    assert!(edits * 4 > steps * 3, "{edits} of {steps} builds took the edit path");
}

/// A time in the zone of the tests' articles, as front matter gives it.
fn stamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&chrono::FixedOffset::east_opt(3600).unwrap())
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// Sequences of 8 new articles added one by one to 40 (January and
/// February 2022; on every other seed the last `fresh` of them instead
/// five hours apart up to now, in the News sitemap), each dated by `date`
/// (given whether the seed is a fresh one, and the step), each build
/// compared with a clean one; how many builds took the edit path, of how
/// many.
fn new_article_sequences(fresh: usize, date: impl Fn(&mut ChaCha8Rng, bool, usize) -> String) -> (usize, usize) {
    let mut edits = 0;
    let mut steps = 0;
    for seed in 0..seeds().min(6) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (dir, content) = content_folder();
        let topic = |n: usize| ["Politik", "Sport", "", "Politik", "Sport"][n % 5];
        let article = |n: usize, date: &str, tags: &str, author: &str| {
            format!(
                "---\ntitle: Artikel {n}\ndate: {date}\nsummary: Kurz {n}\ntopics: [{}]\ntags: [{tags}]\nauthors: [{author}]\n---\n\nText {n} über Wörter{n}.\n",
                topic(n)
            )
        };
        let is_fresh = seed % 2 == 0;
        for n in 0..40 {
            let date = match is_fresh && n >= 40 - fresh {
                true => stamp(chrono::Utc::now() - chrono::Duration::hours(5 * (40 - n as i64))),
                false => format!("2022-{:02}-{:02}T10:00:00+01:00", 1 + n / 20, n % 20 + 1),
            };
            let tags = some_of(&mut rng, &FEW_TAGS[..3]);
            std::fs::write(
                content.join(format!("a{n:02}.md")),
                article(n, &date, &tags, "Anna Muster"),
            )
            .unwrap();
        }
        let (site, options) = site_needing_three_per_tag(dir.path(), seed % 3 == 1, |yaml| {
            yaml.replace("archive_paginate: 4", "archive_paginate: 30")
        });
        for step in 0..8 {
            let n = 40 + step;
            let date = date(&mut rng, is_fresh, step);
            let tags = some_of(&mut rng, &FEW_TAGS);
            let author = ["Anna Muster", "Jan Probe"][rng.random_range(0..2)];
            std::fs::write(content.join(format!("n{n:02}.md")), article(n, &date, &tags, author)).unwrap();
            steps += 1;
            let what = format!("seed {seed}, step {step}: article {n} of {date} tagged [{tags}] by {author}");
            edits += usize::from(builds_as_clean(&site, &options, &what));
        }
    }
    (edits, steps)
}

/// The newest article taken out (the ordinary rebuild) and put back, as
/// an editor undoes a removal: the manifest knows its file as one of its
/// tail's, deleted since, and takes it back at its old place, so the edit
/// path takes it as it takes any new newest article; every output is the
/// clean build's. Fresh articles (every other seed) are in the News
/// sitemap.
#[test]
fn a_removed_newest_article_put_back_takes_the_edit_path() {
    let (mut restored, mut steps) = (0, 0);
    for seed in 0..seeds().min(4) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (dir, content) = content_folder();
        let article = |n: usize, date: &str, tags: &str| {
            format!(
                "---\ntitle: Artikel {n}\ndate: {date}\ntopics: [{}]\ntags: [{tags}]\nauthors: [Anna Muster]\n---\n\nText {n} über Wörter{n}.\n",
                ["Politik", "Sport", ""][n % 3]
            )
        };
        for n in 0..40 {
            let date = format!("2022-{:02}-{:02}T10:00:00+01:00", 1 + n / 20, n % 20 + 1);
            let tags = some_of(&mut rng, &FEW_TAGS[..3]);
            std::fs::write(content.join(format!("a{n:02}.md")), article(n, &date, &tags)).unwrap();
        }
        // The newest is in the first build, so in the manifest's tail.
        let date = match seed % 2 {
            0 => (chrono::Utc::now() - chrono::Duration::hours(20))
                .with_timezone(&chrono::FixedOffset::east_opt(3600).unwrap())
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            _ => "2022-02-25T10:00:00+01:00".to_string(),
        };
        let file = content.join("a40.md");
        let text = article(40, &date, &some_of(&mut rng, &FEW_TAGS[..3]));
        std::fs::write(&file, &text).unwrap();
        let (site, options) = site_needing_three_per_tag(dir.path(), seed % 2 == 1, |yaml| {
            yaml.replace("archive_paginate: 4", "archive_paginate: 30")
        });
        for step in 0..3 {
            let what = format!("seed {seed}, step {step}: the newest article");
            std::fs::remove_file(&file).unwrap();
            builds_as_clean(&site, &options, &format!("{what} removed"));
            std::fs::write(&file, &text).unwrap();
            steps += 1;
            restored += usize::from(builds_as_clean(&site, &options, &format!("{what} put back")));
        }
    }
    assert_eq!(restored, steps, "{restored} of {steps} put back on the edit path");
}

/// The newest article taken out, again and again: the edit path renders
/// what showed the front of the lists it was in and deletes its page
/// (`pipeline::edits::removed`), and the output is the clean build's,
/// article after article. One alone in its month, or whose going takes a
/// page from a listing or a term, takes the ordinary rebuild. Fresh
/// articles (every other seed) are in the News sitemap; `Kita` is a tag of
/// few articles, whose page goes with its last but two.
#[test]
fn removing_the_newest_article_takes_the_edit_path_and_equals_clean_builds() {
    let (edits, steps) = removal_sequences(|_, left| *left.last().unwrap());
    // Most removals keep every listing's page count (36 of 42 took the
    // edit path; 240 of 280 with 40 seeds).
    assert!(edits * 2 > steps, "{edits} of {steps} builds took the edit path");
}

/// Any article taken out, again and again — a duplicate, a story that
/// should not have been imported: the edit path renders what showed the
/// run of its lists from the front to its place, its neighbours' pages,
/// and deletes its page; the output is the clean build's, article after
/// article, the ids of the articles after it whose search ids followed
/// from its own let back.
#[test]
fn removing_any_article_takes_the_edit_path_and_equals_clean_builds() {
    let (edits, steps) = removal_sequences(|rng, left| left[rng.random_range(0..left.len())]);
    assert!(edits * 2 > steps, "{edits} of {steps} builds took the edit path");
}

/// Sequences of 7 of 48 articles (January to March 2022; on every other
/// seed the last 8 fresh instead, in the News sitemap) taken out one by
/// one, each the one `pick` chooses of those left (ascending by date),
/// each build compared with a clean one; how many builds took the edit
/// path, of how many.
fn removal_sequences(pick: impl Fn(&mut ChaCha8Rng, &[usize]) -> usize) -> (usize, usize) {
    let mut edits = 0;
    let mut steps = 0;
    for seed in 0..seeds().min(6) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (dir, content) = content_folder();
        let article = |n: usize, date: &str, tags: &str, author: &str| {
            format!(
                "---\ntitle: Artikel {n}\ndate: {date}\nsummary: Kurz {n}\ntopics: [{}]\ntags: [{tags}]\nauthors: [{author}]\n---\n\nText {n} über Wörter{n}.\n",
                ["Politik", "Sport", "", "Politik", "Sport"][n % 5]
            )
        };
        let fresh = seed % 2 == 0;
        for n in 0..48 {
            let date = match (n, fresh) {
                (0..40, _) => format!("2022-{:02}-{:02}T10:00:00+01:00", 1 + n / 20, n % 20 + 1),
                (_, true) => {
                    stamp(chrono::Utc::now() - chrono::Duration::hours(30) + chrono::Duration::minutes(n as i64))
                }
                (_, false) => format!("2022-03-{:02}T10:00:00+01:00", n - 39),
            };
            let tags = some_of(&mut rng, &FEW_TAGS);
            let author = ["Anna Muster", "Jan Probe"][rng.random_range(0..2)];
            std::fs::write(content.join(format!("a{n:02}.md")), article(n, &date, &tags, author)).unwrap();
        }
        let (site, options) = site_needing_three_per_tag(dir.path(), seed % 3 == 1, |yaml| {
            yaml.replace("archive_paginate: 4", "archive_paginate: 30")
        });
        let mut left: Vec<usize> = (0..48).collect();
        for _ in 0..7 {
            let n = pick(&mut rng, &left);
            left.retain(|&m| m != n);
            std::fs::remove_file(content.join(format!("a{n:02}.md"))).unwrap();
            steps += 1;
            edits += usize::from(builds_as_clean(
                &site,
                &options,
                &format!("seed {seed}: article {n} removed"),
            ));
        }
    }
    (edits, steps)
}

/// A page that links to the newest article keeps its removal off the
/// edit path (the kept page is not rendered again to find the link): the
/// build fails on the broken link as a clean one does. Without the link
/// the same removal takes the edit path.
#[test]
fn the_newest_article_linked_to_is_not_taken_out_on_the_edit_path() {
    for linked in [true, false] {
        let (dir, content) = content_folder();
        // January 1-20 and February 1-21: no listing loses a page.
        for n in 0..41 {
            let link = if linked && n == 0 {
                " Siehe [neu](/2022/02/a40/#abschnitt)."
            } else {
                ""
            };
            let (month, day) = if n < 20 { (1, n + 1) } else { (2, n - 19) };
            let text = format!(
                "---\ntitle: Artikel {n}\ndate: 2022-{month:02}-{day:02}T10:00:00+01:00\n---\n\nText {n}.{link}\n\n## Abschnitt\n"
            );
            std::fs::write(content.join(format!("a{n:02}.md")), text).unwrap();
        }
        let (site, options) = site_needing_three_per_tag(dir.path(), false, |yaml| yaml);
        std::fs::remove_file(content.join("a40.md")).unwrap();
        let built = build(&site, &options, &|| {}).map_err(|e| e.to_string());
        match linked {
            true => {
                let error = built.unwrap_err();
                assert!(error.contains("broken link `/2022/02/a40/#abschnitt`"), "{error}");
            }
            false => assert_eq!(built.unwrap().mode, Mode::Edits),
        }
    }
}

/// A new article that opens a month, a year, or the News sitemap adds
/// those pages: the edit path renders the new month's page, every page of
/// the month before it (which now names a newer month), the year's page
/// and the overview, robots.txt naming the News sitemap, and lists the new
/// pages in the sitemap after their year's page or the overview; the
/// output is the clean build's, article after article, with both ways of
/// updating the output.
#[test]
fn new_articles_opening_a_month_or_a_year_take_the_edit_path_and_equal_clean_builds() {
    for atomic in [false, true] {
        let (dir, content) = content_folder();
        let article = |n: usize, date: &str| {
            format!(
                "---\ntitle: Artikel {n}\ndate: {date}\nsummary: Kurz {n}\ntopics: [{}]\ntags: [Bahn, Schule]\nauthors: [Anna Muster]\n---\n\nText {n} über Wörter{n}.\n",
                ["Politik", "Sport"][n % 2]
            )
        };
        // January and February 2022, past the front pages of every list.
        for n in 0..40 {
            let date = format!("2022-{:02}-{:02}T10:00:00+01:00", 1 + n / 20, n % 20 + 1);
            std::fs::write(content.join(format!("a{n:02}.md")), article(n, &date)).unwrap();
        }
        let (site, options) = site_needing_three_per_tag(dir.path(), atomic, |yaml| {
            yaml.replace("archive_paginate: 4", "archive_paginate: 30")
        });
        let fresh = |hours: i64| {
            (chrono::Utc::now() - chrono::Duration::hours(hours))
                .with_timezone(&chrono::FixedOffset::east_opt(3600).unwrap())
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
        };
        let steps = [
            ("2022-02-25T10:00:00+01:00".to_string(), "the newest of February"),
            ("2022-03-02T10:00:00+01:00".into(), "opens March"),
            ("2022-03-05T10:00:00+01:00".into(), "the second of March"),
            (
                "2022-05-01T10:00:00+02:00".into(),
                "opens May, April left without articles",
            ),
            ("2023-01-05T10:00:00+01:00".into(), "opens a year"),
            ("2023-01-06T10:00:00+01:00".into(), "the second of 2023"),
            (fresh(20), "opens a year and starts the News sitemap"),
            (fresh(19), "joins the News sitemap"),
        ];
        for (k, (date, what)) in steps.iter().enumerate() {
            let n = 40 + k;
            std::fs::write(content.join(format!("n{n:02}.md")), article(n, date)).unwrap();
            let what = format!("atomic {atomic}, article {n} dated {date}: {what}");
            assert!(builds_as_clean(&site, &options, &what), "{what}: not the edit path");
        }
        let out = &options.out;
        let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
        assert!(robots.contains("sitemap-news.xml"), "{robots}");
        let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
        let (year, may) = (
            sitemap.find("/2023/</loc>").unwrap(),
            sitemap.find("/2022/05/</loc>").unwrap(),
        );
        assert!(year < may && !sitemap.contains("/2022/04/"), "{sitemap}");
    }
}

/// A new newest article that gives the home, its month and its terms an
/// archive page each (every fourth article with archive pages of four):
/// the edit path renders the new pages and those whose navigation now
/// names them, and lists them in the sitemap after their listing's front
/// page; the output is the clean build's, article after article.
#[test]
fn new_articles_adding_listing_pages_take_the_edit_path_and_equal_clean_builds() {
    for atomic in [false, true] {
        let (dir, content) = content_folder();
        let article = |n: usize, day: usize| {
            format!(
                "---\ntitle: Artikel {n}\ndate: 2022-01-{day:02}T{:02}:00:00+01:00\ntopics: [Politik]\ntags: [Bahn, Schule]\nauthors: [Anna Muster]\n---\n\nText {n}.\n",
                n % 20
            )
        };
        for n in 0..40 {
            std::fs::write(content.join(format!("a{n:02}.md")), article(n, 1 + n / 20)).unwrap();
        }
        let (site, options) = site_needing_three_per_tag(dir.path(), atomic, |yaml| yaml);
        let home_pages = || {
            let dir = options.out.join("page");
            std::fs::read_dir(dir).map_or(0, |d| d.count())
        };
        let had = home_pages();
        for n in 40..48 {
            std::fs::write(content.join(format!("n{n:02}.md")), article(n, 3)).unwrap();
            let what = format!("atomic {atomic}, article {n}");
            assert!(builds_as_clean(&site, &options, &what), "{what}: not the edit path");
        }
        // Archive pages of four beside a front page of three: 40 articles
        // fill ten, 48 twelve.
        assert_eq!((had, home_pages()), (10, 12));
        let sitemap = std::fs::read_to_string(options.out.join("sitemap.xml")).unwrap();
        let (front, newest) = (
            sitemap.find("https://example.org/</loc>").unwrap(),
            sitemap.find("https://example.org/page/12/</loc>").unwrap(),
        );
        assert!(front < newest && newest < sitemap.find("https://example.org/page/11/</loc>").unwrap());
    }
}

/// Every 64th article moves the search index's recent block into its
/// chunks, and the recent files go: a new newest article that does so
/// takes the edit path too, which deletes those files (the manifest
/// forgets them), and the output is the clean build's at every step.
#[test]
fn a_new_article_that_moves_the_search_block_deletes_its_files() {
    for atomic in [false, true] {
        let (dir, content) = content_folder();
        // Twenty a month: the busiest month stays below a count that
        // changes the search ids' slots per day (every id would change).
        let article = |n: usize| {
            format!(
                "---\ntitle: Artikel {n}\ndate: 2022-{:02}-{:02}T10:00:00+01:00\ntopics: [Politik]\n---\n\nText {n} über Wort{n}.\n",
                1 + n / 20,
                1 + n % 20
            )
        };
        for n in 0..62 {
            std::fs::write(content.join(format!("a{n:02}.md")), article(n)).unwrap();
        }
        let (site, options) = site_needing_three_per_tag(dir.path(), atomic, |yaml| yaml);
        let recent = || std::fs::read_dir(options.out.join("search/recent")).map_or(0, |d| d.count());
        let had = recent();
        for n in 62..66 {
            std::fs::write(content.join(format!("a{n:02}.md")), article(n)).unwrap();
            let what = format!("atomic {atomic}, article {n}");
            assert!(builds_as_clean(&site, &options, &what), "{what}: not the edit path");
            if n == 63 {
                assert!(
                    had > 0 && recent() == 0,
                    "{what}: {had} recent files, then {}",
                    recent()
                );
            }
        }
    }
}

/// A topic or author no article had gets its page, its feed and its line
/// in the list of its taxonomy on the edit path (`pipeline::edits::terms`,
/// `new_terms`): named in an edited article, in two at once, in a new
/// article; first by slug (listed in the sitemap after the list of topics)
/// and after a term with archive pages (after its oldest). Taken away
/// again, the term goes: its page and feed are deleted, its sitemap line
/// and its line in the list too. The output is the clean build's at every
/// step. Each edited article keeps its topic,
/// so the navigation names the same five topics in the same order.
#[test]
fn new_topics_and_authors_take_the_edit_path_and_equal_clean_builds() {
    const TOPICS: [&str; 6] = ["Politik", "Sport", "Kultur", "Wissen", "Reise", "Politik"];
    for atomic in [false, true] {
        let (dir, content) = content_folder();
        let article = |n: usize, topics: &str, authors: &str| {
            format!(
                "---\ntitle: Artikel {n}\ndate: 2022-01-{:02}T10:00:00+01:00\ntopics: [{topics}]\nauthors: [{authors}]\n---\n\nText {n}.\n",
                1 + n % 28
            )
        };
        for n in 0..36 {
            let text = article(n, TOPICS[n % 6], "Anna Muster");
            std::fs::write(content.join(format!("a{n:02}.md")), text).unwrap();
        }
        let (site, options) = site_needing_three_per_tag(dir.path(), atomic, |yaml| yaml);
        let edit = |n: usize, topics: &str, authors: &str| {
            std::fs::write(content.join(format!("a{n:02}.md")), article(n, topics, authors)).unwrap();
        };
        let step = |what: &str| {
            let what = format!("atomic {atomic}: {what}");
            assert!(builds_as_clean(&site, &options, &what), "{what}: not the edit path");
        };
        edit(5, "Politik, Aaa Anfang", "Anna Muster");
        step("a topic first by slug");
        edit(7, "Sport, Politik Extra", "Anna Muster");
        step("a topic after one with archive pages");
        edit(9, "Wissen", "Anna Muster, Mia Mitte");
        step("an author");
        edit(10, "Reise, Zwei Zugleich", "Anna Muster");
        edit(11, "Politik, Zwei Zugleich", "Anna Muster");
        step("a topic of two articles");
        let newest =
            "---\ntitle: Neu\ndate: 2022-02-01T10:00:00+01:00\ntopics: [Zzz Ende]\nauthors: [Bea Neu]\n---\n\nNeu.\n";
        std::fs::write(content.join("n.md"), newest).unwrap();
        step("a new article with a new topic and a new author");
        for page in [
            "themen/aaa-anfang/index.html",
            "themen/zwei-zugleich/index.html",
            "themen/zzz-ende/index.html",
        ] {
            assert!(options.out.join(page).is_file(), "atomic {atomic}: {page}");
        }
        // Taken away again, each term loses its page and feed, which the
        // build deletes; one of two articles leaving keeps it.
        edit(5, "Politik", "Anna Muster");
        step("the topic first by slug goes");
        edit(10, "Reise", "Anna Muster");
        step("one of a topic's two articles leaves");
        assert!(options.out.join("themen/zwei-zugleich/index.html").is_file());
        edit(11, "Politik", "Anna Muster");
        edit(9, "Wissen", "Anna Muster");
        step("a topic and an author go");
        for gone in [
            "themen/aaa-anfang/index.html",
            "themen/aaa-anfang/feed.xml",
            "themen/zwei-zugleich/index.html",
        ] {
            assert!(!options.out.join(gone).exists(), "atomic {atomic}: {gone}");
        }
    }
}

/// A date edit that keeps an article in its month moves it among the
/// month's articles only: the edit path renders what shows the run of the
/// order it passes (`pipeline::edits::redated`), and the output is the
/// clean build's, edit after edit, in both directions, across listing
/// pages and sitemap lines, with the moved articles' search ids and postings,
/// to and from the front of a month too.
#[test]
fn date_edits_within_a_month_take_the_edit_path_and_equal_clean_builds() {
    let date = regex::Regex::new(r"date: [^\n]+").unwrap();
    let mut edits = 0;
    let mut steps = 0;
    for seed in 0..seeds().min(6) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (dir, content) = content_folder();
        for n in 0..60 {
            let text = format!(
                "---\ntitle: Artikel {n}\ndate: 2022-{:02}-{:02}T10:00:00+01:00\nsummary: Kurz {n}\ntopics: [{}]\ntags: [{}]\nauthors: [{}]\n---\n\nText {n} über Wörter{n} und Wörter{}.\n",
                1 + n / 20,
                n % 20 + 1,
                ["Politik", "Sport", "", "Politik", "Sport"][n % 5],
                some_of(&mut rng, &FEW_TAGS[..3]),
                some_of(&mut rng, &AUTHORS_OF_40),
                n % 7,
            );
            std::fs::write(content.join(format!("a{n:02}.md")), text).unwrap();
        }
        let (site, options) = site_needing_three_per_tag(dir.path(), seed % 2 == 1, |yaml| yaml);
        for step in 0..10 {
            let n = rng.random_range(0..60);
            let file = content.join(format!("a{n:02}.md"));
            let text = std::fs::read_to_string(&file).unwrap();
            // Its own month (another would leave a redirect, which a clean
            // build does not know); odd minutes meet no other article; the
            // 20th and later put some at the front of their month.
            let (month, day) = (1 + n / 20, rng.random_range(1..=21));
            let (hour, minute) = (rng.random_range(0..24), 2 * rng.random_range(0..30) + 1);
            let new = format!("date: 2022-{month:02}-{day:02}T{hour:02}:{minute:02}:00+01:00");
            std::fs::write(&file, date.replace(&text, new.as_str()).as_ref()).unwrap();
            steps += 1;
            let what = format!("seed {seed}, step {step}: a{n:02} {new}");
            edits += usize::from(builds_as_clean(&site, &options, &what));
        }
    }
    // Every one: within its month, to or from its front (before, a move
    // to or from the front was the ordinary rebuild's).
    assert_eq!(edits, steps, "{edits} of {steps} builds took the edit path");
}

/// An import dates an article known by its day alone at midnight, as it
/// does the day's others, and on a tie of times the order goes by address:
/// a new article on such a day, and a date edit onto one, take the edit
/// path among the articles of the same time, and the output is the clean
/// build's, step after step (new articles' names fall before, between and
/// after those of the day's others).
#[test]
fn articles_of_the_same_time_take_the_edit_path_and_equal_clean_builds() {
    let date = regex::Regex::new(r"date: [^\n]+").unwrap();
    let (mut edits, mut steps) = (0, 0);
    for seed in 0..seeds().min(6) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (dir, content) = content_folder();
        let article = |n: usize, day: &str, tags: &str| {
            format!(
                "---\ntitle: Artikel {n}\ndate: {day}\nsummary: Kurz {n}\ntopics: [{}]\ntags: [{tags}]\n---\n\nText {n} über Wörter{n}.\n",
                ["Politik", "Sport", ""][n % 3]
            )
        };
        // Four articles a day, 2022-01-01 to 10, by their day alone.
        for n in 0..40 {
            let tags = some_of(&mut rng, &FEW_TAGS[..3]);
            let name = format!("{}{n:02}.md", ["c", "k", "p", "x"][n / 10]);
            std::fs::write(
                content.join(name),
                article(n, &format!("2022-01-{:02}", n % 10 + 1), &tags),
            )
            .unwrap();
        }
        let (site, options) = site_needing_three_per_tag(dir.path(), seed % 2 == 1, |yaml| yaml);
        for step in 0..8 {
            let day = format!("2022-01-{:02}", rng.random_range(2..=9));
            let what = if step % 2 == 0 {
                let name = format!("{}{step}.md", ["a", "e", "m", "t", "z"][rng.random_range(0..5)]);
                let tags = some_of(&mut rng, &FEW_TAGS[..3]);
                std::fs::write(content.join(&name), article(40 + step, &day, &tags)).unwrap();
                format!("seed {seed}, step {step}: new {name} on {day}")
            } else {
                let n = rng.random_range(0..40);
                let file = content.join(format!("{}{n:02}.md", ["c", "k", "p", "x"][n / 10]));
                let text = std::fs::read_to_string(&file).unwrap();
                std::fs::write(&file, date.replace(&text, format!("date: {day}").as_str()).as_ref()).unwrap();
                format!("seed {seed}, step {step}: article {n} to {day}")
            };
            steps += 1;
            edits += usize::from(builds_as_clean(&site, &options, &what));
        }
    }
    // 47 of 48 (the other makes an article the newest of its month); 3
    // when a tie sent every such edit to the ordinary rebuild.
    assert!(edits * 4 > steps * 3, "{edits} of {steps} builds took the edit path");
}

/// The search ids of a built site by article address, from its docs
/// files: each id as the docs file that holds it and its place there.
fn search_ids_by_address(out: &Path) -> BTreeMap<String, (String, u64)> {
    let mut ids = BTreeMap::new();
    for file in std::fs::read_dir(out.join("search/docs")).unwrap() {
        let path = file.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let docs: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for doc in docs {
            ids.insert(
                doc[1].as_str().unwrap().to_string(),
                (name.clone(), doc[0].as_u64().unwrap()),
            );
        }
    }
    ids
}

/// Articles known by their day alone stand at midnight, a day's all at
/// one time. A new one among them, or one taken out, leaves every other
/// article's search id as it was (and with it the postings of every word
/// those articles have): each stands in its day by its address, not at
/// the day's first slot with the rest pushed on one by one behind it, as
/// half of such a day's articles were by a new one before.
#[test]
fn a_new_or_removed_article_among_a_days_undated_ones_moves_no_other_search_id() {
    let (dir, content) = content_folder();
    let titles = [
        "Anschlag vereitelt",
        "Bahnstreik beendet",
        "Coronahilfen ausgezahlt",
        "Deichbau beginnt",
        "Eisregen im Norden",
        "Fahrverbot gekippt",
        "Gaspreis sinkt",
        "Hochwasser am Rhein",
        "Impfzentrum schließt",
        "Kitaplätze fehlen",
        "Landtag tagt",
        "Nahverkehr wird teurer",
        "Ortsumgehung eröffnet",
        "Pflegereform vertagt",
        "Radweg gesperrt",
        "Schulbau verzögert",
        "Tarifstreit beigelegt",
        "Umweltzone erweitert",
        "Verkehrsunfall auf der A7",
        "Windpark genehmigt",
    ];
    let article = |title: &str, day: &str| format!("---\ntitle: {title}\ndate: {day}\n---\n\nText über {title}.\n");
    // Named as their addresses are.
    let write = |title: &str, day: &str| {
        let name = title
            .to_lowercase()
            .replace(' ', "-")
            .replace('ü', "ue")
            .replace('ß', "ss");
        std::fs::write(content.join(format!("{name}.md")), article(title, day)).unwrap();
        content.join(format!("{name}.md"))
    };
    // Twenty articles a day from 2022-03-07 to 13, by their day alone: the
    // busiest month's 140 give 64 slots a day (see `search::ids`).
    for day in 7..=13 {
        for title in titles {
            write(&format!("{title} {day}"), &format!("2022-03-{day:02}"));
        }
    }
    // Two on a later day, three in February: no listing gains or loses a
    // page below (3 a page, a month's 4).
    for n in 1..=2 {
        write(&format!("Nachher {n}"), "2022-03-20");
    }
    for day in 1..=3 {
        write(&format!("Vorher {day}"), &format!("2022-02-{day:02}"));
    }
    let (site, options) = site_needing_three_per_tag(dir.path(), false, |yaml| yaml);
    build(&site, &options, &|| {}).unwrap();
    let before = search_ids_by_address(&options.out);
    // Between the day's others by address: before, the ids of those after
    // it in the site's order (ten of them) moved on.
    let new = write("Mautgebühr steigt 10", "2022-03-10");
    assert!(builds_as_clean(&site, &options, "a new article among the day's"));
    let mut with = search_ids_by_address(&options.out);
    assert!(with.remove("/2022/03/mautgebuehr-steigt-10/").is_some());
    assert_eq!(with, before, "every other article keeps its search id");
    // Taken out again: every id as before it came.
    std::fs::remove_file(new).unwrap();
    assert!(builds_as_clean(&site, &options, "the new article taken out"));
    assert_eq!(search_ids_by_address(&options.out), before);
    // One of the day's taken out: the others keep theirs.
    std::fs::remove_file(content.join("fahrverbot-gekippt-10.md")).unwrap();
    assert!(builds_as_clean(&site, &options, "one of the day's taken out"));
    let mut without = before.clone();
    assert!(without.remove("/2022/03/fahrverbot-gekippt-10/").is_some());
    assert_eq!(search_ids_by_address(&options.out), without);
}

/// The newest article of a month, and of the site, is the one whose time
/// an editor corrects most: a date edit that keeps, takes or gives a
/// month's newest place renders its year's page and the overview again
/// (they show the month's day) and takes the edit path; the output is
/// the clean build's each time.
#[test]
fn date_edits_at_the_front_of_a_month_take_the_edit_path_and_equal_clean_builds() {
    let (dir, content) = content_folder();
    let article = |n: usize, date: &str| {
        format!(
            "---\ntitle: Artikel {n}\ndate: 2022-{date}+01:00\nsummary: Kurz {n}\ntopics: [{}]\n---\n\nText {n} über Wörter{n}.\n",
            ["Politik", "Sport"][n % 2]
        )
    };
    // 20 articles in January, 10 in February.
    for n in 0..30 {
        let date = format!("{:02}-{:02}T10:00:00", 1 + n / 20, n % 20 + 1);
        std::fs::write(content.join(format!("a{n:02}.md")), article(n, &date)).unwrap();
    }
    let (site, options) = site_needing_three_per_tag(dir.path(), false, |yaml| yaml);
    let steps = [
        (19, "01-20T12:00:00", "January's newest, a later time"),
        (19, "01-10T09:30:00", "January's newest no longer"),
        (3, "01-25T08:00:00", "January's newest now"),
        (29, "02-10T11:30:00", "the site's newest, a later time"),
        (29, "02-05T09:30:00", "the site's newest no longer"),
        (21, "02-12T07:00:00", "the site's newest now"),
    ];
    for (n, date, what) in steps {
        std::fs::write(content.join(format!("a{n:02}.md")), article(n, date)).unwrap();
        assert!(builds_as_clean(&site, &options, what), "{what}: not the edit path");
    }
}

/// A date edit into another month moves the article there: the edit path
/// also renders the pages of both months whose runs changed, their years'
/// pages and the overview (the counts), and a redirect at the article's
/// old address (`pipeline::edits::redated`). The output is the clean
/// build's but that redirect, which leads to the article's new page; a
/// month gaining or losing a page, or a change of the search ids' scale
/// takes the ordinary rebuild.
#[test]
fn date_edits_into_another_month_take_the_edit_path_and_leave_a_redirect() {
    let date = regex::Regex::new(r"date: [^\n]+").unwrap();
    let (mut edits, mut steps, mut second_moves) = (0, 0, 0);
    for seed in 0..seeds().min(6) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (dir, content) = content_folder();
        // Months of 16, 16, 16 and 12 articles over two years: a move into
        // a month of 16 makes it the busiest, changing the search ids'
        // scale (then the ordinary rebuild).
        let month_of = |n: usize| [(2021, 11), (2021, 12), (2022, 1), (2022, 2)][(n / 16).min(3)];
        for n in 0..60 {
            let (year, month) = month_of(n);
            let text = format!(
                "---\ntitle: Artikel {n}\ndate: {year}-{month:02}-{:02}T10:00:00+01:00\nsummary: Kurz {n}\ntopics: [{}]\ntags: [{}]\n---\n\nText {n} über Wörter{n}.\n",
                n % 16 + 2,
                ["Politik", "Sport", ""][n % 3],
                some_of(&mut rng, &FEW_TAGS[..3]),
            );
            std::fs::write(content.join(format!("a{n:02}.md")), text).unwrap();
        }
        // One archive page a month, or pages of four.
        let paginate = if seed % 2 == 0 {
            "archive_paginate: 30"
        } else {
            "archive_paginate: 4"
        };
        let (site, options) = site_needing_three_per_tag(dir.path(), seed % 3 == 1, |yaml| {
            yaml.replace("archive_paginate: 4", paginate)
        });
        // Every address each article had: each redirects to where it is now.
        let mut had: BTreeMap<usize, std::collections::BTreeSet<String>> = BTreeMap::new();
        let mut n = 0;
        for step in 0..8 {
            // Every other step moves the article of the step before again.
            if step % 2 == 0 {
                n = rng.random_range(0..60);
            }
            let file = content.join(format!("a{n:02}.md"));
            let text = std::fs::read_to_string(&file).unwrap();
            let was = date.find(&text).unwrap().as_str()[6..13].to_string();
            let (year, month) = month_of(rng.random_range(0..60));
            let (day, minute) = (rng.random_range(2..=21), 2 * rng.random_range(0..30) + 1);
            let new = format!("date: {year}-{month:02}-{day:02}T09:{minute:02}:00+01:00");
            std::fs::write(&file, date.replace(&text, new.as_str()).as_ref()).unwrap();
            let what = format!("seed {seed}, step {step}: a{n:02} from {was} {new}");
            let report = build(&site, &options, &|| {}).unwrap();
            let (got, clean) = (snapshot(&options.out), clean_snapshot(&site, &options));
            let differing = differing_but_redirects(&got, &clean);
            assert!(differing.is_empty(), "{what} ({:?}): {differing:?} differ", report.mode);
            let another = was != format!("{year}-{month:02}");
            steps += usize::from(another);
            let now = format!("{year}/{month:02}/a{n:02}/index.html");
            if another {
                had.entry(n)
                    .or_default()
                    .insert(format!("{}/a{n:02}/index.html", was.replace('-', "/")));
            }
            // Each old page is a redirect to the new one (one it took back
            // is the page).
            let to = format!("url=https://example.org/{year}/{month:02}/a{n:02}/\"");
            for old in had.get(&n).into_iter().flatten().filter(|old| **old != now) {
                assert!(redirects_to_a_page(&got[old], &clean), "{what}: {old} is no redirect");
                assert!(
                    String::from_utf8_lossy(&got[old]).contains(&to),
                    "{what}: {old} leads elsewhere"
                );
                assert!(!clean.contains_key(old), "{what}");
            }
            if report.mode == Mode::Edits && another {
                edits += 1;
                // And the build says so, as the ordinary build does.
                assert_eq!(report.redirected.len(), 1, "{what}: {:?}", report.redirected);
                second_moves += usize::from(had[&n].len() > 1);
            }
        }
    }
    // Most of them (21 of 39): a month losing or gaining a page and a
    // change of the search ids' scale are not; the newest of either month
    // and a second move, its first redirect led to the new address, are.
    assert!(
        edits * 2 > steps,
        "{edits} of {steps} date edits into another month took the edit path"
    );
    assert!(second_moves > 0, "no article moved twice took the edit path");
}

/// A date edit of a fresh article that keeps it in the News sitemap's
/// window takes the edit path, which renders that sitemap again; one that
/// takes it out of the window does not. The output is the clean build's
/// each time. Fresh dates are hours before now: on the first two days of
/// a month some fall in the month before, and then only the output is
/// checked.
#[test]
fn a_date_edit_within_the_news_window_takes_the_edit_path() {
    use chrono::{Datelike, Duration, FixedOffset, SecondsFormat, Utc};
    let (dir, content) = content_folder();
    let now = Utc::now();
    let ago = |minutes: i64| {
        (now - Duration::minutes(minutes))
            .with_timezone(&FixedOffset::east_opt(3600).unwrap())
            .to_rfc3339_opts(SecondsFormat::Secs, false)
    };
    let article = |n: usize, date: &str| {
        format!("---\ntitle: Artikel {n}\ndate: {date}\ntopics: [Politik]\n---\n\nText {n} über Wörter{n}.\n")
    };
    for n in 0..20 {
        let date = format!("2022-01-{:02}T10:00:00+01:00", n + 1);
        std::fs::write(content.join(format!("a{n:02}.md")), article(n, &date)).unwrap();
    }
    // Fresh: a minute short of 2, 6, 10, 14, 18 and 22 hours ago.
    for k in 0..6 {
        let date = ago(60 * (2 + 4 * k as i64) - 1);
        std::fs::write(content.join(format!("f{k}.md")), article(20 + k, &date)).unwrap();
    }
    let (site, options) = site_needing_three_per_tag(dir.path(), false, |yaml| yaml);
    let sitemap = || std::fs::read_to_string(options.out.join("sitemap-news.xml")).unwrap();
    assert_eq!(sitemap().matches("<url>").count(), 6);
    // Every date below in one month, in UTC and at any offset of a day.
    let one_month = (now - Duration::hours(72)).month() == (now + Duration::hours(24)).month();
    let steps = [
        (2, 60 * 15 + 3, true, "past the one 14 hours old"),
        (2, 60 * 10 - 1, true, "back"),
        (3, 60 * 60, false, "out of the window"),
        (3, 60 * 14 - 1, false, "into it again"),
    ];
    for (k, minutes, edit_path, what) in steps {
        std::fs::write(content.join(format!("f{k}.md")), article(20 + k, &ago(minutes))).unwrap();
        let took = builds_as_clean(&site, &options, what);
        if one_month {
            assert_eq!(took, edit_path, "{what}: the edit path");
        }
        let listed = if minutes > 48 * 60 { 5 } else { 6 };
        assert_eq!(sitemap().matches("<url>").count(), listed, "{what}");
    }
}

/// A redirect page shows its article's title and address: a date edit
/// within the month of an article with an alias changes neither and takes
/// the edit path, as does a title edit, which renders each redirect to the
/// article again, and a date edit into another month, after which each
/// leads to the new address — its alias, and the old addresses the moves
/// left; moved back, its page takes its old address again. The output is
/// the clean build's each time, but for those remembered addresses, which
/// redirect as the alias does.
#[test]
fn date_and_title_edits_of_an_article_with_redirects_take_the_edit_path() {
    let (dir, content) = content_folder();
    let article = |n: usize, title: &str, date: &str| {
        let alias = if n == 5 { "aliases: [/alt/fuenf/]\n" } else { "" };
        format!(
            "---\ntitle: {title}\ndate: 2022-{date}+01:00\nsummary: Kurz {n}\ntopics: [Politik]\n{alias}---\n\nText {n} über Wörter{n}.\n"
        )
    };
    // 20 articles in January, 10 in February.
    for n in 0..30 {
        let date = format!("{:02}-{:02}T10:00:00", 1 + n / 20, n % 20 + 1);
        std::fs::write(
            content.join(format!("a{n:02}.md")),
            article(n, &format!("Artikel {n}"), &date),
        )
        .unwrap();
    }
    // Months of one archive page, whatever their counts.
    let (site, options) = site_needing_three_per_tag(dir.path(), false, |yaml| {
        yaml.replace("archive_paginate: 4", "archive_paginate: 30")
    });
    let file = content.join("a05.md");
    let steps = [
        ("Artikel 5", "01-08T11:01:00", "2022/01/a05/index.html"),
        ("Artikel 5", "01-06T10:00:00", "2022/01/a05/index.html"),
        ("Artikel fünf", "01-06T10:00:00", "2022/01/a05/index.html"),
        ("Artikel fünf", "02-03T10:00:00", "2022/02/a05/index.html"),
        ("Artikel 5, neu", "02-03T10:00:00", "2022/02/a05/index.html"),
        ("Artikel 5, neu", "01-06T09:00:00", "2022/01/a05/index.html"),
    ];
    let read = |page: &str| std::fs::read_to_string(options.out.join(page)).unwrap();
    for (title, date, page) in steps {
        std::fs::write(&file, article(5, title, date)).unwrap();
        let what = format!("{title}, {date}");
        let report = build(&site, &options, &|| {}).unwrap();
        let (got, clean) = (snapshot(&options.out), clean_snapshot(&site, &options));
        let differing = differing_but_redirects(&got, &clean);
        assert!(differing.is_empty(), "{what} ({:?}): {differing:?} differ", report.mode);
        assert_eq!(report.mode, Mode::Edits, "{what}: the edit path");
        let alias = read("alt/fuenf/index.html");
        assert!(alias.contains(&format!(">{title}</a>")), "{what}: {alias}");
        assert!(
            alias.contains(&format!(
                "url=https://example.org/{}\"",
                page.trim_end_matches("index.html")
            )),
            "{what}: {alias}"
        );
        assert!(read(page).contains(&format!("<h1>{title}</h1>")), "{what}");
    }
    // The address the article had in February leads where the alias does.
    assert_eq!(read("2022/02/a05/index.html"), read("alt/fuenf/index.html"));
}

/// Articles without a topic take their related articles from their tags:
/// an article joining their tag changes those of its new neighbours, and
/// leaving it again changes them back, which the stored related articles
/// (brought up to date by the first edit) must show.
#[test]
fn a_tag_edit_brings_related_articles_chosen_from_tags_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    let write = |name: &str, day: usize, tags: &str| {
        let text = format!(
            "---\ntitle: Artikel {name}\ndate: 2022-01-{day:02}T10:00:00+01:00\ntags: [{tags}]\n---\n\nText.\n"
        );
        std::fs::write(content.join(format!("{name}.md")), text).unwrap();
    };
    for n in 0..10 {
        write(&format!("a{n}"), 2 * n + 1, "Bahn");
    }
    write("x", 10, "Wind");
    write("y", 25, "Wind");
    let site = site(dir.path());
    let options = BuildOptions::for_site(&site);
    build(&site, &options, &|| {}).unwrap();
    let related_of = |page: &str| {
        let html = std::fs::read_to_string(options.out.join(page)).unwrap();
        html.contains("/2022/01/x/")
    };
    assert!(!related_of("2022/01/a3/index.html"));
    for (tags, shown) in [("Wind, Bahn", true), ("Wind", false)] {
        write("x", 10, tags);
        let report = build(&site, &options, &|| {}).unwrap();
        assert_eq!(report.mode, Mode::Edits, "x: [{tags}]");
        // In `Bahn`, x (10 January) is second nearest to a3 (7 January),
        // after a4 (9 January), whose page links x as the next article.
        assert_eq!(related_of("2022/01/a3/index.html"), shown, "x: [{tags}]");
        assert_eq!(snapshot(&options.out), clean_snapshot(&site, &options), "x: [{tags}]");
    }
}

/// The inode of every file below `dir` of the output: a file written again
/// is renamed into place and gets a new one; a file kept keeps its own.
#[cfg(unix)]
fn inodes(dir: &Path) -> BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            (rel, e.metadata().unwrap().ino())
        })
        .collect()
}

/// The inode of the search word cache beside `root/public`: a cache written
/// whole is a new file.
#[cfg(unix)]
fn word_cache_inode(root: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(root.join(".public.blatt-manifest.search"))
        .unwrap()
        .ino()
}

/// A title and body edit and a new article (the edit path, the first of
/// its month too), and a new article with an alias (a rebuild) bring the
/// search index up to date from the last build's files: the files
/// they reach are written (for the newest article only recent files, no
/// chunk), the other shards kept, the word cache is not
/// written whole again (only the new words are added beside it), and the
/// result is the clean build's.
#[cfg(unix)]
#[test]
fn a_front_matter_edit_rewrites_only_the_search_files_it_reaches() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    // Two hundred words of their own (sorted together, so in a few of the
    // index's chunks), and words they share; more articles than a recent
    // block, so that the older ones are in chunks.
    for n in 0..70 {
        let own: Vec<String> = (0..200).map(|j| format!("w{n}x{j}")).collect();
        std::fs::write(
            content.join(format!("a{n}.md")),
            format!(
                "---\ntitle: Artikel w{n}x0\ndate: 2022-01-{:02}\n---\n\nGemeinsamer Text über {}.\n",
                n % 28 + 1,
                own.join(" ")
            ),
        )
        .unwrap();
    }
    let site = site(dir.path());
    let options = BuildOptions::for_site(&site);
    assert_eq!(build(&site, &options, &|| {}).unwrap().mode, Mode::Full);
    let shards = options.out.join("search/shards");
    let before = inodes(&shards);
    assert!(before.len() > 30, "{} chunks", before.len());

    let edits: [(&str, &str, Mode); 3] = [
        (
            "a7.md",
            "---\ntitle: Ganz anders\ndate: 2022-01-08\n---\n\nGemeinsamer Text über ahwort.\n",
            Mode::Edits,
        ),
        (
            "neu.md",
            "---\ntitle: Neu\ndate: 2022-02-01\n---\n\nGemeinsamer Text über zzwort.\n",
            Mode::Edits,
        ),
        (
            "neu2.md",
            "---\ntitle: Neu 2\ndate: 2022-02-02\naliases: [/alt/]\n---\n\nGemeinsamer Text über zzwort2.\n",
            Mode::Incremental,
        ),
    ];
    let mut last = before;
    let mut last_recent = inodes(&options.out.join("search/recent"));
    let cache_inode = || word_cache_inode(dir.path());
    let whole_cache = cache_inode();
    for (file, text, mode) in edits {
        std::fs::write(content.join(file), text).unwrap();
        assert_eq!(build(&site, &options, &|| {}).unwrap().mode, mode, "{file}");
        assert_eq!(
            cache_inode(),
            whole_cache,
            "{file}: the word cache is not written whole"
        );
        assert!(dir.path().join(".public.blatt-manifest.search.edits").is_file());
        let now = inodes(&shards);
        let rewritten: Vec<&String> = now.keys().filter(|f| last.get(*f) != now.get(*f)).collect();
        if file.starts_with("neu") {
            assert!(
                rewritten.is_empty(),
                "{file}: the newest article's words are in recent files: {rewritten:?}"
            );
            let recent = inodes(&options.out.join("search/recent"));
            assert!(
                recent.keys().any(|f| last_recent.get(f) != recent.get(f)),
                "{file}: its recent files are written"
            );
        } else {
            assert!(
                !rewritten.is_empty() && rewritten.len() * 4 <= now.len(),
                "{file}: only the chunks of words it lost or gained (and of the shared words, whose postings change): {rewritten:?} of {}",
                now.len()
            );
        }
        last = now;
        last_recent = inodes(&options.out.join("search/recent"));
    }
    assert_eq!(snapshot(&options.out), clean_snapshot(&site, &options));
}

/// A body edit that gives the archive words it never had, and the edit
/// that takes their last use away again, take the edit path, in an old
/// article (its words in the index's chunks) and in the newest (in the
/// recent files): the search files the words made are deleted again (the
/// manifest forgets them), and the output is the clean build's at each
/// step. So does an old article losing its two hundred words of its own,
/// which empties whole chunks, and getting them back.
#[test]
fn body_edits_that_take_a_words_last_use_away_take_the_edit_path() {
    let (dir, content) = content_folder();
    let own = |n: usize| (0..200).map(|j| format!("w{n}x{j}")).collect::<Vec<_>>().join(" ");
    let article = |n: usize, body: &str| {
        format!(
            "---\ntitle: Artikel {n}\ndate: 2022-{:02}-{:02}T10:00:00+01:00\n---\n\nGemeinsamer Text über {body}.\n",
            1 + n / 25,
            1 + n % 25
        )
    };
    for n in 0..70 {
        std::fs::write(content.join(format!("a{n:02}.md")), article(n, &own(n))).unwrap();
    }
    let site = site(dir.path());
    let options = BuildOptions::for_site(&site);
    assert_eq!(build(&site, &options, &|| {}).unwrap().mode, Mode::Full);
    let search_files = || {
        let shards = inodes(&options.out.join("search/shards")).into_keys();
        let recent = inodes(&options.out.join("search/recent")).into_keys();
        shards
            .chain(recent.map(|f| format!("recent/{f}")))
            .collect::<std::collections::BTreeSet<_>>()
    };
    let start = search_files();
    let with_words = |n: usize| format!("{} Quallenplage Yetiwetter", own(n));
    for (n, body) in [
        (3, with_words(3)),
        (3, own(3)),
        (69, with_words(69)),
        (69, own(69)),
        (3, String::new()),
        (3, own(3)),
    ] {
        let before = search_files();
        std::fs::write(content.join(format!("a{n:02}.md")), article(n, &body)).unwrap();
        let what = format!("article {n}, {} words", body.split(' ').count());
        assert!(builds_as_clean(&site, &options, &what), "{what}: not the edit path");
        let after = search_files();
        if body.contains("Quallenplage") {
            // The newest article's words have recent files by first letter.
            let new_files = after.len() > before.len();
            assert!(n != 69 || new_files, "{what}: files for the new words");
        } else if body == own(n) {
            assert_eq!(after, start, "{what}: the files of the words gone are deleted");
        } else {
            assert!(after.len() < before.len(), "{what}: chunks emptied are deleted");
        }
    }
}

/// An article added, removed or re-dated inside an archive changes its own
/// search id, not those of the articles after it (ids follow the times),
/// so the last build's index is brought up to date rather than counting
/// every article's words again — the word cache is not written whole, only
/// the new words beside it — and the output is still a clean build's.
#[cfg(unix)]
#[test]
fn an_article_added_inside_the_archive_updates_the_search_index() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    // More articles after the insertion than an index is patched for.
    for n in 0..320 {
        std::fs::write(
            content.join(format!("a{n}.md")),
            format!(
                "---\ntitle: Artikel w{n}\ndate: {}-{:02}-{:02}\n---\n\nText über w{n} und v{}.\n",
                2010 + n / 28,
                n % 12 + 1,
                n % 28 + 1,
                n % 9
            ),
        )
        .unwrap();
    }
    let site = site(dir.path());
    let options = BuildOptions::for_site(&site);
    assert_eq!(build(&site, &options, &|| {}).unwrap().mode, Mode::Full);
    let cache_inode = || word_cache_inode(dir.path());
    let whole_cache = cache_inode();
    let back_dated = "---\ntitle: Nachgetragen\ndate: 2010-02-15\n---\n\nText über nachtrag und v1.\n";
    // The new one and the deleted one take the edit path
    // (`pipeline::edits::added`, `removed`), which update the index the
    // same way; the date edit past every article the ordinary rebuild.
    let steps: [(&str, Option<&str>, Mode); 3] = [
        ("neu.md", Some(back_dated), Mode::Edits),
        ("a3.md", None, Mode::Edits),
        // Re-dated from 2010 to the newest: it moves past every article.
        (
            "a5.md",
            Some("---\ntitle: Artikel w5\ndate: 2030-01-01\n---\n\nText über w5 und v5.\n"),
            Mode::Incremental,
        ),
    ];
    for (file, text, mode) in steps {
        match text {
            Some(text) => std::fs::write(content.join(file), text).unwrap(),
            None => std::fs::remove_file(content.join(file)).unwrap(),
        }
        assert_eq!(build(&site, &options, &|| {}).unwrap().mode, mode, "{file}");
        assert_eq!(
            cache_inode(),
            whole_cache,
            "{file}: the word cache is not written whole"
        );
        let clean = tempfile::tempdir().unwrap();
        let clean_options = BuildOptions {
            out: clean.path().join("public"),
            ..options.clone()
        };
        build(&site, &clean_options, &|| {}).unwrap();
        let (a, b) = (snapshot(&options.out), snapshot(&clean_options.out));
        let differing: Vec<&String> = a.keys().chain(b.keys()).filter(|k| a.get(*k) != b.get(*k)).collect();
        assert!(differing.is_empty(), "{file}: {differing:?} differ from a clean build");
    }
}

/// A front-matter edit that adds, removes and renames no article file
/// patches the manifest's tail instead of writing it again. The outputs it
/// deletes (a term's pages, once its last article leaves it) leave the
/// tail's records too, so that a file someone puts there later is theirs
/// and kept; builds after it (a body edit reads the tail a chunk at a time)
/// still equal a clean build, marker included.
#[cfg(unix)]
#[test]
fn a_front_matter_edit_patches_the_manifest_and_forgets_what_it_deleted() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    for n in 0..6 {
        let topic = if n == 5 { "Einzeln" } else { "Politik" };
        let text = format!(
            "---\ntitle: Artikel {n}\ndate: 2022-01-{:02}\ntopics: [{topic}]\n---\n\nText {n}.\n",
            n + 1
        );
        std::fs::write(content.join(format!("a{n}.md")), text).unwrap();
    }
    let site = site(dir.path());
    let options = BuildOptions::for_site(&site);
    assert_eq!(build(&site, &options, &|| {}).unwrap().mode, Mode::Full);
    let tail = dir.path().join(".public.blatt-manifest.tail");
    let whole = std::fs::metadata(&tail).unwrap().ino();
    let lonely = options.out.join("themen/einzeln/index.html");
    assert!(lonely.is_file());
    let edit = |file: &str, from: &str, to: &str, mode: Mode| {
        let path = content.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        assert_eq!(build(&site, &options, &|| {}).unwrap().mode, mode, "{file}: {to}");
    };
    edit("a2.md", "title: Artikel 2", "title: Ganz anders", Mode::Edits);
    assert_eq!(
        std::fs::metadata(&tail).unwrap().ino(),
        whole,
        "a title edit writes no tail"
    );
    edit("a5.md", "[Einzeln]", "[Politik]", Mode::Incremental);
    assert_eq!(
        std::fs::metadata(&tail).unwrap().ino(),
        whole,
        "a terms edit writes no tail"
    );
    assert!(!lonely.exists(), "the term's last article left it");
    std::fs::create_dir_all(lonely.parent().unwrap()).unwrap();
    std::fs::write(&lonely, "theirs").unwrap();
    edit("a5.md", "Text 5.", "Text 5, ergänzt.", Mode::Edits);
    edit("a3.md", "title: Artikel 3", "title: Neu", Mode::Edits);
    // Beside a body edit of another article: the ordinary rebuild.
    let other = content.join("a4.md");
    let text = std::fs::read_to_string(&other).unwrap();
    std::fs::write(&other, text.replace("Text 4.", "Text 4, neu.")).unwrap();
    edit("a1.md", "date: 2022-01-02", "date: 2022-01-30", Mode::Incremental);
    assert_eq!(
        std::fs::read_to_string(&lonely).unwrap(),
        "theirs",
        "someone else's file is kept"
    );
    std::fs::remove_file(&lonely).unwrap();
    assert_eq!(snapshot(&options.out), clean_snapshot(&site, &options));
}
