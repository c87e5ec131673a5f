//! The second phase: from what the scan found, everything a build knows
//! before it renders — templates, the index, the search data, every output
//! with its signature — and which outputs need rendering.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Utc;
use rayon::prelude::*;

use super::commit::Strategy;
use super::edits::{self, EditPlan};
use super::scan::{self, Inputs, Scan};
use super::search_index::{FreshWords, PreviousIndex, search_data};
use super::state::manifest::{LazyTail, Manifest, StoredOutput, Tail};
use super::state::word_cache::{StagedCache, WordCache};
use super::timings::Timings;
use super::{BuildOptions, Mode};
use crate::config::Site;
use crate::content::ArticleFile;
use crate::content::file::Stamp;
use crate::content::load::Links;
use crate::error::{FileError, Problem, RenderProblem};
use crate::output::build_dir::{MARKER, Previous};
use crate::render::context::SiteContext;
use crate::render::links::Planned;
use crate::render::locale::Lang;
use crate::render::outputs::redirect::Moved;
use crate::render::outputs::{Hash, OutputId, Outputs, Scope, Signatures, SiteParts, Statics};
use crate::render::templates::{TemplateText, Templates};
use crate::site::{Selection, SiteIndex, Urls};

/// Everything a build knows before it renders anything.
pub(super) struct Prepared {
    pub index: SiteIndex,
    pub urls: Urls,
    pub lang: Lang,
    pub templates: Templates,
    pub outputs: Outputs,
    /// Every file the build's output will have, for the link check.
    pub planned: Planned,
    /// The templates' `site` value, serialised: what every page shows.
    pub site_json: Vec<u8>,
    pub site_ctx: SiteContext,
    /// Fingerprint of site.yaml, templates, options and the program.
    pub config: u128,
    pub stamps: Vec<Stamp>,
    pub statics: Vec<Stamp>,
    /// What this build changes in the search word cache, once it commits.
    pub words: WordsUpdate,
    /// The links of `@/…` in bodies: by file below `content/`, the href of
    /// its article.
    pub content_urls: Arc<HashMap<String, String>>,
    /// Articles this build found moved, as (old path, new path).
    pub new_moves: Vec<(String, String)>,
    /// Every output with its files and signature, when the plan made them
    /// already (see [`signed_outputs`]).
    pub signed: Option<Vec<PlannedOutput>>,
    /// The previous build's readings of the files read again, when every
    /// other file kept its place: the record keeps the stored related
    /// articles of every article these changes cannot reach.
    pub replaced: Option<Vec<ArticleFile>>,
}

/// What a build changes in the search word cache: only a cache, so none of
/// it is kept unless the build succeeds, and none of it can fail a build.
pub(super) enum WordsUpdate {
    None,
    /// A whole new cache, written while the build ran (so that the words of
    /// 100 000 articles are not held through the render), put in place
    /// when the build commits.
    Whole(StagedCache),
    /// The words of articles a body edit changed (file hash, encoded words).
    Edits(Vec<(u128, Vec<u8>)>),
}

impl WordsUpdate {
    /// Keeps the update for the output `out`; a failure only costs the
    /// next build some reading.
    pub fn keep(self, out: &std::path::Path) {
        let _ = match self {
            WordsUpdate::None => Ok(()),
            WordsUpdate::Whole(staged) => staged.commit(),
            WordsUpdate::Edits(words) => WordCache::add_edits(out, &words),
        };
    }
}

impl Prepared {
    pub fn scope<'a>(&'a self, site: &'a Site) -> Scope<'a> {
        Scope {
            index: &self.index,
            urls: &self.urls,
            config: &site.config,
            lang: &self.lang,
        }
    }
}

/// What a build has to do.
pub(super) enum Plan {
    /// Nothing changed since the manifest.
    Unchanged,
    /// The whole site indexed; the previous build's records, if any.
    Whole(Prepared, Option<Tail>),
    /// Only bodies changed: a small index of what shows them ([`super::edits`]),
    /// the manifest's records, and the edited files for its patch.
    Edits(Prepared, Arc<LazyTail>, edits::Record),
}

/// A build that cannot go on: every problem found, and how many articles
/// did load.
pub(super) struct Failed {
    pub loaded: usize,
    pub errors: Vec<FileError>,
}

/// What the previous builds published: the URLs the state remembers, and
/// the articles of the last build, as (file, site path).
#[derive(Default)]
struct History {
    remembered: Vec<(String, String)>,
    published: Vec<(std::path::PathBuf, String)>,
    /// The last build's search index, when it can be brought up to date
    /// rather than made again.
    searched: Option<PreviousIndex>,
    /// The search words the scan took from the articles it read.
    words: FreshWords,
    /// See [`Prepared::replaced`].
    replaced: Option<Vec<ArticleFile>>,
}

impl History {
    /// Every URL a published article had and has no more, by its file: the
    /// remembered ones and those of the last build's articles that `index`
    /// places elsewhere; and the latter, as (old path, new path), for the report.
    fn moved(self, index: &SiteIndex) -> (Moved, Vec<(String, String)>) {
        let mut urls: Vec<(String, std::path::PathBuf)> = self
            .remembered
            .into_iter()
            .map(|(from, file)| (from, file.into()))
            .collect();
        let mut new = Vec::new();
        if self.published.is_empty() {
            return (Moved { urls }, new);
        }
        // The files the last build published, as far as they changed since:
        // only a few after an edit, so the map is of them, not of every
        // article (that one was 1.3 % of the samples of a profiled title
        // edit, bench corpus c100k, session 44). By the file name's bytes:
        // hashing a `Path` parses its components.
        let published: foldhash::HashMap<&std::ffi::OsStr, usize> = self
            .published
            .iter()
            .enumerate()
            .map(|(k, (file, _))| (file.as_os_str(), k))
            .collect();
        let mut now: Vec<Option<&str>> = vec![None; self.published.len()];
        for e in &index.entries {
            if let Some(&k) = published.get(index.source(e).path.as_os_str()) {
                now[k] = Some(e.path.as_str());
            }
        }
        let known: foldhash::HashSet<String> = urls.iter().map(|(from, _)| from.clone()).collect();
        for ((file, was), path) in self.published.into_iter().zip(now) {
            let Some(path) = path else {
                continue;
            };
            if was != path && !known.contains(&was) {
                new.push((was.clone(), path.to_string()));
                urls.push((was, file));
            }
        }
        (Moved { urls }, new)
    }
}

/// What every plan starts from: the site's settings, theme and static files.
struct Setup<'a> {
    site: &'a Site,
    options: &'a BuildOptions,
    lang: Lang,
    urls: Urls,
    template_texts: Vec<TemplateText>,
    statics: Statics,
    config: u128,
    /// Which symbolic links the walks of the site's folders follow.
    links: Links,
    errors: Vec<FileError>,
    /// Problems that do not stop the build: links not followed.
    warnings: Vec<FileError>,
}

impl<'a> Setup<'a> {
    fn new(site: &'a Site, options: &'a BuildOptions) -> Setup<'a> {
        let config = &site.config;
        let lang = Lang::new(&config.language, &config.labels);
        let urls = Urls::new(config, options.base_url.as_deref());
        let links = Links::for_site(&site.root, config.build.follow_symlinks);
        let (template_texts, template_problems) = Templates::read_theme(&site.root.join("templates"), &links);
        let (statics, static_problems) = Statics::discover(&site.root.join("static"), &links, config.search.enabled);
        let fingerprint = fingerprint(site, &template_texts, &urls, options);
        let mut setup = Setup {
            site,
            options,
            lang,
            urls,
            template_texts,
            statics,
            config: fingerprint,
            links,
            errors: Vec::new(),
            warnings: Vec::new(),
        };
        setup.note(template_problems);
        setup.note(static_problems);
        setup
    }

    /// Takes `problems` in: warnings apart from the errors that stop the build.
    fn note(&mut self, problems: Vec<FileError>) {
        for problem in problems {
            if problem.problem.is_warning() {
                self.warnings.push(problem);
            } else {
                self.errors.push(problem);
            }
        }
    }

    fn selection(&self) -> Selection {
        Selection {
            drafts: self.options.drafts,
            future: self.options.future,
            now: Utc::now(),
        }
    }

    /// The compiled templates, or every problem found so far.
    fn templates(&mut self, loaded: usize) -> Result<Templates, Failed> {
        let texts = std::mem::take(&mut self.template_texts);
        match Templates::compile(texts, &self.site.root.join("templates"), &self.lang) {
            Ok(t) if self.errors.is_empty() => Ok(t),
            Ok(_) => Err(self.failed(loaded)),
            Err(mut e) => {
                self.errors.append(&mut e);
                Err(self.failed(loaded))
            }
        }
    }

    fn failed(&mut self, loaded: usize) -> Failed {
        Failed {
            loaded,
            errors: std::mem::take(&mut self.errors),
        }
    }

    /// The plan for the whole site. `keep_words`: whether to stage a new
    /// search word cache (not for `blatt check`, which writes nothing).
    fn whole(
        mut self,
        sources: Vec<ArticleFile>,
        stamps: Vec<Stamp>,
        keep_words: bool,
        mut history: History,
    ) -> Result<Prepared, Failed> {
        let mut timings = Timings::new();
        let mut templates = self.templates(sources.len())?;
        let config = &self.site.config;
        let selection = self.selection();
        let index = SiteIndex::with_minimum(sources, config.timezone, selection, &config.min_articles);
        let searched = history.searched.take();
        let fresh = std::mem::take(&mut history.words);
        let replaced = history.replaced.take();
        let (moved, new_moves) = history.moved(&index);
        let (content_paths, missing) = index.content_links(&self.site.root.join("content"));
        if !missing.is_empty() {
            return Err(Failed {
                loaded: index.entries.len(),
                errors: missing
                    .into_iter()
                    .map(|(file, line, link)| {
                        FileError::new(
                            crate::error::Location::line(file, line),
                            Problem::Render(RenderProblem::MissingContentLink(link)),
                        )
                    })
                    .collect(),
            });
        }
        let content_urls: HashMap<String, String> = content_paths
            .into_iter()
            .map(|(file, path)| (file, self.urls.href(&path)))
            .collect();
        timings.done("  index");
        let scope = Scope {
            index: &index,
            urls: &self.urls,
            config,
            lang: &self.lang,
        };
        let out = &self.options.out;
        let (search, words) = if config.search.enabled {
            let previous = searched.as_ref();
            let (data, words) = search_data(&scope, out, keep_words, previous, fresh, self.options.release_memory)
                .map_err(|errors| Failed {
                    loaded: index.entries.len(),
                    errors,
                })?;
            (Some(data), words)
        } else {
            (None, WordsUpdate::None)
        };
        timings.done("  search index");
        let statics = self.statics.stamps();
        let parts = SiteParts {
            search,
            statics: self.statics,
            now: selection.now,
            moved,
        };
        let outputs = Outputs::for_site(&scope, parts);
        let problems = outputs.problems();
        if !problems.is_empty() {
            return Err(Failed {
                loaded: index.entries.len(),
                errors: problems,
            });
        }
        let site_ctx = SiteContext::new(config, &index, &self.urls, &self.lang, templates.reads_years());
        templates.set_global("site", &site_ctx);
        let site_json = serde_json::to_vec(&site_ctx).expect("the site value serialises");
        timings.done("  outputs");
        // Every output's files, listed once: for the signatures and the
        // link check alike.
        let signed = sign(&scope, &outputs, self.config, &site_json, &content_urls);
        timings.done("  signatures");
        let planned = Planned::new(
            signed
                .iter()
                .filter(|o| outputs.kind(o.id.kind).linkable(o.id.n))
                .flat_map(|o| o.files.iter().map(String::as_str))
                .chain([MARKER]),
        );
        timings.done("  planned files");
        Ok(Prepared {
            signed: Some(signed),
            site_json,
            site_ctx,
            index,
            urls: self.urls,
            lang: self.lang,
            templates,
            outputs,
            planned,
            config: self.config,
            stamps,
            statics,
            words,
            content_urls: Arc::new(content_urls),
            new_moves,
            replaced,
        })
    }

    /// The plan for a rebuild after body edits.
    fn edits(mut self, plan: EditPlan, stamps: Vec<Stamp>) -> Result<Plan, Failed> {
        let mut templates = self.templates(0)?;
        templates.set_global("site", &plan.site);
        let records = Arc::clone(&plan.tail);
        let (remembered, new_files, gone) = (plan.remembered, plan.new_files, plan.gone.clone());
        // The edits keep every file of the previous build but those they
        // delete; links may lead to all of them but the remembered
        // redirects, and to a new page.
        let planned = Planned::lookup(move |f| {
            f == MARKER
                || new_files.iter().any(|n| n == f)
                || (records.output(f).is_some() && !remembered.contains(f) && !gone.iter().any(|g| g == f))
        });
        // A date edit's redirect, kept and said as the ordinary build's are
        // (`pipeline::build_into` reports the moves whose redirect is kept).
        let new_moves: Vec<(String, String)> = plan
            .redirect
            .iter()
            .map(|(from, to)| (from.clone(), plan.index.entries[*to].path.clone()))
            .collect();
        let kept = plan
            .redirect
            .iter()
            .map(|(from, to)| (from.clone(), plan.index.article(*to).path.clone()))
            .collect();
        let mut outputs = Outputs::for_edits(plan.articles, plan.feeds, plan.search, plan.listings, plan.redirects);
        outputs.moved = kept;
        let prepared = Prepared {
            outputs,
            index: plan.index,
            urls: self.urls,
            lang: self.lang,
            templates,
            planned,
            site_json: plan.site_json,
            site_ctx: plan.site,
            config: self.config,
            stamps,
            statics: self.statics.stamps(),
            words: WordsUpdate::Edits(plan.search_words),
            // No article the edits show links by file (`edits::plan`).
            content_urls: Arc::default(),
            new_moves,
            signed: None,
            replaced: None,
        };
        let record = edits::Record {
            edited: plan.edited,
            moves: plan.moves,
            reordered: plan.reordered,
            gone: plan.gone,
            removed: plan.removed,
        };
        Ok(Plan::Edits(prepared, plan.tail, record))
    }
}

/// Loads and validates content, templates and static files, and works out
/// what needs rendering; every problem found is returned.
/// Links not followed are added to `warnings`, whatever the outcome.
pub(super) fn prepare(
    site: &Site,
    options: &BuildOptions,
    previous: Option<&Manifest>,
    changed: Option<&[std::path::PathBuf]>,
    warnings: &mut Vec<FileError>,
) -> Result<Plan, Failed> {
    let mut setup = Setup::new(site, options);
    let statics = setup.statics.stamps();
    let inputs = Inputs {
        config: setup.config,
        statics: &statics,
        selection: setup.selection(),
        out: &options.out,
        urls: &setup.urls,
        changed,
    };
    let (scanned, stamps, problems) = scan::scan(site, &setup.links, previous, &inputs);
    setup.note(problems);
    warnings.append(&mut setup.warnings);
    match scanned {
        Scan::Unchanged if setup.errors.is_empty() => Ok(Plan::Unchanged),
        Scan::Unchanged => Err(setup.failed(0)),
        Scan::Edits(plan) => setup.edits(*plan, stamps),
        Scan::Sources {
            sources,
            tail,
            published,
            searched,
            words,
            replaced,
        } => {
            let dir = format!("{}/", setup.urls.search);
            let searched = searched.zip(tail.as_ref()).map(|(previous, t)| PreviousIndex {
                articles: previous.0,
                ids: previous.1,
                recorded: t
                    .outputs
                    .iter()
                    .filter(|o| o.path.starts_with(&dir))
                    .map(|o| (o.path.to_string(), o.signature))
                    .collect(),
            });
            let history = History {
                remembered: match previous {
                    Some(m) => m.head.moved.clone(),
                    None => Manifest::moved_beside(&options.out),
                },
                published,
                searched,
                words,
                replaced,
            };
            let prepared = setup.whole(sources, stamps, true, history)?;
            Ok(Plan::Whole(prepared, tail))
        }
    }
}

/// The plan for the whole site without a manifest or caches: what
/// `blatt check` renders.
pub(super) fn prepare_all(
    site: &Site,
    options: &BuildOptions,
    warnings: &mut Vec<FileError>,
) -> Result<Prepared, Failed> {
    let mut setup = Setup::new(site, options);
    let (sources, stamps, problems) = scan::scan_all(site, &setup.links);
    setup.note(problems);
    warnings.append(&mut setup.warnings);
    setup.whole(sources, stamps, false, History::default())
}

/// Fingerprint of what every output depends on besides content: the
/// program, site.yaml, the templates and the build options.
fn fingerprint(site: &Site, templates: &[TemplateText], urls: &Urls, options: &BuildOptions) -> u128 {
    let mut h = Hash::new("config");
    h.str(env!("CARGO_PKG_VERSION")).str(crate::render::search::ids::RULE);
    // The theme's own static files too: the search script reads one index
    // format, and a binary with another script (a build between releases)
    // must not find an index of the old format "unchanged".
    for (name, bytes) in crate::render::templates::STATIC {
        h.str(name).bytes(bytes);
    }
    h.str(&std::fs::read_to_string(site.root.join(crate::config::FILE_NAME)).unwrap_or_default());
    for TemplateText { name, text } in templates {
        h.str(name).str(text);
    }
    h.str(urls.base_url())
        .num(u64::from(options.drafts))
        .num(u64::from(options.future));
    h.finish()
}

/// An output of the build with its files and signature.
pub(super) struct PlannedOutput {
    pub id: OutputId,
    pub files: Vec<String>,
    pub signature: u128,
}

/// Every output of a prepared build with its signature: as the plan made
/// them, or made now.
pub(super) fn signed_outputs(p: &mut Prepared, site: &Site) -> Vec<PlannedOutput> {
    match p.signed.take() {
        Some(signed) => signed,
        None => sign(&p.scope(site), &p.outputs, p.config, &p.site_json, &p.content_urls),
    }
}

fn sign(
    scope: &Scope,
    outputs: &Outputs,
    config: u128,
    site_json: &[u8],
    content_urls: &HashMap<String, String>,
) -> Vec<PlannedOutput> {
    let signatures = Signatures::new(
        config,
        site_json,
        scope.index,
        content_urls,
        scope.config.listing.summaries,
    );
    let ids: Vec<OutputId> = outputs.ids().collect();
    ids.into_par_iter()
        .map(|id| {
            let kind = outputs.kind(id.kind);
            PlannedOutput {
                id,
                files: kind.files(scope, id.n),
                signature: kind.signature(scope, &signatures, id.n),
            }
        })
        .collect()
}

/// The previous build's outputs, as the manifest recorded them.
pub(super) enum Recorded<'a> {
    None,
    /// Sorted by path (as the tail keeps them): looked up by bisection and
    /// compared with the new files by one merge, where a hash map over
    /// 150 000 paths cost a noticeable part of a title edit.
    All(&'a [StoredOutput]),
    Lazy(&'a LazyTail),
}

impl Recorded<'_> {
    /// (signature, content hash) of the output file `rel`.
    pub fn get(&self, rel: &str) -> Option<(u128, u128)> {
        match self {
            Recorded::None => None,
            Recorded::All(sorted) => sorted
                .binary_search_by(|o| (*o.path).cmp(rel))
                .ok()
                .map(|i| (sorted[i].signature, sorted[i].content)),
            Recorded::Lazy(tail) => tail.output(rel).map(|o| (o.signature, o.content)),
        }
    }

    /// What the manifest knows of the last version of the file `rel`,
    /// whose new bytes hash to `hash`, and whether it recorded `rel` at all
    /// (one lookup: in a body-edit build each reads a chunk of the tail).
    pub fn previous(&self, rel: &str, hash: u128) -> (Previous, bool) {
        match self.get(rel) {
            Some((_, content)) if content == hash => (Previous::Same, true),
            Some(_) => (Previous::Different, true),
            None if matches!(self, Recorded::None) => (Previous::Unknown, false),
            None => (Previous::Different, false),
        }
    }

    /// The outputs whose every file was recorded with the same signature
    /// are not rendered again; the rest are.
    fn changed(&self, all: &[PlannedOutput]) -> Vec<usize> {
        let unchanged = |o: &PlannedOutput| {
            o.files
                .iter()
                .all(|f| self.get(f).is_some_and(|(signature, _)| signature == o.signature))
        };
        (0..all.len())
            .into_par_iter()
            .filter(|&o| !unchanged(&all[o]))
            .collect()
    }

    /// What a build of `all` renders and how it commits. `same_config`: the
    /// manifest describes an output made with the same settings and
    /// templates, so that only what changed need be rendered; `atomic`:
    /// the output is replaced by swapping in a whole folder, never updated
    /// in place.
    pub fn work(&self, all: &[PlannedOutput], same_config: bool, atomic: bool) -> Work {
        match self {
            Recorded::All(old) if same_config => {
                let (which, deletes) = compare(old, all);
                Work {
                    which,
                    strategy: Strategy::Incremental { atomic },
                    deletes,
                    mode: Mode::Incremental,
                }
            }
            Recorded::Lazy(_) => Work {
                which: self.changed(all),
                strategy: Strategy::Incremental { atomic },
                deletes: Vec::new(),
                mode: Mode::Edits,
            },
            // Settings or templates changed: everything is rendered, but
            // over an output the manifest describes it is updated in place
            // unless swaps are asked for. On ext4 without a journal a swap
            // frees the previous site's inodes (100 000 folders and the
            // files that changed at 100 000 articles), and every file made in
            // the next minutes skips each of them: title changes in a row
            // at 100 000 articles on such a disk took 39 s, then 55 s (27 s
            // from nothing).
            Recorded::All(old) if !atomic => Work {
                which: (0..all.len()).collect(),
                strategy: Strategy::Incremental { atomic: false },
                deletes: compare(old, all).1,
                mode: Mode::Full,
            },
            _ => Work {
                which: (0..all.len()).collect(),
                strategy: Strategy::Full,
                deletes: Vec::new(),
                mode: Mode::Full,
            },
        }
    }
}

/// The outputs of `all` whose files `old` (sorted by path) does not all
/// record with the output's signature, and the files of `old` that no
/// output makes any more, in their order. One sort of the new files and one merge with
/// the old ones: looking each of 150 000 files up by bisection compared
/// long common path prefixes seventeen times a file.
fn compare(old: &[StoredOutput], all: &[PlannedOutput]) -> (Vec<usize>, Vec<String>) {
    let mut new: Vec<(&str, usize)> = all
        .iter()
        .enumerate()
        .flat_map(|(o, planned)| planned.files.iter().map(move |f| (f.as_str(), o)))
        .collect();
    new.par_sort_unstable();
    let mut stale = vec![false; all.len()];
    let mut gone = Vec::new();
    let mut old = old.iter().peekable();
    for (path, o) in new {
        while let Some(before) = old.next_if(|s| &*s.path < path) {
            gone.push(before.path.to_string());
        }
        if old
            .next_if(|s| &*s.path == path)
            .is_none_or(|s| s.signature != all[o].signature)
        {
            stale[o] = true;
        }
    }
    gone.extend(old.map(|s| s.path.to_string()));
    let which = (0..all.len()).filter(|&o| stale[o]).collect();
    (which, gone)
}

/// What a build renders (positions in the planned outputs), how it
/// commits, and which files of the previous output it deletes.
pub(super) struct Work {
    pub which: Vec<usize>,
    pub strategy: Strategy,
    pub deletes: Vec<String>,
    pub mode: Mode,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(path: &str, signature: u128) -> StoredOutput {
        StoredOutput {
            path: path.to_string().into(),
            signature,
            content: signature + 100,
        }
    }

    fn planned(n: usize, files: &[&str], signature: u128) -> PlannedOutput {
        PlannedOutput {
            id: OutputId { kind: 0, n },
            files: files.iter().map(|f| f.to_string()).collect(),
            signature,
        }
    }

    #[test]
    fn the_sorted_records_tell_what_changed_and_what_is_gone() {
        // Sorted by path as the tail keeps them; "b/index.html" sorts
        // between "a/…" and "b/x/…", which the merge must not skip.
        let old = [
            stored("a/feed.xml", 1),
            stored("a/index.html", 1),
            stored("b/index.html", 2),
            stored("b/x/index.html", 3),
            stored("c/index.html", 4),
            stored("z.html", 5),
        ];
        let all = [
            planned(0, &["z.html"], 5),
            planned(1, &["a/index.html", "a/feed.xml"], 1),
            planned(2, &["b/x/index.html"], 9),
            planned(3, &["new/index.html"], 7),
            planned(4, &["b/index.html"], 2),
        ];
        let recorded = Recorded::All(&old);
        assert_eq!(recorded.get("b/x/index.html"), Some((3, 103)));
        assert_eq!(recorded.get("b/"), None);
        let work = recorded.work(&all, true, false);
        assert_eq!(work.which, [2, 3], "a new signature and a new file are rendered");
        assert_eq!(work.deletes, ["c/index.html"]);
        assert_eq!(work.mode, Mode::Incremental);
        // Nothing recorded is gone when every old file is planned again.
        let all_again: Vec<PlannedOutput> = old
            .iter()
            .enumerate()
            .map(|(n, o)| planned(n, &[&o.path], o.signature))
            .rev()
            .collect();
        let work = recorded.work(&all_again, true, false);
        assert!(work.which.is_empty() && work.deletes.is_empty());
        // One file unknown is enough, though the output's other file matches.
        let partly = [planned(0, &["c/index.html", "d/index.html"], 4)];
        let work = Recorded::All(&old[4..5]).work(&partly, true, false);
        assert_eq!((work.which, work.deletes), (vec![0], Vec::<String>::new()));
    }
}
