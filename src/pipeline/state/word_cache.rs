//! The words of every article the last build indexed for search, by the
//! hash of its source file, so that a rebuild reads only the bodies of
//! changed articles. Build state beside the output
//! (`.public.blatt-manifest.search`), like the manifest; only a cache: a
//! missing, torn or unreadable one means reading bodies again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The words of every article the last build indexed, by the hash of its
/// source file, so that a rebuild reads only the bodies of changed
/// articles. Kept beside the output (`.public.blatt-manifest.search`);
/// only a cache: a missing, torn or unreadable one means reading bodies.
///
/// Layout: header, count, a table sorted by hash of (hash, offset, length,
/// checksum) with its own checksum, then the words. A rebuild after a body
/// edit looks up one article with two small reads ([`WordCache::lookup`]).
#[derive(Default)]
pub struct WordCache {
    bytes: Vec<u8>,
    blobs: usize,
    table: HashMap<u128, (usize, usize, u64)>,
}

const CACHE_HEADER: &[u8] = b"blatt-search-words 3\n";
const ROW: usize = 16 + 8 + 4 + 8;

fn parse_row(row: &[u8]) -> (u128, usize, usize, u64) {
    let hash = u128::from_le_bytes(row[..16].try_into().expect("16 bytes"));
    let offset = u64::from_le_bytes(row[16..24].try_into().expect("8 bytes")) as usize;
    let len = u32::from_le_bytes(row[24..28].try_into().expect("4 bytes")) as usize;
    let sum = u64::from_le_bytes(row[28..36].try_into().expect("8 bytes"));
    (hash, offset, len, sum)
}

/// The table of a cache file's first bytes: (rows, where the words start).
fn table_of(start: &[u8]) -> Option<(usize, usize)> {
    let rest = start.strip_prefix(CACHE_HEADER)?;
    let count = u64::from_le_bytes(rest.get(..8)?.try_into().ok()?) as usize;
    let table_end = CACHE_HEADER.len() + 8 + count.checked_mul(ROW)?;
    Some((count, table_end + 16))
}

fn checked_blob(blob: &[u8], sum: u64) -> Option<&[u8]> {
    (xxhash_rust::xxh3::xxh3_64(blob) == sum && std::str::from_utf8(blob).is_ok()).then_some(blob)
}

impl WordCache {
    pub fn path_for(out: &Path) -> PathBuf {
        let mut p = super::manifest::path_for(out).into_os_string();
        p.push(".search");
        PathBuf::from(p)
    }

    /// The small cache of articles edited by body-edit rebuilds since the
    /// cache was last written whole, so that editing one article again
    /// stays on the fast path.
    pub fn edits_path_for(out: &Path) -> PathBuf {
        let mut p = Self::path_for(out).into_os_string();
        p.push(".edits");
        PathBuf::from(p)
    }

    fn read(path: &Path) -> WordCache {
        let Ok(bytes) = std::fs::read(path) else {
            return WordCache::default();
        };
        Self::decode(bytes).unwrap_or_default()
    }

    /// The cache and the edits since it was written.
    pub fn load(out: &Path) -> WordCache {
        let mut cache = Self::read(&Self::path_for(out));
        let edits = Self::read(&Self::edits_path_for(out));
        let blobs = cache.bytes.len();
        cache.bytes.extend_from_slice(&edits.bytes[edits.blobs..]);
        for (hash, (offset, len, sum)) in edits.table {
            cache.table.insert(hash, (blobs - cache.blobs + offset, len, sum));
        }
        cache
    }

    /// Adds the words of edited articles to the edits file.
    pub fn add_edits(out: &Path, new: &[(u128, Vec<u8>)]) -> std::io::Result<()> {
        let old = Self::read(&Self::edits_path_for(out));
        let mut entries: Vec<(u128, &[u8])> = new.iter().map(|(h, w)| (*h, w.as_slice())).collect();
        for &hash in old.table.keys() {
            if let Some(w) = old.get(hash) {
                entries.push((hash, w));
            }
        }
        crate::output::write_atomic_with(&Self::edits_path_for(out), false, |w| Self::encode_to(&entries, w))
    }

    fn decode(bytes: Vec<u8>) -> Option<WordCache> {
        let (count, blobs) = table_of(&bytes)?;
        let table_bytes = bytes.get(..blobs - 16)?;
        let sum = u128::from_le_bytes(bytes.get(blobs - 16..blobs)?.try_into().ok()?);
        if xxhash_rust::xxh3::xxh3_128(table_bytes) != sum {
            return None;
        }
        let rows = &table_bytes[CACHE_HEADER.len() + 8..];
        let mut table = HashMap::with_capacity(count);
        for row in rows.chunks_exact(ROW) {
            let (hash, offset, len, sum) = parse_row(row);
            bytes.get(blobs + offset..blobs + offset + len)?;
            table.insert(hash, (offset, len, sum));
        }
        Some(WordCache { bytes, blobs, table })
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// The encoded words of the article whose file has `hash`.
    pub fn get(&self, hash: u128) -> Option<&[u8]> {
        let &(offset, len, sum) = self.table.get(&hash)?;
        checked_blob(&self.bytes[self.blobs + offset..self.blobs + offset + len], sum)
    }

    /// [`WordCache::get`] without reading the whole cache.
    pub fn lookup(out: &Path, hash: u128) -> Option<Vec<u8>> {
        Self::lookup_many(out, &[hash]).found.remove(&hash)
    }

    /// [`WordCache::get`] of a few articles without reading the whole
    /// cache: its table once, then only their words.
    pub fn lookup_many(out: &Path, hashes: &[u128]) -> Found {
        let edits = Self::read(&Self::edits_path_for(out));
        let mut found = Found {
            found: HashMap::new(),
            entries: edits.len(),
        };
        let mut rest = Vec::new();
        for &hash in hashes {
            match edits.get(hash) {
                Some(words) => {
                    found.found.insert(hash, words.to_vec());
                }
                None => rest.push(hash),
            }
        }
        if let Some(count) = Self::lookup_in(&Self::path_for(out), &rest, &mut found.found) {
            found.entries += count;
        }
        found
    }

    /// Adds the words of `hashes` that the cache file `path` holds to
    /// `found`; the number of its entries, if it reads.
    fn lookup_in(path: &Path, hashes: &[u128], found: &mut HashMap<u128, Vec<u8>>) -> Option<usize> {
        use std::io::{Read, Seek, SeekFrom};
        let mut file = std::fs::File::open(path).ok()?;
        let mut start = vec![0u8; CACHE_HEADER.len() + 8];
        file.read_exact(&mut start).ok()?;
        let (count, blobs) = table_of(&start)?;
        let mut table = start;
        table.resize(blobs, 0);
        file.read_exact(&mut table[CACHE_HEADER.len() + 8..]).ok()?;
        let sum = u128::from_le_bytes(table[blobs - 16..].try_into().ok()?);
        if xxhash_rust::xxh3::xxh3_128(&table[..blobs - 16]) != sum {
            return None;
        }
        let rows = &table[CACHE_HEADER.len() + 8..blobs - 16];
        for &hash in hashes {
            let (mut lo, mut hi) = (0, count);
            while lo < hi {
                let mid = (lo + hi) / 2;
                let (h, offset, len, sum) = parse_row(&rows[mid * ROW..(mid + 1) * ROW]);
                match h.cmp(&hash) {
                    std::cmp::Ordering::Less => lo = mid + 1,
                    std::cmp::Ordering::Greater => hi = mid,
                    std::cmp::Ordering::Equal => {
                        file.seek(SeekFrom::Start((blobs + offset) as u64)).ok()?;
                        let mut blob = vec![0u8; len];
                        file.read_exact(&mut blob).ok()?;
                        if let Some(words) = checked_blob(&blob, sum) {
                            found.insert(hash, words.to_vec());
                        }
                        break;
                    }
                }
            }
        }
        Some(count)
    }

    /// The cache of exactly `entries` (file hash, encoded words), written
    /// as it is made, so that the words of 100 000 articles are not copied
    /// into one buffer first.
    pub fn encode_to(entries: &[(u128, &[u8])], w: &mut impl std::io::Write) -> std::io::Result<()> {
        let mut sorted: Vec<&(u128, &[u8])> = entries.iter().collect();
        // Stable: of two entries for one hash, the first given stays.
        sorted.sort_by_key(|(h, _)| *h);
        sorted.dedup_by_key(|(h, _)| *h);
        let mut head = CACHE_HEADER.to_vec();
        head.extend_from_slice(&(sorted.len() as u64).to_le_bytes());
        let mut offset = 0u64;
        for (hash, blob) in &sorted {
            head.extend_from_slice(&hash.to_le_bytes());
            head.extend_from_slice(&offset.to_le_bytes());
            head.extend_from_slice(&(blob.len() as u32).to_le_bytes());
            head.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(blob).to_le_bytes());
            offset += blob.len() as u64;
        }
        let sum = xxhash_rust::xxh3::xxh3_128(&head);
        head.extend_from_slice(&sum.to_le_bytes());
        w.write_all(&head)?;
        for (_, blob) in &sorted {
            w.write_all(blob)?;
        }
        w.flush()
    }

    /// Writes a whole cache of `entries`; the edits it replaces go.
    #[cfg(test)]
    pub fn write_entries(out: &Path, entries: &[(u128, &[u8])]) -> std::io::Result<()> {
        Self::stage(out, entries)?.commit()
    }

    /// Writes a whole cache of `entries` beside the current one, to replace
    /// it when the build that made it commits ([`StagedCache::commit`]).
    pub fn stage(out: &Path, entries: &[(u128, &[u8])]) -> std::io::Result<StagedCache> {
        let path = Self::path_for(out);
        let mut staged = path.clone().into_os_string();
        staged.push(".new");
        let staged = PathBuf::from(staged);
        crate::output::write_atomic_with(&staged, false, |w| Self::encode_to(entries, w))?;
        Ok(StagedCache {
            staged,
            path,
            edits: Self::edits_path_for(out),
            committed: false,
        })
    }
}

/// What [`WordCache::lookup_many`] found: the words by hash, and how many
/// entries the cache holds in all (its file and its edits; a hash in both
/// counts twice), to tell when it holds many words of files gone.
pub struct Found {
    pub found: HashMap<u128, Vec<u8>>,
    pub entries: usize,
}

/// A whole new cache, staged beside the one it replaces; removed unless
/// committed, so that a build that fails leaves the cache as it was.
pub struct StagedCache {
    staged: PathBuf,
    path: PathBuf,
    edits: PathBuf,
    committed: bool,
}

impl StagedCache {
    /// Puts the new cache in place; the edits it covers go.
    pub fn commit(mut self) -> std::io::Result<()> {
        self.committed = true;
        std::fs::rename(&self.staged, &self.path)?;
        match std::fs::remove_file(&self.edits) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

impl Drop for StagedCache {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.staged);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::ArticleWords;

    #[test]
    fn cache_round_trips_and_finds_one_article() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let a = ArticleWords::of("Titel", &[], "Text über Öl");
        let b = ArticleWords::of("Anderes", &[], "");
        WordCache::write_entries(&out, &[(7, &a.0), (3, &b.0)]).unwrap();
        let bytes = std::fs::read(WordCache::path_for(&out)).unwrap();
        let cache = WordCache::load(&out);
        assert_eq!(cache.get(7), Some(&a.0[..]));
        assert_eq!(cache.get(3), Some(&b.0[..]));
        assert_eq!(WordCache::lookup(&out, 7), Some(a.0.clone()));
        assert_eq!(WordCache::lookup(&out, 3), Some(b.0.clone()));
        assert_eq!(WordCache::lookup(&out, 5), None);
        // Edits are found by both ways of reading, until a whole cache replaces them.
        let c = ArticleWords::of("Neu", &[], "");
        WordCache::add_edits(&out, &[(5, c.0.clone())]).unwrap();
        WordCache::add_edits(&out, &[(6, b.0.clone())]).unwrap();
        assert_eq!(WordCache::lookup(&out, 5), Some(c.0.clone()));
        let cache = WordCache::load(&out);
        assert_eq!(
            (cache.get(5), cache.get(6), cache.get(7)),
            (Some(&c.0[..]), Some(&b.0[..]), Some(&a.0[..]))
        );
        WordCache::write_entries(&out, &[(7, &a.0), (3, &b.0)]).unwrap();
        assert_eq!(WordCache::lookup(&out, 5), None);
        // A torn file is no cache.
        std::fs::write(WordCache::path_for(&out), &bytes[..bytes.len() - 1]).unwrap();
        assert!(WordCache::load(&out).is_empty());
        assert_eq!(WordCache::lookup(&out, 7), None);
    }
}
