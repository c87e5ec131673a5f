//! Re-scrapes of stored articles, end to end through the binary: a
//! near-duplicate is an updated version (replaced in place with `--update`),
//! a richer duplicate fills in what the stored article lacks, and short
//! bodies that share only an agency stub stay different articles.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use blatt::content::{Article, Rules};

fn blatt() -> Command {
    Command::cargo_bin("blatt").unwrap()
}

/// A site made by `blatt init` with the repository's `site.yaml`.
fn new_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = crate::common::init_site(dir.path());
    (dir, root)
}

/// Runs `blatt import` with `args`; its standard output.
fn import(root: &Path, args: &[&str]) -> String {
    let out = blatt()
        .arg("--root")
        .arg(root)
        .arg("import")
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn articles(root: &Path) -> Vec<Article> {
    let rules = Rules::of(&crate::common::example_config());
    crate::common::file_paths(&root.join("content"))
        .iter()
        .map(|p| Article::parse(&std::fs::read_to_string(p).unwrap(), p, &rules).unwrap())
        .collect()
}

const TITLE: &str = "Gemeinderat beschließt Haushalt mit neuem Hallenbad";
const LEDE: &str = "Der Gemeinderat von Beispielstadt hat am Montagabend nach langer Debatte den Haushalt für das kommende Jahr beschlossen.";
const REST: [&str; 4] = [
    "Die Mehrheit stimmte für höhere Ausgaben bei Schulen und Radwegen, die Opposition warnte dagegen vor neuen Schulden und einer zu schnellen Planung.",
    "Der Bürgermeister sprach von einem Kompromiss, der niemanden ganz zufrieden lasse, aber die Stadt handlungsfähig halte.",
    "Besonders umstritten war die Sanierung des Hallenbads, die nun in zwei Abschnitten erfolgen soll; die Kosten werden auf rund zwölf Millionen Euro geschätzt.",
    "Anwohner hatten vor der Sitzung mit Plakaten und Trillerpfeifen für den Erhalt des Bades in seiner heutigen Form demonstriert.",
];

fn body_with(lede: &str) -> String {
    std::iter::once(lede).chain(REST).collect::<Vec<_>>().join("\n")
}

fn text_input(dir: &Path, name: &str, lede: &str, extra: &str) -> String {
    let mut body = vec![TITLE.to_string(), lede.to_string()];
    body.extend(REST.iter().map(|s| s.to_string()));
    if !extra.is_empty() {
        body.push(extra.to_string());
    }
    let path = dir.join(name);
    std::fs::write(&path, body.join("\n") + "\n").unwrap();
    path.display().to_string()
}

#[test]
fn a_changed_word_or_an_added_sentence_is_an_updated_version_not_a_second_article() {
    let (dir, root) = new_site();
    let first = text_input(dir.path(), "a.txt", LEDE, "");
    import(&root, &[&first, "--date", "2022-03-01"]);
    let files = crate::common::file_paths(&root.join("content"));
    assert_eq!(files.len(), 1);
    let before = std::fs::read(&files[0]).unwrap();
    let stored = files[0].strip_prefix(&root).unwrap().display().to_string();

    let changed = text_input(
        dir.path(),
        "b.txt",
        &LEDE.replace("Montagabend", "Dienstagabend"),
        "Die Kommunalaufsicht muss den Haushalt noch genehmigen, was als Formsache gilt.",
    );
    let out = import(&root, &[&changed, "--date", "2022-03-02"]);
    assert!(
        out.contains(&format!("updated version of {stored}: {changed}:1 (")),
        "{out}"
    );
    assert!(out.contains("% the same text); --update replaces it"), "{out}");
    assert!(!out.contains("use --force"), "{out}");
    // Nothing written: no second article, the stored one byte for byte.
    assert_eq!(crate::common::file_paths(&root.join("content")), files);
    assert_eq!(std::fs::read(&files[0]).unwrap(), before);
}

#[test]
fn update_replaces_in_place_keeping_the_url_and_setting_updated() {
    let (dir, root) = new_site();
    let first = serde_json::json!({
        "title": TITLE,
        "text": body_with(LEDE),
        "date": "2022-03-01",
        "source": "https://example.org/haushalt",
    });
    let first_path = dir.path().join("a.json");
    std::fs::write(&first_path, first.to_string()).unwrap();
    import(&root, &[first_path.to_str().unwrap()]);
    let files = crate::common::file_paths(&root.join("content"));
    // An editor's own tag and extra key survive the update.
    let text = std::fs::read_to_string(&files[0])
        .unwrap()
        .replace("\nlanguage: de", "\ntags:\n- Lokalpolitik\nlanguage: de")
        .replacen("\n---\n", "\nextra:\n  ressort: Lokales\n---\n", 1);
    assert!(
        text.contains("ressort: Lokales") && text.contains("- Lokalpolitik"),
        "{text}"
    );
    std::fs::write(&files[0], &text).unwrap();

    // The re-scrape rewrote the lede, carries its own date and no URL.
    let rewritten = "Nach einer Debatte bis in die Nacht steht der Haushalt von Beispielstadt für das kommende Jahr.";
    let json = serde_json::json!({
        "title": TITLE,
        "text": body_with(rewritten),
        "date": "2022-03-04T09:30:00+01:00",
    });
    let input = dir.path().join("b.json");
    std::fs::write(&input, json.to_string()).unwrap();
    let input = input.display().to_string();

    let dry = import(&root, &[&input, "--update", "--dry-run"]);
    assert!(dry.contains("would update content/"), "{dry}");
    assert_eq!(std::fs::read_to_string(&files[0]).unwrap(), text);

    let out = import(&root, &[&input, "--update"]);
    assert!(out.contains("updated content/2022/03/"), "{out}");
    assert_eq!(crate::common::file_paths(&root.join("content")), files);
    let all = articles(&root);
    let new = &all[0];
    assert!(new.body.trim_start().starts_with(rewritten), "{}", new.body);
    assert_eq!(new.slug(), "gemeinderat-beschliesst-haushalt-mit-neuem-hallenbad");
    assert_eq!(
        blatt::content::date::format(&new.front.date),
        "2022-03-01T00:00:00+01:00"
    );
    assert_eq!(
        new.front.updated.map(|d| blatt::content::date::format(&d)).as_deref(),
        Some("2022-03-04T09:30:00+01:00")
    );
    assert_eq!(new.front.source_url.as_deref(), Some("https://example.org/haushalt"));
    assert!(
        new.front.tags.contains(&"Lokalpolitik".to_string()),
        "{:?}",
        new.front.tags
    );
    assert_eq!(new.front.extra.get("ressort").and_then(|v| v.as_str()), Some("Lokales"));
}

#[test]
fn a_richer_duplicate_fills_in_what_the_stored_article_lacks() {
    let (dir, root) = new_site();
    let first = text_input(dir.path(), "a.txt", LEDE, "");
    // No date in the text: `--date` is assumed, and the file says so.
    import(&root, &[&first, "--date", "2024-05-01"]);
    let stored = articles(&root);
    assert_eq!(stored[0].front.extra.get("date_assumed"), Some(&true.into()));

    let json = serde_json::json!({
        "title": TITLE,
        "text": body_with(LEDE),
        "date": "2021-11-15",
        "source": "https://example.org/2021/11/haushalt",
        "author": "Erika Beispiel",
    });
    let input = dir.path().join("a.json");
    std::fs::write(&input, json.to_string()).unwrap();
    let out = import(&root, &[input.to_str().unwrap()]);
    assert!(out.contains("filled in date, source_url, authors from it"), "{out}");
    assert!(out.contains("(1 duplicate, 1 article filled in, 0 errors)"), "{out}");
    let all = articles(&root);
    assert_eq!(all.len(), 1);
    let a = &all[0];
    // Moved to the month of its real date, so that its URL and folder agree.
    assert!(
        a.path
            .ends_with("content/2021/11/gemeinderat-beschliesst-haushalt-mit-neuem-hallenbad.md"),
        "{}",
        a.path.display()
    );
    assert!(!root.join("content/2024").exists());
    assert_eq!(blatt::content::date::format(&a.front.date), "2021-11-15T00:00:00+01:00");
    assert_eq!(a.front.extra.get("date_assumed"), None);
    assert_eq!(
        a.front.source_url.as_deref(),
        Some("https://example.org/2021/11/haushalt")
    );
    assert_eq!(a.front.authors, vec!["Erika Beispiel".to_string()]);

    // Nothing left to fill in: a plain duplicate, nothing written.
    let before = std::fs::read(&a.path).unwrap();
    let out = import(&root, &[input.to_str().unwrap()]);
    assert!(out.contains("(1 duplicate, 0 errors)"), "{out}");
    assert_eq!(std::fs::read(&a.path).unwrap(), before);
}

#[test]
fn a_duplicate_with_a_lead_image_fills_it_in_and_never_replaces_one() {
    let (dir, root) = new_site();
    let scrape = |name: &str, image: Option<(&str, &str)>| {
        let mut json = serde_json::json!({"title": TITLE, "text": body_with(LEDE), "date": "2021-11-15"});
        if let Some((url, alt)) = image {
            json["image"] = url.into();
            json["image_alt"] = alt.into();
            json["image_caption"] = "Foto: Stadtarchiv".into();
        }
        let input = dir.path().join(name);
        std::fs::write(&input, json.to_string()).unwrap();
        import(&root, &[input.to_str().unwrap()])
    };
    scrape("a.json", None);
    assert_eq!(articles(&root)[0].front.image, None);

    let out = scrape("b.json", Some(("https://cdn.example.org/halle.jpg", "Das Hallenbad")));
    assert!(out.contains("filled in image from it"), "{out}");
    let a = &articles(&root)[0];
    assert_eq!(a.front.image.as_deref(), Some("https://cdn.example.org/halle.jpg"));
    assert_eq!(a.front.image_alt.as_deref(), Some("Das Hallenbad"));
    assert_eq!(a.front.image_caption.as_deref(), Some("Foto: Stadtarchiv"));

    // Another image is not the stored one's to replace: a plain duplicate.
    let before = std::fs::read(&a.path).unwrap();
    let out = scrape(
        "c.json",
        Some(("https://cdn.example.org/anderes.jpg", "Ein anderes Bild")),
    );
    assert!(out.contains("(1 duplicate, 0 errors)"), "{out}");
    assert_eq!(std::fs::read(&a.path).unwrap(), before);
}

#[test]
fn short_bodies_sharing_only_a_stub_are_different_articles() {
    let (dir, root) = new_site();
    let stub = "Der vollständige Text dieser auf Agenturmeldungen beruhenden Meldung ist aus rechtlichen Gründen nicht mehr abrufbar.";
    let firsts = [
        "Die Notenbank hebt den Leitzins überraschend um einen halben Punkt an.",
        "Bei einem Brand in einer Lagerhalle am Stadtrand wurden drei Menschen verletzt.",
        "Die Regierung will das umstrittene Lager noch vor Ende der Amtszeit schließen.",
        "Der Streamingdienst gewinnt vor allem auf internationalen Märkten neue Kunden.",
        "Laut Grenzschutz hat sich die Zahl der Einreisen über das Mittelmeer halbiert.",
        "Ermittler durchsuchen die Zentrale einer Bank nach Belegen für Wertpapiergeschäfte.",
        "Zwei Drittel der Befragten würden bei einer Abstimmung für den Austritt stimmen.",
        "Der Lebensmittelkonzern nimmt eine Sorte Fertignudeln vorsorglich aus dem Verkauf.",
        "Nach dem Anschlag verschärft das Land die Sicherheitsmaßnahmen an den Grenzen.",
        "Das Militär stellt eine Zeitung unter staatliche Aufsicht und entlässt die Redaktion.",
        "Die Fußball-App eines Verlags wird nach zwei Jahren wegen geringer Nutzung eingestellt.",
        "Der Minister reist zu einem privaten Besuch ohne Termine mit der Öffentlichkeit.",
    ];
    let lines: Vec<String> = firsts
        .iter()
        .enumerate()
        .map(|(i, first)| {
            serde_json::json!({
                "title": first.trim_end_matches('.'),
                "text": format!("{first} {stub}"),
                "date": format!("2016-03-{:02}", i + 1),
            })
            .to_string()
        })
        .collect();
    let input = dir.path().join("stubs.jsonl");
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let out = import(&root, &[input.to_str().unwrap()]);
    assert!(out.contains("imported 12 articles (0 duplicates, 0 errors)"), "{out}");
    assert!(!out.contains("updated version"), "{out}");
    assert_eq!(crate::common::file_paths(&root.join("content")).len(), 12);
}

/// The twelve 10kGNAD articles whose text is a sub-headline and the same
/// agency stub, read in place (as the corpus tests synthesise titles).
#[test]
fn ten_k_gnad_stub_articles_are_refused_one_by_one_not_merged() {
    let Some(shared) = crate::common::shared() else { return };
    let text = std::fs::read_to_string(shared.join("corpus/10kGNAD/test.jsonl")).unwrap();
    let rows: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    // The stub is the sentence most texts end with.
    let mut ends: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for r in &rows {
        let t = r["text"].as_str().unwrap();
        let last = t.rsplit(". ").next().unwrap().to_string();
        *ends.entry(last).or_default() += 1;
    }
    let (stub, n) = ends.into_iter().max_by_key(|(_, n)| *n).unwrap();
    assert_eq!(n, 12, "the corpus README's twelve stub articles");
    let (dir, root) = new_site();
    let lines: Vec<String> = rows
        .iter()
        .filter(|r| r["text"].as_str().unwrap().ends_with(&stub))
        .enumerate()
        .map(|(i, r)| {
            let body = r["text"].as_str().unwrap();
            let title: String = body.split(". ").next().unwrap().chars().take(120).collect();
            serde_json::json!({"title": title, "text": body, "date": format!("2016-01-{:02}", i + 1)}).to_string()
        })
        .collect();
    let input = dir.path().join("stubs.jsonl");
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    // Each is only a teaser above a paywall notice: refused as such, one by
    // one, and never taken for a duplicate of another.
    let out = blatt()
        .arg("--root")
        .arg(&root)
        .arg("import")
        .arg(&input)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(stderr.matches("has no article text").count(), 12, "{stderr}");
    assert!(
        stdout.contains("imported 0 articles (0 duplicates, 12 errors)"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("updated version") && !stderr.contains("updated version"),
        "{stdout}{stderr}"
    );
}

/// real-txt then real-json of the shared corpus: the same 60 stories, so
/// the JSON files fill in dates, URLs and authors instead of being plain
/// duplicates.
#[test]
fn real_json_after_real_txt_enriches_the_sixty_articles() {
    let Some(shared) = crate::common::shared() else { return };
    let corpus = shared.join("corpus");
    let (_dir, root) = new_site();
    let txt = corpus.join("real-txt").display().to_string();
    let json = corpus.join("real-json").display().to_string();
    // Plain text carries no date for most of them: --date fills in, and
    // marks the date as assumed, for the JSON's own date to replace.
    let out = import(&root, &[&txt, "--date", "2020-01-01", "--quiet"]);
    assert_eq!(out, "");
    assert_eq!(crate::common::file_paths(&root.join("content")).len(), 60);
    let authors_before = articles(&root).iter().filter(|a| !a.front.authors.is_empty()).count();
    let out = import(&root, &[&json]);
    assert!(
        out.contains("imported 0 articles (60 duplicates, 60 articles filled in, 0 errors)"),
        "{out}"
    );
    let plain = out
        .lines()
        .filter(|l| l.starts_with("duplicate:") && !l.contains("filled in"));
    assert_eq!(plain.count(), 0, "{out}");

    let all = articles(&root);
    assert_eq!(all.len(), 60);
    // Every stored story now has the JSON's URL, and its date wherever the
    // JSON has one and the text had none.
    let mut by_url = std::collections::HashMap::new();
    for a in &all {
        by_url.insert(a.front.source_url.clone().expect("source_url filled in"), a);
    }
    let mut dated = 0;
    for entry in std::fs::read_dir(corpus.join("real-json")).unwrap() {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        let url = v["source"].as_str().or(v["url"].as_str()).unwrap();
        let a = by_url.get(url).unwrap_or_else(|| panic!("no article with {url}"));
        if let Some(date) = v["date"].as_str() {
            assert!(
                a.front.extra.get("date_assumed").is_none(),
                "{} kept an assumed date",
                a.path.display()
            );
            if blatt::content::date::format(&a.front.date).starts_with(&date[..10]) {
                dated += 1;
            }
        }
    }
    assert!(dated >= 50, "only {dated} of 60 articles carry the JSON's date");
    let with_authors = all.iter().filter(|a| !a.front.authors.is_empty()).count();
    assert!(
        with_authors > authors_before + 10,
        "{authors_before} articles had authors, now {with_authors}"
    );
}

/// The front matter's `updated:` line of the one article of a site.
fn updated_line(root: &Path) -> Option<String> {
    let files = crate::common::file_paths(&root.join("content"));
    assert_eq!(files.len(), 1, "{files:?}");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    text.lines().find(|l| l.starts_with("updated:")).map(str::to_string)
}

#[test]
fn a_forced_replacement_sets_updated_when_the_text_changed() {
    let (dir, root) = new_site();
    let input = dir.path().join("a.txt");
    let text = "Kreistag vertagt Entscheidung über Klinik\n12.03.2022\nDer Kreistag hat die Entscheidung über die Zukunft der Klinik am Montag vertagt. Die Sitzung dauerte drei Stunden.\n";
    std::fs::write(&input, text).unwrap();
    let path = input.display().to_string();
    import(&root, &[&path]);
    assert_eq!(updated_line(&root), None);

    // The same input again, forced: the text is the same, nothing is updated.
    import(&root, &[&path, "--force"]);
    assert_eq!(updated_line(&root), None);

    // A rescrape with a corrected text replaces it: readers learn of it by `updated`.
    std::fs::write(&input, text.replace("drei Stunden", "vier Stunden")).unwrap();
    let out = import(&root, &[&path, "--force"]);
    assert!(out.contains("replaced"), "{out}");
    let updated = updated_line(&root).expect("updated is set");
    let stored = articles(&root).remove(0);
    assert!(stored.body.contains("vier Stunden"));
    assert!(stored.front.updated.unwrap() > stored.front.date, "{updated}");

    // Forced again with that text: `updated` stays as it was.
    import(&root, &[&path, "--force"]);
    assert_eq!(updated_line(&root), Some(updated));
}

/// An input without a date (and no `--date`) is refused only when it is a
/// new story: a re-scrape of a stored one is its duplicate or new version,
/// and keeps the stored date whatever it replaces.
#[test]
fn an_undated_rescrape_of_a_stored_story_is_recognised_not_refused() {
    let (dir, root) = new_site();
    let first = serde_json::json!({
        "title": TITLE,
        "text": body_with(LEDE),
        "date": "2022-03-01T10:00:00+01:00",
    });
    let first_path = dir.path().join("a.json");
    std::fs::write(&first_path, first.to_string()).unwrap();
    import(&root, &[first_path.to_str().unwrap()]);
    let files = crate::common::file_paths(&root.join("content"));
    assert_eq!(files.len(), 1);
    let stored = files[0].strip_prefix(&root).unwrap().display().to_string();
    let before = std::fs::read(&files[0]).unwrap();
    let stored_date = "2022-03-01T10:00:00+01:00";
    let date_of = |root: &Path| {
        let all = articles(root);
        assert_eq!(all.len(), 1);
        assert!(
            all[0].front.extra.get("date_assumed").is_none(),
            "{:?}",
            all[0].front.extra
        );
        blatt::content::date::format(&all[0].front.date)
    };

    // The same text as plain text, which carries no date.
    let same = text_input(dir.path(), "same.txt", LEDE, "");
    let out = import(&root, &[&same]);
    assert!(
        out.contains(&format!("duplicate: {same}:1 is already {stored}")),
        "{out}"
    );
    assert_eq!(std::fs::read(&files[0]).unwrap(), before);

    // A changed lede: an updated version, replaced only with --update, and
    // the date stays the stored one.
    let changed = text_input(
        dir.path(),
        "changed.txt",
        &LEDE.replace("Montagabend", "Dienstagabend"),
        "",
    );
    let out = import(&root, &[&changed]);
    assert!(
        out.contains(&format!("updated version of {stored}: {changed}:1 (")),
        "{out}"
    );
    assert_eq!(std::fs::read(&files[0]).unwrap(), before);
    let out = import(&root, &[&changed, "--update"]);
    assert!(out.contains(&format!("updated {stored}")), "{out}");
    assert_eq!(crate::common::file_paths(&root.join("content")), files);
    assert!(articles(&root)[0].body.contains("Dienstagabend"));
    assert!(articles(&root)[0].front.updated.is_some());
    assert_eq!(date_of(&root), stored_date);

    // --force with the same words, punctuated otherwise (the same
    // fingerprint): replaced, with the stored date, not a made-up one.
    let forced = text_input(
        dir.path(),
        "forced.txt",
        &LEDE
            .replace("Montagabend", "Dienstagabend")
            .replace("beschlossen.", "beschlossen!"),
        "",
    );
    let out = import(&root, &[&forced, "--force"]);
    assert!(out.contains(&format!("replaced {stored}")), "{out}");
    assert_eq!(crate::common::file_paths(&root.join("content")), files);
    assert!(articles(&root)[0].body.contains("beschlossen!"));
    assert_eq!(date_of(&root), stored_date);

    // A story not stored is still refused, and nothing is written.
    let other = dir.path().join("other.txt");
    std::fs::write(
        &other,
        "Neue Wege für den Park\nIm Stadtpark werden zwei neue Wege angelegt. Die Kosten trägt ein Verein.\n",
    )
    .unwrap();
    let out = blatt()
        .arg("--root")
        .arg(&root)
        .args(["import", other.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("has no date in its metadata, URL or text"), "{stderr}");
    assert_eq!(crate::common::file_paths(&root.join("content")), files);
}

/// real-json then real-txt of the shared corpus: the plain text carries no
/// date for most of the sixty stories, yet each is already stored.
#[test]
fn real_txt_after_real_json_is_sixty_duplicates() {
    let Some(shared) = crate::common::shared() else { return };
    let corpus = shared.join("corpus");
    let (_dir, root) = new_site();
    let json = corpus.join("real-json").display().to_string();
    let txt = corpus.join("real-txt").display().to_string();
    import(&root, &[&json, "--quiet"]);
    let before: Vec<Vec<u8>> = crate::common::file_paths(&root.join("content"))
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    assert_eq!(before.len(), 60);
    let out = import(&root, &[&txt]);
    assert!(out.contains("imported 0 articles (60 duplicates, 0 errors)"), "{out}");
    let after: Vec<Vec<u8>> = crate::common::file_paths(&root.join("content"))
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    assert!(after == before, "the stored articles changed");
}

/// What import knows of `content/` is kept in `.blatt-import` between
/// runs; a stored file edited since is read again, and a damaged cache is
/// rebuilt, never trusted.
#[test]
fn the_import_cache_follows_edits_and_survives_damage() {
    let (dir, root) = new_site();
    let first = text_input(dir.path(), "a.txt", LEDE, "");
    import(&root, &[&first, "--date", "2022-03-01"]);
    // A file changed in the last seconds is not trusted to the cache (its
    // stamp may not yet tell a next change): this one is an hour old.
    let stored = crate::common::file_paths(&root.join("content")).remove(0);
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&stored)
        .unwrap()
        .set_modified(an_hour_ago)
        .unwrap();
    let out = import(&root, &[&first, "--date", "2022-03-01"]);
    assert!(out.contains("(1 duplicate, 0 errors)"), "{out}");
    let cache = root.join(".blatt-import");
    let kept = std::fs::read(&cache).expect("the second import keeps what it read");
    assert!(
        kept.windows(16)
            .any(|w| w == stored.file_name().unwrap().as_encoded_bytes().get(..16).unwrap()),
        "the stored article is in the cache"
    );

    // An editor turns the stored story into another one by hand.
    let files = crate::common::file_paths(&root.join("content"));
    assert_eq!(files.len(), 1);
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let (front, _) = text.split_once("\n---\n").unwrap();
    let front: String = front
        .lines()
        .filter(|l| !l.starts_with("fingerprint:"))
        .map(|l| match l.starts_with("title:") {
            true => "title: Kreistag vertagt Entscheidung über Klinik".to_string(),
            false => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let other = "Der Kreistag hat die Entscheidung über die Zukunft der Klinik am Montag vertagt. \
        Die Sitzung dauerte drei Stunden, ohne dass sich die Fraktionen einigen konnten.";
    std::fs::write(&files[0], format!("{front}\n---\n\n{other}\n")).unwrap();
    let out = import(&root, &[&first, "--date", "2022-03-01"]);
    assert!(out.contains("imported 1 article (0 duplicates, 0 errors)"), "{out}");
    assert_eq!(crate::common::file_paths(&root.join("content")).len(), 2);

    // A damaged cache is read as none.
    std::fs::write(&cache, b"not a cache").unwrap();
    let out = import(&root, &[&first, "--date", "2022-03-01"]);
    assert!(out.contains("(1 duplicate, 0 errors)"), "{out}");
    assert!(std::fs::metadata(&cache).unwrap().len() > 20, "rebuilt");

    // A dry run writes nothing, the cache included.
    std::fs::remove_file(&cache).unwrap();
    let out = import(&root, &[&first, "--date", "2022-03-01", "--dry-run"]);
    assert!(out.contains("duplicate"), "{out}");
    assert!(!cache.exists());
}
