//! Front matter: the YAML block between two `---` lines at the top of an article.
//!
//! Keys are checked one by one rather than by one `deserialize` call so that a
//! file with an unknown key *and* a bad date reports both, each on its line.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_yaml::{Mapping, Value};

use crate::content::{Rules, date};
use crate::error::{ContentProblem, FileError, Location, Problem, YamlProblem, nearest};
use crate::text::chars::{find_forbidden, strip_forbidden_chars};
use crate::text::slug;
use crate::text::url::is_http_url;

/// Every key an article may have; anything else is a typo or a misplaced
/// custom value (which belongs under `extra`).
pub const KNOWN_KEYS: [&str; 19] = [
    "title",
    "date",
    "updated",
    "kicker",
    "summary",
    "topics",
    "tags",
    "sources",
    "authors",
    "language",
    "slug",
    "source_url",
    "image",
    "image_alt",
    "image_caption",
    "draft",
    "fingerprint",
    "aliases",
    "extra",
];

/// An article's front matter, checked.
///
/// Serde gives it two forms: as YAML (what import writes; see
/// [`FrontMatter::to_yaml`]) and as the binary record the build keeps in
/// its manifest, so that an unchanged file is not parsed again. Articles
/// are never read through `Deserialize`: [`parse`] checks every key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrontMatter {
    pub title: String,
    #[serde(with = "forms::date")]
    pub date: DateTime<FixedOffset>,
    #[serde(with = "forms::opt_date")]
    pub updated: Option<DateTime<FixedOffset>>,
    pub kicker: Option<String>,
    pub summary: Option<String>,
    pub topics: Vec<String>,
    pub tags: Vec<String>,
    pub sources: Vec<String>,
    pub authors: Vec<String>,
    pub language: Option<String>,
    pub slug: Option<String>,
    pub source_url: Option<String>,
    /// The lead image: an absolute http(s) URL or a path in the site
    /// (`/static/bild.jpg`), checked by [`is_image_url`].
    pub image: Option<String>,
    pub image_alt: Option<String>,
    pub image_caption: Option<String>,
    pub draft: bool,
    pub fingerprint: Option<String>,
    /// Earlier paths of the article in the site (`/2021/12/alter-name/`), as
    /// written; each becomes a page that redirects here.
    pub aliases: Vec<String>,
    #[serde(with = "forms::extra")]
    pub extra: Mapping,
}

impl FrontMatter {
    pub fn new(title: impl Into<String>, date: DateTime<FixedOffset>) -> Self {
        FrontMatter {
            title: title.into(),
            date,
            updated: None,
            kicker: None,
            summary: None,
            topics: Vec::new(),
            tags: Vec::new(),
            sources: Vec::new(),
            authors: Vec::new(),
            language: None,
            slug: None,
            source_url: None,
            image: None,
            image_alt: None,
            image_caption: None,
            draft: false,
            fingerprint: None,
            aliases: Vec::new(),
            extra: Mapping::new(),
        }
    }

    /// The YAML text between the `---` lines, ending in a newline. Keys
    /// without a value (nothing, an empty list, `draft: false`) are left out.
    pub fn to_yaml(&self) -> String {
        let mut value = serde_yaml::to_value(self).expect("front matter always serialises");
        if let Value::Mapping(keys) = &mut value {
            keys.retain(|_, v| match v {
                Value::Null | Value::Bool(false) => false,
                Value::Sequence(s) => !s.is_empty(),
                Value::Mapping(m) => !m.is_empty(),
                _ => true,
            });
        }
        quote_yaml11_words(&serde_yaml::to_string(&value).expect("front matter always serialises"))
    }

    /// Equal, and with the same offsets: `==` compares dates as instants,
    /// but the offset an article gives is part of what its pages show.
    pub fn same_as(&self, other: &FrontMatter) -> bool {
        self == other
            && self.date.offset() == other.date.offset()
            && self.updated.map(|d| *d.offset()) == other.updated.map(|d| *d.offset())
    }
}

/// The words YAML 1.1 reads as true or false and YAML 1.2 as text. The
/// writer quotes the strings `true` and `false` (YAML 1.2 booleans itself),
/// so those left plain are the booleans `draft` and `extra` hold.
const YAML11_WORDS: [&str; 16] = [
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
];

/// Quotes plain values that YAML 1.1 readers (PyYAML, Jekyll, many CMS
/// importers) take for booleans: the YAML 1.2 writer leaves `language: no`
/// (Norwegian) or a tag `- Yes` unquoted, and they would read `false` and
/// `true`. Block scalars (`summary: |-` and the lines under it) are text
/// and stay as they are.
fn quote_yaml11_words(yaml: &str) -> String {
    let mut out = String::with_capacity(yaml.len() + 8);
    let mut block_indent: Option<usize> = None;
    for line in yaml.split_inclusive('\n') {
        let content = line.trim_end_matches('\n');
        let indent = content.len() - content.trim_start().len();
        if let Some(b) = block_indent {
            if indent > b || content.trim().is_empty() {
                out.push_str(line);
                continue;
            }
            block_indent = None;
        }
        let trimmed = content.trim_end();
        if [
            ": |", ": |-", ": |+", ": >", ": >-", ": >+", "- |", "- |-", "- >", "- >-",
        ]
        .iter()
        .any(|end| trimmed.ends_with(end))
        {
            block_indent = Some(indent);
            out.push_str(line);
            continue;
        }
        let value_at = content
            .find(": ")
            .map(|i| i + 2)
            .or_else(|| content.trim_start().starts_with("- ").then_some(indent + 2));
        match value_at {
            Some(at) if YAML11_WORDS.contains(&&content[at..]) => {
                out.push_str(&content[..at]);
                out.push('\'');
                out.push_str(&content[at..]);
                out.push('\'');
                out.push_str(&line[content.len()..]);
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// The serde forms of dates and `extra`, by format: a human-readable one
/// (YAML) gets dates as RFC 3339 text and `extra` as a mapping; a binary one
/// (the manifest) gets dates as (seconds, nanoseconds, offset) and `extra`
/// as YAML text, since YAML's self-describing values cannot be read back
/// from a format that does not describe itself.
mod forms {
    use chrono::{DateTime, FixedOffset, TimeZone};
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub mod date {
        use super::*;

        pub fn serialize<S: Serializer>(d: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
            if s.is_human_readable() {
                s.serialize_str(&crate::content::date::format(d))
            } else {
                (d.timestamp(), d.timestamp_subsec_nanos(), d.offset().local_minus_utc()).serialize(s)
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
            if d.is_human_readable() {
                let text = String::deserialize(d)?;
                DateTime::parse_from_rfc3339(&text).map_err(D::Error::custom)
            } else {
                let (secs, nanos, offset) = <(i64, u32, i32)>::deserialize(d)?;
                FixedOffset::east_opt(offset)
                    .and_then(|o| o.timestamp_opt(secs, nanos).single())
                    .ok_or_else(|| D::Error::custom("a stored date out of range"))
            }
        }
    }

    pub mod opt_date {
        use super::*;

        #[derive(Serialize, Deserialize)]
        struct Date(#[serde(with = "super::date")] DateTime<FixedOffset>);

        pub fn serialize<S: Serializer>(d: &Option<DateTime<FixedOffset>>, s: S) -> Result<S::Ok, S::Error> {
            d.map(Date).serialize(s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
            Ok(Option::<Date>::deserialize(d)?.map(|d| d.0))
        }
    }

    pub mod extra {
        use super::*;
        use serde_yaml::Mapping;

        pub fn serialize<S: Serializer>(m: &Mapping, s: S) -> Result<S::Ok, S::Error> {
            if s.is_human_readable() {
                m.serialize(s)
            } else if m.is_empty() {
                s.serialize_str("")
            } else {
                let text = serde_yaml::to_string(m).map_err(serde::ser::Error::custom)?;
                s.serialize_str(&text)
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Mapping, D::Error> {
            if d.is_human_readable() {
                return Mapping::deserialize(d);
            }
            let text = String::deserialize(d)?;
            if text.is_empty() {
                return Ok(Mapping::new());
            }
            serde_yaml::from_str(&text).map_err(D::Error::custom)
        }
    }
}

/// A Markdown file cut into its front matter and body.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based line of the first YAML line.
    pub yaml_line: usize,
    pub body: &'a str,
    /// 1-based line of the first body line.
    pub body_line: usize,
}

/// Finds the `---` fences; the body starts after the closing one.
pub fn split(text: &str) -> Result<Split<'_>, (usize, Problem)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Err((1, Problem::Content(ContentProblem::NoFrontMatter)));
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let current = text[offset..end].trim_end();
        if current == "---" || current == "..." {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset = end + 1;
        line += 1;
    }
    Err((1, Problem::Content(ContentProblem::UnclosedFrontMatter)))
}

/// Parses front matter, collecting every problem instead of stopping at the first.
pub fn parse(split: &Split<'_>, path: &Path, rules: &Rules) -> Result<FrontMatter, Vec<FileError>> {
    let tz = rules.tz;
    let at = |line: usize, problem: Problem| FileError::new(Location::line(path, line), problem);
    let lines = key_lines(split.yaml, split.yaml_line);
    let duplicates: Vec<FileError> = lines
        .duplicates
        .iter()
        .map(|(key, line)| at(*line, Problem::Yaml(YamlProblem::DuplicateKey(key.clone()))))
        .collect();
    let value: Value = if split.yaml.trim().is_empty() {
        Value::Mapping(Mapping::new())
    } else {
        match crate::yaml::value_from_str(split.yaml, path, split.yaml_line - 1) {
            Ok(v) => v,
            // The parser names the mapping, not the repeated key; our scan has its line.
            Err(e) if !duplicates.is_empty() && !matches!(e.problem, Problem::Yaml(YamlProblem::TooDeep { .. })) => {
                return Err(duplicates);
            }
            Err(e) => return Err(vec![e]),
        }
    };
    let mapping = match value {
        Value::Mapping(m) => m,
        other => {
            return Err(vec![at(
                split.yaml_line,
                Problem::Yaml(YamlProblem::NotAMapping(kind_of(&other).into())),
            )]);
        }
    };

    let mut errors = duplicates;
    let line_of = |key: &str| lines.first.get(key).copied().unwrap_or(split.yaml_line);

    let mut title = None;
    let mut date_value = None;
    let mut fm = FrontMatter::new(String::new(), DateTime::UNIX_EPOCH.fixed_offset());
    for (key, value) in mapping {
        let Value::String(key) = key else {
            errors.push(at(
                split.yaml_line,
                Problem::Yaml(YamlProblem::KeyNotText(kind_of(&key))),
            ));
            continue;
        };
        let line = line_of(&key);
        let mut bad = |message: String| {
            errors.push(at(
                line,
                Problem::Yaml(YamlProblem::BadValue {
                    key: key.clone(),
                    message,
                }),
            ))
        };
        match key.as_str() {
            "title" => match shown_text(&value) {
                Some(t) if !t.trim().is_empty() => title = Some(t.trim().to_string()),
                Some(_) => bad("must not be empty".into()),
                None => bad(format!("must be text, found {}", kind_of(&value))),
            },
            "date" | "updated" => match text(&value) {
                Some(v) => match date::parse(&v, tz) {
                    Ok(dt) if key == "date" => date_value = Some(dt),
                    Ok(dt) => fm.updated = Some(dt),
                    Err(reason) => errors.push(at(
                        line,
                        Problem::Yaml(YamlProblem::BadDate {
                            key: key.clone(),
                            value: v,
                            reason,
                        }),
                    )),
                },
                None => bad(format!("must be a date, found {}", kind_of(&value))),
            },
            "kicker" | "summary" | "fingerprint" | "image_alt" | "image_caption" => {
                let Some(v) = shown_text(&value) else {
                    bad(format!("must be text, found {}", kind_of(&value)));
                    continue;
                };
                let v = Some(v.trim().to_string()).filter(|s| !s.is_empty());
                match key.as_str() {
                    "kicker" => fm.kicker = v,
                    "summary" => fm.summary = v,
                    "image_alt" => fm.image_alt = v,
                    "image_caption" => fm.image_caption = v,
                    _ => fm.fingerprint = v,
                }
            }
            "language" | "slug" | "source_url" | "image" => {
                let Some(v) = text(&value) else {
                    bad(format!("must be text, found {}", kind_of(&value)));
                    continue;
                };
                let v = v.trim().to_string();
                match key.as_str() {
                    "language" if !is_language_tag(&v) => {
                        bad(format!("must be a language tag such as `de` or `de-AT`, not `{v}`"))
                    }
                    "language" => fm.language = Some(v),
                    "slug" if !slug::is_valid(&v) => bad(format!(
                        "must use only a-z, 0-9 and `-` (one URL segment), not `{v}`; try `{}`",
                        slug::slugify(&v)
                    )),
                    "slug" => fm.slug = Some(v),
                    "source_url" if !is_http_url(&v) => bad(format!("must be an absolute http(s) URL, not `{v}`")),
                    "source_url" => fm.source_url = Some(v),
                    _ if !is_image_url(&v) => bad(format!(
                        "must be an absolute http(s) URL or a path in the site such as `/static/bild.jpg`, not `{}`",
                        v.escape_default()
                    )),
                    _ => fm.image = Some(v),
                }
            }
            "topics" | "tags" | "sources" | "authors" => match string_list(&value, rules.limits.max_terms) {
                Ok(list) => {
                    let slot = match key.as_str() {
                        "topics" => &mut fm.topics,
                        "tags" => &mut fm.tags,
                        "sources" => &mut fm.sources,
                        _ => &mut fm.authors,
                    };
                    *slot = list;
                }
                Err(message) => bad(message),
            },
            "aliases" => match string_list(&value, rules.limits.max_terms) {
                Ok(list) => match list.iter().find_map(|a| crate::text::url::alias_path(a).err()) {
                    Some(problem) => bad(format!("an alias {problem}")),
                    None => fm.aliases = list,
                },
                Err(message) => bad(message),
            },
            "draft" => match value {
                Value::Bool(b) => fm.draft = b,
                other => bad(format!("must be true or false, found {}", kind_of(&other))),
            },
            "extra" => match value {
                Value::Mapping(m) => match bad_key(&m) {
                    None => fm.extra = m,
                    Some(found) => bad(format!(
                        "has a key that templates cannot read ({found}); keys must be text, whole numbers or true/false"
                    )),
                },
                Value::Null => {}
                other => bad(format!("must be a mapping, found {}", kind_of(&other))),
            },
            _ => errors.push(at(
                line,
                Problem::Yaml(YamlProblem::UnknownKey {
                    suggestion: nearest(&key, KNOWN_KEYS),
                    key,
                }),
            )),
        }
    }
    match title {
        Some(t) => fm.title = t,
        None if !lines.first.contains_key("title") => {
            errors.push(at(split.yaml_line, Problem::Yaml(YamlProblem::MissingKey("title"))))
        }
        None => {}
    }
    match date_value {
        Some(d) => fm.date = d,
        None if !lines.first.contains_key("date") => {
            errors.push(at(split.yaml_line, Problem::Yaml(YamlProblem::MissingKey("date"))))
        }
        None => {}
    }
    fm.extra_without_forbidden_chars();
    if errors.is_empty() {
        Ok(fm)
    } else {
        errors.sort_by_key(|e| e.location.line);
        Err(errors)
    }
}

struct KeyLines {
    first: HashMap<String, usize>,
    duplicates: Vec<(String, usize)>,
}

/// Lines of the top-level keys. YAML values carry no positions once parsed,
/// and top-level keys are the unindented `key:` lines, so a scan finds them.
fn key_lines(yaml: &str, first_line: usize) -> KeyLines {
    let mut first = HashMap::new();
    let mut duplicates = Vec::new();
    for (i, line) in yaml.lines().enumerate() {
        let Some(c) = line.chars().next() else { continue };
        if c.is_whitespace() || matches!(c, '#' | '-' | '{' | '[' | '}' | ']') {
            continue;
        }
        let Some((key, _)) = line.split_once(':') else { continue };
        let key = key.trim().trim_matches(|c| c == '"' || c == '\'').to_string();
        match first.entry(key) {
            std::collections::hash_map::Entry::Occupied(e) => duplicates.push((e.key().clone(), first_line + i)),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(first_line + i);
            }
        }
    }
    KeyLines { first, duplicates }
}

impl FrontMatter {
    /// Drops the characters no page or feed may carry (see
    /// [`crate::text::chars`]) from `extra`, which templates may show;
    /// the other shown values lose them as they are read ([`shown_text`]),
    /// and the checked fields (slug, language, source URL) refuse them.
    fn extra_without_forbidden_chars(&mut self) {
        fn clean(s: &mut String) {
            if let std::borrow::Cow::Owned(c) = strip_forbidden_chars(s) {
                *s = c;
            }
        }
        fn clean_value(v: &mut Value) {
            match v {
                Value::String(s) => clean(s),
                Value::Sequence(items) => items.iter_mut().for_each(clean_value),
                Value::Mapping(m) => clean_mapping(m),
                Value::Tagged(t) => clean_value(&mut t.value),
                _ => {}
            }
        }
        fn clean_mapping(m: &mut Mapping) {
            let dirty = m
                .iter()
                .any(|(k, _)| k.as_str().is_some_and(|k| find_forbidden(k.as_bytes()).is_some()));
            if dirty {
                *m = std::mem::take(m)
                    .into_iter()
                    .map(|(mut k, v)| {
                        clean_value(&mut k);
                        (k, v)
                    })
                    .collect();
            }
            m.values_mut().for_each(clean_value);
        }
        clean_mapping(&mut self.extra);
    }
}

/// The first key in `extra`, at any depth, that a template cannot be
/// given (Tera's values, like JSON, have text keys; whole numbers and
/// true/false become text): described for the message.
fn bad_key(m: &Mapping) -> Option<String> {
    fn in_value(v: &Value) -> Option<String> {
        match v {
            Value::Mapping(m) => bad_key(m),
            Value::Sequence(items) => items.iter().find_map(in_value),
            Value::Tagged(t) => in_value(&t.value),
            _ => None,
        }
    }
    for (k, v) in m {
        let usable = match k {
            Value::String(_) | Value::Bool(_) => true,
            Value::Number(n) => n.is_i64() || n.is_u64(),
            _ => false,
        };
        if !usable {
            let shown = serde_yaml::to_string(k).unwrap_or_default();
            return Some(format!("{} `{}`", kind_of(k), shown.trim_end().escape_default()));
        }
        if let Some(found) = in_value(v) {
            return Some(found);
        }
    }
    None
}

/// A value a page or feed shows, as text without the characters none may
/// carry: dropped before the value is judged, so that a title of nothing
/// but such characters is empty, as every reader would see it.
fn shown_text(value: &Value) -> Option<String> {
    text(value).map(|t| match strip_forbidden_chars(&t) {
        std::borrow::Cow::Borrowed(_) => t,
        std::borrow::Cow::Owned(clean) => clean,
    })
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A list of text, each entry cleaned as [`shown_text`] and trimmed,
/// repeats dropped; more than `max` entries left is an error (each topic and
/// tag has pages and feeds that list the article, and every feed the
/// article is in repeats its authors and sources).
fn string_list(value: &Value, max: usize) -> Result<Vec<String>, String> {
    let items: Vec<&Value> = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Sequence(seq) => seq.iter().collect(),
        single @ (Value::String(_) | Value::Number(_)) => vec![single],
        other => return Err(format!("must be a list of text, found {}", kind_of(other))),
    };
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    for item in items {
        match shown_text(item) {
            Some(s) if !s.trim().is_empty() => {
                let s = s.trim().to_string();
                if seen.insert(s.clone()) {
                    out.push(s);
                }
            }
            Some(_) => return Err("must not contain empty entries".into()),
            None => return Err(format!("must be a list of text, found {} in it", kind_of(item))),
        }
    }
    if out.len() > max {
        return Err(format!(
            "has {} entries, more than the limit of {max} (content.max_terms in site.yaml)",
            out.len()
        ));
    }
    Ok(out)
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Whether `value` may be an article's lead image: an absolute http(s) URL,
/// or a path from the site's root (`/static/bild.jpg`). Anything else
/// (`javascript:`, `data:`, `//other.host/`, a relative path that would
/// mean something else on every page showing it) is refused: the value
/// ends up in `src`, `og:image`, JSON-LD and feeds.
pub fn is_image_url(value: &str) -> bool {
    if is_http_url(value) {
        return true;
    }
    value.starts_with('/')
        && !value.starts_with("//")
        && !value.contains("\\")
        && !value.chars().any(|c| {
            c.is_whitespace() || c.is_control() || crate::text::chars::is_forbidden(c) || matches!(c, '"' | '<' | '>')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_a_template_can_show_lose_the_characters_no_page_may_carry() {
        let text = "---\ntitle: \"Ti\\x01tel\\uFFFE\"\ndate: 2022-01-21\nkicker: \"\\x1b[31mrot\"\n\
                    tags: [\"\\x7fNATO\"]\nextra:\n  \"k\\x0b\": [\"v\\x0c\", {x: \"\\x85y\"}]\n---\nText\n";
        let split = split(text).unwrap();
        let fm = parse(&split, Path::new("a.md"), &Rules::in_tz(chrono_tz::UTC)).unwrap();
        assert_eq!(fm.title, "Titel");
        assert_eq!(fm.kicker.as_deref(), Some("[31mrot"));
        assert_eq!(fm.tags, ["NATO"]);
        let extra: Mapping = serde_yaml::from_str("k: [v, {x: y}]").unwrap();
        assert_eq!(fm.extra, extra);
    }
    use chrono_tz::Europe::Berlin;

    fn parse_str(text: &str) -> Result<FrontMatter, Vec<FileError>> {
        let split = split(text).map_err(|(l, p)| vec![FileError::at(Path::new("a.md"), Some(l), p)])?;
        parse(&split, Path::new("a.md"), &Rules::in_tz(Berlin))
    }

    #[test]
    fn words_yaml_11_reads_as_booleans_are_written_quoted() {
        let mut fm = FrontMatter::new("No", DateTime::UNIX_EPOCH.fixed_offset());
        fm.language = Some("no".into());
        fm.tags = vec!["Yes".into(), "off".into(), "Nope".into()];
        fm.summary = Some("Zeile eins\nno".into());
        let yaml = fm.to_yaml();
        for line in ["title: 'No'", "language: 'no'", "- 'Yes'", "- 'off'", "- Nope", "  no"] {
            assert!(yaml.lines().any(|l| l == line), "{line} in\n{yaml}");
        }
        let back = parse_str(&format!("---\n{yaml}---\n")).unwrap();
        assert_eq!(back, fm);
    }

    #[test]
    fn booleans_stay_booleans_and_the_text_true_stays_text() {
        let mut fm = FrontMatter::new("true", DateTime::UNIX_EPOCH.fixed_offset());
        fm.draft = true;
        fm.tags = vec!["False".into()];
        fm.extra.insert(Value::from("flag"), Value::Bool(true));
        let yaml = fm.to_yaml();
        for line in ["title: 'true'", "draft: true", "- 'False'", "  flag: true"] {
            assert!(yaml.lines().any(|l| l == line), "{line} in\n{yaml}");
        }
        assert_eq!(parse_str(&format!("---\n{yaml}---\n")).unwrap(), fm);
    }

    #[test]
    fn minimal_article() {
        let fm = parse_str("---\ntitle: Hallo\ndate: 2022-01-21\n---\nText\n").unwrap();
        assert_eq!(fm.title, "Hallo");
        assert_eq!(date::format(&fm.date), "2022-01-21T00:00:00+01:00");
    }

    #[test]
    fn split_finds_body_line() {
        let s = split("---\ntitle: a\n---\n\nBody\n").unwrap();
        assert_eq!(s.yaml, "title: a\n");
        assert_eq!(s.body, "\nBody\n");
        assert_eq!(s.body_line, 4);
        assert_eq!(
            split("title: a\n").unwrap_err().1,
            Problem::Content(ContentProblem::NoFrontMatter)
        );
        assert_eq!(
            split("---\ntitle: a\n").unwrap_err().1,
            Problem::Content(ContentProblem::UnclosedFrontMatter)
        );
    }

    #[test]
    fn every_problem_is_reported_on_its_line() {
        let errors = parse_str("---\ntitel: Hallo\ndate: 21.01.2022\ndraft: maybe\n---\n").unwrap_err();
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            shown,
            vec![
                "a.md:2: unknown key `titel` (did you mean `title`?)",
                "a.md:2: missing required key `title`",
                "a.md:3: `date`: invalid date `21.01.2022`: expected a day (2022-01-21), a date and time in the site's time zone (YYYY-MM-DDTHH:MM, as 2022-01-21T12:00) or RFC 3339 (2022-01-21T12:00:00+01:00)",
                "a.md:4: `draft` must be true or false, found text",
            ]
        );
    }

    #[test]
    fn yaml_syntax_error_has_file_line() {
        let errors = parse_str("---\ntitle: a\ndate: 2022-01-01\ntags: [a, b\n---\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].location.line.unwrap() >= 4, "{}", errors[0]);
        assert!(
            matches!(errors[0].problem, Problem::Yaml(YamlProblem::Yaml(_))),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn not_a_mapping() {
        let errors = parse_str("---\n- a\n- b\n---\n").unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "a.md:2: front matter must be a mapping of keys to values, found a list"
        );
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let errors = parse_str("---\ntitle: a\ndate: 2022-01-01\ntitle: b\n---\n").unwrap_err();
        assert!(
            errors.iter().any(|e| e.location.line == Some(4)
                && matches!(&e.problem, Problem::Yaml(YamlProblem::DuplicateKey(k)) if k == "title")),
            "{errors:?}"
        );
    }

    #[test]
    fn a_lead_image_is_a_web_url_or_a_path_in_the_site() {
        let fm = parse_str(
            "---\ntitle: a\ndate: 2022-01-01\nimage: https://cdn.example.org/a.jpg?w=1&h=2\n\
             image_alt: \"Ein Zug <b>\"\nimage_caption: \"Foto: dpa\"\n---\n",
        )
        .unwrap();
        assert_eq!(fm.image.as_deref(), Some("https://cdn.example.org/a.jpg?w=1&h=2"));
        assert_eq!(fm.image_alt.as_deref(), Some("Ein Zug <b>"));
        assert_eq!(fm.image_caption.as_deref(), Some("Foto: dpa"));
        let fm = parse_str("---\ntitle: a\ndate: 2022-01-01\nimage: /static/bild.jpg\n---\n").unwrap();
        assert_eq!(fm.image.as_deref(), Some("/static/bild.jpg"));
        // What import writes, it reads back.
        let again = parse_str(&format!("---\n{}---\n", fm.to_yaml())).unwrap();
        assert_eq!(again.image, fm.image);
    }

    #[test]
    fn unsafe_slugs_and_urls_are_refused() {
        for (line, needle) in [
            ("slug: ../etc", "slug"),
            ("slug: a/b", "slug"),
            ("slug: 'C:'", "slug"),
            ("source_url: javascript:alert(1)", "source_url"),
            ("image: javascript:alert(1)", "image"),
            ("image: \"data:image/png;base64,AAAA\"", "image"),
            ("image: //evil.example/x.png", "image"),
            ("image: bild.png", "image"),
            ("image: \"/a\\\"onerror=x.png\"", "image"),
            // A noncharacter is no control character, yet no page may carry one.
            ("source_url: \"https://example.org/\\uFDD0\"", "source_url"),
        ] {
            let text = format!("---\ntitle: a\ndate: 2022-01-01\n{line}\n---\n");
            let errors = parse_str(&text).unwrap_err();
            assert!(errors[0].to_string().contains(needle), "{}", errors[0]);
            assert_eq!(errors[0].location.line, Some(4));
        }
    }

    #[test]
    fn values_of_nothing_but_dropped_characters_are_empty() {
        let errors = parse_str(
            "---\ntitle: \"\\x7f\\x85\\uFDD0 \"\ndate: 2022-01-21\ntopics: [a, \"\\x01\"]\n\
             tags: [\"\\uFFFE\"]\nkicker: \"\\x1b\"\n---\nText\n",
        )
        .unwrap_err();
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            shown,
            [
                "a.md:2: `title` must not be empty",
                "a.md:4: `topics` must not contain empty entries",
                "a.md:5: `tags` must not contain empty entries",
            ]
        );
        let fm = parse_str("---\ntitle: a\ndate: 2022-01-21\nkicker: \"\\x1b\"\nsummary: \"\\x85\"\n---\n").unwrap();
        assert_eq!((fm.kicker, fm.summary), (None, None));
    }

    #[test]
    fn lists_longer_than_the_limit_are_refused_at_their_line() {
        let rules = Rules {
            tz: Berlin,
            limits: crate::config::ContentConfig {
                max_terms: 3,
                ..Default::default()
            },
            heading_attributes: false,
        };
        let parse = |text: &str| parse(&split(text).unwrap(), Path::new("a.md"), &rules);
        // Repeats count once, as they are kept once.
        let fm = parse("---\ntitle: a\ndate: 2022-01-21\ntopics: [a, b, c, a, \" b\"]\n---\n").unwrap();
        assert_eq!(fm.topics, ["a", "b", "c"]);
        for key in ["topics", "tags", "sources", "authors"] {
            let errors = parse(&format!("---\ntitle: a\ndate: 2022-01-21\n{key}: [a, b, c, d]\n---\n")).unwrap_err();
            assert_eq!(
                errors[0].to_string(),
                format!("a.md:4: `{key}` has 4 entries, more than the limit of 3 (content.max_terms in site.yaml)")
            );
        }
    }

    #[test]
    fn extra_keys_a_template_cannot_read_are_refused_at_the_line_of_extra() {
        for (extra, found) in [
            ("{[a, b]: x}", "a list `- a\\n- b`"),
            ("{~: x}", "nothing `null`"),
            ("{1.5: x}", "a number `1.5`"),
            ("{ok: [{a: 1}, {{x: 1}: 2}]}", "a mapping `x: 1`"),
        ] {
            let errors = parse_str(&format!("---\ntitle: a\ndate: 2022-01-21\nextra: {extra}\n---\n")).unwrap_err();
            assert_eq!(
                errors[0].to_string(),
                format!(
                    "a.md:4: `extra` has a key that templates cannot read ({found}); keys must be text, whole numbers or true/false"
                ),
                "{extra}"
            );
        }
        let fm = parse_str("---\ntitle: a\ndate: 2022-01-21\nextra: {1: a, true: b, -2: c, k: {x: y}}\n---\n").unwrap();
        assert_eq!(fm.extra.len(), 4);
    }

    #[test]
    fn round_trip() {
        let mut fm = FrontMatter::new(
            "Ein Titel: mit Doppelpunkt",
            date::parse("2022-01-21T12:00:00+01:00", Berlin).unwrap(),
        );
        fm.kicker = Some("Krisentreffen in Genf".into());
        fm.topics = vec!["Ukraine-Konflikt".into()];
        fm.tags = vec!["NATO".into(), "Antony Blinken".into()];
        fm.summary = Some("Ein \"Zitat\" – und: ein Doppelpunkt, # und * Zeichen".into());
        fm.source_url = Some("https://example.org/a?b=1#c".into());
        let text = format!("---\n{}---\n", fm.to_yaml());
        assert_eq!(parse_str(&text).unwrap(), fm);
    }
}
