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

use rayon::prelude::*;

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

/// Where spares wait emptied: beyond [`MAX_SPARES`], and those of deleted
/// outputs and of a swapped-out site. Taken when the spares with bytes
/// run out, as they are needed (an edit takes a few of the tens of
/// thousands a template change leaves).
pub(crate) fn empty_spares_for(out: &Path) -> PathBuf {
    spares_for(out).join("empty")
}

/// Spares that keep their bytes, at most: about what the largest common
/// updates replace (a re-dated article at 100 000 articles rewrites 2 259
/// files, search files of 30 KB: 67 MB of old versions beside a 1.6 GB
/// site). Written over, they take a new version without freeing or
/// allocating blocks. Spares beyond them are emptied, not deleted: their
/// inodes are what keeps the next update from skipping freed ones, and
/// their number is at most the most files one update replaced, plus the
/// outputs deleted since.
pub(super) const MAX_SPARES: usize = 4096;

/// A namer of new spares of `out` (in the folder their kind goes to, made
/// if missing; a kind letter and a number) whose names no spare left from
/// an earlier run has. Spares only save time: where the folder cannot be made (a file
/// system that refuses it), files are replaced and deleted as they always
/// were.
fn spare_names(out: &Path) -> impl Fn(Spare, usize) -> PathBuf {
    let (full, empty) = (spares_for(out), empty_spares_for(out));
    let _ = fs::create_dir(&full);
    let _ = fs::create_dir(&empty);
    let run = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    move |kind, k| {
        let folder = if kind == Spare::Replaced { &full } else { &empty };
        folder.join(format!("{run}-{}{k}", kind as u8 as char))
    }
}

/// Where a spare came from; a letter in its name.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Spare {
    /// A file an update renamed over (its bytes kept).
    Replaced = b'r',
    /// A file an update deleted.
    Deleted = b'd',
    /// A replaced file's beyond [`MAX_SPARES`].
    Extra = b'e',
    /// A file of a site a swap replaced.
    Old = b'o',
}

/// Empties the spares that are ours alone, on every core (each truncation
/// frees blocks: ~80 µs a file on an ext4 mounted with `discard`): a page
/// taken down leaves no copy of its text beside the site. A name of a file
/// that has another (a backup made with hard links) is dropped, the file
/// left as it is.
fn empty_spares(spares: &[PathBuf]) {
    spares.par_iter().for_each(|spare| {
        if fs::symlink_metadata(spare).is_ok_and(|m| reusable(&m)) {
            if let Ok(file) = fs::OpenOptions::new().write(true).open(spare) {
                let _ = file.set_len(0);
            }
        } else {
            let _ = fs::remove_file(spare);
        }
    });
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

/// The spares of an update: those with bytes, listed when it begins, then
/// the emptied ones, read one by one once those run out.
struct Spares {
    full: Vec<PathBuf>,
    /// The emptied spares' folder, until it is opened.
    empty_folder: PathBuf,
    empty: Option<fs::ReadDir>,
}

impl Spares {
    fn next(&mut self) -> Option<PathBuf> {
        if let Some(spare) = self.full.pop() {
            return Some(spare);
        }
        if self.empty.is_none() {
            self.empty = Some(fs::read_dir(&self.empty_folder).ok()?);
        }
        Some(self.empty.as_mut()?.next()?.ok()?.path())
    }
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
    /// The spares not yet taken.
    spares: Mutex<Spares>,
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
        Ok(Update {
            spares: Mutex::new(Spares {
                full: fs::read_dir(spares_for(out))
                    .map(|entries| entries.filter_map(|e| Some(e.ok()?.path())).collect())
                    .unwrap_or_default(),
                empty_folder: empty_spares_for(out),
                empty: None,
            }),
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
            let spare = self.spares.lock().ok()?.next()?;
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
    let spare = spare_names(out);
    let mut emptied = Vec::new();
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
            let _ = fs::hard_link(&to, spare(Spare::Replaced, slot));
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
        let to = spare(Spare::Deleted, k);
        let gone = match fs::rename(&path, &to) {
            Ok(()) => {
                emptied.push(to);
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
    // Those beyond the limit, after the renames: until then a replaced
    // file's spare is also its page.
    if let Ok(entries) = fs::read_dir(spares_for(out)) {
        let files = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()));
        for (k, extra) in files.skip(MAX_SPARES).enumerate() {
            let to = spare(Spare::Extra, k);
            if fs::rename(extra.path(), &to).is_ok() {
                emptied.push(to);
            }
        }
    }
    empty_spares(&emptied);
    remove_staging(out)?;
    fs::remove_file(journal)
}

/// Moves the files of `old`, a previous site about to be deleted after a
/// swap, that the new site wrote anew (`fresh`, site-relative) into the
/// spares of `out`, so that the first update after a full build finds
/// spares too: the files of a site the new one replaced are otherwise
/// freed all at once. Named by the build, not found
/// by a walk: most of an old site is often linked into the new one, and
/// asking each of its 140 000 files at 100 000 articles took half a second.
/// They are emptied, as spares of deleted files are.
pub fn keep_spares_from(out: &Path, old: &Path, fresh: &[String]) {
    let spare = spare_names(out);
    let mut kept = Vec::new();
    for rel in fresh {
        let (from, to) = (old.join(rel), spare(Spare::Old, kept.len()));
        // A file the new site shares stays, for the caller to unlink.
        if fs::symlink_metadata(&from).is_ok_and(|m| reusable(&m)) && fs::rename(&from, &to).is_ok() {
            kept.push(to);
        }
    }
    empty_spares(&kept);
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

    /// The spare files of `out`, with bytes and emptied, by name.
    fn spare_files(out: &Path) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = [spares_for(out), empty_spares_for(out)]
            .iter()
            .flat_map(|folder| fs::read_dir(folder).unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        files
    }

    #[cfg(unix)]
    fn spare_inodes(out: &Path) -> std::collections::BTreeSet<u64> {
        spare_files(out).iter().map(|p| inode(p)).collect()
    }

    #[cfg(unix)]
    #[test]
    fn replaced_and_deleted_files_are_written_again_as_spares() {
        let dir = tempfile::tempdir().unwrap();
        let out = site(dir.path());
        let (old_a, gone) = (inode(&out.join("a/index.html")), inode(&out.join("gone.html")));
        replace_a_delete_gone(&out);
        assert_eq!(spare_inodes(&out), [old_a, gone].into());
        let mut kept: Vec<String> = spare_files(&out)
            .iter()
            .map(|p| fs::read_to_string(p).unwrap())
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
        let (before, inodes) = (spare_files(&out), spare_inodes(&out));
        let update = Update::begin(&out, &["a/index.html".into(), "c.html".into()], &[], &[], true).unwrap();
        update.stage("a/index.html", b"newer a").unwrap();
        update.stage("c.html", b"c").unwrap();
        drop(update);
        assert_eq!(spare_files(&out), before);
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

    /// Past the limit, spares keep their inodes but not their bytes, and
    /// the next update as large as the last frees and allocates no inode.
    #[cfg(unix)]
    #[test]
    fn spares_beyond_the_limit_are_emptied_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir(&out).unwrap();
        let files: Vec<String> = (0..MAX_SPARES + 3).map(|k| format!("{k}.html")).collect();
        for f in &files {
            fs::write(out.join(f), "old").unwrap();
        }
        let old: std::collections::BTreeSet<u64> = files.iter().map(|f| inode(&out.join(f))).collect();
        let rewrite = |text: &str| {
            let update = Update::begin(&out, &files, &[], &[], false).unwrap();
            for f in &files {
                update.stage(f, text.as_bytes()).unwrap();
            }
            update.commit("marker", &[]).unwrap();
        };
        rewrite("new");
        assert_eq!(spare_inodes(&out), old);
        let with_bytes = spare_files(&out)
            .iter()
            .filter(|p| fs::metadata(p).unwrap().len() > 0)
            .count();
        assert_eq!(with_bytes, MAX_SPARES);
        assert_eq!(fs::read_dir(empty_spares_for(&out)).unwrap().count(), 3);
        let new: std::collections::BTreeSet<u64> = files.iter().map(|f| inode(&out.join(f))).collect();
        rewrite("newer");
        let newer: std::collections::BTreeSet<u64> = files.iter().map(|f| inode(&out.join(f))).collect();
        assert_eq!(newer, old, "every file written into a spare");
        assert_eq!(spare_inodes(&out), new);
        assert!(
            files
                .iter()
                .all(|f| fs::read_to_string(out.join(f)).unwrap() == "newer")
        );
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
