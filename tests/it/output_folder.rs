//! Where `blatt build` writes, and what it leaves when it may not: an
//! output folder that is a symbolic link, files in it that blatt did not
//! make, output folders inside the site, refused and failed builds.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use predicates::prelude::*;

const SITE_YAML: &str = "title: Test\nbase_url: https://example.org/\nlanguage: de\ntimezone: Europe/Berlin\n";

fn article(title: &str, day: u32, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: 2022-03-{day:02}\ntopics: [Verkehr]\n---\n\n{body}\n")
}

/// A folder holding `site/` (three articles) and nothing else.
fn site_in(dir: &Path) -> PathBuf {
    let root = dir.join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("site.yaml"), SITE_YAML).unwrap();
    for (n, title) in ["Erster Bericht", "Zweiter Bericht", "Dritter Bericht"]
        .iter()
        .enumerate()
    {
        std::fs::write(
            root.join(format!("content/a{n}.md")),
            article(title, n as u32 + 1, "Die Stadt plant neue Wege."),
        )
        .unwrap();
    }
    root
}

/// What a clean build of `root`'s content makes (marker aside).
fn clean_build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let clean = tempfile::tempdir().unwrap();
    let copy = clean.path().join("site");
    for e in walkdir::WalkDir::new(root).into_iter().filter_map(Result::ok) {
        let rel = e.path().strip_prefix(root).unwrap();
        if rel.starts_with("public") || rel.to_string_lossy().starts_with(".public") {
            continue;
        }
        if e.file_type().is_dir() {
            std::fs::create_dir_all(copy.join(rel)).unwrap();
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), copy.join(rel)).unwrap();
        }
    }
    crate::common::blatt(&copy).args(["build", "-q"]).assert().success();
    crate::common::output_files(&copy.join("public"))
}

/// Every entry below `dir` (links not followed) with the bytes of files
/// and the targets of links.
fn tree(dir: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let spare = e
                .path()
                .ancestors()
                .skip(1)
                .any(|p| p.to_string_lossy().ends_with(".blatt-manifest.spare"));
            let what = if e.path_is_symlink() {
                format!("-> {}", std::fs::read_link(e.path()).unwrap().display())
            } else if spare {
                // Old versions kept for their inodes: a failed update gives
                // back the ones it took, with whatever it had written in them.
                "a spare".into()
            } else if e.file_type().is_file() {
                String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned()
            } else {
                "/".into()
            };
            (e.path().display().to_string(), what)
        })
        .collect()
}

/// Files someone else put into the web root: blatt keeps them.
const THEIRS: [(&str, &str); 3] = [
    ("operator.txt", "put here by the operator"),
    (".well-known/acme-challenge/token", "abc"),
    ("2022/03/notes.txt", "beside blatt's month page"),
];

fn put_theirs(www: &Path) {
    for (rel, text) in THEIRS {
        std::fs::create_dir_all(www.join(rel).parent().unwrap()).unwrap();
        std::fs::write(www.join(rel), text).unwrap();
    }
    std::os::unix::fs::symlink("/srv/media", www.join("media")).unwrap();
}

/// The output without the operator's files: what blatt made.
fn blatts(www: &Path) -> BTreeMap<String, Vec<u8>> {
    assert_eq!(
        std::fs::read_link(www.join("media")).unwrap(),
        Path::new("/srv/media"),
        "the operator's link (to nowhere here) is kept"
    );
    let mut files = crate::common::output_files(www);
    for (rel, text) in THEIRS {
        assert_eq!(
            files.remove(rel).as_deref(),
            Some(text.as_bytes()),
            "{rel} is kept as it was"
        );
    }
    files
}

fn set_site_yaml(root: &Path, extra: &str) {
    std::fs::write(root.join("site.yaml"), format!("{SITE_YAML}{extra}")).unwrap();
}

/// `public -> /srv/www`, where the target holds an earlier blatt build and
/// files of the operator's: every kind of build goes through the link into
/// the target, keeps the operator's files, and leaves the link a link.
/// (Before, a build swapped the link itself, deleted everything in the
/// target while cleaning up, and every later build failed.)
#[test]
fn a_public_folder_that_is_a_link_is_built_through() {
    for earlier_manifest in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let root = site_in(dir.path());
        let www = dir.path().join("srv/www");
        std::fs::create_dir_all(&www).unwrap();
        crate::common::blatt(&root)
            .arg("build")
            .arg("--out")
            .arg(&www)
            .assert()
            .success();
        if !earlier_manifest {
            // A copied web root: blatt's marker, but no manifest beside it.
            for e in std::fs::read_dir(dir.path().join("srv")).unwrap() {
                let path = e.unwrap().path();
                if path.is_file() {
                    std::fs::remove_file(path).unwrap();
                }
            }
        }
        put_theirs(&www);
        std::os::unix::fs::symlink("../srv/www", root.join("public")).unwrap();
        let site_before: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();

        let check = |what: &str| {
            let link = std::fs::symlink_metadata(root.join("public")).unwrap();
            assert!(link.file_type().is_symlink(), "{what}: public/ is still a link");
            assert_eq!(
                std::fs::read_link(root.join("public")).unwrap(),
                Path::new("../srv/www")
            );
            assert_eq!(blatts(&www), clean_build(&root), "{what}: the target holds the site");
            let mut site_now: Vec<_> = std::fs::read_dir(&root)
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            site_now.sort();
            let mut expected = site_before.clone();
            expected.sort();
            assert_eq!(site_now, expected, "{what}: nothing new beside the link");
            let beside: Vec<String> = std::fs::read_dir(dir.path().join("srv"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.contains("staging") || n.contains("update") || n.contains("journal"))
                .collect();
            assert!(beside.is_empty(), "{what}: left {beside:?}");
        };

        // A full build (site.yaml changed).
        set_site_yaml(&root, "paginate: 2\nlisting: { archive_paginate: 2 }\n");
        crate::common::blatt(&root).arg("build").assert().success();
        check("full build");
        // A second one, and an incremental one that swaps a new folder in.
        set_site_yaml(
            &root,
            "paginate: 1\nlisting: { archive_paginate: 1 }\nbuild:\n  atomic: true\n",
        );
        crate::common::blatt(&root).arg("build").assert().success();
        check("second full build");
        std::fs::write(
            root.join("content/a1.md"),
            article("Zweiter Bericht, neu", 2, "Geändert."),
        )
        .unwrap();
        crate::common::blatt(&root).arg("build").assert().success();
        check("atomic incremental build");
        // Journalled in-place updates.
        set_site_yaml(
            &root,
            "paginate: 1\nlisting: { archive_paginate: 1 }\nbuild:\n  atomic: false\n",
        );
        crate::common::blatt(&root).arg("build").assert().success();
        std::fs::write(root.join("content/a3.md"), article("Vierter Bericht", 4, "Neu.")).unwrap();
        std::fs::remove_file(root.join("content/a0.md")).unwrap();
        crate::common::blatt(&root)
            .arg("build")
            .assert()
            .success()
            .stdout(predicate::str::contains("rendered again"));
        check("journalled incremental build");
    }
}

/// The files an operator put into blatt's output folder stay through every
/// kind of build; one where the build writes a file of its own stops the
/// build, which changes nothing.
#[test]
fn files_blatt_did_not_make_are_kept_or_stop_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = site_in(dir.path());
    let public = root.join("public");
    crate::common::blatt(&root).arg("build").assert().success();
    put_theirs(&public);
    set_site_yaml(&root, "paginate: 1\nlisting: { archive_paginate: 1 }\n");
    crate::common::blatt(&root).arg("build").assert().success();
    assert_eq!(blatts(&public), clean_build(&root));

    // A static file of the site where the operator's file is.
    std::fs::create_dir_all(public.join("static")).unwrap();
    std::fs::write(public.join("static/logo.txt"), "the operator's").unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/logo.txt"), "the site's").unwrap();
    // And an article whose folder would be where the operator has a file.
    std::fs::write(
        root.join("content/a9.md"),
        "---\ntitle: X\ndate: 2023-01-05\n---\n\nText.\n",
    )
    .unwrap();
    std::fs::write(public.join("2023"), "the operator's").unwrap();
    let before = tree(dir.path());
    for (what, extra) in [
        ("incremental", "paginate: 1\nlisting: { archive_paginate: 1 }\n"),
        ("full", "paginate: 3\nlisting: { archive_paginate: 3 }\n"),
    ] {
        set_site_yaml(&root, extra);
        let before = tree(dir.path());
        let output = crate::common::blatt(&root).arg("build").output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{what}: {output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        for theirs in ["static/logo.txt", "2023"] {
            assert!(
                stderr.contains(&format!(
                    "{}: was not made by blatt, and this build writes a file of that name",
                    public.join(theirs).display()
                )),
                "{what}: {stderr}"
            );
        }
        assert_eq!(tree(dir.path()), before, "{what}: nothing changed");
    }
    set_site_yaml(&root, "paginate: 1\nlisting: { archive_paginate: 1 }\n");
    assert_eq!(tree(dir.path()), before);
    std::fs::remove_file(public.join("static/logo.txt")).unwrap();
    std::fs::remove_file(public.join("2023")).unwrap();
    crate::common::blatt(&root).arg("build").assert().success();
    assert_eq!(blatts(&public), clean_build(&root));
}

/// A build that is refused, or fails, writes nothing anywhere: not the
/// search word cache (which it used to leave beside the output), not the
/// folders above a new output folder.
#[test]
fn refused_and_failed_builds_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = site_in(dir.path());
    // A folder blatt did not make: file-system state, exit status 1.
    let theirs = dir.path().join("theirs");
    std::fs::create_dir(&theirs).unwrap();
    std::fs::write(theirs.join("index.html"), "mine").unwrap();
    let before = tree(dir.path());
    crate::common::blatt(&root)
        .arg("build")
        .arg("--out")
        .arg(&theirs)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("was not made by blatt"));
    assert_eq!(tree(dir.path()), before, "refused: nothing written");

    // A build that fails on a broken link, into a new folder and into
    // public/ built before.
    crate::common::blatt(&root).arg("build").assert().success();
    std::fs::write(
        root.join("content/kaputt.md"),
        article("Kaputt", 9, "Ein [Link](/2022/13/nirgends/) ins Leere."),
    )
    .unwrap();
    let before = tree(dir.path());
    for out in [dir.path().join("new/deep/out"), root.join("public")] {
        crate::common::blatt(&root)
            .arg("build")
            .arg("--out")
            .arg(&out)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("broken link").and(predicate::str::contains("nothing was written")));
        assert_eq!(tree(dir.path()), before, "failed build into {}", out.display());
    }
}

/// An output folder inside what the build reads would copy the site into
/// itself on every build; one that is or holds the site would replace it.
/// On the command line that is a usage mistake (exit status 2); through a
/// link, file-system state (1). Nothing is written either way.
#[test]
fn an_output_inside_the_site_sources_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = site_in(dir.path());
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    let before = tree(dir.path());
    for out in ["static", "static/public", "content/out", "templates", ".", "..", "/"] {
        crate::common::blatt(&root)
            .args(["build", "--out"])
            .arg(root.join(out))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("the output folder"));
        assert_eq!(tree(dir.path()), before, "--out {out}");
    }
    std::os::unix::fs::symlink("static/www", root.join("public")).unwrap();
    let before = tree(dir.path());
    crate::common::blatt(&root)
        .arg("build")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is inside"));
    assert_eq!(tree(dir.path()), before, "through a link");
}

/// Runs `blatt` as `user` (root runs it as another user, for whom folder
/// permissions hold; anyone else runs it as themselves).
fn blatt_as(user: Option<u32>, root: &Path) -> std::process::Command {
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_blatt"));
    cmd.arg("--root").arg(root);
    if let Some(id) = user {
        cmd.uid(id).gid(id);
    }
    cmd
}

/// Undoes `chattr +a` even when the test fails, so the folder can be removed.
struct AppendOnly<'a>(&'a Path);

impl Drop for AppendOnly<'_> {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr").arg("-a").arg(self.0).status();
    }
}

/// An output folder the build may not change while its parent is writable
/// (read-only to this user, or append-only): every kind of build stops
/// before it swaps or renames anything, the old site stays in place with
/// nothing beside it, and once the folder is writable again builds work.
/// (Before, the swap went through, the old site could not be deleted from
/// where it was moved, and every later build failed on it.)
///
/// Tests here run as root, for whom `chmod` changes nothing; so root runs
/// the builds as `nobody`, for whom it does. The append-only case needs
/// root and `chattr` on a file system that has the flag; without them it
/// is skipped with a note.
#[test]
fn an_output_folder_that_cannot_be_changed_stops_the_build_before_the_swap() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    // A new folder belongs to who runs the test.
    let is_root = std::fs::metadata(dir.path()).unwrap().uid() == 0;
    let nobody = is_root.then_some(65534);
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let root = site_in(dir.path());
    let public = root.join("public");
    let give_away = || {
        if let Some(id) = nobody {
            for e in walkdir::WalkDir::new(&root).into_iter().filter_map(Result::ok) {
                std::os::unix::fs::chown(e.path(), Some(id), Some(id)).unwrap();
            }
        }
    };
    give_away();
    let mode = |m: u32| std::fs::set_permissions(&public, std::fs::Permissions::from_mode(m)).unwrap();
    let run = |what: &str, expect_ok: bool| {
        let output = blatt_as(nobody, &root).arg("build").output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.success(), expect_ok, "{what}: {stderr}");
        if !expect_ok {
            assert_eq!(output.status.code(), Some(1), "{what}");
            assert!(
                stderr.contains("blatt cannot change the files in this output folder"),
                "{what}: {stderr}"
            );
        }
    };
    run("first build", true);

    let mut cases: Vec<(&str, &str)> = vec![
        ("full build", "paginate: 1\nlisting: { archive_paginate: 1 }\n"),
        ("atomic incremental build", "build:\n  atomic: true\n"),
        ("journalled incremental build", ""),
    ];
    for (n, (what, yaml)) in cases.drain(..).enumerate() {
        mode(0o755);
        set_site_yaml(&root, yaml);
        give_away();
        run(&format!("{what}: build before"), true);
        let edited = article("Erster Bericht", 1, &format!("Fassung {n}."));
        std::fs::write(root.join("content/a0.md"), edited).unwrap();
        if what == "full build" {
            set_site_yaml(&root, "paginate: 2\nlisting: { archive_paginate: 2 }\n");
        }
        give_away();
        mode(0o555);
        let before = tree(dir.path());
        run(what, false);
        assert_eq!(tree(dir.path()), before, "{what}: nothing changed");
        run(&format!("{what}, again"), false);
        assert_eq!(tree(dir.path()), before, "{what}, again: nothing changed");
    }
    mode(0o755);
    run("writable again", true);
    assert_eq!(crate::common::output_files(&public), clean_build(&root));

    if !is_root {
        eprintln!("note: not root; the append-only case needs chattr +a");
        return;
    }
    let append_only = std::process::Command::new("chattr").arg("+a").arg(&public).status();
    if !append_only.is_ok_and(|s| s.success()) {
        eprintln!("note: chattr +a is not available here; append-only case skipped");
        return;
    }
    let _undo = AppendOnly(&public);
    set_site_yaml(&root, "paginate: 3\nlisting: { archive_paginate: 3 }\n");
    let before = tree(dir.path());
    // As root: `access` says yes, but nothing in the folder can be removed.
    let output = blatt_as(None, &root).arg("build").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "append-only: {stderr}");
    assert!(
        stderr.contains("blatt cannot change the files in this output folder"),
        "{stderr}"
    );
    assert_eq!(tree(dir.path()), before, "append-only: nothing changed");
}
