//! Headlines: the site's name tacked on by the page title, and the kicker
//! (Dachzeile) that naive extractors glue to the headline without a space.

use crate::import::patterns::Patterns;
use crate::import::text_dates;

/// Lower-case letters and digits only: how two spellings of the same line are
/// compared (`Zoonosen – Wie` and `ZoonosenWie` are the same headline).
pub fn letters(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The host of an http(s) URL: `www.example.org` for `https://www.example.org/a/b`.
pub fn url_host(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?;
    (!host.is_empty()).then_some(host)
}

/// Separators between a headline and a site name or between two headline parts.
const SEPARATORS: [&str; 5] = [" | ", " - ", " – ", " — ", " : "];

/// Separators that part a headline from the site's own name only, never
/// from a section's or a date: the full-width ones of Chinese and Japanese
/// titles, which have no spaces around them (`…：中日新聞Web`), the Korean
/// letter used as a bar (`… ㅣ Site`), and rarer ones (`… · Site`, `… *
/// Site * by …`, `… -- Site.net`, `… :: Site ::`). Not `--` for any suffix:
/// a headline may go on after it (`Dress -- STOLEN!!!`).
const SITE_ONLY_SEPARATORS: [&str; 9] = ["：", "｜", " ｜ ", " · ", " * ", " ㅣ ", " -- ", " :: ", " » "];

/// Where the site's name starts after a separator, when it ends the title:
/// the whole rest names the site (a name of several parts, `- Israel
/// Nachrichten - Chadashoth Israel`, as the input gives it), or the part
/// right after the separator does and at most [`AFTER_SITE_WORDS`] words
/// follow it (`* The Gateway Pundit * by Paul Serran`). The leftmost such
/// separator with a headline before it wins. Only the separators near the
/// end are looked at, those with at most [`AFTER_SITE_BYTES`] more than
/// the longest name after them, so that a title of a thousand separators
/// costs what a short one does.
fn site_name_start(title: &str, names: &SiteNames) -> Option<usize> {
    let longest = names.0.iter().map(String::len).max()?;
    let all: Vec<&str> = SEPARATORS.iter().chain(&SITE_ONLY_SEPARATORS).copied().collect();
    let cuts = crate::text::separator_ranges(title, &all);
    let mut start = None;
    for (k, &(at, after)) in cuts.iter().enumerate().rev() {
        let rest = title[after..].trim();
        // A name in German spelling is longer than its letters (`ü` → `ue`).
        if rest.len() > 2 * longest + AFTER_SITE_BYTES {
            break;
        }
        let part_end = cuts.get(k + 1).map_or(title.len(), |&(next, _)| next);
        let part = title[after..part_end].trim();
        let named =
            names.named_by(rest) || (names.named_by(part) && rest.split_whitespace().count() <= AFTER_SITE_WORDS);
        if named && is_headline(&title[..at]) {
            start = Some(at);
        }
    }
    start
}

/// Bytes after the site's name that go with it at most.
const AFTER_SITE_BYTES: usize = 100;

/// Words after the site's name that go with it (a byline, a claim).
const AFTER_SITE_WORDS: usize = 8;

/// Whether `head` can stand as a headline when what follows it is cut:
/// two words, or in a script written without spaces (Chinese, Japanese)
/// four characters.
fn is_headline(head: &str) -> bool {
    head.split_whitespace().count() >= 2 || head.chars().filter(|&c| is_cjk(c)).count() >= 4
}

/// Han, kana and hangul: scripts whose titles have no spaces between words.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}')
}

/// Removes a trailing site name (`… | MDR.DE`, `… - SAT.1 REGIONAL`,
/// `… (neues deutschland)`) or date (`… : 31.10.2023, 10.19 Uhr`).
/// `site_names` are what the input says the site is called (host name,
/// site name); without them only unmistakable suffixes are cut. A section's
/// name (`… - Auto News`, `… | Aktuelles`) goes as a site's does: a generic
/// term of `patterns`, or a short label ending in `News` or `Nachrichten`.
pub fn strip_site_suffix(title: &str, site_names: &[&str], patterns: &Patterns) -> String {
    let names = SiteNames::new(site_names);
    let mut title = title.trim().to_string();
    if let Some(at) = trail_start(&title) {
        title.truncate(at);
    }
    if let Some(at) = site_name_start(&title, &names) {
        title.truncate(at);
        title = title.trim_end().to_string();
    }
    loop {
        let before = title.len();
        if let Some(open) = title.rfind(" (") {
            let inner = title[open + 2..].strip_suffix(')').unwrap_or("");
            if !inner.is_empty() && names.named_by(inner) {
                title.truncate(open);
            }
        }
        for sep in SEPARATORS {
            let Some(pos) = title.rfind(sep) else { continue };
            let suffix = title[pos + sep.len()..].trim();
            let head_words = title[..pos].split_whitespace().count();
            let is_site = names.named_by(suffix);
            // One word stands as a headline only before the site's own
            // name (`Wurmkiste | example.de`, a wiki's `Penny - Example
            // Wiki`), and only a word that is no section's label.
            let lone = head_words == 1 && is_site && lone_headline(&title[..pos], &names, patterns);
            if suffix.is_empty() || (head_words < 2 && !lone) {
                continue;
            }
            let words = suffix.split_whitespace().count();
            let is_date = text_dates::is_date_line(suffix) && text_dates::find(suffix).is_some();
            let looks_like_domain = words == 1
                && suffix.contains('.')
                && suffix
                    .rsplit('.')
                    .next()
                    .is_some_and(|tld| (2..=4).contains(&tld.len()) && tld.chars().all(char::is_alphabetic));
            let shouting = words <= 3
                && suffix.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && suffix.chars().all(|c| !c.is_lowercase());
            // Not a suffix longer than what stands before it: `Example
            // Site | The headline` puts the site's name first.
            let piped = sep == " | " && words <= 4 && words <= head_words;
            // `— Holiday Gift Guide from Example Site`, `— Example Site's
            // Best of 2014`: the site's series, named with the site. Not
            // where the site's name opens the title: what follows it then
            // is the headline (`example.ch - News - Neue Karten auf Example.ch`).
            let series = words <= 6
                && names.names_its_series(suffix)
                && !title[..pos]
                    .split_whitespace()
                    .next()
                    .is_some_and(|w| names.named_by(w));
            let section = is_section(suffix, false, patterns);
            if is_site || is_date || looks_like_domain || shouting || piped || section || series {
                title.truncate(pos);
                title = title.trim_end().to_string();
                break;
            }
        }
        // `…: GQ`: after a colon only the site's own name is a suffix; any
        // other words there are the headline's (`Merkel: Wir schaffen das`).
        if title.len() == before {
            if let Some(pos) = title.rfind(": ") {
                let suffix = title[pos + 2..].trim();
                if title[..pos].split_whitespace().count() >= 2 && names.named_by(suffix) {
                    title.truncate(pos);
                }
            }
        }
        if title.len() == before {
            return title;
        }
    }
}

/// Whether `word`, all that is left of a title once the site's name is
/// cut, is a headline of one word: three letters or more, neither the
/// site's name nor a section's label (`Startseite`, `News`).
fn lone_headline(word: &str, names: &SiteNames, patterns: &Patterns) -> bool {
    let word = word.trim();
    word.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !names.named_by(word) && !patterns.is_generic_term(word)
}

/// Whether `part` of a title is a section's name: a generic term of
/// `patterns`, or a short label ending in `News` or `Nachrichten` (with
/// `compounds`, also in a word ending so, `Outdoornews`).
fn is_section(part: &str, compounds: bool, patterns: &Patterns) -> bool {
    patterns.is_generic_term(part)
        || (part.split_whitespace().count() <= 3
            && part.rsplit(' ').next().is_some_and(|w| {
                let w = w.to_lowercase();
                w == "news" || w == "nachrichten" || (compounds && w.ends_with("news"))
            }))
}

/// Separators after a site's name that opens a title.
const PREFIX_SEPARATORS: [&str; 4] = [" | ", " - ", " – ", " — "];

/// Removes the site's name where it opens the title (`EXAMPLEMAGAZIN |
/// Luftfahrt hebt ab`, `example.ch - Outdoornews - Neue Karten`), with a
/// section's name right after it, when a headline of two words or more
/// follows. Not after a colon: `Merkel: Wir schaffen das` is a kicker's.
pub fn strip_site_prefix(title: &str, site_names: &[&str], patterns: &Patterns) -> String {
    let names = SiteNames::new(site_names);
    let Some((head, rest)) = first_part(title) else {
        return title.to_string();
    };
    if head.split_whitespace().count() > 4 || !names.named_by(head) || !is_headline(rest) {
        return title.to_string();
    }
    // Right after the site's name, a compound is a section too (`Outdoornews`).
    match first_part(rest) {
        Some((part, after)) if is_section(part, true, patterns) && is_headline(after) => after.to_string(),
        _ => rest.to_string(),
    }
}

/// A title's text before its first separator of [`PREFIX_SEPARATORS`],
/// and the rest after it, both trimmed.
fn first_part(title: &str) -> Option<(&str, &str)> {
    let (at, sep) = PREFIX_SEPARATORS
        .iter()
        .filter_map(|sep| title.find(sep).map(|at| (at, *sep)))
        .min()?;
    Some((title[..at].trim(), title[at + sep.len()..].trim()))
}

/// Where a trail of sections after the headline starts: `… » Local »
/// Noticias » Example Site`, `…_教育频道_中国青年网`. Two steps at least, each
/// of a few words, so that one `»` or `>` inside a headline stays.
fn trail_start(title: &str) -> Option<usize> {
    let short = |part: &str, sep: &str| {
        if sep == "_" {
            !part.is_empty() && part.chars().count() <= 8 && part.chars().all(is_cjk)
        } else {
            (1..=4).contains(&part.split_whitespace().count())
        }
    };
    for sep in [" » ", " › ", " > ", "_"] {
        let Some(first) = title.find(sep) else { continue };
        let steps: Vec<&str> = title[first + sep.len()..].split(sep).collect();
        let head = &title[..first];
        let cjk_head = sep != "_" || head.chars().filter(|&c| is_cjk(c)).count() >= 4;
        if steps.len() >= 2 && cjk_head && is_headline(head) && steps.iter().all(|p| short(p.trim(), sep)) {
            return Some(first);
        }
    }
    None
}

/// The names a site goes by (its host, the name the input gives), in
/// every form a page may write them ([`site_name_forms`]): the one thing a
/// title's suffix, an author field and an input's tag are compared with.
pub struct SiteNames(Vec<String>);

impl SiteNames {
    pub fn new<S: AsRef<str>>(site_names: &[S]) -> SiteNames {
        SiteNames(site_names.iter().flat_map(|n| site_name_forms(n.as_ref())).collect())
    }

    /// Whether `text` names the site, also with an article in front (a
    /// paper's name often has one that its address leaves out: `The Boston
    /// Globe` of bostonglobe.com) and written with accents its host lacks.
    pub fn named_by(&self, text: &str) -> bool {
        let bare = ["The ", "Der ", "Die ", "Das ", "La ", "Le ", "Il ", "El "]
            .iter()
            .find_map(|article| text.strip_prefix(article))
            .unwrap_or(text);
        [text, bare]
            .iter()
            .any(|t| self.0.contains(&letters(t)) || self.0.contains(&ascii_letters(t)))
    }

    /// Whether `text` is the site's name with a word or two (`Example
    /// online`, `WP Example`) or one of its series: the name with a
    /// possessive first (`Example Site's Best of 2014`), or last after
    /// `from` or `by` (`Gift Guide from Example Site`). A name merely in
    /// the text (`Neue Karten auf Example.ch`) is a headline's.
    pub fn names_its_series(&self, text: &str) -> bool {
        let words: Vec<&str> = text.split_whitespace().collect();
        let n = words.len();
        self.named_first(text)
            || (1..n).any(|i| {
                let front = words[..i].join(" ");
                let back = words[i..].join(" ");
                let possessive = front.strip_suffix("'s").or_else(|| front.strip_suffix("’s"));
                let from = ["from", "by", "von"].contains(&words[i - 1].to_lowercase().as_str());
                (i <= 2 && self.named_by(&back))
                    || possessive.is_some_and(|name| self.named_by(name))
                    || (from && self.named_by(&back))
            })
    }

    /// Whether `text` is the site's name with a word or two after it
    /// (`Example online`, `Example Schweiz`).
    fn named_first(&self, text: &str) -> bool {
        let words: Vec<&str> = text.split_whitespace().collect();
        let n = words.len();
        (n.saturating_sub(2).max(1)..n).any(|i| self.named_by(&words[..i].join(" ")))
    }
}

/// The ways a page can write the name of the site called `name` (a host
/// or a site name), as [`letters`]: the whole name, the name without its
/// public suffix, the label it is registered under and its first label
/// (`wiadomosci.gazeta.pl` → `wiadomoscigazetapl`, `wiadomoscigazeta`,
/// `gazeta`, `wiadomosci`). The suffix comes from Mozilla's Public Suffix
/// List, so that `co.uk` or `com.au` ends a host as `.de` does: cutting at
/// the last dot made `telegraph.co` of `telegraph.co.uk`, and `- Telegraph`
/// stayed on every title of the site.
fn site_name_forms(name: &str) -> Vec<String> {
    let lower = name.trim().to_lowercase();
    let host = lower.trim_start_matches("www.");
    let mut forms = vec![letters(host)];
    let registered = (!host.contains(char::is_whitespace))
        .then(|| psl::suffix_str(host))
        .flatten()
        .and_then(|suffix| host.strip_suffix(suffix)?.strip_suffix('.'));
    match registered {
        Some(stem) => {
            forms.push(letters(stem));
            forms.push(letters(stem.rsplit('.').next().unwrap_or(stem)));
            forms.push(letters(stem.split('.').next().unwrap_or(stem)));
        }
        // A name such as `SAT.1 REGIONAL`.
        None => forms.extend(host.rsplit_once('.').map(|(label, _)| letters(label))),
    }
    // Spelled without accents (`Seznam_Zpravy` for `Seznam Zprávy`), as
    // host names are.
    let plain: Vec<String> = forms.iter().map(|f| ascii_letters(f)).collect();
    forms.extend(plain);
    forms.retain(|f| f.len() >= 2);
    forms.sort_unstable();
    forms.dedup();
    forms
}

/// Whether `title` is only the site's name (`DimidoBlog`, `Disfunctions.de`).
/// A longer one is a headline that the input also gave as the site's name.
pub fn is_site_name(title: &str, site_names: &[&str]) -> bool {
    title.split_whitespace().count() <= 3 && SiteNames::new(site_names).named_by(title)
}

/// [`letters`] of the text in ASCII (`Zprávy` → `zpravy`, `Süd` → `sued`):
/// how a name written with accents compares with its host name.
fn ascii_letters(text: &str) -> String {
    letters(&crate::text::slug::ascii(text))
}

/// Longer lines are never split into kicker and headline.
pub const MAX_HEADLINE_BYTES: usize = 2000;

/// How a kicker and its headline came to be glued together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Glue {
    /// A colon with no space after it: `Zugverkehr:Im ICE …`.
    Colon,
    /// A dash with no spaces: `Zoonosen–Wie …`. Also how routes are
    /// written (`Hamburg–Berlin`), so it needs a question word after it or
    /// other evidence.
    Dash,
    /// A letter directly before the quotation that makes the headline:
    /// `Die Zukunft der Arbeit"Wir …"`.
    Quote,
    /// Closing punctuation directly before a capital: `in Genf.Die Welt`.
    Closing,
    /// A lower-case letter directly before a capital: `in GenfUS-Außenminister`.
    /// Camel-case names (`GateHouse`, `FaceTime`) look the same, so this
    /// needs evidence from the body.
    Case,
}

/// A place where a glued headline could be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub kicker: String,
    pub headline: String,
    pub glue: Glue,
    /// For [`Glue::Case`]: the whole glued word and its two parts.
    word: Option<GluedWord>,
}

/// For each character of `text`, whether it stands inside a quotation, so
/// that a headline is never cut between its quotation marks. Straight
/// quotes open after a space or at the start and close before one; an
/// apostrophe (`hau' ich`, `McDonald's`) is neither.
fn inside_quotes(chars: &[(usize, char)]) -> Vec<bool> {
    let mut inside = vec![false; chars.len()];
    // (index of the opening mark, the marks that close it)
    let mut open: Option<(usize, &'static [char])> = None;
    for (k, &(_, c)) in chars.iter().enumerate() {
        let before = k.checked_sub(1).map(|j| chars[j].1);
        let after = chars.get(k + 1).map(|&(_, c)| c);
        let at_word_start = before.is_none_or(|b| b.is_whitespace() || matches!(b, '(' | '[' | '/' | '-' | ':'));
        let at_word_end = after.is_none_or(|a| !a.is_alphanumeric());
        match open {
            Some((start, closers)) if closers.contains(&c) && (c != '\'' || at_word_end) => {
                for flag in &mut inside[start + 1..k] {
                    *flag = true;
                }
                open = None;
            }
            Some(_) => {}
            None => {
                let closers: Option<&'static [char]> = match c {
                    '"' => Some(&['"']),
                    '„' => Some(&['“', '”', '"']),
                    '“' => Some(&['”', '“', '"']),
                    '«' => Some(&['»']),
                    '»' => Some(&['«']),
                    '‚' => Some(&['‘', '’']),
                    '‘' => Some(&['’']),
                    '\'' if at_word_start => Some(&['\'']),
                    _ => None,
                };
                if let Some(closers) = closers {
                    open = Some((k, closers));
                }
            }
        }
    }
    // An opening mark that is never closed quotes the rest of the line.
    if let Some((start, _)) = open {
        for flag in &mut inside[start + 1..] {
            *flag = true;
        }
    }
    inside
}

/// Every place where `title` could be a kicker glued to a headline, in
/// order: a lower-case letter or closing mark directly followed by a capital,
/// a letter directly followed by an opening quote, or a colon or dash with no
/// space after it. Never inside a quotation, and only where the kicker has
/// at least two words (one before a colon or dash) and the headline two.
pub fn glue_points(title: &str, patterns: &Patterns) -> Vec<Split> {
    // Each candidate split costs a pass over the line, so a long line with
    // many (`aBaBaB…`, minified code) would take hours; a line this long is a
    // paragraph, not a headline.
    if title.len() > MAX_HEADLINE_BYTES {
        return Vec::new();
    }
    let chars: Vec<(usize, char)> = title.char_indices().collect();
    let inside = inside_quotes(&chars);
    let mut out = Vec::new();
    for i in 1..chars.len() {
        let (pos, c) = chars[i];
        let prev = chars[i - 1].1;
        let next = chars.get(i + 1).map(|&(_, n)| n);
        let next_is_upper = next.is_some_and(char::is_uppercase);
        // A quotation mark that opens a quotation here (the next character is inside it).
        let opens_here = |k: usize| inside.get(k + 1).copied().unwrap_or(false) && !inside[k];
        let before_prev = i.checked_sub(2).map(|k| chars[k].1);
        // `D’Amico`, `O'Neill`: a mark between letters is an apostrophe; a
        // closing mark after a space opens a word (`der ”Leitfaden”`).
        let ends_a_word = before_prev.is_some_and(|b| !b.is_whitespace())
            && !(matches!(prev, '’' | '\'') && before_prev.is_some_and(char::is_alphabetic));
        // A kicker names something (`Corona-Krise"Wir …`); a lower-case word
        // before a quote is the sentence going on (`Kommentar zum"Streit"`).
        let names_before = || {
            title[..pos]
                .rsplit(char::is_whitespace)
                .next()
                .is_some_and(|w| w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()))
        };
        let glue = if c.is_uppercase() && prev.is_lowercase() {
            Glue::Case
        } else if c.is_uppercase() && is_closing(prev) && ends_a_word && !opens_here(i - 1) {
            Glue::Closing
        } else if is_opening_quote(c) && prev.is_alphabetic() && next_is_upper && opens_here(i) && names_before() {
            Glue::Quote
        } else if c == ':' && prev.is_alphabetic() && (next_is_upper || next.is_some_and(is_opening_quote)) {
            Glue::Colon
        } else if matches!(c, '–' | '—')
            && prev.is_alphanumeric()
            && (next_is_upper || next.is_some_and(is_opening_quote))
        {
            Glue::Dash
        } else {
            continue;
        };
        if inside[i] && !matches!(glue, Glue::Quote) {
            continue;
        }
        let separator = matches!(glue, Glue::Colon | Glue::Dash);
        let title_start = if separator { pos + c.len_utf8() } else { pos };
        if prev == '.' && kicker_last_word_is_abbreviation(&title[..pos]) {
            continue;
        }
        let kicker = title[..pos].trim().trim_end_matches(['.', ':']).trim_end();
        let headline = title[title_start..].trim();
        let kicker_words = kicker.split_whitespace().count();
        if kicker_words < if separator { 1 } else { 2 } || headline.split_whitespace().count() < 2 {
            continue;
        }
        let first_word: String = headline
            .chars()
            .take_while(|c| c.is_alphanumeric() || is_opening_quote(*c))
            .collect();
        if first_word.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
            continue;
        }
        let word = if glue == Glue::Case {
            if is_camel_case_name(title, pos, patterns) {
                continue;
            }
            Some(glued_word(title, pos))
        } else {
            None
        };
        out.push(Split {
            kicker: kicker.to_string(),
            headline: headline.to_string(),
            glue,
            word,
        });
    }
    out
}

/// A word with a kicker glued to its start, and its two parts.
#[derive(Debug, Clone, PartialEq, Eq)]
struct GluedWord {
    /// `GenfUS-Außenminister`
    whole: String,
    /// `Genf`: the end of the kicker.
    left: String,
    /// `US-Außenminister`: the start of the headline.
    right: String,
}

/// The word around the glue at byte `at`, and its parts before and after it.
fn glued_word(title: &str, at: usize) -> GluedWord {
    let is_word = |c: char| c.is_alphanumeric() || c == '-';
    let start = title[..at]
        .rfind(|c: char| !is_word(c))
        .map_or(0, |i| i + title[i..].chars().next().map_or(1, char::len_utf8));
    let end = title[at..].find(|c: char| !is_word(c)).map_or(title.len(), |i| at + i);
    // Only the last part of a hyphenated compound is glued: `Corona-LockerungenAutohäuser`.
    let left_start = title[start..at].rfind('-').map_or(start, |i| start + i + 1);
    GluedWord {
        whole: title[start..end].to_string(),
        left: title[left_start..at].to_string(),
        right: title[at..end].to_string(),
    }
}

/// The words of an article's body, to tell a glued kicker from a camel-case
/// name: the body of a story about `GateHouse` names it, while a headline
/// glued to its kicker (`GenfUS-Außenminister`) is never written so there.
#[derive(Debug, Default)]
pub struct BodyWords(std::collections::HashSet<String>);

impl BodyWords {
    pub fn new<'a>(lines: impl IntoIterator<Item = &'a str>) -> BodyWords {
        let mut words = std::collections::HashSet::new();
        for line in lines {
            for w in line.split_whitespace() {
                let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                if !w.is_empty() {
                    // `NetzDaten-Skandal` writes `NetzDaten` too.
                    if w.contains('-') {
                        words.extend(w.split('-').filter(|p| !p.is_empty()).map(str::to_string));
                    }
                    words.insert(w.to_string());
                }
            }
        }
        BodyWords(words)
    }

    fn has(&self, word: &str) -> bool {
        self.0.contains(word)
    }
}

/// Splits `Krisentreffen in GenfUS-Außenminister Blinken: …` into kicker and
/// headline where the glue is unmistakable: a colon with no space after it,
/// a letter before an opening quote, closing punctuation before a capital, a
/// dash before a question word. A lower-case letter before a capital is a
/// glue only on evidence from the body: it never writes the glued word, and
/// it does write one of its parts on its own.
pub fn split_kicker(title: &str, patterns: &Patterns, body: &BodyWords) -> Option<(String, String)> {
    glue_points(title, patterns).into_iter().find_map(|split| {
        let first_word = split.headline.split_whitespace().next().unwrap_or("");
        let evident = match split.glue {
            Glue::Colon | Glue::Quote | Glue::Closing => true,
            Glue::Dash => patterns.is_glued_teaser_word(first_word),
            Glue::Case => {
                let GluedWord {
                    whole: word,
                    left,
                    right,
                } = split.word.as_ref()?;
                // A kicker is a phrase of its own: one that already ends in a
                // separator (`Column: The Gannett/Gate…`) is not.
                let separated = [": ", " - ", " – ", " — ", " | "]
                    .iter()
                    .any(|s| split.kicker.contains(s));
                !separated
                    && left.chars().count() >= 3
                    && right.chars().filter(|c| c.is_alphabetic()).count() >= 2
                    && !body.has(word)
                    && (body.has(left) || body.has(right))
            }
        };
        evident.then_some((split.kicker, split.headline))
    })
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

    fn p() -> &'static Patterns {
        Patterns::built_in()
    }

    /// A split with a body that writes the headline's words on their own
    /// (`US-Außenminister`, `Daten`), as an article under it would.
    fn split(t: &str) -> Option<(String, String)> {
        let body = BodyWords::new(["US-Außenminister Blinken traf Lawrow. Daten wurden gestohlen."]);
        split_kicker(t, Patterns::built_in(), &body)
    }

    fn split_with(t: &str, body: &str) -> Option<(String, String)> {
        split_kicker(t, Patterns::built_in(), &BodyWords::new([body]))
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

    /// Shapes from real titles of 40 German outlets (own words): an
    /// apostrophe in a name, a closing mark used to open a quotation, a
    /// quotation glued into a running sentence.
    #[test]
    fn apostrophes_misused_marks_and_running_sentences_are_no_glue() {
        for t in [
            "Anna D’Amico in Rom: „Wir bleiben hier“",
            "Treffen mit Anna D’Amico in Genf",
            "Ein Abend mit Tom O'Neill",
            "“Alles wird gut” – Der neue ”Leitfaden” für Schulen",
            "Kommentar zum\"Streit\" in Bayern: Was zählt wirklich?",
        ] {
            assert_eq!(split(t), None, "{t}");
        }
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
    fn camel_case_is_split_only_on_evidence_from_the_body() {
        let t = "Column: The Gannett/GateHouse merger shows the decline of news";
        assert_eq!(split_with(t, "The merger of Gannett and GateHouse was approved."), None);
        assert_eq!(split_with(t, "The merger of two chains was approved."), None);
        let t = "iOS 13 will fix the FaceTime eye contact problem";
        assert_eq!(split_with(t, "Apple's FaceTime will look at the camera."), None);
        assert_eq!(split_with(t, "Nothing about it here."), None);
        assert_eq!(
            split_with("New Balance: FuelCell Echo review", "The shoe is light."),
            None
        );
        // Glued kicker: the body never writes `NetzDaten`, and writes `Daten`.
        let t = "Streit im NetzDaten von Firma gestohlen";
        assert_eq!(
            split_with(t, "Die Daten lagen offen."),
            pair("Streit im Netz", "Daten von Firma gestohlen")
        );
        assert_eq!(split_with(t, "Alles lag offen."), None);
        assert_eq!(split_with(t, "Der NetzDaten-Skandal: die Daten lagen offen."), None);
    }

    #[test]
    fn quotations_are_never_cut() {
        for t in [
            "Barisic: \"Dann hau' ich mein Handy zam\"",
            "Die Zukunft der Arbeit - \"Wir dekorieren die Liegestühle um\"",
            "Mit der \"Ikigai\"-Methode zu mehr Glück im Beruf",
            "Kanzlerin: „Wir schaffen DasHier“ sagt sie",
            "Er sagte «Das istDer Anfang» und ging",
            "Sie sagte “Das istDer Anfang” und ging",
            "Sie sagte 'Das istDer Anfang' und ging",
        ] {
            assert_eq!(split_with(t, "Das und Der und Hier und Anfang."), None, "{t}");
        }
    }

    #[test]
    fn routes_are_not_kickers() {
        assert_eq!(split("Die Strecke Hamburg–Berlin ist wieder frei"), None);
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
    fn a_site_is_named_with_and_without_its_public_suffix() {
        // Sorted and without repeats.
        let forms = site_name_forms;
        assert_eq!(forms("www.telegraph.co.uk"), ["telegraph", "telegraphcouk"]);
        assert_eq!(
            forms("wiadomosci.gazeta.pl"),
            ["gazeta", "wiadomosci", "wiadomoscigazeta", "wiadomoscigazetapl"]
        );
        assert_eq!(forms("sat1regional.de"), ["sat1regional", "sat1regionalde"]);
        assert_eq!(forms("Telebasel"), ["telebasel"]);
        assert_eq!(forms("SAT.1 REGIONAL"), ["sat", "sat1regional"]);
    }

    #[test]
    fn site_suffixes() {
        assert_eq!(
            strip_site_suffix("Autohäuser öffnen wieder | MDR.DE", &[], p()),
            "Autohäuser öffnen wieder"
        );
        assert_eq!(
            strip_site_suffix("Fronten bleiben hart - SAT.1 REGIONAL", &[], p()),
            "Fronten bleiben hart"
        );
        assert_eq!(
            strip_site_suffix("Unfall auf der A6 - Telebasel", &["telebasel.ch"], p()),
            "Unfall auf der A6"
        );
        assert_eq!(
            strip_site_suffix(
                "»Kein Geld für die Miete« (neues deutschland)",
                &["neues-deutschland.de"],
                p()
            ),
            "»Kein Geld für die Miete«"
        );
        assert_eq!(
            strip_site_suffix("So viel Regen gab es lange nicht : 31.10.2023, 10.19 Uhr", &[], p()),
            "So viel Regen gab es lange nicht"
        );
        // A dash that belongs to the headline stays.
        assert_eq!(
            strip_site_suffix("Hund vertreibt Einbrecher – Zeugenaufruf", &[], p()),
            "Hund vertreibt Einbrecher – Zeugenaufruf"
        );
        assert_eq!(
            strip_site_suffix("Unfall auf der A6 - Telebasel", &[], p()),
            "Unfall auf der A6 - Telebasel"
        );
        // A host under a public suffix of two labels is its first label's
        // site; after a colon only the site's name is a suffix.
        for host in ["www.telegraph.co.uk", "Telegraph.co.uk"] {
            assert_eq!(
                strip_site_suffix("AirAsia plane found in Java Sea: latest - Telegraph", &[host], p()),
                "AirAsia plane found in Java Sea: latest"
            );
        }
        assert_eq!(
            strip_site_suffix("Before Buying a Motorcycle: The Q: GQ", &["gq.com"], p()),
            "Before Buying a Motorcycle: The Q"
        );
        assert_eq!(
            strip_site_suffix("Merkel: Wir schaffen das", &["merkel.de"], p()),
            "Merkel: Wir schaffen das"
        );
        assert_eq!(
            strip_site_suffix("Bericht: Telegraph", &["telegraph.co.uk"], p()),
            "Bericht: Telegraph"
        );
        assert_eq!(
            strip_site_suffix(
                "Cyclone strikes the coast - The Example Globe",
                &["www.exampleglobe.com"],
                p()
            ),
            "Cyclone strikes the coast"
        );
        // The same comparison everywhere a site's name is looked for: after
        // a colon, and as a whole title.
        assert_eq!(
            strip_site_suffix(
                "Cyclone strikes the coast: The Example Globe",
                &["exampleglobe.com"],
                p()
            ),
            "Cyclone strikes the coast"
        );
        assert!(is_site_name("The Example Globe", &["exampleglobe.com"]));
        assert!(!is_site_name("The Example Globe Online", &["exampleglobe.com"]));
        // A section's name is cut like a site's; a word that only ends a
        // headline is not one.
        assert_eq!(
            strip_site_suffix("Neuer Kleinwagen kommt im Herbst - Auto News", &[], p()),
            "Neuer Kleinwagen kommt im Herbst"
        );
        assert_eq!(
            strip_site_suffix("Neuer Kleinwagen kommt im Herbst – Aktuelles", &[], p()),
            "Neuer Kleinwagen kommt im Herbst"
        );
        assert_eq!(
            strip_site_suffix("Wer verbreitet was – Fake News und ihre Quellen", &[], p()),
            "Wer verbreitet was – Fake News und ihre Quellen"
        );
    }

    #[test]
    fn a_site_name_opening_the_title_goes_and_one_word_may_stand_before_it() {
        assert_eq!(
            strip_site_prefix(
                "EXAMPLEMAGAZIN | Luftfahrt hebt nach Corona ab - und ein Zulieferer profitiert",
                &["examplemagazin.at"],
                p()
            ),
            "Luftfahrt hebt nach Corona ab - und ein Zulieferer profitiert"
        );
        assert_eq!(
            strip_site_prefix(
                "bergbuch.ch - Outdoornews - Neue Schneekarten auf Bergbuch.ch",
                &["www.bergbuch.ch"],
                p()
            ),
            "Neue Schneekarten auf Bergbuch.ch"
        );
        // Not another name, not before one word, not before a colon.
        for (title, host) in [
            ("Telebasel - Unfall", "telebasel.ch"),
            ("Merkel: Wir schaffen das", "merkel.de"),
            ("Hund vertreibt Einbrecher – Zeugenaufruf", "example.ch"),
        ] {
            assert_eq!(strip_site_prefix(title, &[host], p()), title);
        }
        assert_eq!(
            strip_site_suffix("Wurmkiste | example.de", &["www.example.de"], p()),
            "Wurmkiste"
        );
        assert_eq!(
            strip_site_suffix("Penny - Stardust Valley Wiki", &["stardustvalleywiki.com"], p()),
            "Penny"
        );
        // A section's label or the site's name is no headline of one word.
        for title in ["Startseite | example.de", "Wurmkiste | Zeitung"] {
            assert_eq!(strip_site_suffix(title, &["example.de"], p()), title);
        }
        assert_eq!(
            strip_site_suffix(
                "Die Ablehnung der Gendersprache » ExLogs - Wissenschaftsblogs",
                &["exlogs.example.de"],
                p()
            ),
            "Die Ablehnung der Gendersprache"
        );
    }

    /// A trail of sections, the site's series and the rarer separators go
    /// after a headline; the same marks inside a headline stay.
    #[test]
    fn trails_series_and_rarer_separators() {
        let cases = [
            // A trail of sections after the headline.
            (
                "Anticorrupción decide si recurre la imputación » Local » Noticias » Ejemplo Hora",
                "ejemplohora.es",
                "Anticorrupción decide si recurre la imputación",
            ),
            (
                "海外留学生看两会：出国前后关注点大不同_教育频道_中国示例网",
                "example.cn",
                "海外留学生看两会：出国前后关注点大不同",
            ),
            // One `»` or `>` inside a headline is the headline's.
            (
                "Rent > mortgage in most cities",
                "example.com",
                "Rent > mortgage in most cities",
            ),
            // The site's series, named with the site; not the site's name
            // in a headline, nor a title that opens with it.
            (
                "Take Care - examplewrap auf der Messe 2018",
                "examplewrap.com",
                "Take Care - examplewrap auf der Messe 2018",
            ),
            (
                "example.ch - Outdoornews - Neue Schneekarten auf Example.ch",
                "example.ch",
                "example.ch - Outdoornews - Neue Schneekarten auf Example.ch",
            ),
            (
                "Interactive Books for Children — Holiday Gift Guide from Example Therapy",
                "exampletherapy.com",
                "Interactive Books for Children",
            ),
            (
                "Drink Up! 15 Good Ideas for Beer — The Kitchx's Best of 2014",
                "thekitchx.com",
                "Drink Up! 15 Good Ideas for Beer",
            ),
            (
                "Cup-Vorschau: Ein Bruderduell in Stans - Handball Schweiz",
                "handball.ch",
                "Cup-Vorschau: Ein Bruderduell in Stans",
            ),
            // `--`, `ㅣ` and `::` before the site's name, and only there.
            (
                "Court files expose the security team -- Example.net",
                "example.net",
                "Court files expose the security team",
            ),
            (
                "Pearl Oscar Dress -- STOLEN!!!",
                "example.com",
                "Pearl Oscar Dress -- STOLEN!!!",
            ),
            ("북한, 합동 훈련 비난 ㅣ 예시일보", "예시일보", "북한, 합동 훈련 비난"),
            (
                "Campground in the autumn :: Example Blog ::",
                "Example Blog",
                "Campground in the autumn",
            ),
        ];
        for (title, site, want) in cases {
            assert_eq!(strip_site_suffix(title, &[site], p()), want, "{title}");
        }
    }

    /// A site's name of several parts goes whole, also with a byline after
    /// it; written with accents its host name lacks; after the full-width
    /// separators of Japanese titles. Words after a separator that name no
    /// site stay, and so does a one-word headline.
    #[test]
    fn site_names_of_several_parts_accents_and_full_width_separators() {
        let long_name = "Beispiel Nachrichten - Chadashoth Beispiel";
        assert_eq!(
            strip_site_suffix(
                "Bennett: Ich bin kein Spielball - Beispiel Nachrichten - Chadashoth Beispiel",
                &["beispiel-nachrichten.org", long_name],
                p()
            ),
            "Bennett: Ich bin kein Spielball"
        );
        assert_eq!(
            strip_site_suffix(
                "Protests grow over the minister * The Example Pundit * by Paul Example",
                &["exampletimes.com", "The Example Pundit"],
                p()
            ),
            "Protests grow over the minister"
        );
        assert_eq!(
            strip_site_suffix(
                "Vláda podá demisi. Jak rychle teď bude postupovat - Příklad Zprávy",
                &["prikladzpravy.cz", "Priklad_Zpravy"],
                p()
            ),
            "Vláda podá demisi. Jak rychle teď bude postupovat"
        );
        assert_eq!(
            strip_site_suffix(
                "南海トラフ、一時調査 巨大地震、基準達せず：中日新聞Web",
                &["中日新聞Web"],
                p()
            ),
            "南海トラフ、一時調査 巨大地震、基準達せず"
        );
        assert_eq!(
            strip_site_suffix(
                "協賛企業で各競技団体のビジネスモデル完全崩壊へ｜日刊ゲンダイDIGITAL",
                &["日刊ゲンダイDigital"],
                p()
            ),
            "協賛企業で各競技団体のビジネスモデル完全崩壊へ"
        );
        // The full-width colon inside a headline, before no site's name.
        assert_eq!(
            strip_site_suffix("速報：南海トラフ、一時調査", &["中日新聞Web"], p()),
            "速報：南海トラフ、一時調査"
        );
        assert_eq!(
            strip_site_suffix("Protests grow * and grow * and grow", &["The Example Pundit"], p()),
            "Protests grow * and grow * and grow"
        );
        // Behind hundreds of separators (only those near the end are read).
        let head = vec!["Teil eins zwei drei vier"; 200].join(" – ");
        assert_eq!(
            strip_site_suffix(&format!("{head} - {long_name}"), &[long_name], p()),
            head
        );
        assert_eq!(
            strip_site_suffix("Wahlen - Beispiel Nachrichten - Chadashoth Beispiel", &[long_name], p()),
            "Wahlen - Beispiel Nachrichten - Chadashoth Beispiel"
        );
    }
}
