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
    /// A bulleted list; each entry is one item, without its marker.
    List(Vec<String>),
    /// A table: rows of cells, the first row its head. Rows may differ in
    /// length; the Markdown pads them to the longest.
    Table(Vec<Vec<String>>),
}

impl Block {
    /// The block's text, one entry per paragraph, item or table row (cells
    /// joined by a space).
    pub fn texts(&self) -> Vec<String> {
        match self {
            Block::Paragraph(t) | Block::Heading(t) => vec![t.clone()],
            Block::Quote(items) | Block::List(items) => items.clone(),
            Block::Table(rows) => rows
                .iter()
                .map(|row| {
                    row.iter()
                        .filter(|c| !c.is_empty())
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect(),
        }
    }
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
    // Two lists with only a blank line between them would be read as one;
    // a list with the other marker is a new one.
    let mut marker = '-';
    for (n, block) in blocks.iter().enumerate() {
        let after_list = n > 0 && matches!(blocks[n - 1], Block::List(_));
        marker = if after_list && marker == '-' { '*' } else { '-' };
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
            Block::List(items) => {
                let listed: Vec<String> = items.iter().map(|i| format!("{marker} {}", escape(i))).collect();
                writeln!(out, "{}", listed.join("\n"))
            }
            Block::Table(rows) => write_table(&mut out, rows),
        }
        .expect("writing to a String cannot fail");
    }
    out
}

/// A table cell: inline Markdown on one line, where `|` would end the cell.
fn cell(text: &str) -> String {
    let escaped = escape(text);
    // A cell is never at a line start, so the block-start escapes (`\-`,
    // `1\.`) are not needed there, but they do no harm either.
    if escaped.is_empty() { " ".to_string() } else { escaped }
}

fn write_table(out: &mut String, rows: &[Vec<String>]) -> std::fmt::Result {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let line = |cells: &[String]| {
        let mut parts: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        parts.resize(columns, " ".to_string());
        format!("| {} |", parts.join(" | "))
    };
    let mut lines = Vec::with_capacity(rows.len() + 1);
    if let Some((head, rest)) = rows.split_first() {
        lines.push(line(head));
        lines.push(format!("|{}", " --- |".repeat(columns)));
        lines.extend(rest.iter().map(|r| line(r)));
    }
    writeln!(out, "{}", lines.join("\n"))
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

    #[test]
    fn lists_and_tables() {
        let md = body(&[
            Block::List(vec!["Erster Punkt".into(), "- zweiter *Punkt*".into()]),
            Block::Table(vec![
                vec!["Team".into(), "Punkte".into()],
                vec!["A | B".into(), "12".into(), "extra".into()],
                vec!["".into()],
            ]),
        ]);
        assert_eq!(
            md,
            "- Erster Punkt\n- \\- zweiter \\*Punkt\\*\n\n| Team | Punkte |   |\n| --- | --- | --- |\n| A \\| B | 12 | extra |\n|   |   |   |\n"
        );
    }
}
