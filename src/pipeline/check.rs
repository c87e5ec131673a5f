//! `blatt check`: the build's phases up to rendering, with nothing written.

use crate::config::Site;
use crate::error::FileError;

use super::{BuildOptions, plan, render};

/// What `blatt check` found.
#[derive(Debug)]
pub struct CheckReport {
    /// Articles that loaded without error.
    pub articles: usize,
    pub errors: Vec<FileError>,
    /// Symbolic links not followed.
    pub warnings: Vec<FileError>,
}

/// Everything a build would do, drafts and future articles included, with
/// nothing written: content, templates, every page rendered, every link checked.
pub fn check(site: &Site, progress: &(dyn Fn() + Sync)) -> CheckReport {
    let mut options = BuildOptions::for_site(site);
    options.drafts = true;
    options.future = true;
    let mut warnings = Vec::new();
    match plan::prepare_all(site, &options, &mut warnings) {
        Err(failed) => CheckReport {
            articles: failed.loaded,
            errors: failed.errors,
            warnings,
        },
        Ok(mut prepared) => {
            let all = plan::signed_outputs(&mut prepared, site);
            let which: Vec<usize> = (0..all.len()).collect();
            let rendered = render::render(&prepared, site, &options, &all, &which, &|_| Ok(()), progress);
            CheckReport {
                articles: prepared.index.entries.len(),
                errors: rendered.errors,
                warnings,
            }
        }
    }
}
