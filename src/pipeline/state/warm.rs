//! The records of the last build, kept in memory by a caller that builds
//! the same site again and again (`blatt serve`), so that a rebuild does
//! not decode them from the manifest's tail.
//!
//! Every rebuild that is not an edit of article bodies needs the tail's
//! records of every source and every output: at 100 000 articles decoding
//! them took 200–265 ms of a 1 s title edit in `serve`, a quarter of it.
//! The build that wrote the manifest had the same records at hand — the
//! sources it read or reused, the outputs it planned with their signatures
//! and hashes — so it leaves them here, put together on a thread nobody
//! waits for, instead of dropping them. They stand for the manifest whose
//! head has the bytes they were kept with, and for no other: a head
//! written by anyone else, or a build that failed after taking them, means
//! the next build decodes the tail from disk as any build does.

use std::thread::JoinHandle;

use super::manifest::{BodyLinks, Patch, StoredOutput, Tail};
use crate::content::ArticleFile;

/// What a build left for the next one; empty until a build fills it.
#[derive(Default)]
pub struct Warm {
    kept: Option<Kept>,
    /// Records still being put together by the last build's thread.
    coming: Option<JoinHandle<Option<Kept>>>,
}

struct Kept {
    /// [`key`] of the head the records go with.
    key: u64,
    tail: Tail,
}

/// What names a manifest's head among those one process wrote: a hash of
/// its bytes.
pub fn key(head: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(head)
}

/// What a build that planned the whole site has at its end, from which
/// the records of its manifest are put together.
pub(crate) struct Made {
    /// Every source, published or not.
    pub sources: Vec<ArticleFile>,
    /// Every output file's record, sorted by path, as the manifest's.
    pub outputs: Vec<StoredOutput>,
    pub body_links: Vec<BodyLinks>,
}

impl Warm {
    pub fn new() -> Warm {
        Warm::default()
    }

    /// The records of the manifest whose head hashes to `key`, if this is
    /// what the last build left; they are taken either way.
    pub(crate) fn take(&mut self, key: u64) -> Option<Tail> {
        if let Some(coming) = self.coming.take() {
            self.kept = coming.join().ok().flatten();
        }
        self.kept.take().filter(|k| k.key == key).map(|k| k.tail)
    }

    /// Keeps `tail` as the records of the head hashing to `key`.
    pub(crate) fn keep(&mut self, key: u64, tail: Tail) {
        self.coming = None;
        self.kept = Some(Kept { key, tail });
    }

    /// Keeps the records of a build that planned the whole site, put
    /// together from what `made` gives on a thread: the caller's next build
    /// waits for it, the caller does not.
    pub(crate) fn keep_made(&mut self, key: u64, made: impl FnOnce() -> Made + Send + 'static) {
        self.kept = None;
        self.coming = Some(std::thread::spawn(move || made().tail().map(|tail| Kept { key, tail })));
    }

    /// Keeps `tail` brought up to date by `patch`: the records a rebuild
    /// after body edits added to the manifest's head, without those of the
    /// sources at `removed` (sorted paths), deleted since.
    pub(crate) fn keep_patched(&mut self, key: u64, mut tail: Tail, patch: &Patch, removed: &[String]) {
        tail.take_in(patch, removed);
        self.keep(key, tail);
    }
}

impl Made {
    /// The records as [`super::manifest::Manifest::tail`] reads them back:
    /// sorted by path, no empty list of body links. `None` where they would
    /// not read back the same: a source's name that is not UTF-8 is stored
    /// lossily.
    fn tail(self) -> Option<Tail> {
        let Made {
            mut sources,
            outputs,
            mut body_links,
        } = self;
        if sources.iter().any(|s| s.path.to_str().is_none()) {
            return None;
        }
        sources.sort_unstable_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
        body_links.retain(|b| !b.links.is_empty());
        body_links.sort();
        Some(Tail {
            sources,
            outputs,
            body_links,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Site;
    use crate::pipeline::state::manifest::Manifest;
    use crate::pipeline::{BuildOptions, Mode, build_knowing};

    fn write(root: &std::path::Path, rel: &str, text: &str) {
        let path = root.join("content").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn article(title: &str, day: u32, body: &str) -> String {
        format!(
            "---\ntitle: {title}\nslug: a{day}\ndate: 2022-01-{day:02}T10:00:00+01:00\ntopics: [Verkehr]\ntags: [Bahn]\n---\n\n{body}\n"
        )
    }

    /// After every kind of build, the records a build keeps in memory are
    /// those the next build would decode from the manifest it wrote: a
    /// whole build, a title edit (a patch of the last tail), a body edit
    /// (a patch of the head alone), an article added, a draft, one deleted,
    /// the last link in a body taken out, a build with nothing to do.
    #[test]
    fn kept_records_are_what_the_manifest_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("site.yaml"),
            "title: T\nbase_url: https://example.org/\nlanguage: de\nfeed:\n  limit: 2\n",
        )
        .unwrap();
        write(root, "a.md", &article("Erster", 1, "Siehe [b](/2022/01/a2/)."));
        write(root, "b.md", &article("Zweiter", 2, "Text."));
        write(root, "c/d.md", &article("Dritter", 3, "Mehr [a](/2022/01/a1/) Text."));
        let site = Site::load(root).unwrap();
        let options = BuildOptions::for_site(&site);
        let mut warm = Warm::new();
        let mut modes = Vec::new();
        let check = |warm: &mut Warm, step: &str| {
            let out = &options.out;
            let generation = crate::output::build_dir::marker_generation(out);
            let key = Manifest::load(out, generation).unwrap().key();
            let kept = warm
                .take(key)
                .unwrap_or_else(|| panic!("{step}: nothing kept for the manifest"));
            let read = Manifest::load(out, generation).unwrap().tail().unwrap();
            assert!(read.sources.len() >= 3);
            assert_eq!(kept, read, "{step}");
            warm.keep(key, kept);
        };
        let mut step = |warm: &mut Warm, name: &str, change: &dyn Fn()| {
            std::thread::sleep(std::time::Duration::from_millis(20));
            change();
            let report = build_knowing(&site, &options, None, Some(warm), &|| {}).unwrap();
            modes.push(report.mode);
            check(warm, name);
        };
        step(&mut warm, "whole", &|| {});
        // A title and a topic: a rebuild (a title alone, or a tag, is an
        // edit).
        let retagged = |body: &str| article("Zweiter, neu", 2, body).replace("[Verkehr]", "[Verkehr, Tram]");
        step(&mut warm, "title and tags", &|| write(root, "b.md", &retagged("Text.")));
        step(&mut warm, "body", &|| write(root, "b.md", &retagged("Anderer Text.")));
        // A new article, the newest: an edit too (`pipeline::edits::added`).
        step(&mut warm, "added", &|| {
            write(root, "c/e.md", &article("Vierter", 4, "Neu."))
        });
        step(&mut warm, "draft", &|| {
            write(
                root,
                "c/e.md",
                &article("Vierter", 4, "Neu.").replacen("---\n", "---\ndraft: true\n", 1),
            )
        });
        // The newest published article deleted: an edit too, whose kept
        // records lose its source (`pipeline::edits::removed`).
        step(&mut warm, "deleted", &|| {
            std::fs::remove_file(root.join("content/c/d.md")).unwrap()
        });
        step(&mut warm, "link gone", &|| {
            write(root, "a.md", &article("Erster, neu", 1, "Ohne Link."))
        });
        step(&mut warm, "nothing", &|| {});
        assert_eq!(
            modes,
            [
                Mode::Full,
                Mode::Incremental,
                Mode::Edits,
                Mode::Edits,
                // The newest set to `draft: true`: its file stays, recorded
                // as it is now (`edits::removed::one_drafted`).
                Mode::Edits,
                // The newest published article deleted (`edits::removed`).
                Mode::Edits,
                // A body edit, though "siehe" leaves the search index.
                Mode::Edits,
                Mode::Unchanged
            ]
        );
    }

    /// Records kept for one manifest are not taken for another.
    #[test]
    fn records_go_only_with_their_head() {
        let mut warm = Warm::new();
        warm.keep(key(b"head one"), Tail::default());
        assert!(warm.take(key(b"head two")).is_none());
        assert!(warm.take(key(b"head one")).is_none(), "taken either way");
        warm.keep(key(b"head one"), Tail::default());
        assert_eq!(warm.take(key(b"head one")), Some(Tail::default()));
    }
}
