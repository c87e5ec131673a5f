//! How much of the real article text import keeps, and how much chrome it
//! removes, scored against human ground truth (`cargo test --release --test
//! it import_score:: -- --ignored --nocapture`). Prints figures; asserts only that
//! the inputs were found. Read in place, never copied:
//!
//! * `../shared/corpus/ground-truth-en`: 12 English pages with their human
//!   article body, imported from `real-txt` and `real-json`;
//! * `BLATT_ZYTE_GROUND_TRUTH`: `ground-truth.json` of the Zyte
//!   article-extraction benchmark, whose 181 pages are in the corpus's bulk
//!   file (matched by `source_path`);
//! * `BLATT_TRAFILATURA_EVALDATA`: `tests/evaldata.json` of trafilatura,
//!   whose "with"/"without" snippets cover the bulk file's other 990 pages;
//! * `index.json`'s annotator snippets for the 60 curated articles;
//! * `BLATT_EXTRA_PAGES`: any other pages, as an extractor's JSON records
//!   one a line, each with the text to score against in `ground_truth`
//!   (e.g. trafilatura run on another project's test pages, with that
//!   project's expected text).
//! * `BLATT_FIELD_PAGES`: pages as such records with the title, author and
//!   publication date another project expects instead (`truth_title`,
//!   `truth_author`, `truth_date`; `tests/tools/mercury_fields.py`), for
//!   [`fields_against_ground_truth`].
//!
//! The F1 is the benchmark's own: 4-word shingles, per page normalised, mean
//! precision and mean recall over pages, F1 of the two means. "raw" is the
//! extractor's text as it came in, the baseline cleaning has to beat.
//! `SHOW=rules` adds what each rule's dropped lines cost in recall, per half,
//! which is where a recall below the raw text's comes from. `SCORE=page`
//! scores what the article page shows instead of the body alone (see
//! `whole_page`): ground truths that hold the headline then no longer count
//! it lost when import moved it into the title.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use crate::common::quality::{Score, body_text, import_text};
use blatt::config::Site;
use blatt::import::input::{self, Format, RawArticle};
use blatt::import::{Importer, Overrides};

fn overrides() -> Overrides {
    crate::common::fill_in_date()
}

fn raw_body(raw: &RawArticle) -> String {
    let body = raw.lines.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>().join("\n");
    if whole_page() {
        format!("{}\n{body}", raw.title)
    } else {
        body
    }
}

/// `SCORE=page` scores what a reader sees of an article, headline and
/// kicker (and blatt's standfirst and dateline, which its article page
/// shows above the body) with the body, for both sides: a headline moved
/// to the title is not lost there.
fn whole_page() -> bool {
    std::env::var("SCORE").is_ok_and(|s| s == "page")
}

fn blatt_body(importer: &Importer, raw: &RawArticle) -> String {
    match importer.prepare(raw, &overrides()) {
        Ok((article, _, _)) => body_text(&article.body),
        Err(_) => String::new(),
    }
}

fn print(set: &str, half: &str, raw: &Score, blatt: &Score, lost: usize) {
    let (rp, rr, rf) = raw.metrics();
    let (bp, br, bf) = blatt.metrics();
    println!(
        "{set:<23} {half:<8} {:>4} pages  raw P {rp:.3} R {rr:.3} F1 {rf:.3}   blatt P {bp:.3} R {br:.3} F1 {bf:.3}  lines lost {lost}",
        raw.pages()
    );
}

fn bulk(corpus: &Path) -> Vec<serde_json::Value> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(corpus.join("bulk/trafilatura-all-pages.jsonl.gz")).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// Record `n` (1-based) of the JSONL file `file` as import reads it.
fn raw_of(record: &serde_json::Value, file: &str, n: usize) -> Option<RawArticle> {
    input::parse(&record.to_string(), Format::Json, Path::new(file), None)
        .into_iter()
        .next()
        .and_then(Result::ok)
        .map(|mut r| {
            r.origin = blatt::Location::line(file, n);
            r
        })
}

/// Which half of the scored pages a page falls in, by a hash of its file
/// name: rules are tuned looking at the "tune" half only, and the "held-out"
/// half shows whether they carry over to pages nobody looked at.
fn held_out(name: &str) -> bool {
    blake3::hash(name.as_bytes()).as_bytes()[0] & 1 == 1
}

/// One page with a human ground truth.
struct Page {
    name: String,
    truth: String,
    raw: Option<RawArticle>,
}

/// The pages of every corpus with a ground truth: the 12 English pages (from
/// `real-txt` and `real-json`) and, with `BLATT_ZYTE_GROUND_TRUTH`, the Zyte
/// benchmark's 181 pages of the bulk file.
fn scored_sets(corpus: &Path, records: &[serde_json::Value]) -> Vec<(&'static str, Vec<Page>)> {
    let mut sets = Vec::new();
    for (set, sub, ext, format) in [
        ("ground-truth-en (txt)", "real-txt", "txt", Format::Text),
        ("ground-truth-en (json)", "real-json", "json", Format::Json),
    ] {
        let mut pages = Vec::new();
        for entry in std::fs::read_dir(corpus.join("ground-truth-en")).unwrap() {
            let path = entry.unwrap().path();
            let truth = std::fs::read_to_string(&path).unwrap();
            let truth: String = truth.lines().skip(1).collect::<Vec<_>>().join("\n");
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            let input = corpus.join(sub).join(format!("{name}.{ext}"));
            let raw = input::read_file(&input, format, u64::MAX).remove(0).ok();
            pages.push(Page { name, truth, raw });
        }
        sets.push((set, pages));
    }
    if let Some(gt) = std::env::var_os("BLATT_ZYTE_GROUND_TRUTH") {
        let gt: HashMap<String, serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(gt).unwrap()).unwrap();
        let mut pages = Vec::new();
        for (n, record) in records.iter().enumerate() {
            let key = record["source_path"].as_str().unwrap_or("");
            let key = key.rsplit('/').next().unwrap().split('.').next().unwrap();
            let Some(truth) = gt.get(key) else { continue };
            pages.push(Page {
                name: key.to_string(),
                truth: truth["articleBody"].as_str().unwrap_or("").to_string(),
                raw: raw_of(record, "bulk.jsonl", n + 1),
            });
        }
        assert!(pages.len() > 150, "only {} Zyte pages matched", pages.len());
        sets.push(("zyte bulk", pages));
    } else {
        println!("zyte bulk: set BLATT_ZYTE_GROUND_TRUTH to its ground-truth.json");
    }
    // Any other pages: an extractor's JSON records, one a line, each with
    // its page's text to score against in `ground_truth` (made outside the
    // repository, e.g. trafilatura run on another project's test pages).
    if let Some(file) = std::env::var_os("BLATT_EXTRA_PAGES") {
        let text = std::fs::read_to_string(&file).unwrap();
        let file = file.to_string_lossy();
        let pages: Vec<Page> = text
            .lines()
            .enumerate()
            .map(|(n, line)| {
                let record: serde_json::Value = serde_json::from_str(line).unwrap();
                Page {
                    name: record["source_path"].as_str().unwrap_or("").to_string(),
                    truth: record["ground_truth"].as_str().unwrap_or("").to_string(),
                    raw: raw_of(&record, &file, n + 1),
                }
            })
            .collect();
        assert!(!pages.is_empty(), "no pages in BLATT_EXTRA_PAGES");
        sets.push(("extra pages", pages));
    }
    sets
}

/// What import made of a page: its body's text and the lines it dropped,
/// or why it refused the page.
type Imported = Result<(String, Vec<blatt::import::clean::Dropped>), String>;

fn import(importer: &Importer, raw: &RawArticle) -> Imported {
    importer
        .prepare(raw, &overrides())
        .map(|(article, dropped, _)| {
            let body = body_text(&article.body);
            if whole_page() {
                let front = &article.front;
                let kicker = front.kicker.as_deref().unwrap_or_default();
                let standfirst = front
                    .extra
                    .get("standfirst")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default();
                let dateline = front.extra.get("dateline").and_then(|v| v.as_str()).unwrap_or_default();
                (
                    format!("{kicker}\n{}\n{standfirst}\n{dateline}\n{body}", front.title),
                    dropped,
                )
            } else {
                (body, dropped)
            }
        })
        .map_err(|e| e.to_string())
}

/// Input lines of the ground truth's text that the import lost, each with
/// the rule that dropped it (`changed` where a rule rewrote it), its line
/// and its text: every line of recall made visible. A refused page loses
/// every line, under `refused`.
fn lost_lines(page: &Page, imported: &Imported) -> Vec<(String, usize, String)> {
    let Some(raw) = &page.raw else { return Vec::new() };
    let truth = crate::common::letters(&page.truth);
    let (kept, dropped) = match imported {
        Ok((body, dropped)) => (crate::common::letters(body), dropped.as_slice()),
        Err(_) => ("".to_string(), &[][..]),
    };
    raw.lines
        .iter()
        .filter_map(|(line, text)| {
            let l = crate::common::letters(text);
            if l.chars().count() < 12 || !truth.contains(&l) || kept.contains(&l) {
                return None;
            }
            let rule = match imported {
                Err(_) => "refused",
                Ok(_) => dropped
                    .iter()
                    .find(|d| d.line == *line)
                    .map_or("changed", |d| d.rule.as_str()),
            };
            Some((rule.to_string(), *line, text.clone()))
        })
        .collect()
}

#[test]
#[ignore = "prints quality figures; run with --ignored --nocapture"]
fn score_against_ground_truth() {
    let Some(shared) = crate::common::shared() else { return };
    let corpus = shared.join("corpus");
    let dir = tempfile::tempdir().unwrap();
    let site: Site = crate::common::example_site(dir.path());
    let importer = Importer::new(&site).unwrap();
    // `SHOW=lost` lists the lost lines of the tune half, `SHOW=pages` its
    // pages whose recall fell below the raw text's; the held-out half's are
    // counted, never shown.
    let show = std::env::var("SHOW").unwrap_or_default() == "lost";
    let show_pages = std::env::var("SHOW").unwrap_or_default() == "pages";
    // `SHOW=rules` prints, per half, how much mean recall each rule costs:
    // what adding its lost lines back to each page's output would give.
    let show_rules = std::env::var("SHOW").unwrap_or_default() == "rules";

    let records = bulk(&corpus);
    for (set, pages) in scored_sets(&corpus, &records) {
        let mut scores = [
            (Score::default(), Score::default()),
            (Score::default(), Score::default()),
        ];
        let mut lost = [0, 0];
        let mut cost: [std::collections::BTreeMap<String, (f64, usize)>; 2] = Default::default();
        let in_half = |h: usize| pages.iter().filter(|p| usize::from(held_out(&p.name)) == h).count();
        let sizes = [in_half(0), in_half(1)];
        for page in &pages {
            let half = usize::from(held_out(&page.name));
            let raw_text = page.raw.as_ref().map(raw_body).unwrap_or_default();
            let imported = page.raw.as_ref().map(|r| import(&importer, r));
            let blatt_text = match &imported {
                Some(Ok((body, _))) => body.clone(),
                _ => String::new(),
            };
            scores[half].0.add(&page.truth, &raw_text);
            scores[half].1.add(&page.truth, &blatt_text);
            let (raw_recall, blatt_recall) = (
                Score::one(&page.truth, &raw_text).1,
                Score::one(&page.truth, &blatt_text).1,
            );
            if show_pages && half == 0 && blatt_recall + 0.005 < raw_recall {
                println!("  recall {raw_recall:.3} -> {blatt_recall:.3} {set} {}", page.name);
            }
            // A refused page costs all the recall its raw text had, in lines
            // too short for `lost_lines` as well.
            if show_rules && matches!(imported, Some(Err(_))) {
                let entry = cost[half].entry("refused".to_string()).or_default();
                entry.0 += (raw_recall - blatt_recall) / sizes[half] as f64;
                entry.1 += page.raw.as_ref().map_or(0, |r| r.lines.len());
            }
            let lines = imported.map(|i| lost_lines(page, &i)).unwrap_or_default();
            lost[half] += lines.len();
            if show_rules {
                let mut rules: Vec<&str> = lines.iter().map(|(rule, _, _)| rule.as_str()).collect();
                rules.sort_unstable();
                rules.dedup();
                for rule in rules.into_iter().filter(|&r| r != "refused") {
                    let back: Vec<&str> = lines.iter().filter(|l| l.0 == rule).map(|l| l.2.as_str()).collect();
                    let with_back = Score::one(&page.truth, &format!("{blatt_text}\n{}", back.join("\n"))).1;
                    let entry = cost[half].entry(rule.to_string()).or_default();
                    entry.0 += (with_back - blatt_recall) / sizes[half] as f64;
                    entry.1 += back.len();
                }
            }
            if show && half == 0 {
                for (rule, line, text) in lines {
                    println!("  lost {} {rule} {line}: {text}", page.name);
                }
            }
        }
        let mut all = (scores[0].0.clone(), scores[0].1.clone());
        all.0.merge(&scores[1].0);
        all.1.merge(&scores[1].1);
        print(set, "all", &all.0, &all.1, lost[0] + lost[1]);
        print(set, "tune", &scores[0].0, &scores[0].1, lost[0]);
        print(set, "held-out", &scores[1].0, &scores[1].1, lost[1]);
        for (half, cost) in ["tune", "held-out"].iter().zip(&cost) {
            for (rule, (recall, lines)) in cost {
                println!("  {set} {half}: {rule} costs recall {recall:.4} ({lines} lines)");
            }
        }
    }

    if let Some(eval) = std::env::var_os("BLATT_TRAFILATURA_EVALDATA") {
        let eval: HashMap<String, serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(eval).unwrap()).unwrap();
        let mut halves: [(Snippets, Snippets); 2] = Default::default();
        for (n, record) in records.iter().enumerate() {
            let Some(url) = record["url"].as_str() else { continue };
            let Some(entry) = eval.get(url) else { continue };
            let Some(raw) = raw_of(record, "bulk.jsonl", n + 1) else {
                continue;
            };
            let input = crate::common::fold(&raw_body(&raw));
            let output = crate::common::fold(&blatt_body(&importer, &raw));
            let half = usize::from(held_out(url));
            let (with, without) = &mut halves[half];
            let kept = with.count(&entry["with"], &input, &output);
            let left = without.count(&entry["without"], &input, &output);
            // `SHOW=chrome` lists the tune half's chrome snippets the output
            // still has, `SHOW=text` its article snippets it lost.
            let show = std::env::var("SHOW").unwrap_or_default();
            if half == 0 {
                let shown = match show.as_str() {
                    "chrome" => left.iter().filter(|(_, found)| *found).collect::<Vec<_>>(),
                    "text" => kept.iter().filter(|(_, found)| !found).collect(),
                    _ => Vec::new(),
                };
                for (snippet, _) in shown {
                    println!("  {show} bulk {}: {snippet}", n + 1);
                }
            }
        }
        for (half, (with, without)) in ["tune", "held-out"].iter().zip(&halves) {
            println!(
                "trafilatura snippets (bulk, {half:<8}) article text kept {}/{}; chrome left {}/{}",
                with.found, with.seen, without.found, without.seen
            );
        }
    } else {
        println!("trafilatura snippets: set BLATT_TRAFILATURA_EVALDATA to its tests/evaldata.json");
    }

    // The annotators' snippets of the 60 curated articles.
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(corpus.join("index.json")).unwrap()).unwrap();
    for (sub, ext, format) in [("real-txt", "txt", Format::Text), ("real-json", "json", Format::Json)] {
        let (mut with, mut without) = (Snippets::default(), Snippets::default());
        for entry in index.as_array().unwrap() {
            let name = entry["name"].as_str().unwrap();
            let path = corpus.join(sub).join(format!("{name}.{ext}"));
            let raw = input::read_file(&path, format, u64::MAX).remove(0).unwrap();
            let input = crate::common::fold(&format!("{}\n{}", raw.title, raw_body(&raw)));
            let output = crate::common::fold(&import_text(&importer, &raw, &overrides()));
            with.count(&entry["annotated_with"], &input, &output);
            without.count(&entry["annotated_without"], &input, &output);
        }
        println!(
            "index.json snippets ({sub:<9}) article text kept {}/{}; chrome left {}/{}",
            with.found, with.seen, without.found, without.seen
        );
    }
}

/// Annotated snippets that were in the input, and how many of those the
/// output still has.
#[derive(Default)]
struct Snippets {
    seen: usize,
    found: usize,
}

impl Snippets {
    /// Counts the snippets of `list`; gives back those that were in the
    /// input, each with whether the output has it.
    fn count<'a>(&mut self, list: &'a serde_json::Value, input: &str, output: &str) -> Vec<(&'a str, bool)> {
        let mut seen = Vec::new();
        for snippet in list.as_array().into_iter().flatten().filter_map(|s| s.as_str()) {
            let s = crate::common::fold(snippet);
            if input.contains(&s) {
                let found = output.contains(&s);
                self.seen += 1;
                self.found += usize::from(found);
                seen.push((snippet, found));
            }
        }
        seen
    }
}

#[test]
#[ignore = "prints, per rule, dropped lines that the Zyte ground truth has; run with --ignored --nocapture"]
fn zyte_drop_audit() {
    let Some(shared) = crate::common::shared() else { return };
    let Some(gt) = std::env::var_os("BLATT_ZYTE_GROUND_TRUTH") else {
        return;
    };
    let gt: HashMap<String, serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(gt).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let site: Site = crate::common::example_site(dir.path());
    let importer = Importer::new(&site).unwrap();
    let show = std::env::var("SHOW").unwrap_or_default();
    let mut by_rule: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    let mut kept_chrome = Vec::new();
    for (n, record) in bulk(&shared.join("corpus")).iter().enumerate() {
        let key = record["source_path"].as_str().unwrap_or("");
        let key = key.rsplit('/').next().unwrap().split('.').next().unwrap();
        let Some(truth) = gt.get(key) else { continue };
        let truth = crate::common::letters(truth["articleBody"].as_str().unwrap_or(""));
        let Some(raw) = raw_of(record, "bulk.jsonl", n + 1) else {
            continue;
        };
        let Ok((article, dropped, _)) = importer.prepare(&raw, &overrides()) else {
            println!("refused: bulk {}", n + 1);
            continue;
        };
        for d in dropped.iter().filter(|d| d.rule != "joined_with_previous_line") {
            let l = crate::common::letters(&d.text);
            if l.chars().count() < 12 {
                continue;
            }
            let wrong = truth.contains(&l);
            let e = by_rule.entry(d.rule.clone()).or_default();
            if wrong {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
            // Lines are shown from the tune half only (see `held_out`).
            let tune = !held_out(key);
            if tune && wrong && (show == d.rule || show == "all") {
                println!("  WRONG {} bulk {}:{}: {}", d.rule, n + 1, d.line, d.text);
            }
            if tune && !wrong && show == format!("ok-{}", d.rule) {
                println!("  right {} bulk {}:{}: {}", d.rule, n + 1, d.line, d.text);
            }
        }
        for line in body_text(&article.body).lines() {
            let l = crate::common::letters(line);
            if !l.is_empty() && !truth.contains(&l) && !held_out(key) {
                kept_chrome.push(format!("bulk {}: {line}", n + 1));
            }
        }
    }
    for (rule, (wrong, right)) in &by_rule {
        println!("{rule:<24} dropped body {wrong:>4}  dropped chrome {right:>4}");
    }
    println!("kept lines not in the ground truth (tune half): {}", kept_chrome.len());
    if show == "kept" {
        for k in &kept_chrome {
            println!("  {k}");
        }
    }
}

#[test]
#[ignore = "prints quality figures; run with --ignored --nocapture"]
fn gnad_lines_dropped() {
    let Some(shared) = crate::common::shared() else { return };
    let text = std::fs::read_to_string(shared.join("corpus/10kGNAD/test.jsonl")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let site: Site = crate::common::example_site(dir.path());
    let importer = Importer::new(&site).unwrap();
    let show: usize = std::env::var("SHOW").ok().and_then(|s| s.parse().ok()).unwrap_or(0);
    for per_line in [1, 3] {
        let raws = crate::common::quality::gnad_articles(&text, per_line);
        let drops = crate::common::quality::gnad_drops(&importer, &raws, &overrides());
        let mut by_rule: std::collections::BTreeMap<String, usize> = Default::default();
        for (at, _) in &drops.dropped {
            *by_rule.entry(at.rsplit(' ').next().unwrap().to_string()).or_default() += 1;
        }
        println!(
            "10kGNAD, {per_line} sentence(s) a line: {} of {} lines dropped ({:.3} %) {by_rule:?}; {} stubs refused",
            drops.dropped.len(),
            drops.lines,
            100.0 * drops.dropped.len() as f64 / drops.lines as f64,
            drops.stubs.len()
        );
        for (at, line) in drops.dropped.iter().take(show) {
            println!("  {at}: {line}");
        }
    }
}

/// The names in an author field as the other project writes it (`A, B and
/// C`), each as [`crate::common::letters`].
fn names(field: &str) -> std::collections::BTreeSet<String> {
    let field = field.trim();
    let field = field
        .strip_prefix("By ")
        .or_else(|| field.strip_prefix("by "))
        .unwrap_or(field);
    field
        .split([',', ';', '&'])
        .flat_map(|p| p.split(" and "))
        .map(crate::common::letters)
        .filter(|n| !n.is_empty())
        .collect()
}

/// Title, authors and date against another project's expectations
/// (`BLATT_FIELD_PAGES`): how many titles are the same words, how many
/// author lists the same people (and how many share one), how many dates
/// the same day or within a day of it (the article's day in the site's
/// zone, the expectation's in UTC: a story of the night is a day apart). Prints figures; asserts
/// only that the pages were read.
#[test]
#[ignore = "prints quality figures; run with --ignored --nocapture"]
fn fields_against_ground_truth() {
    let Some(file) = std::env::var_os("BLATT_FIELD_PAGES") else {
        println!("fields: set BLATT_FIELD_PAGES (tests/tools/mercury_fields.py)");
        return;
    };
    let text = std::fs::read_to_string(&file).unwrap();
    let file = file.to_string_lossy();
    let dir = tempfile::tempdir().unwrap();
    let site: Site = crate::common::example_site(dir.path());
    let importer = Importer::new(&site).unwrap();
    let show = std::env::var("SHOW").is_ok_and(|s| s == "fields");
    let [mut titles, mut authors, mut some_author, mut days, mut near_days] = [(0, 0); 5];
    let mut refused = 0;
    for (n, line) in text.lines().enumerate() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let Some(raw) = raw_of(&record, &file, n + 1) else {
            continue;
        };
        let Ok((article, _, _)) = importer.prepare(&raw, &overrides()) else {
            refused += 1;
            continue;
        };
        let front = &article.front;
        let truth = |key: &str| record[key].as_str().filter(|s| !s.is_empty());
        if let Some(title) = truth("truth_title") {
            let same = crate::common::letters(title) == crate::common::letters(&front.title);
            titles = (titles.0 + usize::from(same), titles.1 + 1);
            if show && !same {
                println!("  title {}: want {title:?}, got {:?}", n + 1, front.title);
            }
        }
        if let Some(author) = truth("truth_author") {
            let want = names(author);
            let got: std::collections::BTreeSet<String> =
                front.authors.iter().map(|a| crate::common::letters(a)).collect();
            authors = (authors.0 + usize::from(want == got), authors.1 + 1);
            some_author = (some_author.0 + usize::from(!want.is_disjoint(&got)), some_author.1 + 1);
            if show && want != got {
                println!("  authors {}: want {author:?}, got {:?}", n + 1, front.authors);
            }
        }
        if let Some(date) = truth("truth_date").and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok()) {
            let want = date.naive_utc().date();
            let got = front.date.date_naive();
            days = (days.0 + usize::from(want == got), days.1 + 1);
            near_days = (
                near_days.0 + usize::from((want - got).num_days().abs() <= 1),
                near_days.1 + 1,
            );
            if show && (want - got).num_days().abs() > 1 {
                println!("  date {}: want {want}, got {got}", n + 1);
            }
        }
    }
    assert!(titles.1 + authors.1 + days.1 > 0, "no expectations in {file}");
    println!(
        "fields: titles {}/{}, authors same {}/{} (one shared {}/{}), dates same day {}/{} (within a day {}/{}), refused {refused}",
        titles.0,
        titles.1,
        authors.0,
        authors.1,
        some_author.0,
        some_author.1,
        days.0,
        days.1,
        near_days.0,
        near_days.1
    );
}
