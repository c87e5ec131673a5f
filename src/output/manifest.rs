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
//! a [`Patch`]: records that replace the tail's, so that such an edit writes
//! only the head, not 100 MB of tail.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use chrono::{DateTime, FixedOffset, TimeZone};
use serde::{Deserialize, Serialize};

use crate::content::{FrontMatter, Source};
use crate::render::context::SiteContext;

/// Bumped whenever the layout below changes, or what reading an article
/// accepts (09: dates, empty values, `extra` keys): an older manifest is
/// ignored, so that no source it kept escapes the checks of this version.
const MAGIC: &[u8; 8] = b"BLATTM09";
const TAIL_MAGIC: &[u8; 8] = b"BLATTT07";
/// Records per separately encoded chunk: chunks are encoded and decoded in
/// parallel, and read alone when a build needs only a few records.
const CHUNK: usize = 4096;
/// A patch with more records than this is not extended: the next build
/// writes a whole new tail instead, so the head stays small.
pub const PATCH_LIMIT: usize = 4096;

/// The part of a manifest every rebuild reads.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Head {
    /// Random number written into the output's marker too: a manifest whose
    /// number differs from the marker describes some other output.
    pub generation: u64,
    /// Random number of the tail this head extends.
    pub tail: u64,
    /// Fingerprint of everything every output depends on (site.yaml,
    /// templates, blatt's version, build options).
    pub config: u128,
    /// When the earliest future article falls due (Unix seconds).
    pub next_due: Option<i64>,
    /// Articles, topics, tags and pages of the build, for its summary line.
    pub counts: [usize; 4],
    /// Every source file (path, size, modification time), in walk order.
    pub stamps: Vec<(String, u64, i128)>,
    /// Every file of the site's `static/` (site-relative path, size, mtime).
    pub statics: Vec<(String, u64, i128)>,
    pub index: StoredIndex,
    pub patch: Patch,
}

/// What of the site index an edit that leaves every front matter alone
/// cannot change: the order of articles, the terms and what their feeds
/// show, the `site` value of the templates.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StoredIndex {
    /// Published articles, newest first, as positions in the tail's sources.
    pub order: Vec<u32>,
    /// Sorted by slug.
    pub topics: Vec<StoredTerm>,
    pub tags: Vec<StoredTerm>,
    /// Per article in `order`: its related articles (positions in the
    /// tail's sources), so that a body edit renders its page without
    /// indexing the site; empty when `related.limit` is 0.
    pub related: Vec<Vec<u32>>,
    pub site: Option<SiteContext>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StoredTerm {
    pub name: String,
    pub slug: String,
    /// The articles its feed shows (positions in the tail's sources).
    pub feed: Vec<u32>,
}

/// Records newer than the tail's; each replaces the tail's record of the
/// same path. Every list is sorted by path.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Patch {
    pub sources: Vec<StoredSource>,
    pub outputs: Vec<StoredOutput>,
    /// An empty list removes the page's links.
    pub body_links: Vec<(String, Vec<String>)>,
}

/// A record with a path, for the sorted lists of tail and patch.
trait Keyed {
    fn key(&self) -> &str;
}

impl Keyed for StoredSource {
    fn key(&self) -> &str {
        &self.path
    }
}

impl Keyed for StoredOutput {
    fn key(&self) -> &str {
        &self.path
    }
}

impl Keyed for (String, Vec<String>) {
    fn key(&self) -> &str {
        &self.0
    }
}

fn find<'a, T: Keyed>(list: &'a [T], key: &str) -> Option<&'a T> {
    list.binary_search_by(|x| x.key().cmp(key)).ok().map(|i| &list[i])
}

/// Puts `new` into the sorted `list`, replacing records of the same path.
fn upsert<T: Keyed>(list: &mut Vec<T>, new: Vec<T>) {
    for item in new {
        match list.binary_search_by(|x| x.key().cmp(item.key())) {
            Ok(i) => list[i] = item,
            Err(i) => list.insert(i, item),
        }
    }
}

impl Patch {
    pub fn len(&self) -> usize {
        self.sources.len() + self.outputs.len() + self.body_links.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds records, replacing older ones of the same path.
    pub fn add(
        &mut self,
        sources: Vec<StoredSource>,
        outputs: Vec<StoredOutput>,
        body_links: Vec<(String, Vec<String>)>,
    ) {
        upsert(&mut self.sources, sources);
        upsert(&mut self.outputs, outputs);
        upsert(&mut self.body_links, body_links);
    }

    /// Applies the patch to a whole tail (whose paths it only replaces).
    fn apply(&self, tail: &mut Tail) {
        upsert(&mut tail.sources, self.sources.clone());
        upsert(&mut tail.outputs, self.outputs.clone());
        upsert(&mut tail.body_links, self.body_links.clone());
        tail.body_links.retain(|(_, links)| !links.is_empty());
    }
}

/// The per-article and per-output records, all decoded.
#[derive(Debug, Clone, Default)]
pub struct Tail {
    /// Sorted by path.
    pub sources: Vec<StoredSource>,
    /// Sorted by path.
    pub outputs: Vec<StoredOutput>,
    /// Internal links written in article bodies, by article page path: the
    /// only links whose targets can disappear without the page changing.
    pub body_links: Vec<(String, Vec<String>)>,
}

/// Where each chunk of the tail file is, and the first path in it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Table {
    sources: Vec<ChunkRef>,
    outputs: Vec<ChunkRef>,
    body_links: ChunkRef,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct ChunkRef {
    first: String,
    /// From the start of the chunk data.
    offset: u64,
    len: u64,
}

/// A loaded manifest: its head, and the way to its tail.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub head: Head,
    out: PathBuf,
}

/// A manifest ready to be written: the head, and the tail unless the head
/// only patches the tail already on disk. The tail stays in the parts it
/// was encoded in (100 MB at 100 000 articles, not to be copied again).
pub struct Encoded {
    pub generation: u64,
    pub head: Vec<u8>,
    pub tail: Option<Vec<Vec<u8>>>,
}

/// An output as stored, borrowed: encodes to the same bytes as [`StoredOutput`].
#[derive(Debug, Serialize)]
pub struct OutputRef<'a> {
    pub path: &'a str,
    pub signature: u128,
    pub content: u128,
}

/// A source as stored, borrowed from a [`Source`]: encodes to the same
/// bytes as [`StoredSource`] without copying its text.
#[derive(Serialize)]
struct SourceRef<'a> {
    path: std::borrow::Cow<'a, str>,
    size: u64,
    mtime: i128,
    hash: u128,
    front: FrontRef<'a>,
}

#[derive(Serialize)]
struct FrontRef<'a> {
    title: &'a str,
    date: StoredDate,
    updated: Option<StoredDate>,
    kicker: &'a Option<String>,
    summary: &'a Option<String>,
    topics: &'a [String],
    tags: &'a [String],
    sources: &'a [String],
    authors: &'a [String],
    language: &'a Option<String>,
    slug: &'a Option<String>,
    source_url: &'a Option<String>,
    draft: bool,
    fingerprint: &'a Option<String>,
    extra: String,
}

impl<'a> SourceRef<'a> {
    fn new(s: &'a Source) -> Self {
        let f = &s.front;
        SourceRef {
            path: s.path.to_string_lossy(),
            size: s.size,
            mtime: s.mtime,
            hash: s.hash,
            front: FrontRef {
                title: &f.title,
                date: store_date(&f.date),
                updated: f.updated.as_ref().map(store_date),
                kicker: &f.kicker,
                summary: &f.summary,
                topics: &f.topics,
                tags: &f.tags,
                sources: &f.sources,
                authors: &f.authors,
                language: &f.language,
                slug: &f.slug,
                source_url: &f.source_url,
                draft: f.draft,
                fingerprint: &f.fingerprint,
                extra: if f.extra.is_empty() {
                    String::new()
                } else {
                    serde_yaml::to_string(&f.extra).unwrap_or_default()
                },
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredSource {
    pub path: String,
    pub size: u64,
    pub mtime: i128,
    pub hash: u128,
    pub front: StoredFront,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredOutput {
    pub path: String,
    pub signature: u128,
    pub content: u128,
}

/// A date as (seconds, nanoseconds, offset seconds).
type StoredDate = (i64, u32, i32);

fn store_date(d: &DateTime<FixedOffset>) -> StoredDate {
    (d.timestamp(), d.timestamp_subsec_nanos(), d.offset().local_minus_utc())
}

fn load_date((secs, nanos, offset): StoredDate) -> Option<DateTime<FixedOffset>> {
    FixedOffset::east_opt(offset)?.timestamp_opt(secs, nanos).single()
}

/// Front matter in a form the binary format can hold (`extra` as YAML text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredFront {
    title: String,
    date: StoredDate,
    updated: Option<StoredDate>,
    kicker: Option<String>,
    summary: Option<String>,
    topics: Vec<String>,
    tags: Vec<String>,
    sources: Vec<String>,
    authors: Vec<String>,
    language: Option<String>,
    slug: Option<String>,
    source_url: Option<String>,
    draft: bool,
    fingerprint: Option<String>,
    extra: String,
}

impl StoredFront {
    fn into_front(self) -> Option<FrontMatter> {
        let mut f = FrontMatter::new(self.title, load_date(self.date)?);
        f.updated = match self.updated {
            Some(d) => Some(load_date(d)?),
            None => None,
        };
        f.kicker = self.kicker;
        f.summary = self.summary;
        f.topics = self.topics;
        f.tags = self.tags;
        f.sources = self.sources;
        f.authors = self.authors;
        f.language = self.language;
        f.slug = self.slug;
        f.source_url = self.source_url;
        f.draft = self.draft;
        f.fingerprint = self.fingerprint;
        if !self.extra.is_empty() {
            f.extra = serde_yaml::from_str(&self.extra).ok()?;
        }
        Some(f)
    }
}

impl StoredSource {
    /// The record of a source as read now.
    pub fn of(source: &Source) -> StoredSource {
        let bytes = postcard::to_stdvec(&SourceRef::new(source)).expect("a manifest always encodes");
        postcard::from_bytes(&bytes).expect("the borrowed and owned forms agree")
    }

    pub fn source(&self) -> Option<Source> {
        self.clone().into_source()
    }

    /// The source, moving the stored text rather than copying it.
    pub fn into_source(self) -> Option<Source> {
        let front = self.front.into_front()?;
        Some(Source {
            path: PathBuf::from(self.path),
            size: self.size,
            mtime: self.mtime,
            hash: self.hash,
            front,
        })
    }
}

/// Where the manifest (its head) of the output folder `out` lives: beside it.
pub fn path_for(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join(format!(".{name}.blatt-manifest"))
}

/// Where the tail of the manifest of `out` lives.
pub fn tail_path_for(out: &Path) -> PathBuf {
    let mut p = path_for(out).into_os_string();
    p.push(".tail");
    PathBuf::from(p)
}

fn encode_chunks<T: Serialize + Sync>(records: &[T], first: impl Fn(&T) -> String + Sync) -> Vec<(String, Vec<u8>)> {
    use rayon::prelude::*;
    records
        .par_chunks(CHUNK)
        .map(|c| (first(&c[0]), postcard::to_stdvec(c).expect("a manifest always encodes")))
        .collect()
}

impl Manifest {
    /// Encodes a complete manifest: a new tail with the records of a build,
    /// and `head` extending it. `sources` must be sorted by path; their
    /// positions are what `head.index` refers to.
    pub fn encode(
        mut head: Head,
        sources: &[&Source],
        outputs: &[OutputRef],
        body_links: &[(String, Vec<String>)],
    ) -> Encoded {
        debug_assert!(
            sources
                .windows(2)
                .all(|w| w[0].path.as_os_str() < w[1].path.as_os_str())
        );
        debug_assert!(outputs.windows(2).all(|w| w[0].path < w[1].path));
        let source_chunks: Vec<(String, Vec<u8>)> = {
            use rayon::prelude::*;
            sources
                .par_chunks(CHUNK)
                .map(|c| {
                    let refs: Vec<SourceRef> = c.iter().map(|s| SourceRef::new(s)).collect();
                    (
                        refs[0].path.to_string(),
                        postcard::to_stdvec(&refs).expect("a manifest always encodes"),
                    )
                })
                .collect()
        };
        let output_chunks = encode_chunks(outputs, |o| o.path.to_string());
        let links = postcard::to_stdvec(body_links).expect("a manifest always encodes");
        let mut offset = 0;
        let mut parts = vec![Vec::new()];
        let mut place = |(first, bytes): (String, Vec<u8>)| {
            let chunk = ChunkRef {
                first,
                offset,
                len: bytes.len() as u64,
            };
            offset += chunk.len;
            parts.push(bytes);
            chunk
        };
        let table = Table {
            sources: source_chunks.into_iter().map(&mut place).collect(),
            outputs: output_chunks.into_iter().map(&mut place).collect(),
            body_links: place((String::new(), links)),
        };
        head.tail = rand::random::<u64>().max(1);
        head.patch = Patch::default();
        let table = postcard::to_stdvec(&table).expect("a manifest always encodes");
        let start = &mut parts[0];
        start.extend_from_slice(TAIL_MAGIC);
        start.extend_from_slice(&head.tail.to_le_bytes());
        start.extend_from_slice(&(table.len() as u64).to_le_bytes());
        start.extend(table);
        let mut encoded = Manifest::encode_head(&head);
        encoded.tail = Some(parts);
        encoded
    }

    /// Encodes a head that patches the tail already on disk.
    pub fn encode_head(head: &Head) -> Encoded {
        let mut bytes = MAGIC.to_vec();
        bytes.extend(postcard::to_stdvec(head).expect("a manifest always encodes"));
        Encoded {
            generation: head.generation,
            head: bytes,
            tail: None,
        }
    }

    /// The manifest of `out`, if there is one that describes it. Reads
    /// only the head.
    pub fn load(out: &Path, generation_in_marker: Option<u64>) -> Option<Manifest> {
        let bytes = std::fs::read(path_for(out)).ok()?;
        let head: Head = postcard::from_bytes(bytes.strip_prefix(MAGIC)?).ok()?;
        if Some(head.generation) != generation_in_marker {
            return None;
        }
        Some(Manifest {
            head,
            out: out.to_path_buf(),
        })
    }

    /// Opens the tail this head extends: its table, not yet its records.
    fn open_tail(&self) -> Option<(File, u64, Table)> {
        let mut file = File::open(tail_path_for(&self.out)).ok()?;
        let mut start = [0u8; 24];
        file.read_exact(&mut start).ok()?;
        if &start[..8] != TAIL_MAGIC || u64::from_le_bytes(start[8..16].try_into().ok()?) != self.head.tail {
            return None;
        }
        let len = usize::try_from(u64::from_le_bytes(start[16..].try_into().ok()?)).ok()?;
        let mut table = vec![0; len];
        file.read_exact(&mut table).ok()?;
        let table: Table = postcard::from_bytes(&table).ok()?;
        Some((file, 24 + len as u64, table))
    }

    /// Every record of the tail, with the head's patch applied.
    pub fn tail(&self) -> Option<Tail> {
        use rayon::prelude::*;
        let (mut file, _, table) = self.open_tail()?;
        let mut data = Vec::new();
        file.read_to_end(&mut data).ok()?;
        let chunk = |c: &ChunkRef| data.get(usize::try_from(c.offset).ok()?..usize::try_from(c.offset + c.len).ok()?);
        let sources: Option<Vec<Vec<StoredSource>>> = table
            .sources
            .par_iter()
            .map(|c| postcard::from_bytes(chunk(c)?).ok())
            .collect();
        let outputs: Option<Vec<Vec<StoredOutput>>> = table
            .outputs
            .par_iter()
            .map(|c| postcard::from_bytes(chunk(c)?).ok())
            .collect();
        let mut tail = Tail {
            sources: sources?.into_iter().flatten().collect(),
            outputs: outputs?.into_iter().flatten().collect(),
            body_links: postcard::from_bytes(chunk(&table.body_links)?).ok()?,
        };
        self.head.patch.apply(&mut tail);
        Some(tail)
    }

    /// The tail, read a chunk at a time as records are asked for.
    pub fn lazy_tail(&self) -> Option<LazyTail> {
        let (file, data, table) = self.open_tail()?;
        Some(LazyTail {
            sources: table.sources.iter().map(|_| OnceLock::new()).collect(),
            outputs: table.outputs.iter().map(|_| OnceLock::new()).collect(),
            file: Mutex::new(file),
            data,
            table,
            patch: self.head.patch.clone(),
        })
    }
}

impl Encoded {
    /// Writes the tail (if any), then the head, each atomically.
    pub fn save(&self, out: &Path) -> std::io::Result<()> {
        if let Some(tail) = &self.tail {
            let parts: Vec<&[u8]> = tail.iter().map(Vec::as_slice).collect();
            crate::output::write_atomic_parts(&tail_path_for(out), &parts)?;
        }
        crate::output::write_atomic(&path_for(out), &self.head)
    }
}

/// Records of a tail, read on demand, with the head's patch applied.
pub struct LazyTail {
    file: Mutex<File>,
    /// Where the chunk data starts in the file.
    data: u64,
    table: Table,
    patch: Patch,
    sources: Vec<OnceLock<Option<Vec<StoredSource>>>>,
    outputs: Vec<OnceLock<Option<Vec<StoredOutput>>>>,
}

impl LazyTail {
    fn read<T: serde::de::DeserializeOwned>(&self, c: &ChunkRef) -> Option<Vec<T>> {
        let mut bytes = vec![0; usize::try_from(c.len).ok()?];
        let mut file = self.file.lock().ok()?;
        file.seek(SeekFrom::Start(self.data + c.offset)).ok()?;
        file.read_exact(&mut bytes).ok()?;
        drop(file);
        postcard::from_bytes(&bytes).ok()
    }

    fn source_chunk(&self, k: usize) -> Option<&[StoredSource]> {
        self.sources
            .get(k)?
            .get_or_init(|| self.read(&self.table.sources[k]))
            .as_deref()
    }

    fn output_chunk(&self, k: usize) -> Option<&[StoredOutput]> {
        self.outputs
            .get(k)?
            .get_or_init(|| self.read(&self.table.outputs[k]))
            .as_deref()
    }

    /// The chunk whose paths include `path`, if any.
    fn chunk_of(chunks: &[ChunkRef], path: &str) -> Option<usize> {
        chunks.partition_point(|c| c.first.as_str() <= path).checked_sub(1)
    }

    /// The record of the source at position `id`.
    pub fn source(&self, id: u32) -> Option<StoredSource> {
        let id = id as usize;
        let stored = self.source_chunk(id / CHUNK)?.get(id % CHUNK)?;
        Some(find(&self.patch.sources, &stored.path).unwrap_or(stored).clone())
    }

    /// The position and record of the source at `path`.
    pub fn find_source(&self, path: &str) -> Option<(u32, StoredSource)> {
        let k = Self::chunk_of(&self.table.sources, path)?;
        let chunk = self.source_chunk(k)?;
        let i = chunk.binary_search_by(|s| s.path.as_str().cmp(path)).ok()?;
        let stored = find(&self.patch.sources, path).unwrap_or(&chunk[i]).clone();
        Some((u32::try_from(k * CHUNK + i).ok()?, stored))
    }

    /// The record of the output file at `path`.
    pub fn output(&self, path: &str) -> Option<StoredOutput> {
        if let Some(o) = find(&self.patch.outputs, path) {
            return Some(o.clone());
        }
        let chunk = self.output_chunk(Self::chunk_of(&self.table.outputs, path)?)?;
        find(chunk, path).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::date;

    fn source() -> Source {
        let mut f = FrontMatter::new(
            "Titel",
            date::parse("2022-01-21T12:00:00+01:00", chrono_tz::Europe::Berlin).unwrap(),
        );
        f.updated = Some(date::parse("2022-02-01", chrono_tz::Europe::Berlin).unwrap());
        f.tags = vec!["A".into(), "B".into()];
        f.extra.insert("dateline".into(), "Hamburg".into());
        Source {
            path: "content/a.md".into(),
            size: 10,
            mtime: 5,
            hash: 7,
            front: f,
        }
    }

    #[test]
    fn front_matter_survives_the_round_trip() {
        // The borrowed form encodes to what the owned form decodes.
        let source = source();
        let bytes = postcard::to_stdvec(&SourceRef::new(&source)).unwrap();
        let back: StoredSource = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back.source().unwrap(), source);
        assert_eq!(StoredSource::of(&source), back);
    }

    fn output(i: usize) -> StoredOutput {
        StoredOutput {
            path: format!("p{i:06}/index.html"),
            signature: i as u128,
            content: 2 * i as u128,
        }
    }

    #[test]
    fn whole_and_lazy_reads_agree_and_apply_the_patch() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let body_links = vec![("a/".to_string(), vec!["b/".to_string()])];
        let sources: Vec<Source> = (0..CHUNK + 3)
            .map(|i| Source {
                path: format!("content/{i:06}.md").into(),
                size: i as u64,
                ..source()
            })
            .collect();
        let refs: Vec<&Source> = sources.iter().collect();
        let outputs: Vec<StoredOutput> = (0..2 * CHUNK + 1).map(output).collect();
        let head = Head {
            generation: 42,
            config: 9,
            ..Default::default()
        };
        let output_refs: Vec<OutputRef> = outputs
            .iter()
            .map(|o| OutputRef {
                path: &o.path,
                signature: o.signature,
                content: o.content,
            })
            .collect();
        let encoded = Manifest::encode(head, &refs, &output_refs, &body_links);
        encoded.save(&out).unwrap();
        assert_eq!(path_for(&out), dir.path().join(".public.blatt-manifest"));
        let loaded = Manifest::load(&out, Some(42)).unwrap();
        assert_eq!(loaded.head.config, 9);
        let tail = loaded.tail().unwrap();
        assert_eq!(tail.body_links, body_links);
        assert_eq!(tail.outputs, outputs);
        assert_eq!(tail.sources.len(), CHUNK + 3);
        assert_eq!(tail.sources[CHUNK + 2].source().unwrap(), sources[CHUNK + 2]);
        let lazy = loaded.lazy_tail().unwrap();
        assert_eq!(lazy.source(CHUNK as u32 + 1).unwrap(), tail.sources[CHUNK + 1]);
        let (id, found) = lazy.find_source(&format!("content/{:06}.md", CHUNK + 2)).unwrap();
        assert_eq!((id as usize, &found), (CHUNK + 2, &tail.sources[CHUNK + 2]));
        assert_eq!(lazy.output(&outputs[CHUNK].path), Some(outputs[CHUNK].clone()));
        assert_eq!(lazy.output("p9/index.html"), None);
        assert!(lazy.find_source("content/zzz.md").is_none());
        drop(lazy);

        // A head that patches the tail: the tail file is not written again.
        let mut head = loaded.head.clone();
        head.generation = 43;
        let mut changed = sources[7].clone();
        changed.size = 1000;
        let mut new_output = output(5);
        new_output.content = 99;
        head.patch.add(
            vec![StoredSource::of(&changed)],
            vec![new_output.clone()],
            vec![("a/".into(), Vec::new())],
        );
        let patch = Manifest::encode_head(&head);
        assert!(patch.tail.is_none());
        patch.save(&out).unwrap();
        let patched = Manifest::load(&out, Some(43)).unwrap();
        let tail = patched.tail().unwrap();
        assert_eq!(tail.sources[7].size, 1000);
        assert_eq!(tail.outputs[5], new_output);
        assert!(tail.body_links.is_empty(), "an empty list removes the page's links");
        let lazy = patched.lazy_tail().unwrap();
        assert_eq!(lazy.source(7).unwrap().size, 1000);
        assert_eq!(lazy.find_source("content/000007.md").unwrap().1.size, 1000);
        assert_eq!(lazy.output(&new_output.path), Some(new_output));
    }

    #[test]
    fn a_manifest_for_another_generation_or_tail_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let head = Head {
            generation: 42,
            ..Default::default()
        };
        Manifest::encode(head.clone(), &[], &[], &[]).save(&out).unwrap();
        assert!(Manifest::load(&out, Some(41)).is_none());
        assert!(Manifest::load(&out, None).is_none());
        // A head naming a tail that is not there has no tail.
        let mut other = Manifest::load(&out, Some(42)).unwrap().head;
        other.tail += 1;
        Manifest::encode_head(&other).save(&out).unwrap();
        let loaded = Manifest::load(&out, Some(42)).unwrap();
        assert!(loaded.tail().is_none());
        assert!(loaded.lazy_tail().is_none());
    }
}
