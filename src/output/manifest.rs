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
const MAGIC: &[u8; 8] = b"BLATTM03";

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

#[derive(Debug, Clone, Default)]
pub struct Manifest {
    pub head: Head,
    tail: Vec<u8>,
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

impl From<&FrontMatter> for StoredFront {
    fn from(f: &FrontMatter) -> Self {
        StoredFront {
            title: f.title.clone(),
            date: store_date(&f.date),
            updated: f.updated.as_ref().map(store_date),
            kicker: f.kicker.clone(),
            summary: f.summary.clone(),
            topics: f.topics.clone(),
            tags: f.tags.clone(),
            sources: f.sources.clone(),
            authors: f.authors.clone(),
            language: f.language.clone(),
            slug: f.slug.clone(),
            source_url: f.source_url.clone(),
            draft: f.draft,
            fingerprint: f.fingerprint.clone(),
            extra: if f.extra.is_empty() {
                String::new()
            } else {
                serde_yaml::to_string(&f.extra).unwrap_or_default()
            },
        }
    }
}

impl StoredFront {
    fn front(&self) -> Option<FrontMatter> {
        let mut f = FrontMatter::new(self.title.clone(), load_date(self.date)?);
        f.updated = match self.updated {
            Some(d) => Some(load_date(d)?),
            None => None,
        };
        f.kicker = self.kicker.clone();
        f.summary = self.summary.clone();
        f.topics = self.topics.clone();
        f.tags = self.tags.clone();
        f.sources = self.sources.clone();
        f.authors = self.authors.clone();
        f.language = self.language.clone();
        f.slug = self.slug.clone();
        f.source_url = self.source_url.clone();
        f.draft = self.draft;
        f.fingerprint = self.fingerprint.clone();
        if !self.extra.is_empty() {
            f.extra = serde_yaml::from_str(&self.extra).ok()?;
        }
        Some(f)
    }
}

impl StoredSource {
    pub fn from_source(s: &Source) -> Self {
        StoredSource {
            path: s.path.to_string_lossy().into_owned(),
            size: s.size,
            mtime: s.mtime,
            hash: s.hash,
            front: StoredFront::from(&s.front),
        }
    }

    pub fn source(&self) -> Option<Source> {
        Some(Source {
            path: PathBuf::from(&self.path),
            size: self.size,
            mtime: self.mtime,
            hash: self.hash,
            front: self.front.front()?,
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
    pub fn new(head: Head, tail: &Tail) -> Manifest {
        Manifest {
            head,
            tail: postcard::to_stdvec(tail).expect("a manifest always encodes"),
        }
    }

    /// The manifest of `out`, if there is one that describes it.
    pub fn load(out: &Path, generation_in_marker: Option<u64>) -> Option<Manifest> {
        let bytes = std::fs::read(path_for(out)).ok()?;
        let rest = bytes.strip_prefix(MAGIC.as_slice())?;
        let (len, rest) = rest.split_first_chunk::<8>()?;
        let len = usize::try_from(u64::from_le_bytes(*len)).ok()?;
        let head: Head = postcard::from_bytes(rest.get(..len)?).ok()?;
        (Some(head.generation) == generation_in_marker).then(|| Manifest {
            head,
            tail: rest[len..].to_vec(),
        })
    }

    /// Decodes the per-article and per-output part.
    pub fn tail(&self) -> Option<Tail> {
        postcard::from_bytes(&self.tail).ok()
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

    #[test]
    fn front_matter_survives_the_round_trip() {
        let mut f = FrontMatter::new(
            "Titel",
            date::parse("2022-01-21T12:00:00+01:00", chrono_tz::Europe::Berlin).unwrap(),
        );
        f.updated = Some(date::parse("2022-02-01", chrono_tz::Europe::Berlin).unwrap());
        f.tags = vec!["A".into(), "B".into()];
        f.extra.insert("dateline".into(), "Hamburg".into());
        let source = Source {
            path: "content/a.md".into(),
            size: 10,
            mtime: 5,
            hash: 7,
            front: f,
        };
        let stored = StoredSource::from_source(&source);
        let bytes = postcard::to_stdvec(&stored).unwrap();
        let back: StoredSource = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back.source().unwrap(), source);
    }

    #[test]
    fn a_manifest_for_another_generation_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let tail = Tail {
            body_links: vec![("a/".into(), vec!["b/".into()])],
            ..Default::default()
        };
        let m = Manifest::new(
            Head {
                generation: 42,
                config: 9,
                ..Default::default()
            },
            &tail,
        );
        m.save(&out).unwrap();
        assert_eq!(path_for(&out), dir.path().join(".public.blatt-manifest"));
        let loaded = Manifest::load(&out, Some(42)).unwrap();
        assert_eq!(loaded.head.config, 9);
        assert_eq!(loaded.tail().unwrap().body_links, tail.body_links);
        assert!(Manifest::load(&out, Some(41)).is_none());
        assert!(Manifest::load(&out, None).is_none());
    }
}
