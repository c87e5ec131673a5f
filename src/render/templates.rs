//! The theme: Tera templates embedded in the binary, each overridable by a
//! file of the same name in the site's `templates/` folder (as in Zola).

use std::path::{Path, PathBuf};

use tera::{Context, Kwargs, State, Tera, TeraResult};

use crate::error::{FileError, Location, Problem, ReadProblem, RenderProblem};
use crate::render::locale::Lang;

/// The default theme, as shipped in `templates/`.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "partials/article_list.html",
        include_str!("../../templates/partials/article_list.html"),
    ),
    (
        "partials/social.html",
        include_str!("../../templates/partials/social.html"),
    ),
    (
        "partials/pagination.html",
        include_str!("../../templates/partials/pagination.html"),
    ),
    ("index.html", include_str!("../../templates/index.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("taxonomy_list.html", include_str!("../../templates/taxonomy_list.html")),
    ("taxonomy_term.html", include_str!("../../templates/taxonomy_term.html")),
    ("archive_index.html", include_str!("../../templates/archive_index.html")),
    ("archive_year.html", include_str!("../../templates/archive_year.html")),
    ("archive_month.html", include_str!("../../templates/archive_month.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
];

/// The default theme's static files (site-relative paths); a file of the
/// same name in the site's `static/` wins.
pub const STATIC: &[(&str, &[u8])] = &[
    ("static/style.css", include_bytes!("../../static/style.css")),
    ("static/favicon.svg", include_bytes!("../../static/favicon.svg")),
    ("static/search.js", include_bytes!("../../static/search.js")),
];

/// Compiled templates, shared by all rendering threads.
pub struct Templates {
    tera: Tera,
    /// Where each template came from, for error messages.
    origins: Vec<TemplateOrigin>,
    /// Whether a template of the site's own may read `site.years` (it
    /// names `years`, or dumps the whole context).
    reads_years: bool,
}

/// One template of the theme as read: the built-in text or the site's file
/// of the same name. Its text is part of the build's fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TemplateText {
    /// The name templates use to include or extend it (`partials/head.html`).
    pub name: String,
    pub text: String,
}

/// The file a compiled template came from, so that an error names it.
struct TemplateOrigin {
    name: String,
    path: PathBuf,
}

impl Templates {
    /// The embedded defaults, with the `.html` files in `dir` (if it exists)
    /// added or replacing defaults of the same name.
    pub fn load(dir: &Path, lang: &Lang) -> Result<Templates, Vec<FileError>> {
        let (texts, errors) = Templates::read_theme(dir, &crate::content::load::Links::All);
        if !errors.is_empty() {
            return Err(errors);
        }
        Templates::compile(texts, dir, lang)
    }

    /// The texts of the theme, the site's files replacing
    /// defaults of the same name, sorted by name. Links in `dir` that
    /// `links` does not follow are among the problems, as warnings.
    pub fn read_theme(dir: &Path, links: &crate::content::load::Links) -> (Vec<TemplateText>, Vec<FileError>) {
        let mut texts: Vec<TemplateText> = DEFAULTS
            .iter()
            .map(|(name, text)| TemplateText {
                name: name.to_string(),
                text: text.to_string(),
            })
            .collect();
        let mut errors = Vec::new();
        if dir.is_dir() {
            let walked = crate::content::load::site_files(dir, links, |p| {
                p.extension().is_some_and(|x| x == "html" || x == "xml")
            });
            errors.extend(walked.errors.into_iter().chain(walked.skipped));
            let files = walked.files;
            for path in files {
                let name = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                match std::fs::read_to_string(&path) {
                    Ok(text) => {
                        texts.retain(|t| t.name != name);
                        texts.push(TemplateText { name, text });
                    }
                    Err(e) => errors.push(FileError::new(
                        Location::file(&path),
                        Problem::Read(ReadProblem::Io(e.into())),
                    )),
                }
            }
        }
        texts.sort();
        (texts, errors)
    }

    /// Compiles theme texts as [`Templates::read_theme`] returns them from
    /// `dir`; errors name the site's file where the template came from there.
    pub fn compile(texts: Vec<TemplateText>, dir: &Path, lang: &Lang) -> Result<Templates, Vec<FileError>> {
        let built_in = |name: &str, text: &str| DEFAULTS.iter().any(|(n, t)| *n == name && *t == text);
        let reads_years = texts
            .iter()
            .any(|t| !built_in(&t.name, &t.text) && (t.text.contains("years") || t.text.contains("__tera_context")));
        let origins: Vec<TemplateOrigin> = texts
            .iter()
            .map(|TemplateText { name, text }| {
                let built_in = built_in(name, text);
                let path = if built_in {
                    PathBuf::from(format!("(built-in) templates/{name}"))
                } else {
                    dir.join(name)
                };
                TemplateOrigin {
                    name: name.clone(),
                    path,
                }
            })
            .collect();
        let mut tera = Tera::default();
        tera.set_escape_fn(escape_html);
        register_filters(&mut tera, lang);
        match tera.add_raw_templates(texts.into_iter().map(|t| (t.name, t.text))) {
            Ok(()) => Ok(Templates {
                tera,
                origins,
                reads_years,
            }),
            Err(e) => Err(vec![locate(&origins, &e)]),
        }
    }

    /// Whether `site.years` must be filled: the built-in theme links the
    /// archive's overview instead, and a list of years in every page's
    /// `site` value would make the first article of a new year render every
    /// page again.
    pub fn reads_years(&self) -> bool {
        self.reads_years
    }

    /// Values every template sees (`site`), set once for all pages.
    pub fn set_global(&mut self, key: &'static str, value: &impl serde::Serialize) {
        self.tera.global_context().insert(key, value);
    }

    /// Renders `name` into `out`.
    pub fn render_to(&self, name: &str, context: &Context, out: &mut Vec<u8>) -> Result<(), FileError> {
        self.tera
            .render_to(name, context, out)
            .map_err(|e| locate(&self.origins, &e))
    }

    pub fn render(&self, name: &str, context: &Context) -> Result<String, FileError> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.render_to(name, context, &mut out)?;
        Ok(String::from_utf8(out).expect("Tera writes UTF-8"))
    }
}

/// A Tera error, located at the template file it comes from. Tera's own
/// report already names template, line, column and the variable.
fn locate(origins: &[TemplateOrigin], e: &tera::Error) -> FileError {
    let report = error_chain(e);
    let path = origins
        .iter()
        .find(|o| report.contains(&format!("--> {}:", o.name)) || report.contains(&format!("'{}'", o.name)))
        .map(|o| o.path.clone())
        .unwrap_or_else(|| PathBuf::from("templates"));
    let line = report
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))
        .and_then(|loc| loc.rsplit(':').nth(1))
        .and_then(|n| n.parse().ok());
    FileError::new(
        Location { path, line },
        Problem::Render(RenderProblem::Template(report)),
    )
}

fn error_chain(e: &tera::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push('\n');
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Tera's own escaper makes one `dyn Write` call per byte of every value a
/// page prints, a large part of a build's rendering; pulldown-cmark's scans
/// sixteen bytes at a time and writes the runs between special characters
/// whole. Its replacements are Tera's (`&#39;` for `'` too), so pages are the
/// same bytes and a site's templates escape as before.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    pulldown_cmark_escape::escape_html(pulldown_cmark_escape::IoWriter(out), input)
}

/// Filters the default theme uses and custom templates may too.
fn register_filters(tera: &mut Tera, lang: &Lang) {
    let locale = lang.locale;
    let default_format = lang.day_format;
    // `{{ article.date | date }}` → `21. Januar 2022`; `date(format="%d.%m.%Y")`.
    tera.register_filter(
        "date",
        move |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let format = kwargs.get::<&str>("format")?.unwrap_or(default_format);
            let dt = chrono::DateTime::parse_from_rfc3339(value)
                .map_err(|e| tera::Error::message(format!("`date` filter: `{value}` is not an RFC 3339 date: {e}")))?;
            Ok(dt.format_localized(format, locale).to_string())
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn lang() -> Lang {
        Lang::new("de", &BTreeMap::new())
    }

    /// The escaper is Tera's in output, byte for byte: every special
    /// character, runs of them, at either end, beside multi-byte text.
    #[test]
    fn escape_writes_what_teras_escaper_writes() {
        let inputs = [
            "",
            "plain text",
            "<script>alert('x')</script>",
            "&&<<>>\"\"''",
            "\"quoted\" & 'single' <b>",
            "Grüße <ä> & „Zitat“ 😀'",
            "<",
            "a&",
        ];
        // Longer text is scanned in blocks of 16 bytes: specials at every
        // place in a block, in the last partial one, and runs across blocks.
        let long: Vec<String> = (0..40)
            .flat_map(|at| {
                ['&', '<', '>', '"', '\''].map(|special| {
                    let mut text: String = "Grüße aus der Altstadt, sagte sie ".chars().cycle().take(at).collect();
                    text.push(special);
                    text.push_str(&"x".repeat(40 - at));
                    text.push_str("'\"<>&");
                    text
                })
            })
            .collect();
        for input in inputs.into_iter().chain(long.iter().map(String::as_str)) {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            escape_html(input, &mut ours).unwrap();
            tera::escape_html(input, &mut teras).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(teras).unwrap(),
                "{input}"
            );
        }
    }

    /// A value a template prints goes through the escaper set on the
    /// templates, a site's own template too.
    #[test]
    fn printed_values_are_escaped() {
        let t = Templates::compile(
            vec![TemplateText {
                name: "x.html".into(),
                text: "<h1>{{ title }}</h1>{{ title | safe }}".into(),
            }],
            Path::new("templates"),
            &lang(),
        )
        .unwrap();
        let mut ctx = Context::new();
        ctx.insert("title", "<script>a & 'b'</script>");
        assert_eq!(
            t.render("x.html", &ctx).unwrap(),
            "<h1>&lt;script&gt;a &amp; &#39;b&#39;&lt;/script&gt;</h1><script>a & 'b'</script>"
        );
    }

    #[test]
    fn defaults_compile() {
        let dir = tempfile::tempdir().unwrap();
        Templates::load(&dir.path().join("templates"), &lang()).unwrap();
    }

    #[test]
    fn a_site_file_overrides_a_default_and_errors_name_file_line_and_variable() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("404.html"), "<p>\n{{ nope }}</p>").unwrap();
        let t = Templates::load(dir.path(), &lang()).unwrap();
        let e = t.render("404.html", &Context::new()).unwrap_err();
        assert_eq!(e.location.path, dir.path().join("404.html"));
        assert_eq!(e.location.line, Some(2));
        assert!(e.to_string().contains("`nope`"), "{e}");
    }

    #[test]
    fn syntax_errors_are_found_at_load() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("article.html"), "{% if %}").unwrap();
        let errors = Templates::load(dir.path(), &lang()).err().unwrap();
        assert_eq!(errors[0].location.path, dir.path().join("article.html"));
    }

    #[test]
    fn date_filter_speaks_the_site_language() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("x.html"),
            "{{ d | date }}|{{ d | date(format=\"%d.%m.%Y\") }}",
        )
        .unwrap();
        let t = Templates::load(dir.path(), &lang()).unwrap();
        let mut ctx = Context::new();
        ctx.insert("d", "2022-03-01T00:00:00+01:00");
        assert_eq!(t.render("x.html", &ctx).unwrap(), "1. März 2022|01.03.2022");
    }
}
