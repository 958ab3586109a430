//! `/search/<lang>.json`: every listed article of a language, as the theme's
//! search script reads it.

use serde::Serialize;

use std::sync::Arc;

use rayon::prelude::*;

use crate::link::{Article, ArticleId, ContentTree};

#[derive(Serialize)]
struct Entry<'a> {
    title: &'a str,
    url: &'a str,
    date: String,
    summary: &'a str,
    section: &'a str,
    tags: Vec<&'a str>,
    body: String,
}

/// One article's entry, as JSON.
pub(super) fn entry_json(a: &Article) -> Arc<str> {
    let entry = Entry {
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
        body: crate::parse::markdown::html_to_text(&a.parsed.body.html),
    };
    let json = serde_json::to_string(&entry).unwrap_or_else(|_| "null".into());
    // `\u003c` so that `</script>` in a title can never end an inline script.
    Arc::from(json.replace('<', "\\u003c"))
}

/// The index of `lang` as JSON bytes, in source order; `entry` gives each
/// article's JSON (made in parallel, or kept from the last build).
pub(super) fn search_index(
    content: &ContentTree,
    lang: &str,
    entry: impl Fn(ArticleId) -> Arc<str> + Sync,
) -> Vec<u8> {
    let ids: Vec<ArticleId> = (0..content.articles.len())
        .filter(|&id| content.articles[id].listed() && content.articles[id].parsed.lang == lang)
        .collect();
    let entries: Vec<Arc<str>> = ids.par_iter().map(|&id| entry(id)).collect();
    let mut out = Vec::with_capacity(entries.iter().map(|e| e.len() + 1).sum::<usize>() + 2);
    out.push(b'[');
    for (i, json) in entries.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(json.as_bytes());
    }
    out.push(b']');
    out
}
