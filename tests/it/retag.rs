//! `blatt retag` end to end: the current rules of `site.yaml` applied again
//! to `content/`, terms an editor added kept, `--dry-run` writing nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn blatt() -> Command {
    Command::cargo_bin("blatt").unwrap()
}

const RULES: &str = "\
title: Testarchiv
language: de
timezone: Europe/Berlin
topics:
  - name: Ukraine-Konflikt
    keywords: [Ukraine, Kiew]
    min_mentions: 2
tags:
  - name: Fußball
    keywords: [Fußball*, Stadion]
";

const FOOTBALL: &str = "\
Dynamo Kiew gewinnt das Pokalfinale im Stadion
Dynamo Kiew hat am Samstagabend das Pokalfinale gegen den Titelverteidiger gewonnen.
Vor ausverkauftem Stadion traf der Kapitän zweimal, beide Tore fielen nach Standardsituationen.
Der Trainer von Dynamo Kiew lobte nach dem Spiel die Geduld seiner Mannschaft und die Unterstützung der Fans.
Für den Verein ist es der dritte Pokalsieg in fünf Jahren; im Herbst beginnt die Qualifikation für den Europapokal.
";

const ENERGY: &str = "\
Stadtwerke bauen neuen Solarpark am Ortsrand
Die Stadtwerke von Beispielstadt wollen am Ortsrand einen Solarpark mit zwölf Hektar Fläche bauen.
Der Gemeinderat stimmte dem Vorhaben am Dienstag zu, Anwohner hatten zuvor Einwände gegen die Zufahrt erhoben.
Der Strom soll rechnerisch für rund viertausend Haushalte reichen; der Bau beginnt im Frühjahr.
";

fn site(rules: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("site.yaml"), rules).unwrap();
    for (name, text) in [("fussball.txt", FOOTBALL), ("energie.txt", ENERGY)] {
        std::fs::write(dir.path().join(name), text).unwrap();
        blatt()
            .arg("--root")
            .arg(&root)
            .args(["import", "--date", "2023-05-06"])
            .arg(dir.path().join(name))
            .assert()
            .success();
    }
    (dir, root)
}

fn files(root: &Path) -> BTreeMap<PathBuf, String> {
    crate::common::file_paths(&root.join("content"))
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect()
}

fn retag(root: &Path, args: &[&str]) -> (bool, String, String) {
    let out = blatt()
        .arg("--root")
        .arg(root)
        .arg("retag")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const FOOTBALL_MD: &str = "content/2023/05/dynamo-kiew-gewinnt-das-pokalfinale-im-stadion.md";
const ENERGY_MD: &str = "content/2023/05/stadtwerke-bauen-neuen-solarpark-am-ortsrand.md";

/// The lines of `new` that are not in `old`, and of `old` not in `new`.
fn line_diff(old: &str, new: &str) -> (Vec<String>, Vec<String>) {
    let o: Vec<&str> = old.lines().collect();
    let n: Vec<&str> = new.lines().collect();
    let added = n.iter().filter(|l| !o.contains(l)).map(|l| l.to_string()).collect();
    let removed = o.iter().filter(|l| !n.contains(l)).map(|l| l.to_string()).collect();
    (added, removed)
}

#[test]
fn a_new_rule_is_applied_and_dry_run_writes_nothing() {
    let (_dir, root) = site(RULES);
    let before = files(&root);
    assert!(!before[&root.join(ENERGY_MD)].contains("Energiewende"));

    let rules = RULES.replace(
        "tags:\n",
        "  - name: Energiewende\n    keywords: [Solar*, Stadtwerke]\n    min_mentions: 2\ntags:\n",
    );
    std::fs::write(root.join("site.yaml"), &rules).unwrap();

    let (ok, out, err) = retag(&root, &["--dry-run"]);
    assert!(ok, "{err}");
    assert!(
        out.starts_with(&format!(
            "{ENERGY_MD}: +topic Energiewende\nwould retag 1 of 2 articles in "
        )),
        "{out}"
    );
    assert_eq!(files(&root), before, "--dry-run wrote");

    let (ok, out, err) = retag(&root, &[]);
    assert!(ok, "{err}");
    assert!(
        out.starts_with(&format!(
            "{ENERGY_MD}: +topic Energiewende\nretagged 1 of 2 articles in "
        )),
        "{out}"
    );
    let after = files(&root);
    // The other article is untouched; this one differs in its term lines only.
    assert_eq!(after[&root.join(FOOTBALL_MD)], before[&root.join(FOOTBALL_MD)]);
    let (added, removed) = line_diff(&before[&root.join(ENERGY_MD)], &after[&root.join(ENERGY_MD)]);
    assert_eq!(removed, Vec::<String>::new());
    // (`extra` is there already: the date was assumed.)
    assert_eq!(
        added,
        vec!["topics:", "- Energiewende", "  rule_terms:", "  - Energiewende"]
    );

    // Applied twice, the rules change nothing more.
    let (ok, out, _) = retag(&root, &[]);
    assert!(ok && out.starts_with("retagged 0 of 2 articles"), "{out}");
    assert_eq!(files(&root), after);
}

#[test]
fn an_exclusion_removes_a_rule_term_and_hand_added_terms_stay() {
    let (_dir, root) = site(RULES);
    let path = root.join(FOOTBALL_MD);
    let imported = std::fs::read_to_string(&path).unwrap();
    // `Kiew` three times: the rule gave the topic.
    assert!(imported.contains("topics:\n- Ukraine-Konflikt\n"), "{imported}");
    assert!(
        imported.contains("  rule_terms:\n  - Ukraine-Konflikt\n  - Fußball\n"),
        "{imported}"
    );
    // An editor adds a tag of their own, and the rule's tag by hand elsewhere.
    let edited = imported.replace("tags:\n- Fußball\n", "tags:\n- Fußball\n- Pokal\n");
    std::fs::write(&path, &edited).unwrap();
    let energy = root.join(ENERGY_MD);
    let hand = std::fs::read_to_string(&energy)
        .unwrap()
        .replace("\nlanguage:", "\ntopics:\n- Ukraine-Konflikt\nlanguage:");
    std::fs::write(&energy, &hand).unwrap();

    let rules = RULES.replace(
        "keywords: [Ukraine, Kiew]\n",
        "keywords: [Ukraine, Kiew]\n    exclude: [Dynamo Kiew]\n",
    );
    std::fs::write(root.join("site.yaml"), rules).unwrap();
    let (ok, out, err) = retag(&root, &["--dry-run"]);
    assert!(ok, "{err}");
    assert!(
        out.starts_with(&format!("{FOOTBALL_MD}: -topic Ukraine-Konflikt\nwould retag 1 of 2")),
        "{out}"
    );
    let (ok, _, err) = retag(&root, &[]);
    assert!(ok, "{err}");
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(!after.contains("Ukraine-Konflikt"), "{after}");
    assert!(after.contains("tags:\n- Fußball\n- Pokal\n"), "{after}");
    assert!(after.contains("  rule_terms:\n  - Fußball\n"), "{after}");
    // The topic an editor gave the other article, whose text never
    // mentions it, is theirs: kept.
    assert_eq!(std::fs::read_to_string(&energy).unwrap(), hand);
}

#[test]
fn a_bad_article_is_named_and_the_others_are_still_retagged() {
    let (_dir, root) = site(RULES);
    let broken = root.join("content/2023/05/kaputt.md");
    std::fs::write(&broken, "---\ntitle: Kaputt\ndate: 2023-13-45\n---\nText.\n").unwrap();
    let rules = RULES.replace(
        "tags:\n",
        "  - name: Energie\n    keywords: [Solarpark, Strom]\n    min_mentions: 2\ntags:\n",
    );
    std::fs::write(root.join("site.yaml"), rules).unwrap();
    let (ok, out, err) = retag(&root, &[]);
    assert!(!ok);
    assert!(err.contains("content/2023/05/kaputt.md:3:"), "{err}");
    assert!(
        out.starts_with(&format!("{ENERGY_MD}: +topic Energie\nretagged 1 of 2 articles")),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(&broken).unwrap(),
        "---\ntitle: Kaputt\ndate: 2023-13-45\n---\nText.\n"
    );
}

/// Import and retag read the same text the same way: on the example archive,
/// made by import with the same rules, retag finds nothing to change.
#[test]
fn the_example_archive_is_already_tagged_as_its_rules_say() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (ok, out, err) = retag(repo, &["--dry-run"]);
    assert!(ok, "{err}");
    assert!(out.starts_with("would retag 0 of 13 articles"), "{out}");
}

/// The same on real articles: the 60 of the shared corpus, imported with the
/// example rules (lists, quotes, headings, escapes in their Markdown).
#[test]
fn import_and_retag_agree_on_the_real_corpus() {
    let Some(shared) = crate::common::shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let root = crate::common::init_site(dir.path());
    blatt()
        .arg("--root")
        .arg(&root)
        .args(["-q", "import", "--date", "2020-01-01"])
        .arg(shared.join("corpus/real-txt"))
        .assert()
        .success();
    let (ok, out, err) = retag(&root, &["--dry-run"]);
    assert!(ok, "{err}");
    assert!(out.starts_with("would retag 0 of 60 articles"), "{out}");
}
