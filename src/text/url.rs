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
