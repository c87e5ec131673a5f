//! Reading import inputs: plain text (first line the title) and trafilatura
//! JSON or JSON Lines. Each input becomes zero or more [`RawArticle`]s, or
//! an error naming the file and line; nothing here decides what is chrome.

use std::io::Read;
use std::path::Path;
use std::time::SystemTime;

use serde::Deserialize;

use crate::error::{FileError, Location, Problem};
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
    /// The file's modification time: the date of last resort.
    pub modified: Option<SystemTime>,
}

/// How an input is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    JsonLines,
}

impl Format {
    /// By file extension; `None` for files import does not read.
    pub fn of(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
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
}

fn from_trafilatura(t: Trafilatura, origin: Location, modified: Option<SystemTime>) -> Result<RawArticle, FileError> {
    let title = t.title.as_deref().map(normalize::line).unwrap_or_default();
    if title.is_empty() {
        return Err(FileError::new(origin, Problem::NoTitle));
    }
    let text = t
        .text
        .filter(|s| !s.trim().is_empty())
        .or(t.raw_text)
        .unwrap_or_default();
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
        modified,
    })
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
    FileError::new(origin.with_line(line), Problem::Json(message))
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
            let mut lines = normalize::numbered_lines(text);
            if lines.is_empty() {
                return vec![Err(FileError::new(origin, Problem::Empty))];
            }
            let (title_line, title) = lines.remove(0);
            vec![Ok(RawArticle {
                origin: origin.with_line(title_line),
                title,
                lines,
                modified,
                ..RawArticle::default()
            })]
        }
        Format::Json => {
            if text.trim().is_empty() {
                return vec![Err(FileError::new(origin, Problem::Empty))];
            }
            let value: serde_json::Value = match serde_json::from_str(text) {
                Ok(v) => v,
                Err(e) => return vec![Err(json_error(&origin, 0, &e))],
            };
            let items = match value {
                serde_json::Value::Array(items) => items,
                other => vec![other],
            };
            items
                .into_iter()
                .map(|item| {
                    if !item.is_object() {
                        return Err(FileError::new(
                            origin.clone(),
                            Problem::Json("expected an object with `title` and `text`".into()),
                        ));
                    }
                    let t: Trafilatura = serde_json::from_value(item).map_err(|e| json_error(&origin, 0, &e))?;
                    from_trafilatura(t, origin.clone(), modified)
                })
                .collect()
        }
        Format::JsonLines => {
            let results: Vec<_> = text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, line)| {
                    let at = origin.with_line(i + 1);
                    let t: Trafilatura = serde_json::from_str(line).map_err(|e| {
                        let mut err = json_error(&origin, i, &e);
                        err.location = at.clone();
                        err
                    })?;
                    from_trafilatura(t, at, modified)
                })
                .collect();
            if results.is_empty() {
                vec![Err(FileError::new(origin, Problem::Empty))]
            } else {
                results
            }
        }
    }
}

/// Reads, decodes and parses one input file, refusing files over `max_size`.
pub fn read_file(path: &Path, format: Format, max_size: u64) -> Vec<Result<RawArticle, FileError>> {
    let fail = |problem| vec![Err(FileError::new(Location::file(path), problem))];
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return fail(Problem::Read(e.to_string())),
    };
    if meta.len() > max_size {
        return fail(Problem::TooLarge {
            size: meta.len(),
            limit: max_size,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    if let Err(e) = std::fs::File::open(path).and_then(|f| f.take(max_size.saturating_add(1)).read_to_end(&mut bytes)) {
        return fail(Problem::Read(e.to_string()));
    }
    parse_bytes(&bytes, Some(format), path, meta.modified().ok())
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
    fn empty_text() {
        let err = parse(" \n\u{feff}\n", Format::Text, p(), None).remove(0).unwrap_err();
        assert_eq!(err.problem, Problem::Empty);
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
        assert!(matches!(err.problem, Problem::Json(_)), "{err}");
        let err = parse(r#"{"title": 5, "text": "x"}"#, Format::Json, Path::new("a.json"), None)
            .remove(0)
            .unwrap_err();
        assert!(err.to_string().contains("invalid type"), "{err}");
        let err = parse(r#"{"text": "x"}"#, Format::Json, Path::new("a.json"), None)
            .remove(0)
            .unwrap_err();
        assert_eq!(err.problem, Problem::NoTitle);
    }

    #[test]
    fn json_lines_keep_going_after_a_bad_line() {
        let text = "{\"title\": \"A\", \"text\": \"a.\"}\nnot json\n\n{\"title\": \"C\", \"text\": \"c.\"}\n";
        let results = parse(text, Format::JsonLines, Path::new("a.jsonl"), None);
        assert_eq!(results.len(), 3);
        assert!(results[0].is_ok() && results[2].is_ok());
        let err = results[1].as_ref().unwrap_err();
        assert_eq!(err.location.line, Some(2));
        assert_eq!(results[2].as_ref().unwrap().origin.line, Some(4));
    }

    #[test]
    fn sniffing_stdin() {
        assert_eq!(Format::sniff("Titel\nText"), Format::Text);
        assert_eq!(Format::sniff("{\"title\": 1}"), Format::Json);
        assert_eq!(Format::sniff("{\"a\":1}\n{\"a\":2}\n"), Format::JsonLines);
    }
}
