//! `blatt retag`: the site's current topic and tag rules applied again to the
//! articles in `content/`, after a rule was added, changed or removed.
//!
//! Import lists the terms the rules gave an article under `extra.rule_terms`.
//! Retag adds what the rules give now and takes away only listed terms the
//! rules no longer give; a term not in the list (added by an editor, or taken
//! from the input's own categories) is never removed. An article without the
//! list (written by hand, or imported before blatt kept it) loses nothing.
//! Only articles whose terms change are written, with the serialiser import
//! uses, each complete or not at all.

use std::collections::HashSet;
use std::path::PathBuf;

use serde_yaml::Value;

use crate::config::{FILE_NAME, Site};
use crate::content::{Article, FrontMatter, Rules, load_dir, markdown};
use crate::error::{Error, FileError, InputProblem, Location, Problem};
use crate::import::compose::RULE_TERMS;
use crate::import::terms::Classifier;

/// Which list of the front matter a term is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Topic,
    Tag,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Topic => "topic",
            Kind::Tag => "tag",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What retag changes in one article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    pub path: PathBuf,
    pub added: Vec<(Kind, String)>,
    pub removed: Vec<(Kind, String)>,
}

impl std::fmt::Display for Change {
    /// `+topic Energiewende, -tag Kiew`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let added = self.added.iter().map(|(k, t)| format!("+{k} {t}"));
        let removed = self.removed.iter().map(|(k, t)| format!("-{k} {t}"));
        f.write_str(&added.chain(removed).collect::<Vec<_>>().join(", "))
    }
}

#[derive(Debug, Default)]
pub struct RetagReport {
    /// Articles read.
    pub articles: usize,
    pub changes: Vec<Change>,
    pub errors: Vec<FileError>,
    pub warnings: Vec<FileError>,
}

/// The terms the rules gave `front`, as import or an earlier retag listed them.
pub fn rule_made(front: &FrontMatter) -> HashSet<String> {
    match front.extra.get(RULE_TERMS) {
        Some(Value::Sequence(list)) => list.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        _ => HashSet::new(),
    }
}

/// The text the rules read: kicker, title and body as a reader sees them,
/// as import reads the cleaned article.
pub fn rule_text(article: &Article) -> String {
    let mut text = String::new();
    for part in article.front.kicker.iter().chain(std::iter::once(&article.front.title)) {
        text.push_str(part);
        text.push('\n');
    }
    text.push_str(&markdown::to_text(&article.body));
    text
}

/// Applies the rules to one article in memory; `None` when its terms stay.
/// `warnings` gets the terms left out because a list is full.
pub fn retag(
    article: &mut Article,
    classifier: &Classifier,
    max_terms: usize,
    warnings: &mut Vec<InputProblem>,
) -> Option<Change> {
    let (topics_now, tags_now) = classifier.classify(&rule_text(article));
    let made = rule_made(&article.front);
    let mut change = Change {
        path: article.path.clone(),
        ..Change::default()
    };
    let front = &mut article.front;
    let mut record = Vec::new();
    for (kind, list, now) in [
        (Kind::Topic, &mut front.topics, &topics_now),
        (Kind::Tag, &mut front.tags, &tags_now),
    ] {
        list.retain(|t| {
            let keep = !made.contains(t) || now.contains(t);
            if !keep {
                change.removed.push((kind, t.clone()));
            }
            keep
        });
        for term in now {
            // An editor's `nato` is the rule's `NATO`: present, and the editor's.
            if list.iter().any(|t| t.to_lowercase() == term.to_lowercase()) {
                continue;
            }
            if list.len() >= max_terms {
                warnings.push(InputProblem::TermLeftOut {
                    max: max_terms,
                    kind: kind.name(),
                    term: term.clone(),
                });
                continue;
            }
            list.push(term.clone());
            change.added.push((kind, term.clone()));
        }
        record.extend(
            list.iter()
                .filter(|t| now.contains(t) && (made.contains(*t) || change.added.contains(&(kind, (*t).clone()))))
                .map(|t| Value::from(t.as_str())),
        );
    }
    if change.added.is_empty() && change.removed.is_empty() {
        return None;
    }
    if record.is_empty() {
        front.extra.remove(RULE_TERMS);
    } else {
        front.extra.insert(Value::from(RULE_TERMS), Value::Sequence(record));
    }
    Some(change)
}

/// Retags every article of the site; writes nothing when `dry_run`.
pub fn run(site: &Site, dry_run: bool) -> Result<RetagReport, Error> {
    let config = &site.config;
    let classifier = Classifier::new(&config.topics, &config.tags).map_err(|e| {
        Error::File(FileError::new(
            Location::file(site.root.join(FILE_NAME)),
            Problem::Input(InputProblem::BadRules(e.to_string())),
        ))
    })?;
    let rules = Rules::of(config);
    let loaded = load_dir(&site.content_dir(), &rules);
    let mut report = RetagReport {
        articles: loaded.articles.len(),
        errors: loaded.errors,
        ..RetagReport::default()
    };
    let mut articles = loaded.articles;
    articles.sort_by(|a, b| a.path.cmp(&b.path));
    for mut article in articles {
        let mut warnings = Vec::new();
        let change = retag(&mut article, &classifier, config.content.max_terms, &mut warnings);
        for w in warnings {
            report
                .warnings
                .push(FileError::new(Location::file(&article.path), Problem::Input(w)));
        }
        let Some(change) = change else { continue };
        if !dry_run {
            if let Err(problem) = super::place::write(&article.path, &article.to_file_string()) {
                report
                    .errors
                    .push(FileError::new(Location::file(&article.path), problem));
                continue;
            }
        }
        report.changes.push(change);
    }
    Ok(report)
}
