//! Rendering: templates, pages, feeds, the sitemap and the link check.

pub mod context;
pub mod feeds;
pub mod links;
pub mod locale;
pub mod pages;
pub mod sitemap;
pub mod templates;
