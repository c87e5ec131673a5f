//! What the last build read and wrote, kept beside the output so that the
//! next build reads only changed articles and renders only outputs whose
//! inputs changed.
//!
//! Per source file: size, modification time, hash and front matter (so an
//! unchanged file is not read again). Per output file: the signature of
//! everything it was made from, and the hash of its bytes (so an output whose
//! inputs changed but whose bytes did not is not rewritten either).

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, TimeZone};
use serde::{Deserialize, Serialize};

use crate::content::{FrontMatter, Source};

/// Bumped whenever the layout below changes; an older manifest is ignored.
const MAGIC: &[u8; 8] = b"BLATTM04";
/// Records per separately encoded chunk: chunks are encoded and decoded in
/// parallel.
const CHUNK: usize = 4096;

/// The part of a manifest a no-op rebuild needs: enough to see that
/// nothing changed, without decoding the metadata of every article.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Head {
    /// Random number written into the output's marker too: a manifest whose
    /// number differs from the marker describes some other output.
    pub generation: u64,
    /// Fingerprint of everything every output depends on (site.yaml,
    /// templates, blatt's version, build options).
    pub config: u128,
    /// When the earliest future article falls due (Unix seconds).
    pub next_due: Option<i64>,
    /// Articles, topics, tags and pages of the build, for its summary line.
    pub counts: [usize; 4],
    /// Every source file (path, size, modification time), sorted by path.
    pub stamps: Vec<(String, u64, i128)>,
    /// Every file of the site's `static/` (site-relative path, size, mtime).
    pub statics: Vec<(String, u64, i128)>,
}

/// The rest: what an incremental build needs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Tail {
    /// Sorted by path.
    pub sources: Vec<StoredSource>,
    /// Sorted by path.
    pub outputs: Vec<StoredOutput>,
    /// Internal links written in article bodies, by article page path: the
    /// only links whose targets can disappear without the page changing.
    pub body_links: Vec<(String, Vec<String>)>,
}

/// A manifest: the head, decoded when loaded, and the tail, decoded only
/// when a build needs it (`tail`). On disk: magic, head length, head, then
/// the tail as length-prefixed chunks (sources, outputs) and body links.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    pub head: Head,
    tail: Vec<u8>,
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

fn put_chunks(out: &mut Vec<u8>, chunks: Vec<Vec<u8>>) {
    out.extend_from_slice(&(chunks.len() as u64).to_le_bytes());
    for c in chunks {
        out.extend_from_slice(&(c.len() as u64).to_le_bytes());
        out.extend(c);
    }
}

fn take_chunks(mut bytes: &[u8]) -> Option<(Vec<&[u8]>, &[u8])> {
    let (n, rest) = bytes.split_first_chunk::<8>()?;
    bytes = rest;
    let mut chunks = Vec::new();
    for _ in 0..u64::from_le_bytes(*n) {
        let (len, rest) = bytes.split_first_chunk::<8>()?;
        let len = usize::try_from(u64::from_le_bytes(*len)).ok()?;
        chunks.push(rest.get(..len)?);
        bytes = &rest[len..];
    }
    Some((chunks, bytes))
}

#[derive(Debug, Clone, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Serialize, Deserialize)]
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

/// Where the manifest of the output folder `out` lives: beside it.
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

impl Manifest {
    /// Encodes a manifest from the sources of a build (borrowed, so their
    /// text is not copied) and its outputs, in parallel chunks.
    pub fn new(
        head: Head,
        sources: &[&Source],
        outputs: &[OutputRef],
        body_links: &[(String, Vec<String>)],
    ) -> Manifest {
        use rayon::prelude::*;
        let source_chunks: Vec<Vec<u8>> = sources
            .par_chunks(CHUNK)
            .map(|c| {
                let refs: Vec<SourceRef> = c.iter().map(|s| SourceRef::new(s)).collect();
                postcard::to_stdvec(&refs).expect("a manifest always encodes")
            })
            .collect();
        let output_chunks: Vec<Vec<u8>> = outputs
            .par_chunks(CHUNK)
            .map(|c| postcard::to_stdvec(c).expect("a manifest always encodes"))
            .collect();
        let mut tail = Vec::new();
        put_chunks(&mut tail, source_chunks);
        put_chunks(&mut tail, output_chunks);
        tail.extend(postcard::to_stdvec(body_links).expect("a manifest always encodes"));
        Manifest { head, tail }
    }

    /// The manifest of `out`, if there is one that describes it.
    pub fn load(out: &Path, generation_in_marker: Option<u64>) -> Option<Manifest> {
        use std::io::Read;
        let mut file = std::fs::File::open(path_for(out)).ok()?;
        let mut start = [0u8; 16];
        file.read_exact(&mut start).ok()?;
        if &start[..8] != MAGIC {
            return None;
        }
        let len = usize::try_from(u64::from_le_bytes(start[8..].try_into().ok()?)).ok()?;
        let mut head = vec![0; len];
        file.read_exact(&mut head).ok()?;
        let head: Head = postcard::from_bytes(&head).ok()?;
        if Some(head.generation) != generation_in_marker {
            return None;
        }
        let mut tail = Vec::new();
        file.read_to_end(&mut tail).ok()?;
        Some(Manifest { head, tail })
    }

    /// Decodes the per-article and per-output part.
    pub fn tail(&self) -> Option<Tail> {
        use rayon::prelude::*;
        let (source_chunks, rest) = take_chunks(&self.tail)?;
        let (output_chunks, rest) = take_chunks(rest)?;
        let sources: Option<Vec<Vec<StoredSource>>> =
            source_chunks.par_iter().map(|c| postcard::from_bytes(c).ok()).collect();
        let outputs: Option<Vec<Vec<StoredOutput>>> =
            output_chunks.par_iter().map(|c| postcard::from_bytes(c).ok()).collect();
        Some(Tail {
            sources: sources?.into_iter().flatten().collect(),
            outputs: outputs?.into_iter().flatten().collect(),
            body_links: postcard::from_bytes(rest).ok()?,
        })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let head = postcard::to_stdvec(&self.head).expect("a manifest always encodes");
        let mut bytes = Vec::with_capacity(16 + head.len() + self.tail.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&(head.len() as u64).to_le_bytes());
        bytes.extend(head);
        bytes.extend_from_slice(&self.tail);
        bytes
    }

    /// Writes the manifest atomically.
    pub fn save(&self, out: &Path) -> std::io::Result<()> {
        crate::output::write_atomic(&path_for(out), &self.to_bytes())
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
    }

    #[test]
    fn a_manifest_for_another_generation_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let body_links = vec![("a/".to_string(), vec!["b/".to_string()])];
        let sources: Vec<Source> = (0..CHUNK + 3)
            .map(|i| Source {
                size: i as u64,
                ..source()
            })
            .collect();
        let refs: Vec<&Source> = sources.iter().collect();
        let outputs = vec![StoredOutput {
            path: "a/index.html".into(),
            signature: 4,
            content: 5,
        }];
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
        Manifest::new(head, &refs, &output_refs, &body_links)
            .save(&out)
            .unwrap();
        assert_eq!(path_for(&out), dir.path().join(".public.blatt-manifest"));
        let loaded = Manifest::load(&out, Some(42)).unwrap();
        assert_eq!(loaded.head.config, 9);
        let tail = loaded.tail().unwrap();
        assert_eq!(tail.body_links, body_links);
        assert_eq!(tail.outputs, outputs);
        assert_eq!(tail.sources.len(), CHUNK + 3);
        assert_eq!(tail.sources[CHUNK + 2].source().unwrap(), sources[CHUNK + 2]);
        assert!(Manifest::load(&out, Some(41)).is_none());
        assert!(Manifest::load(&out, None).is_none());
    }
}
