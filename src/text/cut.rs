//! Text shortened for places that show only its start: search results and
//! link previews cut a description or headline themselves, mid-word, where
//! it runs long; cut here it ends at a word, with `…`.

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
