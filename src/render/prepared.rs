//! The values every output's render shares, built once per build: each
//! article's list item, each section's list, each language's `site`, the
//! lookups behind `get_page`/`get_section`, and the caches of feed entries,
//! taxonomies, the sitemap and the search indexes. Families (`plan.rs`)
//! render from these.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Value};

use super::context::{self, PaginatorContext};
use super::functions::Lookup;
use super::memo::{self, Prints, RenderMemo};
use super::plan::{Problems, page_count, page_items};
use super::{Templates, search, sitemap, templates};
use crate::config::Config;
use crate::link::permalink::pager_url;
use crate::link::{ArticleId, ContentTree};

/// Values built once per build and shared by every render.
pub(super) struct Prepared<'a> {
    pub(super) config: &'a Config,
    pub(super) content: &'a ContentTree,
    pub(super) tera: &'a tera::Tera,
    /// Each language's `site`.
    pub(super) sites: BTreeMap<String, Value>,
    /// Each article's list item.
    pub(super) summaries: Vec<Value>,
    /// Fingerprints, in watch and serve sessions.
    pub(super) prints: Option<Prints>,
    /// The search indexes' entries and files.
    pub(super) search: search::IndexState<'a>,
    /// Each section's list items, for `section.pages`.
    pub(super) section_pages: Vec<Value>,
    /// List items carry `word_count` (else only the page has it).
    pub(super) lists_show_word_count: bool,
    /// Each article's feed `<entry>`, made by the first feed that needs it
    /// (one per article, kind of feed and with or without its whole text),
    /// packed: a fair part of an archive's memory otherwise.
    pub(super) feed_entries: Vec<[std::sync::OnceLock<crate::packed::PackedText>; 6]>,
    /// Each taxonomy with all its terms, made once for all its term pages.
    pub(super) taxonomy_values: Vec<std::sync::OnceLock<Value>>,
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
        let (summaries, summary_prints) = summaries(config, content, with_word_count, memo);
        let list = |ids: &[ArticleId]| {
            let items: Vec<Value> = ids.iter().map(|&id| summaries[id].clone()).collect();
            Value::from(items)
        };
        let section_pages: Vec<Value> = content.sections.iter().map(|s| list(&s.pages)).collect();
        let sites = config
            .languages
            .iter()
            .map(|l| {
                let site = context::site_context(config, content, &templates.data, &l.code);
                (l.code.clone(), Value::from_serializable(&site))
            })
            .collect();
        let lists = Lists {
            summaries: &summaries,
            section_pages: &section_pages,
        };
        templates
            .lookup
            .set(lookup(config, content, templates, &assets, lists));
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
            summaries,
            section_pages,
            lists_show_word_count: with_word_count,
            feed_entries: once(content.articles.len()),
            taxonomy_values: once(content.taxonomies.len()),
            sitemap,
        }
    }

    /// List values by source path (`memo::path_key`) with their
    /// fingerprints, for the next build.
    pub(super) fn summary_memo(&self) -> HashMap<u64, (u64, Value)> {
        let Some(prints) = &self.prints else {
            return Default::default();
        };
        self.content
            .articles
            .iter()
            .zip(prints.summary.iter().zip(&self.summaries))
            .map(|(a, (print, value))| {
                let path = memo::path_key(&a.parsed.source.rel_path);
                (path, (*print, value.clone()))
            })
            .collect()
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
    /// problems, told as `source`'s.
    pub(super) fn render_template(
        &self,
        template: &str,
        ctx: &Context,
        source: &str,
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
            .map_err(|e| templates::template_errors(&e, Some(source)))
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
            pages: Value::from(
                page_items(ids, per_page, page)
                    .iter()
                    .map(|&id| self.summaries[id].clone())
                    .collect::<Vec<_>>(),
            ),
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

/// Each article's list item, and in sessions what each was made from (an
/// item whose print has not changed is the last build's).
fn summaries(
    config: &Config,
    content: &ContentTree,
    with_word_count: bool,
    memo: Option<&RenderMemo>,
) -> (Vec<Value>, Option<Vec<u64>>) {
    let term_links = context::term_links(content);
    let summary_value = |a| {
        let item = context::article_summary(config, content, a, with_word_count, &term_links);
        Value::from_serializable(&item)
    };
    let Some(memo) = memo else {
        let values = content.articles.par_iter().map(summary_value).collect();
        return (values, None);
    };
    let both: Vec<(Value, u64)> = content
        .articles
        .par_iter()
        .map(|a| {
            let print = memo::summary_print(content, a, with_word_count);
            let key = memo::path_key(&a.parsed.source.rel_path);
            match memo.summaries.get(&key) {
                Some((before, value)) if *before == print => (value.clone(), print),
                _ => (summary_value(a), print),
            }
        })
        .collect();
    let (values, prints) = both.into_iter().unzip();
    (values, Some(prints))
}

/// The list values `get_page` and `get_section` hand out.
struct Lists<'v> {
    summaries: &'v [Value],
    section_pages: &'v [Value],
}

/// What the template functions look up: pages and sections by path, the
/// site's strings, images and assets.
fn lookup(
    config: &Config,
    content: &ContentTree,
    templates: &Templates,
    assets: &Arc<super::assets::Assets>,
    lists: Lists<'_>,
) -> Lookup {
    let mut lookup = Lookup {
        root: config.root.clone(),
        base_path: config.base_path.clone(),
        pages: BTreeMap::new(),
        page_entries: Vec::with_capacity(content.articles.len()),
        sections: BTreeMap::new(),
        strings: templates.strings.clone(),
        images: Some(templates.images.clone()),
        assets: Some(assets.clone()),
    };
    for (id, article) in content.articles.iter().enumerate() {
        let (lang, url) = (article.parsed.lang.clone(), article.url.clone());
        let item = lists.summaries[id].clone();
        lookup.page_entries.push((lang, url, item));
        lookup.pages.insert(
            article.parsed.source.rel_path.as_str().into(),
            article.translations.clone().into_boxed_slice(),
        );
    }
    for (id, section) in content.sections.iter().enumerate() {
        let pages = lists.section_pages[id].clone();
        let value = context::section_context(config, content, section, pages);
        lookup
            .sections
            .entry(section.dir.clone())
            .or_default()
            .push((
                section.lang.clone(),
                section.url.clone(),
                Value::from_serializable(&value),
            ));
    }
    lookup
}
