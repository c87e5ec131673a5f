//! Updating an output folder in place, for incremental builds.
//!
//! Swapping in a whole new folder costs one new file and, for article pages,
//! one new folder per output, which at 100 000 articles is far more than an
//! edit is worth (linking a copy of such a site takes seconds). An
//! incremental build instead writes each changed file into a staging folder
//! beside the output, and then renames it over its target. A journal beside
//! the output lists what the update touches before anything is written, and
//! is marked committed only when every new file is complete: a build killed
//! before that point leaves the output exactly as it was (the staged files
//! are not in it, and the next run removes them); one killed after it is
//! finished by the next run, before that run does anything else. Only the
//! renames themselves, a moment per changed file, happen with the journal
//! committed and the output half updated.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::output::{BesideFile, beside};

const HEADER: &str = "blatt-journal 3";
const COMMIT: &str = "COMMIT";
/// A journal line for a file beside the output rather than in it
/// ([`BesideFile`]): `@` and its suffix.
const BESIDE: char = '@';

/// Where the journal of output folder `out` lives: beside it (named after
/// the manifest, beside which it has always lived).
pub fn path_for(out: &Path) -> PathBuf {
    beside(out, "blatt-manifest.journal")
}

/// A journal being written, before it is renamed into place.
fn unfinished_for(journal: &Path) -> PathBuf {
    let mut p = journal.as_os_str().to_os_string();
    p.push(".new");
    PathBuf::from(p)
}

/// Where an update's new files wait for the commit: beside the output (so a
/// rename moves them in) and outside it (so the site never serves them).
pub fn staging_for(out: &Path) -> PathBuf {
    beside(out, "blatt-manifest.update")
}

fn target_path(out: &Path, rel: &str) -> PathBuf {
    match rel.strip_prefix(BESIDE) {
        Some(suffix) => beside(out, suffix),
        None => out.join(rel),
    }
}

/// An in-place update being prepared.
pub struct Update {
    out: PathBuf,
    journal: PathBuf,
    staging: PathBuf,
    /// Each file the update may write, by its place in the journal, which
    /// names its staged copy.
    slots: HashMap<String, usize>,
    committed: bool,
}

impl Update {
    /// Starts an update that may write `writes` and will delete `deletes`
    /// (site-relative paths), and will write the files beside the output
    /// named by `beside` (suffixes, in the order they are to be put in
    /// place); records all of it in the journal first.
    pub fn begin(out: &Path, writes: &[String], deletes: &[String], beside: &[&str]) -> io::Result<Update> {
        let journal = path_for(out);
        let staging = staging_for(out);
        let mut text = String::with_capacity((writes.len() + deletes.len()) * 64);
        text.push_str(HEADER);
        text.push('\n');
        let mut slots = HashMap::with_capacity(writes.len() + 1 + beside.len());
        let beside: Vec<String> = beside.iter().map(|suffix| format!("{BESIDE}{suffix}")).collect();
        for rel in writes
            .iter()
            .map(String::as_str)
            .chain([crate::output::build_dir::MARKER])
            .chain(beside.iter().map(String::as_str))
        {
            let next = slots.len();
            if slots.insert(rel.to_string(), next).is_some() {
                continue;
            }
            text.push_str("S ");
            text.push_str(rel);
            text.push('\n');
        }
        for rel in deletes {
            text.push_str("D ");
            text.push_str(rel);
            text.push('\n');
        }
        // Left by a run killed before it wrote its journal: nothing in it counts.
        match fs::remove_dir_all(&staging) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        // Written whole under another name and renamed: a run killed while
        // writing it leaves no journal, never a torn one.
        let unfinished = unfinished_for(&journal);
        let mut file = fs::File::create(&unfinished)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        fs::rename(&unfinished, &journal)?;
        fs::create_dir(&staging)?;
        Ok(Update {
            out: out.to_path_buf(),
            journal,
            staging,
            slots,
            committed: false,
        })
    }

    /// Writes the new version of `rel` into the staging folder. Safe from
    /// many threads.
    pub fn stage(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.stage_parts(rel, &[bytes])
    }

    /// Writes the new version of `rel`, made of `parts`.
    fn stage_parts(&self, rel: &str, parts: &[&[u8]]) -> io::Result<()> {
        let slot = self
            .slots
            .get(rel)
            .ok_or_else(|| io::Error::other(format!("{rel} is not in the update's journal")))?;
        let mut file = io::BufWriter::new(fs::File::create(self.staging.join(slot.to_string()))?);
        for part in parts {
            file.write_all(part)?;
        }
        file.flush()?;
        Ok(())
    }

    /// Marks the journal committed, then moves every staged file into place,
    /// removes the deleted ones, writes the marker and the files beside.
    pub fn commit(mut self, marker: &str, beside: &[BesideFile]) -> io::Result<()> {
        // A committed journal that cannot be carried out would stop every later build.
        crate::output::build_dir::check_writable(&self.out)?;
        // A marker that says the same stays as it is, with its time.
        if fs::read(self.out.join(crate::output::build_dir::MARKER)).map_or(true, |b| b != marker.as_bytes()) {
            self.stage(crate::output::build_dir::MARKER, marker.as_bytes())?;
        }
        for file in beside {
            self.stage_parts(&format!("{BESIDE}{}", file.suffix), &file.parts)?;
        }
        // The renames below must not be reordered before the data.
        if let Ok(d) = fs::File::open(&self.staging) {
            let _ = d.sync_all();
        }
        let mut journal = fs::OpenOptions::new().append(true).open(&self.journal)?;
        writeln!(journal, "{COMMIT}")?;
        journal.sync_all()?;
        self.committed = true;
        apply(&self.out, &self.journal)
    }

    /// The output folder this update changes.
    pub fn out(&self) -> &Path {
        &self.out
    }
}

impl Drop for Update {
    /// An update that was not committed leaves the folder as it was.
    fn drop(&mut self) {
        if !self.committed {
            let _ = discard(&self.out, &self.journal);
        }
    }
}

fn read_journal(journal: &Path) -> io::Result<(Vec<String>, Vec<String>, bool)> {
    let text = fs::read_to_string(journal)?;
    let mut lines = text.lines();
    if lines.next() != Some(HEADER) {
        return Err(io::Error::other(format!(
            "{} is not a blatt journal of this version; delete it and build again",
            journal.display()
        )));
    }
    let (mut staged, mut deleted, mut committed) = (Vec::new(), Vec::new(), false);
    for line in lines {
        if let Some(rel) = line.strip_prefix("S ") {
            staged.push(rel.to_string());
        } else if let Some(rel) = line.strip_prefix("D ") {
            deleted.push(rel.to_string());
        } else if line == COMMIT {
            committed = true;
        }
    }
    Ok((staged, deleted, committed))
}

/// Finishes a committed journal: renames, deletions, then removes it.
fn apply(out: &Path, journal: &Path) -> io::Result<()> {
    let (staged, deleted, _) = read_journal(journal)?;
    let staging = staging_for(out);
    for (slot, rel) in staged.iter().enumerate() {
        let from = staging.join(slot.to_string());
        let to = target_path(out, rel);
        // Moved first, asked after: almost every file goes to a folder that
        // exists. Asking first cost three more system calls per file: 1 430
        // of 9 570 in a new article's rebuild at 1 500 articles (the bench
        // corpus), where the commit took 9 ms instead of 13.
        match fs::rename(&from, &to) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // Not staged (or moved before a crash), or a new folder.
                if from.exists() {
                    if let Some(parent) = to.parent() {
                        fs::create_dir_all(parent)?;
                    }
                    fs::rename(&from, &to)?;
                }
            }
            result => result?,
        }
    }
    for rel in &deleted {
        let path = out.join(rel);
        match fs::remove_file(&path) {
            Ok(()) => remove_empty_parents(out, &path),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    remove_staging(out)?;
    fs::remove_file(journal)
}

fn remove_staging(out: &Path) -> io::Result<()> {
    match fs::remove_dir_all(staging_for(out)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Removes what an uncommitted update staged, and its journal.
fn discard(out: &Path, journal: &Path) -> io::Result<()> {
    remove_staging(out)?;
    fs::remove_file(journal)
}

fn remove_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// Finishes or discards an update a killed build left behind. Returns
/// whether there was one.
pub fn recover(out: &Path) -> io::Result<bool> {
    let journal = path_for(out);
    match fs::remove_file(unfinished_for(&journal)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    if !journal.exists() {
        remove_staging(out)?;
        return Ok(false);
    }
    match read_journal(&journal)? {
        (_, _, true) => apply(out, &journal)?,
        _ => discard(out, &journal)?,
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(dir: &Path) -> PathBuf {
        let out = dir.join("public");
        fs::create_dir_all(out.join("a")).unwrap();
        fs::write(out.join("a/index.html"), "old a").unwrap();
        fs::write(out.join("gone.html"), "gone").unwrap();
        out
    }

    #[test]
    fn commit_replaces_and_deletes() {
        let dir = tempfile::tempdir().unwrap();
        let out = site(dir.path());
        let update = Update::begin(
            &out,
            &["a/index.html".into(), "b/index.html".into()],
            &["gone.html".into()],
            &["record"],
        )
        .unwrap();
        update.stage("a/index.html", b"new a").unwrap();
        update.stage("b/index.html", b"new b").unwrap();
        assert_eq!(
            fs::read_to_string(out.join("a/index.html")).unwrap(),
            "old a",
            "nothing visible before the commit"
        );
        assert!(!out.join("b").exists(), "no new folder before the commit");
        let record = BesideFile {
            suffix: "record",
            parts: vec![b"re", b"cord"],
        };
        update.commit("marker", &[record]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "new a");
        assert_eq!(fs::read_to_string(out.join("b/index.html")).unwrap(), "new b");
        assert!(!out.join("gone.html").exists());
        assert!(!path_for(&out).exists());
        assert_eq!(fs::read_to_string(dir.path().join(".public.record")).unwrap(), "record");
        assert_eq!(
            fs::read_to_string(out.join(crate::output::build_dir::MARKER)).unwrap(),
            "marker"
        );
        assert!(!staging_for(&out).exists());
    }

    #[test]
    fn an_update_that_is_dropped_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = site(dir.path());
        let update = Update::begin(&out, &["a/index.html".into()], &["gone.html".into()], &[]).unwrap();
        update.stage("a/index.html", b"new a").unwrap();
        drop(update);
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "old a");
        assert!(out.join("gone.html").exists());
        assert!(!staging_for(&out).exists());
        assert!(!path_for(&out).exists());
    }

    #[test]
    fn a_committed_journal_is_finished_by_the_next_run() {
        let dir = tempfile::tempdir().unwrap();
        let out = site(dir.path());
        // As a build killed right after the commit mark would leave it.
        fs::create_dir(staging_for(&out)).unwrap();
        fs::write(staging_for(&out).join("0"), "new a").unwrap();
        fs::write(
            path_for(&out),
            format!("{HEADER}\nS a/index.html\nD gone.html\n{COMMIT}\n"),
        )
        .unwrap();
        assert!(recover(&out).unwrap());
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "new a");
        assert!(!out.join("gone.html").exists());
        // And one killed before it is undone.
        fs::create_dir(staging_for(&out)).unwrap();
        fs::write(staging_for(&out).join("0"), "newer a").unwrap();
        fs::write(path_for(&out), format!("{HEADER}\nS a/index.html\n")).unwrap();
        assert!(recover(&out).unwrap());
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "new a");
        assert!(!staging_for(&out).exists());
        assert!(!recover(&out).unwrap());
    }

    #[test]
    fn a_journal_killed_between_its_moves_is_finished_by_the_next_run() {
        let dir = tempfile::tempdir().unwrap();
        let out = site(dir.path());
        // Slot 0 was moved into place before the kill; slots 1 and 2 wait,
        // slot 2 for a folder that does not exist yet.
        fs::write(out.join("a/index.html"), "new a").unwrap();
        fs::create_dir(staging_for(&out)).unwrap();
        fs::write(staging_for(&out).join("1"), "new b").unwrap();
        fs::write(staging_for(&out).join("2"), "new c").unwrap();
        fs::write(
            path_for(&out),
            format!("{HEADER}\nS a/index.html\nS b.html\nS c/d/index.html\n{COMMIT}\n"),
        )
        .unwrap();
        assert!(recover(&out).unwrap());
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "new a");
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "new b");
        assert_eq!(fs::read_to_string(out.join("c/d/index.html")).unwrap(), "new c");
        assert!(!staging_for(&out).exists());
        assert!(!path_for(&out).exists());
    }

    #[test]
    fn a_journal_killed_while_written_leaves_nothing_to_misread() {
        let dir = tempfile::tempdir().unwrap();
        let out = site(dir.path());
        // As a build killed inside `begin` would leave it: part of a header.
        fs::write(unfinished_for(&path_for(&out)), &HEADER[..3]).unwrap();
        assert!(!recover(&out).unwrap(), "no journal, so no update to finish");
        assert!(!unfinished_for(&path_for(&out)).exists());
        let update = Update::begin(&out, &["a/index.html".into()], &[], &[]).unwrap();
        assert!(path_for(&out).exists() && !unfinished_for(&path_for(&out)).exists());
        drop(update);
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "old a");
    }
}
