//! The first phase: list the article files and their stamps, and read
//! those the manifest does not already know. Decides whether anything
//! changed at all, and whether only article bodies did ([`super::edits`]).

use std::path::{Path, PathBuf};

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
        searched: Option<Box<Searched>>,
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
    /// Where pages are, for the sitemap an edit of terms brings up to date.
    pub urls: &'a crate::site::Urls,
    /// The paths the caller saw change since the build that made
    /// `out`, when it watched them all (`blatt serve`).
    pub changed: Option<&'a [PathBuf]>,
}

/// Stamps of every article file, in walk order: the previous build's
/// brought up to date where the caller says what changed since (see
/// [`restamp`](super::restamp)), else a walk's.
/// Links not followed are among the problems, as warnings.
fn stamps(
    site: &Site,
    links: &Links,
    previous: Option<&Manifest>,
    changed: Option<&[PathBuf]>,
) -> (Vec<Stamp>, Vec<FileError>, Walked) {
    let dir = site.content_dir();
    // A watcher names `content/`'s files below the canonical site root,
    // as `content/` is reached from there: through a link, that is not
    // where the files are, so such a site is walked.
    let real_folder = std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir());
    if let Some((manifest, changed)) = previous.zip(changed).filter(|_| real_folder) {
        let told = site.root.canonicalize().ok().and_then(|root| {
            let canonical = root.join("content");
            super::restamp::restamped(&manifest.head.stamps, &dir, &canonical, &root, changed)
        });
        if let Some(stamps) = told {
            return (stamps, Vec::new(), Walked::No);
        }
    }
    if !dir.exists() {
        return (Vec::new(), Vec::new(), Walked::Yes);
    }
    let found = crate::content::walk::markdown_stamps(&dir, links);
    let errors = found.errors.into_iter().chain(found.skipped).collect();
    (found.stamps, errors, Walked::Yes)
}

/// Whether [`stamps`] walked `content/`, for the timings.
#[derive(PartialEq)]
enum Walked {
    Yes,
    No,
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
    let (stamps, mut errors, walked) = stamps(site, links, previous, inputs.changed);
    // A file that cannot be read must not hide the errors of the others:
    // read every article that can be, so that one run reports them all.
    let complete = errors.iter().all(|e| e.problem.is_warning());
    timings.done(match walked {
        Walked::Yes => "  stat every source",
        Walked::No => "  stat the sources told",
    });
    if let Some(manifest) = previous.filter(|_| complete) {
        let head = &manifest.head;
        let due = head.next_due.is_some_and(|d| Utc::now().timestamp() >= d);
        if head.config == inputs.config && head.statics == inputs.statics && !due {
            if head.stamps == stamps {
                return (Scan::Unchanged, stamps, errors);
            }
            let plan = edits::plan(manifest, &stamps, &site.config, inputs);
            timings.done("  plan edits");
            match plan {
                Ok(plan) => return (Scan::Edits(Box::new(plan)), stamps, errors),
                Err(why) => timings.note(&format!("  not the edit path: {why}")),
            }
        }
    }
    // Something changed: only now is the per-article part of the manifest needed.
    let mut tail = previous.and_then(Manifest::tail);
    // Readings stored under another time zone or heading rule are stale.
    let reading = crate::content::Rules::of(&site.config).reading();
    let same_reading = previous.is_some_and(|m| m.head.reading == reading);
    // Decided once for both uses of the stored readings below.
    let aligned = same_reading && tail.as_ref().is_some_and(|t| same_places(&t.sources, &stamps));
    let published = tail
        .as_ref()
        .map(|t| {
            published(
                t,
                site.config.timezone,
                same_reading.then_some(stamps.as_slice()),
                aligned,
            )
        })
        .unwrap_or_default();
    let searched = previous
        .filter(|m| m.head.config == inputs.config && site.config.search.enabled)
        .zip(tail.as_ref())
        .and_then(|(m, t)| searched(&m.head, t));
    timings.done("  read manifest tail");
    let (sources, words, replaced) = read(
        site,
        &stamps,
        tail.as_mut().filter(|_| same_reading),
        aligned,
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

/// Whether the stored reading at each place is of the file stamped at the
/// same place (no file added, removed or renamed since): then readings and
/// stamps are matched by place, where a map of 100 000 paths cost more than
/// comparing them in order. A name that is not UTF-8 never matches.
fn same_places(stored: &[ArticleFile], stamps: &[Stamp]) -> bool {
    stored.len() == stamps.len()
        && stored
            .par_iter()
            .zip(stamps)
            .all(|(s, stamp)| s.path.to_str() == Some(stamp.path.as_str()))
}

/// The articles of `tail` that its build published, as (file, site path):
/// those whose page it wrote. With `now` (the stamps of this build, whose
/// readings are those of `tail`), only the files changed since: an
/// unchanged file keeps its reading and so its site path, and cannot
/// have moved; working out 100 000 paths cost a title edit 30 ms.
/// `aligned`: the stamp at each place is of the reading at that place
/// ([`same_places`]).
fn published(
    tail: &Tail,
    tz: chrono_tz::Tz,
    now: Option<&[Stamp]>,
    aligned: bool,
) -> Vec<(std::path::PathBuf, String)> {
    let aligned = now.filter(|_| aligned);
    let by_path: Option<foldhash::HashMap<&str, (u64, i128)>> = now
        .filter(|_| aligned.is_none())
        .map(|stamps| stamps.iter().map(|s| (s.path.as_str(), (s.size, s.mtime))).collect());
    let changed = |k: usize, s: &ArticleFile| match (aligned, &by_path) {
        (Some(stamps), _) => (stamps[k].size, stamps[k].mtime) != (s.size, s.mtime),
        // A name that is not UTF-8 is never reused (`read`).
        (None, Some(now)) => s
            .path
            .to_str()
            .is_none_or(|p| now.get(p).is_some_and(|&stamp| stamp != (s.size, s.mtime))),
        (None, None) => true,
    };
    tail.sources
        .iter()
        .enumerate()
        .filter(|&(k, s)| changed(k, s))
        .map(|(_, s)| s)
        .filter_map(|s| {
            let path = format!("{}/", crate::content::file::url_path_of(&s.front, &s.path, tz));
            let file = crate::site::output_file(&path);
            let written = tail.outputs.binary_search_by(|o| (*o.path).cmp(file.as_str())).is_ok();
            written.then(|| (s.path.clone(), path))
        })
        .collect()
}

/// The articles of the search index of the build that recorded `head`
/// (its published articles), oldest first, as (file, hash), with their
/// search ids.
fn searched(head: &super::state::manifest::Head, tail: &Tail) -> Option<Box<Searched>> {
    let order = &head.index.order;
    let ids = head.search_ids.ids(order.len())?;
    let articles = order
        .iter()
        .rev()
        .map(|&id| tail.sources.get(id as usize).map(|s| (s.path.clone(), s.hash)))
        .collect::<Option<_>>()?;
    Some(Box::new((articles, ids)))
}

/// The last build's search index: its articles, oldest first, as (file,
/// hash), and their ids.
pub(super) type Searched = (Vec<(std::path::PathBuf, u128)>, Vec<u32>);

/// The sources of `results` (in their order): those taken from `stored`
/// (`Ok(Ok(i))`, `i` increasing) and those read now (`Ok(Err(_))`, taken
/// by `read`), built in `stored`'s memory. The stored ones not reused are
/// taken out, the list lengthened by fillers, and filled from its end, so
/// that only sources after the first one added move. Moving 100 000
/// readings into a new list took fresh memory the kernel zeroes first, a
/// tenth of a build that adds an article. Errors go to `failed`, last
/// file first.
fn merge_in_place<R>(
    mut stored: Vec<ArticleFile>,
    results: Vec<Result<Result<usize, R>, Vec<FileError>>>,
    mut read: impl FnMut(R) -> ArticleFile,
    failed: &mut Vec<Vec<FileError>>,
) -> Vec<ArticleFile> {
    let mut kept = vec![false; stored.len()];
    for r in &results {
        if let Ok(Ok(i)) = r {
            kept[*i] = true;
        }
    }
    let mut at = 0;
    stored.retain(|_| {
        at += 1;
        kept[at - 1]
    });
    let mut from = stored.len();
    let total = results.iter().filter(|r| r.is_ok()).count();
    stored.resize_with(total, super::state::manifest::source_filler);
    let mut to = total;
    for r in results.into_iter().rev() {
        match r {
            Ok(Ok(_)) => {
                from -= 1;
                to -= 1;
                stored.swap(from, to);
            }
            Ok(Err(r)) => {
                to -= 1;
                stored[to] = read(r);
            }
            Err(e) => failed.push(e),
        }
    }
    stored
}

/// Whether `source` can share its URL with a file read now, whose slugs
/// are `slugs`. Sources taken from the manifest were read under the same
/// rules by a build that found no two of them at one URL, so two articles
/// at one URL include a file read now, and share its slug: only those
/// sources are checked, in their order, which finds the same duplicates
/// as checking all. Working out 100 000 URLs cost a title edit 4 % of
/// its time.
fn only_fresh_slugs(source: &ArticleFile, slugs: &foldhash::HashSet<String>) -> bool {
    match &source.front.slug {
        Some(slug) => slugs.contains(slug.as_str()),
        None => slugs.contains(&source.slug()),
    }
}

/// Every article, without a manifest (for `blatt check`).
pub(super) fn scan_all(site: &Site, links: &Links) -> (Vec<ArticleFile>, Vec<Stamp>, Vec<FileError>) {
    let (stamps, mut errors, _) = stamps(site, links, None, None);
    let (sources, _, _) = read(site, &stamps, None, false, false, &mut errors);
    (sources, stamps, errors)
}

/// Reads the articles of `stamps`, or takes them from `tail` where their
/// stamp is the recorded one; adds the problems found to `errors`, sorted,
/// with those of articles sharing a URL. With `words`, also the search
/// words of the articles read, by file hash, so that the search index
/// does not read their bodies a second time. When every file is where
/// `tail` has it, also the readings of `tail` that the files read again
/// replace: what an edit changed in their front matter tells the record
/// which stored related articles still hold. `aligned`: the stamp at each
/// place is of `tail`'s reading at that place ([`same_places`]).
fn read(
    site: &Site,
    stamps: &[Stamp],
    tail: Option<&mut Tail>,
    aligned: bool,
    words: bool,
    errors: &mut Vec<FileError>,
) -> (Vec<ArticleFile>, FreshWords, Option<Vec<ArticleFile>>) {
    let tz = site.config.timezone;
    let rules = crate::content::Rules::of(&site.config);
    let mut stored: Vec<ArticleFile> = tail.map(|t| std::mem::take(&mut t.sources)).unwrap_or_default();
    // Which stored source each stamp can reuse, found in parallel without
    // a lock; a file name that is not UTF-8 is never reused.
    let aligned = aligned && stored.len() == stamps.len();
    let known: foldhash::HashMap<&str, usize> = if aligned {
        foldhash::HashMap::default()
    } else {
        stored
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((s.path.to_str()?, i)))
            .collect()
    };
    // Ok(Ok(i)): the stored source i; Ok(Err(source)): read now.
    type Read = (ArticleFile, Option<Vec<u8>>);
    let results: Vec<Result<Result<usize, Read>, Vec<FileError>>> = stamps
        .par_iter()
        .enumerate()
        .map(|(k, stamp)| {
            let at = if aligned {
                Some(k)
            } else {
                known.get(stamp.path.as_str()).copied()
            };
            // A source kept by an earlier build meets today's limits, or is read again.
            let reusable = at.filter(|&i| {
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
    // The slugs of the files read now, when some were taken from the
    // manifest: see [`only_fresh_slugs`].
    let reused = results.iter().any(|r| matches!(r, Ok(Ok(_))));
    let mut read_slugs: Option<foldhash::HashSet<String>> = reused.then(Default::default);
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
    // Otherwise, when the files taken from the stored list keep their
    // order (articles added or removed, none renamed into another place),
    // that list becomes the sources with the others taken out and the new
    // ones put in, within its memory: see [`merge_in_place`].
    let in_order = !in_place
        && results
            .iter()
            .filter_map(|r| match r {
                Ok(Ok(i)) => Some(*i),
                _ => None,
            })
            .is_sorted_by(|a, b| a < b);
    let mut replaced = None;
    let sources = if in_order {
        let mut failed = Vec::new();
        let sources = merge_in_place(
            stored,
            results,
            |(source, words)| {
                fresh.extend(words.map(|w| (source.hash, w)));
                if let Some(slugs) = &mut read_slugs {
                    slugs.insert(source.slug());
                }
                source
            },
            &mut failed,
        );
        for mut e in failed.into_iter().rev() {
            errors.append(&mut e);
        }
        sources
    } else if in_place {
        let mut old = Vec::new();
        for (k, r) in results.into_iter().enumerate() {
            if let Ok(Err((source, words))) = r {
                fresh.extend(words.map(|w| (source.hash, w)));
                if let Some(slugs) = &mut read_slugs {
                    slugs.insert(source.slug());
                }
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
                    if let Some(slugs) = &mut read_slugs {
                        slugs.insert(source.slug());
                    }
                    sources.push(source);
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        sources
    };
    errors.extend(duplicate_urls(
        sources
            .iter()
            .filter(|s| read_slugs.as_ref().is_none_or(|slugs| only_fresh_slugs(s, slugs)))
            .map(|s| (s.path.as_path(), s.url_path(tz))),
    ));
    errors.sort_by(|a, b| a.location.cmp(&b.location));
    (sources, fresh, replaced)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(name: &str) -> ArticleFile {
        let mut s = super::super::state::manifest::source_filler();
        s.path = name.into();
        s
    }

    fn names(sources: &[ArticleFile]) -> Vec<String> {
        sources.iter().map(|s| s.path.display().to_string()).collect()
    }

    #[test]
    fn merging_in_place_takes_out_the_stored_not_reused_and_puts_the_read_in_order() {
        let stored: Vec<ArticleFile> = ["b", "c", "d", "e"].map(source).into();
        let error = || {
            vec![FileError::new(
                crate::Location::file("x"),
                crate::Problem::Read(crate::error::ReadProblem::NameNotUtf8),
            )]
        };
        // a (new), b, c gone, c2 (new), d, unreadable, e gone, f (new).
        let results = vec![
            Ok(Err("a")),
            Ok(Ok(0)),
            Ok(Err("c2")),
            Ok(Ok(2)),
            Err(error()),
            Ok(Err("f")),
        ];
        let mut failed = Vec::new();
        let merged = merge_in_place(stored, results, source, &mut failed);
        assert_eq!(names(&merged), ["a", "b", "c2", "d", "f"]);
        assert_eq!(failed.len(), 1);
    }
}
