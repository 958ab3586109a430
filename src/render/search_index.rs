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
    body: String,
}

/// The index of `lang` as JSON bytes, in source order. Entries are written one
/// at a time so that only one article's text exists outside the output.
pub(super) fn search_index(content: &ContentTree, lang: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 << 16);
    out.push(b'[');
    for a in content
        .articles
        .iter()
        .filter(|a| a.listed() && a.parsed.lang == lang)
    {
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
        if out.len() > 1 {
            out.push(b',');
        }
        let json = serde_json::to_string(&entry).unwrap_or_else(|_| "null".into());
        // `\u003c` so that `</script>` in a title can never end an inline script.
        out.extend_from_slice(json.replace('<', "\\u003c").as_bytes());
    }
    out.push(b']');
    out
}
