//! The second phase: from what the scan found, everything a build knows
//! before it renders — templates, the index, the search data, every output
//! with its signature — and which outputs need rendering.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::Utc;
use rayon::prelude::*;

use super::commit::Strategy;
use super::edits::EditPlan;
use super::scan::{self, Inputs, Scan};
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
use crate::render::search::{self, SearchData};
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
    Edits(Prepared, Arc<LazyTail>, Vec<ArticleFile>),
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
    /// rather than made again ([`PreviousIndex`]).
    searched: Option<PreviousIndex>,
}

/// What the last build's search index was made of, for [`search_data`]:
/// its articles by id (oldest first) as (file, hash), and the signatures
/// it recorded for its files (sorted by path).
struct PreviousIndex {
    articles: Vec<(std::path::PathBuf, u128)>,
    recorded: Vec<(String, u128)>,
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
        let now: HashMap<&std::path::Path, &str> = index
            .entries
            .iter()
            .map(|e| (e.source.path.as_path(), e.path.as_str()))
            .collect();
        let known: HashSet<String> = urls.iter().map(|(from, _)| from.clone()).collect();
        let mut new = Vec::new();
        for (file, was) in self.published {
            let Some(&path) = now.get(file.as_path()) else {
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
            let (data, words) = search_data(&scope, out, keep_words, previous).map_err(|errors| Failed {
                loaded: index.entries.len(),
                errors,
            })?;
            (Some(Arc::new(data)), words)
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
        let planned = Planned::new(
            outputs
                .ids()
                .filter(|id| outputs.kind(id.kind).linkable(id.n))
                .flat_map(|id| outputs.kind(id.kind).files(&scope, id.n))
                .chain([MARKER.to_string()]),
        );
        timings.done("  outputs, planned files");
        let site_ctx = SiteContext::new(config, &index, &self.urls, &self.lang);
        templates.set_global("site", &site_ctx);
        Ok(Prepared {
            site_json: serde_json::to_vec(&site_ctx).expect("the site value serialises"),
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
        })
    }

    /// The plan for a rebuild after body edits.
    fn edits(mut self, plan: EditPlan, stamps: Vec<Stamp>) -> Result<Plan, Failed> {
        let mut templates = self.templates(0)?;
        templates.set_global("site", &plan.site);
        let records = Arc::clone(&plan.tail);
        let remembered = plan.remembered;
        // The edits keep every file of the previous build; links may lead
        // to all of them but the remembered redirects.
        let planned = Planned::lookup(move |f| f == MARKER || (records.output(f).is_some() && !remembered.contains(f)));
        let prepared = Prepared {
            outputs: Outputs::for_edits(plan.articles, plan.feeds, plan.search),
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
            new_moves: Vec::new(),
        };
        Ok(Plan::Edits(prepared, plan.tail, plan.edited))
    }
}

/// Loads and validates content, templates and static files, and works out
/// what needs rendering; every problem found is returned.
/// Links not followed are added to `warnings`, whatever the outcome.
pub(super) fn prepare(
    site: &Site,
    options: &BuildOptions,
    previous: Option<&Manifest>,
    warnings: &mut Vec<FileError>,
) -> Result<Plan, Failed> {
    let mut setup = Setup::new(site, options);
    let statics = setup.statics.stamps();
    let inputs = Inputs {
        config: setup.config,
        statics: &statics,
        selection: setup.selection(),
        out: &options.out,
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
        } => {
            let dir = format!("{}/", setup.urls.search);
            let searched = searched.zip(tail.as_ref()).map(|(articles, t)| PreviousIndex {
                articles,
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
    h.str(env!("CARGO_PKG_VERSION"));
    h.str(&std::fs::read_to_string(site.root.join(crate::config::FILE_NAME)).unwrap_or_default());
    for TemplateText { name, text } in templates {
        h.str(name).str(text);
    }
    h.str(urls.base_url())
        .num(u64::from(options.drafts))
        .num(u64::from(options.future));
    h.finish()
}

/// The search index: only the bodies of articles the word cache beside
/// `out` does not know (by their file's hash) are read. With `keep`, what
/// changes the cache is kept for the build to commit: a whole new cache
/// staged beside the output, or, when the index was brought up to date
/// from `previous` (a few articles changed), the changed articles' words.
fn search_data(
    s: &Scope,
    out: &std::path::Path,
    keep: bool,
    previous: Option<&PreviousIndex>,
) -> Result<(SearchData, WordsUpdate), Vec<FileError>> {
    use std::borrow::Cow;
    let mut timings = Timings::new();
    if let Some(previous) = previous.filter(|_| keep) {
        let updated = updated_index(s, previous, out);
        timings.done("    search: brought up to date");
        if let Some(result) = updated {
            return result;
        }
    }
    let cache = WordCache::load(out);
    timings.done("    search: word cache read");
    let found: Vec<Result<Cow<'_, [u8]>, FileError>> = s
        .index
        .entries
        .par_iter()
        .map(|e| match cache.get(e.source.hash) {
            Some(w) => Ok(Cow::Borrowed(w)),
            None => search::words_of(&e.source).map(|w| Cow::Owned(w.0)),
        })
        .collect();
    timings.done("    search: words");
    let mut errors = Vec::new();
    let mut words = Vec::with_capacity(found.len());
    for w in found {
        match w {
            Ok(w) => words.push(w),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let refs: Vec<&[u8]> = words.iter().map(|w| w.as_ref()).collect();
    let data = SearchData::for_site(s, &refs);
    timings.done("    search: files");
    let all_cached = words.iter().all(|w| matches!(w, Cow::Borrowed(_)));
    let update = if keep && (!all_cached || cache.len() != s.index.entries.len()) {
        let entries: Vec<(u128, &[u8])> = s.index.entries.iter().map(|e| e.source.hash).zip(refs).collect();
        // Only a cache: a build that cannot stage it still succeeds.
        WordCache::stage(out, &entries).map_or(WordsUpdate::None, WordsUpdate::Whole)
    } else {
        WordsUpdate::None
    };
    timings.done("    search: word cache staged");
    Ok((data, update))
}

/// More changed articles than this and the search index is made whole:
/// patching reads most shards by then.
const INDEX_CHANGES: usize = 256;

/// Entries the word cache may hold beyond the index's articles (words of
/// files changed or gone since it was written whole) before it is written
/// whole again.
const STALE_WORDS: usize = 4096;

/// The search index of `s` made from the last build's files in `out`,
/// changing only what the articles that differ reach, and the words new
/// to the cache; reads neither the other articles nor the whole cache.
/// `None` when that is not possible or not cheaper (then the index is made
/// whole); the problems of bodies that do not read are returned as a
/// whole build would return them.
fn updated_index(
    s: &Scope,
    previous: &PreviousIndex,
    out: &std::path::Path,
) -> Option<Result<(SearchData, WordsUpdate), Vec<FileError>>> {
    let entries = &s.index.entries;
    let (before, after) = (previous.articles.len(), entries.len());
    // Search ids count from the oldest article: entry i is id after - 1 - i.
    let now = |id: usize| (id < after).then(|| after - 1 - id);
    // (id, old file hash, new entry) of every id whose article differs.
    let mut differ: Vec<(u32, Option<u128>, Option<usize>)> = Vec::new();
    for id in 0..before.max(after) {
        let old = previous.articles.get(id);
        let new = now(id);
        if let (Some((path, hash)), Some(i)) = (old, new) {
            if entries[i].source.path == *path && entries[i].source.hash == *hash {
                continue;
            }
        }
        if differ.len() >= INDEX_CHANGES {
            return None;
        }
        differ.push((u32::try_from(id).ok()?, old.map(|(_, h)| *h), new));
    }
    let hashes: Vec<u128> = differ
        .iter()
        .flat_map(|&(_, old, new)| old.into_iter().chain(new.map(|i| entries[i].source.hash)))
        .collect();
    let cached = WordCache::lookup_many(out, &hashes);
    let mut errors = Vec::new();
    let mut added: Vec<(u128, Vec<u8>)> = Vec::new();
    for &(_, _, new) in &differ {
        let Some(e) = new.map(|i| &entries[i]) else { continue };
        if cached.found.contains_key(&e.source.hash) || added.iter().any(|(h, _)| *h == e.source.hash) {
            continue;
        }
        match search::words_of(&e.source) {
            Ok(words) => added.push((e.source.hash, words.0)),
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Some(Err(errors));
    }
    // Past this the cache is written whole, which needs every article's words.
    if cached.entries + added.len() > after + STALE_WORDS {
        return None;
    }
    let words_of = |hash: u128| -> Option<&[u8]> {
        cached
            .found
            .get(&hash)
            .or_else(|| added.iter().find(|(h, _)| *h == hash).map(|(_, w)| w))
            .map(Vec::as_slice)
    };
    let mut change = search::IndexChange {
        words: Vec::with_capacity(differ.len()),
        docs: Vec::new(),
        before,
        after,
    };
    for &(id, old, new) in &differ {
        let old_words = match old {
            Some(hash) => words_of(hash)?,
            None => &[],
        };
        let new_words = match new {
            Some(i) => words_of(entries[i].source.hash)?,
            None => &[],
        };
        change.words.push(search::WordChange {
            id,
            old: old_words,
            new: new_words,
        });
        change.docs.extend(new.map(|_| id));
    }
    let recorded = |path: &str| {
        let at = previous.recorded.binary_search_by(|(p, _)| p.as_str().cmp(path)).ok()?;
        Some(previous.recorded[at].1)
    };
    let data = search::update(
        |rel| std::fs::read(out.join(rel)).ok(),
        &s.urls.search,
        &change,
        |id| search::Doc::of(s, &entries[now(id).expect("docs files hold ids of the index")]),
        recorded,
    )?;
    Some(Ok((data, WordsUpdate::Edits(added))))
}

/// An output of the build with its files and signature.
pub(super) struct PlannedOutput {
    pub id: OutputId,
    pub files: Vec<String>,
    pub signature: u128,
}

/// Every output of a prepared build with its signature.
pub(super) fn signed_outputs(p: &Prepared, site: &Site) -> Vec<PlannedOutput> {
    let scope = p.scope(site);
    let signatures = Signatures::new(p.config, &p.site_json, &p.index, &p.content_urls);
    let ids: Vec<OutputId> = p.outputs.ids().collect();
    ids.into_par_iter()
        .map(|id| {
            let kind = p.outputs.kind(id.kind);
            PlannedOutput {
                id,
                files: kind.files(&scope, id.n),
                signature: kind.signature(&scope, &signatures, id.n),
            }
        })
        .collect()
}

/// The previous build's outputs, as the manifest recorded them.
pub(super) enum Recorded<'a> {
    None,
    All(HashMap<&'a str, &'a StoredOutput>),
    Lazy(&'a LazyTail),
}

impl Recorded<'_> {
    /// (signature, content hash) of the output file `rel`.
    pub fn get(&self, rel: &str) -> Option<(u128, u128)> {
        match self {
            Recorded::None => None,
            Recorded::All(map) => map.get(rel).map(|o| (o.signature, o.content)),
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
        (0..all.len()).filter(|&o| !unchanged(&all[o])).collect()
    }

    /// What a build of `all` renders and how it commits. `same_config`: the
    /// manifest describes an output made with the same settings and
    /// templates, so that only what changed need be rendered; `atomic`:
    /// such an update is swapped in as a whole folder.
    pub fn work(&self, all: &[PlannedOutput], same_config: bool, atomic: bool) -> Work {
        match self {
            Recorded::All(old) if same_config => {
                let new: HashSet<&str> = all.iter().flat_map(|o| o.files.iter().map(String::as_str)).collect();
                Work {
                    which: self.changed(all),
                    strategy: Strategy::Incremental { atomic },
                    deletes: old
                        .keys()
                        .filter(|f| !new.contains(**f))
                        .map(|f| f.to_string())
                        .collect(),
                    mode: Mode::Incremental,
                }
            }
            Recorded::Lazy(_) => Work {
                which: self.changed(all),
                strategy: Strategy::Incremental { atomic },
                deletes: Vec::new(),
                mode: Mode::BodyEdits,
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

/// What a build renders (positions in the planned outputs), how it
/// commits, and which files of the previous output it deletes.
pub(super) struct Work {
    pub which: Vec<usize>,
    pub strategy: Strategy,
    pub deletes: Vec<String>,
    pub mode: Mode,
}
