//! One test per cleaning rule of import, each on the seed's lines and on
//! lines of the real corpus. Inputs are read in place from `../shared`; the
//! expectations name files, line numbers and rules, so no third-party text is
//! copied here.

use std::path::Path;

use blatt::import::Importer;
use blatt::import::clean::{self, Cleaned};
use blatt::import::input::{self, Format};
use blatt::import::patterns::Patterns;

/// Cleans one input file from `../shared` (`seeds/…` or `corpus/…`).
fn cleaned(shared: &Path, rel: &str) -> Cleaned {
    let format = if rel.ends_with(".json") {
        Format::Json
    } else {
        Format::Text
    };
    let raw = input::read_file(&shared.join(rel), format, u64::MAX).remove(0).unwrap();
    let names: Vec<&str> = raw.site_names.iter().map(String::as_str).collect();
    clean::clean(&raw.title, raw.lines, &names, raw.url.as_deref(), Patterns::built_in())
}

/// Line `n` (1-based) of a file in `../shared`, normalised.
fn line(shared: &Path, rel: &str, n: usize) -> String {
    let text = std::fs::read_to_string(shared.join(rel)).unwrap();
    blatt::import::normalize::line(text.lines().nth(n - 1).unwrap())
}

/// Asserts that each listed line of `rel` was dropped by `rule`.
fn assert_dropped(shared: &Path, rel: &str, rule: &str, lines: &[usize]) {
    let c = cleaned(shared, rel);
    for &n in lines {
        let found = c.dropped.iter().find(|d| d.line == n);
        assert_eq!(
            found.map(|d| d.rule.as_str()),
            Some(rule),
            "{rel}:{n} `{}`",
            line(shared, rel, n)
        );
    }
}

fn headings(c: &Cleaned) -> Vec<String> {
    c.blocks
        .iter()
        .filter_map(|b| match b {
            blatt::import::blocks::Block::Heading(h) => Some(h.clone()),
            _ => None,
        })
        .collect()
}

const SEED: &str = "seeds/000_26328b77b207f0a4.txt";

#[test]
fn rule_1_kicker_and_headline() {
    let Some(shared) = crate::common::shared() else { return };
    let c = cleaned(&shared, SEED);
    assert_eq!(c.kicker.as_deref(), Some("Krisentreffen in Genf"));
    assert_eq!(c.title, "US-Außenminister Blinken: Zusammenarbeit mit Russland möglich");

    // The corpus index records, for each naive <h1>, the text with spaces
    // where the page had separate elements: that is where kicker and
    // headline must be split.
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(shared.join("corpus/index.json")).unwrap()).unwrap();
    let mut checked = 0;
    for entry in index
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !e["naive_h1_kicker_merge"].is_null())
    {
        let name = entry["name"].as_str().unwrap();
        let h1 = entry["h1_elements"].as_array().unwrap().last().unwrap();
        let (glued, spaced) = (
            h1["itertext_joined"].as_str().unwrap(),
            h1["text_content"].as_str().unwrap(),
        );
        let Some(at) = glued
            .char_indices()
            .zip(spaced.char_indices())
            .find(|((_, a), (_, b))| a != b)
            .map(|(_, (i, _))| i)
        else {
            continue; // no element boundary visible in the text
        };
        let kicker = spaced[..at].trim_end_matches([' ', ':', '–']).trim();
        let title = spaced[at..].trim_start_matches([' ', ':', '–']).trim();
        let c = cleaned(&shared, &format!("corpus/real-txt-naive-h1/{name}.txt"));
        assert_eq!((c.kicker.as_deref(), c.title.as_str()), (Some(kicker), title), "{name}");
        checked += 1;
    }
    assert!(checked >= 6, "{checked}");
}

#[test]
fn rule_1_the_repeated_headline_gives_the_kicker() {
    let Some(shared) = crate::common::shared() else { return };
    // Title `A - B`, body `B A`: B is the kicker.
    let rel = "corpus/real-txt/de_tagesschau.de_daten-von-rheinmetall-gehackt-interne-unterlagen-im-netz.txt";
    let c = cleaned(&shared, rel);
    let (a, b) = line(&shared, rel, 1)
        .split_once(" - ")
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .unwrap();
    assert_eq!((c.kicker.as_deref(), c.title.as_str()), (Some(b.as_str()), a.as_str()));
    assert_dropped(&shared, rel, "repeated_headline", &[2]);
    // Headline split over two lines.
    let rel = "corpus/real-txt/de_tagblatt.ch_tanz-in-der-st-galler-lokremise-mit-allen-wassern-gewaschen.txt";
    let c = cleaned(&shared, rel);
    assert_eq!(c.title, line(&shared, rel, 3));
    assert_dropped(&shared, rel, "repeated_headline", &[2, 3]);
    // A rubric line above the repeated headline.
    let rel = "corpus/real-txt/de_fr.de_kim-jong-un-der-diktator-ist-zurueck-donald-trump-ist-glueck.txt";
    assert_eq!(cleaned(&shared, rel).kicker, Some(line(&shared, rel, 4)));
    assert_dropped(&shared, rel, "widget", &[2, 3]);
}

#[test]
fn rule_1_site_names_leave_the_title() {
    let Some(shared) = crate::common::shared() else { return };
    for (rel, suffix_of_line_1) in [
        (
            "corpus/real-json/de_sat1regional.de_verhaertete-fronten-nach-tumulten-bei-luckes-vorlesung-sat-1.json",
            " - ",
        ),
        (
            "corpus/real-txt/de_mdr.de_corona-lockerungen-autohaeuser-rechnen-mit-langsamem-anlaufe.txt",
            " | ",
        ),
        (
            "corpus/real-txt/de_neues-deutschland.de_einfach-kein-geld-mehr-um-die-miete-zu-zahlen-neues-deutschl.txt",
            " (",
        ),
        (
            "corpus/real-txt/de_kyffhaeuser-nachrichten.de_so-viel-regen-gab-es-lange-nicht-31-10-2023-10-19-uhr.txt",
            " : ",
        ),
        // Plain text names no site but in its file name.
        (
            "corpus/real-txt/de_telebasel.ch_junge-lenker-schrotten-corvette-und-audi-in-einer-nacht-tele.txt",
            " - ",
        ),
    ] {
        let c = cleaned(&shared, rel);
        let title_line = if rel.ends_with(".json") {
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(shared.join(rel)).unwrap()).unwrap();
            v["title"].as_str().unwrap().to_string()
        } else {
            line(&shared, rel, 1)
        };
        let expected = &title_line[..title_line.rfind(suffix_of_line_1).unwrap()];
        // The title may lose a kicker too (found in the body), never keep the site name.
        assert!(
            expected.ends_with(&c.title) && c.title.len() * 2 > expected.len(),
            "{rel}: {:?}",
            c.title
        );
    }
}

#[test]
fn rule_2_reading_tips_embeds_and_chrome() {
    let Some(shared) = crate::common::shared() else { return };
    assert_dropped(&shared, SEED, "reading_tip", &[5, 9, 13]);
    assert_dropped(&shared, SEED, "embed", &[15]);
    let corpus = |name: &str| format!("corpus/real-txt/{name}.txt");
    assert_dropped(
        &shared,
        &corpus("de_express.de_duesseldorf-tote-tauben-im-iss-dome-gefunden-peta-erstattet"),
        "reading_tip",
        &[6],
    );
    assert_dropped(
        &shared,
        &corpus("de_tonight.de_arschloch-danni-buechner-und-ennesto-monte-trennen-sich"),
        "reading_tip",
        &[6, 9, 14],
    );
    assert_dropped(
        &shared,
        &corpus("de_tonight.de_arschloch-danni-buechner-und-ennesto-monte-trennen-sich"),
        "embed",
        &[4],
    );
    assert_dropped(
        &shared,
        &corpus("de_rtl.de_medienbericht-corona-lockdown-steht-vor-4-woechiger-verlaeng"),
        "promo",
        &[5],
    );
    assert_dropped(
        &shared,
        &corpus("de_rtl.de_medienbericht-corona-lockdown-steht-vor-4-woechiger-verlaeng"),
        "embed",
        &[11],
    );
    assert_dropped(
        &shared,
        &corpus("de_eurosport.de_olympia-2022-zweiter-coronafall-im-deutschen-team-sorgt-fuer"),
        "advert",
        &[4, 21, 22],
    );
    assert_dropped(
        &shared,
        &corpus("de_nachrichten.at_was-bringen-alternative-therapien-bei-krebs"),
        "widget",
        &[5, 6, 7, 8],
    );
    assert_dropped(
        &shared,
        &corpus("de_faz.net_nutzerbasierte-abrechnung-musik-stars-fordern-neues-streamin"),
        "photo_credit",
        &[4],
    );
    assert_dropped(
        &shared,
        &corpus("de_faz.net_nutzerbasierte-abrechnung-musik-stars-fordern-neues-streamin"),
        "bio",
        &[7],
    );
    assert_dropped(
        &shared,
        &corpus("de_hildesheimer-presse.de_hund-vertreibt-einbrecher-zeugenaufruf"),
        "photo_credit",
        &[8],
    );
    assert_dropped(
        &shared,
        &corpus("de_hildesheimer-presse.de_hund-vertreibt-einbrecher-zeugenaufruf"),
        "disclaimer",
        &[9],
    );
    assert_dropped(
        &shared,
        &corpus("de_tagesschau.de_daten-von-rheinmetall-gehackt-interne-unterlagen-im-netz"),
        "byline",
        &[5],
    );
    assert_dropped(
        &shared,
        &corpus("de_tagesschau.de_daten-von-rheinmetall-gehackt-interne-unterlagen-im-netz"),
        "date_line",
        &[3, 24],
    );
    assert_dropped(
        &shared,
        &corpus("de_zdf.de_us-sport-in-zeiten-von-corona"),
        "widget",
        &[8, 18, 24, 32],
    );
    assert_dropped(
        &shared,
        &corpus("de_tagblatt.ch_tanz-in-der-st-galler-lokremise-mit-allen-wassern-gewaschen"),
        "event_info",
        &[12],
    );
    assert_dropped(
        &shared,
        &corpus("de_5min.at_villachs-meister-proper-expandiert-nach-wien"),
        "contact",
        &[12],
    );
    assert_dropped(
        &shared,
        &corpus("en_reuters.com_oversupply-angst-drags-oil-lower-stocks-drift-near-highs"),
        "embed",
        &[24, 25, 26],
    );
    assert_dropped(
        &shared,
        &corpus("en_reuters.com_oversupply-angst-drags-oil-lower-stocks-drift-near-highs"),
        "source_line",
        &[27],
    );
}

#[test]
fn rule_2_comment_sections() {
    let Some(shared) = crate::common::shared() else { return };
    // Below the article, to the end of the text.
    let rel = "corpus/real-txt/de_kyffhaeuser-nachrichten.de_so-viel-regen-gab-es-lange-nicht-31-10-2023-10-19-uhr.txt";
    assert_dropped(&shared, rel, "comments_or_related", &[16, 17, 19, 20]);
    let rel = "corpus/real-txt-with-comments/de_zeit.de_zugverkehr-im-ice-von-frankfurt-nach-barcelona.txt";
    let c = cleaned(&shared, rel);
    let last_article_line = std::fs::read_to_string(
        shared.join("corpus/real-txt/de_zeit.de_zugverkehr-im-ice-von-frankfurt-nach-barcelona.txt"),
    )
    .unwrap()
    .lines()
    .count();
    let total = std::fs::read_to_string(shared.join(rel)).unwrap().lines().count();
    assert!(
        (last_article_line + 1..=total).all(|n| c.dropped.iter().any(|d| d.line == n)),
        "a comment line survived"
    );
    // Above the article: the comments end where the headline is repeated.
    let rel = "corpus/real-txt-with-comments/de_taz.de_siemens-und-die-kohlemine-adani-kaeser-verarscht-neubauer.txt";
    let c = cleaned(&shared, rel);
    let plain = cleaned(
        &shared,
        "corpus/real-txt/de_taz.de_siemens-und-die-kohlemine-adani-kaeser-verarscht-neubauer.txt",
    );
    assert_eq!(c.blocks, plain.blocks, "the comments changed the article");
    assert_eq!(
        c.credit, plain.credit,
        "a byline from the related-articles block was taken"
    );
}

#[test]
fn rule_3_video_playlists() {
    let Some(shared) = crate::common::shared() else { return };
    let playlist: Vec<usize> = (21..=71).collect();
    assert_dropped(&shared, SEED, "video_playlist", &playlist);
}

#[test]
fn rule_4_agency_credits() {
    let Some(shared) = crate::common::shared() else { return };
    let c = cleaned(&shared, SEED);
    assert_dropped(&shared, SEED, "agency_credit", &[20]);
    assert_eq!(
        (c.credit.sources.clone(), c.credit.authors.clone()),
        (vec!["dpa".into(), "reuters".into()], vec!["rcl".into(), "sst".into()])
    );
    for (rel, line_no, sources) in [
        (
            "corpus/real-txt/de_eurosport.de_olympia-2022-zweiter-coronafall-im-deutschen-team-sorgt-fuer.txt",
            15,
            vec!["SID"],
        ),
        (
            "corpus/real-txt/de_hildesheimer-presse.de_hund-vertreibt-einbrecher-zeugenaufruf.txt",
            7,
            vec!["ots"],
        ),
        (
            "corpus/real-txt/de_finanztreff.de_influencer-und-trading-apps-die-jungen-entdecken-die-boerse.txt",
            2,
            vec!["dpa-AFX"],
        ),
    ] {
        assert_dropped(&shared, rel, "agency_credit", &[line_no]);
        assert_eq!(cleaned(&shared, rel).credit.sources, sources, "{rel}");
    }
    // A dateline credit is metadata too; the paragraph keeps its text.
    let rel = "corpus/real-json/de_sat1regional.de_verhaertete-fronten-nach-tumulten-bei-luckes-vorlesung-sat-1.json";
    let c = cleaned(&shared, rel);
    assert_eq!(
        (c.dateline.as_deref(), c.credit.sources.clone()),
        (Some("Hamburg"), vec!["dpa".to_string()])
    );
    assert!(
        c.paragraphs().next().unwrap().starts_with("Trotz"),
        "{:?}",
        c.paragraphs().next()
    );
}

#[test]
fn rule_5_subheadings() {
    let Some(shared) = crate::common::shared() else { return };
    let c = cleaned(&shared, SEED);
    let expected: Vec<String> = [3, 7, 11, 16].iter().map(|&n| line(&shared, SEED, n)).collect();
    assert_eq!(headings(&c), expected);
    // Corpus: short lines followed by text are headings; the same shape
    // without text after it is a teaser.
    let rel = "corpus/real-txt/de_nzz.ch_brexit-nervenkrieg-geht-in-naechste-runde.txt";
    let expected: Vec<String> = [6, 9].iter().map(|&n| line(&shared, rel, n)).collect();
    assert_eq!(headings(&cleaned(&shared, rel)), expected);
    let rel = "corpus/real-txt/de_swr.de_hiobsbotschaft-fuer-allianz-mtv-stuttgart-top-angreiferin-kr.txt";
    assert_dropped(&shared, rel, "teaser", &[5]);
    assert!(headings(&cleaned(&shared, rel)).contains(&line(&shared, rel, 6)));
}

#[test]
fn rule_6_markdown_safety_on_real_text() {
    let Some(shared) = crate::common::shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let site = crate::common::example_site(dir.path());
    let importer = Importer::new(&site).unwrap();
    // The fr.de text has `Trump*`, list items and a tweet: every paragraph
    // renders back to itself.
    for rel in [
        SEED,
        "corpus/real-txt/de_fr.de_kim-jong-un-der-diktator-ist-zurueck-donald-trump-ist-glueck.txt",
    ] {
        let raw = input::read_file(&shared.join(rel), Format::Text, u64::MAX)
            .remove(0)
            .unwrap();
        let (article, _, _) = importer.prepare(&raw, &crate::common::fill_in_date()).unwrap();
        let c = cleaned(&shared, rel);
        let shown: Vec<String> = crate::common::shown_blocks(&article.body)
            .iter()
            .map(|b| b.text().to_string())
            .collect();
        let expected: Vec<String> = c.blocks.iter().flat_map(|b| b.texts()).collect();
        assert_eq!(shown, expected, "{rel}");
        assert!(shown.iter().any(|s| s.contains('*')) || rel == SEED);
    }
}

#[test]
fn rule_7_quotes_and_characters_stay() {
    let Some(shared) = crate::common::shared() else { return };
    let c = cleaned(&shared, SEED);
    let raw = std::fs::read_to_string(shared.join(SEED)).unwrap();
    for p in c.paragraphs() {
        assert!(raw.contains(p), "changed: {p}");
    }
    assert!(
        c.paragraphs().any(|p| p.contains("„offen\" gewesen")),
        "mixed quotes kept as they are"
    );
}

#[test]
fn hard_wrapped_lines_are_joined() {
    let Some(shared) = crate::common::shared() else { return };
    let rel = "corpus/real-txt/de_zeit.de_zugverkehr-im-ice-von-frankfurt-nach-barcelona.txt";
    assert_dropped(&shared, rel, "joined_with_previous_line", &[4, 5, 15, 16]);
    let c = cleaned(&shared, rel);
    let joined = format!("{} {}", line(&shared, rel, 3), line(&shared, rel, 4));
    assert!(c.paragraphs().any(|p| p.starts_with(&joined)), "{joined}");
}

#[test]
fn date_lines_give_the_date() {
    let Some(shared) = crate::common::shared() else { return };
    let rel = "corpus/real-txt/de_rtl.de_medienbericht-corona-lockdown-steht-vor-4-woechiger-verlaeng.txt";
    let c = cleaned(&shared, rel);
    assert_eq!(c.text_date.unwrap().to_string(), "2021-03-20 15:00:00");
    assert_dropped(&shared, rel, "date_line", &[2]);
    let rel = "corpus/real-txt/de_kyffhaeuser-nachrichten.de_so-viel-regen-gab-es-lange-nicht-31-10-2023-10-19-uhr.txt";
    assert_eq!(
        cleaned(&shared, rel).text_date.map(|d| d.date().to_string()).as_deref(),
        Some("2023-10-31")
    );
}

#[test]
fn body_text_is_not_taken_for_chrome() {
    let Some(shared) = crate::common::shared() else { return };
    // Every line the seed's article is made of survives, in order.
    let c = cleaned(&shared, SEED);
    assert_eq!(c.blocks.len(), 14);
    let body_lines = [2, 3, 4, 6, 7, 8, 10, 11, 12, 14, 16, 17, 18, 19];
    for (block, n) in c.blocks.iter().zip(body_lines) {
        assert_eq!(block.texts(), vec![line(&shared, SEED, n)]);
    }
}

#[test]
fn rule_5_body_text_that_looked_like_chrome_is_kept() {
    let Some(shared) = crate::common::shared() else { return };
    // An interview question: `Sie` is polite, not a glued teaser.
    let rel = "corpus/real-txt/de_nachrichten.at_was-bringen-alternative-therapien-bei-krebs.txt";
    let question = line(&shared, rel, 13);
    assert!(cleaned(&shared, rel).paragraphs().any(|p| p == question), "{question}");

    // The article's closing sentence with an author credit: the sentence
    // stays, the author goes to the metadata.
    let rel = "corpus/real-txt/de_osthessen-news.de_claudia-brandes-und-ihr-links-gruenes-buendnis-muessen-jetzt.txt";
    let last = line(&shared, rel, 9);
    let (sentence, credit) = last.rsplit_once(" (").unwrap();
    let author = credit.split(')').next().unwrap();
    let c = cleaned(&shared, rel);
    assert_eq!(c.paragraphs().last(), Some(sentence));
    assert!(c.credit.authors.iter().any(|a| a == author), "{:?}", c.credit.authors);

    // A related link and a subheading are not hard-wrapped lines: nothing
    // is joined to the paragraph after them.
    let rel = "corpus/real-txt/en_usatoday.com_prison-guards-charged-in-connection-with-jeffrey-epstein-s-d.txt";
    let c = cleaned(&shared, rel);
    assert!(
        c.dropped.iter().all(|d| d.rule != "joined_with_previous_line"),
        "{:?}",
        c.dropped
    );
    assert!(headings(&c).contains(&line(&shared, rel, 47)));
    assert!(c.paragraphs().any(|p| p == line(&shared, rel, 48)));
}

#[test]
fn rule_5_the_standfirst_is_the_summary() {
    let Some(shared) = crate::common::shared() else { return };
    let dir = tempfile::tempdir().unwrap();
    let site = crate::common::example_site(dir.path());
    let importer = Importer::new(&site).unwrap();
    for (name, n) in [
        ("de_ok-magazin.de_horror-fund-instagram-star-24-einbetoniert", 3),
        (
            "de_rtl.de_medienbericht-corona-lockdown-steht-vor-4-woechiger-verlaeng",
            3,
        ),
        ("de_nzz.ch_brexit-nervenkrieg-geht-in-naechste-runde", 2),
    ] {
        let rel = format!("corpus/real-txt/{name}.txt");
        let raw = input::read_file(&shared.join(&rel), Format::Text, u64::MAX)
            .remove(0)
            .unwrap();
        let (article, _, _) = importer.prepare(&raw, &crate::common::fill_in_date()).unwrap();
        assert_eq!(article.front.summary, Some(line(&shared, &rel, n)), "{name}");
    }
}
