//! Watching the files a build reads: `content/`, `templates/`, `static/`
//! (recursively) and `site.yaml`.
//!
//! The site folder itself is watched only one level deep: it may hold a
//! `public/` or, for the example site, a Cargo `target/` with tens of
//! thousands of folders, whose churn must neither cost watches nor trigger
//! builds. That shallow watch also notices a `templates/` or `static/` that
//! appears after the server started, which [`Watcher::refresh`] then watches.
//!
//! Symbolic links are watched as the build follows them
//! ([`crate::content::load::Links`]): the recursive watches do not follow
//! links, and the targets of the links the build follows are watched in
//! their own right. A link out of the site (`content/usr -> /usr`) costs no
//! watch unless `build.follow_symlinks` is set.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer_opt};

use crate::content::load::Links;
use crate::error::Error;

/// Long enough to fold an editor's write-rename-chmod (a few milliseconds
/// apart) into one build, short enough that it is a small part of the time
/// from a save to the reloaded page (the debouncer reports up to a quarter
/// of this later still).
const DEBOUNCE: Duration = Duration::from_millis(50);

/// The folders of a site that a build reads from.
const FOLDERS: [&str; 3] = ["content", "templates", "static"];

pub enum Message {
    /// Paths that changed. `build`: whether any is one a build reads (not
    /// an editor's scratch file); the others still count for the stamps of
    /// the next build told what changed, since a walk takes some of them
    /// (an article in a folder named `4913`).
    Changed { paths: Vec<PathBuf>, build: bool },
    /// Changes may have been missed (the watcher's queue overflowed, or it
    /// failed): the next build must look at every file.
    Rescan,
    /// The server is shutting down.
    Stop,
}

pub struct Watcher {
    root: PathBuf,
    links: Links,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    watched: HashSet<PathBuf>,
    /// Targets of followed links outside the site's folders, watched in
    /// their own right; changes below them count.
    targets: Arc<Mutex<HashSet<PathBuf>>>,
    /// Whether `content/` holds a link, as last looked: a file reached
    /// through one is reported under one name only.
    has_links: bool,
}

impl Watcher {
    /// Watches `root`; relevant changes go to `tx`. Nothing under `out` counts.
    /// `follow_symlinks`: the site's `build.follow_symlinks`.
    pub fn start(root: &Path, out: &Path, follow_symlinks: bool, tx: Sender<Message>) -> Result<Watcher, Error> {
        // Events name absolute paths once the root is absolute, whatever
        // `--root` said (`.`, a symbolic link).
        let root = &std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let filter_root = root.clone();
        let out = out.to_path_buf();
        let targets = Arc::new(Mutex::new(HashSet::new()));
        let filter_targets = Arc::clone(&targets);
        let handler = move |result: DebounceEventResult| {
            let Ok(events) = result else {
                let _ = tx.send(Message::Rescan);
                return;
            };
            if events.iter().any(|e| e.need_rescan()) {
                let _ = tx.send(Message::Rescan);
            }
            let targets = filter_targets.lock().unwrap_or_else(|p| p.into_inner()).clone();
            let paths: Vec<PathBuf> = events
                .into_iter()
                // Reads (the build's own among them) change nothing.
                .filter(|e| !matches!(e.kind, EventKind::Access(_)))
                .flat_map(|e| e.event.paths)
                .filter(|p| !p.starts_with(&out))
                .collect();
            let build = paths.iter().any(|p| relevant(&filter_root, p) || below(&targets, p));
            if !paths.is_empty() {
                let _ = tx.send(Message::Changed { paths, build });
            }
        };
        let config = notify::Config::default().with_follow_symlinks(follow_symlinks);
        let debouncer = new_debouncer_opt(DEBOUNCE, None, handler, RecommendedCache::new(), config)
            .map_err(|e| watch_error(root, e))?;
        let mut watcher = Watcher {
            root: root.to_path_buf(),
            links: Links::for_site(root, follow_symlinks),
            debouncer,
            watched: HashSet::new(),
            targets,
            has_links: true,
        };
        watcher
            .debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| watch_error(root, e))?;
        // The walk for links on the other core while the watches are set up
        // (notify's recursive watch stats every file: 0.23 s of a 100 000-
        // article `content/`, the walk without stats another 0.06 s).
        let content = watcher.root.join("content");
        watcher.has_links = std::thread::scope(|scope| {
            let has_links = scope.spawn(|| links_below(&content));
            watcher.refresh(&[]);
            watcher.watch_link_targets();
            has_links.join().unwrap_or(true)
        });
        Ok(watcher)
    }

    /// Whether `content/` may hold a link: then every build walks it.
    pub fn has_links(&self) -> bool {
        self.has_links
    }

    /// Watches the site's folders that exist now, again for one that was
    /// replaced (its old watch went with the old folder).
    pub fn refresh(&mut self, changed: &[PathBuf]) {
        for name in FOLDERS {
            let dir = self.root.join(name);
            let replaced = changed.contains(&dir);
            if replaced && self.watched.remove(&dir) {
                let _ = self.debouncer.unwatch(&dir);
            }
            if !self.watched.contains(&dir)
                && dir.is_dir()
                && self.debouncer.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.watched.insert(dir);
            }
        }
        if changed.iter().any(|p| p.is_symlink()) {
            self.watch_link_targets();
        }
        // A link made, or a folder moved in that may hold one.
        if !self.has_links && changed.iter().any(|p| p.is_symlink() || p.is_dir()) {
            self.has_links = links_below(&self.root.join("content"));
        }
    }

    /// Watches the targets of the links to folders that a build follows and
    /// that lie outside the folders watched already, and the links in them.
    fn watch_link_targets(&mut self) {
        let Links::Within(_) = self.links else {
            // Every link is followed, by the watches too.
            return;
        };
        let mut pending: Vec<PathBuf> = FOLDERS.iter().map(|f| self.root.join(f)).collect();
        let mut targets = self.targets.lock().unwrap_or_else(|p| p.into_inner());
        while let Some(dir) = pending.pop() {
            let walked = dir.canonicalize().ok();
            for entry in walkdir::WalkDir::new(&dir)
                .min_depth(1)
                .into_iter()
                .filter_map(Result::ok)
            {
                if !entry.path_is_symlink() || !entry.path().is_dir() {
                    continue;
                }
                let Ok(target) = entry.path().canonicalize() else {
                    continue;
                };
                let covered = self.watched.iter().chain(targets.iter()).any(|w| target.starts_with(w));
                if covered || !self.links.follows(entry.path(), walked.as_deref()) {
                    continue;
                }
                if self.debouncer.watch(&target, RecursiveMode::Recursive).is_ok() {
                    targets.insert(target.clone());
                    pending.push(target);
                }
            }
        }
    }
}

/// Whether there is a link anywhere below `dir` (true where it cannot be
/// read through).
fn links_below(dir: &Path) -> bool {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .any(|entry| entry.map_or(true, |e| e.path_is_symlink()))
}

/// Whether `path` is below one of the watched link targets, and no
/// scratch file.
fn below(targets: &HashSet<PathBuf>, path: &Path) -> bool {
    targets.iter().any(|t| {
        path.strip_prefix(t)
            .is_ok_and(|rel| !rel.components().any(|c| scratch(&c.as_os_str().to_string_lossy())))
    })
}

fn watch_error(path: &Path, e: notify::Error) -> Error {
    Error::Watch {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Whether a change at `path` can change the site: `site.yaml`, one of the
/// site's folders, or a file in them that is not an editor's scratch file.
fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else { return false };
    if !FOLDERS.contains(&first.as_ref()) {
        return first == crate::config::FILE_NAME;
    }
    !rel.components()
        .skip(1)
        .any(|c| scratch(&c.as_os_str().to_string_lossy()))
}

/// Names editors, sync tools and blatt's own atomic writes use for files that
/// are not (yet) the file: hidden files, backups, swap and lock files.
fn scratch(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913" // vim's probe whether it may write in a folder
        || [".swp", ".swo", ".swx", ".tmp", ".kate-swp", "___jb_tmp___", "___jb_old___", ".crdownload"]
            .iter()
            .any(|ending| name.ends_with(ending))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_a_build_reads_counts() {
        let root = Path::new("/site");
        for path in [
            "/site/site.yaml",
            "/site/content/2022/01/a.md",
            "/site/templates/article.html",
            "/site/static/style.css",
            "/site/templates",
        ] {
            assert!(relevant(root, Path::new(path)), "{path}");
        }
        for path in [
            "/site/Cargo.toml",
            "/site/public/index.html",
            "/site/target/debug/blatt",
            "/site/content/2022/01/.a.md.swp",
            "/site/content/2022/01/a.md~",
            "/site/content/2022/01/#a.md#",
            "/site/content/2022/01/4913",
            "/site/content/.git/index",
            "/site/content/2022/01/.blatt-tmp-x",
            "/elsewhere/site.yaml",
        ] {
            assert!(!relevant(root, Path::new(path)), "{path}");
        }
    }
}
