//! Error types shared by the pipeline.
//!
//! Content problems are collected, not thrown: a build or import reports every
//! bad file in one run, so each problem carries the file and, where one can be
//! named, the line a user has to open.

use std::fmt;
use std::path::{Path, PathBuf};

/// A file and, where known, the 1-based line in it.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub path: PathBuf,
    pub line: Option<usize>,
}

impl Location {
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location {
            path: path.into(),
            line: None,
        }
    }

    pub fn line(path: impl Into<PathBuf>, line: usize) -> Self {
        Location {
            path: path.into(),
            line: Some(line),
        }
    }

    pub fn with_line(&self, line: usize) -> Self {
        Location::line(self.path.clone(), line)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        Ok(())
    }
}

/// One problem with one input or content file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{location}: {problem}")]
pub struct FileError {
    pub location: Location,
    pub problem: Problem,
}

impl FileError {
    pub fn new(location: Location, problem: Problem) -> Self {
        FileError { location, problem }
    }

    pub fn at(path: &Path, line: Option<usize>, problem: Problem) -> Self {
        FileError {
            location: Location {
                path: path.to_path_buf(),
                line,
            },
            problem,
        }
    }
}

/// What is wrong with a file, worded for the person who has to fix it: one
/// type per layer that finds such problems, so that a caller can tell a read
/// failure from a bad front-matter key without parsing messages.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Problem {
    /// Reading a file or walking a folder (`read`, `content::load`, import inputs).
    #[error(transparent)]
    Read(#[from] ReadProblem),
    /// Writing the site or an imported article (`output`, import).
    #[error(transparent)]
    Write(#[from] WriteProblem),
    /// A YAML document's shape and values: site.yaml and front matter.
    #[error(transparent)]
    Yaml(#[from] YamlProblem),
    /// An article file as the content layer sees it.
    #[error(transparent)]
    Content(#[from] ContentProblem),
    /// An import input that cannot become an article, or what import
    /// changed in one (warnings).
    #[error(transparent)]
    Input(#[from] InputProblem),
    /// Templates and the pages they make.
    #[error(transparent)]
    Render(#[from] RenderProblem),
}

impl Problem {
    /// A problem reported without stopping the command.
    pub fn is_warning(&self) -> bool {
        matches!(
            self,
            Problem::Read(ReadProblem::LinkOutside(_))
                | Problem::Input(
                    InputProblem::UnreadableMetadataDate(_)
                        | InputProblem::TitleFromText(_)
                        | InputProblem::NotHttpSourceUrl(_)
                        | InputProblem::NotHttpImage(_)
                        | InputProblem::TooManyTerms { .. }
                        | InputProblem::TermLeftOut { .. }
                )
        )
    }
}

/// An I/O error as a problem keeps it: its kind for callers, its message
/// for people, and the error itself as the source. Shared, because problems
/// are collected into lists that are cloned and compared.
#[derive(Debug, Clone)]
pub struct IoCause(std::sync::Arc<std::io::Error>);

impl IoCause {
    pub fn kind(&self) -> std::io::ErrorKind {
        self.0.kind()
    }
}

impl From<std::io::Error> for IoCause {
    fn from(e: std::io::Error) -> Self {
        IoCause(std::sync::Arc::new(e))
    }
}

impl PartialEq for IoCause {
    fn eq(&self, other: &Self) -> bool {
        self.kind() == other.kind() && self.0.to_string() == other.0.to_string()
    }
}

impl fmt::Display for IoCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for IoCause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadProblem {
    #[error("cannot read: {0}")]
    Io(#[source] IoCause),
    /// A named pipe, socket or device: reading one can block forever or never end.
    #[error("is {0}, not a regular file; skipped")]
    NotAFile(&'static str),
    #[error("is a folder, but its name ends in `.{0}` like a file's; rename it")]
    FolderNamedLikeFile(String),
    #[error("is a symbolic link to `{}`, which does not exist", .0.display())]
    DanglingLink(PathBuf),
    /// Following the link would walk the same folders again and again.
    #[error("is a symbolic link to `{}`, a folder that contains it; not followed", .0.display())]
    LinkLoop(PathBuf),
    /// Skipped, with a warning: following it would publish or read what
    /// lies outside the site (`content::load::Links`).
    #[error(
        "is a symbolic link to `{}`, outside the site; not followed (`build: {{ follow_symlinks: true }}` in site.yaml follows it)",
        .0.display()
    )]
    LinkOutside(PathBuf),
    /// Output paths and URLs are text: such a file cannot be published
    /// under its name. The path is shown with U+FFFD for what is not UTF-8.
    #[error("has a name that is not UTF-8 (shown here with � for the bytes that are not); rename it")]
    NameNotUtf8,
    /// A file that must be read whole, such as site.yaml.
    #[error("is {0}, not a regular file")]
    NotARegularFile(&'static str),
    #[error("is {size} bytes, more than the limit of {limit} bytes (import.max_file_size in site.yaml)")]
    TooLarge { size: u64, limit: u64 },
    #[error("is more than the limit of {limit} bytes (import.max_file_size in site.yaml)")]
    StreamTooLarge { limit: u64 },
    #[error("unpacks to more than the limit of {limit} bytes (import.max_file_size in site.yaml)")]
    UnpacksTooLarge { limit: u64 },
    #[error("this record is more than the limit of {limit} bytes (import.max_file_size in site.yaml)")]
    RecordTooLarge { limit: u64 },
    #[error("is not valid gzip: {0}")]
    NotGzip(#[source] IoCause),
    #[error(
        "is {size} bytes, more than the limit of {limit} bytes for an article (content.max_file_size in site.yaml)"
    )]
    ArticleTooLarge { size: u64, limit: u64 },
    #[error("is not UTF-8 text (invalid byte 0x{byte:02x} at column {column})")]
    NotUtf8 { byte: u8, column: usize },
    #[error("is UTF-16 text with an odd number of bytes")]
    Utf16OddLength,
    #[error("is UTF-16 text with an invalid surrogate pair")]
    Utf16BadSurrogate,
    #[error("contains a NUL byte; this is binary data, not text")]
    NulByte,
    /// Read again for its body, the file is larger than when the build
    /// first read it (and checked it against the limits).
    #[error("changed while the site was being built (now more than {size} bytes); build again")]
    ChangedDuringBuild { size: u64 },
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WriteProblem {
    #[error("cannot write: {0}")]
    Io(#[source] IoCause),
    /// Writing a file other than the one the problem is reported for (an
    /// imported article, reported at its input).
    #[error("cannot write {}: {cause}", path.display())]
    WriteTo {
        path: PathBuf,
        #[source]
        cause: IoCause,
    },
    /// In the output folder, but not written by blatt: someone else's file,
    /// which a build keeps, but cannot where it writes one of its own.
    #[error(
        "was not made by blatt, and this build writes a file of that name; move it away (files to publish with the site belong in static/)"
    )]
    NotBlatts,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum YamlProblem {
    #[error("invalid YAML: {0}")]
    Yaml(String),
    #[error("lists and mappings nested more than {limit} levels deep")]
    TooDeep { limit: usize },
    #[error("front matter must be a mapping of keys to values, found {0}")]
    NotAMapping(String),
    #[error("keys must be text, found {0}")]
    KeyNotText(&'static str),
    #[error("unknown key `{key}`{}", suggest(suggestion))]
    UnknownKey { key: String, suggestion: Option<String> },
    #[error("duplicate key `{0}`")]
    DuplicateKey(String),
    #[error("missing required key `{0}`")]
    MissingKey(&'static str),
    #[error("`{key}` {message}")]
    BadValue { key: String, message: String },
    #[error("`{key}`: invalid date `{value}`: {reason}")]
    BadDate { key: String, value: String, reason: String },
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ContentProblem {
    #[error("has no front matter: the file must start with a line `---`")]
    NoFrontMatter,
    #[error("front matter is not closed by a line `---`")]
    UnclosedFrontMatter,
    #[error("has the same URL /{url}/ as {other}")]
    DuplicateUrl { url: String, other: PathBuf },
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputProblem {
    #[error("is empty")]
    Empty,
    #[error("has no title")]
    NoTitle,
    #[error("has a title but no body text")]
    NoBody,
    /// Neither the metadata, the URL nor the text carries a date, and no
    /// `--date` was given: the file's own time is not the story's.
    #[error("has no date in its metadata, URL or text; pass --date DATE to give it one")]
    NoDate,
    #[error(
        "has a title of {chars} characters, more than the {limit} a headline can have; is the first line a paragraph?"
    )]
    TitleTooLong { chars: usize, limit: usize },
    /// Cleaning a file of that many lines costs more than it can be worth.
    #[error("has {lines} lines; an article has at most {limit} (is this one article?)")]
    TooManyLines { lines: usize, limit: usize },
    #[error("invalid JSON: {0}")]
    Json(String),
    #[error("has no article text: a teaser of {words} words and a paywall notice at line {line} (`{notice}`)")]
    PaywallStub { words: usize, line: usize, notice: String },
    /// Every line was taken for page chrome; `rules` names the rules that
    /// took them, so that a wrong rule can be found.
    #[error("has no body text left: every line looks like page chrome: {}", .rules.join(", "))]
    AllChrome { rules: Vec<String> },
    #[error("{} vanished during the import", .0.display())]
    Vanished(PathBuf),
    /// The pattern lists or topic and tag rules of site.yaml do not compile.
    #[error("{0}")]
    BadRules(String),
    #[error("cannot read the date `{0}` in the input's metadata")]
    UnreadableMetadataDate(String),
    /// The input named no title; the one its text (or the words of its
    /// address the text spells) gave, from lines normalised without control
    /// characters, so shown as it is.
    #[error("has no title in its metadata; took `{0}` from its text")]
    TitleFromText(String),
    #[error("ignored the source URL `{0}`: not an http(s) URL")]
    NotHttpSourceUrl(String),
    /// Shown escaped: an image value can hold anything.
    #[error("ignored the image `{0}`: not an http(s) URL")]
    NotHttpImage(String),
    #[error("has {count} {kind}; kept the first {max} (content.max_terms in site.yaml)")]
    TooManyTerms {
        count: usize,
        kind: &'static str,
        max: usize,
    },
    #[error("has {max} {kind}s already; the rules' `{term}` left out (content.max_terms in site.yaml)")]
    TermLeftOut {
        max: usize,
        kind: &'static str,
        term: String,
    },
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RenderProblem {
    #[error("template error:\n{0}")]
    Template(String),
    #[error("broken link `{link}` on {page}")]
    BrokenLink { link: String, page: String },
    #[error("broken link `{link}` on {page}: that page has no element with the id `{id}`")]
    MissingAnchor { link: String, page: String, id: String },
    #[error("links to `@/{0}`, which is no published article of the site (a path below content/)")]
    MissingContentLink(String),
    /// An output the plan kept from the previous build was asked for: a
    /// bug, reported rather than written wrong.
    #[error(
        "{0} was to be kept from the previous build, yet the build would write it again (a bug in blatt; delete the output folder to build afresh)"
    )]
    NotKept(String),
}

fn suggest(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => String::new(),
    }
}

/// Failures that stop a command as a whole rather than one file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    File(#[from] FileError),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: no site.yaml here; create a site with `blatt init DIR` or point --root at one", .0.display())]
    NoSite(PathBuf),
    #[error("{} is not empty; `blatt init` only creates a site in a new or empty folder", .0.display())]
    NotEmpty(PathBuf),
    #[error("{0}")]
    Usage(String),
    /// The file system is not in a state the command may change: a folder
    /// blatt did not make where it would write, an output it cannot write
    /// into. Not a command-line mistake, so exit status 1.
    #[error("{0}")]
    Refused(String),
    /// `blatt serve` could not listen because another program has the port.
    #[error("cannot listen on {addr}: the port is in use; choose another with --port")]
    PortInUse { addr: std::net::SocketAddr },
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot watch {} for changes: {message}", path.display())]
    Watch { path: PathBuf, message: String },
    #[error("the preview server stopped: {0}")]
    Server(#[source] std::io::Error),
    /// Problems with several files, each to be shown on its own line.
    #[error("{} problems: {}", .0.len(), .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
    Files(Vec<FileError>),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// The closest known name to `word`, if any is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let lower = word.to_lowercase();
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(&lower, k), k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_typos_and_ignores_strangers() {
        let keys = ["title", "date", "tags", "topics", "summary"];
        assert_eq!(nearest("titel", keys), Some("title".into()));
        assert_eq!(nearest("Tpoics", keys), Some("topics".into()));
        assert_eq!(nearest("colour", keys), None);
    }

    /// A caller that must tell "missing" from "no permission" finds the
    /// error's kind, and an error report walks down to the `io::Error`.
    #[test]
    fn an_io_problem_keeps_its_kind_and_its_source() {
        let missing = std::fs::read("/nonexistent/blatt/a.md").unwrap_err();
        let problem = Problem::Read(ReadProblem::Io(missing.into()));
        let Problem::Read(ReadProblem::Io(cause)) = &problem else {
            panic!("regrouped: {problem:?}");
        };
        assert_eq!(cause.kind(), std::io::ErrorKind::NotFound);
        let mut chain = std::error::Error::source(&problem);
        let mut found = None;
        while let Some(e) = chain {
            found = found.or(e.downcast_ref::<std::io::Error>().map(std::io::Error::kind));
            chain = e.source();
        }
        assert_eq!(found, Some(std::io::ErrorKind::NotFound));
        assert!(problem.to_string().starts_with("cannot read: "), "{problem}");
    }

    #[test]
    fn io_causes_compare_by_kind_and_message() {
        let a: IoCause = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied").into();
        let b: IoCause = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied").into();
        let c: IoCause = std::io::Error::other("denied").into();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn file_error_names_path_and_line() {
        let e = FileError::at(
            Path::new("content/a.md"),
            Some(3),
            Problem::Yaml(YamlProblem::UnknownKey {
                key: "titel".into(),
                suggestion: Some("title".into()),
            }),
        );
        assert_eq!(
            e.to_string(),
            "content/a.md:3: unknown key `titel` (did you mean `title`?)"
        );
    }
}
