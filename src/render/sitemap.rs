//! Sitemaps by the sitemaps.org protocol (every listed page, absolute URLs,
//! `lastmod`, language alternates) and robots.txt naming them.
//!
//! One file holds at most 50,000 URLs and 50 MB. A site with more gets
//! `/sitemap.xml` as a `<sitemapindex>` of `/sitemap-1.xml`, `/sitemap-2.xml`, …,
//! each within those limits.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::ops::Range;

use super::feeds::escape;
use chrono::{DateTime, FixedOffset};

use super::memo::{Print, Prints};
use super::plan::{Bytes, Output, Outputs, PlanInput, Planned, Problems};
use super::prepared::Prepared;
use crate::config::Config;
use crate::link::ContentTree;

/// Plan `/sitemap.xml`, its numbered parts when it needs more than one
/// file, and robots.txt.
pub(super) fn plan(input: &PlanInput<'_>, outputs: &mut Outputs<'_>) {
    let root = &input.config.base_path;
    let parts = input.sitemap_parts;
    outputs.add(
        format!("{root}/sitemap.xml"),
        "sitemap".into(),
        SitemapFile(0),
    );
    for n in (1..=parts).filter(|_| parts > 1) {
        let url = part_url(input.config, n);
        outputs.add(url, format!("sitemap part {n}"), SitemapFile(n));
    }
    outputs.add(format!("{root}/robots.txt"), "robots.txt".into(), Robots);
}

/// `/sitemap.xml` (0) or its part `n` (1-based), made from the build's
/// `Sitemap`: made again every build, as the sitemap is made once for all.
#[derive(Debug)]
struct SitemapFile(usize);

impl Output for SitemapFile {
    fn render<'p>(&'p self, _: &Planned, site: &Prepared<'_>) -> Result<Bytes<'p>, Problems> {
        let xml = match self.0 {
            0 => site.sitemap.main_file(site.config),
            n => site.sitemap.part(n),
        };
        Ok(Bytes::Made(xml.into_bytes()))
    }

    fn fingerprint(&self, _: &Planned, _: &Prepared<'_>, _: &Prints) -> Option<u64> {
        None
    }
}

/// robots.txt.
#[derive(Debug)]
struct Robots;

impl Output for Robots {
    fn render<'p>(&'p self, _: &Planned, site: &Prepared<'_>) -> Result<Bytes<'p>, Problems> {
        Ok(Bytes::Made(robots(site.config).into_bytes()))
    }

    fn fingerprint(&self, _: &Planned, _: &Prepared<'_>, prints: &Prints) -> Option<u64> {
        Some(Print::new("robots").add(prints.generation).finish())
    }
}

/// What one sitemap file may hold.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    pub(super) urls: usize,
    pub(super) bytes: usize,
}

/// The protocol's limits.
pub(super) const PROTOCOL: Limits = Limits {
    urls: 50_000,
    bytes: 50 * 1024 * 1024,
};

const URLSET_OPEN: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
const URLSET_CLOSE: &str = "</urlset>\n";

/// A sitemap entry: last modification and language alternates (lang, URL).
type Entry<'a> = (Option<DateTime<FixedOffset>>, Vec<(&'a str, &'a str)>);

/// Every URL of the sitemap, sorted, split into files within the limits.
pub(super) struct Sitemap {
    /// Every `<url>` element, in order, written once.
    elements: String,
    /// Where each element ends in `elements`.
    ends: Vec<usize>,
    /// Newest `lastmod` of each element.
    lastmods: Vec<Option<DateTime<FixedOffset>>>,
    /// Elements of each file.
    parts: Vec<Range<usize>>,
}

impl Sitemap {
    /// The sitemap of `content`, split by `limits`.
    pub(super) fn new(config: &Config, content: &ContentTree, limits: Limits) -> Self {
        let entries = entries(content);
        let mut elements = String::new();
        let mut ends = Vec::with_capacity(entries.len());
        let mut lastmods = Vec::with_capacity(entries.len());
        for (url, entry) in &entries {
            write_url(&mut elements, config, url, entry);
            ends.push(elements.len());
            lastmods.push(entry.0);
        }
        let sizes = ends.iter().scan(0, |start, &end| {
            let size = end - *start;
            *start = end;
            Some(size)
        });
        let parts = split(sizes, limits);
        Sitemap {
            elements,
            ends,
            lastmods,
            parts,
        }
    }

    /// Number of `<urlset>` files: 1 means `/sitemap.xml` is the only one.
    pub(super) fn part_count(&self) -> usize {
        self.parts.len()
    }

    /// `/sitemap.xml`: the only `<urlset>`, or the `<sitemapindex>` of the parts.
    pub(super) fn main_file(&self, config: &Config) -> String {
        if self.parts.len() == 1 {
            return self.part(1);
        }
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (n, range) in self.parts.iter().enumerate() {
            let loc = config.absolute(&part_url(config, n + 1));
            let _ = write!(xml, "<sitemap><loc>{}</loc>", escape(loc.as_str()));
            let newest = self.lastmods[range.clone()].iter().flatten().max();
            if let Some(lastmod) = newest {
                let _ = write!(xml, "<lastmod>{}</lastmod>", lastmod.to_rfc3339());
            }
            xml.push_str("</sitemap>\n");
        }
        if config.news_sitemap.is_some() {
            let loc = config.absolute(&super::news_sitemap::url(config));
            let _ = writeln!(
                xml,
                "<sitemap><loc>{}</loc></sitemap>",
                escape(loc.as_str())
            );
        }
        xml.push_str("</sitemapindex>\n");
        xml
    }

    /// The `<urlset>` of part `n` (1-based).
    pub(super) fn part(&self, n: usize) -> String {
        let range = self.parts.get(n - 1).cloned().unwrap_or_default();
        let at = |i: usize| if i == 0 { 0 } else { self.ends[i - 1] };
        let elements = &self.elements[at(range.start)..at(range.end)];
        [URLSET_OPEN, elements, URLSET_CLOSE].concat()
    }
}

/// Ranges of consecutive `<url>` elements (of the given byte sizes) that fit
/// one file each; always at least one range.
fn split(sizes: impl Iterator<Item = usize>, limits: Limits) -> Vec<Range<usize>> {
    let frame = URLSET_OPEN.len() + URLSET_CLOSE.len();
    let mut parts = Vec::new();
    let (mut start, mut bytes, mut end) = (0, frame, 0);
    for (i, size) in sizes.enumerate() {
        if i > start && (i - start == limits.urls || bytes + size > limits.bytes) {
            parts.push(start..i);
            (start, bytes) = (i, frame);
        }
        bytes += size;
        end = i + 1;
    }
    parts.push(start..end);
    parts
}

/// Site URL of sitemap part `n`: `/sitemap-<n>.xml`.
fn part_url(config: &Config, n: usize) -> String {
    format!("{}/sitemap-{n}.xml", config.base_path)
}

/// Listed articles (with their translations as alternates), sections, and the
/// lists of taxonomies that have terms; sorted by URL.
fn entries(content: &ContentTree) -> BTreeMap<&str, Entry<'_>> {
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
        let lastmod = article.parsed.updated.unwrap_or(article.parsed.date);
        entries.insert(&article.url, (Some(lastmod), alternates));
    }
    for section in &content.sections {
        entries.insert(&section.url, (newest(&section.pages), Vec::new()));
    }
    for taxonomy in content.taxonomies.iter().filter(|t| !t.terms.is_empty()) {
        entries.insert(&taxonomy.url, (None, Vec::new()));
        for term in &taxonomy.terms {
            entries.insert(&term.url, (newest(&term.pages), Vec::new()));
        }
    }
    entries
}

fn write_url(xml: &mut String, config: &Config, url: &str, (lastmod, alternates): &Entry<'_>) {
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

/// robots.txt: everything allowed, the sitemap named.
fn robots(config: &Config) -> String {
    let mut text = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        config.absolute(&format!("{}/sitemap.xml", config.base_path))
    );
    if config.news_sitemap.is_some() {
        let news = config.absolute(&super::news_sitemap::url(config));
        let _ = writeln!(text, "Sitemap: {news}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(urls: usize, bytes: usize) -> Limits {
        Limits { urls, bytes }
    }

    #[test]
    fn splits_at_the_url_limit() {
        let parts = split(std::iter::repeat_n(100, 7), limits(3, 1 << 20));
        assert_eq!(parts, [0..3, 3..6, 6..7]);
        assert_eq!(
            split(std::iter::repeat_n(100, 6), limits(3, 1 << 20)),
            [0..3, 3..6]
        );
    }

    #[test]
    fn splits_before_the_byte_limit() {
        let frame = URLSET_OPEN.len() + URLSET_CLOSE.len();
        // Room for exactly two 100-byte elements per file.
        let parts = split(std::iter::repeat_n(100, 5), limits(50_000, frame + 200));
        assert_eq!(parts, [0..2, 2..4, 4..5]);
        // An element larger than a file still goes somewhere, alone.
        assert_eq!(
            split([10, 1_000, 10].into_iter(), limits(50_000, frame + 100)),
            [0..1, 1..2, 2..3]
        );
    }

    #[test]
    fn an_empty_site_has_one_empty_part() {
        let parts = split(std::iter::empty(), PROTOCOL);
        assert_eq!(parts.len(), 1);
        assert!(parts[0].is_empty());
    }
}
