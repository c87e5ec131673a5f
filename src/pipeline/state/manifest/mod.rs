//! What the last build read and wrote, kept beside the output so that the
//! next build reads only changed articles and renders only outputs whose
//! inputs changed.
//!
//! Two files. The *tail* (`.public.blatt-manifest.tail`) has a record per
//! source file (size, modification time, hash and front matter, so that an
//! unchanged file is not read again) and per output file (the signature of
//! everything it was made from, and the hash of its bytes, so that an output
//! whose inputs changed but whose bytes did not is not rewritten either), in
//! chunks that can be read one at a time. The *head*
//! (`.public.blatt-manifest`) has what a rebuild looks at first: the stamp of
//! every source file, the published order and what each feed shows (so that
//! an edit of article bodies is rebuilt without indexing the site again) and
//! a [`Patch`]: records that replace (or, for deleted outputs, drop) the
//! tail's, so that such an edit — or a title, date or terms edit, or a new
//! or deleted article, whose place among the tail's sources the head's
//! [`Shift`] records — writes only the head, not 100 MB of tail.
//!
//! [`schema`] is what is stored, [`codec`] how, [`lazy`] reading a tail a
//! chunk at a time.

mod codec;
mod front_coded;
mod lazy;
mod schema;

use std::path::{Path, PathBuf};

pub use codec::{Encoded, encode, encode_head};
pub use lazy::LazyTail;
pub use schema::{
    BodyLinks, Counts, Head, Listings, OutputRecord, Patch, SearchIds, Shift, StoredIndex, StoredOutput, StoredTerm,
    Tail, TermCounts,
};

use crate::output::BesideFile;

/// The records a patch may hold on any site, however small.
const PATCH_FLOOR: usize = 4096;

/// How many records the patch of `head` may hold; past them the next build
/// writes a whole new tail instead of extending it. The limit follows the
/// site: a quarter of the records the tail holds (one per source and one
/// per page, counted from the head), at least [`PATCH_FLOOR`]. The head,
/// read by every build, then grows by at most a fraction of the tail, and
/// a whole tail is written once per that many records, a cost shared out
/// over the edits that filled the patch. A fixed number did not scale: one
/// date edit at 20 000 articles rewrites 4 588 search files and pages, so a
/// fixed 4 096 sent every second edit to a whole write.
pub fn patch_limit(head: &Head) -> usize {
    ((head.stamps.len() + head.counts.pages) / 4).max(PATCH_FLOOR)
}

const HEAD_SUFFIX: &str = "blatt-manifest";
const TAIL_SUFFIX: &str = "blatt-manifest.tail";
/// The files beside the output that hold a manifest, in the order they are
/// written: the tail before the head that names it.
pub const FILES: [&str; 2] = [TAIL_SUFFIX, HEAD_SUFFIX];

/// Where the manifest (its head) of the output folder `out` lives: beside it.
pub fn path_for(out: &Path) -> PathBuf {
    crate::output::beside(out, HEAD_SUFFIX)
}

/// Where the tail of the manifest of `out` lives.
pub fn tail_path_for(out: &Path) -> PathBuf {
    crate::output::beside(out, TAIL_SUFFIX)
}

/// A loaded manifest: its head, and the way to its tail.
#[derive(Debug)]
pub struct Manifest {
    pub head: Head,
    out: PathBuf,
    /// Names this head among those a running server wrote
    /// ([`super::warm`]).
    key: u64,
    /// The tail's records as the build that wrote this head left them in
    /// memory, to be taken instead of decoding the tail.
    warm: std::sync::Mutex<Option<Tail>>,
}

/// A source that holds a place in a list until a real one takes it; it
/// owns no heap memory.
pub fn source_filler() -> crate::content::ArticleFile {
    <crate::content::ArticleFile as schema::Keyed>::filler()
}

impl Manifest {
    /// The manifest of `out`, if there is one that describes it. Reads
    /// only the head.
    pub fn load(out: &Path, generation_in_marker: Option<u64>) -> Option<Manifest> {
        let file = std::fs::File::open(path_for(out)).ok()?;
        // Mapped, not read: every build reads the head, and a buffer of its
        // size is fresh memory a new process faults in 4 KiB at a time (13 of
        // the 50 ms a head of 100 000 articles took to load). Populated at
        // once, so the decoding below takes no page faults either.
        // SAFETY: the map is only read, and dropped before this returns
        // (the head decodes into owned values). blatt never writes into a
        // manifest in place: it writes a new file and renames it over the
        // old one, which leaves this map on the old file. Only another
        // program cutting the file short while it is decoded could fault.
        let bytes = unsafe { memmap2::MmapOptions::new().populate().map(&file) }.ok()?;
        let head = codec::decode_head(&bytes)?;
        if Some(head.generation) != generation_in_marker {
            return None;
        }
        Some(Manifest {
            head,
            out: out.to_path_buf(),
            key: super::warm::key(&bytes),
            warm: std::sync::Mutex::new(None),
        })
    }

    /// What names this head: the hash of its bytes.
    pub fn key(&self) -> u64 {
        self.key
    }

    /// Gives the tail's records, as the build that wrote this head left
    /// them, for [`Manifest::tail`] to take.
    pub fn warm_with(&self, tail: Tail) {
        *self.warm.lock().unwrap_or_else(|e| e.into_inner()) = Some(tail);
    }

    /// The records given by [`Manifest::warm_with`] and not yet taken.
    pub fn take_warm(&self) -> Option<Tail> {
        self.warm.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// The URLs articles had, from the manifest beside `out` even when it
    /// describes no output any more (the output folder was deleted): the
    /// site's history outlives its output.
    pub fn moved_beside(out: &Path) -> Vec<(String, String)> {
        std::fs::read(path_for(out))
            .ok()
            .and_then(|bytes| codec::decode_head(&bytes))
            .map(|head| head.moved)
            .unwrap_or_default()
    }

    /// Every record of the tail, with the head's patch applied: those
    /// given by [`Manifest::warm_with`], or else read from disk.
    pub fn tail(&self) -> Option<Tail> {
        if let Some(tail) = self.take_warm() {
            return Some(tail);
        }
        let open = codec::open_tail(&tail_path_for(&self.out), self.head.tail)?;
        let mut tail = codec::decode_tail(open)?;
        self.head.patch.apply(&self.head.shift, &mut tail);
        Some(tail)
    }

    /// The tail, read a chunk at a time as records are asked for.
    pub fn lazy_tail(&self) -> Option<LazyTail> {
        let open = codec::open_tail(&tail_path_for(&self.out), self.head.tail)?;
        Some(LazyTail::new(open, self.head.patch.clone(), self.head.shift.clone()))
    }

    /// The tail as it reads with one source more, `source` (a file added
    /// since, not yet recorded), when the sources are now those at `now`
    /// (sorted paths): that tail, the shift that places the new source
    /// among the tail's, and its position among the sources. `None` when
    /// the path is no UTF-8. A file of the tail deleted since and now back
    /// (a removal undone) is the tail's again, at its old place there, its
    /// record the patch's.
    pub fn lazy_tail_adding(
        &self,
        source: &crate::content::ArticleFile,
        now: &[&str],
    ) -> Option<(LazyTail, Shift, u32)> {
        let path = source.path.to_str()?;
        let restored = self.head.shift.removed_place(path);
        let mut shift = self.head.shift.clone();
        shift.files_changed(vec![path.to_string()], Vec::new(), now);
        let id = match restored {
            Some(t) => shift.position(t),
            None => shift.added(path)?,
        };
        let id = u32::try_from(id).ok()?;
        let mut patch = self.head.patch.clone();
        patch.add(vec![source.clone()], Vec::new(), Vec::new(), Vec::new());
        let open = codec::open_tail(&tail_path_for(&self.out), self.head.tail)?;
        Some((LazyTail::new(open, patch, shift.clone()), shift, id))
    }
}

impl Encoded {
    /// The files to write beside the output: the tail (if any), then the head.
    pub fn files(&self) -> Vec<BesideFile<'_>> {
        let mut files = Vec::new();
        if let Some(tail) = &self.tail {
            files.push(BesideFile {
                suffix: TAIL_SUFFIX,
                parts: tail.iter().map(Vec::as_slice).collect(),
            });
        }
        files.push(BesideFile {
            suffix: HEAD_SUFFIX,
            parts: vec![&self.head],
        });
        files
    }

    /// Writes the tail (if any), then the head, each atomically.
    #[cfg(test)]
    fn save(&self, out: &Path) -> std::io::Result<()> {
        for file in self.files() {
            crate::output::write_atomic_parts(&crate::output::beside(out, file.suffix), &file.parts)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{ArticleFile, FrontMatter, date};
    use schema::Keyed;

    fn source() -> ArticleFile {
        let mut f = FrontMatter::new(
            "Titel",
            date::parse("2022-01-21T12:00:00+01:00", chrono_tz::Europe::Berlin).unwrap(),
        );
        f.updated = Some(date::parse("2022-02-01", chrono_tz::Europe::Berlin).unwrap());
        f.tags = vec!["A".into(), "B".into()];
        f.extra.insert("dateline".into(), "Hamburg".into());
        ArticleFile {
            path: "content/a.md".into(),
            size: 10,
            mtime: 5,
            hash: 7,
            front: f,
            body: Default::default(),
        }
    }

    #[test]
    fn front_matter_survives_the_round_trip_with_its_offsets() {
        let source = source();
        let bytes = postcard::to_stdvec(&source).unwrap();
        let back: ArticleFile = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, source);
        assert!(back.front.same_as(&source.front));
        assert_eq!(back.front.date.offset().local_minus_utc(), 3600);
        assert_eq!(back.front.extra, source.front.extra);
    }

    #[test]
    fn the_patch_may_grow_with_the_site_it_patches() {
        let head = |articles: usize, pages: usize| Head {
            stamps: (0..articles)
                .map(|i| crate::content::file::Stamp {
                    path: format!("content/{i}.md"),
                    size: 1,
                    mtime: 1,
                })
                .collect(),
            counts: Counts {
                pages,
                ..Counts::default()
            },
            ..Head::default()
        };
        assert_eq!(patch_limit(&head(0, 0)), PATCH_FLOOR);
        assert_eq!(patch_limit(&head(1500, 2000)), PATCH_FLOOR);
        // 20 000 articles: one date edit's 4 588 records fit.
        let twenty = patch_limit(&head(20_000, 26_000));
        assert!(twenty > 4588 && twenty == 46_000 / 4, "{twenty}");
        // Ten times the site, ten times the patch: a whole tail per as many
        // records as before, in proportion.
        assert_eq!(patch_limit(&head(200_000, 260_000)), 10 * twenty);
    }

    fn output(i: usize) -> StoredOutput {
        OutputRecord {
            path: format!("p{i:06}/index.html").into(),
            signature: i as u128,
            content: 2 * i as u128,
        }
    }

    fn links(page: &str, links: &[&str]) -> BodyLinks {
        BodyLinks {
            page: page.into(),
            links: links.iter().map(|l| l.to_string()).collect(),
        }
    }

    /// `n` sources `content/000000.md`…, in path order.
    fn numbered_sources(n: usize) -> Vec<ArticleFile> {
        (0..n)
            .map(|i| ArticleFile {
                path: format!("content/{i:06}.md").into(),
                size: i as u64,
                ..source()
            })
            .collect()
    }

    /// Tails written before the chunks were cut smaller read as they did,
    /// whole and a chunk at a time: an upgrade reads no article again.
    #[test]
    fn tails_of_the_formats_before_read_whole_and_lazily() {
        for (format, chunk) in schema::TAIL_FORMATS_BEFORE {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("public");
            let sources = numbered_sources(chunk + 3);
            let refs: Vec<&ArticleFile> = sources.iter().collect();
            let outputs: Vec<StoredOutput> = (0..chunk + 1).map(output).collect();
            let head = Head {
                generation: 7,
                ..Default::default()
            };
            let encoded = codec::encode_as(format, head, &refs, &outputs, &[]);
            let tail_bytes: Vec<u8> = encoded.tail.iter().flatten().flatten().copied().collect();
            assert!(tail_bytes.starts_with(format));
            encoded.save(&out).unwrap();
            let loaded = Manifest::load(&out, Some(7)).unwrap();
            let tail = loaded.tail().unwrap();
            assert_eq!(tail.sources, sources);
            assert_eq!(tail.outputs, outputs);
            let lazy = loaded.lazy_tail().unwrap();
            // Past the first chunk of either size.
            for i in [codec::CHUNK + 1, chunk + 2] {
                assert_eq!(lazy.file(i as u32).unwrap(), sources[i]);
                let (id, found) = lazy.find_file(&format!("content/{i:06}.md")).unwrap();
                assert_eq!((id as usize, found), (i, sources[i].clone()));
            }
            assert_eq!(lazy.output(&outputs[chunk].path), Some(outputs[chunk].clone()));
        }
    }

    #[test]
    fn whole_and_lazy_reads_agree_and_apply_the_patch() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let body_links = vec![links("a/", &["b/"])];
        let sources = numbered_sources(codec::CHUNK + 3);
        let refs: Vec<&ArticleFile> = sources.iter().collect();
        let outputs: Vec<StoredOutput> = (0..2 * codec::CHUNK + 1).map(output).collect();
        let head = Head {
            generation: 42,
            config: 9,
            ..Default::default()
        };
        let encoded = encode(head, &refs, &outputs, &body_links);
        encoded.save(&out).unwrap();
        assert_eq!(path_for(&out), dir.path().join(".public.blatt-manifest"));
        let loaded = Manifest::load(&out, Some(42)).unwrap();
        assert_eq!(loaded.head.config, 9);
        let tail = loaded.tail().unwrap();
        assert_eq!(tail.body_links, body_links);
        assert_eq!(tail.outputs, outputs);
        assert_eq!(tail.sources.len(), codec::CHUNK + 3);
        assert_eq!(tail.sources[codec::CHUNK + 2], sources[codec::CHUNK + 2]);
        let lazy = loaded.lazy_tail().unwrap();
        assert_eq!(
            lazy.file(codec::CHUNK as u32 + 1).unwrap(),
            tail.sources[codec::CHUNK + 1]
        );
        let (id, found) = lazy.find_file(&format!("content/{:06}.md", codec::CHUNK + 2)).unwrap();
        assert_eq!(
            (id as usize, &found),
            (codec::CHUNK + 2, &tail.sources[codec::CHUNK + 2])
        );
        assert_eq!(
            lazy.output(&outputs[codec::CHUNK].path),
            Some(outputs[codec::CHUNK].clone())
        );
        assert_eq!(lazy.output("p9/index.html"), None);
        assert!(lazy.find_file("content/zzz.md").is_none());
        drop(lazy);

        // A head that patches the tail: the tail file is not written again.
        let mut head = loaded.head.clone();
        head.generation = 43;
        let mut changed = sources[7].clone();
        changed.size = 1000;
        let mut new_output = output(5);
        new_output.content = 99;
        head.patch.add(
            vec![changed],
            vec![new_output.clone()],
            vec![links("a/", &[])],
            vec![output(6).path.into_owned()],
        );
        let patch = encode_head(&head);
        assert!(patch.tail.is_none());
        patch.save(&out).unwrap();
        let patched = Manifest::load(&out, Some(43)).unwrap();
        let tail = patched.tail().unwrap();
        assert_eq!(tail.sources[7].size, 1000);
        assert_eq!(tail.outputs[5], new_output);
        assert!(tail.body_links.is_empty(), "an empty list removes the page's links");
        let lazy = patched.lazy_tail().unwrap();
        assert_eq!(lazy.file(7).unwrap().size, 1000);
        assert_eq!(lazy.find_file("content/000007.md").unwrap().1.size, 1000);
        assert_eq!(lazy.output(&new_output.path), Some(new_output));
        // A deleted output's record is gone from both readings.
        assert_eq!(lazy.output(&output(6).path), None);
        assert!(!tail.outputs.contains(&output(6)));
        assert_eq!(tail.outputs.len(), 2 * codec::CHUNK);
    }

    /// Each record of a tail of this format is read alone, without its
    /// chunk, by where its chunk's frame says it lies: read so, every one
    /// (the short last chunk's too) equals the whole reading. Bytes whose
    /// frame is damaged read as nothing, never as another record.
    #[test]
    fn framed_records_read_alone_equal_the_whole_reading() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut sources = numbered_sources(2 * codec::CHUNK + 5);
        for (i, s) in sources.iter_mut().enumerate() {
            // Records of different lengths, so that a wrong span shows.
            s.front.title = "x".repeat(i % 7 * 40);
        }
        let refs: Vec<&ArticleFile> = sources.iter().collect();
        encode(Head::default(), &refs, &[], &[]).save(&out).unwrap();
        let loaded = Manifest::load(&out, Some(0)).unwrap();
        assert_eq!(loaded.tail().unwrap().sources, sources);
        let lazy = loaded.lazy_tail().unwrap();
        for i in (0..sources.len()).rev() {
            assert_eq!(lazy.file(i as u32).as_ref(), Some(&sources[i]), "record {i}");
        }
        assert!(lazy.file(sources.len() as u32).is_none());

        let bytes = codec::framed(&sources[..3]);
        assert_eq!(codec::decode_chunk::<ArticleFile>(&bytes, true).unwrap(), sources[..3]);
        let frame = codec::Frame::read(&bytes).unwrap();
        let second = frame.span(1).unwrap();
        assert_eq!(
            codec::decode_record::<ArticleFile>(&bytes[codec::Frame::len_for(3)..][second]),
            Some(sources[1].clone())
        );
        // The first record's end moved past the second's, then past the bytes.
        let mut damaged = bytes.clone();
        damaged[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        let frame = codec::Frame::read(&damaged).unwrap();
        assert!(frame.span(1).is_none());
        assert!(codec::decode_chunk::<ArticleFile>(&damaged, true).is_none());
        // More records than a chunk holds, and a frame cut short.
        let mut counted = bytes.clone();
        counted[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(codec::Frame::read(&counted).is_none());
        assert!(codec::Frame::read(&bytes[..6]).is_none());
    }

    /// Articles added and deleted over several builds, each patching the
    /// last one's patch: every position of the index maps to the record
    /// there, read whole or a chunk at a time, across the tail's chunks; a
    /// file deleted again after being added leaves no trace, one added
    /// again after being deleted is the tail's with the patch's record.
    #[test]
    fn added_and_deleted_sources_keep_their_positions_in_both_readings() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let name = |i: usize| format!("content/{i:06}.md");
        let made = |i: usize, size: u64| ArticleFile {
            path: name(i).into(),
            size,
            ..source()
        };
        // The tail has the even numbers, across two chunks.
        let sources: Vec<ArticleFile> = (0..codec::CHUNK + 3).map(|i| made(2 * i, 0)).collect();
        let refs: Vec<&ArticleFile> = sources.iter().collect();
        let head = Head {
            generation: 1,
            ..Default::default()
        };
        encode(head, &refs, &[], &[]).save(&out).unwrap();
        let mut now: std::collections::BTreeMap<String, u64> = sources.iter().map(|s| (s.key().into(), 0)).collect();
        let end = 2 * (codec::CHUNK + 3);
        // (added, deleted) per build; a new record's size tells it apart.
        let builds: [(&[usize], &[usize]); 4] = [
            (&[1, 2 * codec::CHUNK + 1, end + 1], &[4, 2 * codec::CHUNK + 2]),
            (&[3, 4], &[1, 6, 0]),
            (&[0, 1, end + 7], &[end - 2, 3, end + 1]),
            (&[], &[2 * codec::CHUNK + 1, 8]),
        ];
        for (build, (added, deleted)) in builds.into_iter().enumerate() {
            let mut head = Manifest::load(&out, Some(build as u64 + 1)).unwrap().head;
            head.generation += 1;
            let records: Vec<ArticleFile> = added.iter().map(|&i| made(i, 10 + build as u64)).collect();
            let mut removed: Vec<String> = deleted.iter().map(|&i| name(i)).collect();
            removed.sort();
            for r in &removed {
                now.remove(r);
            }
            now.extend(records.iter().map(|s| (s.key().to_string(), s.size)));
            let paths: Vec<&str> = now.keys().map(String::as_str).collect();
            head.patch.drop_sources(&removed);
            head.shift
                .files_changed(added.iter().map(|&i| name(i)).collect(), removed.clone(), &paths);
            head.patch.add(records, Vec::new(), Vec::new(), Vec::new());
            encode_head(&head).save(&out).unwrap();

            let loaded = Manifest::load(&out, Some(head.generation)).unwrap();
            let whole: Vec<(String, u64)> = loaded
                .tail()
                .unwrap()
                .sources
                .iter()
                .map(|s| (s.key().to_string(), s.size))
                .collect();
            let want: Vec<(String, u64)> = now.iter().map(|(k, v)| (k.clone(), *v)).collect();
            let differ = |a: &[(String, u64)], b: &[(String, u64)]| {
                let at = a
                    .iter()
                    .zip(b)
                    .position(|(x, y)| x != y)
                    .unwrap_or(a.len().min(b.len()));
                (a.len(), b.len(), a.get(at).cloned(), b.get(at).cloned())
            };
            assert!(
                whole == want,
                "build {build}, whole reading: {:?}",
                differ(&whole, &want)
            );
            let lazy = loaded.lazy_tail().unwrap();
            for (p, (path, size)) in want.iter().enumerate() {
                let file = lazy.file(p as u32).unwrap();
                assert_eq!(
                    (file.key(), file.size),
                    (path.as_str(), *size),
                    "build {build}, position {p}"
                );
                let (at, found) = lazy.find_file(path).unwrap();
                assert_eq!((at as usize, found.size), (p, *size), "build {build}: {path}");
            }
            assert!(lazy.file(want.len() as u32).is_none(), "build {build}: past the end");
            for r in &removed {
                assert!(lazy.find_file(r).is_none(), "build {build}: {r} was deleted");
            }
        }
    }

    /// An upgrade reads the heads older blatts wrote, whose stamps have
    /// whole paths and which lack only the search ids (and the term counts,
    /// the listings, the shift) at the end, as this head with them empty.
    #[test]
    fn heads_of_the_formats_before_read_with_no_shift_listings_or_term_counts() {
        let stamp = |path: &str, size: u64| crate::content::file::Stamp {
            path: path.into(),
            size,
            mtime: 1_700_000_000_000_000_000,
        };
        let head = Head {
            generation: 7,
            config: 3,
            stamps: vec![
                stamp("/site/content/2024/a.md", 10),
                stamp("/site/content/2024/b.md", 20),
            ],
            moved: vec![("a/".into(), "content/a.md".into())],
            ..Default::default()
        };
        let bytes = encode_head(&head).head;
        let whole = codec::with_whole_paths(&bytes[schema::FORMAT.len()..]);
        assert!(
            whole.len() > bytes.len() - schema::FORMAT.len(),
            "whole paths take more room"
        );
        let shift = postcard::to_stdvec(&Shift::default()).unwrap();
        let listings = postcard::to_stdvec(&Listings::default()).unwrap();
        let leads = postcard::to_stdvec(&TermCounts::default()).unwrap();
        let ids = postcard::to_stdvec(&SearchIds::default()).unwrap();
        for (format, missing) in schema::FORMATS_BEFORE {
            let cut = [ids.len(), leads.len(), listings.len(), shift.len()][..missing]
                .iter()
                .sum::<usize>();
            let before = [format.as_slice(), &whole[..whole.len() - cut]].concat();
            let read = codec::decode_head(&before).unwrap();
            assert_eq!((read.generation, read.config, &read.moved), (7, 3, &head.moved));
            assert_eq!(read.stamps, head.stamps);
            assert!(read.shift.is_empty());
            assert_eq!(read.listings, Listings::default());
            assert_eq!(read.term_counts, TermCounts::default());
            assert_eq!(read.search_ids, SearchIds::default());
        }
        // This format's own bytes read as they are, and under an older
        // format name they do not.
        assert_eq!(codec::decode_head(&bytes).unwrap().stamps, head.stamps);
        let misnamed = [b"BLATTM20".as_slice(), &bytes[schema::FORMAT.len()..]].concat();
        assert!(codec::decode_head(&misnamed).is_none_or(|h| h.stamps != head.stamps));
    }

    #[test]
    fn listings_steps_give_back_their_positions() {
        let positions = vec![0, 3, 4, 1000, 100_000];
        assert_eq!(Listings::steps(positions.clone()), [0, 3, 1, 996, 99_000]);
        assert_eq!(Listings::positions(&Listings::steps(positions.clone())), positions);
        assert!(Listings::positions(&[]).is_empty());
    }

    #[test]
    fn upsert_merges_sorted_records_and_the_latest_of_a_path_wins() {
        let mut list: Vec<StoredOutput> = [1, 3, 5].into_iter().map(output).collect();
        let mut newer = output(3);
        newer.content = 77;
        let mut newest = output(3);
        newest.content = 78;
        schema::upsert(&mut list, vec![output(6), newer, output(0), newest.clone(), output(2)]);
        let got: Vec<(String, u128)> = list.iter().map(|o| (o.path.to_string(), o.content)).collect();
        let want: Vec<(String, u128)> = [output(0), output(1), output(2), newest, output(5), output(6)]
            .iter()
            .map(|o| (o.path.to_string(), o.content))
            .collect();
        assert_eq!(got, want);
        // Only replacements: each takes its record's place, the latest wins.
        let mut again = output(5);
        again.content = 1;
        let mut last = output(5);
        last.content = 2;
        schema::upsert(&mut list, vec![again, output(1), last]);
        let got: Vec<(String, u128)> = list.iter().map(|o| (o.path.to_string(), o.content)).collect();
        let want: Vec<(String, u128)> = [(0, 0), (1, 2), (2, 4), (3, 78), (5, 2), (6, 12)]
            .iter()
            .map(|&(i, c)| (output(i).path.to_string(), c))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_manifest_for_another_generation_or_tail_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let head = Head {
            generation: 42,
            ..Default::default()
        };
        encode(head.clone(), &[], &[], &[]).save(&out).unwrap();
        assert!(Manifest::load(&out, Some(41)).is_none());
        assert!(Manifest::load(&out, None).is_none());
        // A head naming a tail that is not there has no tail.
        let mut other = Manifest::load(&out, Some(42)).unwrap().head;
        other.tail += 1;
        encode_head(&other).save(&out).unwrap();
        let loaded = Manifest::load(&out, Some(42)).unwrap();
        assert!(loaded.tail().is_none());
        assert!(loaded.lazy_tail().is_none());
    }

    /// The stored schema as serde describes it, traced: what a manifest's
    /// bytes mean.
    fn traced_schema() -> String {
        use serde_reflection::{Tracer, TracerConfig};
        let mut tracer = Tracer::new(TracerConfig::default().is_human_readable(false));
        tracer.trace_simple_type::<Head>().unwrap();
        tracer.trace_simple_type::<ArticleFile>().unwrap();
        tracer.trace_simple_type::<StoredOutput>().unwrap();
        tracer.trace_simple_type::<BodyLinks>().unwrap();
        tracer.trace_simple_type::<codec::Table>().unwrap();
        let registry = tracer.registry().unwrap();
        serde_json::to_string_pretty(&registry).unwrap() + "\n"
    }

    const SCHEMA_FILE: &str = "src/pipeline/state/manifest/schema.traced.txt";

    /// Fails when the stored types change without a new format version, so
    /// that no build ever misreads a manifest an older blatt wrote. After
    /// bumping `FORMAT` or `TAIL_FORMAT`, record the new schema with
    /// `BLATT_RECORD_SCHEMA=1 cargo test --lib stored_schema`.
    #[test]
    fn the_stored_schema_matches_its_format_version() {
        let versions = format!(
            "// head {}, tail {}\n",
            String::from_utf8_lossy(schema::FORMAT),
            String::from_utf8_lossy(schema::TAIL_FORMAT)
        );
        let traced = format!("{versions}{}", traced_schema());
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SCHEMA_FILE);
        let recorded = std::fs::read_to_string(&path).unwrap_or_default();
        if std::env::var_os("BLATT_RECORD_SCHEMA").is_some() {
            assert!(
                recorded == traced || !recorded.starts_with(&versions),
                "the schema changed but the format version did not: bump FORMAT or TAIL_FORMAT first"
            );
            std::fs::write(&path, &traced).unwrap();
            return;
        }
        if recorded.starts_with(&versions) {
            assert_eq!(
                recorded, traced,
                "the manifest's stored types changed without a new format version: bump FORMAT \
                 or TAIL_FORMAT in schema.rs, then run BLATT_RECORD_SCHEMA=1 cargo test --lib stored_schema"
            );
        } else {
            panic!(
                "the format version changed: record the schema it stands for with \
                 BLATT_RECORD_SCHEMA=1 cargo test --lib stored_schema"
            );
        }
    }
}
