//! `/search/<lang>.json`: every listed article of a language, as the theme's
//! search script reads it.

use serde::Serialize;

use crate::link::ContentTree;

#[derive(Serialize)]
struct Entry<'a> {
    title: &'a str,
    url: &'a str,
    date: String,
    summary: &'a str,
    section: &'a str,
    tags: Vec<&'a str>,
    body: &'a str,
}

/// The index of `lang` as JSON bytes, in source order.
pub(super) fn search_index(content: &ContentTree, lang: &str) -> Vec<u8> {
    let entries: Vec<Entry<'_>> = content
        .articles
        .iter()
        .filter(|a| a.listed() && a.parsed.lang == lang)
        .map(|a| Entry {
            title: a.parsed.meta.title.as_deref().unwrap_or_default(),
            url: &a.url,
            date: a.parsed.date.format("%Y-%m-%d").to_string(),
            summary: &a.parsed.description,
            section: &a.parsed.source.section,
            tags: a
                .parsed
                .meta
                .taxonomies
                .get("tags")
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect(),
            body: &a.parsed.body.plain_text,
        })
        .collect();
    // Written as `\u003c` so that `</script>` in a title can never end an inline script.
    serde_json::to_string(&entries)
        .unwrap_or_else(|_| "[]".into())
        .replace('<', "\\u003c")
        .into_bytes()
}
