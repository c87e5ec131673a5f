//! `blatt-bench-corpus`: a deterministic synthetic news archive for benchmarks.
//!
//! Writes N articles of German-looking news text (about 4 KB of body each,
//! kicker, summary, 1–3 of 50 topics, 2–6 of 500 tags, dates over ten years,
//! agencies and author initials) as the same corpus for three generators:
//!
//! ```text
//! OUT/blatt/   site.yaml + content/YYYY/MM/<slug>.md
//! OUT/hugo/    hugo.toml + content/posts/<slug>.md + layouts/
//! OUT/zola/    config.toml + content/<slug>.md + templates/
//! ```
//!
//! All three produce the same pages: articles at `/YYYY/MM/<slug>/`, the home
//! page and every term page paginated by 20, an RSS feed per term, a sitemap.
//! The text is made from word lists in this file, never from third-party text.
//!
//! Real news has a large vocabulary (tens of thousands of distinct words per
//! thousand articles, most of them rare), and search indexes, word caches and
//! compression all behave differently on it than on a few hundred repeated
//! words. By default half the sentences are therefore drawn from a Zipf
//! distribution over 300 000 generated word forms — syllable words, compound
//! nouns and names — so that word frequencies fall off as in real text
//! (`--vocabulary small` gives the earlier corpus of template sentences only).
//!
//! Synthetic words still differ from real ones (real text has more distinct
//! words, and its sentences repeat fewer of them), so `--text FILE[,FILE]`
//! takes every sentence of the bodies, summaries and titles from real
//! articles instead: JSON Lines with a `text` field per record, plain or
//! gzipped (10kGNAD's `test.jsonl`, the bulk trafilatura pages). Their
//! sentences are resampled — runs of consecutive sentences of one article
//! make a paragraph — so a corpus of any size can be made from a few thousand
//! articles, read in place and never copied. Dates, terms and structure stay
//! the generator's.
//!
//! Usage: `blatt-bench-corpus --articles 10000 --seed 1 --out /tmp/corpus [--only blatt] [--vocabulary zipf|small] [--text FILE[,FILE]]`

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use blatt::content::{FrontMatter, date};
use blatt::text::slug::slugify;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

const SUBJECTS: &[&str] = &[
    "Die Bundesregierung",
    "Der Stadtrat",
    "Die Landesregierung",
    "Eine Sprecherin des Ministeriums",
    "Der Bürgermeister",
    "Die Opposition",
    "Der Verband",
    "Die Gewerkschaft",
    "Ein Sprecher der Polizei",
    "Die Verbraucherzentrale",
    "Der Aufsichtsrat",
    "Die Bürgerinitiative",
    "Das Landgericht",
    "Der Wirtschaftsminister",
    "Die Kommission",
    "Eine Expertin für Verkehrsplanung",
    "Der Vorstand",
    "Die Stadtwerke",
    "Der Elternbeirat",
    "Die Feuerwehr",
    "Der Landkreis",
    "Die Hochschule",
    "Ein Gutachter",
    "Die Staatsanwaltschaft",
    "Der Betriebsrat",
    "Die Kassenärztliche Vereinigung",
    "Der Sportverein",
    "Die Bahn",
    "Das Umweltamt",
    "Der Rechnungshof",
];
const VERBS: &[&str] = &[
    "kündigte",
    "forderte",
    "kritisierte",
    "bestätigte",
    "prüft derzeit",
    "verschob",
    "beschloss",
    "lehnte",
    "begrüßte",
    "stellte",
    "bewertete",
    "untersuchte",
    "verteidigte",
    "plant",
    "erwartet",
];
const OBJECTS: &[&str] = &[
    "eine Reform der Förderrichtlinien",
    "den Ausbau der Radwege",
    "höhere Investitionen in Schulen",
    "die Sanierung der Brücke",
    "neue Regeln für den Nahverkehr",
    "den Haushaltsentwurf für das kommende Jahr",
    "die Schließung des Hallenbads",
    "zusätzliche Stellen in der Pflege",
    "einen Neubau am Hafen",
    "die Erhöhung der Gebühren",
    "den Bau eines Windparks",
    "mehr Personal für die Verwaltung",
    "eine Überprüfung der Verträge",
    "die Zusammenlegung zweier Kliniken",
    "günstigere Tickets für Pendler",
    "ein Verbot von Einwegverpackungen",
    "den Abriss des alten Bahnhofs",
    "eine bessere Ausstattung der Kitas",
    "die Digitalisierung der Ämter",
    "strengere Auflagen für Vermieter",
];
const ENDINGS: &[&str] = &[
    "an",
    "ab",
    "vor",
    "als überfällig",
    "als zu teuer",
    "mit Verweis auf die Kosten",
    "nach langer Debatte",
    "unter Vorbehalt",
    "für das Frühjahr an",
    "ohne weitere Details",
];
const PLACES: &[&str] = &[
    "in Hamburg",
    "in München",
    "in Leipzig",
    "im Landtag",
    "vor dem Rathaus",
    "in der Innenstadt",
    "in Köln",
    "am Stadtrand",
    "in Dresden",
    "im Gemeinderat",
    "in Bremen",
    "in Freiburg",
    "in Kiel",
    "in Erfurt",
];
const TIMES: &[&str] = &[
    "Am Montag",
    "Am Dienstagabend",
    "Bereits im Herbst",
    "Nach Angaben von Beteiligten",
    "Seit Wochen",
    "Zum Jahresbeginn",
    "Am Rande der Sitzung",
    "Überraschend",
    "Noch vor der Sommerpause",
    "In einer Mitteilung",
];
const QUOTES: &[&str] = &[
    "„Wir müssen jetzt handeln, sonst wird es teurer“, sagte ein Sprecher.",
    "„Das ist ein wichtiger Schritt, aber nicht der letzte“, hieß es aus dem Umfeld.",
    "„Die Menschen erwarten zu Recht schnelle Lösungen“, betonte eine Vertreterin.",
    "„Wir werden die Entscheidung genau prüfen“, kündigte der Vorsitzende an.",
    "„So kann es nicht weitergehen“, sagte eine Anwohnerin.",
];
const HEADING_WORDS: &[&str] = &[
    "Kritik",
    "Kosten",
    "Zeitplan",
    "Streit",
    "Hintergrund",
    "Reaktionen",
    "Folgen",
    "Ausblick",
    "Zahlen",
    "Fragen",
];
const TOPIC_STEMS: &[&str] = &[
    "Verkehr",
    "Energie",
    "Bildung",
    "Gesundheit",
    "Wohnen",
    "Klima",
    "Wirtschaft",
    "Arbeit",
    "Digitales",
    "Justiz",
];
const TOPIC_KINDS: &[&str] = &["politik", "wende", "debatte", "markt", "reform"];
const NAMES: &[&str] = &[
    "Anna", "Jonas", "Lea", "Felix", "Marie", "Paul", "Sophie", "Lukas", "Emma", "Ben", "Clara", "Tim", "Hanna", "Jan",
    "Lina", "Max", "Nora", "Erik", "Ida", "Ole",
];
const SURNAMES: &[&str] = &[
    "Berger", "Schmitt", "Kaiser", "Wolf", "Hartmann", "Lorenz", "Brandt", "Vogel", "Krüger", "Seidel", "Franke",
    "Lang", "Roth", "Jäger", "Haas",
];
const AGENCIES: &[&str] = &["dpa", "AFP", "Reuters", "epd", "KNA"];

/// The 50 topics and 500 tags of the corpus.
fn terms() -> (Vec<String>, Vec<String>) {
    let topics = TOPIC_STEMS
        .iter()
        .flat_map(|s| TOPIC_KINDS.iter().map(move |k| format!("{s}{k}")))
        .collect();
    let mut tags: Vec<String> = Vec::with_capacity(500);
    for (i, first) in NAMES.iter().enumerate() {
        for surname in SURNAMES.iter().skip(i % 3).take(15) {
            if tags.len() < 300 {
                tags.push(format!("{first} {surname}"));
            }
        }
    }
    let places = [
        "Hamburg", "München", "Leipzig", "Köln", "Dresden", "Bremen", "Freiburg", "Kiel", "Erfurt", "Mainz",
    ];
    'outer: for place in places {
        for word in SUBJECTS.iter().map(|s| s.split_whitespace().last().unwrap_or("")) {
            tags.push(format!("{word} {place}"));
            if tags.len() == 500 {
                break 'outer;
            }
        }
    }
    tags.sort();
    tags.dedup();
    while tags.len() < 500 {
        let n = tags.len();
        tags.push(format!("Stichwort {n}"));
    }
    (topics, tags)
}

/// An index skewed towards small numbers, as term use is in real archives.
fn skewed(rng: &mut ChaCha8Rng, n: usize) -> usize {
    let u: f64 = rng.random_range(0.0..1.0);
    ((u * u * u) * n as f64) as usize % n
}

fn pick<'a>(rng: &mut ChaCha8Rng, list: &[&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

/// `Die Bundesregierung` → `die Bundesregierung`, for the middle of a sentence.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `haus` → `Haus`, for a noun or the start of a sentence.
fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Word forms ranked by frequency, and the cumulative Zipf weights to draw
/// a rank: the k-th most frequent form has weight 1/k^1.07.
struct Vocabulary {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

const SIZE: usize = 300_000;
const ONSETS: &[&str] = &[
    "b", "br", "d", "dr", "f", "fl", "g", "gr", "h", "k", "kl", "l", "m", "n", "p", "pf", "r", "s", "sch", "schw",
    "sp", "st", "str", "t", "tr", "w", "z", "",
];
const NUCLEI: &[&str] = &["a", "e", "i", "o", "u", "ä", "ö", "ü", "ei", "au", "ie", "eu"];
const CODAS: &[&str] = &[
    "", "n", "r", "l", "st", "ng", "ch", "nd", "t", "s", "ck", "rn", "lt", "ß", "mm",
];
const SUFFIXES: &[&str] = &[
    "ung", "heit", "keit", "en", "er", "ern", "isch", "lich", "schaft", "chen", "e", "es",
];

impl Vocabulary {
    /// Deterministic for a seed; the forms are made, never taken from text.
    fn new(rng: &mut ChaCha8Rng) -> Vocabulary {
        let syllable = |rng: &mut ChaCha8Rng| format!("{}{}{}", pick(rng, ONSETS), pick(rng, NUCLEI), pick(rng, CODAS));
        let mut seen = std::collections::HashSet::with_capacity(SIZE);
        let mut words = Vec::with_capacity(SIZE);
        while words.len() < SIZE {
            let word = match rng.random_range(0..10) {
                // A compound noun of two stems (`Brauschwing-Stelltrau` or `Brauschwingstelltrau`).
                0..=2 => {
                    let a = format!("{}{}", syllable(rng), syllable(rng));
                    let b = format!("{}{}", syllable(rng), pick(rng, SUFFIXES));
                    let mut w = upper_first(&a);
                    if rng.random_range(0..4) == 0 {
                        w.push('-');
                        w.push_str(&upper_first(&b));
                    } else {
                        w.push_str(&b);
                    }
                    w
                }
                // A name.
                3 => format!(
                    "{} {}",
                    pick(rng, NAMES),
                    upper_first(&format!("{}{}", syllable(rng), syllable(rng)))
                ),
                // A noun or an inflected word.
                _ => {
                    let stem: String = (0..rng.random_range(1..=3)).map(|_| syllable(rng)).collect();
                    let w = format!("{stem}{}", pick(rng, SUFFIXES));
                    if rng.random_range(0..3) == 0 {
                        upper_first(&w)
                    } else {
                        w
                    }
                }
            };
            if seen.insert(word.clone()) {
                words.push(word);
            }
        }
        let mut total = 0.0;
        let cumulative = (1..=SIZE)
            .map(|k| {
                total += 1.0 / (k as f64).powf(1.07);
                total
            })
            .collect();
        Vocabulary { words, cumulative }
    }

    fn draw(&self, rng: &mut ChaCha8Rng) -> &str {
        let u = rng.random_range(0.0..*self.cumulative.last().expect("a vocabulary"));
        let rank = self.cumulative.partition_point(|&c| c < u).min(SIZE - 1);
        &self.words[rank]
    }

    /// A sentence of 6–14 words drawn by frequency.
    fn sentence(&self, rng: &mut ChaCha8Rng) -> String {
        let n = rng.random_range(6..=14);
        let words: Vec<&str> = (0..n).map(|_| self.draw(rng)).collect();
        format!("{}.", upper_first(&words.join(" ")))
    }
}

/// Sentences of real articles, in their order, with where each article's
/// run starts, so that a paragraph can be a run from one article.
struct RealText {
    sentences: Vec<String>,
    /// `articles[k]` is the range of article k's sentences.
    articles: Vec<std::ops::Range<usize>>,
}

impl RealText {
    /// Reads the `text` of every record of the JSON Lines files (`.gz` read
    /// as gzip); records without one are skipped.
    fn read(paths: &str) -> RealText {
        use std::io::BufRead as _;
        let mut text = RealText {
            sentences: Vec::new(),
            articles: Vec::new(),
        };
        for path in paths.split(',') {
            let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let reader: Box<dyn std::io::Read> = if path.ends_with(".gz") {
                Box::new(flate2::read::MultiGzDecoder::new(file))
            } else {
                Box::new(file)
            };
            for (k, line) in std::io::BufReader::new(reader).lines().enumerate() {
                let line = line.unwrap_or_else(|e| panic!("{path}:{}: {e}", k + 1));
                let Ok(record) = serde_json::from_str::<serde_json::Value>(&line) else {
                    continue;
                };
                let Some(body) = record.get("text").and_then(|t| t.as_str()) else {
                    continue;
                };
                let start = text.sentences.len();
                text.sentences.extend(split_sentences(body));
                if text.sentences.len() - start >= 3 {
                    text.articles.push(start..text.sentences.len());
                } else {
                    text.sentences.truncate(start);
                }
            }
        }
        assert!(!text.articles.is_empty(), "no article text in {paths}");
        text
    }

    /// `n` consecutive sentences of one article (fewer if it is shorter).
    fn run(&self, rng: &mut ChaCha8Rng, n: usize) -> String {
        let range = &self.articles[rng.random_range(0..self.articles.len())];
        let len = range.len().min(n);
        let start = range.start + rng.random_range(0..=range.len() - len);
        self.sentences[start..start + len].join(" ")
    }

    /// A headline: the first words of a sentence, at most about 80 characters.
    fn title(&self, rng: &mut ChaCha8Rng) -> String {
        let sentence = &self.sentences[rng.random_range(0..self.sentences.len())];
        let mut title = String::new();
        for word in sentence.trim_end_matches(['.', '!', '?']).split_whitespace() {
            if title.len() + word.len() > 80 && !title.is_empty() {
                break;
            }
            if !title.is_empty() {
                title.push(' ');
            }
            title.push_str(word);
        }
        title
    }
}

/// Sentences of `text`: cut after `.`, `!` or `?` followed by a space and
/// an upper-case letter, and at line ends (extractions put paragraphs on
/// lines). Rough, which is all resampling needs.
fn split_sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut start = 0;
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        for k in 0..chars.len().saturating_sub(2) {
            let (at, c) = chars[k];
            if matches!(c, '.' | '!' | '?') && chars[k + 1].1 == ' ' && chars[k + 2].1.is_uppercase() {
                out.push(line[start..=at].trim().to_string());
                start = chars[k + 2].0;
            }
        }
        out.push(line[start..].trim().to_string());
    }
    out.retain(|s| s.chars().count() >= 20);
    out
}

/// Where the words of a generated article come from.
enum Words<'a> {
    /// Template sentences only (`--vocabulary small`).
    Templates,
    /// Half template sentences, half Zipf-drawn words.
    Zipf(&'a Vocabulary),
    /// Real articles' sentences (`--text`).
    Real(&'a RealText),
}

fn sentence(rng: &mut ChaCha8Rng, vocabulary: Option<&Vocabulary>) -> String {
    if let Some(v) = vocabulary.filter(|_| rng.random_range(0..2) == 0) {
        return v.sentence(rng);
    }
    if rng.random_range(0..8) == 0 {
        return pick(rng, QUOTES).to_string();
    }
    format!(
        "{} {} {} {} {} {}.",
        pick(rng, TIMES),
        pick(rng, VERBS),
        lower_first(pick(rng, SUBJECTS)),
        pick(rng, PLACES),
        pick(rng, OBJECTS),
        pick(rng, ENDINGS)
    )
}

fn lede(rng: &mut ChaCha8Rng, vocabulary: Option<&Vocabulary>) -> String {
    format!(
        "{} {} {} {}. {} {}",
        pick(rng, SUBJECTS),
        pick(rng, VERBS),
        pick(rng, OBJECTS),
        pick(rng, ENDINGS),
        sentence(rng, vocabulary),
        sentence(rng, vocabulary)
    )
}

/// One generated article: front matter values and a Markdown body.
struct Generated {
    front: FrontMatter,
    body: String,
}

fn article(rng: &mut ChaCha8Rng, n: usize, topics: &[String], tags: &[String], words: &Words) -> Generated {
    let vocabulary = match words {
        Words::Zipf(v) => Some(*v),
        _ => None,
    };
    let subject = pick(rng, SUBJECTS);
    let object = pick(rng, OBJECTS);
    let mut title = format!("{subject} {} {object} {}", pick(rng, VERBS), pick(rng, ENDINGS));
    if let Words::Real(real) = words {
        title = real.title(rng);
    }
    // Unique slugs: the article number survives the cut at 80 characters.
    let mut slug = slugify(&title);
    slug.truncate(slug[..slug.len().min(70)].rfind('-').unwrap_or(slug.len().min(70)));
    let slug = format!("{slug}-{n}");
    let day = chrono::NaiveDate::from_ymd_opt(2014, 1, 1).unwrap() + chrono::Duration::days(rng.random_range(0..3650));
    let time = chrono::NaiveTime::from_hms_opt(rng.random_range(6..22), rng.random_range(0..60), 0).unwrap();
    let when = date::local(day.and_time(time), chrono_tz::Europe::Berlin).unwrap();
    let mut front = FrontMatter::new(title.clone(), when);
    front.kicker = Some(format!("{} {}", pick(rng, HEADING_WORDS), pick(rng, PLACES)));
    let first = match words {
        Words::Real(real) => real.run(rng, 2),
        _ => lede(rng, vocabulary),
    };
    front.summary = Some(first.clone());
    let mut topic_ids: Vec<usize> = (0..rng.random_range(1..=3))
        .map(|_| skewed(rng, topics.len()))
        .collect();
    topic_ids.sort();
    topic_ids.dedup();
    front.topics = topic_ids.iter().map(|&i| topics[i].clone()).collect();
    let mut tag_ids: Vec<usize> = (0..rng.random_range(2..=6)).map(|_| skewed(rng, tags.len())).collect();
    tag_ids.sort();
    tag_ids.dedup();
    front.tags = tag_ids.iter().map(|&i| tags[i].clone()).collect();
    front.sources = vec![pick(rng, AGENCIES).to_string()];
    let initials: String = [pick(rng, NAMES), pick(rng, SURNAMES), pick(rng, NAMES)]
        .iter()
        .filter_map(|w| w.chars().next())
        .collect();
    front.authors = vec![initials.to_lowercase()];
    front.language = Some("de".into());
    front.slug = Some(slug);
    let mut body = String::with_capacity(4500);
    body.push_str(&first);
    body.push_str("\n\n");
    let mut paragraph = 1;
    while body.len() < 4000 {
        if paragraph % 3 == 0 {
            let _ = writeln!(body, "## {} {}\n", pick(rng, HEADING_WORDS), pick(rng, PLACES));
        }
        let n = rng.random_range(3..6);
        match words {
            Words::Real(real) => body.push_str(&real.run(rng, n)),
            _ => {
                let sentences: Vec<String> = (0..n).map(|_| sentence(rng, vocabulary)).collect();
                body.push_str(&sentences.join(" "));
            }
        }
        body.push_str("\n\n");
        paragraph += 1;
    }
    Generated { front, body }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A YAML double-quoted scalar: JSON's string syntax is a subset of it
/// (Rust's `{:?}` is not: it writes `\u{301}`, which YAML refuses).
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

fn yaml_list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|s| q(s)).collect::<Vec<_>>().join(", "))
}

const HUGO_BASEOF: &str = r#"<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>{{ .Title }} – {{ site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}</head>
<body><header><a href="/">{{ site.Title }}</a></header><main>{{ block "main" . }}{{ end }}</main></body></html>
"#;
const HUGO_LIST: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1><ol>{{ $p := .Paginate .Pages.ByDate.Reverse 20 }}{{ range $p.Pages }}<li><article><p>{{ .Params.kicker }}</p><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2. January 2006" }}</time><p>{{ .Params.summary }}</p></article></li>{{ end }}</ol>
<nav>{{ with $p.Prev }}<a href="{{ .URL }}">zurück</a>{{ end }} {{ with $p.Next }}<a href="{{ .URL }}">weiter</a>{{ end }}</nav>{{ end }}
"#;
const HUGO_PAGE: &str = r#"{{ define "main" }}<article><p>{{ .Params.kicker }}</p><h1>{{ .Title }}</h1><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "2. January 2006" }}</time>
<ul>{{ range .GetTerms "topics" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ .Content }}
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul></article>{{ end }}
"#;
/// Hugo's own feed template shows summaries; blatt's and Zola's feeds carry
/// the full text, so the Hugo site gets a full-text feed template too.
const HUGO_RSS: &str = r#"{{- $pages := cond .IsHome .Site.RegularPages .Pages -}}
{{- $pages = $pages | first .Site.Config.Services.RSS.Limit -}}
{{- printf "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>{{ .Title }}</title><link>{{ .Permalink }}</link><description>{{ .Title }}</description><language>de</language>
{{ with .OutputFormats.Get "rss" }}{{ printf "<atom:link href=%q rel=\"self\" type=%q />" .Permalink .MediaType | safeHTML }}{{ end }}
{{- range $pages }}
<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link><guid>{{ .Permalink }}</guid>
<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
<description>{{ .Params.summary }}</description>
<content:encoded>{{ .Content | transform.XMLEscape | safeHTML }}</content:encoded>
{{ range .GetTerms "topics" }}<category>{{ .LinkTitle }}</category>{{ end }}</item>
{{- end }}
</channel></rss>
"#;
const HUGO_TAXONOMY: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
"#;

const ZOLA_BASE: &str = r#"<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>{% block title %}{{ config.title }}{% endblock %}</title></head>
<body><header><a href="/">{{ config.title }}</a></header><main>{% block main %}{% endblock %}</main></body></html>
"#;
const ZOLA_LIST: &str = r#"<ol>{% for page in paginator.pages %}<li><article><p>{{ page.extra.kicker }}</p><h2><a href="{{ page.permalink }}">{{ page.title }}</a></h2><time datetime="{{ page.date }}">{{ page.date | date(format="%-d. %B %Y", locale="de_DE") }}</time><p>{{ page.description }}</p></article></li>{% endfor %}</ol>
<nav>{% if paginator.previous %}<a href="{{ paginator.previous }}">zurück</a>{% endif %} {% if paginator.next %}<a href="{{ paginator.next }}">weiter</a>{% endif %}</nav>
"#;

fn hugo_site(dir: &Path, articles: &[Generated]) {
    write(
        &dir.join("hugo.toml"),
        "baseURL = 'https://example.org/'\nlanguageCode = 'de'\ntitle = 'Bench'\ndisableKinds = []\n\
         [pagination]\npagerSize = 20\n[taxonomies]\ntopic = 'topics'\ntag = 'tags'\n\
         [permalinks.page]\nposts = '/:year/:month/:slug/'\n[services.rss]\nlimit = 50\n\
         [outputs]\nhome = ['html', 'rss']\nsection = ['html']\ntaxonomy = ['html']\nterm = ['html', 'rss']\n",
    );
    write(&dir.join("layouts/baseof.html"), HUGO_BASEOF);
    for name in ["home.html", "section.html", "term.html"] {
        write(&dir.join("layouts").join(name), HUGO_LIST);
    }
    write(&dir.join("layouts/page.html"), HUGO_PAGE);
    write(&dir.join("layouts/taxonomy.html"), HUGO_TAXONOMY);
    write(&dir.join("layouts/rss.xml"), HUGO_RSS);
    for a in articles {
        let f = &a.front;
        let text = format!(
            "---\ntitle: {}\ndate: {}\nslug: {}\nkicker: {}\nsummary: {}\ntopics: {}\ntags: {}\n---\n\n{}",
            q(&f.title),
            date::format(&f.date),
            f.slug.as_deref().unwrap(),
            q(f.kicker.as_deref().unwrap()),
            q(f.summary.as_deref().unwrap()),
            yaml_list(&f.topics),
            yaml_list(&f.tags),
            a.body
        );
        write(
            &dir.join("content/posts")
                .join(format!("{}.md", f.slug.as_deref().unwrap())),
            &text,
        );
    }
}

fn zola_site(dir: &Path, articles: &[Generated]) {
    write(
        &dir.join("config.toml"),
        "base_url = 'https://example.org'\ntitle = 'Bench'\ndefault_language = 'de'\n\
         generate_feeds = true\nfeed_filenames = ['rss.xml']\nfeed_limit = 50\n\
         generate_sitemap = true\ncompile_sass = false\nbuild_search_index = false\n\
         taxonomies = [\n  { name = 'topics', paginate_by = 20, feed = true },\n  { name = 'tags', paginate_by = 20, feed = true },\n]\n\
         [markdown]\nrender_emoji = false\n",
    );
    write(
        &dir.join("content/_index.md"),
        "+++\npaginate_by = 20\nsort_by = 'date'\n+++\n",
    );
    write(&dir.join("templates/base.html"), ZOLA_BASE);
    write(
        &dir.join("templates/index.html"),
        &format!(
            "{{% extends \"base.html\" %}}{{% block main %}}<h1>{{{{ config.title }}}}</h1>{ZOLA_LIST}{{% endblock %}}"
        ),
    );
    write(&dir.join("templates/section.html"), "{% extends \"index.html\" %}");
    write(
        &dir.join("templates/page.html"),
        "{% extends \"base.html\" %}{% block title %}{{ page.title }} – {{ config.title }}{% endblock %}{% block main %}<article><p>{{ page.extra.kicker }}</p><h1>{{ page.title }}</h1>\
         <time datetime=\"{{ page.date }}\">{{ page.date | date(format=\"%-d. %B %Y\", locale=\"de_DE\") }}</time>\
         <ul>{% for t in page.taxonomies.topics %}<li><a href=\"{{ get_taxonomy_url(kind='topics', name=t) }}\">{{ t }}</a></li>{% endfor %}</ul>{{ page.content | safe }}\
         <ul>{% for t in page.taxonomies.tags %}<li><a href=\"{{ get_taxonomy_url(kind='tags', name=t) }}\">{{ t }}</a></li>{% endfor %}</ul></article>{% endblock %}",
    );
    write(
        &dir.join("templates/taxonomy_list.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>{{ taxonomy.name }}</h1><ul>{% for term in terms %}<li><a href=\"{{ term.permalink }}\">{{ term.name }}</a> ({{ term.page_count }})</li>{% endfor %}</ul>{% endblock %}",
    );
    write(
        &dir.join("templates/taxonomy_single.html"),
        &format!(
            "{{% extends \"base.html\" %}}{{% block main %}}<h1>{{{{ term.name }}}}</h1>{ZOLA_LIST}{{% endblock %}}"
        ),
    );
    for a in articles {
        let f = &a.front;
        let local = f.date.with_timezone(&chrono_tz::Europe::Berlin);
        let slug = f.slug.as_deref().unwrap();
        let text = format!(
            "---\ntitle: {}\ndate: {}\ndescription: {}\npath: {}/{slug}\ntaxonomies:\n  topics: {}\n  tags: {}\nextra:\n  kicker: {}\n---\n\n{}",
            q(&f.title),
            date::format(&f.date),
            q(f.summary.as_deref().unwrap()),
            local.format("%Y/%m"),
            yaml_list(&f.topics),
            yaml_list(&f.tags),
            q(f.kicker.as_deref().unwrap()),
            a.body
        );
        write(&dir.join("content").join(format!("{slug}.md")), &text);
    }
}

fn blatt_site(dir: &Path, articles: &[Generated]) {
    write(
        &dir.join("site.yaml"),
        "title: Bench\nbase_url: https://example.org/\nlanguage: de\ntimezone: Europe/Berlin\npaginate: 20\nfeed:\n  limit: 50\n",
    );
    for a in articles {
        let local = a.front.date.with_timezone(&chrono_tz::Europe::Berlin);
        let path = dir
            .join("content")
            .join(local.format("%Y/%m").to_string())
            .join(format!("{}.md", a.front.slug.as_deref().unwrap()));
        write(&path, &format!("---\n{}---\n\n{}", a.front.to_yaml(), a.body));
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut n, mut seed, mut out, mut only) = (1000usize, 1u64, PathBuf::from("corpus"), None::<String>);
    let mut zipf = true;
    let mut text: Option<String> = None;
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--articles" => n = value().parse().expect("--articles N"),
            "--seed" => seed = value().parse().expect("--seed N"),
            "--out" => out = PathBuf::from(value()),
            "--only" => only = Some(value()),
            "--text" => text = Some(value()),
            "--vocabulary" => {
                zipf = match value().as_str() {
                    "zipf" => true,
                    "small" => false,
                    v => panic!("--vocabulary zipf|small, not {v}"),
                }
            }
            other => {
                eprintln!(
                    "usage: blatt-bench-corpus --articles N --seed S --out DIR [--only blatt|hugo|zola] [--vocabulary zipf|small] [--text FILE[,FILE]] (not {other})"
                );
                std::process::exit(2);
            }
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (topics, tags) = terms();
    // Its own generator, so that the articles' dates and terms do not
    // depend on whether the vocabulary was made.
    let real = text.as_deref().map(RealText::read);
    let vocabulary = (zipf && real.is_none()).then(|| Vocabulary::new(&mut ChaCha8Rng::seed_from_u64(seed ^ 0x5a1f)));
    let words = match (&real, &vocabulary) {
        (Some(real), _) => Words::Real(real),
        (None, Some(v)) => Words::Zipf(v),
        (None, None) => Words::Templates,
    };
    let articles: Vec<Generated> = (0..n).map(|i| article(&mut rng, i, &topics, &tags, &words)).collect();
    let wanted = |name: &str| only.as_deref().is_none_or(|o| o == name);
    if wanted("blatt") {
        blatt_site(&out.join("blatt"), &articles);
    }
    if wanted("hugo") {
        hugo_site(&out.join("hugo"), &articles);
    }
    if wanted("zola") {
        zola_site(&out.join("zola"), &articles);
    }
    let bytes: usize = articles.iter().map(|a| a.body.len()).sum();
    println!(
        "{n} articles (seed {seed}, {} KB of body text on average) → {}",
        bytes / n.max(1) / 1024,
        out.display()
    );
}
