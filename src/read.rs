//! Reading files that a user or a scraper supplied (articles, site.yaml,
//! import inputs): regular files only, opened without blocking, within a
//! size limit, and decoded as UTF-8 with the line of the first bad byte.
//! At the bottom of the layers, beside `error`, because configuration,
//! content and import all read such files and must read them alike.

use std::path::{Path, PathBuf};

use crate::error::{FileError, Location, Problem, ReadProblem};

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
pub(crate) fn dangling_target(path: &Path, error: Option<&std::io::Error>) -> Option<PathBuf> {
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
    let (file, meta) = open_regular(path)?;
    if meta.len() > limit {
        return Err(Problem::Read(ReadProblem::TooLarge {
            size: meta.len(),
            limit,
        }));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Problem::Read(ReadProblem::Io(e.into())))?;
    // The file grew after it was measured.
    if bytes.len() as u64 > limit {
        return Err(Problem::Read(ReadProblem::TooLarge {
            size: bytes.len() as u64,
            limit,
        }));
    }
    Ok((bytes, meta))
}

/// Opens a regular file without blocking on a pipe or device, for a
/// reader that streams it (a JSON Lines import reads record by record).
pub fn open_regular(path: &Path) -> Result<(std::fs::File, std::fs::Metadata), Problem> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path).map_err(|e| match dangling_target(path, Some(&e)) {
        Some(target) => Problem::Read(ReadProblem::DanglingLink(target)),
        None => Problem::Read(ReadProblem::Io(e.into())),
    })?;
    let meta = file.metadata().map_err(|e| Problem::Read(ReadProblem::Io(e.into())))?;
    if !meta.is_file() {
        return Err(Problem::Read(ReadProblem::NotAFile(kind_of(&meta.file_type()))));
    }
    Ok((file, meta))
}

/// A file's bytes as text; not UTF-8 is an error at its line and column.
pub fn decode(bytes: Vec<u8>, path: &Path) -> Result<String, FileError> {
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: `bytes` was checked to be UTF-8 just above, and is owned
        // here, so nothing changes it in between.
        return Ok(unsafe { String::from_utf8_unchecked(bytes) });
    }
    // Not UTF-8: std's error says where.
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
        FileError::new(
            Location::line(path, line),
            Problem::Read(ReadProblem::NotUtf8 {
                byte: e.as_bytes()[valid.len()],
                column,
            }),
        )
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn mkfifo(path: &Path) {
        rustix::fs::mkfifoat(rustix::fs::CWD, path, rustix::fs::Mode::from_raw_mode(0o644)).unwrap();
    }

    #[test]
    fn read_regular_refuses_pipes_without_blocking_and_files_over_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("x.md");
        mkfifo(&pipe);
        // Without O_NONBLOCK this open would wait for a writer forever.
        assert_eq!(
            read_regular(&pipe, u64::MAX).unwrap_err(),
            Problem::Read(ReadProblem::NotAFile("a named pipe (FIFO)"))
        );
        assert_eq!(
            read_regular(dir.path(), u64::MAX).unwrap_err(),
            Problem::Read(ReadProblem::NotAFile("a folder"))
        );
        let big = dir.path().join("big.txt");
        std::fs::File::create(&big).unwrap().set_len(1 << 40).unwrap();
        assert_eq!(
            read_regular(&big, 1000).unwrap_err(),
            Problem::Read(ReadProblem::TooLarge {
                size: 1 << 40,
                limit: 1000
            })
        );
        std::fs::write(&big, "abc").unwrap();
        assert_eq!(read_regular(&big, 3).unwrap().0, b"abc");
        assert!(matches!(
            read_regular(&big, 2),
            Err(Problem::Read(ReadProblem::TooLarge { size: 3, limit: 2 }))
        ));
    }
}
