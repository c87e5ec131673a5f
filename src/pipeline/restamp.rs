//! The stamps of every article without a walk of `content/`, for a caller
//! that watched the site and knows which paths changed since the last build.
//!
//! Listing and stamping 100 000 articles costs about 0.2 s of every rebuild
//! however it is done (see [`crate::content::walk`]): a quarter of a title edit's
//! time at that size, most of a body edit's. `blatt serve` has a watcher
//! that names every changed path, so its rebuilds take the previous build's
//! stamps from the manifest and ask only for those paths. What comes out
//! must be what a walk would give, so anything a walk treats specially
//! makes the answer "walk after all": a folder that appeared or changed
//! kind (its files may be new), a link (it may lead to files the watcher
//! reports under another name), a name that is not text, a pipe named like
//! an article, a path outside the site's folders (under a followed link's
//! target).

use std::path::{Path, PathBuf};

use crate::content::file::Stamp;

/// `previous` (the stamps of a walk that met no link, in walk order)
/// brought up to date for the paths in `changed` (absolute, as a watcher of
/// the canonical site root names them), or `None` where only a walk can
/// tell. A link met earlier could show a changed file under a second name
/// the watcher does not report: the caller knows whether there is one.
/// `content` is the site's `content/` as the walk is given it, `canonical`
/// the same folder canonical, `site` the canonical site root.
///
/// The changes are gathered first and merged with `previous` in one pass:
/// thousands of files written while a server runs (an import) cost their
/// number, not their number times the site's.
pub(super) fn restamped(
    previous: &[Stamp],
    content: &Path,
    canonical: &Path,
    site: &Path,
    changed: &[PathBuf],
) -> Option<Vec<Stamp>> {
    let mut fresh: Vec<Stamp> = Vec::new();
    let mut gone = vec![false; previous.len()];
    for path in changed {
        let Ok(rel) = path.strip_prefix(canonical) else {
            // templates/, static/ and site.yaml are compared by their own
            // fingerprints; anything else is under a link's target.
            if path.starts_with(site) && !path.starts_with(canonical) {
                continue;
            }
            return None;
        };
        if rel.as_os_str().is_empty() {
            // `content/` itself was made, removed or replaced.
            return None;
        }
        // A name that is not text is the walk's to report.
        rel.to_str()?;
        // The walk passes over hidden files and folders.
        if rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        {
            continue;
        }
        let at = content.join(rel);
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_file() => {
                if at.extension().is_some_and(|x| x == "md") {
                    fresh.push(Stamp::of(&at, &meta));
                }
            }
            // Gone, or its folder is: what was below it goes too.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let start = place(previous, &at).unwrap_or_else(|i| i);
                let below = previous[start..]
                    .iter()
                    .take_while(|s| Path::new(&s.path).starts_with(&at))
                    .count();
                gone[start..start + below].fill(true);
            }
            // A folder (made, moved in, or put in place of another: its
            // files are not reported one by one), a link, a pipe, or a file
            // that cannot be asked.
            _ => return None,
        }
    }
    fresh.sort_by(|a, b| Path::new(&a.path).cmp(Path::new(&b.path)));
    fresh.dedup_by(|a, b| a.path == b.path);
    Some(merged(previous, &gone, fresh))
}

/// Where `path` falls in walk order: folders' entries sorted by name,
/// each folder's articles where its name falls among its siblings, which
/// is how [`Path`] compares, component by component.
fn place(stamps: &[Stamp], path: &Path) -> Result<usize, usize> {
    stamps.binary_search_by(|s| Path::new(&s.path).cmp(path))
}

/// The stamps of `previous` not `gone`, and the `fresh` ones (sorted),
/// in walk order; a fresh stamp replaces an old one of its path.
fn merged(previous: &[Stamp], gone: &[bool], fresh: Vec<Stamp>) -> Vec<Stamp> {
    let mut kept = previous
        .iter()
        .zip(gone)
        .filter(|(_, g)| !**g)
        .map(|(s, _)| s)
        .peekable();
    let mut out = Vec::with_capacity(previous.len() + fresh.len());
    for stamp in fresh {
        while let Some(old) = kept.next_if(|s| Path::new(&s.path) < Path::new(&stamp.path)) {
            out.push(old.clone());
        }
        kept.next_if(|s| s.path == stamp.path);
        out.push(stamp);
    }
    out.extend(kept.cloned());
    out
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// A walk's stamps of the site at `root`.
    fn walked(root: &Path) -> Vec<Stamp> {
        let links = crate::content::load::Links::for_site(root, false);
        let found = crate::content::walk::markdown_stamps(&root.join("content"), &links);
        assert!(found.errors.is_empty());
        found.stamps
    }

    fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
        let path = root.join("content").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Each change, told to [`restamped`], gives the stamps a walk gives,
    /// in the walk's order: names that sort differently as whole strings
    /// than folder by folder (`a/…` against `a-b.md`), an edit that keeps
    /// the size (told twice), a file added, one removed, a folder moved away.
    #[test]
    fn told_changes_give_the_stamps_of_a_walk() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let content = root.join("content");
        for rel in ["a/x.md", "a-b.md", "a/y.md", "b/2022/01/z.md", "b/2022/02/w.md", "c.md"] {
            write(&root, rel, "eins");
        }
        let mut stamps = walked(&root);
        assert_eq!(stamps.len(), 6);
        let canonical = content.canonicalize().unwrap();
        let tell = |stamps: &[Stamp], changed: &[PathBuf]| restamped(stamps, &content, &canonical, &root, changed);

        std::thread::sleep(std::time::Duration::from_millis(20));
        let edited = write(&root, "a/x.md", "zwei");
        let added = write(&root, "a/aa.md", "drei");
        let added_between = write(&root, "a-a.md", "vier");
        std::fs::remove_file(content.join("c.md")).unwrap();
        // Told twice, as a burst of saves reports it.
        let changed = [
            edited.clone(),
            added,
            added_between,
            content.join("c.md"),
            root.join("site.yaml"),
            edited,
        ];
        stamps = tell(&stamps, &changed).expect("files only");
        assert_eq!(stamps, walked(&root));

        // A folder moved out of the site is reported by its own name only.
        std::fs::rename(content.join("b/2022"), root.join("away")).unwrap();
        stamps = tell(&stamps, &[content.join("b/2022")]).expect("a folder gone");
        assert_eq!(stamps, walked(&root));
        assert_eq!(stamps.len(), 5);

        // Hidden files and files that are no articles change nothing.
        write(&root, "a/.x.md.swp", "");
        write(&root, "a/notes.txt", "");
        let same = tell(&stamps, &[content.join("a/.x.md.swp"), content.join("a/notes.txt")]);
        assert_eq!(same.as_ref(), Some(&stamps));
    }

    /// What only a walk can tell: a folder (its files are not reported one
    /// by one when it is moved in, even where one of its name was), a link, a pipe named like
    /// an article, `content/` itself, a path outside the site.
    #[test]
    fn what_only_a_walk_can_tell_is_left_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let content = root.join("content");
        write(&root, "a/x.md", "eins");
        let stamps = walked(&root);
        let canonical = content.canonicalize().unwrap();
        let tell = |changed: &[PathBuf]| restamped(&stamps, &content, &canonical, &root, changed);

        write(&root, "new/x.md", "zwei");
        assert_eq!(tell(&[content.join("new")]), None);
        assert_eq!(tell(&[content.join("a")]), None);
        std::os::unix::fs::symlink(content.join("a"), content.join("link")).unwrap();
        assert_eq!(tell(&[content.join("link")]), None);
        std::os::unix::fs::symlink(content.join("a/x.md"), content.join("link.md")).unwrap();
        assert_eq!(tell(&[content.join("link.md")]), None);
        assert_eq!(tell(std::slice::from_ref(&content)), None);
        assert_eq!(tell(&[PathBuf::from("/elsewhere/x.md")]), None);
        let fifo = content.join("pipe.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert_eq!(tell(&[fifo]), None);
        }
    }
}
