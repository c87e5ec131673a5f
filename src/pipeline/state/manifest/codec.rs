//! The manifest's bytes: a head (format, then the [`Head`] in postcard),
//! and a tail of chunks of records with a table of where each chunk is and
//! the first path in it, so that a rebuild that needs a few records reads
//! a few chunks.
//!
//! Tail layout: [`TAIL_FORMAT`], the tail's random number (u64 LE), the
//! table's length (u64 LE), the table, then the chunks.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::schema::{
    BodyLinks, Counts, FORMAT, FORMATS_BEFORE, Head, Keyed, Listings, OutputRecord, Patch, SearchIds, Shift,
    TAIL_FORMAT, TAIL_FORMATS_BEFORE, Tail, TermCounts,
};
use crate::content::ArticleFile;
use crate::content::file::Stamp;

/// Records per separately encoded chunk: chunks are encoded and decoded in
/// parallel, and read alone when a build needs only a few records. An edit
/// reads the chunks of the articles its pages show, scattered over the
/// archive: a title edit at 100 000 articles shows 500–900 articles, ten to
/// a hundred for a body edit. With 4 096 records a chunk, a body edit decoded
/// 77 MB of records (80 ms; 30 ms with 512); with 512, a title edit still
/// decoded ~150 chunks, three quarters of the tail; with 128, 219–256 of
/// the 782 chunks (28 000–33 000 records for 540–923 articles), its plan
/// 56–80 ms; with 32, 333–478 chunks of 32, 31–54 ms and ~30 MiB less at
/// its peak (c100k, tmpfs, 2 cores; real text at 30 000: 42–66 ms against
/// 29–40 ms). A whole tail decodes no slower in smaller chunks (250–300 ms
/// either way at c100k); the table naming the chunks grows, 0.18 MB at c100k
/// with 128 and 0.72 MB with 32, which a body edit's plan does not show.
pub const CHUNK: usize = 32;

/// The most records a chunk of any tail format this version reads holds.
const LARGEST_CHUNK: usize = {
    let mut largest = CHUNK;
    let mut i = 0;
    while i < TAIL_FORMATS_BEFORE.len() {
        if TAIL_FORMATS_BEFORE[i].1 > largest {
            largest = TAIL_FORMATS_BEFORE[i].1;
        }
        i += 1;
    }
    largest
};

/// How a tail format lays out its chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Layout {
    /// Records per chunk (all chunks but the last are full).
    pub chunk: usize,
    /// Each record framed on its own ([`framed`]), so one can be decoded
    /// without those before it.
    pub framed: bool,
}

/// The layout of a tail of `format`; `None` for a format this version
/// does not read.
fn layout_of(format: &[u8]) -> Option<Layout> {
    if format == TAIL_FORMAT {
        return Some(Layout {
            chunk: CHUNK,
            framed: true,
        });
    }
    TAIL_FORMATS_BEFORE
        .iter()
        .find(|(f, _)| f.as_slice() == format)
        .map(|&(_, chunk)| Layout { chunk, framed: false })
}

/// A chunk with its records framed: their number (u32 LE), the end of
/// each (u32 LE, counted from the end of this list), then the records.
/// An edit that shows a few hundred articles finds them in nearly as many
/// chunks, scattered over the archive: decoding each of those chunks
/// whole was a fifth of a topic edit's CPU time at 100 000 articles (Zipf
/// corpus, 2 cores), and the edit took 0.32 s (median of 6) where, decoding
/// only the records it shows, it takes 0.25 s.
pub(super) fn framed<T: Serialize>(records: &[T]) -> Vec<u8> {
    let lead = Frame::len_for(records.len());
    let mut bytes = vec![0u8; lead];
    bytes[..4].copy_from_slice(&frame_number(records.len()));
    for (i, record) in records.iter().enumerate() {
        bytes = postcard::to_extend(record, bytes).expect("a manifest always encodes");
        let end = frame_number(bytes.len() - lead);
        bytes[4 + 4 * i..8 + 4 * i].copy_from_slice(&end);
    }
    bytes
}

fn frame_number(n: usize) -> [u8; 4] {
    u32::try_from(n).expect("a chunk under 4 GiB").to_le_bytes()
}

/// The records of a chunk in its frame's order, as byte ranges.
pub(super) struct Frame<'a> {
    ends: &'a [u8],
    records: &'a [u8],
}

impl<'a> Frame<'a> {
    /// The frame at the start of `bytes`, whose records follow it; `None`
    /// for more records than a chunk holds (damaged bytes).
    pub fn read(bytes: &'a [u8]) -> Option<Frame<'a>> {
        let n = usize::try_from(u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?)).ok()?;
        if n > LARGEST_CHUNK {
            return None;
        }
        let lead = Frame::len_for(n);
        Some(Frame {
            ends: bytes.get(4..lead)?,
            records: &bytes[lead..],
        })
    }

    /// The length of the frame itself for `records` records: where the
    /// records start in the chunk.
    pub fn len_for(records: usize) -> usize {
        4 + 4 * records
    }

    pub fn len(&self) -> usize {
        self.ends.len() / 4
    }

    /// Where record `i` lies among the records; `None` past the last, or
    /// for ends that go backwards.
    pub fn span(&self, i: usize) -> Option<std::ops::Range<usize>> {
        let end = |k: usize| -> Option<usize> {
            let bytes = self.ends.get(4 * k..4 * k + 4)?;
            usize::try_from(u32::from_le_bytes(bytes.try_into().ok()?)).ok()
        };
        let start = if i == 0 { 0 } else { end(i - 1)? };
        let end = end(i)?;
        (start <= end).then_some(start..end)
    }

    /// Every record decoded, in order; `None` if one does not decode or
    /// bytes are left over.
    fn decode<T: serde::de::DeserializeOwned>(&self) -> Option<impl Iterator<Item = Option<T>> + '_> {
        let last = self
            .len()
            .checked_sub(1)
            .map_or(Some(0), |l| self.span(l).map(|s| s.end))?;
        (last == self.records.len()).then(|| (0..self.len()).map(|i| decode_record(self.records.get(self.span(i)?)?)))
    }
}

/// One framed record, which its bytes must hold exactly.
pub(super) fn decode_record<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    let (record, rest) = postcard::take_from_bytes(bytes).ok()?;
    rest.is_empty().then_some(record)
}

/// Where each chunk of the tail file is, and the first path in it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct Table {
    pub sources: Vec<ChunkRef>,
    pub outputs: Vec<ChunkRef>,
    pub body_links: ChunkRef,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct ChunkRef {
    pub first: String,
    /// From the start of the chunk data.
    pub offset: u64,
    pub len: u64,
}

/// A manifest ready to be written: the head, and the tail unless the head
/// only patches the tail already on disk. The tail stays in the parts it
/// was encoded in (100 MB at 100 000 articles, not to be copied again).
pub struct Encoded {
    pub generation: u64,
    pub head: Vec<u8>,
    pub tail: Option<Vec<Vec<u8>>>,
}

fn encoded<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    postcard::to_stdvec(value).expect("a manifest always encodes")
}

fn chunks<T: Serialize + Sync>(
    records: &[T],
    layout: Layout,
    first: impl Fn(&T) -> String + Sync,
) -> Vec<(String, Vec<u8>)> {
    let encode = |c: &[T]| if layout.framed { framed(c) } else { encoded(c) };
    records
        .par_chunks(layout.chunk)
        .map(|c| (first(&c[0]), encode(c)))
        .collect()
}

/// Encodes a complete manifest: a new tail with the records of a build,
/// and `head` extending it. `sources` must be sorted by path; their
/// positions are what `head.index` refers to.
pub fn encode(head: Head, sources: &[&ArticleFile], outputs: &[OutputRecord], body_links: &[BodyLinks]) -> Encoded {
    encode_as(TAIL_FORMAT, head, sources, outputs, body_links)
}

/// [`encode`] with a tail of `format` ([`TAIL_FORMAT`], or for tests one
/// of those before, whose chunks are larger).
pub(super) fn encode_as(
    format: &[u8; 8],
    mut head: Head,
    sources: &[&ArticleFile],
    outputs: &[OutputRecord],
    body_links: &[BodyLinks],
) -> Encoded {
    let layout = layout_of(format).expect("a tail format this version writes");
    debug_assert!(
        sources
            .windows(2)
            .all(|w| w[0].path.as_os_str() < w[1].path.as_os_str())
    );
    debug_assert!(outputs.windows(2).all(|w| w[0].path < w[1].path));
    let file_chunks = chunks(sources, layout, |s| s.path.to_string_lossy().into_owned());
    let output_chunks = chunks(outputs, layout, |o| o.path.to_string());
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
        sources: file_chunks.into_iter().map(&mut place).collect(),
        outputs: output_chunks.into_iter().map(&mut place).collect(),
        body_links: place((String::new(), encoded(body_links))),
    };
    head.tail = rand::random::<u64>().max(1);
    head.patch = Patch::default();
    head.shift = Shift::default();
    let table = encoded(&table);
    let start = &mut parts[0];
    start.extend_from_slice(format);
    start.extend_from_slice(&head.tail.to_le_bytes());
    start.extend_from_slice(&(table.len() as u64).to_le_bytes());
    start.extend(table);
    let mut encoded = encode_head(&head);
    encoded.tail = Some(parts);
    encoded
}

/// Encodes a head that patches the tail already on disk. Sized first and
/// written into one buffer, rather than grown by doubling into fresh memory
/// the kernel zeroes: the head of a 100 000-article site is 14 MB.
pub fn encode_head(head: &Head) -> Encoded {
    let size = postcard::experimental::serialized_size(head).expect("a manifest always encodes");
    let mut bytes = Vec::with_capacity(FORMAT.len() + size);
    bytes.extend_from_slice(FORMAT);
    let bytes = postcard::to_extend(head, bytes).expect("a manifest always encodes");
    Encoded {
        generation: head.generation,
        head: bytes,
        tail: None,
    }
}

/// The head in `bytes`, of this format or of one before
/// ([`FORMATS_BEFORE`]); `None` for any other or for damaged bytes.
pub(super) fn decode_head(bytes: &[u8]) -> Option<Head> {
    if let Some(now) = bytes.strip_prefix(FORMAT) {
        return postcard::from_bytes(now).ok();
    }
    let (format, missing) = FORMATS_BEFORE.iter().find(|(f, _)| bytes.starts_with(*f))?;
    // The fields up to the stamps, whose paths were whole, front coded as
    // this format has them; then the same fields but the last `missing`,
    // read as empty.
    let (lead, rest) = postcard::take_from_bytes::<Lead<Vec<Stamp>>>(&bytes[format.len()..]).ok()?;
    let mut bytes = encoded(&lead.front_coded());
    bytes.extend_from_slice(rest);
    if *missing >= 4 {
        bytes.extend(encoded(&Shift::default()));
    }
    if *missing >= 3 {
        bytes.extend(encoded(&Listings::default()));
    }
    if *missing >= 2 {
        bytes.extend(encoded(&TermCounts::default()));
    }
    if *missing >= 1 {
        bytes.extend(encoded(&SearchIds::default()));
    }
    postcard::from_bytes(&bytes).ok()
}

/// The fields [`Head`] starts with, up to its stamps, in its order (postcard
/// stores fields one after the other, nothing else): `Vec<Stamp>` with
/// whole paths as the formats before stored them, or [`FrontCoded`].
#[derive(Serialize, Deserialize)]
pub(super) struct Lead<S> {
    generation: u64,
    tail: u64,
    config: u128,
    reading: u64,
    next_due: Option<i64>,
    counts: Counts,
    stamps: S,
}

/// Stamps as [`Head::stamps`] stores them.
#[derive(Serialize, Deserialize)]
pub(super) struct FrontCoded(#[serde(with = "super::front_coded")] Vec<Stamp>);

impl<S> Lead<S> {
    fn map<T>(self, f: impl FnOnce(S) -> T) -> Lead<T> {
        Lead {
            generation: self.generation,
            tail: self.tail,
            config: self.config,
            reading: self.reading,
            next_due: self.next_due,
            counts: self.counts,
            stamps: f(self.stamps),
        }
    }
}

impl Lead<Vec<Stamp>> {
    fn front_coded(self) -> Lead<FrontCoded> {
        self.map(FrontCoded)
    }
}

/// A head's bytes after the format as the formats before wrote them, with
/// whole paths: `body`, which this format wrote, with its stamps decoded.
#[cfg(test)]
pub(super) fn with_whole_paths(body: &[u8]) -> Vec<u8> {
    let (lead, rest) = postcard::take_from_bytes::<Lead<FrontCoded>>(body).expect("a head of this format");
    let mut bytes = encoded(&lead.map(|f| f.0));
    bytes.extend_from_slice(rest);
    bytes
}

/// A tail file opened: its table read, not yet its records.
pub(super) struct OpenTail {
    pub file: File,
    /// Where the chunk data starts.
    pub data: u64,
    pub table: Table,
    pub layout: Layout,
}

/// Opens the tail numbered `tail` at `path`.
pub(super) fn open_tail(path: &Path, tail: u64) -> Option<OpenTail> {
    let mut file = File::open(path).ok()?;
    let mut start = [0u8; 24];
    file.read_exact(&mut start).ok()?;
    let layout = layout_of(&start[..8])?;
    if u64::from_le_bytes(start[8..16].try_into().ok()?) != tail {
        return None;
    }
    let len = usize::try_from(u64::from_le_bytes(start[16..].try_into().ok()?)).ok()?;
    let mut table = vec![0; len];
    file.read_exact(&mut table).ok()?;
    let table: Table = postcard::from_bytes(&table).ok()?;
    Some(OpenTail {
        file,
        data: 24 + len as u64,
        table,
        layout,
    })
}

/// Every record of the tail in `file`, whose chunk data starts at `data`.
/// Each chunk is read into its own buffer and decoded while others are
/// read: no 100 MB buffer of fresh memory the kernel must zero first.
pub(super) fn decode_tail(open: OpenTail) -> Option<Tail> {
    let (data, table, layout) = (open.data, &open.table, open.layout);
    let file = Mutex::new(open.file);
    let read = |c: &ChunkRef| -> Option<Vec<u8>> {
        let mut bytes = vec![0; usize::try_from(c.len).ok()?];
        let mut file = file.lock().ok()?;
        file.seek(SeekFrom::Start(data.checked_add(c.offset)?)).ok()?;
        file.read_exact(&mut bytes).ok()?;
        Some(bytes)
    };
    Some(Tail {
        sources: decode_all(&table.sources, layout, &read)?,
        outputs: decode_all(&table.outputs, layout, &read)?,
        body_links: postcard::from_bytes(&read(&table.body_links)?).ok()?,
    })
}

/// The records of every chunk of `chunks`, each read by `read`, in one
/// vector. Every chunk but the last holds `chunk` records, so the vector
/// is sized and filled with fillers first, and each chunk decodes, in
/// parallel, straight into its own part: decoded into vectors of their own
/// and then joined, the 100 000 sources of a large site took twice their
/// memory, fresh memory the kernel zeroes first. With room for a chunk
/// more, for the sources a patch adds and a scan inserts: memory not
/// touched costs nothing.
fn decode_all<T>(
    chunks: &[ChunkRef],
    layout: Layout,
    read: &(dyn Fn(&ChunkRef) -> Option<Vec<u8>> + Sync),
) -> Option<Vec<T>>
where
    T: serde::de::DeserializeOwned + Keyed + Send + Sync,
{
    let Some((last, full)) = chunks.split_last() else {
        return Some(Vec::new());
    };
    let last = read(last)?;
    let chunk = layout.chunk;
    let in_last = match layout.framed {
        true => Frame::read(&last)?.len(),
        false => usize::try_from(postcard::take_from_bytes::<u64>(&last).ok()?.0).ok()?,
    };
    if in_last == 0 || in_last > chunk {
        return None;
    }
    let total = full.len() * chunk + in_last;
    let mut records = Vec::with_capacity(total + chunk);
    records.par_extend((0..total).into_par_iter().map(|_| T::filler()));
    let decoded = records
        .par_chunks_mut(chunk)
        .enumerate()
        .all(|(k, part)| match full.get(k) {
            Some(c) => read(c).is_some_and(|bytes| decode_into(&bytes, layout.framed, part)),
            None => decode_into(&last, layout.framed, part),
        });
    decoded.then_some(records)
}

/// Decodes a chunk of exactly `part.len()` records into `part`.
fn decode_into<T: serde::de::DeserializeOwned>(bytes: &[u8], framed: bool, part: &mut [T]) -> bool {
    if framed {
        let Some(frame) = Frame::read(bytes).filter(|f| f.len() == part.len()) else {
            return false;
        };
        let Some(records) = frame.decode::<T>() else {
            return false;
        };
        for (record, slot) in records.zip(part.iter_mut()) {
            match record {
                Some(record) => *slot = record,
                None => return false,
            }
        }
        return true;
    }
    let mut d = postcard::Deserializer::from_bytes(bytes);
    serde::de::DeserializeSeed::deserialize(IntoSlots(part), &mut d).is_ok()
}

/// A chunk's records decoded into slots, each replacing what it held.
struct IntoSlots<'s, T>(&'s mut [T]);

impl<'de, T: serde::de::DeserializeOwned> serde::de::DeserializeSeed<'de> for IntoSlots<'_, T> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: serde::de::DeserializeOwned> serde::de::Visitor<'de> for IntoSlots<'_, T> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "a chunk of {} records", self.0.len())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let n = self.0.len();
        for (i, slot) in self.0.iter_mut().enumerate() {
            *slot = seq
                .next_element()?
                .ok_or_else(|| serde::de::Error::invalid_length(i, &"a full chunk"))?;
        }
        match seq.next_element::<T>()? {
            Some(_) => Err(serde::de::Error::invalid_length(n + 1, &"a full chunk")),
            None => Ok(()),
        }
    }
}

/// Decodes one chunk of records.
pub(super) fn decode_chunk<T: serde::de::DeserializeOwned>(bytes: &[u8], framed: bool) -> Option<Vec<T>> {
    if framed {
        return Frame::read(bytes)?.decode()?.collect();
    }
    postcard::from_bytes::<Records<T>>(bytes).ok().map(|s| s.0)
}

/// A chunk's records in a vector sized once from the count the chunk
/// starts with. serde's own `Vec` trusts a count only up to 1 MiB of
/// records, so a chunk of sources grew by doubling, each time into
/// fresh memory; a count past the largest chunk a tail format writes
/// ([`LARGEST_CHUNK`]) is not trusted (the bytes may be damaged) and the
/// vector grows as it reads.
struct Records<T>(Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Records<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Visit<T> {
            type Value = Records<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a chunk of records")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Records<T>, A::Error> {
                let mut records = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(LARGEST_CHUNK));
                while let Some(r) = seq.next_element()? {
                    records.push(r);
                }
                Ok(Records(records))
            }
        }
        d.deserialize_seq(Visit(std::marker::PhantomData))
    }
}
