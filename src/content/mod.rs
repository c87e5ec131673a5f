//! Articles on disk: Markdown files with YAML front matter under `content/`.
//!
//! This is the contract between import (which writes these files) and the
//! build (which reads them); users edit them by hand in between, so parsing
//! is strict and every problem is reported with file and line.

pub mod article;
pub mod date;
pub mod file;
pub mod front_matter;
pub mod load;
pub mod markdown;
pub mod walk;

pub use article::Article;
pub use file::ArticleFile;
pub use front_matter::FrontMatter;
pub use load::{Loaded, load_dir};

use crate::config::{ContentConfig, SiteConfig};

/// What reading an article depends on in `site.yaml`: the time zone of
/// dates written without an offset, and the limits on one file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    pub tz: chrono_tz::Tz,
    pub limits: ContentConfig,
    /// `markdown.heading_attributes`: which ids a body's headings get.
    pub heading_attributes: bool,
}

impl Rules {
    pub fn of(config: &SiteConfig) -> Rules {
        Rules {
            tz: config.timezone,
            limits: config.content,
            heading_attributes: config.markdown.heading_attributes,
        }
    }

    /// A fingerprint of what a file's reading depends on besides its bytes
    /// (the limits aside, which [`ArticleFile::within`] checks): the time zone
    /// that dates without an offset are read in, and the heading ids. A
    /// reading stored under another fingerprint must not be reused.
    pub fn reading(&self) -> u64 {
        let key = format!("{}\0{}", self.tz.name(), self.heading_attributes);
        xxhash_rust::xxh3::xxh3_64(key.as_bytes())
    }

    /// A site in `tz` with the default limits.
    pub fn in_tz(tz: chrono_tz::Tz) -> Rules {
        Rules {
            tz,
            limits: ContentConfig::default(),
            heading_attributes: false,
        }
    }
}
