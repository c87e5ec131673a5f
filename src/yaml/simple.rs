//! The YAML that front matter nearly always is, read without the YAML
//! parser: `key: value` lines, lists of `- item` lines under a key, and one
//! mapping of such lines under a key (`extra:`), each value plain or in
//! single quotes on its one line. That is what `blatt import` and the
//! bench corpus write and what hand-written front matter mostly is, and
//! libyaml's scanner, event loader and `Value` visitor took 7 % of a clean
//! build's CPU at 100 000 articles (2-core VM, Zipf corpus), one document
//! at a time.
//!
//! The rule is to answer only where the answer is certain: a line of any
//! other shape, a character YAML treats specially (a tab, a control or
//! break character, a flow indicator, a comment, an anchor, a tag, a
//! double-quoted escape), a key given twice, and every plain scalar that a
//! YAML reader might take for anything but text (`null`, `true`, `no`,
//! `~`, `12`, `1e3`, `0x1F`, `.inf`) give `None`, and the caller parses the
//! document with `serde_yaml` as before, errors and all. Where this gives a
//! value it is the one `serde_yaml` gives (the tests compare both on
//! generated documents).

use serde_yaml::{Mapping, Value};

/// The document `text` as `serde_yaml` reads it, or `None` where it is not
/// of the simple shape.
pub fn parse(text: &str) -> Option<Value> {
    if !text.chars().all(allowed) {
        return None;
    }
    let mut lines = text.lines().peekable();
    let mut top = Mapping::new();
    while let Some(line) = lines.next() {
        let (key, value) = entry(line)?;
        let value = match value {
            Some(v) => scalar(v)?,
            None => match lines.peek().copied()? {
                next if next.starts_with("  ") && entry(&next[2..]).is_some() => Value::Mapping(nested(&mut lines)?),
                next => Value::Sequence(items(&mut lines, indent_of_item(next)?)?),
            },
        };
        if top.insert(Value::String(key.to_string()), value).is_some() {
            return None;
        }
    }
    Some(Value::Mapping(top))
}

/// The entries of a mapping indented by two spaces, each a scalar or a
/// list of items (indented as its key, or two more).
fn nested<'a>(lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>) -> Option<Mapping> {
    let mut map = Mapping::new();
    while let Some(line) = lines.peek().copied() {
        let Some(inner) = line.strip_prefix("  ").filter(|l| !l.starts_with([' ', '-'])) else {
            break;
        };
        lines.next();
        let (key, value) = entry(inner)?;
        let value = match value {
            Some(v) => scalar(v)?,
            None => {
                let indent = indent_of_item(lines.peek().copied()?)?;
                if indent == 0 {
                    return None;
                }
                Value::Sequence(items(lines, indent)?)
            }
        };
        if map.insert(Value::String(key.to_string()), value).is_some() {
            return None;
        }
    }
    (!map.is_empty()).then_some(map)
}

/// The run of `- item` lines indented by `indent` spaces.
fn items<'a>(lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>, indent: usize) -> Option<Vec<Value>> {
    let mut list = Vec::new();
    while let Some(line) = lines.peek().copied() {
        match indent_of_item(line) {
            Some(i) if i == indent => {}
            _ => break,
        }
        lines.next();
        list.push(scalar(&line[indent + 2..])?);
    }
    // A line indented deeper than the items continues the last one.
    if lines
        .peek()
        .is_some_and(|l| l.len() > indent && l.as_bytes()[..=indent].iter().all(|&b| b == b' '))
    {
        return None;
    }
    (!list.is_empty()).then_some(list)
}

/// How far `line` is indented if it is a list item (`- x`, `  - x`,
/// `    - x`).
fn indent_of_item(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    (indent <= 4 && indent % 2 == 0 && line[indent..].starts_with("- ")).then_some(indent)
}

/// Longer keys are left to the parser (which refuses them from 1 024
/// characters); front matter's own are below 20.
const MAX_KEY_BYTES: usize = 128;

/// `key: value` or `key:` (its value on the lines below).
fn entry(line: &str) -> Option<(&str, Option<&str>)> {
    let colon = line.find(':')?;
    let key = &line[..colon];
    let first = key.chars().next()?;
    // libyaml refuses a key of 1 024 characters or more.
    if key.len() > MAX_KEY_BYTES
        || !first.is_ascii_alphabetic()
        || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        || reserved(key)
    {
        return None;
    }
    match &line[colon + 1..] {
        "" => Some((key, None)),
        rest => Some((key, Some(rest.strip_prefix(' ')?))),
    }
}

/// A scalar on one line: plain, or in single quotes.
fn scalar(text: &str) -> Option<Value> {
    if let Some(inner) = text.strip_prefix('\'') {
        let inner = inner.strip_suffix('\'')?;
        // Inside, a quote is written twice; a single one would end the scalar.
        if inner.replace("''", "").contains('\'') {
            return None;
        }
        return Some(Value::String(inner.replace("''", "'")));
    }
    plain(text).then(|| Value::String(text.to_string()))
}

/// Whether `text` is a plain scalar that every YAML reader takes for text.
fn plain(text: &str) -> bool {
    let Some(first) = text.chars().next() else { return false };
    if "-?:,[]{}#&*!|>'\"%@`.+=~< ".contains(first)
        || text.ends_with([' ', ':'])
        || text.contains(": ")
        || text.contains(" #")
        || !text.chars().any(char::is_alphanumeric)
        || reserved(text)
    {
        return false;
    }
    if first.is_ascii_digit() {
        // A number has no space and no letter but an exponent's (`1e3`),
        // unless it is written in another base (`0x1F`, `0o17`, `0b1`); a
        // date is text to this parser.
        let numeric = |c: char| c.is_ascii_digit() || "eE+-._:".contains(c);
        let other_base = text.len() > 1 && text.as_bytes()[0] == b'0' && b"xXoObB".contains(&text.as_bytes()[1]);
        return !other_base && (text.contains(' ') || !text.chars().all(numeric)) || is_date(text);
    }
    true
}

/// `2022-01-21`, optionally with a time after it (`T10:00:00+01:00`).
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && (b.len() == 10 || b[10] == b'T')
}

/// Words some YAML reader takes for null, a boolean or a float, in any
/// case (Rust's float parser, which readers fall back on, knows `inf`).
fn reserved(text: &str) -> bool {
    const WORDS: &[&str] = &[
        "null", "true", "false", "yes", "no", "on", "off", "y", "n", "inf", "nan", "infinity",
    ];
    text.len() <= 8 && WORDS.iter().any(|w| w.eq_ignore_ascii_case(text))
}

/// Characters that need no YAML rule: not a tab, not a control, break or
/// byte-order character (`\n` ends lines).
fn allowed(c: char) -> bool {
    c == '\n' || !(c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `serde_yaml` makes of `text`, where it reads it.
    fn full(text: &str) -> Option<Value> {
        serde_yaml::from_str(text).ok()
    }

    /// Wherever the simple reading answers, its answer is `serde_yaml`'s.
    fn agrees(text: &str) -> bool {
        match parse(text) {
            Some(v) => full(text).as_ref() == Some(&v),
            None => true,
        }
    }

    #[test]
    fn front_matter_as_import_writes_it_is_read_without_the_parser() {
        let text = "title: 'Lehrkräftemangel: Quereinsteiger sollen die Lücken füllen'\ndate: 2022-06-01T09:30:00+02:00\nkicker: Schule\nsummary: Ein Satz über C# und http://example.org/a?b=c, mit [Klammern].\ntopics:\n- Bildung\n- Lehrkräftemangel\ntags:\n  - Schule\nfingerprint: 20c6da204bcb90be\nlanguage: de\nextra:\n  editors:\n  - lwe\n  rule_terms:\n    - Bildung\n  standfirst: It''s fine\n";
        let v = parse(text).expect("the simple shape");
        assert_eq!(Some(&v), full(text).as_ref());
        assert_eq!(v["extra"]["editors"][0], Value::String("lwe".into()));
        assert_eq!(
            v["title"],
            Value::String("Lehrkräftemangel: Quereinsteiger sollen die Lücken füllen".into())
        );
    }

    #[test]
    fn anything_a_reader_could_take_otherwise_is_left_to_the_parser() {
        for text in [
            "draft: true\n",
            "language: no\n",
            "language: NO\n",
            "title: ~\n",
            "title: 12\n",
            "title: 1e3\n",
            "title: 0x1F\n",
            "title: .inf\n",
            "title: -5\n",
            "title: 1_000\n",
            "title: 12:30\n",
            "title: a # comment\n",
            "title: a: b\n",
            "title: \"quoted\\tescape\"\n",
            "title: &anchor a\n",
            "title: !tag a\n",
            "title: [a, b]\n",
            "title: |\n  block\n",
            "title: a\n  continued\n",
            "title: a\ntitle: b\n",
            "tags:\n- a\n  continued\n",
            "tags:\n- a\n  - b\n",
            "tags:\n",
            "extra:\n  k:\n    deeper: x\n",
            "title:\ta\n",
            "title: a\u{85}b\n",
            "title: it's 'x' ok\n",
            "title: 'a'b'\n",
            "true: a\n",
            "\n",
            "# comment\ntitle: a\n",
        ] {
            assert!(agrees(text), "{text:?}");
            if [
                "draft: true\n",
                "language: no\n",
                "title: 12\n",
                "title: a: b\n",
                "tags:\n- a\n  continued\n",
            ]
            .contains(&text)
            {
                assert_eq!(parse(text), None, "{text:?}");
            }
        }
        // A key past libyaml's limit is an error there, so none here.
        let long_key = format!("extra:\n  {}: a\n", "k".repeat(1100));
        assert_eq!(full(&long_key), None, "libyaml refuses the key");
        assert_eq!(parse(&long_key), None);
    }

    /// Documents made of the characters and shapes that matter to YAML,
    /// many thousands of them: wherever the simple reading gives a value,
    /// `serde_yaml` gives the same.
    #[test]
    fn generated_documents_read_as_serde_yaml_reads_them() {
        let pieces = [
            "a",
            "Ä",
            "1",
            "0",
            "e",
            "x",
            " ",
            ":",
            ": ",
            "#",
            " #",
            "-",
            "- ",
            "'",
            "''",
            "\"",
            "[",
            "]",
            "{",
            ",",
            "&",
            "*",
            "!",
            "|",
            ">",
            "%",
            "@",
            "`",
            ".",
            "+",
            "~",
            "?",
            "\\",
            "null",
            "true",
            "no",
            "\t",
            "2022-01-21",
            "T10:00",
            "\u{85}",
            "\u{2028}",
            "\u{feff}",
            "\r",
            "\u{a0}",
            "inf",
            "NaN",
            "Infinity",
            "_",
            "0x",
            "0o",
            "1.5",
            "=",
            "<<",
            "1e3",
            "12",
        ];
        let shapes = [
            "title: {v}\n",
            "title: {v}\nkicker: {w}\n",
            "tags:\n- {v}\n- {w}\n",
            "tags:\n  - {v}\n  - {w}\n",
            "extra:\n  k: {v}\n  l:\n  - {w}\n",
            "title: '{v}{w}'\n",
            "title: {v}\n  {w}\n",
            "tags:\n- {v}\n  {w}\n",
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let mut simple = 0;
        for _ in 0..40_000 {
            let mut value = || (0..1 + next(4)).map(|_| pieces[next(pieces.len())]).collect::<String>();
            let (v, w) = (value(), value());
            let text = shapes[next(shapes.len())].replace("{v}", &v).replace("{w}", &w);
            assert!(agrees(&text), "{text:?}: {:?} against {:?}", parse(&text), full(&text));
            simple += parse(&text).is_some() as usize;
        }
        assert!(simple > 2_000, "the generator reaches the simple shape ({simple})");
    }
}
