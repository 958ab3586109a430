//! Permalink rules: where each item of the site lives.

use crate::config::Config;
use crate::slug::slugify;

/// URL of a section folder (`news/region` → `/ru/news/region/`).
pub fn section_url(config: &Config, lang: &str, dir: &str) -> String {
    let mut url = config.language_prefix(lang);
    for segment in dir.split('/').filter(|s| !s.is_empty()) {
        url.push('/');
        url.push_str(&slug_or_keep(segment, config));
    }
    url.push('/');
    url
}

/// URL of an article: its section's URL plus its slug.
pub fn article_url(config: &Config, lang: &str, section_dir: &str, slug: &str) -> String {
    format!("{}{slug}/", section_url(config, lang, section_dir))
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
    format!("{}/{taxonomy}/", config.language_prefix(lang))
}

fn slug_or_keep(segment: &str, config: &Config) -> String {
    let slug = slugify(segment, config.slugify);
    if slug.is_empty() {
        segment.to_string()
    } else {
        slug
    }
}

/// The file an output URL is written to: `/news/` → `news/index.html`,
/// `/atom.xml` → `atom.xml`.
pub fn output_file(base_path: &str, url: &str) -> String {
    let path = url
        .strip_prefix(base_path)
        .unwrap_or(url)
        .trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
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
    fn pager_urls() {
        assert_eq!(pager_url("/news/", 1), "/news/");
        assert_eq!(pager_url("/news/", 3), "/news/page/3/");
    }
}
