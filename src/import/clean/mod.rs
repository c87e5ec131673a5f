//! The cleaning rules (README.md, "Importing articles"): from a headline and the lines under it to a
//! kicker, a title, body blocks and credits, dropping the page chrome that
//! extractors leave behind.
//!
//! Rules run in passes over the lines, each pass looking only at lines the
//! earlier ones kept: first lines recognised by what they *say* (patterns,
//! credits, dates, playlists, comment sections), then the page header that
//! repeats the headline, then lines recognised by their *shape* (a short line
//! followed by text is a subheading, one that is not is a teaser). Every
//! dropped line is kept with the rule that dropped it, for `--explain`.

mod comments;
mod header;
mod shape;
mod title;

use std::sync::OnceLock;

use chrono::NaiveDateTime;
use regex::Regex;

use crate::import::blocks::Block;
use crate::import::credit::{self, Credit};
use crate::import::headline::{self, letters};
use crate::import::patterns::Patterns;
use crate::import::{text_dates, url_title};
use shape::*;
use title::{Page, instead_of_chrome_title};

/// At most this many words make a line short enough to be a subheading.
pub const MAX_HEADING_WORDS: usize = 12;
/// Fewer words than this before a paywall notice are a teaser, not an article.
pub const STUB_WORDS: usize = 80;
/// Lines this far into the body may still carry the publication date.
const DATE_LINES: usize = 6;
/// How many lines at the top are searched for the repeated headline.
const HEADER_WINDOW: usize = 10;

/// A line that a rule removed, and the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// 1-based line number in the input text.
    pub line: usize,
    pub text: String,
    pub rule: String,
}

/// What cleaning made of an article.
#[derive(Debug, Clone, PartialEq)]
pub struct Cleaned {
    pub title: String,
    pub kicker: Option<String>,
    pub blocks: Vec<Block>,
    pub credit: Credit,
    /// The place of a dateline (`Hamburg` in `Hamburg (dpa) – …`).
    pub dateline: Option<String>,
    /// The phrase between headline and body that sums the article up
    /// (Vorspann), when it is not a sentence of the body: the summary.
    pub standfirst: Option<String>,
    /// A date written in the text (near the top, in a page title's suffix,
    /// or on a date line further down), as local wall-clock time.
    pub text_date: Option<NaiveDateTime>,
    pub dropped: Vec<Dropped>,
}

impl Cleaned {
    /// The body's plain text in order: paragraphs, quoted paragraphs, list
    /// items and table cells (headings excluded).
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.blocks.iter().flat_map(|b| match b {
            Block::Paragraph(p) => vec![p.as_str()],
            Block::Quote(items) | Block::List(items) => items.iter().map(String::as_str).collect(),
            Block::Table(rows) => rows
                .iter()
                .flatten()
                .map(String::as_str)
                .filter(|c| !c.is_empty())
                .collect(),
            Block::Heading(_) => vec![],
        })
    }

    /// The paywall notice, when it is all that follows a teaser: the text
    /// is a stub of the article, not the article.
    pub fn paywall_stub(&self) -> Option<&Dropped> {
        let notice = self.dropped.iter().find(|d| d.rule == "paywall")?;
        let words: usize = self.paragraphs().map(|p| p.split_whitespace().count()).sum();
        (words < STUB_WORDS).then_some(notice)
    }

    /// All text of the article: title, kicker, headings and paragraphs.
    pub fn full_text(&self) -> String {
        let mut text = String::new();
        for part in self.kicker.iter().chain(std::iter::once(&self.title)) {
            text.push_str(part);
            text.push('\n');
        }
        for block in &self.blocks {
            text.push_str(&block.texts().join("\n"));
            text.push('\n');
        }
        text
    }
}

#[derive(Debug, Clone)]
struct Line {
    number: usize,
    text: String,
    dropped: Option<String>,
    end_marker: bool,
    /// What a credit or byline line names; counted only if the line turns
    /// out to belong to the article (see [`CREDIT_REACH`]).
    credit: Option<Credit>,
    /// The cells, for a row of a real table.
    row: Option<Vec<String>>,
    /// The time an entry of a live report was posted (`4:14 p.m.`): a
    /// heading in the body, not the page's date line.
    stamp: bool,
}

/// A credit line counts when it stands at most this many lines below the
/// article's last paragraph; further down it belongs to a related-articles
/// block (`von Peter Beispiel` under a teaser).
const CREDIT_REACH: usize = 5;

impl Line {
    fn kept(&self) -> bool {
        self.dropped.is_none()
    }
}

struct State<'p> {
    patterns: &'p Patterns,
    title: String,
    kicker: Option<String>,
    lines: Vec<Line>,
    credit: Credit,
    dateline: Option<String>,
    text_date: Option<NaiveDateTime>,
    /// A date line further down, used when the top has none.
    late_date: Option<NaiveDateTime>,
    standfirst: Option<String>,
    /// Short lines between the standfirst and the body, dropped there: a
    /// page without a title may have its headline among them.
    above_body: Vec<String>,
}

/// Cleans one article. `lines` are the normalised body lines with their line
/// numbers; `site_names` (host name, site name) help to cut the site's name
/// off the headline.
pub fn clean(
    title: &str,
    lines: Vec<(usize, String)>,
    site_names: &[&str],
    url: Option<&str>,
    patterns: &Patterns,
) -> Cleaned {
    let title = crate::import::normalize::line(title);
    let stripped = headline::strip_site_suffix(&title, site_names, patterns);
    let title_date = title.get(stripped.len()..).and_then(text_dates::find);
    let body = headline::BodyWords::new(lines.iter().map(|(_, l)| l.as_str()));
    let stripped = headline::strip_site_prefix(&stripped, site_names, patterns);
    let (kicker, title) = match headline::split_kicker(&stripped, patterns, &body) {
        Some((k, t)) => (Some(k), t),
        None => (None, stripped),
    };
    let mut state = State {
        patterns,
        title,
        kicker,
        lines: lines
            .into_iter()
            .map(|(number, text)| Line {
                number,
                text,
                dropped: None,
                end_marker: false,
                credit: None,
                row: None,
                stamp: false,
            })
            .collect(),
        credit: Credit::default(),
        dateline: None,
        text_date: None,
        late_date: None,
        standfirst: None,
        above_body: Vec::new(),
    };
    state.table_rows();
    state.by_content();
    state.links_above_body();
    state.shouted_links();
    state.playlists();
    state.end_blocks();
    state.reader_comments();
    state.header();
    state.unwrap_hard_breaks();
    state.strip_dateline();
    state.strip_trailing_credit();
    state.text_date = state.text_date.or(title_date).or(state.late_date);
    let mut blocks = state.by_shape();
    state.collect_credits();
    let page = Page { site_names, url };
    if let Some(headline) = instead_of_chrome_title(&mut state, &mut blocks, page) {
        state.title = headline;
        state.kicker = None;
    }
    // The site's own name above the headline (`BMAS - <headline>` opening
    // a bmas.de page) names the publisher, not what the story is about.
    if state
        .kicker
        .as_deref()
        .is_some_and(|k| headline::is_site_name(k, site_names))
    {
        state.kicker = None;
    }
    let dropped = state
        .lines
        .iter()
        .filter_map(|l| {
            l.dropped.as_ref().map(|rule| Dropped {
                line: l.number,
                text: l.text.clone(),
                rule: rule.clone(),
            })
        })
        .collect();
    Cleaned {
        title: state.title,
        kicker: state.kicker,
        blocks,
        credit: state.credit,
        dateline: state.dateline,
        standfirst: state.standfirst,
        text_date: state.text_date,
        dropped,
    }
}

/// Ends with `.`, `!`, `?` or `…` (or their CJK forms), possibly inside
/// closing quotes or brackets.
pub fn is_sentence_end(line: &str) -> bool {
    let ends = |s: &str| {
        s.trim_end_matches([
            '"', '“', '”', '\'', '’', '»', '«', ')', ']', ' ', '」', '』', '）', '】', '〉', '》',
        ])
        .ends_with(['.', '!', '?', '…', '。', '！', '？', '．'])
    };
    // A short aside in brackets after the full stop: `… naschen. (Bendel)`.
    let aside = line
        .trim_end()
        .strip_suffix(')')
        .and_then(|l| l.rfind('(').map(|open| &l[..open]))
        .filter(|before| line.len() - before.len() <= 60);
    ends(line) || aside.is_some_and(ends)
}

/// `12) …`, `3. …`, `2019: …`, `Sept. 12 -- …`, `August 30 – …`.
fn starts_with_number_or_date(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let first = words.next().unwrap_or("");
    first.starts_with(|c: char| c.is_ascii_digit())
        || (text_dates::is_month(first)
            && words
                .next()
                .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit())))
}

/// A line that is one web address and nothing else.
fn is_bare_link(line: &str) -> bool {
    let line = line.trim();
    !line.contains(char::is_whitespace) && ["http://", "https://", "www."].iter().any(|p| line.starts_with(p))
}

/// Whether a line holds a whole sentence before its last words (`Er wird
/// Landesrat. Die Pressekonferenz im Livestream`): text, not a heading.
fn has_inner_sentence_end(line: &str) -> bool {
    line.split_whitespace().collect::<Vec<_>>().windows(2).any(|w| {
        let letters = w[0].chars().filter(|c| c.is_alphabetic()).count();
        w[0].ends_with(['.', '!', '?']) && letters >= 4 && w[1].starts_with(char::is_uppercase)
    })
}

/// Words in a line. Scripts written without spaces (Chinese, Japanese) count
/// one word per two characters, so that a long CJK paragraph is not taken
/// for a short heading.
pub fn word_count(line: &str) -> usize {
    let spaced = line.split_whitespace().count();
    let ideographic = line
        .chars()
        .filter(|c| matches!(*c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF))
        .count();
    spaced.max(ideographic / 2)
}

/// `— Name (@handle) May 2, 2020`: the credit line of an embedded post.
fn is_post_attribution(line: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[—–-] .{1,80} \(@\w{1,30}\) .{3,30}\d{4}$").unwrap())
        .is_match(line)
}

/// A line that starts with a clip duration (`01:06Donald …`, `1:02:03 …`), not
/// with a time of day (`15:00 Uhr: …`).
fn starts_with_duration(line: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"^\d{1,2}:\d{2}(?::\d{2})?\s*(\S.*)$").unwrap());
    re.captures(line).is_some_and(|c| {
        let rest = &c[1];
        !(rest.starts_with("Uhr") || rest.starts_with("h ") || rest.starts_with("Uhr:"))
    })
}

impl State<'_> {
    fn drop(&mut self, i: usize, rule: &str) {
        if self.lines[i].dropped.is_none() {
            self.lines[i].dropped = Some(rule.to_string());
        }
    }

    fn kept_indices(&self) -> Vec<usize> {
        (0..self.lines.len()).filter(|&i| self.lines[i].kept()).collect()
    }

    /// Lines recognised by what they say: credits, bylines, date lines and
    /// the pattern lists.
    fn by_content(&mut self) {
        let patterns = self.patterns;
        self.live_stamps();
        for i in 0..self.lines.len() {
            if self.lines[i].dropped.is_some() {
                continue;
            }
            if let Some(cells) = &self.lines[i].row {
                // A row of share buttons or ads: every filled cell is chrome.
                let rules: Vec<Option<&str>> = cells
                    .iter()
                    .filter(|c| !c.is_empty())
                    .map(|c| patterns.drop_rule(c))
                    .collect();
                if let Some(Some(rule)) = rules.first().filter(|_| rules.iter().all(Option::is_some)) {
                    let rule = rule.to_string();
                    self.drop(i, &rule);
                }
                continue;
            }
            if let Some((prefix, rest)) = patterns.strip_prefix(&self.lines[i].text) {
                if i < DATE_LINES && self.text_date.is_none() {
                    self.text_date = text_dates::find(prefix);
                }
                self.lines[i].text = rest.to_string();
            }
            if let Some(stripped) = patterns.strip_inline(&self.lines[i].text) {
                if stripped.is_empty() {
                    self.drop(i, "inline_chrome");
                    continue;
                }
                self.lines[i].text = stripped;
            }
            self.lines[i].end_marker = patterns.is_end_marker(&self.lines[i].text);
            let text = self.lines[i].text.as_str();
            if self.late_date.is_none() {
                // `Update vom 03. Mai 2020, 16:05 Uhr: …` opens a live update.
                self.late_date = text_dates::update_marker(text);
            }
            if let Some(c) = credit::agency_line(text, patterns) {
                self.lines[i].credit = Some(c);
                self.drop(i, "agency_credit");
            } else if let Some(c) = credit::byline(text, patterns).filter(|_| word_count(text) <= 16) {
                self.lines[i].credit = Some(c);
                self.drop(i, "byline");
            } else if !self.lines[i].stamp && text_dates::is_date_line(text) {
                if i < DATE_LINES && self.text_date.is_none() {
                    self.text_date = text_dates::find(text);
                } else if self.late_date.is_none() {
                    // `Stand: 28.04.2020 18:00 Uhr` under the article.
                    self.late_date = text_dates::find(text);
                }
                self.drop(i, "date_line");
            } else if let Some(rule) = patterns.drop_rule(text) {
                let rule = rule.to_string();
                self.drop(i, &rule);
            }
        }
    }

    /// Times of day on lines of their own between paragraphs, two or more:
    /// a live report's entries, newest first (`10 p.m.`, then `4:14 p.m.`).
    /// Dropped as date lines, they would leave the entries run together
    /// without telling the reader when each was written. One such line, or
    /// one above the text, is the page's date line as before. The text
    /// starts at its first sentence, or at a line that introduces what
    /// follows (`The Latest on … (all times local):`), which a live report
    /// puts above its newest entry's time.
    fn live_stamps(&mut self) {
        let opens_text = |text: &str| is_sentence_end(text) || text.trim_end().ends_with(':');
        let Some(text_starts) = self
            .lines
            .iter()
            .position(|l| l.kept() && opens_text(&l.text) && word_count(&l.text) > 6)
        else {
            return;
        };
        let stamps: Vec<usize> = (text_starts + 1..self.lines.len())
            .filter(|&i| self.lines[i].kept() && text_dates::is_clock_time(&self.lines[i].text))
            .collect();
        if stamps.len() >= 2 {
            for i in stamps {
                self.lines[i].stamp = true;
            }
        }
    }

    /// Headlines of other stories written in capitals in a text written in
    /// mixed case (`CO-FOUNDER 'PROUD' OF … AMERICAN DREAM`): a line of
    /// eight words or more in capitals is a link; once a page has two, its
    /// other lines in capitals of five words or more are links too. Shorter
    /// ones, and questions, are subheadings (`WHO IS THE FRONT-RUNNER?`).
    fn shouted_links(&mut self) {
        // Capitals only: scripts without case (Hangul, Chinese) never shout.
        let shouted = |text: &str| {
            let capitals = text.chars().filter(|c| c.is_uppercase()).count();
            let letters = text.chars().filter(|c| c.is_alphabetic()).count();
            capitals >= 12 && capitals == letters && !text.trim_end().ends_with(['?', '!']) && !text.starts_with('|')
        };
        let kept = self.kept_indices();
        let mixed = kept
            .iter()
            .filter(|&&i| self.lines[i].text.chars().any(char::is_lowercase))
            .count();
        let candidates: Vec<(usize, usize)> = kept
            .into_iter()
            .filter(|&i| shouted(&self.lines[i].text))
            .map(|i| (i, word_count(&self.lines[i].text)))
            .collect();
        let long = candidates.iter().filter(|&&(_, w)| w >= 8).count();
        if mixed < 3 || long == 0 {
            return;
        }
        let least = if long >= 2 { 5 } else { 8 };
        for (i, words) in candidates {
            if words >= least {
                self.drop(i, "related_link");
            }
        }
    }

    /// Credits from lines near the article's end or above it.
    fn collect_credits(&mut self) {
        let last_body = self
            .lines
            .iter()
            .filter(|l| l.kept())
            .map(|l| l.number)
            .max()
            .unwrap_or(0);
        for line in &mut self.lines {
            if line.number <= last_body + CREDIT_REACH {
                if let Some(c) = line.credit.take() {
                    self.credit.merge(c);
                }
            }
        }
    }

    /// Three or more lines starting with a clip duration, and the line that
    /// introduces them.
    fn playlists(&mut self) {
        let kept = self.kept_indices();
        let mut k = 0;
        while k < kept.len() {
            let start = k;
            while k < kept.len() && starts_with_duration(&self.lines[kept[k]].text) {
                k += 1;
            }
            if k - start >= 3 {
                for &i in &kept[start..k] {
                    self.drop(i, "video_playlist");
                }
                if start > 0 {
                    let intro = kept[start - 1];
                    let text = &self.lines[intro].text;
                    if self.patterns.is_playlist_intro(text) || !is_sentence_end(text) {
                        self.drop(intro, "video_playlist");
                    }
                }
            }
            k = k.max(start + 1);
        }
    }

    /// A comment section or related-articles list runs from its marker to the
    /// end, or, when the page put it above the article, to the repeated headline.
    fn end_blocks(&mut self) {
        let mut i = 0;
        let mut seen_prose = false;
        while i < self.lines.len() {
            let line = &self.lines[i];
            if !line.end_marker {
                seen_prose |= line.kept() && is_sentence_end(&line.text) && word_count(&line.text) > 8;
                i += 1;
                continue;
            }
            let repeat = (i + 1..self.lines.len()).find(|&j| {
                let pair = self
                    .lines
                    .get(j + 1)
                    .map(|next| format!("{} {}", self.lines[j].text, next.text));
                self.repeats_headline(&self.lines[j].text) || pair.is_some_and(|p| self.repeats_headline(&p))
            });
            let end = match repeat {
                Some(r) => r,
                None if seen_prose => self.lines.len(),
                None => i + 1,
            };
            for j in i..end {
                self.drop(j, "comments_or_related");
            }
            i = end.max(i + 1);
        }
    }

    /// Joins lines that a fixed-width extraction broke in mid-sentence. A
    /// line that ends in a comma, or is followed by one that starts in lower
    /// case, is surely broken. A line that only lacks its full stop is broken
    /// only in a text that is wrapped at all (two sure breaks) and only when
    /// it is about as long as the lines broken for sure: in a text of one
    /// paragraph a line, it is a subheading or a related link.
    fn unwrap_hard_breaks(&mut self) {
        let kept = self.kept_indices();
        let chars = |i: usize| self.lines[i].text.chars().count();
        let joinable = |a: usize, b: usize| {
            let (head, tail) = (&self.lines[a].text, &self.lines[b].text);
            self.lines[b].number == self.lines[a].number + 1
                && self.lines[a].row.is_none()
                && self.lines[b].row.is_none()
                && !is_list_item(head)
                && !is_list_item(tail)
                // A web address on its own line is a link, not the end of a
                // wrapped sentence (its first letter is lower case).
                && !is_bare_link(head)
                && !is_bare_link(tail)
                && !is_sentence_end(head)
                && !head.ends_with(':')
        };
        let sure = |a: usize, b: usize| {
            let first_word = self.lines[b].text.split_whitespace().next().unwrap_or("");
            self.lines[a].text.ends_with(',')
                || (first_word.starts_with(char::is_lowercase) && !first_word.chars().skip(1).any(char::is_uppercase))
        };
        let sure_heads: Vec<usize> = kept
            .windows(2)
            .filter(|p| joinable(p[0], p[1]) && sure(p[0], p[1]))
            .map(|p| chars(p[0]))
            .collect();
        let width = if sure_heads.len() >= 2 {
            sure_heads.iter().copied().max().unwrap_or(0)
        } else {
            0
        };
        let mut joins = Vec::new();
        for pair in kept.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let wrapped = width > 0 && chars(a) * 10 >= width * 6 && chars(a) * 10 <= width * 11;
            if joinable(a, b) && (sure(a, b) || wrapped) {
                joins.push((a, b));
            }
        }
        let mut into: Option<(usize, usize)> = None;
        for (a, b) in joins {
            let target = match into {
                Some((t, last)) if last == a => t,
                _ => a,
            };
            let joined = format!("{} {}", self.lines[target].text, self.lines[b].text);
            self.lines[target].text = joined;
            self.drop(b, "joined_with_previous_line");
            into = Some((target, b));
        }
    }

    /// `… bleibt spannend. (Anna Beispiel) +++` closing the article: the
    /// credit goes to the metadata (a date in it to the text's dates), the
    /// sentence stays.
    fn strip_trailing_credit(&mut self) {
        let Some(last) = self
            .kept_indices()
            .into_iter()
            .rev()
            .find(|&i| self.lines[i].row.is_none())
        else {
            return;
        };
        if let Some((c, date, rest)) = credit::trailing_credit(&self.lines[last].text, self.patterns) {
            let rest = rest.to_string();
            self.credit.merge(c);
            if self.late_date.is_none() {
                self.late_date = date.as_deref().and_then(text_dates::find);
            }
            self.lines[last].text = rest;
        }
    }

    /// A bare link above the first paragraph is the page's own address or
    /// a share link; in the body, a bare link is a source the author cites
    /// and stays (links to media files and embeds are patterns).
    fn links_above_body(&mut self) {
        for i in self.kept_indices() {
            let text = self.lines[i].text.trim();
            if is_sentence_end(text) && word_count(text) > 6 {
                return;
            }
            if is_bare_link(text) {
                self.drop(i, "page_header");
            }
        }
    }

    /// `Hamburg (dpa/lno) – …` at the start of the first paragraph: the credit
    /// goes to the metadata, the place to `dateline`, the text stays.
    fn strip_dateline(&mut self) {
        let Some(first) = self
            .kept_indices()
            .into_iter()
            .find(|&i| is_sentence_end(&self.lines[i].text))
        else {
            return;
        };
        if let Some((place, c, rest)) = credit::dateline(&self.lines[first].text, self.patterns) {
            let rest = rest.to_string();
            self.dateline = place;
            self.credit.merge(c);
            self.lines[first].text = rest;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::normalize;

    fn run(text: &str) -> Cleaned {
        let mut lines = normalize::numbered_lines(text);
        let (_, title) = lines.remove(0);
        clean(&title, lines, &[], None, Patterns::built_in())
    }

    fn paragraphs(c: &Cleaned) -> Vec<&str> {
        c.paragraphs().collect()
    }

    /// Whether `rule` dropped the line `text`.
    fn dropped_as(c: &Cleaned, rule: &str, text: &str) -> bool {
        c.dropped.iter().any(|d| d.rule == rule && d.text == text)
    }

    fn headings(c: &Cleaned) -> Vec<&str> {
        c.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading(h) => Some(h.as_str()),
                _ => None,
            })
            .collect()
    }

    const P1: &str = "Der Gemeinderat hat am Montag lange beraten. Am Ende stand ein knappes Ergebnis.";
    const P2: &str = "Die Opposition kündigte an, die Entscheidung prüfen zu lassen. Sie sieht Fehler im Verfahren.";

    #[test]
    fn kicker_is_split_from_the_title() {
        let c = run(&format!("Streit im RathausGemeinderat stoppt den Windpark\n{P1}\n"));
        assert_eq!(c.kicker.as_deref(), Some("Streit im Rathaus"));
        assert_eq!(c.title, "Gemeinderat stoppt den Windpark");
    }

    /// The page's title line repeated above the body with the site's name
    /// in front: the name is the publisher's, no kicker; another short
    /// phrase there is one.
    #[test]
    fn the_sites_own_name_above_the_headline_is_no_kicker() {
        let title = "BMXA - Neue Regeln für den Nachweis";
        let lines = |first: &str| normalize::numbered_lines(&format!("{first}\n{P1}\n{P2}\n"));
        let site = ["bmxa.example"];
        let c = clean(title, lines(title), &site, None, Patterns::built_in());
        assert_eq!(
            (c.kicker.as_deref(), c.title.as_str()),
            (None, "Neue Regeln für den Nachweis")
        );
        let other = "Arbeitsschutz - Neue Regeln für den Nachweis";
        let c = clean(title, lines(other), &site, None, Patterns::built_in());
        assert_eq!(c.kicker.as_deref(), Some("Arbeitsschutz"));
        assert_eq!(c.title, "Neue Regeln für den Nachweis");
    }

    /// A menu of thirty entries (some of them questions) above the
    /// headline, as trafilatura takes it from a page without an article
    /// element.
    fn menu() -> String {
        (1..=30)
            .map(|n| match n % 3 {
                0 => format!("Übersicht: Bereich {n}"),
                1 => format!("Was gilt für Gruppe {n}?"),
                _ => format!("Förderprogramm {n}"),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_sites_menu_above_the_repeated_headline_goes() {
        let title = "Neue Regeln für den Nachweis";
        let c = run(&format!("{title}\n{}\n{title}\n{P1}\n{P2}\n", menu()));
        assert_eq!(paragraphs(&c), vec![P1, P2]);
        assert!(dropped_as(&c, "menu", "Was gilt für Gruppe 1?"));
        assert!(dropped_as(&c, "menu", "Übersicht: Bereich 30"));
        assert_eq!(c.title, title);
    }

    /// The same short lines after a sentence of the body are the article's
    /// (a list, a link to the story at the end), and a table above the
    /// headline is content: neither is a menu.
    #[test]
    fn short_lines_after_prose_or_a_table_are_no_menu() {
        let title = "Neue Regeln für den Nachweis";
        let after_prose = run(&format!("{title}\n{P1}\n{}\n{title}\n{P2}\n", menu()));
        assert!(!after_prose.dropped.iter().any(|d| d.rule == "menu"));
        assert!(paragraphs(&after_prose).contains(&P1));
        let rows: Vec<String> = (1..=12).map(|n| format!("| Angabe {n}: | Wert {n} |")).collect();
        let table = run(&format!("{title}\n{}\n{title}\n{P1}\n{P2}\n", rows.join("\n")));
        assert!(!table.dropped.iter().any(|d| d.rule == "menu"));
        assert!(paragraphs(&table).contains(&"Wert 12"));
    }

    #[test]
    fn reading_tips_and_embeds_are_dropped() {
        let c = run(&format!(
            "Titel des Artikels\n{P1}\nLese-Tipp: Noch ein anderer Artikel\nLesen Sie auch: Etwas anderes\nIm Video: Die wichtigsten Fragen\nMehr zum Thema: Windkraft\n{P2}\nWerbung\n"
        ));
        assert_eq!(paragraphs(&c), vec![P1, P2]);
        let rules: Vec<&str> = c.dropped.iter().map(|d| d.rule.as_str()).collect();
        assert_eq!(
            rules,
            vec!["reading_tip", "reading_tip", "embed", "reading_tip", "advert"]
        );
    }

    #[test]
    fn playlist_with_its_intro_is_dropped() {
        let c = run(&format!(
            "Titel des Artikels\n{P1}\nWeitere Nachrichten finden Sie hier in der Videoplaylist\n01:06Eine Szene im Parlament\n02:49Noch ein Clip\n1:02:03 Ein langer Mitschnitt\n"
        ));
        assert_eq!(paragraphs(&c), vec![P1]);
        assert_eq!(c.dropped.len(), 4);
        assert!(c.dropped.iter().all(|d| d.rule == "video_playlist"));
    }

    #[test]
    fn times_of_day_are_not_a_playlist() {
        let lines = "15:00 Uhr: Die Sitzung beginnt.\n15:30 Uhr: Erste Abstimmung.\n16:00 Uhr: Die Sitzung endet.\n";
        let c = run(&format!("Liveticker zur Wahl\n{P1}\n{lines}"));
        assert_eq!(paragraphs(&c).len(), 4);
    }

    #[test]
    fn agency_credit_becomes_metadata() {
        let c = run(&format!("Titel des Artikels\n{P1}\n(dpa/reuters/rcl/sst)\n"));
        assert_eq!(paragraphs(&c), vec![P1]);
        assert_eq!(c.credit.sources, vec!["dpa", "reuters"]);
        assert_eq!(c.credit.authors, vec!["rcl", "sst"]);
    }

    #[test]
    fn subheadings_need_text_after_them() {
        let c = run(&format!(
            "Titel des Artikels\n{P1}\nEine Zwischenzeile ohne Punkt\n{P2}\nEin Teaser zu einem anderen Text\nNoch ein Teaser\n"
        ));
        assert_eq!(headings(&c), vec!["Eine Zwischenzeile ohne Punkt"]);
        assert_eq!(paragraphs(&c), vec![P1, P2]);
        assert!(c.dropped.iter().filter(|d| d.rule == "teaser").count() == 2);
    }

    /// Two short lines between paragraphs are taken for another article's
    /// kicker and headline over a subheading once; twice in one body they
    /// are the page's sections and subsections (or names over roles), and
    /// both stay as headings.
    #[test]
    fn pairs_of_short_lines_are_sections_when_the_body_repeats_them() {
        let once = run(&format!(
            "Titel des Artikels\n{P1}\nMehr aus der Region\nNeue Ampel am Markt\n{P2}\n"
        ));
        assert_eq!(headings(&once), vec!["Neue Ampel am Markt"]);
        assert!(dropped_as(&once, "teaser", "Mehr aus der Region"));

        let c = run(&format!(
            "Titel des Artikels\n{P1}\nPhysikalische Eigenschaften\nGestein\n{P2}\n{P1}\nEric Lascelles\n\
             Chefökonom, RBC Global Asset Management\n{P2}\n"
        ));
        assert_eq!(
            headings(&c),
            vec![
                "Physikalische Eigenschaften",
                "Gestein",
                "Eric Lascelles",
                "Chefökonom, RBC Global Asset Management"
            ],
            "{:?}",
            c.dropped
        );
        // A first line of one word is a rubric or a source's name.
        let c = run(&format!(
            "Titel des Artikels\n{P1}\nGesundheit\nImpfungen vor der Reise\n{P2}\n{P1}\nEric Lascelles\n\
             Chefökonom, RBC Global Asset Management\n{P2}\n"
        ));
        assert_eq!(
            headings(&c),
            vec![
                "Impfungen vor der Reise",
                "Eric Lascelles",
                "Chefökonom, RBC Global Asset Management"
            ]
        );
        assert!(dropped_as(&c, "teaser", "Gesundheit"));
    }

    /// One pair in a body whose sections have headings of their own is a
    /// section over its first subsection; under a reading tip's label that
    /// was dropped, it is what the label offered.
    #[test]
    fn one_pair_among_single_headings_is_a_section_over_a_subsection() {
        let sections = format!(
            "Titel des Artikels\n{P1}\nDie Beschaffenheit\nDer Boden des Tals\n{P2}\n\
             Das Wetter im Winter\n{P1}\nDie Tiere am Fluss\n{P2}\n"
        );
        let c = run(&sections);
        assert_eq!(
            headings(&c),
            vec![
                "Die Beschaffenheit",
                "Der Boden des Tals",
                "Das Wetter im Winter",
                "Die Tiere am Fluss"
            ],
            "{:?}",
            c.dropped
        );
        // Without the single headings the pair is one more article's link.
        let once = run(&format!(
            "Titel des Artikels\n{P1}\nDie Beschaffenheit\nDer Boden des Tals\n{P2}\n"
        ));
        assert!(dropped_as(&once, "teaser", "Die Beschaffenheit"));
        let labelled = run(&format!(
            "Titel des Artikels\n{P1}\nDas Wetter im Winter\n{P2}\nDie Tiere am Fluss\n{P1}\n\
             Lesen Sie auch:\nAusflug an den Stausee\nHerbst im Tal der Mühlen\n{P2}\n"
        ));
        assert!(
            dropped_as(&labelled, "teaser", "Ausflug an den Stausee"),
            "{:?}",
            labelled.dropped
        );
        // Another article's headline, with its kicker or longer than the
        // sections' headings, over a section's.
        for link in [
            "Nach dem Spiel: Meisterfeier vertagt",
            "Die Meisterfeier der Stadt ist vertagt",
        ] {
            let c = run(&format!(
                "Titel des Artikels\n{P1}\nDas Wetter im Winter\n{P2}\n{link}\nDie Tiere am Fluss\n{P1}\n\
                 Der Herbst im Tal\n{P2}\n"
            ));
            assert!(dropped_as(&c, "teaser", link), "{link}: {:?}", c.dropped);
        }
        assert_eq!(
            headings(&labelled),
            vec!["Das Wetter im Winter", "Die Tiere am Fluss", "Herbst im Tal der Mühlen"]
        );
    }

    /// A sentence that ends in a colon introduces what follows; when what it
    /// introduced (a post, a picture, code) did not come through, the
    /// sentence is still the author's. A short label in its place is not.
    #[test]
    fn a_sentence_introducing_what_is_gone_stays() {
        let intro = "Im Netz reagierten viele Nutzer verwundert auf die Kampagne:";
        let c = run(&format!(
            "Titel des Artikels\n{P1}\n{P2}\n{intro}\nUnsere Quellen im Überblick:\n"
        ));
        assert_eq!(paragraphs(&c), vec![P1, P2, intro], "{:?}", c.dropped);
        // A phrase of fewer words before a colon is a label: with nothing
        // after it, it goes, as the other short lines in its place do.
        let teasers: Vec<&str> = c
            .dropped
            .iter()
            .filter(|d| d.rule == "teaser")
            .map(|d| d.text.as_str())
            .collect();
        assert_eq!(teasers, vec!["Unsere Quellen im Überblick:"]);
    }

    #[test]
    fn quoted_subheading() {
        let c = run(&format!("Titel des Artikels\n{P1}\n\"Diplomatie oder Dialog\"\n{P2}\n"));
        assert_eq!(headings(&c), vec!["\"Diplomatie oder Dialog\""]);
    }

    #[test]
    fn repeated_headline_rubric_and_widgets_go() {
        let c = run(&format!(
            "Titel des Artikels: Worum es geht\n- 5 Kommentare\n- Weitere\nPolitik\nTitel des Artikels: Worum es geht\n{P1}\n"
        ));
        assert_eq!(paragraphs(&c), vec![P1]);
        assert_eq!(c.kicker.as_deref(), Some("Politik"));
    }

    /// The body's headline without the site's name that the page title
    /// put after it (also behind a full-width separator of Japanese and
    /// Chinese titles, which no host name spells) or before it.
    #[test]
    fn a_repeated_headline_shows_the_site_name_in_the_title() {
        for sep in [" | ", "：", "｜"] {
            let c = run(&format!(
                "運賃の値上げが決まる{sep}例示新聞デジタル\n運賃の値上げが決まる\n{P1}\n"
            ));
            assert_eq!(c.title, "運賃の値上げが決まる", "{sep}");
            assert_eq!(paragraphs(&c), vec![P1]);
        }
        // A name in front goes as well: the site's or a section's.
        for title in [
            "r/Example - Der Windpark kommt doch",
            "Example Site | Der Windpark kommt doch",
        ] {
            let c = run(&format!("{title}\nDer Windpark kommt doch\n{P1}\n"));
            assert_eq!(c.title, "Der Windpark kommt doch", "{title}");
            assert_eq!(c.kicker, None);
            assert_eq!(paragraphs(&c), vec![P1]);
        }
        // Not a headline's own first words.
        let c = run(&format!("Der Windpark kommt - und bleibt\nund bleibt\n{P1}\n"));
        assert_eq!(c.title, "Der Windpark kommt - und bleibt");
    }

    /// A list of links that names the story again gives no kicker: the line
    /// above it is the wrapped end of another link.
    #[test]
    fn a_headline_repeated_in_a_list_of_links_gives_no_kicker() {
        let c = run(&format!(
            "Flugzeug im Meer gefunden: aktuell\n• Sohn des Piloten glaubt, Vater ist noch\n  bei der Arbeit'\n• Flugzeug im Meer gefunden, in Bildern\n{P1}\n"
        ));
        assert_eq!(c.kicker, None);
        assert_eq!(c.title, "Flugzeug im Meer gefunden: aktuell");
        assert_eq!(paragraphs(&c), vec![P1]);
    }

    #[test]
    fn swapped_kicker_in_the_body_sets_the_kicker() {
        let c = run(&format!(
            "Firma verliert Daten - Unterlagen im Netz\nUnterlagen im Netz Firma verliert Daten\n{P1}\n"
        ));
        assert_eq!(c.kicker.as_deref(), Some("Unterlagen im Netz"));
        assert_eq!(c.title, "Firma verliert Daten");
        assert_eq!(paragraphs(&c), vec![P1]);
    }

    #[test]
    fn glued_repetition_of_a_page_title_gives_the_kicker() {
        let c = run(&format!(
            "Die Zukunft des Fahrens - \"Wir bauen alles um\"\nDie Zukunft des Fahrens\"Wir bauen alles um\"\n{P1}\n"
        ));
        assert_eq!(c.kicker.as_deref(), Some("Die Zukunft des Fahrens"));
        assert_eq!(c.title, "\"Wir bauen alles um\"");
        assert_eq!(paragraphs(&c), vec![P1]);
    }

    #[test]
    fn headline_split_over_two_lines() {
        let c = run(&format!(
            "Tanz im Depot: Mit allen Wassern\nTanz im Depot:\nMit allen Wassern\n{P1}\n"
        ));
        assert_eq!(c.kicker.as_deref(), Some("Tanz im Depot"));
        assert_eq!(c.title, "Mit allen Wassern");
        assert_eq!(paragraphs(&c), vec![P1]);
    }

    #[test]
    fn comment_section_runs_to_the_end() {
        let c = run(&format!(
            "Titel des Artikels\n{P1}\nKommentare\nLeser123\nIch finde das alles falsch.\n"
        ));
        assert_eq!(paragraphs(&c), vec![P1]);
    }

    #[test]
    fn comments_above_the_article_end_at_the_headline() {
        let c = run(&format!(
            "Titel des Artikels\nBitte registrieren Sie sich und halten Sie sich an unsere Netiquette.\nEin Leser meint, das sei alles ganz anders gewesen.\nTitel des Artikels\n{P1}\n"
        ));
        assert_eq!(paragraphs(&c), vec![P1]);
    }

    #[test]
    fn hard_wrapped_lines_are_joined() {
        let c =
            run("Titel des Artikels\nSeit\ndie Aktivistin mit dem Zug reist, ist viel\npassiert. Das sagen viele.\n");
        assert_eq!(
            paragraphs(&c),
            vec!["Seit die Aktivistin mit dem Zug reist, ist viel passiert. Das sagen viele."]
        );
    }

    /// Bare links an author wrote in the body are text; the page's own
    /// address above the body and links to a picture or an embedded post
    /// are not.
    #[test]
    fn bare_links_stay_in_the_body_but_not_above_it_or_as_embeds() {
        let c = run(&format!(
            "Titel des Artikels\nhttps://example.org/nachrichten/titel-des-artikels\n{P1}\nhttps://example.org/bericht.pdf\nhttps://example.org/bilder/rathaus.jpg\nhttps://www.youtube.com/watch?v=abc\n{P2}\n"
        ));
        assert_eq!(paragraphs(&c), vec![P1, "https://example.org/bericht.pdf", P2]);
        let rules: Vec<&str> = c.dropped.iter().map(|d| d.rule.as_str()).collect();
        assert_eq!(rules, vec!["page_header", "embed", "embed"]);
    }

    /// In the body, a short line over a numbered step or over a sentence
    /// that introduces a list is a heading, not a link to another article.
    #[test]
    fn a_heading_over_a_numbered_step_or_an_intro_stays() {
        let c = run(&format!(
            "Titel des Artikels\n{P1}\nSo gelingt der Umbau\n1. Den Plan festlegen\n{P2}\nWas dagegen spricht\nDrei Einwände gibt es:\n- Erstens das Geld\n- Zweitens die Zeit\n{P1}\n"
        ));
        assert_eq!(
            headings(&c),
            vec!["So gelingt der Umbau", "1. Den Plan festlegen", "Was dagegen spricht"]
        );
        assert!(paragraphs(&c).contains(&"Drei Einwände gibt es:"), "{:?}", c.blocks);
        assert!(c.dropped.is_empty(), "{:?}", c.dropped);
    }

    /// A numbered list at the end whose items carry their link on the line
    /// below is a list, not a block of teasers.
    #[test]
    fn a_closing_numbered_list_with_links_under_its_items_stays() {
        let c = run(&format!(
            "Titel des Artikels\n{P1}\n{P2}\n1) Ein Brettspiel für vier\nhttps://example.org/a\n2) Eine Kamera im alten Stil\nhttps://example.org/b\n3) Ein Kartenspiel\nhttps://example.org/c\n"
        ));
        assert!(paragraphs(&c).contains(&"3) Ein Kartenspiel"), "{:?}", c.blocks);
        assert!(paragraphs(&c).contains(&"https://example.org/c"), "{:?}", c.blocks);
    }

    #[test]
    fn dateline_credit_is_metadata() {
        let c = run("Titel des Artikels\nHamburg (dpa/lno) – Die Fronten bleiben verhärtet. Das sagte der Sprecher.\n");
        assert_eq!(
            paragraphs(&c),
            vec!["Die Fronten bleiben verhärtet. Das sagte der Sprecher."]
        );
        assert_eq!(c.dateline.as_deref(), Some("Hamburg"));
        assert_eq!(c.credit.sources, vec!["dpa"]);
    }

    /// A live report's entries keep their times, as headings; a single
    /// time, or one above the text, is a date line and goes.
    #[test]
    fn a_live_report_keeps_the_times_of_its_entries() {
        let c = run(&format!(
            "Titel des Artikels\n9:30 Uhr\n{P1}\n16:05 Uhr\n{P2}\n4:14 p.m.\n{P1}\n"
        ));
        assert_eq!(headings(&c), vec!["16:05 Uhr", "4:14 p.m."]);
        assert_eq!(paragraphs(&c), vec![P1, P2, P1]);
        // Under a line that introduces the entries, the first time is an
        // entry's too.
        let intro = "Die wichtigsten Entwicklungen des Tages im Überblick, die neuesten zuerst:";
        let c = run(&format!(
            "Titel des Artikels\n{intro}\n10 p.m.\n{P1}\n4:14 p.m.\n{P2}\n"
        ));
        assert_eq!(headings(&c), vec!["10 p.m.", "4:14 p.m."]);
        assert!(paragraphs(&c).ends_with(&[P1, P2]), "{:?}", c.blocks);
        let c = run(&format!("Titel des Artikels\n{P1}\n16:05 Uhr\n{P2}\n"));
        assert!(headings(&c).is_empty(), "{:?}", c.blocks);
        assert_eq!(paragraphs(&c), vec![P1, P2]);
    }

    #[test]
    fn date_lines_give_the_date() {
        let c = run(&format!("Titel des Artikels\nStand: 28.04.2020 18:00 Uhr\n{P1}\n"));
        assert_eq!(c.text_date.unwrap().to_string(), "2020-04-28 18:00:00");
        assert_eq!(paragraphs(&c), vec![P1]);
        let c = run(&format!("Titel des Artikels\n2019年3月15日 10:30\n{P1}\n"));
        assert_eq!(c.text_date.unwrap().to_string(), "2019-03-15 10:30:00");
        assert_eq!(paragraphs(&c), vec![P1]);
    }

    #[test]
    fn a_date_line_under_the_article_gives_the_date() {
        let c = run(&format!(
            "Titel des Artikels\n{P1}\n{P2}\n{P1}\n{P2}\n{P1}\n{P2}\nStand: 28.04.2020 18:00 Uhr\n"
        ));
        assert_eq!(c.text_date.unwrap().to_string(), "2020-04-28 18:00:00");
        let c = run(&format!(
            "Titel des Artikels\n31.10.2023\n{P1}\n{P2}\n{P1}\n{P2}\n{P1}\nStand: 28.04.2020\n"
        ));
        assert_eq!(c.text_date.unwrap().to_string(), "2023-10-31 00:00:00", "the top wins");
    }

    #[test]
    fn figures_without_a_date_stay() {
        let c = run(&format!(
            "Titel des Artikels\n{P1}\n2/5\n25,7 20,8 14,8\n24,1 19,9 15,2\n5.000 €\n{P2}\nStand: 28.04.2020\n"
        ));
        for row in ["25,7 20,8 14,8", "24,1 19,9 15,2", "5.000 €"] {
            assert!(paragraphs(&c).contains(&row), "{row}: {:?}", c.blocks);
        }
        // The gallery's counter goes, and the date under the article.
        let rule = |text: &str| c.dropped.iter().find(|d| d.text == text).map(|d| d.rule.as_str());
        assert_eq!(rule("2/5"), Some("widget"));
        assert_eq!(rule("Stand: 28.04.2020"), Some("date_line"));
    }

    /// A share bar's buttons, each on a line of its own, go; a sentence
    /// that opens the same way stays.
    #[test]
    fn a_share_bars_buttons_go() {
        let c = run(&format!(
            "Titel des Artikels\n{P1}\nTweet this\nLink this\nDigg this\nReprints\n{P2}\nLike this story, the council's vote came late.\n"
        ));
        let rule = |text: &str| c.dropped.iter().find(|d| d.text == text).map(|d| d.rule.as_str());
        for line in ["Tweet this", "Link this", "Digg this", "Reprints"] {
            assert_eq!(rule(line), Some("widget"), "{line}: {:?}", c.blocks);
        }
        assert_eq!(
            paragraphs(&c),
            vec![P1, P2, "Like this story, the council's vote came late."]
        );
    }

    #[test]
    fn a_gallerys_controls_go() {
        let c = run(&format!(
            "Titel des Artikels\nToggle navigation\n{P1}\nAlle Bilder anzeigen\n1 von 17\n\
             Der Kuchen braucht eine Stunde im Ofen.\nBild schließen\n2 von 17\n{P2}\n×Schließen\n6 aus 49\n\
             Zwei von drei Befragten sagen: 2 von 3 Stimmen reichen nicht.\n"
        ));
        let rule = |text: &str| c.dropped.iter().find(|d| d.text == text).map(|d| d.rule.as_str());
        for line in [
            "Toggle navigation",
            "Alle Bilder anzeigen",
            "1 von 17",
            "Bild schließen",
            "2 von 17",
            "×Schließen",
        ] {
            assert_eq!(rule(line), Some("widget"), "{line}: {:?}", c.blocks);
        }
        // The slides' text stays, a sentence that counts, and a lottery's
        // name as a subheading.
        assert_eq!(headings(&c), vec!["6 aus 49"]);
        for line in [
            "Der Kuchen braucht eine Stunde im Ofen.",
            "Zwei von drei Befragten sagen: 2 von 3 Stimmen reichen nicht.",
        ] {
            assert!(paragraphs(&c).contains(&line), "{line}: {:?}", c.blocks);
        }
    }

    #[test]
    fn photo_credits_and_captions_go() {
        let c = run(&format!(
            "Titel des Artikels\n{P1}\nFoto: Maria Beispiel/dpa\nEin Bild vom Ort. Foto: Ingo Muster\nRubrikbild: © Beispiel/dpa\n{P2}\n"
        ));
        assert_eq!(paragraphs(&c), vec![P1, P2]);
    }

    #[test]
    fn embedded_post_becomes_a_quote() {
        let c = run(&format!(
            "Titel des Artikels\n{P1}\nSo schön, dass es weitergeht!\n— Jane Example (@janeexample) May 2, 2020\n{P2}\n"
        ));
        assert_eq!(
            c.blocks[1],
            Block::Quote(vec![
                "So schön, dass es weitergeht!".into(),
                "— Jane Example (@janeexample) May 2, 2020".into()
            ])
        );
    }

    #[test]
    fn tables_stay_tables_and_layout_tables_become_text() {
        let c = run(&format!(
            "Titel des Artikels\n{P1}\n| Team | Punkte |\n| Nord \\| Süd | 12 |\n|  |  |\n| Ost | 9 |\n{P2}\n|  | {P1} |\n|  |  |\n"
        ));
        assert_eq!(
            c.blocks,
            vec![
                Block::Paragraph(P1.into()),
                Block::Table(vec![
                    vec!["Team".into(), "Punkte".into()],
                    vec!["Nord | Süd".into(), "12".into()],
                    vec!["Ost".into(), "9".into()],
                ]),
                Block::Paragraph(P2.into()),
                Block::Paragraph(P1.into()),
            ]
        );
        assert!(c.dropped.iter().all(|d| d.rule == "empty_table_row"));
    }

    #[test]
    fn list_items_make_a_list() {
        let c = run(&format!(
            "Titel des Artikels\n{P1}\n- Erstens das\n- Zweitens jenes\n{P2}\n"
        ));
        assert_eq!(
            c.blocks[1],
            Block::List(vec!["Erstens das".into(), "Zweitens jenes".into()])
        );
    }

    #[test]
    fn short_lines_in_a_row_are_a_list_unless_they_close_the_article() {
        let names = "Anna Beispiel\nBerta Muster\nCarla Probe\n";
        let c = run(&format!("Titel des Artikels\n{P1}\n{names}{P2}\n"));
        assert_eq!(
            paragraphs(&c),
            vec![P1, "Anna Beispiel", "Berta Muster", "Carla Probe", P2]
        );
        let c = run(&format!("Titel des Artikels\n{P1}\n{P2}\n{names}"));
        assert_eq!(paragraphs(&c), vec![P1, P2]);
        // Two: a link to another article, then the subheading.
        let c = run(&format!(
            "Titel des Artikels\n{P1}\nAnderer Artikel zum Thema hier\nDie Zwischenzeile\n{P2}\n"
        ));
        assert_eq!(headings(&c), vec!["Die Zwischenzeile"]);
        assert_eq!(paragraphs(&c), vec![P1, P2]);
        // A block with one glued kicker and headline is all links.
        let c = run(&format!(
            "Titel des Artikels\n{P1}\nErster Link ohne Punkt\nZweiter Link ohne Punkt\nStreit im Rat Die Fraktionen einigen sich nicht\n{P2}\n"
        ));
        assert_eq!(paragraphs(&c), vec![P1, P2]);
    }

    #[test]
    fn the_standfirst_is_kept_and_a_rubric_is_not() {
        let c = run(&format!(
            "Titel des Artikels\nPolitik\nDer Rat vertagt die Entscheidung erneut\n{P1}\n"
        ));
        assert_eq!(c.standfirst.as_deref(), Some("Der Rat vertagt die Entscheidung erneut"));
        assert_eq!(paragraphs(&c), vec![P1]);
        // A sentence above the body is its first paragraph.
        let c = run(&format!("Titel des Artikels\nDrei Menschen verletzt.\n{P1}\n"));
        assert_eq!(paragraphs(&c), vec!["Drei Menschen verletzt.", P1]);
    }

    #[test]
    fn lines_are_joined_only_in_a_wrapped_text() {
        // One paragraph a line: a long line without its full stop is a link.
        let link = "Anderes Thema: Der Rat tagt. Die Opposition will den Beschluss prüfen lassen wegen Fehlern";
        let c = run(&format!("Titel des Artikels\n{P1}\n{link}\nDie Zwischenzeile\n{P2}\n"));
        assert_eq!(paragraphs(&c), vec![P1, link, P2]);
        // Wrapped at about 50 characters: the same break is a wrap.
        let wrapped = "Der Gemeinderat hat am Montag lange beraten, und\nam Ende stand ein knappes Ergebnis. Die Kritik der\nOpposition richtet sich gegen das Verfahren, weil\nsie nicht gehört worden sei.";
        let c = run(&format!("Titel des Artikels\n{wrapped}\n"));
        assert_eq!(paragraphs(&c).len(), 1, "{:?}", paragraphs(&c));
    }

    /// A recipe's name and the label of its list are headings; a link to
    /// another article over a subheading and text still goes.
    #[test]
    fn two_short_lines_over_a_list_are_its_headings() {
        let c = run(&format!(
            "Titel des Artikels\n{P1}\nApfelkuchen nach altem Rezept\nZutaten\n- 200 g Mehl\n- drei Eier\n{P2}\n"
        ));
        assert_eq!(
            headings(&c),
            vec!["Apfelkuchen nach altem Rezept", "Zutaten"],
            "{:?}",
            c.dropped
        );
        let c = run(&format!(
            "Titel des Artikels\n{P1}\nNeue Regeln für Mieter ab Mai\nZutaten\n{P2}\n"
        ));
        assert_eq!(headings(&c), vec!["Zutaten"]);
        assert!(dropped_as(&c, "teaser", "Neue Regeln für Mieter ab Mai"));
    }

    #[test]
    fn glued_teaser_is_dropped() {
        let c = run(&format!(
            "Titel des Artikels\n{P1}\nNeue Standards für den Schutz am Arbeitsplatz Diese Regeln müssen Betriebe jetzt beachten\n{P2}\n"
        ));
        assert_eq!(paragraphs(&c), vec![P1, P2]);
    }

    /// An article of `n` paragraphs in the reporter's voice.
    fn article(n: usize) -> String {
        (0..n)
            .map(|k| format!("Im Abschnitt {k} berichtet der Rat über den Haushalt. {P1} {P2}\n"))
            .collect()
    }

    #[test]
    fn reader_comments_without_a_marker_are_dropped() {
        let comments = [
            "selber schuld, wer das nicht vorher geprüft hat.",
            "Vielen Dank für den Artikel und die gründliche Recherche!",
            "@Leserin: Das sehe ich anders,aber gut.",
            "Meines Erachtens hätte der Rat früher handeln müssen.",
            "Hallo zusammen,",
            "hat jemand schon Erfahrungen mit dem Amt gemacht? ;-)",
            "Grüße",
        ];
        let text = format!("Titel des Artikels\n{}{}\n", article(6), comments.join("\n"));
        let c = run(&text);
        assert_eq!(paragraphs(&c).len(), 6, "{:?}", paragraphs(&c));
        assert_eq!(
            c.dropped.iter().filter(|d| d.rule == "reader_comments").count(),
            comments.len()
        );
    }

    /// A thread of replies in prose, with few greetings or thanks, that
    /// repeats a comment it answers: it starts where that comment first
    /// stands, and the reader-voiced line just above joins it.
    #[test]
    fn a_comment_thread_in_prose_starts_at_the_comment_a_reply_repeats() {
        let first = "selber schuld, wer die Gebühren nicht vorher gelesen hat,das steht doch überall.";
        let thread = [
            first,
            "Aber Herr M., Sie müssen hier nicht so tun, als hätte der Rat keine Wahl gehabt.",
            "Der Haushalt ist seit Jahren zu knapp, und die Stadt hat nichts daraus gelernt.",
            "Mir scheint, hier werden zwei verschiedene Dinge miteinander verwechselt.",
            "Die Kosten für den Umbau wurden schon vor zwei Jahren falsch geschätzt.",
            "Der Bauausschuss hat die Zahlen damals auch nicht geprüft, das weiß jeder.",
            "Ich bleibe dabei, das Verfahren ist zu teuer und zu langsam für alle.",
            first,
            "Nein, das stimmt so nicht. Der Rat hat die Zahlen offen gelegt.",
            "Vielen Dank für den Artikel und die gründliche Recherche!",
            "@Leserin: Das sehe ich anders,aber gut.",
            "Grüße",
        ];
        let text = format!("Titel des Artikels\n{}{}\n", article(6), thread.join("\n"));
        let c = run(&text);
        assert_eq!(paragraphs(&c).len(), 6, "{:?}", paragraphs(&c));
        // Without the repeat, the prose of the thread reads like the article.
        let text = format!("Titel des Artikels\n{}{}\n", article(6), thread[1..].join("\n"));
        assert!(paragraphs(&run(&text)).len() > 6);
    }

    /// One comment after the article: it speaks as a reader and in the
    /// first person, which the article never does outside its quotations.
    #[test]
    fn a_single_closing_comment_speaks_in_a_voice_the_article_never_uses() {
        let comment = "Jetzt zahlen wir den Preis für das Wachstum ohne Rücksicht. Hoffe, es wird danach nie wieder so wie vorher.";
        let quoted = "«Wir sehen hier ein Muster», sagt die Forscherin aus Zürich.";
        let text = format!("Titel des Artikels\n{}{quoted}\n{comment}\n", article(6));
        let c = run(&text);
        assert_eq!(c.dropped.iter().filter(|d| d.rule == "reader_comments").count(), 1);
        assert_eq!(paragraphs(&c).len(), 7);
        // A column speaking in the first person all through keeps its end.
        let column = format!(
            "{}Wir haben im Rat oft darüber gestritten, und ich war dabei.\n",
            article(6)
        );
        let text = format!("Titel des Artikels\n{column}{comment}\n");
        assert_eq!(paragraphs(&run(&text)).len(), 8);
        // So does a blog post ending on its author's opinion.
        let text = format!(
            "Titel des Artikels\n{}Meiner Meinung nach hat jede Sache einen Grund, und jeder hat sein Recht.\n",
            article(6)
        );
        assert_eq!(paragraphs(&run(&text)).len(), 7);
        // And an article whose closing line is in the first person but
        // not in a reader's voice.
        let text = format!(
            "Titel des Artikels\n{}Wir haben beim Rat nachgefragt und noch keine Antwort erhalten.\n",
            article(6)
        );
        assert_eq!(paragraphs(&run(&text)).len(), 7);
    }

    #[test]
    fn an_article_quoting_opinions_or_ending_in_a_list_keeps_its_end() {
        // Quoted first-person opinions are the article's sources.
        let quotes = [
            "\"I think the council moved too late,\" says one resident.",
            "\"Ich glaube, das war ein Fehler\", sagt die Sprecherin.",
            "„Ich denke, wir schaffen das“, sagt der Bürgermeister.",
        ];
        let text = format!("Titel des Artikels\n{}{}\n", article(6), quotes.join("\n"));
        assert_eq!(paragraphs(&run(&text)).len(), 9);
        // Lettered points of a ruling start in lower case.
        let points = [
            "a) Der Kläger ist Urheber der Bilder.",
            "b) Die Beklagte haftet.",
            "c) Die Höhe ist unstreitig.",
        ];
        let text = format!("Titel des Artikels\n{}{}\n", article(6), points.join("\n"));
        assert!(run(&text).dropped.iter().all(|d| d.rule != "reader_comments"));
        // A text in the voice of a blog all through is not cut anywhere.
        let blog: String = (0..8)
            .map(|k| format!("Ich finde, Teil {k} war der beste. Danke für den Artikel!\n"))
            .collect();
        let text = format!("Titel des Artikels\n{blog}{}", article(2));
        assert!(run(&text).dropped.iter().all(|d| d.rule != "reader_comments"));
    }

    #[test]
    fn embed_notices_appeals_promos_and_agency_credits_are_dropped() {
        let chrome = [
            "Externer Inhalt nicht verfügbar",
            "Ein Klick für den Datenschutz: Erst wenn Sie hier klicken, wird das Video geladen.",
            "Link zum YouTube-Inhalt",
            "This content is not available in your region.",
            "Melden Sie sich jetzt für unseren kostenlosen Newsletter an.",
            "Sign up for our morning newsletter and get the news in your inbox.",
            "Unterstützen Sie unseren unabhängigen Journalismus mit einem Beitrag ab 5 Euro.",
            "If you value our reporting, please consider supporting us with a donation.",
            "Laden Sie unsere App für iOS und Android herunter.",
            "Max Muster/Getty Images",
            "STR/AFP",
            "Foto: Erika Beispiel/dpa",
            // A newsletter box's own messages and share appeals.
            "Thanks for signing up!",
            "Keep an eye on your inbox for the latest news from the county.",
            "Sorry! There was an error processing your subscription.",
            "Get the morning's top headlines delivered to your inbox every day.",
            "Like this story? Share it with a friend!",
            // Related-article labels, with the dots of a widget.
            "You may also like...",
            "Also on example.com Council approves the new bridge over the river",
            // Affiliate disclosures.
            "If you buy something through our links, Example News may earn a commission.",
            "Disclosure: The site may earn a commission from products featured on this page.",
            "Bei Käufen über einen Partnerlink erhalten wir eine kleine Provision.",
            "Our reviews are independent. We may receive compensation when you click on links to products.",
            "Stand: 3. März / Bei den Verlinkungen handelt es sich um Affiliate-Links / Preise vom Händler",
            // A wire service's footer, a table's liability note, a table of
            // contents' label (its entries are the page's own subheadings).
            "Our Standards: The Thomson Reuters Trust Principles.",
            "(Alle Angaben ohne Gewähr)",
            "Inhaltsverzeichnis",
            "Table of contents",
        ];
        let mut text = format!("Titel des Artikels\n{P1}\n");
        for line in chrome {
            text += &format!("{line}\n{P2}\n");
        }
        let c = run(&text);
        let kept: Vec<&str> = paragraphs(&c).into_iter().filter(|p| *p != P2).collect();
        assert_eq!(kept, vec![P1]);
        // Nor does a short one stay as a subheading.
        assert_eq!(headings(&c), Vec::<&str>::new());
    }

    /// The same words in running text stay: a pattern matches what a
    /// widget says, not a topic.
    #[test]
    fn articles_about_newsletters_and_commissions_stay() {
        let body = [
            "The council sent its newsletter to every household in the county last week.",
            "Brokers earn a commission on every sale, the regulator said on Monday.",
            "Der Verband fordert, dass Vermittler keine Provision mehr erhalten dürfen.",
            "We get compensation for the flood damage only when the insurer pays, the farmers said.",
            "Die Behörde veröffentlichte alle Angaben ohne Gewähr auf ihrer Website.",
        ];
        let c = run(&format!("Titel des Artikels\n{P1}\n{}\n", body.join("\n")));
        assert_eq!(paragraphs(&c)[1..], body, "{:?}", c.dropped);
    }

    #[test]
    fn click_to_tweet_is_cut_and_the_sentence_stays() {
        let c = run(&format!(
            "Titel des Artikels\n{P1}\nEvery business lives in its own time and place.Click To Tweet\n"
        ));
        assert_eq!(paragraphs(&c)[1], "Every business lives in its own time and place.");
    }

    #[test]
    fn shouted_links_go_and_shouted_questions_stay() {
        let text = format!(
            "Titel des Artikels\n{P1}\nWHO WILL WIN THE VOTE?\n{P2}\nMAYOR SAYS NEW PARK WILL OPEN NEXT SPRING AFTER DELAYS\nCITY COUNCIL APPROVES BUDGET IN LATE NIGHT SESSION\n{P1}\n"
        );
        let c = run(&text);
        assert!(c.full_text().contains("WHO WILL WIN THE VOTE?"), "{:?}", c.dropped);
        assert_eq!(
            c.dropped.iter().filter(|d| d.rule == "related_link").count(),
            2,
            "{:?}",
            c.dropped
        );
    }

    #[test]
    fn a_headline_repeated_after_a_kicker_is_no_paragraph() {
        let c = run(&format!(
            "Gemeinderat stoppt den Windpark\nStreit im Rathaus: Gemeinderat stoppt den Windpark\n{P1}\n{P2}\n"
        ));
        assert_eq!(c.kicker.as_deref(), Some("Streit im Rathaus"), "{:?}", c.dropped);
        assert_eq!(paragraphs(&c), vec![P1, P2]);
        assert!(c.standfirst.is_none());
    }

    #[test]
    fn a_teaser_above_a_paywall_notice_is_a_stub() {
        let stub = "Titel des Artikels\nDer Rat hat entschieden.\nDer Volltext dieses Artikels steht Ihnen leider nicht mehr zur Verfügung.\n";
        let c = run(stub);
        assert!(c.paywall_stub().is_some(), "{:?}", c.dropped);
        let full = format!(
            "Titel des Artikels\n{}Den vollständigen Artikel lesen Sie exklusiv mit unserem Abo.\n",
            article(4)
        );
        let c = run(&full);
        assert!(c.dropped.iter().any(|d| d.rule == "paywall"), "{:?}", c.dropped);
        assert!(c.paywall_stub().is_none());
    }

    /// A title that is chrome, the site's name or a lower-case word gives way
    /// to the address's words when the text bears them out.
    #[test]
    fn a_title_that_names_no_article_gives_way_to_the_address() {
        let clean_at = |title: &str, url: &str| {
            let lines =
                normalize::numbered_lines(&format!("{P1}\nMalaga ist die quirlige Metropole Andalusiens. {P2}\n"));
            clean(title, lines, &["www.dimidoblog.de"], Some(url), Patterns::built_in())
        };
        let url = "https://www.dimidoblog.de/2019/malaga-die-quirlige-metropole-1234567.html";
        // A generic term, the site's name, a lower-case CMS name.
        for chrome in ["Allgemein", "DimidoBlog", "escenic"] {
            assert_eq!(clean_at(chrome, url).title, "Malaga die quirlige Metropole", "{chrome}");
        }
        // A title the address spells stays, even shaped like chrome.
        let embed = "https://www.dimidoblog.de/2019/video-malaga-die-quirlige-metropole";
        assert_eq!(
            clean_at("VIDEO: Malaga, die quirlige Metropole", embed).title,
            "VIDEO: Malaga, die quirlige Metropole"
        );
        // A real title stays; so does chrome when the address names nothing.
        assert_eq!(clean_at("Urlaub am Meer", url).title, "Urlaub am Meer");
        assert_eq!(
            clean_at("Allgemein", "https://www.dimidoblog.de/?p=123").title,
            "Allgemein"
        );
        // A lower-case word does not give way to a line of the text.
        let c = run(&format!("micropolitics\nDer Windpark kommt doch\n{P1}\n{P2}\n"));
        assert_eq!(c.title, "micropolitics");
    }

    /// A comment form's heading or a section's name as the page title: the
    /// headline is the body's first line. A real headline stays, and so does
    /// a chrome title over a body that opens with a sentence.
    #[test]
    fn a_chrome_title_gives_way_to_the_first_line() {
        for chrome in [
            "Leave a Reply Cancel reply",
            "Schreibe einen Kommentar Antworten abbrechen",
            "Aktuelles",
            "Join the Discussion Cancel reply",
            "Get Example in your inbox.",
            "EXAMPLE Example Logo",
            "Latest in Gear",
        ] {
            let c = run(&format!("{chrome}\nDer Windpark kommt doch\n{P1}\n{P2}\n"));
            assert_eq!(c.title, "Der Windpark kommt doch", "{chrome}");
            assert_eq!(paragraphs(&c), vec![P1, P2], "{chrome}");
        }
        let c = run(&format!("Der Windpark kommt doch\n{P1}\n{P2}\n"));
        assert_eq!(c.title, "Der Windpark kommt doch");
        // A logo's words are capitalised; a headline about one is not.
        let c = run(&format!("Das neue Logo\n{P1}\n{P2}\n"));
        assert_eq!(c.title, "Das neue Logo");
        // A separable verb particle ends a German headline.
        let c = run(&format!("Aktuelles\nDie Stadt kündigt den Umbau an\n{P1}\n{P2}\n"));
        assert_eq!(c.title, "Die Stadt kündigt den Umbau an");
        // A date line, two sentences, a line cut short (its date lost), a
        // shouted promo, a line that introduces what follows are no
        // headline either.
        for first in [
            "11.09.2021, 16:20 von anna",
            "Diese Seite wird nicht mehr gepflegt, die Meldungen finden Sie hier:",
            "Warum das? Es ist einfach so gekommen!",
            "Gespeichert von anna am",
            "Ein Bericht über die Folgen der",
            "KLICKEN SIE HIER FÜR ALLE ERGEBNISSE",
        ] {
            let c = run(&format!("Gefällt mir\n{first}\n{P1}\n{P2}\n"));
            assert_eq!(c.title, "Gefällt mir", "{first}");
        }
        // A headline in a script without case is no shouting.
        let c = run(&format!(
            "Aktuelles\n엘제이의 리벤지인가, 류화영의 코스프레인가\n{P1}\n{P2}\n"
        ));
        assert_eq!(c.title, "엘제이의 리벤지인가, 류화영의 코스프레인가");
        let c = run(&format!("Aktuelles\n{P1}\n{P2}\n"));
        assert_eq!(c.title, "Aktuelles");
        assert_eq!(paragraphs(&c), vec![P1, P2]);
    }

    /// An input without a title takes its headline from its first line,
    /// and when that is a sentence of the body, from its first sentence,
    /// which stays in the body.
    #[test]
    fn a_missing_title_is_taken_from_the_text() {
        let untitled = |text: &str| clean("", normalize::numbered_lines(text), &[], None, Patterns::built_in());
        let c = untitled(&format!("Gemeinderat ringt um Ergebnis\n{P1}\n{P2}\n"));
        assert_eq!(c.title, "Gemeinderat ringt um Ergebnis");
        assert_eq!(paragraphs(&c), vec![P1, P2]);
        // A first line the story does not bear out is a label or an appeal
        // above it, and a line of dates names nothing; the story's first
        // sentence stands in, and the line stays where it was.
        for above in ["Bitte unterstützen Sie lokale Geschäfte!", "Sonntag, 20. Januar"] {
            let c = untitled(&format!("{above}\n{P1}\n{P2}\n"));
            assert_eq!(c.title, "Der Gemeinderat hat am Montag lange beraten", "{above}");
        }
        // On a page laid out in a table, the headline is the cell above the
        // story, past the page's labels and date lines.
        let c = untitled(&format!(
            "| Nachrichten aus aller Welt | |\n| Sonntag, 20. Januar | |\n| Gemeinderat ringt um Ergebnis | |\n| {P1} | |\n| {P2} | |\n"
        ));
        assert_eq!(
            c.title, "Gemeinderat ringt um Ergebnis",
            "{:?} {:?}",
            c.blocks, c.dropped
        );
        // A blog entry's hour is not part of its headline.
        let c = untitled(&format!(
            "| Menü | |\n| 3:59 PM Gemeinderat ringt um Ergebnis | |\n| {P1} | |\n"
        ));
        assert_eq!(
            c.title, "Gemeinderat ringt um Ergebnis",
            "{:?} {:?}",
            c.blocks, c.dropped
        );
        let c = untitled(&format!("{P1}\n{P2}\n"));
        let first = P1.split(". ").next().unwrap();
        assert!(first.chars().count() <= title::STAND_IN_CHARS, "{first}");
        assert_eq!(c.title, first);
        assert_eq!(paragraphs(&c), vec![P1, P2]);
        // An abbreviation ends no sentence.
        let c = untitled(&format!(
            "Mardi 15 janvier 2008 - No. 16400 Le Conseil a voté. Puis rien.\n{P1}\n"
        ));
        assert_eq!(c.title, "Mardi 15 janvier 2008 - No. 16400 Le Conseil a voté");
        let long = format!("{}und so weiter.", "Ein Satz ohne Ende ".repeat(10));
        let c = untitled(&format!("{long}\n{P1}\n"));
        assert!(
            c.title.ends_with('…') && c.title.chars().count() <= title::STAND_IN_CHARS,
            "{}",
            c.title
        );
        assert_eq!(paragraphs(&c), vec![long.as_str(), P1]);
        // A page laid out in a table: no line repeats a title it lacks, and
        // its cells give one.
        let c = untitled(&format!(
            "| Kurzmeldungen |\n| Stadt plant Windpark | |\n| {P1} | Der Windpark im Modell |\n| {P2} | |\n"
        ));
        assert!(
            c.dropped.iter().all(|d| d.rule != "repeated_headline"),
            "{:?}",
            c.dropped
        );
        assert_eq!(c.title, "Stadt plant Windpark");
        // A script without spaces or case has words all the same.
        let c = untitled(&format!(
            "| 宇航员在太空中喝酒会怎么样 | |\n| {P1} | Der Windpark im Modell |\n"
        ));
        assert_eq!(c.title, "宇航员在太空中喝酒会怎么样");
        // The page's own labels are passed over.
        let c = untitled(&format!(
            "| Home Page |\n| HOME RSS FEEDS SEARCH | |\n| {P1} | Der Windpark im Modell |\n"
        ));
        assert_eq!(c.title, P1.split(". ").next().unwrap());
    }
}
