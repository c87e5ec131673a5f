//! The first phase: list the article files and their stamps, and read
//! those the manifest does not already know. Decides whether anything
//! changed at all, and whether only article bodies did ([`super::edits`]).

use std::path::Path;

use chrono::Utc;
use rayon::prelude::*;

use super::edits::{self, EditPlan};
use super::search_index::FreshWords;
use super::state::manifest::{Manifest, Tail};
use super::timings::Timings;
use crate::config::Site;
use crate::content::ArticleFile;
use crate::content::file::Stamp;
use crate::content::load::{Links, duplicate_urls};
use crate::error::FileError;
use crate::render::search;
use crate::site::Selection;

/// What the scan found.
pub(super) enum Scan {
    /// Nothing changed since the manifest: nothing to read.
    Unchanged,
    /// Only bodies changed: see [`edits`].
    Edits(Box<EditPlan>),
    /// Every article, and the previous build's records (if any), whose
    /// sources are no longer needed after the scan.
    Sources {
        sources: Vec<ArticleFile>,
        tail: Option<Tail>,
        /// The articles the last build published, as (file, site path).
        published: Vec<(std::path::PathBuf, String)>,
        /// The articles of the last build's search index by id (oldest
        /// first), as (file, hash), when it was made with the same
        /// settings: a rebuild changes only what differs.
        searched: Option<Vec<(std::path::PathBuf, u128)>>,
        /// The search words of the articles read now, taken while their
        /// body was at hand.
        words: FreshWords,
        /// The manifest's readings of the files read again, when every
        /// other file kept its place (see [`read`]).
        replaced: Option<Vec<ArticleFile>>,
    },
}

/// What a build's output depends on besides the articles: compared with
/// the manifest's to tell whether an unchanged content folder means an
/// unchanged site.
pub(super) struct Inputs<'a> {
    /// Fingerprint of site.yaml, templates, options and the program.
    pub config: u128,
    pub statics: &'a [Stamp],
    pub selection: Selection,
    pub out: &'a Path,
}

/// Stamps of every article file, in walk order.
/// Links not followed are among the problems, as warnings.
fn stamps(site: &Site, links: &Links) -> (Vec<Stamp>, Vec<FileError>) {
    let dir = site.content_dir();
    if !dir.exists() {
        return (Vec::new(), Vec::new());
    }
    let found = super::walk::markdown_stamps(&dir, links);
    let errors = found.errors.into_iter().chain(found.skipped).collect();
    (found.stamps, errors)
}

/// Lists the article files; reuses the manifest's reading of every file
/// whose size and modification time are unchanged.
pub(super) fn scan(
    site: &Site,
    links: &Links,
    previous: Option<&Manifest>,
    inputs: &Inputs,
) -> (Scan, Vec<Stamp>, Vec<FileError>) {
    let mut timings = Timings::new();
    let (stamps, mut errors) = stamps(site, links);
    // A file that cannot be read must not hide the errors of the others:
    // read every article that can be, so that one run reports them all.
    let complete = errors.iter().all(|e| e.problem.is_warning());
    timings.done("  stat every source");
    if let Some(manifest) = previous.filter(|_| complete) {
        let head = &manifest.head;
        let due = head.next_due.is_some_and(|d| Utc::now().timestamp() >= d);
        if head.config == inputs.config && head.statics == inputs.statics && !due {
            if head.stamps == stamps {
                return (Scan::Unchanged, stamps, errors);
            }
            let plan = edits::plan(manifest, &stamps, &site.config, inputs.selection, inputs.out);
            timings.done("  plan body edits");
            match plan {
                Ok(plan) => return (Scan::Edits(Box::new(plan)), stamps, errors),
                Err(why) => timings.note(&format!("  not body edits: {why}")),
            }
        }
    }
    // Something changed: only now is the per-article part of the manifest needed.
    let mut tail = previous.and_then(Manifest::tail);
    // Readings stored under another time zone or heading rule are stale.
    let reading = crate::content::Rules::of(&site.config).reading();
    let same_reading = previous.is_some_and(|m| m.head.reading == reading);
    let published = tail
        .as_ref()
        .map(|t| published(t, site.config.timezone, same_reading.then_some(stamps.as_slice())))
        .unwrap_or_default();
    let searched = previous
        .filter(|m| m.head.config == inputs.config && site.config.search.enabled)
        .zip(tail.as_ref())
        .and_then(|(m, t)| searched(&m.head.index.order, t));
    timings.done("  read manifest tail");
    let (sources, words, replaced) = read(
        site,
        &stamps,
        tail.as_mut().filter(|_| same_reading),
        site.config.search.enabled,
        &mut errors,
    );
    timings.done("  reuse or read sources");
    (
        Scan::Sources {
            sources,
            tail,
            published,
            searched,
            words,
            replaced,
        },
        stamps,
        errors,
    )
}

/// The articles of `tail` that its build published, as (file, site path):
/// those whose page it wrote. With `now` (the stamps of this build, whose
/// readings are those of `tail`), only the files changed since: an
/// unchanged file keeps its reading and so its site path, and cannot
/// have moved; working out 100 000 paths cost a title edit 30 ms.
fn published(tail: &Tail, tz: chrono_tz::Tz, now: Option<&[Stamp]>) -> Vec<(std::path::PathBuf, String)> {
    let now: Option<foldhash::HashMap<&str, (u64, i128)>> =
        now.map(|stamps| stamps.iter().map(|s| (s.path.as_str(), (s.size, s.mtime))).collect());
    let changed = |s: &ArticleFile| match &now {
        None => true,
        // A name that is not UTF-8 is never reused (`read`).
        Some(now) => s
            .path
            .to_str()
            .is_none_or(|p| now.get(p).is_some_and(|&stamp| stamp != (s.size, s.mtime))),
    };
    tail.sources
        .iter()
        .filter(|s| changed(s))
        .filter_map(|s| {
            let path = format!("{}/", crate::content::file::url_path_of(&s.front, &s.path, tz));
            let file = crate::site::output_file(&path);
            let written = tail.outputs.binary_search_by(|o| (*o.path).cmp(file.as_str())).is_ok();
            written.then(|| (s.path.clone(), path))
        })
        .collect()
}

/// The articles of the search index of the build that recorded `order`
/// (its published articles, newest first) by id, oldest first, as (file,
/// hash).
fn searched(order: &[u32], tail: &Tail) -> Option<Vec<(std::path::PathBuf, u128)>> {
    order
        .iter()
        .rev()
        .map(|&id| tail.sources.get(id as usize).map(|s| (s.path.clone(), s.hash)))
        .collect()
}

/// Every article, without a manifest (for `blatt check`).
pub(super) fn scan_all(site: &Site, links: &Links) -> (Vec<ArticleFile>, Vec<Stamp>, Vec<FileError>) {
    let (stamps, mut errors) = stamps(site, links);
    let (sources, _, _) = read(site, &stamps, None, false, &mut errors);
    (sources, stamps, errors)
}

/// Reads the articles of `stamps`, or takes them from `tail` where their
/// stamp is the recorded one; adds the problems found to `errors`, sorted,
/// with those of articles sharing a URL. With `words`, also the search
/// words of the articles read, by file hash, so that the search index
/// does not read their bodies a second time. When every file is where
/// `tail` has it, also the readings of `tail` that the files read again
/// replace: what an edit changed in their front matter tells the record
/// which stored related articles still hold.
fn read(
    site: &Site,
    stamps: &[Stamp],
    tail: Option<&mut Tail>,
    words: bool,
    errors: &mut Vec<FileError>,
) -> (Vec<ArticleFile>, FreshWords, Option<Vec<ArticleFile>>) {
    let tz = site.config.timezone;
    let rules = crate::content::Rules::of(&site.config);
    let mut stored: Vec<ArticleFile> = tail.map(|t| std::mem::take(&mut t.sources)).unwrap_or_default();
    // Which stored source each stamp can reuse, found in parallel without
    // a lock; a file name that is not UTF-8 is never reused.
    let known: foldhash::HashMap<&str, usize> = stored
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((s.path.to_str()?, i)))
        .collect();
    // Ok(Ok(i)): the stored source i; Ok(Err(source)): read now.
    type Read = (ArticleFile, Option<Vec<u8>>);
    let results: Vec<Result<Result<usize, Read>, Vec<FileError>>> = stamps
        .par_iter()
        .map(|stamp| {
            // A source kept by an earlier build meets today's limits, or is read again.
            let reusable = known.get(stamp.path.as_str()).copied().filter(|&i| {
                let s = &stored[i];
                s.size == stamp.size && s.mtime == stamp.mtime && s.within(&rules.limits)
            });
            match reusable {
                Some(i) => Ok(Ok(i)),
                None => ArticleFile::read_then(Path::new(&stamp.path), &rules, |front, body| {
                    words.then(|| search::words_in(front, body).0)
                })
                .map(Err),
            }
        })
        .collect();
    drop(known);
    let mut fresh = FreshWords::default();
    // When every file is where the stored list has it (an edit that added,
    // removed and renamed nothing), that list becomes the sources with the
    // files read again put in their places: moving 100 000 readings into a
    // new list cost a tenth of a title edit.
    let in_place = stored.len() == results.len()
        && results.iter().enumerate().all(|(k, r)| match r {
            Ok(Ok(i)) => *i == k,
            Ok(Err(_)) => true,
            Err(_) => false,
        });
    let mut replaced = None;
    let sources = if in_place {
        let mut old = Vec::new();
        for (k, r) in results.into_iter().enumerate() {
            if let Ok(Err((source, words))) = r {
                fresh.extend(words.map(|w| (source.hash, w)));
                old.push(std::mem::replace(&mut stored[k], source));
            }
        }
        replaced = Some(old);
        stored
    } else {
        let mut stored: Vec<Option<ArticleFile>> = stored.into_iter().map(Some).collect();
        let mut sources = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok(Ok(i)) => sources.extend(stored[i].take()),
                Ok(Err((source, words))) => {
                    fresh.extend(words.map(|w| (source.hash, w)));
                    sources.push(source);
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        sources
    };
    errors.extend(duplicate_urls(
        sources.iter().map(|s| (s.path.as_path(), s.url_path(tz))),
    ));
    errors.sort_by(|a, b| a.location.cmp(&b.location));
    (sources, fresh, replaced)
}
