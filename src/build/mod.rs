//! `blatt build`: the one orchestrator of scan → index → plan → render →
//! check → commit. Nothing reaches the output folder unless everything
//! succeeded.
//!
//! A build keeps a manifest beside its output ([`crate::output::manifest`]).
//! The next build reads only the articles whose files changed, works out
//! from signatures ([`deps`]) which outputs those changes reach, renders
//! only those, and updates the output in place through a journal
//! ([`crate::output::journal`]). Without a usable manifest, or after a
//! change to `site.yaml`, the templates or the options, it renders
//! everything into a fresh folder and swaps it in
//! ([`crate::output::build_dir`]). Either way the result is byte for byte
//! the output of a clean build.

pub mod deps;
mod edits;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::Utc;
use rayon::prelude::*;

use crate::config::Site;
use crate::content::Source;
use crate::content::load::{duplicate_urls, markdown_files};
use crate::content::source::stamp;
use crate::error::{Error, FileError, Location, Problem};
use crate::output::build_dir::{self, BuildDir, MARKER, Previous};
use crate::output::journal::{self, Update};
use crate::output::manifest::{
    Encoded, Head, LazyTail, Manifest, OutputRef, StoredIndex, StoredOutput, StoredSource, StoredTerm, Tail,
};
use crate::render::context::{FeedLink, SiteContext, Views, YearRef};
use crate::render::feeds::{self, FeedSpec};
use crate::render::links::{self, Planned};
use crate::render::locale::Lang;
use crate::render::pages::{self, Bodies, Job, PageRenderer};
use crate::render::search::{SearchData, SearchFile, WordCache};
use crate::render::sitemap::{self, SitemapUrl};
use crate::render::templates::Templates;
use crate::site::{Selection, SiteIndex, Urls, output_file};
use deps::{Hash, Signatures};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The output folder; `public/` in the site by default.
    pub out: PathBuf,
    /// Overrides `base_url` from `site.yaml`.
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
}

/// The default theme's static files, or the site's file of the same name.
enum StaticSource {
    Embedded(&'static [u8]),
    File(PathBuf, u64, i128),
}

fn static_files(site_static: &Path) -> (Vec<(String, StaticSource)>, Vec<FileError>) {
    let mut files: Vec<(String, StaticSource)> = crate::render::templates::STATIC
        .iter()
        .map(|(p, b)| (p.to_string(), StaticSource::Embedded(b)))
        .collect();
    let mut errors = Vec::new();
    if site_static.is_dir() {
        let (found, mut walk_errors) = crate::content::load::walk_files(site_static, |_| true);
        errors.append(&mut walk_errors);
        for path in found {
            let rel = format!(
                "static/{}",
                path.strip_prefix(site_static)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/")
            );
            let (size, mtime) = std::fs::metadata(&path).map(|m| stamp(&m)).unwrap_or((0, 0));
            files.retain(|(p, _)| *p != rel);
            files.push((rel, StaticSource::File(path, size, mtime)));
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    (files, errors)
}

fn static_stamps(statics: &[(String, StaticSource)]) -> Vec<(String, u64, i128)> {
    statics
        .iter()
        .filter_map(|(rel, s)| match s {
            StaticSource::File(_, size, mtime) => Some((rel.clone(), *size, *mtime)),
            StaticSource::Embedded(_) => None,
        })
        .collect()
}

/// The `site` value of every template.
fn site_context(site: &Site, index: &SiteIndex, urls: &Urls, lang: &Lang) -> SiteContext {
    let views = Views::new(index, urls, lang);
    let mut nav: Vec<&crate::site::Term> = index.topics.iter().collect();
    nav.sort_by(|a, b| b.entries.len().cmp(&a.entries.len()).then_with(|| a.slug.cmp(&b.slug)));
    let config = &site.config;
    SiteContext {
        title: config.title.clone(),
        description: config.description.clone(),
        language: config.language.clone(),
        base_url: urls.base_url().to_string(),
        base_path: urls.base_path().to_string(),
        home_url: urls.href(""),
        feed_url: urls.main_feed("").map(|f| urls.absolute(&f)).unwrap_or_default(),
        feeds: FeedLink::all(
            urls,
            "",
            &format!(
                "{} – {}",
                config.title,
                lang.labels.get("feed").map_or("", String::as_str)
            ),
        ),
        topics_url: urls.href(&urls.taxonomy(crate::site::Taxonomy::Topics)),
        tags_url: urls.href(&urls.taxonomy(crate::site::Taxonomy::Tags)),
        stylesheet_url: urls.href("static/style.css"),
        favicon_url: urls.href("static/favicon.svg"),
        labels: lang.labels.clone(),
        nav_topics: nav.into_iter().take(5).map(|t| views.term_ref(t)).collect(),
        years: index
            .years
            .iter()
            .map(|y| YearRef {
                year: y.year,
                url: urls.href(&Urls::year(y.year)),
            })
            .collect(),
        search_url: config
            .search
            .enabled
            .then(|| urls.href(&SearchFile::Page.path(&urls.search))),
    }
}

/// Sitemap entries for every HTML page but the 404 page.
fn sitemap_urls(jobs: &[Job], index: &SiteIndex, urls: &Urls) -> Vec<SitemapUrl> {
    let day = |i: usize| {
        let e = &index.entries[i];
        let f = &e.source.front;
        f.updated
            .unwrap_or(f.date)
            .max(f.date)
            .with_timezone(&e.local.timezone())
            .format("%Y-%m-%d")
            .to_string()
    };
    // Entries are sorted newest first, so the smallest index is the newest.
    let newest = |list: &mut dyn Iterator<Item = usize>| list.min().map(day);
    jobs.iter()
        .filter_map(|job| {
            let lastmod = match job {
                Job::Article(i) => Some(day(*i)),
                Job::Home(p) => newest(&mut p.range.clone()),
                Job::Term(t, i, p) => newest(&mut index.terms(*t)[*i].entries[p.range.clone()].iter().copied()),
                Job::Month(y, m, p) => newest(&mut index.years[*y].months[*m].entries[p.range.clone()].iter().copied()),
                Job::TaxonomyList(_) | Job::Year(_) => None,
                Job::SearchPage => None,
                Job::NotFound | Job::Feed(..) | Job::Sitemap | Job::Robots | Job::NewsSitemap | Job::SearchData(_) => {
                    return None;
                }
            };
            Some(SitemapUrl {
                path: pages::path(job, index, urls),
                lastmod,
            })
        })
        .collect()
}

/// Fingerprint of what every output depends on besides content: the
/// program, site.yaml, the templates and the build options.
fn config_fingerprint(site: &Site, templates: &[(String, String)], urls: &Urls, options: &BuildOptions) -> u128 {
    let mut h = Hash::new("config");
    h.str(env!("CARGO_PKG_VERSION"));
    h.str(&std::fs::read_to_string(site.root.join(crate::config::FILE_NAME)).unwrap_or_default());
    for (name, text) in templates {
        h.str(name).str(text);
    }
    h.str(urls.base_url())
        .num(u64::from(options.drafts))
        .num(u64::from(options.future));
    h.finish()
}

/// Everything a build knows before it renders anything.
struct Prepared {
    index: SiteIndex,
    urls: Urls,
    lang: Lang,
    templates: Templates,
    statics: Vec<(String, StaticSource)>,
    jobs: Vec<Job>,
    sitemap_pages: Vec<SitemapUrl>,
    planned: Planned,
    site_ctx: SiteContext,
    config: u128,
    stamps: Vec<(String, u64, i128)>,
    /// The entries the Google News sitemap lists, and when that list next
    /// changes by the clock alone.
    news: Vec<usize>,
    news_due: Option<chrono::DateTime<Utc>>,
    /// The previous manifest's per-article and per-output part, if any.
    tail: Option<Tail>,
    /// The search index's data files, when search is enabled.
    search: Option<Arc<SearchData>>,
    /// Words of articles a body-edit rebuild read, for the word cache.
    search_edits: Vec<(u128, Vec<u8>)>,
}

/// A source file's path, size and modification time.
pub(crate) type Stamp = (String, u64, i128);

enum Scan {
    /// Nothing changed since the manifest: no need to read anything.
    Unchanged,
    /// Only bodies changed: see [`edits`].
    Edits(Box<edits::EditPlan>),
    Sources(Vec<Source>),
}

/// Lists the article files; reuses the manifest's reading of every file
/// whose size and modification time are unchanged.
fn scan(
    site: &Site,
    previous: Option<&Manifest>,
    tail: &mut Option<Tail>,
    config: u128,
    static_stamps: &[Stamp],
    selection: Selection,
    out: &Path,
) -> (Scan, Vec<Stamp>, Vec<FileError>) {
    let mut phases = Phases::new();
    let dir = site.content_dir();
    let (files, mut errors) = if dir.exists() {
        markdown_files(&dir)
    } else {
        (Vec::new(), Vec::new())
    };
    let stamped: Vec<Result<(PathBuf, u64, i128), FileError>> = files
        .into_par_iter()
        .map(|path| match std::fs::metadata(&path) {
            Ok(m) => {
                let (size, mtime) = stamp(&m);
                Ok((path, size, mtime))
            }
            Err(e) => Err(FileError::new(Location::file(&path), Problem::Read(e.to_string()))),
        })
        .collect();
    let mut stamps = Vec::with_capacity(stamped.len());
    for s in stamped {
        match s {
            Ok((path, size, mtime)) => stamps.push((path.to_string_lossy().into_owned(), size, mtime)),
            Err(e) => errors.push(e),
        }
    }
    // A file that cannot be read must not hide the errors of the others:
    // read every article that can be, so that one run reports them all.
    let complete = errors.is_empty();
    phases.done("  stat every source");
    if let Some(manifest) = previous.filter(|_| complete) {
        let head = &manifest.head;
        let due = head.next_due.is_some_and(|d| Utc::now().timestamp() >= d);
        if head.config == config && head.statics == static_stamps && !due {
            if head.stamps == stamps {
                return (Scan::Unchanged, stamps, errors);
            }
            let config = &site.config;
            let formats = config.feed.enabled();
            let plan = edits::plan(
                manifest,
                &stamps,
                config.timezone,
                config.feed.limit,
                &formats,
                selection,
                config.search.enabled.then_some((out, config.urls.search.as_str())),
            );
            phases.done("  plan body edits");
            if let Some(plan) = plan {
                return (Scan::Edits(Box::new(plan)), stamps, errors);
            }
        }
    }
    // Something changed: only now is the per-article part of the manifest needed.
    *tail = previous.and_then(Manifest::tail);
    phases.done("  read manifest tail");
    let tz = site.config.timezone;
    let stored = tail
        .as_mut()
        .map(|t| std::mem::take(&mut t.sources))
        .unwrap_or_default();
    let known: HashMap<String, StoredSource> = stored.into_iter().map(|s| (s.path.clone(), s)).collect();
    let known = Mutex::new(known);
    let results: Vec<Result<Source, Vec<FileError>>> = stamps
        .par_iter()
        .map(|(path, size, mtime)| {
            let stored = known
                .lock()
                .expect("no panic while holding the lock")
                .remove(path.as_str());
            let reused = stored
                .filter(|s| s.size == *size && s.mtime == *mtime)
                .and_then(StoredSource::into_source);
            match reused {
                Some(source) => Ok(source),
                None => Source::read(Path::new(path), tz),
            }
        })
        .collect();
    phases.done("  reuse or read sources");
    let mut sources = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(s) => sources.push(s),
            Err(mut e) => errors.append(&mut e),
        }
    }
    errors.extend(duplicate_urls(
        sources.iter().map(|s| (s.path.as_path(), s.url_path(tz))),
    ));
    errors.sort_by(|a, b| a.location.cmp(&b.location));
    phases.done("  duplicate URLs");
    (Scan::Sources(sources), stamps, errors)
}

/// What a build has to do.
enum Plan {
    /// Nothing changed since the manifest.
    Unchanged,
    /// The whole site indexed; render what changed, or everything.
    Whole(Prepared),
    /// Only bodies changed: a small index of what shows them ([`edits`]),
    /// the manifest's records, and the edited files for its patch.
    Edits(Prepared, Arc<LazyTail>, Vec<Source>),
}

/// Loads and validates content, templates and static files, and works out
/// what needs rendering. On errors, returns them all with the number of
/// articles that did load.
/// `keep_cache`: whether the search word cache may be written beside the
/// output (not by `blatt check`).
fn prepare(
    site: &Site,
    options: &BuildOptions,
    previous: Option<&Manifest>,
    keep_cache: bool,
) -> Result<Plan, (usize, Vec<FileError>)> {
    let config = &site.config;
    let lang = Lang::new(&config.language, &config.labels);
    let urls = Urls::new(config, options.base_url.as_deref());
    let mut errors = Vec::new();
    let (template_texts, mut template_errors) = Templates::sources(&site.root.join("templates"));
    errors.append(&mut template_errors);
    let (mut statics, mut static_errors) = static_files(&site.root.join("static"));
    if !config.search.enabled {
        statics.retain(|(p, s)| !(p == "static/search.js" && matches!(s, StaticSource::Embedded(_))));
    }
    errors.append(&mut static_errors);
    let fingerprint = config_fingerprint(site, &template_texts, &urls, options);
    let statics_stamped = static_stamps(&statics);
    let selection = Selection {
        drafts: options.drafts,
        future: options.future,
        now: Utc::now(),
    };
    let mut tail = None;
    let (scanned, stamps, mut scan_errors) = scan(
        site,
        previous,
        &mut tail,
        fingerprint,
        &statics_stamped,
        selection,
        &options.out,
    );
    errors.append(&mut scan_errors);
    let loaded = match &scanned {
        Scan::Unchanged if errors.is_empty() => return Ok(Plan::Unchanged),
        Scan::Sources(s) => s.len(),
        Scan::Unchanged | Scan::Edits(_) => 0,
    };
    if std::env::var_os("BLATT_TIMINGS").is_some() {
        eprintln!("  (scan and read: {loaded} sources)");
    }
    let mut templates = match Templates::compile(template_texts, &site.root.join("templates"), &lang) {
        Ok(t) => t,
        Err(mut e) => {
            errors.append(&mut e);
            return Err((loaded, errors));
        }
    };
    if !errors.is_empty() {
        return Err((loaded, errors));
    }
    let sources = match scanned {
        Scan::Unchanged => unreachable!("returned above"),
        Scan::Edits(plan) => {
            let plan = *plan;
            templates.set_global("site", &plan.site);
            let records = Arc::clone(&plan.tail);
            // The edits keep every file of the previous build.
            let planned = Planned::lookup(move |f| f == MARKER || records.output(f).is_some());
            let search = plan.search.map(Arc::new);
            let mut jobs = plan.jobs;
            if let Some(data) = &search {
                jobs.extend(data.data_jobs(&urls.search).into_iter().map(Job::SearchData));
            }
            let prepared = Prepared {
                index: plan.index,
                urls,
                lang,
                templates,
                statics: Vec::new(),
                jobs,
                sitemap_pages: Vec::new(),
                planned,
                site_ctx: plan.site,
                config: fingerprint,
                stamps,
                news: Vec::new(),
                news_due: None,
                tail: None,
                search,
                search_edits: plan.search_words,
            };
            return Ok(Plan::Edits(prepared, plan.tail, plan.edited));
        }
        Scan::Sources(s) => s,
    };
    let mut phases = Phases::new();
    let index = SiteIndex::with_minimum(sources, config.timezone, selection, &config.min_articles);
    phases.done("  index");
    let search = if config.search.enabled {
        let data = search_index(&index, &urls, &lang, options, keep_cache).map_err(|e| (index.entries.len(), e))?;
        Some(Arc::new(data))
    } else {
        None
    };
    phases.done("  search index");
    let mut jobs = pages::all_jobs(&index, config, &urls.feeds);
    if let Some(data) = &search {
        jobs.push(Job::SearchPage);
        jobs.extend(data.data_jobs(&urls.search).into_iter().map(Job::SearchData));
    }
    let news = crate::render::news::select(&index, config, selection.now);
    let news_due = crate::render::news::next_change(&index, config, &news, selection.now);
    let sitemap_pages = sitemap_urls(&jobs, &index, &urls);
    let planned = Planned::new(
        jobs.iter()
            .filter(|j| **j != Job::Sitemap)
            .map(|j| output_file(&pages::path(j, &index, &urls)))
            .chain(sitemap::files(sitemap_pages.len()))
            .chain(statics.iter().map(|(p, _)| p.clone()))
            .chain([MARKER.to_string()]),
    );
    phases.done("  jobs, sitemap, planned files");
    let site_ctx = site_context(site, &index, &urls, &lang);
    templates.set_global("site", &site_ctx);
    Ok(Plan::Whole(Prepared {
        index,
        urls,
        lang,
        templates,
        statics,
        jobs,
        sitemap_pages,
        planned,
        site_ctx,
        config: fingerprint,
        stamps,
        news,
        news_due,
        tail,
        search,
        search_edits: Vec::new(),
    }))
}

/// The search index of `index`: only the bodies of articles the word cache
/// does not know (by their file's hash) are read. When that changed the
/// cache, it is written at once (`keep_cache`): its entries are a function
/// of file contents, true whether or not this build succeeds, and the
/// words need not be held until the commit.
fn search_index(
    index: &SiteIndex,
    urls: &Urls,
    lang: &Lang,
    options: &BuildOptions,
    keep_cache: bool,
) -> Result<SearchData, Vec<FileError>> {
    let mut phases = Phases::new();
    let cache = WordCache::load(&options.out);
    phases.done("    search: word cache");
    let found: Vec<Result<std::borrow::Cow<'_, [u8]>, FileError>> = index
        .entries
        .par_iter()
        .map(|e| match cache.get(e.source.hash) {
            Some(w) => Ok(std::borrow::Cow::Borrowed(w)),
            None => crate::render::search::words_of(&e.source).map(|w| std::borrow::Cow::Owned(w.0)),
        })
        .collect();
    phases.done("    search: words");
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
    let docs: Vec<crate::render::search::Doc> = index
        .entries
        .par_iter()
        .map(|e| {
            let f = &e.source.front;
            let text = f.kicker.clone().or_else(|| f.summary.clone()).unwrap_or_default();
            let text = match text.char_indices().nth(200) {
                Some((cut, _)) => format!("{} …", text[..cut].trim_end()),
                None => text,
            };
            crate::render::search::Doc {
                url: urls.href(&e.path),
                title: f.title.clone(),
                date: e.local.format("%Y-%m-%d").to_string(),
                date_display: lang.day(&e.local),
                text,
            }
        })
        .collect();
    let refs: Vec<&[u8]> = words.iter().map(|w| w.as_ref()).collect();
    phases.done("    search: docs");
    let data = SearchData::build(&urls.search, &refs, &docs);
    phases.done("    search: files");
    let all_cached = words.iter().all(|w| matches!(w, std::borrow::Cow::Borrowed(_)));
    let changed = !all_cached || cache.len() != index.entries.len();
    if changed && keep_cache {
        let entries: Vec<(u128, &[u8])> = index.entries.iter().map(|e| e.source.hash).zip(refs).collect();
        // Only a cache: a build that cannot keep it still succeeds.
        let _ = WordCache::write_entries(&options.out, &entries);
        phases.done("    search: word cache written");
    }
    Ok(data)
}

/// An output of the build: one job (or static file), its files and signature.
struct Output {
    job: Option<usize>,
    static_file: Option<usize>,
    files: Vec<String>,
    signature: u128,
}

/// The outputs of a prepared build with their signatures.
fn outputs(p: &Prepared, site: &Site) -> Vec<Output> {
    let site_json = serde_json::to_vec(&p.site_ctx).expect("the site context serialises");
    let signatures = Signatures::new(p.config, &site_json, &p.index, site.config.feed.limit)
        .with_related(site.config.related.limit)
        .with_news(p.news.clone());
    let mut out: Vec<Output> = p
        .jobs
        .par_iter()
        .enumerate()
        .map(|(j, job)| {
            let files = match job {
                Job::Sitemap => sitemap::files(p.sitemap_pages.len()),
                _ => vec![output_file(&pages::path(job, &p.index, &p.urls))],
            };
            let signature = match (job, &p.search) {
                (Job::SearchData(_), Some(data)) => signatures.search_data(&data.files[&files[0]]),
                _ => signatures.job(job, &p.index, &p.sitemap_pages),
            };
            Output {
                job: Some(j),
                static_file: None,
                files,
                signature,
            }
        })
        .collect();
    out.extend(p.statics.iter().enumerate().map(|(k, (rel, source))| {
        let mut h = Hash::new("static");
        h.str(rel);
        match source {
            StaticSource::Embedded(bytes) => h.bytes(bytes),
            StaticSource::File(path, size, mtime) => h.str(&path.to_string_lossy()).num(*size).hash(*mtime as u128),
        };
        Output {
            job: None,
            static_file: Some(k),
            files: vec![rel.clone()],
            signature: h.finish(),
        }
    }));
    out
}

/// One file an output renders to: site-relative path, bytes, their hash.
struct RenderedFile {
    rel: String,
    bytes: Vec<u8>,
    hash: u128,
}

impl RenderedFile {
    fn new(rel: String, bytes: Vec<u8>) -> RenderedFile {
        let hash = crate::content::source::hash_bytes(&bytes);
        RenderedFile { rel, bytes, hash }
    }
}

/// The files one output renders to.
type Rendered = Vec<RenderedFile>;

struct RenderResult {
    /// Per rendered output index: its files' paths and hashes.
    files: Vec<(usize, Vec<(String, u128)>)>,
    /// Internal links in the bodies of rendered article pages, by page path.
    body_links: Vec<(String, Vec<String>)>,
    errors: Vec<FileError>,
}

/// Renders the outputs at `which` in parallel, checking each page's links.
/// `sink` receives each output's files as soon as they are rendered, so
/// pages are not held in memory.
fn render(
    p: &Prepared,
    site: &Site,
    options: &BuildOptions,
    all: &[Output],
    which: &[usize],
    sink: &(dyn Fn(usize, Rendered) -> Result<(), FileError> + Sync),
    progress: &(dyn Fn() + Sync),
) -> RenderResult {
    let config = &site.config;
    let (index, urls) = (&p.index, &p.urls);
    // Bodies shown in feeds are kept once rendered: a feed shows many, and
    // many feeds share them.
    let mut keep = vec![false; index.entries.len()];
    for job in which.iter().filter_map(|&o| all[o].job.map(|j| &p.jobs[j])) {
        match job {
            Job::Feed(_, None) => keep.iter_mut().take(config.feed.limit).for_each(|k| *k = true),
            Job::Feed(_, Some((t, i))) => {
                for &e in index.terms(*t)[*i].entries.iter().take(config.feed.limit) {
                    keep[e] = true;
                }
            }
            _ => {}
        }
    }
    let bodies = Bodies::new(index, config.markdown.allow_html, &keep);
    let renderer = PageRenderer {
        views: Views::new(index, urls, &p.lang),
        templates: &p.templates,
        config,
        site: &p.site_ctx,
        bodies: &bodies,
    };
    let errors = Mutex::new(Vec::new());
    let body_links = Mutex::new(Vec::new());
    let fail = |e: FileError| errors.lock().expect("no panic while holding the lock").push(e);
    let rendered: Vec<(usize, Vec<(String, u128)>)> = which
        .par_iter()
        .filter_map(|&o| {
            let output = &all[o];
            let result: Result<Vec<(String, Vec<u8>)>, FileError> = if let Some(k) = output.static_file {
                match &p.statics[k].1 {
                    StaticSource::Embedded(bytes) => Ok(vec![(output.files[0].clone(), bytes.to_vec())]),
                    StaticSource::File(path, ..) => std::fs::read(path)
                        .map(|b| vec![(output.files[0].clone(), b)])
                        .map_err(|e| FileError::new(Location::file(path), Problem::Read(e.to_string()))),
                }
            } else {
                let job = &p.jobs[output.job.expect("an output is a job or a static file")];
                let path = pages::path(job, index, urls);
                match job {
                    Job::Feed(format, scope) => {
                        let spec = FeedSpec::new(*scope, index, urls, config, &p.lang);
                        feeds::render(*format, &spec, index, urls, config, &bodies).map(|b| vec![(path, b)])
                    }
                    Job::Sitemap => Ok(sitemap::render(urls, &p.sitemap_pages)),
                    Job::Robots => Ok(vec![(path, sitemap::robots(urls, config.news.sitemap))]),
                    Job::NewsSitemap => Ok(vec![(path, crate::render::news::render(index, config, urls, &p.news))]),
                    Job::SearchData(_) => {
                        let bytes = p.search.as_ref().and_then(|d| d.files.get(&path)).cloned();
                        Ok(vec![(path, bytes.expect("search files are made with their jobs"))])
                    }
                    _ => renderer.render_job(job).expect("an HTML page job").map(|html| {
                        for link in links::broken(&html, &path, urls, &p.planned) {
                            let location = match job {
                                Job::Article(i) => Location::file(&index.entries[*i].source.path),
                                _ => Location::file(options.out.join(output_file(&path))),
                            };
                            fail(FileError::new(
                                location,
                                Problem::BrokenLink {
                                    link: link.to_string(),
                                    page: urls.href(&path),
                                },
                            ));
                        }
                        if let Job::Article(i) = job {
                            if let Ok(body) = bodies.html(*i) {
                                let found = links::internal(&body, &path, urls);
                                if !found.is_empty() {
                                    body_links
                                        .lock()
                                        .expect("no panic while holding the lock")
                                        .push((path.clone(), found));
                                }
                            }
                        }
                        vec![(output_file(&path), html)]
                    }),
                }
            };
            progress();
            match result {
                Ok(files) => {
                    let files: Rendered = files
                        .into_iter()
                        .map(|(rel, bytes)| RenderedFile::new(rel, bytes))
                        .collect();
                    let hashes = files.iter().map(|f| (f.rel.clone(), f.hash)).collect();
                    match sink(o, files) {
                        Ok(()) => Some((o, hashes)),
                        Err(e) => {
                            fail(e);
                            None
                        }
                    }
                }
                Err(e) => {
                    fail(e);
                    None
                }
            }
        })
        .collect();
    let mut errors = errors.into_inner().expect("no panic while holding the lock");
    errors.sort_by(|a, b| a.location.cmp(&b.location));
    errors.dedup();
    RenderResult {
        files: rendered,
        body_links: body_links.into_inner().expect("no panic while holding the lock"),
        errors,
    }
}

/// With `BLATT_TIMINGS` set, prints how long each phase of a build took,
/// for profiling (bench/README.md).
struct Phases {
    on: bool,
    last: std::time::Instant,
}

impl Phases {
    fn new() -> Phases {
        Phases {
            on: std::env::var_os("BLATT_TIMINGS").is_some(),
            last: std::time::Instant::now(),
        }
    }

    fn done(&mut self, phase: &str) {
        if self.on {
            eprintln!("  {phase:<28} {:>8.1} ms", self.last.elapsed().as_secs_f64() * 1000.0);
            self.last = std::time::Instant::now();
        }
    }
}

fn validate_base_url(options: &BuildOptions) -> Result<(), Error> {
    match &options.base_url {
        Some(url) if !crate::content::front_matter::is_http_url(url) => Err(Error::Usage(format!(
            "--base-url `{url}` is not an absolute http(s) URL"
        ))),
        _ => Ok(()),
    }
}

fn count_pages(jobs: &[Job]) -> usize {
    jobs.iter()
        .filter(|j| {
            !matches!(
                j,
                Job::Feed(..) | Job::Sitemap | Job::Robots | Job::NewsSitemap | Job::SearchData(_)
            )
        })
        .count()
}

/// The previous build's outputs, as the manifest recorded them.
enum Recorded<'a> {
    None,
    All(HashMap<&'a str, &'a StoredOutput>),
    Lazy(&'a LazyTail),
}

impl Recorded<'_> {
    /// (signature, content hash) of the output file `rel`.
    fn get(&self, rel: &str) -> Option<(u128, u128)> {
        match self {
            Recorded::None => None,
            Recorded::All(map) => map.get(rel).map(|o| (o.signature, o.content)),
            Recorded::Lazy(tail) => tail.output(rel).map(|o| (o.signature, o.content)),
        }
    }
}

/// Builds the site into `options.out`. On any error the previous output is
/// left untouched and every error is returned.
pub fn build(site: &Site, options: &BuildOptions, progress: &(dyn Fn() + Sync)) -> Result<BuildReport, Error> {
    validate_base_url(options)?;
    let mut phases = Phases::new();
    let out = &options.out;
    journal::recover(out).map_err(|e| Error::io(journal::path_for(out), e))?;
    let manifest = if out.is_dir() {
        Manifest::load(out, build_dir::marker_generation(out))
    } else {
        None
    };
    phases.done("manifest head");
    let plan = prepare(site, options, manifest.as_ref(), true).map_err(|(_, errors)| Error::Files(errors))?;
    phases.done("scan, read, index");
    let (prepared, edits) = match plan {
        Plan::Unchanged => {
            let head = &manifest.as_ref().expect("only a manifest can say nothing changed").head;
            let [articles, topics, tags, pages] = head.counts;
            return Ok(BuildReport {
                articles,
                topics,
                tags,
                pages,
                rendered: 0,
                written: 0,
                mode: Mode::Unchanged,
                out: out.clone(),
            });
        }
        Plan::Whole(prepared) => (prepared, None),
        Plan::Edits(prepared, tail, edited) => (prepared, Some((tail, edited))),
    };
    let tail = prepared.tail.as_ref();
    let all = outputs(&prepared, site);
    phases.done("signatures");
    let recorded = match (&edits, tail) {
        (Some((lazy, _)), _) => Recorded::Lazy(lazy),
        (None, Some(t)) => Recorded::All(t.outputs.iter().map(|o| (o.path.as_str(), o)).collect()),
        (None, None) => Recorded::None,
    };
    let in_place = edits.is_some() || manifest.as_ref().is_some_and(|m| m.head.config == prepared.config);
    let which: Vec<usize> = if in_place {
        let unchanged = |o: &Output| {
            o.files
                .iter()
                .all(|f| recorded.get(f).is_some_and(|(signature, _)| signature == o.signature))
        };
        (0..all.len()).filter(|&o| !unchanged(&all[o])).collect()
    } else {
        (0..all.len()).collect()
    };
    let generation = rand::random::<u64>().max(1);
    let atomic = site
        .config
        .build
        .atomic_for(manifest.as_ref().map_or(0, |m| m.head.counts[0]));
    phases.done("compare with manifest");

    let (rendered, written, mode) = if let Some((_, edited)) = &edits {
        let head = &manifest.as_ref().expect("edits are planned from a manifest").head;
        let (staged, rendered, written) = render_in_place(
            &prepared,
            site,
            options,
            &all,
            &which,
            Vec::new(),
            &recorded,
            atomic,
            progress,
        )?;
        phases.done("render and stage");
        if !rendered.errors.is_empty() {
            return Err(Error::Files(rendered.errors));
        }
        let patched = patched_head(head, &prepared, &all, &rendered, edited, generation);
        staged.commit(&Manifest::encode_head(&patched))?;
        phases.done("commit");
        (rendered.files.len(), written, Mode::BodyEdits)
    } else if in_place {
        let Recorded::All(old) = &recorded else {
            unreachable!("an in-place build of the whole site has the whole manifest")
        };
        let new_files: std::collections::HashSet<&str> =
            all.iter().flat_map(|o| o.files.iter().map(String::as_str)).collect();
        let deletes: Vec<String> = old
            .keys()
            .filter(|f| !new_files.contains(**f))
            .map(|f| f.to_string())
            .collect();
        let (staged, mut rendered, written) = render_in_place(
            &prepared, site, options, &all, &which, deletes, &recorded, atomic, progress,
        )?;
        phases.done("render and stage");
        // Body links of pages not rendered again must still lead somewhere.
        let mut body_links: HashMap<String, Vec<String>> =
            tail.map(|t| t.body_links.iter().cloned().collect()).unwrap_or_default();
        check_kept_body_links(&prepared, &all, &which, &mut body_links, &mut rendered);
        if !rendered.errors.is_empty() {
            return Err(Error::Files(rendered.errors));
        }
        let manifest = new_manifest(&prepared, &all, &recorded, &rendered, body_links, generation, site);
        phases.done("new manifest");
        staged.commit(&manifest)?;
        phases.done("commit");
        (rendered.files.len(), written, Mode::Incremental)
    } else {
        let dir = BuildDir::create(out)?;
        let sink = |_: usize, files: Rendered| -> Result<(), FileError> {
            for RenderedFile { rel, bytes, hash } in files {
                let previous = match recorded.get(&rel) {
                    Some((_, content)) if content == hash => Previous::Same,
                    Some(_) => Previous::Different,
                    None if tail.is_some() => Previous::Different,
                    None => Previous::Unknown,
                };
                dir.write(&rel, &bytes, previous).map_err(|e| {
                    FileError::new(Location::file(dir.staging().join(&rel)), Problem::Write(e.to_string()))
                })?;
            }
            Ok(())
        };
        let mut rendered = render(&prepared, site, options, &all, &which, &sink, progress);
        phases.done("render and write");
        if !rendered.errors.is_empty() {
            return Err(Error::Files(rendered.errors));
        }
        let (written, _) = dir.counts();
        let body_links = rendered.body_links.drain(..).collect();
        let manifest = new_manifest(&prepared, &all, &recorded, &rendered, body_links, generation, site);
        dir.commit(&manifest)?;
        phases.done("manifest and swap");
        (rendered.files.len(), written, Mode::Full)
    };
    let report = match (&edits, manifest.as_ref()) {
        (Some(_), Some(m)) => {
            let [articles, topics, tags, pages] = m.head.counts;
            BuildReport {
                articles,
                topics,
                tags,
                pages,
                rendered,
                written,
                mode,
                out: out.clone(),
            }
        }
        _ => {
            let index = &prepared.index;
            BuildReport {
                articles: index.entries.len(),
                topics: index.topics.len(),
                tags: index.tags.len(),
                pages: count_pages(&prepared.jobs),
                rendered,
                written,
                mode,
                out: out.clone(),
            }
        }
    };
    drop(recorded);
    // Only a cache: a build that cannot keep it still succeeded.
    if !prepared.search_edits.is_empty() {
        let _ = WordCache::add_edits(out, &prepared.search_edits);
    }
    // Freeing the metadata of 100 000 articles takes a noticeable part of
    // a small rebuild; nobody waits for it.
    std::thread::spawn(move || drop((prepared, all)));
    Ok(report)
}

/// Where an incremental build puts what it rendered until the commit.
enum Staged {
    /// Staged beside the output and renamed into it (`output::journal`).
    Journal(Update),
    /// A new folder that gets links to every unchanged file and is swapped
    /// in whole (`build.atomic`); with the files the update deletes.
    Swap(BuildDir, std::collections::HashSet<String>),
}

impl Staged {
    fn begin(options: &BuildOptions, atomic: bool, writes: &[String], deletes: Vec<String>) -> Result<Staged, Error> {
        let out = &options.out;
        if atomic {
            let dir = BuildDir::create(out)?;
            return Ok(Staged::Swap(dir, deletes.into_iter().collect()));
        }
        Update::begin(out, writes, &deletes)
            .map(Staged::Journal)
            .map_err(|e| Error::io(journal::path_for(out), e))
    }

    fn stage(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        match self {
            Staged::Journal(update) => update.stage(rel, bytes),
            Staged::Swap(dir, _) => dir.write(rel, bytes, Previous::Different),
        }
    }

    /// Makes the update the output, with `manifest` (whose generation the
    /// marker names).
    fn commit(self, manifest: &crate::output::manifest::Encoded) -> Result<(), Error> {
        match self {
            Staged::Journal(update) => {
                let out = update.out().to_path_buf();
                update
                    .commit(&build_dir::marker_text(manifest.generation), manifest)
                    .map_err(|e| Error::io(&out, e))
            }
            Staged::Swap(dir, deletes) => {
                let out = dir.out().to_path_buf();
                // Every file of the previous output but the marker and the deleted.
                let mut files = Vec::new();
                for entry in walkdir::WalkDir::new(&out).min_depth(1) {
                    let entry = entry.map_err(|e| Error::io(&out, e.into()))?;
                    if entry.file_type().is_file() {
                        let rel = entry.path().strip_prefix(&out).expect("below the output");
                        files.push(rel.to_string_lossy().into_owned());
                    }
                }
                files
                    .par_iter()
                    .filter(|f| f.as_str() != MARKER && !deletes.contains(f.as_str()))
                    .try_for_each(|f| dir.keep(f).map_err(|e| Error::io(dir.staging().join(f), e)))?;
                dir.commit(manifest).map(drop)
            }
        }
    }
}

/// Renders `which` into an update of the output: files whose bytes the
/// manifest already recorded are not staged. Returns the update (not yet
/// committed: dropping it undoes everything), what was rendered, and how
/// many files were staged.
#[allow(clippy::too_many_arguments)]
fn render_in_place(
    p: &Prepared,
    site: &Site,
    options: &BuildOptions,
    all: &[Output],
    which: &[usize],
    deletes: Vec<String>,
    recorded: &Recorded,
    atomic: bool,
    progress: &(dyn Fn() + Sync),
) -> Result<(Staged, RenderResult, usize), Error> {
    let out = &options.out;
    let writes: Vec<String> = which.iter().flat_map(|&o| all[o].files.iter().cloned()).collect();
    let update = Staged::begin(options, atomic, &writes, deletes)?;
    let written = std::sync::atomic::AtomicUsize::new(0);
    let sink = |_: usize, files: Rendered| -> Result<(), FileError> {
        for RenderedFile { rel, bytes, hash } in files {
            if recorded.get(&rel).is_none_or(|(_, content)| content != hash) {
                update
                    .stage(&rel, &bytes)
                    .map_err(|e| FileError::new(Location::file(out.join(&rel)), Problem::Write(e.to_string())))?;
                written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
        }
        Ok(())
    };
    // Errors are the caller's to report, with those it finds itself.
    let rendered = render(p, site, options, all, which, &sink, progress);
    Ok((update, rendered, written.into_inner()))
}

/// The previous head with the records of a rebuild after body edits added
/// to its patch: the edited sources, the outputs rendered, and the body
/// links of the article pages rendered.
fn patched_head(
    head: &Head,
    p: &Prepared,
    all: &[Output],
    rendered: &RenderResult,
    edited: &[Source],
    generation: u64,
) -> Head {
    let signature: HashMap<&str, u128> = all
        .iter()
        .flat_map(|o| o.files.iter().map(move |f| (f.as_str(), o.signature)))
        .collect();
    let outputs = rendered
        .files
        .iter()
        .flat_map(|(_, files)| files)
        .map(|(rel, content)| StoredOutput {
            path: rel.clone(),
            signature: signature[rel.as_str()],
            content: *content,
        })
        .collect();
    let found: HashMap<&str, &Vec<String>> = rendered.body_links.iter().map(|(p, l)| (p.as_str(), l)).collect();
    let body_links = p
        .jobs
        .iter()
        .filter(|j| matches!(j, Job::Article(_)))
        .map(|j| {
            let page = pages::path(j, &p.index, &p.urls);
            let links = found.get(page.as_str()).map(|l| (*l).clone()).unwrap_or_default();
            (page, links)
        })
        .collect();
    let mut head = head.clone();
    head.generation = generation;
    head.stamps = p.stamps.clone();
    head.patch
        .add(edited.iter().map(StoredSource::of).collect(), outputs, body_links);
    head
}

/// Internal links in the bodies of article pages that were not rendered
/// again: their targets may be gone. Checks them, and forgets the links of
/// pages that no longer exist or were rendered (which recorded their own).
fn check_kept_body_links(
    p: &Prepared,
    all: &[Output],
    which: &[usize],
    kept: &mut HashMap<String, Vec<String>>,
    rendered: &mut RenderResult,
) {
    let rendered_pages: std::collections::HashSet<String> = which
        .iter()
        .filter_map(|&o| all[o].job.map(|j| &p.jobs[j]))
        .filter(|j| matches!(j, Job::Article(_)))
        .map(|j| pages::path(j, &p.index, &p.urls))
        .collect();
    let sources: HashMap<String, &Path> = p
        .index
        .entries
        .iter()
        .map(|e| (e.path.clone(), e.source.path.as_path()))
        .collect();
    kept.retain(|page, _| sources.contains_key(page) && !rendered_pages.contains(page));
    for (page, targets) in kept.iter() {
        for target in targets {
            if !p.planned.contains(&output_file(target)) && !p.planned.contains(&format!("{target}/index.html")) {
                rendered.errors.push(FileError::new(
                    Location::file(sources[page]),
                    Problem::BrokenLink {
                        link: p.urls.href(target),
                        page: p.urls.href(page),
                    },
                ));
            }
        }
    }
    // In the order a clean build reports them.
    rendered.errors.sort_by(|a, b| a.location.cmp(&b.location));
    rendered.errors.dedup();
    for (page, links) in rendered.body_links.drain(..) {
        kept.insert(page, links);
    }
}

fn new_manifest(
    p: &Prepared,
    all: &[Output],
    recorded: &Recorded,
    rendered: &RenderResult,
    body_links: HashMap<String, Vec<String>>,
    generation: u64,
    site: &Site,
) -> Encoded {
    let mut hashes: HashMap<&str, u128> = HashMap::new();
    for (_, files) in &rendered.files {
        for (rel, hash) in files {
            hashes.insert(rel.as_str(), *hash);
        }
    }
    let mut outputs: Vec<OutputRef> = all
        .iter()
        .flat_map(|o| {
            o.files.iter().map(|f| OutputRef {
                path: f,
                signature: o.signature,
                content: hashes
                    .get(f.as_str())
                    .copied()
                    .or_else(|| recorded.get(f).map(|(_, content)| content))
                    .unwrap_or(0),
            })
        })
        .collect();
    outputs.sort_unstable_by(|a, b| a.path.cmp(b.path));
    let index = &p.index;
    // Sources by path; the stored index names them by position in this list.
    let mut sources: Vec<(&Source, Option<usize>)> = index
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (&e.source, Some(i)))
        .chain(index.unpublished.iter().map(|s| (s, None)))
        .collect();
    sources.sort_unstable_by(|a, b| a.0.path.as_os_str().cmp(b.0.path.as_os_str()));
    let mut order = vec![0u32; index.entries.len()];
    for (id, (_, entry)) in sources.iter().enumerate() {
        if let Some(i) = entry {
            order[*i] = u32::try_from(id).expect("fewer than 4 billion articles");
        }
    }
    let limit = site.config.feed.limit;
    let terms = |terms: &[crate::site::Term]| -> Vec<StoredTerm> {
        terms
            .iter()
            .map(|t| StoredTerm {
                name: t.name.clone(),
                slug: t.slug.clone(),
                feed: t.entries.iter().take(limit).map(|&i| order[i]).collect(),
            })
            .collect()
    };
    let related_limit = site.config.related.limit;
    let related: Vec<Vec<u32>> = if related_limit == 0 {
        Vec::new()
    } else {
        (0..index.entries.len())
            .into_par_iter()
            .map(|i| {
                crate::site::related::related(index, i, related_limit)
                    .into_iter()
                    .map(|j| order[j])
                    .collect()
            })
            .collect()
    };
    let stored_index = StoredIndex {
        topics: terms(&index.topics),
        tags: terms(&index.tags),
        related,
        order: order.clone(),
        site: Some(p.site_ctx.clone()),
    };
    let sources: Vec<&Source> = sources.into_iter().map(|(s, _)| s).collect();
    let mut body_links: Vec<(String, Vec<String>)> = body_links.into_iter().collect();
    body_links.sort();
    let head = Head {
        generation,
        tail: 0,
        config: p.config,
        next_due: index
            .next_due
            .into_iter()
            .chain(p.news_due)
            .min()
            .map(|d| d.timestamp()),
        counts: [
            index.entries.len(),
            index.topics.len(),
            index.tags.len(),
            count_pages(&p.jobs),
        ],
        stamps: p.stamps.clone(),
        statics: static_stamps(&p.statics),
        index: stored_index,
        patch: Default::default(),
    };
    Manifest::encode(head, &sources, &outputs, &body_links)
}

/// What `blatt check` found.
#[derive(Debug)]
pub struct CheckReport {
    /// Articles that loaded without error.
    pub articles: usize,
    pub errors: Vec<FileError>,
}

/// Everything a build would do, drafts and future articles included, with
/// nothing written: content, templates, every page rendered, every link checked.
pub fn check(site: &Site, progress: &(dyn Fn() + Sync)) -> CheckReport {
    let mut options = BuildOptions::for_site(site);
    options.drafts = true;
    options.future = true;
    match prepare(site, &options, None, false) {
        Err((articles, errors)) => CheckReport { articles, errors },
        Ok(Plan::Unchanged | Plan::Edits(..)) => unreachable!("without a manifest everything is indexed"),
        Ok(Plan::Whole(prepared)) => {
            let all = outputs(&prepared, site);
            let which: Vec<usize> = (0..all.len()).collect();
            let rendered = render(&prepared, site, &options, &all, &which, &|_, _| Ok(()), progress);
            CheckReport {
                articles: prepared.index.entries.len(),
                errors: rendered.errors,
            }
        }
    }
}
