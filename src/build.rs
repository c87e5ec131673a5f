//! `blatt build`: the one orchestrator of load → index → render → check →
//! swap. Nothing reaches the output folder unless everything succeeded.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::Utc;
use rayon::prelude::*;

use crate::config::Site;
use crate::content::load_dir;
use crate::error::{Error, FileError, Location, Problem};
use crate::output::build_dir::{BuildDir, MARKER};
use crate::render::context::{SiteContext, Views};
use crate::render::feeds::{self, FeedSpec};
use crate::render::links::{self, Planned};
use crate::render::locale::Lang;
use crate::render::pages::{self, Job, PageRenderer};
use crate::render::sitemap::{self, SitemapUrl};
use crate::render::templates::Templates;
use crate::site::{Selection, SiteIndex, Urls, output_file};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The output folder; `public/` in the site by default.
    pub out: PathBuf,
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    pub drafts: bool,
    pub future: bool,
}

impl BuildOptions {
    pub fn for_site(site: &Site) -> BuildOptions {
        BuildOptions {
            out: site.root.join("public"),
            base_url: None,
            drafts: false,
            future: false,
        }
    }
}

/// What a build made.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub articles: usize,
    pub topics: usize,
    pub tags: usize,
    /// HTML pages.
    pub pages: usize,
    /// All files, pages included.
    pub files: usize,
    /// Files whose bytes changed (the rest kept their modification time).
    pub written: usize,
    pub out: PathBuf,
}

enum StaticSource {
    Embedded(&'static [u8]),
    File(PathBuf),
}

fn static_files(site_static: &Path) -> (Vec<(String, StaticSource)>, Vec<FileError>) {
    let mut files: Vec<(String, StaticSource)> = crate::render::templates::STATIC
        .iter()
        .map(|(p, b)| (p.to_string(), StaticSource::Embedded(b)))
        .collect();
    let mut errors = Vec::new();
    if site_static.is_dir() {
        let (found, mut walk_errors) = crate::content::load::walk_files(site_static, |_| true);
        errors.append(&mut walk_errors);
        for path in found {
            let rel = format!(
                "static/{}",
                path.strip_prefix(site_static)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/")
            );
            files.retain(|(p, _)| *p != rel);
            files.push((rel, StaticSource::File(path)));
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    (files, errors)
}

/// The `site` value of every template.
fn site_context(site: &Site, index: &SiteIndex, urls: &Urls, lang: &Lang) -> SiteContext {
    let views = Views { index, urls, lang };
    let mut nav: Vec<&crate::site::Term> = index.topics.iter().collect();
    nav.sort_by(|a, b| b.entries.len().cmp(&a.entries.len()).then_with(|| a.slug.cmp(&b.slug)));
    let config = &site.config;
    SiteContext {
        title: config.title.clone(),
        description: config.description.clone(),
        language: config.language.clone(),
        base_url: urls.base_url().to_string(),
        base_path: urls.base_path().to_string(),
        home_url: urls.href(""),
        feed_url: urls.absolute(&Urls::feed("")),
        topics_url: urls.href(&urls.taxonomy(crate::site::Taxonomy::Topics)),
        tags_url: urls.href(&urls.taxonomy(crate::site::Taxonomy::Tags)),
        stylesheet_url: urls.href("static/style.css"),
        favicon_url: urls.href("static/favicon.svg"),
        labels: lang.labels.clone(),
        nav_topics: nav.into_iter().take(5).map(|t| views.term(t)).collect(),
        years: index.years.iter().map(|y| views.year(y)).collect(),
    }
}

/// Sitemap entries for every HTML page but the 404 page.
fn sitemap_urls(jobs: &[Job], index: &SiteIndex, urls: &Urls) -> Vec<SitemapUrl> {
    let day = |i: usize| {
        let e = &index.entries[i];
        let f = &e.article.front;
        f.updated
            .unwrap_or(f.date)
            .max(f.date)
            .with_timezone(&e.local.timezone())
            .format("%Y-%m-%d")
            .to_string()
    };
    let newest = |list: &[usize]| list.iter().copied().min().map(day);
    jobs.iter()
        .filter_map(|job| {
            let lastmod = match job {
                Job::Article(i) => Some(day(*i)),
                Job::Home(p) => newest(&(p.range.clone()).collect::<Vec<_>>()),
                Job::Term(t, i, p) => newest(&index.terms(*t)[*i].entries[p.range.clone()]),
                Job::Month(y, m, p) => newest(&index.years[*y].months[*m].entries[p.range.clone()]),
                Job::TaxonomyList(_) | Job::Year(_) => None,
                Job::NotFound | Job::Feed(_) | Job::Sitemap | Job::Robots => return None,
            };
            Some(SitemapUrl {
                path: pages::path(job, index, urls),
                lastmod,
            })
        })
        .collect()
}

/// Everything a build knows before it renders anything.
struct Prepared {
    index: SiteIndex,
    urls: Urls,
    lang: Lang,
    templates: Templates,
    statics: Vec<(String, StaticSource)>,
    jobs: Vec<Job>,
    sitemap_pages: Vec<SitemapUrl>,
    planned: Planned,
    site_ctx: SiteContext,
}

/// Loads and validates content, templates and static files; on errors,
/// returns them all with the number of articles that did load.
fn prepare(site: &Site, options: &BuildOptions) -> Result<Prepared, (usize, Vec<FileError>)> {
    let config = &site.config;
    let lang = Lang::new(&config.language, &config.labels);
    let loaded = load_dir(&site.content_dir(), config.timezone);
    let count = loaded.articles.len();
    let mut errors = loaded.errors;
    let templates = match Templates::load(&site.root.join("templates"), &lang) {
        Ok(t) => Some(t),
        Err(mut e) => {
            errors.append(&mut e);
            None
        }
    };
    let (statics, mut static_errors) = static_files(&site.root.join("static"));
    errors.append(&mut static_errors);
    let Some(mut templates) = templates.filter(|_| errors.is_empty()) else {
        return Err((count, errors));
    };
    let selection = Selection {
        drafts: options.drafts,
        future: options.future,
        now: Utc::now(),
    };
    let index = SiteIndex::new(loaded.articles, config.timezone, selection);
    let urls = Urls::new(config, options.base_url.as_deref());
    let jobs = pages::jobs(&index, config.paginate);
    let sitemap_pages = sitemap_urls(&jobs, &index, &urls);
    let planned = Planned::new(
        jobs.iter()
            .filter(|j| **j != Job::Sitemap)
            .map(|j| output_file(&pages::path(j, &index, &urls)))
            .chain(sitemap::files(sitemap_pages.len()))
            .chain(statics.iter().map(|(p, _)| p.clone()))
            .chain([MARKER.to_string()]),
    );
    let site_ctx = site_context(site, &index, &urls, &lang);
    templates.set_global("site", &site_ctx);
    Ok(Prepared {
        index,
        urls,
        lang,
        templates,
        statics,
        jobs,
        sitemap_pages,
        planned,
        site_ctx,
    })
}

/// Renders every file in parallel into `out` (or nowhere, for a check),
/// checking each page's links; returns every error.
fn render(
    p: &Prepared,
    site: &Site,
    options: &BuildOptions,
    out: Option<&BuildDir>,
    progress: &(dyn Fn() + Sync),
) -> Vec<FileError> {
    let config = &site.config;
    let (index, urls) = (&p.index, &p.urls);
    let renderer = PageRenderer {
        views: Views {
            index,
            urls,
            lang: &p.lang,
        },
        templates: &p.templates,
        config,
        site: &p.site_ctx,
    };
    let errors = Mutex::new(Vec::new());
    let fail = |e: FileError| errors.lock().expect("no panics while holding the lock").push(e);
    let write = |rel: &str, bytes: &[u8]| {
        if let Some(out) = out {
            if let Err(e) = out.write(rel, bytes) {
                fail(FileError::new(
                    Location::file(out.staging().join(rel)),
                    Problem::Write(e.to_string()),
                ));
            }
        }
    };
    p.jobs.par_iter().for_each(|job| {
        let path = pages::path(job, index, urls);
        let files: Vec<(String, Vec<u8>)> = match job {
            Job::Feed(scope) => {
                let spec = FeedSpec::new(*scope, index, urls, config, &p.lang);
                vec![(path, feeds::render(&spec, index, urls, config))]
            }
            Job::Sitemap => sitemap::render(urls, &p.sitemap_pages),
            Job::Robots => vec![(path, sitemap::robots(urls))],
            _ => match renderer.render_job(job).expect("an HTML page job") {
                Ok(html) => {
                    let text = String::from_utf8_lossy(&html);
                    for link in links::broken(&text, &path, urls, &p.planned) {
                        let location = match job {
                            Job::Article(i) => Location::file(&index.entries[*i].article.path),
                            _ => Location::file(options.out.join(output_file(&path))),
                        };
                        fail(FileError::new(
                            location,
                            Problem::BrokenLink {
                                link: link.to_string(),
                                page: urls.href(&path),
                            },
                        ));
                    }
                    vec![(output_file(&path), html)]
                }
                Err(e) => {
                    fail(e);
                    Vec::new()
                }
            },
        };
        for (rel, bytes) in files {
            write(&rel, &bytes);
        }
        progress();
    });
    p.statics.par_iter().for_each(|(rel, source)| match source {
        StaticSource::Embedded(bytes) => write(rel, bytes),
        StaticSource::File(path) => match std::fs::read(path) {
            Ok(bytes) => write(rel, &bytes),
            Err(e) => fail(FileError::new(Location::file(path), Problem::Read(e.to_string()))),
        },
    });
    let mut errors = errors.into_inner().expect("no panics while holding the lock");
    errors.sort_by(|a, b| a.location.cmp(&b.location));
    errors.dedup();
    errors
}

fn validate_base_url(options: &BuildOptions) -> Result<(), Error> {
    match &options.base_url {
        Some(url) if !crate::content::front_matter::is_http_url(url) => Err(Error::Usage(format!(
            "--base-url `{url}` is not an absolute http(s) URL"
        ))),
        _ => Ok(()),
    }
}

/// Builds the site into `options.out`. On any error the previous output is
/// left untouched and every error is returned.
pub fn build(site: &Site, options: &BuildOptions, progress: &(dyn Fn() + Sync)) -> Result<BuildReport, Error> {
    validate_base_url(options)?;
    let prepared = prepare(site, options).map_err(|(_, errors)| Error::Files(errors))?;
    let out = BuildDir::create(&options.out)?;
    let errors = render(&prepared, site, options, Some(&out), progress);
    if !errors.is_empty() {
        return Err(Error::Files(errors));
    }
    let (written, _kept) = out.counts();
    let out = out.commit()?;
    let index = &prepared.index;
    Ok(BuildReport {
        articles: index.entries.len(),
        topics: index.topics.len(),
        tags: index.tags.len(),
        pages: prepared
            .jobs
            .iter()
            .filter(|j| !matches!(j, Job::Feed(_) | Job::Sitemap | Job::Robots))
            .count(),
        files: prepared.planned.len(),
        written,
        out,
    })
}

/// What `blatt check` found.
#[derive(Debug)]
pub struct CheckReport {
    /// Articles that loaded without error.
    pub articles: usize,
    pub errors: Vec<FileError>,
}

/// Everything a build would do, drafts and future articles included, with
/// nothing written: content, templates, every page rendered, every link checked.
pub fn check(site: &Site, progress: &(dyn Fn() + Sync)) -> CheckReport {
    let mut options = BuildOptions::for_site(site);
    options.drafts = true;
    options.future = true;
    match prepare(site, &options) {
        Err((articles, errors)) => CheckReport { articles, errors },
        Ok(prepared) => {
            let errors = render(&prepared, site, &options, None, progress);
            CheckReport {
                articles: prepared.index.entries.len(),
                errors,
            }
        }
    }
}
