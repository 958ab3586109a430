//! JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>).

use serde_json::{Value, json};

use super::{EntryOf, FeedSpec, assemble, authors};
use crate::config::Config;
use crate::link::{ArticleId, ContentTree};

/// The feed's JSON; `entry` gives each article's item, as JSON text.
pub(super) fn feed(
    config: &Config,
    _content: &ContentTree,
    feed: &FeedSpec<'_>,
    entry: impl Fn(ArticleId) -> String,
) -> String {
    let head = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": config.absolute(feed.page_url),
        "feed_url": config.absolute(&feed.self_url),
        "language": feed.lang,
    });
    // The items are kept as text (made once per build); splice them in.
    let head = head.to_string();
    let mut text = String::with_capacity(head.len() + 2048 * super::FEED_SIZE);
    text.push_str(&head[..head.len() - 1]);
    text.push_str(",\"items\":[");
    assemble(text, &feed.ids(), entry, ",", "]}\n")
}

/// One article's item; `content_html` is the article's whole text with
/// `full_text`, else its summary (JSON Feed requires a content field).
pub(super) fn entry(config: &Config, content: &ContentTree, of: EntryOf) -> String {
    let EntryOf { id, full_text } = of;
    let article = &content.articles[id];
    let parsed = &article.parsed;
    let url = config.absolute(&article.url);
    let tags: Vec<&str> = content
        .terms_of(article)
        .into_iter()
        .flat_map(|(_, terms)| terms)
        .map(|t| t.name.as_str())
        .collect();
    let mut item = json!({
        "id": url,
        "url": url,
        "title": parsed.meta.title.as_deref().unwrap_or_default(),
        "content_html": match full_text {
            true => parsed.body.html.unpack(),
            false => parsed.summary_html.clone(),
        },
        "summary": parsed.description,
        "date_published": parsed.date.to_rfc3339(),
        "date_modified": parsed.updated.unwrap_or(parsed.date).to_rfc3339(),
        "authors": authors(config, article).into_iter().map(|name| json!({ "name": name })).collect::<Vec<_>>(),
        "language": parsed.lang,
    });
    if let Value::Object(map) = &mut item {
        if !tags.is_empty() {
            map.insert("tags".into(), json!(tags));
        }
    }
    item.to_string()
}
