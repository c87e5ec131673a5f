//! Text normalisation, done before any cleaning rule looks at the text.
//!
//! Scraped text arrives with CRLF, byte-order marks, non-breaking and
//! zero-width spaces, tabs and control characters. Every later rule compares
//! and matches lines, so they must first be brought to one form: NFC, `\n`,
//! single spaces, no invisible characters.

use unicode_normalization::UnicodeNormalization;

use crate::error::{Problem, ReadProblem};

/// Decodes input bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM.
/// On failure, returns the 1-based line of the problem with it.
pub fn decode(bytes: &[u8]) -> Result<String, (usize, Problem)> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err((line_of(bytes, pos), Problem::Read(ReadProblem::NulByte)));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let pos = e.valid_up_to();
            let line_start = bytes[..pos].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
            let column = std::str::from_utf8(&bytes[line_start..pos]).map_or(1, |s| s.chars().count() + 1);
            Err((
                line_of(bytes, pos),
                Problem::Read(ReadProblem::NotUtf8 {
                    byte: bytes[pos],
                    column,
                }),
            ))
        }
    }
}

fn line_of(bytes: &[u8], pos: usize) -> usize {
    bytes[..pos].iter().filter(|&&b| b == b'\n').count() + 1
}

fn utf16(bytes: &[u8], read: fn([u8; 2]) -> u16) -> Result<String, (usize, Problem)> {
    if bytes.len() % 2 != 0 {
        return Err((1, Problem::Read(ReadProblem::Utf16OddLength)));
    }
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| read([c[0], c[1]])).collect();
    let text = String::from_utf16(&units).map_err(|_| (1, Problem::Read(ReadProblem::Utf16BadSurrogate)))?;
    if let Some(pos) = text.find('\0') {
        return Err((line_of(text.as_bytes(), pos), Problem::Read(ReadProblem::NulByte)));
    }
    Ok(text)
}

/// Whether `c` is white space that should become one plain space.
fn is_space(c: char) -> bool {
    c.is_whitespace() && c != '\n'
}

/// Characters that carry no text: zero-width marks, soft hyphens, BOMs, and
/// control characters (which are also invalid in XML feeds).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}'
    ) || (c.is_control() && c != '\n' && c != '\t')
        || ('\u{FFF9}'..='\u{FFFB}').contains(&c)
        || c == '\u{FFFE}'
        || c == '\u{FFFF}'
}

/// One line normalised: NFC, invisible characters removed, runs of white
/// space folded into one space, trimmed.
pub fn line(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    for c in raw.nfc() {
        if is_invisible(c) {
            continue;
        }
        if is_space(c) || c == '\n' {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// `raw` with its character references resolved (`&amp;`, `&#039;`,
/// `&eacute;`): what a page's metadata says once a CMS escaped it twice.
/// An `&` that starts no reference (`AT&T`) stays. Only for metadata: an
/// extractor's body text is already decoded, so a reference there is
/// text the article shows (a tutorial on HTML).
///
/// Inline markup a CMS leaked into the field (`like the <em>Mona
/// Lisa</em>`) is taken off too, but only an element opened and closed
/// around plain words, of the kinds that style words inside a headline: a
/// lone `<em>` is what a headline about HTML writes.
pub fn metadata(raw: String) -> String {
    let decoded = match html_escape::decode_html_entities(&raw) {
        std::borrow::Cow::Borrowed(_) => raw,
        std::borrow::Cow::Owned(decoded) => decoded,
    };
    if !decoded.contains("</") {
        return decoded;
    }
    static ELEMENT: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let element = ELEMENT.get_or_init(|| {
        regex::Regex::new(r"<([A-Za-z]{1,6})(\s[^<>]{0,200})?>([^<>]{0,400})</([A-Za-z]{1,6})\s*>").unwrap()
    });
    const INLINE: [&str; 17] = [
        "a", "abbr", "b", "cite", "code", "em", "font", "i", "mark", "q", "s", "small", "span", "strong", "sub", "sup",
        "u",
    ];
    element
        .replace_all(&decoded, |c: &regex::Captures<'_>| {
            let name = c[1].to_ascii_lowercase();
            if name == c[4].to_ascii_lowercase() && INLINE.contains(&name.as_str()) {
                c[3].to_string()
            } else {
                c[0].to_string()
            }
        })
        .into_owned()
}

/// Splits text into normalised, non-empty lines (CRLF and CR count as breaks).
pub fn lines(text: &str) -> Vec<String> {
    numbered_lines(text).into_iter().map(|(_, l)| l).collect()
}

/// Like [`lines`], with each line's 1-based number in `text`, so that a
/// report can point at the line a rule dropped.
pub fn numbered_lines(text: &str) -> Vec<(usize, String)> {
    let text = text.replace("\r\n", "\n");
    text.split(['\n', '\r', '\u{2028}', '\u{2029}', '\u{0085}'])
        .enumerate()
        .map(|(i, l)| (i + 1, line(l)))
        .filter(|(_, l)| !l.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_in_metadata_are_resolved_and_a_bare_ampersand_stays() {
        assert_eq!(metadata("Markets &amp; Finance".into()), "Markets & Finance");
        assert_eq!(
            metadata("Sean &#039;proposes&#x27; &eacute;t&eacute;".into()),
            "Sean 'proposes' été"
        );
        assert_eq!(metadata("AT&T and R&D; Q&A".into()), "AT&T and R&D; Q&A");
        assert_eq!(metadata("&lt;b&gt;".into()), "<b>");
    }

    #[test]
    fn inline_markup_around_words_in_metadata_goes() {
        assert_eq!(
            metadata("Robot eyes follow you like the <em>Mona Lisa</em>".into()),
            "Robot eyes follow you like the Mona Lisa"
        );
        assert_eq!(
            metadata("&lt;i&gt;Titanic&lt;/i&gt; sinks; <span class=\"x\">live</span>".into()),
            "Titanic sinks; live"
        );
        // A lone tag, comparisons and blocks are not inline markup.
        for kept in [
            "Why the <em> tag matters",
            "When a < b and c > d",
            "<div>Block</div> stays",
            "<em>Open</strong> mismatch",
        ] {
            assert_eq!(metadata(kept.into()), kept);
        }
    }

    #[test]
    fn crlf_bom_nbsp_zero_width_and_tabs() {
        let text = "\u{feff}Titel\u{00a0}mit  Lücke\r\n\r\n\tZeile\u{200b}zwei \u{202f}Ende \r\n\r\n";
        assert_eq!(lines(text), vec!["Titel mit Lücke", "Zeilezwei Ende"]);
    }

    #[test]
    fn nfc_composes_decomposed_umlauts() {
        assert_eq!(line("Mu\u{0308}nchen"), "München");
    }

    #[test]
    fn control_characters_vanish() {
        assert_eq!(line("a\u{0007}b\u{001b}c\u{0085}d"), "abcd");
    }

    #[test]
    fn decode_utf8_bom_and_utf16() {
        assert_eq!(decode(b"\xEF\xBB\xBFHallo").unwrap(), "Hallo");
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Grüße".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&utf16le).unwrap(), "Grüße");
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Grüße".encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        assert_eq!(decode(&utf16be).unwrap(), "Grüße");
    }

    #[test]
    fn decode_reports_line_of_bad_byte() {
        let (line, problem) = decode(b"Titel\nZeile zwei\nGr\xfc\xdfe\n").unwrap_err();
        assert_eq!(line, 3);
        assert_eq!(problem, Problem::Read(ReadProblem::NotUtf8 { byte: 0xfc, column: 3 }));
        let (line, problem) = decode(b"a\nb\0c").unwrap_err();
        assert_eq!((line, problem), (2, Problem::Read(ReadProblem::NulByte)));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Titel\nText\n\0".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&utf16).unwrap_err(), (3, Problem::Read(ReadProblem::NulByte)));
    }
}
