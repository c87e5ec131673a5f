//! `blatt build` and `blatt check`: the one orchestrator of the build's
//! phases. Nothing reaches the output folder unless everything succeeded.
//!
//! 1. [`scan`]: list the article files; read those the manifest does not
//!    know ([`state::manifest`]); tell whether nothing changed, or only
//!    article bodies did ([`edits`]).
//! 2. [`plan`]: index the site, make the search data, list every output
//!    with its signature ([`crate::render::outputs`]), and compare with the
//!    manifest: an output whose signature it recorded is not rendered.
//! 3. [`render`]: render what changed in parallel, checking every link.
//! 4. [`commit`]: make it the output — a fresh folder swapped in, or an
//!    update in place ([`commit::Strategy`]).
//! 5. [`record`]: the manifest for the next build, committed with the output.
//!
//! Either way the result is byte for byte the output of a clean build.

mod check;
mod commit;
mod edits;
mod plan;
mod record;
mod render;
mod report;
mod restamp;
mod scan;
mod search_index;
pub mod state;
mod timings;

pub use check::{CheckReport, check};
pub use report::{BuildOptions, BuildReport, Mode};

use std::collections::HashMap;

use crate::config::Site;
use crate::error::{Error, FileError};
use crate::output::build_dir;
use crate::output::{journal, place};
use plan::{Plan, Recorded};
use state::manifest::Manifest;
pub use state::warm::Warm;

/// Builds the site into `options.out`. On any error the previous output is
/// left untouched and every error is returned.
pub fn build(site: &Site, options: &BuildOptions, progress: &(dyn Fn() + Sync)) -> Result<BuildReport, Error> {
    build_knowing(site, options, None, None, progress)
}

/// [`build`], told by a caller that watched the site which paths changed
/// since it last built into `options.out` (every path, as a watcher of the
/// canonical site root names them, none in a folder reached through a
/// link): the articles' stamps are then the last build's, asked again only
/// for those paths, instead of a walk of `content/`. `None`: walk.
///
/// With `warm`, the build takes the records the last build in it left
/// (when they are those of the manifest it finds) instead of decoding the
/// manifest's tail, and leaves its own there for the next.
pub fn build_knowing(
    site: &Site,
    options: &BuildOptions,
    changed: Option<&[std::path::PathBuf]>,
    warm: Option<&mut Warm>,
    progress: &(dyn Fn() + Sync),
) -> Result<BuildReport, Error> {
    // Where the build writes is settled before anything is read or written,
    // so that a refused build leaves no trace.
    let out = place::resolve(&options.out)?;
    let sources = ["content", "static", "templates"].map(|d| site.root.join(d));
    let through_link = std::fs::symlink_metadata(&options.out).is_ok_and(|m| m.file_type().is_symlink());
    place::check_apart(&out, &site.root, &sources, through_link)?;
    build_dir::check_replaceable(&out)?;
    build_dir::recover(&out);
    let resolved = BuildOptions { out, ..options.clone() };
    let mut warnings = Vec::new();
    let mut report = build_into(site, &resolved, changed, warm, progress, &mut warnings)?;
    report.out = options.out.clone();
    report.warnings = warnings;
    let urls = crate::site::Urls::new(&site.config, options.base_url.as_deref());
    report.robots_off_root = (urls.base_path() != "/").then(|| urls.absolute("robots.txt"));
    Ok(report)
}

/// Outputs a render must have made before the memory it freed is worth
/// handing back (`BuildOptions::release_memory`).
pub(super) const RELEASE_AFTER: usize = 1_000;

/// [`build`] into `options.out`, a folder that is no symbolic link; links
/// not followed go to `warnings`.
fn build_into(
    site: &Site,
    options: &BuildOptions,
    changed: Option<&[std::path::PathBuf]>,
    mut warm: Option<&mut Warm>,
    progress: &(dyn Fn() + Sync),
    warnings: &mut Vec<FileError>,
) -> Result<BuildReport, Error> {
    let mut timings = timings::Timings::new();
    let out = &options.out;
    journal::recover(out).map_err(|e| Error::io(journal::path_for(out), e))?;
    let previous = out
        .is_dir()
        .then(|| Manifest::load(out, build_dir::marker_generation(out)))
        .flatten();
    // Taken whatever happens: a build that fails after taking them leaves
    // the next one to read the tail from disk.
    let kept = warm
        .as_deref_mut()
        .zip(previous.as_ref())
        .and_then(|(w, m)| w.take(m.key()).map(|t| m.warm_with(t)));
    timings.done(match kept {
        Some(()) => "manifest head (its records kept in memory)",
        None => "manifest head",
    });
    let plan =
        plan::prepare(site, options, previous.as_ref(), changed, warnings).map_err(|f| Error::Files(f.errors))?;
    timings.done("scan, read, index");
    let (mut prepared, mut tail, lazy, edited) = match plan {
        Plan::Unchanged => {
            // Nothing written: what was kept still goes with the manifest.
            if let Some((w, m)) = warm.zip(previous.as_ref())
                && let Some(tail) = m.take_warm()
            {
                w.keep(m.key(), tail);
            }
            let counts = previous.map(|m| m.head.counts).unwrap_or_default();
            return Ok(BuildReport::new(counts, 0, 0, Mode::Unchanged, out));
        }
        Plan::Whole(prepared, tail) => (prepared, tail, None, None),
        Plan::Edits(prepared, lazy, record) => (prepared, None, Some(lazy), Some(record)),
    };
    let mut all = plan::signed_outputs(&mut prepared, site);
    timings.done("signatures");
    let recorded = match (&lazy, &tail) {
        (Some(lazy), _) => Recorded::Lazy(lazy),
        (None, Some(t)) => Recorded::All(&t.outputs),
        (None, None) => Recorded::None,
    };
    // In place: only what changed is rendered, when the manifest describes
    // an output made with the same settings and templates.
    let same_config = previous.as_ref().is_some_and(|m| m.head.config == prepared.config);
    let mut work = recorded.work(&all, same_config, site.config.build.atomic() && !options.preview);
    // The files a rebuild after edits no longer makes (`edits::EditPlan::gone`).
    if let Some(edited) = &edited {
        work.deletes.extend(edited.gone.iter().cloned());
    }
    let writes: Vec<String> = work.which.iter().flat_map(|&o| all[o].files.iter().cloned()).collect();
    let deletes = work.deletes.clone();
    let in_place = !matches!(work.strategy, commit::Strategy::Full);
    // Everything rendered in place: a file the manifest knows but the
    // output lacks (deleted by hand) is written again, as a swapped-in
    // folder would have it (at the cost of a stat per unchanged file).
    let restore = in_place && work.mode == Mode::Full;
    let staged = commit::begin(work.strategy, out, &writes, work.deletes, !options.preview)?;
    timings.done("compare with manifest");
    let sink = |f: render::RenderedFile| {
        let (mut previous, known) = recorded.previous(f.rel, f.hash);
        if restore && previous == build_dir::Previous::Same && std::fs::symlink_metadata(out.join(f.rel)).is_err() {
            previous = build_dir::Previous::Different;
        }
        // A new output where someone else's file is: a full build's swap
        // finds it (`Commit::commit`), an update in place must look.
        if let Some(theirs) = (in_place && !known)
            .then(|| build_dir::in_the_way(out, f.rel))
            .flatten()
        {
            return Err(FileError::new(
                crate::Location::file(theirs),
                crate::Problem::Write(crate::error::WriteProblem::NotBlatts),
            ));
        }
        staged.stage(f.rel, f.bytes, previous).map_err(|e| {
            FileError::new(
                crate::Location::file(out.join(f.rel)),
                crate::Problem::Write(crate::error::WriteProblem::Io(e.into())),
            )
        })
    };
    let (which, mode) = (work.which, work.mode);
    let mut rendered = render::render(&prepared, site, options, &all, &which, &sink, progress);
    timings.done("render and stage");
    // A render of a few pages frees little, while asking every worker
    // thread to hand its memory back costs milliseconds of a small rebuild.
    if let Some(release) = options.release_memory.filter(|_| which.len() >= RELEASE_AFTER) {
        release();
        timings.done("memory released");
    }
    let body_links: HashMap<String, Vec<String>> = match mode {
        // Body links of pages not rendered again must still lead somewhere.
        Mode::Incremental => {
            let mut kept = tail
                .as_ref()
                .map(|t| t.body_links.iter().map(|b| (b.page.clone(), b.links.clone())).collect())
                .unwrap_or_default();
            render::check_kept_body_links(&prepared, site, &all, &which, &mut kept, &mut rendered);
            kept
        }
        Mode::Full => rendered.body_links.drain(..).map(|b| (b.page, b.links)).collect(),
        // Recorded in the patch from what was rendered.
        Mode::Edits | Mode::Unchanged => HashMap::new(),
    };
    if !rendered.errors.is_empty() {
        return Err(Error::Files(rendered.errors));
    }
    // Records kept in memory that a rebuild after body edits brings up to
    // date with the records it adds to the head.
    let mut patched_warm = None;
    let (manifest, counts) = match (previous, edited) {
        (Some(m), Some(edited)) => {
            let counts = edited.reordered.as_ref().map_or(m.head.counts, |h| h.counts);
            let kept = warm.is_some().then(|| m.take_warm()).flatten();
            let (head, patch) = record::patched_head(
                m.head,
                &mut prepared,
                site,
                &all,
                &recorded,
                &rendered,
                edited,
                kept.is_some(),
            );
            patched_warm = kept.zip(patch);
            (head, counts)
        }
        (Some(m), None) if mode == Mode::Incremental => {
            let patched = tail.as_ref().and_then(|t| {
                record::patched_manifest(
                    &m.head,
                    &t.body_links,
                    &prepared,
                    site,
                    &all,
                    &which,
                    &deletes,
                    &recorded,
                    &rendered,
                    &body_links,
                )
            });
            (
                patched.unwrap_or_else(|| {
                    record::manifest(&prepared, site, &all, &recorded, &rendered, &body_links, Some(&m.head))
                }),
                record::counts(&prepared),
            )
        }
        (previous, _) => (
            record::manifest(
                &prepared,
                site,
                &all,
                &recorded,
                &rendered,
                &body_links,
                previous.as_ref().map(|m| &m.head),
            ),
            record::counts(&prepared),
        ),
    };
    timings.done("record");
    let redirected: Vec<(String, String)> = prepared
        .new_moves
        .iter()
        .filter(|(from, _)| prepared.outputs.moved.iter().any(|(kept, _)| kept == from))
        .map(|(from, to)| (prepared.urls.href(from), prepared.urls.href(to)))
        .collect();
    let redirects_dropped: Vec<String> = prepared.outputs.dropped.iter().map(|d| prepared.urls.href(d)).collect();
    let written = staged.written();
    // Which files of the output the previous build made: the others are kept.
    let made = |rel: &str| recorded.get(rel).is_some();
    staged.commit(&manifest, tail.is_some().then_some(&made))?;
    timings.done("commit");
    if let Some(w) = warm {
        let key = state::warm::key(&manifest.head);
        match (patched_warm, lazy.is_some()) {
            (Some((kept, (patch, removed))), _) => w.keep_patched(key, kept, &patch, &removed),
            // Body edits with nothing kept: the next build reads the tail.
            (None, true) => {}
            (None, false) => {
                let files = std::mem::take(&mut rendered.files);
                let (all, before) = (std::mem::take(&mut all), tail.take());
                let sources = std::mem::take(&mut prepared.index.sources);
                w.keep_made(key, move || {
                    let recorded = before.as_ref().map_or(Recorded::None, |t| Recorded::All(&t.outputs));
                    let outputs = record::all_records(&all, &files, &recorded)
                        .into_iter()
                        .map(state::manifest::OutputRecord::into_owned)
                        .collect();
                    state::warm::Made {
                        sources,
                        outputs,
                        body_links: body_links
                            .into_iter()
                            .map(|(page, links)| state::manifest::BodyLinks { page, links })
                            .collect(),
                    }
                });
            }
        }
        timings.done("records kept in memory");
    }
    std::mem::replace(&mut prepared.words, plan::WordsUpdate::None).keep(out);
    // Freeing the metadata of 100 000 articles takes a noticeable part of
    // a small rebuild; nobody waits for it.
    std::thread::spawn(move || drop((prepared, all, tail)));
    let mut report = BuildReport::new(counts, rendered.outputs, written, mode, out);
    report.redirected = redirected;
    report.redirects_dropped = redirects_dropped;
    Ok(report)
}
