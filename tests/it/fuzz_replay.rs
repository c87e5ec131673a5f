//! Replays the fuzz properties (fuzz/src/lib.rs) on stable Rust: on every
//! committed finding under `fuzz/regressions/<target>/`, and on the real
//! inputs the repository and ../shared hold, so that a bug a fuzzer found
//! stays fixed and CI checks the properties without a fuzzer installed.

use std::path::{Path, PathBuf};

type Property = fn(&[u8]);

const TARGETS: &[(&str, Property)] = &[
    ("import_text", crate::props::import_text),
    ("import_json", crate::props::import_json),
    ("front_matter", crate::props::front_matter),
    ("markdown_roundtrip", crate::props::markdown_roundtrip),
    ("slug", crate::props::slug),
];

fn files_under(dir: &Path, ext: Option<&str>) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path, ext));
        } else if ext.is_none_or(|e| path.extension().is_some_and(|x| x == e)) {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn replay(property: Property, files: &[PathBuf]) -> usize {
    for file in files {
        let data = std::fs::read(file).unwrap();
        if std::panic::catch_unwind(|| property(&data)).is_err() {
            panic!("property fails on {}", file.display());
        }
    }
    files.len()
}

#[test]
fn committed_findings_still_pass() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut total = 0;
    for (name, property) in TARGETS {
        total += replay(*property, &files_under(&root.join(name), None));
    }
    assert!(total > 0, "no findings under {}", root.display());
}

#[test]
fn properties_hold_on_the_example_inputs() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let raw = files_under(&repo.join("tests/fixtures/raw"), Some("txt"));
    assert!(replay(crate::props::import_text, &raw) >= 12);
    for file in &raw {
        let text = std::fs::read(file).unwrap();
        for line in text.split(|&b| b == b'\n') {
            crate::props::slug(line);
        }
        crate::props::markdown_roundtrip(&text);
    }
    assert!(
        replay(
            crate::props::front_matter,
            &files_under(&repo.join("content"), Some("md"))
        ) >= 13
    );
}

#[test]
fn properties_hold_on_the_shared_corpus() {
    let Some(shared) = crate::common::shared() else {
        return;
    };
    let corpus = shared.join("corpus");
    let texts = files_under(&corpus.join("real-txt"), Some("txt"));
    assert!(replay(crate::props::import_text, &texts) > 0);
    for file in files_under(&corpus.join("real-json"), Some("json")) {
        let mut data = vec![0u8];
        data.extend(std::fs::read(&file).unwrap());
        if std::panic::catch_unwind(|| crate::props::import_json(&data)).is_err() {
            panic!("import_json fails on {}", file.display());
        }
    }
    for file in texts.iter().take(50) {
        crate::props::markdown_roundtrip(&std::fs::read(file).unwrap());
    }
}
