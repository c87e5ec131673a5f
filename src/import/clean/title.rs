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
    stand_in(state, blocks, page).map(|line| without_clock_time(&line).to_string())
}

/// `line` without a time of day in front (`3:59 PM Briefe`: a blog's
/// entry stamped with the hour it was posted).
fn without_clock_time(line: &str) -> &str {
    static TIME: OnceLock<Regex> = OnceLock::new();
    let time = TIME.get_or_init(|| Regex::new(r"^\d{1,2}[:.]\d{2}(\s?(?i:[ap]\.?m\.?|Uhr))?\s+").unwrap());
    match time.find(line) {
        Some(m) if line[m.end()..].chars().any(char::is_alphabetic) => &line[m.end()..],
        _ => line,
    }
}

fn stand_in(state: &mut State, blocks: &mut Vec<Block>, page: Page) -> Option<String> {
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
    // Without any title, a first line is the headline only if the story
    // bears it out; a page title that is chrome at least says a page was
    // there, and the line under it is its headline.
    let untitled = title.trim().is_empty();
    if chrome {
        if let Some(Block::Paragraph(first) | Block::Heading(first)) = blocks.first()
            && headline_shaped(first)
            && blocks.len() > 1
            && (!untitled || StoryWords::of(blocks[1..].iter().flat_map(Block::texts)).bear_out(first))
        {
            let first = first.clone();
            blocks.remove(0);
            return Some(first);
        }
        // Without a title, the line nearest the story that it bears out,
        // among those above it; else the standfirst, the first of them.
        // The story's words are gathered once for all the lines above it.
        let story = untitled.then(|| StoryWords::of(blocks.iter().flat_map(Block::texts)));
        let borne_out = |line: &str| story.as_ref().is_none_or(|words| words.bear_out(line));
        if let Some(line) = (state.above_body.iter().rev()).find(|s| untitled && headline_shaped(s) && borne_out(s)) {
            return Some(line.clone());
        }
        if let Some(standfirst) = state.standfirst.take_if(|s| headline_shaped(s) && borne_out(s)) {
            return Some(standfirst);
        }
    }
    let text = || url_title::TextWords::new(state.lines.iter().map(|l| l.text.as_str()));
    let from_url = page.url.and_then(|url| url_title::title_from_url(url, &text()));
    if from_url.is_some() || !title.trim().is_empty() {
        return from_url;
    }
    // No title anywhere: a line of the text stands in rather than the whole
    // text being refused. Never a label of the page's own (`Home Page`,
    // `HOME RSS FEEDS`); words of a script without case or spaces count as
    // words.
    let named = |t: &String| {
        let caseless = !t.chars().any(|c| c.is_uppercase() || c.is_lowercase());
        (t.split_whitespace().count() >= 2 || caseless && t.chars().filter(|c| c.is_alphabetic()).count() >= 6)
            && !in_capitals(t)
            && !patterns.is_generic_term(t)
            && patterns.drop_rule(t).is_none()
    };
    // The story's first paragraph (or table row) rather than a short line
    // above it (a place, a section's name, an appeal); the headline-shaped
    // line right above it, where the story names what it names (a page
    // laid out in a table has its headline in the cell above the story).
    let texts: Vec<String> = blocks.iter().flat_map(Block::texts).filter(named).collect();
    match texts.iter().position(|t| word_count(t) > MAX_HEADING_WORDS) {
        Some(story) => {
            let above = story.checked_sub(1).map(|i| &texts[i]);
            match above.filter(|line| headline_shaped(line) && StoryWords::of(&texts[story..]).bear_out(line)) {
                Some(line) => Some(line.clone()),
                None => Some(first_sentence(&texts[story])),
            }
        }
        None => texts.first().map(|text| first_sentence(text)),
    }
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

/// The words of a story, to tell whether a line above it names what it
/// names: one of the line's words of four letters or more that is no
/// function word comes back in the story. A headline names what the story
/// is about; a section's label or an appeal above it (`One-Minute World
/// News`, `Please support local business!`) seldom does. Words of a script
/// without case or spaces cannot be told apart so: such a line counts as
/// borne out; a line of dates alone never is.
struct StoryWords(std::collections::HashSet<String>);

impl StoryWords {
    fn of<T: AsRef<str>>(texts: impl IntoIterator<Item = T>) -> StoryWords {
        StoryWords(texts.into_iter().flat_map(|t| long_words(t.as_ref())).collect())
    }

    fn bear_out(&self, line: &str) -> bool {
        if !line.chars().any(|c| c.is_uppercase() || c.is_lowercase()) {
            return true;
        }
        let function_word = |w: &str| {
            ["en", "de", "fr", "es", "it", "nl", "pt"]
                .iter()
                .filter_map(|l| stop_words::lookup(l))
                .any(|list| list.contains(&w))
        };
        // A day's or a month's name is not what a story is about.
        let calendar = |w: &str| credit::CALENDAR_WORDS.iter().any(|c| c.eq_ignore_ascii_case(w));
        long_words(line)
            .iter()
            .any(|w| !function_word(w) && !calendar(w) && self.0.contains(w))
    }
}

/// `text`'s words of four letters or more, in lower case.
fn long_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .collect()
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
