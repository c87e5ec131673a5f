//! Words and dates in the site's language: `21. Januar 2022`, `Themen`.
//!
//! The default theme's labels for German and English live here as data;
//! `labels` in `site.yaml` overrides any of them, and only them
//! (`crate::config::LABEL_KEYS`): a misspelt key would otherwise be ignored.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone};

/// Everything language-dependent a page needs.
#[derive(Debug, Clone)]
pub struct Lang {
    pub tag: String,
    pub locale: chrono::Locale,
    /// strftime pattern for a day: `%-d. %B %Y` in German.
    pub day_format: &'static str,
    pub month_format: &'static str,
    pub labels: BTreeMap<String, String>,
}

const GERMAN: &[(&str, &str)] = &[
    ("home", "Startseite"),
    ("topics", "Themen"),
    ("tags", "Schlagworte"),
    ("authors", "Autoren"),
    ("archive", "Archiv"),
    ("latest", "Neueste Artikel"),
    ("page", "Seite"),
    ("of", "von"),
    ("feed", "Feed"),
    ("articles", "Artikel"),
    ("article", "Artikel"),
    ("published", "Veröffentlicht am"),
    ("updated", "Aktualisiert am"),
    ("by", "Von"),
    ("sources", "Quellen"),
    ("original", "Originalartikel"),
    ("newer", "Neuerer Artikel"),
    ("older", "Älterer Artikel"),
    ("months", "Monate"),
    ("newer_month", "Nächster Monat"),
    ("older_month", "Vorheriger Monat"),
    ("previous_page", "Vorherige Seite"),
    ("next_page", "Nächste Seite"),
    ("pagination", "Seiten"),
    ("navigation", "Hauptnavigation"),
    ("skip", "Zum Inhalt springen"),
    ("not_found_title", "Seite nicht gefunden"),
    (
        "not_found_text",
        "Diese Seite gibt es nicht (mehr). Vielleicht hilft die Startseite oder das Archiv weiter.",
    ),
    ("articles_in", "Artikel im"),
    ("topic", "Thema"),
    ("tag", "Schlagwort"),
    ("author", "Autor"),
    ("no_articles", "Noch keine Artikel."),
    ("powered_by", "Erstellt mit blatt"),
    ("related", "Mehr zum Thema"),
    ("search", "Suche"),
    ("search_label", "Suchbegriffe"),
    ("search_button", "Suchen"),
    (
        "search_intro",
        "Durchsucht Titel, Texte, Themen und Schlagworte aller Artikel. Ein Wortanfang genügt: „Außenminister“ findet auch „Außenministers“.",
    ),
    (
        "search_noscript",
        "Die Suche braucht JavaScript. Ohne JavaScript führen die Themen, die Schlagworte und das Archiv zu allen Artikeln.",
    ),
    ("search_loading", "Suche …"),
    ("search_none", "Keine Treffer."),
    ("search_one", "1 Treffer."),
    ("search_many", "{n} Treffer."),
    ("search_shown", "{n} Treffer, die ersten {shown} werden gezeigt."),
    ("search_more", "Weitere Treffer"),
    ("search_short", "Bitte mindestens zwei Buchstaben eingeben."),
    ("search_error", "Der Suchindex konnte nicht geladen werden."),
];

const ENGLISH: &[(&str, &str)] = &[
    ("home", "Home"),
    ("topics", "Topics"),
    ("tags", "Tags"),
    ("authors", "Authors"),
    ("archive", "Archive"),
    ("latest", "Latest articles"),
    ("page", "Page"),
    ("of", "of"),
    ("feed", "Feed"),
    ("articles", "articles"),
    ("article", "article"),
    ("published", "Published"),
    ("updated", "Updated"),
    ("by", "By"),
    ("sources", "Sources"),
    ("original", "Original article"),
    ("newer", "Newer article"),
    ("older", "Older article"),
    ("months", "Months"),
    ("newer_month", "Next month"),
    ("older_month", "Previous month"),
    ("previous_page", "Previous page"),
    ("next_page", "Next page"),
    ("pagination", "Pages"),
    ("navigation", "Main navigation"),
    ("skip", "Skip to content"),
    ("not_found_title", "Page not found"),
    (
        "not_found_text",
        "This page does not exist (any more). The home page or the archive may help.",
    ),
    ("articles_in", "Articles in"),
    ("topic", "Topic"),
    ("tag", "Tag"),
    ("author", "Author"),
    ("no_articles", "No articles yet."),
    ("powered_by", "Made with blatt"),
    ("related", "Related"),
    ("search", "Search"),
    ("search_label", "Search terms"),
    ("search_button", "Search"),
    (
        "search_intro",
        "Searches the titles, texts, topics and tags of all articles. The start of a word is enough.",
    ),
    (
        "search_noscript",
        "Search needs JavaScript. Without it, the topics, the tags and the archive lead to every article.",
    ),
    ("search_loading", "Searching …"),
    ("search_none", "No results."),
    ("search_one", "1 result."),
    ("search_many", "{n} results."),
    ("search_shown", "{n} results, showing the first {shown}."),
    ("search_more", "More results"),
    ("search_short", "Please type at least two letters."),
    ("search_error", "The search index could not be loaded."),
];

impl Lang {
    /// The language of `tag` (`de`, `de-AT`, `en`), with `overrides` applied
    /// to its labels. Languages without built-in labels use English words.
    pub fn new(tag: &str, overrides: &BTreeMap<String, String>) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("en").to_ascii_lowercase();
        let region = tag.split(['-', '_']).nth(1).map(str::to_ascii_uppercase);
        let default_region = match primary.as_str() {
            "en" => "US".to_string(),
            "da" => "DK".to_string(),
            "sv" => "SE".to_string(),
            "cs" => "CZ".to_string(),
            "el" => "GR".to_string(),
            "uk" => "UA".to_string(),
            "ja" => "JP".to_string(),
            other => other.to_ascii_uppercase(),
        };
        let locale = [region.unwrap_or(default_region.clone()), default_region]
            .iter()
            .find_map(|r| chrono::Locale::try_from(format!("{primary}_{r}").as_str()).ok())
            .unwrap_or(chrono::Locale::en_US);
        let (words, day_format, month_format) = match primary.as_str() {
            "de" => (GERMAN, "%-d. %B %Y", "%B %Y"),
            _ => (ENGLISH, "%B %-d, %Y", "%B %Y"),
        };
        let mut labels: BTreeMap<String, String> = words.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        labels.extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
        Lang {
            tag: tag.to_string(),
            locale,
            day_format,
            month_format,
            labels,
        }
    }

    /// `21. Januar 2022`.
    pub fn day<Tz: TimeZone>(&self, dt: &DateTime<Tz>) -> String
    where
        Tz::Offset: std::fmt::Display,
    {
        dt.format_localized(self.day_format, self.locale).to_string()
    }

    /// `Januar 2022`.
    pub fn month_year(&self, year: i32, month: u32) -> String {
        chrono::NaiveDate::from_ymd_opt(year, month, 1)
            .map(|d| d.format_localized(self.month_format, self.locale).to_string())
            .unwrap_or_default()
    }

    /// `Januar`.
    pub fn month_name(&self, month: u32) -> String {
        chrono::NaiveDate::from_ymd_opt(2000, month, 1)
            .map(|d| d.format_localized("%B", self.locale).to_string())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_exactly_the_label_keys_site_yaml_accepts() {
        let mut keys: Vec<&str> = crate::config::LABEL_KEYS.to_vec();
        keys.sort_unstable();
        for words in [GERMAN, ENGLISH] {
            let mut have: Vec<&str> = words.iter().map(|(k, _)| *k).collect();
            have.sort_unstable();
            assert_eq!(have, keys);
        }
    }

    #[test]
    fn german_dates_and_words() {
        let de = Lang::new("de", &BTreeMap::new());
        let dt = crate::content::date::parse("2022-01-21T12:00:00+01:00", chrono_tz::Europe::Berlin).unwrap();
        assert_eq!(de.day(&dt), "21. Januar 2022");
        assert_eq!(de.month_year(2022, 3), "März 2022");
        assert_eq!(de.labels["topics"], "Themen");
        let en = Lang::new("en-GB", &BTreeMap::new());
        assert_eq!(en.day(&dt), "January 21, 2022");
        assert_eq!(en.labels["topics"], "Topics");
    }

    #[test]
    fn site_labels_override() {
        let overrides = BTreeMap::from([("topics".to_string(), "Dossiers".to_string())]);
        assert_eq!(Lang::new("de-AT", &overrides).labels["topics"], "Dossiers");
        assert_eq!(Lang::new("de-AT", &overrides).month_name(1), "Jänner");
    }
}
