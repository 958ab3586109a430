//! The template contract: what each template gets, as borrowed, serializable
//! structs. Field docs here are the theme author's reference (see README).

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use crate::config::Config;
use crate::link::{ContentTree, Section, Term};
use crate::parse::TocEntry;

/// `site`: site.yaml values in the current language.
#[derive(Serialize)]
pub struct SiteContext<'a> {
    /// Site title in this language.
    pub title: &'a str,
    /// Absolute base URL, no trailing slash.
    pub base_url: &'a str,
    /// Description in this language.
    pub description: &'a str,
    /// Code of the default language.
    pub default_language: &'a str,
    /// URL of this language's home page.
    pub home: String,
    /// Every language: {code, title, url of its home}.
    pub languages: Vec<LanguageLink<'a>>,
    /// Taxonomies of this language: {name, url}.
    pub taxonomies: Vec<NamedLink<'a>>,
    /// Top-level sections of this language: {title, url, path} (navigation;
    /// `get_section(path=s.path ~ "/_index.md")` gives a section's articles).
    pub sections: Vec<SectionLink<'a>>,
    /// The site's feeds in this language: [{kind, type, url}] (empty: no feeds).
    pub feeds: Vec<FeedLink>,
    /// Whether site.yaml asks for search (`search:`, default true).
    pub search: bool,
    /// The data files under `data/`, by path (`site.data.consular.fees`).
    pub data: &'a serde_json::Value,
    /// This language's menus, resolved (the `menus` variable adds `active`).
    pub menus: Option<&'a BTreeMap<String, Vec<crate::link::menus::MenuLink>>>,
    /// `extra:` from site.yaml.
    pub extra: &'a serde_json::Value,
}

/// A language and its home page.
#[derive(Serialize)]
pub struct LanguageLink<'a> {
    /// Code.
    pub code: &'a str,
    /// Site title in it.
    pub title: &'a str,
    /// Its home URL.
    pub url: String,
}

/// A titled link.
#[derive(Serialize)]
pub struct Link<'a> {
    /// Title.
    pub title: &'a str,
    /// Site-relative URL.
    pub url: &'a str,
}

/// A link to a section: {title, url, path}.
#[derive(Serialize)]
pub struct SectionLink<'a> {
    /// Title.
    pub title: &'a str,
    /// Site-relative URL.
    pub url: &'a str,
    /// Folder under content/ (`news`).
    pub path: &'a str,
}

impl<'a> SectionLink<'a> {
    /// The link to section `id`.
    pub fn of(content: &'a ContentTree, id: usize) -> Self {
        let s = &content.sections[id];
        SectionLink {
            title: &s.title,
            url: &s.url,
            path: &s.dir,
        }
    }
}

/// A named link (taxonomies).
#[derive(Serialize)]
pub struct NamedLink<'a> {
    /// Name.
    pub name: &'a str,
    /// Site-relative URL.
    pub url: &'a str,
}

/// A language version of the current item.
#[derive(Serialize)]
pub struct Translation<'a> {
    /// Language code.
    pub lang: &'a str,
    /// Its title.
    pub title: &'a str,
    /// Site-relative URL.
    pub url: &'a str,
    /// Absolute URL.
    pub permalink: String,
}

/// A taxonomy term on an article: {name, slug, url}.
#[derive(Serialize)]
pub struct TermLink<'a> {
    /// As written.
    pub name: &'a str,
    /// URL segment.
    pub slug: &'a str,
    /// Site-relative URL of the term's page.
    pub url: &'a str,
}

/// An article as lists show it (`section.pages`, `paginator.pages`, `page.related`,
/// `get_page()`); `page.html` gets this plus the fields of `PageContext`.
#[derive(Serialize)]
pub struct ArticleSummary<'a> {
    /// Title.
    pub title: &'a str,
    /// Publication time, RFC 3339 (format with the `date` filter).
    pub date: String,
    /// Last update, RFC 3339.
    pub updated: Option<String>,
    /// Expiry, RFC 3339.
    pub expires: Option<String>,
    /// Past its expiry: the theme shows an "archived" notice.
    pub expired: bool,
    /// Marked `draft: true` (only published with `--drafts`).
    pub draft: bool,
    /// Authors.
    pub authors: Vec<&'a str>,
    /// Summary, HTML.
    pub summary: &'a str,
    /// Plain-text description.
    pub description: &'a str,
    /// Minutes.
    pub reading_time: usize,
    /// Words, only when a template reads them from list items
    /// (`Templates::lists_show_word_count`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub word_count: Option<usize>,
    /// Absolute URL.
    pub permalink: String,
    /// Site-relative URL.
    pub url: &'a str,
    /// Last URL segment.
    pub slug: &'a str,
    /// Language code.
    pub lang: &'a str,
    /// Section folder (`news`).
    pub section: &'a str,
    /// Taxonomy name → terms (`TermLink`s, from `term_links`).
    pub taxonomies: BTreeMap<&'a str, Vec<Value>>,
    /// Lead image URL (site-relative, or absolute when written so).
    pub image: Option<String>,
    /// Lead image URL, absolute (Open Graph, feeds).
    pub image_permalink: Option<String>,
    /// For photos (JPEG, PNG, WebP) of the site: the path `resize_image` takes
    /// (`news/visit/photo.jpg`); null for SVG and remote images.
    pub image_source: Option<String>,
    /// Width and height of a lead image of the site (any format, SVG too), for
    /// `<img width height>`; null for remote images.
    pub image_width: Option<u32>,
    /// See `image_width`.
    pub image_height: Option<u32>,
    /// Lead image alt text.
    pub image_alt: Option<&'a str>,
    /// Weight.
    pub weight: Option<i64>,
    /// `extra:` from front matter.
    pub extra: serde_json::Value,
}

/// `page` in page.html.
#[derive(Serialize)]
pub struct PageContext<'a> {
    /// Everything lists show.
    #[serde(flatten)]
    pub summary: ArticleSummary<'a>,
    /// The body, HTML (unpacked for this page only).
    pub content: String,
    /// Words (CJK characters count one each), when the list item does not
    /// already carry them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub word_count: Option<usize>,
    /// Table of contents: [{level, id, title, children}].
    pub toc: Vec<TocEntry>,
    /// Every language version, this one included: [{lang, title, url, permalink}].
    pub translations: Vec<Translation<'a>>,
    /// Next article down the section's order: {title, url} or null.
    pub lower: Option<Link<'a>>,
    /// Next article up the section's order: {title, url} or null.
    pub higher: Option<Link<'a>>,
    /// Up to five articles sharing tags (list items).
    pub related: Vec<ArticleSummary<'a>>,
    /// URLs of the bundle's files.
    pub assets: Vec<&'a str>,
}

/// `section` in index.html and section.html.
#[derive(Serialize)]
pub struct SectionContext<'a> {
    /// Title.
    pub title: &'a str,
    /// `_index.md` body, HTML.
    pub content: String,
    /// `_index.md` description.
    pub description: &'a str,
    /// Site-relative URL.
    pub url: &'a str,
    /// Absolute URL.
    pub permalink: String,
    /// Folder (`news`, `""` for the home).
    pub path: &'a str,
    /// Language code.
    pub lang: &'a str,
    /// Every listed article in order (list items).
    pub pages: Value,
    /// Child sections: {title, url, path}.
    pub subsections: Vec<SectionLink<'a>>,
    /// `extra:` from `_index.md`.
    pub extra: serde_json::Value,
}

/// `paginator`.
#[derive(Serialize)]
pub struct PaginatorContext<'a> {
    /// The items of this page.
    pub pages: Value,
    /// 1-based page number.
    pub current: usize,
    /// Number of pages.
    pub total: usize,
    /// Number of items in all pages.
    pub total_items: usize,
    /// Items per page.
    pub per_page: usize,
    /// URL of the previous page, null on the first.
    pub previous: Option<String>,
    /// URL of the next page, null on the last.
    pub next: Option<String>,
    /// URL of the first page.
    pub first: &'a str,
    /// URL of the last page.
    pub last: String,
}

/// `taxonomy`.
#[derive(Serialize)]
pub struct TaxonomyContext<'a> {
    /// Name (`tags`).
    pub name: &'a str,
    /// Site-relative URL of the term list.
    pub url: &'a str,
    /// Absolute URL.
    pub permalink: String,
    /// Terms: {name, slug, url, count}.
    pub terms: Vec<TermItem<'a>>,
}

/// A term in a taxonomy's list (and `term` in taxonomy_term.html).
#[derive(Serialize)]
pub struct TermItem<'a> {
    /// As written.
    pub name: &'a str,
    /// URL segment.
    pub slug: &'a str,
    /// Site-relative URL.
    pub url: &'a str,
    /// Listed articles with it.
    pub count: usize,
}

impl<'a> TermItem<'a> {
    /// The list entry of `term`.
    pub fn of(term: &'a Term) -> Self {
        TermItem {
            name: &term.name,
            slug: &term.slug,
            url: &term.url,
            count: term.pages.len(),
        }
    }
}

/// The `site` value of a language.
pub fn site_context<'a>(
    config: &'a Config,
    content: &'a ContentTree,
    data: &'a serde_json::Value,
    lang: &str,
) -> SiteContext<'a> {
    let language = config
        .languages
        .iter()
        .find(|l| l.code == lang)
        .unwrap_or(&config.languages[0]);
    let sections = content
        .home(lang)
        .map(|home| {
            home.subsections
                .iter()
                .map(|&id| SectionLink::of(content, id))
                .collect()
        })
        .unwrap_or_default();
    SiteContext {
        title: &language.title,
        base_url: &config.base_url,
        description: &language.description,
        default_language: config.default_language(),
        home: format!("{}/", config.language_prefix(lang)),
        languages: config
            .languages
            .iter()
            .map(|l| LanguageLink {
                code: &l.code,
                title: &l.title,
                url: format!("{}/", config.language_prefix(&l.code)),
            })
            .collect(),
        taxonomies: content
            .taxonomies
            .iter()
            .filter(|t| t.lang == lang)
            .map(|t| NamedLink {
                name: &t.name,
                url: &t.url,
            })
            .collect(),
        sections,
        feeds: feed_links(config, &format!("{}/", config.language_prefix(lang))),
        search: config.search,
        data,
        menus: content.menus.get(lang),
        extra: &config.extra,
    }
}

/// A feed of a list page, for `<link rel="alternate">`.
#[derive(Serialize)]
pub struct FeedLink {
    /// `atom`, `rss` or `json`.
    pub kind: &'static str,
    /// Media type (`application/atom+xml`).
    #[serde(rename = "type")]
    pub media_type: &'static str,
    /// Site-relative URL.
    pub url: String,
}

/// The feeds beside the list page at `page_url`, one per kind site.yaml names.
pub fn feed_links(config: &Config, page_url: &str) -> Vec<FeedLink> {
    config
        .feeds
        .iter()
        .map(|&kind| FeedLink {
            kind: kind.name(),
            media_type: kind.media_type(),
            url: format!("{page_url}{}", kind.file_name()),
        })
        .collect()
}

/// The file of a front matter image of the site: in the bundle, or under static/.
pub(crate) fn image_file(
    config: &Config,
    source: &crate::load::SourceFile,
    image: &str,
) -> Option<std::path::PathBuf> {
    if crate::parse::markdown::is_external(image) {
        return None;
    }
    let clean = image.split(['?', '#']).next().unwrap_or(image);
    Some(match clean.strip_prefix('/') {
        Some(rooted) => config.root.join(crate::load::STATIC_DIR).join(rooted),
        None => crate::load::content_path(config, source.folder()).join(clean),
    })
}

/// The `resize_image` path of a front matter image, when it is a photo of the site.
pub(crate) fn image_source(source: &crate::load::SourceFile, image: &str) -> Option<String> {
    let lower = image.to_lowercase();
    let raster = [".jpg", ".jpeg", ".png", ".webp"]
        .iter()
        .any(|ext| lower.ends_with(ext));
    if !raster || crate::parse::markdown::is_external(image) {
        return None;
    }
    Some(match image.strip_prefix('/') {
        Some(rooted) => rooted.to_string(),
        None if source.folder().is_empty() => image.to_string(),
        None => format!("{}/{image}", source.folder()),
    })
}

/// Where an image path written in front matter is published: absolute URLs as
/// they are, `/x.jpg` under the site root, anything else beside the page.
pub fn asset_url(config: &Config, page_url: &str, path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        path.to_string()
    } else if let Some(rooted) = path.strip_prefix('/') {
        format!("{}/{rooted}", config.base_path)
    } else {
        format!("{page_url}{path}")
    }
}

/// The section value of `section` (`pages` is shared, not copied).
pub fn section_context<'a>(
    config: &Config,
    content: &'a ContentTree,
    section: &'a Section,
    pages: Value,
) -> SectionContext<'a> {
    let meta = section.index.as_ref().map(|i| &i.meta);
    SectionContext {
        title: &section.title,
        content: section
            .index
            .as_ref()
            .map_or_else(String::new, |i| i.body.html.unpack()),
        description: meta
            .and_then(|m| m.description.as_deref())
            .unwrap_or_default(),
        url: &section.url,
        permalink: config.absolute(&section.url),
        path: &section.dir,
        lang: &section.lang,
        pages,
        subsections: section
            .subsections
            .iter()
            .map(|&id| SectionLink::of(content, id))
            .collect(),
        extra: extra_value(meta.and_then(|m| m.extra.as_deref())),
    }
}

/// `extra:` for templates: always a map, so `page.extra.x is defined` works.
fn extra_value(extra: Option<&crate::yaml::YamlValue>) -> serde_json::Value {
    match extra.map(serde_json::to_value) {
        Some(Ok(value @ serde_json::Value::Object(_))) => value,
        _ => serde_json::Value::Object(Default::default()),
    }
}
