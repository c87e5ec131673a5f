//! What an edit changed, which decides how the edit path takes it: the
//! fields of an article's front matter that moved it nowhere ([`changes`]),
//! or whether it was published and is not now, or the other way round
//! ([`toggled`]).

use std::path::Path;

use crate::content::file::Stamp;
use crate::content::{ArticleFile, FrontMatter, Rules};
use crate::pipeline::state::manifest::{LazyTail, Manifest};

/// What an edit changed of an article's front matter when that moves it
/// nowhere in the site's order: whether what lists show of it (title,
/// kicker, summary, topics), and whether its terms (topics, tags,
/// authors). `None` when anything else changed.
pub(super) fn changes(new: &FrontMatter, old: &FrontMatter) -> Option<(bool, bool)> {
    let mut same = new.clone();
    same.title.clone_from(&old.title);
    same.kicker.clone_from(&old.kicker);
    same.summary.clone_from(&old.summary);
    same.topics.clone_from(&old.topics);
    same.tags.clone_from(&old.tags);
    same.authors.clone_from(&old.authors);
    let topics = new.topics != old.topics;
    let listed = new.title != old.title || new.kicker != old.kicker || new.summary != old.summary || topics;
    let terms = topics || new.tags != old.tags || new.authors != old.authors;
    same.same_as(old).then_some((listed, terms))
}

/// An article whose file alone changed since the last build, published
/// then and not now or the other way round (`draft: true` set or taken
/// off, or a date moved into the future or out of it): the last build's
/// records, its position among their sources, its file as they hold it
/// and as it is now.
pub(super) struct Toggled {
    pub tail: LazyTail,
    pub x: u32,
    /// Whether it was published (and is not now).
    pub was: bool,
    pub stored: ArticleFile,
    pub now: ArticleFile,
}

/// The [`Toggled`] article, when the only change since `manifest` is one
/// file whose article is published now and was not, or the other way
/// round. For any other change, which the other edits take, the tail
/// when it was opened to see (with the file's chunk decoded).
pub(super) fn toggled(
    manifest: &Manifest,
    stamps: &[Stamp],
    inputs: &crate::pipeline::scan::Inputs,
    rules: &Rules,
) -> Result<Result<Toggled, Option<LazyTail>>, &'static str> {
    let head = &manifest.head;
    let mut changed = head.stamps.iter().zip(stamps).filter(|(old, new)| old != new);
    let (Some((old, new)), None) = (changed.next(), changed.next()) else {
        return Ok(Err(None));
    };
    if old.path != new.path {
        return Ok(Err(None));
    }
    // A file that does not read is for the ordinary build to report. One
    // read here and one more by the edit it otherwise is: one small file.
    let Ok(now) = ArticleFile::read(Path::new(&new.path), rules) else {
        return Ok(Err(None));
    };
    let tail = manifest.lazy_tail().ok_or("the manifest's tail does not read")?;
    let (x, stored) = tail
        .find_file(&new.path)
        .ok_or("an edited file is not in the manifest")?;
    let was = head.index.order.contains(&x);
    if inputs.selection.publishes(&now.front) == was {
        return Ok(Err(Some(tail)));
    }
    Ok(Ok(Toggled {
        tail,
        x,
        was,
        stored,
        now,
    }))
}
