//! `RawConfig`: the serde mirror of site.yaml, exactly as written.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::yaml::YamlValue;

/// site.yaml as written; `Config::load` validates it into a `Config`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConfig {
    pub(crate) title: String,
    pub(crate) base_url: String,
    #[serde(default)]
    pub(crate) description: Option<String>,
    #[serde(default)]
    pub(crate) default_language: Option<String>,
    #[serde(default)]
    pub(crate) languages: BTreeMap<String, Option<RawLanguage>>,
    #[serde(default)]
    pub(crate) timezone: Option<String>,
    #[serde(default)]
    pub(crate) paginate_by: Option<usize>,
    #[serde(default)]
    pub(crate) taxonomies: Option<Vec<String>>,
    #[serde(default)]
    pub(crate) feeds: Option<RawFeeds>,
    #[serde(default)]
    pub(crate) search: Option<bool>,
    #[serde(default)]
    pub(crate) news_sitemap: Option<RawNewsSitemap>,
    #[serde(default)]
    pub(crate) menus: BTreeMap<String, Vec<super::MenuItem>>,
    #[serde(default)]
    pub(crate) translation_fallback: Option<bool>,
    #[serde(default)]
    pub(crate) highlight_theme: Option<String>,
    #[serde(default)]
    pub(crate) slugify: Option<String>,
    #[serde(default)]
    pub(crate) unsafe_html: Option<bool>,
    #[serde(default)]
    pub(crate) strings_fallback: Option<bool>,
    #[serde(default)]
    pub(crate) external_links_new_tab: Option<bool>,
    #[serde(default)]
    pub(crate) external_links_nofollow: Option<bool>,
    #[serde(default)]
    pub(crate) minify: Option<bool>,
    #[serde(default)]
    pub(crate) deploy: Option<YamlValue>,
    #[serde(default)]
    pub(crate) extra: Option<YamlValue>,
}

/// `feeds:`: `true` (Atom), `false` (none) or a list of kinds.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum RawFeeds {
    Switch(bool),
    Kinds(Vec<String>),
}

/// `news_sitemap:`: the Google News sitemap.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNewsSitemap {
    /// The publication's name (default: the site title of each language).
    #[serde(default)]
    pub(crate) publication: Option<String>,
}

/// One entry of `languages:`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLanguage {
    #[serde(default)]
    pub(crate) title: Option<String>,
    #[serde(default)]
    pub(crate) description: Option<String>,
    #[serde(default)]
    pub(crate) strings: BTreeMap<String, super::UiText>,
    #[serde(default)]
    pub(crate) menus: BTreeMap<String, Vec<super::MenuItem>>,
}

/// The keys site.yaml accepts, for "did you mean" hints.
pub(crate) const KNOWN_KEYS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "default_language",
    "languages",
    "timezone",
    "paginate_by",
    "taxonomies",
    "feeds",
    "search",
    "news_sitemap",
    "menus",
    "translation_fallback",
    "highlight_theme",
    "slugify",
    "unsafe_html",
    "strings_fallback",
    "external_links_new_tab",
    "external_links_nofollow",
    "minify",
    "deploy",
    "extra",
    "strings",
];
