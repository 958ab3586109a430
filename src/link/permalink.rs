//! Permalink rules: where each item of the site lives.

use crate::config::Config;
use crate::slug::slugify;

/// The URL segments sections give themselves per language: (folder,
/// language) → the `slug` of the folder's `_index.<lang>.md` (`novosti`).
#[derive(Debug, Clone, Default)]
pub struct SectionSlugs(std::collections::HashMap<(String, String), String>);

impl SectionSlugs {
    /// Record that `dir`'s index in `lang` names the segment `slug`.
    pub fn insert(&mut self, dir: &str, lang: &str, slug: &str) {
        self.0
            .insert((dir.to_string(), lang.to_string()), slug.to_string());
    }

    fn get(&self, dir: &str, lang: &str) -> Option<&str> {
        self.0
            .get(&(dir.to_string(), lang.to_string()))
            .map(String::as_str)
    }
}

/// URL of a section folder (`news/region` → `/ru/news/region/`, or
/// `/ru/novosti/region/` when `news/_index.ru.md` says `slug: novosti`).
pub fn section_url(config: &Config, lang: &str, dir: &str, slugs: &SectionSlugs) -> String {
    let mut url = config.language_prefix(lang);
    let mut prefix = String::new();
    for segment in dir.split('/').filter(|s| !s.is_empty()) {
        if !prefix.is_empty() {
            prefix.push('/');
        }
        prefix.push_str(segment);
        url.push('/');
        let own = slugs.get(&prefix, lang).map(str::to_string);
        url.push_str(&encode_segment(
            &own.unwrap_or_else(|| slug_or_keep(segment, config)),
        ));
    }
    url.push('/');
    url
}

/// URL of an article: its section's URL plus its slug.
pub fn article_url(
    config: &Config,
    lang: &str,
    section_dir: &str,
    slug: &str,
    slugs: &SectionSlugs,
) -> String {
    format!(
        "{}{}/",
        section_url(config, lang, section_dir, slugs),
        encode_segment(slug)
    )
}

/// URL of page `n` (1-based) of a list whose first page is `first`.
pub fn pager_url(first: &str, n: usize) -> String {
    if n <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{n}/")
    }
}

/// URL of a taxonomy's term list (`/ru/tags/`).
pub fn taxonomy_url(config: &Config, lang: &str, taxonomy: &str) -> String {
    format!(
        "{}/{}/",
        config.language_prefix(lang),
        encode_segment(taxonomy)
    )
}

fn slug_or_keep(segment: &str, config: &Config) -> String {
    let slug = slugify(segment, config.slugify);
    if slug.is_empty() {
        segment.to_string()
    } else {
        slug
    }
}

/// Characters kept as they are in URL segments; everything else (non-ASCII
/// letters of `unicode`/`off` slugs, spaces) is percent-encoded in links.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// One URL segment as it goes into links: `визит` → `%D0%B2%D0%B8…`.
pub fn encode_segment(segment: &str) -> String {
    percent_encoding::utf8_percent_encode(segment, SEGMENT).to_string()
}

/// The file an output URL is written to: `/news/` → `news/index.html`,
/// `/atom.xml` → `atom.xml`; percent-encoded segments are decoded.
pub fn output_file(base_path: &str, url: &str) -> String {
    let path = url
        .strip_prefix(base_path)
        .unwrap_or(url)
        .trim_start_matches('/');
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_files_are_pretty() {
        assert_eq!(output_file("", "/"), "index.html");
        assert_eq!(output_file("", "/news/visit/"), "news/visit/index.html");
        assert_eq!(output_file("/sub", "/sub/atom.xml"), "atom.xml");
        assert_eq!(output_file("", "/404.html"), "404.html");
    }

    #[test]
    fn unicode_segments_are_encoded_in_links_and_decoded_on_disk() {
        assert_eq!(encode_segment("визит"), "%D0%B2%D0%B8%D0%B7%D0%B8%D1%82");
        assert_eq!(encode_segment("e-visa_2.0"), "e-visa_2.0");
        assert_eq!(
            output_file("", "/ru/%D0%B2%D0%B8%D0%B7%D0%B8%D1%82/"),
            "ru/визит/index.html"
        );
    }

    #[test]
    fn pager_urls() {
        assert_eq!(pager_url("/news/", 1), "/news/");
        assert_eq!(pager_url("/news/", 3), "/news/page/3/");
    }
}
