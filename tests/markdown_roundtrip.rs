//! SPEC §3 rule 6 as a property: text → Markdown → HTML → text is the
//! identity, for paragraphs and headings full of Markdown metacharacters.

use blatt::import::markdown::{Block, body};
use blatt::import::normalize;
use proptest::prelude::*;
use scraper::{Html, Selector};

/// Letters, digits, spaces, every ASCII punctuation mark (all of Markdown's
/// metacharacters), typographic quotes and a few other scripts.
fn text() -> impl Strategy<Value = String> {
    let alphabet: Vec<char> = "aZäÖß09 \t !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~„“”»«–—…€©\u{a0}\u{200b}Кж中"
        .chars()
        .collect();
    let pieces = prop_oneof![
        prop::sample::select(alphabet).prop_map(String::from),
        Just("1. ".to_string()),
        Just("- ".to_string()),
        Just("> ".to_string()),
        Just("# ".to_string()),
        Just("&amp;".to_string()),
        Just("&#42;".to_string()),
        Just("<script>".to_string()),
        Just("[a](b)".to_string()),
        Just("![x](y)".to_string()),
        Just("**".to_string()),
        Just("```".to_string()),
        Just("---".to_string()),
        Just("https://example.org/a_b".to_string()),
        Just("    ".to_string()),
        Just("\\".to_string()),
        Just("[^1]".to_string()),
        Just("~~".to_string()),
        Just("| a | b |".to_string()),
    ];
    prop::collection::vec(pieces, 1..40).prop_map(|parts| normalize::line(&parts.concat()))
}

fn rendered_blocks(html: &str) -> Vec<Block> {
    let doc = Html::parse_fragment(html);
    let selector = Selector::parse("p, h2, blockquote").unwrap();
    doc.select(&selector)
        .filter(|e| {
            e.value().name() != "p"
                || e.ancestors()
                    .all(|a| a.value().as_element().is_none_or(|x| x.name() != "blockquote"))
        })
        .map(|e| {
            let text = |e: scraper::ElementRef| e.text().collect::<String>();
            match e.value().name() {
                "h2" => Block::Heading(text(e)),
                "blockquote" => Block::Quote(e.select(&Selector::parse("p").unwrap()).map(text).collect()),
                _ => Block::Paragraph(text(e)),
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn paragraphs_and_headings_survive_markdown(texts in prop::collection::vec((text(), 0u8..3), 1..6)) {
        let blocks: Vec<Block> = texts
            .into_iter()
            .filter(|(t, _)| !t.is_empty())
            .map(|(t, kind)| match kind {
                0 => Block::Paragraph(t),
                1 => Block::Heading(t),
                _ => Block::Quote(vec![t]),
            })
            .collect();
        let markdown = body(&blocks);
        let html = blatt::content::markdown::to_html(&markdown, false);
        prop_assert_eq!(rendered_blocks(&html), blocks, "markdown:\n{}\nhtml:\n{}", markdown, html);
    }
}

#[test]
fn no_markup_from_text() {
    let blocks = vec![Block::Paragraph(
        "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))".into(),
    )];
    let html = blatt::content::markdown::to_html(&body(&blocks), false);
    let doc = Html::parse_fragment(&html);
    for tag in ["script", "img", "a"] {
        assert!(
            doc.select(&Selector::parse(tag).unwrap()).next().is_none(),
            "{tag} in {html}"
        );
    }
}
