//! Search: the page at `/suche/` and the static index it reads
//! ([`crate::render::search`] says how the index is laid out).

use std::sync::Mutex;

use serde::Serialize;

use crate::error::FileError;
use crate::render::context::PageMeta;
use crate::render::outputs::{Output, Rendered, Scope, Signatures, SitemapUrl};
use crate::render::page::PageRenderer;
use crate::render::search::{SearchData, SearchFile};
use crate::site::output_file;

/// The search page (unless only index files changed) and the index files.
pub struct Search {
    /// The data files' contents, made before rendering from every
    /// article's words.
    data: Option<SearchData>,
    files: Vec<SearchFile>,
    /// The bytes of data file `n` made by this build, moved out of `data`
    /// and handed over when it is rendered: a 100 000-article index is
    /// over 100 MB that need not stay while the pages render.
    made: Vec<Mutex<Option<Vec<u8>>>>,
}

impl Search {
    /// No search files without data (search disabled); with `page`, the
    /// page too.
    pub fn new(mut data: Option<SearchData>, page: bool) -> Search {
        let mut files = Vec::new();
        let mut made = Vec::new();
        if let Some(data) = &mut data {
            if page {
                files.push(SearchFile::Page);
            }
            files.extend(data.files());
            let mut bytes = std::mem::take(&mut data.files);
            made = files
                .iter()
                .map(|f| Mutex::new(bytes.remove(&f.path(data.dir()))))
                .collect();
        }
        Search { data, files, made }
    }
}

impl Output for Search {
    fn count(&self) -> usize {
        self.files.len()
    }

    fn path(&self, s: &Scope, n: usize) -> String {
        self.files[n].path(&s.urls.search)
    }

    fn signature(&self, s: &Scope, sig: &Signatures, n: usize) -> u128 {
        match &self.files[n] {
            // The page shows the article count.
            SearchFile::Page => {
                let mut h = sig.start("search");
                h.num(s.index.entries.len() as u64);
                h.finish()
            }
            // A data file's bytes are known before rendering: they are its
            // signature. A file kept from the previous build has the one it
            // recorded, so that it is not rendered again.
            _ => match self.kept(s, n) {
                Some(signature) => signature,
                None => {
                    let mut h = sig.start("search data");
                    h.bytes(
                        self.made[n]
                            .lock()
                            .expect("no panic while holding the lock")
                            .as_deref()
                            .expect(RENDERED),
                    );
                    h.finish()
                }
            },
        }
    }

    fn render(&self, r: &PageRenderer, n: usize) -> Result<Rendered, FileError> {
        let path = self.path(&r.scope, n);
        if self.kept(&r.scope, n).is_some() {
            return Err(FileError::new(
                crate::Location::file(&path),
                crate::Problem::Render(crate::error::RenderProblem::NotKept(path.clone())),
            ));
        }
        if self.files[n] != SearchFile::Page {
            let bytes = self.made[n].lock().expect("no panic while holding the lock").take();
            return Ok(Rendered::one(path, bytes.expect(RENDERED)));
        }
        let title = r.label("search");
        let meta = r.meta("search", &title, &title, &path, Vec::new());
        #[derive(Serialize)]
        struct SearchView {
            index_url: String,
            script_url: String,
            articles: usize,
        }
        #[derive(Serialize)]
        struct Ctx {
            page: PageMeta,
            search: SearchView,
        }
        let dir = &r.urls().search;
        let search = SearchView {
            index_url: r.urls().href(&SearchFile::Meta.path(dir)),
            script_url: r.urls().href("static/search.js"),
            articles: r.index().entries.len(),
        };
        let html = r.render("search.html", &Ctx { page: meta, search })?;
        Ok(Rendered::one(output_file(&path), html))
    }

    fn held_until_rendered(&self, n: usize) -> bool {
        self.made[n].lock().expect("no panic while holding the lock").is_some()
    }

    fn is_page(&self, n: usize) -> bool {
        self.files[n] == SearchFile::Page
    }

    fn sitemap(&self, s: &Scope, n: usize) -> Option<SitemapUrl> {
        self.is_page(n).then(|| SitemapUrl {
            path: self.path(s, n),
            lastmod: None,
        })
    }
}

impl Search {
    /// The recorded signature of a data file kept from the previous build.
    fn kept(&self, s: &Scope, n: usize) -> Option<u128> {
        let data = self.data.as_ref()?;
        data.kept.get(&self.path(s, n)).copied()
    }
}

/// Why a made data file's bytes are there: the data has every file it
/// lists, and a build renders each output once, after its signature.
const RENDERED: &str = "a made data file is signed before it is rendered, and rendered once";
