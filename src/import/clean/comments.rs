//! Reader comments that follow an article without a marker, told by how
//! they speak (the `reader_voice` patterns: greetings, thanks, chat
//! shorthand, first-person opinion), by replies that repeat the comment
//! they answer, and by a first person the article above never uses; not by
//! where they stand.

use std::collections::HashMap;

use super::*;

/// Whether a line speaks as a reader rather than as the article: one of the
/// `reader_voice` patterns, an unquoted first-person opinion, or typing like
/// a comment (a sentence starting in lower case). Any one of these turns up
/// in articles too, in quotations and columns; only many of them together at
/// the end of a text that has almost none before are a comment section.
pub(super) fn speaks_as_reader(line: &str, after_sentence_end: bool, patterns: &Patterns) -> bool {
    let quoted = line.contains(['"', '„', '“', '”', '«', '»']);
    patterns.reader_voice(line, quoted) || (after_sentence_end && lower_start(line))
}

/// Whether a line is typed as a reader types: one of the `reader_voice`
/// patterns or a sentence starting in lower case. An opinion alone is not
/// enough for a single line: a blog post or a column ends on the author's
/// (`Meiner Meinung nach …`).
fn typed_as_reader(line: &str, after_sentence_end: bool, patterns: &Patterns) -> bool {
    patterns.reader_voice(line, true) || (after_sentence_end && lower_start(line))
}

fn lower_start(line: &str) -> bool {
    line.split_whitespace()
        .next()
        .map(|w| w.trim_end_matches([',', ':']))
        .is_some_and(|w| w.chars().count() > 1 && w.chars().all(char::is_lowercase))
}

/// `line` without what it quotes (`"…"`, `„…“`, `“…”`, `«…»`, `»…«`, and a
/// quotation still open at the line's end): the words a source says are not
/// the text's own voice.
fn unquoted(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut closers: &[char] = &[];
    for c in line.chars() {
        if !closers.is_empty() {
            if closers.contains(&c) {
                closers = &[];
            }
            continue;
        }
        closers = match c {
            '"' => &['"'],
            '„' => &['“', '”', '"'],
            '“' => &['”', '“'],
            '«' => &['»'],
            '»' => &['«'],
            _ => {
                out.push(c);
                &[]
            }
        };
    }
    out
}

/// Whether the line, outside its quotations, speaks in the first person.
fn first_person(line: &str, patterns: &Patterns) -> bool {
    unquoted(line)
        .split(|c: char| !c.is_alphabetic())
        .any(|w| !w.is_empty() && patterns.is_first_person(w))
}

/// A line as a reply repeats it: without quotation marks at its ends.
fn repeated_form(line: &str) -> &str {
    line.trim_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '„' | '“' | '”' | '«' | '»'))
}

/// Words a repeated line needs before the repeat counts as a reply quoting
/// it: a short line (`Danke!`) is repeated by chance.
const REPLY_WORDS: usize = 8;

/// Words the article above a comment section must have: a short text is
/// a stub or a listing, too little to tell an article's voice from a
/// reader's.
const ARTICLE_WORDS: usize = 150;

impl State<'_> {
    /// Reader comments with no marker above them: the longest run at the end
    /// where lines speaking as a reader outweigh the others (one such line
    /// counts as much as three that do not), when the article above is long
    /// and speaks that way at most once in ten lines. Comment pages repeat
    /// the comment a reply answers: a comment repeated in that run starts
    /// the thread no later than where it first stands. One closing line is a
    /// comment when it speaks as a reader and in the first person, which the
    /// article above never does outside quotations, and is typed as a
    /// reader types, not only opining.
    pub(super) fn reader_comments(&mut self) {
        let kept = self.kept_indices();
        let voice: Vec<bool> = kept
            .iter()
            .enumerate()
            .map(|(k, &i)| {
                let after_end = k == 0 || is_sentence_end(&self.lines[kept[k - 1]].text);
                // List items and numbered points are the article's own.
                let text = &self.lines[i].text;
                !text.starts_with(['-', '*', '(', '|']) && speaks_as_reader(text, after_end, self.patterns)
            })
            .collect();
        let words_before =
            |start: usize| -> usize { kept[..start].iter().map(|&i| word_count(&self.lines[i].text)).sum() };
        let Some(start) = best_run(&voice, kept.len()) else {
            return self.closing_comment(&kept, &voice);
        };
        let in_tail = voice[start..].iter().filter(|&&v| v).count();
        let before = voice[..start].iter().filter(|&&v| v).count();
        if in_tail < 3 || words_before(start) < ARTICLE_WORDS || before * 10 > start {
            return self.closing_comment(&kept, &voice);
        }
        let start = match self.first_repeated_comment(&kept, &voice, start) {
            Some(first) => best_run(&voice, first).unwrap_or(first),
            None => start,
        };
        if words_before(start) < ARTICLE_WORDS {
            return;
        }
        for &i in &kept[start..] {
            self.drop(i, "reader_comments");
        }
    }

    /// The earliest line above `start` that speaks as a reader and that a
    /// line from `start` on repeats whole.
    fn first_repeated_comment(&self, kept: &[usize], voice: &[bool], start: usize) -> Option<usize> {
        let mut first_at: HashMap<&str, usize> = HashMap::new();
        for (k, &i) in kept[..start].iter().enumerate() {
            let text = repeated_form(&self.lines[i].text);
            if voice[k] && word_count(text) >= REPLY_WORDS {
                first_at.entry(text).or_insert(k);
            }
        }
        kept[start..]
            .iter()
            .filter_map(|&i| first_at.get(repeated_form(&self.lines[i].text)).copied())
            .min()
    }

    /// The last line alone, as a reader's comment: see [`Self::reader_comments`].
    fn closing_comment(&mut self, kept: &[usize], voice: &[bool]) {
        let Some((&last, above)) = kept.split_last() else {
            return;
        };
        let speaks = |i: usize| first_person(&self.lines[i].text, self.patterns);
        let after_end = above.last().is_none_or(|&i| is_sentence_end(&self.lines[i].text));
        let words: usize = above.iter().map(|&i| word_count(&self.lines[i].text)).sum();
        if typed_as_reader(&self.lines[last].text, after_end, self.patterns)
            && speaks(last)
            && words >= ARTICLE_WORDS
            && !voice[..above.len()].contains(&true)
            && !above.iter().any(|&i| speaks(i))
        {
            self.drop(last, "reader_comments");
        }
    }
}

/// Where the best-scoring run of lines ending at `end` starts, a line
/// speaking as a reader counting 3 and any other -1; `None` when no run
/// scores above nothing.
fn best_run(voice: &[bool], end: usize) -> Option<usize> {
    let (mut sum, mut best, mut start) = (0i64, 0i64, None);
    for k in (0..end).rev() {
        sum += if voice[k] { 3 } else { -1 };
        if sum > best {
            (best, start) = (sum, Some(k));
        }
    }
    start
}
