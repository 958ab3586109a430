//! RSS 2.0, with `atom:link rel="self"`, `guid`, RFC 822 dates, `dc:creator`
//! and the full text in `content:encoded`.

use std::fmt::Write;

use super::{EntryOf, FeedSpec, assemble, authors, entry_parts, escape, updated};
use crate::config::Config;
use crate::link::{ArticleId, ContentTree};

/// The feed's XML; `entry` gives each article's `<item>`.
pub(super) fn feed(
    config: &Config,
    content: &ContentTree,
    feed: &FeedSpec<'_>,
    entry: impl Fn(ArticleId) -> String,
) -> String {
    let ids = feed.ids();
    let description = config
        .languages
        .iter()
        .find(|l| l.code == feed.lang)
        .map_or(config.description.as_str(), |l| l.description.as_str());
    let mut xml = String::with_capacity(4096 + ids.len() * 2048);
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>\n\
         <title>{title}</title>\n<link>{page}</link>\n<description>{description}</description>\n<language>{lang}</language>\n\
         <lastBuildDate>{updated}</lastBuildDate>\n<generator>gazette</generator>\n\
         <atom:link href=\"{self_url}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        title = escape(feed.title.as_str()),
        page = escape(config.absolute(feed.page_url).as_str()),
        description = escape(if description.is_empty() {
            feed.title.as_str()
        } else {
            description
        }),
        lang = escape(feed.lang),
        updated = updated(content, &ids).to_rfc2822(),
        self_url = escape(config.absolute(&feed.self_url).as_str()),
    );
    assemble(xml, &ids, entry, "", "</channel>\n</rss>\n")
}

/// One article's `<item>`; the article's whole text only with `full_text`.
pub(super) fn entry(config: &Config, content: &ContentTree, of: EntryOf) -> String {
    let EntryOf { id, full_text } = of;
    let (article, link, mut xml) = entry_parts(config, content, id);
    let parsed = &article.parsed;
    let _ = write!(
        xml,
        "<item>\n<title>{title}</title>\n<link>{link}</link>\n<guid isPermaLink=\"true\">{link}</guid>\n<pubDate>{date}</pubDate>\n",
        title = escape(parsed.meta.title.as_deref().unwrap_or_default()),
        link = escape(link.as_str()),
        date = parsed.date.to_rfc2822(),
    );
    for name in authors(config, article) {
        let _ = writeln!(xml, "<dc:creator>{}</dc:creator>", escape(name));
    }
    for term in content
        .terms_of(article)
        .into_iter()
        .flat_map(|(_, terms)| terms)
    {
        let _ = writeln!(xml, "<category>{}</category>", escape(term.name.as_str()));
    }
    let _ = writeln!(
        xml,
        "<description>{}</description>",
        escape(parsed.summary_html.as_str()),
    );
    if full_text {
        let _ = writeln!(
            xml,
            "<content:encoded>{}</content:encoded>",
            escape(parsed.body.html.unpack().as_str()),
        );
    }
    xml.push_str("</item>\n");
    xml
}
