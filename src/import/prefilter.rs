//! What a line must look like before a pattern can match it: the prefilter
//! of the pattern lists (`patterns.rs`), so that most patterns are never
//! compiled and most lines never run most patterns.
//!
//! * [`required`]: sets of lower-case strings such that every match
//!   contains a string of each set (`.{0,60}mehr (auf|bei) x` needs one of
//!   `mehr auf `, `mehr bei `);
//! * [`relaxed`]: the pattern with its long counted repetitions opened up
//!   and its large classes made `.` (`[\p{L}.-]{2,40}` → `.+`), which
//!   matches every line the pattern matches and compiles to a small
//!   fraction of its automaton;
//! * [`char_lengths`]: the shortest and longest match.
//!
//! The patterns are matched case-insensitively, so the strings are
//! lower-cased char by char ([`lower`]) and a line is searched after the
//! same lower-casing; a class is a literal when its members lower-case to
//! at most two characters (`[Ll]`, `[ -]`).

use regex_syntax::hir::{Class, Hir, HirKind};

/// Sets larger than this are not worth the prefilter's time.
const MAX_SET: usize = 64;
/// Classes with more members than this are not literals.
const MAX_CLASS: usize = 4;
/// At most this many sets are required of one pattern.
const MAX_SETS: usize = 6;
/// Counted repetitions up to this bound are cheap to compile as they are.
const CHEAP_BOUND: u32 = 4;

/// Lower case, with the two letters whose case-insensitive match is not
/// their lower case (`ſ` matches `s`, `ς` matches `σ`) folded as well.
pub fn lower(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ſ' => 's',
            'ς' => 'σ',
            c => c,
        })
        .collect()
}

/// Sets of strings: a match of `hir` contains one string of each set.
/// Empty when nothing is required.
pub fn required(hir: &Hir) -> Vec<Vec<String>> {
    let info = analyse(hir);
    let mut sets = info.all;
    if let Some(exact) = info.exact.filter(|e| useful(e)) {
        sets.push(exact);
    }
    strongest(sets)
}

/// A superset of `pattern` that is cheap to compile: every counted
/// repetition above [`CHEAP_BOUND`] opened up (`{2,40}` → `+`, `{0,200}` →
/// `*`) and every class that holds letters beyond ASCII made `.` (`\p{Lu}`,
/// `\w`, `[^()]`), because case-insensitive matching spells such a class out
/// with all its case variants. `None` when nothing changes. Done on the
/// syntax tree, so the rest stays as written.
pub fn relaxed(pattern: &str) -> Option<String> {
    use regex_syntax::ast::{Ast, ClassPerlKind, ClassSet, ClassSetItem, RepetitionKind, RepetitionRange};
    fn small(item: &ClassSetItem) -> bool {
        match item {
            ClassSetItem::Empty(_) | ClassSetItem::Ascii(_) => true,
            ClassSetItem::Literal(l) => l.c.is_ascii(),
            ClassSetItem::Range(r) => r.start.c.is_ascii() && r.end.c.is_ascii(),
            ClassSetItem::Perl(p) => !p.negated && p.kind != ClassPerlKind::Word,
            ClassSetItem::Unicode(_) => false,
            ClassSetItem::Bracketed(b) => !b.negated && matches!(&b.kind, ClassSet::Item(i) if small(i)),
            ClassSetItem::Union(u) => u.items.iter().all(small),
        }
    }
    fn walk(ast: &mut Ast, changed: &mut bool) {
        let big_class = match ast {
            Ast::ClassUnicode(_) => true,
            Ast::ClassPerl(p) => p.negated || p.kind == ClassPerlKind::Word,
            Ast::ClassBracketed(b) => b.negated || !matches!(&b.kind, ClassSet::Item(i) if small(i)),
            _ => false,
        };
        if big_class {
            *changed = true;
            *ast = Ast::dot(*ast.span());
            return;
        }
        match ast {
            Ast::Repetition(rep) => {
                let bounded = match &rep.op.kind {
                    RepetitionKind::Range(RepetitionRange::Bounded(m, n)) if *n > CHEAP_BOUND => Some(*m),
                    RepetitionKind::Range(RepetitionRange::Exactly(n) | RepetitionRange::AtLeast(n))
                        if *n > CHEAP_BOUND =>
                    {
                        Some(*n)
                    }
                    _ => None,
                };
                if let Some(min) = bounded {
                    *changed = true;
                    rep.op.kind = if min == 0 {
                        RepetitionKind::ZeroOrMore
                    } else {
                        RepetitionKind::OneOrMore
                    };
                }
                walk(&mut rep.ast, changed);
            }
            Ast::Group(group) => walk(&mut group.ast, changed),
            Ast::Concat(concat) => concat.asts.iter_mut().for_each(|a| walk(a, changed)),
            Ast::Alternation(alt) => alt.asts.iter_mut().for_each(|a| walk(a, changed)),
            _ => {}
        }
    }
    let mut ast = regex_syntax::ast::parse::Parser::new().parse(pattern).ok()?;
    let mut changed = false;
    walk(&mut ast, &mut changed);
    let mut out = String::new();
    regex_syntax::ast::print::Printer::new().print(&ast, &mut out).ok()?;
    changed.then_some(out)
}

/// The shortest and the longest match in characters (`None`: unbounded).
pub fn char_lengths(hir: &Hir) -> (usize, Option<usize>) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => (0, Some(0)),
        HirKind::Literal(lit) => {
            let n = String::from_utf8_lossy(&lit.0).chars().count();
            (n, Some(n))
        }
        HirKind::Class(_) => (1, Some(1)),
        HirKind::Capture(cap) => char_lengths(&cap.sub),
        HirKind::Repetition(rep) => {
            let (min, max) = char_lengths(&rep.sub);
            let times = |n: usize, k: u32| n.saturating_mul(k as usize);
            let max = match (max, rep.max) {
                (Some(0), _) => Some(0),
                (Some(m), Some(k)) => Some(times(m, k)),
                _ => None,
            };
            (times(min, rep.min), max)
        }
        HirKind::Concat(parts) => parts.iter().map(char_lengths).fold((0, Some(0)), |(a, b), (c, d)| {
            (a.saturating_add(c), b.zip(d).map(|(b, d)| b.saturating_add(d)))
        }),
        HirKind::Alternation(alts) => {
            let lengths: Vec<_> = alts.iter().map(char_lengths).collect();
            let min = lengths.iter().map(|l| l.0).min().unwrap_or(0);
            let max = lengths.iter().try_fold(0, |acc, l| l.1.map(|m| acc.max(m)));
            (min, max)
        }
    }
}

/// What a part of a regex tells about the text it matches.
struct Info {
    /// Every string the part matches, if they are few.
    exact: Option<Vec<String>>,
    /// A match contains a string of each of these sets.
    all: Vec<Vec<String>>,
}

fn useful(set: &[String]) -> bool {
    !set.is_empty() && set.len() <= MAX_SET && set.iter().all(|s| !s.is_empty())
}

/// The shortest string of a set: how selective it is.
fn strength(set: &[String]) -> usize {
    set.iter().map(|s| s.chars().count()).min().unwrap_or(0)
}

/// The [`MAX_SETS`] most selective useful sets, each once.
fn strongest(mut sets: Vec<Vec<String>>) -> Vec<Vec<String>> {
    sets.retain(|s| useful(s));
    sets.sort_by_key(|s| (std::cmp::Reverse(strength(s)), s.len()));
    sets.dedup();
    sets.truncate(MAX_SETS);
    sets
}

fn product(a: &[String], b: &[String]) -> Option<Vec<String>> {
    if a.len() * b.len() > MAX_SET {
        return None;
    }
    let mut out: Vec<String> = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let s = format!("{x}{y}");
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    Some(out)
}

fn union(sets: impl IntoIterator<Item = Option<Vec<String>>>) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for set in sets {
        for s in set? {
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    (out.len() <= MAX_SET).then_some(out)
}

fn class(class: &Class) -> Option<Vec<String>> {
    let chars: Vec<char> = match class {
        Class::Unicode(c) => {
            let count: u32 = c.iter().map(|r| r.end() as u32 - r.start() as u32 + 1).sum();
            if count as usize > MAX_CLASS {
                return None;
            }
            c.iter().flat_map(|r| r.start()..=r.end()).collect()
        }
        Class::Bytes(c) => {
            let count: usize = c.iter().map(|r| usize::from(r.end() - r.start()) + 1).sum();
            if count > MAX_CLASS || c.iter().any(|r| !r.end().is_ascii()) {
                return None;
            }
            c.iter().flat_map(|r| r.start()..=r.end()).map(char::from).collect()
        }
    };
    let mut lowered: Vec<String> = chars.iter().map(|c| lower(&c.to_string())).collect();
    lowered.sort();
    lowered.dedup();
    // `[Ll]` is the literal `l`; `[ab]` is two, either may occur.
    (lowered.len() <= 2).then_some(lowered)
}

fn analyse(hir: &Hir) -> Info {
    let exactly = |exact: Option<Vec<String>>| Info {
        all: exact.iter().filter(|e| useful(e)).cloned().collect(),
        exact,
    };
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => exactly(Some(vec![String::new()])),
        HirKind::Literal(lit) => exactly(std::str::from_utf8(&lit.0).ok().map(|s| vec![lower(s)])),
        HirKind::Class(c) => exactly(class(c)),
        HirKind::Capture(cap) => analyse(&cap.sub),
        HirKind::Repetition(rep) => {
            let sub = analyse(&rep.sub);
            // `x{2}` is `xx`; `-?` is `` or `-`.
            let exact = match (&sub.exact, rep.max) {
                (Some(set), Some(max)) if max <= CHEAP_BOUND => {
                    union((rep.min..=max).map(|n| (0..n).try_fold(vec![String::new()], |acc, _| product(&acc, set))))
                }
                _ => None,
            };
            let mut all = Vec::new();
            if rep.min > 0 {
                all = sub.all;
                // `_{3,}` needs `___`: the repeated part, `min` times over.
                if let Some(set) = sub.exact.filter(|s| s.len() == 1) {
                    all.push(vec![set[0].repeat(rep.min.min(8) as usize)]);
                }
            }
            Info { exact, all }
        }
        HirKind::Alternation(alts) => {
            let infos: Vec<Info> = alts.iter().map(analyse).collect();
            let exact = union(infos.iter().map(|i| i.exact.clone()));
            // Each branch offers its most selective set; one of them occurs.
            let either = union(infos.into_iter().map(|i| strongest(i.all).into_iter().next()));
            Info {
                exact,
                all: either.into_iter().filter(|e| useful(e)).collect(),
            }
        }
        HirKind::Concat(parts) => {
            // Runs of parts with few exact strings concatenate into longer
            // literals; those and the parts' own sets are all required.
            let mut all: Vec<Vec<String>> = Vec::new();
            let mut run: Option<Vec<String>> = Some(vec![String::new()]);
            let mut whole_exact = true;
            for part in parts {
                let info = analyse(part);
                match (run.take(), info.exact) {
                    (Some(r), Some(e)) => match product(&r, &e) {
                        Some(p) => run = Some(p),
                        None => {
                            all.push(r);
                            run = Some(e);
                            whole_exact = false;
                        }
                    },
                    (None, Some(e)) => run = Some(e),
                    (r, None) => {
                        all.extend(r);
                        whole_exact = false;
                        // A part inside a run is covered by the run.
                        all.extend(info.all);
                    }
                }
            }
            let exact = if whole_exact { run.clone() } else { None };
            all.extend(run);
            Info {
                exact,
                all: strongest(all),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hir(pattern: &str) -> Hir {
        regex_syntax::parse(&format!("^(?:{pattern})$")).unwrap()
    }

    fn req(pattern: &str) -> Vec<Vec<String>> {
        required(&hir(pattern))
    }

    fn sets(items: &[&[&str]]) -> Vec<Vec<String>> {
        items
            .iter()
            .map(|set| set.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn literals_inside_patterns() {
        assert_eq!(
            req("Lese-?tipps?: .*"),
            sets(&[&["lesetipp: ", "lesetipps: ", "lese-tipp: ", "lese-tipps: "]])
        );
        assert_eq!(
            req(".{0,60}mehr (auf|bei) .{1,40}"),
            sets(&[&["mehr auf ", "mehr bei "]])
        );
        assert_eq!(req("(Werbung|Anzeige)"), sets(&[&["werbung", "anzeige"]]));
        assert_eq!(req("(_{3,}|-{3,})"), sets(&[&["___", "---"]]));
        // Every part of a sequence is required, the most selective first.
        assert_eq!(req(r"[\w.+-]+@[\w-]+\.[\w.]+"), sets(&[&["@"], &["."]]));
    }

    #[test]
    fn patterns_without_a_required_string() {
        assert!(req(r"[\p{P}\p{S}]+").is_empty());
        assert!(req(r"(Foo)?\d+").is_empty());
        assert!(req("(Foo|.*)").is_empty());
    }

    /// Whatever the prefilter says, the regex decides: on lines that match,
    /// the prefilter must never rule the pattern out.
    #[test]
    fn a_matching_line_always_passes_the_prefilter() {
        let cases = [
            ("Lese-?tipps?: .*", "LESETIPPS: Straße"),
            ("Stra(ß|ss)e .*", "STRASSE 1"),
            ("Σ.*", "ς und σ"),
            (".{0,60}mehr (auf|bei) x", "Noch MEHR BEI x"),
            ("K", "\u{212A}"),
            ("Wa(s){2,3}er", "WASSSER"),
            ("Stra(ß|ss)e", "STRAẞE"),
            (r"\d{4,5} [\p{Lu}][\p{L}.-]{2,30}", "12345 Musterstadt"),
        ];
        for (pattern, line) in cases {
            let source = format!("(?i)^(?:{pattern})$");
            assert!(regex::Regex::new(&source).unwrap().is_match(line), "{pattern} / {line}");
            let lowered = lower(line);
            for set in req(pattern) {
                assert!(
                    set.iter().any(|s| lowered.contains(s.as_str())),
                    "{pattern}: {set:?} not in {lowered}"
                );
            }
            if let Some(relaxed) = relaxed(pattern) {
                assert!(
                    regex::Regex::new(&format!("(?i)^(?:{relaxed})$"))
                        .unwrap()
                        .is_match(line)
                );
            }
            let (min, max) = char_lengths(&hir(pattern));
            let chars = line.chars().count();
            assert!(
                min <= chars && max.is_none_or(|m| chars <= m),
                "{pattern}: {min}..{max:?}"
            );
        }
    }

    #[test]
    fn relaxed_patterns_open_long_repetitions_only() {
        let r = relaxed(r"\d{4,5} [\p{Lu}][\p{L}.-]{2,30}").unwrap();
        assert_eq!(r, r"\d+ ..+");
        let re = regex::Regex::new(&format!("(?i)^(?:{r})$")).unwrap();
        assert!(re.is_match(&format!("1234 A{}", "b".repeat(60))));
        assert!(!re.is_match("Ein Satz mit 1234 Wörtern."));
        assert!(relaxed("Lese-?tipps?: .*").is_none());
    }
}
