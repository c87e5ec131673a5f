//! Argument parsing and the per-command glue: call the library, print what
//! it reports, pick the exit status (0 ok, 1 content errors, 2 usage).

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use blatt::config::Site;
use blatt::content::date;
use blatt::error::{Error, FileError, InputProblem, Problem};
use blatt::import::{self, Action, ImportOptions, Input, Overrides};
use clap::{Parser, Subcommand};

/// `--base-url`, checked as `base_url` in site.yaml is: a command-line
/// mistake is reported by the parser, with exit status 2, before anything runs.
fn base_url_arg(url: &str) -> Result<String, String> {
    if blatt::config::is_base_url(url) {
        Ok(url.to_string())
    } else {
        Err(blatt::config::base_url_problem(url))
    }
}

/// `--url`: what `source_url` in front matter accepts.
fn source_url_arg(url: &str) -> Result<String, String> {
    if blatt::text::url::is_http_url(url) {
        Ok(url.to_string())
    } else {
        Err(format!("`{}` is not an absolute http(s) URL", url.escape_default()))
    }
}

/// `println!` that does not panic when standard output is closed. A reader
/// that stops early (`blatt build | head -1`) is no failure of the command,
/// which has done its work: the rest of its output is dropped and its exit
/// status stays what the work earned, as ripgrep does.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `eprintln!` that does not panic when standard error is closed (`2>&1 | head`).
macro_rules! tell {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

#[derive(Debug, Parser)]
#[command(
    name = "blatt",
    version,
    about = "Static-site and feed generator for news archives",
    long_about = "blatt turns scraped news articles into clean Markdown with YAML front matter \
                  and renders them into a static archive.\n\n\
                  Example:\n  blatt init meine-seite\n  blatt --root meine-seite import artikel.txt --date 2022-01-21\n  blatt --root meine-seite check"
)]
pub struct Cli {
    /// The site folder (the one with site.yaml).
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Print only errors: no progress, no summary line, no warnings.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new site: site.yaml with commented defaults, content/ and static/.
    #[command(
        long_about = "Create a new site in DIR: site.yaml with every setting at its commented \
                            default, an empty content/ and static/. DIR must be new or empty.\n\n\
                            Example:\n  blatt init meine-seite"
    )]
    Init {
        /// Folder to create the site in.
        dir: PathBuf,
        /// Also copy the default theme (templates/, static/) into the site for editing.
        #[arg(long)]
        templates: bool,
    },
    /// Import scraped articles (text, trafilatura JSON/JSON Lines) into content/.
    #[command(
        long_about = "Import scraped articles into content/YYYY/MM/<slug>.md, removing page \
                            chrome (reading tips, embeds, playlists, credits) and filling the front \
                            matter (kicker, summary, topics, tags, sources, authors, date).\n\n\
                            Inputs are files or folders (searched for .txt, .json, .jsonl) or - for \
                            standard input. An input already imported is reported as a duplicate and \
                            nothing is written, except that it fills in a date, source URL, authors \
                            or summary the stored article lacks. An input with nearly the same text, \
                            or the same source URL (else title and date), is reported as an updated \
                            version: --update replaces it in place, --force overwrites it. Bad \
                            inputs are reported with path and line while the others still import \
                            (exit status 1).\n\n\
                            Example:\n  blatt import artikel.txt --date 2022-01-21\n  \
                            blatt import scrapes/ --dry-run --explain"
    )]
    Import {
        /// Files, folders, or - for standard input.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<String>,
        /// Date for inputs that carry none (YYYY-MM-DD, a date and time in the site's time zone, or RFC 3339). A date the input carries (metadata, URL, text) wins; an input with neither is not imported.
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// Use --date for every input, even one that carries its own date.
        #[arg(long, requires = "date")]
        override_date: bool,
        /// Original URL of the article (source_url).
        #[arg(long, value_name = "URL", value_parser = source_url_arg)]
        url: Option<String>,
        /// Print what would be written; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Replace an existing file for the same article when it differs.
        #[arg(long)]
        force: bool,
        /// List every dropped line and the rule that dropped it.
        #[arg(long)]
        explain: bool,
        /// Replace an article an input is an updated version of (nearly the same text), keeping its URL and setting `updated`.
        #[arg(long)]
        update: bool,
    },
    /// Apply the current topic and tag rules of site.yaml to the articles in content/.
    #[command(
        long_about = "Apply the topic and tag rules of site.yaml to every article in content/, as \
                            import would now: terms the rules give are added, terms the rules gave \
                            earlier (listed under extra.rule_terms) and no longer give are removed. \
                            Terms an editor added are kept. Only articles whose terms change are \
                            written; each change is printed.\n\n\
                            Example:\n  blatt retag --dry-run\n  blatt retag"
    )]
    Retag {
        /// Print every change (file: +topic X, -tag Y); write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Render the site into public/: pages, feeds, sitemap.
    #[command(
        long_about = "Render the site: article pages, home, topic, tag, author and date archives (paginated), \
                            feeds for the site and every topic, tag and author (RSS 2.0 feed.xml, Atom 1.0 \
                            atom.xml, JSON Feed 1.1 feed.json; `feed.formats` in site.yaml chooses), search, \
                            sitemap.xml, the News sitemap, robots.txt and \
                            404.html, plus the static files. The build writes into a fresh folder and swaps \
                            it in only when everything succeeded: on any error (every one is printed) the \
                            previous output stays as it was. Files that did not change keep their \
                            modification time.\n\n\
                            Example:\n  blatt build\n  blatt build --base-url https://example.org/archiv/ --out /srv/www"
    )]
    Build {
        /// Output folder (default: public/ in the site).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Absolute URL the site is published at; overrides base_url in site.yaml.
        #[arg(long, value_name = "URL", value_parser = base_url_arg)]
        base_url: Option<String>,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Include articles dated in the future.
        #[arg(long)]
        future: bool,
    },
    /// Preview the site: build, serve on 127.0.0.1:1111, rebuild and reload on every change.
    #[command(
        long_about = "Build the site into a folder of its own in the user's cache folder and \
                            serve it, by default on http://127.0.0.1:1111/. content/, templates/, \
                            static/ and site.yaml are watched: every change rebuilds what it reaches \
                            and reloads the open pages. A build error is printed here and shown over \
                            the page in the browser, which keeps the last good build until the file \
                            is fixed. The folder is kept for the next `blatt serve` of the site, which \
                            then builds only what changed since (a second server of a site already \
                            served builds into a temporary folder, removed on Ctrl-C).\n\n\
                            Example:\n  blatt serve\n  blatt serve --port 8080 --drafts"
    )]
    Serve {
        /// Port to listen on (0: any free port).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; other machines can reach the preview only with e.g. 0.0.0.0.
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
        bind: std::net::IpAddr,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Include articles dated in the future.
        #[arg(long)]
        future: bool,
    },
    /// Load and validate everything a build would; write nothing.
    #[command(
        long_about = "Do everything a build would, drafts and future articles included, and \
                            write nothing: load site.yaml, every article and template, render every \
                            page and check its links. Every problem (file:line and what is wrong) is \
                            reported in one run.\n\n\
                            Example:\n  blatt --root meine-seite check"
    )]
    Check,
}

fn color(code: &str, text: &str) -> String {
    if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// Prints an error; a list of file problems one per line.
pub fn report(error: &Error) {
    match error {
        Error::Files(list) => {
            print_file_errors(list);
            let files: std::collections::BTreeSet<_> = list.iter().map(|e| &e.location.path).collect();
            tell!(
                "{} in {}; nothing was written",
                plural(list.len(), "error", "errors"),
                plural(files.len(), "file", "files")
            );
        }
        other => print_error(&other.to_string()),
    }
}

pub fn print_error(message: &str) {
    tell!("{} {}", color("1;31", "error:"), terminal_safe(message));
}

fn print_warning(message: &str) {
    tell!("{} {}", color("1;33", "warning:"), terminal_safe(message));
}

/// Messages quote values from scraped files; a control character among
/// them (an escape sequence) would reach the user's terminal, where it can
/// retitle the window or hide text. Shown escaped, as Rust writes them.
/// Line breaks are kept, for reports that span lines (a template error
/// shows the template's line), but every line after the first is indented,
/// so that no quoted text can start a line that looks like blatt's own.
fn terminal_safe(message: &str) -> std::borrow::Cow<'_, str> {
    if !message.chars().any(char::is_control) {
        return message.into();
    }
    message
        .chars()
        .map(|c| match c {
            '\n' => "\n  ".to_string(),
            '\t' => "\t".to_string(),
            c if c.is_control() => c.escape_default().to_string(),
            c => c.to_string(),
        })
        .collect::<String>()
        .into()
}

fn print_warnings(warnings: &[FileError]) {
    for w in warnings {
        print_warning(&w.to_string());
    }
}

/// Warnings (unless `quiet`), then errors.
fn print_problems(warnings: &[FileError], errors: &[FileError], quiet: bool) {
    if !quiet {
        for w in warnings {
            print_warning(&w.to_string());
        }
    }
    print_file_errors(errors);
}

/// 1 when some file had errors (each printed), else 0.
fn exit_status(errors: &[FileError]) -> ExitCode {
    if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn print_file_errors(errors: &[FileError]) {
    for e in errors {
        print_error(&e.to_string());
    }
}

/// `1 204` for big counts, as the summary lines print them.
fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{202F}');
        }
        out.push(c);
    }
    if n >= 10_000 { out } else { digits }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

fn shown(path: &Path, root: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

/// `path` as seen from the current folder when it lies below it: the
/// site's folder is loaded by its real path, and `public` reads better
/// than `/home/…/site/public` in a line about the build just made.
fn shown_from_here(path: &Path) -> String {
    let here = std::env::current_dir().and_then(|d| d.canonicalize()).ok();
    let below = here.as_deref().and_then(|here| path.strip_prefix(here).ok());
    let path = below.filter(|p| !p.as_os_str().is_empty()).unwrap_or(path);
    path.display().to_string().trim_start_matches("./").to_string()
}

pub fn dispatch(cli: &Cli) -> Result<ExitCode, Error> {
    match &cli.command {
        Command::Init { dir, templates } => {
            blatt::init::create_site(dir, *templates)?;
            if !cli.quiet {
                say!(
                    "created a new site in {} → edit site.yaml, then `blatt --root {} import …`",
                    dir.display(),
                    dir.display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Import {
            inputs,
            date: date_arg,
            override_date,
            url,
            dry_run,
            force,
            explain,
            update,
        } => {
            let site = Site::load(&cli.root)?;
            let date = match date_arg {
                Some(d) => Some(
                    date::parse(d, site.config.timezone)
                        .map_err(|reason| Error::Usage(format!("--date `{d}`: {reason}")))?,
                ),
                None => None,
            };
            let mut stdin_used = false;
            let mut list = Vec::new();
            for input in inputs {
                if input == "-" {
                    if stdin_used {
                        return Err(Error::Usage("- (standard input) can be given only once".into()));
                    }
                    stdin_used = true;
                    let mut bytes = Vec::new();
                    let limit = site.config.import.max_file_size.saturating_add(1);
                    std::io::stdin()
                        .take(limit)
                        .read_to_end(&mut bytes)
                        .map_err(|e| Error::io("-", e))?;
                    list.push(Input::Stdin(bytes));
                } else {
                    list.push(Input::Path(PathBuf::from(input)));
                }
            }
            let options = ImportOptions {
                overrides: Overrides {
                    date,
                    date_wins: *override_date,
                    url: url.clone(),
                },
                dry_run: *dry_run,
                force: *force,
                update: *update,
            };
            import_command(&site, &list, &options, *explain, cli.quiet)
        }
        Command::Check => check_command(&cli.root, cli.quiet),
        Command::Retag { dry_run } => retag_command(&cli.root, *dry_run, cli.quiet),
        Command::Serve {
            port,
            bind,
            drafts,
            future,
        } => {
            let options = blatt::serve::ServeOptions {
                bind: *bind,
                port: *port,
                drafts: *drafts,
                future: *future,
            };
            serve_command(&cli.root, &options, cli.quiet)
        }
        Command::Build {
            out,
            base_url,
            drafts,
            future,
        } => {
            let site = Site::load(&cli.root)?;
            let mut options = blatt::pipeline::BuildOptions::for_site(&site);
            if let Some(out) = out {
                options.out = out.clone();
            }
            options.base_url = base_url.clone();
            options.drafts = *drafts;
            options.future = *future;
            options.release_memory = Some(crate::release_memory);
            build_command(&site, &options, cli.quiet)
        }
    }
}

fn progress_bar(quiet: bool) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} files read {per_sec}").expect("valid template"),
    );
    bar
}

fn import_command(
    site: &Site,
    inputs: &[Input],
    options: &ImportOptions,
    explain: bool,
    quiet: bool,
) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let bar = progress_bar(quiet);
    let report = import::run(site, inputs, options, &|| bar.inc(1))?;
    bar.finish_and_clear();
    let root = &site.root;
    let mut stdout = std::io::stdout().lock();
    let verbose = report.outcomes.len() <= 20;
    for outcome in &report.outcomes {
        let path = shown(&outcome.path, root);
        let line = match &outcome.action {
            Action::Duplicate(existing) => Some(format!(
                "duplicate: {} is already {}",
                outcome.origin,
                shown(existing, root)
            )),
            Action::Enriched(_, filled) => Some(format!(
                "duplicate: {} is already {path}; {} {} from it",
                outcome.origin,
                if options.dry_run { "would fill in" } else { "filled in" },
                filled.join(", ")
            )),
            Action::NewerVersion { evidence, filled, .. } => {
                let mut line = format!(
                    "updated version of {path}: {} ({evidence}); --update replaces it",
                    outcome.origin
                );
                if !filled.is_empty() {
                    let verb = if options.dry_run { "would fill in" } else { "filled in" };
                    line.push_str(&format!("; {verb} {}", filled.join(", ")));
                }
                Some(line)
            }
            Action::Updated(_) => Some(format!(
                "{} {path} with its new version (from {})",
                if options.dry_run { "would update" } else { "updated" },
                outcome.origin
            )),
            Action::Replaced => Some(format!("replaced {path} (from {})", outcome.origin)),
            Action::Unchanged => Some(format!("unchanged {path} (from {})", outcome.origin)),
            Action::Written if verbose => Some(format!("wrote {path} (from {})", outcome.origin)),
            Action::WouldWrite => Some(format!(
                "would write {path} (from {}):\n{}",
                outcome.origin,
                outcome.dry_run_text.as_deref().unwrap_or_default()
            )),
            Action::Written => None,
        };
        if let Some(line) = line.filter(|_| !quiet || options.dry_run) {
            let _ = writeln!(stdout, "{line}");
        }
        if explain {
            // A JSON record's lines count within its `text`: name the record.
            let at = match outcome.record {
                Some(n) => format!("{} record {n}, text line ", outcome.origin),
                None => format!("{}:", outcome.origin.path.display()),
            };
            for d in &outcome.dropped {
                let _ = writeln!(stdout, "  {at}{}: dropped ({}): {}", d.line, d.rule, d.text);
            }
        }
    }
    drop(stdout);
    // Inputs without a date come last, together: one --date run imports them.
    let (undated, errors): (Vec<FileError>, Vec<FileError>) = report
        .errors
        .iter()
        .cloned()
        .partition(|e| e.problem == Problem::Input(InputProblem::NoDate));
    print_problems(&report.warnings, &errors, quiet);
    print_file_errors(&undated);
    if !quiet {
        for path in &report.skipped {
            say!(
                "skipped {}: not .txt, .json or .jsonl (nor one of them .gz)",
                path.display()
            );
        }
        let written = report.count(|a| matches!(a, Action::Written | Action::Replaced | Action::WouldWrite));
        let duplicates = report.count(|a| matches!(a, Action::Duplicate(_) | Action::Unchanged | Action::Enriched(..)));
        let versions = report.count(|a| matches!(a, Action::NewerVersion { .. } | Action::Updated(_)));
        let filled = report.count(|a| match a {
            Action::Enriched(..) => true,
            Action::NewerVersion { filled, .. } => !filled.is_empty(),
            _ => false,
        });
        let mut details = vec![plural(duplicates, "duplicate", "duplicates")];
        if versions > 0 {
            details.push(plural(versions, "updated version", "updated versions"));
        }
        if filled > 0 {
            details.push(format!("{} filled in", plural(filled, "article", "articles")));
        }
        details.push(plural(errors.len(), "error", "errors"));
        if !undated.is_empty() {
            details.push(plural(undated.len(), "without a date", "without a date"));
        }
        if !report.skipped.is_empty() {
            details.push(format!(
                "{} skipped",
                plural(report.skipped.len(), "other file", "other files")
            ));
        }
        let verb = if options.dry_run { "would import" } else { "imported" };
        say!(
            "{verb} {} ({}) in {:.2} s → {}",
            plural(written, "article", "articles"),
            details.join(", "),
            started.elapsed().as_secs_f64(),
            site.content_dir().display().to_string().trim_start_matches("./")
        );
    }
    Ok(exit_status(&report.errors))
}

fn retag_command(root: &Path, dry_run: bool, quiet: bool) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let site = Site::load(root)?;
    let report = blatt::import::retag::run(&site, dry_run)?;
    let mut stdout = std::io::stdout().lock();
    for change in &report.changes {
        if !quiet || dry_run {
            let _ = writeln!(stdout, "{}: {change}", shown(&change.path, &site.root));
        }
    }
    drop(stdout);
    print_problems(&report.warnings, &report.errors, quiet);
    if !quiet {
        say!(
            "{} {} of {} in {:.2} s",
            if dry_run { "would retag" } else { "retagged" },
            count(report.changes.len()),
            plural(report.articles, "article", "articles"),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(exit_status(&report.errors))
}

fn build_command(site: &Site, options: &blatt::pipeline::BuildOptions, quiet: bool) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let bar = progress_bar(quiet);
    let result = blatt::pipeline::build(site, options, &|| bar.inc(1));
    bar.finish_and_clear();
    let report = result?;
    if !quiet {
        print_warnings(&report.warnings);
        for (from, to) in &report.redirected {
            say!("redirect {from} → {to} (the article moved; the old URL keeps working)");
        }
        for from in &report.redirects_dropped {
            say!("redirect {from} dropped: a page of this build is there now");
        }
        say!("{}", build_summary(&report, started.elapsed()));
    }
    Ok(ExitCode::SUCCESS)
}

/// The summary line of a build (README.md shows it), and under a base path
/// the one thing such a site cannot do by itself.
fn build_summary(report: &blatt::pipeline::BuildReport, elapsed: std::time::Duration) -> String {
    let note = report.robots_off_root.as_ref().map_or(String::new(), |url| {
        format!(
            "\nnote: robots.txt is at {url}, where crawlers do not look (they read /robots.txt \
             at the host's root only); add its Sitemap lines to the host's robots.txt"
        )
    });
    {
        let how = match report.mode {
            blatt::pipeline::Mode::Unchanged => ", nothing changed".to_string(),
            blatt::pipeline::Mode::Incremental | blatt::pipeline::Mode::Edits => {
                format!(", {} rendered again", plural(report.rendered, "output", "outputs"))
            }
            blatt::pipeline::Mode::Full => String::new(),
        };
        format!(
            "built {}, {}, {}, {}{how} in {:.2} s → {}{note}",
            plural(report.articles, "article", "articles"),
            plural(report.topics, "topic", "topics"),
            plural(report.tags, "tag", "tags"),
            plural(report.pages, "page", "pages"),
            elapsed.as_secs_f64(),
            shown_from_here(&report.out)
        )
    }
}

fn serve_command(root: &Path, options: &blatt::serve::ServeOptions, quiet: bool) -> Result<ExitCode, Error> {
    use blatt::serve::ServeEvent;
    let site = root.display().to_string();
    blatt::serve::run(root, options, &|event| match event {
        ServeEvent::Built { report, elapsed } => {
            if !quiet {
                print_warnings(&report.warnings);
                say!("{}", build_summary(report, elapsed));
            }
        }
        ServeEvent::Failed(error) => {
            report(error);
            tell!("still serving the last good build; fix the file and save to rebuild");
        }
        ServeEvent::Building { url, folder, temporary } => {
            if !quiet {
                match temporary {
                    None => tell!(
                        "building {site} into {} (kept for the next `blatt serve`) for the preview at {url} (Ctrl-C to stop)",
                        folder.display()
                    ),
                    Some(why) => tell!(
                        "building {site} into a temporary folder, {} ({why}), for the preview at {url} (Ctrl-C to stop)",
                        folder.display()
                    ),
                }
            }
        }
        ServeEvent::Listening { url } => {
            // Always printed, even with --quiet: it is how to reach the preview.
            say!("serving {site} at {url} (Ctrl-C to stop)");
        }
        // Answers to a Ctrl-C: printed even with --quiet.
        ServeEvent::Stopping => tell!("stopping when the build under way is done; Ctrl-C again to stop now"),
        ServeEvent::StoppingNow => tell!("stopping now; the build under way is abandoned"),
    })?;
    Ok(ExitCode::SUCCESS)
}

fn check_command(root: &Path, quiet: bool) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let site = Site::load(root)?;
    // Import patterns and rules live in site.yaml; a bad one is found here too.
    blatt::import::Importer::new(&site)?;
    let bar = progress_bar(quiet);
    let report = blatt::pipeline::check(&site, &|| bar.inc(1));
    bar.finish_and_clear();
    print_file_errors(&report.errors);
    if !quiet {
        print_warnings(&report.warnings);
        let files: std::collections::BTreeSet<_> = report.errors.iter().map(|e| &e.location.path).collect();
        let problems = if report.errors.is_empty() {
            "no errors".to_string()
        } else {
            format!(
                "{} in {}",
                plural(report.errors.len(), "error", "errors"),
                plural(files.len(), "file", "files")
            )
        };
        say!(
            "checked {}: {problems} in {:.2} s",
            plural(report.articles, "article", "articles"),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(exit_status(&report.errors))
}

#[cfg(test)]
mod tests {
    use super::terminal_safe;

    #[test]
    fn messages_keep_their_lines_but_no_other_control_character() {
        assert_eq!(
            terminal_safe("a.html: template error:\n--> a.html:3:4\n\tx\x1b[2J\r\nerror: fake"),
            "a.html: template error:\n  --> a.html:3:4\n  \tx\\u{1b}[2J\\r\n  error: fake"
        );
        assert_eq!(terminal_safe("plain"), "plain");
    }
}
