//! Every URL in a feed item's content made absolute. Readers resolve a
//! relative link against the feed's URL, or not at all, never against the
//! article's page: `bild.png`, `../` and `#abschnitt` in a body lead
//! nowhere in a reader. The rendered HTML is rewritten with lol_html, a
//! streaming HTML rewriter, rather than at the Markdown event level,
//! because a site that allows raw HTML has `src`, `srcset` and `cite` in
//! markup the Markdown parser never looks into.

use lol_html::{RewriteStrSettings, element, rewrite_str};

use crate::text::url::resolve;

/// Attributes that hold one URL.
const URL_ATTRIBUTES: [&str; 4] = ["href", "src", "cite", "poster"];

/// `html` with every URL in `href`, `src`, `cite`, `poster` and `srcset`
/// resolved against `base`, the article's absolute URL; borrowed when
/// there is none to resolve.
pub fn absolute_urls<'a>(html: &'a str, base: &str) -> std::borrow::Cow<'a, str> {
    // Most news bodies hold no link or picture at all: those skip the
    // rewriter, which would parse every tag to find nothing to change.
    static URL_ATTRIBUTE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let any = URL_ATTRIBUTE
        .get_or_init(|| regex::Regex::new(r"(?i)(href|src|srcset|cite|poster)\s*=").expect("a valid pattern"));
    if !any.is_match(html) {
        return html.into();
    }
    let mut settings = RewriteStrSettings::new();
    for name in URL_ATTRIBUTES {
        settings = settings.append_element_content_handler(element!(format!("[{name}]"), move |el| {
            if let Some(value) = el.get_attribute(name) {
                el.set_attribute(name, &resolve(base, &value))?;
            }
            Ok(())
        }));
    }
    settings = settings.append_element_content_handler(element!("[srcset]", |el| {
        if let Some(value) = el.get_attribute("srcset") {
            el.set_attribute("srcset", &resolve_srcset(base, &value))?;
        }
        Ok(())
    }));
    // Rewriting a string fails only past a memory limit that is not set.
    rewrite_str(html, settings).map_or(html.into(), Into::into)
}

/// `a.png 1x, b.png 2x`: each candidate's URL resolved, its descriptor kept.
fn resolve_srcset(base: &str, srcset: &str) -> String {
    srcset
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|candidate| match candidate.split_once(char::is_whitespace) {
            Some((url, descriptor)) => format!("{} {}", resolve(base, url), descriptor.trim()),
            None => resolve(base, candidate),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::absolute_urls;

    #[test]
    fn links_images_and_sources_become_absolute() {
        let base = "https://example.org/archiv/2022/01/slug/";
        let html = "<p><a href=\"../\">zurück</a> <a href=\"#abschnitt\">Anker</a> \
                    <img src=\"bild.png\" alt=\"a &amp; b\" /> <a href=\"https://x.example/?a=1&amp;b=2\">x</a></p>\n\
                    <picture><source srcset=\"s.webp 1x, /archiv/static/l.webp 2x\"></picture>\
                    <blockquote cite=\"quelle/\">z</blockquote><a href=\"mailto:r@example.org\">m</a>";
        assert_eq!(
            absolute_urls(html, base),
            "<p><a href=\"https://example.org/archiv/2022/01/\">zurück</a> \
             <a href=\"https://example.org/archiv/2022/01/slug/#abschnitt\">Anker</a> \
             <img src=\"https://example.org/archiv/2022/01/slug/bild.png\" alt=\"a &amp; b\" /> \
             <a href=\"https://x.example/?a=1&amp;b=2\">x</a></p>\n\
             <picture><source srcset=\"https://example.org/archiv/2022/01/slug/s.webp 1x, \
             https://example.org/archiv/static/l.webp 2x\"></picture>\
             <blockquote cite=\"https://example.org/archiv/2022/01/slug/quelle/\">z</blockquote>\
             <a href=\"mailto:r@example.org\">m</a>"
        );
    }

    /// The check that spares bodies without links the rewriter reads
    /// attribute names as HTML does, in any case and with spaces.
    #[test]
    fn attributes_in_capitals_or_spaced_are_rewritten_too() {
        let html = "<p><A HREF=\"a/\">x</A> <img Src = \"b.png\"></p>";
        let out = absolute_urls(html, "https://example.org/s/");
        assert!(out.contains("https://example.org/s/a/"), "{out}");
        assert!(out.contains("https://example.org/s/b.png"), "{out}");
    }

    #[test]
    fn text_that_looks_like_markup_stays_text() {
        let html = "<p>&lt;a href=\"x\"&gt;kein Link&lt;/a&gt; <code>src=\"y\"</code></p>\n";
        assert_eq!(absolute_urls(html, "https://example.org/a/"), html);
    }
}
