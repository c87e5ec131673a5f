//! The page header above an article: a headline repeated, reworded or
//! with a kicker in front, and the lines between it and the body.

use super::*;

impl State<'_> {
    pub(super) fn repeats_headline(&self, line: &str) -> bool {
        let l = letters(line);
        let t = letters(&self.title);
        !l.is_empty()
            && (l == t
                || self
                    .kicker
                    .as_ref()
                    .is_some_and(|k| l == letters(k) + &t || l == t.clone() + &letters(k)))
    }

    /// Whether `line` says the headline again in other words' order: it has
    /// nearly all of the headline's words and at most three more, and is
    /// no sentence of the body.
    pub(super) fn rewords_headline(&self, line: &str) -> bool {
        let words = |s: &str| -> Vec<String> { s.split_whitespace().map(letters).filter(|w| !w.is_empty()).collect() };
        let title = words(&self.title);
        let own = words(line);
        if title.len() < 4 || line.ends_with('.') {
            return false;
        }
        let shared = title.iter().filter(|w| own.contains(w)).count();
        let extra = own.iter().filter(|w| !title.contains(w)).count();
        shared * 10 >= title.len() * 8 && extra <= 3
    }

    /// The page header: the headline repeated at the top of the body (often
    /// with its kicker, glued, swapped or split over two lines), and the
    /// rubric and widget lines above it; and a site's menu above it all.
    pub(super) fn header(&mut self) {
        self.repeated_headline();
        self.menu_above_headline();
    }

    /// The headline repeated at the top and what stands above it. The
    /// repetition is the best evidence of the real kicker, so it is taken
    /// from there when the title had none.
    fn repeated_headline(&mut self) {
        // Without a title nothing can repeat it: an empty one is a suffix
        // of every line.
        if letters(&self.title).is_empty() {
            return;
        }
        let window: Vec<usize> = self
            .kept_indices()
            .into_iter()
            .take(HEADER_WINDOW)
            .take_while(|&i| word_count(&self.lines[i].text) <= 25)
            .collect();
        let mut last_repeat = None;
        let mut w = 0;
        while w < window.len() {
            let i = window[w];
            let next = window.get(w + 1).copied();
            if let Some(pair) = self.header_repeat(i, next) {
                self.drop(i, "repeated_headline");
                if pair {
                    self.drop(next.expect("a pair has a second line"), "repeated_headline");
                    w += 1;
                }
                last_repeat = Some(w);
            }
            w += 1;
        }
        let Some(r) = last_repeat else { return };
        // A headline said again in a list (`• AirAsia plane found …, in
        // pictures`) is a link among others to the story: the lines above
        // are more links, no kicker (a wrapped link's tail `at work'`).
        let in_list = is_list_item(&self.lines[window[r]].text);
        for (n, &i) in window[..r].iter().enumerate() {
            if !self.lines[i].kept() {
                continue;
            }
            let text = &self.lines[i].text;
            if is_sentence_end(text) && !is_list_item(text) {
                continue;
            }
            let directly_above = window[n + 1..=r].iter().all(|&j| !self.lines[j].kept() || j == i);
            if self.kicker.is_none() && directly_above && !in_list && word_count(text) <= 5 && !is_list_item(text) {
                self.kicker = Some(text.trim_end_matches(':').trim().to_string());
            }
            self.drop(i, "page_header");
        }
    }

    /// A site's menu above the article: where a page marks no article,
    /// trafilatura takes the whole navigation (hundreds of short entries)
    /// and the page's own headline comes after it, further down than a
    /// header reaches. The headline said again after nothing but short
    /// lines is the evidence; a line of prose before it means the body has
    /// begun, and the headline further down is a link to the story, not
    /// its start. A table is content, even above the headline (a product's
    /// facts): it ends the search too.
    fn menu_above_headline(&mut self) {
        let kept = self.kept_indices();
        for (n, &i) in kept.iter().enumerate() {
            let text = &self.lines[i].text;
            if self.lines[i].row.is_some() {
                return;
            }
            if n >= HEADER_WINDOW && self.repeats_headline(text) {
                for &above in &kept[..n] {
                    self.drop(above, "menu");
                }
                self.drop(i, "repeated_headline");
                return;
            }
            if is_prose(text) {
                return;
            }
        }
    }

    /// Whether line `i` (with `next`) repeats the headline; `Some(true)` when
    /// both lines together do. May adopt a kicker from the repetition.
    pub(super) fn header_repeat(&mut self, i: usize, next: Option<usize>) -> Option<bool> {
        let line = self.lines[i].text.clone();
        let l = letters(&line);
        let t = letters(&self.title);
        if l.is_empty() {
            return None;
        }
        if self.repeats_headline(&line) {
            // Page title `A - B`, headline elements `A` `B` glued in the body:
            // A is the kicker.
            if self.kicker.is_none() {
                let parts = headline::glue_points(&line, self.patterns);
                for sep in [" - ", " – ", " — ", ": ", " | "] {
                    let Some((a, b)) = self.title.split_once(sep) else {
                        continue;
                    };
                    let (a, b) = (a.trim().to_string(), b.trim().to_string());
                    if parts
                        .iter()
                        .any(|p| letters(&p.kicker) == letters(&a) && letters(&p.headline) == letters(&b))
                    {
                        self.kicker = Some(a);
                        self.title = b;
                        break;
                    }
                }
            }
            return Some(false);
        }
        // The body repeats the headline without the site name that the page
        // title carried: `»…«` for `»…« (neues deutschland)`, `…が受賞` for
        // `…が受賞：朝日新聞デジタル`.
        for sep in [" (", " | ", " - ", " – ", " — ", " : ", "：", "｜"] {
            if let Some(pos) = self.title.rfind(sep) {
                let suffix_words = word_count(&self.title[pos..]);
                if suffix_words <= 4 && letters(&self.title[..pos]) == l {
                    self.title.truncate(pos);
                    return Some(false);
                }
            }
        }
        // Or without a name in front (`r/Example - …`, `Example Site | …`):
        // the site's or a section's, which the page's own headline leaves
        // out; it goes, as a suffix does.
        for sep in [" | ", " - ", " – ", " — "] {
            if let Some(pos) = self.title.find(sep) {
                let rest = &self.title[pos + sep.len()..];
                let before = word_count(&self.title[..pos]);
                if (1..=3).contains(&before) && word_count(rest) > before && letters(rest) == l {
                    self.title = rest.trim().to_string();
                    return Some(false);
                }
            }
        }
        if let Some(k) = &self.kicker {
            if l == letters(k) && word_count(&line) <= 8 {
                return Some(false);
            }
        }
        // A kicker in front: `Tag der Abstimmung: <headline>`.
        if l.len() > t.len() && l.ends_with(&t) {
            let starts = line
                .char_indices()
                .map(|(i, _)| i)
                .rev()
                .find(|&i| letters(&line[i..]) == t);
            if let Some(start) = starts {
                let before = line[..start].trim();
                let prefix = before.trim_end_matches([':', '-', '–', '—', '|']).trim();
                if (1..=6).contains(&word_count(prefix)) {
                    // Only a separator makes the words in front a kicker
                    // (`Nach Corona-Lockerungen` has the headline's words run on).
                    if self.kicker.is_none() && prefix.len() < before.len() {
                        self.kicker = Some(prefix.to_string());
                    }
                    return Some(false);
                }
            }
        }
        // Glued: `Coronavirus und andere ZoonosenWie Umweltzerstörung …`;
        // the title it repeats is the evidence.
        for split in headline::glue_points(&line, self.patterns) {
            let r = letters(&split.headline);
            if r == t || letters(&split.kicker) + &r == t {
                if self.kicker.is_none() {
                    self.kicker = Some(split.kicker.trim_end_matches(':').trim().to_string());
                    self.title = split.headline;
                }
                return Some(false);
            }
        }
        // Swapped: title `A - B` (the page title), body `B A` (the page
        // prints the kicker B above the headline A).
        for sep in [" - ", " – ", " — ", ": ", " | "] {
            if let Some((a, b)) = self.title.split_once(sep) {
                if l == letters(b) + &letters(a) {
                    if self.kicker.is_none() {
                        self.kicker = Some(b.trim().to_string());
                        self.title = a.trim().to_string();
                    }
                    return Some(false);
                }
            }
        }
        // The same headline in other words' order or with a name more
        // (`Julian Assange: Sweden drops rape investigation` for `Sweden
        // drops Assange rape investigation`).
        if self.rewords_headline(&line) {
            return Some(false);
        }
        // Split over two lines: `Tanz in der Lokremise:` / `Mit allen Wassern gewaschen`.
        let next = next?;
        let second = self.lines[next].text.clone();
        let full = self.kicker.as_ref().map(|k| letters(k) + &t);
        if l.clone() + &letters(&second) == t || Some(l.clone() + &letters(&second)) == full {
            if self.kicker.is_none() && word_count(&line) <= 8 {
                self.kicker = Some(line.trim_end_matches(':').trim().to_string());
                self.title = second;
            }
            return Some(true);
        }
        None
    }
}

/// A line of running text: a sentence of some length, or any long line,
/// which no menu entry is.
fn is_prose(text: &str) -> bool {
    let words = word_count(text);
    words > 25 || (words >= 8 && is_sentence_end(text))
}
