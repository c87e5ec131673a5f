//! Writing cleaned text as Markdown that renders back to exactly that text.
//!
//! Scraped text is full of characters that mean something in Markdown
//! (`*innen`, `_`, `[sic]`, `<`, a paragraph that starts with `1. ` or `#`).
//! Escaping every one of them with a backslash is what CommonMark offers for
//! this; the property test in `tests/it/markdown_roundtrip.rs` holds us to it.

use std::fmt::Write;

/// A block of the article body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(String),
    Heading(String),
    /// A quotation embedded in the page (a post on a social network); each
    /// entry is one paragraph of it.
    Quote(Vec<String>),
}

/// Escapes one line of plain text for use as inline Markdown.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16 + 4);
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '~' | '|' => {
                out.push('\\');
                out.push(c);
            }
            // Only an entity-shaped `&` would be decoded (`&amp;`, `&#42;`).
            '&' if starts_entity(&bytes[i + 1..]) => out.push_str("\\&"),
            _ => out.push(c),
        }
    }
    escape_line_start(out)
}

fn starts_entity(rest: &[u8]) -> bool {
    let name_len = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'#')
        .count();
    name_len > 0 && rest.get(name_len) == Some(&b';')
}

/// A line that starts like a list item, heading or break must not become one.
fn escape_line_start(mut line: String) -> String {
    let first = line.chars().next();
    match first {
        Some('-' | '+' | '=') => line.insert(0, '\\'),
        Some(c) if c.is_ascii_digit() => {
            let digits = line.bytes().take_while(u8::is_ascii_digit).count();
            if digits <= 9 && matches!(line.as_bytes().get(digits), Some(b'.' | b')')) {
                line.insert(digits, '\\');
            }
        }
        _ => {}
    }
    line
}

/// The Markdown body for a list of blocks, blocks separated by blank lines.
pub fn body(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        if !out.is_empty() {
            out.push('\n');
        }
        match block {
            Block::Paragraph(text) => writeln!(out, "{}", escape(text)),
            Block::Heading(text) => writeln!(out, "## {}", escape(text)),
            Block::Quote(paragraphs) => {
                let quoted: Vec<String> = paragraphs.iter().map(|p| format!("> {}", escape(p))).collect();
                writeln!(out, "{}", quoted.join("\n>\n"))
            }
        }
        .expect("writing to a String cannot fail");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metacharacters_are_escaped() {
        assert_eq!(
            escape("Mitarbeiter*innen und user_name"),
            "Mitarbeiter\\*innen und user\\_name"
        );
        assert_eq!(escape("[sic] <b>fett</b>"), "\\[sic\\] \\<b\\>fett\\</b\\>");
        assert_eq!(escape("AT&T und &amp; und &#42;"), "AT&T und \\&amp; und \\&\\#42;");
        assert_eq!(escape("C:\\Pfad"), "C:\\\\Pfad");
    }

    #[test]
    fn block_starts_are_escaped() {
        assert_eq!(escape("1. FC Köln gewinnt"), "1\\. FC Köln gewinnt");
        assert_eq!(escape("2021) war gut"), "2021\\) war gut");
        assert_eq!(escape("- Punkt"), "\\- Punkt");
        assert_eq!(escape("+ plus"), "\\+ plus");
        assert_eq!(escape("# Nummer eins"), "\\# Nummer eins");
        assert_eq!(escape("> Zitat"), "\\> Zitat");
        assert_eq!(escape("---"), "\\---");
        assert_eq!(escape("1234567890. Zahl"), "1234567890. Zahl");
    }

    #[test]
    fn body_layout() {
        let md = body(&[
            Block::Paragraph("Erster Absatz.".into()),
            Block::Heading("Zwischenzeile".into()),
            Block::Quote(vec!["Zitat".into(), "— Jemand".into()]),
        ]);
        assert_eq!(md, "Erster Absatz.\n\n## Zwischenzeile\n\n> Zitat\n>\n> — Jemand\n");
    }
}
