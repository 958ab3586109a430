//! The values every output's render shares, built once per build: each
//! article's list item, each section's list, each language's `site`, the
//! lookups behind `get_page`/`get_section`, and the caches of feed entries,
//! taxonomies, the sitemap and the search indexes. Families (`plan.rs`)
//! render from these.

use std::collections::BTreeMap;

use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use tera::{Context, Value};

use super::context::{self, PaginatorContext};
use super::functions::Lookup;
use super::list_items::ListItems;
use super::memo::{self, Prints, RenderMemo};
use super::plan::{Problems, page_count, page_items};
use super::{Templates, search, sitemap, templates};
use crate::config::Config;
use crate::link::permalink::pager_url;
use crate::link::{ArticleId, ContentTree, SectionId};
use crate::packed::PackedText;

/// Values built once per build and shared by every render.
pub(super) struct Prepared<'a> {
    pub(super) config: &'a Config,
    pub(super) content: &'a ContentTree,
    pub(super) tera: &'a tera::Tera,
    /// Each language's `site`.
    pub(super) sites: BTreeMap<String, Value>,
    /// Each article's list item.
    pub(super) items: Arc<ListItems>,
    /// Fingerprints, in watch and serve sessions.
    pub(super) prints: Option<Prints>,
    /// The search indexes' entries and files.
    pub(super) search: search::IndexState<'a>,
    /// A template names `section.pages` (else section pages get none).
    uses_section_pages: bool,
    /// List items carry `word_count` (else only the page has it).
    pub(super) lists_show_word_count: bool,
    /// Each article's feed `<entry>`, made by the first feed that needs it
    /// (one per article, kind of feed and with or without its whole text),
    /// packed: a fair part of an archive's memory otherwise. An article's
    /// slots are made when a feed first lists it: most of an archive is in
    /// no feed.
    feed_entries: Vec<OnceLock<Box<[OnceLock<PackedText>; 6]>>>,
    /// Each taxonomy with all its terms, made once for all its term pages.
    pub(super) taxonomy_values: Vec<OnceLock<Value>>,
    /// The sitemap's entries and files, made once for all its files.
    pub(super) sitemap: Arc<sitemap::Sitemap>,
}

/// What `Prepared` is made from, besides the content.
pub(super) struct Ingredients<'a, 'm> {
    pub(super) templates: &'a Templates,
    /// The last build of a session.
    pub(super) memo: Option<&'m RenderMemo>,
    pub(super) search: search::IndexState<'a>,
    pub(super) sitemap: Arc<sitemap::Sitemap>,
    pub(super) assets: Arc<super::assets::Assets>,
}

impl<'a> Prepared<'a> {
    pub(super) fn new(
        config: &'a Config,
        content: &'a ContentTree,
        ingredients: Ingredients<'a, '_>,
    ) -> Self {
        let Ingredients {
            templates,
            memo,
            search,
            sitemap,
            assets,
        } = ingredients;
        let with_word_count = templates.lists_show_word_count;
        let uses_section_pages = templates.uses_section_pages;
        let items = ListItems::new(config, content, with_word_count, uses_section_pages);
        let items = Arc::new(items);
        let summary_prints = memo.map(|_| summary_prints(content, with_word_count));
        let sites = config
            .languages
            .iter()
            .map(|l| {
                let site = context::site_context(config, content, &templates.data, &l.code);
                (l.code.clone(), Value::from_serializable(&site))
            })
            .collect();
        templates
            .lookup
            .set(lookup(config, content, templates, &assets, &items));
        let prints = summary_prints.map(|prints| {
            let assets = assets.state();
            Prints::new(config, content, templates, &sites, prints, assets)
        });
        Prepared {
            prints,
            search,
            config,
            content,
            tera: &templates.tera,
            sites,
            items,
            uses_section_pages,
            lists_show_word_count: with_word_count,
            feed_entries: once(content.articles.len()),
            taxonomy_values: once(content.taxonomies.len()),
            sitemap,
        }
    }

    /// The cache of article `id`'s feed entry in `slot`.
    pub(super) fn feed_entry(&self, id: ArticleId, slot: usize) -> &OnceLock<PackedText> {
        &self.feed_entries[id].get_or_init(Box::default)[slot]
    }

    /// `section.pages` of section `id`: its articles' items when a template
    /// names `section.pages` (made once, see `ListItems::section`), else none.
    pub(super) fn section_pages(&self, id: SectionId) -> Value {
        if !self.uses_section_pages {
            return Value::from(Vec::<Value>::new());
        }
        self.items.section(id)
    }

    pub(super) fn base_context(&self, lang: &str, url: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value(
            "site",
            self.sites.get(lang).cloned().unwrap_or_else(Value::none),
        );
        ctx.insert("lang", lang);
        ctx.insert("current_url", &self.config.absolute(url));
        ctx.insert("current_path", url);
        ctx.insert("menus", &self.menus(lang, url));
        ctx
    }

    /// `menus`: the language's menus, the entry for the page at `url` marked `active`.
    fn menus(&self, lang: &str, url: &str) -> BTreeMap<&str, Vec<MenuEntry<'_>>> {
        let Some(menus) = self.content.menus.get(lang) else {
            return BTreeMap::new();
        };
        menus
            .iter()
            .map(|(name, links)| {
                let entries = links
                    .iter()
                    .map(|link| MenuEntry {
                        name: &link.name,
                        url: &link.url,
                        weight: link.weight,
                        active: link.url == url,
                    })
                    .collect();
                (name.as_str(), entries)
            })
            .collect()
    }

    /// `template` rendered with `ctx` (minified when site.yaml asks), or its
    /// problems, told as `source`'s (named only then).
    pub(super) fn render_template(
        &self,
        template: &str,
        ctx: &Context,
        source: &super::plan::Claim,
    ) -> Result<Vec<u8>, Problems> {
        // Straight into bytes: `render` would check the whole page is UTF-8 again.
        let mut bytes = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(template, ctx, &mut bytes)
            .map(|()| {
                if self.config.minify {
                    super::minify::html(&bytes)
                } else {
                    bytes
                }
            })
            .map_err(|e| templates::template_errors(&e, Some(&source.name())))
    }

    /// `feeds` of a list page (one per kind of feed), and `feed_url`, the first.
    pub(super) fn insert_feeds(&self, ctx: &mut Context, page_url: &str) {
        let feeds = super::context::feed_links(self.config, page_url);
        if let Some(first) = feeds.first() {
            ctx.insert("feed_url", &first.url);
        }
        ctx.insert("feeds", &feeds);
    }

    pub(super) fn paginator(
        &self,
        ids: &[ArticleId],
        per_page: usize,
        first: &'a str,
        page: usize,
    ) -> PaginatorContext<'a> {
        let per_page = per_page.max(1);
        let total = page_count(ids.len(), per_page);
        PaginatorContext {
            pages: self.items.list(page_items(ids, per_page, page)),
            current: page,
            total,
            total_items: ids.len(),
            per_page,
            previous: (page > 1).then(|| pager_url(first, page - 1)),
            next: (page < total).then(|| pager_url(first, page + 1)),
            first,
            last: pager_url(first, total),
        }
    }
}

/// An entry of `menus`.
#[derive(serde::Serialize)]
struct MenuEntry<'a> {
    name: &'a str,
    url: &'a str,
    weight: i64,
    active: bool,
}

/// `n` empty caches.
fn once<T: Default>(n: usize) -> Vec<T> {
    (0..n).map(|_| T::default()).collect()
}

/// What each article's list item is made from, for sessions' fingerprints.
fn summary_prints(content: &ContentTree, with_word_count: bool) -> Vec<u64> {
    (content.articles.par_iter())
        .map(|a| memo::summary_print(content, a, with_word_count))
        .collect()
}

/// What the template functions look up: pages and sections by path, the
/// site's strings, images and assets.
fn lookup(
    config: &Config,
    content: &ContentTree,
    templates: &Templates,
    assets: &Arc<super::assets::Assets>,
    items: &Arc<ListItems>,
) -> Lookup {
    let mut lookup = Lookup {
        root: config.root.clone(),
        base_path: config.base_path.clone(),
        by_source: content.by_source().clone(),
        sections: BTreeMap::new(),
        strings: templates.strings.clone(),
        images: Some(templates.images.clone()),
        assets: Some(assets.clone()),
        items: Some(items.clone()),
    };
    for (id, section) in content.sections.iter().enumerate() {
        let value = context::section_context(config, content, section, Value::none());
        lookup
            .sections
            .entry(section.dir.clone())
            .or_default()
            .push((
                section.lang.clone(),
                section.url.clone(),
                Value::from_serializable(&value),
                id,
            ));
    }
    lookup
}
