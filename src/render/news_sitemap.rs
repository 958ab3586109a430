//! `/sitemap-news.xml` (with `news_sitemap:` in site.yaml): the Google News
//! sitemap of the articles published in the 48 hours before the build time
//! (`SOURCE_DATE_EPOCH` when set), newest first, at most 1,000.

use std::fmt::Write;

use super::feeds::escape;
use super::memo::Prints;
use super::plan::{Bytes, Output, Outputs, PlanInput, Planned, Problems};
use super::prepared::Prepared;
use crate::config::Config;
use crate::link::ContentTree;

/// Google News reads at most this many URLs from one news sitemap.
const MOST: usize = 1000;

/// Site URL of the news sitemap.
pub(super) fn url(config: &Config) -> String {
    format!("{}/sitemap-news.xml", config.base_path)
}

/// Plan the news sitemap, when site.yaml asks for it.
pub(super) fn plan(input: &PlanInput<'_>, outputs: &mut Outputs<'_>) {
    if input.config.news_sitemap.is_some() {
        let source = "news_sitemap in site.yaml";
        outputs.add(url(input.config), source, NewsSitemap);
    }
}

/// The news sitemap: made again every build, as it depends on the build's time.
#[derive(Debug)]
struct NewsSitemap;

impl Output for NewsSitemap {
    fn render<'p>(&'p self, _: &Planned, site: &Prepared<'_>) -> Result<Bytes<'p>, Problems> {
        let xml = news_sitemap(site.config, site.content);
        Ok(Bytes::Made(xml.into_bytes()))
    }

    fn fingerprint(&self, _: &Planned, _: &Prepared<'_>, _: &Prints) -> Option<u64> {
        None
    }
}

/// The news sitemap's XML.
fn news_sitemap(config: &Config, content: &ContentTree) -> String {
    let now = config.now.fixed_offset();
    let since = now - chrono::Duration::hours(48);
    let mut recent: Vec<_> = content
        .articles
        .iter()
        .filter(|a| a.listed() && a.parsed.date > since && a.parsed.date <= now)
        .collect();
    recent.sort_by(|a, b| {
        b.parsed
            .date
            .cmp(&a.parsed.date)
            .then_with(|| a.url.cmp(&b.url))
    });
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n",
    );
    for article in recent.into_iter().take(MOST) {
        let lang = &article.parsed.lang;
        let name = config.news_sitemap.clone().flatten().unwrap_or_else(|| {
            config
                .languages
                .iter()
                .find(|l| &l.code == lang)
                .map_or_else(|| config.title.clone(), |l| l.title.clone())
        });
        let _ = writeln!(
            xml,
            "<url><loc>{loc}</loc><news:news><news:publication><news:name>{name}</news:name><news:language>{language}</news:language></news:publication><news:publication_date>{date}</news:publication_date><news:title>{title}</news:title></news:news></url>",
            loc = escape(config.absolute(&article.url).as_str()),
            name = escape(name.as_str()),
            language = news_language(lang),
            date = article.parsed.date.to_rfc3339(),
            title = escape(article.parsed.meta.title.as_deref().unwrap_or_default()),
        );
    }
    xml.push_str("</urlset>\n");
    xml
}

/// The language code Google News expects: ISO 639, except Chinese, which is
/// `zh-cn` (Simplified) or `zh-tw` (Traditional).
fn news_language(code: &str) -> String {
    let tag = code.replace('_', "-").to_ascii_lowercase();
    let primary = tag.split('-').next().unwrap_or_default();
    if primary != "zh" {
        return primary.to_string();
    }
    let traditional = ["hant", "tw", "hk", "mo"]
        .iter()
        .any(|t| tag.split('-').skip(1).any(|part| part == *t));
    if traditional { "zh-tw" } else { "zh-cn" }.to_string()
}

#[cfg(test)]
mod tests {
    use super::news_language;

    #[test]
    fn languages_as_google_news_writes_them() {
        assert_eq!(news_language("ru"), "ru");
        assert_eq!(news_language("en-GB"), "en");
        assert_eq!(news_language("zh"), "zh-cn");
        assert_eq!(news_language("zh-Hans-CN"), "zh-cn");
        assert_eq!(news_language("zh-Hant"), "zh-tw");
        assert_eq!(news_language("zh_TW"), "zh-tw");
    }
}
