//! Reading every article under `content/`, in parallel, keeping every error.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use rayon::prelude::*;

use crate::content::{Article, Source};
use crate::error::{FileError, Location, Problem};

/// What loading a content folder found: the good articles and every problem.
#[derive(Debug, Default)]
pub struct Loaded {
    pub articles: Vec<Article>,
    pub errors: Vec<FileError>,
}

/// The files below `dir` that `accept` takes, sorted, following links.
/// Hidden files and folders (editor swap files, `.git`) are skipped;
/// unreadable entries and link loops become errors, and the walk goes on.
pub fn walk_files(dir: &Path, mut accept: impl FnMut(&Path) -> bool) -> (Vec<PathBuf>, Vec<FileError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() && accept(e.path()) => files.push(e.into_path()),
            Ok(_) => {}
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                let message = if e.loop_ancestor().is_some() {
                    "is a symbolic link that loops back to a folder above it".to_string()
                } else {
                    e.io_error().map_or_else(|| e.to_string(), |io| io.to_string())
                };
                errors.push(FileError::new(Location::file(path), Problem::Read(message)));
            }
        }
    }
    (files, errors)
}

/// The Markdown files below `dir`.
pub fn markdown_files(dir: &Path) -> (Vec<PathBuf>, Vec<FileError>) {
    walk_files(dir, |p| p.extension().is_some_and(|x| x == "md"))
}

/// Loads and validates all articles below `dir`. A missing folder is an empty site.
pub fn load_dir(dir: &Path, tz: Tz) -> Loaded {
    if !dir.exists() {
        return Loaded::default();
    }
    let (files, mut errors) = markdown_files(dir);
    let results: Vec<Result<Article, Vec<FileError>>> = files
        .par_iter()
        .map(|path| {
            let text = std::fs::read(path)
                .map_err(|e| vec![FileError::new(Location::file(path), Problem::Read(e.to_string()))])?;
            let text = String::from_utf8(text).map_err(|e| {
                let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
                let column = valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
                vec![FileError::new(
                    Location::line(path, line),
                    Problem::NotUtf8 {
                        byte: e.as_bytes()[valid.len()],
                        column,
                    },
                )]
            })?;
            Article::parse(&text, path, tz)
        })
        .collect();
    let mut articles = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(a) => articles.push(a),
            Err(mut e) => errors.append(&mut e),
        }
    }
    errors.extend(duplicate_urls(
        articles.iter().map(|a| (a.path.as_path(), a.url_path(tz))),
    ));
    errors.sort_by(|a, b| a.location.cmp(&b.location));
    Loaded { articles, errors }
}

/// Reads the front matter of every article below `dir`, in parallel. `reuse`
/// gives the previous reading of a file whose size and modification time are
/// unchanged, so that a rebuild reads only what changed.
pub fn scan_dir(
    dir: &Path,
    tz: Tz,
    reuse: &(dyn Fn(&Path, u64, i128) -> Option<Source> + Sync),
) -> (Vec<Source>, Vec<FileError>) {
    if !dir.exists() {
        return (Vec::new(), Vec::new());
    }
    let (files, mut errors) = markdown_files(dir);
    let results: Vec<Result<Source, Vec<FileError>>> = files
        .par_iter()
        .map(|path| {
            let meta = std::fs::metadata(path)
                .map_err(|e| vec![FileError::new(Location::file(path), Problem::Read(e.to_string()))])?;
            let (size, mtime) = crate::content::source::stamp(&meta);
            match reuse(path, size, mtime) {
                Some(source) => Ok(source),
                None => Source::read(path, tz),
            }
        })
        .collect();
    let mut sources = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(s) => sources.push(s),
            Err(mut e) => errors.append(&mut e),
        }
    }
    errors.extend(duplicate_urls(sources.iter().map(|s| {
        let local = s.front.date.with_timezone(&tz);
        (s.path.as_path(), format!("{}/{}", local.format("%Y/%m"), s.slug()))
    })));
    errors.sort_by(|a, b| a.location.cmp(&b.location));
    (sources, errors)
}

/// Two articles that would be written to the same URL: the second one named
/// is reported, pointing at the first.
pub fn duplicate_urls<'a>(items: impl Iterator<Item = (&'a Path, String)>) -> Vec<FileError> {
    let mut seen: HashMap<String, &Path> = HashMap::new();
    let mut errors = Vec::new();
    for (path, url) in items {
        match seen.get(url.as_str()) {
            Some(other) => errors.push(FileError::new(
                Location::file(path),
                Problem::DuplicateUrl {
                    url,
                    other: other.to_path_buf(),
                },
            )),
            None => {
                seen.insert(url, path);
            }
        }
    }
    errors
}
