//! Lines told by their shape once chrome is gone: tables, lists, subheadings,
//! teasers; and the Markdown blocks they become.

use super::*;

/// `1. Define the goal`, `2) Save`: a step of a numbered text, not a date
/// (`20. März`) under another article's headline.
fn is_numbered_step(line: &str) -> bool {
    let mut words = line.split_whitespace();
    let number = words.next().unwrap_or("");
    let digits = number.trim_end_matches(['.', ')']);
    (1..=2).contains(&digits.len())
        && number.len() == digits.len() + 1
        && digits.chars().all(|c| c.is_ascii_digit())
        && words
            .next()
            .is_some_and(|w| w.starts_with(char::is_alphabetic) && !crate::import::text_dates::is_month(w))
}

pub(super) fn is_list_item(line: &str) -> bool {
    line.starts_with("- ") || line.starts_with("• ") || line.starts_with("* ") || line.starts_with("– ")
}

/// A list item's text without its marker.
pub(super) fn item_text(line: &str) -> &str {
    line.split_once(' ').map_or(line, |(_, rest)| rest.trim_start())
}

/// The cells of a table row as extractors write it (`| a | b \| c |`), with
/// escaped bars unescaped; `None` for a line that is not a row.
pub(super) fn table_cells(line: &str) -> Option<Vec<String>> {
    let inner = line.strip_prefix('|')?.strip_suffix('|')?;
    if line.len() < 2 {
        return None;
    }
    let mut cells = Vec::new();
    let mut current = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                current.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut current).trim().to_string()),
            _ => current.push(c),
        }
    }
    cells.push(current.trim().to_string());
    Some(cells)
}

impl State<'_> {
    /// Table rows (`| a | b |`). A run of rows with at most one filled cell
    /// each is a page laid out in a table, not a table: its cells become
    /// plain lines for the other rules. Rows with nothing in them go.
    pub(super) fn table_rows(&mut self) {
        let mut i = 0;
        while i < self.lines.len() {
            let start = i;
            let mut rows = Vec::new();
            while i < self.lines.len() {
                let Some(cells) = table_cells(&self.lines[i].text) else {
                    break;
                };
                rows.push(cells);
                i += 1;
            }
            if rows.is_empty() {
                i += 1;
                continue;
            }
            let layout = rows.iter().all(|r| r.iter().filter(|c| !c.is_empty()).count() <= 1);
            for (k, cells) in rows.into_iter().enumerate() {
                let filled: Vec<&String> = cells.iter().filter(|c| !c.is_empty()).collect();
                if filled.is_empty() {
                    self.drop(start + k, "empty_table_row");
                } else if layout {
                    self.lines[start + k].text = filled[0].clone();
                } else {
                    self.lines[start + k].row = Some(cells);
                }
            }
        }
    }

    /// A line of at most 20 words that ends without a full stop, in which a
    /// capitalised function word follows a word without punctuation: a teaser
    /// whose kicker and headline were glued with a space (`Ethik-Kommission
    /// eingesetzt Welche Entscheidungen …?`). In running German text a `Die`
    /// or `Welche` after a lower-case word needs punctuation before it.
    pub(super) fn is_glued_teaser(&self, line: &str) -> bool {
        let words: Vec<&str> = line.split_whitespace().collect();
        let ending = line.trim_end_matches(['"', '“', '”', '»', '«', ')']);
        words.len() <= 20
            && !ending.ends_with(['.', '!', '…', ':'])
            && words.windows(2).skip(1).any(|w| {
                let last = w[0].chars().last();
                let glued = last.is_some_and(char::is_lowercase)
                    || (matches!(last, Some('"' | '“' | '”')) && w[0].chars().count() > 2);
                glued && self.patterns.is_glued_teaser_word(w[1])
            })
    }

    /// Lines recognised by their shape, turned into blocks.
    ///
    /// Above the body's first paragraph, a sentence or a phrase of four
    /// words or more is the standfirst, kept beside the body (the summary,
    /// which the article page shows under the headline); a shorter line
    /// there is a rubric. In the body, a short line followed by text is a
    /// subheading; three or more short lines in a row with text after them
    /// are a list of their own (results, names, steps) and stay as they are;
    /// of two, the first is a link to another article and the second the
    /// subheading, unless the second is a numbered step or introduces what
    /// follows (`We see three risks:`), or a list or table comes next
    /// (a recipe's name over `Ingredients`), or the body has two such pairs
    /// or more (sections with subsections, names over roles), which makes
    /// the first a heading. Short lines after the last paragraph are teasers of other
    /// articles. A sentence of five words or more that ends in a colon is
    /// no teaser: it introduces what stood after it on the page (a post, a
    /// picture, a command), and stays when extraction lost that. `- item`
    /// lines make a list, table rows a table, a live report's time stamps
    /// headings.
    pub(super) fn by_shape(&mut self) -> Vec<Block> {
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        enum Shape {
            Prose,
            Short,
            Intro,
            Item,
            Row,
            Attribution,
            Teaser,
            Stamp,
        }
        let kept = self.kept_indices();
        let shapes: Vec<Shape> = kept
            .iter()
            .map(|&i| {
                let text = &self.lines[i].text;
                if self.lines[i].row.is_some() {
                    Shape::Row
                } else if self.lines[i].stamp {
                    Shape::Stamp
                } else if self.is_glued_teaser(text) {
                    Shape::Teaser
                } else if is_post_attribution(text) {
                    Shape::Attribution
                } else if is_list_item(text) {
                    Shape::Item
                } else if is_sentence_end(text) || has_inner_sentence_end(text) || word_count(text) > MAX_HEADING_WORDS
                {
                    Shape::Prose
                } else if text.ends_with(':') {
                    Shape::Intro
                } else {
                    Shape::Short
                }
            })
            .collect();
        let is_body = |s: Shape| matches!(s, Shape::Prose | Shape::Item | Shape::Row | Shape::Attribution);
        // What follows a subheading in the body, never another article's
        // headline: a sentence that introduces what comes after it, or a
        // numbered step.
        let opens_section = |text: &str, shape: Shape| shape == Shape::Intro || is_numbered_step(text);
        let body_starts = shapes
            .iter()
            .zip(&kept)
            .position(|(s, &i)| {
                matches!(s, Shape::Item | Shape::Row) || (*s == Shape::Prose && word_count(&self.lines[i].text) > 6)
            })
            .or_else(|| shapes.iter().position(|s| *s == Shape::Prose));
        let last_body = shapes.iter().rposition(|&s| is_body(s));
        // Two short lines alone between paragraphs: a section's heading and
        // its first subsection's (`Physical characteristics` / `Regolith`),
        // a name over a role (`Eric Lascelles` / `Chief economist, …`), or
        // another article's kicker and headline. Once is a link; twice or
        // more in one body is how the page is built (its first lines of one
        // word excepted, below).
        let pair_at = |k: usize| {
            let short = |j: usize| shapes.get(j) == Some(&Shape::Short);
            short(k)
                && short(k + 1)
                && !short(k + 2)
                && shapes.get(k + 2).is_some_and(|&s| is_body(s))
                && k.checked_sub(1).is_some_and(|p| is_body(shapes[p]))
        };
        // A heading alone between paragraphs shows the page's sections too:
        // one pair beside two of them is a section over its subsection,
        // unless a line dropped right above it (`Weiterlesen:`) labels it,
        // or its first line is longer than the sections' headings or has a
        // kicker (`Meisterfeier vertagt: Stuttgart verliert`): that is
        // another article's headline.
        let single_at = |k: usize| {
            shapes[k] == Shape::Short
                && shapes.get(k + 1).is_some_and(|&s| is_body(s))
                && k.checked_sub(1).is_some_and(|p| is_body(shapes[p]))
        };
        let pairs: Vec<usize> = (0..kept.len()).filter(|&k| pair_at(k)).collect();
        let singles: Vec<usize> = (0..kept.len()).filter(|&k| single_at(k)).collect();
        let longest_single = singles.iter().map(|&k| word_count(&self.lines[kept[k]].text)).max();
        let section_over_subsection = |k: usize| {
            let first = &self.lines[kept[k]].text;
            kept[k - 1] + 1 == kept[k]
                && !first.contains(": ")
                && longest_single.is_some_and(|w| word_count(first) <= w)
        };
        let pairs_are_headings =
            pairs.len() >= 2 || (singles.len() >= 2 && matches!(pairs[..], [k] if section_over_subsection(k)));
        let mut blocks = Vec::new();
        let mut k = 0;
        while k < kept.len() {
            let i = kept[k];
            let text = self.lines[i].text.clone();
            match shapes[k] {
                Shape::Prose => blocks.push(Block::Paragraph(text)),
                Shape::Stamp => blocks.push(Block::Heading(text)),
                Shape::Item => {
                    let items: Vec<String> = (k..kept.len())
                        .take_while(|&j| shapes[j] == Shape::Item)
                        .map(|j| item_text(&self.lines[kept[j]].text).to_string())
                        .collect();
                    k += items.len();
                    blocks.push(Block::List(items));
                    continue;
                }
                Shape::Row => {
                    let rows: Vec<Vec<String>> = (k..kept.len())
                        .take_while(|&j| shapes[j] == Shape::Row)
                        .filter_map(|j| self.lines[kept[j]].row.clone())
                        .collect();
                    k += rows.len();
                    blocks.push(Block::Table(rows));
                    continue;
                }
                Shape::Attribution => match blocks.pop() {
                    Some(Block::Paragraph(post)) => blocks.push(Block::Quote(vec![post, text])),
                    other => {
                        blocks.extend(other);
                        blocks.push(Block::Quote(vec![text]));
                    }
                },
                Shape::Short | Shape::Intro | Shape::Teaser => {
                    let run = (k..kept.len())
                        .take_while(|&j| matches!(shapes[j], Shape::Short | Shape::Intro | Shape::Teaser))
                        .count();
                    // One glued kicker and headline marks the whole block as
                    // links to other articles.
                    if shapes[k..k + run].contains(&Shape::Teaser) {
                        for &i in &kept[k..k + run] {
                            self.drop(i, "teaser");
                        }
                        k += run;
                        continue;
                    }
                    let before_body = body_starts.is_none_or(|b| k < b);
                    let trailing = last_body.is_none_or(|l| k > l);
                    let next_is_body = shapes.get(k + run).is_some_and(|&s| is_body(s));
                    // Two short lines over a list or a table are its heading
                    // and its label (`Ingredients`), not a link and a heading:
                    // pages put other articles' links before text.
                    let over_list = run == 2
                        && shapes
                            .get(k + run)
                            .is_some_and(|&s| matches!(s, Shape::Item | Shape::Row));
                    // Numbered or dated lines are a list (results, tour
                    // dates, a top ten), also at the end of an article.
                    // An item's link may stand on the line under it.
                    let numbered_lines = kept[k..k + run]
                        .iter()
                        .filter(|&&i| starts_with_number_or_date(&self.lines[i].text))
                        .count();
                    let links = kept[k..k + run]
                        .iter()
                        .filter(|&&i| is_bare_link(&self.lines[i].text))
                        .count();
                    let numbered = numbered_lines > 0 && (numbered_lines + links) * 10 >= run * 8;
                    for j in k..k + run {
                        let i = kept[j];
                        let text = self.lines[i].text.clone();
                        let short = shapes[j] == Shape::Short;
                        let last = j + 1 == k + run;
                        if run >= 3 && (!trailing || numbered) {
                            blocks.push(Block::Paragraph(text));
                        } else if before_body {
                            // The standfirst stays out of the body: pages
                            // put a second headline in the same place.
                            if short && self.standfirst.is_none() && word_count(&text) >= 4 {
                                self.standfirst = Some(text);
                            } else {
                                self.drop(i, "subtitle");
                                self.above_body.push(text);
                            }
                        } else if !trailing
                            && !last
                            && (over_list || opens_section(&self.lines[kept[j + 1]].text, shapes[j + 1]))
                        {
                            // A heading over a numbered step or over the
                            // sentence that introduces a list.
                            match short && !is_bare_link(&text) {
                                true => blocks.push(Block::Heading(text)),
                                false => blocks.push(Block::Paragraph(text)),
                            }
                        } else if pairs_are_headings && pair_at(j) && !is_bare_link(&text) && word_count(&text) >= 2 {
                            // One word over a headline is a rubric or a
                            // source's name (`Gesundheit`, `[CNET]`) more
                            // often than a section: it stays a teaser's.
                            blocks.push(Block::Heading(text));
                        } else if shapes[j] == Shape::Intro && word_count(&text) >= 5 {
                            blocks.push(Block::Paragraph(text));
                        } else if trailing || !last || !next_is_body {
                            self.drop(i, "teaser");
                        } else if short && !is_bare_link(&text) {
                            blocks.push(Block::Heading(text));
                        } else {
                            blocks.push(Block::Paragraph(text));
                        }
                    }
                    k += run;
                    continue;
                }
            }
            k += 1;
        }
        blocks
    }
}
