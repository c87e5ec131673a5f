//! The walk of `content/` that every build (and every import) starts
//! with, stamps included.
//!
//! Every build, even one where nothing changed, lists each article with its
//! size and modification time. Walking one folder after another and then
//! asking for each file's stamp by its full path costs a lookup of every
//! path component per file; here each folder is listed on its own core and
//! each file's stamp is asked for relative to the open folder it was listed
//! from. What it takes and refuses is exactly what
//! [`crate::content::load::markdown_files`] takes and refuses (a test holds
//! the two side by side): hidden entries skipped, links followed as
//! [`Links`] allows, loops, dangling links, pipes and folders named like
//! articles reported, names that are not text refused.

use std::ffi::{OsStr, OsString};
use std::fs::{DirEntry, FileType, Metadata};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::file::Stamp;
use crate::content::load::Links;
use crate::error::{FileError, Location, Problem, ReadProblem};

/// What a walk found, in the order a sorted depth-first walk meets it.
#[derive(Default)]
pub struct Found {
    pub stamps: Vec<Stamp>,
    /// Entries that stop a build.
    pub errors: Vec<FileError>,
    /// Links not followed: warnings.
    pub skipped: Vec<FileError>,
}

impl Found {
    fn add(&mut self, item: Item) {
        match item {
            Item::Stamp(s) => self.stamps.push(s),
            Item::Error(e) => self.errors.push(e),
            Item::Skipped(e) => self.skipped.push(e),
            Item::Folder(mut found) => {
                self.stamps.append(&mut found.stamps);
                self.errors.append(&mut found.errors);
                self.skipped.append(&mut found.skipped);
            }
            Item::Nothing => {}
        }
    }
}

/// What one entry of a folder gives.
enum Item {
    Stamp(Stamp),
    Error(FileError),
    Skipped(FileError),
    Folder(Found),
    Nothing,
}

/// The folders a link must not lead back into: those being walked, as
/// (canonical path, path in the walk).
type Ancestors = [(PathBuf, PathBuf)];

struct Walk<'a> {
    links: &'a Links,
    /// The folder walked, canonical.
    root: PathBuf,
}

/// The stamps of the Markdown files below `dir`, a site's `content/`.
pub fn markdown_stamps(dir: &Path, links: &Links) -> Found {
    // A `content` that is a file holds no articles, as in the serial walk.
    if std::fs::metadata(dir).is_ok_and(|m| !m.is_dir()) {
        return Found::default();
    }
    let root = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let walk = Walk { links, root };
    let ancestors = [(walk.root.clone(), dir.to_path_buf())];
    walk.folder(dir, &ancestors)
}

fn is_article(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "md")
}

fn error(path: PathBuf, problem: ReadProblem) -> Item {
    Item::Error(FileError::new(Location::file(path), Problem::Read(problem)))
}

fn io_error(path: PathBuf, e: std::io::Error) -> Item {
    error(path, ReadProblem::Io(e.into()))
}

impl Walk<'_> {
    fn folder(&self, dir: &Path, ancestors: &Ancestors) -> Found {
        let mut found = Found::default();
        let listing = match std::fs::read_dir(dir) {
            Ok(listing) => listing,
            Err(e) => {
                found.add(io_error(dir.to_path_buf(), e));
                return found;
            }
        };
        // Each name copied once, for the sort and for the entry: a month
        // folder of a large archive holds a thousand articles, and a fifth
        // of the samples of a walk of 100 000 went to copying, checking
        // and sorting names and paths (most of the rest is the kernel's).
        let mut entries: Vec<(OsString, DirEntry)> = Vec::new();
        for entry in listing {
            match entry {
                Ok(entry) => entries.push((entry.file_name(), entry)),
                Err(e) => found.add(io_error(dir.to_path_buf(), e)),
            }
        }
        // Names in a folder differ, so an unstable sort gives one order.
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let items: Vec<Item> = entries
            .into_par_iter()
            .map(|(name, e)| self.entry(&e, name, ancestors))
            .collect();
        // Sized once: a site's stamps are moved up once per folder level.
        let stamps = items.iter().map(|item| match item {
            Item::Stamp(_) => 1,
            Item::Folder(f) => f.stamps.len(),
            _ => 0,
        });
        found.stamps.reserve_exact(stamps.sum());
        for item in items {
            found.add(item);
        }
        found
    }

    fn entry(&self, entry: &DirEntry, name: OsString, ancestors: &Ancestors) -> Item {
        let path = entry.path();
        let own = match entry.file_type() {
            Ok(t) => t,
            Err(e) => return io_error(path, e),
        };
        let link = own.is_symlink();
        // A link is followed before anything else is decided, so a link that
        // leads nowhere is an error even where its name hides it.
        let followed = if link {
            match std::fs::metadata(&path) {
                Ok(m) => Some(m),
                Err(e) => return self.unfollowed(path, e),
            }
        } else {
            None
        };
        let kind = followed.as_ref().map_or(own, Metadata::file_type);
        let canonical = match (kind.is_dir(), link) {
            (false, _) => None,
            (true, false) => ancestors.last().map(|(c, _)| c.join(&name)),
            (true, true) => match path.canonicalize() {
                Ok(c) => Some(c),
                Err(e) => return io_error(path, e),
            },
        };
        if let Some(c) = canonical.as_ref().filter(|_| link) {
            if let Some((_, ancestor)) = ancestors.iter().find(|(a, _)| a == c) {
                return error(path, ReadProblem::LinkLoop(ancestor.clone()));
            }
        }
        if name.as_encoded_bytes().starts_with(b".") {
            return Item::Nothing;
        }
        if let Some(item) = self.refused(&path, &name, kind, link) {
            return item;
        }
        match canonical {
            Some(canonical) => self.subfolder(path, canonical, link, ancestors),
            None => Self::file(entry, path, &name, kind, followed),
        }
    }

    /// A link that could not be followed, as the error it is.
    fn unfollowed(&self, path: PathBuf, e: std::io::Error) -> Item {
        match crate::read::dangling_target(&path, Some(&e)) {
            Some(target) => error(path, ReadProblem::DanglingLink(target)),
            None => io_error(path, e),
        }
    }

    /// An entry taken by its name that cannot be: a name that is not
    /// text, or a link that leads out of the site.
    fn refused(&self, path: &Path, name: &OsStr, kind: FileType, link: bool) -> Option<Item> {
        if name.to_str().is_none() && (kind.is_dir() || is_article(path)) {
            return Some(error(path.to_path_buf(), ReadProblem::NameNotUtf8));
        }
        if link && !self.links.follows(path, Some(&self.root)) {
            let target = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
            let warning = FileError::new(Location::file(path), Problem::Read(ReadProblem::LinkOutside(target)));
            return Some(Item::Skipped(warning));
        }
        None
    }

    fn subfolder(&self, path: PathBuf, canonical: PathBuf, link: bool, ancestors: &Ancestors) -> Item {
        // A link to a folder above the one walked would walk it again inside itself.
        if link && self.root.starts_with(&canonical) {
            return error(path, ReadProblem::LinkLoop(canonical));
        }
        let mut found = Found::default();
        if is_article(&path) {
            let extension = path.extension().unwrap_or_default().to_string_lossy().into_owned();
            found.add(error(path.clone(), ReadProblem::FolderNamedLikeFile(extension)));
        }
        let mut inner = ancestors.to_vec();
        inner.push((canonical, path.clone()));
        found.add(Item::Folder(self.folder(&path, &inner)));
        Item::Folder(found)
    }

    fn file(entry: &DirEntry, path: PathBuf, name: &OsStr, kind: FileType, followed: Option<Metadata>) -> Item {
        // By the name the folder gave, not by parsing the path again (a
        // name that starts with a dot was passed over before).
        if !name.as_encoded_bytes().ends_with(b".md") {
            return Item::Nothing;
        }
        if !kind.is_file() {
            return error(path, ReadProblem::NotAFile(crate::read::kind_of(&kind)));
        }
        // Asked of the open folder: no lookup of the path's every component.
        match followed.map_or_else(|| entry.metadata(), Ok) {
            Ok(meta) => Item::Stamp(Stamp::of(&path, &meta)),
            Err(e) => io_error(path, e),
        }
    }
}

#[cfg(all(test, unix))]
mod tests;
