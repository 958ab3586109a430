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
    if json.contains('<') {
        Arc::from(json.replace('<', "\\u003c"))
    } else {
        Arc::from(json)
    }
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
    join_array(&entries)
}

/// `[a,b,…]` from JSON values. An index is tens of megabytes that a preview
/// makes again on every edit: it is copied into place by all threads at once.
fn join_array(entries: &[Arc<str>]) -> Vec<u8> {
    let commas = entries.len().saturating_sub(1);
    let total = entries.iter().map(|e| e.len()).sum::<usize>() + commas + 2;
    let mut out = vec![0u8; total];
    out[0] = b'[';
    out[total - 1] = b']';
    let mut slots = Vec::with_capacity(entries.len());
    let mut rest = &mut out[1..total - 1];
    for (i, json) in entries.iter().enumerate() {
        let (slot, tail) = rest.split_at_mut(usize::from(i > 0) + json.len());
        slots.push((slot, json));
        rest = tail;
    }
    slots.into_par_iter().for_each(|(slot, json)| {
        let (comma, value) = slot.split_at_mut(slot.len() - json.len());
        comma.fill(b',');
        value.copy_from_slice(json.as_bytes());
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_join_into_one_array() {
        let entries: Vec<Arc<str>> =
            vec![Arc::from("{\"a\":1}"), Arc::from("2"), Arc::from("\"x\"")];
        assert_eq!(join_array(&entries), b"[{\"a\":1},2,\"x\"]");
        assert_eq!(join_array(&entries[..1]), b"[{\"a\":1}]");
        assert_eq!(join_array(&[]), b"[]");
    }
}
