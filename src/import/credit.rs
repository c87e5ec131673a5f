//! Credits: agency lines (`(dpa/reuters/rcl/sst)`, `Quelle: ntv.de, mba/dpa`),
//! bylines (`Von Anna Beispiel, NDR`) and datelines (`Hamburg (dpa/lno) – …`).
//! They are metadata, not body text: agencies go to `sources`, people and
//! editor initials to `authors`.

use std::sync::OnceLock;

use regex::Regex;

use crate::import::headline::{SiteNames, is_cjk};
use crate::import::patterns::Patterns;

mod words;
pub(crate) use words::CALENDAR_WORDS;
use words::{DATE_LINE_WORDS, DAYS, DEGREES, GENDERED_ROLES, PAPER_WORDS, ROLE_WORDS};

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

/// `ntv.de`, `www.example.com`: a host name, not a person or agency.
pub(crate) fn is_host(s: &str) -> bool {
    s.contains('.') && !s.contains(' ') && s.rsplit('.').next().is_some_and(|t| (2..=6).contains(&t.len()))
}

/// Splits a credit list on `/`, `,`, `;`, `|`, a middle dot (`Jane
/// Example · Example News`) and `und`/`and`.
fn parts(list: &str) -> Vec<&str> {
    list.split(['/', ',', ';', '|', '·', '•'])
        .flat_map(|p| split_at_any(p, AND))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// The words that join two names in a credit: German, English, `&`, and
/// the Scandinavian, French and Dutch ones (`Trine Example og Tôrtia
/// Probe`). Not `y` or `e`, which also stand inside Spanish and Portuguese
/// names (`José Ortega y Gasset`).
const AND: &[&str] = &[" und ", " and ", " & ", " og ", " och ", " et ", " en "];

/// `text` split at every occurrence of any of `seps`.
fn split_at_any<'a>(text: &'a str, seps: &[&str]) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let mut from = 0;
    for (at, to) in crate::text::separator_ranges(text, seps) {
        parts.push(&text[from..at]);
        from = to;
    }
    parts.push(&text[from..]);
    parts
}

/// A list of agencies and newsroom initials (`dpa/reuters/rcl/sst`), as a
/// credit in brackets or after a dash holds it; anything else in it
/// (`Symbolbild`, `Christian Beispiel`) makes it no credit.
fn agencies_and_initials(list: &str, patterns: &Patterns) -> Option<Credit> {
    let parts = parts(list);
    if parts.is_empty() || parts.len() > 8 {
        return None;
    }
    let mut credit = Credit::default();
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
    Some(credit)
}

/// An agency credit filling a whole line: `AFP`, `(dpa/reuters/rcl/sst)`, `(SID)`,
/// `(grh)`, `erb/ots`, `Quelle: ntv.de, mba/dpa`, `SOURCE: Al Jazeera News`.
pub fn agency_line(line: &str, patterns: &Patterns) -> Option<Credit> {
    if let Some(inner) = line.strip_prefix('(').and_then(|l| l.strip_suffix(')')) {
        return agencies_and_initials(inner, patterns);
    }
    let mut credit = Credit::default();
    // An agency's name alone on a line (`AFP`, `Agencies`) credits the
    // photo or the text above it; spelled as the list spells it, since a
    // heading may be a word that is also an agency's name (`Idea`).
    let alone = line.trim().trim_end_matches('.');
    if let Some(agency) = patterns.agency(alone).filter(|a| *a == alone) {
        credit.add_source(agency);
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
        Regex::new(
            r"(?i)^(?:Quellen?|Source|Sources|Quelle der (?:Polizeimeldung|Meldung|Pressemitteilung))\s*:\s*(.+)$",
        )
        .unwrap()
    });
    let caps = source.captures(line).filter(|c| c[1].chars().count() <= 100)?;
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

/// `part` without an opening role phrase (`Analysis by`, `Written by:`,
/// `Von`) from the pattern list.
fn strip_author_prefix<'a>(part: &'a str, patterns: &Patterns) -> &'a str {
    let lower = part.to_lowercase();
    for prefix in &patterns.author_prefixes {
        if let Some(rest) = lower.strip_prefix(prefix.as_str()) {
            if rest.starts_with([' ', ':']) && rest.len() < lower.len() {
                let cut = part.len() - rest.len();
                return part[cut..].trim_start_matches([' ', ':']);
            }
        }
    }
    part
}

/// A person's name in a credit part, written as a reader expects it, or
/// `None`: one to five capitalised words, name particles between them
/// (`Christoph von Eichhorn`); a name shouted in capitals is written in
/// title case (`LISA MASCARO` → `Lisa Mascaro`), while a capitalised word
/// among others is an organisation (`CNN Editor-at-large`, `SWR Sport`). A
/// part holding a word of `not_author_words` names a role, an organisation
/// or a placeholder. `single` allows a name of one word (`Ulrike`), which
/// only a field of one part may be.
pub fn person_name(part: &str, single: bool, patterns: &Patterns) -> Option<String> {
    let part = strip_author_prefix(part.trim(), patterns).trim().trim_end_matches(',');
    // `Rob Example Edited by Ann Muster`: the editor is credited for
    // another work than the writing.
    let part = edited_by(part).map_or(part, |at| part[..at].trim_end());
    if patterns.is_not_author(part) {
        return None;
    }
    if part.chars().any(is_cjk) {
        return cjk_name(part);
    }
    // A full stop ends the part, unless it ends an initial (`Helmut S.`).
    let initial = part.ends_with('.') && part.rsplit(' ').next().is_some_and(|w| w.chars().count() == 2);
    let part = if initial { part } else { part.trim_end_matches('.') };
    let mut words: Vec<&str> = part.split_whitespace().collect();
    // An extractor that ran the date line into the name (`Malcolm Owen
    // Monday, November 18`, `Carrie Arnold November 15`) leaves a calendar
    // word after it. A month that is also a name (`May`, `June`, `March`)
    // goes only after two words of name (`Nathan Willis March`), since two
    // words may be a whole name (`Theresa May`).
    // The same for the words of a date line (`Richard Example Published`)
    // and of a share button (`Steven Example Link Copied`), and one such
    // word alone (`Dec`) is no name; two may be (`Jan Freitag`).
    let dated = |w: &&str| CALENDAR_WORDS.contains(w) || DATE_LINE_WORDS.contains(w);
    while words.len() > 2 && words.last().is_some_and(dated) {
        words.pop();
    }
    if let [word] = words[..]
        && dated(&word)
    {
        return None;
    }
    // After two words of name, what follows is no part of it: a degree
    // (`Lynne Example MD`), a lower-case word an extractor ran in from the
    // page (`Aleš Example před` of `před 5 hodinami`, `… http`), a role
    // (`Ben Example Games Editor`; the name is then the first two words,
    // as with a paper's name below). A word that marks a field as no name
    // (`Dublin Core name author`) is kept to say so.
    let degree = |w: &str| {
        let bare = w.replace(['.', ','], "");
        DEGREES.iter().any(|d| d.replace('.', "").eq_ignore_ascii_case(&bare))
    };
    while words.len() > 2 && words.last().is_some_and(|w| degree(w)) {
        words.pop();
    }
    // One such word only: more are a sentence about the person (`… is a
    // full-stack engineer`), which is no name.
    if words.len() > 2 && words.last().is_some_and(|w| run_in(w, patterns)) {
        words.pop();
    }
    // Two words of role at least (`Games Editor`): a name of three words
    // over one word of role (`Ap Sports Writer`) is no safe guess.
    if words.len() >= 4
        && words
            .last()
            .is_some_and(|w| ROLE_WORDS.contains(&w.to_lowercase().as_str()))
    {
        words.truncate(2);
    }
    // `The Plain Dealer`, `Die Redaktion`: no one's name begins with an
    // article; `Tuesday March`: nor with a day's name.
    if words.first().is_some_and(|w| {
        ["the", "der", "die"].contains(&w.to_lowercase().as_str()) || CALENDAR_WORDS[..DAYS].contains(w)
    }) {
        return None;
    }
    // `Jacqueline Example New York Times`: a name with its paper after it
    // (a paper's name ends in one of these words); the name is the first
    // two words, as bylines write it.
    if words.len() >= 4
        && words.last().is_some_and(|w| {
            let last = w.rsplit('-').next().unwrap_or(w).to_lowercase();
            PAPER_WORDS.contains(&last.as_str())
        })
    {
        words.truncate(2);
    }
    // A word of three hyphenated parts or more is an attribute's or an
    // address's (`About-Patrick-J-Example`), not a double-barrelled name.
    if words.iter().any(|w| w.split('-').count() >= 3) {
        return None;
    }
    let min_words = if single { 1 } else { 2 };
    let letters = |w: &str| w.chars().filter(|c| c.is_alphabetic()).count();
    // One word is a name only if it looks like one (`Ulrike`, not `Jd`).
    let lone_ok = words.len() > 1 || words.first().is_some_and(|w| letters(w) >= 3);
    if !(min_words..=5).contains(&words.len()) || !lone_ok || patterns.is_not_author(part) {
        return None;
    }
    let shouted = |w: &str| letters(w) >= 2 && w.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
    let all_shouted = words.len() >= 2 && words.iter().all(|w| shouted(w) || letters(w) <= 1);
    let mut out = Vec::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
        // Between two names a particle is one (`van de`), even where the same
        // word alone would be no author (`de`, a host's ending).
        let is_particle = i > 0 && i + 1 < words.len() && patterns.is_name_particle(word);
        if is_particle {
            out.push(word.to_string());
            continue;
        }
        if patterns.is_not_author_word(bare)
            || bare.split('-').any(|p| patterns.is_not_author_word(p) && p.len() > 3)
            || patterns.ends_with_not_author_word(bare)
        {
            return None;
        }
        if !word
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '.' | '\'' | '’'))
        {
            return None;
        }
        if !word.starts_with(char::is_uppercase) || (shouted(word) && !all_shouted) {
            return None;
        }
        if all_shouted {
            let mut chars = word.chars();
            let first: String = chars.next().into_iter().collect();
            out.push(first + &chars.as_str().to_lowercase());
        } else {
            out.push(word.to_string());
        }
    }
    Some(out.join(" "))
}

/// A name in a script without case or spaces (`松村太郎`, `小暮ひさのり`,
/// `홍길동 기자`): two to eight such letters, a Korean reporter's title
/// after them taken off; not a desk or a paper, which end in one of
/// [`CJK_NOT_A_PERSON`] (`ASCII編集部`, `新华网`).
fn cjk_name(part: &str) -> Option<String> {
    // `著者：後藤大地`: the label goes, and a label alone is no name; an
    // editor's (`责任编辑：…`) or a source's credit names no author.
    let part = match part.split_once(['：', ':']) {
        Some((label, name)) if CJK_LABELS.contains(&label.trim()) => name.trim(),
        Some((label, _)) if CJK_NOT_AUTHOR_LABELS.contains(&label.trim()) => return None,
        _ => part,
    };
    if CJK_LABELS.contains(&part) || CJK_NOT_AUTHOR_LABELS.contains(&part) {
        return None;
    }
    let name = ["기자", "특파원", "記者"]
        .iter()
        .find_map(|title| part.strip_suffix(title))
        .unwrap_or(part)
        .trim();
    let letters = name.chars().filter(|&c| is_cjk(c)).count();
    let only_letters = name.chars().all(|c| is_cjk(c) || matches!(c, ' ' | '・'));
    (only_letters && (2..=8).contains(&letters) && !CJK_NOT_A_PERSON.iter().any(|end| name.ends_with(end)))
        .then(|| name.to_string())
}

/// The labels in front of an author's name in Chinese, Japanese and
/// Korean credits: author, writer, reporter.
const CJK_LABELS: [&str; 8] = ["作者", "著者", "筆者", "文", "记者", "記者", "撰文", "기자"];

/// The labels of an editor's and a source's credit.
const CJK_NOT_AUTHOR_LABELS: [&str; 7] = ["编辑", "編集", "责任编辑", "責任編集", "来源", "出典", "출처"];

/// How the names of newsrooms, papers and agencies end in Chinese,
/// Japanese and Korean.
const CJK_NOT_A_PERSON: [&str; 17] = [
    "网", "網", "社", "部", "报", "報", "台", "新聞", "新闻", "编辑", "編集", "通信", "中心", "日报", "신문", "일보",
    "뉴스",
];

/// A lower-case word an extractor ran in after a name from the page
/// (`před`, `says`): not a particle inside names (`von`), nor a word that
/// marks the part as no name at all (`author`).
fn run_in(word: &str, patterns: &Patterns) -> bool {
    word.starts_with(char::is_lowercase) && !patterns.is_name_particle(word) && !patterns.is_not_author_word(word)
}

/// Where an editor's credit starts in an author part (`… Edited by …`).
/// ASCII case only is folded, so that a position in the folded text is
/// one in `part` (full case folding changes lengths: `İ`).
fn edited_by(part: &str) -> Option<usize> {
    let lower = part.to_ascii_lowercase();
    [" edited by ", " editing by ", " bearbeitet von ", " redigiert von "]
        .iter()
        .filter_map(|m| lower.find(m))
        .min()
}

/// Whether `s` is a newsroom's initials (`rcl`, `sst`): credited, but not a
/// byline a reader is shown.
pub fn is_initials(s: &str) -> bool {
    (2..=4).contains(&s.chars().count()) && s.chars().all(|c| c.is_lowercase())
}

/// The people an extractor's `author` field names, without the publisher
/// records it puts there (`SPIEGEL ONLINE; Hamburg; Germany`, `Tagesschau
/// De`), places and roles; agencies go to `sources`.
pub fn metadata_authors(field: &str, site_names: &[String], patterns: &Patterns) -> Credit {
    // As a byline is split: extractors join several people with `;`, `,`,
    // `und` alike (`Simon Beispiel, Anna Muster`).
    let field = repaired(field);
    let parts = parts(&field);
    let own = SiteNames::new(site_names);
    let mut credit = Credit::default();
    for part in &parts {
        // `… ERIC TUCKER Associated Press`: the agency is a source.
        let mut part: &str = part;
        for agency in &patterns.agencies {
            if let Some(rest) = part.strip_suffix(agency.as_str()).filter(|r| r.ends_with(' ')) {
                credit.add_source(agency);
                part = rest.trim_end();
            }
        }
        if let Some(agency) = patterns.agency(part) {
            credit.add_source(agency);
        } else if !own.named_by(part) && !publisher(&own, part, patterns) {
            if let Some(name) = person_name(part, parts.len() == 1, patterns) {
                credit.add_author(&name);
            }
        }
    }
    credit
}

/// An extractor's author field with what its clean-up broke put back,
/// before the field is split at `;` and `/`: a named character reference
/// it split into parts (`Redacci; Oacute; N` from `REDACCI&Oacute;N`;
/// only references to accented Latin letters, as `Xi` and `Chi` are
/// names as well as Greek letters), and a German role's gender ending it
/// split off or that a gender sign joins (`Autor; In Korinna Beispiel`,
/// `Autor:in`, `Autor*innen`, `Autor/-in`, `AutorIn`): the role alone,
/// which is taken off as `Autor` is, where the ending became the first
/// word of a name (`In Korinna Beispiel`).
fn repaired(field: &str) -> std::borrow::Cow<'_, str> {
    static SPLIT_REFERENCE: OnceLock<Regex> = OnceLock::new();
    static GENDER_ENDING: OnceLock<Regex> = OnceLock::new();
    let reference =
        SPLIT_REFERENCE.get_or_init(|| Regex::new(r"(\p{L});\s*((?:[A-Za-z]{1,2}(?:acute|grave|circ|tilde|uml|ring|cedil|slash|caron|ogon|dblac|macr|breve|dot|strok|lig))|szlig|eth|ETH|thorn|THORN)\s*;\s*(\p{L})").unwrap());
    let gender = GENDER_ENDING.get_or_init(|| {
        let roles = GENDERED_ROLES.join("|");
        Regex::new(&format!(
            r"(?i)\b({roles})(?:\s*(?:[*:_·;]|/-?)\s*(?:in|innen)|(?-i:In|Innen))\b"
        ))
        .unwrap()
    });
    let field = reference.replace_all(field, |c: &regex::Captures| {
        // Only a reference to one letter joins the word's two halves.
        let decoded = html_escape::decode_html_entities(&format!("&{};", &c[2])).into_owned();
        let mut chars = decoded.chars();
        match (chars.next(), chars.next()) {
            (Some(letter), None) if letter.is_alphabetic() => format!("{}{letter}{}", &c[1], &c[3]),
            _ => c[0].to_string(),
        }
    });
    match gender.replace_all(&field, "$1") {
        std::borrow::Cow::Borrowed(_) => field,
        std::borrow::Cow::Owned(o) => std::borrow::Cow::Owned(o),
    }
}

/// Whether an author part is the site's name with a country, a region or
/// a top-level domain after it (`Example Deutschland`, `Example Austria`,
/// `Example It`) and maybe a lower-case word run in: the publisher. A
/// name after the site's (`Helge Example` of helge.at) is a person's.
fn publisher(own: &SiteNames, part: &str, patterns: &Patterns) -> bool {
    let mut words: Vec<&str> = part.split_whitespace().collect();
    if words.len() > 2 && words.last().is_some_and(|w| run_in(w, patterns)) {
        words.pop();
    }
    let regional = |w: &&str| {
        let lower = w.to_lowercase();
        REGIONS.contains(&lower.as_str()) || (lower.len() == 2 && lower.chars().all(|c| c.is_ascii_alphabetic()))
    };
    (1..words.len()).any(|i| words[i..].iter().all(regional) && own.named_by(&words[..i].join(" ")))
}

/// Countries and regions a publisher names its editions after.
const REGIONS: [&str; 40] = [
    "deutschland",
    "germany",
    "österreich",
    "austria",
    "schweiz",
    "switzerland",
    "suisse",
    "svizzera",
    "italia",
    "italy",
    "france",
    "frankreich",
    "españa",
    "spain",
    "uk",
    "usa",
    "us",
    "america",
    "europe",
    "europa",
    "international",
    "global",
    "nederland",
    "netherlands",
    "polska",
    "poland",
    "canada",
    "australia",
    "india",
    "japan",
    "belgium",
    "belgien",
    "danmark",
    "sverige",
    "norge",
    "suomi",
    "asia",
    "africa",
    "world",
    "online",
];

/// A byline on its own line: `Von Anna Beispiel und Jan Muster, NDR`,
/// `By Jane Doe`, `Autor: red`, `Reporting by …; Editing by …`,
/// `Mitarbeit: Antonio Beispiel`, `von Alexander Beispiel Foto: © GEPA`.
pub fn byline(line: &str, patterns: &Patterns) -> Option<Credit> {
    static BY: OnceLock<Regex> = OnceLock::new();
    let by = BY.get_or_init(|| {
        Regex::new(r"^(?i:von|by|text|autor|autorin|autoren|author|authors|mitarbeit|contributing|reporting by|additional reporting by|written by|analysis by|story by|geschrieben von)\s*:?\s+(.+)$").unwrap()
    });
    let caps = by
        .captures(line)
        .filter(|c| (2..=160).contains(&c[1].chars().count()))?;
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
    // Whether a part credits someone: a name, an agency, a newsroom's code.
    let mut credited = false;
    let parts = parts(&names);
    // A word of its own beside a full name is where or for whom the author
    // writes (`Von Anna Beispiel, Frankfurt`); only a byline of one word is
    // a person's name (`Von Ulrike`). Several single words are a phrase
    // (`Von Risiken und Nebenwirkungen`, a subheading; `von Künstlern,
    // Bands, DJs,`): a byline naming several people gives their full names.
    let single = matches!(&parts[..], [one] if one.split_whitespace().count() == 1);
    for p in parts {
        let p = p.trim_start_matches("additional reporting by ").trim();
        let one_word = p.split_whitespace().count() == 1;
        if patterns.is_not_author(p) {
            credited = true;
        } else if let Some(agency) = patterns.agency(p) {
            credit.add_source(agency);
            credited = true;
        } else if let Some(name) = person_name(p, single, patterns) {
            credit.add_author(&name);
            credited = true;
        } else if !single && one_word && p.starts_with(char::is_uppercase) {
            // A place or an outlet, credited only beside someone.
        } else if is_initials(p)
            || p.chars()
                .all(|c| c.is_uppercase() || c.is_ascii_digit() || c == ' ' || c == '.')
        {
            // Newsroom codes and broadcaster names (`NDR`) are not people.
            credited = true;
        } else {
            return None;
        }
    }
    credited.then_some(credit)
}

/// A credit in brackets closing an article's last sentence, split off:
/// `… bleibt spannend. (Christian P. Stadtfeld) +++`, `… nachwirken. (APA,
/// 12.9.2015)`, `… besser? (jmy, 2.11.2015)`. Gives the credit, the text of
/// a date in it, and the sentence without it. Only names, agencies, editor
/// initials and a date count: `(siehe oben)` is part of the sentence.
/// After a dash (`… to comment. - Sapa`, `… sagte er. – dpa/lno`) only
/// agencies and initials do, and one agency must be named: a name after a
/// dash is how a quotation is attributed.
pub fn trailing_credit<'a>(paragraph: &'a str, patterns: &Patterns) -> Option<(Credit, Option<String>, &'a str)> {
    static DASHED: OnceLock<Regex> = OnceLock::new();
    let dashed = DASHED.get_or_init(|| Regex::new(r"[.!?…\x22“”»«)]\s+[-–—]{1,2}\s*([^()\-–—.!?]{2,40})$").unwrap());
    if let Some(c) = dashed.captures(paragraph) {
        let inner = c.get(1)?;
        let credit = agencies_and_initials(inner.as_str(), patterns)?;
        let before_dash = paragraph[..inner.start()].trim_end().trim_end_matches(['-', '–', '—']);
        let rest = before_dash.trim_end();
        return (!credit.sources.is_empty() && !rest.is_empty()).then_some((credit, None, rest));
    }
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
        if p.chars().next().is_some_and(|c| c.is_ascii_digit()) && crate::import::text_dates::find(p).is_some() {
            date = Some(p.to_string());
        } else if let Some(agency) = patterns.agency(p) {
            credit.add_source(agency);
        } else if patterns.is_not_author(p) {
        } else if is_initials(p) {
            credit.add_author(p);
        } else if let Some(name) = person_name(p, true, patterns) {
            credit.add_author(&name);
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
    // Lengths are checked after matching: a counted repetition of a
    // Unicode class (`[\p{L}…]{1,40}`) compiles to tens of megabytes.
    let with_credit = WITH_CREDIT
        .get_or_init(|| Regex::new(r"^(\p{Lu}[\p{L}\p{M}./' -]*?),?\s*\(([^()]+)\)\s*[-–—:]\s+(\S.*)$").unwrap());
    let glued = GLUED.get_or_init(|| Regex::new(r"^\(([A-Za-z]{2,12})\)\s?(\p{Lu}.*)$").unwrap());
    let caps_place = CAPS_PLACE.get_or_init(|| {
        Regex::new(r"^((?:\p{Lu}\p{Lu}\p{Lu}\p{Lu}\p{Lu}+|\p{Lu}\p{Lu}+(?:[ .]\p{Lu}\p{Lu}+)+)\.?(, [\p{L}. ]+)?)\s+[-–—]\s+(\S.*)$")
            .unwrap()
    });
    let chars = |m: Option<regex::Match<'_>>| m.map_or(0, |m| m.as_str().chars().count());
    if let Some(c) = with_credit
        .captures(paragraph)
        .filter(|c| (2..=41).contains(&chars(c.get(1))) && (2..=40).contains(&chars(c.get(2))))
    {
        let credit = agencies_and_initials(&c[2], patterns)?;
        let rest = c.get(3)?.as_str();
        return Some((Some(c[1].trim().to_string()), credit, rest));
    }
    if let Some(c) = glued.captures(paragraph) {
        let agency = patterns.agency(&c[1])?;
        let mut credit = Credit::default();
        credit.add_source(agency);
        return Some((None, credit, c.get(2)?.as_str()));
    }
    if let Some(c) = caps_place.captures(paragraph).filter(|c| chars(c.get(2)) <= 42) {
        return Some((Some(c[1].trim().to_string()), Credit::default(), c.get(3)?.as_str()));
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
    fn an_agency_alone_on_a_line_is_its_credit() {
        assert_eq!(agency_line("AFP", p()), Some(credit(&["AFP"], &[])));
        assert_eq!(agency_line("Agencies", p()), Some(credit(&["Agencies"], &[])));
        assert_eq!(agency_line("Idea", p()), None);
        assert_eq!(agency_line("AFP meldet neue Zahlen", p()), None);
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
        // A place or outlet of one word beside the name is no author.
        assert_eq!(
            byline("Von Anna Beispiel, Frankfurt", p()),
            Some(credit(&[], &["Anna Beispiel"]))
        );
        assert_eq!(byline("Von Ulrike", p()), Some(credit(&[], &["Ulrike"])));
        // Single words joined are a phrase, not people.
        assert_eq!(byline("Von Risiken und Nebenwirkungen", p()), None);
        assert_eq!(byline("von Künstlern, Bands, DJs,", p()), None);
        assert_eq!(
            byline("Von Anna Beispiel und dpa", p()),
            Some(credit(&["dpa"], &["Anna Beispiel"]))
        );

        assert_eq!(byline("Von wegen: das stimmt so nicht.", p()), None);
        assert_eq!(byline("Von Montag an gilt die neue Regel für alle.", p()), None);
    }

    fn people(field: &str, site: &str) -> (Vec<String>, Vec<String>) {
        let c = metadata_authors(field, &[site.to_string()], p());
        (c.authors, c.sources)
    }

    /// What an extractor's clean-up broke in an author field is put back
    /// before the field is split: a character reference cut into parts,
    /// (only references to accented Latin letters: `Xi` and `Chi` are names
    /// as well as Greek letters), and a German role's gender ending cut off or joined by a gender sign.
    #[test]
    fn split_references_and_gender_endings_are_put_back() {
        for (field, want) in [
            ("Autor; In Korinna Beispiel", &["Korinna Beispiel"][..]),
            ("Autor:in Korinna Beispiel", &["Korinna Beispiel"]),
            ("Autor*in: Korinna Beispiel", &["Korinna Beispiel"]),
            ("AutorIn Korinna Beispiel", &["Korinna Beispiel"]),
            ("Autor/-in Korinna Beispiel", &["Korinna Beispiel"]),
            (
                "Autor*innen Anna Muster und Jan Beispiel",
                &["Anna Muster", "Jan Beispiel"],
            ),
            // A newsroom, once its name reads whole again.
            ("Redacci; Oacute; N Diario Ejemplo", &[]),
            ("Redacci; Oacute; N", &[]),
            // Names that only look like the broken forms stay as they are.
            ("Anna Muster; Jan Beispiel", &["Anna Muster", "Jan Beispiel"]),
            ("Ina Muster; Amp; Jan Beispiel", &["Ina Muster", "Jan Beispiel"]),
            ("Autorin Korinna Beispiel", &["Korinna Beispiel"]),
            ("In-Sook Example", &["In-Sook Example"]),
        ] {
            assert_eq!(people(field, "example.org").0, want, "{field}");
        }
        assert_eq!(repaired("Redacci; Oacute; N Diario"), "RedacciÓN Diario");
        assert_eq!(repaired("Garc; iacute; a, Ana"), "García, Ana");
        // Only references to accented letters are looked for, and one
        // that names no character joins nothing.
        assert_eq!(repaired("Muster; Gt; Beispiel"), "Muster; Gt; Beispiel");
        assert_eq!(repaired("Muster; Xacute; Beispiel"), "Muster; Xacute; Beispiel");
        assert_eq!(repaired("Zhang; Xi; Wang"), "Zhang; Xi; Wang");
        assert_eq!(repaired("Muster; Wort; Beispiel"), "Muster; Wort; Beispiel");
    }

    /// What an extractor ran into a name after it: a degree, a role, an
    /// editor's credit, a lower-case word of the page, a share button's
    /// label. The name stays.
    #[test]
    fn what_follows_a_name_is_taken_off() {
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        for (field, want) in [
            ("Lynne Example MD", &["Lynne Example"][..]),
            ("Anna Beispiel Ph.D.", &["Anna Beispiel"]),
            ("Jane Q Example, M.D.", &["Jane Q Example"]),
            ("Ben Example Games Editor", &["Ben Example"]),
            ("Maria Muster Senior Correspondent", &["Maria Muster"]),
            ("Rob Example Edited by Betsy Muster", &["Rob Example"]),
            ("Aleš Příklad před", &["Aleš Příklad"]),
            ("Bradley M Example http; Example Org", &["Bradley M Example"]),
            ("Steven Example Link Copied", &["Steven Example"]),
            ("Anna Muster Follow", &["Anna Muster"]),
            ("Submitted", &[]),
            ("Letters", &[]),
            ("Opinion", &[]),
            ("Example Core name author", &[]),
            ("Account You're logged", &[]),
            ("Jane Example is a software engineer", &[]),
            ("Ap Sports Writer", &[]),
            ("Revised Edition Edited by Anna Muster", &[]),
            ("Pete Example · Example News", &["Pete Example"]),
            ("例田太郎", &["例田太郎"]),
            ("예시일보", &[]),
            ("作者", &[]),
            ("著者：例田大地", &["例田大地"]),
            ("责任编辑：例德明", &[]),
            ("홍길동 기자", &["홍길동"]),
            ("例示新闻网", &[]),
            ("文● 例田／例示編集部", &[]),
            // Three words of name, and a particle inside one, stay whole.
            ("Mary Ann Example", &["Mary Ann Example"]),
            ("Lauren del Muster", &["Lauren del Muster"]),
            // The site's own name with a country after it; a person's name
            // after the site's is a person's (a personal site).
            ("Example Deutschland vor", &[]),
            ("Example Austria", &[]),
            ("Jane Example", &["Jane Example"]),
            ("Example Muster", &["Example Muster"]),
        ] {
            assert_eq!(people(field, "example.org").0, names(want), "{field}");
        }
    }

    /// Made-up author fields of the shapes extractors write.
    #[test]
    fn metadata_authors_are_people() {
        let none: Vec<String> = Vec::new();
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            people("Analysis by Chris Example; CNN Editor-at-large", "cnn.com").0,
            names(&["Chris Example"])
        );
        assert_eq!(
            people("Beispiel Zeitung GmbH; Anna Muster; Bert Probe", "x.de").0,
            names(&["Anna Muster", "Bert Probe"])
        );
        assert_eq!(
            people("Markus M Example; London; Beat Probe", "x.ch").0,
            names(&["Markus M Example", "Beat Probe"])
        );
        assert_eq!(
            people("ANNA MUSTER; MARY JANE PROBE; ERIC EXAMPLE Associated Press", "ap.org"),
            (
                names(&["Anna Muster", "Mary Jane Probe", "Eric Example"]),
                names(&["Associated Press"])
            )
        );
        assert_eq!(
            people("Christoph von Beispiel", "x.ch").0,
            names(&["Christoph von Beispiel"])
        );
        assert_eq!(people("Written by: Jane Example", "x.com").0, names(&["Jane Example"]));
        // `By` in other languages; labels and buttons are no one.
        assert_eq!(
            people("Par Jean Exemple; Anne Muster", "x.ch").0,
            names(&["Jean Exemple", "Anne Muster"])
        );
        assert_eq!(people("Текст Анна Пример", "x.ru").0, names(&["Анна Пример"]));
        for field in [
            "So Artikel Empfehlen",
            "Datum",
            "Unbenannt",
            "Beispiel Solutions Germany",
        ] {
            assert_eq!(people(field, "x.de").0, none, "{field}");
        }
        // A date run into the name; a name that is also a month stays.
        assert_eq!(
            people("Ann Example; Bo Test Monday; November", "x.com").0,
            names(&["Ann Example", "Bo Test"])
        );
        assert_eq!(people("Cy Demo November", "x.com").0, names(&["Cy Demo"]));
        assert_eq!(people("Theresa May", "x.com").0, names(&["Theresa May"]));
        // A month that is also a name goes after two words of name; a
        // shouted name keeps its title case when the month goes.
        assert_eq!(people("Nat Example March", "x.com").0, names(&["Nat Example"]));
        assert_eq!(
            people("Lara June Example July", "x.com").0,
            names(&["Lara June Example"])
        );
        assert_eq!(people("ANNA MUSTER März", "x.de").0, names(&["Anna Muster"]));
        assert_eq!(
            people("C Ryanne Example, Posted Feb", "x.com").0,
            names(&["C Ryanne Example"])
        );
        // A date line's words run into a name go (alone they are no name,
        // below).
        assert_eq!(people("Rich Example Published", "x.com").0, names(&["Rich Example"]));
        // `Jan` is a name too: it stays where it is one, as do names made
        // of calendar words alone.
        assert_eq!(people("Jan Example", "x.com").0, names(&["Jan Example"]));
        assert_eq!(people("Jan Sonntag", "x.com").0, names(&["Jan Sonntag"]));
        // No name begins with a day's name.
        assert_eq!(people("Tuesday March", "x.com").0, none);
        // Two people joined by another language's `and`, or by `&`; a name
        // with `y` inside stays whole.
        assert_eq!(
            people("Trine Juncher Example og Tôrtia Probe-Muster", "x.gl").0,
            names(&["Trine Juncher Example", "Tôrtia Probe-Muster"])
        );
        assert_eq!(
            people("Anna Example & Bo Probe", "x.com").0,
            names(&["Anna Example", "Bo Probe"])
        );
        assert_eq!(
            people("Le Figaro et AFP", "lefigaro.fr"),
            (none.clone(), names(&["AFP"]))
        );
        assert_eq!(
            people("José Ortega y Gasset", "x.es").0,
            names(&["José Ortega y Gasset"])
        );
        // The site's name, compared as a title's suffix is (with accents its
        // host lacks).
        assert_eq!(people("Příklad Zprávy", "prikladzpravy.cz").0, none);
        // A publishing house is no author, though its name reads like one.
        assert_eq!(
            people("Condé Nast; Jane Example", "example.com").0,
            names(&["Jane Example"])
        );
        // A paper's name after the person's goes.
        assert_eq!(
            people(
                "Jacqueline Example New York Times; Dan Test Las Vegas Review-Journal",
                "x.com"
            )
            .0,
            names(&["Jacqueline Example", "Dan Test"])
        );
        assert_eq!(
            people("Ann Grafton-Example", "x.com").0,
            names(&["Ann Grafton-Example"])
        );
        assert_eq!(people("Professor Ann Example", "x.com").0, names(&["Ann Example"]));
        // An account or a desk written as one word.
        for account in ["Jdadmin", "Wordpressadmin", "Stadtredaktion", "Gastautor"] {
            assert_eq!(people(account, "x.com").0, none, "{account}");
        }
        assert_eq!(people("Ulrike", "x.de").0, names(&["Ulrike"]));
        // Several people in one field, joined with commas; particles that
        // alone would be no name (`de`); an initial keeps its full stop.
        assert_eq!(
            people("Simon Beispiel, Anna Muster", "x.de").0,
            names(&["Simon Beispiel", "Anna Muster"])
        );
        assert_eq!(
            people("Wolf van de Probe; Sabine am Beispiel", "x.de").0,
            names(&["Wolf van de Probe", "Sabine am Beispiel"])
        );
        assert_eq!(people("Helmut B.", "x.de").0, names(&["Helmut B."]));
        assert_eq!(
            people("Chris Example, CNN Editor-at-large", "cnn.com").0,
            names(&["Chris Example"])
        );
        for junk in [
            "Facebook Com",
            "Autor Jd",
            "SPIEGEL ONLINE; Hamburg; Germany",
            "Example De",
            "Heise Online",
            "SWR Sport",
            "Redaktion",
            "Admin",
            "Super User",
            // A publication, a desk, a role, a placeholder, a date line.
            "The Plain Dealer",
            "The Times-Picayune",
            "Die Redaktion",
            "Contributing Writer",
            "National Desk",
            "Wire Services",
            "Sports Network",
            "Username",
            "Rfcmarkup Version",
            "Dec",
            "Updated Dec",
            "Allied Example Ltd",
            "North Dakota State University",
            "Westminster Business Forum",
            "Assistant Professor",
            "Share Tweet Text Share E-mail",
            "About-Pat-J-Example Htm",
        ] {
            assert_eq!(people(junk, "example.de").0, none, "{junk}");
        }
        assert_eq!(
            people("Denis Muster; Heise Online", "heise.de").0,
            names(&["Denis Muster"])
        );
    }

    #[test]
    fn shouted_and_particled_bylines() {
        assert_eq!(
            byline("By ANNA MUSTER, MARY JANE PROBE and ERIC EXAMPLE", p()),
            Some(credit(&[], &["Anna Muster", "Mary Jane Probe", "Eric Example"]))
        );
        assert_eq!(
            byline("Von Christoph von Beispiel", p()),
            Some(credit(&[], &["Christoph von Beispiel"]))
        );
        assert_eq!(
            byline("Written by: Jane Example", p()),
            Some(credit(&[], &["Jane Example"]))
        );
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
        let (c, _, rest) = trailing_credit("Er war nicht zu erreichen. - Sapa", p()).unwrap();
        assert_eq!((c, rest), (credit(&["Sapa"], &[]), "Er war nicht zu erreichen."));
        let (c, _, rest) = trailing_credit("So sagte er. – dpa/lno", p()).unwrap();
        assert_eq!((c, rest), (credit(&["dpa"], &[]), "So sagte er."));
        // A name after a dash attributes a quotation; a dash inside a
        // sentence is text.
        assert_eq!(
            trailing_credit("„Wer kämpft, kann verlieren.“ – Bertolt Brecht", p()),
            None
        );
        assert_eq!(trailing_credit("Es kam anders. – Und dann?", p()), None);
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
