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
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::error::{Error, FileError, Location, Problem, WriteProblem};
use crate::output::journal;

/// Marks a folder as blatt's output; its contents explain that, and name the
/// build generation the manifest beside the folder must match (a
/// fingerprint of the output's files: a rebuild of the same site leaves the
/// marker as it was, so that an upload has nothing to send).
pub const MARKER: &str = ".blatt-output";
const MARKER_TEXT: &str =
    "This folder is written by `blatt build`; blatt replaces and deletes the files it made in it, and keeps others.\n";

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
    /// The topmost folder above the output that this build created.
    created: Option<PathBuf>,
    /// Whether there was an output to compare with when the build began:
    /// without one, a first build does not ask the disk for each file's
    /// previous version (one failed open per file).
    had_output: bool,
    written: AtomicUsize,
    kept: AtomicUsize,
    /// Folders of the staging folder made so far, site-relative. Most files
    /// share their folder with others (a term's feeds, a listing's pages):
    /// asking the system again for a folder that exists costs a failed
    /// `mkdir` and a `stat` per file.
    folders: Mutex<foldhash::HashSet<String>>,
    /// Files written anew, the first [`journal::MAX_SPARES`]: where the
    /// previous site's version, if it had one, is a spare once it is
    /// swapped out (`journal::keep_spares_from`).
    fresh: Mutex<Vec<String>>,
}

/// The marker's name while [`check_writable`] has it renamed.
pub const PROBE: &str = ".blatt-output.probe";

fn is_ours(dir: &Path) -> bool {
    // A run killed within `check_writable` leaves the marker as the probe.
    dir.join(MARKER).is_file() || dir.join(PROBE).is_file()
}

/// Whether blatt may change the entries of its output folder `out`: create,
/// rename and delete files in it. Checked before anything is swapped or
/// renamed into it, because once the new site is in place the old one has
/// to be deleted; a folder that forbids that (read-only to this user,
/// immutable or append-only) would leave the old site beside the new one
/// and stop every later build. `access` answers for permissions, also to
/// root for an immutable folder; renaming the marker and back answers for
/// the rest (root passes `access` on an append-only folder).
pub fn check_writable(out: &Path) -> io::Result<()> {
    let refused = |e: io::Error| {
        io::Error::new(
            e.kind(),
            format!(
                "blatt cannot change the files in this output folder ({e}), and nothing was \
                 changed. It needs to create, rename and delete files there: make the folder \
                 writable, or choose another with --out"
            ),
        )
    };
    #[cfg(unix)]
    rustix::fs::access(out, rustix::fs::Access::WRITE_OK | rustix::fs::Access::EXEC_OK)
        .map_err(|e| refused(e.into()))?;
    let (marker, probe) = (out.join(MARKER), out.join(PROBE));
    if !marker.exists() && probe.exists() {
        fs::rename(&probe, &marker).map_err(refused)?;
    }
    if marker.exists() {
        fs::rename(&marker, &probe).map_err(refused)?;
        fs::rename(&probe, &marker)?;
    }
    Ok(())
}

fn is_empty_dir(dir: &Path) -> bool {
    fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false)
}

/// Refuses to build into `out` unless it is missing, an empty folder, or a
/// folder with blatt's marker: the build replaces the folder as a whole.
/// A marker left renamed by a run killed within [`check_writable`] gets
/// its name back first.
pub fn check_replaceable(out: &Path) -> Result<(), Error> {
    let meta = match fs::symlink_metadata(out) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(out, e)),
    };
    let (marker, probe) = (out.join(MARKER), out.join(PROBE));
    if meta.is_dir() && !marker.exists() && probe.is_file() {
        fs::rename(&probe, &marker).map_err(|e| Error::io(&probe, e))?;
    }
    if meta.is_dir() && (is_ours(out) || is_empty_dir(out)) {
        return Ok(());
    }
    let what = if meta.is_dir() {
        "exists"
    } else {
        "exists, is not a folder,"
    };
    Err(Error::Refused(format!(
        "{} {what} and was not made by blatt (it has no {MARKER} file); \
         refusing to replace it. Remove it or choose another folder with --out",
        out.display()
    )))
}

/// `{parent}/.{name}.blatt-staging`: where a build of `out` is staged.
fn staging_for(out: &Path) -> PathBuf {
    crate::output::beside(out, "blatt-staging")
}

/// Removes what a killed build of `out` left beside it: the previous site,
/// moved into the staging folder after a swap and not yet deleted, and the
/// temporary files of the manifest's parts being written (named
/// `.{name}.blatt-….tmp`, see [`crate::output::write_atomic_with`]; up to
/// the size of the word cache, 300 MB at 100 000 articles). Run before
/// every build, as the build that finds them may have nothing to swap (the
/// new site and its manifest are in place). A leftover that cannot be
/// removed stays for the next full build to report; builds that swap
/// nothing do not need it gone.
pub fn recover(out: &Path) {
    let staging = staging_for(out);
    if is_ours(&staging) {
        let _ = remove_ours(&staging);
    }
    for leftover in interrupted_writes(out) {
        let _ = fs::remove_file(leftover);
    }
}

/// The temporary files beside `out` that only a build of `out` makes.
fn interrupted_writes(out: &Path) -> Vec<PathBuf> {
    let ours = crate::output::beside(out, "blatt-");
    let (Some(parent), Some(start)) = (ours.parent(), ours.file_name().and_then(|n| n.to_str())) else {
        return Vec::new();
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(start) && n.ends_with(".tmp"))
                && e.file_type().is_ok_and(|t| t.is_file())
        })
        .map(|e| e.path())
        .collect()
}

/// Creates `dir` and any missing parents; returns the topmost folder it
/// created, for [`remove_created`].
fn create_folders(dir: &Path) -> io::Result<Option<PathBuf>> {
    let mut topmost = None;
    let mut missing = dir;
    while !missing.exists() {
        topmost = Some(missing.to_path_buf());
        match missing.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(parent) => missing = parent,
            None => break,
        }
    }
    fs::create_dir_all(dir)?;
    Ok(topmost)
}

/// Removes the empty folders from `dir` up to `topmost`, which
/// [`create_folders`] made: a build that did not commit leaves none.
fn remove_created(dir: &Path, topmost: &Path) {
    for folder in dir.ancestors() {
        if fs::remove_dir(folder).is_err() || folder == topmost {
            break;
        }
    }
}

impl BuildDir {
    /// Prepares `{parent}/.{name}.blatt-staging` for a build of `out`.
    pub fn create(out: &Path) -> Result<BuildDir, Error> {
        check_replaceable(out)?;
        let staging = staging_for(out);
        let parent = staging.parent().expect("beside the output");
        let created = create_folders(parent).map_err(|e| Error::io(parent, e))?;
        if staging.exists() {
            // Left behind by a build that was killed; ours to clear.
            if is_ours(&staging) || is_empty_dir(&staging) {
                remove_ours(&staging).map_err(|e| Error::io(&staging, e))?;
            } else {
                return Err(Error::Refused(format!(
                    "{} exists and is not blatt's; remove it",
                    staging.display()
                )));
            }
        }
        let build = BuildDir {
            out: out.to_path_buf(),
            staging,
            created,
            had_output: out.is_dir(),
            written: AtomicUsize::new(0),
            kept: AtomicUsize::new(0),
            folders: Mutex::default(),
            fresh: Mutex::default(),
        };
        fs::create_dir(&build.staging).map_err(|e| Error::io(&build.staging, e))?;
        let marker = build.staging.join(MARKER);
        fs::write(&marker, marker_text(0)).map_err(|e| Error::io(marker, e))?;
        Ok(build)
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
        self.make_folder_of(rel)?;
        let target = self.staging.join(rel);
        let old = self.out.join(rel);
        let same = match previous {
            Previous::Same => true,
            Previous::Different => false,
            Previous::Unknown => self.had_output && fs::read(&old).is_ok_and(|o| o == bytes),
        };
        if same && (fs::hard_link(&old, &target).is_ok() || copy_with_mtime(&old, &target).is_ok()) {
            self.kept.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        fs::write(&target, bytes)?;
        if self.written.fetch_add(1, Ordering::Relaxed) < journal::MAX_SPARES {
            self.fresh
                .lock()
                .expect("no panic while holding the lock")
                .push(rel.to_string());
        }
        Ok(())
    }

    /// Carries `rel` over from the previous output unless a new version was
    /// written: for updates that render only what changed.
    pub fn keep(&self, rel: &str) -> io::Result<()> {
        let target = self.staging.join(rel);
        if target.symlink_metadata().is_ok() {
            return Ok(());
        }
        let old = self.out.join(rel);
        let file_type = fs::symlink_metadata(&old)?.file_type();
        self.make_folder_of(rel)?;
        carry(&old, &target, &file_type)?;
        self.kept.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Makes the folder that the file `rel` (site-relative, `/` between
    /// folders) goes in, unless this build made it already.
    fn make_folder_of(&self, rel: &str) -> io::Result<()> {
        let Some((folder, _)) = rel.rsplit_once('/') else {
            return Ok(());
        };
        let known = || self.folders.lock().expect("no panic while holding the lock");
        if known().contains(folder) {
            return Ok(());
        }
        // Two threads may both make it: making a folder that exists is no error.
        fs::create_dir_all(self.staging.join(folder))?;
        known().insert(folder.to_string());
        Ok(())
    }

    /// Carries every file of the previous output that blatt did not make
    /// into the new one (with its links and modification time), so that a
    /// build never deletes what someone else put there. `blatts(rel)` says
    /// whether the previous build wrote `rel`, from its manifest. A file of
    /// someone else's where this build writes one stops the build: one of
    /// the two would be lost. Without a manifest (`None`), the marker says
    /// the folder is blatt's: files this build writes replace those of the
    /// same name, and every other file is kept.
    pub fn keep_others(&self, blatts: Option<&(dyn Fn(&str) -> bool + Sync)>) -> Result<(), Error> {
        if !self.out.is_dir() {
            return Ok(());
        }
        let mut clashes = Vec::new();
        let blatts_own = |rel: &str| rel == MARKER || rel == PROBE || blatts.is_some_and(|made| made(rel));
        let mut others = files_below(&self.out, "", &blatts_own)?;
        others.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
        for Found {
            rel: name,
            path,
            file_type,
        } in others
        {
            let target = self.staging.join(&name);
            // Written by this build, or where it made a file a folder would be.
            if in_the_way(&self.staging, &name).is_some() {
                if blatts.is_some() {
                    clashes.push(FileError::new(
                        Location::file(&path),
                        Problem::Write(WriteProblem::NotBlatts),
                    ));
                }
                continue;
            }
            self.make_folder_of(&name)
                .and_then(|()| carry(&path, &target, &file_type))
                .map_err(|e| Error::io(&target, e))?;
            self.kept.fetch_add(1, Ordering::Relaxed);
        }
        if clashes.is_empty() {
            Ok(())
        } else {
            Err(Error::Files(clashes))
        }
    }

    /// How many files were written anew and how many carried over unchanged.
    pub fn counts(&self) -> (usize, usize) {
        (self.written.load(Ordering::Relaxed), self.kept.load(Ordering::Relaxed))
    }

    /// Replaces the output with the staging folder, then writes the files
    /// beside it (the build's record, whose `generation` the marker names).
    pub fn commit(self, generation: u64, beside: &[crate::output::BesideFile]) -> Result<PathBuf, Error> {
        let marker = self.staging.join(MARKER);
        let text = marker_text(generation);
        let old = self.out.join(MARKER);
        // The same generation: the same file, with its modification time.
        let same = fs::read(&old).is_ok_and(|b| b == text.as_bytes())
            && fs::remove_file(&marker).is_ok()
            && (fs::hard_link(&old, &marker).is_ok() || copy_with_mtime(&old, &marker).is_ok());
        if !same {
            fs::write(&marker, text).map_err(|e| Error::io(&marker, e))?;
        }
        // Until the swap, a failure drops `self`, which removes the staging folder.
        let swapped = self.out.exists();
        if swapped {
            check_writable(&self.out).map_err(|e| Error::io(&self.out, e))?;
            swap(&self.staging, &self.out).map_err(|e| Error::io(&self.out, e))?;
        } else {
            fs::rename(&self.staging, &self.out).map_err(|e| Error::io(&self.out, e))?;
        }
        let (out, staging) = (self.out.clone(), self.staging.clone());
        let fresh = std::mem::take(&mut *self.fresh.lock().expect("no panic while holding the lock"));
        std::mem::forget(self);
        for file in beside {
            let path = crate::output::beside(&out, file.suffix);
            crate::output::write_atomic_parts(&path, &file.parts).map_err(|e| Error::io(&path, e))?;
        }
        if swapped {
            // `staging` now holds the previous site.
            journal::keep_spares_from(&out, &staging, &fresh);
            remove_ours(&staging).map_err(|e| {
                Error::Refused(format!(
                    "the new site is in {}, but the previous one, moved to {}, cannot be \
                     removed ({e}); remove it before the next build",
                    out.display(),
                    staging.display()
                ))
            })?;
        }
        Ok(out)
    }
}

impl Drop for BuildDir {
    /// A build that did not commit leaves no staging folder behind.
    fn drop(&mut self) {
        let _ = remove_ours(&self.staging);
        if let (Some(topmost), Some(parent)) = (&self.created, self.staging.parent()) {
            remove_created(parent, topmost);
        }
    }
}

/// Deletes one of blatt's folders with its marker last, so that a run
/// killed halfway leaves a folder the next run still knows to be its own.
fn remove_ours(dir: &Path) -> io::Result<()> {
    crate::output::remove_contents(dir, &[MARKER])?;
    match fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(dir)
}

/// A file (or link, or other non-folder) below the output.
struct Found {
    /// Its path relative to the output, with `/` between names.
    rel: String,
    path: PathBuf,
    file_type: fs::FileType,
}

/// The files below `dir` (whose path relative to the output is `rel`, empty
/// at the top) but those `skip` names, read on every core: a full build
/// looks through the whole previous site for files blatt did not make, and
/// at 100 000 articles walking its 140 000 files one by one took a second.
/// Links are listed, never followed.
fn files_below(dir: &Path, rel: &str, skip: &(dyn Fn(&str) -> bool + Sync)) -> Result<Vec<Found>, Error> {
    let entries = fs::read_dir(dir)
        .and_then(|d| d.collect::<io::Result<Vec<_>>>())
        .map_err(|e| Error::io(dir, e))?;
    let nested = entries
        .par_iter()
        .map(|entry| {
            let name = entry.file_name();
            let rel = match rel {
                "" => name.to_string_lossy().into_owned(),
                _ => format!("{rel}/{}", name.to_string_lossy()),
            };
            let path = entry.path();
            let file_type = entry.file_type().map_err(|e| Error::io(&path, e))?;
            if file_type.is_dir() {
                files_below(&path, &rel, skip)
            } else if skip(&rel) {
                Ok(Vec::new())
            } else {
                Ok(vec![Found { rel, path, file_type }])
            }
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(nested.into_iter().flatten().collect())
}

/// The file in `out` that writing `rel` there would replace: at `rel`
/// itself, or a file where one of its folders would be.
pub fn in_the_way(out: &Path, rel: &str) -> Option<PathBuf> {
    let target = out.join(rel);
    if target.symlink_metadata().is_ok() {
        return Some(target);
    }
    target
        .ancestors()
        .skip(1)
        .take_while(|a| *a != out)
        .find(|a| a.symlink_metadata().is_ok_and(|m| !m.is_dir()))
        .map(Path::to_path_buf)
}

/// Puts the file (or link, or other non-folder) at `from` at `to` as well.
/// Its folder must exist.
fn carry(from: &Path, to: &Path, file_type: &fs::FileType) -> io::Result<()> {
    if file_type.is_symlink() {
        #[cfg(unix)]
        return std::os::unix::fs::symlink(fs::read_link(from)?, to);
    }
    match fs::hard_link(from, to) {
        Err(_) if file_type.is_file() => copy_with_mtime(from, to),
        other => other,
    }
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
    fn recover_removes_the_manifests_interrupted_writes_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir(&out).unwrap();
        let ours = [
            ".public.blatt-manifest.tail.Ab12Cd.tmp",
            ".public.blatt-manifest.search.zZ9yY8.tmp",
        ];
        let others = [
            ".public.notes.tmp",
            ".public2.blatt-manifest.Ab12Cd.tmp",
            ".public.blatt-manifest.tail",
            "public.blatt-manifest.Ab12Cd.tmp",
        ];
        for name in ours.iter().chain(&others) {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        fs::create_dir(dir.path().join(".public.blatt-folder.tmp")).unwrap();
        recover(&out);
        for name in ours {
            assert!(!dir.path().join(name).exists(), "{name} kept");
        }
        for name in others.iter().chain(&[".public.blatt-folder.tmp"]) {
            assert!(dir.path().join(name).exists(), "{name} removed");
        }
    }

    #[cfg(unix)]
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

        let old_b = {
            use std::os::unix::fs::MetadataExt;
            fs::metadata(out.join("b.txt")).unwrap().ino()
        };
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
            4,
            "the output, the two files beside it and the spares: {leftovers:?}"
        );
        assert_eq!(marker_generation(&out), Some(2));
        // The version of b.txt the swap replaced, not the unchanged page the
        // new site shares, is a spare for the next in-place update, emptied.
        use std::os::unix::fs::MetadataExt;
        let spares: Vec<(u64, u64)> = fs::read_dir(crate::output::journal::empty_spares_for(&out))
            .unwrap()
            .map(|e| e.unwrap().metadata().unwrap())
            .map(|m| (m.ino(), m.len()))
            .collect();
        assert_eq!(spares, [(old_b, 0)]);
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
    fn a_marker_left_renamed_by_a_killed_check_is_restored() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir(&out).unwrap();
        fs::write(out.join(PROBE), marker_text(7)).unwrap();
        fs::write(out.join("index.html"), "x").unwrap();
        check_replaceable(&out).unwrap();
        assert_eq!(marker_generation(&out), Some(7));
        assert!(!out.join(PROBE).exists());
        check_writable(&out).unwrap();
        assert_eq!(marker_generation(&out), Some(7));
        assert!(!out.join(PROBE).exists());
    }

    #[test]
    fn others_files_are_carried_over_unless_the_build_writes_the_same_name() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = BuildDir::create(&out).unwrap();
        first.write("old.html", b"blatt's", Previous::Unknown).unwrap();
        first.commit(0, &record()).unwrap();
        fs::create_dir_all(out.join("mine")).unwrap();
        fs::write(out.join("mine/notes.txt"), "mine").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("/elsewhere", out.join("link")).unwrap();
        let made = |f: &str| f == "old.html";

        let second = BuildDir::create(&out).unwrap();
        second.write("new.html", b"new", Previous::Unknown).unwrap();
        second.keep_others(Some(&made)).unwrap();
        second.commit(0, &record()).unwrap();
        assert!(!out.join("old.html").exists(), "blatt's old file goes");
        assert_eq!(fs::read_to_string(out.join("mine/notes.txt")).unwrap(), "mine");
        #[cfg(unix)]
        assert_eq!(fs::read_link(out.join("link")).unwrap(), Path::new("/elsewhere"));

        let third = BuildDir::create(&out).unwrap();
        third.write("mine/notes.txt", b"blatt's", Previous::Unknown).unwrap();
        let Err(Error::Files(clashes)) = third.keep_others(Some(&made)) else {
            panic!("a clash stops the build")
        };
        assert_eq!(clashes[0].location.path, out.join("mine/notes.txt"));
        drop(third);
        assert_eq!(fs::read_to_string(out.join("mine/notes.txt")).unwrap(), "mine");
        // Without a manifest, the marker says the folder is blatt's.
        let fourth = BuildDir::create(&out).unwrap();
        fourth.write("mine/notes.txt", b"blatt's", Previous::Unknown).unwrap();
        fourth.keep_others(None).unwrap();
        fourth.commit(0, &record()).unwrap();
        assert_eq!(fs::read_to_string(out.join("mine/notes.txt")).unwrap(), "blatt's");
        assert_eq!(
            fs::read_to_string(out.join("new.html")).unwrap(),
            "new",
            "kept: not written again"
        );
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
