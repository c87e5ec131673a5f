//! Topics and tags from the keyword rules in `site.yaml`.

use regex::{Regex, RegexBuilder};

use crate::config::TermRule;

#[derive(Debug)]
struct Rule {
    name: String,
    regex: Regex,
    min_mentions: usize,
}

/// Compiled topic and tag rules.
#[derive(Debug)]
pub struct Classifier {
    topics: Vec<Rule>,
    tags: Vec<Rule>,
}

/// A keyword rule that does not compile.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{list} rule `{name}`: {message}")]
pub struct RuleError {
    pub list: &'static str,
    pub name: String,
    pub message: String,
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
            let alternatives: Vec<String> = rule
                .keywords
                .iter()
                .map(|k| match k.strip_suffix('*') {
                    Some(stem) => format!(r"{}\w*", regex::escape(stem.trim())),
                    None => regex::escape(k.trim()),
                })
                .collect();
            // `\b` is Unicode-aware and treats `-` as a boundary, so
            // `Ukraine` matches inside `Ukraine-Konflikt` but not `Ukrainer`.
            let regex = RegexBuilder::new(&format!(r"\b(?:{})\b", alternatives.join("|")))
                .case_insensitive(!rule.case_sensitive)
                .build()
                .map_err(|e| error(e.to_string()))?;
            Ok(Rule {
                name: rule.name.clone(),
                regex,
                min_mentions: rule.min_mentions.max(1),
            })
        })
        .collect()
}

fn matching(rules: &[Rule], text: &str) -> Vec<String> {
    rules
        .iter()
        .filter(|r| r.regex.find_iter(text).take(r.min_mentions).count() >= r.min_mentions)
        .map(|r| r.name.clone())
        .collect()
}

impl Classifier {
    pub fn new(topics: &[TermRule], tags: &[TermRule]) -> Result<Classifier, RuleError> {
        Ok(Classifier {
            topics: compile("topics", topics)?,
            tags: compile("tags", tags)?,
        })
    }

    /// The topics and tags whose keywords occur often enough in `text`.
    pub fn classify(&self, text: &str) -> (Vec<String>, Vec<String>) {
        (matching(&self.topics, text), matching(&self.tags, text))
    }
}

/// Terms from the input's own metadata (`categories`, `tags`), without the
/// SEO noise real extractions carry (`ems_News_PolitikInland`, duplicates).
pub fn input_terms(raw: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for term in raw.iter().flat_map(|t| t.split([',', ';', '|'])) {
        let term = crate::import::normalize::line(term);
        let looks_like_id =
            term.contains('_') || term.contains('/') || term.chars().all(|c| c.is_ascii_digit() || c == '-');
        if term.chars().count() < 2 || term.chars().count() > 40 || looks_like_id {
            continue;
        }
        if !out.iter().any(|o| o.to_lowercase() == term.to_lowercase()) {
            out.push(term);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(name: &str, keywords: &[&str], min: usize) -> TermRule {
        TermRule {
            name: name.into(),
            keywords: keywords.iter().map(|s| s.to_string()).collect(),
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
    fn case_sensitivity_is_a_choice() {
        let mut r = rule("AP", &["AP"], 1);
        r.case_sensitive = true;
        let c = Classifier::new(&[], &[r]).unwrap();
        assert!(c.classify("ap und Ap").1.is_empty());
        assert_eq!(c.classify("meldet AP").1, vec!["AP"]);
    }

    #[test]
    fn input_terms_drop_seo_noise() {
        let raw = vec!["Politik, ems_News_PolitikInland; politik, Corona-Krise, 2021".to_string()];
        assert_eq!(input_terms(&raw), vec!["Politik", "Corona-Krise"]);
    }
}
