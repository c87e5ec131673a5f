//! Characters that no page or feed may contain.
//!
//! Scraped text can carry control characters: a vertical tab from a word
//! processor, a terminal escape sequence, a NUL. XML 1.0 forbids them, so a
//! single one makes a whole feed unreadable to a strict reader; HTML counts
//! them, DEL, the C1 controls and the Unicode noncharacters as parse errors
//! (the Nu HTML Checker that CI runs rejects the page). They carry no text,
//! so they are dropped where content enters a build: from front-matter
//! values when they are parsed, and from a body before its Markdown is read
//! (as import drops them from what it reads). Each article's text is then
//! clean once, rather than every page and feed that shows it being scanned.
//!
//! The scan skips ahead by comparing bytes, 32 at a time, and decodes only
//! where a forbidden character could start.

use std::borrow::Cow;

/// Whether `c` must not appear in an output: any control character but tab,
/// line feed and carriage return (C0, DEL, C1), and the noncharacters
/// U+FDD0–U+FDEF and U+xFFFE/U+xFFFF of every plane (U+FFFE and U+FFFF are
/// also invalid in XML).
pub fn is_forbidden(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' => false,
        '\0'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fdd0}'..='\u{fdef}' => true,
        _ => (c as u32) & 0xfffe == 0xfffe,
    }
}

/// Whether `b` can start the UTF-8 encoding of a forbidden character: the
/// forbidden ASCII bytes themselves, and the lead bytes of C1 controls
/// (`C2`), of U+FDD0–U+FFFF (`EF`) and of the supplementary planes.
/// Comparisons rather than a table, so that a whole chunk is tested at
/// once in vector registers.
const fn suspect(b: u8) -> bool {
    // `&` and `|`, not `&&` and `||`: no branch per byte.
    (b < 0x20) & (b != 0x09) & (b != 0x0a) & (b != 0x0d) | (b == 0x7f) | (b == 0xc2) | (b >= 0xef)
}

/// The offset of the first [`suspect`] byte: chunks of 32 bytes are
/// tested whole (no early exit, so the compiler can use vector
/// instructions), and only the chunk holding one is searched byte by byte.
/// This scan runs over every body twice in a build.
fn next_suspect(bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(32);
    let mut start = 0;
    for chunk in &mut chunks {
        if chunk.iter().fold(0u8, |any, &b| any | suspect(b) as u8) != 0 {
            break;
        }
        start += 32;
    }
    bytes[start..].iter().position(|&b| suspect(b)).map(|k| start + k)
}

/// Whether the UTF-8 sequence at the start of `rest` encodes a forbidden
/// character; `rest[0]` is a suspect byte.
fn forbidden_at(rest: &[u8]) -> bool {
    let at = |i: usize| rest.get(i).copied().unwrap_or(0);
    match rest[0] {
        b if b < 0x80 => true,
        0xc2 => (0x80..=0x9f).contains(&at(1)),
        0xef => (at(1) == 0xb7 && (0x90..=0xaf).contains(&at(2))) || (at(1) == 0xbf && at(2) >= 0xbe),
        // Four bytes: the low 16 bits of the code point are all ones but the last.
        0xf0..=0xf4 => at(1) & 0x0f == 0x0f && at(2) == 0xbf && at(3) >= 0xbe,
        _ => false,
    }
}

/// The byte offset of the first forbidden character in UTF-8 `bytes`.
pub fn find_forbidden(bytes: &[u8]) -> Option<usize> {
    let mut i = 0;
    loop {
        i += next_suspect(&bytes[i..])?;
        if forbidden_at(&bytes[i..]) {
            return Some(i);
        }
        i += 1;
    }
}

/// `text` without forbidden characters; borrowed when it has none, which is
/// nearly always.
pub fn strip_forbidden_chars(text: &str) -> Cow<'_, str> {
    match find_forbidden(text.as_bytes()) {
        None => Cow::Borrowed(text),
        Some(first) => {
            let mut out = String::with_capacity(text.len());
            out.push_str(&text[..first]);
            out.extend(text[first..].chars().filter(|&c| !is_forbidden(c)));
            Cow::Owned(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What XML 1.0 (§2.2, `Char`) allows in a document.
    fn xml_char(c: char) -> bool {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
    }

    #[test]
    fn the_byte_scan_agrees_with_the_definition_for_every_character() {
        let mut buf = [0u8; 8];
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let text = format!("a{}b", c.encode_utf8(&mut buf));
            assert_eq!(
                find_forbidden(text.as_bytes()).is_some(),
                is_forbidden(c),
                "{:04X}",
                c as u32
            );
            assert_eq!(
                find_forbidden(c.encode_utf8(&mut buf).as_bytes()).is_some(),
                is_forbidden(c)
            );
        }
    }

    /// Long text, where the scan goes by chunks: a forbidden character is
    /// found at its offset wherever it falls, and suspect bytes of allowed
    /// characters (a no-break space, a byte order mark, an emoji) before it
    /// do not stop the scan.
    #[test]
    fn the_chunked_scan_finds_each_forbidden_character_at_its_offset() {
        for lead in ["", "\u{a0}", "\u{feff} \u{1f600}", "line\n\ttab\r\n"] {
            for k in 0..100 {
                for bad in ['\u{0}', '\u{7f}', '\u{85}', '\u{fdd0}', '\u{1fffe}'] {
                    let text = format!("{lead}{}{bad}{}", "x".repeat(k), "y".repeat(40));
                    let at = lead.len() + k;
                    assert_eq!(find_forbidden(text.as_bytes()), Some(at), "{lead:?} {k} {bad:?}");
                }
                let clean = format!("{lead}{}", "x".repeat(k));
                assert_eq!(find_forbidden(clean.as_bytes()), None, "{lead:?} {k}");
            }
        }
    }

    #[test]
    fn every_character_xml_forbids_is_forbidden() {
        for c in (0..=0x10ffff).filter_map(char::from_u32).filter(|&c| !xml_char(c)) {
            assert!(is_forbidden(c), "{:04X}", c as u32);
        }
        for c in [
            '\t',
            '\n',
            '\r',
            ' ',
            'ä',
            '\u{a0}',
            '\u{2028}',
            '\u{fffd}',
            '\u{10fffd}',
        ] {
            assert!(!is_forbidden(c), "{:04X}", c as u32);
        }
    }

    #[test]
    fn stripping_keeps_the_text_around_them() {
        assert_eq!(
            strip_forbidden_chars(
                "A\u{0}B\u{1b}[31mC\u{b}\u{c}D\u{7f}\u{85}E\u{fdd0}\u{fffe}\u{ffff}F\u{1fffe}\tG\r\n"
            ),
            "AB[31mCDEF\tG\r\n"
        );
        assert!(matches!(
            strip_forbidden_chars("Außenminister „Blinken“ · 21. Januar"),
            Cow::Borrowed(_)
        ));
    }
}
