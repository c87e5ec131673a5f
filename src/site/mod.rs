//! The site as the build sees it: published articles, newest first, grouped
//! by topic, tag, year and month. Built once from loaded content; every page,
//! feed and the sitemap are rendered from this index.

pub mod paginate;
pub mod related;
pub mod urls;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, FixedOffset, Utc};
use chrono_tz::Tz;
use rayon::prelude::*;

use crate::config::MinArticles;
use crate::content::ArticleFile;
use crate::text::slug::slugify;
pub use urls::{Taxonomy, Urls, output_file};

/// Which articles a build includes.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    pub drafts: bool,
    pub future: bool,
    /// Articles dated after this are future articles.
    pub now: DateTime<Utc>,
}

impl Selection {
    /// Whether an article of this front matter is on the site: neither a
    /// draft nor dated after `now`, unless the selection takes those too.
    pub fn publishes(&self, front: &crate::content::FrontMatter) -> bool {
        (self.drafts || !front.draft) && (self.future || front.date.with_timezone(&Utc) <= self.now)
    }
}

/// One published article and where it goes.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its file in [`SiteIndex::sources`]. The files stay where they were
    /// given: an entry that held its file (592 bytes) made the index move
    /// every file into fresh memory and again into its place by date, and
    /// took their names by date, a cache miss each (index and record of a
    /// title edit at 100 000 articles of the bench corpus: medians 206 and
    /// 84 ms, now 121 and 57 ms).
    pub file: usize,
    /// Site-relative URL path: `2022/01/slug/`.
    pub path: String,
    /// The publication date in the site's time zone.
    pub local: DateTime<Tz>,
    /// Indices into [`SiteIndex::topics`], [`SiteIndex::tags`] and
    /// [`SiteIndex::authors`].
    pub topics: Vec<usize>,
    pub tags: Vec<usize>,
    pub authors: Vec<usize>,
}

/// Terms too few articles carry for a page, by slug, with how many do.
pub type BelowMinimum = Vec<(String, usize)>;

/// A topic or tag with its articles (indices into the entries, newest first).
#[derive(Debug, Clone)]
pub struct Term {
    pub taxonomy: Taxonomy,
    pub name: String,
    pub slug: String,
    pub entries: Vec<usize>,
    /// By how many uses the spelling that names the term leads the next
    /// spelling of it (all its uses when it has one): an edit that takes
    /// fewer uses of the name away leaves the name as it is, so the edit
    /// path knows without counting the whole site again
    /// (`pipeline::edits`).
    pub lead: usize,
}

#[derive(Debug, Clone)]
pub struct Month {
    pub year: i32,
    pub month: u32,
    pub entries: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Year {
    pub year: i32,
    /// Newest first.
    pub months: Vec<Month>,
}

impl Year {
    pub fn count(&self) -> usize {
        self.months.iter().map(|m| m.entries.len()).sum()
    }
}

#[derive(Debug, Clone, Default)]
pub struct SiteIndex {
    /// Every article file the index was made from, published or not, in
    /// the order given (a build gives them sorted by path, as its manifest
    /// keeps them). The files and front matter; bodies stay on disk.
    pub sources: Vec<ArticleFile>,
    /// Newest first; ties broken by URL so that builds are reproducible.
    pub entries: Vec<Entry>,
    /// Sorted by slug.
    pub topics: Vec<Term>,
    pub tags: Vec<Term>,
    pub authors: Vec<Term>,
    /// Newest first.
    pub years: Vec<Year>,
    /// The terms too few published articles carry for a page
    /// (`min_articles`), by slug, with how many do: an edit that adds an
    /// article to one knows whether it gets its page (`pipeline::edits`).
    pub below_minimum: [BelowMinimum; 3],
    /// When the earliest article left out for being dated in the future
    /// falls due: a rebuild after that time has changes to make.
    pub next_due: Option<DateTime<Utc>>,
}

/// The site's order of two articles by (date, site path): the newer
/// first and, on a tie of times, by address — an import dates an article
/// known by its day alone at midnight, as it does the day's others. The
/// index sorts by it; an edit placing an article among the others
/// compares by it ([`SiteIndex::comes_before`]).
pub fn newest_first(a: (DateTime<FixedOffset>, &str), b: (DateTime<FixedOffset>, &str)) -> std::cmp::Ordering {
    b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1))
}

impl SiteIndex {
    /// Indexes the articles that `selection` publishes, every term however
    /// few articles carry it.
    pub fn new(sources: Vec<ArticleFile>, tz: Tz, selection: Selection) -> SiteIndex {
        SiteIndex::with_minimum(sources, tz, selection, &MinArticles::EVERY)
    }

    /// The site path of the article of `source` (its month's folder, its
    /// slug), as the index gives its entry: what orders articles of the
    /// same time ([`newest_first`]).
    pub fn path_of(source: &ArticleFile, tz: Tz) -> String {
        Self::path_at(source, source.front.date.with_timezone(&tz))
    }

    /// Whether the article of `other` comes before one dated `date` at
    /// site path `path` in the site's order ([`newest_first`]): what an
    /// edit placing one article among the others asks of each it passes.
    pub fn comes_before(other: &ArticleFile, tz: Tz, (date, path): (DateTime<FixedOffset>, &str)) -> bool {
        let at = (other.front.date, Self::path_of(other, tz));
        newest_first((at.0, &at.1), (date, path)).is_lt()
    }

    fn path_at(source: &ArticleFile, local: DateTime<Tz>) -> String {
        Urls::article(local.year(), local.month(), &source.slug())
    }

    /// [`SiteIndex::new`], keeping only the terms that at least `min`
    /// published articles carry; the others get no page, feed or link.
    pub fn with_minimum(sources: Vec<ArticleFile>, tz: Tz, selection: Selection, min: &MinArticles) -> SiteIndex {
        let next_due = sources
            .iter()
            .filter(|s| selection.drafts || !s.front.draft)
            .map(|s| s.front.date.with_timezone(&Utc))
            .filter(|d| !selection.future && *d > selection.now)
            .min();
        // Each article's place worked out on every core (a slug may be made
        // from the file name).
        let places: Vec<Option<(DateTime<Tz>, String)>> = sources
            .par_iter()
            .map(|source| {
                selection.publishes(&source.front).then(|| {
                    let local = source.front.date.with_timezone(&tz);
                    (local, Self::path_at(source, local))
                })
            })
            .collect();
        let published: Vec<bool> = places.iter().map(Option::is_some).collect();
        let mut entries: Vec<Entry> = places
            .into_iter()
            .enumerate()
            .filter_map(|(file, place)| {
                let (local, path) = place?;
                Some(Entry {
                    file,
                    path,
                    local,
                    topics: Vec::new(),
                    tags: Vec::new(),
                    authors: Vec::new(),
                })
            })
            .collect();
        entries.par_sort_unstable_by(|a, b| {
            newest_first(
                (sources[a.file].front.date, &a.path),
                (sources[b.file].front.date, &b.path),
            )
        });

        // The three taxonomies side by side, each on its own core.
        let group = |taxonomy, min| group_terms(&sources, &published, &entries, taxonomy, min);
        let ((topics, topic_ids, few_topics), ((tags, tag_ids, few_tags), (authors, author_ids, few_authors))) =
            rayon::join(
                || group(Taxonomy::Topics, min.topics),
                || {
                    rayon::join(
                        || group(Taxonomy::Tags, min.tags),
                        || group(Taxonomy::Authors, min.authors),
                    )
                },
            );
        let ids = topic_ids.into_iter().zip(tag_ids).zip(author_ids);
        for (e, ((topics, tags), authors)) in entries.iter_mut().zip(ids) {
            (e.topics, e.tags, e.authors) = (topics, tags, authors);
        }

        let mut by_month: BTreeMap<(i32, u32), Vec<usize>> = BTreeMap::new();
        for (i, e) in entries.iter().enumerate() {
            by_month.entry((e.local.year(), e.local.month())).or_default().push(i);
        }
        let mut years: Vec<Year> = Vec::new();
        for ((year, month), list) in by_month.into_iter().rev() {
            if years.last().is_none_or(|y| y.year != year) {
                years.push(Year {
                    year,
                    months: Vec::new(),
                });
            }
            years.last_mut().expect("just pushed").months.push(Month {
                year,
                month,
                entries: list,
            });
        }
        SiteIndex {
            sources,
            entries,
            topics,
            tags,
            authors,
            years,
            below_minimum: [few_topics, few_tags, few_authors],
            next_due,
        }
    }

    /// Drops the terms `keep` refuses, and their links from the entries: an
    /// index of a few articles keeps only the terms the whole site has.
    pub fn retain_terms(&mut self, taxonomy: Taxonomy, keep: impl Fn(&Term) -> bool) {
        let terms = match taxonomy {
            Taxonomy::Topics => &mut self.topics,
            Taxonomy::Tags => &mut self.tags,
            Taxonomy::Authors => &mut self.authors,
        };
        let mut new_id = Vec::with_capacity(terms.len());
        let mut next = 0;
        for t in terms.iter() {
            new_id.push(keep(t).then(|| {
                next += 1;
                next - 1
            }));
        }
        let mut id = 0;
        terms.retain(|_| {
            id += 1;
            new_id[id - 1].is_some()
        });
        for e in &mut self.entries {
            let ids = e.terms_mut(taxonomy);
            *ids = ids.iter().filter_map(|&i| new_id[i]).collect();
        }
    }

    pub fn terms(&self, taxonomy: Taxonomy) -> &[Term] {
        match taxonomy {
            Taxonomy::Topics => &self.topics,
            Taxonomy::Tags => &self.tags,
            Taxonomy::Authors => &self.authors,
        }
    }

    /// The term of `taxonomy` that `name` belongs to, if it has a page
    /// (terms are sorted by slug).
    pub fn find_term(&self, taxonomy: Taxonomy, name: &str) -> Option<&Term> {
        let slug = slugify(name);
        let terms = self.terms(taxonomy);
        terms
            .binary_search_by(|t| t.slug.as_str().cmp(&slug))
            .ok()
            .map(|i| &terms[i])
    }

    /// The file of `entry`.
    pub fn source(&self, entry: &Entry) -> &ArticleFile {
        &self.sources[entry.file]
    }

    /// The file of the `i`th entry.
    pub fn article(&self, i: usize) -> &ArticleFile {
        self.source(&self.entries[i])
    }

    /// The files the selection left out (drafts, future articles), kept
    /// in [`SiteIndex::sources`] so that the next build need not read them
    /// again: those no entry names.
    pub fn unpublished(&self) -> impl Iterator<Item = &ArticleFile> {
        let mut published = vec![false; self.sources.len()];
        for e in &self.entries {
            published[e.file] = true;
        }
        self.sources.iter().zip(published).filter(|(_, p)| !p).map(|(s, _)| s)
    }
}

/// Where the `@/…` links of the index's bodies lead: by file (relative to
/// `content_dir`, `/`-separated) the site path of its article; and every
/// link to a file that is no published article, as (article file, line, link).
pub type ContentLinks = (HashMap<String, String>, Vec<(std::path::PathBuf, usize, String)>);

impl SiteIndex {
    /// The targets of the `@/…` links of every entry's body.
    pub fn content_links(&self, content_dir: &std::path::Path) -> ContentLinks {
        let mut found = HashMap::new();
        let mut missing = Vec::new();
        if self
            .entries
            .iter()
            .all(|e| self.source(e).body.content_links.is_empty())
        {
            return (found, missing);
        }
        let by_file: HashMap<String, &str> = self
            .entries
            .iter()
            .filter_map(|e| {
                let rel = self.source(e).path.strip_prefix(content_dir).ok()?;
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                Some((rel.join("/"), e.path.as_str()))
            })
            .collect();
        for e in &self.entries {
            let source = self.source(e);
            for (file, line) in &source.body.content_links {
                match by_file.get(file.trim_start_matches('/')) {
                    Some(path) => {
                        found.insert(file.clone(), path.to_string());
                    }
                    None => missing.push((source.path.clone(), *line, file.clone())),
                }
            }
        }
        (found, missing)
    }
}

impl Entry {
    /// The entry's terms of `taxonomy` (indices into the index's list).
    pub fn terms(&self, taxonomy: Taxonomy) -> &[usize] {
        match taxonomy {
            Taxonomy::Topics => &self.topics,
            Taxonomy::Tags => &self.tags,
            Taxonomy::Authors => &self.authors,
        }
    }

    fn terms_mut(&mut self, taxonomy: Taxonomy) -> &mut Vec<usize> {
        match taxonomy {
            Taxonomy::Topics => &mut self.topics,
            Taxonomy::Tags => &mut self.tags,
            Taxonomy::Authors => &mut self.authors,
        }
    }
}

/// Groups entries into terms by slug, so that `NATO` and `Nato` are one
/// term (they would share a URL); the term is named by its most used spelling.
/// Returns the terms with at least `min_articles` articles, each entry's
/// terms among them (in its own order, each once), and the other terms with
/// their counts, for the caller to store: the three taxonomies are grouped
/// side by side.
///
/// Every rebuild that is not a body edit groups all articles again, so each
/// name an article carries is looked up once, in a hash map of spellings;
/// slugs are made and compared per distinct spelling, not per article.
fn group_terms(
    sources: &[ArticleFile],
    published: &[bool],
    entries: &[Entry],
    taxonomy: Taxonomy,
    min_articles: usize,
) -> (Vec<Term>, Vec<Vec<usize>>, BelowMinimum) {
    // Each name of each published file as the number of its spelling.
    let mut spelling_of: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    let mut spellings: Vec<(&str, usize)> = Vec::new();
    // In one vector, file after file; file `f`'s end at `ends[f]`.
    // A vector per entry made the three taxonomies, grouped side by side,
    // hold 300 000 small vectors at once, at the peak of a large build.
    // By file, not by date: the names' strings lie in memory in the files'
    // order (decoded or read one after another), and taken by date they
    // were a cache miss each (at 100 000 articles, grouping took 80-100
    // ms of a title edit's index taken by date).
    let mut spelled: Vec<usize> = Vec::new();
    let mut ends: Vec<usize> = Vec::with_capacity(sources.len());
    for (source, published) in sources.iter().zip(published) {
        let names = if *published { taxonomy.names(&source.front) } else { &[] };
        for n in names {
            let id = *spelling_of.entry(n.as_str()).or_insert_with(|| {
                spellings.push((n.as_str(), 0));
                spellings.len() - 1
            });
            spellings[id].1 += 1;
            spelled.push(id);
        }
        ends.push(spelled.len());
    }
    let named = |i: usize| {
        let f = entries[i].file;
        &spelled[f.checked_sub(1).map_or(0, |p| ends[p])..ends[f]]
    };
    // Spellings by slug, the slugs in order.
    let mut slug_ids: foldhash::HashMap<String, usize> = foldhash::HashMap::default();
    let mut slugs: Vec<String> = Vec::new();
    let slug_of_spelling: Vec<usize> = spellings
        .iter()
        .map(|(n, _)| {
            let slug = slugify(n);
            *slug_ids.entry(slug).or_insert_with_key(|slug| {
                slugs.push(slug.clone());
                slugs.len() - 1
            })
        })
        .collect();
    let mut lists: Vec<Vec<usize>> = vec![Vec::new(); slugs.len()];
    for i in 0..entries.len() {
        for &sp in named(i) {
            let list = &mut lists[slug_of_spelling[sp]];
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    // The most used spelling names a term; of equally used ones, the first
    // in byte order.
    let mut name_of: Vec<Option<&str>> = vec![None; slugs.len()];
    let mut count_of: Vec<usize> = vec![0; slugs.len()];
    // The uses of the best spelling but one.
    let mut second: Vec<usize> = vec![0; slugs.len()];
    for (sp, &(name, count)) in spellings.iter().enumerate() {
        let s = slug_of_spelling[sp];
        let better = match name_of[s] {
            None => true,
            Some(best) => count > count_of[s] || (count == count_of[s] && name < best),
        };
        if better {
            if name_of[s].is_some() {
                second[s] = count_of[s];
            }
            name_of[s] = Some(name);
            count_of[s] = count;
        } else {
            second[s] = second[s].max(count);
        }
    }
    let mut below: BelowMinimum = (0..slugs.len())
        .filter(|&s| lists[s].len() < min_articles)
        .map(|s| (slugs[s].clone(), lists[s].len()))
        .collect();
    below.sort_unstable();
    let mut by_slug: Vec<usize> = (0..slugs.len()).filter(|&s| lists[s].len() >= min_articles).collect();
    by_slug.sort_unstable_by(|&a, &b| slugs[a].cmp(&slugs[b]));
    let mut id_of: Vec<Option<usize>> = vec![None; slugs.len()];
    let mut terms = Vec::with_capacity(by_slug.len());
    for (n, &s) in by_slug.iter().enumerate() {
        id_of[s] = Some(n);
        terms.push(Term {
            taxonomy,
            name: name_of[s].unwrap_or("").to_string(),
            slug: std::mem::take(&mut slugs[s]),
            entries: std::mem::take(&mut lists[s]),
            lead: count_of[s] - second[s],
        });
    }
    let of_entries = (0..entries.len())
        .map(|i| {
            let mut ids: Vec<usize> = Vec::new();
            for &sp in named(i) {
                let Some(id) = id_of[slug_of_spelling[sp]] else {
                    continue;
                };
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            ids
        })
        .collect();
    (terms, of_entries, below)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{FrontMatter, date};
    use chrono_tz::Europe::Berlin;

    fn article(slug: &str, day: &str, topics: &[&str], draft: bool) -> ArticleFile {
        let mut fm = FrontMatter::new(slug, date::parse(day, Berlin).unwrap());
        fm.topics = topics.iter().map(|s| s.to_string()).collect();
        fm.slug = Some(slug.into());
        fm.draft = draft;
        ArticleFile {
            path: format!("content/{slug}.md").into(),
            size: 0,
            mtime: 0,
            hash: 0,
            front: fm,
            body: Default::default(),
        }
    }

    fn select(drafts: bool, future: bool) -> Selection {
        Selection {
            drafts,
            future,
            now: date::parse("2022-06-01", Berlin).unwrap().with_timezone(&Utc),
        }
    }

    #[test]
    fn newest_first_grouped_by_term_and_month() {
        let index = SiteIndex::new(
            vec![
                article("a", "2022-01-21", &["Ukraine-Konflikt", "NATO"], false),
                article("b", "2022-02-01", &["Nato"], false),
                article("c", "2021-12-31T23:30:00+00:00", &[], false),
            ],
            Berlin,
            select(false, false),
        );
        let paths: Vec<&str> = index.entries.iter().map(|e| e.path.as_str()).collect();
        // 23:30 UTC on New Year's Eve is already January in Berlin.
        assert_eq!(paths, vec!["2022/02/b/", "2022/01/a/", "2022/01/c/"]);
        let topics: Vec<(&str, &str, usize)> = index
            .topics
            .iter()
            .map(|t| (t.name.as_str(), t.slug.as_str(), t.entries.len()))
            .collect();
        assert_eq!(
            topics,
            vec![("NATO", "nato", 2), ("Ukraine-Konflikt", "ukraine-konflikt", 1)]
        );
        assert_eq!(index.years.len(), 1);
        assert_eq!(
            index.years[0].months.iter().map(|m| m.month).collect::<Vec<_>>(),
            vec![2, 1]
        );
        assert_eq!(index.entries[1].topics, vec![1, 0]);
    }

    #[test]
    fn terms_below_the_minimum_get_no_page_and_no_link() {
        let articles = vec![
            article("a", "2022-01-01", &["Nato", "Kiew"], false),
            article("b", "2022-01-02", &["NATO"], false),
            article("c", "2022-01-03", &["Kiew"], true),
        ];
        let min = MinArticles {
            topics: 2,
            tags: 2,
            authors: 2,
        };
        let index = SiteIndex::with_minimum(articles, Berlin, select(false, false), &min);
        let names: Vec<&str> = index.topics.iter().map(|t| t.name.as_str()).collect();
        // `Kiew` has one published article (the other is a draft).
        assert_eq!(names, vec!["NATO"]);
        assert_eq!(index.entries[1].topics, vec![0]);
        assert_eq!(index.entries[0].topics, vec![0]);
    }

    /// An index of some of the site's articles (what an edit shows) keeps
    /// every term: the site's minimum is for the whole site, and a term
    /// with one article here may have many there.
    #[test]
    fn an_index_of_part_of_the_site_keeps_every_term() {
        let mut tagged = article("a", "2022-01-01", &["Nato"], false);
        tagged.front.tags = vec!["Kiew".into()];
        let index = SiteIndex::new(vec![tagged], Berlin, select(false, false));
        assert_eq!(index.topics.len(), 1);
        assert_eq!(index.tags.len(), 1);
    }

    /// A term's lead is by how many uses its name beats the next spelling:
    /// what an edit may take away and leave the name as it is.
    #[test]
    fn a_term_knows_by_how_much_its_name_leads() {
        let articles = vec![
            article("a", "2022-01-01", &["NATO", "Kiew"], false),
            article("b", "2022-01-02", &["NATO", "Nato"], false),
            article("c", "2022-01-03", &["NATO"], false),
            article("d", "2022-01-04", &["Nato"], false),
            article("e", "2022-01-05", &["Nato", "Kiew"], true),
        ];
        let index = SiteIndex::new(articles, Berlin, select(false, false));
        let leads: Vec<(&str, usize)> = index.topics.iter().map(|t| (t.name.as_str(), t.lead)).collect();
        // Three against two (the draft not counted); one spelling: all uses.
        assert_eq!(leads, [("Kiew", 1), ("NATO", 1)]);
    }

    #[test]
    fn drafts_and_future_articles_are_left_out_unless_asked() {
        let articles = vec![
            article("draft", "2022-01-01", &[], true),
            article("future", "2023-01-01", &[], false),
            article("now", "2022-01-01", &[], false),
        ];
        assert_eq!(
            SiteIndex::new(articles.clone(), Berlin, select(false, false))
                .entries
                .len(),
            1
        );
        assert_eq!(
            SiteIndex::new(articles.clone(), Berlin, select(true, false))
                .entries
                .len(),
            2
        );
        assert_eq!(SiteIndex::new(articles, Berlin, select(true, true)).entries.len(), 3);
    }

    /// The files stay in the order given and the terms are grouped walking
    /// them in that order: nothing the index says may depend on it.
    #[test]
    fn the_index_is_the_same_whatever_order_the_files_come_in() {
        let mut files = vec![
            article("a", "2022-01-03", &["Nato", "Kiew"], false),
            article("b", "2022-01-02", &["NATO"], false),
            article("c", "2022-01-05", &["Kiew", "Nato"], true),
            article("d", "2022-01-01", &["Kiew", "NATO"], false),
            article("e", "2022-01-04", &["Nato"], false),
        ];
        files[3].front.tags = vec!["Odessa".into(), "Kiew".into()];
        // What the index says, by file names rather than positions.
        let said = |index: &SiteIndex| {
            let name = |i: usize| index.article(i).path.display().to_string();
            let entries: Vec<(String, String, Vec<String>, Vec<String>)> = index
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    let terms = |t: Taxonomy| e.terms(t).iter().map(|&n| index.terms(t)[n].name.clone()).collect();
                    (name(i), e.path.clone(), terms(Taxonomy::Topics), terms(Taxonomy::Tags))
                })
                .collect();
            let terms: Vec<(String, String, Vec<String>)> = [Taxonomy::Topics, Taxonomy::Tags]
                .into_iter()
                .flat_map(|t| index.terms(t))
                .map(|t| {
                    (
                        t.name.clone(),
                        t.slug.clone(),
                        t.entries.iter().map(|&i| name(i)).collect(),
                    )
                })
                .collect();
            let mut left_out: Vec<String> = index.unpublished().map(|s| s.path.display().to_string()).collect();
            left_out.sort();
            (entries, terms, left_out)
        };
        let forward = SiteIndex::new(files.clone(), Berlin, select(false, false));
        files.reverse();
        let backward = SiteIndex::new(files, Berlin, select(false, false));
        assert_eq!(said(&forward), said(&backward));
        let (entries, terms, left_out) = said(&forward);
        let order: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(order, ["content/e.md", "content/a.md", "content/b.md", "content/d.md"]);
        // `Nato` and `NATO` are one term, named by the spelling used most
        // (each twice among the published, the draft not counted: the
        // first in byte order).
        assert_eq!(terms[1].0, "NATO");
        assert_eq!(
            terms[1].2,
            ["content/e.md", "content/a.md", "content/b.md", "content/d.md"]
        );
        assert_eq!(entries[3].2, ["Kiew", "NATO"]);
        assert_eq!(entries[3].3, ["Odessa", "Kiew"]);
        assert_eq!(left_out, ["content/c.md"]);
    }
}
