//! Text shortened for places that show only its start: search results and
//! link previews cut a description or headline themselves, mid-word, where
//! it runs long; cut here it ends at a word, with `…`, or where a sentence
//! ends.

/// `text` unchanged when it has at most `max` characters (or `max` is 0);
/// else its start, at most `max` characters with the `…`, cut at the last
/// space unless that would leave less than half.
pub fn at_word(text: &str, max: usize) -> String {
    if max == 0 || text.chars().count() <= max {
        return text.to_string();
    }
    let end = text.char_indices().nth(max - 1).map_or(text.len(), |(i, _)| i);
    let head = &text[..end];
    let cut = match head.rfind(char::is_whitespace) {
        Some(space) if space > end / 2 => &head[..space],
        _ => head,
    };
    format!("{}…", cut.trim_end())
}

/// Byte offsets just after each sentence end: `.`, `!` or `?` (and closing
/// quotes) followed by a space and an upper-case letter or quote, unless the
/// word before is a number or a short abbreviation (`1.`, `z.`, `Dr.`).
pub fn sentence_ends(text: &str) -> Vec<usize> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut ends = Vec::new();
    for (k, &(pos, c)) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        let mut j = k + 1;
        while j < chars.len() && matches!(chars[j].1, '"' | '“' | '”' | '\'' | '’' | '»' | '«' | ')') {
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |&(p, _)| p);
        if j == chars.len() {
            ends.push(end);
            continue;
        }
        let next_starts = chars[j].1 == ' '
            && chars
                .get(j + 1)
                .is_some_and(|&(_, n)| n.is_uppercase() || matches!(n, '"' | '„' | '“' | '»' | '«'));
        if !next_starts {
            continue;
        }
        if c == '.' {
            let word: String = text[..pos].chars().rev().take_while(|c| !c.is_whitespace()).collect();
            let letters = word.chars().filter(|c| c.is_alphabetic()).count();
            if word.chars().all(|c| c.is_ascii_digit()) || letters <= 2 || word.contains('.') {
                continue;
            }
        }
        let _ = pos;
        ends.push(end);
    }
    ends
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cut_at_a_word_within_the_limit() {
        assert_eq!(at_word("Kurz", 4), "Kurz");
        assert_eq!(at_word("Kurz und gut", 0), "Kurz und gut");
        assert_eq!(at_word("Kurz und gut", 10), "Kurz und…");
        // Counted in characters, not bytes; no space in reach: cut in the word.
        assert_eq!(at_word("Überschrift", 5), "Über…");
        let long = "Wörter ".repeat(40);
        let cut = at_word(&long, 160);
        assert!(cut.chars().count() <= 160 && cut.ends_with("Wörter…"), "{cut}");
    }
}
