//! Cleaning patterns as data: built-in German and English defaults
//! (`patterns.yaml`, embedded in the binary) plus what a site adds.

use std::collections::HashSet;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

pub use crate::config::PatternData;
use crate::import::prefilter;

const BUILT_IN: &str = include_str!("patterns.yaml");

impl PatternData {
    /// The defaults shipped with blatt.
    pub fn built_in() -> &'static PatternData {
        static DATA: OnceLock<PatternData> = OnceLock::new();
        DATA.get_or_init(|| serde_yaml::from_str(BUILT_IN).expect("built-in patterns.yaml is valid"))
    }

    /// These patterns with `more` appended, list by list.
    pub fn extended(&self, more: &PatternData) -> PatternData {
        let mut out = self.clone();
        for (rule, patterns) in &more.drop {
            out.drop
                .entry(rule.clone())
                .or_default()
                .extend(patterns.iter().cloned());
        }
        out.end_markers.extend(more.end_markers.iter().cloned());
        out.playlist_intro.extend(more.playlist_intro.iter().cloned());
        out.strip_prefix.extend(more.strip_prefix.iter().cloned());
        out.strip_inline.extend(more.strip_inline.iter().cloned());
        out.agencies.extend(more.agencies.iter().cloned());
        out.not_authors.extend(more.not_authors.iter().cloned());
        out.author_prefixes.extend(more.author_prefixes.iter().cloned());
        out.not_author_words.extend(more.not_author_words.iter().cloned());
        out.name_particles.extend(more.name_particles.iter().cloned());
        out.generic_terms.extend(more.generic_terms.iter().cloned());
        out.camel_case_names.extend(more.camel_case_names.iter().cloned());
        out.glued_teaser_words.extend(more.glued_teaser_words.iter().cloned());
        out.reader_voice.extend(more.reader_voice.iter().cloned());
        out.reader_opinion.extend(more.reader_opinion.iter().cloned());
        out.first_person.extend(more.first_person.iter().cloned());
        out.open_ending_words.extend(more.open_ending_words.iter().cloned());
        out
    }
}

/// A pattern that does not compile, with the list it is in.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("import.patterns.{list}: invalid pattern `{pattern}`: {message}")]
pub struct PatternError {
    pub list: String,
    pub pattern: String,
    pub message: String,
}

/// Compiled patterns, built once per import run.
#[derive(Debug, Clone)]
pub struct Patterns {
    drop_set: LineSet,
    drop_rules: Vec<String>,
    end_markers: LineSet,
    playlist_intro: LineSet,
    strip_prefix: LineSet,
    strip_inline: Option<LazyRegex>,
    pub(crate) agencies: Vec<String>,
    not_authors: HashSet<String>,
    /// Lower case, longest first.
    pub(crate) author_prefixes: Vec<String>,
    not_author_words: HashSet<String>,
    name_particles: HashSet<String>,
    generic_terms: HashSet<String>,
    pub(crate) camel_case_names: Vec<String>,
    glued_teaser_words: HashSet<String>,
    reader_voice: Option<LazyRegex>,
    reader_opinion: Option<LazyRegex>,
    first_person: HashSet<String>,
    open_ending_words: HashSet<String>,
}

/// How a section name is compared: in any case, and alike however its
/// words are joined (`General-news`, `general_news`, `General News`;
/// `Editor's Pick`, `Editors Pick`), as CMSs write one label in each way.
fn generic_key(term: &str) -> String {
    let joined: String = term
        .chars()
        .filter(|c| !matches!(c, '\'' | '’'))
        .map(|c| if matches!(c, '-' | '_') { ' ' } else { c })
        .collect();
    joined.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Bounded repetitions of `.` (`.{0,200}`, which keep a rule to short
/// lines) make large automata once Unicode-aware; allow them the room.
fn build_regex(source: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(source)
        .size_limit(256 * 1024 * 1024)
        .dfa_size_limit(64 * 1024 * 1024)
        .build()
}

/// A regex compiled the first time a line needs it. Compiling the whole
/// built-in list took a quarter of a second, more than a small import
/// takes in all; most patterns are never needed by a given run.
#[derive(Debug, Clone)]
struct LazyRegex {
    source: String,
    compiled: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    fn new(source: String) -> LazyRegex {
        LazyRegex {
            source,
            compiled: OnceLock::new(),
        }
    }

    fn try_get(&self) -> Option<&Regex> {
        self.compiled.get_or_init(|| build_regex(&self.source).ok()).as_ref()
    }

    /// For a pattern that was checked: built-ins by `every_built_in_compiles`,
    /// a site's own when its site.yaml is read (`Patterns::for_site`).
    fn get(&self) -> &Regex {
        self.try_get().expect("pattern was checked when the list was compiled")
    }
}

/// A pattern behind cheap tests that every line it matches passes: the
/// strings it needs (see [`prefilter`]), the line's length in bytes, and a
/// relaxed form without long counted repetitions, whose automaton is a
/// fraction of the size (`\d{4,5} [\p{Lu}][\p{L}.-]{2,30}` took 5 ms to
/// compile, more than the rest of a small import).
#[derive(Debug, Clone)]
struct Guarded {
    /// Ids of string sets (in the owning [`LineSet`]), each needed.
    sets: Vec<usize>,
    /// The shortest and longest match, in characters (case variants differ
    /// in bytes: `ſ` and `s`).
    min_chars: usize,
    max_chars: Option<usize>,
    relaxed: Option<LazyRegex>,
    exact: LazyRegex,
}

impl Guarded {
    /// `whole_line`: the pattern is anchored at both ends, so the line's
    /// length is the match's.
    fn new(
        pattern: &str,
        make_source: fn(&str) -> String,
        whole_line: bool,
        literals: &mut Vec<String>,
        set_of: &mut Vec<Vec<usize>>,
        sets: &mut usize,
    ) -> Guarded {
        // Parsed as written, without the `(?i)` that the source adds: case
        // folding every Unicode class costs more than the rest of the
        // analysis, and the guards compare lower-cased text anyway.
        let hir = regex_syntax::parse(pattern).ok();
        let mut ids = Vec::new();
        for set in hir.as_ref().map(prefilter::required).unwrap_or_default() {
            let id = *sets;
            *sets += 1;
            ids.push(id);
            for s in set {
                match literals.iter().position(|l| *l == s) {
                    Some(k) => set_of[k].push(id),
                    None => {
                        literals.push(s);
                        set_of.push(vec![id]);
                    }
                }
            }
        }
        let (min_chars, max_chars) = hir.as_ref().map_or((0, None), prefilter::char_lengths);
        Guarded {
            sets: ids,
            min_chars,
            max_chars: max_chars.filter(|_| whole_line),
            relaxed: prefilter::relaxed(pattern).map(|r| LazyRegex::new(make_source(&r))),
            exact: LazyRegex::new(make_source(pattern)),
        }
    }

    /// Whether the cheap tests let `line` through; `hits` says which sets
    /// have a string in it.
    fn admits(&self, line: &str, chars: usize, hits: &[bool]) -> bool {
        chars >= self.min_chars
            && self.max_chars.is_none_or(|max| chars <= max)
            && self.sets.iter().all(|&s| hits[s])
            // A relaxed form that does not compile guards nothing.
            && self.relaxed.as_ref().and_then(LazyRegex::try_get).is_none_or(|r| r.is_match(line))
    }
}

/// Patterns that share one Aho-Corasick pass over a line, which finds the
/// strings each of them needs.
#[derive(Debug, Clone)]
struct LineSet {
    patterns: Vec<Guarded>,
    prefilter: AhoCorasick,
    /// For each prefilter string, the sets it belongs to.
    set_of: Vec<Vec<usize>>,
    sets: usize,
}

impl LineSet {
    /// `patterns` must have been checked; `source` makes each a regex.
    fn new(patterns: &[String], source: fn(&str) -> String, whole_line: bool) -> LineSet {
        let mut literals = Vec::new();
        let mut set_of = Vec::new();
        let mut sets = 0;
        let patterns = patterns
            .iter()
            .map(|p| Guarded::new(p, source, whole_line, &mut literals, &mut set_of, &mut sets))
            .collect();
        LineSet {
            patterns,
            prefilter: AhoCorasick::new(&literals).expect("a few hundred short literals build"),
            set_of,
            sets,
        }
    }

    /// The line's length in characters and which string sets it has a
    /// string of.
    fn scan(&self, line: &str) -> (usize, Vec<bool>) {
        let mut hits = vec![false; self.sets];
        if self.sets > 0 {
            for m in self.prefilter.find_overlapping_iter(&prefilter::lower(line)) {
                for &s in &self.set_of[m.pattern().as_usize()] {
                    hits[s] = true;
                }
            }
        }
        (line.chars().count(), hits)
    }

    /// The index of the first pattern that matches the line.
    fn first_match(&self, line: &str) -> Option<usize> {
        let (chars, hits) = self.scan(line);
        self.patterns
            .iter()
            .position(|p| p.admits(line, chars, &hits) && p.exact.get().is_match(line))
    }

    fn is_match(&self, line: &str) -> bool {
        self.first_match(line).is_some()
    }

    /// The first match of each pattern that matches, in order.
    fn find_each<'a>(&'a self, line: &'a str) -> impl Iterator<Item = regex::Match<'a>> + 'a {
        let (chars, hits) = self.scan(line);
        self.patterns
            .iter()
            .filter(move |p| p.admits(line, chars, &hits))
            .filter_map(move |p| p.exact.get().find(line))
    }
}

/// Whether `source`, made from `pattern`, compiles; the error names it.
fn check(list: &str, pattern: &str, source: &str) -> Result<(), PatternError> {
    build_regex(source).map(|_| ()).map_err(|e| PatternError {
        list: list.to_string(),
        pattern: pattern.to_string(),
        message: e.to_string().lines().last().unwrap_or_default().trim().to_string(),
    })
}

/// The regex source of each kind of pattern.
fn whole_line(pattern: &str) -> String {
    format!("(?i)^(?:{pattern})$")
}

fn line_start(pattern: &str) -> String {
    format!("(?i)^(?:{pattern})")
}

/// Any of `patterns`, case as written.
fn any_of(patterns: &[String]) -> Option<String> {
    let joined: Vec<String> = patterns.iter().map(|p| format!("(?:{p})")).collect();
    (!patterns.is_empty()).then(|| joined.join("|"))
}

fn inline(patterns: &[String]) -> Option<String> {
    if patterns.is_empty() {
        return None;
    }
    let joined: Vec<String> = patterns.iter().map(|p| format!("(?:{p})")).collect();
    Some(format!("(?i){}", joined.join("|")))
}

impl PatternData {
    /// Compiles every pattern once, alone, so that an error names the one
    /// bad pattern and the list it is in.
    fn check(&self) -> Result<(), PatternError> {
        let drop = self
            .drop
            .iter()
            .flat_map(|(rule, ps)| ps.iter().map(move |p| (format!("drop.{rule}"), p, whole_line(p))));
        let lists = [
            ("end_markers", &self.end_markers),
            ("playlist_intro", &self.playlist_intro),
        ];
        let lines = lists
            .into_iter()
            .flat_map(|(list, ps)| ps.iter().map(move |p| (list.to_string(), p, whole_line(p))));
        let prefixes = self
            .strip_prefix
            .iter()
            .map(|p| ("strip_prefix".to_string(), p, line_start(p)));
        let inlines = self
            .strip_inline
            .iter()
            .map(|p| ("strip_inline".to_string(), p, format!("(?i){p}")));
        let voices = [
            ("reader_voice", &self.reader_voice),
            ("reader_opinion", &self.reader_opinion),
        ]
        .into_iter()
        .flat_map(|(list, ps)| ps.iter().map(move |p| (list.to_string(), p, p.clone())));
        for (list, pattern, source) in drop.chain(lines).chain(prefixes).chain(inlines).chain(voices) {
            check(&list, pattern, &source)?;
        }
        Ok(())
    }
}

impl Patterns {
    /// Checks and compiles `data`.
    pub fn compile(data: &PatternData) -> Result<Patterns, PatternError> {
        data.check()?;
        Ok(Patterns::assemble(data))
    }

    /// The patterns of `data`, each compiled when first needed: they must
    /// have been checked.
    fn assemble(data: &PatternData) -> Patterns {
        let mut drop_patterns = Vec::new();
        let mut drop_rules = Vec::new();
        for (rule, patterns) in &data.drop {
            for p in patterns {
                drop_patterns.push(p.clone());
                drop_rules.push(rule.clone());
            }
        }
        Patterns {
            drop_set: LineSet::new(&drop_patterns, whole_line, true),
            drop_rules,
            end_markers: LineSet::new(&data.end_markers, whole_line, true),
            playlist_intro: LineSet::new(&data.playlist_intro, whole_line, true),
            strip_prefix: LineSet::new(&data.strip_prefix, line_start, false),
            strip_inline: inline(&data.strip_inline).map(LazyRegex::new),
            agencies: data.agencies.clone(),
            not_authors: data.not_authors.iter().map(|s| s.to_lowercase()).collect(),
            author_prefixes: {
                let mut p: Vec<String> = data.author_prefixes.iter().map(|s| s.to_lowercase()).collect();
                p.sort_by_key(|s| std::cmp::Reverse(s.len()));
                p
            },
            not_author_words: data.not_author_words.iter().map(|s| s.to_lowercase()).collect(),
            name_particles: data.name_particles.iter().map(|s| s.to_lowercase()).collect(),
            generic_terms: data.generic_terms.iter().map(|s| generic_key(s)).collect(),
            camel_case_names: data.camel_case_names.clone(),
            glued_teaser_words: data.glued_teaser_words.iter().cloned().collect(),
            reader_voice: any_of(&data.reader_voice).map(LazyRegex::new),
            reader_opinion: any_of(&data.reader_opinion).map(LazyRegex::new),
            first_person: data.first_person.iter().map(|s| s.to_lowercase()).collect(),
            open_ending_words: data.open_ending_words.iter().cloned().collect(),
        }
    }

    /// The built-in patterns extended by a site's; the site's own are
    /// checked, and the shared built-in set is used when it adds nothing.
    pub fn for_site(more: &PatternData) -> Result<std::borrow::Cow<'static, Patterns>, PatternError> {
        if *more == PatternData::default() {
            return Ok(std::borrow::Cow::Borrowed(Patterns::built_in()));
        }
        more.check()?;
        Ok(std::borrow::Cow::Owned(Patterns::assemble(
            &PatternData::built_in().extended(more),
        )))
    }

    /// The built-in patterns, once per process (`built_ins_compile` proves
    /// that each of them compiles).
    pub fn built_in() -> &'static Patterns {
        static COMPILED: OnceLock<Patterns> = OnceLock::new();
        COMPILED.get_or_init(|| Patterns::assemble(PatternData::built_in()))
    }

    /// The name of the first drop rule that matches the whole line.
    pub fn drop_rule(&self, line: &str) -> Option<&str> {
        self.drop_set.first_match(line).map(|i| self.drop_rules[i].as_str())
    }

    pub fn is_end_marker(&self, line: &str) -> bool {
        self.end_markers.is_match(line)
    }

    pub fn is_playlist_intro(&self, line: &str) -> bool {
        self.playlist_intro.is_match(line)
    }

    /// The line without a glued prefix such as a photo credit, and the prefix.
    pub fn strip_prefix<'a>(&self, line: &'a str) -> Option<(&'a str, &'a str)> {
        for m in self.strip_prefix.find_each(line) {
            // A prefix pattern may end by peeking at the next letter; keep that letter.
            let mut end = m.end();
            if !m.as_str().ends_with(' ') {
                if let Some((i, _)) = line[..end].char_indices().last() {
                    if line[i..end].chars().all(char::is_uppercase) {
                        end = i;
                    }
                }
            }
            let rest = line[end..].trim_start();
            if !rest.is_empty() {
                return Some((&line[..end], rest));
            }
        }
        None
    }

    /// The line with inline chrome removed, if there was any.
    pub fn strip_inline(&self, line: &str) -> Option<String> {
        let re = self.strip_inline.as_ref()?.get();
        if !re.is_match(line) {
            return None;
        }
        Some(crate::import::normalize::line(&re.replace_all(line, "")))
    }

    /// The agency's name as the list spells it, if `word` is a known agency.
    pub fn agency(&self, word: &str) -> Option<&str> {
        self.agencies
            .iter()
            .find(|a| a.eq_ignore_ascii_case(word))
            .map(String::as_str)
    }

    pub fn is_not_author(&self, word: &str) -> bool {
        self.not_authors.contains(&word.to_lowercase())
    }

    /// A word that marks a credit part as not a person (any case).
    pub fn is_not_author_word(&self, word: &str) -> bool {
        self.not_author_words.contains(&word.to_lowercase())
    }

    /// A compound that ends in such a word of five letters or more
    /// (`Jdadmin`, `Wordpressadmin`, `Stadtredaktion`): an account or a
    /// desk, not a person. Shorter words end too many names (`-team`).
    pub fn ends_with_not_author_word(&self, word: &str) -> bool {
        let lower = word.to_lowercase();
        self.not_author_words
            .iter()
            .any(|w| w.chars().count() >= 5 && lower.len() > w.len() && lower.ends_with(w.as_str()))
    }

    /// A section name or CMS default (`Allgemein`, `News`), not a term.
    /// A placeholder numbered by the theme (`Tag 1`, `keyword2`) is its
    /// word; two digits are a name's own (`Title 42`).
    pub fn is_generic_term(&self, term: &str) -> bool {
        let lower = generic_key(term);
        let numbered = lower
            .strip_suffix(|c: char| c.is_ascii_digit())
            .filter(|w| !w.ends_with(|c: char| c.is_ascii_digit()))
            .map(|w| w.trim_end_matches([' ', '_', '-']));
        self.generic_terms.contains(&lower) || numbered.is_some_and(|w| self.generic_terms.contains(w))
    }

    pub fn is_name_particle(&self, word: &str) -> bool {
        self.name_particles.contains(word)
    }

    pub fn is_glued_teaser_word(&self, word: &str) -> bool {
        self.glued_teaser_words.contains(word)
    }

    /// Whether `line` speaks as a reader by one of `reader_voice`, or by
    /// one of `reader_opinion` when `quoted` is false.
    pub fn reader_voice(&self, line: &str, quoted: bool) -> bool {
        let matches = |re: &Option<LazyRegex>| re.as_ref().is_some_and(|r| r.get().is_match(line));
        matches(&self.reader_voice) || (!quoted && matches(&self.reader_opinion))
    }

    /// Whether `line` ends in a word no headline ends with (an article, a
    /// conjunction, a preposition that is no verb particle): a line cut
    /// short, such as a byline whose date was lost.
    pub fn ends_open(&self, line: &str) -> bool {
        line.split_whitespace()
            .next_back()
            .is_some_and(|w| self.open_ending_words.contains(w))
    }

    pub fn is_first_person(&self, word: &str) -> bool {
        self.first_person.contains(&word.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_ins_compile() {
        let p = Patterns::built_in();
        assert_eq!(
            p.drop_rule("Lese-Tipp: Habeck will die Ukraine mit Wirtschaftshilfen befrieden"),
            Some("reading_tip")
        );
        assert_eq!(
            p.drop_rule("Im Video: Die wichtigsten Fragen zum Ukraine-Konflikt"),
            Some("embed")
        );
        assert_eq!(p.drop_rule("Russland-Expertin: Russen wollen keinen Krieg"), None);
    }

    /// A reading tip in brackets is one still, in any of the languages
    /// listed; a bracketed aside inside a sentence is text.
    #[test]
    fn bracketed_reading_tips_and_newsletter_pitches_are_chrome() {
        let p = Patterns::built_in();
        for line in [
            "(Lesen Sie auch: Der Streit um den Windpark geht weiter)",
            "[Mehr zum Thema: Windkraft im Landkreis]",
            "(Leggi anche su: Un altro articolo della redazione –FOTO)",
            "(Lire aussi : La réforme des retraites)",
        ] {
            assert_eq!(p.drop_rule(line), Some("reading_tip"), "{line}");
        }
        assert_eq!(
            p.drop_rule("You can also subscribe to this newsletter here — just tick the box."),
            Some("promo")
        );
        for line in [
            "Der Gemeinderat (siehe auch: Seite 3) hat am Montag lange beraten.",
            "(Lesen Sie auch den Kommentar unseres Korrespondenten zum Ausgang der Wahl.)",
        ] {
            assert_eq!(p.drop_rule(line), None, "{line}");
        }
    }

    /// A call to follow a channel is a promo where it opens the line, a
    /// sentence or a clause; the same verb inside a writer's own sentence
    /// is text.
    #[test]
    fn follow_calls_are_promos_and_sentences_about_following_are_text() {
        let p = Patterns::built_in();
        for line in [
            "Follow Example News on Twitter",
            "Want to stay on top of the news? Follow @example on Twitter",
            "(For updates you can share with your friends, follow Example on Facebook and Twitter)",
            "Anna Example may be reached at anna@example.org. Follow her on Twitter @example.",
            "Folgen Sie Beispiel-Zeitung auf Facebook",
        ] {
            assert_eq!(p.drop_rule(line), Some("promo"), "{line}");
        }
        for line in [
            "If you follow me on Twitter (which you should), you see the polls. But why?",
            "Now if you follow me on Twitter or Facebook then you know who I like.",
            "Wer ihm auf Instagram folgt, sieht jeden Tag neue Bilder vom Hof.",
        ] {
            assert_eq!(p.drop_rule(line), None, "{line}");
        }
    }

    /// What a video player or a slideshow writes of itself: on every site
    /// that embeds one, so the rule names the players' words, not a page.
    #[test]
    fn player_and_slideshow_controls_are_chrome() {
        let p = Patterns::built_in();
        for line in [
            "- Previous",
            "- Fullscreen",
            "- Thumbnails",
            "Next",
            "Now watching",
            "Next video starts in : 7Play",
            "Please wait...",
            "Bitte warten …",
            "Unfortunately, this video is not available in your region.",
            "Dieses Video ist nicht mehr verfügbar.",
            "Nächstes Bild",
        ] {
            assert_eq!(p.drop_rule(line), Some("embed"), "{line}");
        }
        for line in [
            "Next, the council will vote on the budget.",
            "Now watching the debate: 300 residents in the town hall.",
            "Weiter geht es am Montag mit der Sitzung des Kreistags.",
            "Please wait for the official results, the mayor said.",
            "- Next year's budget: 4.2 million euros",
            "The video is available on the city's website until Friday.",
            "Zurück in die Zukunft: Die Stadt plant wieder eine Straßenbahn.",
        ] {
            assert_eq!(p.drop_rule(line), None, "{line}");
        }
    }

    #[test]
    fn every_built_in_compiles() {
        PatternData::built_in().check().unwrap();
        let p = Patterns::built_in();
        for set in [&p.drop_set, &p.end_markers, &p.playlist_intro, &p.strip_prefix] {
            for g in &set.patterns {
                g.exact.get();
                if let Some(r) = &g.relaxed {
                    assert!(r.try_get().is_some(), "{}", r.source);
                }
            }
        }
        p.strip_inline.as_ref().unwrap().get();
        p.reader_voice.as_ref().unwrap().get();
        p.reader_opinion.as_ref().unwrap().get();
    }

    /// The first rule by plain matching, every pattern compiled and tried.
    fn unguarded(set: &LineSet, line: &str) -> Option<usize> {
        set.patterns.iter().position(|g| g.exact.get().is_match(line))
    }

    /// The guards only save work: on real lines (the corpus, when it is
    /// there) and on lines made to meet the patterns' edges, every list
    /// answers as plain matching does.
    #[test]
    fn guards_never_change_an_answer() {
        let p = Patterns::built_in();
        let mut lines: Vec<String> = vec![
            "Werbung".into(),
            "WERBUNG".into(),
            "12345 Musterstadt".into(),
            "1234 Ä".into(),
            "Lesetipps: etwas".into(),
            "LESE-TIPP: x".into(),
            "Straẞe".into(),
            "ſiehe auch: x".into(),
            "—".into(),
            "Foto: ".to_string() + &"x".repeat(120),
            "Foto: ".to_string() + &"x".repeat(121),
            "Kommentare".into(),
            "#3 — vor 5 Stunden".into(),
        ];
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        for dir in ["real-txt", "real-txt-with-comments", "ground-truth-en"] {
            for entry in std::fs::read_dir(corpus.join(dir)).into_iter().flatten().flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                lines.extend(text.lines().map(crate::import::normalize::line));
            }
        }
        for line in &lines {
            assert_eq!(p.drop_set.first_match(line), unguarded(&p.drop_set, line), "{line}");
            assert_eq!(
                p.end_markers.first_match(line),
                unguarded(&p.end_markers, line),
                "{line}"
            );
            assert_eq!(
                p.playlist_intro.first_match(line),
                unguarded(&p.playlist_intro, line),
                "{line}"
            );
            let plain = p.strip_prefix.patterns.iter().find_map(|g| g.exact.get().find(line));
            let guarded = p.strip_prefix.find_each(line).next();
            assert_eq!(guarded.map(|m| m.range()), plain.map(|m| m.range()), "{line}");
        }
        if corpus.is_dir() {
            assert!(lines.len() > 1000, "only {} lines checked", lines.len());
        }
    }

    #[test]
    fn site_patterns_extend_and_bad_ones_are_named() {
        let more: PatternData = serde_yaml::from_str("drop:\n  mine: ['Folgen Sie .*']\nagencies: [XYZ]\n").unwrap();
        let data = PatternData::built_in().extended(&more);
        let p = Patterns::compile(&data).unwrap();
        assert_eq!(p.drop_rule("Folgen Sie dem Blatt"), Some("mine"));
        assert_eq!(p.agency("xyz"), Some("XYZ"));
        assert!(p.drop_rule("Lese-Tipp: x").is_some(), "built-ins stay");

        let bad: PatternData = serde_yaml::from_str("drop:\n  mine: ['(unclosed']\n").unwrap();
        let err = Patterns::compile(&PatternData::built_in().extended(&bad)).unwrap_err();
        assert_eq!(err.list, "drop.mine");
        assert_eq!(err.pattern, "(unclosed");
    }

    #[test]
    fn patterns_match_whole_lines_only() {
        let p = Patterns::built_in();
        assert_eq!(p.drop_rule("Werbung"), Some("advert"));
        assert_eq!(p.drop_rule("Die Werbung der Partei war erfolgreich."), None);
    }

    #[test]
    fn strip_prefix_keeps_the_text() {
        let p = Patterns::built_in();
        assert_eq!(
            p.strip_prefix("SilviaJansen/GettyimagesDie meisten Heime"),
            Some(("SilviaJansen/Gettyimages", "Die meisten Heime"))
        );
        assert_eq!(
            p.strip_prefix("06.11.23 - Sensation in Fulda!"),
            Some(("06.11.23 - ", "Sensation in Fulda!"))
        );
        assert_eq!(p.strip_prefix("Am 06.11.23 war Wahl."), None);
    }
}
