//! Where a build writes, settled before anything is read or written.
//!
//! The output folder is replaced by renames in its parent folder. When the
//! name given is a symbolic link (`public -> /srv/www`), renaming it would
//! replace the link, not the site it points to, and the clean-up would then
//! follow the link into the old site; so the build works on the link's
//! target, beside which its staging folder and manifest live, and the link
//! stays as it is. An output inside the folders a build reads from (or the
//! site inside its output) would copy the site into itself on every build,
//! or replace the site with its output: refused.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;

/// More links than this in a row are taken for a loop, as the kernel does
/// (`ELOOP` after 40).
const MAX_LINKS: usize = 40;

/// The real folder a build of `out` writes: `out` itself, or where the
/// symbolic link(s) named `out` lead, as an absolute path without `.`,
/// `..` or links in its folders. The target need not exist yet.
pub fn resolve(out: &Path) -> Result<PathBuf, Error> {
    let mut path = absolute(out).map_err(|e| Error::io(out, e))?;
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&path).map_err(|e| Error::io(&path, e))?;
                // A relative target counts from the link's folder.
                let folder = path.parent().unwrap_or(Path::new("/")).to_path_buf();
                path = real_folders(&folder.join(target)).map_err(|e| Error::io(out, e))?;
            }
            Ok(_) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(path),
            Err(e) => return Err(Error::io(&path, e)),
        }
    }
    Err(Error::Refused(format!(
        "{}: the output folder is a loop of symbolic links; point it at a folder",
        out.display()
    )))
}

/// `path` made absolute, with `.` and `..` resolved against the real
/// folders (links in them followed), its last name left as it is.
fn absolute(path: &Path) -> io::Result<PathBuf> {
    let path = std::path::absolute(path)?;
    real_folders(&path)
}

/// The folders of `path` resolved: the deepest existing one canonicalised,
/// the names below it (which do not exist yet) appended, `..` among them
/// taken lexically. The last name is kept as it is, link or not.
fn real_folders(path: &Path) -> io::Result<PathBuf> {
    let path = std::path::absolute(path)?;
    let mut names: Vec<std::ffi::OsString> = Vec::new();
    let last = match path.components().next_back() {
        Some(Component::Normal(name)) => Some(name),
        _ => None,
    };
    let mut folder = match last {
        Some(_) => path.parent().unwrap_or(Path::new("/")).to_path_buf(),
        None => path.clone(),
    };
    // Climb to a folder that exists.
    let base = loop {
        match folder.canonicalize() {
            Ok(real) => break real,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        match (folder.components().next_back(), folder.parent()) {
            (Some(Component::Normal(name)), Some(_)) => names.push(name.to_os_string()),
            (Some(Component::ParentDir), Some(_)) => names.push("..".into()),
            // Only a root that does not exist is left.
            _ => break PathBuf::from("/"),
        }
        folder = folder.parent().expect("checked above").to_path_buf();
    };
    let mut real = base;
    for name in names.into_iter().rev().chain(last.map(std::ffi::OsStr::to_os_string)) {
        if name == ".." {
            real.pop();
        } else {
            real.push(name);
        }
    }
    Ok(real)
}

/// Refuses an output folder `out` (resolved) that is the site folder `root`,
/// contains it, or lies inside one of the folders a build reads (`sources`:
/// content/, static/, templates/), or contains one of them. `given_as_link`:
/// the name was a symbolic link, so the mistake is in the file system (exit
/// status 1), not on the command line.
pub fn check_apart(out: &Path, root: &Path, sources: &[PathBuf], given_as_link: bool) -> Result<(), Error> {
    let refuse = |message: String| {
        Err(if given_as_link {
            Error::Refused(message)
        } else {
            Error::Usage(message)
        })
    };
    let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
    if root.starts_with(out) {
        let how = if root == out { "is" } else { "contains" };
        return refuse(format!(
            "the output folder {} {how} the site folder {}, and a build replaces its output \
             folder as a whole; choose a folder such as {}",
            out.display(),
            root.display(),
            root.join("public").display()
        ));
    }
    for source in sources {
        let Ok(source) = source.canonicalize() else {
            continue;
        };
        let how = if out.starts_with(&source) {
            "is inside"
        } else if source.starts_with(out) {
            "contains"
        } else {
            continue;
        };
        return refuse(format!(
            "the output folder {} {how} {}, which the build reads: every build would copy the \
             site into itself; choose a folder outside content/, static/ and templates/, such as {}",
            out.display(),
            source.display(),
            root.join("public").display()
        ));
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn a_link_resolves_to_its_target_and_a_loop_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        fs::create_dir_all(real.join("srv/www")).unwrap();
        fs::create_dir(real.join("site")).unwrap();
        symlink("../srv/www", real.join("site/public")).unwrap();
        assert_eq!(resolve(&real.join("site/public")).unwrap(), real.join("srv/www"));
        // A chain of links, and one to a folder that does not exist yet.
        symlink(real.join("site/public"), real.join("site/again")).unwrap();
        assert_eq!(resolve(&real.join("site/again")).unwrap(), real.join("srv/www"));
        symlink("../srv/new/www", real.join("site/later")).unwrap();
        assert_eq!(resolve(&real.join("site/later")).unwrap(), real.join("srv/new/www"));
        // A plain folder, given with `..`.
        assert_eq!(resolve(&real.join("site/../srv/www")).unwrap(), real.join("srv/www"));
        symlink("loop", real.join("site/loop")).unwrap();
        assert!(matches!(resolve(&real.join("site/loop")), Err(Error::Refused(_))));
    }

    #[test]
    fn outputs_inside_what_the_build_reads_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let sources: Vec<PathBuf> = ["content", "static", "templates"]
            .iter()
            .map(|s| root.join(s))
            .collect();
        for s in &sources {
            fs::create_dir(s).unwrap();
        }
        let ok = [
            root.join("public"),
            root.join("out/site"),
            root.parent().unwrap().join("elsewhere"),
        ];
        for out in ok {
            assert!(check_apart(&out, &root, &sources, false).is_ok(), "{}", out.display());
        }
        let bad = [
            root.clone(),
            root.parent().unwrap().to_path_buf(),
            PathBuf::from("/"),
            root.join("static"),
            root.join("static/public"),
            root.join("content/x"),
            root.join("templates/out"),
        ];
        for out in bad {
            assert!(
                matches!(check_apart(&out, &root, &sources, false), Err(Error::Usage(_))),
                "{}",
                out.display()
            );
            assert!(matches!(
                check_apart(&out, &root, &sources, true),
                Err(Error::Refused(_))
            ));
        }
    }
}
