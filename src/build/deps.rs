//! What each output is made from, as one number: an output whose signature
//! is the one the manifest recorded is not rendered again.
//!
//! Signatures are built from the same values the templates see, not from
//! the rendered bytes, so computing them for 100 000 articles costs a few
//! hashes per output rather than a render. `global` covers everything every
//! page shows (site.yaml, templates, the `site` context); the rest is per
//! output: the articles it lists, their terms, its page number.

use crate::render::pages::Job;
use crate::render::sitemap::SitemapUrl;
use crate::site::{Entry, SiteIndex, Taxonomy};

/// A 128-bit hash builder with unambiguous field boundaries (XXH3: change
/// detection, not a defence against crafted collisions).
pub struct Hash(xxhash_rust::xxh3::Xxh3);

impl Hash {
    pub fn new(kind: &str) -> Hash {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(kind.as_bytes());
        Hash(h)
    }

    pub fn str(&mut self, s: &str) -> &mut Self {
        self.0.update(&(s.len() as u64).to_le_bytes());
        self.0.update(s.as_bytes());
        self
    }

    pub fn num(&mut self, n: u64) -> &mut Self {
        self.0.update(&n.to_le_bytes());
        self
    }

    pub fn hash(&mut self, x: u128) -> &mut Self {
        self.0.update(&x.to_le_bytes());
        self
    }

    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.num(b.len() as u64);
        self.0.update(b);
        self
    }

    pub fn finish(&self) -> u128 {
        self.0.digest128()
    }
}

/// Signatures of every output of one build.
pub struct Signatures {
    global: u128,
    feed_limit: usize,
    /// Per entry: what a list shows of it.
    summary: Vec<u128>,
    /// Per entry: everything of it (file, path, terms).
    article: Vec<u128>,
    related_limit: usize,
    /// The entries the Google News sitemap lists.
    news: Vec<usize>,
}

fn terms(h: &mut Hash, index: &SiteIndex, taxonomy: Taxonomy, ids: &[usize]) {
    h.num(ids.len() as u64);
    for &t in ids {
        let term = &index.terms(taxonomy)[t];
        h.str(&term.name).str(&term.slug);
    }
}

fn summary(index: &SiteIndex, e: &Entry) -> u128 {
    let f = &e.source.front;
    let mut h = Hash::new("summary");
    h.str(&f.title)
        .str(f.kicker.as_deref().unwrap_or(""))
        .str(f.summary.as_deref().unwrap_or(""))
        .str(&crate::content::date::format(&f.date))
        .str(&e.path);
    terms(&mut h, index, Taxonomy::Topics, &e.topics);
    h.finish()
}

fn article(index: &SiteIndex, e: &Entry, summary: u128) -> u128 {
    let mut h = Hash::new("article");
    // The file's hash covers all front matter and the body.
    h.hash(summary).hash(e.source.hash);
    terms(&mut h, index, Taxonomy::Tags, &e.tags);
    h.finish()
}

impl Signatures {
    /// `config` fingerprints site.yaml, templates and options; `site` is the
    /// serialised `site` context every page sees.
    pub fn new(config: u128, site: &[u8], index: &SiteIndex, feed_limit: usize) -> Signatures {
        use rayon::prelude::*;
        let global = Hash::new("global").hash(config).bytes(site).finish();
        let summary: Vec<u128> = index.entries.par_iter().map(|e| summary(index, e)).collect();
        let article = index
            .entries
            .par_iter()
            .zip(&summary)
            .map(|(e, &s)| article(index, e, s))
            .collect();
        Signatures {
            global,
            feed_limit,
            summary,
            article,
            related_limit: 0,
            news: Vec::new(),
        }
    }

    /// Article pages show `limit` related articles.
    pub fn with_related(mut self, limit: usize) -> Signatures {
        self.related_limit = limit;
        self
    }

    /// The Google News sitemap lists `entries`.
    pub fn with_news(mut self, entries: Vec<usize>) -> Signatures {
        self.news = entries;
        self
    }

    fn list(&self, h: &mut Hash, entries: &[usize]) {
        h.num(entries.len() as u64);
        for &i in entries {
            h.hash(self.summary[i]);
        }
    }

    /// The signature of a job's output(s).
    pub fn job(&self, job: &Job, index: &SiteIndex, sitemap: &[SitemapUrl]) -> u128 {
        let mut h = Hash::new("job");
        h.hash(self.global);
        match job {
            Job::Article(i) => {
                h.str("article").hash(self.article[*i]);
                for neighbour in [i.checked_sub(1), Some(i + 1).filter(|&n| n < index.entries.len())] {
                    match neighbour {
                        Some(n) => h.str(&index.entries[n].source.front.title).str(&index.entries[n].path),
                        None => h.str(""),
                    };
                }
                // A related article shows its title, kicker, date and path:
                // all in its summary's signature.
                let related = crate::site::related::related(index, *i, self.related_limit);
                h.str("related");
                self.list(&mut h, &related);
            }
            Job::Home(page) => {
                h.str("home").num(page.number as u64).num(page.total as u64);
                self.list(&mut h, &(page.range.clone()).collect::<Vec<_>>());
            }
            Job::TaxonomyList(t) => {
                h.str("taxonomy").num(*t as u64);
                for term in index.terms(*t) {
                    h.str(&term.name).str(&term.slug).num(term.entries.len() as u64);
                }
            }
            Job::Term(t, i, page) => {
                let term = &index.terms(*t)[*i];
                h.str("term")
                    .num(*t as u64)
                    .str(&term.name)
                    .str(&term.slug)
                    .num(term.entries.len() as u64);
                h.num(page.number as u64).num(page.total as u64);
                self.list(&mut h, &term.entries[page.range.clone()]);
            }
            Job::Year(y) => {
                let year = &index.years[*y];
                h.str("year").num(year.year as u64);
                for m in &year.months {
                    h.num(u64::from(m.month)).num(m.entries.len() as u64);
                }
            }
            Job::Month(y, m, page) => {
                let month = &index.years[*y].months[*m];
                h.str("month").num(month.year as u64).num(u64::from(month.month));
                h.num(page.number as u64).num(page.total as u64);
                self.list(&mut h, &month.entries[page.range.clone()]);
            }
            Job::NotFound => {
                h.str("404");
            }
            Job::Feed(format, scope) => {
                // The article signatures cover every item field of every
                // format (front matter, body, path, topics and tags).
                h.str("feed").num(*format as u64);
                let shown: Vec<usize> = match scope {
                    None => (0..index.entries.len().min(self.feed_limit)).collect(),
                    Some((t, i)) => {
                        let term = &index.terms(*t)[*i];
                        h.num(*t as u64).str(&term.name).str(&term.slug);
                        term.entries[..term.entries.len().min(self.feed_limit)].to_vec()
                    }
                };
                h.num(shown.len() as u64);
                for e in shown {
                    h.hash(self.article[e]);
                }
            }
            Job::Sitemap => {
                h.str("sitemap").num(sitemap.len() as u64);
                for url in sitemap {
                    h.str(&url.path).str(url.lastmod.as_deref().unwrap_or(""));
                }
            }
            Job::Robots => {
                h.str("robots");
            }
            Job::NewsSitemap => {
                h.str("news").num(self.news.len() as u64);
                for &e in &self.news {
                    let entry = &index.entries[e];
                    let f = &entry.source.front;
                    h.str(&f.title)
                        .str(&crate::content::date::format(&f.date))
                        .str(&entry.path)
                        .str(f.language.as_deref().unwrap_or(""));
                }
            }
            Job::SearchPage => {
                // The page shows the article count.
                h.str("search").num(index.entries.len() as u64);
            }
            Job::SearchData(file) => {
                // Signed by their bytes instead ([`Signatures::search_data`]).
                h.str("search data").str(&format!("{file:?}"));
            }
        }
        h.finish()
    }

    /// The signature of a search index file: its bytes are made before
    /// rendering (from every article's words), so they are the signature.
    pub fn search_data(&self, bytes: &[u8]) -> u128 {
        Hash::new("job")
            .hash(self.global)
            .str("search data")
            .bytes(bytes)
            .finish()
    }
}
