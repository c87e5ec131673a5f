//! The tail read a chunk at a time, as a rebuild after a body edit asks for
//! records: a few chunks of [`super::codec::CHUNK`] records rather than 100 MB.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::sync::{Mutex, OnceLock};

use super::codec::{ChunkRef, Frame, Layout, OpenTail, Table, decode_chunk, decode_record};
use super::schema::{BodyLinks, Keyed, Patch, Shift, StoredOutput, find, holds};
use crate::content::ArticleFile;

/// Records of a tail, read on demand, with the head's patch applied.
pub struct LazyTail {
    file: Mutex<File>,
    /// Where the chunk data starts in the file.
    data: u64,
    table: Table,
    layout: Layout,
    patch: Patch,
    shift: Shift,
    sources: Vec<OnceLock<Option<Vec<ArticleFile>>>>,
    /// The frame of each chunk of sources whose records were read one by
    /// one ([`LazyTail::file`]), in a framed tail.
    frames: Vec<OnceLock<Option<Vec<u8>>>>,
    outputs: Vec<OnceLock<Option<Vec<StoredOutput>>>>,
}

impl LazyTail {
    pub(super) fn new(open: OpenTail, patch: Patch, shift: Shift) -> LazyTail {
        LazyTail {
            sources: open.table.sources.iter().map(|_| OnceLock::new()).collect(),
            frames: open.table.sources.iter().map(|_| OnceLock::new()).collect(),
            outputs: open.table.outputs.iter().map(|_| OnceLock::new()).collect(),
            file: Mutex::new(open.file),
            data: open.data,
            table: open.table,
            layout: open.layout,
            patch,
            shift,
        }
    }

    fn read<T: serde::de::DeserializeOwned>(&self, c: &ChunkRef) -> Option<Vec<T>> {
        decode_chunk(&self.read_bytes(c)?, self.layout.framed)
    }

    fn read_bytes(&self, c: &ChunkRef) -> Option<Vec<u8>> {
        self.read_range(c, 0, usize::try_from(c.len).ok()?)
    }

    /// `len` bytes from `start` on of chunk `c`, which must hold them.
    fn read_range(&self, c: &ChunkRef, start: usize, len: usize) -> Option<Vec<u8>> {
        if start.checked_add(len)? > usize::try_from(c.len).ok()? {
            return None;
        }
        let mut bytes = vec![0; len];
        let mut file = self.file.lock().ok()?;
        file.seek(SeekFrom::Start(self.data + c.offset + start as u64)).ok()?;
        file.read_exact(&mut bytes).ok()?;
        Some(bytes)
    }

    /// Record `i` of source chunk `k` of a framed tail, read and decoded
    /// alone (its chunk's frame read once).
    fn framed_file(&self, k: usize, i: usize) -> Option<ArticleFile> {
        let c = self.table.sources.get(k)?;
        let frame = self.frames.get(k)?.get_or_init(|| {
            let lead = Frame::len_for(self.layout.chunk).min(usize::try_from(c.len).ok()?);
            self.read_range(c, 0, lead)
        });
        let frame = Frame::read(frame.as_deref()?)?;
        let span = frame.span(i)?;
        let start = Frame::len_for(frame.len()).checked_add(span.start)?;
        decode_record(&self.read_range(c, start, span.len())?)
    }

    fn file_chunk(&self, k: usize) -> Option<&[ArticleFile]> {
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

    /// The record of the source at position `id` (among the sources as
    /// patched, as the head's index names them).
    pub fn file(&self, id: u32) -> Option<ArticleFile> {
        let id = match self.shift.locate(id as usize) {
            Ok(t) => t,
            Err(added) => return find(&self.patch.sources, added).cloned(),
        };
        let (k, i) = (id / self.layout.chunk, id % self.layout.chunk);
        // A chunk decoded already is read from; otherwise only the record.
        let decoded = self.sources.get(k)?.get().map(Option::as_deref);
        let stored = match decoded {
            None if self.layout.framed => self.framed_file(k, i)?,
            _ => self.file_chunk(k)?.get(i)?.clone(),
        };
        Some(find(&self.patch.sources, stored.key()).cloned().unwrap_or(stored))
    }

    /// The position and record of the source at `path`.
    pub fn find_file(&self, path: &str) -> Option<(u32, ArticleFile)> {
        if let Some(at) = self.shift.added(path) {
            return Some((u32::try_from(at).ok()?, find(&self.patch.sources, path)?.clone()));
        }
        if self.shift.removes(path) {
            return None;
        }
        let k = Self::chunk_of(&self.table.sources, path)?;
        let chunk = self.file_chunk(k)?;
        let i = chunk.binary_search_by(|s| s.key().cmp(path)).ok()?;
        let stored = find(&self.patch.sources, path).unwrap_or(&chunk[i]).clone();
        Some((
            u32::try_from(self.shift.position(k * self.layout.chunk + i)).ok()?,
            stored,
        ))
    }

    /// This tail as it reads without the source at `path` (a file deleted
    /// since, not yet recorded), when the sources are now those at `now`
    /// (sorted paths), and the shift that takes the source out. The chunks
    /// read so far stay: they are the tail's, whatever the patch says.
    pub fn without(mut self, path: &str, now: &[&str]) -> (LazyTail, Shift) {
        self.shift.files_changed(Vec::new(), vec![path.to_string()], now);
        self.patch.drop_sources(&[path.to_string()]);
        let shift = self.shift.clone();
        (self, shift)
    }

    /// Whether the body of some page links to a page `leads_there` (given
    /// a link's target, without its fragment), by the links the tail and
    /// the patch record: such a page is not taken away without checking
    /// it. Read whole; sites without such links record none.
    pub fn links_to(&self, leads_there: impl Fn(&str) -> bool) -> Option<bool> {
        let tail: Vec<BodyLinks> = postcard::from_bytes(&self.read_bytes(&self.table.body_links)?).ok()?;
        let patched = |page: &str| find(&self.patch.body_links, page).is_some();
        let lists = tail
            .iter()
            .filter(|b| !patched(&b.page))
            .chain(&self.patch.body_links)
            .flat_map(|b| &b.links);
        Some(lists.map(|l| l.split('#').next().unwrap_or(l)).any(leads_there))
    }

    /// The record of the output file at `path`.
    pub fn output(&self, path: &str) -> Option<StoredOutput> {
        if let Some(o) = find(&self.patch.outputs, path) {
            return Some(o.clone());
        }
        if holds(&self.patch.gone, path) {
            return None;
        }
        let chunk = self.output_chunk(Self::chunk_of(&self.table.outputs, path)?)?;
        find(chunk, path).cloned()
    }
}
