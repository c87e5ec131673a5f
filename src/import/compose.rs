//! From a cleaned input to an [`Article`]: front matter (date, summary,
//! topics, tags, language, slug, fingerprint) and the Markdown body.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, FixedOffset};
use serde_yaml::Value;

use crate::config::SiteConfig;
use crate::content::{Article, FrontMatter, date};
use crate::error::{InputProblem, Problem};
use crate::import::blocks;
use crate::import::clean::{Cleaned, is_sentence_end};
use crate::import::credit;
use crate::import::headline::letters;
use crate::import::input::RawArticle;
use crate::import::patterns::Patterns;
use crate::import::terms::{Classifier, push_unique};
use crate::import::text_dates;
use crate::text::slug;
use crate::text::url::is_http_url;

/// The `extra` key listing the topics and tags the site's rules gave an
/// article, so that `blatt retag` can tell them from terms an editor added
/// (which it never takes away).
pub const RULE_TERMS: &str = "rule_terms";
/// The `extra` key marking a date the input did not carry (`--date` filling
/// in): a later import of the same story with a date replaces it.
pub const DATE_ASSUMED: &str = "date_assumed";

/// The `extra` key of the line above the body that introduces the article
/// (the standfirst), which the article page shows under the headline.
pub const STANDFIRST: &str = "standfirst";

/// Target length of a summary; it is cut at a sentence end near this.
pub const SUMMARY_CHARS: usize = 300;

/// The lede cut at a sentence end near [`SUMMARY_CHARS`] characters.
pub fn summary(lede: &str) -> String {
    let chars = lede.chars().count();
    if chars <= SUMMARY_CHARS + SUMMARY_CHARS / 10 {
        return lede.to_string();
    }
    // Only ends within the first `SUMMARY_CHARS * 2` characters can be
    // chosen; counting the characters before every end of a one-paragraph
    // 10 MB input would take minutes.
    let window_end = lede
        .char_indices()
        .nth(SUMMARY_CHARS * 2 + 16)
        .map_or(lede.len(), |(i, _)| i);
    let window = &lede[..window_end];
    let mut ends = crate::text::cut::sentence_ends(window);
    if window_end < lede.len() {
        // The window's end is where it was cut, not where a sentence ends.
        ends.retain(|&e| e < window_end);
    }
    let at_chars = |byte: usize| window[..byte].chars().count();
    let best = ends
        .iter()
        .copied()
        .rfind(|&e| at_chars(e) <= SUMMARY_CHARS + SUMMARY_CHARS / 10)
        .filter(|&e| at_chars(e) >= SUMMARY_CHARS / 3)
        .or_else(|| ends.iter().copied().find(|&e| at_chars(e) <= SUMMARY_CHARS * 2));
    match best {
        Some(end) => lede[..end].trim_end().to_string(),
        None => {
            let cut: String = lede.chars().take(SUMMARY_CHARS).collect();
            let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
            format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
        }
    }
}

/// A hash of the body's words, blind to case, punctuation and white space,
/// so that a re-scrape of the same story is recognised as a duplicate.
pub fn fingerprint(cleaned: &Cleaned) -> String {
    let mut hasher = blake3::Hasher::new();
    for paragraph in cleaned.paragraphs() {
        for word in paragraph.split_whitespace() {
            let w = letters(word);
            if !w.is_empty() {
                hasher.update(w.as_bytes());
                hasher.update(b" ");
            }
        }
    }
    hasher.finalize().to_hex()[..16].to_string()
}

/// An image on this site's own address (a page of the archive scraped
/// back, an editor's export) as a path in the site, so that it follows the
/// site to another address or base path and loads in a local preview;
/// any other image as it is.
fn own_image(url: &str, base_url: &str) -> String {
    let base = base_url.trim_end_matches('/');
    match url.strip_prefix(base) {
        Some(rest) if rest.len() > 1 && rest.starts_with('/') && !base.is_empty() => {
            let path = rest.to_string();
            if crate::content::front_matter::is_image_url(&path) {
                path
            } else {
                url.to_string()
            }
        }
        _ => url.to_string(),
    }
}

/// ISO 639-1, which `lang` attributes, feeds and the front matter use;
/// every language whatlang knows has one (Mandarin is `zh`, Western
/// Persian `fa`, Norwegian Bokmål `nb`).
fn language_code(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Epo => "eo",
        Eng => "en",
        Rus => "ru",
        Cmn => "zh",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Ben => "bn",
        Fra => "fr",
        Deu => "de",
        Ukr => "uk",
        Kat => "ka",
        Ara => "ar",
        Hin => "hi",
        Jpn => "ja",
        Heb => "he",
        Yid => "yi",
        Pol => "pl",
        Amh => "am",
        Jav => "jv",
        Kor => "ko",
        Nob => "nb",
        Dan => "da",
        Swe => "sv",
        Fin => "fi",
        Tur => "tr",
        Nld => "nl",
        Hun => "hu",
        Ces => "cs",
        Ell => "el",
        Bul => "bg",
        Bel => "be",
        Mar => "mr",
        Kan => "kn",
        Ron => "ro",
        Slv => "sl",
        Hrv => "hr",
        Srp => "sr",
        Mkd => "mk",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Tam => "ta",
        Vie => "vi",
        Urd => "ur",
        Tha => "th",
        Guj => "gu",
        Uzb => "uz",
        Pan => "pa",
        Aze => "az",
        Ind => "id",
        Tel => "te",
        Pes => "fa",
        Mal => "ml",
        Ori => "or",
        Mya => "my",
        Nep => "ne",
        Sin => "si",
        Khm => "km",
        Tuk => "tk",
        Aka => "ak",
        Zul => "zu",
        Sna => "sn",
        Afr => "af",
        Lat => "la",
        Slk => "sk",
        Cat => "ca",
        Tgl => "tl",
        Hye => "hy",
        Cym => "cy",
    }
}

/// The input's own language field as a language tag (`de`, `pt-BR`), or
/// `None` when it is not one: `DE_de` becomes `de-de`, three-letter codes
/// with a two-letter one become that (`deu` → `de`).
fn input_language(value: &str) -> Option<String> {
    let value = value.trim().replace('_', "-").to_lowercase();
    let (primary, rest) = value.split_once('-').unwrap_or((&value, ""));
    let primary: &str = whatlang::Lang::from_code(primary).map_or(primary, |l| language_code(l));
    let tag = if rest.is_empty() {
        primary.to_string()
    } else {
        format!("{primary}-{rest}")
    };
    let ok = (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && rest
            .split('-')
            .all(|p| rest.is_empty() || ((2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric())));
    ok.then_some(tag)
}

/// The language of the text if it can be told reliably.
pub fn detect_language(text: &str) -> Option<String> {
    let info = whatlang::detect(text)?;
    info.is_reliable().then(|| language_code(info.lang()).to_string())
}

/// What the user passed on the command line for the input.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// The date for inputs that carry none.
    pub date: Option<DateTime<FixedOffset>>,
    /// `--override-date`: `date` replaces even a date the input carries.
    pub date_wins: bool,
    pub url: Option<String>,
}

/// The article's date: one the input carries (its metadata, its URL's path,
/// a date written in the text), else `--date`. With `--override-date`,
/// `--date` wins. `None` when neither has one: an archive sorted by date
/// must not file an old story under the day it was imported. The flag: the
/// date is `--date` filling in (`DATE_ASSUMED`).
fn resolve_date(
    raw: &RawArticle,
    cleaned: &Cleaned,
    overrides: &Overrides,
    tz: chrono_tz::Tz,
    warnings: &mut Vec<InputProblem>,
) -> Option<(DateTime<FixedOffset>, bool)> {
    if overrides.date_wins && overrides.date.is_some() {
        // The editor's choice, not a guess.
        return overrides.date.map(|d| (d, false));
    }
    let metadata_date = raw.date.as_deref().and_then(|d| {
        date::parse(d, tz)
            .ok()
            .or_else(|| text_dates::find(d).and_then(|n| date::local(n, tz)))
            .or_else(|| {
                warnings.push(InputProblem::UnreadableMetadataDate(d.to_string()));
                None
            })
    });
    let text_date = cleaned.text_date.and_then(|n| date::local(n, tz));
    let url = overrides.url.as_deref().or(raw.url.as_deref());
    // The URL gives the day; a time written in the text on that day is kept.
    let url_date = url.and_then(text_dates::in_url).and_then(|day| {
        text_date
            .filter(|t| t.date_naive() == day)
            .or_else(|| date::local(day.and_time(chrono::NaiveTime::MIN), tz))
    });
    // A bare first of January is what extractors make of a year alone (a
    // copyright line's), and a date outside the month the URL files the
    // story under (`/2019/04/`) is another date of the page (an update, a
    // redesign): either gives way to the URL's day or the text's date.
    let url_month = url.and_then(text_dates::month_in_url);
    let in_url_month = |d: &DateTime<FixedOffset>| url_month.is_none_or(|(y, m)| d.year() == y && d.month() == m);
    let year_only = raw
        .date
        .as_deref()
        .is_some_and(|d| d.trim().len() == 10 && d.trim().ends_with("-01-01"));
    let weak = year_only || metadata_date.is_some_and(|d| !in_url_month(&d));
    let found = match weak {
        true => url_date.or(text_date.filter(in_url_month)).or(metadata_date),
        false => metadata_date.or(url_date).or(text_date),
    };
    found.map(|d| (d, false)).or(overrides.date.map(|d| (d, true)))
}

/// The date an article is built with when neither its input nor `--date`
/// gives one: the Unix epoch, a day no news archive files a story under.
fn undated_stand_in() -> DateTime<FixedOffset> {
    DateTime::UNIX_EPOCH.fixed_offset()
}

/// Builds the article. `content_dir` is where its file goes (under `YYYY/MM/`).
/// Warnings are things the user should know that did not stop the import;
/// [`InputProblem::NoDate`] among them says the date is a stand-in.
pub fn build(
    raw: &RawArticle,
    cleaned: &Cleaned,
    overrides: &Overrides,
    config: &SiteConfig,
    classifier: &Classifier,
    patterns: &Patterns,
    content_dir: &Path,
) -> Result<(Article, Vec<InputProblem>), Problem> {
    let tz = config.timezone;
    let mut warnings = Vec::new();
    let (when, assumed) = match resolve_date(raw, cleaned, overrides, tz, &mut warnings) {
        Some(found) => found,
        // An input without a date may still be a stored article's duplicate
        // or new version, which has one: the caller decides (see
        // `InputProblem::NoDate` among the warnings), and never writes this
        // stand-in date.
        None => {
            warnings.push(InputProblem::NoDate);
            (undated_stand_in(), true)
        }
    };
    // Whole seconds: what the front matter stores is what a rebuild reads back.
    let when = date::parse(&date::format(&when), tz).unwrap_or(when);

    let mut front = FrontMatter::new(cleaned.title.clone(), when);
    front.kicker = cleaned.kicker.clone();
    front.summary = cleaned
        .standfirst
        .as_deref()
        .or_else(|| {
            cleaned
                .paragraphs()
                .find(|p| is_sentence_end(p) || p.split_whitespace().count() > 12)
        })
        .map(summary);
    let body_text: String = cleaned.paragraphs().collect::<Vec<_>>().join("\n");
    front.language = raw
        .language
        .as_deref()
        .and_then(input_language)
        .or_else(|| detect_language(&body_text))
        .or_else(|| Some(config.language.clone()));
    let input_terms: Vec<String> = match config.import.input_terms {
        true => raw.categories.iter().chain(&raw.tags).cloned().collect(),
        false => Vec::new(),
    };
    let rule_made;
    (front.topics, front.tags, rule_made) = classifier.terms(
        &cleaned.full_text(),
        &input_terms,
        front.language.as_deref(),
        patterns,
        &raw.site_names,
    );
    // Newsroom initials (`rcl`) credit editors, not authors a reader knows:
    // kept beside the byline, under `extra`.
    let (initials, people): (Vec<String>, Vec<String>) = cleaned
        .credit
        .authors
        .iter()
        .cloned()
        .partition(|a| credit::is_initials(a));
    let from_metadata = raw
        .author
        .as_deref()
        .map(|field| credit::metadata_authors(field, &raw.site_names, patterns))
        .unwrap_or_default();
    front.sources = cleaned.credit.sources.clone();
    push_unique(&mut front.sources, from_metadata.sources);
    front.authors = people;
    push_unique(&mut front.authors, from_metadata.authors);
    if !initials.is_empty() {
        let list = initials.into_iter().map(Value::from).collect::<Vec<_>>();
        front.extra.insert(Value::from("editors"), Value::Sequence(list));
    }
    let slug = slug::slugify(&cleaned.title);
    front.slug = Some(slug.clone());
    let url = overrides.url.clone().or_else(|| raw.url.clone());
    match url {
        Some(u) if is_http_url(&u) => front.source_url = Some(u),
        Some(u) => warnings.push(InputProblem::NotHttpSourceUrl(u)),
        None => {}
    }
    // Only a web address: a path would mean this site's file, which the
    // input cannot know of.
    match &raw.image {
        Some(image) if is_http_url(&image.url) => {
            front.image = Some(own_image(&image.url, &config.base_url));
            front.image_alt = image.alt.clone();
            front.image_caption = image.caption.clone();
        }
        Some(image) => warnings.push(InputProblem::NotHttpImage(image.url.escape_default().to_string())),
        None => {}
    }
    front.fingerprint = Some(fingerprint(cleaned));
    if let Some(place) = &cleaned.dateline {
        front.extra.insert(Value::from("dateline"), Value::from(place.clone()));
    }
    // The standfirst is the summary, which the article page does not show
    // (elsewhere the summary repeats the first paragraph): kept for the page
    // to show above the body. Not put into the body, where a page's second
    // headline would read as a paragraph.
    if let Some(standfirst) = &cleaned.standfirst {
        front
            .extra
            .insert(Value::from(STANDFIRST), Value::from(standfirst.clone()));
    }
    // What the build would refuse is cut here, in the order the lists were
    // made: the rules' terms before the input's own.
    let max = config.content.max_terms;
    for (name, list) in [
        ("topics", &mut front.topics),
        ("tags", &mut front.tags),
        ("sources", &mut front.sources),
        ("authors", &mut front.authors),
    ] {
        if list.len() > max {
            warnings.push(InputProblem::TooManyTerms {
                count: list.len(),
                kind: name,
                max,
            });
            list.truncate(max);
        }
    }
    if assumed {
        front.extra.insert(Value::from(DATE_ASSUMED), Value::from(true));
    }
    let rule_terms: Vec<Value> = rule_made
        .into_iter()
        .filter(|t| front.topics.contains(t) || front.tags.contains(t))
        .map(Value::from)
        .collect();
    if !rule_terms.is_empty() {
        front.extra.insert(Value::from(RULE_TERMS), Value::Sequence(rule_terms));
    }
    let local = when.with_timezone(&tz);
    let path: PathBuf = content_dir
        .join(local.format("%Y").to_string())
        .join(local.format("%m").to_string())
        .join(format!("{slug}.md"));
    let article = Article {
        path,
        front,
        body: blocks::body(&cleaned.blocks),
        body_line: 1,
    };
    Ok((article, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_on_the_site_s_own_address_becomes_a_path_in_the_site() {
        let base = "https://example.org/archiv/";
        assert_eq!(
            own_image("https://example.org/archiv/static/a.png", base),
            "/static/a.png"
        );
        assert_eq!(
            own_image("https://example.org/archiv/static/a.png?v=2", base),
            "/static/a.png?v=2"
        );
        for other in [
            "https://example.org/static/a.png",
            "https://example.org/archivbilder/a.png",
            "https://example.org/archiv/",
            "http://example.org/archiv/static/a.png",
            "https://cdn.example.org/archiv/static/a.png",
        ] {
            assert_eq!(own_image(other, base), other);
        }
        assert_eq!(own_image("https://example.org/a.png", "https://example.org/"), "/a.png");
    }

    #[test]
    fn short_lede_is_the_summary() {
        let lede = "Ein kurzer Vorspann. Mit zwei Sätzen.";
        assert_eq!(summary(lede), lede);
    }

    #[test]
    fn long_lede_is_cut_at_a_sentence_near_300() {
        let s1 = "Der erste Satz ist eher kurz und erzählt vom Anfang der Geschichte, die am 1. Januar begann und bis heute dauert.";
        let s2 = "Der zweite Satz führt weiter aus, was Dr. Beispiel dazu gesagt hat, nämlich dass es noch lange so weitergehen werde.";
        let s3 = "Der dritte Satz wäre dann schon zu viel für eine Zusammenfassung, denn er bringt die Länge weit über dreihundert Zeichen hinaus.";
        let lede = format!("{s1} {s2} {s3}");
        assert_eq!(summary(&lede), format!("{s1} {s2}"));
    }

    #[test]
    fn a_lede_of_many_sentences_is_cut_the_same_way() {
        let s1 = "Der erste Satz ist eher kurz und erzählt vom Anfang der Geschichte, die am 1. Januar begann und bis heute dauert.";
        let s2 = "Der zweite Satz führt weiter aus, was Dr. Beispiel dazu gesagt hat, nämlich dass es noch lange so weitergehen werde.";
        let short = summary(&format!("{s1} {s2} {}", "Noch ein Satz. ".repeat(60)));
        assert!(short.starts_with(&format!("{s1} {s2} Noch ein Satz.")), "{short}");
        assert!(short.ends_with("Satz.") && short.chars().count() <= SUMMARY_CHARS * 11 / 10);
        assert_eq!(
            summary(&format!("{s1} {s2} {}", "Noch ein Satz. ".repeat(50_000))),
            short
        );
        // No sentence end before the window's end: cut at a word, as without one.
        let long = format!("{} Ende. Neu.", "wort ".repeat(200));
        assert_eq!(summary(&long), summary(&"wort ".repeat(200)));
    }

    #[test]
    fn lede_without_sentence_end_is_cut_at_a_word() {
        let lede = "wort ".repeat(100);
        let s = summary(&lede);
        assert!(s.ends_with("wort…"), "{s}");
        assert!(s.chars().count() <= SUMMARY_CHARS + 1);
    }

    #[test]
    fn every_detected_language_has_a_two_letter_code() {
        for lang in whatlang::Lang::all() {
            let code = language_code(*lang);
            assert!(
                code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase()),
                "{lang:?}"
            );
        }
        assert_eq!(language_code(whatlang::Lang::Ind), "id");
        assert_eq!(language_code(whatlang::Lang::Ben), "bn");
    }

    #[test]
    fn input_languages_become_tags() {
        assert_eq!(input_language("de").as_deref(), Some("de"));
        assert_eq!(input_language("DE_de").as_deref(), Some("de-de"));
        assert_eq!(input_language("deu").as_deref(), Some("de"));
        assert_eq!(input_language("no").as_deref(), Some("no"));
        assert_eq!(input_language("German").as_deref(), None);
        assert_eq!(input_language("de-<x>").as_deref(), None);
    }

    #[test]
    fn languages() {
        assert_eq!(
            detect_language(
                "Die Bundesregierung hat am Mittwoch beschlossen, dass die Hilfen für Unternehmen verlängert werden."
            )
            .as_deref(),
            Some("de")
        );
        assert_eq!(
            detect_language(
                "The government decided on Wednesday that the aid for companies will be extended for another year."
            )
            .as_deref(),
            Some("en")
        );
    }
}
