//! Reader comments that follow an article without a marker, told by how
//! they speak (greetings, first-person opinion, chat shorthand), not by
//! where they stand.

use super::*;

/// Whether a line speaks as a reader rather than as the article: it
/// addresses someone (`@Name:`, a greeting or sign-off), thanks or
/// praises the article, gives an unquoted opinion in the first person, uses chat
/// shorthand or emoticons, or is typed like a comment (a sentence starting in
/// lower case, no space after a comma). Any one of these turns up in articles
/// too, in quotations and columns; only many of them together at the end of a
/// text that has almost none before are a comment section.
pub(super) fn speaks_as_reader(line: &str, after_sentence_end: bool) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(concat!(
            r"^@\s?\p{L}",
            r"|^(Hallo|Hi|Hey|Servus|Moin|Grüezi|Salut)\b[^.!?]{0,30}[,!:]?$",
            r"|^((Liebe|Viele|Beste|Herzliche|Schöne) )?(Grüße|Grüsse|Gruß|Gruss)\b.{0,30}$",
            r"|^(Danke und Gruß|MfG|LG|lg|VG|Cheers|Best regards|Regards)\b.{0,30}$",
            r"|(?i:\b(danke|vielen dank|herzlichen dank|thanks|thank you|merci)\b.{0,20}\b(für|for|pour) (den|diesen|diese|die|das|ihren|euren|deinen|eure|the|this|your|cet|ce) .{0,30}(artikel|beitrag|bericht|recherche|hinweis|text|article|piece|post|report|reporting|story))",
            r"|(?i:\b(toller|super|guter|großartiger|interessanter|spannender|klasse|great|nice|excellent|brilliant) (artikel|beitrag|text|article|piece|post|read)\b)",
            r"|^(Hoffe|Finde|Glaube|Denke),",
            r"|(^|\s)[;:]-?[)(DP](\s|$)|\b(IMHO|LOL|lol|btw|BTW|OT:)",
            r"|\p{Ll}{2},\p{L}{2}",
        ))
        .unwrap()
    });
    let lower_start = line
        .split_whitespace()
        .next()
        .map(|w| w.trim_end_matches([',', ':']))
        .is_some_and(|w| w.chars().count() > 1 && w.chars().all(char::is_lowercase));
    // An opinion in the first person, unless it is quoted (`"I think …," says …`).
    static OPINION: OnceLock<Regex> = OnceLock::new();
    let opinion = OPINION.get_or_init(|| {
        Regex::new(
            r"(?i)\b(ich finde|ich glaube|ich denke|meiner meinung nach|meines erachtens|i think|in my opinion)\b",
        )
        .unwrap()
    });
    let quoted = line.contains(['"', '„', '“', '”', '«', '»']);
    re.is_match(line) || (after_sentence_end && lower_start) || (!quoted && opinion.is_match(line))
}

impl State<'_> {
    /// Reader comments with no marker above them: the longest run at the end
    /// where lines speaking as a reader outweigh the others (one such line
    /// counts as much as three that do not), when the article above is long
    /// and speaks that way at most once in ten lines.
    pub(super) fn reader_comments(&mut self) {
        let kept = self.kept_indices();
        let voice: Vec<bool> = kept
            .iter()
            .enumerate()
            .map(|(k, &i)| {
                let after_end = k == 0 || is_sentence_end(&self.lines[kept[k - 1]].text);
                // List items and numbered points are the article's own.
                let text = &self.lines[i].text;
                !text.starts_with(['-', '*', '(', '|']) && speaks_as_reader(text, after_end)
            })
            .collect();
        let (mut sum, mut best, mut start) = (0i64, 0i64, None);
        for k in (0..kept.len()).rev() {
            sum += if voice[k] { 3 } else { -1 };
            if sum > best {
                (best, start) = (sum, Some(k));
            }
        }
        let Some(start) = start else { return };
        let in_tail = voice[start..].iter().filter(|&&v| v).count();
        let before = voice[..start].iter().filter(|&&v| v).count();
        let words: usize = kept[..start].iter().map(|&i| word_count(&self.lines[i].text)).sum();
        if in_tail < 3 || words < 150 || before * 10 > start {
            return;
        }
        for &i in &kept[start..] {
            self.drop(i, "reader_comments");
        }
    }
}
