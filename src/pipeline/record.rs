//! What a build records for the next one ([`super::state::manifest`]): a
//! new manifest after a build of the whole site, or a patched head after
//! body edits.

use std::collections::HashMap;

use rayon::prelude::*;

use super::plan::{PlannedOutput, Prepared, Recorded};
use super::render::RenderResult;
use super::state::manifest::{self, BodyLinks, Counts, Encoded, Head, OutputRecord, StoredIndex, StoredTerm};
use crate::config::Site;
use crate::content::ArticleFile;

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
    body_links: HashMap<String, Vec<String>>,
) -> Encoded {
    let mut hashes: foldhash::HashMap<&str, u128> = foldhash::HashMap::default();
    for file in &rendered.files {
        hashes.insert(file.path.as_str(), file.hash);
    }
    let mut outputs: Vec<OutputRecord> = all
        .iter()
        .flat_map(|o| {
            o.files.iter().map(|f| OutputRecord {
                path: f.as_str().into(),
                signature: o.signature,
                content: hashes
                    .get(f.as_str())
                    .copied()
                    .or_else(|| recorded.get(f).map(|(_, content)| content))
                    .unwrap_or(0),
            })
        })
        .collect();
    outputs.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    let index = &p.index;
    // Sources by path; the stored index names them by position in this list.
    let mut sources: Vec<(&ArticleFile, Option<usize>)> = index
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (&e.source, Some(i)))
        .chain(index.unpublished.iter().map(|s| (s, None)))
        .collect();
    sources.sort_unstable_by(|a, b| a.0.path.as_os_str().cmp(b.0.path.as_os_str()));
    let mut order = vec![0u32; index.entries.len()];
    for (id, (_, entry)) in sources.iter().enumerate() {
        if let Some(i) = entry {
            order[*i] = u32::try_from(id).expect("fewer than 4 billion articles");
        }
    }
    let limit = site.config.feed.limit;
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
        (0..index.entries.len())
            .into_par_iter()
            .map(|i| {
                crate::site::related::related(index, i, related_limit)
                    .into_iter()
                    .map(|j| order[j])
                    .collect()
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
    let sources: Vec<&ArticleFile> = sources.into_iter().map(|(s, _)| s).collect();
    let mut body_links: Vec<BodyLinks> = body_links
        .into_iter()
        .map(|(page, links)| BodyLinks { page, links })
        .collect();
    body_links.sort();
    let head = Head {
        generation: outputs
            .iter()
            .map(|o| part(&o.path, o.content))
            .fold(0, u64::wrapping_add),
        tail: 0,
        config: p.config,
        next_due: index
            .next_due
            .into_iter()
            .chain(p.outputs.next_change())
            .min()
            .map(|d| d.timestamp()),
        counts: counts(p),
        stamps: p.stamps.clone(),
        statics: p.statics.clone(),
        index: stored_index,
        patch: Default::default(),
        moved: p
            .outputs
            .moved
            .iter()
            .map(|(from, file)| (from.clone(), file.to_string_lossy().into_owned()))
            .collect(),
    };
    manifest::encode(head, &sources, &outputs, &body_links)
}

/// The previous head with the records of a rebuild after body edits added
/// to its patch: the edited sources, the outputs rendered, and the body
/// links of the article pages rendered.
pub(super) fn patched_head(
    head: &Head,
    p: &Prepared,
    site: &Site,
    all: &[PlannedOutput],
    recorded: &Recorded,
    rendered: &RenderResult,
    edited: Vec<ArticleFile>,
) -> Encoded {
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
    // Each file rendered again trades its old part for its new one.
    let generation = outputs.iter().fold(head.generation, |g, o| {
        let old = recorded.get(&o.path).map_or(0, |(_, content)| part(&o.path, content));
        g.wrapping_sub(old).wrapping_add(part(&o.path, o.content))
    });
    let found: HashMap<&str, &Vec<String>> = rendered
        .body_links
        .iter()
        .map(|b| (b.page.as_str(), &b.links))
        .collect();
    // Every article page rendered: an empty list forgets links it had.
    let scope = p.scope(site);
    let body_links = all
        .iter()
        .filter(|o| p.outputs.kind(o.id.kind).origin(&scope, o.id.n).is_some())
        .map(|o| {
            let page = p.outputs.kind(o.id.kind).path(&scope, o.id.n);
            let links = found.get(page.as_str()).map(|l| (*l).clone()).unwrap_or_default();
            BodyLinks { page, links }
        })
        .collect();
    let mut head = head.clone();
    head.generation = generation;
    head.stamps = p.stamps.clone();
    head.patch.add(edited, outputs, body_links);
    manifest::encode_head(&head)
}
