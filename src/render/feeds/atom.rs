//! Atom 1.0 (RFC 4287).

use std::fmt::Write;

use super::{EntryOf, FeedSpec, assemble, authors, entry_parts, escape, updated};
use crate::config::Config;
use crate::link::{ArticleId, ContentTree};

/// The feed's XML; `entry` gives each article's `<entry>`.
pub(super) fn feed(
    config: &Config,
    content: &ContentTree,
    feed: &FeedSpec<'_>,
    entry: impl Fn(ArticleId) -> String,
) -> String {
    let ids = feed.ids();
    let updated = updated(content, &ids).to_rfc3339();
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
    assemble(xml, &ids, entry, "", "</feed>\n")
}

/// One article's `<entry>`: the same in every feed it is in; the article's
/// whole text only with `full_text`.
pub(super) fn entry(config: &Config, content: &ContentTree, of: EntryOf) -> String {
    let EntryOf { id, full_text } = of;
    let (article, link, mut xml) = entry_parts(config, content, id);
    let parsed = &article.parsed;
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
    for name in authors(config, article) {
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
    let _ = writeln!(
        xml,
        "<summary type=\"html\">{}</summary>",
        escape(parsed.summary_html.as_str()),
    );
    if full_text {
        let _ = writeln!(
            xml,
            "<content type=\"html\" xml:base=\"{}\">{}</content>",
            escape(link.as_str()),
            escape(parsed.body.html.unpack().as_str()),
        );
    }
    xml.push_str("</entry>\n");
    xml
}
