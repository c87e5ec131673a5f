//! The build-time link check: every internal link of every generated page
//! must lead to a file the build writes.

use std::collections::HashSet;

use crate::content::file::hash_bytes;
use crate::site::{Urls, output_file};

/// The files of a build, site-relative (`2022/01/x/index.html`, `feed.xml`).
pub struct Planned {
    files: Files,
    /// Unique per build, so that caches of checked links never outlive it.
    id: u64,
}

enum Files {
    /// Every file of a whole build (100 000s), by the 128-bit hash of its
    /// name: as content hashes stand for bytes elsewhere, this spares a
    /// copy of every name (a noticeable part of a title edit at 100 000).
    Set(foldhash::HashSet<u128>),
    /// A rebuild that keeps every file of the previous build asks its manifest.
    Lookup(Box<dyn Fn(&str) -> bool + Send + Sync>),
}

fn next_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Planned {
    pub fn new<S: AsRef<str>>(files: impl IntoIterator<Item = S>) -> Planned {
        Planned {
            files: Files::Set(files.into_iter().map(|f| hash_bytes(f.as_ref().as_bytes())).collect()),
            id: next_id(),
        }
    }

    /// The files for which `exists` says yes.
    pub fn lookup(exists: impl Fn(&str) -> bool + Send + Sync + 'static) -> Planned {
        Planned {
            files: Files::Lookup(Box::new(exists)),
            id: next_id(),
        }
    }

    pub fn contains(&self, file: &str) -> bool {
        match &self.files {
            Files::Set(files) => files.contains(&hash_bytes(file.as_bytes())),
            Files::Lookup(exists) => exists(file),
        }
    }

    /// Whether a site-relative URL path resolves to a planned file
    /// (`a/` → `a/index.html`; `a` → `a` or `a/index.html`).
    fn resolves(&self, path: &str) -> bool {
        let decoded = percent_decode(path);
        let file = output_file(&decoded);
        self.contains(&file) || (!decoded.ends_with('/') && self.contains(&format!("{decoded}/index.html")))
    }
}

/// `href` and `src` values in rendered HTML. The pages come from our own
/// templates and pulldown-cmark, which always quote attributes with `"`.
/// A plain scan over bytes: this runs over every page of a build, and only
/// the values need to be text.
fn links(html: &[u8]) -> impl Iterator<Item = &str> {
    static ATTRIBUTE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"=\""));
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(pos) = ATTRIBUTE.find(&html[at..]).map(|p| at + p) {
            at = pos + 2;
            let is_link = html[..pos].ends_with(b"href") || html[..pos].ends_with(b"src");
            if !is_link {
                continue;
            }
            let end = memchr::memchr(b'"', &html[at..]).map_or(html.len(), |e| at + e);
            let value = std::str::from_utf8(&html[at..end]);
            at = end;
            match value {
                Ok(value) => return Some(value),
                Err(_) => continue,
            }
        }
        None
    })
}

thread_local! {
    /// Link targets this thread has already found to resolve, per build:
    /// every page repeats the navigation, so most checks are repeats. Kept
    /// by the 128-bit hash of the link, as [`Planned`] keeps file names: a
    /// set of strings compared each hit with the string on the heap, a cache
    /// miss per link, 3 % of a clean build's CPU at 100 000 articles.
    static GOOD: std::cell::RefCell<(u64, foldhash::HashSet<u128>)> = std::cell::RefCell::new((0, foldhash::HashSet::default()));
}

/// The ids of the elements of `html` (`id="…"`), found as [`links`] finds
/// link values.
fn ids(html: &[u8]) -> HashSet<&str> {
    let finder = memchr::memmem::Finder::new(b" id=\"");
    let mut found = HashSet::new();
    let mut at = 0;
    while let Some(pos) = finder.find(&html[at..]).map(|p| at + p + 5) {
        let end = memchr::memchr(b'"', &html[pos..]).map_or(html.len(), |e| pos + e);
        if let Ok(id) = std::str::from_utf8(&html[pos..end]) {
            found.insert(id);
        }
        at = end;
    }
    found
}

/// The ids an article page has besides those of its body: the theme's.
pub fn is_theme_id(id: &str) -> bool {
    crate::content::markdown::THEME_IDS.contains(&id)
}

/// A link of a page that leads nowhere.
#[derive(Debug, PartialEq, Eq)]
pub struct Broken<'h> {
    pub link: &'h str,
    /// The fragment no element of the page it leads to has as its id; `None`
    /// when the page itself is missing.
    pub missing_id: Option<String>,
}

/// The internal (root-relative or relative) links of `html` (a page at
/// site-relative `page_path`) that lead nowhere: to no file of the build,
/// or to a fragment that the page has no element for. `anchors` gives the
/// heading ids of an article page by its path (`None` for other pages,
/// whose fragments are not checked but on the page itself).
pub fn broken<'h, 'a>(
    html: &'h [u8],
    page_path: &str,
    urls: &Urls,
    planned: &Planned,
    anchors: &dyn Fn(&str) -> Option<&'a [String]>,
) -> Vec<Broken<'h>> {
    let mut broken = Vec::new();
    let mut own_ids: Option<HashSet<&str>> = None;
    GOOD.with(|good| {
        let mut good = good.borrow_mut();
        if good.0 != planned.id {
            *good = (planned.id, foldhash::HashSet::default());
        }
        for link in links(html) {
            let root_relative = link.starts_with('/') && !link.starts_with("//");
            let key = if root_relative { hash_bytes(link.as_bytes()) } else { 0 };
            if root_relative && good.1.contains(&key) {
                continue;
            }
            // Absolute URLs are left alone even on our own host: a source
            // article on the publisher's site is not part of the archive.
            // Seen before anything is decoded: the head of every page has
            // several (canonical, feeds, Open Graph).
            let target = link.split(['#', '?']).next().unwrap_or("");
            if target.contains("://") || target.starts_with("//") {
                continue;
            }
            let raw = if link.contains("&amp;") {
                std::borrow::Cow::Owned(link.replace("&amp;", "&"))
            } else {
                link.into()
            };
            let (before, fragment) = raw.split_once('#').map_or((raw.as_ref(), ""), |(b, f)| (b, f));
            let fragment = percent_decode(fragment);
            // `#top` is the top of any page (HTML); `#` goes nowhere on purpose.
            let fragment = Some(fragment).filter(|f| !f.is_empty() && f != "top");
            let target = before.split('?').next().unwrap_or("");
            let path = if target.is_empty() {
                page_path.to_string()
            } else if let Some(p) = urls.site_path(target) {
                p.to_string()
            } else if target.starts_with('/') {
                // Root-relative but outside the base path: nothing of ours is there.
                broken.push(Broken { link, missing_id: None });
                continue;
            } else if target.contains(':') {
                continue; // mailto:, tel:
            } else {
                resolve_relative(page_path, target)
            };
            if !target.is_empty() && !planned.resolves(&path) {
                broken.push(Broken { link, missing_id: None });
                continue;
            }
            let Some(id) = fragment else {
                if root_relative {
                    good.1.insert(key);
                }
                continue;
            };
            let decoded = percent_decode(&path);
            let found = if decoded == page_path || format!("{decoded}/") == page_path {
                own_ids.get_or_insert_with(|| ids(html)).contains(id.as_str())
            } else {
                match anchors(&decoded).or_else(|| anchors(&format!("{decoded}/"))) {
                    Some(list) => is_theme_id(&id) || list.contains(&id),
                    None => true,
                }
            };
            if !found {
                broken.push(Broken {
                    link,
                    missing_id: Some(id),
                });
            }
        }
    });
    broken
}

/// The site paths that the root-relative and relative links of `html` (on
/// the page at `page_path`) point to, without queries, with a fragment
/// (`2022/01/a/#x`) where they have one.
pub fn internal(html: &str, page_path: &str, urls: &Urls) -> Vec<String> {
    let mut found: Vec<String> = links(html.as_bytes())
        .filter_map(|link| internal_target(&link.replace("&amp;", "&"), page_path, urls))
        .collect();
    found.sort();
    found.dedup();
    found
}

/// The site path one link (as its attribute means it, entities resolved)
/// on the page at `page_path` points to, if it is internal, with its
/// fragment where it has one (`2022/01/a/#x`).
pub fn internal_target(link: &str, page_path: &str, urls: &Urls) -> Option<String> {
    let (before, fragment) = link.split_once('#').map_or((link, ""), |(b, f)| (b, f));
    let target = before.split('?').next().unwrap_or("");
    if target.is_empty() || target.contains("://") || target.starts_with("//") {
        return None;
    }
    let path = if let Some(p) = urls.site_path(target) {
        percent_decode(p)
    } else if target.starts_with('/') || target.contains(':') {
        return None;
    } else {
        percent_decode(&resolve_relative(page_path, target))
    };
    Some(match percent_decode(fragment).as_str() {
        "" | "top" => path,
        f => format!("{path}#{f}"),
    })
}

/// `../b/` from `2022/01/a/` → `2022/01/b/`.
fn resolve_relative(page_path: &str, target: &str) -> String {
    let dir = match page_path.rfind('/') {
        Some(i) => &page_path[..=i],
        None => "",
    };
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let trailing = target.ends_with('/');
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if trailing && !path.is_empty() {
        path.push('/');
    }
    path
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let hex = |b: u8| (b as char).to_digit(16);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;

    #[test]
    fn finds_broken_internal_links_only() {
        let urls = Urls::new(&SiteConfig::default(), Some("https://example.org/archiv/"));
        let planned = Planned::new(["index.html", "a/index.html", "feed.xml", "static/style.css"].map(String::from));
        let html = r##"<a href="/archiv/">home</a> <a href="/archiv/a/">a</a> <a href="/archiv/a">a</a>
            <a href="/archiv/b/">b</a> <a href="https://example.org/archiv/feed.xml">f</a>
            <a href="https://example.org/archiv/missing.xml">m</a> <a href="https://other.org/x">x</a>
            <a href="#top">t</a> <a href="mailto:a@b.c">m</a> <link href="/archiv/static/style.css">
            <a href="../a/">rel</a> <a href="/elsewhere/">out</a> <img src="/archiv/static/missing.png">"##;
        let links: Vec<&str> = broken(html.as_bytes(), "c/", &urls, &planned, &|_| None)
            .into_iter()
            .map(|b| b.link)
            .collect();
        assert_eq!(links, vec!["/archiv/b/", "/elsewhere/", "/archiv/static/missing.png"]);
    }

    #[test]
    fn fragments_must_name_an_element() {
        let urls = Urls::new(&SiteConfig::default(), Some("https://example.org/archiv/"));
        let planned = Planned::new(["a/index.html", "c/index.html", "list/index.html"].map(String::from));
        let headings = vec!["da".to_string()];
        let anchors = |p: &str| (p == "a/").then_some(headings.as_slice());
        let html = r##"<main id="main"><h2 id="hier">x</h2> <a href="#hier">1</a> <a href="#weg">2</a>
            <a href="#">3</a> <a href="#top">4</a> <a href="../a/#da">5</a> <a href="/archiv/a/#fort">6</a>
            <a href="../a/#main">7</a> <a href="../list/#egal">8</a> <a href="../c/#hier">9</a>
            <a href="../c/#nein">10</a> <a href="#d%C3%A4">11</a></main>"##;
        let found: Vec<(&str, Option<String>)> = broken(html.as_bytes(), "c/", &urls, &planned, &anchors)
            .into_iter()
            .map(|b| (b.link, b.missing_id))
            .collect();
        assert_eq!(
            found,
            vec![
                ("#weg", Some("weg".to_string())),
                ("/archiv/a/#fort", Some("fort".to_string())),
                ("../c/#nein", Some("nein".to_string())),
                ("#d%C3%A4", Some("dä".to_string())),
            ]
        );
        assert_eq!(
            internal(html, "c/", &urls),
            vec!["a/#da", "a/#fort", "a/#main", "c/#hier", "c/#nein", "list/#egal"]
        );
    }

    #[test]
    fn relative_paths() {
        assert_eq!(resolve_relative("2022/01/a/", "../b/"), "2022/01/b/");
        assert_eq!(resolve_relative("2022/01/a/", "img.png"), "2022/01/a/img.png");
        assert_eq!(resolve_relative("", "x/"), "x/");
        assert_eq!(percent_decode("a%C3%A4b"), "aäb");
    }
}
