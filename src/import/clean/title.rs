//! The headline when the page title names no article: a comment form's
//! heading, a section's name, the site's own name, or no title at all.

use super::*;

/// A page title that is chrome itself (a comment form's heading, a menu's
/// label, a section's name such as `Aktuelles`), or none, names no article;
/// the first block the cleaning kept, or else the line it took as
/// standfirst, is then the headline, if it is shaped like one: short, one
/// sentence not ended by a full stop or a colon, no date; else the source
/// URL's words. Taken after the cleaning, so that a chrome line under the
/// title is never promoted.
pub(super) fn instead_of_chrome_title(state: &mut State, blocks: &mut Vec<Block>, page: Page) -> Option<String> {
    let (title, patterns) = (state.title.as_str(), state.patterns);
    // No title at all (an extractor found none) is chrome's case too.
    let chrome = title.trim().is_empty()
        || patterns.is_end_marker(title)
        || patterns.drop_rule(title).is_some()
        || patterns.is_generic_term(title)
        || headline::is_site_name(title, page.site_names);
    // One word all in lower case (`escenic`, a CMS's name) gives way only
    // to the address's words, which the text must bear out.
    let lower_word = !title.contains(char::is_whitespace)
        && title.chars().any(char::is_lowercase)
        && !title.chars().any(char::is_uppercase);
    if !chrome && !lower_word || page.url.is_some_and(|url| url_title::confirms(url, title)) {
        return None;
    }
    let headline_shaped = |line: &str| {
        let line = line.trim_end();
        let inner = line.trim_end_matches(['?', '!', '…', '"', '“', '«', '»']);
        word_count(line) <= 20
            && line.len() <= 200
            && !line.ends_with(['.', ':'])
            && ![". ", "? ", "! "].iter().any(|end| inner.contains(end))
            && line.chars().any(char::is_alphabetic)
            // Shouted lines of several words are labels and promos
            // (`CLICK FOR FULL RESULTS`), not the headline; scripts
            // without case (Hangul, Chinese) never shout.
            && !(word_count(line) > 2 && in_capitals(line))
            && text_dates::find(line).is_none()
            && !patterns.ends_open(line)
    };
    if chrome {
        if let Some(Block::Paragraph(first) | Block::Heading(first)) = blocks.first()
            && headline_shaped(first)
            && blocks.len() > 1
        {
            let first = first.clone();
            blocks.remove(0);
            return Some(first);
        }
        if let Some(standfirst) = state.standfirst.take_if(|s| headline_shaped(s)) {
            return Some(standfirst);
        }
    }
    let text = || url_title::TextWords::new(state.lines.iter().map(|l| l.text.as_str()));
    let from_url = page.url.and_then(|url| url_title::title_from_url(url, &text()));
    if from_url.is_some() || !title.trim().is_empty() {
        return from_url;
    }
    // No title anywhere: the story's first sentence stands in, as long as
    // a headline, rather than the whole text being refused; on a page laid
    // out in a table, the first words of its cells. Never a label of the
    // page's own (`Home Page`, `HOME RSS FEEDS`); words of a script without
    // case or spaces count as words.
    let named = |t: &String| {
        let caseless = !t.chars().any(|c| c.is_uppercase() || c.is_lowercase());
        (t.split_whitespace().count() >= 2 || caseless && t.chars().filter(|c| c.is_alphabetic()).count() >= 6)
            && !in_capitals(t)
            && !patterns.is_generic_term(t)
            && patterns.drop_rule(t).is_none()
    };
    let paragraph = blocks.iter().find_map(|b| match b {
        Block::Paragraph(text) => Some(text.clone()).filter(named),
        _ => None,
    });
    let words = || blocks.iter().flat_map(Block::texts).find(named);
    paragraph.or_else(words).map(|text| first_sentence(&text))
}

/// Longest a first sentence may be to stand in for a missing headline
/// whole; a longer one is cut at a word.
pub(super) const STAND_IN_CHARS: usize = 120;

/// `text`'s first sentence without its full stop, or its start cut at a
/// word where that sentence runs longer than [`STAND_IN_CHARS`].
fn first_sentence(text: &str) -> String {
    // Only the start can hold it; a paragraph may be megabytes long.
    let window = text
        .char_indices()
        .nth(STAND_IN_CHARS + 1)
        .map_or(text, |(i, _)| &text[..i]);
    match crate::text::cut::sentence_ends(window).first() {
        Some(&end) if text[..end].chars().count() <= STAND_IN_CHARS => {
            text[..end].trim_end().trim_end_matches('.').to_string()
        }
        _ => crate::text::cut::at_word(text, STAND_IN_CHARS),
    }
}

/// Where a page comes from: what tells a chrome title from a headline.
#[derive(Clone, Copy)]
pub(super) struct Page<'a> {
    pub site_names: &'a [&'a str],
    pub url: Option<&'a str>,
}

/// Written in capitals: some upper case, no lower case (a script without
/// case never is).
fn in_capitals(text: &str) -> bool {
    text.chars().any(char::is_uppercase) && !text.chars().any(char::is_lowercase)
}
