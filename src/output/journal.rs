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
//!
//! A file renamed over keeps its inode as a spare ([`spares_for`]) rather
//! than freeing it, and the next update writes its staged files into
//! spares. On ext4 without a journal (this project's build machines), a new
//! inode is found by skipping every inode freed in the last minute or more,
//! reading each one's inode table block: an update that replaced a thousand
//! search files made the next one's thousand new files cost a second of
//! system time (a date edit at 10 000 articles: up to 1.3 s on disk against
//! 0.19 s in tmpfs). Reusing inodes frees none.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

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

/// Where the files an update replaced or deleted wait, as spare inodes, to
/// be written again by the next update (see the module's comment).
pub fn spares_for(out: &Path) -> PathBuf {
    beside(out, "blatt-manifest.spare")
}

/// Spares kept at most: about what the largest common updates replace (a
/// re-dated article at 100 000 articles rewrites 2 259 files, search files
/// of 30 KB: 67 MB of old versions beside a 1.6 GB site). The rest are
/// deleted.
pub(super) const MAX_SPARES: usize = 4096;

/// The spare folder of `out`, made if missing, and a namer of new spares
/// (a kind letter and a number) whose names no spare left from an earlier
/// run has. Spares only save time: where the folder cannot be made (a file
/// system that refuses it), files are replaced and deleted as they always
/// were.
fn spare_names(out: &Path) -> (PathBuf, impl Fn(char, usize) -> PathBuf) {
    let spares = spares_for(out);
    let _ = fs::create_dir(&spares);
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let folder = spares.clone();
    (folder, move |kind, k| spares.join(format!("{run}-{kind}{k}")))
}

/// Empties a spare that is ours alone: a page taken down leaves no copy
/// of its text beside the site. One with another name keeps its bytes.
fn empty_spare(spare: &Path) {
    if fs::symlink_metadata(spare).is_ok_and(|m| reusable(&m))
        && let Ok(file) = fs::OpenOptions::new().write(true).open(spare)
    {
        let _ = file.set_len(0);
    }
}

/// Whether a spare can take a staged file's bytes: a file of ours alone,
/// not a link, and not another name of a file in use (a hard link made by
/// a backup of the output, or a spare taken twice after a crash).
#[cfg(unix)]
fn reusable(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.is_file() && meta.nlink() == 1
}

#[cfg(not(unix))]
fn reusable(_: &fs::Metadata) -> bool {
    false
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
    /// Whether the journal waits for the disk before anything moves.
    durable: bool,
    /// Spares not yet taken.
    spares: Mutex<Vec<PathBuf>>,
    /// Spares taken, by slot: an update that is not committed gives them
    /// back (with other bytes, which no spare's matter), so that a failed
    /// build leaves as many as it found.
    taken: Mutex<Vec<(usize, PathBuf)>>,
    /// Which slots were staged: the rest (outputs rendered to the same
    /// bytes) are not looked for when the update is carried out.
    staged: Vec<AtomicBool>,
}

impl Update {
    /// Starts an update that may write `writes` and will delete `deletes`
    /// (site-relative paths), and will write the files beside the output
    /// named by `beside` (suffixes, in the order they are to be put in
    /// place); records all of it in the journal first. `durable`: the
    /// journal is on disk before the first file moves, so that a power
    /// loss leaves an update the next run can finish or undo; an output
    /// that no run will read after a crash (a preview) is spared the waits.
    pub fn begin(
        out: &Path,
        writes: &[String],
        deletes: &[String],
        beside: &[&str],
        durable: bool,
    ) -> io::Result<Update> {
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
        if durable {
            file.sync_all()?;
        }
        fs::rename(&unfinished, &journal)?;
        fs::create_dir(&staging)?;
        let spares = match fs::read_dir(spares_for(out)) {
            Ok(entries) => entries.filter_map(|e| Some(e.ok()?.path())).collect(),
            Err(_) => Vec::new(),
        };
        Ok(Update {
            spares: Mutex::new(spares),
            taken: Mutex::new(Vec::new()),
            staged: (0..slots.len()).map(|_| AtomicBool::new(false)).collect(),
            out: out.to_path_buf(),
            journal,
            staging,
            slots,
            committed: false,
            durable,
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
        let path = self.staging.join(slot.to_string());
        let spare = self.take_spare(*slot, &path);
        let reused = spare.is_some();
        let file = match spare {
            Some(file) => file,
            None => fs::File::create(&path)?,
        };
        let mut file = io::BufWriter::new(file);
        for part in parts {
            file.write_all(part)?;
        }
        file.flush()?;
        if reused {
            // Cut to its new length after, not to nothing before: ext4
            // writes a file emptied and written again back to disk when it
            // is closed (as it would a file replaced that way), and frees
            // and allocates its blocks again.
            file.get_ref().set_len(parts.iter().map(|p| p.len() as u64).sum())?;
        }
        self.staged[*slot].store(true, Ordering::Relaxed);
        Ok(())
    }

    /// A spare moved to `to` and opened for writing over its old bytes, if
    /// one is left.
    fn take_spare(&self, slot: usize, to: &Path) -> Option<fs::File> {
        loop {
            let spare = self.spares.lock().ok()?.pop()?;
            if fs::symlink_metadata(&spare).is_ok_and(|m| reusable(&m)) && fs::rename(&spare, to).is_ok() {
                self.taken.lock().ok()?.push((slot, spare));
                return fs::OpenOptions::new().write(true).open(to).ok();
            }
        }
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
        if self.durable
            && let Ok(d) = fs::File::open(&self.staging)
        {
            let _ = d.sync_all();
        }
        let mut journal = fs::OpenOptions::new().append(true).open(&self.journal)?;
        writeln!(journal, "{COMMIT}")?;
        if self.durable {
            journal.sync_all()?;
        }
        self.committed = true;
        apply(&self.out, &self.journal, Some(&self.staged))
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
            if let Ok(taken) = self.taken.get_mut() {
                for (slot, spare) in taken.drain(..) {
                    let _ = fs::rename(self.staging.join(slot.to_string()), spare);
                }
            }
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
/// `known`: which slots were staged, when the update that staged them
/// carries it out; a run finishing a killed build's update looks.
fn apply(out: &Path, journal: &Path, known: Option<&[AtomicBool]>) -> io::Result<()> {
    let (staged, deleted, _) = read_journal(journal)?;
    let staging = staging_for(out);
    let (spares, spare) = spare_names(out);
    for (slot, rel) in staged.iter().enumerate() {
        let from = staging.join(slot.to_string());
        let staged = match known {
            Some(known) => known.get(slot).is_some_and(|k| k.load(Ordering::Relaxed)),
            // Not staged, or moved before the crash.
            None => from.exists(),
        };
        if !staged {
            continue;
        }
        let to = target_path(out, rel);
        // The version replaced stays a spare under a second name: the rename
        // below then takes its first name without freeing it. Not the files
        // beside the output (the manifest's tail is large), and nothing when
        // there is no file yet; a link the replay of a crashed update makes
        // again leaves one inode with two spare names, which is not reused.
        if !rel.starts_with(BESIDE) {
            let _ = fs::hard_link(&to, spare('r', slot));
        }
        // Moved first, asked after: almost every file goes to a folder that
        // exists. Asking first cost three more system calls per file: 1 430
        // of 9 570 in a new article's rebuild at 1 500 articles (the bench
        // corpus), where the commit took 9 ms instead of 13.
        match fs::rename(&from, &to) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // A new folder.
                if let Some(parent) = to.parent() {
                    fs::create_dir_all(parent)?;
                }
                fs::rename(&from, &to)?;
            }
            result => result?,
        }
    }
    for (k, rel) in deleted.iter().enumerate() {
        let path = out.join(rel);
        let to = spare('d', k);
        let gone = match fs::rename(&path, &to) {
            Ok(()) => {
                empty_spare(&to);
                Ok(())
            }
            Err(e) if e.kind() != io::ErrorKind::NotFound => fs::remove_file(&path),
            Err(e) => Err(e),
        };
        match gone {
            Ok(()) => remove_empty_parents(out, &path),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    remove_staging(out)?;
    trim_spares(&spares, MAX_SPARES);
    fs::remove_file(journal)
}

/// Moves the files of `old`, a previous site about to be deleted after a
/// swap, that the new site wrote anew (`fresh`, site-relative) into the
/// spares of `out` (up to [`MAX_SPARES`] in all), so that the first update
/// after a full build finds spares too: the files of a site the new one
/// replaced are otherwise freed all at once. Named by the build, not found
/// by a walk: most of an old site is often linked into the new one, and
/// asking each of its 140 000 files at 100 000 articles took half a second.
/// They are emptied, as spares of deleted files are.
pub fn keep_spares_from(out: &Path, old: &Path, fresh: &[String]) {
    let (spares, spare) = spare_names(out);
    let have = fs::read_dir(&spares).map_or(MAX_SPARES, Iterator::count);
    let room = MAX_SPARES.saturating_sub(have);
    let mut kept = 0;
    for rel in fresh {
        if kept == room {
            break;
        }
        let (from, to) = (old.join(rel), spare('o', kept));
        // A file the new site shares stays, for the caller to unlink.
        if fs::symlink_metadata(&from).is_ok_and(|m| reusable(&m)) && fs::rename(&from, &to).is_ok() {
            empty_spare(&to);
            kept += 1;
        }
    }
}

/// Deletes the spares beyond the first `keep`. Spares only save time: one
/// that cannot be deleted costs nothing but its place.
fn trim_spares(spares: &Path, keep: usize) {
    let Ok(entries) = fs::read_dir(spares) else {
        return;
    };
    for extra in entries.filter_map(Result::ok).skip(keep) {
        let path = extra.path();
        if fs::remove_file(&path).is_err() {
            let _ = fs::remove_dir_all(&path);
        }
    }
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
        (_, _, true) => apply(out, &journal, None)?,
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
        // A preview's update, which does not wait for the disk, does the same.
        for durable in [true, false] {
            commit_replaces_and_deletes_as(durable);
        }
    }

    fn commit_replaces_and_deletes_as(durable: bool) {
        let dir = tempfile::tempdir().unwrap();
        let out = site(dir.path());
        let update = Update::begin(
            &out,
            &["a/index.html".into(), "b/index.html".into()],
            &["gone.html".into()],
            &["record"],
            durable,
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

    /// The update most tests start with: `a/index.html` replaced,
    /// `gone.html` deleted.
    fn replace_a_delete_gone(out: &Path) {
        let update = Update::begin(out, &["a/index.html".into()], &["gone.html".into()], &[], true).unwrap();
        update.stage("a/index.html", b"new a").unwrap();
        update.commit("marker", &[]).unwrap();
    }

    #[cfg(unix)]
    fn inode(path: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(path).unwrap().ino()
    }

    #[cfg(unix)]
    fn spare_inodes(out: &Path) -> std::collections::BTreeSet<u64> {
        fs::read_dir(spares_for(out))
            .unwrap()
            .map(|e| inode(&e.unwrap().path()))
            .collect()
    }

    #[cfg(unix)]
    #[test]
    fn replaced_and_deleted_files_are_written_again_as_spares() {
        let dir = tempfile::tempdir().unwrap();
        let out = site(dir.path());
        let (old_a, gone) = (inode(&out.join("a/index.html")), inode(&out.join("gone.html")));
        replace_a_delete_gone(&out);
        assert_eq!(spare_inodes(&out), [old_a, gone].into());
        let mut kept: Vec<String> = fs::read_dir(spares_for(&out))
            .unwrap()
            .map(|e| fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        kept.sort();
        assert_eq!(kept, ["", "old a"], "a deleted file's text is not kept");
        let new_a = inode(&out.join("a/index.html"));
        assert_ne!(new_a, old_a);

        // The next update's files are the spares, holding just their new bytes.
        let update = Update::begin(&out, &["a/index.html".into(), "b.html".into()], &[], &[], true).unwrap();
        update.stage("a/index.html", b"newer a").unwrap();
        update.stage("b.html", b"b").unwrap();
        update.commit("marker", &[]).unwrap();
        let written = [inode(&out.join("a/index.html")), inode(&out.join("b.html"))];
        assert_eq!(std::collections::BTreeSet::from(written), [old_a, gone].into());
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "newer a");
        assert_eq!(
            fs::read_to_string(out.join("b.html")).unwrap(),
            "b",
            "a spare is emptied first"
        );
        assert_eq!(spare_inodes(&out), [new_a].into(), "what it replaced is the next spare");
    }

    /// An update that is not committed leaves the spares it took, by name.
    #[cfg(unix)]
    #[test]
    fn an_update_that_is_dropped_gives_its_spares_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = site(dir.path());
        replace_a_delete_gone(&out);
        let names = |out: &Path| -> Vec<_> {
            let mut n: Vec<_> = fs::read_dir(spares_for(out))
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            n.sort();
            n
        };
        let (before, inodes) = (names(&out), spare_inodes(&out));
        let update = Update::begin(&out, &["a/index.html".into(), "c.html".into()], &[], &[], true).unwrap();
        update.stage("a/index.html", b"newer a").unwrap();
        update.stage("c.html", b"c").unwrap();
        drop(update);
        assert_eq!(names(&out), before);
        assert_eq!(spare_inodes(&out), inodes);
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "new a");
        assert!(!out.join("c.html").exists());
    }

    /// A replaced file that has another name (a backup made with hard
    /// links) is never written into.
    #[cfg(unix)]
    #[test]
    fn a_spare_with_another_name_is_not_written_into() {
        let dir = tempfile::tempdir().unwrap();
        let out = site(dir.path());
        let backup = dir.path().join("backup.html");
        fs::hard_link(out.join("a/index.html"), &backup).unwrap();
        for text in ["new a", "newer a", "newest a"] {
            let update = Update::begin(&out, &["a/index.html".into()], &[], &[], true).unwrap();
            update.stage("a/index.html", text.as_bytes()).unwrap();
            update.commit("marker", &[]).unwrap();
            assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), text);
        }
        assert_eq!(fs::read_to_string(&backup).unwrap(), "old a");
    }

    #[test]
    fn without_a_place_for_spares_files_are_replaced_and_deleted_as_before() {
        let dir = tempfile::tempdir().unwrap();
        let out = site(dir.path());
        fs::write(spares_for(&out), "not a folder").unwrap();
        replace_a_delete_gone(&out);
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "new a");
        assert!(!out.join("gone.html").exists());
        assert_eq!(fs::read_to_string(spares_for(&out)).unwrap(), "not a folder");
    }

    #[test]
    fn spares_beyond_the_limit_are_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let spares = dir.path().join("spares");
        fs::create_dir(&spares).unwrap();
        for k in 0..5 {
            fs::write(spares.join(k.to_string()), "x").unwrap();
        }
        fs::create_dir(spares.join("folder")).unwrap();
        trim_spares(&spares, 2);
        assert_eq!(fs::read_dir(&spares).unwrap().count(), 2);
    }

    #[test]
    fn an_update_that_is_dropped_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = site(dir.path());
        let update = Update::begin(&out, &["a/index.html".into()], &["gone.html".into()], &[], true).unwrap();
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
        let update = Update::begin(&out, &["a/index.html".into()], &[], &[], true).unwrap();
        assert!(path_for(&out).exists() && !unfinished_for(&path_for(&out)).exists());
        drop(update);
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "old a");
    }
}
