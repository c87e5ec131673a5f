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
