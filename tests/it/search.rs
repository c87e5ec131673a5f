//! The search page and its index, end to end: the example site (with the
//! seed) and an article saying "Außenministers", built by the binary, the
//! index read back with serde_json the way `static/search.js` reads it.

use std::collections::BTreeMap;
use std::path::Path;

use scraper::{Html, Selector};
use serde_json::Value;

const EXTRA: &str = "---\ntitle: \"Besuch in Paris <b>fett</b> \\\"</script>\"\ndate: 2022-01-25\nkicker: Diplomatie\n---\n\nDer Besuch des Außenministers dauerte zwei Tage.\n";

/// The example site's content plus `extra` articles, built.
fn built(extra: &[(&str, &str)], yaml_extra: &str) -> tempfile::TempDir {
    let dir = crate::common::example_site_with(extra);
    if !yaml_extra.is_empty() {
        let yaml = dir.path().join("site.yaml");
        let text = std::fs::read_to_string(&yaml).unwrap();
        std::fs::write(&yaml, format!("{text}\n{yaml_extra}\n")).unwrap();
    }
    crate::common::blatt(dir.path()).arg("build").assert().success();
    dir
}

/// The names of the files in `dir`, without `.json`.
fn json_names(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".json")
                .to_string()
        })
        .collect()
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The index as the script sees it.
struct Index {
    dir: std::path::PathBuf,
    meta: Value,
}

impl Index {
    fn open(public: &Path) -> Index {
        let dir = public.join("suche");
        let meta = json(&dir.join("index.json"));
        assert_eq!(meta["version"], blatt::render::search::VERSION);
        Index { dir, meta }
    }

    /// The first word of every chunk.
    fn keys(&self) -> Vec<String> {
        self.strings("keys")
    }

    /// The names of the recent files (the newest articles' postings).
    fn recent(&self) -> Vec<String> {
        self.strings("recent")
    }

    /// A list of strings of the manifest.
    fn strings(&self, field: &str) -> Vec<String> {
        self.meta[field]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    }

    /// (words, postings decoded to (id, weight)) of a chunk.
    fn shard(&self, name: &str) -> (Vec<String>, Vec<Vec<(u64, u64)>>) {
        self.file(&format!("shards/{name}.json"))
    }

    /// (words, postings decoded to (id, weight)) of a chunk or recent file.
    fn file(&self, rel: &str) -> (Vec<String>, Vec<Vec<(u64, u64)>>) {
        let v = json(&self.dir.join(rel));
        let words: Vec<String> = v["w"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap().into())
            .collect();
        let lists = v["p"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                let mut at = 0;
                l.as_array()
                    .unwrap()
                    .iter()
                    .map(|d| {
                        at += d.as_u64().unwrap();
                        (at / 4, at % 4)
                    })
                    .collect()
            })
            .collect();
        (words, lists)
    }

    /// The ids of articles with a word starting with `prefix`, as the
    /// script finds them: the chunk by binary search over the keys, then
    /// on while the next chunk's key has the prefix; and the recent file
    /// of its first character.
    fn find(&self, query: &str) -> Vec<u64> {
        let prefix = blatt::render::search::normalize(query);
        let keys = self.keys();
        let first = keys
            .partition_point(|k| k.as_str() <= prefix.as_str())
            .saturating_sub(1);
        let mut files = Vec::new();
        for (c, key) in keys.iter().enumerate().skip(first) {
            if c > first && !key.starts_with(&prefix) {
                break;
            }
            files.push(format!("shards/{}.json", blatt::render::search::shard_name(key)));
        }
        let recent = blatt::render::search::recent_name(&prefix);
        if self.recent().contains(&recent) {
            files.push(format!("recent/{recent}.json"));
        }
        let mut ids = Vec::new();
        for rel in files {
            let (words, lists) = self.file(&rel);
            let start = words.partition_point(|w| w.as_str() < prefix.as_str());
            ids.extend(
                words[start..]
                    .iter()
                    .zip(&lists[start..])
                    .take_while(|(w, _)| w.starts_with(&prefix))
                    .flat_map(|(_, l)| l.iter().map(|(id, _)| *id)),
            );
        }
        ids.sort();
        ids.dedup();
        ids
    }

    /// [url, title, date, shown date, text] of article `id`, from the
    /// docs file of its id, where it follows its offset.
    fn doc(&self, id: u64) -> Vec<String> {
        let span = self.meta["docs_span"].as_u64().unwrap();
        let docs = json(&self.dir.join(format!("docs/{}.json", id / span)));
        let entry = docs
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e[0].as_u64() == Some(id % span))
            .unwrap_or_else(|| panic!("no doc of id {id}"));
        entry.as_array().unwrap()[1..]
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    }

    /// Every id with a doc, from every docs file, in order; each file's
    /// offsets rise and stay within its span.
    fn doc_ids(&self) -> Vec<u64> {
        let span = self.meta["docs_span"].as_u64().unwrap();
        let mut files: Vec<u64> = json_names(&self.dir.join("docs"))
            .iter()
            .map(|n| n.parse().unwrap())
            .collect();
        files.sort();
        let mut ids = Vec::new();
        for k in files {
            let docs = json(&self.dir.join(format!("docs/{k}.json")));
            let offsets: Vec<u64> = docs
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e[0].as_u64().unwrap())
                .collect();
            assert!(!offsets.is_empty(), "docs file {k} is empty");
            assert!(
                offsets.windows(2).all(|o| o[0] < o[1]) && offsets.iter().all(|&o| o < span),
                "{k}: {offsets:?}"
            );
            ids.extend(offsets.iter().map(|o| k * span + o));
        }
        ids
    }
}

#[test]
fn a_prefix_finds_the_inflected_word_and_a_body_word_finds_the_seed() {
    let dir = built(&[("extra.md", EXTRA)], "");
    let public = dir.path().join("public");
    let index = Index::open(&public);
    // "Außenminister" finds the article that only says "Außenministers".
    let found = index.find("Außenminister");
    let urls: Vec<String> = found.iter().map(|&id| index.doc(id)[0].clone()).collect();
    assert!(urls.contains(&"/2022/01/extra/".to_string()), "{urls:?}");
    // The title is data: the payload comes back as the same text.
    let extra = found
        .iter()
        .map(|&id| index.doc(id))
        .find(|d| d[0] == "/2022/01/extra/")
        .unwrap();
    assert_eq!(extra[1], "Besuch in Paris <b>fett</b> \"</script>");
    assert_eq!(
        (extra[2].as_str(), extra[3].as_str(), extra[4].as_str()),
        ("2022-01-25", "25. Januar 2022", "Diplomatie")
    );

    // A word only the seed's body has (not its front matter) leads to the seed.
    let seed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("content/2022/01/us-aussenminister-blinken-zusammenarbeit-mit-russland-moeglich.md"),
    )
    .unwrap();
    let (front, body) = seed[4..].split_once("\n---\n").unwrap();
    let front = blatt::render::search::normalize(front);
    let body = blatt::render::search::normalize(body);
    let word = blatt::render::search::words(&body)
        .find(|w| w.len() >= 6 && !front.contains(w))
        .unwrap()
        .to_string();
    let ids = index.find(&word);
    let urls: Vec<String> = ids.iter().map(|&id| index.doc(id)[0].clone()).collect();
    assert!(
        urls.contains(&"/2022/01/us-aussenminister-blinken-zusammenarbeit-mit-russland-moeglich/".to_string()),
        "{word}: {urls:?}"
    );
}

#[test]
fn the_index_is_sorted_complete_and_points_at_pages() {
    let dir = built(&[("extra.md", EXTRA)], "");
    let public = dir.path().join("public");
    let index = Index::open(&public);
    let articles = index.meta["articles"].as_u64().unwrap();
    assert_eq!(articles, 14, "13 example articles and the extra one");
    // Fewer articles than a recent block: all of them are in recent files.
    assert!(articles < blatt::render::search::RECENT_BLOCK as u64);
    assert!(index.keys().is_empty(), "no chunks");
    assert!(!index.dir.join("shards").exists());
    let names = index.recent();
    let mut recent_files = json_names(&index.dir.join("recent"));
    recent_files.sort();
    assert_eq!(recent_files, names, "exactly the listed recent files exist");
    let doc_ids = index.doc_ids();
    assert_eq!(doc_ids.len() as u64, articles, "a doc per article");
    let mut seen = std::collections::BTreeSet::new();
    for name in &names {
        let (words, lists) = index.file(&format!("recent/{name}.json"));
        assert_eq!(words.len(), lists.len(), "{name}");
        assert!(words.windows(2).all(|w| w[0] < w[1]), "{name}: words sorted");
        for (w, list) in words.iter().zip(&lists) {
            assert_eq!(&blatt::render::search::recent_name(w), name, "{w} in the right file");
            assert_eq!(&blatt::render::search::normalize(w), w, "{w} normalised");
            assert!(!list.is_empty(), "{name}/{w}");
            assert!(list.windows(2).all(|p| p[0].0 < p[1].0), "{name}/{w}: ids sorted, once");
            assert!(
                list.iter().all(|(id, _)| doc_ids.binary_search(id).is_ok()),
                "{name}/{w}: ids valid"
            );
            seen.extend(list.iter().map(|(id, _)| *id));
        }
    }
    assert_eq!(seen.len() as u64, articles, "every article has words");
    // Every article has a doc whose URL is a page; newest has the highest id.
    let mut dates = Vec::new();
    for &id in &doc_ids {
        let doc = index.doc(id);
        assert!(doc[0].starts_with('/') && doc[0].ends_with('/'), "{doc:?}");
        assert!(public.join(&doc[0][1..]).join("index.html").is_file(), "{doc:?}");
        dates.push(doc[2].clone());
    }
    assert!(
        dates.windows(2).all(|d| d[0] <= d[1]),
        "ids rise with the date: {dates:?}"
    );
}

#[test]
fn the_page_has_the_form_the_script_and_a_nav_link_everywhere() {
    let dir = built(&[], "");
    let public = dir.path().join("public");
    let page = Html::parse_document(&std::fs::read_to_string(public.join("suche/index.html")).unwrap());
    let one = |css: &str| {
        let found: Vec<_> = page.select(&Selector::parse(css).unwrap()).collect();
        assert_eq!(found.len(), 1, "{css}");
        found[0]
    };
    assert_eq!(one("form[role=search]").value().attr("action"), Some("/suche/"));
    one("form[role=search] input#search-input[type=search][name=q]");
    one("p#search-status[aria-live=polite]");
    one("ol#search-results");
    assert_eq!(one("script").value().attr("src"), Some("/static/search.js"));
    let status: String = one("#search-status").text().collect();
    assert!(
        status.contains("JavaScript"),
        "says something useful without it: {status}"
    );
    assert_eq!(
        one("head title").text().collect::<String>(),
        "Suche – Blatt – Nachrichtenarchiv"
    );
    assert!(public.join("static/search.js").is_file());
    let mut pages = 0;
    for (rel, bytes) in crate::common::files(&public) {
        if !rel.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(std::str::from_utf8(&bytes).unwrap());
        let links: Vec<String> = doc
            .select(&Selector::parse("header nav a[href='/suche/']").unwrap())
            .map(|a| a.text().collect())
            .collect();
        assert_eq!(links, ["Suche"], "{rel}");
        pages += 1;
    }
    assert!(pages > 10);
}

#[test]
fn disabled_search_writes_no_search_files_and_no_link() {
    let dir = built(&[], "search:\n  enabled: false");
    let public = dir.path().join("public");
    let files = crate::common::files(&public);
    let search: Vec<&String> = files
        .keys()
        .filter(|rel| rel.starts_with("suche/") || rel.contains("search"))
        .collect();
    assert!(search.is_empty(), "{search:?}");
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(!home.contains("/suche/"));
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("/suche/"));
}

/// The script normalises queries by the rules of `blatt::render::search`: its
/// functions run in node (skipped without node).
#[test]
fn the_script_normalises_like_the_index() {
    let Ok(node) = which_node() else {
        eprintln!("note: node not found; skipping");
        return;
    };
    let script = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("static/search.js")).unwrap();
    let function = |name: &str| {
        let start = script.find(&format!("  function {name}(")).unwrap();
        let end = start + script[start..].find("\n  }\n").unwrap() + 4;
        script[start..end].to_string()
    };
    let samples = [
        "Außenministers",
        "US-Außenminister Blinken: Zusammenarbeit möglich",
        "ÄRGER über Öl, ﬁnanz 2022 x",
        "Ελληνικά Straße ŒUVRE été",
        "a\u{0301}b Café",
    ];
    let mut expected = BTreeMap::new();
    for s in samples {
        let n = blatt::render::search::normalize(s);
        let words: Vec<(String, String)> = blatt::render::search::words(&n)
            .map(|w| (w.to_string(), blatt::render::search::shard_name(w)))
            .collect();
        expected.insert(s.to_string(), words);
    }
    let program = format!(
        "{}\n{}\n{}\nconst samples = {};\nconst out = {{}};\nfor (const s of samples) out[s] = words(s).map(w => [w, shardName(w)]);\nconsole.log(JSON.stringify(out));\n",
        function("normalize"),
        function("words"),
        function("shardName"),
        serde_json::to_string(&samples).unwrap()
    );
    let output = std::process::Command::new(node)
        .arg("-e")
        .arg(program)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let found: BTreeMap<String, Vec<(String, String)>> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(found, expected);
}

fn which_node() -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join("node"))
                .find(|p| p.is_file())
        })
        .ok_or(())
}

/// Body edits patch the index on the fast path, again and again, and the
/// index stays what a clean build writes.
#[test]
fn body_edits_patch_the_index_like_a_clean_build() {
    use blatt::pipeline::{BuildOptions, Mode, build};
    let dir = built(&[("extra.md", EXTRA)], "");
    let site = crate::common::example_site(dir.path());
    let options = BuildOptions::for_site(&site);
    let extra = dir.path().join("content/extra.md");
    for (k, added) in [
        "Ein Nachtrag über Zollgebühren.",
        "Noch ein Wort: Quittung.",
        "Zollgebühren.",
    ]
    .iter()
    .enumerate()
    {
        let text = std::fs::read_to_string(&extra).unwrap();
        std::fs::write(&extra, format!("{text}\n{added}\n")).unwrap();
        let report = build(&site, &options, &|| {}).unwrap();
        assert_eq!(report.mode, Mode::Edits, "edit {k}");
        let mut clean = options.clone();
        clean.out = dir.path().join(format!("clean-{k}"));
        build(&site, &clean, &|| {}).unwrap();
        let ours = crate::common::files(&options.out.join("suche"));
        let theirs = crate::common::files(&clean.out.join("suche"));
        assert_eq!(
            ours.keys().collect::<Vec<_>>(),
            theirs.keys().collect::<Vec<_>>(),
            "edit {k}"
        );
        for (rel, bytes) in &theirs {
            assert!(ours[rel] == *bytes, "edit {k}: suche/{rel} differs");
        }
        let index = Index::open(&options.out);
        let found: Vec<String> = index
            .find("zollgeb")
            .iter()
            .map(|&id| index.doc(id)[0].clone())
            .collect();
        assert_eq!(found, ["/2022/01/extra/"], "edit {k}");
    }
}

/// The hrefs of the results `static/search.js` shows for `query` on the
/// built site in `public`, run in node with a stand-in page whose fetch
/// reads the files (None without node).
fn script_results(public: &Path, query: &str) -> Option<Vec<String>> {
    let node = which_node().ok()?;
    let harness = r#"
const fs = require('fs'), path = require('path'), vm = require('vm');
const [pub, query] = process.argv.slice(1);
const el = (tag) => ({ tag, children: [], dataset: {}, hidden: false,
  appendChild(c) { this.children.push(c); }, replaceChildren(...c) { this.children = c; },
  addEventListener() {} });
const form = el('form');
form.dataset = { index: '/suche/index.json', loading: 'L', none: 'N', one: 'R', many: 'R', shown: 'R', short: 'S', error: 'E' };
const status = el('p'), results = el('ol');
let text = '';
Object.defineProperty(status, 'textContent', { get: () => text, set(v) {
  text = v;
  if (v && v !== 'L') setTimeout(() => {
    const href = (n) => n.tag === 'a' ? n.href : n.children.map(href).find(Boolean);
    console.log(JSON.stringify({ status: v, results: results.children.map(href) }));
  }, 0);
} });
const ids = { 'search-form': form, 'search-input': el('input'), 'search-status': status, 'search-results': results };
const fetch = async (url) => {
  const file = path.join(pub, decodeURIComponent(new URL(url).pathname));
  return { ok: fs.existsSync(file), status: 404, json: async () => JSON.parse(fs.readFileSync(file, 'utf8')) };
};
vm.runInNewContext(fs.readFileSync(path.join(pub, 'static/search.js'), 'utf8'), {
  document: { getElementById: (id) => ids[id] || null, createElement: el },
  location: new URL('http://site/suche/?q=' + encodeURIComponent(query)), history: { replaceState() {} },
  window: { fetch }, fetch, URL, URLSearchParams, TextEncoder, setTimeout, clearTimeout,
});
"#;
    let output = std::process::Command::new(node)
        .arg("-e")
        .arg(harness)
        .arg(public)
        .arg(query)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let v: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(v["status"], "R", "{v}");
    Some(
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_string())
            .collect(),
    )
}

/// Results are ranked by where and how often the words occur, not by date
/// alone: a title match first, then an article saying the word three times,
/// then the newest, which says it once; every word must occur.
#[test]
fn the_script_ranks_title_and_frequent_matches_first() {
    let article = |title: &str, date: &str, body: &str| format!("---\ntitle: {title}\ndate: {date}\n---\n\n{body}\n");
    let once = article(
        "Neues vom Kai",
        "2022-01-26",
        "Am Kai wird gebaut. Das Hafenfest fällt aus. Es regnet.",
    );
    let title = article("Das Hafenfest beginnt", "2021-05-01", "Musik und Essen am Wasser.");
    let thrice = article(
        "Rückblick auf den Sommer",
        "2021-06-01",
        "Das Hafenfest war voll. Beim Hafenfest gab es Regen. Nach dem Hafenfest kam die Sonne.",
    );
    let dir = built(&[("once.md", &once), ("title.md", &title), ("thrice.md", &thrice)], "");
    let public = dir.path().join("public");
    let Some(found) = script_results(&public, "Hafenfest") else {
        eprintln!("note: node not found; skipping");
        return;
    };
    assert_eq!(found, ["/2021/05/title/", "/2021/06/thrice/", "/2022/01/once/"]);
    let both = script_results(&public, "hafenfest regen").unwrap();
    assert_eq!(
        both,
        ["/2021/06/thrice/"],
        "every word must occur (regnet is no prefix match)"
    );
}

/// With more articles than a recent block, the oldest are in the chunks
/// and the newest in the recent files, each id in one of them; the script
/// joins a word's two lists: it finds the articles of both, and weighs
/// them by the joined list as one (the title match first, then the newest).
#[test]
fn chunks_hold_the_older_articles_and_recent_files_the_newest() {
    let block = blatt::render::search::RECENT_BLOCK;
    // 13 example articles (2022) and these, one a day in 2021: the newest
    // six of these are in the recent block with the example articles.
    let day = |k: usize| chrono::NaiveDate::from_ymd_opt(2021, 1, 1).unwrap() + chrono::Days::new(k as u64);
    let extra: Vec<(String, String)> = (0..block + 6)
        .map(|k| {
            let title = if k == 10 {
                "Die Hafenmauer bröckelt".to_string()
            } else {
                format!("Meldung {k}")
            };
            let word = if [3, 10, block + 3, block + 4, block + 5].contains(&k) {
                " Die Hafenmauer wird geprüft."
            } else {
                ""
            };
            let date = day(k);
            let text = format!("---\ntitle: {title}\ndate: {date}\n---\n\nNachricht Nummer n{k}.{word}\n");
            (format!("m{k}.md"), text)
        })
        .collect();
    let extra: Vec<(&str, &str)> = extra.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let dir = built(&extra, "");
    let public = dir.path().join("public");
    let index = Index::open(&public);
    let articles = index.meta["articles"].as_u64().unwrap();
    assert_eq!(articles, 13 + block as u64 + 6);
    // Ids follow the dates; the recent block starts at the id of the
    // article after the first `block`, which the manifest file names.
    let ids = index.doc_ids();
    let from = index.meta["recent_from"].as_u64().unwrap();
    assert_eq!(from, ids[block]);
    let keys = index.keys();
    assert_eq!(keys[0], "", "the first chunk's key");
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "keys sorted");
    let mut names: Vec<String> = keys.iter().map(|k| blatt::render::search::shard_name(k)).collect();
    names.sort();
    let mut shard_files = json_names(&index.dir.join("shards"));
    shard_files.sort();
    assert_eq!(shard_files, names, "exactly the listed shards exist");
    let mut in_chunks = std::collections::BTreeSet::new();
    for (c, key) in keys.iter().enumerate() {
        let name = blatt::render::search::shard_name(key);
        let (words, lists) = index.shard(&name);
        assert!(words.windows(2).all(|w| w[0] < w[1]), "{name}: words sorted");
        for (w, list) in words.iter().zip(&lists) {
            assert!(
                w >= key && keys.get(c + 1).is_none_or(|next| w < next),
                "{w} in the right chunk"
            );
            assert!(
                !list.is_empty() && list.iter().all(|(id, _)| *id < from),
                "{w}: {list:?}"
            );
            in_chunks.extend(list.iter().map(|(id, _)| *id));
        }
    }
    let mut in_recent = std::collections::BTreeSet::new();
    for name in index.recent() {
        let (words, lists) = index.file(&format!("recent/{name}.json"));
        for (w, list) in words.iter().zip(&lists) {
            assert_eq!(blatt::render::search::recent_name(w), name, "{w} in the right file");
            assert!(list.iter().all(|(id, _)| *id >= from), "{w}: {list:?}");
            in_recent.extend(list.iter().map(|(id, _)| *id));
        }
    }
    assert_eq!(
        in_chunks,
        ids[..block].iter().copied().collect(),
        "the older articles in the chunks"
    );
    assert_eq!(
        in_recent,
        ids[block..].iter().copied().collect(),
        "the newest in recent files"
    );
    let found: Vec<String> = index
        .find("hafenmauer")
        .iter()
        .map(|&id| index.doc(id)[0].clone())
        .collect();
    let url = |k: usize| format!("/{}/m{k}/", day(k).format("%Y/%m"));
    assert_eq!(
        found,
        [url(3), url(10), url(block + 3), url(block + 4), url(block + 5)],
        "two in the chunks, three in a recent file"
    );
    let Some(shown) = script_results(&public, "Hafenmauer") else {
        eprintln!("note: node not found; skipping");
        return;
    };
    // Weighed by the joined list, the four body matches score the same
    // and come newest first; weighed by each list alone, the one in the
    // shorter list (the chunk's) would come before the others.
    assert_eq!(shown, [url(10), url(block + 5), url(block + 4), url(block + 3), url(3)]);
}
