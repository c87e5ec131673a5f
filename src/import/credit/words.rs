//! The words that stand beside a name in a credit without being part of
//! it: degrees, roles, papers' names, days and months, a date line's.

/// Degrees and titles written after a name, with their dots; also matched
/// without them (`PhD`, `MD`).
pub(super) const DEGREES: [&str; 14] = [
    "M.D.", "Ph.D.", "R.N.", "M.P.H.", "M.B.A.", "D.D.S.", "D.V.M.", "Esq.", "C.P.A.", "M.Sc.", "B.Sc.", "LL.M.",
    "M.A.", "FRCP",
];

/// The last word of a role written after a name (`Games Editor`).
pub(super) const ROLE_WORDS: [&str; 14] = [
    "editor",
    "correspondent",
    "reporter",
    "writer",
    "columnist",
    "contributor",
    "producer",
    "photographer",
    "redakteur",
    "redakteurin",
    "korrespondent",
    "korrespondentin",
    "reporterin",
    "fotograf",
];

/// German roles that take a gender ending (`Autor:in`, `Autor*innen`,
/// `AutorIn`), which an extractor may split off as a part of its own
/// (`Autor; In Korinna Beispiel`).
pub(super) const GENDERED_ROLES: [&str; 12] = [
    "autor",
    "redakteur",
    "reporter",
    "korrespondent",
    "moderator",
    "fotograf",
    "journalist",
    "volontär",
    "sprecher",
    "herausgeber",
    "kolumnist",
    "mitarbeiter",
];

/// The last word of a newspaper's name.
pub(super) const PAPER_WORDS: [&str; 12] = [
    "times",
    "journal",
    "post",
    "tribune",
    "herald",
    "gazette",
    "chronicle",
    "courier",
    "telegraph",
    "observer",
    "zeitung",
    "rundschau",
];

/// How many of [`CALENDAR_WORDS`] are days; the months follow them.
pub(super) const DAYS: usize = 14;

/// Days and months in English and German, the months that are also names
/// (`April`, `May`, `June`, `August`) among them: taken off only after two
/// words of name.
pub(crate) const CALENDAR_WORDS: [&str; 34] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
    "Sonntag",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Oktober",
    "Dezember",
    "Januar",
    "Februar",
    "März",
    "Mai",
    "Juni",
    "Juli",
];

/// The words a date line opens with, months as they are abbreviated, and a share button's
/// (`Link Copied`, `Follow`): after two words of name they are what an extractor ran into it.
pub(super) const DATE_LINE_WORDS: [&str; 23] = [
    "Published",
    "Submitted",
    "Updated",
    "Posted",
    "Veröffentlicht",
    "Aktualisiert",
    "Stand",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "Dez",
    "Link",
    "Copied",
    "Follow",
];
