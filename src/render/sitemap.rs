//! Sitemaps by the sitemaps.org protocol (every listed page, absolute URLs,
//! `lastmod`, language alternates) and robots.txt naming them.
//!
//! One file holds at most 50,000 URLs and 50 MB. A site with more gets
//! `/sitemap.xml` as a `<sitemapindex>` of `/sitemap-1.xml`, `/sitemap-2.xml`, …,
//! each within those limits.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::feeds::escape;
use chrono::{DateTime, FixedOffset};

use super::memo::{Print, Prints};
use super::plan::{Bytes, Output, Outputs, PlanInput, Planned, Problems};
use super::prepared::Prepared;
use crate::config::Config;
use crate::link::ArticleId;
use crate::link::ContentTree;
use crate::packed::PackedText;

/// Plan `/sitemap.xml`, its numbered parts when it needs more than one
/// file, and robots.txt.
pub(super) fn plan(input: &PlanInput<'_>, outputs: &mut Outputs<'_>) {
    let root = &input.config.base_path;
    let parts = input.sitemap_parts;
    outputs.add(format!("{root}/sitemap.xml"), "sitemap", SitemapFile(0));
    for n in (1..=parts).filter(|_| parts > 1) {
        let url = part_url(input.config, n);
        outputs.add(url, format!("sitemap part {n}"), SitemapFile(n));
    }
    outputs.add(format!("{root}/robots.txt"), "robots.txt", Robots);
}

/// `/sitemap.xml` (0) or its part `n` (1-based), made from the build's
/// `Sitemap`. It is made from the config and the content tree's layout (a
/// session keeps it while they stand), and so are its files.
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

    fn fingerprint(&self, _: &Planned, site: &Prepared<'_>, prints: &Prints) -> Option<u64> {
        let layout = site.content.layout_key?;
        let mut print = Print::new("sitemap-file");
        Some(
            print
                .add(prints.generation)
                .add(layout)
                .add(self.0)
                .finish(),
        )
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
/// Bytes of a file around its elements.
const FRAME: usize = URLSET_OPEN.len() + URLSET_CLOSE.len();

/// A sitemap entry: last modification, and the listed article whose
/// translations are its language alternates.
type Entry = (Option<DateTime<FixedOffset>>, Option<ArticleId>);

/// Every URL of the sitemap, sorted, split into files within the limits.
pub(super) struct Sitemap {
    /// The `<url>` elements of each file, packed: an archive's sitemap is
    /// tens of megabytes, held from the plan to the file's render.
    parts: Vec<PackedText>,
    /// Newest `lastmod` of each file.
    newest: Vec<Option<DateTime<FixedOffset>>>,
}

impl Sitemap {
    /// The sitemap of `content`, split by `limits`.
    pub(super) fn new(config: &Config, content: &ContentTree, limits: Limits) -> Self {
        let mut sitemap = Sitemap {
            parts: Vec::new(),
            newest: Vec::new(),
        };
        let mut cutter = Cutter::new(limits);
        let (mut part, mut element) = (String::new(), String::new());
        let mut newest = None;
        for (url, entry) in entries(content) {
            element.clear();
            write_url(&mut element, config, content, url, entry);
            if cutter.starts_new(element.len()) {
                sitemap.parts.push(PackedText::pack(&part));
                sitemap.newest.push(newest.take());
                part.clear();
            }
            part.push_str(&element);
            newest = newest.max(entry.0);
        }
        sitemap.parts.push(PackedText::pack(&part));
        sitemap.newest.push(newest);
        sitemap
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
        for (n, newest) in self.newest.iter().enumerate() {
            let loc = config.absolute(&part_url(config, n + 1));
            let _ = write!(xml, "<sitemap><loc>{}</loc>", escape(loc.as_str()));
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
        let elements = self.parts.get(n - 1).map(PackedText::unpack);
        [URLSET_OPEN, &elements.unwrap_or_default(), URLSET_CLOSE].concat()
    }
}

/// Where files end in a sequence of `<url>` elements: before an element that
/// would take the file past a limit (an element larger than a file still
/// goes somewhere, alone).
struct Cutter {
    limits: Limits,
    /// Elements and bytes of the current file.
    urls: usize,
    bytes: usize,
}

impl Cutter {
    fn new(limits: Limits) -> Self {
        Cutter {
            limits,
            urls: 0,
            bytes: FRAME,
        }
    }

    /// Whether the next element, of `size` bytes, starts a new file.
    fn starts_new(&mut self, size: usize) -> bool {
        let full = self.urls == self.limits.urls || self.bytes + size > self.limits.bytes;
        let cut = self.urls > 0 && full;
        if cut {
            (self.urls, self.bytes) = (0, FRAME);
        }
        self.urls += 1;
        self.bytes += size;
        cut
    }
}

/// Site URL of sitemap part `n`: `/sitemap-<n>.xml`.
fn part_url(config: &Config, n: usize) -> String {
    format!("{}/sitemap-{n}.xml", config.base_path)
}

/// Listed articles (with their translations as alternates), sections, and the
/// lists of taxonomies that have terms; sorted by URL.
fn entries(content: &ContentTree) -> BTreeMap<&str, Entry> {
    let mut entries: BTreeMap<&str, Entry> = BTreeMap::new();
    let newest = |ids: &[usize]| ids.iter().map(|&id| content.articles[id].parsed.date).max();
    for (id, article) in content.articles.iter().enumerate() {
        if article.listed() {
            let lastmod = article.parsed.updated.unwrap_or(article.parsed.date);
            let translated = article.translations.len() > 1;
            entries.insert(&article.url, (Some(lastmod), translated.then_some(id)));
        }
    }
    for section in &content.sections {
        entries.insert(&section.url, (newest(&section.pages), None));
    }
    for taxonomy in content.taxonomies.iter().filter(|t| !t.terms.is_empty()) {
        entries.insert(&taxonomy.url, (None, None));
        for term in &taxonomy.terms {
            entries.insert(&term.url, (newest(&term.pages), None));
        }
    }
    entries
}

fn write_url(
    xml: &mut String,
    config: &Config,
    content: &ContentTree,
    url: &str,
    (lastmod, translated): Entry,
) {
    let _ = write!(
        xml,
        "<url><loc>{}</loc>",
        escape(config.absolute(url).as_str())
    );
    if let Some(lastmod) = lastmod {
        let _ = write!(xml, "<lastmod>{}</lastmod>", lastmod.to_rfc3339());
    }
    let translations = translated.map_or(&[][..], |id| &content.articles[id].translations);
    let alternates = (translations.iter())
        .map(|&t| &content.articles[t])
        .filter(|t| t.listed());
    for alternate in alternates {
        let _ = write!(
            xml,
            "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
            escape(&alternate.parsed.lang),
            escape(config.absolute(&alternate.url).as_str())
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
    use std::ops::Range;

    use super::*;

    fn limits(urls: usize, bytes: usize) -> Limits {
        Limits { urls, bytes }
    }

    /// The files' ranges of elements of these sizes.
    fn split(sizes: impl Iterator<Item = usize>, limits: Limits) -> Vec<Range<usize>> {
        let mut cutter = Cutter::new(limits);
        let mut parts = Vec::new();
        parts.push(0..0);
        for (i, size) in sizes.enumerate() {
            if cutter.starts_new(size) {
                parts.push(i..i);
            }
            if let Some(part) = parts.last_mut() {
                part.end = i + 1;
            }
        }
        parts
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
        // Room for exactly two 100-byte elements per file.
        let parts = split(std::iter::repeat_n(100, 5), limits(50_000, FRAME + 200));
        assert_eq!(parts, [0..2, 2..4, 4..5]);
        // An element larger than a file still goes somewhere, alone.
        assert_eq!(
            split([10, 1_000, 10].into_iter(), limits(50_000, FRAME + 100)),
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
