//! blatt turns scraped news articles into a static archive.
//!
//! The pipeline follows the data: [`import`] turns raw scraper output into
//! Markdown articles with front matter, [`content`] loads and validates those
//! articles, and [`output`] writes files so that a crash never leaves a half
//! written one behind. The binary in `main.rs` is a thin command line over
//! these modules, so tests and benchmarks drive the same code a user runs.

pub mod build;
pub mod config;
pub mod content;
pub mod error;
pub mod import;
pub mod init;
pub mod output;
pub mod render;
pub mod serve;
pub mod site;
pub mod yaml;

pub use config::SiteConfig;
pub use error::{Error, FileError, Location, Problem};
