//! Cleaning patterns as data: built-in German and English defaults
//! (`patterns.yaml`, embedded in the binary) plus what a site adds.

use std::collections::HashSet;
use std::sync::OnceLock;

use regex::{Regex, RegexSet};

pub use crate::config::PatternData;

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
        out.camel_case_names.extend(more.camel_case_names.iter().cloned());
        out.glued_teaser_words.extend(more.glued_teaser_words.iter().cloned());
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
    drop_set: RegexSet,
    drop_rules: Vec<String>,
    end_markers: RegexSet,
    playlist_intro: RegexSet,
    strip_prefix: Vec<Regex>,
    strip_inline: Option<Regex>,
    agencies: Vec<String>,
    not_authors: HashSet<String>,
    pub(crate) camel_case_names: Vec<String>,
    glued_teaser_words: HashSet<String>,
}

fn anchored(list: &str, pattern: &str) -> Result<String, PatternError> {
    let full = format!("(?i)^(?:{pattern})$");
    // Compile alone first so that an error names the one bad pattern.
    Regex::new(&full).map_err(|e| PatternError {
        list: list.to_string(),
        pattern: pattern.to_string(),
        message: e.to_string().lines().last().unwrap_or_default().trim().to_string(),
    })?;
    Ok(full)
}

/// Bounded repetitions of `.` (`.{0,200}`, which keep a rule to short
/// lines) make large automata once Unicode-aware; allow them the room.
fn set_builder(patterns: &[String]) -> Result<RegexSet, regex::Error> {
    regex::RegexSetBuilder::new(patterns)
        .size_limit(256 * 1024 * 1024)
        .dfa_size_limit(64 * 1024 * 1024)
        .build()
}

fn set(list: &str, patterns: &[String]) -> Result<RegexSet, PatternError> {
    let anchored: Vec<String> = patterns.iter().map(|p| anchored(list, p)).collect::<Result<_, _>>()?;
    set_builder(&anchored).map_err(|e| PatternError {
        list: list.to_string(),
        pattern: String::new(),
        message: e.to_string(),
    })
}

impl Patterns {
    pub fn compile(data: &PatternData) -> Result<Patterns, PatternError> {
        let mut drop_patterns = Vec::new();
        let mut drop_rules = Vec::new();
        for (rule, patterns) in &data.drop {
            for p in patterns {
                drop_patterns.push(anchored(&format!("drop.{rule}"), p)?);
                drop_rules.push(rule.clone());
            }
        }
        let drop_set = set_builder(&drop_patterns).map_err(|e| PatternError {
            list: "drop".into(),
            pattern: String::new(),
            message: e.to_string(),
        })?;
        let strip_prefix = data
            .strip_prefix
            .iter()
            .map(|p| {
                Regex::new(&format!("(?i)^(?:{p})")).map_err(|e| PatternError {
                    list: "strip_prefix".into(),
                    pattern: p.clone(),
                    message: e.to_string(),
                })
            })
            .collect::<Result<_, _>>()?;
        let strip_inline = if data.strip_inline.is_empty() {
            None
        } else {
            for p in &data.strip_inline {
                Regex::new(p).map_err(|e| PatternError {
                    list: "strip_inline".into(),
                    pattern: p.clone(),
                    message: e.to_string(),
                })?;
            }
            let joined = data
                .strip_inline
                .iter()
                .map(|p| format!("(?:{p})"))
                .collect::<Vec<_>>()
                .join("|");
            Some(Regex::new(&format!("(?i){joined}")).expect("each part compiled"))
        };
        Ok(Patterns {
            drop_set,
            strip_inline,
            drop_rules,
            end_markers: set("end_markers", &data.end_markers)?,
            playlist_intro: set("playlist_intro", &data.playlist_intro)?,
            strip_prefix,
            agencies: data.agencies.clone(),
            not_authors: data.not_authors.iter().map(|s| s.to_lowercase()).collect(),
            camel_case_names: data.camel_case_names.clone(),
            glued_teaser_words: data.glued_teaser_words.iter().cloned().collect(),
        })
    }

    /// The built-in patterns extended by a site's; compiling is skipped
    /// (and the shared built-in set used) when the site adds nothing.
    pub fn for_site(more: &PatternData) -> Result<std::borrow::Cow<'static, Patterns>, PatternError> {
        if *more == PatternData::default() {
            return Ok(std::borrow::Cow::Borrowed(Patterns::built_in()));
        }
        Patterns::compile(&PatternData::built_in().extended(more)).map(std::borrow::Cow::Owned)
    }

    /// The built-in patterns, compiled once per process.
    pub fn built_in() -> &'static Patterns {
        static COMPILED: OnceLock<Patterns> = OnceLock::new();
        COMPILED.get_or_init(|| Patterns::compile(PatternData::built_in()).expect("built-in patterns compile"))
    }

    /// The name of the first drop rule that matches the whole line.
    pub fn drop_rule(&self, line: &str) -> Option<&str> {
        self.drop_set
            .matches(line)
            .iter()
            .next()
            .map(|i| self.drop_rules[i].as_str())
    }

    pub fn is_end_marker(&self, line: &str) -> bool {
        self.end_markers.is_match(line)
    }

    pub fn is_playlist_intro(&self, line: &str) -> bool {
        self.playlist_intro.is_match(line)
    }

    /// The line without a glued prefix such as a photo credit, and the prefix.
    pub fn strip_prefix<'a>(&self, line: &'a str) -> Option<(&'a str, &'a str)> {
        for re in &self.strip_prefix {
            if let Some(m) = re.find(line) {
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
        }
        None
    }

    /// The line with inline chrome removed, if there was any.
    pub fn strip_inline(&self, line: &str) -> Option<String> {
        let re = self.strip_inline.as_ref()?;
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

    pub fn is_glued_teaser_word(&self, word: &str) -> bool {
        self.glued_teaser_words.contains(word)
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
