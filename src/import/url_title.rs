//! A headline read from the article's address, for a page whose title is
//! chrome (`Allgemein`, the site's name, a CMS's name) and whose text
//! offers no headline: `/2012/04/malaga-die-quirlige-metropole-in-andalusien.html`
//! names the article better than `Allgemein` does.
//!
//! A slug has lost case and letters (`fuer`, `verstost` for `verstößt`,
//! `monstergesprche`), so each of its words is looked up in the article's
//! own text under the ways sites fold letters, and written as the text
//! writes it. Only a slug most of whose words the text has is taken: an id
//! (`news823175`, `c_1125597921`) or a section name is no headline.

use std::collections::HashMap;

/// Fewer words than this are a section or a name, not a headline.
const MIN_WORDS: usize = 4;

/// The words of the text that spell a slug word, by each way a site may
/// have folded them; and apart, the text's words with an apostrophe or
/// inner full stops (`Saturn's`, `doesn't`, `L.A.`), which a slug writes
/// without them (`doesnt`) or split in two (`saturn-s`, `l-a`).
pub struct TextWords {
    words: HashMap<String, String>,
    joined: HashMap<String, String>,
}

impl TextWords {
    pub fn new<'a>(lines: impl IntoIterator<Item = &'a str>) -> TextWords {
        let mut words = HashMap::new();
        let mut joined = HashMap::new();
        for line in lines {
            for word in line.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
                // A capital may only open a sentence: the lower-case
                // spelling is the word's own.
                let lower = word.starts_with(char::is_lowercase);
                for key in folds(word) {
                    let known: &mut String = words.entry(key).or_insert_with(|| word.to_string());
                    if lower && known.starts_with(char::is_uppercase) {
                        *known = word.to_string();
                    }
                }
            }
            for token in line.split_whitespace() {
                if let Some(word) = with_inner_marks(token) {
                    let bare: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
                    for key in folds(&bare) {
                        joined.entry(key).or_insert_with(|| word.to_string());
                    }
                }
            }
        }
        TextWords { words, joined }
    }
}

/// `token` without the punctuation around it, if an apostrophe or a full
/// stop stands inside it (`L.A.` keeps its last full stop, an abbreviation's
/// own); `None` for a plain word, a number such as `3.5`, or a token with
/// other marks inside (`__init__.py`, a file name, not a word).
fn with_inner_marks(token: &str) -> Option<&str> {
    let start = token.find(char::is_alphanumeric)?;
    let end = token
        .char_indices()
        .rfind(|(_, c)| c.is_alphanumeric())
        .map(|(i, c)| i + c.len_utf8())?;
    let inner = &token[start..end];
    let marked = inner.contains(['\'', '’', '.'])
        && inner
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '.'));
    let abbreviation = inner.contains('.') && token[end..].starts_with('.');
    marked.then(|| if abbreviation { &token[start..=end] } else { inner })
}

/// `word` in lower case as slugs write it: German `ae` for `ä` (as
/// blatt's own slugs), plain `a`, or the letter left out; `ß` as `ss`, `s` or left out.
fn folds(word: &str) -> [String; 4] {
    let plain = deunicode::deunicode(word).to_ascii_lowercase();
    let lower = word.to_lowercase();
    let sharp_s = deunicode::deunicode(&lower.replace('ß', "s")).to_ascii_lowercase();
    let dropped: String = lower.chars().filter(|c| !matches!(c, 'ä' | 'ö' | 'ü' | 'ß')).collect();
    [
        crate::text::slug::slugify(word),
        plain,
        sharp_s,
        deunicode::deunicode(&dropped).to_ascii_lowercase(),
    ]
}

/// The words of `url`'s last path segment, without ids before or after
/// them (`149-filmbuero`, `will-smith-…-205331`); `None` for a segment
/// that is not words joined by dashes.
fn slug_words(url: &str) -> Option<Vec<&str>> {
    let path = url.split(['?', '#']).next()?;
    let path = path.split_once("://").map_or(path, |(_, rest)| rest);
    let (_, path) = path.split_once('/')?;
    let segment = path.split('/').rfind(|s| !s.is_empty())?;
    let segment = segment.rsplit_once('.').map_or(segment, |(stem, ext)| {
        if ext.chars().all(|c| c.is_ascii_alphabetic()) && ext.len() <= 5 {
            stem
        } else {
            segment
        }
    });
    let words: Vec<&str> = segment.split(['-', '_', '+']).filter(|w| !w.is_empty()).collect();
    let is_id =
        |w: &&str| w.chars().any(|c| c.is_ascii_digit()) && w.len() > 4 || w.chars().all(|c| c.is_ascii_digit());
    let start = words.iter().take_while(|w| is_id(w)).count();
    let end = words.len() - words[start..].iter().rev().take_while(|w| is_id(w)).count();
    let words = &words[start..end];
    words
        .iter()
        .all(|w| w.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| words.to_vec())
}

/// Whether `url` spells `title`: most of the title's words are the
/// slug's. Such a title is the article's own, whatever else it looks like
/// (`VIDEO: Voting on …` is shaped like an embed's label; some sites give
/// their headline as the site's name).
pub fn confirms(url: &str, title: &str) -> bool {
    let Some(slug) = slug_words(url) else { return false };
    let slug: std::collections::HashSet<String> = slug.iter().map(|w| w.to_ascii_lowercase()).collect();
    let words: Vec<&str> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 1)
        .collect();
    let found = words
        .iter()
        .filter(|w| folds(w).iter().any(|f| slug.contains(f)))
        .count();
    !words.is_empty() && found * 4 >= words.len() * 3
}

/// The headline `url`'s last path segment spells, with every word as
/// `text` writes it; `None` for an address that names no article.
pub fn title_from_url(url: &str, text: &TextWords) -> Option<String> {
    let words = slug_words(url)?;
    if words.len() < MIN_WORDS {
        return None;
    }
    // Each slug word, or a word and the short one after it (`saturn-s`),
    // as the text spells it; `None` where the text lacks it.
    let mut spelled: Vec<(usize, Option<&String>)> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let word = words[i].to_ascii_lowercase();
        let pair = words
            .get(i + 1)
            .filter(|next| next.len() <= 2)
            .and_then(|next| text.joined.get(&format!("{word}{}", next.to_ascii_lowercase())));
        if let Some(pair) = pair {
            spelled.push((2, Some(pair)));
            i += 2;
            continue;
        }
        spelled.push((1, text.words.get(&word).or_else(|| text.joined.get(&word))));
        i += 1;
    }
    let found: usize = spelled.iter().filter(|(_, s)| s.is_some()).map(|(n, _)| n).sum();
    // Most words must be the text's own, or the slug is not about it.
    if found * 4 < words.len() * 3 {
        return None;
    }
    let mut at = 0;
    let mut title: Vec<String> = Vec::with_capacity(spelled.len());
    for (n, s) in &spelled {
        title.push(s.map_or_else(|| words[at].to_ascii_lowercase(), |s| s.to_string()));
        at += n;
    }
    if let Some(first) = title.first_mut() {
        let mut chars = first.chars();
        if let Some(c) = chars.next() {
            *first = c.to_uppercase().chain(chars).collect();
        }
    }
    Some(title.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> TextWords {
        TextWords::new([s])
    }

    #[test]
    fn a_slug_reads_as_the_text_writes_its_words() {
        let t = text(
            "Eine der größten Städte ganz Spaniens ist Malaga in Andalusien, die quirlige Metropole. Die Stadt lockt. \
             Der Ausschluss von Pseudonymen bei Google verstößt gegen deutsches Recht, sagt er.",
        );
        assert_eq!(
            title_from_url(
                "http://www.example.de/malaga-die-quirlige-metropole-in-andalusien.html",
                &t
            )
            .as_deref(),
            Some("Malaga die quirlige Metropole in Andalusien")
        );
        assert_eq!(
            title_from_url(
                "https://blog.example/2012/verstost-der-ausschluss-von-pseudonymen-bei-google-gegen-deutsches-recht/",
                &t
            )
            .as_deref(),
            Some("Verstößt der Ausschluss von Pseudonymen bei Google gegen deutsches Recht")
        );
        // Ids before and after go; a word the text lacks stays as written.
        let t = text("Beim Reparaturcafé am 31. Januar wird wieder geschraubt.");
        assert_eq!(
            title_from_url(
                "https://www.ahlen.de/nachricht/2020-reparaturcafe-am-31-januar-205331/?x=1",
                &t
            )
            .as_deref(),
            Some("Reparaturcafé am 31 Januar")
        );
        let t = text("Die Bürger sollen für die deutschen Zeitungen stimmen, gestaltet von Olafur Eliasson");
        assert_eq!(
            title_from_url(
                "https://x.de/olafur-eliasson-gestaltet-titelseite-fuer-die-deutschen-zeitungen",
                &t
            )
            .as_deref(),
            Some("Olafur Eliasson gestaltet titelseite für die deutschen Zeitungen")
        );
    }

    #[test]
    fn apostrophes_and_abbreviations_are_spelled_as_the_text_has_them() {
        let t = text(
            "Cassini's last look: Saturn's moon Titan doesn't hide its lakes, NASA says. \
             The L.A. team is 3.5 points behind; it's a rock'n'roll year.",
        );
        assert_eq!(
            title_from_url("https://example.com/2017/saturn-s-moon-titan-doesnt-hide-its-lakes", &t).as_deref(),
            Some("Saturn's moon Titan doesn't hide its lakes")
        );
        assert_eq!(
            title_from_url("https://example.com/l-a-team-is-points-behind/", &t).as_deref(),
            Some("L.A. team is points behind")
        );
        // `it-s` joins to the text's `it's`; `says-it`, which joins no
        // marked word of the text, stays two words.
        assert_eq!(
            title_from_url("https://example.com/nasa-says-it-s-a-rock-year", &t).as_deref(),
            Some("NASA says it's a rock year")
        );
        // A file name is no word with marks inside.
        let t = text("Put nothing in your package's __init__.py file, says the style guide.");
        assert_eq!(
            title_from_url("https://example.com/put-nothing-in-your-init-py-file", &t).as_deref(),
            Some("Put nothing in your init py file")
        );
    }

    #[test]
    fn an_address_confirms_the_title_it_spells() {
        let url = "https://citylimits.org/2023/11/08/video-voting-on-nychas-future/";
        assert!(confirms(url, "VIDEO: Voting on NYCHA’s Future"));
        let url = "https://www.enbw.com/presse/buergerbeteiligung-fuer-den-windpark-steinheim-startet.html";
        assert!(confirms(url, "Bürgerbeteiligung für Windpark Steinheim"));
        assert!(!confirms(url, "Allgemein"));
        assert!(!confirms(
            "https://example.de/?p=12",
            "Bürgerbeteiligung für Windpark Steinheim"
        ));
    }

    #[test]
    fn an_address_that_names_no_article_gives_none() {
        let t = text("Malaga in Andalusien ist eine quirlige Metropole am Meer.");
        for url in [
            "https://example.de/news823175",
            "https://example.de/politik/c_1125597921.htm",
            "https://example.de/about-us/",
            "https://example.de/",
            "https://example.de/index.html",
            // Words the text does not have: another article's slug.
            "https://example.de/plumber-jailed-after-boiler-killed-daughter",
            "not a url",
        ] {
            assert_eq!(title_from_url(url, &t), None, "{url}");
        }
    }
}
