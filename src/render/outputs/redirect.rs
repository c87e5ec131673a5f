//! Redirect pages: an article's old URLs lead to its page. Each is a small
//! HTML page with a meta refresh, `rel=canonical` and a plain link (for
//! readers and crawlers without the refresh), marked `noindex` and listed
//! in no sitemap, feed or search index. Its old URLs are the article's
//! `aliases:` and, when a build moves a published article (a corrected
//! slug or date), the URLs it had before ([`Moved`]).
//!
//! A redirect never replaces a real page: an alias where the build has a
//! page is an error; a remembered URL that a new page now takes is dropped.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::error::{FileError, Location, Problem, YamlProblem};
use crate::render::outputs::{Output, Rendered, Scope, Signatures};
use crate::render::page::PageRenderer;
use crate::site::output_file;

/// An old URL of an article.
pub struct Redirect {
    /// Site path: `2021/12/alter-name/`.
    pub from: String,
    /// The entry it leads to.
    pub to: usize,
    /// From the site's history (a URL the article had), not an alias.
    pub remembered: bool,
}

/// URLs that published articles had in earlier builds, by the article's
/// file: what the build state remembers.
#[derive(Debug, Clone, Default)]
pub struct Moved {
    pub urls: Vec<(String, PathBuf)>,
}

/// What the redirects of a build are, and what became of the remembered ones.
pub struct Redirects {
    redirects: Vec<Redirect>,
    /// Aliases that cannot be written.
    problems: Vec<FileError>,
    /// Remembered URLs kept, as (from, article file): the state of the next build.
    pub kept: Vec<(String, PathBuf)>,
    /// Remembered URLs that a page of this build took.
    pub dropped: Vec<String>,
}

impl Redirects {
    /// The redirects an edit renders again: a date edit into another
    /// month leaves one at the article's old address (whose page took the
    /// redirect's place, so no other page is there) and leads the others
    /// to the new one, and a new title shows on each redirect to the
    /// article. Each is one the last build wrote where no page is.
    pub fn of_edits(redirects: Vec<Redirect>) -> Redirects {
        Redirects {
            redirects,
            problems: Vec::new(),
            kept: Vec::new(),
            dropped: Vec::new(),
        }
    }

    /// The redirects of a site whose other outputs are `kinds`.
    pub fn new(s: &Scope, kinds: &[Box<dyn Output>], moved: &Moved) -> Redirects {
        // The files a redirect could be placed at that some page takes: only
        // those files are looked for among every output's, on every core:
        // at 100 000 articles a set of all 145 000 files took 57 ms of a
        // 1.7 s title edit.
        let wanted: HashSet<String> = s
            .index
            .entries
            .iter()
            .flat_map(|e| &s.index.source(e).front.aliases)
            .filter_map(|alias| crate::text::url::alias_path(alias).ok())
            .chain(moved.urls.iter().map(|(from, _)| from.clone()))
            .map(|from| output_file(&from))
            .collect();
        let taken: HashSet<String> = if wanted.is_empty() {
            HashSet::new()
        } else {
            use rayon::prelude::*;
            kinds
                .iter()
                .flat_map(|k| {
                    (0..k.count())
                        .into_par_iter()
                        .flat_map_iter(|n| k.files(s, n))
                        .filter(|f| wanted.contains(f))
                        .collect::<Vec<String>>()
                })
                .collect()
        };
        let mut chosen: HashMap<String, usize> = HashMap::new();
        let mut redirects = Vec::new();
        let mut problems = Vec::new();
        for (i, e) in s.index.entries.iter().enumerate() {
            let source = s.index.source(e);
            for alias in &source.front.aliases {
                let Ok(from) = crate::text::url::alias_path(alias) else {
                    continue; // refused when the article was read
                };
                let file = output_file(&from);
                let clash = if taken.contains(&file) {
                    Some("the build has a page there".to_string())
                } else {
                    chosen.get(&file).map(|&j: &usize| {
                        let other: &Redirect = &redirects[j];
                        format!("{} has the same alias", s.index.article(other.to).path.display())
                    })
                };
                if let Some(why) = clash {
                    problems.push(FileError::new(
                        Location {
                            path: source.path.clone(),
                            line: alias_line(&source.path, alias),
                        },
                        Problem::Yaml(YamlProblem::BadValue {
                            key: "aliases".into(),
                            message: format!("`{alias}` cannot redirect here: {why}"),
                        }),
                    ));
                    continue;
                }
                chosen.insert(file, redirects.len());
                redirects.push(Redirect {
                    from,
                    to: i,
                    remembered: false,
                });
            }
        }
        // The articles the remembered URLs belong to, found in one pass.
        let sources: HashSet<&std::path::Path> = moved.urls.iter().map(|(_, source)| source.as_path()).collect();
        let by_file: HashMap<&std::path::Path, usize> = s
            .index
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (s.index.source(e).path.as_path(), i))
            .filter(|(path, _)| sources.contains(path))
            .collect();
        let (mut kept, mut dropped) = (Vec::new(), Vec::new());
        for (from, source) in &moved.urls {
            // An article no longer published takes its old URLs with it.
            let Some(&to) = by_file.get(source.as_path()) else {
                continue;
            };
            let file = output_file(from);
            if taken.contains(&file) {
                if s.index.entries[to].path != *from {
                    dropped.push(from.clone());
                }
                continue;
            }
            if chosen.contains_key(&file) {
                continue; // an alias says where it goes
            }
            chosen.insert(file, redirects.len());
            redirects.push(Redirect {
                from: from.clone(),
                to,
                remembered: true,
            });
            kept.push((from.clone(), source.clone()));
        }
        Redirects {
            redirects,
            problems,
            kept,
            dropped,
        }
    }
}

/// The line of `alias` in the front matter of `path`, read again for the message.
fn alias_line(path: &std::path::Path, alias: &str) -> Option<usize> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines().position(|l| l.contains(alias)).map(|n| n + 1)
}

impl Output for Redirects {
    fn count(&self) -> usize {
        self.redirects.len()
    }

    fn linkable(&self, n: usize) -> bool {
        !self.redirects[n].remembered
    }

    fn path(&self, _s: &Scope, n: usize) -> String {
        self.redirects[n].from.clone()
    }

    fn signature(&self, s: &Scope, sig: &Signatures, n: usize) -> u128 {
        let r = &self.redirects[n];
        let entry = &s.index.entries[r.to];
        let mut h = sig.start("redirect");
        h.str(&r.from).str(&entry.path).str(&s.index.source(entry).front.title);
        h.finish()
    }

    fn render(&self, r: &PageRenderer, n: usize) -> Result<Rendered, FileError> {
        let redirect = &self.redirects[n];
        let entry = &r.index().entries[redirect.to];
        let escape = |text: &str| {
            let mut out = Vec::with_capacity(text.len());
            tera::escape_html(text, &mut out).expect("writing to memory");
            String::from_utf8(out).expect("escaped UTF-8 stays UTF-8")
        };
        let target = escape(&r.urls().absolute(&entry.path));
        let title = escape(&crate::text::chars::strip_forbidden_chars(
            &r.index().source(entry).front.title,
        ));
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
             <meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\" href=\"{target}\">\n\
             <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n\
             <p><a href=\"{target}\">{title}</a></p>\n</body>\n</html>\n",
            lang = escape(&r.scope.config.language),
        );
        Ok(Rendered::one(output_file(&redirect.from), html.into_bytes()))
    }

    fn problems(&self) -> Vec<FileError> {
        self.problems.clone()
    }
}
