//! Atom 1.0 feeds (RFC 4287): the site, each section and each term; newest 20.

use std::fmt::Write;

use std::borrow::Cow;

use quick_xml::escape;

use crate::config::Config;
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

/// The feed's XML; `entry` gives each article's `<entry>` (see `entry`), made
/// once per build although an article is in several feeds.
pub(super) fn atom(
    config: &Config,
    content: &ContentTree,
    feed: &FeedSpec<'_>,
    entry: impl Fn(ArticleId) -> std::sync::Arc<str>,
) -> String {
    let ids: Vec<ArticleId> = feed.articles.iter().take(FEED_SIZE).copied().collect();
    let updated = ids
        .iter()
        .map(|&id| {
            let parsed = &content.articles[id].parsed;
            parsed.updated.unwrap_or(parsed.date)
        })
        .max()
        .or_else(|| newest_anywhere(content))
        .map_or_else(
            || "1970-01-01T00:00:00+00:00".to_string(),
            |d| d.to_rfc3339(),
        );
    let mut xml = String::with_capacity(4096 + ids.len() * 2048);
    let page = config.absolute(feed.page_url);
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n\
         <title>{title}</title>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{self_url}\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{page}\"/>\n<id>{page}</id>\n<updated>{updated}</updated>\n\
         <generator uri=\"https://khabarovsk.example.org/gazette\">gazette</generator>\n",
        lang = escape(feed.lang),
        title = escape(feed.title.as_str()),
        self_url = escape(config.absolute(&feed.self_url).as_str()),
        page = escape(page.as_str()),
    );
    for id in ids {
        xml.push_str(&entry(id));
    }
    xml.push_str("</feed>\n");
    xml
}

/// One article's `<entry>`: the same in every feed it is in.
pub(super) fn entry(config: &Config, content: &ContentTree, id: ArticleId) -> String {
    let article = &content.articles[id];
    let parsed = &article.parsed;
    let link = config.absolute(&article.url);
    let authors: Vec<&str> = parsed
        .meta
        .author
        .iter()
        .chain(&parsed.meta.authors)
        .map(String::as_str)
        .collect();
    let mut xml = String::with_capacity(1024 + 2 * parsed.body.html.len());
    let _ = write!(
        xml,
        "<entry xml:lang=\"{lang}\">\n<title>{title}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n\
         <id>{link}</id>\n<published>{published}</published>\n<updated>{updated}</updated>\n",
        lang = escape(parsed.lang.as_str()),
        title = escape(parsed.meta.title.as_deref().unwrap_or_default()),
        link = escape(link.as_str()),
        published = parsed.date.to_rfc3339(),
        updated = parsed.updated.unwrap_or(parsed.date).to_rfc3339(),
    );
    let site_title = &config.title;
    let names = if authors.is_empty() {
        vec![site_title.as_str()]
    } else {
        authors
    };
    for name in names {
        let _ = writeln!(xml, "<author><name>{}</name></author>", escape(name));
    }
    for term in content
        .terms_of(article)
        .into_iter()
        .flat_map(|(_, terms)| terms)
    {
        let _ = writeln!(
            xml,
            "<category term=\"{}\" label=\"{}\"/>",
            escape(term.slug.as_str()),
            escape(term.name.as_str())
        );
    }
    let _ = write!(
        xml,
        "<summary type=\"html\">{}</summary>\n<content type=\"html\" xml:base=\"{}\">{}</content>\n</entry>\n",
        escape(parsed.summary_html.as_str()),
        escape(link.as_str()),
        escape(parsed.body.html.as_str()),
    );
    xml
}

/// An empty feed's `updated`: the newest article of the whole site, so that the
/// same input gives the same feed at any hour.
fn newest_anywhere(content: &ContentTree) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    content
        .articles
        .iter()
        .map(|a| a.parsed.updated.unwrap_or(a.parsed.date))
        .max()
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
