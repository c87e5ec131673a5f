//! URL slugs that read well in German.
//!
//! Generic transliteration turns `ä` into `a`, which changes German words
//! (`Außenminister` → `auenminister`); German convention writes `ae`, `oe`,
//! `ue`, `ss`, so those are replaced first and `deunicode` handles the rest.

/// The longest slug blatt generates; longer titles are cut at a word.
pub const MAX_LEN: usize = 80;

/// `text` in ASCII the German way: umlauts and `ß` as `ae`, `oe`, `ue`,
/// `ss`, everything else by `deunicode` (`Zprávy` → `Zpravy`).
pub fn ascii(text: &str) -> String {
    let mut german = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            'ä' | 'Ä' => german.push_str("ae"),
            'ö' | 'Ö' => german.push_str("oe"),
            'ü' | 'Ü' => german.push_str("ue"),
            'ß' | 'ẞ' => german.push_str("ss"),
            _ => german.push(c),
        }
    }
    deunicode::deunicode(&german)
}

/// A slug of `[a-z0-9-]`, never empty, at most [`MAX_LEN`] characters.
pub fn slugify(text: &str) -> String {
    let ascii = ascii(text);
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.len() > MAX_LEN {
        let cut = slug[..=MAX_LEN].rfind('-').filter(|&i| i > 0).unwrap_or(MAX_LEN);
        slug.truncate(cut);
        while slug.ends_with('-') {
            slug.pop();
        }
    }
    if slug.is_empty() {
        slug.push_str("article");
    }
    slug
}

/// Whether `s` is a slug blatt accepts in front matter: safe as one path
/// segment on every file system and in a URL.
pub fn is_valid(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 200
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_transliteration() {
        assert_eq!(
            slugify("US-Außenminister Blinken: Zusammenarbeit mit Russland möglich"),
            "us-aussenminister-blinken-zusammenarbeit-mit-russland-moeglich"
        );
        assert_eq!(slugify("Ärger über Öl-Preise"), "aerger-ueber-oel-preise");
        assert_eq!(slugify("GROẞE Straße"), "grosse-strasse");
    }

    #[test]
    fn other_scripts_and_symbols() {
        assert_eq!(slugify("Café „Zur Post“ – 100 % neu!"), "cafe-zur-post-100-neu");
        assert_eq!(slugify("Łódź"), "lodz");
        assert_eq!(slugify("Київ"), "kiyiv");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
    }

    #[test]
    fn never_empty() {
        assert_eq!(slugify(""), "article");
        assert_eq!(slugify("!!! ???"), "article");
    }

    #[test]
    fn long_titles_are_cut_at_a_word() {
        let title = "Ein sehr langer Titel ".repeat(10);
        let slug = slugify(&title);
        assert!(slug.len() <= MAX_LEN, "{slug}");
        assert!(
            slug.ends_with("titel") || slug.ends_with("sehr") || slug.ends_with("langer") || slug.ends_with("ein"),
            "{slug}"
        );
        assert!(!slug.ends_with('-'));
    }

    #[test]
    fn validity() {
        assert!(is_valid("a-b-1"));
        for bad in ["", "A", "a/b", "..", "a..b/", "c:", "-a", "a-", "ä"] {
            assert!(!is_valid(bad), "{bad}");
        }
    }
}
