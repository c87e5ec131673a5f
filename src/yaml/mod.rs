//! YAML from files blatt does not control: front matter and `site.yaml`.
//!
//! `serde_yaml` (the `yaml_serde` crate) refuses nesting deeper than 128
//! levels, but only after its loader has read the whole document, and the
//! libyaml scanner under it slows down with every open flow collection:
//! 100 000 levels of `[[[…` (200 KB) took 27 s before the error, and as
//! many `- - - …` took 630 MB of memory per 2 MB. So the nesting is checked
//! first, by the same libyaml parser, one event at a time: it stops at the
//! first collection too deep, having read little more than that far.
//! Text too short in possible openers to nest that deep (most front
//! matter) skips that parse.

use std::mem::MaybeUninit;
use std::path::Path;

use libyaml_rs as sys;
use serde::de::DeserializeOwned;

use crate::error::{FileError, Location, Problem, YamlProblem, nearest};

mod simple;

/// How deep collections may nest. Front matter needs three or four levels
/// (`extra:` → a mapping → a list); templates read no deeper.
pub const MAX_DEPTH: usize = 32;

/// Parses `text` into a `T`, refusing nesting deeper than [`MAX_DEPTH`]
/// before the parser builds anything. `line_offset` is the number of lines
/// of the file before `text`, for the line in the error.
pub fn from_str<T: DeserializeOwned>(text: &str, path: &Path, line_offset: usize) -> Result<T, FileError> {
    if let Some(line) = too_deep(text, MAX_DEPTH) {
        return Err(FileError::new(
            Location::line(path, line + line_offset),
            Problem::Yaml(YamlProblem::TooDeep { limit: MAX_DEPTH }),
        ));
    }
    serde_yaml::from_str(text).map_err(|e| error(&e, path, line_offset))
}

/// The document `text` as a YAML value: [`from_str`], but read without the
/// YAML parser where it has the simple shape of nearly all front matter
/// ([`simple`]).
pub fn value_from_str(text: &str, path: &Path, line_offset: usize) -> Result<serde_yaml::Value, FileError> {
    match simple::parse(text) {
        Some(value) => Ok(value),
        None => from_str(text, path, line_offset),
    }
}

/// The 1-based line of the first collection in `text` nested deeper than
/// `limit`, if any. A syntax error ends the check: the parse that follows
/// reports it.
pub fn too_deep(text: &str, limit: usize) -> Option<usize> {
    if few_openers(text, limit) {
        return None;
    }
    events_too_deep(text, limit)
}

/// Whether `text` holds too few characters that can open a collection to
/// open more than `limit`: each collection libyaml opens starts at a `[`
/// or `{` of its own, at a `-` before a blank (block entry), or at its
/// first key's `?` or `:` (before a blank; anywhere inside brackets).
/// Counting each such character, in scalars and comments too, can only
/// count too many, so the event parse (half the cost of reading front
/// matter) is needed only where this count passes the limit.
fn few_openers(text: &str, limit: usize) -> bool {
    let bytes = text.as_bytes();
    let flow = bytes.iter().any(|&b| b == b'[' || b == b'{');
    // Anything but printable ASCII after it (space, tab, line break, NUL,
    // a multi-byte break, the end) may make an indicator of the character.
    let blank_after = |i: usize| !bytes.get(i + 1).is_some_and(|&b| (0x21..=0x7e).contains(&b));
    let mut openers = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        let opens = match b {
            b'[' | b'{' => true,
            b'-' | b'?' | b':' => flow || blank_after(i),
            _ => false,
        };
        if opens {
            openers += 1;
            if openers > limit {
                return false;
            }
        }
    }
    true
}

/// [`too_deep`] by libyaml's events, one at a time.
fn events_too_deep(text: &str, limit: usize) -> Option<usize> {
    let mut parser = EventParser::new(text);
    let mut depth = 0usize;
    while let Some((kind, line)) = parser.next() {
        match kind {
            sys::YAML_SEQUENCE_START_EVENT | sys::YAML_MAPPING_START_EVENT => {
                depth += 1;
                if depth > limit {
                    return Some(line);
                }
            }
            sys::YAML_SEQUENCE_END_EVENT | sys::YAML_MAPPING_END_EVENT => depth = depth.saturating_sub(1),
            sys::YAML_STREAM_END_EVENT => return None,
            _ => {}
        }
    }
    None
}

/// libyaml's event parser over a string, reduced to what [`too_deep`]
/// needs: each event's kind and line.
struct EventParser<'a> {
    /// Boxed because libyaml keeps a pointer to the parser in the parser
    /// (its read handler's data): it must not move once initialised.
    sys: Box<MaybeUninit<sys::yaml_parser_t>>,
    /// The parser reads this text through a raw pointer; the borrow keeps
    /// it alive for as long as the parser.
    _text: &'a str,
    done: bool,
}

impl<'a> EventParser<'a> {
    fn new(text: &'a str) -> EventParser<'a> {
        let mut sys = Box::<sys::yaml_parser_t>::new_uninit();
        // SAFETY: `yaml_parser_initialize` fills the whole struct (it zeroes
        // it first); the parser is then pinned in its box, and `text`
        // outlives it (the borrow in `_text`). The input is UTF-8, as set.
        unsafe {
            let parser = sys.as_mut_ptr();
            if sys::yaml_parser_initialize(parser).fail {
                panic!("libyaml could not allocate a parser");
            }
            sys::yaml_parser_set_encoding(parser, sys::YAML_UTF8_ENCODING);
            sys::yaml_parser_set_input_string(parser, text.as_ptr(), text.len() as u64);
        }
        EventParser {
            sys,
            _text: text,
            done: false,
        }
    }

    /// The next event's kind and 1-based line; `None` after the end of the
    /// stream or an error.
    fn next(&mut self) -> Option<(sys::yaml_event_type_t, usize)> {
        if self.done {
            return None;
        }
        let mut event = MaybeUninit::<sys::yaml_event_t>::uninit();
        // SAFETY: the parser was initialised in `new`; an event that
        // `yaml_parser_parse` filled is read and then deleted once.
        unsafe {
            if sys::yaml_parser_parse(self.sys.as_mut_ptr(), event.as_mut_ptr()).fail {
                self.done = true;
                return None;
            }
            let event = event.as_mut_ptr();
            let kind = (*event).type_;
            let line = (*event).start_mark.line as usize + 1;
            sys::yaml_event_delete(event);
            if kind == sys::YAML_STREAM_END_EVENT {
                self.done = true;
            }
            Some((kind, line))
        }
    }
}

impl Drop for EventParser<'_> {
    fn drop(&mut self) {
        // SAFETY: initialised in `new`, deleted once.
        unsafe { sys::yaml_parser_delete(self.sys.as_mut_ptr()) }
    }
}

/// Turns a YAML error into a [`FileError`] whose line counts from the file's
/// first line; `line_offset` is the number of lines before the YAML text.
pub fn error(e: &serde_yaml::Error, path: &Path, line_offset: usize) -> FileError {
    let line = e.location().map(|l| l.line() + line_offset);
    let mut message = e.to_string();
    // The location is already part of ours; drop the parser's copy.
    if let Some(pos) = message.find(" at line ") {
        message.truncate(pos);
    }
    let problem = unknown_field(&message).unwrap_or(Problem::Yaml(YamlProblem::Yaml(message)));
    FileError::new(
        Location {
            path: path.to_path_buf(),
            line,
        },
        problem,
    )
}

/// serde words unknown keys as "unknown field `x`, expected one of `a`, `b`".
fn unknown_field(message: &str) -> Option<Problem> {
    let rest = message.strip_prefix("unknown field `")?;
    let (key, rest) = rest.split_once('`')?;
    let known: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    Some(Problem::Yaml(YamlProblem::UnknownKey {
        key: key.to_string(),
        suggestion: nearest(key, known.iter().copied()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_measured_by_the_parser_not_by_brackets() {
        assert_eq!(too_deep("a: [[[x]]]\n", 4), None);
        assert_eq!(too_deep("a: [[[[x]]]]\n", 4), Some(1));
        assert_eq!(too_deep("a:\n  b:\n    - - - x\n", 5), None);
        assert_eq!(too_deep("a:\n  b:\n    - - - - x\n", 5), Some(3));
        assert_eq!(too_deep("a:\n  b: {c: {d: {e: x}}}\n", 4), Some(2));
        // Brackets in scalars, quoted or plain, and in comments open nothing.
        let scalars = "a: \"[[[[[[\"\nb: '{{{{{{'\nc: x [[[[[[ y\n# [[[[[[\nd: |\n  [[[[[[\n";
        assert_eq!(too_deep(scalars, 1), None);
        // Siblings do not add up.
        assert_eq!(too_deep("a: [[x], [y], [z]]\nb: [[x]]\n", 3), None);
    }

    #[test]
    fn front_matter_of_the_usual_shape_needs_no_event_parse() {
        let front = "title: Neue Brücke: Bauarbeiten beginnen\ndate: 2024-03-01T10:00:00+01:00\n\
                     topics:\n- Verkehr\ntags:\n- Stadtrat\n- Saale-Brücke\nextra:\n  quelle: https://example.org/a-b\n";
        assert!(few_openers(front, MAX_DEPTH));
        assert!(!few_openers("a:\n  b:\n    - - - - x\n", 5));
        assert_eq!(too_deep("a:\n  b:\n    - - - - x\n", 5), Some(3));
        // A line separator ends a line for YAML: the `-` after it opens a
        // list (proptest found it when `-` was not counted there).
        if few_openers("?\u{2028}-", 1) {
            assert_eq!(events_too_deep("?\u{2028}-", 1), None);
        }
    }

    proptest::proptest! {
        /// The count of possible openers never lets through what the
        /// event parse refuses.
        #[test]
        fn few_openers_never_hides_deep_nesting(
            text in "[-?:\\[\\]{}, \t\na#'\"|>&*!\u{85}\u{2028}]{0,40}",
            limit in 0usize..6,
        ) {
            if few_openers(&text, limit) {
                proptest::prop_assert_eq!(events_too_deep(&text, limit), None);
            }
        }
    }

    #[test]
    fn deep_nesting_is_refused_having_read_little_of_it() {
        for (open, close) in [("[", "]"), ("{a: ", "}"), ("- ", "")] {
            let n = 200_000;
            let text = format!("x:\n  {}y{}\n", open.repeat(n), close.repeat(n));
            let e = from_str::<serde_yaml::Value>(&text, Path::new("a.md"), 1).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!("a.md:3: lists and mappings nested more than {MAX_DEPTH} levels deep")
            );
        }
        // The parse's own errors come through as before.
        let e = from_str::<serde_yaml::Value>("a: [b\n", Path::new("a.md"), 1).unwrap_err();
        assert!(matches!(e.problem, Problem::Yaml(YamlProblem::Yaml(_))), "{e}");
    }
}
