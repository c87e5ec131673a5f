//! Topics and tags: the keyword rules in `site.yaml`, and the input's own
//! categories and tags cleaned into terms a reader would choose.
//!
//! Rules match whole words on a text cut into words once: a keyword is a
//! sequence of words with the same separators between them (`Deutsche Bahn`,
//! `9-Euro-Ticket`), its last word a prefix when it ends in `*`. A hyphen
//! separates words, so `Ukraine` is a mention in `Ukraine-Konflikt` and
//! `Ukrainer` is not. A mention inside one of the rule's `exclude` phrases
//! does not count (`Kiew` in `Dynamo Kiew`).

use std::collections::HashMap;

use crate::config::TermRule;
use crate::import::headline::SiteNames;
use crate::import::patterns::Patterns;

/// A keyword or exclusion: words and the separators between them.
#[derive(Debug, Clone)]
struct Phrase {
    /// Lower case unless the rule is case-sensitive.
    words: Vec<String>,
    /// `seps[k]` stands between `words[k]` and `words[k + 1]`.
    seps: Vec<String>,
    /// The last word is a prefix (`Putin*`).
    prefix: bool,
}

#[derive(Debug, Clone)]
struct Rule {
    name: String,
    keywords: Vec<Phrase>,
    exclude: Vec<Phrase>,
    min_mentions: usize,
    case_sensitive: bool,
}

/// Where a phrase is: its list (topics 0, tags 1), rule and whether it
/// excludes.
#[derive(Debug, Clone, Copy)]
struct Slot {
    list: usize,
    rule: usize,
    phrase: usize,
    exclusion: bool,
}

/// Compiled topic and tag rules.
#[derive(Debug, Clone)]
pub struct Classifier {
    lists: [Vec<Rule>; 2],
    /// Phrases by their first word in lower case.
    by_first: HashMap<String, Vec<Slot>>,
    /// One-word prefix phrases (`Putin*`): the stem in lower case.
    stems: Vec<(String, Slot)>,
}

/// A keyword rule that cannot work.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{list} rule `{name}`: {message}")]
pub struct RuleError {
    pub list: &'static str,
    pub name: String,
    pub message: String,
}

/// A word in running text: letters, digits and `_`, as `\w` counts them.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A text cut into words: each word with the separator before it (white
/// space runs count as one space).
struct Words<'a> {
    words: Vec<&'a str>,
    lower: Vec<String>,
    seps: Vec<String>,
}

fn separator(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if !c.is_whitespace() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out
}

fn words(text: &str) -> Words<'_> {
    let mut words = Vec::new();
    let mut seps = Vec::new();
    let mut last_end = 0;
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (start, is_word_char(c) && i < text.len()) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                seps.push(separator(&text[last_end..s]));
                words.push(&text[s..i]);
                last_end = i;
                start = None;
            }
            _ => {}
        }
    }
    let lower = words.iter().map(|w| w.to_lowercase()).collect();
    Words { words, lower, seps }
}

fn phrase(text: &str, case_sensitive: bool) -> Option<Phrase> {
    let text = text.trim();
    let (text, prefix) = match text.strip_suffix('*') {
        Some(stem) => (stem.trim_end(), true),
        None => (text, false),
    };
    let w = words(text);
    if w.words.is_empty() {
        return None;
    }
    Some(Phrase {
        words: if case_sensitive {
            w.words.iter().map(|s| s.to_string()).collect()
        } else {
            w.lower.clone()
        },
        seps: w.seps[1..].to_vec(),
        prefix,
    })
}

impl Phrase {
    /// How many words of `text` from `at` on this phrase spans, if it is there.
    fn at(&self, text: &Words<'_>, at: usize, case_sensitive: bool) -> Option<usize> {
        let n = self.words.len();
        if at + n > text.words.len() {
            return None;
        }
        for (k, word) in self.words.iter().enumerate() {
            let here: &str = if case_sensitive {
                text.words[at + k]
            } else {
                &text.lower[at + k]
            };
            let ok = if k + 1 == n && self.prefix {
                here.starts_with(word.as_str())
            } else {
                here == word
            };
            if !ok || (k > 0 && text.seps[at + k] != self.seps[k - 1]) {
                return None;
            }
        }
        Some(n)
    }
}

fn compile(list: &'static str, rules: &[TermRule]) -> Result<Vec<Rule>, RuleError> {
    rules
        .iter()
        .map(|rule| {
            let error = |message: String| RuleError {
                list,
                name: rule.name.clone(),
                message,
            };
            if rule.keywords.is_empty() {
                return Err(error("has no keywords".into()));
            }
            let phrases = |items: &[String], what: &str| {
                items
                    .iter()
                    .map(|k| {
                        phrase(k, rule.case_sensitive)
                            .ok_or_else(|| error(format!("{what} `{k}` has no letters or digits")))
                    })
                    .collect::<Result<Vec<_>, _>>()
            };
            Ok(Rule {
                name: rule.name.clone(),
                keywords: phrases(&rule.keywords, "keyword")?,
                exclude: phrases(&rule.exclude, "exclusion")?,
                min_mentions: rule.min_mentions.max(1),
                case_sensitive: rule.case_sensitive,
            })
        })
        .collect()
}

impl Classifier {
    pub fn new(topics: &[TermRule], tags: &[TermRule]) -> Result<Classifier, RuleError> {
        let lists = [compile("topics", topics)?, compile("tags", tags)?];
        let mut by_first: HashMap<String, Vec<Slot>> = HashMap::new();
        let mut stems = Vec::new();
        for (l, rules) in lists.iter().enumerate() {
            for (r, rule) in rules.iter().enumerate() {
                let all = rule.keywords.iter().map(|p| (p, false)).enumerate();
                let excl = rule.exclude.iter().map(|p| (p, true)).enumerate();
                for (i, (p, exclusion)) in all.chain(excl) {
                    let slot = Slot {
                        list: l,
                        rule: r,
                        phrase: i,
                        exclusion,
                    };
                    let first = p.words[0].to_lowercase();
                    if p.prefix && p.words.len() == 1 {
                        stems.push((first, slot));
                    } else {
                        by_first.entry(first).or_default().push(slot);
                    }
                }
            }
        }
        Ok(Classifier { lists, by_first, stems })
    }

    /// The topics and tags whose keywords occur often enough in `text`.
    pub fn classify(&self, text: &str) -> (Vec<String>, Vec<String>) {
        let text = words(text);
        // Per list and rule: the spans of mentions and of exclusions.
        type Spans = Vec<(usize, usize)>;
        let mut found: [Vec<(Spans, Spans)>; 2] = [
            vec![Default::default(); self.lists[0].len()],
            vec![Default::default(); self.lists[1].len()],
        ];
        for (at, lower) in text.lower.iter().enumerate() {
            let stems = self.stems.iter().filter(|(s, _)| lower.starts_with(s.as_str()));
            let slots = self
                .by_first
                .get(lower)
                .into_iter()
                .flatten()
                .chain(stems.map(|(_, s)| s));
            for slot in slots {
                let rule = &self.lists[slot.list][slot.rule];
                let phrase = if slot.exclusion {
                    &rule.exclude[slot.phrase]
                } else {
                    &rule.keywords[slot.phrase]
                };
                if let Some(len) = phrase.at(&text, at, rule.case_sensitive) {
                    let (mentions, excluded) = &mut found[slot.list][slot.rule];
                    if slot.exclusion { excluded } else { mentions }.push((at, at + len));
                }
            }
        }
        let mut out: [Vec<String>; 2] = Default::default();
        for (l, rules) in self.lists.iter().enumerate() {
            for (rule, (mentions, excluded)) in rules.iter().zip(&mut found[l]) {
                // Longest first at each start; a mention is counted once,
                // not again for a shorter keyword inside it.
                mentions.sort_by_key(|&(s, e)| (s, std::cmp::Reverse(e)));
                let mut next_free = 0;
                let mut count = 0;
                for &(s, e) in mentions.iter() {
                    if s < next_free || excluded.iter().any(|&(xs, xe)| s < xe && xs < e) {
                        continue;
                    }
                    next_free = e;
                    count += 1;
                }
                if count >= rule.min_mentions {
                    out[l].push(rule.name.clone());
                }
            }
        }
        let [topics, tags] = out;
        (topics, tags)
    }

    /// An article's topics and tags: the rules' on `text`, then the input's
    /// categories and tags (`input` is empty unless the site takes them),
    /// cleaned; one named like a topic rule is that topic, the others tags.
    /// The third list names the terms the rules made, which `blatt retag`
    /// may take away again when the rules change.
    pub fn terms(
        &self,
        text: &str,
        input: &[String],
        language: Option<&str>,
        patterns: &Patterns,
        site_names: &[String],
    ) -> (Vec<String>, Vec<String>, Vec<String>) {
        let (mut topics, mut tags) = self.classify(text);
        let rule_made = topics.iter().chain(&tags).cloned().collect();
        let own = crate::import::headline::SiteNames::new(site_names);
        for term in input.iter().flat_map(|t| split_terms(t)) {
            let Some(term) = clean_input_term(term, language, patterns, &own) else {
                continue;
            };
            match self.topic_named(&term, language) {
                Some(topic) => push_unique(&mut topics, [topic.to_string()]),
                None => push_unique(&mut tags, [term]),
            }
        }
        (topics, tags, rule_made)
    }

    /// The topic rule named like `term` (same key), if any.
    pub fn topic_named(&self, term: &str, language: Option<&str>) -> Option<&str> {
        let key = term_key(term, language);
        self.lists[0]
            .iter()
            .find(|r| term_key(&r.name, language) == key)
            .map(|r| r.name.as_str())
    }

    /// The names of every rule, topics first: the spellings that input
    /// terms of the same key take.
    pub fn rule_names(&self) -> impl Iterator<Item = &str> {
        self.lists.iter().flatten().map(|r| r.name.as_str())
    }
}

fn stemmer(language: Option<&str>) -> Option<rust_stemmers::Stemmer> {
    use rust_stemmers::Algorithm::*;
    let primary = language?.split(['-', '_']).next()?;
    let algorithm = match primary {
        "ar" => Arabic,
        "da" => Danish,
        "nl" => Dutch,
        "en" => English,
        "fi" => Finnish,
        "fr" => French,
        "de" => German,
        "el" => Greek,
        "hu" => Hungarian,
        "it" => Italian,
        "no" | "nb" | "nn" => Norwegian,
        "pt" => Portuguese,
        "ro" => Romanian,
        "ru" => Russian,
        "es" => Spanish,
        "sv" => Swedish,
        "ta" => Tamil,
        "tr" => Turkish,
        _ => return None,
    };
    Some(rust_stemmers::Stemmer::create(algorithm))
}

/// What two spellings of one term share: each word lower-cased, stemmed in
/// the article's language and stripped of accents, so that `Aktuell` and
/// `Aktuelles`, `Politik` and (in an English article) `Politics`, or
/// `Corona-Krise` and `Coronakrise`'s hyphenated twin `Corona Krise` are
/// one term.
pub fn term_key(term: &str, language: Option<&str>) -> String {
    let stemmer = stemmer(language);
    let w = words(term);
    let stemmed: Vec<String> = w
        .lower
        .iter()
        .map(|word| {
            let stem = stemmer.as_ref().map_or(word.clone(), |s| s.stem(word).into_owned());
            deunicode::deunicode(&stem)
        })
        .collect();
    stemmed.join(" ")
}

/// The terms of one input string. A list that separates its terms by `;`
/// keeps commas inside them (`Trump, Donald J;Impeachment`, as some
/// publishers write names surname first): split at every comma it would give
/// `Donald J`, half a name.
fn split_terms(list: &str) -> impl Iterator<Item = &str> {
    let separators: &[char] = if list.contains(';') {
        &[';', '|']
    } else {
        &[',', ';', '|']
    };
    list.split(separators)
}

/// The keys under which a CMS writes a term as `key:value`.
const TERM_KEYS: [&str; 7] = ["tag", "tags", "cat", "category", "categories", "topic", "keyword"];

/// Longer than this, an input term is a sentence or a list, not a term.
const MAX_TERM_CHARS: usize = 40;
const MAX_TERM_WORDS: usize = 5;

/// A term from the input's own metadata as a reader would want it, or
/// `None` for noise: identifiers (`ems_News_PolitikInland`, `2021`), UI
/// words and page chrome (`ANZEIGE`, `Hier`, `»Themen Übersicht`), template
/// placeholders (`[NAME]`), host and site names (`own`). Shouted
/// words are written in capitals only where they are acronyms (`NATO`, not
/// `CORONAVIRUS`).
pub fn clean_input_term(term: &str, language: Option<&str>, patterns: &Patterns, own: &SiteNames) -> Option<String> {
    let term = crate::import::normalize::line(term);
    // A CMS's own key:value: `tag:netzdg` and `cat:politik` name a term,
    // `type:post`, `ivw:homepage` and `repository:274214725` do not.
    let term = match term.split_once(':').filter(|(key, value)| {
        !key.is_empty() && key.chars().all(char::is_alphabetic) && !value.is_empty() && !value.contains(' ')
    }) {
        Some((key, value)) if TERM_KEYS.contains(&key.to_lowercase().as_str()) => value.to_string(),
        Some(_) => return None,
        None => term,
    };
    // A count the page printed beside the term (`Bernie Sanders (341)`,
    // `2020 Election (611 posts)`) is not part of its name.
    let term = strip_qualifier(strip_count(&term));
    if is_fragment(term) {
        return None;
    }
    let term = term.to_string();
    let chars = term.chars().count();
    let w = words(&term);
    let starts_well = term.chars().next().is_some_and(char::is_alphanumeric);
    let looks_like_id = term.contains(['_', '/', '[', ']', '{', '}', '<', '>', '@', '=', '|', '#'])
        || term.chars().all(|c| c.is_ascii_digit() || c == '-' || c == ' ')
        || crate::import::credit::is_host(&term);
    if !(2..=MAX_TERM_CHARS).contains(&chars)
        || w.words.len() > MAX_TERM_WORDS
        || !starts_well
        || looks_like_id
        || !term.chars().any(char::is_alphabetic)
        || patterns.drop_rule(&term).is_some()
        || patterns.is_generic_term(&term)
    {
        return None;
    }
    // A function word alone (`Hier`, `Mehr`, `Alle`) names nothing.
    let lower = term.to_lowercase();
    let languages = [language.and_then(|l| l.split(['-', '_']).next()), Some("en")];
    if w.words.len() == 1
        && languages
            .iter()
            .flatten()
            .filter_map(|l| stop_words::lookup(l))
            .any(|list| list.contains(&lower.as_str()))
    {
        return None;
    }
    // The site's own name (`Telebasel`, `example` of example.de).
    if own.named_by(&term) {
        return None;
    }
    // A term in lower case only (`politics`) is written as a name; one of
    // two ASCII letters (`tv`, `eu`, `ai`) is an acronym, since the
    // two-letter words of a language are its function words, filtered
    // above (a noun such as `öl` is not ASCII).
    let quiet = !term.chars().any(char::is_uppercase);
    if quiet && term.len() == 2 && term.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some(term.to_uppercase());
    }
    let words: Vec<String> = term
        .split(' ')
        .enumerate()
        .map(|(i, word)| {
            let letters = word.chars().filter(|c| c.is_alphabetic()).count();
            let shouted = letters > 4 && word.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
            if quiet && i == 0 {
                let mut chars = word.chars();
                chars
                    .next()
                    .into_iter()
                    .flat_map(char::to_uppercase)
                    .chain(chars)
                    .collect()
            } else if shouted {
                let mut chars = word.chars();
                let first: String = chars.next().into_iter().collect();
                first + &chars.as_str().to_lowercase()
            } else {
                word.to_string()
            }
        })
        .collect();
    Some(words.join(" "))
}

/// `term` without a trailing parenthesised count (`(341)`, `(611 posts)`).
fn strip_count(term: &str) -> &str {
    // Cut by the input before its closing parenthesis (`Angela Merkel (1025`):
    // the name before it is whole.
    if let Some(open) = term.rfind('(').filter(|&o| o > 0 && !term[o..].contains(')')) {
        let mut parts = term[open + 1..].split(' ');
        let number = parts
            .next()
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
        if number && parts.count() <= 1 {
            return term[..open].trim_end();
        }
    }
    let Some(open) = term.strip_suffix(')').and_then(|t| t.rfind('(')) else {
        return term;
    };
    let inside = &term[open + 1..term.len() - 1];
    let mut parts = inside.split(' ');
    let number = parts
        .next()
        .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    let rest: Vec<&str> = parts.collect();
    // A bare year is part of the name (`II. Weltkrieg (1939)`).
    let year = number.is_some_and(|n| n.len() == 4 && ("1000".."2100").contains(&n));
    let counted = (rest.is_empty() && !year) || (rest.len() == 1 && rest[0].chars().all(char::is_alphabetic));
    match number.is_some() && counted && open > 0 {
        true => term[..open].trim_end(),
        false => term,
    }
}

/// A trailing qualifier that says where the item was published or how a
/// scheme files it, not what it is about: a platform (`Talk (Spotify)`), a
/// classification's level (`Software (TRBC level 4)`), a life span
/// (`Example, Anna (1966- )`). The name before it is the term.
fn strip_qualifier(term: &str) -> &str {
    static QUALIFIER: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = QUALIFIER.get_or_init(|| {
        regex::Regex::new(
            r"(?i)\s+\((Spotify|Apple Podcasts|iTunes|Google Podcasts|YouTube|SoundCloud|Deezer|Podcast|TRBC level \d|\d{4}\s?[-–]\s?(\d{4})?\s?)\)$",
        )
        .expect("a valid pattern")
    });
    match re.find(term) {
        Some(m) if m.start() > 0 => &term[..m.start()],
        _ => term,
    }
}

/// What no reader would pick as a term, whatever it says: a piece cut off
/// at a hyphen or an ampersand (`Marketing-`, `PG&`), a question or a
/// sentence cut short (`Warum das?`, `Schönes...`), a sentence (three
/// words or more ending in a full stop after a word, not after an initial
/// or an abbreviation: `Frankfurt a. M.`, `Habeck Robert Dr.` and
/// `Apple Inc.` stay), an unbalanced parenthesis (`Fees and Rates)`).
fn is_fragment(term: &str) -> bool {
    let cut = term.ends_with(['-', '&', '?', '…']) || term.ends_with("..");
    let last = term.rsplit(' ').next().unwrap_or("").trim_end_matches('.');
    let abbreviation = last.chars().filter(|c| c.is_alphabetic()).count() <= 3 || last.contains('.');
    let sentence = term.ends_with('.') && term.split(' ').count() >= 3 && !abbreviation;
    let unbalanced = term.matches('(').count() != term.matches(')').count();
    cut || sentence || unbalanced
}

/// The spelling each term key has in the site: the first one seen (an
/// existing article's, a rule's name), so that later articles join it.
#[derive(Debug, Default, Clone)]
pub struct Spellings {
    by_key: HashMap<String, String>,
}

impl Spellings {
    /// The spelling for `term`: the one already known for its key, else
    /// `term`, which becomes the spelling of the key.
    pub fn canonical(&mut self, term: &str, language: Option<&str>) -> String {
        let key = term_key(term, language);
        self.by_key.entry(key).or_insert_with(|| term.to_string()).clone()
    }

    /// Makes `term` known without changing a spelling already known.
    pub fn learn(&mut self, term: &str, language: Option<&str>) {
        self.canonical(term, language);
    }
}

/// Adds `items` to `list` unless a term of the same spelling (any case) is
/// there; in one pass, since an input's metadata can name thousands.
pub fn push_unique(list: &mut Vec<String>, items: impl IntoIterator<Item = String>) {
    let mut seen: std::collections::HashSet<String> = list.iter().map(|x| x.to_lowercase()).collect();
    for item in items {
        if seen.insert(item.to_lowercase()) {
            list.push(item);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(name: &str, keywords: &[&str], min: usize) -> TermRule {
        TermRule {
            name: name.into(),
            keywords: keywords.iter().map(|s| s.to_string()).collect(),
            exclude: Vec::new(),
            min_mentions: min,
            case_sensitive: false,
        }
    }

    #[test]
    fn whole_words_with_hyphen_boundaries() {
        let c = Classifier::new(
            &[rule("Ukraine-Konflikt", &["Ukraine"], 2)],
            &[rule("NATO", &["Nato"], 1)],
        )
        .unwrap();
        let (topics, tags) = c.classify("Im Ukraine-Konflikt … die Ukraine. Die NATO tagt.");
        assert_eq!(topics, vec!["Ukraine-Konflikt"]);
        assert_eq!(tags, vec!["NATO"]);
        // `Ukrainer` is another word; one mention is below the minimum.
        let (topics, _) = c.classify("Ukrainer in der Ukraine");
        assert!(topics.is_empty());
    }

    #[test]
    fn prefix_keywords() {
        let c = Classifier::new(&[], &[rule("Wladimir Putin", &["Putin*"], 1)]).unwrap();
        assert_eq!(c.classify("Putins Rede").1, vec!["Wladimir Putin"]);
        assert!(c.classify("Reputation").1.is_empty());
    }

    #[test]
    fn phrases_need_their_separators_and_count_once() {
        let c = Classifier::new(&[rule("Verkehr", &["Bahn", "Deutsche Bahn", "9-Euro-Ticket"], 3)], &[]).unwrap();
        // `Deutsche Bahn` is one mention, not also one of `Bahn`.
        assert!(c.classify("Die Deutsche Bahn und das 9-Euro-Ticket.").0.is_empty());
        assert_eq!(
            c.classify("Die Deutsche  Bahn, die Bahn und das 9-Euro-Ticket.").0,
            vec!["Verkehr"]
        );
        assert!(c.classify("Deutsche, Bahn? 9 Euro Ticket 9-Euro").0.len() <= 1);
        assert!(c.classify("9 Euro Ticket, 9 Euro Ticket, Bahn").0.is_empty());
    }

    #[test]
    fn case_sensitivity_is_a_choice() {
        let mut r = rule("AP", &["AP"], 1);
        r.case_sensitive = true;
        let c = Classifier::new(&[], &[r]).unwrap();
        assert!(c.classify("ap und Ap").1.is_empty());
        assert_eq!(c.classify("meldet AP").1, vec!["AP"]);
    }

    #[test]
    fn exclusions_do_not_count_as_mentions() {
        let mut r = rule("Ukraine-Konflikt", &["Ukraine", "Kiew"], 2);
        r.exclude = vec!["Dynamo Kiew".into()];
        let c = Classifier::new(&[r], &[]).unwrap();
        let football = "Dynamo Kiew gewinnt. Trainer von Dynamo Kiew lobt Dynamo Kiew.";
        assert!(c.classify(football).0.is_empty());
        assert_eq!(
            c.classify("Dynamo Kiew sagt ab: In Kiew und der Ukraine wird gekämpft.")
                .0,
            vec!["Ukraine-Konflikt"]
        );
    }

    #[test]
    fn rules_without_words_are_refused() {
        let err = Classifier::new(&[rule("X", &["--"], 1)], &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "topics rule `X`: keyword `--` has no letters or digits"
        );
    }

    fn clean(term: &str, language: &str) -> Option<String> {
        let own = SiteNames::new(&["example.de"]);
        clean_input_term(term, Some(language), Patterns::built_in(), &own)
    }

    #[test]
    fn input_terms_lose_noise() {
        for junk in [
            "ANZEIGE",
            "Hier",
            "»Themen Übersicht",
            "[NAME]",
            "ems_News_PolitikInland",
            "2021",
            "example.de",
            "Example",
            "www.example.com",
            "Ein sehr langer Satz, der keine Kategorie ist, sondern Text",
        ] {
            assert_eq!(clean(junk, "de"), None, "{junk}");
        }
        // The site's name as a title's suffix is compared: with an article
        // in front, with accents its host lacks.
        let own = SiteNames::new(&["prikladzpravy.cz"]);
        for name in ["Příklad Zprávy", "Die Prikladzpravy"] {
            assert_eq!(
                clean_input_term(name, Some("cs"), Patterns::built_in(), &own),
                None,
                "{name}"
            );
        }
        assert_eq!(clean("Corona-Krise", "de").as_deref(), Some("Corona-Krise"));
        assert_eq!(clean("CORONAVIRUS", "de").as_deref(), Some("Coronavirus"));
        assert_eq!(clean("NATO", "de").as_deref(), Some("NATO"));
        assert_eq!(clean("politics", "en").as_deref(), Some("Politics"));
        assert_eq!(clean("tv", "de").as_deref(), Some("TV"));
        assert_eq!(clean("eu", "en").as_deref(), Some("EU"));
        assert_eq!(clean("öl", "de").as_deref(), Some("Öl"));
        assert_eq!(clean("Allgemein", "de"), None);
        assert_eq!(clean("news", "en"), None);
        // A site's section names are where a page stood, not what it is about.
        for section in [
            "Front Page",
            "General News",
            "general-news",
            "Local News",
            "Noticias",
            "Lokales",
            "Homepage",
            "Editor's Picks",
            "Top-Thema",
        ] {
            assert_eq!(clean(section, "en"), None, "{section}");
        }
        assert_eq!(clean("Local Elections", "en").as_deref(), Some("Local Elections"));
        // A platform, a classification level or a life span after the name
        // is not part of it; a CMS's key:value is no term at all.
        assert_eq!(
            clean("Gute Gespräche (Spotify)", "de").as_deref(),
            Some("Gute Gespräche")
        );
        assert_eq!(clean("Software (TRBC level 4)", "en").as_deref(), Some("Software"));
        assert_eq!(clean("Anna Example (1966- )", "en").as_deref(), Some("Anna Example"));
        assert_eq!(clean("Jane Doe (1942-2019)", "en").as_deref(), Some("Jane Doe"));
        assert_eq!(clean("Weltkrieg (1939)", "de").as_deref(), Some("Weltkrieg (1939)"));
        assert_eq!(clean("Essen (Stadt)", "de").as_deref(), Some("Essen (Stadt)"));
        for key in ["Type:post", "ivw:homepage", "Repository:274214725"] {
            assert_eq!(clean(key, "en"), None, "{key}");
        }
        // Under a term's key, the value is the term.
        assert_eq!(clean("tag:netzdg", "de").as_deref(), Some("Netzdg"));
        assert_eq!(clean("cat:politik", "de").as_deref(), Some("Politik"));
        assert_eq!(
            clean("WWS: Warenwirtschaft", "de").as_deref(),
            Some("WWS: Warenwirtschaft")
        );
    }

    /// What a theme prints where a field was left empty: the field's own
    /// label or a stand-in, in either language, numbered or not. A number
    /// of two digits, or a word beside the label, makes a name.
    #[test]
    fn input_terms_lose_template_placeholders() {
        for placeholder in [
            "Name",
            "name",
            "Titel",
            "Keyword",
            "Tag 1",
            "keyword2",
            "Kategorie",
            "Untitled",
            "Ohne Titel",
        ] {
            assert_eq!(clean(placeholder, "de"), None, "{placeholder}");
            assert_eq!(clean(placeholder, "en"), None, "{placeholder}");
        }
        for kept in [
            "Title 42",
            "Name der Rose",
            "Titelverteidiger",
            "Tag der Arbeit",
            "Keyword-Advertising",
        ] {
            assert_eq!(clean(kept, "de").as_deref(), Some(kept), "{kept}");
        }
    }

    /// Counts and cut pieces the input's tag lists carry.
    #[test]
    fn input_terms_lose_counts_and_fragments() {
        assert_eq!(clean("Berta Muster (341)", "de").as_deref(), Some("Berta Muster"));
        assert_eq!(clean("Wahl 2020 (611 posts)", "en").as_deref(), Some("Wahl 2020"));
        // The input cut the count before its closing parenthesis.
        assert_eq!(clean("Berta Muster (1025", "de").as_deref(), Some("Berta Muster"));
        assert_eq!(clean("Wahl 2020 (611 po", "en").as_deref(), Some("Wahl 2020"));
        for fragment in [
            "Marketing-",
            "XY&",
            "Warum das?",
            "Schönes...",
            "Öl für Gleit- und Rollenlager.",
            "Gebühren und Sätze)",
            "(12)",
        ] {
            assert_eq!(clean(fragment, "de"), None, "{fragment}");
        }
        for kept in [
            "E-Commerce (GXe)",
            "U.S.",
            "Apple Inc.",
            "NASA+",
            "Essen (Stadt)",
            "Verschleiß 50%",
            // From publisher keywords nobody tuned on (german-news-metadata):
            // initials, abbreviations and years stay.
            "Der Fall Berta F.",
            "Muster Anna Dr.",
            "Offenbach a. M.",
            "Muster, Hans H. W.",
            "Zweiter Krieg (1939)",
        ] {
            assert_eq!(clean(kept, "de").as_deref(), Some(kept), "{kept}");
        }
    }

    /// A list separated by `;` keeps the commas inside its terms; one
    /// without `;` is split at commas.
    #[test]
    fn input_lists_split_at_their_own_separator() {
        let c = Classifier::new(&[], &[]).unwrap();
        let tags = |input: &str| {
            let (_, tags, _) = c.terms("", &[input.to_string()], Some("en"), Patterns::built_in(), &[]);
            tags
        };
        assert_eq!(
            tags("Elections, Governors;Impeachment;Muster, Anna B (1970- )"),
            ["Elections, Governors", "Impeachment", "Muster, Anna B"]
        );
        assert_eq!(tags("Energie, Klima|Verkehr"), ["Energie", "Klima", "Verkehr"]);
    }

    #[test]
    fn spellings_of_one_term_share_a_key() {
        assert_eq!(term_key("Aktuell", Some("de")), term_key("Aktuelles", Some("de")));
        assert_eq!(term_key("Politik", Some("de")), term_key("Politics", Some("en")));
        assert_eq!(term_key("POLITIK", Some("de")), term_key("politik", Some("de")));
        assert_ne!(term_key("Politik", Some("de")), term_key("Polizei", Some("de")));
        let mut spellings = Spellings::default();
        spellings.learn("Aktuelles", Some("de"));
        assert_eq!(spellings.canonical("aktuell", Some("de")), "Aktuelles");
        assert_eq!(spellings.canonical("Politics", Some("en")), "Politics");
        assert_eq!(spellings.canonical("Politik", Some("de")), "Politics");
    }
}
