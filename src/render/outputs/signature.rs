//! What an output is made of, as one number: an output whose signature is
//! the one the manifest recorded is not rendered again.
//!
//! Signatures are built from the same values the templates see, not from
//! the rendered bytes, so computing them for 100 000 articles costs a few
//! hashes per output rather than a render. `global` covers everything every
//! page shows (site.yaml, templates, the `site` value of the templates);
//! each kind adds what its output shows: the articles it lists, their
//! terms, its page number ([`super::Output::signature`]).

use std::collections::HashMap;

use rayon::prelude::*;

use crate::config::Summaries;
use crate::site::{Entry, SiteIndex, Taxonomy};

/// A 128-bit hash builder with unambiguous field boundaries (XXH3: change
/// detection, not a defence against crafted collisions).
///
/// The fields are gathered in a buffer and hashed in large pieces: a
/// signature is made of many fields of 8 or 16 bytes, and feeding each to
/// the streaming hasher on its own made hashing most of the signatures of
/// 150 000 outputs. XXH3 gives the same digest for the same bytes however
/// they are split, so the signatures are those of the field-by-field hash.
pub struct Hash {
    /// What was hashed before the buffer last filled; boxed, as few
    /// signatures outgrow the buffer.
    state: Option<Box<xxhash_rust::xxh3::Xxh3>>,
    buffer: Vec<u8>,
}

/// Bytes gathered before they go to the streaming hasher: most outputs'
/// fields fit, and are hashed in one call at the end.
const BUFFER: usize = 16 * 1024;

impl Hash {
    pub fn new(kind: &str) -> Hash {
        let mut h = Hash {
            state: None,
            buffer: Vec::with_capacity(256),
        };
        h.put(kind.as_bytes());
        h
    }

    /// Inline, with the rare spill out of line: a signature is mostly
    /// copies of 8 or 16 bytes (at 100 000 articles the signature phase
    /// had 864 perf samples before, 645 after; one run each, session 30).
    #[inline(always)]
    fn put(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= BUFFER {
            self.spill();
        }
    }

    #[cold]
    fn spill(&mut self) {
        self.state
            .get_or_insert_with(|| Box::new(xxhash_rust::xxh3::Xxh3::new()))
            .update(&self.buffer);
        self.buffer.clear();
    }

    #[inline]
    pub fn str(&mut self, s: &str) -> &mut Self {
        self.put(&(s.len() as u64).to_le_bytes());
        self.put(s.as_bytes());
        self
    }

    #[inline]
    pub fn num(&mut self, n: u64) -> &mut Self {
        self.put(&n.to_le_bytes());
        self
    }

    #[inline]
    pub fn hash(&mut self, x: u128) -> &mut Self {
        self.put(&x.to_le_bytes());
        self
    }

    #[inline]
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.num(b.len() as u64);
        self.put(b);
        self
    }

    pub fn finish(&self) -> u128 {
        match &self.state {
            None => xxhash_rust::xxh3::xxh3_128(&self.buffer),
            Some(state) => {
                let mut state = state.clone();
                state.update(&self.buffer);
                state.digest128()
            }
        }
    }
}

/// The parts of signatures that many outputs share, made once per build.
pub struct Signatures {
    global: u128,
    /// Per entry: what a list shows of it without its summary.
    brief: Vec<u128>,
    /// Per entry: what a list shows of it with its summary.
    summary: Vec<u128>,
    /// Per entry: everything of it (file, path, terms).
    article: Vec<u128>,
    /// Which pages of a listing show summaries (`listing.summaries`).
    summaries: Summaries,
}

/// The names and slugs of an entry's terms.
fn terms(h: &mut Hash, index: &SiteIndex, taxonomy: Taxonomy, ids: &[usize]) {
    h.num(ids.len() as u64);
    for &t in ids {
        let term = &index.terms(taxonomy)[t];
        h.str(&term.name).str(&term.slug);
    }
}

fn brief(index: &SiteIndex, e: &Entry) -> u128 {
    let f = &index.source(e).front;
    let mut h = Hash::new("brief");
    h.str(&f.title)
        .str(f.kicker.as_deref().unwrap_or(""))
        .str(&crate::content::date::format(&f.date))
        .str(&e.path);
    terms(&mut h, index, Taxonomy::Topics, &e.topics);
    h.finish()
}

fn summary(index: &SiteIndex, e: &Entry, brief: u128) -> u128 {
    Hash::new("summary")
        .hash(brief)
        .str(index.source(e).front.summary.as_deref().unwrap_or(""))
        .finish()
}

fn article(index: &SiteIndex, e: &Entry, summary: u128, content_urls: &HashMap<String, String>) -> u128 {
    let mut h = Hash::new("article");
    // The file's hash covers all front matter and the body.
    let source = index.source(e);
    h.hash(summary).hash(source.hash);
    // But not where its `@/…` links lead: the articles named may move.
    for (file, _) in &source.body.content_links {
        h.str(content_urls.get(file).map_or("", String::as_str));
    }
    terms(&mut h, index, Taxonomy::Tags, &e.tags);
    // A byline links the authors that have a page.
    terms(&mut h, index, Taxonomy::Authors, &e.authors);
    h.finish()
}

impl Signatures {
    /// `config` fingerprints site.yaml, templates and options; `site` is the
    /// serialised `site` value every page sees.
    /// `content_urls`: where the `@/…` links of bodies lead.
    pub fn new(
        config: u128,
        site: &[u8],
        index: &SiteIndex,
        content_urls: &HashMap<String, String>,
        summaries: Summaries,
    ) -> Signatures {
        let global = Hash::new("global").hash(config).bytes(site).finish();
        let brief: Vec<u128> = index.entries.par_iter().map(|e| brief(index, e)).collect();
        let summary: Vec<u128> = index
            .entries
            .par_iter()
            .zip(&brief)
            .map(|(e, &b)| summary(index, e, b))
            .collect();
        let article = index
            .entries
            .par_iter()
            .zip(&summary)
            .map(|(e, &s)| article(index, e, s, content_urls))
            .collect();
        Signatures {
            global,
            brief,
            summary,
            article,
            summaries,
        }
    }

    /// A hash for an output of `kind`, started with what every output shows.
    pub fn start(&self, kind: &str) -> Hash {
        let mut h = Hash::new("output");
        h.hash(self.global).str(kind);
        h
    }

    /// What a list shows of entry `i`: title, kicker, summary, date, path, topics.
    pub fn summary(&self, i: usize) -> u128 {
        self.summary[i]
    }

    /// Everything of entry `i`: its file (front matter and body), path and terms.
    pub fn article(&self, i: usize) -> u128 {
        self.article[i]
    }

    /// Adds a page of a paginated listing: its number, its navigation and
    /// the entries it shows (`shown`: those of `page.range`), with their
    /// summaries on the pages `listing.summaries` shows them, so that a
    /// summary edit renders only those pages again.
    pub fn page(&self, h: &mut Hash, page: &crate::site::paginate::Page, shown: impl ExactSizeIterator<Item = usize>) {
        h.num(page.number as u64);
        for link in [page.newer, page.older] {
            h.num(link.map_or(u64::MAX, |n| n as u64));
        }
        h.num(page.window.len() as u64);
        for &(n, gap) in &page.window {
            h.num(n as u64).num(u64::from(gap));
        }
        self.list(h, shown, self.summaries.shown_on(page.number));
    }

    /// Adds a list of entries as a listing page shows them, with or
    /// without their summaries.
    pub fn list(&self, h: &mut Hash, entries: impl ExactSizeIterator<Item = usize>, with_summaries: bool) {
        let of = if with_summaries { &self.summary } else { &self.brief };
        h.num(entries.len() as u64);
        for i in entries {
            h.hash(of[i]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The signatures earlier builds recorded stay valid: gathered or not,
    /// the fields hash to the digest of the same bytes fed one by one.
    #[test]
    fn gathered_fields_hash_as_fields_fed_one_by_one() {
        // Within the buffer, and past it several times over.
        for fields in [3u64, 5_000] {
            let mut gathered = Hash::new("kind");
            let mut streamed = xxhash_rust::xxh3::Xxh3::new();
            streamed.update(b"kind");
            for i in 0..fields {
                let s = format!("field {i}");
                gathered.str(&s).num(i).hash(u128::from(i) << 64);
                streamed.update(&(s.len() as u64).to_le_bytes());
                streamed.update(s.as_bytes());
                streamed.update(&i.to_le_bytes());
                streamed.update(&(u128::from(i) << 64).to_le_bytes());
            }
            assert_eq!(gathered.finish(), streamed.digest128(), "{fields} fields");
            assert_eq!(gathered.finish(), gathered.finish(), "finishing does not consume");
        }
        // Field boundaries count.
        assert_ne!(
            Hash::new("k").str("ab").str("c").finish(),
            Hash::new("k").str("a").str("bc").finish()
        );
    }
}
