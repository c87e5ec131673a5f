//! The head's stamps with each path stored as what it shares with the path
//! before it and the rest. Every build reads the head and every edit
//! writes it again; at 100 000 articles (Zipf corpus) the stamps' absolute
//! paths were 11.7 of its 15.8 MB, nearly all of each path the folders it
//! shares with the one before (the stamps are in walk order, so sorted).
//! Front coded they are 4.6 MB. The stamps in memory stay as they are.
//!
//! Used as `#[serde(with = "front_coded")]` on a `Vec<Stamp>`.

use std::borrow::Cow;

use serde::de::{Error, SeqAccess, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::content::file::Stamp;

/// A stamp as stored: its path as the first `shared` bytes of the path
/// before it and then `rest`.
#[derive(Serialize, Deserialize)]
struct Coded<'a> {
    shared: u32,
    #[serde(borrow)]
    rest: Cow<'a, str>,
    size: u64,
    mtime: i128,
}

/// How many bytes `path` shares with `before` from the start, ending where
/// a character of `path` does (the rest is a string of its own).
fn shared(before: &str, path: &str) -> usize {
    let (a, b) = (before.as_bytes(), path.as_bytes());
    let most = a.len().min(b.len()).min(u32::MAX as usize);
    // Sixteen bytes at a time, compared as slices (vector compares): the
    // head is encoded twice per build, sized and then written, and the
    // paths share ~70 bytes each, 14 MB of bytes at 100 000 articles.
    let mut n = 0;
    while n + 16 <= most && a[n..n + 16] == b[n..n + 16] {
        n += 16;
    }
    n += a[n..most].iter().zip(&b[n..most]).take_while(|(x, y)| x == y).count();
    while !path.is_char_boundary(n) {
        n -= 1;
    }
    n
}

pub fn serialize<S: Serializer, T: AsRef<[Stamp]>>(stamps: &T, s: S) -> Result<S::Ok, S::Error> {
    let stamps = stamps.as_ref();
    let mut seq = s.serialize_seq(Some(stamps.len()))?;
    let mut before = "";
    for stamp in stamps {
        let n = shared(before, &stamp.path);
        seq.serialize_element(&Coded {
            shared: n as u32,
            rest: Cow::Borrowed(&stamp.path[n..]),
            size: stamp.size,
            mtime: stamp.mtime,
        })?;
        before = &stamp.path;
    }
    seq.end()
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Stamp>, D::Error> {
    struct Stamps;
    impl<'de> Visitor<'de> for Stamps {
        type Value = Vec<Stamp>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("front-coded stamps")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Stamp>, A::Error> {
            // A count from the bytes is trusted only so far (they may be
            // damaged; memory reserved and not written costs nothing);
            // past it the vector grows as it reads.
            let mut stamps: Vec<Stamp> = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
            while let Some(c) = seq.next_element::<Coded>()? {
                let before = stamps.last().map_or("", |s| s.path.as_str());
                let head = before
                    .get(..c.shared as usize)
                    .ok_or_else(|| A::Error::custom("a stamp shares more than the path before it has"))?;
                let mut path = String::with_capacity(head.len() + c.rest.len());
                path.push_str(head);
                path.push_str(&c.rest);
                stamps.push(Stamp {
                    path,
                    size: c.size,
                    mtime: c.mtime,
                });
            }
            Ok(stamps)
        }
    }
    d.deserialize_seq(Stamps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Held(#[serde(with = "super")] Vec<Stamp>);

    fn stamp(path: &str) -> Stamp {
        Stamp {
            path: path.into(),
            size: path.len() as u64,
            mtime: -(path.len() as i128),
        }
    }

    #[test]
    fn paths_come_back_whole_and_take_less_room() {
        let paths = [
            "/site/content/2024/01/a-long-slug-1.md",
            "/site/content/2024/01/a-long-slug-2.md",
            "/site/content/2024/02/über.md",
            // Shares the first byte of `ü` (0xC3) with the path before,
            // which is not a whole character: stored from the `Ã`.
            "/site/content/2024/02/Ã.md",
            "/other/x.md",
            "/other/x.md/y",
            "",
            "/z",
        ];
        let held = Held(paths.iter().map(|p| stamp(p)).collect());
        let bytes = postcard::to_stdvec(&held).unwrap();
        assert_eq!(postcard::from_bytes::<Held>(&bytes).unwrap(), held);
        let plain = postcard::to_stdvec(&held.0).unwrap();
        assert!(
            bytes.len() * 3 < plain.len() * 2,
            "{} against {}",
            bytes.len(),
            plain.len()
        );
    }

    #[test]
    fn a_stamp_sharing_more_than_the_path_before_it_is_refused() {
        let coded = vec![
            Coded {
                shared: 0,
                rest: "ab".into(),
                size: 1,
                mtime: 1,
            },
            Coded {
                shared: 3,
                rest: "c".into(),
                size: 1,
                mtime: 1,
            },
        ];
        let bytes = postcard::to_stdvec(&coded).unwrap();
        assert!(postcard::from_bytes::<Held>(&bytes).is_err());
        let inside = vec![
            Coded {
                shared: 0,
                rest: "ü".into(),
                size: 1,
                mtime: 1,
            },
            Coded {
                shared: 1,
                rest: "x".into(),
                size: 1,
                mtime: 1,
            },
        ];
        let bytes = postcard::to_stdvec(&inside).unwrap();
        assert!(
            postcard::from_bytes::<Held>(&bytes).is_err(),
            "a cut inside a character"
        );
    }
}
