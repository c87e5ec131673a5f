//! Which addresses blatt puts into links.

/// Only web URLs: a `javascript:` or `data:` URL in scraped metadata must not
/// become a link in the archive.
pub fn is_http_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && s.len() > "https://".len()
        && !s.chars().any(|c| {
            c.is_whitespace()
                || crate::text::chars::is_forbidden(c)
                || c.is_control()
                || c == '"'
                || c == '<'
                || c == '>'
        })
}

/// `reference` resolved against the absolute http(s) URL `base`, as a
/// browser resolves a link in the page at `base` (RFC 3986, section 5.2):
/// what a feed reader, which resolves against the feed's own URL or not at
/// all, must be given ready-made. A reference with a scheme (`mailto:`,
/// `https:`) is returned as it is. `base` is always one of blatt's own
/// page URLs, so the `url` crate's IDNA and parsing of arbitrary hosts
/// would buy nothing here.
pub fn resolve(base: &str, reference: &str) -> String {
    let reference = reference.trim();
    if has_scheme(reference) {
        return reference.to_string();
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("https", base));
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = &base[..scheme.len() + 3 + authority_end];
    if reference.starts_with("//") {
        return format!("{scheme}:{reference}");
    }
    // The base without its fragment, and its path without the query.
    let base = base.split('#').next().unwrap_or(base);
    let path_and_query = &base[origin.len()..];
    let base_path = path_and_query.split('?').next().unwrap_or("");
    if reference.is_empty() {
        return base.to_string();
    }
    if reference.starts_with('#') {
        return format!("{base}{reference}");
    }
    if reference.starts_with('?') {
        return format!("{origin}{base_path}{reference}");
    }
    let (path, tail) = match reference.find(['?', '#']) {
        Some(i) => reference.split_at(i),
        None => (reference, ""),
    };
    let merged = if path.starts_with('/') {
        path.to_string()
    } else {
        let dir = &base_path[..base_path.rfind('/').map_or(0, |i| i + 1)];
        format!("{}{path}", if dir.is_empty() { "/" } else { dir })
    };
    format!("{origin}{}{tail}", remove_dot_segments(&merged))
}

/// Whether `s` starts with a URI scheme (`mailto:`, `https:`): letters
/// first, then letters, digits, `+`, `-` or `.`, up to a colon that comes
/// before any `/`, `?` or `#`.
fn has_scheme(s: &str) -> bool {
    let Some(colon) = s.find(':') else { return false };
    let scheme = &s[..colon];
    scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// `a/./b/../c` → `a/c` (RFC 3986, section 5.2.4); never above the root.
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            "." | ".." => {
                if *segment == ".." && out.len() > 1 {
                    out.pop();
                }
                // A path ending in a dot segment names a folder.
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

/// An alias (`aliases:` in front matter) as the site path of the redirect
/// it becomes: `/2021/12/alter-name/` → `2021/12/alter-name/`, a folder
/// (`…/`) or a file (`alt.html`). Refused: anything that could leave the
/// site or mean something else to a browser (a scheme, `//`, `..`, `.`, a
/// query or fragment, a backslash, spaces, control characters), and the
/// site's root.
pub fn alias_path(alias: &str) -> Result<String, String> {
    let path = alias.trim().trim_start_matches('/');
    if alias.trim().starts_with("//") || path.split('/').next().is_some_and(|first| first.contains(':')) {
        return Err(format!(
            "must be a path in the site such as `/2021/12/alter-name/`, not an address (`{alias}`)"
        ));
    }
    if path.is_empty() {
        return Err("must not be the site's home page".into());
    }
    if let Some(c) = path
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "?#\\\"'<>`".contains(*c))
    {
        return Err(format!("must not contain `{}` (in `{alias}`)", c.escape_default()));
    }
    let mut segments: Vec<&str> = path.split('/').collect();
    if segments.last() == Some(&"") {
        segments.pop();
    }
    if segments.iter().any(|s| s.is_empty() || *s == "." || *s == "..") {
        return Err(format!("must not contain `..`, `.` or `//` (in `{alias}`)"));
    }
    // A last segment with an extension is a file; anything else a folder.
    let file = segments.last().is_some_and(|last| last.contains('.')) && !path.ends_with('/');
    Ok(if file {
        path.to_string()
    } else {
        format!("{}/", segments.join("/"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_as_a_browser_resolves_them() {
        let base = "https://example.org/archiv/2022/01/slug/";
        let cases = [
            ("bild.png", "https://example.org/archiv/2022/01/slug/bild.png"),
            ("../", "https://example.org/archiv/2022/01/"),
            ("../../02/x/#a", "https://example.org/archiv/2022/02/x/#a"),
            ("./a/../b", "https://example.org/archiv/2022/01/slug/b"),
            ("#abschnitt", "https://example.org/archiv/2022/01/slug/#abschnitt"),
            ("?q=1", "https://example.org/archiv/2022/01/slug/?q=1"),
            ("/archiv/static/b.png", "https://example.org/archiv/static/b.png"),
            ("/x", "https://example.org/x"),
            ("../../../../../../etc", "https://example.org/etc"),
            ("//cdn.example.net/a.png", "https://cdn.example.net/a.png"),
            ("https://other.example/a", "https://other.example/a"),
            ("mailto:red@example.org", "mailto:red@example.org"),
            ("", "https://example.org/archiv/2022/01/slug/"),
            ("a:b/c", "a:b/c"),
            ("x/a:b", "https://example.org/archiv/2022/01/slug/x/a:b"),
        ];
        for (reference, expected) in cases {
            assert_eq!(resolve(base, reference), expected, "{reference}");
        }
        assert_eq!(resolve("http://h", "a"), "http://h/a");
        assert_eq!(resolve("http://h/p?q#f", "#g"), "http://h/p?q#g");
    }

    #[test]
    fn aliases_are_paths_in_the_site() {
        assert_eq!(alias_path("/2021/12/alter-name/").unwrap(), "2021/12/alter-name/");
        assert_eq!(alias_path("2021/12/alter-name").unwrap(), "2021/12/alter-name/");
        assert_eq!(alias_path("/alt/seite.html").unwrap(), "alt/seite.html");
        assert_eq!(alias_path("/v1.2/").unwrap(), "v1.2/");
        for bad in [
            "https://example.org/x/",
            "//evil.example/x/",
            "javascript:alert(1)",
            "/a/../../etc/",
            "/a/./b/",
            "a//b/",
            "/",
            "",
            "/a b/",
            "/a?x=1",
            "/a#b",
            "/a\\b",
            "/\"><script>/",
        ] {
            assert!(alias_path(bad).is_err(), "{bad:?} accepted");
        }
    }
}
