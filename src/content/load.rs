//! Reading every article under `content/`, in parallel, keeping every error.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::{Article, Rules};
use crate::error::{ContentProblem, FileError, Location, Problem, ReadProblem};

/// What loading a content folder found: the good articles and every problem.
#[derive(Debug, Default)]
pub struct Loaded {
    pub articles: Vec<Article>,
    pub errors: Vec<FileError>,
}

/// Which symbolic links a walk of the site follows.
///
/// A link in `static/` is copied into the output and served, one in
/// `content/` or `templates/` is read into pages: a link out of the site
/// (`static/leak.txt -> /etc/passwd`) would publish what it points to, and
/// one to a large tree (`content/usr -> /usr`) would have the whole tree
/// read and watched. So by default only links that stay inside the site
/// folder, or inside the folder walked (a `content/` that is itself a link
/// to elsewhere is the site owner's choice), are followed; the others are
/// skipped with a warning. `build.follow_symlinks: true` follows them all.
#[derive(Debug, Clone)]
pub enum Links {
    /// Every link is followed.
    All,
    /// Only links that lead inside this folder (canonical) or the folder walked.
    Within(PathBuf),
}

impl Links {
    /// The links a build of the site in `root` follows.
    pub fn for_site(root: &Path, follow_all: bool) -> Links {
        if follow_all {
            return Links::All;
        }
        Links::Within(root.canonicalize().unwrap_or_else(|_| root.to_path_buf()))
    }

    /// Whether the link at `link` is followed in a walk of `walked`
    /// (canonical). A link that leads nowhere counts as followed: the walk
    /// reports it as dangling.
    pub fn follows(&self, link: &Path, walked: Option<&Path>) -> bool {
        self.outside(link, walked).is_none()
    }

    /// Where the link at `link` leads when a walk of `walked` does not follow it.
    fn outside(&self, link: &Path, walked: Option<&Path>) -> Option<PathBuf> {
        let Links::Within(root) = self else {
            return None;
        };
        // A link that leads nowhere is reported as such by the walk.
        let target = link.canonicalize().ok()?;
        let inside = target.starts_with(root) || walked.is_some_and(|w| target.starts_with(w));
        (!inside).then_some(target)
    }
}

/// What a walk of a folder of the site found.
#[derive(Debug, Default)]
pub struct Walked {
    /// The files taken, sorted.
    pub files: Vec<PathBuf>,
    /// Entries that stop a build: unreadable, dangling links, loops, pipes.
    pub errors: Vec<FileError>,
    /// Links not followed ([`Links`]): warnings.
    pub skipped: Vec<FileError>,
}

/// The files below `dir` that `accept` takes, sorted, following links.
/// Hidden files and folders (editor swap files, `.git`) are skipped;
/// unreadable entries, dangling links, link loops and named pipes, sockets
/// or devices that `accept` would take become errors, and the walk goes on.
/// For inputs named on the command line; a site's folders are walked by
/// [`site_files`].
pub fn walk_files(dir: &Path, accept: impl FnMut(&Path) -> bool) -> (Vec<PathBuf>, Vec<FileError>) {
    let walked = walk(dir, accept, false, None);
    (walked.files, walked.errors)
}

/// [`walk_files`] for a folder of the site: only the links `links` allows
/// are followed, and a name that is not UTF-8 is an error (the output's
/// paths and URLs are text; such a file could not be published under its
/// name).
pub fn site_files(dir: &Path, links: &Links, accept: impl FnMut(&Path) -> bool) -> Walked {
    walk(dir, accept, false, Some(links))
}

/// [`walk_files`]; with `refuse_named_folders`, a folder that `accept` takes
/// by its name (`old.md/`) is an error too, because it is almost always a
/// file saved in the wrong place and its articles would go missing quietly.
/// With `site`, the walk is one of the site's folders ([`site_files`]).
fn walk(dir: &Path, mut accept: impl FnMut(&Path) -> bool, refuse_named_folders: bool, site: Option<&Links>) -> Walked {
    let mut found = Walked::default();
    let (files, errors) = (&mut found.files, &mut found.errors);
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    let root = dir.canonicalize().ok();
    while let Some(entry) = walker.next() {
        if let (Ok(e), Some(links)) = (&entry, site) {
            if e.depth() > 0 {
                let is_dir = e.file_type().is_dir();
                let problem = if e.file_name().to_str().is_none() && (is_dir || accept(e.path())) {
                    Some(Problem::Read(ReadProblem::NameNotUtf8))
                } else if e.path_is_symlink() {
                    links
                        .outside(e.path(), root.as_deref())
                        .map(|t| Problem::Read(ReadProblem::LinkOutside(t)))
                } else {
                    None
                };
                if let Some(problem) = problem {
                    if is_dir {
                        walker.skip_current_dir();
                    }
                    let error = FileError::new(Location::file(e.path()), problem);
                    match error.problem {
                        Problem::Read(ReadProblem::LinkOutside(_)) => found.skipped.push(error),
                        _ => errors.push(error),
                    }
                    continue;
                }
            }
        }
        let (path, problem) = match entry {
            Ok(e) if e.file_type().is_file() => {
                if accept(e.path()) {
                    files.push(e.into_path());
                }
                continue;
            }
            Ok(e) if e.file_type().is_dir() => {
                // walkdir only sees loops back to folders inside the walk; a
                // link to a folder above `dir` would walk `dir` again inside it.
                if e.depth() > 0 && e.path_is_symlink() {
                    if let (Some(root), Ok(target)) = (&root, e.path().canonicalize()) {
                        if root.starts_with(&target) {
                            walker.skip_current_dir();
                            errors.push(FileError::new(
                                Location::file(e.path()),
                                Problem::Read(ReadProblem::LinkLoop(target)),
                            ));
                            continue;
                        }
                    }
                }
                if refuse_named_folders && e.depth() > 0 && accept(e.path()) {
                    let extension = e.path().extension().unwrap_or_default().to_string_lossy().into_owned();
                    errors.push(FileError::new(
                        Location::file(e.path()),
                        Problem::Read(ReadProblem::FolderNamedLikeFile(extension)),
                    ));
                }
                continue;
            }
            Ok(e) => {
                if !accept(e.path()) {
                    continue;
                }
                let kind = crate::read::kind_of(&e.file_type());
                (e.into_path(), Problem::Read(ReadProblem::NotAFile(kind)))
            }
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                let problem = if let Some(ancestor) = e.loop_ancestor() {
                    Problem::Read(ReadProblem::LinkLoop(ancestor.to_path_buf()))
                } else if let Some(target) = crate::read::dangling_target(&path, e.io_error()) {
                    Problem::Read(ReadProblem::DanglingLink(target))
                } else {
                    Problem::Read(ReadProblem::Io(match e.io_error() {
                        Some(io) => std::io::Error::new(io.kind(), io.to_string()).into(),
                        None => std::io::Error::other(e.to_string()).into(),
                    }))
                };
                (path, problem)
            }
        };
        errors.push(FileError::new(Location::file(path), problem));
    }
    found
}

/// Reads an article file of at most `limit` bytes (`content.max_file_size`):
/// an article is repeated in every listing and feed that shows it, so one
/// absurd file would cost far more than its size.
pub fn read_article(path: &Path, limit: u64) -> Result<(Vec<u8>, std::fs::Metadata), Problem> {
    crate::read::read_regular(path, limit).map_err(|problem| match problem {
        Problem::Read(ReadProblem::TooLarge { size, limit }) => {
            Problem::Read(ReadProblem::ArticleTooLarge { size, limit })
        }
        other => other,
    })
}

/// The Markdown files below `dir`, a site's `content/`.
pub fn markdown_files(dir: &Path, links: &Links) -> Walked {
    walk(dir, |p| p.extension().is_some_and(|x| x == "md"), true, Some(links))
}

/// Reads and parses the article file at `path`, as a build reads it, with
/// its metadata when read.
pub fn load_one(path: &Path, rules: &Rules) -> Result<(Article, std::fs::Metadata), Vec<FileError>> {
    let (text, meta) = read_article(path, rules.limits.max_file_size)
        .map_err(|problem| vec![FileError::new(Location::file(path), problem)])?;
    let text = crate::read::decode(text, path).map_err(|e| vec![e])?;
    Ok((Article::parse(&text, path, rules)?, meta))
}

/// Loads and validates all articles below `dir`. A missing folder is an empty site.
pub fn load_dir(dir: &Path, rules: &Rules) -> Loaded {
    if !dir.exists() {
        return Loaded::default();
    }
    // Import reads what content/ holds to find duplicates; it publishes nothing.
    let Walked { files, mut errors, .. } = markdown_files(dir, &Links::All);
    let results: Vec<Result<Article, Vec<FileError>>> = files
        .par_iter()
        .map(|path| load_one(path, rules).map(|(article, _)| article))
        .collect();
    let mut articles = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(a) => articles.push(a),
            Err(mut e) => errors.append(&mut e),
        }
    }
    errors.extend(duplicate_urls(
        articles.iter().map(|a| (a.path.as_path(), a.url_path(rules.tz))),
    ));
    errors.sort_by(|a, b| a.location.cmp(&b.location));
    Loaded { articles, errors }
}

/// Two articles that would be written to the same URL: the second one named
/// is reported, pointing at the first.
pub fn duplicate_urls<'a>(items: impl Iterator<Item = (&'a Path, String)>) -> Vec<FileError> {
    let mut seen: HashMap<String, &Path> = HashMap::new();
    let mut errors = Vec::new();
    for (path, url) in items {
        match seen.get(url.as_str()) {
            Some(other) => errors.push(FileError::new(
                Location::file(path),
                Problem::Content(ContentProblem::DuplicateUrl {
                    url,
                    other: other.to_path_buf(),
                }),
            )),
            None => {
                seen.insert(url, path);
            }
        }
    }
    errors
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn mkfifo(path: &Path) {
        rustix::fs::mkfifoat(rustix::fs::CWD, path, rustix::fs::Mode::from_raw_mode(0o644)).unwrap();
    }

    fn problems(errors: &[FileError], root: &Path) -> Vec<(String, Problem)> {
        errors
            .iter()
            .map(|e| {
                let rel = e.location.path.strip_prefix(root).unwrap_or(&e.location.path);
                (rel.display().to_string(), e.problem.clone())
            })
            .collect()
    }

    #[test]
    fn pipes_folders_named_like_articles_and_dangling_links_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.md"), "x").unwrap();
        mkfifo(&root.join("x.md"));
        mkfifo(&root.join("other.pipe"));
        std::fs::create_dir(root.join("y.md")).unwrap();
        std::fs::write(root.join("y.md/inside.md"), "x").unwrap();
        symlink("nowhere.md", root.join("z.md")).unwrap();
        let Walked { files, errors, .. } = markdown_files(root, &Links::All);
        assert_eq!(files, vec![root.join("a.md"), root.join("y.md/inside.md")]);
        assert_eq!(
            problems(&errors, root),
            vec![
                (
                    "x.md".into(),
                    Problem::Read(ReadProblem::NotAFile("a named pipe (FIFO)"))
                ),
                (
                    "y.md".into(),
                    Problem::Read(ReadProblem::FolderNamedLikeFile("md".into()))
                ),
                (
                    "z.md".into(),
                    Problem::Read(ReadProblem::DanglingLink("nowhere.md".into()))
                ),
            ]
        );
        // Other walks (static files, import folders) walk into such folders.
        let (files, errors) = walk_files(root, |p| p.extension().is_some_and(|x| x == "md"));
        assert_eq!(files.len(), 2);
        assert_eq!(errors.len(), 2, "{errors:?}");
    }

    #[test]
    fn links_to_a_folder_above_are_loops_and_the_walk_ends() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("sub")).unwrap();
        std::fs::write(content.join("sub/a.md"), "x").unwrap();
        std::fs::write(dir.path().join("README.md"), "not an article").unwrap();
        symlink("..", content.join("up")).unwrap();
        symlink(".", content.join("sub/here")).unwrap();
        let Walked { files, errors, .. } = markdown_files(&content, &Links::for_site(dir.path(), false));
        assert_eq!(
            files,
            vec![content.join("sub/a.md")],
            "README.md above content/ is not read"
        );
        let shown = problems(&errors, &content);
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert_eq!(shown[0].0, "sub/here");
        assert!(
            matches!(shown[0].1, Problem::Read(ReadProblem::LinkLoop(_))),
            "{shown:?}"
        );
        assert_eq!(
            shown[1],
            (
                "up".into(),
                Problem::Read(ReadProblem::LinkLoop(dir.path().canonicalize().unwrap()))
            )
        );
    }

    #[test]
    fn links_out_of_the_site_are_skipped_and_names_must_be_text() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let content = root.join("content");
        std::fs::create_dir_all(content.join("sub")).unwrap();
        std::fs::create_dir_all(root.join("elsewhere")).unwrap();
        std::fs::write(root.join("elsewhere/in.md"), "x").unwrap();
        std::fs::write(outside.path().join("out.md"), "x").unwrap();
        symlink(root.join("elsewhere"), content.join("inside")).unwrap();
        symlink(outside.path(), content.join("away")).unwrap();
        symlink(outside.path().join("out.md"), content.join("sub/file.md")).unwrap();
        // Inside the folder walked, though that is elsewhere: followed.
        symlink("../sub", content.join("sub/again")).unwrap();
        std::fs::write(content.join(std::ffi::OsStr::from_bytes(b"\xff.md")), "x").unwrap();
        std::fs::write(content.join(std::ffi::OsStr::from_bytes(b"\xfe.txt")), "x").unwrap();

        let walked = markdown_files(&content, &Links::for_site(&root, false));
        assert_eq!(walked.files, vec![content.join("inside/in.md")]);
        let skipped = problems(&walked.skipped, &content);
        let outside = outside.path().canonicalize().unwrap();
        assert_eq!(
            skipped,
            vec![
                ("away".into(), Problem::Read(ReadProblem::LinkOutside(outside.clone()))),
                (
                    "sub/file.md".into(),
                    Problem::Read(ReadProblem::LinkOutside(outside.join("out.md")))
                ),
            ]
        );
        // Names are checked only where the file would be taken.
        assert_eq!(problems(&walked.errors, &content).len(), 2, "{:?}", walked.errors);
        assert!(
            walked
                .errors
                .iter()
                .any(|e| e.problem == Problem::Read(ReadProblem::NameNotUtf8)),
            "{:?}",
            walked.errors
        );
        let all = markdown_files(&content, &Links::All);
        assert_eq!(all.files.len(), 3, "{:?}", all.files);
        assert!(all.skipped.is_empty());
    }
}
