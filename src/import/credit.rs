//! Credits: agency lines (`(dpa/reuters/rcl/sst)`, `Quelle: ntv.de, mba/dpa`),
//! bylines (`Von Anna Beispiel, NDR`) and datelines (`Hamburg (dpa/lno) – …`).
//! They are metadata, not body text: agencies go to `sources`, people and
//! editor initials to `authors`.

use std::sync::OnceLock;

use regex::Regex;

use crate::import::patterns::Patterns;

/// Who a credit names.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Credit {
    pub sources: Vec<String>,
    pub authors: Vec<String>,
}

impl Credit {
    fn add_source(&mut self, s: &str) {
        if !self.sources.iter().any(|x| x.eq_ignore_ascii_case(s)) {
            self.sources.push(s.to_string());
        }
    }

    fn add_author(&mut self, s: &str) {
        if !self.authors.iter().any(|x| x.eq_ignore_ascii_case(s)) {
            self.authors.push(s.to_string());
        }
    }

    pub fn merge(&mut self, other: Credit) {
        other.sources.iter().for_each(|s| self.add_source(s));
        other.authors.iter().for_each(|a| self.add_author(a));
    }
}

fn is_initials(s: &str) -> bool {
    (2..=4).contains(&s.chars().count()) && s.chars().all(|c| c.is_lowercase())
}

fn is_host(s: &str) -> bool {
    s.contains('.') && !s.contains(' ') && s.rsplit('.').next().is_some_and(|t| (2..=6).contains(&t.len()))
}

/// Splits a credit list on `/`, `,`, `;` and `und`/`and`.
fn parts(list: &str) -> Vec<&str> {
    list.split(['/', ',', ';', '|'])
        .flat_map(|p| p.split(" und ").flat_map(|p| p.split(" and ")))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// An agency credit filling a whole line: `(dpa/reuters/rcl/sst)`, `(SID)`,
/// `(grh)`, `erb/ots`, `Quelle: ntv.de, mba/dpa`, `SOURCE: Al Jazeera News`.
pub fn agency_line(line: &str, patterns: &Patterns) -> Option<Credit> {
    let mut credit = Credit::default();
    if let Some(inner) = line.strip_prefix('(').and_then(|l| l.strip_suffix(')')) {
        // Only agencies and initials: `(Symbolbild)` or `(Christian Beispiel)` are not credits.
        let parts = parts(inner);
        if parts.is_empty() || parts.len() > 8 {
            return None;
        }
        for p in parts {
            if let Some(agency) = patterns.agency(p) {
                credit.add_source(if p.chars().any(char::is_uppercase) { agency } else { p });
            } else if patterns.is_not_author(p) {
            } else if is_initials(p) {
                credit.add_author(p);
            } else {
                return None;
            }
        }
        return Some(credit);
    }
    static BARE: OnceLock<Regex> = OnceLock::new();
    let bare = BARE.get_or_init(|| Regex::new(r"^[a-zäöü]{2,4}(?:/[A-Za-z]{2,8}){1,4}$").unwrap());
    if bare.is_match(line) {
        let parts = parts(line);
        if parts.iter().any(|p| patterns.agency(p).is_some()) {
            for p in parts {
                if patterns.agency(p).is_some() {
                    credit.add_source(p);
                } else if is_initials(p) && !patterns.is_not_author(p) {
                    credit.add_author(p);
                }
            }
            return Some(credit);
        }
        return None;
    }
    static SOURCE: OnceLock<Regex> = OnceLock::new();
    let source = SOURCE.get_or_init(|| {
        Regex::new(r"(?i)^(?:Quellen?|Source|Sources|Quelle der (?:Polizeimeldung|Meldung|Pressemitteilung))\s*:\s*(.{1,100})$").unwrap()
    });
    let caps = source.captures(line)?;
    let list = caps[1].trim_end_matches('.');
    for p in parts(list) {
        if let Some(agency) = patterns.agency(p) {
            credit.add_source(if p.chars().any(char::is_uppercase) { agency } else { p });
        } else if patterns.is_not_author(p) || is_host(p) {
        } else if is_initials(p) {
            credit.add_author(p);
        } else if p.split_whitespace().count() <= 5 {
            credit.add_source(p);
        }
    }
    Some(credit)
}

/// Whether a credit part is a person's name: one to four capitalised words.
fn is_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (1..=4).contains(&words.len())
        && words.iter().all(|w| {
            let mut chars = w.chars();
            chars.next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || matches!(c, '-' | '.' | '\''))
                && !w.chars().skip(1).all(char::is_uppercase)
        })
}

/// A byline on its own line: `Von Anna Beispiel und Jan Muster, NDR`,
/// `By Jane Doe`, `Autor: red`, `Reporting by …; Editing by …`,
/// `Mitarbeit: Antonio Beispiel`, `von Alexander Beispiel Foto: © GEPA`.
pub fn byline(line: &str, patterns: &Patterns) -> Option<Credit> {
    static BY: OnceLock<Regex> = OnceLock::new();
    let by = BY.get_or_init(|| {
        Regex::new(r"^(?i:von|by|text|autor|autorin|autoren|author|authors|mitarbeit|contributing|reporting by|additional reporting by)\s*:?\s+(.{2,160})$").unwrap()
    });
    let caps = by.captures(line)?;
    let mut names = caps[1].trim().trim_end_matches('.').to_string();
    // A photo credit on the same line belongs to the photo.
    if let Some(pos) = names
        .find(" Foto:")
        .or_else(|| names.find(" Fotos:"))
        .or_else(|| names.find(" Bild:"))
    {
        names.truncate(pos);
    }
    // English credit blocks: "Reporting by A; additional reporting by B; Editing by C".
    let names = names.split(';').next().unwrap_or("").to_string();
    let mut credit = Credit::default();
    let mut found = false;
    for p in parts(&names) {
        let p = p.trim_start_matches("additional reporting by ").trim();
        if patterns.is_not_author(p) {
            found = true;
        } else if let Some(agency) = patterns.agency(p) {
            credit.add_source(agency);
            found = true;
        } else if is_name(p) {
            credit.add_author(p);
            found = true;
        } else if is_initials(p)
            || p.chars()
                .all(|c| c.is_uppercase() || c.is_ascii_digit() || c == ' ' || c == '.')
        {
            // Newsroom codes and broadcaster names (`NDR`) are not people.
            found = true;
        } else {
            return None;
        }
    }
    found.then_some(credit)
}

/// A credit in brackets closing an article's last sentence, split off:
/// `… bleibt spannend. (Christian P. Stadtfeld) +++`, `… nachwirken. (APA,
/// 12.9.2015)`, `… besser? (jmy, 2.11.2015)`. Gives the credit, the text of
/// a date in it, and the sentence without it. Only names, agencies, editor
/// initials and a date count: `(siehe oben)` is part of the sentence.
pub fn trailing_credit<'a>(paragraph: &'a str, patterns: &Patterns) -> Option<(Credit, Option<String>, &'a str)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"[.!?…\x22“”»«)]\s*\(([^()]{2,80})\)\s*(?:\+{3})?\s*$").unwrap());
    static DATED: OnceLock<Regex> = OnceLock::new();
    // `APA 4.9.2015`: a part and its date without a comma between them.
    let dated = DATED.get_or_init(|| Regex::new(r"^(.+?)\s+(\d{1,2}\.\d{1,2}\.\d{2,4})$").unwrap());
    let c = re.captures(paragraph)?;
    let inner = c.get(1)?;
    let mut credit = Credit::default();
    let mut date = None;
    let split: Vec<&str> = parts(inner.as_str())
        .into_iter()
        .flat_map(|p| match dated.captures(p) {
            Some(d) => vec![d.get(1).map_or(p, |m| m.as_str()), d.get(2).map_or(p, |m| m.as_str())],
            None => vec![p],
        })
        .collect();
    for p in split {
        if p.chars().next().is_some_and(|c| c.is_ascii_digit()) && crate::import::dates::find(p).is_some() {
            date = Some(p.to_string());
        } else if let Some(agency) = patterns.agency(p) {
            credit.add_source(agency);
        } else if patterns.is_not_author(p) {
        } else if is_initials(p) || is_name(p) {
            credit.add_author(p);
        } else {
            return None;
        }
    }
    // The sentence keeps its closing mark; only the bracket goes.
    let end = inner.start() - 1;
    let rest = paragraph[..end].trim_end();
    (!rest.is_empty()).then_some((credit, date, rest))
}

/// A dateline that opens a paragraph, split off: the place, the credit, and
/// the rest of the paragraph. `Hamburg (dpa/lno) – Trotz …`,
/// `NEW YORK (Reuters) - Oil …`, `(CNN)President …`, `WASHINGTON (AP) — …`,
/// `DUBAI, United Arab Emirates — Dubai's …`.
pub fn dateline<'a>(paragraph: &'a str, patterns: &Patterns) -> Option<(Option<String>, Credit, &'a str)> {
    static WITH_CREDIT: OnceLock<Regex> = OnceLock::new();
    static GLUED: OnceLock<Regex> = OnceLock::new();
    static CAPS_PLACE: OnceLock<Regex> = OnceLock::new();
    let with_credit = WITH_CREDIT.get_or_init(|| {
        Regex::new(r"^(\p{Lu}[\p{L}\p{M}./' -]{1,40}?),?\s*\(([^()]{2,40})\)\s*[-–—:]\s+(\S.*)$").unwrap()
    });
    let glued = GLUED.get_or_init(|| Regex::new(r"^\(([A-Za-z]{2,12})\)\s?(\p{Lu}.*)$").unwrap());
    let caps_place = CAPS_PLACE.get_or_init(|| {
        Regex::new(r"^((?:\p{Lu}{5,}|\p{Lu}{2,}(?:[ .]\p{Lu}{2,})+)\.?(?:, [\p{L}. ]{2,40})?)\s+[-–—]\s+(\S.*)$")
            .unwrap()
    });
    if let Some(c) = with_credit.captures(paragraph) {
        let credit = agency_line(&format!("({})", &c[2]), patterns)?;
        let rest = c.get(3)?.as_str();
        return Some((Some(c[1].trim().to_string()), credit, rest));
    }
    if let Some(c) = glued.captures(paragraph) {
        let agency = patterns.agency(&c[1])?;
        let mut credit = Credit::default();
        credit.add_source(agency);
        return Some((None, credit, c.get(2)?.as_str()));
    }
    if let Some(c) = caps_place.captures(paragraph) {
        return Some((Some(c[1].trim().to_string()), Credit::default(), c.get(2)?.as_str()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Patterns {
        Patterns::built_in()
    }

    fn credit(sources: &[&str], authors: &[&str]) -> Credit {
        Credit {
            sources: sources.iter().map(|s| s.to_string()).collect(),
            authors: authors.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn seed_credit() {
        assert_eq!(
            agency_line("(dpa/reuters/rcl/sst)", p()),
            Some(credit(&["dpa", "reuters"], &["rcl", "sst"]))
        );
    }

    #[test]
    fn credit_shapes() {
        assert_eq!(
            agency_line("Quelle: ntv.de, mba/dpa", p()),
            Some(credit(&["dpa"], &["mba"]))
        );
        assert_eq!(agency_line("(SID)", p()), Some(credit(&["SID"], &[])));
        assert_eq!(agency_line("(grh)", p()), Some(credit(&[], &["grh"])));
        assert_eq!(agency_line("abc/ots", p()), Some(credit(&["ots"], &["abc"])));
        assert_eq!(agency_line("Quelle: dpa-AFX", p()), Some(credit(&["dpa-AFX"], &[])));
        assert_eq!(
            agency_line("SOURCE: Al Jazeera News", p()),
            Some(credit(&["Al Jazeera News"], &[]))
        );
        assert_eq!(
            agency_line("Quelle der Polizeimeldung: Kapo BE", p()),
            Some(credit(&["Kapo BE"], &[]))
        );
        assert_eq!(agency_line("(Symbolbild)", p()), None);
        assert_eq!(agency_line("(Anna Beispiel)", p()), None);
        assert_eq!(agency_line("(Das ist ein Satz in Klammern.)", p()), None);
    }

    #[test]
    fn bylines() {
        assert_eq!(
            byline("Von Anna Beispiel, Jan Lukas Muster und Bea Probe, NDR", p()),
            Some(credit(&[], &["Anna Beispiel", "Jan Lukas Muster", "Bea Probe"]))
        );
        assert_eq!(
            byline("von Alex Beispiel Foto: © GEPA", p()),
            Some(credit(&[], &["Alex Beispiel"]))
        );
        assert_eq!(byline("Autor: red", p()), Some(credit(&[], &[])));
        assert_eq!(
            byline(
                "Reporting by Ann Example; additional reporting by Bo Test; Editing by Cy Demo",
                p()
            ),
            Some(credit(&[], &["Ann Example"]))
        );
        assert_eq!(byline("Von wegen: das stimmt so nicht.", p()), None);
        assert_eq!(byline("Von Montag an gilt die neue Regel für alle.", p()), None);
    }

    #[test]
    fn trailing_credits() {
        let (c, date, rest) =
            trailing_credit("Die Gemeindepolitik bleibt spannend. (Christian P. Beispiel) +++", p()).unwrap();
        assert_eq!(
            (c, date, rest),
            (
                credit(&[], &["Christian P. Beispiel"]),
                None,
                "Die Gemeindepolitik bleibt spannend."
            )
        );
        let (c, date, rest) = trailing_credit("Unter ihnen waren 31 Kinder.  (APA/dpa, 1.11.2015)", p()).unwrap();
        assert_eq!(
            (c, date.as_deref(), rest),
            (
                credit(&["APA", "dpa"], &[]),
                Some("1.11.2015"),
                "Unter ihnen waren 31 Kinder."
            )
        );
        let (c, date, _) = trailing_credit("Ist das besser? (jmy, ste, 2.11.2015)", p()).unwrap();
        assert_eq!((c, date.as_deref()), (credit(&[], &["jmy", "ste"]), Some("2.11.2015")));
        let (c, date, _) = trailing_credit("Er wirke stabilisierend. (APA 4.9.2015)", p()).unwrap();
        assert_eq!((c, date.as_deref()), (credit(&["APA"], &[]), Some("4.9.2015")));
        assert_eq!(trailing_credit("Das steht fest. (Siehe oben den Kasten.)", p()), None);
        assert_eq!(trailing_credit("Er kam (wie immer) zu spät.", p()), None);
        assert_eq!(trailing_credit("Der Preis stieg. (Tabelle: 3 Prozent)", p()), None);
    }

    #[test]
    fn datelines() {
        let (place, c, rest) = dateline("Hamburg (dpa/lno) – Trotz eines Gesprächs bleibt es hart.", p()).unwrap();
        assert_eq!(
            (place.as_deref(), c, rest),
            (
                Some("Hamburg"),
                credit(&["dpa"], &[]),
                "Trotz eines Gesprächs bleibt es hart."
            )
        );
        let (place, c, rest) = dateline("NEW YORK (Reuters) - Oil prices fell.", p()).unwrap();
        assert_eq!(
            (place.as_deref(), c, rest),
            (Some("NEW YORK"), credit(&["Reuters"], &[]), "Oil prices fell.")
        );
        let (place, c, rest) = dateline("(CNN)President Example went home.", p()).unwrap();
        assert_eq!(
            (place, c, rest),
            (None, credit(&["CNN"], &[]), "President Example went home.")
        );
        let (place, _, rest) = dateline("DUBAI, United Arab Emirates — Emirates signed a deal.", p()).unwrap();
        assert_eq!(
            (place.as_deref(), rest),
            (Some("DUBAI, United Arab Emirates"), "Emirates signed a deal.")
        );
        assert!(dateline("Berlin ist groß (sehr groß) - sagen viele.", p()).is_none());
        assert!(
            dateline("NATO – Die Allianz wächst.", p()).is_none(),
            "acronyms are not places"
        );
    }
}
