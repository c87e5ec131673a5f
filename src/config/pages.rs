//! What the pages and feeds carry, and how much: each key here trades
//! bytes against something a reader or a consumer gets, and a large archive
//! multiplies it by every article (README, "What each option costs").

use serde::Deserialize;

/// Related articles at the foot of each article.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RelatedConfig {
    /// How many; 0 shows none.
    pub limit: usize,
}

impl Default for RelatedConfig {
    fn default() -> Self {
        RelatedConfig { limit: 4 }
    }
}

/// Link previews (Open Graph, Twitter cards) and the JSON-LD of article
/// pages: images as absolute URLs or paths within the site.
///
/// By default the head says each thing once: X (Twitter) reads `og:title`,
/// `og:description` and `og:image` when its own tags are absent, so only
/// `twitter:card` (which has no Open Graph twin) is written; and the JSON-LD
/// leaves out the summary, which Google's article structured data neither
/// requires nor recommends and which `<meta name="description">` and
/// `og:description` already carry. Both were ~0.9 KB of every article page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SocialConfig {
    /// `og:image` of every page (and `twitter:image` with `twitter_tags`);
    /// with it the Twitter card is `summary_large_image`.
    pub image: Option<String>,
    /// The publisher's `logo` in the JSON-LD.
    pub logo: Option<String>,
    /// Also write `twitter:title`, `twitter:description`, `twitter:image`
    /// and `twitter:image:alt`, for consumers that read no Open Graph.
    pub twitter_tags: bool,
    /// Also put the summary into the JSON-LD as `description`.
    pub json_ld_description: bool,
    /// Also write the JSON-LD's `url` (the `mainEntityOfPage` it has, the
    /// canonical link and `og:url` again), `inLanguage` (the page's `lang`)
    /// and `isAccessibleForFree: true` (what schema.org assumes; Google
    /// asks for it only to mark paywalled text as `false`).
    pub json_ld_repeats: bool,
    /// How many characters of a summary the page's description
    /// (`<meta name="description">`, `og:description`) carries; 0: all.
    /// Search engines and link previews show about 155 and cut the rest
    /// themselves, mid-word, so a summary written for the page (300
    /// characters and more from import) was sent twice per page for text no
    /// one shows; cut at a word near this length it reads as written.
    pub description_length: usize,
}

impl Default for SocialConfig {
    fn default() -> Self {
        SocialConfig {
            image: None,
            logo: None,
            twitter_tags: false,
            json_ld_description: false,
            json_ld_repeats: false,
            description_length: 160,
        }
    }
}

/// What the listing pages (home, month, topic, tag, author) show of each
/// article, and how many a page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ListingConfig {
    pub summaries: Summaries,
    /// Articles on each archive page behind a listing's front page (whose
    /// size is `paginate`).
    ///
    /// An archive page lists kicker, title and date, ~0.3 KB an article,
    /// under the ~3 KB of head, navigation and footer every page carries;
    /// at 20 a page that frame was a third of each archive page's bytes,
    /// and the archive pages a quarter of a large archive's files. A newspaper's archive lists a day's or a
    /// month's articles on one page, and a reader looking for a title by
    /// its date scans a longer list faster than they click through five.
    pub archive_paginate: usize,
}

impl Default for ListingConfig {
    fn default() -> Self {
        ListingConfig {
            summaries: Summaries::default(),
            archive_paginate: 100,
        }
    }
}

/// Which pages of a listing show each article's summary (with its topics,
/// as the default theme lists them); the others list kicker, title and
/// date. Every article is on about ten listings (home, month, each topic,
/// tag and author), so a summary on every page of each was written ten
/// times: a sixth of a large archive's bytes. The front page of a listing is where a reader
/// skims what is new; the archive pages behind it are for finding an
/// article by its title and date, as a newspaper's archive lists them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Summaries {
    /// On each listing's front page (its newest articles) only.
    #[default]
    First,
    /// On every page.
    All,
    /// On none: titles, kickers and dates only.
    None,
}

impl Summaries {
    /// Whether page `number` of a listing (0: the front page) shows them.
    pub fn shown_on(self, number: usize) -> bool {
        match self {
            Summaries::First => number == 0,
            Summaries::All => true,
            Summaries::None => false,
        }
    }
}

/// Which feeds a site gets and how much each carries.
///
/// The site's own feed is one file per format and costs little; a feed per
/// topic, tag and author multiplies by every term, and in full text in
/// three formats it was two thirds of a large archive's bytes. So term
/// feeds default to one format (RSS, what Hugo writes for every term) and
/// full text for their newest items only: full-text feeds per topic are
/// what a news archive offers that Hugo's summary-only term feeds do not,
/// and a reader that polls a term feed sees each new article in full while
/// the older items still link to theirs (`term_full_text: 0` gives
/// summary-only term feeds, two thirds fewer bytes of them). Full text
/// goes into the topic feeds only by default: topics are the site's own
/// subjects, few and chosen, and what its readers subscribe to; tags and
/// authors are thousands, and their feeds were all but 2 % of the term
/// feeds' bytes, two thirds of it full text (see [`FullText`]).
/// And a term feed holds fewer items than the site's: a reader subscribed
/// to one topic has read what came before, and a feed reader keeps what it
/// once fetched (WordPress writes 10 items, Hugo and Zola every one).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeedConfig {
    /// How many of the newest articles the site's feed carries.
    pub limit: usize,
    /// The site feed's formats; an empty list means none. Unset: all three.
    formats: Option<Vec<FeedFormat>>,
    /// The formats of each topic's, tag's and author's feed. Unset: the
    /// list `formats` names when site.yaml gives one (what `formats` meant
    /// for every feed before this key existed), else RSS only.
    term_formats: Option<Vec<FeedFormat>>,
    /// How many of a term feed's newest items carry the full text; the
    /// others carry title, summary and link.
    #[serde(deserialize_with = "de_full_text")]
    term_full_text: FullText,
    /// How many of the newest articles a topic's, tag's or author's feed
    /// carries; never more than `limit`.
    term_limit: usize,
    /// Which formats of each feed an article page announces in its head.
    pub article_links: ArticleLinks,
}

/// The `<link rel="alternate">` feeds of an article page: those of its
/// topics and the site's. A feed reader or browser extension offers one
/// subscription per feed and picks a format itself, so Hugo's and Zola's
/// themes name each feed once; every format stays announced on the page
/// of the listing it belongs to (home, topic) and linked in the footer.
/// All formats were six links of ~140 bytes on each article page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ArticleLinks {
    /// Each feed once, in the first format of its list.
    #[default]
    First,
    /// Each feed in every format it is written in.
    All,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig {
            limit: 50,
            formats: None,
            term_formats: None,
            term_full_text: FullText::default(),
            term_limit: 20,
            article_links: ArticleLinks::First,
        }
    }
}

impl FeedConfig {
    /// The site feed's formats once each, in [`FeedFormat::ALL`] order, so
    /// that the order or repetition of the list in `site.yaml` changes nothing.
    pub fn enabled(&self) -> Vec<FeedFormat> {
        in_order(self.formats.as_deref().unwrap_or(&FeedFormat::ALL))
    }

    /// The formats of every topic, tag and author feed, in the same order.
    pub fn term_enabled(&self) -> Vec<FeedFormat> {
        let listed = self.term_formats.as_deref().or(self.formats.as_deref());
        in_order(listed.unwrap_or(&[FeedFormat::Rss]))
    }

    /// How many items each term feed carries.
    pub fn term_limit(&self) -> usize {
        self.term_limit.min(self.limit)
    }

    /// How many of a term feed's items are written in full, for each kind
    /// of term.
    pub fn term_full_text(&self) -> FullText {
        let limit = self.term_limit();
        let t = &self.term_full_text;
        FullText {
            topics: t.topics.min(limit),
            tags: t.tags.min(limit),
            authors: t.authors.min(limit),
        }
    }
}

/// `feed.term_full_text`: one number for the feeds of every topic, tag and
/// author (what the key meant before it could name each kind, so a
/// site.yaml of then keeps its feeds), or one per kind; a kind left out
/// keeps its default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FullText {
    pub topics: usize,
    pub tags: usize,
    pub authors: usize,
}

impl Default for FullText {
    fn default() -> Self {
        FullText {
            topics: 10,
            tags: 0,
            authors: 0,
        }
    }
}

fn de_full_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<FullText, D::Error> {
    struct Either;
    impl<'de> serde::de::Visitor<'de> for Either {
        type Value = FullText;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a number, or `topics`, `tags` and `authors` with a number each")
        }
        fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<FullText, E> {
            let n = usize::try_from(n).map_err(E::custom)?;
            Ok(FullText {
                topics: n,
                tags: n,
                authors: n,
            })
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<FullText, A::Error> {
            FullText::deserialize(serde::de::value::MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_any(Either)
}

fn in_order(listed: &[FeedFormat]) -> Vec<FeedFormat> {
    FeedFormat::ALL.into_iter().filter(|f| listed.contains(f)).collect()
}

/// A syndication format: every listing with a feed gets one file per
/// enabled format, beside its first page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedFormat {
    /// RSS 2.0, `feed.xml`.
    Rss,
    /// Atom 1.0, `atom.xml`.
    Atom,
    /// JSON Feed 1.1, `feed.json`.
    Json,
}

impl FeedFormat {
    pub const ALL: [FeedFormat; 3] = [FeedFormat::Rss, FeedFormat::Atom, FeedFormat::Json];

    /// The file name beside a listing's first page.
    pub fn file_name(self) -> &'static str {
        match self {
            FeedFormat::Rss => "feed.xml",
            FeedFormat::Atom => "atom.xml",
            FeedFormat::Json => "feed.json",
        }
    }

    /// The media type, for `<link rel="alternate" type>`.
    pub fn media_type(self) -> &'static str {
        match self {
            FeedFormat::Rss => "application/rss+xml",
            FeedFormat::Atom => "application/atom+xml",
            FeedFormat::Json => "application/feed+json",
        }
    }

    /// The format's own name, the same in every language.
    pub fn name(self) -> &'static str {
        match self {
            FeedFormat::Rss => "RSS",
            FeedFormat::Atom => "Atom",
            FeedFormat::Json => "JSON Feed",
        }
    }
}
