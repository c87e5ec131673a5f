//! Posting lists held in the form the index files write them: the
//! difference from the posting before (the first from 0), here as LEB128
//! bytes. A clean build holds every list of the site at once, and at the
//! end of counting them the lists were the peak of its memory: four bytes
//! a posting in a `Vec<u32>`, and up to as much again in capacity the
//! doubling left unused. Postings only grow within a list, and a word in
//! many articles is in nearly every one, so most differences fit a byte
//! (76 % of the 25.5 million of the c100k bench corpus, 57 % of 4.3
//! million in 10 000 articles of real German text).

use integer_encoding::VarInt;

/// A growing posting list, ascending.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Encoded {
    bytes: Vec<u8>,
    len: u32,
    last: u32,
}

impl Encoded {
    /// Adds `posting`, which is greater than every posting before it.
    pub fn push(&mut self, posting: u32) {
        debug_assert!(self.len == 0 || posting > self.last, "postings ascend");
        put(&mut self.bytes, posting - self.last);
        self.last = posting;
        self.len += 1;
    }

    /// The list of `postings`, ascending.
    #[cfg(test)]
    pub fn from_sorted(postings: &[u32]) -> Encoded {
        let mut list = Encoded {
            bytes: Vec::with_capacity(postings.len() + postings.len() / 2),
            ..Encoded::default()
        };
        for &p in postings {
            list.push(p);
        }
        list
    }

    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The postings, ascending.
    #[cfg(test)]
    pub fn values(&self) -> impl Iterator<Item = u32> + '_ {
        sums(&self.bytes, 0)
    }

    /// All of the list, borrowed.
    pub fn whole(&self) -> Head<'_> {
        Head {
            bytes: &self.bytes,
            len: self.len(),
        }
    }

    /// The list cut before its first posting of `from` or more: the part
    /// below as it is held (a list starting from 0, so its differences
    /// stand), the rest as numbers. The rest is a recent block's few
    /// articles; a list whose last posting is below `from` is not read.
    pub fn split(&self, from: u32) -> (Head<'_>, Vec<u32>) {
        if self.is_empty() || self.last < from {
            return (self.whole(), Vec::new());
        }
        let (mut at, mut len, mut last) = (0, 0, 0);
        while last_below(&self.bytes, &mut at, &mut last, from) {
            len += 1;
        }
        // `at` is where the first posting of `from` or more starts.
        let head = Head {
            bytes: &self.bytes[..at],
            len,
        };
        (head, sums(&self.bytes[at..], last).collect())
    }
}

/// The postings the differences `bytes` stand for, after `last`.
fn sums(bytes: &[u8], mut last: u32) -> impl Iterator<Item = u32> + '_ {
    Deltas(bytes).map(move |d| {
        last += d;
        last
    })
}

/// Reads the posting at `*at` when it is below `from`: moves `at` past
/// it, adds it to `last`, and says so; else leaves both and says no.
fn last_below(bytes: &[u8], at: &mut usize, last: &mut u32, from: u32) -> bool {
    let Some((delta, next)) = get(bytes, *at) else {
        return false;
    };
    if *last + delta >= from {
        return false;
    }
    *last += delta;
    *at = next;
    true
}

/// The start of an [`Encoded`] list, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct Head<'a> {
    bytes: &'a [u8],
    len: usize,
}

/// A posting list as the index files write it: its length, and the
/// differences between neighbouring postings, the first from 0.
pub trait PostingList {
    fn count(&self) -> usize;
    fn deltas(&self) -> impl Iterator<Item = u32> + '_;
}

impl PostingList for Head<'_> {
    fn count(&self) -> usize {
        self.len
    }

    fn deltas(&self) -> impl Iterator<Item = u32> + '_ {
        Deltas(self.bytes)
    }
}

impl<L: AsRef<[u32]>> PostingList for L {
    fn count(&self) -> usize {
        self.as_ref().len()
    }

    fn deltas(&self) -> impl Iterator<Item = u32> + '_ {
        let mut last = 0;
        self.as_ref().iter().map(move |&v| {
            let d = v - last;
            last = v;
            d
        })
    }
}

/// Appends `n` as LEB128 (protobuf's varint: seven bits a byte, low first).
fn put(out: &mut Vec<u8>, n: u32) {
    if n < 0x80 {
        // The common case, as in `get`.
        out.push(n as u8);
    } else {
        let mut buf = [0u8; 5];
        let used = n.encode_var(&mut buf);
        out.extend_from_slice(&buf[..used]);
    }
}

/// The number at `at` and where the next starts; `None` at the end. The
/// bytes are this module's own, so a number is never cut.
fn get(bytes: &[u8], at: usize) -> Option<(u32, usize)> {
    match *bytes.get(at)? {
        // Most differences are one byte; the crate's loop costs more than
        // this test (100 ms of CPU in the index files at 100 000 articles).
        b if b < 0x80 => Some((u32::from(b), at + 1)),
        _ => {
            let (n, used) = u32::decode_var(&bytes[at..])?;
            Some((n, at + used))
        }
    }
}

/// The numbers of LEB128 bytes.
struct Deltas<'a>(&'a [u8]);

impl Iterator for Deltas<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let (n, next) = get(self.0, 0)?;
        self.0 = &self.0[next..];
        Some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deltas_of(list: &impl PostingList) -> Vec<u32> {
        list.deltas().collect()
    }

    /// Lists of every size class of difference read back as they were
    /// put, and give the differences a `Vec<u32>` of them gives.
    #[test]
    fn lists_read_back_as_put() {
        let lists: [&[u32]; 5] = [
            &[],
            &[0],
            &[3, 7, 8, 127, 128, 16_511, 16_512, 2_113_663, 2_113_664, u32::MAX],
            &[5, 1_000_000, 1_000_001],
            &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        ];
        for list in lists {
            let encoded = Encoded::from_sorted(list);
            assert_eq!(encoded.len(), list.len());
            assert_eq!(encoded.values().collect::<Vec<_>>(), list);
            assert_eq!(deltas_of(&encoded.whole()), deltas_of(&list), "{list:?}");
        }
        // A byte a posting where they are close.
        let dense: Vec<u32> = (0..1000).map(|i| i * 4 + i % 4).collect();
        assert_eq!(Encoded::from_sorted(&dense).bytes.len(), 1000);
    }

    /// Cut anywhere, the part below is the list of the postings below,
    /// held as it is, and the rest the postings from the cut on.
    #[test]
    fn a_list_splits_where_its_postings_reach_the_cut() {
        let list: Vec<u32> = vec![0, 4, 130, 131, 20_000, 20_004, 3_000_000];
        let encoded = Encoded::from_sorted(&list);
        for from in [0, 1, 4, 5, 131, 132, 20_000, 2_999_999, 3_000_000, 3_000_001, u32::MAX] {
            let (head, rest) = encoded.split(from);
            let below: Vec<u32> = list.iter().copied().filter(|&p| p < from).collect();
            let above: Vec<u32> = list.iter().copied().filter(|&p| p >= from).collect();
            assert_eq!(head.count(), below.len(), "{from}");
            assert_eq!(deltas_of(&head), deltas_of(&below), "{from}");
            assert_eq!(rest, above, "{from}");
        }
        let empty = Encoded::default();
        let (head, rest) = empty.split(0);
        assert_eq!((head.count(), rest.len()), (0, 0));
    }
}
