//! The layers of the library, checked from the source: a lower layer never
//! uses a higher one (docs/ARCHITECTURE.md). Every path into the crate is
//! read — `use crate::a::b`, grouped `use crate::{a, b::{c}}`, and paths
//! written inline — outside comments. Also: no source file grows past 700
//! lines before its tests.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The layer of each top-level module, and the layers it must not use.
const RULES: &[(&str, &[&str])] = &[
    (
        "error",
        &[
            "text", "read", "yaml", "output", "config", "content", "site", "render", "import", "pipeline", "serve",
            "init", "cli",
        ],
    ),
    (
        "text",
        &[
            "yaml", "output", "config", "content", "site", "render", "import", "pipeline", "serve", "init", "cli",
        ],
    ),
    (
        "read",
        &[
            "text", "yaml", "output", "config", "content", "site", "render", "import", "pipeline", "serve", "init",
            "cli",
        ],
    ),
    (
        "yaml",
        &[
            "text", "output", "config", "content", "site", "render", "import", "pipeline", "serve", "init", "cli",
        ],
    ),
    (
        "output",
        &[
            "config", "content", "site", "render", "import", "pipeline", "serve", "init", "cli",
        ],
    ),
    (
        "config",
        &[
            "output", "content", "site", "render", "import", "pipeline", "serve", "init", "cli",
        ],
    ),
    (
        "content",
        &["output", "site", "render", "import", "pipeline", "serve", "init", "cli"],
    ),
    (
        "site",
        &["output", "render", "import", "pipeline", "serve", "init", "cli"],
    ),
    ("render", &["output", "import", "pipeline", "serve", "init", "cli"]),
    ("import", &["site", "render", "pipeline", "serve", "init", "cli"]),
    ("pipeline", &["import", "serve", "init", "cli"]),
    ("serve", &["import", "init", "cli"]),
];

const MAX_LINES: usize = 700;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The top-level module a file belongs to (`src/render/outputs/feed.rs` → `render`).
fn module_of(file: &Path) -> String {
    let rel = file.strip_prefix(src()).unwrap();
    let first = rel.components().next().unwrap().as_os_str().to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// Code without comments: line comments and doc comments go, block
/// comments go; string contents stay (no path in a string matters here,
/// and the crate has none that look like one).
fn code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.find('\n').map_or("", |i| &after[i..]);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |i| &after[i + 2..]);
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The top-level modules `code` reaches through `crate::`.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        // `blatt_crate::` or `my_crate::` are other names.
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest_trimmed = rest.trim_start();
        if let Some(group) = rest_trimmed.strip_prefix('{') {
            // `crate::{a, b::c, d::{e, f}}`: the first segment of each item at depth 0.
            let mut depth = 0;
            let mut items = vec![String::new()];
            for c in group.chars() {
                match c {
                    '}' if depth == 0 => break,
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => items.push(String::new()),
                    c => items.last_mut().expect("one at least").push(c),
                }
            }
            for item in items {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    used.insert(name);
                }
            }
        } else {
            let name: String = rest_trimmed
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            used.insert(name);
        }
    }
    used
}

#[test]
fn lower_layers_never_use_higher_ones() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    let mut broken = Vec::new();
    for file in &files {
        let module = module_of(file);
        let Some((_, forbidden)) = RULES.iter().find(|(m, _)| *m == module) else {
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for used in crate_paths(&code(&text)) {
            if forbidden.contains(&used.as_str()) {
                broken.push(format!(
                    "{}: `{module}` uses `crate::{used}`",
                    file.strip_prefix(src()).unwrap().display()
                ));
            }
        }
    }
    assert!(broken.is_empty(), "layering broken:\n{}", broken.join("\n"));
}

#[test]
fn no_source_file_is_longer_than_700_lines_before_its_tests() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut long = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let tests = lines
            .iter()
            .position(|l| l.trim() == "mod tests {")
            .unwrap_or(lines.len());
        let code_lines = lines[..tests].iter().filter(|l| l.trim() != "#[cfg(test)]").count();
        if code_lines > MAX_LINES {
            long.push(format!("{}: {code_lines} lines", file.display()));
        }
    }
    assert!(long.is_empty(), "files over {MAX_LINES} lines:\n{}", long.join("\n"));
}

#[test]
fn the_checker_sees_every_form_of_path() {
    let used = crate_paths(&code(
        "use crate::a::b;\nuse crate::{c, d::{e, f}, g::h};\nlet x = crate::i::j();\n\
         // crate::k in a comment\n/* crate::l */ my_crate::m;",
    ));
    assert_eq!(
        used.into_iter().collect::<Vec<_>>(),
        ["a", "c", "d", "g", "i"],
        "k and l are in comments, m is another crate"
    );
}
