//! Rendering: every kind of output ([`outputs`]) and what they share:
//! templates, the values templates see, feed writers, the search index
//! format and the link check.

pub mod context;
pub mod feeds;
pub mod jsonld;
pub mod links;
pub mod locale;
pub mod outputs;
pub mod page;
pub mod search;
pub mod templates;

/// Test setup shared by the renderers' unit tests.
#[cfg(test)]
pub(crate) mod test_support {
    use crate::config::SiteConfig;
    use crate::content::ArticleFile;
    use crate::render::locale::Lang;
    use crate::site::{Selection, SiteIndex, Urls};

    /// The index, URLs and labels of a default site whose one article is
    /// the file `text` (kept in `dir`).
    pub fn one_article(dir: &std::path::Path, text: &str) -> (SiteConfig, SiteIndex, Urls, Lang) {
        let path = dir.join("a.md");
        std::fs::write(&path, text).unwrap();
        let config = SiteConfig::default();
        let source = ArticleFile::read(&path, &crate::content::Rules::of(&config)).unwrap();
        let selection = Selection {
            drafts: false,
            future: true,
            now: chrono::Utc::now(),
        };
        let index = SiteIndex::new(vec![source], config.timezone, selection);
        let urls = Urls::new(&config, None);
        let lang = Lang::new("de", &Default::default());
        (config, index, urls, lang)
    }
}
