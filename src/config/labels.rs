//! The keys `labels` in `site.yaml` may set.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{FileError, Location, Problem, YamlProblem};

/// The words of the default theme that `labels` may set (the theme's German
/// and English words have exactly these keys; a test holds them together).
pub const LABEL_KEYS: &[&str] = &[
    "home",
    "topics",
    "tags",
    "authors",
    "archive",
    "latest",
    "page",
    "of",
    "feed",
    "articles",
    "article",
    "published",
    "updated",
    "by",
    "sources",
    "original",
    "newer",
    "older",
    "months",
    "newer_month",
    "older_month",
    "previous_page",
    "next_page",
    "pagination",
    "navigation",
    "skip",
    "not_found_title",
    "not_found_text",
    "articles_in",
    "topic",
    "tag",
    "author",
    "no_articles",
    "powered_by",
    "related",
    "search",
    "search_label",
    "search_button",
    "search_intro",
    "search_noscript",
    "search_loading",
    "search_none",
    "search_one",
    "search_many",
    "search_shown",
    "search_more",
    "search_short",
    "search_error",
];

/// Every label key that is not one of [`LABEL_KEYS`], at its line: a
/// misspelt label would be ignored, and the theme's own word shown instead.
pub(super) fn unknown(labels: &BTreeMap<String, String>, text: &str, path: &Path) -> Vec<FileError> {
    labels
        .keys()
        .filter(|k| !LABEL_KEYS.contains(&k.as_str()))
        .map(|k| {
            FileError::new(
                Location {
                    path: path.to_path_buf(),
                    line: super::line_of(text, &format!("labels.{k}")),
                },
                Problem::Yaml(YamlProblem::UnknownKey {
                    key: format!("labels.{k}"),
                    suggestion: crate::error::nearest(k, LABEL_KEYS.iter().copied()).map(|n| format!("labels.{n}")),
                }),
            )
        })
        .collect()
}
