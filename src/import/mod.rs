//! `blatt import`: raw scraper output → Markdown articles under `content/`.
//!
//! Inputs are read, cleaned and turned into articles in parallel; placing
//! them (duplicate detection, unique slugs, writing) is sequential and in
//! input order, so two runs over the same inputs give the same files.

pub mod article;
pub mod classify;
pub mod clean;
pub mod credit;
pub mod dates;
pub mod headline;
mod literals;
pub mod markdown;
pub mod normalize;
pub mod patterns;
pub mod retag;
pub mod similar;
pub mod source;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{FILE_NAME, Site};
use crate::content::{Article, load_dir};
use crate::error::{Error, FileError, Location, Problem};
use crate::output;
pub use article::Overrides;
use classify::Classifier;
use clean::Dropped;
use patterns::Patterns;
use source::{Format, RawArticle};

/// The longest title import accepts; real headlines, page-title suffix
/// included, stay far below it.
pub const MAX_TITLE_CHARS: usize = 1000;

/// One thing to import.
#[derive(Debug, Clone)]
pub enum Input {
    /// A file, or a folder searched recursively for `.txt`, `.json`, `.jsonl`.
    Path(PathBuf),
    /// Standard input, already read; its format is guessed.
    Stdin(Vec<u8>),
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub overrides: Overrides,
    /// Report what would be written, write nothing.
    pub dry_run: bool,
    /// Replace an existing file for the same article that differs.
    pub force: bool,
    /// Replace the stored article an input is an updated version of (a
    /// near-duplicate), in place, setting `updated`.
    pub update: bool,
}

/// What happened to one imported article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Written,
    /// An existing file for the same article was replaced (`--force`).
    Replaced,
    /// `--force` found the existing file already identical.
    Unchanged,
    /// `--dry-run`: this would have been written.
    WouldWrite,
    /// The same story is already in `content/` at this path.
    Duplicate(PathBuf),
    /// The same story is at this path, and the input filled in what its
    /// front matter lacked (`date`, `source_url`, …; listed).
    Enriched(PathBuf, Vec<&'static str>),
    /// The input is an updated version of the article at `of`; without
    /// `--update` only the fields in `filled` were filled in.
    NewerVersion {
        of: PathBuf,
        evidence: Evidence,
        filled: Vec<&'static str>,
    },
    /// `--update`: the article at this path was replaced by its new version.
    Updated(PathBuf),
}

/// Why an input is taken for a new version of a stored article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// The bodies share this percentage of their shingles.
    Text(u32),
    /// The same source URL.
    SourceUrl,
    /// Neither has a source URL; the same title and date.
    TitleAndDate,
}

impl std::fmt::Display for Evidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Evidence::Text(percent) => write!(f, "{percent} % the same text"),
            Evidence::SourceUrl => f.write_str("the same source URL"),
            Evidence::TitleAndDate => f.write_str("the same title and date"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub origin: Location,
    /// The article's file (for a duplicate: the file it would have been).
    pub path: PathBuf,
    pub action: Action,
    pub article: Article,
    pub dropped: Vec<Dropped>,
    /// For JSON input, which record of the file; the dropped lines count
    /// within its text.
    pub record: Option<usize>,
}

#[derive(Debug, Default)]
pub struct ImportReport {
    pub outcomes: Vec<Outcome>,
    pub errors: Vec<FileError>,
    pub warnings: Vec<FileError>,
    /// Files in input folders with other extensions, left alone.
    pub skipped: Vec<PathBuf>,
}

impl ImportReport {
    pub fn count(&self, pred: impl Fn(&Action) -> bool) -> usize {
        self.outcomes.iter().filter(|o| pred(&o.action)).count()
    }
}

/// Cleans inputs into articles with one site's settings.
pub struct Importer<'s> {
    site: &'s Site,
    patterns: std::borrow::Cow<'static, Patterns>,
    classifier: Classifier,
}

impl<'s> Importer<'s> {
    /// Compiles the site's patterns and rules; a bad one is a `site.yaml` error.
    pub fn new(site: &'s Site) -> Result<Importer<'s>, Error> {
        let config = &site.config;
        let site_file = site.root.join(FILE_NAME);
        let fail = |message: String| Error::File(FileError::new(Location::file(&site_file), Problem::Other(message)));
        let patterns = Patterns::for_site(&config.import.patterns).map_err(|e| fail(e.to_string()))?;
        let classifier = Classifier::new(&config.topics, &config.tags).map_err(|e| fail(e.to_string()))?;
        Ok(Importer {
            site,
            patterns,
            classifier,
        })
    }

    /// Cleans one raw input into an article (not yet placed or written).
    pub fn prepare(
        &self,
        raw: &RawArticle,
        overrides: &Overrides,
    ) -> Result<(Article, Vec<Dropped>, Vec<String>), FileError> {
        // Headline rules compare and cut the title many times over; a first
        // line this long is a paragraph, and the article would be misread.
        let title_chars = raw.title.chars().count();
        if title_chars > MAX_TITLE_CHARS {
            return Err(FileError::new(
                raw.origin.clone(),
                Problem::TitleTooLong {
                    chars: title_chars,
                    limit: MAX_TITLE_CHARS,
                },
            ));
        }
        let url = overrides.url.as_deref().or(raw.url.as_deref());
        let site_names: Vec<&str> = raw
            .site_names
            .iter()
            .map(String::as_str)
            .chain(url.and_then(headline::url_host))
            .collect();
        let cleaned = clean::clean(&raw.title, raw.lines.clone(), &site_names, &self.patterns);
        if cleaned.title.trim().is_empty() {
            return Err(FileError::new(raw.origin.clone(), Problem::NoTitle));
        }
        if let Some(notice) = cleaned.paywall_stub() {
            return Err(FileError::new(
                raw.origin.clone(),
                Problem::Other(format!(
                    "has no article text: a teaser of {} words and a paywall notice at line {} (`{}`)",
                    cleaned
                        .paragraphs()
                        .map(|p| p.split_whitespace().count())
                        .sum::<usize>(),
                    notice.line,
                    notice.text.chars().take(60).collect::<String>()
                )),
            ));
        }
        if cleaned.paragraphs().next().is_none() {
            let problem = if cleaned.dropped.is_empty() {
                Problem::NoBody
            } else {
                let mut rules: Vec<String> = Vec::new();
                for d in &cleaned.dropped {
                    let line = format!("line {} ({})", d.line, d.rule);
                    if rules.len() < 5 {
                        rules.push(line);
                    }
                }
                if cleaned.dropped.len() > rules.len() {
                    rules.push(format!("{} more", cleaned.dropped.len() - rules.len()));
                }
                Problem::Other(format!(
                    "has no body text left: every line looks like page chrome: {}",
                    rules.join(", ")
                ))
            };
            return Err(FileError::new(raw.origin.clone(), problem));
        }
        let (article, warnings) = article::build(
            raw,
            &cleaned,
            overrides,
            &self.site.config,
            &self.classifier,
            &self.patterns,
            &self.site.content_dir(),
        )
        .map_err(|problem| FileError::new(raw.origin.clone(), problem))?;
        Ok((article, cleaned.dropped, warnings))
    }
}

/// The files an input names: itself, or the importable files below a folder.
fn expand(path: &Path, skipped: &mut Vec<PathBuf>, errors: &mut Vec<FileError>) -> Vec<(PathBuf, Format)> {
    let fail = |errors: &mut Vec<FileError>, problem| {
        errors.push(FileError::new(Location::file(path), problem));
        Vec::new()
    };
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => {
            return match Format::of(path) {
                Some(f) => vec![(path.to_path_buf(), f)],
                // Named explicitly, so the user wants it read: as text.
                None => vec![(path.to_path_buf(), Format::Text)],
            };
        }
        Ok(meta) if meta.is_dir() => {}
        // Reading a named pipe blocks until something writes to it; `-` is
        // the way to pipe an article in.
        Ok(meta) => {
            let kind = crate::read::kind_of(&meta.file_type());
            return fail(errors, Problem::NotAFile(kind));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let problem = match std::fs::read_link(path) {
                Ok(target) => Problem::DanglingLink(target),
                Err(_) => Problem::Read("no such file or folder".into()),
            };
            return fail(errors, problem);
        }
        Err(e) => return fail(errors, Problem::Read(e.to_string())),
    }
    let (files, mut walk_errors) = crate::content::load::walk_files(path, |p| {
        let known = Format::of(p).is_some();
        if !known {
            skipped.push(p.to_path_buf());
        }
        known
    });
    errors.append(&mut walk_errors);
    files
        .into_iter()
        .map(|p| {
            let format = Format::of(&p).expect("walk_files kept only known formats");
            (p, format)
        })
        .collect()
}

/// What `content/` already holds, to find duplicates and free slugs.
struct Existing {
    by_fingerprint: HashMap<String, PathBuf>,
    by_path: HashMap<PathBuf, Article>,
    /// The near-duplicate index of the stored bodies, made when an input
    /// first needs it (an import of duplicates only never does). Its keys
    /// are places in `slots`, which follow a file that moves.
    near: Option<similar::Index<usize>>,
    slots: Vec<PathBuf>,
    slot_of: HashMap<PathBuf, usize>,
}

/// The shingles of an article's body as a reader sees it.
fn body_shingles(article: &Article) -> Vec<u64> {
    similar::shingles(&crate::content::markdown::to_text(&article.body))
}

impl Existing {
    fn load(site: &Site) -> Existing {
        let loaded = load_dir(&site.content_dir(), &crate::content::Rules::of(&site.config));
        let mut by_fingerprint = HashMap::new();
        let mut by_path = HashMap::new();
        for article in loaded.articles {
            if let Some(fp) = &article.front.fingerprint {
                by_fingerprint.entry(fp.clone()).or_insert_with(|| article.path.clone());
            }
            by_path.insert(article.path.clone(), article);
        }
        Existing {
            by_fingerprint,
            by_path,
            near: None,
            slots: Vec::new(),
            slot_of: HashMap::new(),
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
    fn nearest(&mut self, shingles: &[u64]) -> Option<(PathBuf, f64)> {
        if self.near.is_none() {
            let mut paths: Vec<PathBuf> = self.by_path.keys().cloned().collect();
            paths.sort();
            let shingled: Vec<Vec<u64>> = paths.par_iter().map(|p| body_shingles(&self.by_path[p])).collect();
            let mut index = similar::Index::default();
            for (path, shingles) in paths.iter().zip(shingled) {
                index.insert(self.slot(path), &shingles);
            }
            self.near = Some(index);
        }
        let candidates = self.near.as_ref().map(|i| i.candidates(shingles)).unwrap_or_default();
        let mut best: Option<(PathBuf, f64)> = None;
        for id in candidates {
            let path = &self.slots[id];
            let Some(stored) = self.by_path.get(path) else { continue };
            let similarity = similar::jaccard(shingles, &body_shingles(stored));
            if similarity >= similar::NEAR && best.as_ref().is_none_or(|(_, b)| similarity > *b) {
                best = Some((path.clone(), similarity));
            }
        }
        best
    }

    /// Records an article placed at `path` (new, or a new version).
    fn remember(&mut self, path: &Path, fingerprint: &str, article: &Article) {
        self.by_fingerprint.insert(fingerprint.to_string(), path.to_path_buf());
        self.by_path.insert(path.to_path_buf(), article.clone());
        self.index(path, article);
    }

    /// Makes `article`'s body findable, once the index exists.
    fn index(&mut self, path: &Path, article: &Article) {
        if self.near.is_some() {
            let id = self.slot(path);
            let shingles = body_shingles(article);
            if let Some(index) = &mut self.near {
                index.insert(id, &shingles);
            }
        }
    }

    /// Follows an article whose file moved (a date filled in).
    fn moved(&mut self, from: &Path, to: &Path) {
        if from == to {
            return;
        }
        if let Some(article) = self.by_path.remove(from) {
            self.by_path.insert(to.to_path_buf(), article);
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
    fn spellings(&self, classifier: &Classifier, site_language: &str) -> classify::Spellings {
        let mut spellings = classify::Spellings::default();
        for name in classifier.rule_names() {
            spellings.learn(name, Some(site_language));
        }
        let mut paths: Vec<&PathBuf> = self.by_path.keys().collect();
        paths.sort();
        for path in paths {
            let front = &self.by_path[path].front;
            for term in front.topics.iter().chain(&front.tags) {
                spellings.learn(term, front.language.as_deref());
            }
        }
        spellings
    }

    /// Whether `path` is taken, by a file this index knows or one on disk
    /// that it could not parse (which must not be overwritten either).
    fn taken(&self, path: &Path) -> bool {
        self.by_path.contains_key(path) || path.exists()
    }

    /// Reads an article that appeared at `path` after the index was made.
    /// Returns `path` when it is the story with `fingerprint`.
    fn learn(&mut self, path: &Path, fingerprint: &str, rules: &crate::content::Rules) -> Option<PathBuf> {
        let text = std::fs::read_to_string(path).ok()?;
        let article = Article::parse(&text, path, rules).ok()?;
        let same = article.front.fingerprint.as_deref() == Some(fingerprint);
        if let Some(fp) = &article.front.fingerprint {
            self.by_fingerprint
                .entry(fp.clone())
                .or_insert_with(|| path.to_path_buf());
        }
        self.index(path, &article);
        self.by_path.insert(path.to_path_buf(), article);
        same.then(|| path.to_path_buf())
    }
}

/// Whether two articles are the same story in different versions: the same
/// source URL, or, where neither has one, the same title and date.
fn same_article(a: &Article, b: &Article) -> Option<Evidence> {
    match (&a.front.source_url, &b.front.source_url) {
        (Some(x), Some(y)) => (x == y).then_some(Evidence::SourceUrl),
        (None, None) => {
            (a.front.title == b.front.title && a.front.date == b.front.date).then_some(Evidence::TitleAndDate)
        }
        _ => None,
    }
}

/// Imports `inputs` into the site's `content/`. `progress` is called once per
/// input file read, for a progress bar.
pub fn run(
    site: &Site,
    inputs: &[Input],
    options: &ImportOptions,
    progress: &(dyn Fn() + Sync),
) -> Result<ImportReport, Error> {
    let mut report = ImportReport::default();
    let max_size = site.config.import.max_file_size;

    enum Job {
        File(PathBuf, Format),
        Stdin(Vec<u8>),
    }
    let mut jobs = Vec::new();
    for input in inputs {
        match input {
            Input::Path(p) => {
                for (path, format) in expand(p, &mut report.skipped, &mut report.errors) {
                    jobs.push(Job::File(path, format));
                }
            }
            Input::Stdin(bytes) => jobs.push(Job::Stdin(bytes.clone())),
        }
    }

    if jobs.is_empty() {
        return Ok(report);
    }
    let importer = Importer::new(site)?;
    type Prepared = Result<(RawArticle, Article, Vec<Dropped>, Vec<String>), FileError>;
    let prepared: Vec<Vec<Prepared>> = jobs
        .par_iter()
        .map(|job| {
            let raws = match job {
                Job::File(path, format) => source::read_file(path, *format, max_size),
                // The command line stops reading standard input one byte past
                // the limit, so its real size is unknown.
                Job::Stdin(bytes) if bytes.len() as u64 > max_size => vec![Err(FileError::new(
                    Location::file("-"),
                    Problem::StreamTooLarge { limit: max_size },
                ))],
                Job::Stdin(bytes) => match source::gunzip(bytes.clone(), max_size) {
                    Ok(bytes) => source::parse_bytes(&bytes, None, Path::new("-"), None),
                    Err(problem) => vec![Err(FileError::new(Location::file("-"), problem))],
                },
            };
            let out = raws
                .into_iter()
                .map(|raw| {
                    let raw = raw?;
                    let (article, dropped, warnings) = importer.prepare(&raw, &options.overrides)?;
                    Ok((raw, article, dropped, warnings))
                })
                .collect();
            progress();
            out
        })
        .collect();

    let mut existing = Existing::load(site);
    let mut spellings = existing.spellings(&importer.classifier, &site.config.language);
    for result in prepared.into_iter().flatten() {
        match result {
            Err(e) => report.errors.push(e),
            Ok((raw, mut article, dropped, warnings)) => {
                // In input order, so that the first spelling of a term wins.
                let language = article.front.language.clone();
                let tags = std::mem::take(&mut article.front.tags);
                let tags = tags.iter().map(|t| spellings.canonical(t, language.as_deref()));
                classify::push_unique(&mut article.front.tags, tags);
                for w in warnings {
                    report
                        .warnings
                        .push(FileError::new(raw.origin.clone(), Problem::Other(w)));
                }
                match place(
                    article,
                    &mut existing,
                    options,
                    &crate::content::Rules::of(&site.config),
                ) {
                    Ok((path, action, article)) => report.outcomes.push(Outcome {
                        origin: raw.origin,
                        path,
                        action,
                        article,
                        dropped,
                        record: raw.record,
                    }),
                    Err(problem) => report.errors.push(FileError::new(raw.origin, problem)),
                }
            }
        }
    }
    Ok(report)
}

/// Decides where an article goes and writes it (unless a dry run).
fn place(
    mut article: Article,
    existing: &mut Existing,
    options: &ImportOptions,
    rules: &crate::content::Rules,
) -> Result<(PathBuf, Action, Article), Problem> {
    let fingerprint = article.front.fingerprint.clone().unwrap_or_default();
    if let Some(path) = existing.by_fingerprint.get(&fingerprint).cloned() {
        if !options.force {
            let (path, filled) = fill_in_stored(&path, &article, existing, options, rules)?;
            let action = match filled.is_empty() {
                true => Action::Duplicate(path.clone()),
                false => Action::Enriched(path.clone(), filled),
            };
            return Ok((path, action, article));
        }
        let old_slug = existing.by_path.get(&path).and_then(|a| a.front.slug.clone());
        article.front.slug = old_slug.or(article.front.slug);
        article.path = path.clone();
        let text = article.to_file_string();
        let same = std::fs::read_to_string(&path).is_ok_and(|old| old == text);
        let action = match (same, options.dry_run) {
            (true, _) => Action::Unchanged,
            (false, true) => Action::WouldWrite,
            (false, false) => {
                write(&path, &text)?;
                Action::Replaced
            }
        };
        existing.by_path.insert(path.clone(), article.clone());
        return Ok((path, action, article));
    }

    if let Some((path, similarity)) = existing.nearest(&body_shingles(&article)) {
        if options.update {
            return update(&path, article, existing, options, rules);
        }
        // Below 100: 99.6 % is not the same text.
        let evidence = Evidence::Text(((similarity * 100.0).floor() as u32).min(99));
        return newer_version(&path, evidence, article, existing, options, rules);
    }

    let base_slug = article.front.slug.clone().unwrap_or_else(|| article.slug());
    let dir = article.path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut n = 1;
    let (path, action) = loop {
        let slug = if n == 1 {
            base_slug.clone()
        } else {
            format!("{base_slug}-{n}")
        };
        let candidate = dir.join(format!("{slug}.md"));
        if !existing.taken(&candidate) {
            article.front.slug = Some(slug);
            article.path = candidate.clone();
            if options.dry_run {
                break (candidate, Action::WouldWrite);
            }
            if write_new(&candidate, &article.to_file_string())? {
                break (candidate, Action::Written);
            }
            // Another import wrote this file since `content/` was read:
            // judge it as if it had been there all along.
            if let Some(duplicate) = existing.learn(&candidate, &fingerprint, rules) {
                return Ok((duplicate.clone(), Action::Duplicate(duplicate), article));
            }
            continue;
        }
        let evidence = existing
            .by_path
            .get(&candidate)
            .and_then(|old| same_article(old, &article));
        if let Some(evidence) = evidence {
            if !options.force {
                // Too short or too rewritten to tell by the text; the URL,
                // or the title and date, say it is the same story.
                if options.update {
                    return update(&candidate, article, existing, options, rules);
                }
                return newer_version(&candidate, evidence, article, existing, options, rules);
            }
            article.front.slug = Some(slug);
            article.path = candidate.clone();
            if !options.dry_run {
                write(&candidate, &article.to_file_string())?;
            }
            break (
                candidate,
                if options.dry_run {
                    Action::WouldWrite
                } else {
                    Action::Replaced
                },
            );
        }
        n += 1;
    };
    existing.remember(&path, &fingerprint, &article);
    Ok((path, action, article))
}

fn date_assumed(front: &crate::content::FrontMatter) -> bool {
    front.extra.get(article::DATE_ASSUMED) == Some(&serde_yaml::Value::Bool(true))
}

/// Fills the fields `stored` lacks from `new`, another version of the same
/// story: a date where the stored one was assumed (`--date`, the file's
/// time) and the new version carries one, the source URL, authors,
/// sources, the summary. Names the fields filled in.
fn fill_in(stored: &mut crate::content::FrontMatter, new: &crate::content::FrontMatter) -> Vec<&'static str> {
    let mut filled = Vec::new();
    if date_assumed(stored) && !date_assumed(new) {
        stored.date = new.date;
        stored.extra.remove(article::DATE_ASSUMED);
        filled.push("date");
    }
    if stored.source_url.is_none() && new.source_url.is_some() {
        stored.source_url.clone_from(&new.source_url);
        filled.push("source_url");
    }
    for (name, have, from) in [
        ("authors", &mut stored.authors, &new.authors),
        ("sources", &mut stored.sources, &new.sources),
    ] {
        if have.is_empty() && !from.is_empty() {
            have.clone_from(from);
            filled.push(name);
        }
    }
    if stored.summary.is_none() && new.summary.is_some() {
        stored.summary.clone_from(&new.summary);
        filled.push("summary");
    }
    filled
}

/// Where an article goes once its date changed: the folder of its new month
/// when it was in its old month's (`content/YYYY/MM/`), else where it is.
fn relocated(path: &Path, old: &str, article: &Article, tz: chrono_tz::Tz) -> PathBuf {
    let (Some(month_dir), Some(name)) = (path.parent(), path.file_name()) else {
        return path.to_path_buf();
    };
    let Some(content_dir) = month_dir.parent().and_then(Path::parent) else {
        return path.to_path_buf();
    };
    if !month_dir.ends_with(old) {
        return path.to_path_buf();
    }
    let new = article.front.date.with_timezone(&tz).format("%Y/%m").to_string();
    content_dir.join(new).join(name)
}

/// Writes `article` at `from`, then moves it to `to` unless a file is there
/// (then it stays at `from`). Returns where it is.
fn commit(from: &Path, to: &Path, article: &Article) -> Result<PathBuf, Problem> {
    write(from, &article.to_file_string())?;
    if from == to {
        return Ok(from.to_path_buf());
    }
    let fail = |e: std::io::Error| Problem::Write(format!("{}: {e}", to.display()));
    std::fs::create_dir_all(to.parent().unwrap_or(Path::new("."))).map_err(fail)?;
    // A link never replaces a file; the old name goes once the new one is there.
    match std::fs::hard_link(from, to) {
        Ok(()) => {
            std::fs::remove_file(from).map_err(|e| Problem::Write(format!("{}: {e}", from.display())))?;
            // The old month's folder and its year's, if that left them
            // empty (`remove_dir` takes nothing else).
            for dir in from.ancestors().skip(1).take(2) {
                let _ = std::fs::remove_dir(dir);
            }
            Ok(to.to_path_buf())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(from.to_path_buf()),
        Err(e) => Err(fail(e)),
    }
}

/// Reports `new` as a newer version of the article at `path`, filling in
/// what that one lacks.
fn newer_version(
    path: &Path,
    evidence: Evidence,
    new: Article,
    existing: &mut Existing,
    options: &ImportOptions,
    rules: &crate::content::Rules,
) -> Result<(PathBuf, Action, Article), Problem> {
    let (path, filled) = fill_in_stored(path, &new, existing, options, rules)?;
    let action = Action::NewerVersion {
        of: path.clone(),
        evidence,
        filled,
    };
    Ok((path, action, new))
}

/// Fills in the stored article at `path` from `new` (see [`fill_in`]) and
/// writes it (unless a dry run). Returns where it is and what was filled in.
fn fill_in_stored(
    path: &Path,
    new: &Article,
    existing: &mut Existing,
    options: &ImportOptions,
    rules: &crate::content::Rules,
) -> Result<(PathBuf, Vec<&'static str>), Problem> {
    let Some(mut stored) = existing.by_path.get(path).cloned() else {
        return Ok((path.to_path_buf(), Vec::new()));
    };
    let old_month = stored.front.date.with_timezone(&rules.tz).format("%Y/%m").to_string();
    let filled = fill_in(&mut stored.front, &new.front);
    if filled.is_empty() {
        return Ok((path.to_path_buf(), filled));
    }
    let target = relocated(path, &old_month, &stored, rules.tz);
    let at = match options.dry_run {
        true => target,
        false => commit(path, &target, &stored)?,
    };
    stored.path = at.clone();
    existing.by_path.insert(path.to_path_buf(), stored);
    existing.moved(path, &at);
    Ok((at, filled))
}

/// `--update`: `new` replaces the stored article at `path`, its updated
/// version. The slug stays, and so does the date unless it was assumed and
/// the new version carries one; `updated` is the new version's date when it
/// is later, else now. What the new version lacks (source URL, authors,
/// sources, summary, `extra` keys) is kept, and so are the terms the rules
/// did not make (an editor's).
fn update(
    path: &Path,
    mut article: Article,
    existing: &mut Existing,
    options: &ImportOptions,
    rules: &crate::content::Rules,
) -> Result<(PathBuf, Action, Article), Problem> {
    let Some(stored) = existing.by_path.get(path).cloned() else {
        return Err(Problem::Other(format!("{} vanished during the import", path.display())));
    };
    let tz = rules.tz;
    let old_month = stored.front.date.with_timezone(&tz).format("%Y/%m").to_string();
    let new_dated = !date_assumed(&article.front);
    let new_date = article.front.date;
    let front = &mut article.front;
    front.extra.remove(article::DATE_ASSUMED);
    if !(date_assumed(&stored.front) && new_dated) {
        front.date = stored.front.date;
        if date_assumed(&stored.front) {
            front.extra.insert(article::DATE_ASSUMED.into(), true.into());
        }
    }
    let now = chrono::Utc::now().with_timezone(&tz).fixed_offset();
    let now = crate::content::date::parse(&crate::content::date::format(&now), tz).unwrap_or(now);
    let updated = if new_dated && new_date > front.date {
        new_date
    } else {
        now
    };
    front.updated = Some(updated.max(front.date));
    front.slug = Some(stored.slug());
    front.draft = stored.front.draft;
    fill_in(front, &stored.front);
    let made = retag::rule_made(&stored.front);
    let own = |list: &[String]| list.iter().filter(|t| !made.contains(*t)).cloned().collect::<Vec<_>>();
    classify::push_unique(&mut front.topics, own(&stored.front.topics));
    classify::push_unique(&mut front.tags, own(&stored.front.tags));
    front.topics.truncate(rules.limits.max_terms);
    front.tags.truncate(rules.limits.max_terms);
    for (key, value) in &stored.front.extra {
        let ours = [article::RULE_TERMS, article::DATE_ASSUMED].map(serde_yaml::Value::from);
        if !front.extra.contains_key(key) && !ours.contains(key) {
            front.extra.insert(key.clone(), value.clone());
        }
    }
    let target = relocated(path, &old_month, &article, tz);
    article.path = path.to_path_buf();
    let at = match options.dry_run {
        true => target,
        false => commit(path, &target, &article)?,
    };
    article.path = at.clone();
    existing.moved(path, &at);
    let fingerprint = article.front.fingerprint.clone().unwrap_or_default();
    existing.remember(&at, &fingerprint, &article);
    Ok((at.clone(), Action::Updated(at), article))
}

/// Writes a new file, never over one that exists: complete (a temporary
/// file linked into place) or not at all. `false` when `path` exists, which
/// another `blatt import` running at the same time may have just written.
fn write_new(path: &Path, text: &str) -> Result<bool, Problem> {
    use std::io::Write;
    let fail = |e: std::io::Error| Problem::Write(format!("{}: {e}", path.display()));
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(fail)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".blatt-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(fail)?;
    tmp.write_all(text.as_bytes()).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(true),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(fail(e.error)),
    }
}

fn write(path: &Path, text: &str) -> Result<(), Problem> {
    output::write_atomic(path, text.as_bytes()).map_err(|e| Problem::Write(format!("{}: {e}", path.display())))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn inputs_that_are_not_regular_files_are_named_and_never_opened() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("x.txt");
        rustix::fs::mkfifoat(rustix::fs::CWD, &pipe, rustix::fs::Mode::from_raw_mode(0o644)).unwrap();
        let link = dir.path().join("gone.txt");
        std::os::unix::fs::symlink("nowhere.txt", &link).unwrap();
        let missing = dir.path().join("missing.txt");
        let mut skipped = Vec::new();
        let mut errors = Vec::new();
        for path in [&pipe, &link, &missing] {
            assert!(expand(path, &mut skipped, &mut errors).is_empty());
        }
        // Inside a folder too; a pipe of another kind counts as skipped.
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            dir.path().join("y.fifo"),
            rustix::fs::Mode::from_raw_mode(0o644),
        )
        .unwrap();
        assert!(expand(dir.path(), &mut skipped, &mut errors).is_empty());
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        let at = |name: &str| dir.path().join(name).display().to_string();
        assert_eq!(
            shown,
            vec![
                format!("{}: is a named pipe (FIFO), not a regular file; skipped", at("x.txt")),
                format!(
                    "{}: is a symbolic link to `nowhere.txt`, which does not exist",
                    at("gone.txt")
                ),
                format!("{}: cannot read: no such file or folder", at("missing.txt")),
                format!(
                    "{}: is a symbolic link to `nowhere.txt`, which does not exist",
                    at("gone.txt")
                ),
                format!("{}: is a named pipe (FIFO), not a regular file; skipped", at("x.txt")),
            ]
        );
        assert_eq!(skipped, vec![dir.path().join("y.fifo")]);
    }

    #[test]
    fn standard_input_over_the_limit_does_not_claim_a_size() {
        let dir = tempfile::tempdir().unwrap();
        let mut site = Site {
            root: dir.path().to_path_buf(),
            config: Default::default(),
        };
        site.config.import.max_file_size = 10;
        let input = Input::Stdin(b"Titel\nText.".to_vec());
        let report = run(&site, &[input], &ImportOptions::default(), &|| {}).unwrap();
        let shown: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            shown,
            vec!["-: is more than the limit of 10 bytes (import.max_file_size in site.yaml)"]
        );
        assert!(!dir.path().join("content").exists());
    }
}
