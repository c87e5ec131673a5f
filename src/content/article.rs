//! One article: front matter plus Markdown body, and where it lives.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;

use crate::content::Rules;
use crate::content::front_matter::{self, FrontMatter};
use crate::error::{FileError, Location};

#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// The file it was read from or will be written to.
    pub path: PathBuf,
    pub front: FrontMatter,
    /// Markdown, without the front matter.
    pub body: String,
    /// 1-based line of the body's first line in the file, for messages.
    pub body_line: usize,
}

impl Article {
    /// Parses a whole file's text.
    pub fn parse(text: &str, path: &Path, rules: &Rules) -> Result<Article, Vec<FileError>> {
        let split = front_matter::split(text)
            .map_err(|(line, problem)| vec![FileError::new(Location::line(path, line), problem)])?;
        let front = front_matter::parse(&split, path, rules)?;
        Ok(Article {
            path: path.to_path_buf(),
            front,
            body: split.body.to_string(),
            body_line: split.body_line,
        })
    }

    /// The file's text as blatt writes it: front matter, a blank line, the body.
    pub fn to_file_string(&self) -> String {
        let body = self.body.trim_matches('\n');
        format!("---\n{}---\n\n{}\n", self.front.to_yaml(), body)
    }

    /// The front matter's slug, else one made from the file name.
    pub fn slug(&self) -> String {
        crate::content::file::slug_of(&self.front, &self.path)
    }

    /// `YYYY/MM/slug`: the article's URL path in the site's time zone.
    pub fn url_path(&self, tz: Tz) -> String {
        crate::content::file::url_path_of(&self.front, &self.path, tz)
    }
}
