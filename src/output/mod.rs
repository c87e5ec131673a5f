//! Writing files so that a crash never leaves a half-written one: write to a
//! temporary file beside the target, then rename it over the target; whole
//! build outputs, swapped in at once ([`build_dir`]); and in-place updates
//! of an output, journaled ([`journal`]). This layer knows files and
//! folders only, not what is in them.

pub mod build_dir;
pub mod journal;
pub mod place;

use std::io::Write;
use std::path::{Path, PathBuf};

/// Deletes everything in `dir` but the entries named in `keep`, on every
/// core: a swapped-out site of 100 000 articles is 140 000 files, and
/// deleting them one after another made a full swap's commit 2.7–2.9 s
/// instead of 1.6–1.7 s (tmpfs). Links are removed, never followed.
pub fn remove_contents(dir: &Path, keep: &[&str]) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries = std::fs::read_dir(dir)?.collect::<std::io::Result<Vec<_>>>()?;
    entries
        .par_iter()
        .filter(|entry| !keep.iter().any(|keep| entry.file_name() == *keep))
        .try_for_each(|entry| {
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                remove_contents(&path, &[])?;
                std::fs::remove_dir(&path)
            } else {
                std::fs::remove_file(&path)
            }
        })
}

/// `{parent}/.{name}.{suffix}` for the output folder `{parent}/{name}`: where
/// a build keeps what belongs to an output but must not be served from it
/// (its manifest, staging folders, journal).
pub fn beside(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join(format!(".{name}.{suffix}"))
}

/// A file kept beside an output ([`beside`]) and committed with it: the
/// build's record of what it wrote. Written from parts, so that a large
/// file need not be joined in memory first.
pub struct BesideFile<'a> {
    pub suffix: &'a str,
    pub parts: Vec<&'a [u8]>,
}

/// Writes `bytes` to `path` atomically, creating parent folders.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_parts(path, &[bytes])
}

/// Writes `parts` one after the other to `path` atomically, creating parent
/// folders, so that a large file made of parts need not be joined in memory
/// first.
pub fn write_atomic_parts(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    std::fs::create_dir_all(folder_of(path))?;
    write_atomic_with(path, true, |out| parts.iter().try_for_each(|part| out.write_all(part)))
}

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Writes to `path` atomically what `write` writes into a buffered writer,
/// for files encoded as they are written. A write that fails, even on the
/// last flush (a full disk), leaves `path` as it was and no temporary file.
/// A process killed while writing leaves it: it is named after `path`
/// ([`temporary_prefix`]), so that the next build knows the manifest's
/// (hundreds of MB at 100 000 articles) for its own and removes them
/// ([`build_dir::recover`]).
/// `durable`: synced to disk before the rename, so that a power loss leaves
/// the old file or the whole new one; a cache whose torn copy fails its own
/// checksums is spared that wait. The folder must exist: a cache beside an
/// output that is not there yet is not worth creating folders for.
pub fn write_atomic_with(
    path: &Path,
    durable: bool,
    write: impl FnOnce(&mut std::io::BufWriter<&mut std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut tmp = tempfile::Builder::new()
        .prefix(&temporary_prefix(path))
        .suffix(".tmp")
        .tempfile_in(folder_of(path))?;
    {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, tmp.as_file_mut());
        write(&mut out)?;
        out.flush()?;
    }
    if durable {
        tmp.as_file().sync_all()?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The start of the name of a temporary file that becomes `path`: its
/// name, hidden (`.public.blatt-manifest.tail.` + six random characters +
/// `.tmp`), or `.blatt-` where that would make a name too long.
fn temporary_prefix(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    if name.is_empty() || name.len() > 200 {
        return ".blatt-".to_string();
    }
    let dot = if name.starts_with('.') { "" } else { "." };
    format!("{dot}{name}.")
}

/// Writes only when the bytes differ, so that unchanged files keep their
/// modification time (rsync and CDN uploads then skip them). Returns whether
/// it wrote.
pub fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    match std::fs::read(path) {
        Ok(old) if old == bytes => Ok(false),
        _ => write_atomic(path, bytes).map(|()| true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_keeps_unchanged_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/c.txt");
        write_atomic(&path, b"eins").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"eins");
        assert!(!write_if_changed(&path, b"eins").unwrap());
        assert!(write_if_changed(&path, b"zwei").unwrap());
        assert_eq!(std::fs::read(&path).unwrap(), b"zwei");
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary files left behind");
    }

    #[test]
    fn a_file_being_written_is_named_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let names = |dir: &Path| -> Vec<String> {
            let entries = std::fs::read_dir(dir).unwrap();
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        };
        for (target, prefix) in [
            (".public.blatt-manifest.tail", ".public.blatt-manifest.tail."),
            ("index.html", ".index.html."),
            (&"x".repeat(240), ".blatt-"),
        ] {
            let path = dir.path().join(target);
            write_atomic_with(&path, false, |_| {
                let during = names(dir.path());
                assert!(
                    during.iter().any(|n| n.starts_with(prefix) && n.ends_with(".tmp")),
                    "{target}: {during:?}"
                );
                Ok(())
            })
            .unwrap();
            assert!(path.is_file());
        }
    }
}
