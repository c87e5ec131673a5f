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

mod commit;
mod edits;
mod plan;
mod record;
mod render;
mod scan;
pub mod state;
mod timings;

use std::collections::HashMap;
use std::path::PathBuf;

use crate::config::Site;
use crate::error::{Error, FileError};
use crate::output::build_dir;
use crate::output::{journal, place};
use plan::{Plan, Recorded};
use state::manifest::{Counts, Manifest};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The output folder; `public/` in the site by default.
    pub out: PathBuf,
    /// Overrides `base_url` from `site.yaml`; the caller checks it
    /// ([`crate::config::is_base_url`]), as the command line does.
    pub base_url: Option<String>,
    pub drafts: bool,
    pub future: bool,
}

impl BuildOptions {
    pub fn for_site(site: &Site) -> BuildOptions {
        BuildOptions {
            out: site.root.join("public"),
            base_url: None,
            drafts: false,
            future: false,
        }
    }
}

/// How a build reached its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Everything rendered into a fresh folder, swapped in.
    Full,
    /// Changed outputs rendered and updated in place.
    Incremental,
    /// Only article bodies changed: their pages and the feeds that show
    /// them rendered from the manifest's index, and updated in place.
    BodyEdits,
    /// Nothing had changed; nothing was read or written.
    Unchanged,
}

/// What a build made.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub articles: usize,
    pub topics: usize,
    pub tags: usize,
    /// HTML pages.
    pub pages: usize,
    /// Outputs rendered by this build.
    pub rendered: usize,
    /// Files whose bytes changed (the rest kept their modification time).
    pub written: usize,
    pub mode: Mode,
    pub out: PathBuf,
    /// Symbolic links not followed.
    pub warnings: Vec<FileError>,
    /// Articles whose URL this build found changed, as (old link, new
    /// link): a redirect page now stands at the old one.
    pub redirected: Vec<(String, String)>,
    /// Old URLs of articles whose redirect a new page took.
    pub redirects_dropped: Vec<String>,
}

impl BuildReport {
    fn new(counts: Counts, rendered: usize, written: usize, mode: Mode, out: &std::path::Path) -> BuildReport {
        BuildReport {
            articles: counts.articles,
            topics: counts.topics,
            tags: counts.tags,
            pages: counts.pages,
            rendered,
            written,
            mode,
            out: out.to_path_buf(),
            warnings: Vec::new(),
            redirected: Vec::new(),
            redirects_dropped: Vec::new(),
        }
    }
}

/// Builds the site into `options.out`. On any error the previous output is
/// left untouched and every error is returned.
pub fn build(site: &Site, options: &BuildOptions, progress: &(dyn Fn() + Sync)) -> Result<BuildReport, Error> {
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
    let mut report = build_into(site, &resolved, progress, &mut warnings)?;
    report.out = options.out.clone();
    report.warnings = warnings;
    Ok(report)
}

/// [`build`] into `options.out`, a folder that is no symbolic link; links
/// not followed go to `warnings`.
fn build_into(
    site: &Site,
    options: &BuildOptions,
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
    timings.done("manifest head");
    let plan = plan::prepare(site, options, previous.as_ref(), warnings).map_err(|f| Error::Files(f.errors))?;
    timings.done("scan, read, index");
    let (mut prepared, tail, lazy, edited) = match plan {
        Plan::Unchanged => {
            let counts = previous.map(|m| m.head.counts).unwrap_or_default();
            return Ok(BuildReport::new(counts, 0, 0, Mode::Unchanged, out));
        }
        Plan::Whole(prepared, tail) => (prepared, tail, None, None),
        Plan::Edits(prepared, lazy, edited) => (prepared, None, Some(lazy), Some(edited)),
    };
    let all = plan::signed_outputs(&prepared, site);
    timings.done("signatures");
    let recorded = match (&lazy, &tail) {
        (Some(lazy), _) => Recorded::Lazy(lazy),
        (None, Some(t)) => Recorded::All(t.outputs.iter().map(|o| (o.path.as_ref(), o)).collect()),
        (None, None) => Recorded::None,
    };
    // In place: only what changed is rendered, when the manifest describes
    // an output made with the same settings and templates.
    let same_config = previous.as_ref().is_some_and(|m| m.head.config == prepared.config);
    let articles = previous.as_ref().map_or(0, |m| m.head.counts.articles);
    let work = recorded.work(&all, same_config, site.config.build.atomic_for(articles));
    let writes: Vec<String> = work.which.iter().flat_map(|&o| all[o].files.iter().cloned()).collect();
    let staged = commit::begin(work.strategy, out, &writes, work.deletes)?;
    timings.done("compare with manifest");
    let in_place = !matches!(work.mode, Mode::Full);
    let sink = |f: render::RenderedFile| {
        let (previous, known) = recorded.previous(f.rel, f.hash);
        // A new output where someone else's file is: a full build's swap
        // finds it (`Commit::commit`), an update in place must look.
        if let Some(theirs) = (in_place && !known)
            .then(|| build_dir::in_the_way(out, f.rel))
            .flatten()
        {
            return Err(FileError::new(crate::Location::file(theirs), crate::Problem::NotBlatts));
        }
        staged.stage(f.rel, f.bytes, previous).map_err(|e| {
            FileError::new(
                crate::Location::file(out.join(f.rel)),
                crate::Problem::Write(e.to_string()),
            )
        })
    };
    let (which, mode) = (work.which, work.mode);
    let mut rendered = render::render(&prepared, site, options, &all, &which, &sink, progress);
    timings.done("render and stage");
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
        Mode::BodyEdits | Mode::Unchanged => HashMap::new(),
    };
    if !rendered.errors.is_empty() {
        return Err(Error::Files(rendered.errors));
    }
    let generation = rand::random::<u64>().max(1);
    let (manifest, counts) = match (&previous, edited) {
        (Some(m), Some(edited)) => (
            record::patched_head(&m.head, &prepared, site, &all, &rendered, edited, generation),
            m.head.counts,
        ),
        _ => (
            record::manifest(&prepared, site, &all, &recorded, &rendered, body_links, generation),
            record::counts(&prepared),
        ),
    };
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
    timings.done("record and commit");
    drop(recorded);
    std::mem::replace(&mut prepared.words, plan::WordsUpdate::None).keep(out);
    // Freeing the metadata of 100 000 articles takes a noticeable part of
    // a small rebuild; nobody waits for it.
    std::thread::spawn(move || drop((prepared, all, tail)));
    let mut report = BuildReport::new(counts, rendered.files.len(), written, mode, out);
    report.redirected = redirected;
    report.redirects_dropped = redirects_dropped;
    Ok(report)
}

/// What `blatt check` found.
#[derive(Debug)]
pub struct CheckReport {
    /// Articles that loaded without error.
    pub articles: usize,
    pub errors: Vec<FileError>,
    /// Symbolic links not followed.
    pub warnings: Vec<FileError>,
}

/// Everything a build would do, drafts and future articles included, with
/// nothing written: content, templates, every page rendered, every link checked.
pub fn check(site: &Site, progress: &(dyn Fn() + Sync)) -> CheckReport {
    let mut options = BuildOptions::for_site(site);
    options.drafts = true;
    options.future = true;
    let mut warnings = Vec::new();
    match plan::prepare_all(site, &options, &mut warnings) {
        Err(failed) => CheckReport {
            articles: failed.loaded,
            errors: failed.errors,
            warnings,
        },
        Ok(prepared) => {
            let all = plan::signed_outputs(&prepared, site);
            let which: Vec<usize> = (0..all.len()).collect();
            let rendered = render::render(&prepared, site, &options, &all, &which, &|_| Ok(()), progress);
            CheckReport {
                articles: prepared.index.entries.len(),
                errors: rendered.errors,
                warnings,
            }
        }
    }
}
