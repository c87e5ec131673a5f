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
//! * `index.json`'s annotator snippets for the 60 curated articles.
//!
//! The F1 is the benchmark's own: 4-word shingles, per page normalised, mean
//! precision and mean recall over pages, F1 of the two means. "raw" is the
//! extractor's text as it came in, the baseline cleaning has to beat.

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
    raw.lines.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>().join("\n")
}

fn blatt_body(importer: &Importer, raw: &RawArticle) -> String {
    match importer.prepare(raw, &overrides()) {
        Ok((article, _, _)) => body_text(&article.body),
        Err(_) => String::new(),
    }
}

fn print(set: &str, raw: &Score, blatt: &Score) {
    let (rp, rr, rf) = raw.metrics();
    let (bp, br, bf) = blatt.metrics();
    println!(
        "{set:<28} {:>4} pages  raw P {rp:.3} R {rr:.3} F1 {rf:.3}   blatt P {bp:.3} R {br:.3} F1 {bf:.3}",
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

fn raw_of(record: &serde_json::Value, n: usize) -> Option<RawArticle> {
    input::parse(&record.to_string(), Format::Json, Path::new("bulk.jsonl"), None)
        .into_iter()
        .next()
        .and_then(Result::ok)
        .map(|mut r| {
            r.origin = blatt::Location::line("bulk.jsonl", n);
            r
        })
}

#[test]
#[ignore = "prints quality figures; run with --ignored --nocapture"]
fn score_against_ground_truth() {
    let Some(shared) = crate::common::shared() else { return };
    let corpus = shared.join("corpus");
    let dir = tempfile::tempdir().unwrap();
    let site: Site = crate::common::example_site(dir.path());
    let importer = Importer::new(&site).unwrap();

    // The 12 English pages with a human ground truth.
    for (set, sub, ext, format) in [
        ("ground-truth-en (txt)", "real-txt", "txt", Format::Text),
        ("ground-truth-en (json)", "real-json", "json", Format::Json),
    ] {
        let (mut raw_score, mut blatt_score) = (Score::default(), Score::default());
        for entry in std::fs::read_dir(corpus.join("ground-truth-en")).unwrap() {
            let path = entry.unwrap().path();
            let truth = std::fs::read_to_string(&path).unwrap();
            let truth: String = truth.lines().skip(1).collect::<Vec<_>>().join("\n");
            let stem = path.file_stem().unwrap().to_string_lossy().to_string();
            let input = corpus.join(sub).join(format!("{stem}.{ext}"));
            let raw = input::read_file(&input, format, u64::MAX).remove(0).unwrap();
            raw_score.add(&truth, &raw_body(&raw));
            blatt_score.add(&truth, &blatt_body(&importer, &raw));
        }
        print(set, &raw_score, &blatt_score);
    }

    let records = bulk(&corpus);
    if let Some(gt) = std::env::var_os("BLATT_ZYTE_GROUND_TRUTH") {
        let gt: HashMap<String, serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(gt).unwrap()).unwrap();
        let (mut raw_score, mut blatt_score) = (Score::default(), Score::default());
        let mut worst = Vec::new();
        for (n, record) in records.iter().enumerate() {
            let key = record["source_path"].as_str().unwrap_or("");
            let key = key.rsplit('/').next().unwrap().split('.').next().unwrap();
            let Some(truth) = gt.get(key) else { continue };
            let truth = truth["articleBody"].as_str().unwrap_or("");
            let raw = raw_of(record, n + 1);
            let raw_text = raw.as_ref().map(raw_body).unwrap_or_default();
            let blatt_text = raw.as_ref().map(|r| blatt_body(&importer, r)).unwrap_or_default();
            let before = blatt_score.clone();
            raw_score.add(truth, &raw_text);
            blatt_score.add(truth, &blatt_text);
            let (_, r_raw, _) = Score::one(truth, &raw_text);
            let (_, r_blatt, _) = Score::one(truth, &blatt_text);
            worst.push((r_raw - r_blatt, n + 1));
            let _ = before;
        }
        assert!(raw_score.pages() > 150, "only {} Zyte pages matched", raw_score.pages());
        print("zyte bulk", &raw_score, &blatt_score);
        worst.sort_by(|a, b| b.0.total_cmp(&a.0));
        let lost: Vec<String> = worst
            .iter()
            .take(8)
            .filter(|w| w.0 > 0.005)
            .map(|(d, n)| format!("{n}:{d:.3}"))
            .collect();
        println!("  recall lost most on bulk lines {}", lost.join(" "));
    } else {
        println!("zyte bulk: set BLATT_ZYTE_GROUND_TRUTH to its ground-truth.json");
    }

    if let Some(eval) = std::env::var_os("BLATT_TRAFILATURA_EVALDATA") {
        let eval: HashMap<String, serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(eval).unwrap()).unwrap();
        let (mut with, mut without) = (Snippets::default(), Snippets::default());
        for (n, record) in records.iter().enumerate() {
            let Some(entry) = record["url"].as_str().and_then(|u| eval.get(u)) else {
                continue;
            };
            let Some(raw) = raw_of(record, n + 1) else { continue };
            let input = crate::common::fold(&raw_body(&raw));
            let output = crate::common::fold(&blatt_body(&importer, &raw));
            with.count(&entry["with"], &input, &output);
            without.count(&entry["without"], &input, &output);
        }
        println!(
            "trafilatura snippets (bulk)  article text kept {}/{}; chrome left {}/{}",
            with.found, with.seen, without.found, without.seen
        );
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
    fn count(&mut self, list: &serde_json::Value, input: &str, output: &str) {
        for s in list.as_array().into_iter().flatten().filter_map(|s| s.as_str()) {
            let s = crate::common::fold(s);
            if input.contains(&s) {
                self.seen += 1;
                self.found += usize::from(output.contains(&s));
            }
        }
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
        let Some(raw) = raw_of(record, n + 1) else { continue };
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
            if wrong && (show == d.rule || show == "all") {
                println!("  WRONG {} bulk {}:{}: {}", d.rule, n + 1, d.line, d.text);
            }
            if !wrong && show == format!("ok-{}", d.rule) {
                println!("  right {} bulk {}:{}: {}", d.rule, n + 1, d.line, d.text);
            }
        }
        for line in body_text(&article.body).lines() {
            let l = crate::common::letters(line);
            if !l.is_empty() && !truth.contains(&l) {
                kept_chrome.push(format!("bulk {}: {line}", n + 1));
            }
        }
    }
    for (rule, (wrong, right)) in &by_rule {
        println!("{rule:<24} dropped body {wrong:>4}  dropped chrome {right:>4}");
    }
    println!("kept lines not in the ground truth: {}", kept_chrome.len());
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
