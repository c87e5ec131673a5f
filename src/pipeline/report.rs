//! What a build is asked to do and what it reports back.

use std::path::PathBuf;

use crate::config::Site;
use crate::error::FileError;

use super::state::manifest::Counts;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The output folder; `public/` in the site by default.
    pub out: PathBuf,
    /// Overrides `base_url` from `site.yaml`; the caller checks it
    /// ([`crate::config::is_base_url`]), as the command line does.
    pub base_url: Option<String>,
    pub drafts: bool,
    pub future: bool,
    /// Hands memory the allocator keeps freed back to the system. The
    /// render frees its pages on every worker thread, and an allocator may
    /// hold such memory until those threads allocate again, so that the
    /// record's allocations after it would add to the peak; the library does
    /// not know which allocator the program chose, the program does (see
    /// `main.rs`). `None` leaves it to the allocator.
    pub release_memory: Option<fn()>,
    /// The output is a preview that only its builder reads (`blatt serve`),
    /// and that the builder discards when a crash of the machine may have
    /// lost writes (`serve::folder`): a build neither waits for the disk
    /// to confirm its journal (on this project's VMs the waits did not
    /// show: a body edit's commit took 2.5–3.6 ms with them, 2.2–3.3 ms
    /// without) nor swaps in a whole folder for `build.atomic`, which links
    /// every file of the site to change a few.
    pub preview: bool,
}

impl BuildOptions {
    pub fn for_site(site: &Site) -> BuildOptions {
        BuildOptions {
            out: site.root.join("public"),
            base_url: None,
            drafts: false,
            future: false,
            release_memory: None,
            preview: false,
        }
    }
}

/// How a build reached its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Everything rendered: into a fresh folder swapped in, or, where the
    /// settings or templates changed, over the output the manifest
    /// describes, in place as an incremental build updates it (unless
    /// `build.atomic` asks for swaps).
    Full,
    /// Changed outputs rendered and updated in place.
    Incremental,
    /// Only article bodies, or what lists show of articles (title, kicker,
    /// summary), changed: the pages and feeds that show them rendered from
    /// the manifest's index, and updated in place (`pipeline::edits`).
    Edits,
    /// Nothing had changed; nothing was read or written.
    Unchanged,
}

/// What a build made.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub articles: usize,
    pub topics: usize,
    pub tags: usize,
    /// HTML pages.
    pub pages: usize,
    /// Outputs rendered by this build.
    pub rendered: usize,
    /// Files whose bytes changed (the rest kept their modification time).
    pub written: usize,
    pub mode: Mode,
    pub out: PathBuf,
    /// Symbolic links not followed.
    pub warnings: Vec<FileError>,
    /// Under a base path: the absolute URL robots.txt was written to,
    /// which no crawler reads (they ask only the host's root for it).
    pub robots_off_root: Option<String>,
    /// Articles whose URL this build found changed, as (old link, new
    /// link): a redirect page now stands at the old one.
    pub redirected: Vec<(String, String)>,
    /// Old URLs of articles whose redirect a new page took.
    pub redirects_dropped: Vec<String>,
}

impl BuildReport {
    pub(super) fn new(
        counts: Counts,
        rendered: usize,
        written: usize,
        mode: Mode,
        out: &std::path::Path,
    ) -> BuildReport {
        BuildReport {
            articles: counts.articles,
            topics: counts.topics,
            tags: counts.tags,
            pages: counts.pages,
            rendered,
            written,
            mode,
            out: out.to_path_buf(),
            warnings: Vec::new(),
            robots_off_root: None,
            redirected: Vec::new(),
            redirects_dropped: Vec::new(),
        }
    }
}
