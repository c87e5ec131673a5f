//! `404.html`, for the web server to show for any missing page.

use serde::Serialize;

use crate::error::FileError;
use crate::render::context::PageMeta;
use crate::render::outputs::{Output, Rendered, Scope, Signatures};
use crate::render::page::PageRenderer;

pub struct NotFound;

const PATH: &str = "404.html";

impl Output for NotFound {
    fn count(&self) -> usize {
        1
    }

    fn path(&self, _s: &Scope, _n: usize) -> String {
        PATH.into()
    }

    fn signature(&self, _s: &Scope, sig: &Signatures, _n: usize) -> u128 {
        sig.start("404").finish()
    }

    fn render(&self, r: &PageRenderer, _n: usize) -> Result<Rendered, FileError> {
        let title = r.label("not_found_title");
        let meta = r.meta("404", &title, &title, PATH, Vec::new());
        #[derive(Serialize)]
        struct Ctx {
            page: PageMeta,
        }
        Ok(Rendered::one(PATH.into(), r.render("404.html", &Ctx { page: meta })?))
    }

    /// A page (its links are checked), but not one to list in the sitemap.
    fn is_page(&self, _n: usize) -> bool {
        true
    }
}
