//! Rendering one planned output: the template and its context (the values in
//! `context.rs`), built from values prepared once per build and shared by
//! every rendering thread.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use chrono::Datelike;
use rayon::prelude::*;
use tera::{Context, Value};

use super::context::{
    self, Link, PageContext, PaginatorContext, TaxonomyContext, TermItem, Translation,
};
use super::functions::Lookup;
use super::memo::{self, Prints, RenderMemo};
use super::plan::{
    FeedList, Job, Planned, article_template, feed_articles, page_count, page_items,
    section_template,
};
use super::search::SearchDoc;
use super::{HIGHLIGHT_CSS, Templates, aliases, feeds, news_sitemap, search, sitemap, templates};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceLocation};
use crate::link::permalink::{output_file, pager_url};
use crate::link::{ArticleId, ContentTree, SectionId};

/// Values built once per build and shared by every render.
pub(super) struct Prepared<'a> {
    pub(super) config: &'a Config,
    pub(super) content: &'a ContentTree,
    pub(super) tera: &'a tera::Tera,
    pub(super) sites: BTreeMap<String, Value>,
    pub(super) summaries: Vec<Value>,
    /// Fingerprints, in watch and serve sessions.
    pub(super) prints: Option<Prints>,
    /// Search entries of the last build (by source path), and those this one made.
    pub(super) search_before: search::KeptDocs,
    pub(super) search_now: std::sync::Mutex<search::KeptDocs>,
    /// Each language's index, by code: the last build's, to be patched, and
    /// then this one's (sessions only).
    pub(super) search_indexes: std::sync::Mutex<HashMap<String, search::LanguageIndex>>,
    /// The search index files beside each `index.json` rendered, to be written
    /// after the render (file, bytes).
    pub(super) search_files: std::sync::Mutex<Vec<(String, Vec<u8>)>>,
    /// In a plain build, where those files go as soon as they are made
    /// (nothing compares them with a last build), and how many went.
    pub(super) search_parts_sink: Option<&'a dyn crate::output::Sink>,
    pub(super) search_parts_written: std::sync::atomic::AtomicUsize,
    /// Size of the search indexes rendered.
    pub(super) search_bytes: std::sync::atomic::AtomicUsize,
    pub(super) section_pages: Vec<Value>,
    /// List items carry `word_count` (else only the page has it).
    pub(super) lists_show_word_count: bool,
    /// Each article's feed `<entry>`, made by the first feed that needs it
    /// (one per article, kind of feed and with or without its whole text),
    /// packed: a fair part of an archive's memory otherwise.
    feed_entries: Vec<[std::sync::OnceLock<crate::packed::PackedText>; 6]>,
    /// Each taxonomy with all its terms, made once for all its term pages.
    taxonomy_values: Vec<std::sync::OnceLock<Value>>,
    /// The sitemap's entries and files, made once for all its files.
    sitemap: Arc<sitemap::Sitemap>,
}

impl<'a> Prepared<'a> {
    pub(super) fn new(
        config: &'a Config,
        content: &'a ContentTree,
        templates: &'a Templates,
        memo: Option<&RenderMemo>,
        search_before: (search::KeptDocs, HashMap<String, search::LanguageIndex>),
        sitemap: Arc<sitemap::Sitemap>,
        assets: Arc<super::assets::Assets>,
    ) -> Self {
        let with_word_count = templates.lists_show_word_count;
        let term_links = context::term_links(content);
        let summary_value = |a| {
            Value::from_serializable(&context::article_summary(
                config,
                content,
                a,
                with_word_count,
                &term_links,
            ))
        };
        let (summaries, summary_prints): (Vec<Value>, Option<Vec<u64>>) = match memo {
            None => (
                content.articles.par_iter().map(summary_value).collect(),
                None,
            ),
            Some(memo) => {
                let both: Vec<(Value, u64)> = content
                    .articles
                    .par_iter()
                    .map(|a| {
                        let print = memo::summary_print(content, a, with_word_count);
                        match memo
                            .summaries
                            .get(&memo::path_key(&a.parsed.source.rel_path))
                        {
                            Some((before, value)) if *before == print => (value.clone(), print),
                            _ => (summary_value(a), print),
                        }
                    })
                    .collect();
                let (values, prints) = both.into_iter().unzip();
                (values, Some(prints))
            }
        };
        let list = |ids: &[ArticleId]| {
            Value::from(
                ids.iter()
                    .map(|&id| summaries[id].clone())
                    .collect::<Vec<_>>(),
            )
        };
        let section_pages: Vec<Value> = content.sections.iter().map(|s| list(&s.pages)).collect();
        let sites = config
            .languages
            .iter()
            .map(|l| {
                (
                    l.code.clone(),
                    Value::from_serializable(&context::site_context(
                        config,
                        content,
                        &templates.data,
                        &l.code,
                    )),
                )
            })
            .collect();
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
            lookup.page_entries.push((lang, url, summaries[id].clone()));
            lookup.pages.insert(
                article.parsed.source.rel_path.as_str().into(),
                article.translations.clone().into_boxed_slice(),
            );
        }
        for (id, section) in content.sections.iter().enumerate() {
            let value = Value::from_serializable(&context::section_context(
                config,
                content,
                section,
                section_pages[id].clone(),
            ));
            lookup
                .sections
                .entry(section.dir.clone())
                .or_default()
                .push((section.lang.clone(), section.url.clone(), value));
        }
        templates.lookup.set(lookup);
        let prints = summary_prints.map(|prints| {
            let assets = assets.state();
            Prints::new(config, content, templates, &sites, prints, assets)
        });
        Prepared {
            prints,
            search_before: search_before.0,
            search_now: Default::default(),
            search_indexes: std::sync::Mutex::new(search_before.1),
            search_files: Default::default(),
            search_parts_sink: None,
            search_parts_written: Default::default(),
            search_bytes: Default::default(),
            config,
            content,
            tera: &templates.tera,
            sites,
            summaries,
            section_pages,
            lists_show_word_count: with_word_count,
            feed_entries: (0..content.articles.len())
                .map(|_| Default::default())
                .collect(),
            taxonomy_values: (0..content.taxonomies.len())
                .map(|_| Default::default())
                .collect(),
            sitemap,
        }
    }

    /// The search index entry of an article: kept from the last build when its
    /// content has not changed.
    fn search_entry(&self, id: ArticleId) -> Arc<SearchDoc> {
        let article = &self.content.articles[id];
        let Some(prints) = &self.prints else {
            return Arc::new(search::doc(self.content, article));
        };
        // Its card names its section.
        let section = &self.content.sections[article.section].title;
        let print = memo::Print::new("search-doc")
            .add(prints.content[id])
            .add(section)
            .finish();
        let path = &article.parsed.source.rel_path;
        if let Some((before, entry)) = self.search_before.get(path) {
            if *before == print {
                return entry.clone();
            }
        }
        let entry = Arc::new(search::doc(self.content, article));
        let mut made = self.search_now.lock().unwrap_or_else(|e| e.into_inner());
        made.insert(path.clone(), (print, entry.clone()));
        entry
    }

    /// The search entries for the next build of a session: those this build
    /// made, and those it kept from the last one.
    pub(super) fn search_kept(&mut self) -> search::KeptDocs {
        let mut search =
            std::mem::take(&mut *self.search_now.lock().unwrap_or_else(|e| e.into_inner()));
        for (path, entry) in std::mem::take(&mut self.search_before) {
            search.entry(path).or_insert(entry);
        }
        search
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

    fn base_context(&self, lang: &str, url: &str) -> Context {
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

    pub(super) fn render(&self, job: &Job, output: &Planned) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let (config, content) = (self.config, self.content);
        let (template, ctx) = match job {
            Job::Article(id) => self.article(*id),
            Job::SectionPage { section, page } => self.section_page(*section, *page),
            Job::Archive(section) => self.archive(*section),
            Job::TaxonomyList(t) => self.taxonomy_list(*t),
            Job::TermPage {
                taxonomy,
                term,
                page,
            } => self.term_page(*taxonomy, *term, *page),
            Job::Redirect { to } => return Ok(aliases::redirect_page(config, to).into_bytes()),
            Job::Feed {
                kind,
                title,
                page_url,
                lang,
                list,
            } => {
                let articles = &feed_articles(content, *list, lang);
                let spec = feeds::FeedSpec {
                    title: title.clone(),
                    self_url: output.url.clone(),
                    page_url,
                    lang,
                    articles,
                };
                let full_text = matches!(list, FeedList::Section(_));
                let entry = |id: ArticleId| {
                    self.feed_entries[id][*kind as usize * 2 + usize::from(full_text)]
                        .get_or_init(|| {
                            let of = feeds::EntryOf { id, full_text };
                            feeds::entry(*kind, config, content, of).as_str().into()
                        })
                        .unpack()
                };
                return Ok(feeds::feed(*kind, config, content, &spec, entry).into_bytes());
            }
            Job::Sitemap => return Ok(self.sitemap.main_file(config).into_bytes()),
            Job::SitemapPart(n) => return Ok(self.sitemap.part(*n).into_bytes()),
            Job::NewsSitemap => {
                return Ok(news_sitemap::news_sitemap(config, content).into_bytes());
            }
            Job::HighlightCss => {
                return crate::parse::highlight::stylesheet(&config.highlight_theme)
                    .map(|css| {
                        if config.minify {
                            super::minify::css(&css).unwrap_or(css)
                        } else {
                            css
                        }
                    })
                    .map(String::into_bytes)
                    .map_err(|message| {
                        let at = SourceLocation::file(crate::config::CONFIG_FILE);
                        vec![Diagnostic::error(at, message)]
                    });
            }
            Job::Robots => return Ok(sitemap::robots(config).into_bytes()),
            Job::SearchIndex(lang) => {
                let lock = || {
                    self.search_indexes
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                };
                let before = lock().remove(lang);
                let keep = self.prints.is_some();
                let entry = |id| self.search_entry(id);
                let (mut files, index) = search::index_files(content, lang, entry, before, keep);
                if let Some(index) = index {
                    lock().insert(lang.clone(), index);
                }
                let total = files.iter().map(|(_, bytes)| bytes.len()).sum();
                self.search_bytes
                    .fetch_add(total, std::sync::atomic::Ordering::Relaxed);
                let meta = files.remove(0).1;
                let folder = search::folder(config, lang);
                let parts = files.into_iter().map(|(name, bytes)| {
                    let file = output_file(&config.base_path, &format!("{folder}{name}"));
                    (file, bytes)
                });
                let Some(sink) = self.search_parts_sink else {
                    let mut stash = self.search_files.lock().unwrap_or_else(|e| e.into_inner());
                    stash.extend(parts);
                    return Ok(meta);
                };
                for (file, bytes) in parts {
                    sink.write(&file, &bytes).map_err(|e| {
                        vec![Diagnostic::general(format!("cannot write {file}: {e}"))]
                    })?;
                    self.search_parts_written
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                return Ok(meta);
            }
            Job::SearchPage(lang) => {
                let mut ctx = self.base_context(lang, &output.url);
                ctx.insert(
                    "search_index",
                    &format!("{}index.json", search::folder(config, lang)),
                );
                ("search.html".to_string(), ctx)
            }
            Job::NotFound => (
                "404.html".to_string(),
                self.base_context(config.default_language(), &output.url),
            ),
            Job::Copy(_) | Job::Made(_) => unreachable!("copies are not rendered"),
        };
        // Straight into bytes: `render` would check the whole page is UTF-8 again.
        let mut bytes = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(&template, &ctx, &mut bytes)
            .map(|()| {
                if config.minify {
                    super::minify::html(&bytes)
                } else {
                    bytes
                }
            })
            .map_err(|e| templates::template_errors(&e, Some(&output.source)))
    }

    fn article(&self, id: ArticleId) -> (String, Context) {
        let content = self.content;
        let article = &content.articles[id];
        let link = |id: Option<ArticleId>| {
            id.map(|id| {
                let a = &content.articles[id];
                Link {
                    title: a.parsed.meta.title.as_deref().unwrap_or_default(),
                    url: &a.url,
                }
            })
        };
        let translations: Vec<Translation<'_>> = article
            .translations
            .iter()
            .map(|&t| {
                let a = &content.articles[t];
                Translation {
                    lang: &a.parsed.lang,
                    title: a.parsed.meta.title.as_deref().unwrap_or_default(),
                    url: &a.url,
                    permalink: self.config.absolute(&a.url),
                }
            })
            .collect();
        let page = PageContext {
            summary: &self.summaries[id],
            content: article.parsed.body.html.unpack(),
            word_count: (!self.lists_show_word_count).then_some(article.parsed.body.word_count),
            toc: &article.parsed.body.toc,
            translations,
            lower: link(article.lower),
            higher: link(article.higher),
            related: article
                .related
                .iter()
                .map(|&r| &self.summaries[r])
                .collect(),
            assets: article.assets.iter().map(|(_, url)| url.as_str()).collect(),
        };
        let mut ctx = self.base_context(&article.parsed.lang, &article.url);
        ctx.insert("page_folder", article.parsed.source.folder());
        if article.parsed.body.has_code {
            ctx.insert(
                "highlight_css",
                &format!("{}/{HIGHLIGHT_CSS}", self.config.base_path),
            );
        }
        ctx.insert("page", &page);
        ctx.insert("translations", &page.translations);
        (article_template(content, id).name, ctx)
    }

    fn section_page(&self, id: SectionId, page: usize) -> (String, Context) {
        let content = self.content;
        let section = &content.sections[id];
        let url = pager_url(&section.url, page);
        let mut ctx = self.base_context(&section.lang, &url);
        let value = context::section_context(
            self.config,
            content,
            section,
            self.section_pages[id].clone(),
        );
        ctx.insert("page_folder", &section.dir);
        if section.index.as_ref().is_some_and(|i| i.body.has_code) {
            ctx.insert(
                "highlight_css",
                &format!("{}/{HIGHLIGHT_CSS}", self.config.base_path),
            );
        }
        ctx.insert("section", &value);
        ctx.insert(
            "paginator",
            &self.paginator(&section.pages, section.paginate_by, &section.url, page),
        );
        ctx.insert("translations", &self.section_translations(&section.dir));
        insert_feeds(&mut ctx, self.config, &section.url);
        (section_template(section).name, ctx)
    }

    /// `/<section>/archive/`: every listed article of the section, newest first,
    /// grouped by year and month.
    fn archive(&self, id: SectionId) -> (String, Context) {
        let section = &self.content.sections[id];
        let mut by_date = section.pages.clone();
        crate::link::sort_articles(
            &mut by_date,
            &self.content.articles,
            crate::parse::SortBy::Date,
        );
        let mut years: Vec<ArchiveYear> = Vec::new();
        for article_id in by_date {
            let date = self.content.articles[article_id].parsed.date;
            let (year, month) = (date.year(), date.month());
            if years.last().is_none_or(|y| y.year != year) {
                years.push(ArchiveYear {
                    year,
                    months: Vec::new(),
                });
            }
            let months = &mut years.last_mut().expect("pushed above").months;
            if months.last().is_none_or(|m| m.month != month) {
                let first_day = format!("{year:04}-{month:02}-01");
                months.push(ArchiveMonth {
                    month,
                    date: first_day,
                    pages: Vec::new(),
                });
            }
            months
                .last_mut()
                .expect("pushed above")
                .pages
                .push(self.summaries[article_id].clone());
        }
        let url = format!("{}archive/", section.url);
        let mut ctx = self.base_context(&section.lang, &url);
        let value = context::section_context(
            self.config,
            self.content,
            section,
            self.section_pages[id].clone(),
        );
        ctx.insert("section", &value);
        ctx.insert("archive", &years);
        ("archive.html".into(), ctx)
    }

    fn section_translations(&self, dir: &str) -> Vec<Translation<'a>> {
        self.content
            .sections
            .iter()
            .filter(|s| s.dir == dir)
            .map(|s| Translation {
                lang: &s.lang,
                title: &s.title,
                url: &s.url,
                permalink: self.config.absolute(&s.url),
            })
            .collect()
    }

    fn paginator(
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

    fn taxonomy_list(&self, t: usize) -> (String, Context) {
        let taxonomy = &self.content.taxonomies[t];
        let mut ctx = self.base_context(&taxonomy.lang, &taxonomy.url);
        ctx.insert_value("taxonomy", self.taxonomy_value(t));
        ctx.insert(
            "translations",
            &self.taxonomy_translations(&taxonomy.name, None),
        );
        ("taxonomy_list.html".into(), ctx)
    }

    fn taxonomy_value(&self, t: usize) -> Value {
        self.taxonomy_values[t]
            .get_or_init(|| {
                let taxonomy = &self.content.taxonomies[t];
                Value::from_serializable(&TaxonomyContext {
                    name: &taxonomy.name,
                    url: &taxonomy.url,
                    permalink: self.config.absolute(&taxonomy.url),
                    terms: taxonomy.terms.iter().map(TermItem::of).collect(),
                })
            })
            .clone()
    }

    fn taxonomy_translations(&self, name: &str, term_slug: Option<&str>) -> Vec<Translation<'a>> {
        self.content
            .taxonomies
            .iter()
            .filter(|t| t.name == name)
            .filter_map(|t| match term_slug {
                None => Some((t, t.name.as_str(), t.url.as_str())),
                Some(slug) => t
                    .terms
                    .iter()
                    .find(|term| term.slug == slug)
                    .map(|term| (t, term.name.as_str(), term.url.as_str())),
            })
            .map(|(t, title, url)| Translation {
                lang: &t.lang,
                title,
                url,
                permalink: self.config.absolute(url),
            })
            .collect()
    }

    fn term_page(&self, t: usize, n: usize, page: usize) -> (String, Context) {
        let taxonomy = &self.content.taxonomies[t];
        let term = &taxonomy.terms[n];
        let mut ctx = self.base_context(&taxonomy.lang, &pager_url(&term.url, page));
        ctx.insert_value("taxonomy", self.taxonomy_value(t));
        ctx.insert("term", &TermItem::of(term));
        ctx.insert(
            "paginator",
            &self.paginator(&term.pages, self.config.paginate_by, &term.url, page),
        );
        ctx.insert(
            "translations",
            &self.taxonomy_translations(&taxonomy.name, Some(&term.slug)),
        );
        insert_feeds(&mut ctx, self.config, &term.url);
        ("taxonomy_term.html".into(), ctx)
    }
}

/// `feeds` of a list page (one per kind of feed), and `feed_url`, the first.
fn insert_feeds(ctx: &mut Context, config: &Config, page_url: &str) {
    let feeds = super::context::feed_links(config, page_url);
    if let Some(first) = feeds.first() {
        ctx.insert("feed_url", &first.url);
    }
    ctx.insert("feeds", &feeds);
}

/// An entry of `menus`.
#[derive(serde::Serialize)]
struct MenuEntry<'a> {
    name: &'a str,
    url: &'a str,
    weight: i64,
    active: bool,
}

/// A year of a section archive.
#[derive(serde::Serialize)]
struct ArchiveYear {
    year: i32,
    months: Vec<ArchiveMonth>,
}

/// A month of a section archive: `date` is its first day (format it with `date(format="%OB")`).
#[derive(serde::Serialize)]
struct ArchiveMonth {
    month: u32,
    date: String,
    pages: Vec<Value>,
}
