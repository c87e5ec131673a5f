//! The redirects an edit renders again: a redirect page shows its
//! article's title and leads to its address, so a new title or a date
//! edit into another month changes every redirect to the article.

use crate::content::ArticleFile;
use crate::pipeline::state::manifest::{Head, LazyTail};
use crate::site::output_file;

/// The redirects to the article `id` (its file as it is now, `source`),
/// as the last build wrote them: one at each of its aliases, which the
/// edit kept (any other front matter change is the ordinary rebuild's),
/// and one at each address it had that the head remembers (the head keeps
/// only those the build wrote, where neither a page nor an alias is), as
/// (site path, id, remembered).
pub(super) fn redirects_to(
    head: &Head,
    tail: &LazyTail,
    source: &ArticleFile,
    id: u32,
) -> Result<Vec<(String, u32, bool)>, &'static str> {
    let file = source.path.to_string_lossy();
    let aliases = source.front.aliases.iter().map(|alias| {
        crate::text::url::alias_path(alias)
            .map(|from| (from, false))
            .map_err(|_| "an alias of an edited article does not read")
    });
    let remembered = head
        .moved
        .iter()
        .filter(|(_, f)| *f == file)
        .map(|(from, _)| Ok((from.clone(), true)));
    aliases
        .chain(remembered)
        .map(|redirect| {
            let (from, remembered) = redirect?;
            match tail.output(&output_file(&from)) {
                Some(_) => Ok((from, id, remembered)),
                None => Err("a redirect to an edited article is not in the manifest"),
            }
        })
        .collect()
}
