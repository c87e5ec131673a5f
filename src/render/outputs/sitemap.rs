//! `sitemap.xml`: every page a kind lists ([`super::Output::sitemap`]),
//! with its last modification; a sitemap index with parts once past 50 000
//! URLs, as the protocol requires.

use std::path::Path;

use chrono::NaiveDate;
use quick_xml::escape::escape;

use crate::content::date::push_day;
use crate::error::FileError;
use crate::render::outputs::{Output, Rendered, Scope, Signatures};
use crate::render::page::PageRenderer;
use crate::site::Urls;

/// URLs per sitemap file, the protocol's limit.
pub const MAX_URLS: usize = 50_000;

/// A page in the sitemap: its site-relative path and last modification.
#[derive(Clone)]
pub struct SitemapUrl {
    pub path: String,
    /// The day, written `YYYY-MM-DD` ([`crate::content::date::day`]), or
    /// nothing for pages without a date. Kept as a date and written only
    /// into the file: 145 000 strings at 100 000 articles were an
    /// allocation each, on every build (the signature reads them).
    pub lastmod: Option<NaiveDate>,
}

/// The site-relative paths of the sitemap files for `count` URLs.
pub fn files(count: usize) -> Vec<String> {
    if count <= MAX_URLS {
        vec!["sitemap.xml".into()]
    } else {
        let mut files = vec!["sitemap.xml".to_string()];
        files.extend((1..=count.div_ceil(MAX_URLS)).map(|n| format!("sitemap-{n}.xml")));
        files
    }
}

const URLSET_START: &str =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
const URLSET_END: &str = "</urlset>\n";

fn urlset(urls: &Urls, pages: &[SitemapUrl]) -> String {
    let mut out = String::with_capacity(pages.len() * 100 + 200);
    out.push_str(URLSET_START);
    // Escaping works character by character, so the base escaped once and
    // each path (escaped without a copy when it needs none) make the
    // escaped absolute URL without building it.
    let base = escape(urls.base_url());
    for page in pages {
        push_url(&mut out, &base, page);
    }
    out.push_str(URLSET_END);
    out
}

/// The line of `page`, whose URL is `base` (escaped) and its path.
fn push_url(out: &mut String, base: &str, page: &SitemapUrl) {
    out.push_str("<url><loc>");
    out.push_str(base);
    out.push_str(&escape(page.path.as_str()));
    push_lastmod(out, page.lastmod);
}

/// The line of the page at `loc` (escaped, absolute) last changed on `lastmod`.
fn push_url_at(out: &mut String, loc: &str, lastmod: Option<NaiveDate>) {
    out.push_str("<url><loc>");
    out.push_str(loc);
    push_lastmod(out, lastmod);
}

/// The rest of a page's line after its URL.
fn push_lastmod(out: &mut String, lastmod: Option<NaiveDate>) {
    out.push_str("</loc>");
    if let Some(lastmod) = lastmod {
        out.push_str("<lastmod>");
        push_day(out, lastmod);
        out.push_str("</lastmod>");
    }
    out.push_str("</url>\n");
}

/// Every sitemap file, as (site-relative path, bytes).
fn render(urls: &Urls, pages: &[SitemapUrl]) -> Vec<(String, Vec<u8>)> {
    if pages.len() <= MAX_URLS {
        return vec![("sitemap.xml".into(), urlset(urls, pages).into_bytes())];
    }
    let mut out = vec![(String::new(), Vec::new())];
    let mut newest = Vec::new();
    for (n, chunk) in pages.chunks(MAX_URLS).enumerate() {
        newest.push(chunk.iter().filter_map(|p| p.lastmod).max());
        out.push((part(n + 1), urlset(urls, chunk).into_bytes()));
    }
    out[0] = ("sitemap.xml".into(), sitemap_index(urls, &newest).into_bytes());
    out
}

/// The file of part `n` (from 1).
fn part(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// The index of parts whose newest pages changed on the days of `newest`.
fn sitemap_index(urls: &Urls, newest: &[Option<NaiveDate>]) -> String {
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, newest) in newest.iter().enumerate() {
        index.push_str("<sitemap><loc>");
        index.push_str(&escape(urls.absolute(&part(n + 1))));
        index.push_str("</loc>");
        if let Some(newest) = newest {
            index.push_str("<lastmod>");
            push_day(&mut index, *newest);
            index.push_str("</lastmod>");
        }
        index.push_str("</sitemap>\n");
    }
    index.push_str("</sitemapindex>\n");
    index
}

/// The day entry `i` last changed, as the sitemap gives it: the day of
/// its update (or publication) in the site's time zone.
pub fn entry_day(s: &Scope, i: usize) -> NaiveDate {
    day_in(s.index, i)
}

/// [`entry_day`] of entry `i` of `index`.
pub fn day_in(index: &crate::site::SiteIndex, i: usize) -> NaiveDate {
    let e = &index.entries[i];
    let f = &index.source(e).front;
    let changed = f.updated.unwrap_or(f.date).max(f.date);
    changed.with_timezone(&e.local.timezone()).date_naive()
}

/// The sitemap of every page the other kinds list.
pub struct Sitemap {
    pages: Vec<SitemapUrl>,
}

impl Sitemap {
    /// Listed on every core: at 100 000 articles the list took a tenth of
    /// a title edit's rebuild on one.
    pub fn new(s: &Scope, kinds: &[Box<dyn Output>]) -> Sitemap {
        use rayon::prelude::*;
        let mut pages = Vec::new();
        for k in kinds {
            let mut of_kind: Vec<SitemapUrl> = (0..k.count()).into_par_iter().filter_map(|n| k.sitemap(s, n)).collect();
            if k.sitemap_last_first() {
                of_kind.reverse();
            }
            pages.extend(of_kind);
        }
        Sitemap { pages }
    }
}

impl Output for Sitemap {
    fn count(&self) -> usize {
        1
    }

    fn path(&self, _s: &Scope, _n: usize) -> String {
        "sitemap.xml".into()
    }

    fn files(&self, _s: &Scope, _n: usize) -> Vec<String> {
        files(self.pages.len())
    }

    fn signature(&self, _s: &Scope, sig: &Signatures, _n: usize) -> u128 {
        let mut h = sig.start("sitemap");
        h.num(self.pages.len() as u64);
        // The day as the file writes it, so that signatures recorded
        // before the day was kept as a date still hold.
        let mut day = String::with_capacity(10);
        for url in &self.pages {
            day.clear();
            if let Some(lastmod) = url.lastmod {
                push_day(&mut day, lastmod);
            }
            h.str(&url.path).str(&day);
        }
        h.finish()
    }

    fn render(&self, r: &PageRenderer, _n: usize) -> Result<Rendered, FileError> {
        Ok(Rendered {
            files: render(r.urls(), &self.pages),
            body_links: None,
        })
    }
}

/// The sitemap files of the build in `out` that change when the pages of
/// `changed` are modified as they say, and each list of pages of
/// `following` is listed right after the page it is paired with (a new
/// term's front page after the term before it) and the pages at the paths
/// of `dropped` are no longer listed (a term's page that goes; both
/// [`listed_with`]): what an edit that moves an article
/// within term listings changes in the sitemap (their pages' days),
/// without listing the 150 000 pages of a large site again. The parts are
/// read from the last (where term pages are) until every page is found;
/// the index is written again with them. `None` when a file does not read
/// as [`render`] writes it or a page is not in it: then the build lists
/// every page.
pub fn patched(
    out: &Path,
    urls: &Urls,
    changed: &[SitemapUrl],
    following: &[(String, Vec<SitemapUrl>)],
    dropped: &[String],
) -> Option<Vec<(String, Vec<u8>)>> {
    if !following.is_empty() || !dropped.is_empty() {
        return listed_with(out, urls, changed, following, dropped);
    }
    let read = |file: &str| std::fs::read_to_string(out.join(file)).ok();
    let (_, mut wanted, first) = opened(out, urls, changed)?;
    if !first.contains("<sitemapindex") {
        let text = patch_urlset(&first, &mut wanted)?.0;
        return wanted
            .is_empty()
            .then(|| vec![("sitemap.xml".into(), text.into_bytes())]);
    }
    let mut newest = listed_parts(urls, &first)?;
    let mut files = Vec::new();
    patch_parts(&read, &mut newest, &mut wanted, 0..0, &mut files)?;
    Some(with_index(urls, &newest, files))
}

/// [`patched`] with pages added or dropped: a line inserted or taken out
/// moves every later one, so every part is read, and those from the first
/// that changes are made again (a site gains or loses a term rarely; its
/// pages are listed after the articles, in the last parts). `None` as for
/// [`patched`], when a page to drop is not listed, or when the number of
/// files would change.
fn listed_with(
    out: &Path,
    urls: &Urls,
    changed: &[SitemapUrl],
    following: &[(String, Vec<SitemapUrl>)],
    dropped: &[String],
) -> Option<Vec<(String, Vec<u8>)>> {
    let read = |file: &str| std::fs::read_to_string(out.join(file)).ok();
    let (base, mut wanted, index) = opened(out, urls, changed)?;
    let (texts, mut newest) = if index.contains("<sitemapindex") {
        let newest = listed_parts(urls, &index)?;
        let texts = (1..=newest.len()).map(|n| read(&part(n))).collect::<Option<Vec<_>>>()?;
        (texts, newest)
    } else {
        (vec![index], Vec::new())
    };
    let mut lines: Vec<std::borrow::Cow<str>> = Vec::new();
    for text in &texts {
        lines.extend(url_lines(text)?);
    }
    patch_lines(&mut lines, &mut wanted)?;
    let added = insert_following(&mut lines, 0, &base, following)?;
    let drop: Vec<String> = dropped
        .iter()
        .map(|path| format!("<url><loc>{base}{}</loc>", escape(path.as_str())))
        .collect();
    let listed = lines.len();
    lines.retain(|l| !drop.iter().any(|d| l.starts_with(d.as_str())));
    let total = lines.len();
    if !wanted.is_empty() || listed - total != drop.len() || files(total).len() != files(listed - added).len() {
        return None;
    }
    if newest.is_empty() {
        return Some(vec![("sitemap.xml".into(), urlset_of(&lines))]);
    }
    let mut made = Vec::new();
    for ((n, chunk), text) in lines.chunks(MAX_URLS).enumerate().zip(&texts) {
        let bytes = urlset_of(chunk);
        if bytes != text.as_bytes() {
            newest[n] = newest_listed(chunk)?;
            made.push((n, bytes));
        }
    }
    Some(with_index(urls, &newest, made))
}

/// Lists each list of pages of `following` right after the page it is
/// paired with, looked for from line `from` on (in order, so a page added
/// may be the next one's anchor); how many lines that adds. `None` when an
/// anchor is not listed.
fn insert_following(
    lines: &mut Vec<std::borrow::Cow<str>>,
    from: usize,
    base: &str,
    following: &[(String, Vec<SitemapUrl>)],
) -> Option<usize> {
    let mut added = 0;
    for (anchor, pages) in following {
        let anchor = format!("<url><loc>{base}{}</loc>", escape(anchor));
        let at = from + 1 + lines.get(from..)?.iter().position(|l| l.starts_with(&anchor))?;
        let made = pages.iter().map(|page| {
            let mut line = String::new();
            push_url(&mut line, base, page);
            line.into()
        });
        lines.splice(at..at, made);
        added += pages.len();
    }
    Some(added)
}

/// What bringing the sitemap of the build in `out` up to date starts
/// from: the escaped base URL, the days of `changed` by URL ([`by_url`]),
/// and the index (or the only file) as read.
fn opened(
    out: &Path,
    urls: &Urls,
    changed: &[SitemapUrl],
) -> Option<(String, foldhash::HashMap<String, Option<NaiveDate>>, String)> {
    let base = escape(urls.base_url()).into_owned();
    let wanted = by_url(&base, changed);
    let index = std::fs::read_to_string(out.join("sitemap.xml")).ok()?;
    Some((base, wanted, index))
}

/// Adds to `files` the parts (by number from 0) but those of `done` with
/// the pages of `wanted` given their days, read from the last until every
/// page is found, and brings `newest` up to date with them. `None` when a
/// part does not read or a page is not found.
fn patch_parts(
    read: &impl Fn(&str) -> Option<String>,
    newest: &mut [Option<NaiveDate>],
    wanted: &mut foldhash::HashMap<String, Option<NaiveDate>>,
    done: std::ops::Range<usize>,
    files: &mut Vec<(usize, Vec<u8>)>,
) -> Option<()> {
    for n in (0..newest.len()).rev().filter(|n| !done.contains(n)) {
        if wanted.is_empty() {
            break;
        }
        let before = wanted.len();
        let (text, day) = patch_urlset(&read(&part(n + 1))?, wanted)?;
        if wanted.len() < before {
            newest[n] = day;
            files.push((n, text.into_bytes()));
        }
    }
    wanted.is_empty().then_some(())
}

/// The index of parts whose newest days are `newest`, then `parts` (each
/// a part's number from 0 and bytes) as files, in the order of their numbers.
fn with_index(urls: &Urls, newest: &[Option<NaiveDate>], mut parts: Vec<(usize, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    parts.sort_unstable_by_key(|(n, _)| *n);
    let index = ("sitemap.xml".to_string(), sitemap_index(urls, newest).into_bytes());
    std::iter::once(index)
        .chain(parts.into_iter().map(|(n, bytes)| (part(n + 1), bytes)))
        .collect()
}

/// The page lines of a urlset `text` as [`render`] writes it, `None` when
/// it is not one.
fn url_lines(text: &str) -> Option<Vec<std::borrow::Cow<'_, str>>> {
    if !text.starts_with(URLSET_START) || !text.ends_with(URLSET_END) {
        return None;
    }
    let lines = text.split_inclusive('\n').filter(|l| l.starts_with("<url><loc>"));
    Some(lines.map(std::borrow::Cow::from).collect())
}

/// `lines` with the pages of `wanted` given their days (each taken out of
/// `wanted` when found); `None` when a line does not read.
fn patch_lines(
    lines: &mut [std::borrow::Cow<str>],
    wanted: &mut foldhash::HashMap<String, Option<NaiveDate>>,
) -> Option<()> {
    for l in lines {
        let loc = l["<url><loc>".len()..].split_once("</loc>")?.0;
        if let Some(lastmod) = wanted.remove(loc) {
            let mut changed = String::new();
            push_url_at(&mut changed, loc, lastmod);
            *l = changed.into();
        }
    }
    Some(())
}

/// A urlset of page `lines`.
fn urlset_of(lines: &[std::borrow::Cow<str>]) -> Vec<u8> {
    let mut text = String::with_capacity(lines.iter().map(|l| l.len()).sum::<usize>() + 200);
    text.push_str(URLSET_START);
    lines.iter().for_each(|l| text.push_str(l));
    text.push_str(URLSET_END);
    text.into_bytes()
}

/// The sitemap files of the build in `out` with the page `new` listed at
/// position `at`, right after the page `after`, and the pages of `changed`
/// given their days: what a new article that is the newest of the site
/// changes (article pages are listed oldest first, then the other pages),
/// and each list of pages of `following` listed right after the page it
/// is paired with (pages the article adds: a listing's archive page after
/// the listing's front page, a month's or year's page after its year's
/// page or the date archive's overview). Only the parts from the one
/// holding `after` are read and made again, with the index. `None` when a file does not read as [`render`] writes it,
/// `after` is not where it should be, a changed page is not in the parts
/// read, or the number of files would change: then the build lists every
/// page.
pub fn inserted(
    out: &Path,
    urls: &Urls,
    at: usize,
    after: &str,
    new: &SitemapUrl,
    changed: &[SitemapUrl],
    following: &[(String, Vec<SitemapUrl>)],
) -> Option<Vec<(String, Vec<u8>)>> {
    let read = |file: &str| std::fs::read_to_string(out.join(file)).ok();
    let (base, mut wanted, index) = opened(out, urls, changed)?;
    // The parts from the one holding `after`, and each part's newest day.
    let (skipped, texts, mut newest) = if index.contains("<sitemapindex") {
        let newest = listed_parts(urls, &index)?;
        // From the part holding `after`: `new` may start the next one.
        let first = at.checked_sub(1)? / MAX_URLS;
        let texts = (first + 1..=newest.len())
            .map(|n| read(&part(n)))
            .collect::<Option<Vec<_>>>()?;
        (first, texts, newest)
    } else {
        (0, vec![index], Vec::new())
    };
    let mut line = String::new();
    push_url(&mut line, &base, new);
    let k = at.checked_sub(skipped * MAX_URLS)?;
    let mut lines: Vec<std::borrow::Cow<str>> = Vec::new();
    for text in &texts {
        lines.extend(url_lines(text)?);
    }
    // Older articles' pages, whose days stay, are not looked up.
    patch_lines(lines.get_mut(k..)?, &mut wanted)?;
    let before = format!("<url><loc>{base}{}</loc>", escape(after));
    if !wanted.is_empty() || !lines.get(k.checked_sub(1)?)?.starts_with(&before) {
        return None;
    }
    lines.insert(k, line.into());
    let added = 1 + insert_following(&mut lines, k + 1, &base, following)?;
    let total = skipped * MAX_URLS + lines.len();
    if files(total).len() != files(total - added).len() {
        return None;
    }
    if newest.is_empty() {
        return Some(vec![("sitemap.xml".into(), urlset_of(&lines))]);
    }
    let mut made = Vec::new();
    for (n, chunk) in (skipped..).zip(lines.chunks(MAX_URLS)) {
        newest[n] = newest_listed(chunk)?;
        made.push((n, urlset_of(chunk)));
    }
    Some(with_index(urls, &newest, made))
}

/// The sitemap files of the build in `out` with the page `was`, listed
/// at position `from` (counted over every part), listed at `to` instead as
/// `path` (its address after a date edit into another month), and the
/// pages of `changed` given their days: what a date edit that moves an
/// article changes (article pages are listed by date). The parts holding
/// those positions are made again, and those holding a changed page, with
/// the index; every part keeps its number of pages. `None` when a file
/// does not read as [`render`] writes it, `was` is not at `from`, or a
/// changed page is not listed: then the build lists every page.
pub fn moved(
    out: &Path,
    urls: &Urls,
    (from, to): (usize, usize),
    (was, path): (&str, &str),
    changed: &[SitemapUrl],
) -> Option<Vec<(String, Vec<u8>)>> {
    let read = |file: &str| std::fs::read_to_string(out.join(file)).ok();
    let (base, mut wanted, index) = opened(out, urls, changed)?;
    let parted = index.contains("<sitemapindex");
    let (first, last) = match parted {
        true => (from.min(to) / MAX_URLS, from.max(to) / MAX_URLS),
        false => (0, 0),
    };
    let texts: Vec<String> = match parted {
        true => (first..=last).map(|n| read(&part(n + 1))).collect::<Option<_>>()?,
        false => vec![index.clone()],
    };
    let mut lines: Vec<std::borrow::Cow<str>> = Vec::new();
    for text in &texts {
        lines.extend(url_lines(text)?);
    }
    let (from, to) = (from - first * MAX_URLS, to - first * MAX_URLS);
    let loc = format!("<url><loc>{base}{}</loc>", escape(was));
    if to >= lines.len() || !lines.get(from)?.starts_with(&loc) {
        return None;
    }
    let mut line = lines.remove(from);
    if was != path {
        // Its day is among `changed`, given below.
        let mut at = String::new();
        push_url_at(&mut at, &format!("{base}{}", escape(path)), None);
        line = at.into();
    }
    lines.insert(to, line);
    patch_lines(&mut lines, &mut wanted)?;
    if !parted {
        return wanted
            .is_empty()
            .then(|| vec![("sitemap.xml".into(), urlset_of(&lines))]);
    }
    let mut newest = listed_parts(urls, &index)?;
    let mut made = Vec::new();
    for (n, chunk) in (first..).zip(lines.chunks(MAX_URLS)) {
        *newest.get_mut(n)? = newest_listed(chunk)?;
        made.push((n, urlset_of(chunk)));
    }
    patch_parts(&read, &mut newest, &mut wanted, first..last + 1, &mut made)?;
    Some(with_index(urls, &newest, made))
}

/// Each part's newest day as the index `text` gives it.
fn listed_parts(urls: &Urls, text: &str) -> Option<Vec<Option<NaiveDate>>> {
    let mut newest = Vec::new();
    for (n, line) in (1..).zip(text.lines().filter(|l| l.starts_with("<sitemap><loc>"))) {
        let named = format!("<sitemap><loc>{}</loc>", escape(urls.absolute(&part(n))));
        let rest = line.strip_prefix(&named)?;
        newest.push(match rest.strip_prefix("<lastmod>") {
            Some(day) => Some(NaiveDate::parse_from_str(day.split_once("</lastmod>")?.0, "%Y-%m-%d").ok()?),
            None => None,
        });
    }
    Some(newest)
}

/// The newest day the URL lines `lines` give (compared as written,
/// `YYYY-MM-DD`, a longer year later); `None` inside when they give none,
/// `None` outside when a day does not read.
fn newest_listed(lines: &[std::borrow::Cow<str>]) -> Option<Option<NaiveDate>> {
    let newest = lines
        .iter()
        .filter_map(|l| l.split_once("<lastmod>")?.1.split_once("</lastmod>").map(|d| d.0))
        .max_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
    match newest {
        Some(day) => NaiveDate::parse_from_str(day, "%Y-%m-%d").ok().map(Some),
        None => Some(None),
    }
}

/// The days of `changed` by the escaped absolute URL a sitemap line gives
/// (`base` is the escaped base URL). Every line read is looked up in it:
/// a hash made for short keys.
fn by_url(base: &str, changed: &[SitemapUrl]) -> foldhash::HashMap<String, Option<NaiveDate>> {
    changed
        .iter()
        .map(|u| (format!("{base}{}", escape(u.path.as_str())), u.lastmod))
        .collect()
}

/// `text`, a urlset, with the pages of `wanted` given their days (each
/// taken out of `wanted` when found), and the newest day it then lists.
fn patch_urlset(
    text: &str,
    wanted: &mut foldhash::HashMap<String, Option<NaiveDate>>,
) -> Option<(String, Option<NaiveDate>)> {
    if !text.ends_with("</urlset>\n") {
        return None;
    }
    let mut patched = String::with_capacity(text.len() + 64);
    // The newest day of the pages kept, compared as written (`YYYY-MM-DD`,
    // a longer year later), and of the pages changed.
    let mut kept: Option<&str> = None;
    let mut changed: Option<NaiveDate> = None;
    for line in text.split_inclusive('\n') {
        let Some(rest) = line.strip_prefix("<url><loc>") else {
            patched.push_str(line);
            continue;
        };
        let (loc, after) = rest.split_once("</loc>")?;
        let Some(lastmod) = wanted.remove(loc) else {
            if let Some((day, _)) = after.strip_prefix("<lastmod>").and_then(|d| d.split_once("</lastmod>"))
                && kept.is_none_or(|k| (day.len(), day) > (k.len(), k))
            {
                kept = Some(day);
            }
            patched.push_str(line);
            continue;
        };
        push_url_at(&mut patched, loc, lastmod);
        changed = changed.max(lastmod);
    }
    let kept = match kept {
        Some(day) => Some(NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?),
        None => None,
    };
    Some((patched, kept.max(changed)))
}

/// A sitemap an edit brought up to date ([`patched`]): its files as made.
pub struct PatchedSitemap {
    pub files: Vec<(String, Vec<u8>)>,
}

impl Output for PatchedSitemap {
    fn count(&self) -> usize {
        1
    }

    fn path(&self, _s: &Scope, _n: usize) -> String {
        "sitemap.xml".into()
    }

    fn files(&self, _s: &Scope, _n: usize) -> Vec<String> {
        self.files.iter().map(|f| f.0.clone()).collect()
    }

    /// Of the bytes, not of the pages (which are not at hand): never a
    /// whole sitemap's signature, so the next build that lists every page
    /// makes it again (and, its bytes the same, writes nothing).
    fn signature(&self, _s: &Scope, sig: &Signatures, _n: usize) -> u128 {
        let mut h = sig.start("patched sitemap");
        for (path, bytes) in &self.files {
            h.str(path).bytes(bytes);
        }
        h.finish()
    }

    fn render(&self, _r: &PageRenderer, _n: usize) -> Result<Rendered, FileError> {
        Ok(Rendered {
            files: self.files.clone(),
            body_links: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;

    /// The base escaped once and each path escaped on its own give the
    /// escaped absolute URL; the day is written as `YYYY-MM-DD`.
    #[test]
    fn urls_are_escaped_whole_and_days_written_out() {
        let urls = Urls::new(&SiteConfig::default(), Some("https://example.org/a&b/"));
        let day = NaiveDate::from_ymd_opt(2024, 2, 9);
        let pages = [
            SitemapUrl {
                path: "x<y>/".into(),
                lastmod: day,
            },
            SitemapUrl {
                path: "z/".into(),
                lastmod: None,
            },
        ];
        let xml = urlset(&urls, &pages);
        let first = format!(
            "<url><loc>{}</loc><lastmod>2024-02-09</lastmod></url>",
            escape(urls.absolute("x<y>/"))
        );
        assert!(xml.contains(&first), "{xml}");
        assert!(
            xml.contains("<url><loc>https://example.org/a&amp;b/z/</loc></url>"),
            "{xml}"
        );
        assert!(xml.contains("a&amp;b/x&lt;y&gt;/"), "{xml}");
    }

    /// A patched sitemap is the one listing the changed pages anew, in one
    /// file or in parts (the index's days following its parts'), and a
    /// page not listed or a file not written here gives none.
    #[test]
    fn a_patched_sitemap_is_the_sitemap_of_the_changed_pages() {
        let urls = Urls::new(&SiteConfig::default(), Some("https://example.org/a&b/"));
        let day = |d: u32| NaiveDate::from_ymd_opt(2024, 2, d);
        for count in [10, MAX_URLS + 10] {
            let mut pages: Vec<SitemapUrl> = (0..count)
                .map(|i| SitemapUrl {
                    path: format!("s<{i}>/"),
                    lastmod: day(1 + (i % 3) as u32),
                })
                .collect();
            let dir = tempfile::tempdir().unwrap();
            for (path, bytes) in render(&urls, &pages) {
                std::fs::write(dir.path().join(path), bytes).unwrap();
            }
            // The newest day of the last part, a day taken away, one added.
            let last = count - 1;
            let changed = [(last, day(20)), (1, None), (count / 2, day(2))];
            let changes: Vec<SitemapUrl> = changed
                .iter()
                .map(|&(i, lastmod)| SitemapUrl {
                    path: pages[i].path.clone(),
                    lastmod,
                })
                .collect();
            for (i, lastmod) in changed {
                pages[i].lastmod = lastmod;
            }
            let files = patched(dir.path(), &urls, &changes, &[], &[]).unwrap();
            let all = render(&urls, &pages);
            // The index and every part that changed, as a whole build makes them.
            let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
            let expected: &[&str] = if count > MAX_URLS {
                &["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]
            } else {
                &["sitemap.xml"]
            };
            assert_eq!(names, expected);
            for file in &files {
                assert!(all.contains(file), "{} of {count} pages", file.0);
            }
            if count > MAX_URLS {
                // A part without a changed page is not read again.
                let last_only = patched(dir.path(), &urls, &changes[..1], &[], &[]).unwrap();
                let names: Vec<&str> = last_only.iter().map(|f| f.0.as_str()).collect();
                assert_eq!(names, ["sitemap.xml", "sitemap-2.xml"]);
            }
            let unknown = SitemapUrl {
                path: "s<1>".into(),
                lastmod: None,
            };
            assert!(patched(dir.path(), &urls, &[unknown], &[], &[]).is_none());
            std::fs::write(dir.path().join("sitemap.xml"), "<urlset>").unwrap();
            assert!(patched(dir.path(), &urls, &changes[..1], &[], &[]).is_none());
        }
    }

    fn page(path: &str, lastmod: Option<NaiveDate>) -> SitemapUrl {
        SitemapUrl {
            path: path.into(),
            lastmod,
        }
    }

    fn day(d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2024, 2, d)
    }

    /// Asserts that `files` are the files `made`, in order, each as a whole
    /// build of `expected` writes it.
    fn assert_made(urls: &Urls, files: &[(String, Vec<u8>)], expected: &[SitemapUrl], made: &[&str], what: &str) {
        let all = render(urls, expected);
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, made, "{what}");
        for file in files {
            assert!(all.contains(file), "{} of {what}", file.0);
        }
    }

    /// `count` pages on three days, as [`render`] writes them into a folder.
    fn written(urls: &Urls, count: usize) -> (Vec<SitemapUrl>, tempfile::TempDir) {
        let pages: Vec<SitemapUrl> = (0..count)
            .map(|i| page(&format!("s<{i}>/"), day(1 + (i % 3) as u32)))
            .collect();
        let dir = tempfile::tempdir().unwrap();
        for (path, bytes) in render(urls, &pages) {
            std::fs::write(dir.path().join(path), bytes).unwrap();
        }
        (pages, dir)
    }

    /// `count` pages without days, as [`render`] writes them into a folder.
    fn written_without_days(urls: &Urls, count: usize) -> (Vec<SitemapUrl>, tempfile::TempDir) {
        let pages: Vec<SitemapUrl> = (0..count).map(|i| page(&format!("{i}/"), None)).collect();
        let dir = tempfile::tempdir().unwrap();
        for (path, bytes) in render(urls, &pages) {
            std::fs::write(dir.path().join(path), bytes).unwrap();
        }
        (pages, dir)
    }

    /// A page inserted after another (a new article after the other
    /// articles) gives the sitemap listing it there, in one file or in
    /// parts, of which only those from the one holding the page before it
    /// are made again; the wrong page before it, a changed page not listed
    /// or a file more give none.
    #[test]
    fn an_inserted_page_gives_the_sitemap_listing_it_there() {
        let urls = Urls::new(&SiteConfig::default(), Some("https://example.org/a&b/"));
        for (count, at) in [
            (10, 6),
            (MAX_URLS + 10, MAX_URLS + 3),
            (MAX_URLS + 10, MAX_URLS),
            (MAX_URLS + 10, 7),
        ] {
            let (pages, dir) = written(&urls, count);
            let new = page("neu/", day(25));
            // The last page, a listing, shows the new article.
            let changes = [page(&pages[count - 1].path, day(25))];
            let files = inserted(dir.path(), &urls, at, &pages[at - 1].path, &new, &changes, &[]).unwrap();
            let mut expected: Vec<SitemapUrl> = pages.iter().map(|p| page(&p.path, p.lastmod)).collect();
            expected.insert(at, page(&new.path, new.lastmod));
            expected[count].lastmod = day(25);
            let made: &[&str] = match (count > MAX_URLS, at > MAX_URLS) {
                (false, _) => &["sitemap.xml"],
                (true, true) => &["sitemap.xml", "sitemap-2.xml"],
                (true, false) => &["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"],
            };
            assert_made(&urls, &files, &expected, made, &format!("{count} pages, at {at}"));
            assert!(inserted(dir.path(), &urls, at, &pages[at].path, &new, &changes, &[]).is_none());
            let unknown = [page("s<1>", None)];
            assert!(inserted(dir.path(), &urls, at, &pages[at - 1].path, &new, &unknown, &[]).is_none());
        }
        // A sitemap of as many pages as one file holds needs a second.
        let (pages, dir) = written_without_days(&urls, MAX_URLS);
        assert!(inserted(dir.path(), &urls, 5, &pages[4].path, &page("neu/", None), &[], &[]).is_none());
    }

    /// The pages a new article adds (its month's and year's, a listing's
    /// new archive page) are listed right after the page each list is
    /// paired with, with the new article's page at its place, in one file
    /// or across a part's end; a page to follow that is not listed after
    /// the new article gives none, as does a file more.
    #[test]
    fn added_pages_are_listed_after_the_page_they_follow() {
        let urls = Urls::new(&SiteConfig::default(), Some("https://example.org/"));
        for (count, at, follow) in [
            (10, 6, 8),
            (MAX_URLS + 10, MAX_URLS - 5, MAX_URLS + 2),
            (MAX_URLS + 10, 7, 9),
        ] {
            let (pages, dir) = written(&urls, count);
            let new = page("neu/", day(25));
            let opened = vec![page("2026/", None), page("2026/12/", day(25))];
            let archive = vec![page("liste/seite/9/", day(24))];
            let following = [
                (pages[follow].path.clone(), opened.clone()),
                (pages[follow - 1].path.clone(), archive.clone()),
            ];
            let files = inserted(dir.path(), &urls, at, &pages[at - 1].path, &new, &[], &following).unwrap();
            let mut expected: Vec<SitemapUrl> = pages.iter().map(|p| page(&p.path, p.lastmod)).collect();
            for (after, added) in [(follow, &opened), (follow - 1, &archive)] {
                expected.splice(after + 1..after + 1, added.iter().map(|p| page(&p.path, p.lastmod)));
            }
            expected.insert(at, page(&new.path, new.lastmod));
            let made: &[&str] = match count > MAX_URLS {
                false => &["sitemap.xml"],
                true => &["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"],
            };
            let what = format!("{count} pages, at {at}, after {follow}");
            assert_made(&urls, &files, &expected, made, &what);
            // Listed before the new article's place: not a page the other
            // kinds list.
            let before = [(pages[at - 2].path.clone(), opened.clone())];
            assert!(inserted(dir.path(), &urls, at, &pages[at - 1].path, &new, &[], &before).is_none());
            let unknown = [("2025/".to_string(), opened.clone())];
            assert!(inserted(dir.path(), &urls, at, &pages[at - 1].path, &new, &[], &unknown).is_none());
        }
        // Three pages more where one file holds only two more.
        let (pages, dir) = written_without_days(&urls, MAX_URLS - 2);
        let opened = vec![page("2026/", None), page("2026/12/", None)];
        let follow = [(pages[MAX_URLS - 3].path.clone(), opened)];
        assert!(inserted(dir.path(), &urls, 5, &pages[4].path, &page("neu/", None), &[], &follow).is_none());
    }

    /// A page added after another (a new term's front page after the term
    /// before it) is listed there, with the days of the changed pages, as
    /// a whole build lists them: in one file, and in parts, where the parts
    /// before the first that changes are not written; a page after one
    /// added goes after that one. An anchor not listed, or a page more
    /// where the last file is full, gives none.
    #[test]
    fn pages_added_to_a_patched_sitemap_follow_their_anchors() {
        let urls = Urls::new(&SiteConfig::default(), Some("https://example.org/"));
        for (count, follow) in [(10, 6), (MAX_URLS + 10, MAX_URLS + 3), (MAX_URLS + 10, 4)] {
            let (pages, dir) = written(&urls, count);
            let (first, second) = (page("themen/neu/", day(25)), page("themen/neu2/", day(24)));
            let following = [
                (pages[follow].path.clone(), vec![first.clone()]),
                (first.path.clone(), vec![second.clone()]),
            ];
            let changed = [page(&pages[1].path, day(26))];
            let files = patched(dir.path(), &urls, &changed, &following, &[]).unwrap();
            let mut expected: Vec<SitemapUrl> = pages.iter().map(|p| page(&p.path, p.lastmod)).collect();
            expected[1].lastmod = day(26);
            expected.splice(follow + 1..follow + 1, [first.clone(), second.clone()]);
            // The changed day is in the first part.
            let made: &[&str] = match count > MAX_URLS {
                false => &["sitemap.xml"],
                true => &["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"],
            };
            assert_made(
                &urls,
                &files,
                &expected,
                made,
                &format!("{count} pages, after {follow}"),
            );
            let unknown = [("themen/alt/".to_string(), vec![first.clone()])];
            assert!(patched(dir.path(), &urls, &changed, &unknown, &[]).is_none());
        }
        // With no day changed, a part before the page added stays.
        let (pages, dir) = written(&urls, MAX_URLS + 10);
        let following = [(pages[MAX_URLS + 3].path.clone(), vec![page("themen/neu/", None)])];
        let files = patched(dir.path(), &urls, &[], &following, &[]).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, ["sitemap.xml", "sitemap-2.xml"]);
        let (pages, dir) = written_without_days(&urls, MAX_URLS);
        let following = [(pages[3].path.clone(), vec![page("themen/neu/", None)])];
        assert!(patched(dir.path(), &urls, &[], &following, &[]).is_none());
    }

    /// A page dropped (a term's page that goes) is no longer listed, in one
    /// file or in parts, where the later lines move up; beside a page
    /// added, its place may be the anchor. A page not listed gives none.
    #[test]
    fn pages_dropped_from_a_patched_sitemap_are_no_longer_listed() {
        let urls = Urls::new(&SiteConfig::default(), Some("https://example.org/"));
        for (count, drop) in [(10, 6), (MAX_URLS + 10, MAX_URLS + 3), (MAX_URLS + 10, 4)] {
            let (pages, dir) = written(&urls, count);
            let dropped = [pages[drop].path.clone()];
            let added = page("themen/neu/", day(25));
            let following = [(pages[drop].path.clone(), vec![added.clone()])];
            for with_added in [false, true] {
                let following = if with_added { &following[..] } else { &[] };
                let files = patched(dir.path(), &urls, &[], following, &dropped).unwrap();
                let mut expected: Vec<SitemapUrl> = pages.iter().map(|p| page(&p.path, p.lastmod)).collect();
                match with_added {
                    true => expected[drop] = added.clone(),
                    false => {
                        expected.remove(drop);
                    }
                }
                // The part before the one holding it stays, and so does a
                // later one when a page takes the dropped one's place.
                let made: &[&str] = match (count > MAX_URLS, drop < MAX_URLS, with_added) {
                    (false, ..) => &["sitemap.xml"],
                    (true, false, _) => &["sitemap.xml", "sitemap-2.xml"],
                    (true, true, true) => &["sitemap.xml", "sitemap-1.xml"],
                    (true, true, false) => &["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"],
                };
                assert_made(
                    &urls,
                    &files,
                    &expected,
                    made,
                    &format!("{count} pages, {drop} dropped"),
                );
            }
            let unknown = ["themen/alt/".to_string()];
            assert!(patched(dir.path(), &urls, &[], &[], &unknown).is_none());
        }
    }

    /// A page moved among the article pages is listed at its new place
    /// and address, across a part's end too, with the days of the changed pages; only
    /// the parts holding its two places, and the one holding a changed
    /// page, are made again. Another page where it should be gives none.
    #[test]
    fn a_moved_page_gives_the_sitemap_listing_it_at_its_new_place() {
        let urls = Urls::new(&SiteConfig::default(), Some("https://example.org/a&b/"));
        for (count, from, to) in [
            (10, 2, 6),
            (10, 6, 2),
            (MAX_URLS + 10, MAX_URLS - 2, MAX_URLS + 1),
            (MAX_URLS + 10, MAX_URLS + 1, MAX_URLS - 2),
            (2 * MAX_URLS + 10, 5, 7),
        ] {
            let (pages, dir) = written(&urls, count);
            // At its address, or at another (a date edit into another
            // month), one that needs escaping.
            for path in [pages[from].path.clone(), format!("2030/01/neu&{from}/")] {
                // Its day changes, and that of the last page, a listing.
                let changes = [page(&path, day(25)), page(&pages[count - 1].path, day(26))];
                let was = pages[from].path.as_str();
                let files = moved(dir.path(), &urls, (from, to), (was, &path), &changes).unwrap();
                let mut expected: Vec<SitemapUrl> = pages.iter().map(|p| page(&p.path, p.lastmod)).collect();
                expected[count - 1].lastmod = day(26);
                expected.remove(from);
                expected.insert(to, page(&path, day(25)));
                let made: &[&str] = match count / MAX_URLS {
                    0 => &["sitemap.xml"],
                    1 => &["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"],
                    _ => &["sitemap.xml", "sitemap-1.xml", "sitemap-3.xml"],
                };
                assert_made(
                    &urls,
                    &files,
                    &expected,
                    made,
                    &format!("{count} pages, from {from} to {to} as {path}"),
                );
                let other = (pages[from + 1].path.as_str(), path.as_str());
                assert!(moved(dir.path(), &urls, (from, to), other, &changes).is_none());
            }
        }
    }

    #[test]
    fn index_past_the_limit() {
        let urls = Urls::new(&SiteConfig::default(), Some("https://example.org/a&b/"));
        let pages: Vec<SitemapUrl> = (0..MAX_URLS + 1)
            .map(|i| SitemapUrl {
                path: format!("{i}/"),
                lastmod: None,
            })
            .collect();
        let files = render(&urls, &pages);
        assert_eq!(
            files.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
            vec!["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]
        );
        assert_eq!(
            super::files(pages.len()),
            vec!["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]
        );
        let index = String::from_utf8(files[0].1.clone()).unwrap();
        assert!(
            index.contains("<sitemapindex") && index.contains("https://example.org/a&amp;b/sitemap-2.xml"),
            "{index}"
        );
        assert_eq!(super::files(MAX_URLS), vec!["sitemap.xml"]);
    }
}
