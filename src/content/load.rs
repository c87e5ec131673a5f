//! Reading every article under `content/`, in parallel, keeping every error.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::{Article, Rules};
use crate::error::{FileError, Location, Problem};

/// What loading a content folder found: the good articles and every problem.
#[derive(Debug, Default)]
pub struct Loaded {
    pub articles: Vec<Article>,
    pub errors: Vec<FileError>,
}

/// The files below `dir` that `accept` takes, sorted, following links.
/// Hidden files and folders (editor swap files, `.git`) are skipped;
/// unreadable entries, dangling links, link loops and named pipes, sockets
/// or devices that `accept` would take become errors, and the walk goes on.
pub fn walk_files(dir: &Path, accept: impl FnMut(&Path) -> bool) -> (Vec<PathBuf>, Vec<FileError>) {
    walk(dir, accept, false)
}

/// [`walk_files`]; with `refuse_named_folders`, a folder that `accept` takes
/// by its name (`old.md/`) is an error too, because it is almost always a
/// file saved in the wrong place and its articles would go missing quietly.
fn walk(
    dir: &Path,
    mut accept: impl FnMut(&Path) -> bool,
    refuse_named_folders: bool,
) -> (Vec<PathBuf>, Vec<FileError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    let root = dir.canonicalize().ok();
    while let Some(entry) = walker.next() {
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
                            errors.push(FileError::new(Location::file(e.path()), Problem::LinkLoop(target)));
                            continue;
                        }
                    }
                }
                if refuse_named_folders && e.depth() > 0 && accept(e.path()) {
                    let extension = e.path().extension().unwrap_or_default().to_string_lossy().into_owned();
                    errors.push(FileError::new(
                        Location::file(e.path()),
                        Problem::FolderNamedLikeFile(extension),
                    ));
                }
                continue;
            }
            Ok(e) => {
                if !accept(e.path()) {
                    continue;
                }
                let kind = kind_of(&e.file_type());
                (e.into_path(), Problem::NotAFile(kind))
            }
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                let problem = if let Some(ancestor) = e.loop_ancestor() {
                    Problem::LinkLoop(ancestor.to_path_buf())
                } else if let Some(target) = dangling_target(&path, e.io_error()) {
                    Problem::DanglingLink(target)
                } else {
                    Problem::Read(e.io_error().map_or_else(|| e.to_string(), |io| io.to_string()))
                };
                (path, problem)
            }
        };
        errors.push(FileError::new(Location::file(path), problem));
    }
    (files, errors)
}

/// What a directory entry that is neither a file nor a folder is, for messages.
pub fn kind_of(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    if file_type.is_dir() {
        return "a folder";
    }
    "not a plain file"
}

/// The target of `path` when `error` is because `path` is a link to nothing.
fn dangling_target(path: &Path, error: Option<&std::io::Error>) -> Option<PathBuf> {
    if error?.kind() != std::io::ErrorKind::NotFound {
        return None;
    }
    std::fs::read_link(path).ok()
}

/// Reads a file that must be a regular file of at most `limit` bytes.
///
/// The file is opened without blocking and checked on the open handle, so a
/// named pipe that replaced a file after the folder was listed cannot hang
/// the run, and a file over the limit is refused before any of it is read.
pub fn read_regular(path: &Path, limit: u64) -> Result<(Vec<u8>, std::fs::Metadata), Problem> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path).map_err(|e| match dangling_target(path, Some(&e)) {
        Some(target) => Problem::DanglingLink(target),
        None => Problem::Read(e.to_string()),
    })?;
    let meta = file.metadata().map_err(|e| Problem::Read(e.to_string()))?;
    if !meta.is_file() {
        return Err(Problem::NotAFile(kind_of(&meta.file_type())));
    }
    if meta.len() > limit {
        return Err(Problem::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Problem::Read(e.to_string()))?;
    // The file grew after it was measured.
    if bytes.len() as u64 > limit {
        return Err(Problem::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok((bytes, meta))
}

/// Reads an article file of at most `limit` bytes (`content.max_file_size`):
/// an article is repeated in every listing and feed that shows it, so one
/// absurd file would cost far more than its size.
pub fn read_article(path: &Path, limit: u64) -> Result<(Vec<u8>, std::fs::Metadata), Problem> {
    read_regular(path, limit).map_err(|problem| match problem {
        Problem::TooLarge { size, limit } => Problem::ArticleTooLarge { size, limit },
        other => other,
    })
}

/// The Markdown files below `dir`.
pub fn markdown_files(dir: &Path) -> (Vec<PathBuf>, Vec<FileError>) {
    walk(dir, |p| p.extension().is_some_and(|x| x == "md"), true)
}

/// Loads and validates all articles below `dir`. A missing folder is an empty site.
pub fn load_dir(dir: &Path, rules: &Rules) -> Loaded {
    if !dir.exists() {
        return Loaded::default();
    }
    let (files, mut errors) = markdown_files(dir);
    let results: Vec<Result<Article, Vec<FileError>>> = files
        .par_iter()
        .map(|path| {
            let (text, _) = read_article(path, rules.limits.max_file_size)
                .map_err(|problem| vec![FileError::new(Location::file(path), problem)])?;
            let text = crate::content::source::decode(text, path).map_err(|e| vec![e])?;
            Article::parse(&text, path, rules)
        })
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
                Problem::DuplicateUrl {
                    url,
                    other: other.to_path_buf(),
                },
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
        let (files, errors) = markdown_files(root);
        assert_eq!(files, vec![root.join("a.md"), root.join("y.md/inside.md")]);
        assert_eq!(
            problems(&errors, root),
            vec![
                ("x.md".into(), Problem::NotAFile("a named pipe (FIFO)")),
                ("y.md".into(), Problem::FolderNamedLikeFile("md".into())),
                ("z.md".into(), Problem::DanglingLink("nowhere.md".into())),
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
        let (files, errors) = markdown_files(&content);
        assert_eq!(
            files,
            vec![content.join("sub/a.md")],
            "README.md above content/ is not read"
        );
        let shown = problems(&errors, &content);
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert_eq!(shown[0].0, "sub/here");
        assert!(matches!(shown[0].1, Problem::LinkLoop(_)), "{shown:?}");
        assert_eq!(
            shown[1],
            ("up".into(), Problem::LinkLoop(dir.path().canonicalize().unwrap()))
        );
    }

    #[test]
    fn read_regular_refuses_pipes_without_blocking_and_files_over_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("x.md");
        mkfifo(&pipe);
        // Without O_NONBLOCK this open would wait for a writer forever.
        assert_eq!(
            read_regular(&pipe, u64::MAX).unwrap_err(),
            Problem::NotAFile("a named pipe (FIFO)")
        );
        assert_eq!(
            read_regular(dir.path(), u64::MAX).unwrap_err(),
            Problem::NotAFile("a folder")
        );
        let big = dir.path().join("big.txt");
        std::fs::File::create(&big).unwrap().set_len(1 << 40).unwrap();
        assert_eq!(
            read_regular(&big, 1000).unwrap_err(),
            Problem::TooLarge {
                size: 1 << 40,
                limit: 1000
            }
        );
        std::fs::write(&big, "abc").unwrap();
        assert_eq!(read_regular(&big, 3).unwrap().0, b"abc");
        assert!(matches!(
            read_regular(&big, 2),
            Err(Problem::TooLarge { size: 3, limit: 2 })
        ));
    }
}
