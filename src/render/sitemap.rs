//! sitemap.xml (every listed page, absolute URLs, `lastmod`, language
//! alternates) and robots.txt naming it.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::feeds::escape;
use chrono::{DateTime, FixedOffset};

use crate::config::Config;
use crate::link::ContentTree;

/// A sitemap entry: last modification and language alternates (lang, URL).
type Entry<'a> = (Option<DateTime<FixedOffset>>, Vec<(&'a str, &'a str)>);

/// The sitemap's XML, entries sorted by URL.
pub(super) fn sitemap(config: &Config, content: &ContentTree) -> String {
    let mut entries: BTreeMap<&str, Entry<'_>> = BTreeMap::new();
    let newest = |ids: &[usize]| ids.iter().map(|&id| content.articles[id].parsed.date).max();
    for article in content.articles.iter().filter(|a| a.listed()) {
        let alternates = if article.translations.len() > 1 {
            article
                .translations
                .iter()
                .map(|&t| &content.articles[t])
                .filter(|t| t.listed())
                .map(|t| (t.parsed.lang.as_str(), t.url.as_str()))
                .collect()
        } else {
            Vec::new()
        };
        entries.insert(
            &article.url,
            (
                Some(article.parsed.updated.unwrap_or(article.parsed.date)),
                alternates,
            ),
        );
    }
    for section in &content.sections {
        entries.insert(&section.url, (newest(&section.pages), Vec::new()));
    }
    for taxonomy in &content.taxonomies {
        if taxonomy.terms.is_empty() {
            continue;
        }
        entries.insert(&taxonomy.url, (None, Vec::new()));
        for term in &taxonomy.terms {
            entries.insert(&term.url, (newest(&term.pages), Vec::new()));
        }
    }
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for (url, (lastmod, alternates)) in entries {
        let _ = write!(
            xml,
            "<url><loc>{}</loc>",
            escape(config.absolute(url).as_str())
        );
        if let Some(lastmod) = lastmod {
            let _ = write!(xml, "<lastmod>{}</lastmod>", lastmod.to_rfc3339());
        }
        for (lang, href) in alternates {
            let _ = write!(
                xml,
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                escape(lang),
                escape(config.absolute(href).as_str())
            );
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// robots.txt: everything allowed, the sitemap named.
pub(super) fn robots(config: &Config) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        config.absolute(&format!("{}/sitemap.xml", config.base_path))
    )
}
