use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;

use super::*;
use crate::content::load::markdown_files;

fn mkfifo(path: &Path) {
    rustix::fs::mkfifoat(rustix::fs::CWD, path, rustix::fs::Mode::from_raw_mode(0o644)).unwrap();
}

fn shown(errors: &[FileError]) -> Vec<(PathBuf, Problem)> {
    errors
        .iter()
        .map(|e| (e.location.path.clone(), e.problem.clone()))
        .collect()
}

/// A content folder with every kind of entry the walk treats apart.
fn awkward_site() -> (tempfile::TempDir, tempfile::TempDir) {
    let site = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let root = site.path();
    let content = root.join("content");
    let write = |rel: &str| {
        let path = content.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, rel).unwrap();
    };
    for rel in [
        "a.md",
        "a-b.md",
        "Z.md",
        "a/z.md",
        "notes.txt",
        ".hidden.md",
        ".drafts/x.md",
        "y.md/inside.md",
        "sub/a.md",
        "d1/d2/d3/deep.md",
    ] {
        write(rel);
    }
    std::fs::create_dir_all(root.join("elsewhere")).unwrap();
    std::fs::write(root.join("elsewhere/in.md"), "x").unwrap();
    std::fs::write(outside.path().join("out.md"), "x").unwrap();
    mkfifo(&content.join("x.md"));
    mkfifo(&content.join("other.pipe"));
    symlink("nowhere.md", content.join("z.md")).unwrap();
    symlink("nowhere", content.join(".gone")).unwrap();
    symlink(".", content.join("sub/here")).unwrap();
    symlink("../sub", content.join("sub/again")).unwrap();
    symlink("..", content.join("up")).unwrap();
    symlink("sub", content.join(".alias")).unwrap();
    symlink("a.md", content.join("same.md")).unwrap();
    symlink(root.join("elsewhere"), content.join("inside")).unwrap();
    symlink(outside.path(), content.join("away")).unwrap();
    symlink(outside.path().join("out.md"), content.join("sub/file.md")).unwrap();
    std::fs::write(content.join(OsStr::from_bytes(b"\xff.md")), "x").unwrap();
    std::fs::write(content.join(OsStr::from_bytes(b"\xfe.txt")), "x").unwrap();
    std::fs::create_dir(content.join(OsStr::from_bytes(b"\xfd"))).unwrap();
    (site, outside)
}

#[test]
fn finds_what_the_serial_walk_finds_in_its_order() {
    let (site, _outside) = awkward_site();
    let content = site.path().join("content");
    for links in [Links::All, Links::for_site(site.path(), false)] {
        let serial = markdown_files(&content, &links);
        let stamps: Vec<Stamp> = serial
            .files
            .iter()
            .map(|p| Stamp::of(p, &std::fs::metadata(p).unwrap()))
            .collect();
        let found = markdown_stamps(&content, &links);
        assert_eq!(found.stamps, stamps, "{links:?}");
        assert_eq!(shown(&found.errors), shown(&serial.errors), "{links:?}");
        assert_eq!(shown(&found.skipped), shown(&serial.skipped), "{links:?}");
        assert!(found.stamps.len() >= 9 && found.errors.len() >= 7, "{links:?}");
    }
}

#[test]
fn a_link_to_the_folder_walked_is_a_loop_named_by_the_walk() {
    let site = tempfile::tempdir().unwrap();
    let content = site.path().join("content");
    std::fs::create_dir_all(content.join("2024/05")).unwrap();
    std::fs::write(content.join("2024/05/a.md"), "x").unwrap();
    symlink("../..", content.join("2024/05/back")).unwrap();
    let found = markdown_stamps(&content, &Links::All);
    assert_eq!(found.stamps.len(), 1);
    assert_eq!(
        shown(&found.errors),
        vec![(
            content.join("2024/05/back"),
            Problem::Read(ReadProblem::LinkLoop(content.clone()))
        )]
    );
}

#[test]
fn a_content_that_is_a_file_holds_no_articles_as_in_the_serial_walk() {
    let site = tempfile::tempdir().unwrap();
    let content = site.path().join("content");
    std::fs::write(&content, "not a folder").unwrap();
    let serial = markdown_files(&content, &Links::All);
    let found = markdown_stamps(&content, &Links::All);
    assert!(serial.files.is_empty() && serial.errors.is_empty());
    assert!(found.stamps.is_empty());
    assert_eq!(shown(&found.errors), shown(&serial.errors));
}
