//! Reading import inputs: plain text (first line the title) and trafilatura
//! JSON or JSON Lines. Each input becomes zero or more [`RawArticle`]s, or
//! an error naming the file and line; nothing here decides what is chrome.

use std::path::Path;
use std::time::SystemTime;

use serde::Deserialize;

use crate::error::{FileError, InputProblem, Location, Problem, ReadProblem, YamlProblem};
use crate::import::normalize;

/// An article as the input gives it, before cleaning.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawArticle {
    /// File and (for JSON Lines) line it came from.
    pub origin: Location,
    pub title: String,
    /// Body lines with their line numbers in the input (after the title for text).
    pub lines: Vec<(usize, String)>,
    pub date: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    /// Names the site goes by (host name, site name), to recognise it in titles.
    pub site_names: Vec<String>,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub language: Option<String>,
    /// The lead image the input names (trafilatura's `image`), with its
    /// alternative text and caption where the input has them.
    pub image: Option<LeadImage>,
    /// The file's modification time: the date of last resort.
    pub modified: Option<SystemTime>,
    /// For JSON and JSON Lines: which record of the file (1-based). Its
    /// body line numbers count within the record's `text`.
    pub record: Option<usize>,
}

/// An input's lead image, as the input gives it (checked when it becomes
/// front matter).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeadImage {
    pub url: String,
    pub alt: Option<String>,
    pub caption: Option<String>,
}

/// The most lines one article may have. Real articles have hundreds;
/// each line costs a few hundred bytes while it is cleaned, so a file of
/// millions of one-letter lines would take gigabytes (16 MB took 2.2 GB).
pub const MAX_LINES: usize = 50_000;

/// `Some(error)` when `text` has more than [`MAX_LINES`] lines.
fn too_many_lines(text: &str, at: &Location) -> Option<FileError> {
    let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
    (lines > MAX_LINES).then(|| {
        FileError::new(
            at.clone(),
            Problem::Input(InputProblem::TooManyLines {
                lines,
                limit: MAX_LINES,
            }),
        )
    })
}

/// How an input is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    JsonLines,
}

impl Format {
    /// By file extension, under a `.gz` one (`bulk.jsonl.gz`); `None` for
    /// files import does not read.
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        if ext == "gz" {
            return Format::of(Path::new(path.file_stem()?));
        }
        match ext.as_str() {
            "txt" | "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            _ => None,
        }
    }

    /// For standard input, which has no name: JSON if it looks like JSON.
    pub fn sniff(text: &str) -> Format {
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        match (lines.next(), lines.next()) {
            (Some(a), Some(b)) if a.starts_with('{') && a.ends_with('}') && b.starts_with('{') => Format::JsonLines,
            (Some(a), _) if a.starts_with('{') || a.starts_with('[') => Format::Json,
            _ => Format::Text,
        }
    }
}

/// The trafilatura JSON fields blatt uses; others are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Trafilatura {
    title: Option<String>,
    text: Option<String>,
    raw_text: Option<String>,
    date: Option<String>,
    author: Option<String>,
    hostname: Option<String>,
    sitename: Option<String>,
    #[serde(rename = "source-hostname")]
    source_hostname: Option<String>,
    source: Option<String>,
    url: Option<String>,
    categories: Option<Terms>,
    tags: Option<Terms>,
    language: Option<String>,
    image: Option<String>,
    image_alt: Option<String>,
    image_caption: Option<String>,
}

/// `"a, b"` or `["a", "b"]`: extractors write both.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Terms {
    One(String),
    Many(Vec<String>),
}

impl Terms {
    fn into_vec(self) -> Vec<String> {
        match self {
            Terms::One(s) => vec![s],
            Terms::Many(v) => v,
        }
    }

    fn map(self, f: impl Fn(String) -> String) -> Terms {
        match self {
            Terms::One(s) => Terms::One(f(s)),
            Terms::Many(v) => Terms::Many(v.into_iter().map(f).collect()),
        }
    }
}

impl Trafilatura {
    /// The fields taken from the page's metadata with their character
    /// references resolved (see [`normalize::metadata`]), before anything
    /// splits or compares them: `Trier &amp; Region` split at `;` made two
    /// terms. The text and the URL are left as they came.
    fn with_metadata_decoded(mut self) -> Trafilatura {
        for field in [
            &mut self.title,
            &mut self.author,
            &mut self.sitename,
            &mut self.image_alt,
            &mut self.image_caption,
        ] {
            *field = field.take().map(normalize::metadata);
        }
        self.categories = self.categories.map(|c| c.map(normalize::metadata));
        self.tags = self.tags.map(|c| c.map(normalize::metadata));
        self
    }
}

fn from_trafilatura(t: Trafilatura, origin: Location, modified: Option<SystemTime>) -> Result<RawArticle, FileError> {
    let t = t.with_metadata_decoded();
    // An extractor that found no title still found the text, whose first
    // line or address may name the story (as a chrome title's does):
    // cleaning looks for it, and refuses the record only when neither does.
    let title = t.title.as_deref().map(normalize::line).unwrap_or_default();
    let text = t
        .text
        .filter(|s| !s.trim().is_empty())
        .or(t.raw_text)
        .unwrap_or_default();
    if let Some(e) = too_many_lines(&text, &origin) {
        return Err(e);
    }
    let site_names = [t.hostname, t.sitename, t.source_hostname]
        .into_iter()
        .flatten()
        .collect();
    Ok(RawArticle {
        origin,
        title,
        lines: normalize::numbered_lines(&text),
        date: t.date.filter(|d| !d.trim().is_empty()),
        url: t.url.or(t.source).filter(|u| !u.trim().is_empty()),
        author: t.author.filter(|a| !a.trim().is_empty()),
        site_names,
        categories: t.categories.map(Terms::into_vec).unwrap_or_default(),
        tags: t.tags.map(Terms::into_vec).unwrap_or_default(),
        language: t.language.filter(|l| !l.trim().is_empty()),
        image: t.image.filter(|u| !u.trim().is_empty()).map(|url| LeadImage {
            url: url.trim().to_string(),
            alt: t.image_alt.map(|a| normalize::line(&a)).filter(|a| !a.is_empty()),
            caption: t.image_caption.map(|c| normalize::line(&c)).filter(|c| !c.is_empty()),
        }),
        modified,
        record: None,
    })
}

/// An object from a JSON input, as an article or the error that says why not.
fn from_item(item: serde_json::Value, at: Location, modified: Option<SystemTime>) -> Result<RawArticle, FileError> {
    if !item.is_object() {
        return Err(FileError::new(
            at,
            Problem::Input(InputProblem::Json("expected an object with `title` and `text`".into())),
        ));
    }
    let t: Trafilatura = serde_json::from_value(item).map_err(|e| json_error(&at, 0, &e))?;
    from_trafilatura(t, at, modified)
}

const TEXT_FIELDS: [&str; 14] = [
    "title",
    "text",
    "raw_text",
    "date",
    "author",
    "hostname",
    "sitename",
    "source-hostname",
    "source",
    "url",
    "language",
    "image",
    "image_alt",
    "image_caption",
];

/// Every field blatt reads that has the wrong JSON type, with what is wrong.
/// serde would stop at the first and not name it (`invalid type: integer`);
/// a user fixing a scraper needs the field.
fn check_item(item: &serde_json::Value) -> Result<(), Vec<(String, String)>> {
    use serde_json::Value;
    let Value::Object(map) = item else { return Ok(()) };
    let mut bad = Vec::new();
    for (key, value) in map {
        let message = match (key.as_str(), value) {
            (_, Value::Null | Value::String(_)) => continue,
            (k, other) if TEXT_FIELDS.contains(&k) => format!("must be text, found {}", json_kind(other)),
            ("categories" | "tags", Value::Array(list)) => match list.iter().find(|v| !v.is_string()) {
                Some(other) => format!("must be a list of text, found {} in it", json_kind(other)),
                None => continue,
            },
            ("categories" | "tags", other) => format!("must be text or a list of text, found {}", json_kind(other)),
            _ => continue,
        };
        bad.push((key.clone(), message));
    }
    if bad.is_empty() { Ok(()) } else { Err(bad) }
}

fn json_kind(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Where an article of a JSON input starts and where its own keys are.
#[derive(Debug, Default, PartialEq)]
struct ItemLines {
    line: usize,
    keys: std::collections::HashMap<String, usize>,
}

/// The lines of the articles in valid JSON text (one object, or a list of
/// them) and of their top-level keys, found by a scan of the text.
fn item_lines(text: &str) -> Vec<ItemLines> {
    let bytes = text.as_bytes();
    let mut items: Vec<ItemLines> = Vec::new();
    let mut line = 1;
    let mut depth = 0usize;
    let mut item_depth = 1;
    // In an article's object, where the next string is a key.
    let mut expect_key = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line += 1,
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let end = i.min(bytes.len());
                if expect_key && depth == item_depth {
                    if let (Some(item), Some(key)) = (items.last_mut(), text.get(start..end)) {
                        item.keys.entry(key.to_string()).or_insert(line);
                    }
                    expect_key = false;
                }
            }
            open @ (b'{' | b'[') => {
                depth += 1;
                if depth == 1 && open == b'[' {
                    item_depth = 2;
                } else if depth == item_depth {
                    items.push(ItemLines {
                        line,
                        keys: Default::default(),
                    });
                    expect_key = open == b'{';
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' if depth == item_depth => expect_key = true,
            _ => {}
        }
        i += 1;
    }
    items
}

fn json_error(origin: &Location, line_offset: usize, e: &serde_json::Error) -> FileError {
    let mut message = e.to_string();
    if let Some(pos) = message.find(" at line ") {
        message.truncate(pos);
    }
    let line = if e.line() > 0 {
        e.line() + line_offset
    } else {
        line_offset.max(1)
    };
    FileError::new(origin.with_line(line), Problem::Input(InputProblem::Json(message)))
}

/// Host names in a file's name (`de_telebasel.ch_junge-lenker.txt`):
/// scrapers name their files after the site, and plain text carries no
/// other hint of which site's name a page title ends with.
pub fn hosts_in_file_name(path: &Path) -> Vec<String> {
    let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
        return Vec::new();
    };
    stem.split(['_', ' ', '+'])
        .filter(|part| {
            let labels: Vec<&str> = part.split('.').collect();
            labels.len() >= 2
                && labels
                    .iter()
                    .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
                && labels
                    .last()
                    .is_some_and(|tld| (2..=6).contains(&tld.len()) && tld.chars().all(|c| c.is_ascii_alphabetic()))
        })
        .map(|part| part.to_ascii_lowercase())
        .collect()
}

/// Parses decoded input text.
pub fn parse(
    text: &str,
    format: Format,
    path: &Path,
    modified: Option<SystemTime>,
) -> Vec<Result<RawArticle, FileError>> {
    let origin = Location::file(path);
    match format {
        Format::Text => {
            if let Some(e) = too_many_lines(text, &origin) {
                return vec![Err(e)];
            }
            let mut lines = normalize::numbered_lines(text);
            if lines.is_empty() {
                return vec![Err(FileError::new(origin, Problem::Input(InputProblem::Empty)))];
            }
            let (title_line, title) = lines.remove(0);
            vec![Ok(RawArticle {
                origin: origin.with_line(title_line),
                title,
                lines,
                modified,
                site_names: hosts_in_file_name(path),
                ..RawArticle::default()
            })]
        }
        Format::Json => {
            if text.trim().is_empty() {
                return vec![Err(FileError::new(origin, Problem::Input(InputProblem::Empty)))];
            }
            let value: serde_json::Value = match serde_json::from_str(text) {
                Ok(v) => v,
                Err(e) => return vec![Err(json_error(&origin, 0, &e))],
            };
            let (items, many) = match value {
                serde_json::Value::Array(items) => (items, true),
                other => (vec![other], false),
            };
            // Positions are gone once parsed; they are found again only for
            // a file with a problem, and only where they match item for item.
            let mut positions: Option<Vec<ItemLines>> = None;
            let count = items.len();
            let mut results = Vec::with_capacity(count);
            for (i, item) in items.into_iter().enumerate() {
                let checked = check_item(&item);
                let record = |r: Result<RawArticle, FileError>| {
                    r.map(|raw| RawArticle {
                        record: Some(i + 1),
                        ..raw
                    })
                };
                if checked.is_ok() && !many {
                    results.push(record(from_item(item, origin.clone(), modified)));
                    continue;
                }
                let lines = positions
                    .get_or_insert_with(|| Some(item_lines(text)).filter(|l| l.len() == count).unwrap_or_default())
                    .get(i);
                let at = match lines {
                    Some(l) if many => origin.with_line(l.line),
                    _ => origin.clone(),
                };
                match checked {
                    Ok(()) => results.push(record(from_item(item, at, modified))),
                    Err(bad) => {
                        let mut errors: Vec<FileError> = bad
                            .into_iter()
                            .map(|(key, message)| {
                                let location = match lines.and_then(|l| l.keys.get(&key)) {
                                    Some(&line) => origin.with_line(line),
                                    None => at.clone(),
                                };
                                FileError::new(location, Problem::Yaml(YamlProblem::BadValue { key, message }))
                            })
                            .collect();
                        errors.sort_by_key(|e| e.location.line);
                        results.extend(errors.into_iter().map(Err));
                    }
                }
            }
            results
        }
        Format::JsonLines => {
            let mut results = Vec::new();
            let lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
            for (record, (i, line)) in lines.enumerate() {
                json_line(line, origin.with_line(i + 1), record + 1, modified, &mut results);
            }
            if results.is_empty() {
                vec![Err(FileError::new(origin, Problem::Input(InputProblem::Empty)))]
            } else {
                results
            }
        }
    }
}

/// One record of a JSON Lines file, at `at`, into `results`: the article,
/// or an error for each thing wrong with it.
fn json_line(
    line: &str,
    at: Location,
    record: usize,
    modified: Option<SystemTime>,
    results: &mut Vec<Result<RawArticle, FileError>>,
) {
    let item: serde_json::Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => {
            let mut err = json_error(&at, 0, &e);
            err.location = at;
            results.push(Err(err));
            return;
        }
    };
    match check_item(&item) {
        Ok(()) => results.push(from_item(item, at, modified).map(|raw| RawArticle {
            record: Some(record),
            ..raw
        })),
        Err(bad) => results.extend(bad.into_iter().map(|(key, message)| {
            Err(FileError::new(
                at.clone(),
                Problem::Yaml(YamlProblem::BadValue { key, message }),
            ))
        })),
    }
}

/// The records of a JSON Lines file, gzip or not, read a line at a time:
/// bulk exports run to gigabytes, and memory should follow the largest
/// record, not the file. Each record (not the file) is held to the import
/// size limit; a record over it, not UTF-8 or not JSON is an error at its
/// line, and the records after it still import.
pub struct JsonLines {
    reader: Box<dyn std::io::BufRead + Send>,
    origin: Location,
    modified: Option<SystemTime>,
    gzip: bool,
    max_record: u64,
    line: usize,
    records: usize,
    done: bool,
}

impl JsonLines {
    /// `None` for UTF-16 text, which has no lines to read one by one; such
    /// a file is read whole ([`read_file`]).
    pub fn open(path: &Path, max_record: u64) -> Result<Option<JsonLines>, FileError> {
        use std::io::BufRead;
        let fail = |p: Problem| FileError::new(Location::file(path), p);
        let (file, meta) = crate::read::open_regular(path).map_err(fail)?;
        let mut file = std::io::BufReader::new(file);
        let start = file
            .fill_buf()
            .map_err(|e| fail(Problem::Read(ReadProblem::Io(e.into()))))?;
        if start.starts_with(&[0xFF, 0xFE]) || start.starts_with(&[0xFE, 0xFF]) {
            return Ok(None);
        }
        let gzip = start.starts_with(&[0x1f, 0x8b]);
        let reader: Box<dyn BufRead + Send> = match gzip {
            true => Box::new(std::io::BufReader::new(flate2::bufread::MultiGzDecoder::new(file))),
            false => Box::new(file),
        };
        Ok(Some(JsonLines {
            reader,
            origin: Location::file(path),
            modified: meta.modified().ok(),
            gzip,
            max_record,
            line: 0,
            records: 0,
            done: false,
        }))
    }

    /// The next `n` records (a record with several problems gives an error
    /// for each); empty once the file is read.
    pub fn next_chunk(&mut self, n: usize) -> Vec<Result<RawArticle, FileError>> {
        use std::io::{BufRead, Read};
        let mut out = Vec::new();
        let mut buf = Vec::new();
        let start = self.records;
        while self.records - start < n && !self.done {
            buf.clear();
            let read = (&mut self.reader)
                .take(self.max_record.saturating_add(1))
                .read_until(b'\n', &mut buf);
            let at = self.origin.with_line(self.line + 1);
            match read {
                Ok(0) => {
                    self.done = true;
                    if self.records == 0 {
                        out.push(Err(FileError::new(
                            self.origin.clone(),
                            Problem::Input(InputProblem::Empty),
                        )));
                    }
                    break;
                }
                Ok(_) => self.line += 1,
                Err(e) => {
                    self.done = true;
                    let problem = match self.gzip {
                        true => ReadProblem::NotGzip(e.into()),
                        false => ReadProblem::Io(e.into()),
                    };
                    out.push(Err(FileError::new(at, Problem::Read(problem))));
                    break;
                }
            }
            if buf.len() as u64 > self.max_record && !buf.ends_with(b"\n") {
                self.records += 1;
                out.push(Err(FileError::new(
                    at,
                    Problem::Read(ReadProblem::RecordTooLarge { limit: self.max_record }),
                )));
                // The rest of the record, read past without keeping it.
                loop {
                    let skipped = match self.reader.fill_buf() {
                        Ok([]) | Err(_) => break,
                        Ok(chunk) => match memchr::memchr(b'\n', chunk) {
                            Some(end) => (end + 1, true),
                            None => (chunk.len(), false),
                        },
                    };
                    self.reader.consume(skipped.0);
                    if skipped.1 {
                        break;
                    }
                }
                continue;
            }
            let bytes = match self.line {
                1 => buf.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&buf),
                _ => &buf,
            };
            let text = match normalize::decode(bytes) {
                Ok(text) => text,
                Err((_, problem)) => {
                    self.records += 1;
                    out.push(Err(FileError::new(at, problem)));
                    continue;
                }
            };
            if text.trim().is_empty() {
                continue;
            }
            self.records += 1;
            json_line(&text, at, self.records, self.modified, &mut out);
        }
        out
    }
}

/// Reads, decodes and parses one input file, refusing files over `max_size`
/// before reading them and anything that is not a regular file. Gzip input
/// is unpacked, to at most `max_size` bytes as well.
pub fn read_file(path: &Path, format: Format, max_size: u64) -> Vec<Result<RawArticle, FileError>> {
    let read = crate::read::read_regular(path, max_size).and_then(|(bytes, meta)| Ok((gunzip(bytes, max_size)?, meta)));
    match read {
        Ok((bytes, meta)) => parse_bytes(&bytes, Some(format), path, meta.modified().ok()),
        Err(problem) => vec![Err(FileError::new(Location::file(path), problem))],
    }
}

/// `bytes` unpacked if they are gzip (by their magic number, so that
/// standard input and misnamed files work too), else as they are.
pub fn gunzip(bytes: Vec<u8>, max_size: u64) -> Result<Vec<u8>, Problem> {
    use std::io::Read;
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(3).min(max_size as usize));
    flate2::read::MultiGzDecoder::new(bytes.as_slice())
        .take(max_size.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| Problem::Read(ReadProblem::NotGzip(e.into())))?;
    if out.len() as u64 > max_size {
        return Err(Problem::Read(ReadProblem::UnpacksTooLarge { limit: max_size }));
    }
    Ok(out)
}

/// Decodes and parses bytes; `format` `None` means guess (standard input).
pub fn parse_bytes(
    bytes: &[u8],
    format: Option<Format>,
    path: &Path,
    modified: Option<SystemTime>,
) -> Vec<Result<RawArticle, FileError>> {
    match normalize::decode(bytes) {
        Ok(text) => {
            let format = format.unwrap_or_else(|| Format::sniff(&text));
            parse(&text, format, path, modified)
        }
        Err((line, problem)) => vec![Err(FileError::new(Location::line(path, line), problem))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("in.txt")
    }

    #[test]
    fn text_title_and_numbered_lines() {
        let raw = parse("\n\nTitel\n\nErster Absatz.\nZweiter.\n", Format::Text, p(), None);
        let raw = raw[0].as_ref().unwrap();
        assert_eq!(raw.title, "Titel");
        assert_eq!(raw.origin.line, Some(3));
        assert_eq!(
            raw.lines,
            vec![(5, "Erster Absatz.".to_string()), (6, "Zweiter.".to_string())]
        );
    }

    #[test]
    fn site_names_from_the_file_name() {
        let raw = parse(
            "Titel - Telebasel\nText.\n",
            Format::Text,
            Path::new("in/de_telebasel.ch_titel.txt"),
            None,
        );
        assert_eq!(raw[0].as_ref().unwrap().site_names, vec!["telebasel.ch"]);
        assert!(hosts_in_file_name(Path::new("artikel.v2.txt")).is_empty());
        assert!(hosts_in_file_name(Path::new("2022-01-21_bericht.txt")).is_empty());
        assert_eq!(hosts_in_file_name(Path::new("www.Zeit.de.txt")), vec!["www.zeit.de"]);
    }

    #[test]
    fn empty_text() {
        let err = parse(" \n\u{feff}\n", Format::Text, p(), None).remove(0).unwrap_err();
        assert_eq!(err.problem, Problem::Input(InputProblem::Empty));
    }

    #[test]
    fn trafilatura_json() {
        let json = r#"{"title": "Ein Titel - SITE", "text": "Absatz eins.\nAbsatz zwei.", "date": "2019-10-19",
            "hostname": "site.de", "source": "https://site.de/a", "categories": "Politik, Inland", "tags": ["a", "b"], "extra": 5}"#;
        let raw = parse(json, Format::Json, Path::new("a.json"), None).remove(0).unwrap();
        assert_eq!(raw.title, "Ein Titel - SITE");
        assert_eq!(raw.lines.len(), 2);
        assert_eq!(raw.url.as_deref(), Some("https://site.de/a"));
        assert_eq!(raw.site_names, vec!["site.de"]);
        assert_eq!(raw.categories, vec!["Politik, Inland"]);
        assert_eq!(raw.tags, vec!["a", "b"]);
    }

    /// References a CMS escaped twice are resolved in the metadata before
    /// terms are split at `;`; the body text keeps what it shows.
    #[test]
    fn references_in_json_metadata_are_resolved() {
        let json = r#"{"title": "Sean Penn &#039;proposes&#039;", "author": "Anna &amp; Bert", "text": "Use &amp;amp; in HTML.",
            "categories": "Blaulicht;Trier &amp; Region", "tags": ["Body &amp; Fitness"], "image": "https://x.de/a.jpg?a=1&amp;b=2",
            "image_alt": "Ein &quot;Bild&quot;"}"#;
        let raw = parse(json, Format::Json, Path::new("a.json"), None).remove(0).unwrap();
        assert_eq!(raw.title, "Sean Penn 'proposes'");
        assert_eq!(raw.author.as_deref(), Some("Anna & Bert"));
        assert_eq!(raw.categories, vec!["Blaulicht;Trier & Region"]);
        assert_eq!(raw.tags, vec!["Body & Fitness"]);
        assert_eq!(raw.lines[0].1, "Use &amp;amp; in HTML.");
        let image = raw.image.unwrap();
        assert_eq!(image.alt.as_deref(), Some("Ein \"Bild\""));
        assert_eq!(image.url, "https://x.de/a.jpg?a=1&amp;b=2", "a URL is left as it came");
    }

    #[test]
    fn json_errors_name_the_line() {
        let err = parse(
            "{\n\"title\": \"x\",\n\"text\": }\n",
            Format::Json,
            Path::new("a.json"),
            None,
        )
        .remove(0)
        .unwrap_err();
        assert_eq!(err.location.line, Some(3));
        assert!(matches!(err.problem, Problem::Input(InputProblem::Json(_))), "{err}");
        let err = parse(r#"{"title": 5, "text": "x"}"#, Format::Json, Path::new("a.json"), None)
            .remove(0)
            .unwrap_err();
        assert_eq!(err.to_string(), "a.json:1: `title` must be text, found a number");
        // A record without a title is read; cleaning looks for one in its
        // text and address (`Importer::prepare`).
        let raw = parse(r#"{"text": "x"}"#, Format::Json, Path::new("a.json"), None)
            .remove(0)
            .unwrap();
        assert_eq!(raw.title, "");
    }

    #[test]
    fn wrong_json_types_name_every_field_and_its_line() {
        let json = "[\n  {\"title\": \"Gut\", \"text\": \"Ein Satz.\", \"tags\": \"a\"},\n  {\n    \"title\": {\"de\": \"x\"},\n    \"text\": \"a, \\\"b\\\": c\",\n    \"date\": 20220121,\n    \"tags\": [\"a\", 2],\n    \"categories\": true,\n    \"extra\": 5\n  }\n]\n";
        let results = parse(json, Format::Json, Path::new("a.json"), None);
        let shown: Vec<String> = results
            .iter()
            .map(|r| match r {
                Ok(raw) => format!("ok {} {:?}", raw.origin, raw.tags),
                Err(e) => e.to_string(),
            })
            .collect();
        assert_eq!(
            shown,
            vec![
                "ok a.json:2 [\"a\"]",
                "a.json:4: `title` must be text, found an object",
                "a.json:6: `date` must be text, found a number",
                "a.json:7: `tags` must be a list of text, found a number in it",
                "a.json:8: `categories` must be text or a list of text, found true/false",
            ]
        );
        let err = parse("{\"title\": \"T\", \"text\": [\"x\"]}\n", Format::JsonLines, p(), None)
            .remove(0)
            .unwrap_err();
        assert_eq!(err.to_string(), "in.txt:1: `text` must be text, found a list");
    }

    #[test]
    fn item_lines_skip_strings_and_nested_values() {
        let text = "[{\"a\": {\"b\": 1},\n \"c\": \"}, \\\"d\\\": {\",\n\"d\": 2}, {\n\"a\": [1, {\"x\": 2}]}]";
        serde_json::from_str::<serde_json::Value>(text).expect("the test text is valid JSON");
        let lines = item_lines(text);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].line, 1);
        let mut keys: Vec<_> = lines[0].keys.iter().map(|(k, l)| (k.as_str(), *l)).collect();
        keys.sort();
        assert_eq!(keys, vec![("a", 1), ("c", 2), ("d", 3)]);
        assert_eq!((lines[1].line, lines[1].keys.get("a")), (3, Some(&4)));
        assert!(!lines[1].keys.contains_key("x"));
        // A single object is one item; text that is not an object gives none.
        assert_eq!(item_lines("\n{\"title\": 1}")[0].keys.get("title"), Some(&2));
        assert!(item_lines("[1, 2]").is_empty());
    }

    #[test]
    fn json_lines_keep_going_after_a_bad_line() {
        let text = "{\"title\": \"A\", \"text\": \"a.\"}\nnot json\n\n{\"title\": \"C\", \"text\": \"c.\"}\n";
        let results = parse(text, Format::JsonLines, Path::new("a.jsonl"), None);
        assert_eq!(results.len(), 3);
        assert_eq!(results[2].as_ref().unwrap().record, Some(3));
        assert!(results[0].is_ok() && results[2].is_ok());
        let err = results[1].as_ref().unwrap_err();
        assert_eq!(err.location.line, Some(2));
        assert_eq!(results[2].as_ref().unwrap().origin.line, Some(4));
    }

    #[test]
    fn gzip_is_unpacked_to_the_limit() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"{\"title\": \"A\", \"text\": \"a.\"}\n").unwrap();
        let bytes = gz.finish().unwrap();
        assert_eq!(Format::of(Path::new("x/bulk.JSONL.gz")), Some(Format::JsonLines));
        assert_eq!(Format::of(Path::new("x/bulk.tar.gz")), None);
        let plain = gunzip(bytes.clone(), 1000).unwrap();
        assert!(plain.starts_with(b"{\"title\""));
        let err = gunzip(bytes.clone(), 10).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unpacks to more than the limit of 10 bytes (import.max_file_size in site.yaml)"
        );
        assert!(gunzip(bytes[..12].to_vec(), 1000).is_err());
        assert_eq!(gunzip(b"Titel".to_vec(), 3).unwrap(), b"Titel");
    }

    #[test]
    fn an_article_of_millions_of_lines_is_refused_before_it_is_split() {
        let text = format!("Titel\n{}", "a\n".repeat(MAX_LINES));
        let err = parse(&text, Format::Text, p(), None).remove(0).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "in.txt: has {} lines; an article has at most 50000 (is this one article?)",
                MAX_LINES + 2
            )
        );
        let json = serde_json::json!({"title": "T", "text": "a\n".repeat(MAX_LINES)}).to_string();
        let err = parse(&json, Format::Json, Path::new("a.json"), None)
            .remove(0)
            .unwrap_err();
        assert!(err.to_string().starts_with("a.json: has 50001 lines"), "{err}");
        assert!(parse(&"a\n".repeat(MAX_LINES - 1), Format::Text, p(), None)[0].is_ok());
    }

    #[test]
    fn sniffing_stdin() {
        assert_eq!(Format::sniff("Titel\nText"), Format::Text);
        assert_eq!(Format::sniff("{\"title\": 1}"), Format::Json);
        assert_eq!(Format::sniff("{\"a\":1}\n{\"a\":2}\n"), Format::JsonLines);
    }
}
