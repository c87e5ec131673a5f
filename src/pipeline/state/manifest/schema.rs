//! What the manifest stores. These types are the bytes a previous build
//! wrote: change one, and bump [`FORMAT`] (or [`TAIL_FORMAT`]) so that an
//! older manifest is ignored rather than misread. The test
//! `the_stored_schema_matches_its_format_version` fails when the traced
//! schema and the recorded one part without a bump.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::content::ArticleFile;
use crate::content::file::Stamp;

/// The head's format; an older or newer head is ignored. Bumped also when
/// what reading an article accepts changes, so that no source an older
/// build kept escapes the checks of this version.
pub const FORMAT: &[u8; 8] = b"BLATTM21";
/// Older head formats, read so that an upgrade still knows which files of
/// the output blatt made (a full build without a manifest must keep every
/// file it did not write, stale ones too). They stored [`Head::stamps`]
/// with whole paths (`BLATTM21` front codes them), and some lacked
/// trailing fields, read as empty; with how many: `BLATTM19` lacked
/// [`Head::search_ids`], `BLATTM18` also [`Head::term_counts`],
/// `BLATTM17` also [`Head::listings`], `BLATTM16` also [`Head::shift`].
/// Drop them when [`FORMAT`] is bumped for what reading an article
/// accepts.
pub const FORMATS_BEFORE: [(&[u8; 8], usize); 5] = [
    (b"BLATTM20", 0),
    (b"BLATTM19", 1),
    (b"BLATTM18", 2),
    (b"BLATTM17", 3),
    (b"BLATTM16", 4),
];
/// The tail's format.
pub const TAIL_FORMAT: &[u8; 8] = b"BLATTT15";
/// The tail formats before [`TAIL_FORMAT`]: the same records, in chunks of
/// this many, each chunk one postcard sequence rather than records framed
/// one by one (`super::codec::framed`). Read as they are, so that an
/// upgrade rebuilds nothing; the next full write uses the new chunks.
pub const TAIL_FORMATS_BEFORE: [(&[u8; 8], usize); 4] = [
    (b"BLATTT14", 32),
    (b"BLATTT13", 128),
    (b"BLATTT12", 512),
    (b"BLATTT11", 4096),
];

/// The part of a manifest every rebuild reads.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Head {
    /// A fingerprint of the output's files (`pipeline::record`), written into
    /// the output's marker too: a manifest whose number differs from the
    /// marker describes some other output. The same content gives the same
    /// number, so the marker's bytes change only with the site.
    pub generation: u64,
    /// Random number of the tail this head extends.
    pub tail: u64,
    /// Fingerprint of everything every output depends on (site.yaml,
    /// templates, blatt's version, build options).
    pub config: u128,
    /// [`crate::content::Rules::reading`] of the build that read the tail's
    /// sources: under another time zone or heading rule a kept reading is
    /// stale (its dates carry the old zone's offset), and every file is
    /// read again.
    pub reading: u64,
    /// When something next changes by the clock alone: the earliest future
    /// article falls due, or an article leaves the News sitemap (Unix seconds).
    pub next_due: Option<i64>,
    pub counts: Counts,
    /// Every source file, in walk order; stored front coded.
    #[serde(with = "super::front_coded")]
    pub stamps: Vec<Stamp>,
    /// Every file of the site's `static/`.
    pub statics: Vec<Stamp>,
    pub index: StoredIndex,
    pub patch: Patch,
    /// URLs that published articles had in earlier builds, as (site path,
    /// the article's file): the redirects the site keeps.
    pub moved: Vec<(String, String)>,
    /// The article files added and deleted since the tail was written.
    /// After the fields of `BLATTM16` (see [`FORMATS_BEFORE`]).
    pub shift: Shift,
    /// After the fields of `BLATTM17`.
    pub listings: Listings,
    /// After the fields of `BLATTM18`.
    pub term_counts: TermCounts,
    /// Last, after the fields of `BLATTM19`.
    pub search_ids: SearchIds,
}

/// The search index's ids of the articles of [`StoredIndex::order`]
/// (`render::search::ids`), so that an edit finds an article's postings
/// and gives a new or moved article its id without the others' dates.
/// Empty in a head of an older format: then no edit touches the index.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchIds {
    /// Slots per day.
    pub slots: u32,
    /// The ids oldest first, each stored as the step from the one before
    /// (the first as it is): a byte or two each.
    pub steps: Vec<u32>,
}

impl Head {
    /// This head with the order and lists of `index` and `listings`: the
    /// head of an edit that moves articles in the order, for the record.
    /// Without stamps (the build records its own) and without a patch (the
    /// record adds to this head's).
    pub fn reordered(&self, index: StoredIndex, listings: Listings) -> Head {
        Head {
            generation: self.generation,
            tail: self.tail,
            config: self.config,
            reading: self.reading,
            next_due: self.next_due,
            counts: self.counts,
            stamps: Vec::new(),
            statics: Vec::new(),
            index,
            patch: Patch::default(),
            moved: self.moved.clone(),
            shift: self.shift.clone(),
            listings,
            term_counts: self.term_counts.clone(),
            search_ids: self.search_ids.clone(),
        }
    }
}

impl SearchIds {
    /// `ids` (oldest first) with their `slots` per day.
    pub fn of(slots: u32, ids: &[u32]) -> SearchIds {
        let mut last = 0;
        let steps = ids
            .iter()
            .map(|&id| {
                let step = id - last;
                last = id;
                step
            })
            .collect();
        SearchIds { slots, steps }
    }

    /// The ids, oldest first, when there is one for each of `articles`.
    pub fn ids(&self, articles: usize) -> Option<Vec<u32>> {
        if self.steps.len() != articles {
            return None;
        }
        let mut at = 0u32;
        self.steps
            .iter()
            .map(|&s| {
                at = at.checked_add(s)?;
                Some(at)
            })
            .collect()
    }
}

/// What an edit that moves an article into or out of a term needs to know
/// besides the lists (`pipeline::edits`). Both lists are indexed by
/// taxonomy (topics, tags, authors).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermCounts {
    /// False in a head of an older format, which counted nothing: no such
    /// edit changes its terms.
    pub known: bool,
    /// Per term of [`StoredIndex::topics`], `tags` and `authors`, in their
    /// order: by how many uses the spelling that names it leads the next
    /// spelling of the same term ([`crate::site::Term::lead`]), so that the
    /// edit knows whether the term keeps its name.
    pub leads: [Vec<u32>; 3],
    /// The terms too few articles carry for a page, by slug, with how many
    /// do: whether an article added to one gives it its page.
    pub below_minimum: [Vec<(String, u32)>; 3],
}

/// Every listing's whole list, so that an edit of what lists show of an
/// article (its title, kicker or summary) finds the listing pages that
/// show it, with their page numbers, without indexing the site
/// (`pipeline::edits`). Empty in a head of an older format.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listings {
    /// Per term of [`StoredIndex::topics`], `tags` and `authors`, in their
    /// order: its articles as positions in [`StoredIndex::order`], each
    /// stored as the step from the one before (small numbers, a byte or
    /// two each where a term has many articles).
    pub topics: Vec<Vec<u32>>,
    pub tags: Vec<Vec<u32>>,
    pub authors: Vec<Vec<u32>>,
    /// The months with articles, newest first, as (year, month, articles):
    /// each month's articles are a run of the order.
    pub months: Vec<(i32, u32, u32)>,
}

impl Listings {
    /// Every term list (topics', tags', authors'), for an edit that moves
    /// positions in all of them.
    pub fn term_lists_mut(&mut self) -> impl Iterator<Item = &mut Vec<u32>> {
        self.topics.iter_mut().chain(&mut self.tags).chain(&mut self.authors)
    }

    /// Positions in the order, newest first, stored as steps.
    pub fn steps(positions: impl IntoIterator<Item = usize>) -> Vec<u32> {
        let mut last = 0;
        positions
            .into_iter()
            .map(|p| {
                let step = p - last;
                last = p;
                u32::try_from(step).expect("fewer than 4 billion articles")
            })
            .collect()
    }

    /// The positions `steps` stands for.
    pub fn positions(steps: &[u32]) -> Vec<usize> {
        let mut at = 0usize;
        steps
            .iter()
            .map(|&s| {
                at += s as usize;
                at
            })
            .collect()
    }
}

/// What a build made, for its summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub articles: usize,
    pub topics: usize,
    pub tags: usize,
    /// HTML pages.
    pub pages: usize,
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
    pub authors: Vec<StoredTerm>,
    /// Per article in `order`: its related articles (positions in the
    /// tail's sources), so that a body edit renders its page without
    /// indexing the site; empty when `related.limit` is 0.
    pub related: Vec<Vec<u32>>,
    /// The templates' `site` value as the render layer serialised it:
    /// opaque here, so that what templates see can change without a new
    /// manifest format (the config fingerprint covers the program).
    pub site: Vec<u8>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StoredTerm {
    pub name: String,
    pub slug: String,
    /// The articles its feed shows (positions in the tail's sources).
    pub feed: Vec<u32>,
}

/// An output file as recorded: what it was made of and what it holds.
/// Borrows its path when written, owns it when read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputRecord<'a> {
    /// Site-relative.
    pub path: Cow<'a, str>,
    pub signature: u128,
    /// Hash of the bytes.
    pub content: u128,
}

/// An output record as read back.
pub type StoredOutput = OutputRecord<'static>;

impl OutputRecord<'_> {
    pub fn into_owned(self) -> StoredOutput {
        OutputRecord {
            path: Cow::Owned(self.path.into_owned()),
            signature: self.signature,
            content: self.content,
        }
    }
}

/// The internal links written in an article's body, by its page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BodyLinks {
    pub page: String,
    /// An empty list in a patch removes the page's links.
    pub links: Vec<String>,
}

/// Records newer than the tail's; each replaces the tail's record of the
/// same path. Every list is sorted by path.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Patch {
    pub sources: Vec<ArticleFile>,
    pub outputs: Vec<StoredOutput>,
    pub body_links: Vec<BodyLinks>,
    /// Output files the tail records that a later build deleted: a
    /// front-matter edit can take a term's pages away, and a record left
    /// behind would let a later build delete someone else's file there.
    pub gone: Vec<String>,
}

/// How the patch moves the tail's sources: the article files added since
/// the tail was written (their records are the patch's) and those deleted,
/// each with its place among the tail's sources. Positions in
/// [`StoredIndex`] are those of the sources as patched; with the places
/// known, a position maps to a tail record without reading the tail, and
/// adding an article writes this head, not a tail in which every later
/// source moved one place.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shift {
    /// Sorted by path.
    pub added: Vec<Slot>,
    /// Sorted by path (and so by place).
    pub removed: Vec<Slot>,
}

/// A source file and its place in the tail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub path: String,
    /// How many of the tail's sources sort before it: for a deleted
    /// source, its position in the tail.
    pub at: u32,
}

/// The smallest `i` below `n` for which `before(i)` is false, or `n`;
/// `before` must be true up to some point and false after it.
fn first(n: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

impl Shift {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }

    fn removed_before(&self, t: usize) -> usize {
        self.removed.partition_point(|s| (s.at as usize) < t)
    }

    fn is_removed(&self, t: usize) -> bool {
        self.removed.binary_search_by_key(&t, |s| s.at as usize).is_ok()
    }

    /// The position among the patched sources of the tail's source `t`
    /// (one not deleted): the added ones before it count, the deleted not.
    /// Never decreasing in `t`, for [`Shift::locate`]'s search.
    pub(super) fn position(&self, t: usize) -> usize {
        t - self.removed_before(t) + self.added.partition_point(|s| s.at as usize <= t)
    }

    /// The position among the patched sources of the added source `k`.
    fn added_position(&self, k: usize) -> usize {
        let at = self.added[k].at as usize;
        at - self.removed_before(at) + k
    }

    /// Where the patched source at position `p` is: `Ok` the tail's
    /// position, `Err` the path of an added source.
    pub(super) fn locate(&self, p: usize) -> Result<usize, &str> {
        let k = first(self.added.len(), |k| self.added_position(k) < p);
        if k < self.added.len() && self.added_position(k) == p {
            return Err(&self.added[k].path);
        }
        let mut t = first(p + self.removed.len() + 1, |t| self.position(t) < p);
        while self.is_removed(t) {
            t += 1;
        }
        Ok(t)
    }

    /// The position among the patched sources of the source at `path`,
    /// when it is an added one.
    pub(super) fn added(&self, path: &str) -> Option<usize> {
        let k = self.added.binary_search_by(|s| s.path.as_str().cmp(path)).ok()?;
        Some(self.added_position(k))
    }

    pub(super) fn removes(&self, path: &str) -> bool {
        self.removed_place(path).is_some()
    }

    /// The tail's position of the source at `path`, when it is a deleted one.
    pub(super) fn removed_place(&self, path: &str) -> Option<usize> {
        let k = self.removed.binary_search_by(|s| s.path.as_str().cmp(path)).ok()?;
        Some(self.removed[k].at as usize)
    }

    /// Takes in a build that added the files `added` and deleted `removed`
    /// (paths of sources); `now`: every source's path after it, sorted. A
    /// file added since the tail and deleted again leaves no trace; a
    /// tail's file deleted and added again is the tail's, its record
    /// replaced by the patch.
    pub fn files_changed(&mut self, added: Vec<String>, removed: Vec<String>, now: &[&str]) {
        let slot = |path| Slot { path, at: 0 };
        for path in removed {
            match self.added.binary_search_by(|s| s.path.cmp(&path)) {
                Ok(k) => drop(self.added.remove(k)),
                Err(_) => self.removed.push(slot(path)),
            }
        }
        self.removed.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        for path in added {
            match self.removed.binary_search_by(|s| s.path.cmp(&path)) {
                Ok(k) => drop(self.removed.remove(k)),
                Err(_) => self.added.push(slot(path)),
            }
        }
        self.added.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        // The tail's sources before a path are the sources now before it,
        // less the added, plus the deleted.
        let place = |path: &str, added: &[Slot], removed: &[Slot]| {
            let before = |list: &[Slot]| list.partition_point(|s| s.path.as_str() < path);
            let at = now.partition_point(|n| *n < path) - before(added) + before(removed);
            u32::try_from(at).expect("fewer than 4 billion articles")
        };
        let places: Vec<u32> = self
            .added
            .iter()
            .chain(&self.removed)
            .map(|s| place(&s.path, &self.added, &self.removed))
            .collect();
        for (s, at) in self.added.iter_mut().chain(self.removed.iter_mut()).zip(places) {
            s.at = at;
        }
    }
}

/// The per-article and per-output records, all decoded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tail {
    /// Sorted by path.
    pub sources: Vec<ArticleFile>,
    /// Sorted by path.
    pub outputs: Vec<StoredOutput>,
    /// The only links whose targets can disappear without their page changing.
    pub body_links: Vec<BodyLinks>,
}

/// A record with a path, for the sorted lists of tail and patch.
pub(super) trait Keyed {
    fn key(&self) -> &str;
    /// A record that holds a place until a real one takes it: it owns no
    /// heap memory, so that filling a list of 100 000 with it is cheap.
    fn filler() -> Self;
}

impl Keyed for ArticleFile {
    fn key(&self) -> &str {
        // Stored lossily as text; a name that is not UTF-8 is never looked up.
        self.path.to_str().unwrap_or("")
    }
    fn filler() -> Self {
        ArticleFile {
            path: Default::default(),
            size: 0,
            mtime: 0,
            hash: 0,
            front: crate::content::FrontMatter::new(String::new(), Default::default()),
            body: Default::default(),
        }
    }
}

impl Keyed for StoredOutput {
    fn key(&self) -> &str {
        &self.path
    }
    fn filler() -> Self {
        OutputRecord {
            path: Cow::Borrowed(""),
            signature: 0,
            content: 0,
        }
    }
}

impl Keyed for BodyLinks {
    fn key(&self) -> &str {
        &self.page
    }
    fn filler() -> Self {
        BodyLinks {
            page: String::new(),
            links: Vec::new(),
        }
    }
}

pub(super) fn find<'a, T: Keyed>(list: &'a [T], key: &str) -> Option<&'a T> {
    list.binary_search_by(|x| x.key().cmp(key)).ok().map(|i| &list[i])
}

/// Puts `new` into the sorted `list`, replacing records of the same path
/// (a later record of `new` replaces an earlier one). One merge, not an
/// insertion per record: the list can be the tail's 300 000 outputs.
pub(super) fn upsert<T: Keyed>(list: &mut Vec<T>, mut new: Vec<T>) {
    if new.is_empty() {
        return;
    }
    // Reversed, then sorted stably: the latest record of a path comes first.
    new.reverse();
    new.sort_by(|a, b| a.key().cmp(b.key()));
    new.dedup_by(|later, kept| later.key() == kept.key());
    // A record that replaces one of the same path takes its place: a
    // title edit patches a few of 100 000 sources, and moving them all
    // into a new list cost more than the rest of reading the tail.
    let mut added = Vec::new();
    for n in new {
        match list.binary_search_by(|x| x.key().cmp(n.key())) {
            Ok(i) => list[i] = n,
            Err(_) => added.push(n),
        }
    }
    if added.is_empty() {
        return;
    }
    insert_sorted(list, added);
}

/// Puts the sorted records `added`, none of whose paths `list` has, into
/// the sorted `list` where they belong, in place: the list is lengthened
/// by fillers and merged from its end, so that only records after the
/// first one added move, and within the list's memory (the tail is read
/// with room to spare). Moving 100 000 sources into a new list to add one
/// took fresh memory the kernel zeroes first, in every build after an
/// article was added.
pub(super) fn insert_sorted<T: Keyed>(list: &mut Vec<T>, mut added: Vec<T>) {
    let mut old = list.len();
    list.resize_with(old + added.len(), T::filler);
    let mut to = list.len();
    while let Some(a) = added.pop() {
        while old > 0 && list[old - 1].key() > a.key() {
            old -= 1;
            to -= 1;
            list.swap(old, to);
        }
        to -= 1;
        list[to] = a;
    }
}

/// Whether the sorted `list` holds `key`.
pub(super) fn holds(list: &[String], key: &str) -> bool {
    list.binary_search_by(|x| x.as_str().cmp(key)).is_ok()
}

impl Patch {
    pub fn len(&self) -> usize {
        self.sources.len() + self.outputs.len() + self.body_links.len() + self.gone.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds records, replacing older ones of the same path; `gone`: output
    /// files deleted, whose records go.
    pub fn add(
        &mut self,
        sources: Vec<ArticleFile>,
        outputs: Vec<StoredOutput>,
        body_links: Vec<BodyLinks>,
        mut gone: Vec<String>,
    ) {
        gone.sort_unstable();
        gone.dedup();
        self.outputs.retain(|o| !holds(&gone, &o.path));
        let written: foldhash::HashSet<&str> = outputs.iter().map(|o| o.path.as_ref()).collect();
        self.gone.retain(|g| !written.contains(g.as_str()));
        upsert(&mut self.sources, sources);
        upsert(&mut self.outputs, outputs);
        upsert(&mut self.body_links, body_links);
        self.gone.extend(gone);
        self.gone.sort_unstable();
        self.gone.dedup();
    }

    /// Forgets the records of the sources at `removed` (sorted paths):
    /// files deleted since.
    pub fn drop_sources(&mut self, removed: &[String]) {
        if !removed.is_empty() {
            self.sources.retain(|s| !holds(removed, s.key()));
        }
    }

    /// Applies the patch to a whole tail, with the sources `shift` adds
    /// (whose records the patch holds) and without those it deletes.
    pub(super) fn apply(&self, shift: &Shift, tail: &mut Tail) {
        upsert(&mut tail.sources, self.sources.clone());
        if !shift.removed.is_empty() {
            tail.sources.retain(|s| !shift.removes(s.key()));
        }
        upsert(&mut tail.outputs, self.outputs.clone());
        upsert(&mut tail.body_links, self.body_links.clone());
        tail.body_links.retain(|b| !b.links.is_empty());
        if !self.gone.is_empty() {
            tail.outputs.retain(|o| !holds(&self.gone, &o.path));
        }
    }
}

impl Tail {
    /// Takes in the records of `patch`, which moves no source to another
    /// place: what a later head's patch adds after body edits, and drops
    /// those of the sources at `removed` (sorted paths), deleted since.
    pub fn take_in(&mut self, patch: &Patch, removed: &[String]) {
        if !removed.is_empty() {
            self.sources.retain(|s| !holds(removed, s.key()));
        }
        patch.apply(&Shift::default(), self);
    }
}
