//! Where `blatt serve` builds: a folder of its own per site in the user's
//! cache (`$XDG_CACHE_HOME/blatt/serve/<hash of the site's path>/`), kept
//! between sessions. The next `serve` of the site then starts with the
//! ordinary incremental build over the last session's output instead of a
//! build from nothing (15–25 s at 100 000 articles, every time the preview
//! was started), and writes and frees nothing it need not.
//!
//! The folder holds the output (`public/`), its manifest beside it, and:
//! - `lock`, locked (`flock`) while a server uses the folder: a second
//!   `serve` of the same site builds into a temporary folder instead, as
//!   every `serve` did before;
//! - `root`, the site's path: the folder's name is a hash of it, and a
//!   folder naming another site is left alone;
//! - `boot`, the boot id of the machine when the folder was last taken, and
//!   `synced`, made when a server stopped cleanly after the disk confirmed
//!   everything. A preview's builds do not wait for the disk (see
//!   `BuildOptions::preview`), so the folder is trusted only when one of
//!   them holds: synced on a clean stop, or the machine has not restarted
//!   since (a killed server's writes are still in the page cache, and its
//!   build's journal lets the next build finish it, as for `blatt build`).
//!   Otherwise — a power loss may have left files short or empty — its
//!   contents are removed and the preview built from nothing.
//!
//! A site moved or deleted leaves its folder behind, as large as its
//! output: each server removes the folders whose site is gone and that no
//! server holds ([`prune`]).

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// The output, below the folder; the manifest lies beside it.
const OUTPUT: &str = "public";
const LOCK: &str = "lock";
const ROOT: &str = "root";
const BOOT: &str = "boot";
const SYNCED: &str = "synced";

/// The folder a server builds into.
pub(super) enum Folder {
    /// The site's kept folder, locked while this value lives.
    Kept { dir: PathBuf, _lock: File },
    /// A temporary folder, removed when the server stops.
    Temp(tempfile::TempDir),
}

impl Folder {
    /// The site's kept folder, or a temporary one and why the kept one
    /// could not be had (another server of the site holds it, there is no
    /// cache folder, …).
    pub fn open(root: &Path) -> io::Result<(Folder, Option<String>)> {
        let kept = match dirs::cache_dir() {
            Some(cache) => {
                let serve = cache.join("blatt").join("serve");
                let kept = Folder::kept_in(&serve, root, boot_id().as_deref());
                prune(&serve);
                kept
            }
            None => Err("no cache folder is known (is HOME set?)".to_string()),
        };
        match kept {
            Ok(folder) => Ok((folder, None)),
            Err(why) => {
                let temp = tempfile::Builder::new().prefix("blatt-serve-").tempdir()?;
                Ok((Folder::Temp(temp), Some(why)))
            }
        }
    }

    /// `root`'s folder below `serve`, taken for this process; `boot` is
    /// the machine's boot id where known.
    fn kept_in(serve: &Path, root: &Path, boot: Option<&str>) -> Result<Folder, String> {
        use std::os::unix::fs::DirBuilderExt;
        let shown = |path: &Path, e: io::Error| format!("{}: {e}", path.display());
        let root = root.canonicalize().map_err(|e| shown(root, e))?;
        let named = root.as_os_str().as_encoded_bytes();
        let dir = serve.join(format!("{:016x}", xxhash_rust::xxh3::xxh3_64(named)));
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(|e| shown(&dir, e))?;
        let lock_path = dir.join(LOCK);
        let Some(lock) = lock(&lock_path, true).map_err(|e| shown(&lock_path, e))? else {
            return Err(format!("another `blatt serve` of this site uses {}", dir.display()));
        };
        let root_path = dir.join(ROOT);
        match std::fs::read(&root_path) {
            Ok(text) if text == named => {}
            Ok(_) => return Err(format!("{} is another site's", dir.display())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                discard(&dir).map_err(|e| shown(&dir, e))?;
                std::fs::write(&root_path, named).map_err(|e| shown(&root_path, e))?;
            }
            Err(e) => return Err(shown(&root_path, e)),
        }
        let synced = dir.join(SYNCED);
        let boot_path = dir.join(BOOT);
        let same_boot = boot.is_some_and(|b| std::fs::read_to_string(&boot_path).is_ok_and(|was| was == b));
        if !synced.exists() && !same_boot {
            discard(&dir).map_err(|e| shown(&dir, e))?;
        }
        // From here on the folder changes without waiting for the disk.
        match std::fs::remove_file(&synced) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(shown(&synced, e)),
            _ => {}
        }
        std::fs::write(&boot_path, boot.unwrap_or_default()).map_err(|e| shown(&boot_path, e))?;
        Ok(Folder::Kept { dir, _lock: lock })
    }

    /// The folder; the build's output is [`Folder::output`].
    pub fn path(&self) -> &Path {
        match self {
            Folder::Kept { dir, .. } => dir,
            Folder::Temp(temp) => temp.path(),
        }
    }

    pub fn output(&self) -> PathBuf {
        self.path().join(OUTPUT)
    }

    /// Once nothing writes into the folder any more: a kept folder is
    /// marked as trusted for the next server after the disk confirmed its
    /// files (on this project's VMs the kernel has written most of them
    /// back by then); a temporary one is removed.
    pub fn close(self) {
        match self {
            Folder::Kept { dir, _lock } => {
                if sync(&dir).is_ok() {
                    let _ = File::create(dir.join(SYNCED));
                }
            }
            Folder::Temp(temp) => drop(temp),
        }
    }

    /// Stopping at once, a build perhaps still writing: a temporary folder
    /// is removed; a kept one stays, unmarked, for the next server to trust
    /// or discard (see the module comment).
    pub fn abandon(&self) {
        if let Folder::Temp(temp) = self {
            // Another try if the build made a folder again while it was removed.
            for _ in 0..3 {
                if std::fs::remove_dir_all(temp.path()).is_ok() || !temp.path().exists() {
                    break;
                }
            }
        }
    }
}

/// Removes the folders below `serve` whose site's folder no longer
/// exists, unless a server holds them. Best effort: a folder that cannot
/// be read or removed is left for the next server.
fn prune(serve: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let Ok(entries) = std::fs::read_dir(serve) else {
        return;
    };
    for entry in entries.flatten() {
        let dir = entry.path();
        // No `root` yet: a server is just making the folder.
        let Ok(named) = std::fs::read(dir.join(ROOT)) else {
            continue;
        };
        let site = Path::new(std::ffi::OsStr::from_bytes(&named));
        if site.as_os_str().is_empty() || site.exists() {
            continue;
        }
        if let Ok(Some(_held)) = lock(&dir.join(LOCK), false)
            && !site.exists()
        {
            let _ = crate::output::remove_contents(&dir, &[]).and_then(|()| std::fs::remove_dir(&dir));
        }
    }
}

/// The lock file at `path` (made if `create`), locked for this process
/// until dropped; `None` while another holds it.
fn lock(path: &Path, create: bool) -> io::Result<Option<File>> {
    let file = File::options().create(create).truncate(false).write(true).open(path)?;
    match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(Some(file)),
        Err(e) if e == rustix::io::Errno::WOULDBLOCK => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Everything in the folder but the lock and the site's path, on every
/// core (a 100 000-article output is 140 000 files).
fn discard(dir: &Path) -> io::Result<()> {
    crate::output::remove_contents(dir, &[LOCK, ROOT])
}

fn sync(dir: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        rustix::fs::syncfs(File::open(dir)?)?;
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        rustix::fs::sync();
    }
    Ok(())
}

/// Changes with every start of the machine: writes a power loss may have
/// lost are from another boot.
fn boot_id() -> Option<String> {
    let id = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
    Some(id.trim().to_string()).filter(|id| !id.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(serve: &Path, root: &Path, boot: Option<&str>) -> Folder {
        Folder::kept_in(serve, root, boot).unwrap_or_else(|why| panic!("{why}"))
    }

    /// A page as a build leaves it.
    fn built(folder: &Folder) -> PathBuf {
        let page = folder.output().join("index.html");
        std::fs::create_dir_all(folder.output()).unwrap();
        std::fs::write(&page, "<h1>gebaut</h1>").unwrap();
        page
    }

    #[test]
    fn a_site_gets_one_folder_that_one_server_at_a_time_holds() {
        let (cache, site, other) = (
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
        );
        let first = kept(cache.path(), site.path(), Some("a"));
        let why = Folder::kept_in(cache.path(), site.path(), Some("a"))
            .err()
            .expect("taken twice");
        assert!(why.contains("another `blatt serve`"), "{why}");
        let elsewhere = kept(cache.path(), other.path(), Some("a"));
        assert_ne!(first.path(), elsewhere.path());
        let dir = first.path().to_path_buf();
        drop(first);
        // The same site by another spelling of its path.
        let again = kept(cache.path(), &site.path().join("."), Some("a"));
        assert_eq!(again.path(), dir);
    }

    #[test]
    fn a_folder_is_trusted_after_a_clean_stop_or_within_the_same_boot() {
        let (cache, site) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let folder = kept(cache.path(), site.path(), Some("boot-1"));
        let page = built(&folder);
        // Killed (the lock goes with the process), the machine still up.
        drop(folder);
        let folder = kept(cache.path(), site.path(), Some("boot-1"));
        assert!(page.exists(), "discarded within the same boot");
        // Killed, then the machine restarted: the writes may be lost.
        drop(folder);
        let folder = kept(cache.path(), site.path(), Some("boot-2"));
        assert!(!page.exists(), "trusted after a restart without a clean stop");
        assert!(folder.path().join(ROOT).exists() && folder.path().join(LOCK).exists());
        // A clean stop syncs and marks it: trusted after a restart.
        let page = built(&folder);
        folder.close();
        let folder = kept(cache.path(), site.path(), Some("boot-3"));
        assert!(page.exists(), "discarded after a clean stop");
        // The mark is for one session: unknown boot ids trust only it.
        drop(folder);
        kept(cache.path(), site.path(), None);
        assert!(!page.exists());
    }

    #[test]
    fn the_folders_of_sites_that_are_gone_are_removed_unless_held() {
        let cache = tempfile::tempdir().unwrap();
        let sites = tempfile::tempdir().unwrap();
        let site = |name: &str| {
            let dir = sites.path().join(name);
            std::fs::create_dir(&dir).unwrap();
            dir
        };
        let (here, gone, held) = (site("hier"), site("weg"), site("offen"));
        let folder = |root: &Path| {
            let folder = kept(cache.path(), root, Some("a"));
            built(&folder);
            folder
        };
        let gone_dir = folder(&gone).path().to_path_buf();
        let held_folder = folder(&held);
        let here_dir = folder(&here).path().to_path_buf();
        std::fs::remove_dir_all(&gone).unwrap();
        std::fs::remove_dir_all(&held).unwrap();
        prune(cache.path());
        assert!(!gone_dir.exists(), "the folder of a site that is gone was kept");
        assert!(
            held_folder.output().join("index.html").exists(),
            "a held folder was removed"
        );
        assert!(
            here_dir.join("public/index.html").exists(),
            "the folder of a site that exists was removed"
        );
    }

    #[test]
    fn a_folder_of_another_site_with_the_same_name_is_not_used() {
        let (cache, site) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let folder = kept(cache.path(), site.path(), Some("a"));
        let page = built(&folder);
        std::fs::write(folder.path().join(ROOT), "/anderswo").unwrap();
        let dir = folder.path().to_path_buf();
        drop(folder);
        let why = Folder::kept_in(cache.path(), site.path(), Some("a"))
            .err()
            .expect("another site's folder taken");
        assert!(why.contains("another site's"), "{why}");
        assert!(page.exists() && dir.join(ROOT).exists());
    }
}
