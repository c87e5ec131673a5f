//! An article's file as a build sees it: where it is, how it looked when it
//! was read (size, modification time, hash), and its front matter. The body
//! is not kept: a build of 100 000 articles holds their metadata, and reads
//! a body again only to render the pages and feeds that show it (what else
//! needs the body, like the search words, is taken at the first reading).

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use chrono_tz::Tz;

use crate::config::ContentConfig;
use crate::content::front_matter::{self, FrontMatter};
use crate::content::{Article, Rules};
use crate::error::{FileError, Location, Problem, ReadProblem};
use crate::text::slug;

/// Serde gives it the form the build's manifest stores, so that a file whose
/// size and modification time did not change is not read again.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ArticleFile {
    /// Stored as text (lossily for a name that is not UTF-8).
    #[serde(with = "lossy_path")]
    pub path: PathBuf,
    pub size: u64,
    /// Modification time in nanoseconds since 1970, to notice changes
    /// without reading the file.
    pub mtime: i128,
    /// Hash of the whole file.
    pub hash: u128,
    pub front: FrontMatter,
    /// What links into and out of the body need, read with the front matter.
    pub body: crate::content::markdown::BodyFacts,
}

mod lossy_path {
    use std::path::{Path, PathBuf};

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&path.to_string_lossy())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<PathBuf, D::Error> {
        Ok(PathBuf::from(String::deserialize(d)?))
    }
}

/// A file's path, size and modification time: what tells a build that a
/// file changed without reading it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    pub path: String,
    pub size: u64,
    /// Nanoseconds since 1970.
    pub mtime: i128,
}

impl Stamp {
    /// The stamp of the file at `path`, whose metadata is `meta`.
    pub fn of(path: &Path, meta: &std::fs::Metadata) -> Stamp {
        // Checked as UTF-8 first, the lossy copy only for a name that is
        // not: the lossy reading checks a chunk at a time, 6 % of the
        // samples of a walk of 100 000 files.
        let name = match path.to_str() {
            Some(text) => text.to_owned(),
            None => path.to_string_lossy().into_owned(),
        };
        Stamp::named(name, meta)
    }

    /// The stamp of a file that the site knows under another name than its
    /// path (`static/logo.svg` for `<site>/static/logo.svg`).
    pub fn named(name: String, meta: &std::fs::Metadata) -> Stamp {
        let SizeAndTime { size, mtime } = SizeAndTime::of(meta);
        Stamp {
            path: name,
            size,
            mtime,
        }
    }
}

/// Size and modification time of a file, as recorded in [`ArticleFile`].
struct SizeAndTime {
    size: u64,
    /// Nanoseconds since 1970; 0 where the file system keeps no time.
    mtime: i128,
}

impl SizeAndTime {
    fn of(meta: &std::fs::Metadata) -> SizeAndTime {
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        SizeAndTime {
            size: meta.len(),
            mtime,
        }
    }
}

/// XXH3-128 rather than a cryptographic hash: these hashes only tell whether
/// a file changed between two builds of the same site, and hashing every
/// rendered byte is a measurable part of a full build.
pub fn hash_bytes(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

impl ArticleFile {
    /// Reads and parses an article file.
    pub fn read(path: &Path, rules: &Rules) -> Result<ArticleFile, Vec<FileError>> {
        Self::read_then(path, rules, |_, _| ()).map(|(file, ())| file)
    }

    /// Reads and parses an article file, and gives `also` its front matter
    /// and body while the text is at hand: the body is not kept, and
    /// reading it again later costs a read and a UTF-8 check per article.
    pub fn read_then<T>(
        path: &Path,
        rules: &Rules,
        also: impl FnOnce(&FrontMatter, &str) -> T,
    ) -> Result<(ArticleFile, T), Vec<FileError>> {
        let (bytes, meta) = crate::content::load::read_article(path, rules.limits.max_file_size)
            .map_err(|problem| vec![FileError::new(Location::file(path), problem)])?;
        let SizeAndTime { size, mtime } = SizeAndTime::of(&meta);
        let hash = hash_bytes(&bytes);
        let text = crate::read::decode(bytes, path).map_err(|e| vec![e])?;
        let article = Article::parse(&text, path, rules)?;
        let extra = also(&article.front, &article.body);
        let file = ArticleFile {
            path: path.to_path_buf(),
            size,
            mtime,
            hash,
            body: crate::content::markdown::BodyFacts::of(&article.body, rules.heading_attributes, article.body_line),
            front: article.front,
        };
        Ok((file, extra))
    }

    /// Whether the file as it was read keeps within `limits`: a reading
    /// kept from an earlier build under other limits may not.
    pub fn within(&self, limits: &ContentConfig) -> bool {
        let f = &self.front;
        self.size <= limits.max_file_size
            && [&f.topics, &f.tags, &f.sources, &f.authors]
                .iter()
                .all(|list| list.len() <= limits.max_terms)
    }

    /// The Markdown body, read from the file again.
    pub fn body(&self) -> Result<String, FileError> {
        // At most the bytes the first reading checked against the limits: a
        // file that grew since cannot make this read unbounded.
        let (bytes, _) = crate::read::read_regular(&self.path, self.size).map_err(|problem| {
            let problem = match problem {
                Problem::Read(ReadProblem::TooLarge { .. }) => {
                    Problem::Read(ReadProblem::ChangedDuringBuild { size: self.size })
                }
                other => other,
            };
            FileError::new(Location::file(&self.path), problem)
        })?;
        let text = crate::read::decode(bytes, &self.path)?;
        let split = front_matter::split(&text)
            .map_err(|(line, problem)| FileError::new(Location::line(&self.path, line), problem))?;
        Ok(split.body.to_string())
    }

    /// The front matter's slug, else one made from the file name.
    pub fn slug(&self) -> String {
        slug_of(&self.front, &self.path)
    }

    /// `YYYY/MM/slug`: the article's URL path in the site's time zone.
    pub fn url_path(&self, tz: Tz) -> String {
        url_path_of(&self.front, &self.path, tz)
    }
}

/// `YYYY/MM/slug` of an article: its month in `tz`, and its slug.
pub fn url_path_of(front: &FrontMatter, path: &Path, tz: Tz) -> String {
    let local = front.date.with_timezone(&tz);
    format!("{}/{}", local.format("%Y/%m"), slug_of(front, path))
}

/// An article's slug: its front matter's, else its file name's.
pub fn slug_of(front: &FrontMatter, path: &Path) -> String {
    match &front.slug {
        Some(s) => s.clone(),
        None => slug::slugify(&path.file_stem().map(|s| s.to_string_lossy()).unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The body is read again at render time: a file that grew since the
    /// build checked it against the limits is an error naming it, never an
    /// unbounded read.
    #[test]
    fn a_body_read_again_is_bounded_by_the_first_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "---\ntitle: A\ndate: 2022-01-01\n---\nText\n").unwrap();
        let file = ArticleFile::read(&path, &Rules::in_tz(chrono_tz::Europe::Berlin)).unwrap();
        assert_eq!(file.body().unwrap(), "Text\n");
        std::fs::write(
            &path,
            format!("---\ntitle: A\ndate: 2022-01-01\n---\n{}\n", "x".repeat(1 << 20)),
        )
        .unwrap();
        let e = file.body().unwrap_err();
        assert!(
            matches!(e.problem, Problem::Read(ReadProblem::ChangedDuringBuild { .. })),
            "{e}"
        );
        assert!(
            e.to_string().contains("a.md") && e.to_string().contains("build again"),
            "{e}"
        );
    }
}
