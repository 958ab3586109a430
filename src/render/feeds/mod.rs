//! Feeds of the site, each section and each term, newest 20, in every kind
//! site.yaml's `feeds` names: Atom 1.0 (`atom.xml`), RSS 2.0 (`rss.xml`) and
//! JSON Feed 1.1 (`feed.json`). Each article's entry is made once per build
//! and kind, although it is in several feeds. The feeds of the site and of
//! its sections carry each article's whole text; those of terms (tags,
//! categories, authors) its summary, as their many overlapping feeds would
//! otherwise publish the same text dozens of times.

mod atom;
mod json;
mod rss;

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset};
use quick_xml::escape;

use crate::config::{Config, FeedKind};
use crate::link::{ArticleId, ContentTree};

/// Entries per feed.
pub(super) const FEED_SIZE: usize = 20;

/// What a feed is about.
pub(super) struct FeedSpec<'a> {
    /// Feed title.
    pub(super) title: String,
    /// Site-relative URL of the feed itself.
    pub(super) self_url: String,
    /// Site-relative URL of the HTML page it mirrors.
    pub(super) page_url: &'a str,
    /// Language code.
    pub(super) lang: &'a str,
    /// Articles, newest first (only the first `FEED_SIZE` are used).
    pub(super) articles: &'a [ArticleId],
}

impl FeedSpec<'_> {
    /// The articles the feed lists.
    fn ids(&self) -> Vec<ArticleId> {
        self.articles.iter().take(FEED_SIZE).copied().collect()
    }
}

/// The feed of `kind`; `entry` gives each article's entry of that kind (see `entry`).
pub(super) fn feed(
    kind: FeedKind,
    config: &Config,
    content: &ContentTree,
    spec: &FeedSpec<'_>,
    entry: impl Fn(ArticleId) -> String,
) -> String {
    match kind {
        FeedKind::Atom => atom::feed(config, content, spec, entry),
        FeedKind::Rss => rss::feed(config, content, spec, entry),
        FeedKind::Json => json::feed(config, content, spec, entry),
    }
}

/// Which entry of an article: with its whole text, or (`full_text` false) its summary.
#[derive(Clone, Copy)]
pub(super) struct EntryOf {
    pub(super) id: ArticleId,
    pub(super) full_text: bool,
}

/// One article's entry of `kind`.
pub(super) fn entry(kind: FeedKind, config: &Config, content: &ContentTree, of: EntryOf) -> String {
    match kind {
        FeedKind::Atom => atom::entry(config, content, of),
        FeedKind::Rss => rss::entry(config, content, of),
        FeedKind::Json => json::entry(config, content, of),
    }
}

/// `head`, then each article's entry (see `entry`), `separator` between them, then `tail`.
fn assemble(
    mut text: String,
    ids: &[ArticleId],
    entry: impl Fn(ArticleId) -> String,
    separator: &str,
    tail: &str,
) -> String {
    for (n, &id) in ids.iter().enumerate() {
        if n > 0 {
            text.push_str(separator);
        }
        text.push_str(&entry(id));
    }
    text.push_str(tail);
    text
}

/// An article, its absolute URL, and a buffer large enough for its entry.
fn entry_parts<'a>(
    config: &Config,
    content: &'a ContentTree,
    id: ArticleId,
) -> (&'a crate::link::Article, String, String) {
    let article = &content.articles[id];
    let link = config.absolute(&article.url);
    let buffer = String::with_capacity(1024 + 2 * article.parsed.body.html.len());
    (article, link, buffer)
}

/// Names of an article's authors, else the site's title.
fn authors<'a>(config: &'a Config, article: &'a crate::link::Article) -> Vec<&'a str> {
    let meta = &article.parsed.meta;
    let names: Vec<&str> = meta
        .author
        .iter()
        .chain(&meta.authors)
        .map(String::as_str)
        .collect();
    if names.is_empty() {
        vec![config.title.as_str()]
    } else {
        names
    }
}

/// The newest change among the feed's articles; for an empty feed, the
/// newest of the whole site, so that the same input gives the same feed at any hour.
fn updated(content: &ContentTree, ids: &[ArticleId]) -> DateTime<FixedOffset> {
    let changed = |a: &crate::link::Article| a.parsed.updated.unwrap_or(a.parsed.date);
    ids.iter()
        .map(|&id| changed(&content.articles[id]))
        .max()
        .or_else(|| content.articles.iter().map(changed).max())
        .unwrap_or_default()
}

/// Text for XML: escaped, and without the control characters XML 1.0 forbids
/// (a title pasted with a stray U+0001 must not make the feed unreadable).
pub(super) fn escape(text: &str) -> Cow<'_, str> {
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        let clean: String = text
            .chars()
            .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
            .collect();
        Cow::Owned(escape::escape(clean.as_str()).into_owned())
    } else {
        escape::escape(text)
    }
}
