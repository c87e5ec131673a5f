//! Measures of import quality shared by `tests/corpus.rs` (which asserts
//! them) and `tests/it/import_score.rs` (which prints them).

use std::collections::HashMap;

use blatt::import::input::RawArticle;
use blatt::import::{Importer, Overrides};
use pulldown_cmark::{Event, Parser, TagEnd};

/// A Markdown body as the plain text a reader sees, one block a line.
pub fn body_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(markdown, blatt::content::markdown::options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableRow | TagEnd::TableHead,
            ) => out.push('\n'),
            Event::End(TagEnd::TableCell) => out.push(' '),
            _ => {}
        }
    }
    out
}

/// Title, kicker, summary and body of the imported article, or nothing.
pub fn import_text(importer: &Importer, raw: &RawArticle, overrides: &Overrides) -> String {
    match importer.prepare(raw, overrides) {
        Ok((a, _, _)) => format!(
            "{}\n{}\n{}\n{}",
            a.front.kicker.clone().unwrap_or_default(),
            a.front.title,
            a.front.summary.clone().unwrap_or_default(),
            body_text(&a.body)
        ),
        Err(_) => String::new(),
    }
}

fn tokens(text: &str) -> Vec<&str> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r"\w+").unwrap())
        .find_iter(text)
        .map(|m| m.as_str())
        .collect()
}

/// The benchmark's shingles: every run of four tokens (one shingle of all
/// tokens when there are fewer), counted.
fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let t = tokens(text);
    let mut out = HashMap::new();
    if t.is_empty() {
        return out;
    }
    for i in 0..=t.len().saturating_sub(4) {
        let end = (i + 4).min(t.len());
        *out.entry(t[i..end].to_vec()).or_insert(0) += 1;
    }
    out
}

/// Precision and recall over pages as the Zyte article-extraction benchmark
/// computes them.
#[derive(Debug, Default, Clone)]
pub struct Score {
    pages: Vec<(f64, f64, f64)>,
}

impl Score {
    /// One page's true positives, false positives and false negatives,
    /// normalised to sum to one.
    pub fn tp_fp_fn(truth: &str, predicted: &str) -> (f64, f64, f64) {
        let t = shingles(truth);
        let p = shingles(predicted);
        let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
        for key in t.keys().chain(p.keys().filter(|k| !t.contains_key(*k))) {
            let a = *t.get(key).unwrap_or(&0) as f64;
            let b = *p.get(key).unwrap_or(&0) as f64;
            tp += a.min(b);
            fp += (b - a).max(0.0);
            fn_ += (a - b).max(0.0);
        }
        let s = tp + fp + fn_;
        if s > 0.0 {
            (tp / s, fp / s, fn_ / s)
        } else {
            (0.0, 0.0, 0.0)
        }
    }

    /// One page's precision, recall and F1.
    pub fn one(truth: &str, predicted: &str) -> (f64, f64, f64) {
        let mut s = Score::default();
        s.add(truth, predicted);
        s.metrics()
    }

    pub fn add(&mut self, truth: &str, predicted: &str) {
        self.pages.push(Score::tp_fp_fn(truth, predicted));
    }

    /// Adds another set's pages, as if they had been scored here.
    pub fn merge(&mut self, other: &Score) {
        self.pages.extend_from_slice(&other.pages);
    }

    pub fn pages(&self) -> usize {
        self.pages.len()
    }

    /// Mean precision, mean recall, and the F1 of those two means.
    pub fn metrics(&self) -> (f64, f64, f64) {
        let mean = |v: Vec<f64>| v.iter().sum::<f64>() / v.len().max(1) as f64;
        let precision = mean(
            self.pages
                .iter()
                .filter(|(tp, fp, _)| tp + fp > 0.0)
                .map(|&(tp, fp, fn_)| if fp == 0.0 && fn_ == 0.0 { 1.0 } else { tp / (tp + fp) })
                .collect(),
        );
        let recall = mean(
            self.pages
                .iter()
                .filter(|(tp, _, fn_)| tp + fn_ > 0.0)
                .map(|&(tp, fp, fn_)| if fp == 0.0 && fn_ == 0.0 { 1.0 } else { tp / (tp + fn_) })
                .collect(),
        );
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        (precision, recall, f1)
    }
}

/// Splits running text into sentences: after `.`, `!` or `?` (and closing
/// quotes) followed by a space and a capital, unless the word ending in the
/// full stop is a number or an abbreviation (`1.`, `Dr.`, `z.B.`).
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for k in 0..chars.len() {
        let (pos, c) = chars[k];
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let mut j = k + 1;
        while j < chars.len() && matches!(chars[j].1, '"' | '“' | '”' | '»' | '«' | ')') {
            j += 1;
        }
        if j + 1 >= chars.len() || chars[j].1 != ' ' || !chars[j + 1].1.is_uppercase() {
            continue;
        }
        if c == '.' {
            let word: String = text[start..pos]
                .chars()
                .rev()
                .take_while(|c| !c.is_whitespace())
                .collect();
            let letters = word.chars().filter(|c| c.is_alphabetic()).count();
            if word.chars().all(|c| c.is_ascii_digit()) || letters <= 3 || word.contains('.') {
                continue;
            }
        }
        let end = chars[j].0;
        out.push(text[start..end].trim().to_string());
        start = end;
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

/// The 10kGNAD test split as raw articles with `per_line` sentences on each
/// line. The data has no titles; each gets a neutral one that no line repeats.
pub fn gnad_articles(jsonl: &str, per_line: usize) -> Vec<RawArticle> {
    jsonl
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = v["text"].as_str().unwrap();
            let lines = sentences(text)
                .chunks(per_line)
                .enumerate()
                .map(|(n, s)| (n + 2, s.join(" ")))
                .collect();
            RawArticle {
                origin: blatt::Location::line("10kGNAD/test.jsonl", i + 1),
                title: format!("Meldung {} aus dem Ressort {}", i + 1, v["label"].as_str().unwrap()),
                lines,
                ..RawArticle::default()
            }
        })
        .collect()
}

/// Body lines of 10kGNAD (all real article text) that import dropped as
/// chrome, by rule; a line joined to the one before is kept, not dropped.
/// The data set has a few stubs (a sub-headline and `Der Volltext … steht
/// … nicht mehr zur Verfügung`): those are refused, and counted apart.
pub struct Drops {
    pub lines: usize,
    pub dropped: Vec<(String, String)>,
    pub stubs: Vec<String>,
}

pub fn gnad_drops(importer: &Importer, raws: &[RawArticle], overrides: &Overrides) -> Drops {
    let mut drops = Drops {
        lines: 0,
        dropped: Vec::new(),
        stubs: Vec::new(),
    };
    for raw in raws {
        let result = importer.prepare(raw, overrides);
        if let Err(e) = &result {
            if e.to_string().contains("has no article text") {
                drops.stubs.push(e.to_string());
                continue;
            }
        }
        drops.lines += raw.lines.len();
        match result {
            Ok((_, dropped, _)) => {
                for d in dropped.into_iter().filter(|d| d.rule != "joined_with_previous_line") {
                    drops
                        .dropped
                        .push((format!("{}:{} {}", raw.origin, d.line, d.rule), d.text));
                }
            }
            Err(e) => {
                for (n, l) in &raw.lines {
                    drops.dropped.push((format!("{}:{n} {e}", raw.origin), l.clone()));
                }
            }
        }
    }
    drops
}
