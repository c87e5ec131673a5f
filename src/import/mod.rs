//! `blatt import`: raw scraper output → Markdown articles under `content/`.
//!
//! Inputs are read, cleaned and turned into articles in parallel; placing
//! them (duplicate detection, unique slugs, writing) is sequential and in
//! input order, so two runs over the same inputs give the same files.

pub mod blocks;
pub mod clean;
pub mod compose;
pub mod credit;
pub mod headline;
pub mod input;
pub mod normalize;
pub mod patterns;
mod place;
mod prefilter;
pub mod retag;
pub mod similar;
pub mod stored;
pub mod terms;
pub mod text_dates;
pub mod url_title;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{FILE_NAME, Site};
use crate::content::Article;
use crate::error::{Error, FileError, InputProblem, Location, Problem, ReadProblem};
use clean::Dropped;
pub use compose::Overrides;
use input::{Format, RawArticle};
use patterns::Patterns;
use place::place;
use stored::Existing;
use terms::Classifier;

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
    /// The file's text, kept for a dry run only, which prints it: a bulk
    /// import should not hold every article it wrote until the summary.
    pub dry_run_text: Option<String>,
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
        let fail = |message: String| {
            Error::File(FileError::new(
                Location::file(&site_file),
                Problem::Input(InputProblem::BadRules(message)),
            ))
        };
        let patterns = Patterns::for_site(&config.import.patterns).map_err(|e| fail(e.to_string()))?;
        let classifier = Classifier::new(&config.topics, &config.tags).map_err(|e| fail(e.to_string()))?;
        Ok(Importer {
            site,
            patterns,
            classifier,
        })
    }

    /// Cleans one raw input into an article (not yet placed or written).
    /// An input without a date (and no `--date`) is refused with
    /// [`InputProblem::NoDate`].
    pub fn prepare(
        &self,
        raw: &RawArticle,
        overrides: &Overrides,
    ) -> Result<(Article, Vec<Dropped>, Vec<InputProblem>), FileError> {
        let (article, dropped, warnings, undated) = self.prepare_undated(raw, overrides)?;
        match undated {
            true => Err(FileError::new(raw.origin.clone(), Problem::Input(InputProblem::NoDate))),
            false => Ok((article, dropped, warnings)),
        }
    }

    /// [`Importer::prepare`], but an input without a date is an article
    /// with a stand-in date, flagged `true`: it may be the duplicate or new
    /// version of a stored article, which has a date, and only placing it
    /// tells.
    fn prepare_undated(
        &self,
        raw: &RawArticle,
        overrides: &Overrides,
    ) -> Result<(Article, Vec<Dropped>, Vec<InputProblem>, bool), FileError> {
        // Headline rules compare and cut the title many times over; a first
        // line this long is a paragraph, and the article would be misread.
        let title_chars = raw.title.chars().count();
        if title_chars > MAX_TITLE_CHARS {
            return Err(FileError::new(
                raw.origin.clone(),
                Problem::Input(InputProblem::TitleTooLong {
                    chars: title_chars,
                    limit: MAX_TITLE_CHARS,
                }),
            ));
        }
        let url = overrides.url.as_deref().or(raw.url.as_deref());
        let site_names: Vec<&str> = raw
            .site_names
            .iter()
            .map(String::as_str)
            .chain(url.and_then(headline::url_host))
            .collect();
        let cleaned = clean::clean(&raw.title, raw.lines.clone(), &site_names, url, &self.patterns);
        if cleaned.title.trim().is_empty() {
            return Err(FileError::new(
                raw.origin.clone(),
                Problem::Input(InputProblem::NoTitle),
            ));
        }
        if let Some(notice) = cleaned.paywall_stub() {
            return Err(FileError::new(
                raw.origin.clone(),
                Problem::Input(InputProblem::PaywallStub {
                    words: cleaned.paragraphs().map(|p| p.split_whitespace().count()).sum(),
                    line: notice.line,
                    notice: notice.text.chars().take(60).collect(),
                }),
            ));
        }
        if cleaned.paragraphs().next().is_none() {
            let problem = if cleaned.dropped.is_empty() {
                Problem::Input(InputProblem::NoBody)
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
                Problem::Input(InputProblem::AllChrome { rules })
            };
            return Err(FileError::new(raw.origin.clone(), problem));
        }
        let (article, mut warnings) = compose::build(
            raw,
            &cleaned,
            overrides,
            &self.site.config,
            &self.classifier,
            &self.patterns,
            &self.site.content_dir(),
        )
        .map_err(|problem| FileError::new(raw.origin.clone(), problem))?;
        if raw.title.trim().is_empty() {
            let shown: String = article.front.title.chars().take(80).collect();
            warnings.insert(0, InputProblem::TitleFromText(shown));
        }
        let dated = warnings.len();
        warnings.retain(|w| *w != InputProblem::NoDate);
        let undated = warnings.len() < dated;
        Ok((article, cleaned.dropped, warnings, undated))
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
            return fail(errors, Problem::Read(ReadProblem::NotAFile(kind)));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let problem = match std::fs::read_link(path) {
                Ok(target) => Problem::Read(ReadProblem::DanglingLink(target)),
                Err(_) => Problem::Read(ReadProblem::Io(
                    std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder").into(),
                )),
            };
            return fail(errors, problem);
        }
        Err(e) => return fail(errors, Problem::Read(ReadProblem::Io(e.into()))),
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
    let prepare = |raw: Result<RawArticle, FileError>| -> Prepared {
        let raw = raw?;
        let (article, dropped, warnings, undated) = importer.prepare_undated(&raw, &options.overrides)?;
        Ok((raw, article, dropped, warnings, undated))
    };
    let mut placer = Placer::new(site, &importer, !options.dry_run);
    let mut k = 0;
    while k < jobs.len() {
        // A JSON Lines file is read and placed in chunks of records, so that
        // memory follows the chunk, not the file.
        if let Job::File(path, Format::JsonLines) = &jobs[k] {
            match input::JsonLines::open(path, max_size) {
                Ok(Some(mut records)) => loop {
                    let chunk = records.next_chunk(RECORDS_AT_ONCE);
                    if chunk.is_empty() {
                        break;
                    }
                    let prepared: Vec<Prepared> = chunk.into_par_iter().map(prepare).collect();
                    placer.place(prepared, options, &mut report);
                },
                Ok(None) => placer.place(
                    input::read_file(path, Format::JsonLines, max_size)
                        .into_iter()
                        .map(prepare)
                        .collect(),
                    options,
                    &mut report,
                ),
                Err(e) => report.errors.push(e),
            }
            progress();
            k += 1;
            continue;
        }
        let end = (k..jobs.len())
            .find(|&j| matches!(jobs[j], Job::File(_, Format::JsonLines)))
            .unwrap_or(jobs.len());
        let prepared: Vec<Vec<Prepared>> = jobs[k..end]
            .par_iter()
            .map(|job| {
                let raws = match job {
                    Job::File(path, format) => input::read_file(path, *format, max_size),
                    // The command line stops reading standard input one byte past
                    // the limit, so its real size is unknown.
                    Job::Stdin(bytes) if bytes.len() as u64 > max_size => vec![Err(FileError::new(
                        Location::file("-"),
                        Problem::Read(ReadProblem::StreamTooLarge { limit: max_size }),
                    ))],
                    Job::Stdin(bytes) => match input::gunzip(bytes.clone(), max_size) {
                        Ok(bytes) => input::parse_bytes(&bytes, None, Path::new("-"), None),
                        Err(problem) => vec![Err(FileError::new(Location::file("-"), problem))],
                    },
                };
                let out = raws.into_iter().map(prepare).collect();
                progress();
                out
            })
            .collect();
        placer.place(prepared.into_iter().flatten().collect(), options, &mut report);
        k = end;
    }
    Ok(report)
}

/// Records of a JSON Lines file prepared in parallel at a time: enough to
/// keep both cores busy, few enough that memory stays small.
const RECORDS_AT_ONCE: usize = 256;

/// An input made into an article, `true` when its date is a stand-in.
type Prepared = Result<(RawArticle, Article, Vec<Dropped>, Vec<InputProblem>, bool), FileError>;

/// Puts prepared articles into `content/` in input order, against what is
/// there and what this run placed before.
struct Placer {
    existing: Existing,
    rules: crate::content::Rules,
    spellings: terms::Spellings,
}

impl Placer {
    /// `keep`: whether the summaries of `content/` may be kept for the
    /// next run (not in a dry run, which writes nothing).
    fn new(site: &Site, importer: &Importer, keep: bool) -> Placer {
        let existing = Existing::load(site, keep);
        let spellings = existing.spellings(&importer.classifier, &site.config.language);
        Placer {
            existing,
            rules: crate::content::Rules::of(&site.config),
            spellings,
        }
    }

    fn place(&mut self, prepared: Vec<Prepared>, options: &ImportOptions, report: &mut ImportReport) {
        for result in prepared {
            match result {
                Err(e) => report.errors.push(e),
                Ok((raw, mut article, dropped, warnings, undated)) => {
                    // In input order, so that the first spelling of a term wins.
                    let language = article.front.language.clone();
                    let tags = std::mem::take(&mut article.front.tags);
                    let tags = tags.iter().map(|t| self.spellings.canonical(t, language.as_deref()));
                    terms::push_unique(&mut article.front.tags, tags);
                    for w in warnings {
                        report
                            .warnings
                            .push(FileError::new(raw.origin.clone(), Problem::Input(w)));
                    }
                    match place(article, undated, &mut self.existing, options, &self.rules) {
                        Ok((path, action, article)) => report.outcomes.push(Outcome {
                            origin: raw.origin,
                            path,
                            dry_run_text: (action == Action::WouldWrite).then(|| article.to_file_string()),
                            action,
                            dropped,
                            record: raw.record,
                        }),
                        Err(problem) => report.errors.push(FileError::new(raw.origin, problem)),
                    }
                }
            }
        }
    }
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
