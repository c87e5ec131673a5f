//! schema.org JSON-LD for article pages, built as a JSON value (never by
//! pasting text into a template) and escaped for the inside of a
//! `<script>` element.

use serde_json::{Value, json};

/// Google shows headlines of up to 110 characters.
pub const HEADLINE_MAX: usize = 110;

/// `title`, cut at a word boundary with `…` when longer than
/// [`HEADLINE_MAX`] characters.
pub fn headline(title: &str) -> String {
    crate::text::cut::at_word(title, HEADLINE_MAX)
}

/// JSON text that can stand inside `<script>`: `<`, `>` and `&` as
/// `\u003c` etc. (so `</script>` and `<!--` in content cannot end or
/// bend the element), and the line separators JavaScript once refused.
/// These characters only occur inside JSON strings, where the escapes
/// mean the same characters.
pub fn script_safe(value: &Value) -> String {
    let text = serde_json::to_string(value).expect("a JSON value serialises");
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// What a `NewsArticle` says of one article.
pub struct NewsArticle<'a> {
    pub title: &'a str,
    pub summary: Option<&'a str>,
    /// RFC 3339 with offset.
    pub published: String,
    pub modified: String,
    /// Each author with the absolute URL of their page, if they have one.
    pub authors: Vec<(&'a str, Option<String>)>,
    pub sources: &'a [String],
    pub keywords: Vec<&'a str>,
    pub sections: Vec<&'a str>,
    pub language: &'a str,
    /// Absolute.
    pub url: &'a str,
    pub site_title: &'a str,
    pub site_url: &'a str,
    pub logo: Option<&'a str>,
    pub image: Option<&'a str>,
    /// Where the story was filed (`extra.dateline`, which import fills
    /// from `Hamburg (dpa) – …`): schema.org's `dateline`, so that the
    /// place taken out of the body's first line is not lost to readers
    /// and crawlers.
    pub dateline: Option<&'a str>,
    /// Whether to write `url`, `inLanguage` and `isAccessibleForFree`,
    /// which say again what the page and `mainEntityOfPage` say.
    pub repeats: bool,
}

impl NewsArticle<'_> {
    /// The JSON-LD object. Authors are `Person`s; an article without
    /// authors credits its sources (agencies) as `Organization`s; one
    /// with neither has no `author`.
    pub fn value(&self) -> Value {
        let mut publisher = json!({
            "@type": "Organization",
            "name": self.site_title,
            "url": self.site_url,
        });
        if let Some(logo) = self.logo {
            publisher["logo"] = json!({ "@type": "ImageObject", "url": logo });
        }
        let author: Vec<Value> = if self.authors.is_empty() {
            self.sources
                .iter()
                .map(|s| json!({ "@type": "Organization", "name": s }))
                .collect()
        } else {
            self.authors
                .iter()
                .map(|(name, url)| match url {
                    Some(url) => json!({ "@type": "Person", "name": name, "url": url }),
                    None => json!({ "@type": "Person", "name": name }),
                })
                .collect()
        };
        let mut article = json!({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": headline(self.title),
            "datePublished": self.published,
            "dateModified": self.modified,
            "publisher": publisher,
            "mainEntityOfPage": { "@type": "WebPage", "@id": self.url },
        });
        if self.repeats {
            article["inLanguage"] = json!(self.language);
            article["url"] = json!(self.url);
            article["isAccessibleForFree"] = json!(true);
        }
        if let Some(summary) = self.summary.filter(|s| !s.is_empty()) {
            article["description"] = json!(summary);
        }
        if !author.is_empty() {
            article["author"] = Value::Array(author);
        }
        if !self.keywords.is_empty() {
            article["keywords"] = json!(self.keywords);
        }
        if !self.sections.is_empty() {
            article["articleSection"] = json!(self.sections);
        }
        if let Some(image) = self.image {
            article["image"] = json!([image]);
        }
        if let Some(dateline) = self.dateline.filter(|d| !d.trim().is_empty()) {
            article["dateline"] = json!(dateline);
        }
        article
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headlines_are_cut_at_a_word_within_the_limit() {
        assert_eq!(headline("Kurz"), "Kurz");
        let exact = "x".repeat(HEADLINE_MAX);
        assert_eq!(headline(&exact), exact);
        let long = "Wort ".repeat(40);
        let cut = headline(&long);
        assert!(cut.chars().count() <= HEADLINE_MAX, "{cut}");
        assert!(cut.ends_with("Wort…"), "{cut}");
        let umlauts = "Ä".repeat(200);
        let cut = headline(&umlauts);
        assert_eq!(cut.chars().count(), HEADLINE_MAX);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn script_safe_json_cannot_end_the_script_and_reads_back_the_same() {
        let value = json!({"headline": "</script><script>alert(1)</script> <!-- & \u{2028}\u{2029}"});
        let text = script_safe(&value);
        for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!text.contains(bad), "{bad:?} in {text}");
        }
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
    }
}
