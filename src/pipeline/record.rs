//! What a build records for the next one ([`super::state::manifest`]): a
//! new manifest after a build of the whole site, or a head patching the
//! last tail after an incremental build.

use std::collections::HashMap;

use rayon::prelude::*;

use super::plan::{PlannedOutput, Prepared, Recorded};
use super::render::{RenderResult, WrittenFile};
use super::state::manifest::{
    self, BodyLinks, Counts, Encoded, Head, Listings, OutputRecord, Patch, StoredIndex, StoredTerm, TermCounts,
};
use crate::config::Site;
use crate::content::ArticleFile;
use crate::content::file::Stamp;

/// What the build made, for its summary line and the next build's.
pub(super) fn counts(p: &Prepared) -> Counts {
    Counts {
        articles: p.index.entries.len(),
        topics: p.index.topics.len(),
        tags: p.index.tags.len(),
        pages: p.outputs.pages(),
    }
}

/// One output file's part of a build's generation: the generation is the
/// sum of the parts of all its files, so it is the same for every build of
/// the same output, whatever way it was reached, and a build that changed
/// some files updates it from those alone. The marker and the manifest
/// carry it; a manifest whose generation the marker does not name
/// describes some other output.
fn part(rel: &str, content: u128) -> u64 {
    let mut bytes = Vec::with_capacity(rel.len() + 17);
    bytes.extend_from_slice(rel.as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(&content.to_le_bytes());
    xxhash_rust::xxh3::xxh3_64(&bytes)
}

/// The manifest of a build of the whole site: every output with its
/// signature and content hash (rendered now, or as `recorded` before).
pub(super) fn manifest(
    p: &Prepared,
    site: &Site,
    all: &[PlannedOutput],
    recorded: &Recorded,
    rendered: &RenderResult,
    body_links: &HashMap<String, Vec<String>>,
    previous: Option<&Head>,
) -> Encoded {
    let outputs = all_records(all, &rendered.files, recorded);
    let (stored_index, sources) = stored_index(p, site, previous);
    let mut body_links: Vec<BodyLinks> = body_links
        .iter()
        .map(|(page, links)| BodyLinks {
            page: page.clone(),
            links: links.clone(),
        })
        .collect();
    body_links.sort();
    let generation = outputs
        .iter()
        .map(|o| part(&o.path, o.content))
        .fold(0, u64::wrapping_add);
    let head = new_head(p, site, stored_index, generation);
    manifest::encode(head, &sources, &outputs, &body_links)
}

/// After an incremental build, the previous tail still holds every source
/// it held, at its place: a new head with a fresh index patches it with
/// the sources read again or added (their places in the head's
/// [`manifest::Shift`], with those of the deleted), the outputs rendered
/// (`which`) and deleted, and the body links that changed, instead of
/// writing 100 MB of tail again. `None` when a source's name is no UTF-8
/// (the patch finds records by name) or the patch would grow past its
/// limit.
#[allow(clippy::too_many_arguments)]
pub(super) fn patched_manifest(
    previous: &Head,
    old_links: &[BodyLinks],
    p: &Prepared,
    site: &Site,
    all: &[PlannedOutput],
    which: &[usize],
    deletes: &[String],
    recorded: &Recorded,
    rendered: &RenderResult,
    body_links: &HashMap<String, Vec<String>>,
) -> Option<Encoded> {
    let files = FilesChanged::between(&previous.stamps, &p.stamps);
    let sources: Vec<ArticleFile> = p
        .index
        .sources
        .iter()
        .filter(|s| s.path.to_str().is_some_and(|path| files.read.contains(path)))
        .cloned()
        .collect();
    if sources.len() != files.read.len() {
        return None;
    }
    let hashes = rendered_hashes(&rendered.files);
    let outputs: Vec<OutputRecord<'static>> = which
        .iter()
        .flat_map(|&o| {
            let o = &all[o];
            o.files
                .iter()
                .map(|f| record(f, o.signature, &hashes, recorded).into_owned())
        })
        .collect();
    let mut links: Vec<BodyLinks> = body_links
        .iter()
        .filter(|(page, links)| {
            let old = old_links.binary_search_by(|b| b.page.as_str().cmp(page)).ok();
            old.is_none_or(|i| old_links[i].links != **links)
        })
        .map(|(page, links)| BodyLinks {
            page: page.clone(),
            links: links.clone(),
        })
        .chain(
            old_links
                .iter()
                .filter(|b| !body_links.contains_key(&b.page))
                .map(|b| BodyLinks {
                    page: b.page.clone(),
                    links: Vec::new(),
                }),
        )
        .collect();
    links.sort();
    let added = sources.len() + outputs.len() + links.len() + deletes.len() + files.removed.len();
    if previous.patch.len() + previous.shift.removed.len() + added > manifest::patch_limit(previous) {
        return None;
    }
    let generation = traded(previous.generation, &outputs, deletes, recorded);
    let (index, now) = stored_index(p, site, Some(previous));
    let mut head = new_head(p, site, index, generation);
    head.tail = previous.tail;
    head.patch = previous.patch.clone();
    head.shift = previous.shift.clone();
    if !files.added.is_empty() || !files.removed.is_empty() {
        let now: Vec<&str> = now.iter().map(|s| s.path.to_str()).collect::<Option<_>>()?;
        head.patch.drop_sources(&files.removed);
        head.shift.files_changed(files.added, files.removed, &now);
    }
    head.patch.add(sources, outputs, links, deletes.to_vec());
    Some(manifest::encode_head(&head))
}

/// The source files a build read again or added, and those it no longer
/// has, by the stamps of the build before and of this one.
struct FilesChanged<'a> {
    /// Changed or added.
    read: foldhash::HashSet<&'a str>,
    added: Vec<String>,
    /// Sorted.
    removed: Vec<String>,
}

impl<'a> FilesChanged<'a> {
    fn between(old: &[Stamp], new: &'a [Stamp]) -> FilesChanged<'a> {
        // Usually every file is where it was: no maps over 100 000 names.
        if old.len() == new.len() && old.iter().zip(new).all(|(a, b)| a.path == b.path) {
            let read = old
                .iter()
                .zip(new)
                .filter(|(a, b)| a != b)
                .map(|(_, b)| b.path.as_str())
                .collect();
            return FilesChanged {
                read,
                added: Vec::new(),
                removed: Vec::new(),
            };
        }
        let before: foldhash::HashMap<&str, &Stamp> = old.iter().map(|s| (s.path.as_str(), s)).collect();
        let read = new
            .iter()
            .filter(|s| before.get(s.path.as_str()) != Some(s))
            .map(|s| s.path.as_str())
            .collect();
        let added = new
            .iter()
            .filter(|s| !before.contains_key(s.path.as_str()))
            .map(|s| s.path.clone())
            .collect();
        let now: foldhash::HashSet<&str> = new.iter().map(|s| s.path.as_str()).collect();
        let mut removed: Vec<String> = old
            .iter()
            .filter(|s| !now.contains(s.path.as_str()))
            .map(|s| s.path.clone())
            .collect();
        removed.sort_unstable();
        FilesChanged { read, added, removed }
    }
}

/// The output's fingerprint after a rebuild that wrote `written` and deleted
/// `deleted`: each such file trades its recorded part for its new one, so
/// the sum over every file need not be taken again.
fn traded(generation: u64, written: &[OutputRecord], deleted: &[String], recorded: &Recorded) -> u64 {
    let old_part = |path: &str| recorded.get(path).map_or(0, |(_, content)| part(path, content));
    let generation = written.iter().fold(generation, |g, o| {
        g.wrapping_sub(old_part(&o.path)).wrapping_add(part(&o.path, o.content))
    });
    deleted.iter().fold(generation, |g, d| g.wrapping_sub(old_part(d)))
}

/// The content hash of every file rendered, by path.
fn rendered_hashes(files: &[WrittenFile]) -> foldhash::HashMap<&str, u128> {
    files.iter().map(|f| (f.path.as_str(), f.hash)).collect()
}

/// The record of every file of every output, sorted by path (as the tail
/// keeps them): rendered now (`files`), or as `recorded`.
pub(super) fn all_records<'a>(
    all: &'a [PlannedOutput],
    files: &[WrittenFile],
    recorded: &Recorded,
) -> Vec<OutputRecord<'a>> {
    let hashes = rendered_hashes(files);
    let mut outputs: Vec<OutputRecord> = all
        .iter()
        .flat_map(|o| o.files.iter().map(|f| record(f, o.signature, &hashes, recorded)))
        .collect();
    outputs.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    outputs
}

/// The record of the output file `file`: rendered now, or as recorded.
fn record<'a>(
    file: &'a str,
    signature: u128,
    hashes: &foldhash::HashMap<&str, u128>,
    recorded: &Recorded,
) -> OutputRecord<'a> {
    OutputRecord {
        path: file.into(),
        signature,
        content: hashes
            .get(file)
            .copied()
            .or_else(|| recorded.get(file).map(|(_, content)| content))
            .unwrap_or(0),
    }
}

/// The index the manifest keeps of a build, and its sources sorted by
/// path, whose positions the index names; the related articles of
/// `previous` kept where they still hold.
fn stored_index<'a>(p: &'a Prepared, site: &Site, previous: Option<&Head>) -> (StoredIndex, Vec<&'a ArticleFile>) {
    let index = &p.index;
    let path = |f: usize| index.sources[f].path.as_os_str();
    // The index keeps the files in the order the scan gave them, by path:
    // sorted again only if they are not.
    let mut by_path: Vec<usize> = (0..index.sources.len()).collect();
    if !by_path.is_sorted_by(|&a, &b| path(a) <= path(b)) {
        by_path.par_sort_unstable_by(|&a, &b| path(a).cmp(path(b)));
    }
    let mut id_of = vec![0u32; by_path.len()];
    for (id, &f) in by_path.iter().enumerate() {
        id_of[f] = u32::try_from(id).expect("fewer than 4 billion articles");
    }
    let order: Vec<u32> = index.entries.iter().map(|e| id_of[e.file]).collect();
    let sources: Vec<&ArticleFile> = by_path.iter().map(|&f| &index.sources[f]).collect();
    // A term feed shows fewer items than the site feed: an edit of an
    // article past them must not render the feed again (`edits::plan`).
    let limit = site.config.feed.term_limit();
    let terms = |terms: &[crate::site::Term]| -> Vec<StoredTerm> {
        terms
            .iter()
            .map(|t| StoredTerm {
                name: t.name.clone(),
                slug: t.slug.clone(),
                feed: t.entries.iter().take(limit).map(|&i| order[i]).collect(),
            })
            .collect()
    };
    let related_limit = site.config.related.limit;
    let related: Vec<Vec<u32>> = if related_limit == 0 {
        Vec::new()
    } else {
        let kept = previous.and_then(|previous| Kept::find(p, &sources, &order, previous));
        (0..index.entries.len())
            .into_par_iter()
            .map(|i| match &kept {
                Some(kept) if !kept.redo[i] => kept.related(order[i]).to_vec(),
                _ => crate::site::related::related(index, i, related_limit)
                    .into_iter()
                    .map(|j| order[j])
                    .collect(),
            })
            .collect()
    };
    let stored_index = StoredIndex {
        topics: terms(&index.topics),
        tags: terms(&index.tags),
        authors: terms(&index.authors),
        related,
        order,
        site: p.site_json.clone(),
    };
    (stored_index, sources)
}

/// The related articles a previous build stored that still hold. An
/// article's related articles are the nearest in the lists of its topics
/// (or tags), by the site's order (`site::related`): they stay what they
/// were while those lists hold the same articles in the same order. An
/// edit changes the lists of the terms an edited article joins or leaves,
/// and of all its terms when it moves in the order; choosing again for
/// the articles of those lists alone spares a title edit at 100 000
/// articles choosing again for all of them.
struct Kept<'a> {
    previous: &'a StoredIndex,
    /// By id, the position in the previous order.
    before: Vec<Option<u32>>,
    /// By position in the new order: whether to choose again.
    redo: Vec<bool>,
}

impl<'a> Kept<'a> {
    /// `None` when the stored choices may not hold for any article: other
    /// settings, a file added, removed or renamed (ids name other files),
    /// or articles that changed places without being read again (a date
    /// that has come publishes an article) or a term list that is gone.
    fn find(p: &Prepared, sorted: &[&ArticleFile], order: &[u32], previous: &'a Head) -> Option<Kept<'a>> {
        use crate::site::Taxonomy;
        use crate::text::slug::slugify;
        let replaced = p.replaced.as_ref()?;
        let stored = &previous.index;
        if previous.config != p.config
            || stored.related.len() != stored.order.len()
            || previous.stamps.len() != p.stamps.len()
            || previous.stamps.iter().zip(&p.stamps).any(|(a, b)| a.path != b.path)
        {
            return None;
        }
        let id_of = |path: &std::path::Path| {
            sorted
                .binary_search_by(|s| s.path.as_os_str().cmp(path.as_os_str()))
                .ok()
        };
        let mut changed = vec![false; sorted.len()];
        for old in replaced {
            changed[id_of(&old.path)?] = true;
        }
        let positions = |order: &[u32]| -> Option<Vec<Option<u32>>> {
            let mut at = vec![None; sorted.len()];
            for (i, &id) in order.iter().enumerate() {
                *at.get_mut(id as usize)? = Some(u32::try_from(i).ok()?);
            }
            Some(at)
        };
        let (before, now) = (positions(&stored.order)?, positions(order)?);
        fn others<'o>(order: &'o [u32], changed: &'o [bool]) -> impl Iterator<Item = &'o u32> {
            order.iter().filter(|&&id| !changed[id as usize])
        }
        if !others(&stored.order, &changed).eq(others(order, &changed)) {
            return None;
        }
        let index = &p.index;
        let mut redo = vec![false; order.len()];
        for old in replaced {
            let id = id_of(&old.path)?;
            let new = now[id].map(|i| &index.article(i as usize).front);
            let old_front = before[id].map(|_| &old.front);
            if let Some(i) = now[id] {
                redo[i as usize] = true;
            }
            let moved = now[id] != before[id];
            for (taxonomy, stored_terms) in [(Taxonomy::Topics, &stored.topics), (Taxonomy::Tags, &stored.tags)] {
                let slugs = |front: Option<&crate::content::FrontMatter>| -> Vec<String> {
                    let names = front.map_or(&[][..], |f| taxonomy.names(f));
                    names.iter().map(|n| slugify(n)).collect()
                };
                let (was, is) = (slugs(old_front), slugs(new));
                let touched = was
                    .iter()
                    .filter(|s| moved || !is.contains(s))
                    .chain(is.iter().filter(|s| moved || !was.contains(s)));
                for slug in touched {
                    let terms = index.terms(taxonomy);
                    match terms.binary_search_by(|t| t.slug.as_str().cmp(slug)) {
                        Ok(t) => terms[t].entries.iter().for_each(|&e| redo[e] = true),
                        // Its articles lost a term the stored choices used.
                        Err(_) if stored_terms.binary_search_by(|t| t.slug.as_str().cmp(slug)).is_ok() => {
                            return None;
                        }
                        Err(_) => {}
                    }
                }
            }
        }
        Some(Kept {
            previous: stored,
            before,
            redo,
        })
    }

    /// The stored related articles of the article `id`, which kept its
    /// place among the others.
    fn related(&self, id: u32) -> &[u32] {
        let at = self.before[id as usize].expect("an article not read again was in the previous order");
        &self.previous.related[at as usize]
    }
}

/// The head of a build's manifest, with no tail or patch yet.
fn new_head(p: &Prepared, site: &Site, index: StoredIndex, generation: u64) -> Head {
    Head {
        generation,
        tail: 0,
        config: p.config,
        reading: crate::content::Rules::of(&site.config).reading(),
        next_due: p
            .index
            .next_due
            .into_iter()
            .chain(p.outputs.next_change())
            .min()
            .map(|d| d.timestamp()),
        counts: counts(p),
        stamps: p.stamps.clone(),
        statics: p.statics.clone(),
        index,
        patch: Default::default(),
        moved: p
            .outputs
            .moved
            .iter()
            .map(|(from, file)| (from.clone(), file.to_string_lossy().into_owned()))
            .collect(),
        shift: Default::default(),
        listings: listings(&p.index),
        term_counts: term_counts(&p.index),
        search_ids: {
            let (slots, ids) = crate::render::search::ids::of_site(&p.index);
            manifest::SearchIds::of(slots, &ids)
        },
    }
}

/// What an edit of terms needs besides the lists ([`manifest::TermCounts`]).
fn term_counts(index: &crate::site::SiteIndex) -> TermCounts {
    let number = |n: usize| u32::try_from(n).expect("fewer than 4 billion articles");
    TermCounts {
        known: true,
        leads: crate::site::Taxonomy::ALL.map(|t| index.terms(t).iter().map(|term| number(term.lead)).collect()),
        below_minimum: index
            .below_minimum
            .clone()
            .map(|terms| terms.into_iter().map(|(slug, n)| (slug, number(n))).collect()),
    }
}

/// Every listing's whole list, for an edit of what lists show
/// ([`manifest::Listings`]). Entries are positions in the order already.
fn listings(index: &crate::site::SiteIndex) -> Listings {
    let lists = |terms: &[crate::site::Term]| -> Vec<Vec<u32>> {
        terms
            .iter()
            .map(|t| Listings::steps(t.entries.iter().copied()))
            .collect()
    };
    Listings {
        topics: lists(&index.topics),
        tags: lists(&index.tags),
        authors: lists(&index.authors),
        months: index
            .years
            .iter()
            .flat_map(|y| &y.months)
            .map(|m| {
                let count = u32::try_from(m.entries.len()).expect("fewer than 4 billion articles");
                (m.year, m.month, count)
            })
            .collect(),
    }
}

/// The previous head with the records of a rebuild after body edits added
/// to its patch: the edited sources, the outputs rendered, and the body
/// links of the article pages rendered. The head and this build's stamps
/// are taken, not copied: at 100 000 articles a copy of the head took as
/// long as rendering the edit. With `for_warm`, those records also as a patch
/// of their own, for records kept in memory ([`super::state::warm`]), with
/// the files of sources deleted (sorted), whose records go.
#[allow(clippy::too_many_arguments)]
pub(super) fn patched_head(
    mut head: Head,
    p: &mut Prepared,
    site: &Site,
    all: &[PlannedOutput],
    recorded: &Recorded,
    rendered: &RenderResult,
    record: super::edits::Record,
    for_warm: bool,
) -> (Encoded, Option<(Patch, Vec<String>)>) {
    let super::edits::Record {
        edited,
        moves,
        reordered,
        gone,
        removed,
    } = record;
    let signature: HashMap<&str, u128> = all
        .iter()
        .flat_map(|o| o.files.iter().map(move |f| (f.as_str(), o.signature)))
        .collect();
    let outputs: Vec<OutputRecord> = rendered
        .files
        .iter()
        .map(|file| OutputRecord {
            path: file.path.clone().into(),
            signature: signature[file.path.as_str()],
            content: file.hash,
        })
        .collect();
    let generation = traded(head.generation, &outputs, &gone, recorded);
    let found: HashMap<&str, &Vec<String>> = rendered
        .body_links
        .iter()
        .map(|b| (b.page.as_str(), &b.links))
        .collect();
    // Every article page rendered: an empty list forgets links it had, as
    // it does those of a removed article's page.
    let scope = p.scope(site);
    let body_links: Vec<BodyLinks> = all
        .iter()
        .filter(|o| p.outputs.kind(o.id.kind).origin(&scope, o.id.n).is_some())
        .map(|o| {
            let page = p.outputs.kind(o.id.kind).path(&scope, o.id.n);
            let links = found.get(page.as_str()).map(|l| (*l).clone()).unwrap_or_default();
            BodyLinks { page, links }
        })
        .chain(removed.as_ref().map(|r| BodyLinks {
            page: r.page.clone(),
            links: Vec::new(),
        }))
        .collect();
    head.generation = generation;
    // A new or re-dated article: the head's index, lists and counts with
    // it, and where it is among the tail's sources.
    if let Some(new) = reordered {
        let new = *new;
        (head.index, head.listings, head.term_counts) = (new.index, new.listings, new.term_counts);
        head.search_ids = new.search_ids;
        (head.counts, head.shift, head.next_due) = (new.counts, new.shift, new.next_due);
        // A re-dated article's old address, kept as a redirect.
        head.moved = new.moved;
    }
    moves.apply(&mut head, site.config.feed.term_limit());
    let dropped: Vec<String> = removed.and_then(|r| r.file).into_iter().collect();
    head.patch.drop_sources(&dropped);
    let old = std::mem::replace(&mut head.stamps, std::mem::take(&mut p.stamps));
    let patch = for_warm.then(|| {
        let mut patch = Patch::default();
        patch.add(edited.clone(), outputs.clone(), body_links.clone(), gone.clone());
        (patch, dropped.clone())
    });
    head.patch.add(edited, outputs, body_links, gone);
    let encoded = manifest::encode_head(&head);
    // Freeing 100 000 stamps twice over is for a thread nobody waits for.
    std::thread::spawn(move || drop((head, old)));
    (encoded, patch)
}
