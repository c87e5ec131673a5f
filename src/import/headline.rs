//! Headlines: the site's name tacked on by the page title, and the kicker
//! (Dachzeile) that naive extractors glue to the headline without a space.

use crate::import::dates;
use crate::import::patterns::Patterns;

/// Lower-case letters and digits only: how two spellings of the same line are
/// compared (`Zoonosen – Wie` and `ZoonosenWie` are the same headline).
pub fn letters(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Separators between a headline and a site name or between two headline parts.
const SEPARATORS: [&str; 5] = [" | ", " - ", " – ", " — ", " : "];

/// Removes a trailing site name (`… | MDR.DE`, `… - SAT.1 REGIONAL`,
/// `… (neues deutschland)`) or date (`… : 31.10.2023, 10.19 Uhr`).
/// `site_names` are what the input says the site is called (host name,
/// site name); without them only unmistakable suffixes are cut.
pub fn strip_site_suffix(title: &str, site_names: &[&str]) -> String {
    let names: Vec<String> = site_names
        .iter()
        .flat_map(|n| {
            let n = n.trim_start_matches("www.");
            // `sat1regional.de` → also `sat1regional`
            let label = n.rsplit_once('.').map_or(n, |(l, _)| l);
            [letters(n), letters(label)]
        })
        .filter(|n| n.len() >= 2)
        .collect();
    let mut title = title.trim().to_string();
    loop {
        let before = title.len();
        if let Some(open) = title.rfind(" (") {
            let inner = title[open + 2..].strip_suffix(')').unwrap_or("");
            if !inner.is_empty() && names.contains(&letters(inner)) {
                title.truncate(open);
            }
        }
        for sep in SEPARATORS {
            let Some(pos) = title.rfind(sep) else { continue };
            let suffix = title[pos + sep.len()..].trim();
            let head_words = title[..pos].split_whitespace().count();
            if suffix.is_empty() || head_words < 2 {
                continue;
            }
            let words = suffix.split_whitespace().count();
            let is_site = names.contains(&letters(suffix));
            let is_date = dates::is_date_line(suffix) && dates::find(suffix).is_some();
            let looks_like_domain = words == 1
                && suffix.contains('.')
                && suffix
                    .rsplit('.')
                    .next()
                    .is_some_and(|tld| (2..=4).contains(&tld.len()) && tld.chars().all(char::is_alphabetic));
            let shouting = words <= 3
                && suffix.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && suffix.chars().all(|c| !c.is_lowercase());
            let piped = sep == " | " && words <= 4;
            if is_site || is_date || looks_like_domain || shouting || piped {
                title.truncate(pos);
                title = title.trim_end().to_string();
                break;
            }
        }
        if title.len() == before {
            return title;
        }
    }
}

/// Longer lines are never split into kicker and headline.
pub const MAX_HEADLINE_BYTES: usize = 2000;

/// Splits `Krisentreffen in GenfUS-Außenminister Blinken: …` into kicker and
/// headline. Splits only where a lower-case letter or closing punctuation is
/// directly followed by an upper-case letter (or a glued `:`/dash/opening
/// quote is), the kicker has at least two words (one before a glued colon),
/// the headline at least two, and the glued word is not a camel-case name.
pub fn split_kicker(title: &str, patterns: &Patterns) -> Option<(String, String)> {
    // Each candidate split costs a pass over the line, so a long line with
    // many (`aBaBaB…`, minified code) would take hours; a line this long is a
    // paragraph, not a headline.
    if title.len() > MAX_HEADLINE_BYTES {
        return None;
    }
    let chars: Vec<(usize, char)> = title.char_indices().collect();
    for i in 1..chars.len() {
        let (pos, c) = chars[i];
        let prev = chars[i - 1].1;
        // (kicker end, headline start) in bytes, and whether an explicit separator glued them
        let next_is_upper = chars.get(i + 1).is_some_and(|(_, n)| n.is_uppercase());
        // A lower-case letter or closing mark glued to a capital, or to an
        // opening quote before a capital.
        let glued = (c.is_uppercase() && (prev.is_lowercase() || is_closing(prev)))
            || (is_opening_quote(c) && prev.is_lowercase() && next_is_upper);
        // A colon or dash with no space after it.
        let separated = matches!(c, ':' | '–' | '—')
            && prev.is_alphanumeric()
            && chars
                .get(i + 1)
                .is_some_and(|(_, n)| n.is_uppercase() || is_opening_quote(*n));
        let (kicker_end, title_start, separator) = if glued {
            (pos, pos, false)
        } else if separated {
            (pos, pos + c.len_utf8(), true)
        } else {
            continue;
        };
        if prev == '.' && kicker_last_word_is_abbreviation(&title[..pos]) {
            continue;
        }
        let kicker = title[..kicker_end].trim().trim_end_matches(['.', ':']).trim_end();
        let headline = title[title_start..].trim();
        let kicker_words = kicker.split_whitespace().count();
        if kicker_words < if separator { 1 } else { 2 } || headline.split_whitespace().count() < 2 {
            continue;
        }
        if !separator && prev.is_alphabetic() && is_camel_case_name(title, kicker_end, patterns) {
            continue;
        }
        let first_word: String = headline
            .chars()
            .take_while(|c| c.is_alphanumeric() || is_opening_quote(*c))
            .collect();
        if first_word.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
            continue;
        }
        return Some((kicker.to_string(), headline.to_string()));
    }
    None
}

/// `St.Gallen`, `U.S.Army`: a dot after a short word is an abbreviation, not the end of a kicker.
fn kicker_last_word_is_abbreviation(kicker: &str) -> bool {
    let word = kicker
        .trim_end_matches('.')
        .rsplit(|c: char| c.is_whitespace() || c == '.')
        .next()
        .unwrap_or("");
    word.chars().count() < 4
}

fn is_closing(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | ')' | '"' | '“' | '”' | '»' | '«' | '’' | '…')
}

fn is_opening_quote(c: char) -> bool {
    matches!(c, '"' | '„' | '“' | '»' | '«' | '‚')
}

/// Whether the word around byte `at` is a known camel-case name or starts
/// with a short lower/camel prefix (`iPhone`, `eBay`, `McDonald's`).
fn is_camel_case_name(title: &str, at: usize, patterns: &Patterns) -> bool {
    let start = title[..at]
        .rfind(|c: char| !c.is_alphanumeric())
        .map_or(0, |i| i + title[i..].chars().next().map_or(1, char::len_utf8));
    let end = title[at..]
        .find(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .map_or(title.len(), |i| at + i);
    let word = &title[start..end];
    let prefix_letters = title[start..at].chars().count();
    prefix_letters <= 2
        || patterns
            .camel_case_names
            .iter()
            .any(|name| word.starts_with(name.as_str()) || (name.len() <= word.len() && word.contains(name.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(t: &str) -> Option<(String, String)> {
        split_kicker(t, Patterns::built_in())
    }

    fn pair(k: &str, t: &str) -> Option<(String, String)> {
        Some((k.to_string(), t.to_string()))
    }

    #[test]
    fn seed_headline() {
        assert_eq!(
            split("Krisentreffen in GenfUS-Außenminister Blinken: Zusammenarbeit mit Russland möglich"),
            pair(
                "Krisentreffen in Genf",
                "US-Außenminister Blinken: Zusammenarbeit mit Russland möglich"
            )
        );
    }

    #[test]
    fn lines_longer_than_a_headline_are_not_split() {
        let glued = "Krisentreffen in GenfUS-Außenminister Blinken: Zusammenarbeit mit Russland möglich ";
        let fits = glued.repeat(MAX_HEADLINE_BYTES / glued.len());
        assert!(split(&fits).is_some());
        assert_eq!(split(&glued.repeat(MAX_HEADLINE_BYTES / glued.len() + 1)), None);
    }

    #[test]
    fn glued_shapes_from_real_extractions() {
        // Shapes seen in naive <h1> text (our own words, same glue).
        assert_eq!(
            split("Streit im NetzDaten von Firma gestohlen"),
            pair("Streit im Netz", "Daten von Firma gestohlen")
        );
        assert_eq!(
            split("Die Zukunft der Arbeit\"Wir müssen reden\""),
            pair("Die Zukunft der Arbeit", "\"Wir müssen reden\"")
        );
        assert_eq!(
            split("Bahn:Im Zug nach Rom fahren"),
            pair("Bahn", "Im Zug nach Rom fahren")
        );
        assert_eq!(
            split("Tiere und Menschen–Wie Krankheiten springen"),
            pair("Tiere und Menschen", "Wie Krankheiten springen")
        );
    }

    #[test]
    fn names_are_never_split() {
        for t in [
            "Fans stürmen McDonald's in Berlin",
            "Neuer YouTube-Star erobert die Charts",
            "Apple stellt das neue iPhone vor",
            "Impfstoff von CureVac enttäuscht Anleger",
            "Musks SpaceX startet erneut",
            "Warum eBay-Händler klagen",
        ] {
            assert_eq!(split(t), None, "{t}");
        }
    }

    #[test]
    fn abbreviations_are_not_kicker_ends() {
        assert_eq!(split("Tanz in der St.Galler Lokremise"), None);
        assert_eq!(
            split("Ein Gipfel in Genf.Die Welt schaut zu"),
            pair("Ein Gipfel in Genf", "Die Welt schaut zu")
        );
    }

    #[test]
    fn one_word_before_a_plain_glue_is_not_a_kicker() {
        assert_eq!(split("GenfUS-Außenminister trifft Lawrow"), None);
        assert_eq!(
            split("US-Außenminister Blinken: Zusammenarbeit mit Russland möglich"),
            None
        );
    }

    #[test]
    fn site_suffixes() {
        assert_eq!(
            strip_site_suffix("Autohäuser öffnen wieder | MDR.DE", &[]),
            "Autohäuser öffnen wieder"
        );
        assert_eq!(
            strip_site_suffix("Fronten bleiben hart - SAT.1 REGIONAL", &[]),
            "Fronten bleiben hart"
        );
        assert_eq!(
            strip_site_suffix("Unfall auf der A6 - Telebasel", &["telebasel.ch"]),
            "Unfall auf der A6"
        );
        assert_eq!(
            strip_site_suffix(
                "»Kein Geld für die Miete« (neues deutschland)",
                &["neues-deutschland.de"]
            ),
            "»Kein Geld für die Miete«"
        );
        assert_eq!(
            strip_site_suffix("So viel Regen gab es lange nicht : 31.10.2023, 10.19 Uhr", &[]),
            "So viel Regen gab es lange nicht"
        );
        // A dash that belongs to the headline stays.
        assert_eq!(
            strip_site_suffix("Hund vertreibt Einbrecher – Zeugenaufruf", &[]),
            "Hund vertreibt Einbrecher – Zeugenaufruf"
        );
        assert_eq!(
            strip_site_suffix("Unfall auf der A6 - Telebasel", &[]),
            "Unfall auf der A6 - Telebasel"
        );
    }
}
