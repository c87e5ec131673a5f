//! The last phase: making what was rendered the output, all at once or not
//! at all. Three strategies:
//!
//! - [`FullSwap`]: everything rendered into a fresh folder beside the
//!   output, swapped in ([`crate::output::build_dir`]): the first build,
//!   and with `build.atomic` one after a change of templates or settings;
//! - [`LinkedSwap`]: an incremental build that still swaps in a whole
//!   folder, linking every file that did not change (`build.atomic`);
//! - [`Journaled`]: any later build, also one that renders everything
//!   after a change of templates or settings: it stages the files whose
//!   bytes changed and renames them into place under a journal
//!   ([`crate::output::journal`]), for archives where linking every file,
//!   or making every folder again, costs more than the change.

use std::collections::HashSet;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::state::manifest::{self, Encoded};
use crate::error::Error;
use crate::output::build_dir::{self, BuildDir, MARKER, Previous};
use crate::output::journal::{self, Update};

/// Where a build puts what it rendered until it commits; dropping it
/// undoes everything.
pub(super) trait Commit: Sync {
    /// Takes one rendered file; `previous` is what the manifest knows of
    /// the file's last version.
    fn stage(&self, rel: &str, bytes: &[u8], previous: Previous) -> io::Result<()>;

    /// Files written anew so far (the rest kept their modification time).
    fn written(&self) -> usize;

    /// Makes the staged files the output, with `manifest` beside it.
    /// `made(rel)`: whether the previous build wrote the file `rel` of the
    /// output, from its manifest (`None` without one). Every other file is
    /// someone else's and is kept.
    fn commit(self: Box<Self>, manifest: &Encoded, made: Option<&Made>) -> Result<(), Error>;
}

/// Whether the previous build made a file of the output.
pub(super) type Made<'a> = dyn Fn(&str) -> bool + Sync + 'a;

/// How a build reaches the output.
pub(super) enum Strategy {
    /// Every output rendered into a fresh folder.
    Full,
    /// Changed outputs only; `atomic`: swapped in as a whole folder.
    Incremental { atomic: bool },
}

/// Starts committing a build of `out` that writes `writes` (for the
/// journal) and deletes `deletes`; `durable`: see [`Update::begin`].
pub(super) fn begin(
    strategy: Strategy,
    out: &std::path::Path,
    writes: &[String],
    deletes: Vec<String>,
    durable: bool,
) -> Result<Box<dyn Commit>, Error> {
    Ok(match strategy {
        Strategy::Full => Box::new(FullSwap(BuildDir::create(out)?)),
        Strategy::Incremental { atomic: true } => Box::new(LinkedSwap {
            dir: BuildDir::create(out)?,
            deletes: deletes.into_iter().collect(),
            written: AtomicUsize::new(0),
        }),
        Strategy::Incremental { atomic: false } => Box::new(Journaled {
            update: Update::begin(out, writes, &deletes, &manifest::FILES, durable)
                .map_err(|e| Error::io(journal::path_for(out), e))?,
            written: AtomicUsize::new(0),
        }),
    })
}

pub(super) struct FullSwap(BuildDir);

impl Commit for FullSwap {
    fn stage(&self, rel: &str, bytes: &[u8], previous: Previous) -> io::Result<()> {
        self.0.write(rel, bytes, previous)
    }

    fn written(&self) -> usize {
        self.0.counts().0
    }

    fn commit(self: Box<Self>, manifest: &Encoded, made: Option<&Made>) -> Result<(), Error> {
        self.0.keep_others(made)?;
        self.0.commit(manifest.generation, &manifest.files()).map(drop)
    }
}

pub(super) struct LinkedSwap {
    dir: BuildDir,
    /// Files of the previous output that the new one does not have.
    deletes: HashSet<String>,
    written: AtomicUsize,
}

impl Commit for LinkedSwap {
    fn stage(&self, rel: &str, bytes: &[u8], previous: Previous) -> io::Result<()> {
        if previous != Previous::Same {
            self.dir.write(rel, bytes, Previous::Different)?;
            self.written.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    fn written(&self) -> usize {
        self.written.load(Ordering::Relaxed)
    }

    fn commit(self: Box<Self>, manifest: &Encoded, _: Option<&Made>) -> Result<(), Error> {
        let out = self.dir.out().to_path_buf();
        // Every file of the previous output but the marker and the deleted.
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(&out).min_depth(1) {
            let entry = entry.map_err(|e| Error::io(&out, e.into()))?;
            // Links and other non-folders too: they may be someone else's.
            if !entry.file_type().is_dir() {
                let rel = entry.path().strip_prefix(&out).expect("below the output");
                files.push(rel.to_string_lossy().into_owned());
            }
        }
        files
            .par_iter()
            .filter(|f| f.as_str() != MARKER && !self.deletes.contains(f.as_str()))
            .try_for_each(|f| self.dir.keep(f).map_err(|e| Error::io(self.dir.staging().join(f), e)))?;
        self.dir.commit(manifest.generation, &manifest.files()).map(drop)
    }
}

pub(super) struct Journaled {
    update: Update,
    written: AtomicUsize,
}

impl Commit for Journaled {
    fn stage(&self, rel: &str, bytes: &[u8], previous: Previous) -> io::Result<()> {
        if previous != Previous::Same {
            self.update.stage(rel, bytes)?;
            self.written.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    fn written(&self) -> usize {
        self.written.load(Ordering::Relaxed)
    }

    fn commit(self: Box<Self>, manifest: &Encoded, _: Option<&Made>) -> Result<(), Error> {
        let out = self.update.out().to_path_buf();
        self.update
            .commit(&build_dir::marker_text(manifest.generation), &manifest.files())
            .map_err(|e| Error::io(&out, e))
    }
}
