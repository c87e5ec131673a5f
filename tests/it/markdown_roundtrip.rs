//! Import's escaping as a property: text → Markdown → HTML → text is the
//! identity, for paragraphs, headings, quotes, lists and tables full of
//! Markdown metacharacters.

use blatt::import::blocks::{Block, body};
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn paragraphs_and_headings_survive_markdown(texts in prop::collection::vec((text(), 0u8..5), 1..6)) {
        let blocks: Vec<Block> = texts
            .into_iter()
            .filter(|(t, _)| !t.is_empty())
            .map(|(t, kind)| crate::props::block(kind, t))
            .collect();
        crate::props::assert_blocks_survive(&blocks);
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
