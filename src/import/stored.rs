//! What `content/` already holds, as import needs it: each stored story's
//! fingerprint, terms and near-duplicate bands, from which duplicates,
//! updated versions and free slugs are found.
//!
//! Importing one article into an archive of 100 000 must not read 100 000
//! articles: those summaries are kept in `.blatt-import` beside
//! `site.yaml`, each with the size and modification time of its file, and
//! only files that changed since are read again. A stored article is read
//! whole only when an input turns out to be its duplicate or version, or
//! takes its slug. The cache is only ever a copy: a missing, stale or
//! unreadable one is rebuilt from `content/`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{similar, terms};
use crate::config::Site;
use crate::content::load::{Links, load_one};
use crate::content::walk::markdown_stamps;
use crate::content::{Article, Rules};
use terms::Classifier;

/// The cache's file name, in the site's folder.
pub const CACHE_FILE: &str = ".blatt-import";

/// Changes whenever what a [`Summary`] holds, or how it is made, changes.
const FORMAT: u32 = 2;

/// A file's size and modification time (nanoseconds since 1970), as
/// [`crate::content::file::Stamp`] has them.
type Stamp = (u64, i128);

/// What import needs of a stored article without reading it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Summary {
    /// The file's stamp when the summary was made; `None` for one written
    /// by this run.
    stamp: Option<Stamp>,
    fingerprint: Option<String>,
    topics: Vec<String>,
    tags: Vec<String>,
    language: Option<String>,
    /// The body's near-duplicate bands; `None` for a body too short to
    /// take part.
    bands: Option<Vec<u64>>,
}

impl Summary {
    fn of(article: &Article, stamp: Option<Stamp>) -> Summary {
        let front = &article.front;
        Summary {
            stamp,
            fingerprint: front.fingerprint.clone(),
            topics: front.topics.clone(),
            tags: front.tags.clone(),
            language: front.language.clone(),
            bands: similar::bands_of(&body_shingles(article)).map(|b| b.to_vec()),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Cache {
    format: u32,
    /// What a summary also depends on: the time zone dates are read in,
    /// the content limits.
    rules: String,
    /// Paths relative to `content/`, `/` between folders.
    entries: Vec<(String, Summary)>,
}

fn rules_key(rules: &Rules) -> String {
    format!("{:?} {:?}", rules.tz, rules.limits)
}

/// A file's stamp, from its metadata.
fn stamp_of(path: &Path, meta: &std::fs::Metadata) -> Stamp {
    let stamp = crate::content::file::Stamp::of(path, meta);
    (stamp.size, stamp.mtime)
}

fn now_nanos() -> i128 {
    std::time::SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// The shingles of an article's body as a reader sees it.
pub(super) fn body_shingles(article: &Article) -> Vec<u64> {
    similar::shingles(&crate::content::markdown::to_text(&article.body))
}

/// What `content/` already holds, to find duplicates and free slugs.
pub(super) struct Existing {
    /// Every stored article's summary, by path.
    stored: HashMap<PathBuf, Summary>,
    /// The paths of `stored` in the order of the walk (sorted), then those
    /// this run placed: the order the near-duplicate index and the
    /// spellings learn them in, the same in every run.
    order: Vec<PathBuf>,
    /// Stored articles read whole: those this run needed
    /// ([`Existing::read`]) and those it placed.
    pub(super) by_path: HashMap<PathBuf, Article>,
    pub(super) by_fingerprint: HashMap<String, PathBuf>,
    /// The near-duplicate index of the stored bodies, made when an input
    /// first needs it (an import of duplicates only never does). Its keys
    /// are places in `slots`, which follow a file that moves.
    near: Option<similar::Index<usize>>,
    slots: Vec<PathBuf>,
    slot_of: HashMap<PathBuf, usize>,
    rules: Rules,
}

impl Existing {
    /// Reads what `content/` holds, through the cache; `keep`: write the
    /// cache anew where it was missing or stale.
    pub(super) fn load(site: &Site, keep: bool) -> Existing {
        let rules = Rules::of(&site.config);
        let content = site.content_dir();
        let cache_path = site.root.join(CACHE_FILE);
        let mut cached: HashMap<String, Summary> = std::fs::read(&cache_path)
            .ok()
            .and_then(|bytes| postcard::from_bytes::<Cache>(&bytes).ok())
            .filter(|c| c.format == FORMAT && c.rules == rules_key(&rules))
            .map(|c| c.entries.into_iter().collect())
            .unwrap_or_default();
        // Each file's stamp asked of its open folder, folders in parallel:
        // the walk every build makes.
        let files: Vec<(PathBuf, Stamp)> = match content.exists() {
            true => markdown_stamps(&content, &Links::All)
                .stamps
                .into_iter()
                .map(|s| (PathBuf::from(s.path), (s.size, s.mtime)))
                .collect(),
            false => Vec::new(),
        };
        let rel = |path: &Path| {
            path.strip_prefix(&content)
                .unwrap_or(path)
                .to_string_lossy()
                .replace(std::path::MAIN_SEPARATOR, "/")
        };
        // Each file read is summed up and let go: 100 000 articles held
        // whole took a gigabyte for an import that reads a few of them
        // again ([`Existing::read`]).
        let found: Vec<(PathBuf, Summary, bool)> = files
            .par_iter()
            .filter_map(|(path, stamp)| {
                if let Some(summary) = cached.get(&rel(path)).filter(|s| s.stamp == Some(*stamp)) {
                    return Some((path.clone(), summary.clone(), false));
                }
                // A file that does not parse holds no story import could
                // match; its name stays taken (`Existing::taken`).
                let (article, read_stamp) = read(path, &rules)?;
                // Changed between the walk and the read: not kept.
                let stamp = Some(*stamp).filter(|s| *s == read_stamp);
                Some((path.clone(), Summary::of(&article, stamp), true))
            })
            .collect();
        let changed = keep && (found.iter().any(|(_, _, read)| *read) || found.len() != cached.len());
        // A file changed within the same second as its stamp, or after it,
        // may change again under the same stamp (a clock of whole seconds):
        // it is read again next time rather than trusted.
        let settled = now_nanos() - 2_000_000_000;
        let mut existing = Existing {
            stored: HashMap::with_capacity(found.len()),
            order: Vec::with_capacity(found.len()),
            by_path: HashMap::new(),
            by_fingerprint: HashMap::new(),
            near: None,
            slots: Vec::new(),
            slot_of: HashMap::new(),
            rules,
        };
        // In path order, so that of two files with the same fingerprint the
        // same one is found in every run.
        let mut entries = Vec::with_capacity(found.len());
        for (path, summary, _) in found {
            if let Some(fp) = &summary.fingerprint {
                existing
                    .by_fingerprint
                    .entry(fp.clone())
                    .or_insert_with(|| path.clone());
            }
            if changed && summary.stamp.is_some_and(|(_, mtime)| mtime < settled) {
                entries.push((rel(&path), summary.clone()));
            }
            existing.order.push(path.clone());
            existing.stored.insert(path, summary);
        }
        if changed {
            cached.clear();
            let cache = Cache {
                format: FORMAT,
                rules: rules_key(&existing.rules),
                entries,
            };
            // A cache that cannot be written is read again next time.
            if let Ok(bytes) = postcard::to_stdvec(&cache) {
                let _ = crate::output::write_atomic(&cache_path, &bytes);
            }
        }
        existing
    }

    /// Reads the stored article at `path` whole, if it is not yet; `false`
    /// when there is none that parses.
    pub(super) fn read(&mut self, path: &Path) -> bool {
        if self.by_path.contains_key(path) {
            return true;
        }
        if !self.stored.contains_key(path) {
            return false;
        }
        match read(path, &self.rules) {
            Some((article, _)) => {
                self.by_path.insert(path.to_path_buf(), article);
                true
            }
            None => false,
        }
    }

    fn slot(&mut self, path: &Path) -> usize {
        if let Some(&id) = self.slot_of.get(path) {
            return id;
        }
        self.slots.push(path.to_path_buf());
        self.slot_of.insert(path.to_path_buf(), self.slots.len() - 1);
        self.slots.len() - 1
    }

    /// The stored article whose body `shingles` is nearest to, from
    /// [`similar::NEAR`] on, with the similarity.
    pub(super) fn nearest(&mut self, shingles: &[u64]) -> Option<(PathBuf, f64)> {
        if self.near.is_none() {
            // Taken out while slots are handed out, so that its paths need
            // no copy.
            let order = std::mem::take(&mut self.order);
            let mut banded = Vec::with_capacity(order.len());
            for path in &order {
                if self.stored.get(path).is_some_and(|s| s.bands.is_some()) {
                    banded.push((self.slot(path), path));
                }
            }
            let stored = &self.stored;
            let index = similar::Index::from_bands(
                banded
                    .iter()
                    .filter_map(|&(slot, path)| Some((slot, stored.get(path)?.bands.as_deref()?))),
            );
            self.near = Some(index);
            self.order = order;
        }
        let candidates = self.near.as_ref().map(|i| i.candidates(shingles)).unwrap_or_default();
        let mut best: Option<(PathBuf, f64)> = None;
        for id in candidates {
            let path = self.slots[id].clone();
            if !self.read(&path) {
                continue;
            }
            let similarity = similar::jaccard(shingles, &body_shingles(&self.by_path[&path]));
            if similarity >= similar::NEAR && best.as_ref().is_none_or(|(_, b)| similarity > *b) {
                best = Some((path, similarity));
            }
        }
        best
    }

    /// Records an article placed at `path` (new, or a new version).
    pub(super) fn remember(&mut self, path: &Path, fingerprint: &str, article: &Article) {
        self.by_fingerprint.insert(fingerprint.to_string(), path.to_path_buf());
        self.add(path, Summary::of(article, None));
        self.by_path.insert(path.to_path_buf(), article.clone());
        self.index(path);
    }

    /// Records the summary of a story at `path`, new to this index or not.
    fn add(&mut self, path: &Path, summary: Summary) {
        if self.stored.insert(path.to_path_buf(), summary).is_none() {
            self.order.push(path.to_path_buf());
        }
    }

    /// Makes the body of the article at `path` findable, once the index exists.
    fn index(&mut self, path: &Path) {
        if self.near.is_some() {
            let id = self.slot(path);
            let bands = self.stored.get(path).and_then(|s| s.bands.clone());
            if let (Some(index), Some(bands)) = (&mut self.near, bands) {
                index.insert_bands(id, &bands);
            }
        }
    }

    /// Follows an article whose file moved (a date filled in).
    pub(super) fn moved(&mut self, from: &Path, to: &Path) {
        if from == to {
            return;
        }
        if let Some(article) = self.by_path.remove(from) {
            self.by_path.insert(to.to_path_buf(), article);
        }
        if let Some(summary) = self.stored.remove(from) {
            self.stored.insert(to.to_path_buf(), summary);
            if let Some(at) = self.order.iter().position(|p| p == from) {
                self.order[at] = to.to_path_buf();
            }
        }
        for path in self.by_fingerprint.values_mut() {
            if path == from {
                *path = to.to_path_buf();
            }
        }
        if let Some(id) = self.slot_of.remove(from) {
            self.slots[id] = to.to_path_buf();
            self.slot_of.insert(to.to_path_buf(), id);
        }
    }

    /// The spellings of terms the site already uses: the rules' names, then
    /// every article's topics and tags, so that an input's `aktuell` joins
    /// the `Aktuelles` already there.
    pub(super) fn spellings(&self, classifier: &Classifier, site_language: &str) -> terms::Spellings {
        let mut spellings = terms::Spellings::default();
        for name in classifier.rule_names() {
            spellings.learn(name, Some(site_language));
        }
        // Each spelling once: a term is stemmed to learn it, and an archive
        // repeats its terms thousands of times.
        let mut seen = std::collections::HashSet::new();
        for summary in self.order.iter().filter_map(|p| self.stored.get(p)) {
            for term in summary.topics.iter().chain(&summary.tags) {
                if seen.insert((term.as_str(), summary.language.as_deref())) {
                    spellings.learn(term, summary.language.as_deref());
                }
            }
        }
        spellings
    }

    /// Whether `path` is taken, by a file this index knows or one on disk
    /// that it could not parse (which must not be overwritten either).
    pub(super) fn taken(&self, path: &Path) -> bool {
        self.stored.contains_key(path) || path.exists()
    }

    /// Reads an article that appeared at `path` after the index was made.
    /// Returns `path` when it is the story with `fingerprint`.
    pub(super) fn learn(&mut self, path: &Path, fingerprint: &str) -> Option<PathBuf> {
        let (article, _) = read(path, &self.rules)?;
        let same = article.front.fingerprint.as_deref() == Some(fingerprint);
        if let Some(fp) = &article.front.fingerprint {
            self.by_fingerprint
                .entry(fp.clone())
                .or_insert_with(|| path.to_path_buf());
        }
        self.add(path, Summary::of(&article, None));
        self.by_path.insert(path.to_path_buf(), article);
        self.index(path);
        same.then(|| path.to_path_buf())
    }
}

/// The article at `path`, as a build would read it, with its file's stamp.
fn read(path: &Path, rules: &Rules) -> Option<(Article, Stamp)> {
    let (article, meta) = load_one(path, rules).ok()?;
    Some((article, stamp_of(path, &meta)))
}
