//! Adding and deleting article files rebuilds in place and writes only the
//! manifest's head: the tail keeps its records, and the head records where
//! the added and deleted files sit among them. Each build still equals a
//! clean build of the same content, the output's marker included.

use std::collections::BTreeMap;
use std::path::Path;

use blatt::config::{Site, SiteConfig};
use blatt::pipeline::{BuildOptions, Mode, build};

const YAML: &str = "title: Test\nbase_url: https://example.org/\nlanguage: de\ntimezone: Europe/Berlin\npaginate: 3\nlisting:\n  archive_paginate: 3\nfeed:\n  limit: 4\n  term_limit: 3\n";

fn site(root: &Path) -> Site {
    std::fs::write(root.join("site.yaml"), YAML).unwrap();
    Site {
        root: root.to_path_buf(),
        config: SiteConfig::parse(YAML, Path::new("site.yaml")).unwrap(),
    }
}

fn article(title: &str, date: &str, tags: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\ntopics: [Politik]\ntags: [{tags}]\n---\n\nText über {title}.\n")
}

/// `content/c0.md` … dated from 2022-01-01 on, a day apart, each with the
/// tag `tags(n)`.
fn write_articles(content: &Path, count: usize, tags: impl Fn(usize) -> &'static str) {
    std::fs::create_dir_all(content).unwrap();
    for n in 0..count {
        let text = article(&format!("Artikel {n}"), &format!("2022-01-{:02}", n + 1), tags(n));
        std::fs::write(content.join(format!("c{n}.md")), text).unwrap();
    }
}

/// Every file of the output but `theirs`.
fn blatts(out: &Path, theirs: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let mut files = crate::common::output_files(out);
    for t in theirs {
        files.remove(*t);
    }
    files
}

/// The output equals a clean build of the same content, but for `theirs`;
/// the folder of the clean build (its output in `public`), for a closer look.
fn equals_clean(site: &Site, options: &BuildOptions, theirs: &[&str], what: &str) -> tempfile::TempDir {
    let clean = tempfile::tempdir().unwrap();
    let clean_options = BuildOptions {
        out: clean.path().join("public"),
        ..options.clone()
    };
    build(site, &clean_options, &|| {}).unwrap();
    let (a, b) = (blatts(&options.out, theirs), blatts(&clean_options.out, &[]));
    let differing: Vec<&String> = a.keys().chain(b.keys()).filter(|k| a.get(*k) != b.get(*k)).collect();
    assert!(
        differing.is_empty(),
        "after {what}: {differing:?} differ from a clean build"
    );
    clean
}

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).unwrap().ino()
}

/// New articles at a pagination boundary (the newest on the edit path),
/// in a tag below its minimum and then reaching it, before, among and
/// after the tail's files; deleted
/// ones, one of them added since; body edits of an added article and of
/// one after it (read a chunk at a time); a redate that reorders listings
/// and a retitle (the edit path, over the tail's files as the head's
/// patch moved them); an article set to draft, edited and published again
/// (the edit path). A file someone puts where a deleted article's page
/// was is kept through all of it.
#[cfg(unix)]
#[test]
fn new_and_deleted_articles_patch_the_manifest_and_equal_a_clean_build() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    write_articles(&content, 6, |n| if n % 2 == 0 { "Bahn" } else { "Wind" });
    let site = site(dir.path());
    let options = BuildOptions::for_site(&site);
    assert_eq!(build(&site, &options, &|| {}).unwrap().mode, Mode::Full);
    let tail = dir.path().join(".public.blatt-manifest.tail");
    let whole = inode(&tail);
    let mut theirs: Vec<String> = Vec::new();
    let step = |what: &str, change: &dyn Fn(), mode: Mode, theirs: &[String]| {
        change();
        let before = crate::common::output_files(&options.out);
        let report = build(&site, &options, &|| {}).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(report.mode, mode, "{what}");
        assert_eq!(inode(&tail), whole, "{what} writes no tail");
        let theirs: Vec<&str> = theirs.iter().map(String::as_str).collect();
        equals_clean(&site, &options, &theirs, what);
        before
    };
    let write = |name: &str, text: String| std::fs::write(content.join(name), text).unwrap();
    let edit = |name: &str, from: &str, to: &str| {
        let text = std::fs::read_to_string(content.join(name)).unwrap();
        assert!(text.contains(from), "{name}: {from}");
        write(name, text.replacen(from, to, 1));
    };
    // The seventh article opens a third page of every listing of 3, and a
    // month: the edit path (`pipeline::edits::added`).
    step(
        "a newest article with a tag of its own",
        &|| write("n1.md", article("Neu 1", "2022-02-01", "Solo")),
        Mode::Edits,
        &theirs,
    );
    step(
        "an oldest article sorting before every file, the tag's second",
        &|| write("b0.md", article("Alt", "2021-12-01", "Solo")),
        Mode::Incremental,
        &theirs,
    );
    let before = step(
        "an article among the files, another deleted",
        &|| {
            write("c2a.md", article("Mitte", "2022-01-03T18:00:00+01:00", "Bahn, Solo"));
            std::fs::remove_file(content.join("c3.md")).unwrap();
        },
        Mode::Incremental,
        &theirs,
    );
    // Someone's file where the deleted article's page was.
    let now = crate::common::output_files(&options.out);
    let gone = before
        .keys()
        .find(|k| k.ends_with("/index.html") && !now.contains_key(*k) && k.ends_with("/c3/index.html"))
        .expect("the deleted article's page went")
        .clone();
    let foreign = options.out.join(&gone);
    std::fs::create_dir_all(foreign.parent().unwrap()).unwrap();
    std::fs::write(&foreign, "theirs").unwrap();
    theirs.push(gone);
    step(
        "a body edit of an added article and of one after it",
        &|| {
            edit("n1.md", "Text über", "Neuer Text über");
            edit("c5.md", "Text über", "Neuer Text über");
        },
        Mode::Edits,
        &theirs,
    );
    step(
        // In its month (a new month would leave a redirect at the old URL),
        // to its front: the edit path.
        "a redate making an old article the newest of the tail's",
        &|| edit("c1.md", "2022-01-02", "2022-01-28"),
        Mode::Edits,
        &theirs,
    );
    step(
        "a retitle",
        &|| edit("c0.md", "title: Artikel 0", "title: Allererster"),
        Mode::Edits,
        &theirs,
    );
    step(
        "an added article deleted, a third added",
        &|| {
            std::fs::remove_file(content.join("n1.md")).unwrap();
            write("z9.md", article("Spät", "2022-01-04T06:00:00+01:00", "Solo"));
        },
        Mode::Incremental,
        &theirs,
    );
    step(
        "a body edit after it",
        &|| edit("z9.md", "Text über", "Anderer Text über"),
        Mode::Edits,
        &theirs,
    );
    // Unpublished in the middle of the order, its tag's and its topic's
    // lists: taken out as a deleted article is, its file kept
    // (`pipeline::edits::removed::one_drafted`).
    step(
        "an article with two tags among the files",
        &|| write("c6.md", article("Artikel 6", "2022-01-07", "Bahn, Wind")),
        Mode::Edits,
        &theirs,
    );
    step(
        "an article set to draft with a new sentence",
        &|| {
            edit("c5.md", "tags: [", "draft: true\ntags: [");
            edit("c5.md", "Neuer Text", "Ein Entwurf. Neuer Text");
        },
        Mode::Edits,
        &theirs,
    );
    step(
        "the draft's body edited",
        &|| edit("c5.md", "Ein Entwurf.", "Ein zweiter Entwurf."),
        Mode::Edits,
        &theirs,
    );
    step(
        "the draft published again, under a new title",
        &|| {
            edit("c5.md", "draft: true\n", "");
            edit("c5.md", "title: Artikel 5", "title: Wieder da");
        },
        Mode::Edits,
        &theirs,
    );
    // Out of the future: published as a draft is (`added::one_published`).
    step(
        "an article dated in the future",
        &|| edit("c6.md", "date: 2022-01-07", "date: 2099-01-07"),
        Mode::Incremental,
        &theirs,
    );
    step(
        "its date back where it was",
        &|| edit("c6.md", "date: 2099-01-07", "date: 2022-01-07"),
        Mode::Edits,
        &theirs,
    );
    step(
        "another set to draft, its title changed too",
        &|| edit("c0.md", "title: Allererster\n", "title: Entwurf\ndraft: true\n"),
        Mode::Incremental,
        &theirs,
    );
    step(
        "a retitle after the drafts",
        &|| edit("c2.md", "title: Artikel 2", "title: Zweiter"),
        Mode::Edits,
        &theirs,
    );
    assert_eq!(
        std::fs::read_to_string(&foreign).unwrap(),
        "theirs",
        "someone else's file is kept"
    );
}

/// Heads written by the blatts before (format BLATTM20, which stored the
/// stamps' paths whole, BLATTM19, which also lacked the trailing search
/// ids, BLATTM18, which also lacked the counts of terms, BLATTM17, which
/// also lacked the listings, and BLATTM16, which also lacked the list of
/// added and deleted files before them) are read, not ignored: a build
/// without a manifest keeps every file it did not write, so an ignored
/// head would leave the page of an article deleted meanwhile.
#[test]
fn the_heads_of_the_formats_before_are_read_and_their_files_stay_known() {
    let formats = [
        (b"BLATTM20", 0),
        (b"BLATTM19", 1),
        (b"BLATTM18", 2),
        (b"BLATTM17", 3),
        (b"BLATTM16", 4),
    ];
    for (format, missing) in formats {
        let what = String::from_utf8_lossy(format).into_owned();
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        write_articles(&content, 4, |_| "Bahn");
        let site = site(dir.path());
        let options = BuildOptions::for_site(&site);
        build(&site, &options, &|| {}).unwrap();
        let head_file = dir.path().join(".public.blatt-manifest");
        let head = std::fs::read(&head_file).unwrap();
        let generation = blatt::output::build_dir::marker_generation(&options.out);
        let loaded = blatt::pipeline::state::manifest::Manifest::load(&options.out, generation).unwrap();
        let h = &loaded.head;
        let listings = postcard::to_stdvec(&h.listings).unwrap();
        let leads = postcard::to_stdvec(&h.term_counts).unwrap();
        let ids = postcard::to_stdvec(&h.search_ids).unwrap();
        assert_eq!(h.search_ids.steps.len(), h.index.order.len());
        assert!(h.term_counts.known);
        assert_eq!(h.term_counts.leads[0].len(), h.index.topics.len());
        assert!(!h.listings.months.is_empty());
        assert_eq!(h.stamps.len(), 4);
        // The fields after the stamps, the listings, the term counts and
        // the search ids last, after an empty list of added and of deleted
        // files: two zero bytes.
        let rest = postcard::to_stdvec(&(&h.statics, &h.index, &h.patch, &h.moved, &h.shift)).unwrap();
        assert!(rest.ends_with(&[0, 0]));
        let last = [rest.as_slice(), &listings, &leads, &ids].concat();
        assert!(head.starts_with(b"BLATTM21") && head.ends_with(&last));
        // The fields up to the stamps, and the stamps with whole paths.
        let lead = (
            h.generation,
            h.tail,
            h.config,
            h.reading,
            h.next_due,
            &h.counts,
            &h.stamps,
        );
        let whole = [postcard::to_stdvec(&lead).unwrap().as_slice(), &last].concat();
        assert!(whole.len() > head.len() - 8, "{what}: whole paths take more room");
        let cut = [ids.len(), leads.len(), listings.len(), 2][..missing]
            .iter()
            .sum::<usize>();
        let body = &whole[..whole.len() - cut];
        std::fs::write(&head_file, [format.as_slice(), body].concat()).unwrap();
        std::fs::write(options.out.join("verify.txt"), "theirs").unwrap();
        let pages = crate::common::output_files(&options.out);
        std::fs::remove_file(content.join("c2.md")).unwrap();
        let report = build(&site, &options, &|| {}).unwrap();
        assert_eq!(report.mode, Mode::Incremental, "{what}: the older head was read");
        let now = crate::common::output_files(&options.out);
        assert!(
            pages
                .keys()
                .any(|k| k.ends_with("/c2/index.html") && !now.contains_key(k)),
            "{what}: the deleted article's page is gone"
        );
        assert_eq!(
            std::fs::read_to_string(options.out.join("verify.txt")).unwrap(),
            "theirs"
        );
        equals_clean(&site, &options, &["verify.txt"], "an upgrade and a deletion");
        // A title edit after the upgrade: the rebuild stored the listings.
        let text = std::fs::read_to_string(content.join("c1.md")).unwrap();
        std::fs::write(content.join("c1.md"), text.replacen("Artikel 1", "Artikel eins", 1)).unwrap();
        assert_eq!(build(&site, &options, &|| {}).unwrap().mode, Mode::Edits, "{what}");
        equals_clean(&site, &options, &["verify.txt"], "a title edit after the upgrade");
    }
}

/// The related articles and order the manifest stores for body edits
/// (`edits::plan` renders from them).
fn stored_related(out: &Path) -> (Vec<u32>, Vec<Vec<u32>>) {
    let manifest =
        blatt::pipeline::state::manifest::Manifest::load(out, blatt::output::build_dir::marker_generation(out))
            .expect("a manifest");
    (manifest.head.index.order, manifest.head.index.related)
}

/// Front-matter edits keep the stored related articles of the articles
/// they cannot reach and choose again for the others: after each, what
/// the manifest stores is what a clean build stores, and a body edit
/// rendered from it equals a clean build. Related articles come from the
/// topics, or the tags of an article without one; `Solo` is a tag below
/// its minimum of two articles until the second carries it, and again
/// when one drops it: the other's related articles, chosen from `Solo`
/// first, must be chosen again.
#[test]
fn front_matter_edits_keep_the_stored_related_articles_a_clean_build_stores() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    let write = |name: &str, topics: &str, tags: &str, date: &str| {
        let text = format!("---\ntitle: {name}\ndate: {date}\ntopics: [{topics}]\ntags: [{tags}]\n---\n\nText.\n");
        std::fs::write(content.join(format!("{name}.md")), text).unwrap();
    };
    for n in 0..12 {
        let topics = ["Politik", "Sport", ""][n % 3];
        let tags = ["Bahn", "Wind", "Bahn, Wind"][n / 4];
        write(&format!("c{n:02}"), topics, tags, &format!("2022-01-{:02}", n + 1));
    }
    let site = site(dir.path());
    let options = BuildOptions::for_site(&site);
    build(&site, &options, &|| {}).unwrap();
    let step = |what: &str, change: &dyn Fn()| {
        change();
        build(&site, &options, &|| {}).unwrap_or_else(|e| panic!("{what}: {e}"));
        let clean = equals_clean(&site, &options, &[], what);
        assert_eq!(
            stored_related(&options.out),
            stored_related(&clean.path().join("public")),
            "after {what}"
        );
    };
    let retitle = |name: &str| {
        let file = content.join(format!("{name}.md"));
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, text.replacen(&format!("title: {name}"), "title: Neu", 1)).unwrap();
    };
    step("a retitle", &|| retitle("c01"));
    step("a later time the same day", &|| {
        write("c09", "", "Bahn, Wind", "2022-01-10T18:00:00+01:00")
    });
    step("a tag below its minimum", &|| {
        write("c02", "", "Bahn, Solo", "2022-01-03")
    });
    step("the tag reaching it", &|| write("c05", "", "Solo, Wind", "2022-01-06"));
    step("a new topic", &|| write("c03", "Sport", "Bahn", "2022-01-04"));
    step("the tag falling below it again", &|| {
        write("c02", "", "Bahn", "2022-01-03")
    });
    // In its month: a new month would leave a redirect at the old URL.
    step("a redate past other articles", &|| {
        write("c04", "Sport", "Wind", "2022-01-20")
    });
    step("a topic gained and a retitle at once", &|| {
        write("c08", "Politik", "Bahn, Wind", "2022-01-09");
        retitle("c10");
    });
    step("a draft", &|| {
        let text = std::fs::read_to_string(content.join("c06.md")).unwrap();
        std::fs::write(content.join("c06.md"), text.replacen("---\n", "---\ndraft: true\n", 1)).unwrap();
    });
    step("a body edit rendered from the stored choices", &|| {
        let text = std::fs::read_to_string(content.join("c07.md")).unwrap();
        std::fs::write(content.join("c07.md"), text.replace("Text.", "Neuer Text.")).unwrap();
    });
}

/// A rebuild that reuses the manifest's readings checks URLs only among
/// the articles sharing a slug with a file read now: a new file taking a
/// stored article's URL, by its name or by its `slug`, before or after it
/// in the walk, fails the build with the errors a clean build reports.
#[test]
fn new_files_at_stored_urls_fail_as_a_clean_build_does() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    write_articles(&content, 6, |_| "Bahn");
    let site = site(dir.path());
    let options = BuildOptions::for_site(&site);
    assert_eq!(build(&site, &options, &|| {}).unwrap().mode, Mode::Full);
    let errors = |out: &Path| match build(
        &site,
        &BuildOptions {
            out: out.to_path_buf(),
            ..options.clone()
        },
        &|| {},
    ) {
        Err(blatt::Error::Files(errors)) => errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
        other => panic!("the build did not fail over its URLs: {:?}", other.map(|r| r.mode)),
    };
    std::fs::create_dir_all(content.join("a")).unwrap();
    std::fs::write(content.join("a/c1.md"), article("Vorher", "2022-01-15", "Bahn")).unwrap();
    let slugged = article("Nachher", "2022-01-20", "Bahn").replacen("---\n", "---\nslug: c2\n", 1);
    std::fs::write(content.join("z.md"), slugged).unwrap();
    let text = std::fs::read_to_string(content.join("c3.md")).unwrap();
    std::fs::write(
        content.join("c3.md"),
        text.replacen("title: Artikel 3", "title: Neu", 1),
    )
    .unwrap();
    let incremental = errors(&options.out);
    let clean = tempfile::tempdir().unwrap();
    assert_eq!(incremental, errors(&clean.path().join("public")));
    assert_eq!(incremental.len(), 2, "{incremental:?}");
    assert!(
        incremental.iter().all(|e| e.contains("has the same URL")),
        "{incremental:?}"
    );
}
