//! Static files: the theme's (built into the binary) and the site's
//! `static/` folder, whose files replace the theme's of the same name.

use std::path::{Path, PathBuf};

use crate::content::file::Stamp;
use crate::error::{FileError, Location, Problem, ReadProblem};
use crate::render::outputs::{Output, Rendered, Scope, Signatures};
use crate::render::page::PageRenderer;

enum Origin {
    Theme(&'static [u8]),
    Site(PathBuf, Stamp),
}

/// The static files of a site, by site-relative path (`static/style.css`).
pub struct Statics {
    files: Vec<(String, Origin)>,
}

impl Statics {
    /// The theme's files and those in the site's `static/` folder
    /// (`site_static`); `search`: whether the search script is needed.
    /// Links in `site_static` that `links` does not follow are among the
    /// problems, as warnings.
    pub fn discover(
        site_static: &Path,
        links: &crate::content::load::Links,
        search: bool,
    ) -> (Statics, Vec<FileError>) {
        let mut files: Vec<(String, Origin)> = crate::render::templates::STATIC
            .iter()
            .filter(|(p, _)| search || *p != "static/search.js")
            .map(|(p, b)| (p.to_string(), Origin::Theme(b)))
            .collect();
        let mut errors = Vec::new();
        if site_static.is_dir() {
            let walked = crate::content::load::site_files(site_static, links, |_| true);
            errors.extend(walked.errors.into_iter().chain(walked.skipped));
            for path in walked.files {
                let rel = format!(
                    "static/{}",
                    path.strip_prefix(site_static)
                        .unwrap_or(&path)
                        .to_string_lossy()
                        .replace('\\', "/")
                );
                let stamp = match std::fs::metadata(&path) {
                    Ok(meta) => Stamp::named(rel.clone(), &meta),
                    Err(_) => Stamp {
                        path: rel.clone(),
                        size: 0,
                        mtime: 0,
                    },
                };
                files.retain(|(p, _)| *p != rel);
                files.push((rel, Origin::Site(path, stamp)));
            }
        }
        files.sort_by(|a, b| a.0.cmp(&b.0));
        (Statics { files }, errors)
    }

    /// The site's own files as they are now: when none changed, and nothing
    /// else did, a build has nothing to do.
    pub fn stamps(&self) -> Vec<Stamp> {
        self.files
            .iter()
            .filter_map(|(_, origin)| match origin {
                Origin::Site(_, stamp) => Some(stamp.clone()),
                Origin::Theme(_) => None,
            })
            .collect()
    }

    /// Every static file's site-relative path.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|(p, _)| p.as_str())
    }
}

impl Output for Statics {
    fn count(&self) -> usize {
        self.files.len()
    }

    fn path(&self, _s: &Scope, n: usize) -> String {
        self.files[n].0.clone()
    }

    fn signature(&self, _s: &Scope, _sig: &Signatures, n: usize) -> u128 {
        // Copied byte for byte: nothing of the site's settings shows in them.
        let mut h = super::Hash::new("static");
        let (rel, origin) = &self.files[n];
        h.str(rel);
        match origin {
            Origin::Theme(bytes) => h.bytes(bytes),
            Origin::Site(path, stamp) => h.str(&path.to_string_lossy()).num(stamp.size).hash(stamp.mtime as u128),
        };
        h.finish()
    }

    fn render(&self, _r: &PageRenderer, n: usize) -> Result<Rendered, FileError> {
        let (rel, origin) = &self.files[n];
        let bytes = match origin {
            Origin::Theme(bytes) => bytes.to_vec(),
            Origin::Site(path, _) => std::fs::read(path)
                .map_err(|e| FileError::new(Location::file(path), Problem::Read(ReadProblem::Io(e.into()))))?,
        };
        Ok(Rendered::one(rel.clone(), bytes))
    }
}
