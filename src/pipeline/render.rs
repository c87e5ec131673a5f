//! The third phase: render the outputs that changed, in parallel, check
//! every internal link of every page, and hand each output's files to the
//! commit strategy as soon as they are made, so that pages are not held
//! in memory.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use rayon::prelude::*;

use super::BuildOptions;
use super::plan::{PlannedOutput, Prepared};
use super::state::manifest::BodyLinks;
use crate::config::Site;
use crate::error::{FileError, Location, Problem, RenderProblem};
use crate::render::context::Views;
use crate::render::links;
use crate::render::page::{Bodies, PageRenderer};
use crate::site::output_file;

/// One file an output rendered to, on its way to the output.
pub(super) struct RenderedFile<'a> {
    pub rel: &'a str,
    pub bytes: &'a [u8],
    /// Hash of the bytes.
    pub hash: u128,
}

/// A file the render phase handed to the sink, by its site-relative path.
pub(super) struct WrittenFile {
    pub path: String,
    /// Hash of its bytes, stored in the manifest.
    pub hash: u128,
}

/// What the render phase made.
pub(super) struct RenderResult {
    /// How many outputs were rendered.
    pub outputs: usize,
    /// The files they were rendered to.
    pub files: Vec<WrittenFile>,
    /// Internal links in the bodies of rendered article pages.
    pub body_links: Vec<BodyLinks>,
    pub errors: Vec<FileError>,
}

/// Renders the outputs at `which` in parallel, checking each page's links.
/// `sink` receives each file as soon as it is rendered.
pub(super) fn render(
    p: &Prepared,
    site: &Site,
    options: &BuildOptions,
    all: &[PlannedOutput],
    which: &[usize],
    sink: &(dyn Fn(RenderedFile) -> Result<(), FileError> + Sync),
    progress: &(dyn Fn() + Sync),
) -> RenderResult {
    let scope = p.scope(site);
    // Bodies shown in feeds are kept once rendered: a feed shows many, and
    // many feeds share them.
    let mut keep = vec![false; p.index.entries.len()];
    for &o in which {
        let id = all[o].id;
        p.outputs.kind(id.kind).share_bodies(&scope, id.n, &mut keep);
    }
    let how = crate::content::markdown::Rendering {
        allow_html: site.config.markdown.allow_html,
        heading_attributes: site.config.markdown.heading_attributes,
        base_path: p.urls.base_path().to_string(),
        content_urls: p.content_urls.clone(),
    };
    let bodies = Bodies::new(&p.index, how, &keep);
    let renderer = PageRenderer {
        scope,
        views: Views::new(&p.index, &p.urls, &p.lang),
        templates: &p.templates,
        site: &p.site_ctx,
        bodies: &bodies,
    };
    // Made at the first link to a heading of another page, which many
    // builds never meet: the map of all pages was 0.96 % of the samples of
    // a profiled title edit (bench corpus c100k, session 44).
    let pages = std::sync::OnceLock::new();
    let anchors = |path: &str| {
        let pages = pages.get_or_init(|| article_pages(p));
        pages.get(path).map(|&i| p.index.article(i).body.anchors.as_slice())
    };
    let errors = Mutex::new(Vec::new());
    let body_links = Mutex::new(Vec::new());
    let fail = |e: FileError| errors.lock().expect("no panic while holding the lock").push(e);
    // Outputs that hold their bytes until rendered go first, so that
    // memory is not held while the pages render.
    let (first, then): (Vec<usize>, Vec<usize>) = which.iter().partition(|&&o| {
        let id = all[o].id;
        p.outputs.kind(id.kind).held_until_rendered(id.n)
    });
    let render_one = |&o: &usize| {
        let id = all[o].id;
        let kind = p.outputs.kind(id.kind);
        let result = kind.render(&renderer, id.n);
        progress();
        let rendered = match result {
            Ok(r) => r,
            Err(e) => {
                fail(e);
                return None;
            }
        };
        let path = kind.path(&scope, id.n);
        if kind.is_page(id.n) {
            for (_, html) in &rendered.files {
                for broken in links::broken(html, &path, &p.urls, &p.planned, &anchors) {
                    let location = match kind.origin(&scope, id.n) {
                        Some(source) => Location::file(source),
                        None => Location::file(options.out.join(output_file(&path))),
                    };
                    fail(FileError::new(
                        location,
                        broken_link(broken.link, &path, p, broken.missing_id),
                    ));
                }
            }
        }
        if let Some(links) = rendered.body_links.filter(|l| !l.is_empty()) {
            body_links
                .lock()
                .expect("no panic while holding the lock")
                .push(BodyLinks { page: path, links });
        }
        let mut hashes = Vec::with_capacity(rendered.files.len());
        for (rel, bytes) in &rendered.files {
            let hash = crate::content::file::hash_bytes(bytes);
            if let Err(e) = sink(RenderedFile { rel, bytes, hash }) {
                fail(e);
                return None;
            }
            hashes.push(WrittenFile {
                path: rel.clone(),
                hash,
            });
        }
        Some(hashes)
    };
    let mut rendered: Vec<Vec<WrittenFile>> = first.par_iter().filter_map(render_one).collect();
    rendered.extend(then.par_iter().filter_map(render_one).collect::<Vec<_>>());
    let mut errors = errors.into_inner().expect("no panic while holding the lock");
    errors.sort_by(|a, b| a.location.cmp(&b.location));
    errors.dedup();
    RenderResult {
        outputs: rendered.len(),
        files: rendered.into_iter().flatten().collect(),
        body_links: body_links.into_inner().expect("no panic while holding the lock"),
        errors,
    }
}

/// Article pages by path.
fn article_pages(p: &Prepared) -> foldhash::HashMap<&str, usize> {
    p.index
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.path.as_str(), i))
        .collect()
}

/// The problem of a broken `link` on the page at `path`.
fn broken_link(link: &str, path: &str, p: &Prepared, missing_id: Option<String>) -> Problem {
    let (link, page) = (link.to_string(), p.urls.href(path));
    match missing_id {
        Some(id) => Problem::Render(RenderProblem::MissingAnchor { link, page, id }),
        None => Problem::Render(RenderProblem::BrokenLink { link, page }),
    }
}

/// Internal links in the bodies of article pages that were not rendered
/// again (`kept`, by page): their targets may be gone. Checks them, and
/// forgets the links of pages that no longer exist or were rendered (which
/// recorded their own).
pub(super) fn check_kept_body_links(
    p: &Prepared,
    site: &Site,
    all: &[PlannedOutput],
    which: &[usize],
    kept: &mut HashMap<String, Vec<String>>,
    rendered: &mut RenderResult,
) {
    let scope = p.scope(site);
    let rendered_pages: HashSet<String> = which
        .iter()
        .map(|&o| all[o].id)
        .filter(|id| p.outputs.kind(id.kind).origin(&scope, id.n).is_some())
        .map(|id| p.outputs.kind(id.kind).path(&scope, id.n))
        .collect();
    // When no page kept from the last build has links to check (the
    // bench corpus has none), no map of every page is needed.
    if !kept.is_empty() {
        let pages = article_pages(p);
        kept.retain(|page, _| pages.contains_key(page.as_str()) && !rendered_pages.contains(page));
        check_kept(p, &pages, kept, rendered);
    }
    // In the order a clean build reports them.
    rendered.errors.sort_by(|a, b| a.location.cmp(&b.location));
    rendered.errors.dedup();
    for BodyLinks { page, links } in rendered.body_links.drain(..) {
        kept.insert(page, links);
    }
}

/// The links of `kept` pages (all of them still article pages) that lead
/// nowhere now, as errors of their files.
fn check_kept(
    p: &Prepared,
    pages: &foldhash::HashMap<&str, usize>,
    kept: &HashMap<String, Vec<String>>,
    rendered: &mut RenderResult,
) {
    for (page, targets) in kept.iter() {
        for link in targets {
            let (target, fragment) = link
                .split_once('#')
                .map_or((link.as_str(), None), |(t, f)| (t, Some(f)));
            if fragment.is_some() && (target == page || format!("{target}/") == *page) {
                continue; // checked with the page's own ids when it was rendered
            }
            let missing_id =
                if !p.planned.contains(&output_file(target)) && !p.planned.contains(&format!("{target}/index.html")) {
                    None
                } else {
                    // As the render checks it: an article's own ids, the theme's;
                    // the fragments of other pages and of the page itself are not
                    // kept (the page would have been rendered again).
                    let anchors = [target.to_string(), format!("{target}/")]
                        .iter()
                        .find_map(|t| pages.get(t.as_str()))
                        .map(|&i| &p.index.article(i).body.anchors);
                    match (fragment, anchors) {
                        (Some(id), Some(list)) if !links::is_theme_id(id) && !list.iter().any(|a| a == id) => Some(id),
                        _ => continue,
                    }
                    .map(str::to_string)
                };
            let href = match fragment {
                Some(f) => format!("{}#{f}", p.urls.href(target)),
                None => p.urls.href(target),
            };
            let source = &p.index.article(pages[page.as_str()]).path;
            rendered.errors.push(FileError::new(
                Location::file(source),
                broken_link(&href, page, p, missing_id),
            ));
        }
    }
}
