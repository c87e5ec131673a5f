//! Build output that is replaced all at once.
//!
//! A build writes into a fresh folder beside the output and swaps it in when
//! everything succeeded, so a failed or killed build leaves the previous site
//! as it was. Files whose bytes did not change are carried over with their
//! modification time, so `rsync` and CDN uploads move only what changed. A
//! marker file says the folder is blatt's: blatt never replaces a folder
//! that does not carry it (unless it is empty).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::Error;

/// Marks a folder as blatt's output; its contents explain that, and name the
/// build generation the manifest beside the folder must match.
pub const MARKER: &str = ".blatt-output";
const MARKER_TEXT: &str = "This folder is written by `blatt build`; blatt replaces and deletes files in it.\n";

/// The marker's text for build `generation`.
pub fn marker_text(generation: u64) -> String {
    format!("{MARKER_TEXT}generation {generation}\n")
}

/// The generation named by the marker in `out`, if `out` is blatt's.
pub fn marker_generation(out: &Path) -> Option<u64> {
    let text = fs::read_to_string(out.join(MARKER)).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("generation "))
        .and_then(|g| g.trim().parse().ok())
}

/// What is known about the previous version of an output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Previous {
    /// The manifest says its bytes are the same: keep it.
    Same,
    /// The manifest says they differ, or there was none: write.
    Different,
    /// No manifest: compare with the file on disk.
    Unknown,
}

/// A build's staging folder beside the output.
pub struct BuildDir {
    out: PathBuf,
    staging: PathBuf,
    written: AtomicUsize,
    kept: AtomicUsize,
}

fn is_ours(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
}

fn is_empty_dir(dir: &Path) -> bool {
    fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false)
}

impl BuildDir {
    /// Prepares `{parent}/.{name}.blatt-staging` for a build of `out`.
    pub fn create(out: &Path) -> Result<BuildDir, Error> {
        if out.exists() && !(out.is_dir() && (is_ours(out) || is_empty_dir(out))) {
            return Err(Error::Usage(format!(
                "{} exists and was not made by blatt (it has no {MARKER} file); \
                 refusing to replace it. Remove it or choose another folder with --out",
                out.display()
            )));
        }
        let staging = crate::output::beside(out, "blatt-staging");
        let parent = staging.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        if staging.exists() {
            // Left behind by a build that was killed; ours to clear.
            if is_ours(&staging) || is_empty_dir(&staging) {
                remove_ours(&staging).map_err(|e| Error::io(&staging, e))?;
            } else {
                return Err(Error::Usage(format!(
                    "{} exists and is not blatt's; remove it",
                    staging.display()
                )));
            }
        }
        fs::create_dir(&staging).map_err(|e| Error::io(&staging, e))?;
        fs::write(staging.join(MARKER), marker_text(0)).map_err(|e| Error::io(staging.join(MARKER), e))?;
        Ok(BuildDir {
            out: out.to_path_buf(),
            staging,
            written: AtomicUsize::new(0),
            kept: AtomicUsize::new(0),
        })
    }

    /// The output folder this build replaces.
    pub fn out(&self) -> &Path {
        &self.out
    }

    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// Writes one file (site-relative path); a file whose bytes did not
    /// change is carried over from the previous output with its mtime.
    /// Safe to call from many threads.
    pub fn write(&self, rel: &str, bytes: &[u8], previous: Previous) -> io::Result<()> {
        let target = self.staging.join(rel);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        let old = self.out.join(rel);
        let same = match previous {
            Previous::Same => true,
            Previous::Different => false,
            Previous::Unknown => fs::read(&old).is_ok_and(|o| o == bytes),
        };
        if same && (fs::hard_link(&old, &target).is_ok() || copy_with_mtime(&old, &target).is_ok()) {
            self.kept.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        fs::write(&target, bytes)?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Carries `rel` over from the previous output unless a new version was
    /// written: for updates that render only what changed.
    pub fn keep(&self, rel: &str) -> io::Result<()> {
        let target = self.staging.join(rel);
        if target.exists() {
            return Ok(());
        }
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        let old = self.out.join(rel);
        if fs::hard_link(&old, &target).is_err() {
            copy_with_mtime(&old, &target)?;
        }
        self.kept.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// How many files were written anew and how many carried over unchanged.
    pub fn counts(&self) -> (usize, usize) {
        (self.written.load(Ordering::Relaxed), self.kept.load(Ordering::Relaxed))
    }

    /// Replaces the output with the staging folder, then writes the files
    /// beside it (the build's record, whose `generation` the marker names).
    pub fn commit(self, generation: u64, beside: &[crate::output::BesideFile]) -> Result<PathBuf, Error> {
        let out = self.out.clone();
        let staging = self.staging.clone();
        let marker = staging.join(MARKER);
        fs::write(&marker, marker_text(generation)).map_err(|e| Error::io(&marker, e))?;
        std::mem::forget(self);
        if out.exists() {
            swap(&staging, &out).map_err(|e| Error::io(&out, e))?;
            // `staging` now holds the previous site.
            remove_ours(&staging).map_err(|e| Error::io(&staging, e))?;
        } else {
            fs::rename(&staging, &out).map_err(|e| Error::io(&out, e))?;
        }
        for file in beside {
            let path = crate::output::beside(&out, file.suffix);
            crate::output::write_atomic_parts(&path, &file.parts).map_err(|e| Error::io(&path, e))?;
        }
        Ok(out)
    }
}

impl Drop for BuildDir {
    /// A build that did not commit leaves no staging folder behind.
    fn drop(&mut self) {
        let _ = remove_ours(&self.staging);
    }
}

/// Deletes one of blatt's folders with its marker last, so that a run
/// killed halfway leaves a folder the next run still knows to be its own.
fn remove_ours(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())?;
        } else {
            fs::remove_file(entry.path())?;
        }
    }
    match fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(dir)
}

fn copy_with_mtime(from: &Path, to: &Path) -> io::Result<()> {
    fs::copy(from, to)?;
    let mtime = fs::metadata(from)?.modified()?;
    fs::File::options().write(true).open(to)?.set_modified(mtime)
}

/// Exchanges two folders in one step where the system can (Linux), so that
/// at every moment the output path holds a complete site.
#[cfg(target_os = "linux")]
fn swap(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => swap_by_renames(a, b),
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn swap(a: &Path, b: &Path) -> io::Result<()> {
    swap_by_renames(a, b)
}

fn swap_by_renames(a: &Path, b: &Path) -> io::Result<()> {
    let aside = a.with_extension("blatt-old");
    fs::rename(b, &aside)?;
    fs::rename(a, b)?;
    fs::rename(&aside, a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    fn record() -> [crate::output::BesideFile<'static>; 2] {
        [
            crate::output::BesideFile {
                suffix: "record.tail",
                parts: vec![b"tail"],
            },
            crate::output::BesideFile {
                suffix: "record",
                parts: vec![b"head"],
            },
        ]
    }

    #[test]
    fn swaps_and_keeps_unchanged_files_with_their_mtime() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = BuildDir::create(&out).unwrap();
        first.write("a/index.html", b"A", Previous::Unknown).unwrap();
        first.write("b.txt", b"B", Previous::Unknown).unwrap();
        first.commit(1, &record()).unwrap();
        let old_time = SystemTime::now() - Duration::from_secs(3600);
        fs::File::options()
            .write(true)
            .open(out.join("a/index.html"))
            .unwrap()
            .set_modified(old_time)
            .unwrap();

        let second = BuildDir::create(&out).unwrap();
        second.write("a/index.html", b"A", Previous::Unknown).unwrap();
        second.write("b.txt", b"B2", Previous::Unknown).unwrap();
        assert_eq!(second.counts(), (1, 1));
        assert_eq!(fs::read(out.join("b.txt")).unwrap(), b"B", "not visible before commit");
        second.commit(2, &record()).unwrap();
        assert_eq!(fs::read(out.join("b.txt")).unwrap(), b"B2");
        assert_eq!(
            fs::metadata(out.join("a/index.html")).unwrap().modified().unwrap(),
            old_time
        );
        assert!(out.join(MARKER).is_file());
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            leftovers.len(),
            3,
            "the output and the two files beside it: {leftovers:?}"
        );
        assert_eq!(marker_generation(&out), Some(2));
    }

    #[test]
    fn never_replaces_a_folder_it_did_not_make() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("precious.txt"), "mine").unwrap();
        assert!(BuildDir::create(&out).is_err());
        assert_eq!(fs::read_to_string(out.join("precious.txt")).unwrap(), "mine");
    }

    #[test]
    fn an_abandoned_build_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let build = BuildDir::create(&out).unwrap();
        build.write("x.html", b"x", Previous::Unknown).unwrap();
        drop(build);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
