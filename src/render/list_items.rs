//! Each article as lists show it (`context::ArticleSummary`). The build holds
//! a handle on each article's parsed file and the few values lists add to
//! it, and makes an item's template value only while a page that shows it
//! renders. Held as template values for the whole build, the items were the
//! largest part of an archive's memory: about 3 KB an article.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use tera::Value;

use super::context::{self, ArticleSummary, TermLink};
use crate::config::Config;
use crate::link::{ArticleId, ContentTree, SectionId};
use crate::parse::ParsedArticle;

/// The list items of a build's articles.
pub(crate) struct ListItems {
    /// Settings for URLs (`permalink`, images); a copy, so that template
    /// functions can hold the items.
    config: Config,
    items: Vec<ListItem>,
    /// Each taxonomy's name and its terms' `TermLink` values, made once and
    /// shared by the items of all the term's articles.
    taxonomies: Vec<(Box<str>, Vec<Value>)>,
    /// Each section's listed articles, in its order.
    sections: Vec<Box<[ArticleId]>>,
    /// Each section's list, made once, when a template names `section.pages`
    /// (`Templates::uses_section_pages`): its pages and `get_section` share
    /// it. Otherwise each `get_section` call makes its list, and nothing
    /// holds every article's item.
    section_lists: Option<Vec<OnceLock<Value>>>,
    /// Items carry `word_count` (`Templates::lists_show_word_count`).
    with_word_count: bool,
}

/// What an item holds beyond its parsed file.
struct ListItem {
    parsed: Arc<ParsedArticle>,
    url: Arc<str>,
    expired: bool,
    /// (taxonomy, its terms), as `Article::terms`.
    terms: Box<[(usize, Box<[usize]>)]>,
    /// As `Article::translations` (itself included).
    translations: Box<[ArticleId]>,
    /// Width and height of a lead image of the site, read from its file the
    /// first time a page shows the item (a session's rebuild reads only the
    /// images of the pages it renders again).
    image_size: OnceLock<Option<(u32, u32)>>,
}

impl ListItems {
    /// The items of `content`'s articles.
    pub(crate) fn new(
        config: &Config,
        content: &ContentTree,
        with_word_count: bool,
        keep_section_lists: bool,
    ) -> Self {
        let items = content
            .articles
            .par_iter()
            .map(|article| {
                let parsed = &article.parsed;
                ListItem {
                    parsed: parsed.clone(),
                    url: article.url.clone(),
                    expired: article.expired,
                    terms: (article.terms.iter())
                        .map(|(t, terms)| (*t, terms.as_slice().into()))
                        .collect(),
                    translations: article.translations.as_slice().into(),
                    image_size: OnceLock::new(),
                }
            })
            .collect();
        ListItems {
            config: config.clone(),
            items,
            taxonomies: term_links(content),
            sections: (content.sections.iter())
                .map(|s| s.pages.as_slice().into())
                .collect(),
            section_lists: keep_section_lists
                .then(|| content.sections.iter().map(|_| OnceLock::new()).collect()),
            with_word_count,
        }
    }

    /// Article `id`'s language.
    pub(crate) fn lang(&self, id: ArticleId) -> &str {
        &self.items[id].parsed.lang
    }

    /// Article `id`'s source path (relative to `content/`).
    pub(crate) fn path(&self, id: ArticleId) -> &str {
        &self.items[id].parsed.source.rel_path
    }

    /// Article `id`'s versions: itself and its translations.
    pub(crate) fn versions(&self, id: ArticleId) -> &[ArticleId] {
        &self.items[id].translations
    }

    /// Article `id`'s URL.
    pub(crate) fn url(&self, id: ArticleId) -> &str {
        &self.items[id].url
    }

    /// The template value of article `id`'s item.
    pub(crate) fn value(&self, id: ArticleId) -> Value {
        Value::from_serializable(&self.summary(id))
    }

    /// The items of `ids`, as one list value.
    pub(crate) fn list(&self, ids: &[ArticleId]) -> Value {
        Value::from(ids.iter().map(|&id| self.value(id)).collect::<Vec<_>>())
    }

    /// The items of every listed article of section `id` (`section.pages`).
    pub(crate) fn section(&self, id: SectionId) -> Value {
        match &self.section_lists {
            Some(lists) => lists[id]
                .get_or_init(|| self.list(&self.sections[id]))
                .clone(),
            None => self.list(&self.sections[id]),
        }
    }

    /// Article `id`'s item, to serialize.
    pub(crate) fn summary(&self, id: ArticleId) -> ArticleSummary<'_> {
        let config = &self.config;
        let item = &self.items[id];
        let parsed = &*item.parsed;
        let meta = &parsed.meta;
        let url = &*item.url;
        let taxonomies = (item.terms.iter())
            .map(|(t, terms)| {
                let (name, links) = &self.taxonomies[*t];
                (&**name, terms.iter().map(|&i| links[i].clone()).collect())
            })
            .collect::<BTreeMap<_, _>>();
        let image = meta.image.as_deref();
        let image_size = *item.image_size.get_or_init(|| {
            let file = context::image_file(config, &parsed.source, image?)?;
            crate::photo::dimensions(&file)
        });
        ArticleSummary {
            title: meta.title.as_deref().unwrap_or_default(),
            date: parsed.date.to_rfc3339(),
            updated: parsed.updated.map(|d| d.to_rfc3339()),
            expires: parsed.expires.map(|d| d.to_rfc3339()),
            expired: item.expired,
            draft: meta.draft.unwrap_or(false),
            authors: (meta.author.iter().chain(&meta.authors))
                .map(String::as_str)
                .collect(),
            summary: &parsed.summary_html,
            description: &parsed.description,
            reading_time: parsed.body.reading_time,
            word_count: self.with_word_count.then_some(parsed.body.word_count),
            permalink: config.absolute(url),
            url,
            slug: &parsed.slug,
            lang: &parsed.lang,
            section: &parsed.source.section,
            taxonomies,
            image: image.map(|image| context::asset_url(config, url, image)),
            image_permalink: image.map(|image| {
                let image_url = context::asset_url(config, url, image);
                if image_url.starts_with('/') {
                    config.absolute(&image_url)
                } else {
                    image_url
                }
            }),
            image_source: image.and_then(|image| context::image_source(&parsed.source, image)),
            image_width: image_size.map(|(w, _)| w),
            image_height: image_size.map(|(_, h)| h),
            image_alt: meta.image_alt.as_deref(),
            weight: meta.weight,
            extra: meta
                .extra
                .as_ref()
                .map(|e| serde_json::to_value(e).unwrap_or_default())
                .unwrap_or_default(),
        }
    }
}

/// Each taxonomy's name and its terms' `TermLink` values.
fn term_links(content: &ContentTree) -> Vec<(Box<str>, Vec<Value>)> {
    (content.taxonomies.iter())
        .map(|taxonomy| {
            let links = (taxonomy.terms.iter())
                .map(|t| {
                    Value::from_serializable(&TermLink {
                        name: &t.name,
                        slug: &t.slug,
                        url: &t.url,
                    })
                })
                .collect();
            (taxonomy.name.as_str().into(), links)
        })
        .collect()
}
