//! Where an imported article goes: a new file under a free slug, a
//! duplicate of a stored article (filling in what that one lacks), or an
//! updated version of one (replaced in place with `--update`). Sequential,
//! in input order, so that two runs over the same inputs give the same files.

use std::path::{Path, PathBuf};

use super::stored::{Existing, body_shingles};
use super::{Action, Evidence, ImportOptions, compose, retag, terms};
use crate::content::Article;
use crate::error::{InputProblem, Problem, WriteProblem};
use crate::output;

/// Whether two articles are the same story in different versions: the same
/// source URL, or, where neither has one, the same title and date.
fn same_article(a: &Article, b: &Article) -> Option<Evidence> {
    match (&a.front.source_url, &b.front.source_url) {
        (Some(x), Some(y)) => (x == y).then_some(Evidence::SourceUrl),
        (None, None) => {
            (a.front.title == b.front.title && a.front.date == b.front.date).then_some(Evidence::TitleAndDate)
        }
        _ => None,
    }
}

/// Decides where an article goes and writes it (unless a dry run).
/// `undated`: the article's date is a stand-in (its input had none, and
/// there was no `--date`); it is placed only as a duplicate or new version
/// of a stored article, whose date it then keeps, else refused.
pub(super) fn place(
    mut article: Article,
    undated: bool,
    existing: &mut Existing,
    options: &ImportOptions,
    rules: &crate::content::Rules,
) -> Result<(PathBuf, Action, Article), Problem> {
    let fingerprint = article.front.fingerprint.clone().unwrap_or_default();
    if let Some(path) = existing.by_fingerprint.get(&fingerprint).cloned() {
        existing.read(&path);
        if !options.force {
            let (path, filled) = fill_in_stored(&path, &article, existing, options, rules)?;
            let action = match filled.is_empty() {
                true => Action::Duplicate(path.clone()),
                false => Action::Enriched(path.clone(), filled),
            };
            return Ok((path, action, article));
        }
        let old_slug = existing.by_path.get(&path).and_then(|a| a.front.slug.clone());
        article.front.slug = old_slug.or(article.front.slug);
        article.path = path.clone();
        if let Some(stored) = existing.by_path.get(&path) {
            if undated {
                keep_date(&mut article.front, &stored.front);
            }
            mark_updated(&mut article, stored, rules.tz);
        }
        let text = article.to_file_string();
        let same = std::fs::read_to_string(&path).is_ok_and(|old| old == text);
        let action = match (same, options.dry_run) {
            (true, _) => Action::Unchanged,
            (false, true) => Action::WouldWrite,
            (false, false) => {
                write(&path, &text)?;
                Action::Replaced
            }
        };
        existing.by_path.insert(path.clone(), article.clone());
        return Ok((path, action, article));
    }

    if let Some((path, similarity)) = existing.nearest(&body_shingles(&article)) {
        if options.update {
            return update(&path, article, existing, options, rules);
        }
        // Below 100: 99.6 % is not the same text.
        let evidence = Evidence::Text(((similarity * 100.0).floor() as u32).min(99));
        return newer_version(&path, evidence, article, existing, options, rules);
    }
    if undated {
        return Err(Problem::Input(InputProblem::NoDate));
    }

    let base_slug = article.front.slug.clone().unwrap_or_else(|| article.slug());
    let dir = article.path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut n = 1;
    let (path, action) = loop {
        let slug = if n == 1 {
            base_slug.clone()
        } else {
            format!("{base_slug}-{n}")
        };
        let candidate = dir.join(format!("{slug}.md"));
        if !existing.taken(&candidate) {
            article.front.slug = Some(slug);
            article.path = candidate.clone();
            if options.dry_run {
                break (candidate, Action::WouldWrite);
            }
            if write_new(&candidate, &article.to_file_string())? {
                break (candidate, Action::Written);
            }
            // Another import wrote this file since `content/` was read:
            // judge it as if it had been there all along.
            if let Some(duplicate) = existing.learn(&candidate, &fingerprint) {
                return Ok((duplicate.clone(), Action::Duplicate(duplicate), article));
            }
            continue;
        }
        existing.read(&candidate);
        let evidence = existing
            .by_path
            .get(&candidate)
            .and_then(|old| same_article(old, &article));
        if let Some(evidence) = evidence {
            if !options.force {
                // Too short or too rewritten to tell by the text; the URL,
                // or the title and date, say it is the same story.
                if options.update {
                    return update(&candidate, article, existing, options, rules);
                }
                return newer_version(&candidate, evidence, article, existing, options, rules);
            }
            article.front.slug = Some(slug);
            article.path = candidate.clone();
            if let Some(stored) = existing.by_path.get(&candidate) {
                mark_updated(&mut article, stored, rules.tz);
            }
            if !options.dry_run {
                write(&candidate, &article.to_file_string())?;
            }
            break (
                candidate,
                if options.dry_run {
                    Action::WouldWrite
                } else {
                    Action::Replaced
                },
            );
        }
        n += 1;
    };
    existing.remember(&path, &fingerprint, &article);
    Ok((path, action, article))
}

/// Now in `tz`, to the second, as front matter writes it.
fn now_in(tz: chrono_tz::Tz) -> chrono::DateTime<chrono::FixedOffset> {
    let now = chrono::Utc::now().with_timezone(&tz).fixed_offset();
    crate::content::date::parse(&crate::content::date::format(&now), tz).unwrap_or(now)
}

/// `--force` writes `article` over `stored`: feeds and readers learn of a
/// changed text only by `updated`, so a changed body sets it to now; the
/// same body keeps what the stored article had.
fn mark_updated(article: &mut Article, stored: &Article, tz: chrono_tz::Tz) {
    article.front.updated = if article.body.trim() == stored.body.trim() {
        stored.front.updated
    } else {
        Some(now_in(tz).max(article.front.date))
    };
}

/// An undated input replacing the stored version of its story (`--force`)
/// takes the stored date, and whether it was assumed.
fn keep_date(front: &mut crate::content::FrontMatter, stored: &crate::content::FrontMatter) {
    front.date = stored.date;
    front.extra.remove(compose::DATE_ASSUMED);
    if date_assumed(stored) {
        front.extra.insert(compose::DATE_ASSUMED.into(), true.into());
    }
}

fn date_assumed(front: &crate::content::FrontMatter) -> bool {
    front.extra.get(compose::DATE_ASSUMED) == Some(&serde_yaml::Value::Bool(true))
}

/// Fills the fields `stored` lacks from `new`, another version of the same
/// story: a date where the stored one was assumed (`--date`, the file's
/// time) and the new version carries one, the source URL, authors,
/// sources, the summary, the lead image (with its own description and
/// caption: those of another image would describe the wrong picture).
/// Names the fields filled in.
fn fill_in(stored: &mut crate::content::FrontMatter, new: &crate::content::FrontMatter) -> Vec<&'static str> {
    let mut filled = Vec::new();
    if date_assumed(stored) && !date_assumed(new) {
        stored.date = new.date;
        stored.extra.remove(compose::DATE_ASSUMED);
        filled.push("date");
    }
    if stored.source_url.is_none() && new.source_url.is_some() {
        stored.source_url.clone_from(&new.source_url);
        filled.push("source_url");
    }
    for (name, have, from) in [
        ("authors", &mut stored.authors, &new.authors),
        ("sources", &mut stored.sources, &new.sources),
    ] {
        if have.is_empty() && !from.is_empty() {
            have.clone_from(from);
            filled.push(name);
        }
    }
    if stored.summary.is_none() && new.summary.is_some() {
        stored.summary.clone_from(&new.summary);
        filled.push("summary");
    }
    if stored.image.is_none() && new.image.is_some() {
        stored.image.clone_from(&new.image);
        stored.image_alt.clone_from(&new.image_alt);
        stored.image_caption.clone_from(&new.image_caption);
        filled.push("image");
    }
    filled
}

/// Where an article goes once its date changed: the folder of its new month
/// when it was in its old month's (`content/YYYY/MM/`), else where it is.
fn relocated(path: &Path, old: &str, article: &Article, tz: chrono_tz::Tz) -> PathBuf {
    let (Some(month_dir), Some(name)) = (path.parent(), path.file_name()) else {
        return path.to_path_buf();
    };
    let Some(content_dir) = month_dir.parent().and_then(Path::parent) else {
        return path.to_path_buf();
    };
    if !month_dir.ends_with(old) {
        return path.to_path_buf();
    }
    let new = article.front.date.with_timezone(&tz).format("%Y/%m").to_string();
    content_dir.join(new).join(name)
}

/// Writes `article` at `from`, then moves it to `to` unless a file is there
/// (then it stays at `from`). Returns where it is.
fn commit(from: &Path, to: &Path, article: &Article) -> Result<PathBuf, Problem> {
    write(from, &article.to_file_string())?;
    if from == to {
        return Ok(from.to_path_buf());
    }
    let fail = |e: std::io::Error| write_to(to, e);
    std::fs::create_dir_all(to.parent().unwrap_or(Path::new("."))).map_err(fail)?;
    // A link never replaces a file; the old name goes once the new one is there.
    match std::fs::hard_link(from, to) {
        Ok(()) => {
            std::fs::remove_file(from).map_err(|e| write_to(from, e))?;
            // The old month's folder and its year's, if that left them
            // empty (`remove_dir` takes nothing else).
            for dir in from.ancestors().skip(1).take(2) {
                let _ = std::fs::remove_dir(dir);
            }
            Ok(to.to_path_buf())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(from.to_path_buf()),
        Err(e) => Err(fail(e)),
    }
}

/// Reports `new` as a newer version of the article at `path`, filling in
/// what that one lacks.
fn newer_version(
    path: &Path,
    evidence: Evidence,
    new: Article,
    existing: &mut Existing,
    options: &ImportOptions,
    rules: &crate::content::Rules,
) -> Result<(PathBuf, Action, Article), Problem> {
    let (path, filled) = fill_in_stored(path, &new, existing, options, rules)?;
    let action = Action::NewerVersion {
        of: path.clone(),
        evidence,
        filled,
    };
    Ok((path, action, new))
}

/// Fills in the stored article at `path` from `new` (see [`fill_in`]) and
/// writes it (unless a dry run). Returns where it is and what was filled in.
fn fill_in_stored(
    path: &Path,
    new: &Article,
    existing: &mut Existing,
    options: &ImportOptions,
    rules: &crate::content::Rules,
) -> Result<(PathBuf, Vec<&'static str>), Problem> {
    existing.read(path);
    let Some(mut stored) = existing.by_path.get(path).cloned() else {
        return Ok((path.to_path_buf(), Vec::new()));
    };
    let old_month = stored.front.date.with_timezone(&rules.tz).format("%Y/%m").to_string();
    let filled = fill_in(&mut stored.front, &new.front);
    if filled.is_empty() {
        return Ok((path.to_path_buf(), filled));
    }
    let target = relocated(path, &old_month, &stored, rules.tz);
    let at = match options.dry_run {
        true => target,
        false => commit(path, &target, &stored)?,
    };
    stored.path = at.clone();
    existing.by_path.insert(path.to_path_buf(), stored);
    existing.moved(path, &at);
    Ok((at, filled))
}

/// `--update`: `new` replaces the stored article at `path`, its updated
/// version. The slug stays, and so does the date unless it was assumed and
/// the new version carries one; `updated` is the new version's date when it
/// is later, else now. What the new version lacks (source URL, authors,
/// sources, summary, `extra` keys) is kept, and so are the terms the rules
/// did not make (an editor's).
fn update(
    path: &Path,
    mut article: Article,
    existing: &mut Existing,
    options: &ImportOptions,
    rules: &crate::content::Rules,
) -> Result<(PathBuf, Action, Article), Problem> {
    existing.read(path);
    let Some(stored) = existing.by_path.get(path).cloned() else {
        return Err(Problem::Input(InputProblem::Vanished(path.to_path_buf())));
    };
    let tz = rules.tz;
    let old_month = stored.front.date.with_timezone(&tz).format("%Y/%m").to_string();
    let new_dated = !date_assumed(&article.front);
    let new_date = article.front.date;
    let front = &mut article.front;
    front.extra.remove(compose::DATE_ASSUMED);
    if !(date_assumed(&stored.front) && new_dated) {
        front.date = stored.front.date;
        if date_assumed(&stored.front) {
            front.extra.insert(compose::DATE_ASSUMED.into(), true.into());
        }
    }
    let now = now_in(tz);
    let updated = if new_dated && new_date > front.date {
        new_date
    } else {
        now
    };
    front.updated = Some(updated.max(front.date));
    front.slug = Some(stored.slug());
    front.draft = stored.front.draft;
    fill_in(front, &stored.front);
    let made = retag::rule_made(&stored.front);
    let own = |list: &[String]| list.iter().filter(|t| !made.contains(*t)).cloned().collect::<Vec<_>>();
    terms::push_unique(&mut front.topics, own(&stored.front.topics));
    terms::push_unique(&mut front.tags, own(&stored.front.tags));
    front.topics.truncate(rules.limits.max_terms);
    front.tags.truncate(rules.limits.max_terms);
    for (key, value) in &stored.front.extra {
        let ours = [compose::RULE_TERMS, compose::DATE_ASSUMED].map(serde_yaml::Value::from);
        if !front.extra.contains_key(key) && !ours.contains(key) {
            front.extra.insert(key.clone(), value.clone());
        }
    }
    let target = relocated(path, &old_month, &article, tz);
    article.path = path.to_path_buf();
    let at = match options.dry_run {
        true => target,
        false => commit(path, &target, &article)?,
    };
    article.path = at.clone();
    existing.moved(path, &at);
    let fingerprint = article.front.fingerprint.clone().unwrap_or_default();
    existing.remember(&at, &fingerprint, &article);
    Ok((at.clone(), Action::Updated(at), article))
}

/// Writes a new file, never over one that exists: complete (a temporary
/// file linked into place) or not at all. `false` when `path` exists, which
/// another `blatt import` running at the same time may have just written.
fn write_new(path: &Path, text: &str) -> Result<bool, Problem> {
    use std::io::Write;
    let fail = |e: std::io::Error| write_to(path, e);
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(fail)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".blatt-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(fail)?;
    tmp.write_all(text.as_bytes()).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(true),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(fail(e.error)),
    }
}

pub(super) fn write(path: &Path, text: &str) -> Result<(), Problem> {
    output::write_atomic(path, text.as_bytes()).map_err(|e| write_to(path, e))
}

/// Problems are reported at the input; the file that could not be written is
/// another, so the problem names it.
fn write_to(path: &Path, e: std::io::Error) -> Problem {
    Problem::Write(WriteProblem::WriteTo {
        path: path.to_path_buf(),
        cause: e.into(),
    })
}
