//! Stage 4: `ContentTree` → output files. First every output is planned (URL,
//! source, what makes it), so two sources claiming one URL are caught before any
//! work; then outputs are rendered in parallel and handed to a `Sink`.
//!
//! 1. plan: articles, section and term pages, feeds, sitemap, search, aliases, copies
//! 2. prepare: per-article list values and per-list arrays, built once and shared
//! 3. render: Tera per output, in parallel

mod aliases;
pub mod context;
mod feeds;
mod filters;
pub(crate) mod functions;
pub mod images;
mod memo;
mod search_index;
mod sitemap;
pub mod templates;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::Datelike;

use rayon::prelude::*;
use tera::{Context, Value};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceLocation};
use crate::link::permalink::{output_file, pager_url};
use crate::link::{ArticleId, ContentTree, SectionId};
use crate::load::{CONTENT_DIR, STATIC_DIR};
use crate::output::Sink;
use crate::parse::display_path;
use context::{Link, PageContext, PaginatorContext, TaxonomyContext, TermItem, Translation};
use functions::Lookup;
pub use memo::RenderMemo;
use memo::{Dependency, Prints, Remembered};
pub use templates::Templates;

/// The problems of one output.
type Problems = Vec<Diagnostic>;

/// The generated highlighting stylesheet, at the site root.
const HIGHLIGHT_CSS: &str = "highlight.css";

/// What a build produced, for the summary line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RenderReport {
    /// HTML pages rendered from templates.
    pub pages: usize,
    /// Sections (all languages).
    pub sections: usize,
    /// Languages.
    pub languages: usize,
    /// Files copied from `static/` and bundles.
    pub static_files: usize,
    /// Every file written.
    pub files: usize,
    /// Files kept from the last build of a session instead of being made again.
    pub reused: usize,
    /// Bytes of the search indexes made (all languages).
    pub search_index_bytes: usize,
}

/// How one output is made.
#[derive(Debug, Clone)]
enum Job {
    Article(ArticleId),
    SectionPage {
        section: SectionId,
        page: usize,
    },
    Archive(SectionId),
    Redirect {
        to: String,
    },
    TaxonomyList(usize),
    TermPage {
        taxonomy: usize,
        term: usize,
        page: usize,
    },
    Feed {
        title: String,
        page_url: String,
        lang: String,
        list: FeedList,
    },
    Sitemap,
    Robots,
    NotFound,
    SearchIndex(String),
    SearchPage(String),
    HighlightCss,
    Copy(PathBuf),
    Bytes(&'static [u8]),
}

#[derive(Debug, Clone, Copy)]
enum FeedList {
    Section(SectionId),
    Term(usize, usize),
}

/// One planned output file.
#[derive(Debug)]
struct Planned {
    /// Site-relative URL.
    url: String,
    /// What claims it, for collision messages (`content/news/visit.md`).
    source: String,
    job: Job,
}

/// Render the whole site into `sink`; every problem is returned.
pub fn render_site(
    config: &Config,
    content: &ContentTree,
    templates: &Templates,
    static_files: &[String],
    sink: &dyn Sink,
    memo: Option<&mut RenderMemo>,
) -> (RenderReport, Vec<Diagnostic>) {
    let (plan, mut problems) = plan(config, content, templates, static_files);
    let mut report = RenderReport {
        sections: content.sections.len(),
        languages: config.languages.len(),
        ..RenderReport::default()
    };
    if problems.iter().any(Diagnostic::is_error) {
        return (report, problems);
    }
    let prepared = Prepared::new(config, content, templates, memo.as_deref());
    let previous = memo.as_deref();
    let reused = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Result<Option<(String, Remembered)>, Problems>> = plan
        .par_iter()
        .map(|output| {
            let file = output_file(&config.base_path, &output.url);
            let failed =
                |e: std::io::Error| vec![Diagnostic::general(format!("cannot write {file}: {e}"))];
            let Some(prints) = &prepared.prints else {
                let written = match &output.job {
                    Job::Copy(from) => sink.copy(&file, from),
                    Job::Bytes(bytes) => sink.write(&file, bytes),
                    job => sink.write(&file, &prepared.render(job, output)?),
                };
                return written.map(|()| None).map_err(failed);
            };
            let own = prints.job(config, content, output);
            let with = |own: u64, dependencies: &[Dependency]| {
                let mut print = memo::Print::new("output");
                print.add(own);
                for dependency in dependencies {
                    print.add(prints.dependency(content, dependency));
                }
                print.finish()
            };
            let kept = previous
                .and_then(|m| m.outputs.get(&file))
                .filter(|before| {
                    own.is_some_and(|own| with(own, &before.dependencies) == before.fingerprint)
                });
            if kept.is_some() {
                reused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            let remembered = match kept {
                Some(before) => before.clone(),
                None => {
                    let (bytes, dependencies) = match &output.job {
                        Job::Copy(from) => (std::fs::read(from).map_err(failed)?, Vec::new()),
                        Job::Bytes(bytes) => (bytes.to_vec(), Vec::new()),
                        job => {
                            let (bytes, dependencies) =
                                functions::record_dependencies(|| prepared.render(job, output));
                            (bytes?, dependencies)
                        }
                    };
                    let fingerprint = own.map_or(0, |own| with(own, &dependencies));
                    Remembered {
                        fingerprint,
                        dependencies,
                        bytes: Arc::new(bytes),
                    }
                }
            };
            sink.share(&file, &remembered.bytes).map_err(failed)?;
            Ok(own.map(|_| (file, remembered)))
        })
        .collect();
    let mut remembered = std::collections::HashMap::new();
    let results: Vec<_> = results
        .into_iter()
        .filter_map(|result| match result {
            Ok(Some((file, entry))) => {
                remembered.insert(file, entry);
                None
            }
            Ok(None) => None,
            Err(found) => Some(found),
        })
        .collect();
    // Images resized while rendering (and, in sessions, those pages kept from
    // earlier builds still show).
    let mut images: BTreeMap<String, Arc<Vec<u8>>> = memo
        .as_deref()
        .map(|m| m.images.clone())
        .unwrap_or_default();
    for (file, cached) in templates.images.produced() {
        let file = output_file(&config.base_path, &format!("{}/{file}", config.base_path));
        if memo.is_none() {
            if let Err(e) = sink.copy(&file, &cached) {
                problems.push(Diagnostic::general(format!("cannot write {file}: {e}")));
            }
            report.static_files += 1;
            continue;
        }
        if let std::collections::btree_map::Entry::Vacant(slot) = images.entry(file) {
            match std::fs::read(&cached) {
                Ok(bytes) => {
                    slot.insert(Arc::new(bytes));
                }
                Err(e) => problems.push(Diagnostic::general(format!(
                    "cannot read {}: {e}",
                    cached.display()
                ))),
            }
        }
    }
    for (file, bytes) in &images {
        if let Err(e) = sink.share(file, bytes) {
            problems.push(Diagnostic::general(format!("cannot write {file}: {e}")));
        }
    }
    if let Some(memo) = memo {
        memo.images = images;
        memo.outputs = remembered;
        memo.summaries = prepared.summary_memo();
        let mut search = std::mem::take(
            &mut *prepared
                .search_now
                .lock()
                .unwrap_or_else(|e| e.into_inner()),
        );
        // A language whose index was kept this time keeps its entries too.
        for (path, entry) in prepared.search_before {
            search.entry(path).or_insert(entry);
        }
        memo.search = search;
    }
    problems.extend(results.into_iter().flatten());
    for output in &plan {
        match output.job {
            Job::Article(_)
            | Job::SectionPage { .. }
            | Job::Archive(_)
            | Job::SearchPage(_)
            | Job::TaxonomyList(_)
            | Job::TermPage { .. } => report.pages += 1,
            Job::Copy(_) | Job::Bytes(_) => report.static_files += 1,
            _ => {}
        }
    }
    report.files = plan.len();
    report.reused = reused.into_inner();
    report.search_index_bytes = prepared
        .search_bytes
        .load(std::sync::atomic::Ordering::Relaxed);
    (report, problems)
}

/// Plan every output and check that no two claim one file.
fn plan(
    config: &Config,
    content: &ContentTree,
    templates: &Templates,
    static_files: &[String],
) -> (Vec<Planned>, Vec<Diagnostic>) {
    let mut plan = Vec::new();
    let mut problems = Vec::new();
    let mut add = |url: String, source: String, job: Job| plan.push(Planned { url, source, job });
    for (id, article) in content.articles.iter().enumerate() {
        let source = display_path(&article.parsed.source);
        let template = article_template(content, id);
        if !templates.tera.contains_template(&template) {
            let at = SourceLocation::file(&source);
            problems.push(Diagnostic::error(
                at,
                format!("template \"{template}\" not found in templates/"),
            ));
        }
        for alias in &article.parsed.meta.aliases {
            let trimmed = alias.trim().trim_matches('/');
            let url = if trimmed.ends_with(".html") {
                format!("{}/{trimmed}", config.base_path)
            } else {
                format!("{}/{trimmed}/", config.base_path)
            };
            add(
                url,
                format!("{source} (alias \"{alias}\")"),
                Job::Redirect {
                    to: article.url.clone(),
                },
            );
        }
        for (asset, url) in &article.assets {
            let from = config.root.join(CONTENT_DIR).join(asset);
            add(
                url.clone(),
                format!("{CONTENT_DIR}/{asset}"),
                Job::Copy(from),
            );
        }
        add(article.url.clone(), source, Job::Article(id));
    }
    for (id, section) in content.sections.iter().enumerate() {
        let source = section.index.as_ref().map_or_else(
            || format!("{CONTENT_DIR}/{}", section.dir),
            |i| display_path(&i.source),
        );
        let pages = page_count(section.pages.len(), section.paginate_by);
        for page in 1..=pages {
            add(
                pager_url(&section.url, page),
                source.clone(),
                Job::SectionPage { section: id, page },
            );
        }
        add(
            format!("{}page/1/", section.url),
            source.clone(),
            Job::Redirect {
                to: section.url.clone(),
            },
        );
        if !section.dir.is_empty() {
            add(
                format!("{}archive/", section.url),
                source.clone(),
                Job::Archive(id),
            );
        }
        if config.feeds {
            add(
                format!("{}atom.xml", section.url),
                source,
                Job::Feed {
                    title: feed_title(
                        config,
                        &section.lang,
                        (!section.dir.is_empty()).then_some(section.title.as_str()),
                    ),
                    page_url: section.url.clone(),
                    lang: section.lang.clone(),
                    list: FeedList::Section(id),
                },
            );
        }
    }
    for (t, taxonomy) in content.taxonomies.iter().enumerate() {
        let source = format!("taxonomy \"{}\" ({})", taxonomy.name, taxonomy.lang);
        add(taxonomy.url.clone(), source.clone(), Job::TaxonomyList(t));
        for (n, term) in taxonomy.terms.iter().enumerate() {
            let term_source = format!("{source} term \"{}\"", term.name);
            for page in 1..=page_count(term.pages.len(), config.paginate_by) {
                add(
                    pager_url(&term.url, page),
                    term_source.clone(),
                    Job::TermPage {
                        taxonomy: t,
                        term: n,
                        page,
                    },
                );
            }
            add(
                format!("{}page/1/", term.url),
                term_source.clone(),
                Job::Redirect {
                    to: term.url.clone(),
                },
            );
            if config.feeds {
                add(
                    format!("{}atom.xml", term.url),
                    term_source,
                    Job::Feed {
                        title: feed_title(config, &taxonomy.lang, Some(&term.name)),
                        page_url: term.url.clone(),
                        lang: taxonomy.lang.clone(),
                        list: FeedList::Term(t, n),
                    },
                );
            }
        }
    }
    let root = &config.base_path;
    add(
        format!("{root}/sitemap.xml"),
        "sitemap".into(),
        Job::Sitemap,
    );
    add(
        format!("{root}/robots.txt"),
        "robots.txt".into(),
        Job::Robots,
    );
    add(format!("{root}/404.html"), "404 page".into(), Job::NotFound);
    for language in &config.languages {
        let page = format!("{}/search/", config.language_prefix(&language.code));
        add(
            page,
            "search page".into(),
            Job::SearchPage(language.code.clone()),
        );
        add(
            format!("{root}/search/{}.json", language.code),
            "search index".into(),
            Job::SearchIndex(language.code.clone()),
        );
    }
    if content.has_code() {
        add(
            format!("{root}/{HIGHLIGHT_CSS}"),
            "highlight_theme in site.yaml".into(),
            Job::HighlightCss,
        );
    }
    if !templates.own_base {
        for (name, bytes) in crate::theme::STATIC {
            if !static_files.iter().any(|f| f == name) {
                add(
                    format!("{root}/{name}"),
                    format!("(built-in theme) {name}"),
                    Job::Bytes(bytes),
                );
            }
        }
    }
    for file in static_files {
        let from = config.root.join(STATIC_DIR).join(file);
        add(
            format!("{root}/{file}"),
            format!("{STATIC_DIR}/{file}"),
            Job::Copy(from),
        );
    }
    let mut claimed: BTreeMap<String, &str> = BTreeMap::new();
    for output in &plan {
        let file = output_file(&config.base_path, &output.url);
        if let Some(first) = claimed.insert(file.clone(), &output.source) {
            let (first, second) = if first <= output.source.as_str() {
                (first, output.source.as_str())
            } else {
                (output.source.as_str(), first)
            };
            problems.push(Diagnostic::error(
                SourceLocation::file(second),
                format!(
                    "{} is written twice: by {first} and by {second}",
                    output.url
                ),
            ));
        }
    }
    (plan, problems)
}

fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

fn feed_title(config: &Config, lang: &str, what: Option<&str>) -> String {
    let site = config
        .languages
        .iter()
        .find(|l| l.code == lang)
        .map_or(config.title.as_str(), |l| &l.title);
    match what {
        Some(what) => format!("{what} — {site}"),
        None => site.to_string(),
    }
}

/// The template of an article: its own `template`, else the nearest section's `page_template`.
fn article_template(content: &ContentTree, id: ArticleId) -> String {
    let article = &content.articles[id];
    if let Some(template) = &article.parsed.meta.template {
        return template.clone();
    }
    let mut section = Some(article.section);
    while let Some(s) = section {
        let s = &content.sections[s];
        if let Some(template) = s.index.as_ref().and_then(|i| i.meta.page_template.clone()) {
            return template;
        }
        section = s.parent;
    }
    "page.html".into()
}

/// Values built once per build and shared by every render.
struct Prepared<'a> {
    config: &'a Config,
    content: &'a ContentTree,
    tera: &'a tera::Tera,
    sites: BTreeMap<String, Value>,
    summaries: Vec<Value>,
    /// Fingerprints, in watch and serve sessions.
    prints: Option<Prints>,
    /// Search entries of the last build (by source path), and those of this one.
    search_before: std::collections::HashMap<String, (u64, Arc<str>)>,
    search_now: std::sync::Mutex<std::collections::HashMap<String, (u64, Arc<str>)>>,
    /// Size of the search indexes rendered.
    search_bytes: std::sync::atomic::AtomicUsize,
    section_pages: Vec<Value>,
}

impl<'a> Prepared<'a> {
    fn new(
        config: &'a Config,
        content: &'a ContentTree,
        templates: &'a Templates,
        memo: Option<&RenderMemo>,
    ) -> Self {
        let summary_value =
            |a| Value::from_serializable(&context::article_summary(config, content, a));
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
                        let print = memo::summary_print(content, a);
                        match memo.summaries.get(&a.parsed.source.rel_path) {
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
                    Value::from_serializable(&context::site_context(config, content, &l.code)),
                )
            })
            .collect();
        let mut lookup = Lookup {
            base_path: config.base_path.clone(),
            pages: BTreeMap::new(),
            sections: BTreeMap::new(),
            strings: templates.strings.clone(),
            images: Some(templates.images.clone()),
        };
        for article in &content.articles {
            let versions = article
                .translations
                .iter()
                .map(|&t| {
                    (
                        content.articles[t].parsed.lang.clone(),
                        content.articles[t].url.clone(),
                        summaries[t].clone(),
                    )
                })
                .collect();
            lookup
                .pages
                .insert(article.parsed.source.rel_path.clone(), versions);
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
        let prints =
            summary_prints.map(|prints| Prints::new(config, content, templates, &sites, prints));
        Prepared {
            prints,
            search_before: memo.map(|m| m.search.clone()).unwrap_or_default(),
            search_now: Default::default(),
            search_bytes: Default::default(),
            config,
            content,
            tera: &templates.tera,
            sites,
            summaries,
            section_pages,
        }
    }

    /// The search index entry of an article: kept from the last build when its
    /// content has not changed.
    fn search_entry(&self, id: ArticleId) -> Arc<str> {
        let article = &self.content.articles[id];
        let Some(prints) = &self.prints else {
            return search_index::entry_json(article);
        };
        let print = prints.content[id];
        let path = &article.parsed.source.rel_path;
        let entry = match self.search_before.get(path) {
            Some((before, entry)) if *before == print => entry.clone(),
            _ => search_index::entry_json(article),
        };
        let mut now = self.search_now.lock().unwrap_or_else(|e| e.into_inner());
        now.insert(path.clone(), (print, entry.clone()));
        entry
    }

    /// List values by source path with their fingerprints, for the next build.
    fn summary_memo(&self) -> std::collections::HashMap<String, (u64, Value)> {
        let Some(prints) = &self.prints else {
            return Default::default();
        };
        self.content
            .articles
            .iter()
            .zip(prints.summary.iter().zip(&self.summaries))
            .map(|(a, (print, value))| (a.parsed.source.rel_path.clone(), (*print, value.clone())))
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
        ctx
    }

    fn render(&self, job: &Job, output: &Planned) -> Result<Vec<u8>, Vec<Diagnostic>> {
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
                title,
                page_url,
                lang,
                list,
            } => {
                let articles = match *list {
                    FeedList::Section(id) => &content.sections[id].pages,
                    FeedList::Term(t, n) => &content.taxonomies[t].terms[n].pages,
                };
                let spec = feeds::FeedSpec {
                    title: title.clone(),
                    self_url: output.url.clone(),
                    page_url,
                    lang,
                    articles,
                };
                return Ok(feeds::atom(config, content, &spec).into_bytes());
            }
            Job::Sitemap => return Ok(sitemap::sitemap(config, content).into_bytes()),
            Job::HighlightCss => {
                return crate::parse::highlight::stylesheet(&config.highlight_theme)
                    .map(String::into_bytes)
                    .map_err(|message| {
                        let at = SourceLocation::file(crate::config::CONFIG_FILE);
                        vec![Diagnostic::error(at, message)]
                    });
            }
            Job::Robots => return Ok(sitemap::robots(config).into_bytes()),
            Job::SearchIndex(lang) => {
                let index = search_index::search_index(content, lang, |id| self.search_entry(id));
                self.search_bytes
                    .fetch_add(index.len(), std::sync::atomic::Ordering::Relaxed);
                return Ok(index);
            }
            Job::SearchPage(lang) => {
                let mut ctx = self.base_context(lang, &output.url);
                ctx.insert(
                    "search_index",
                    &format!("{}/search/{lang}.json", config.base_path),
                );
                ("search.html".to_string(), ctx)
            }
            Job::NotFound => (
                "404.html".to_string(),
                self.base_context(config.default_language(), &output.url),
            ),
            Job::Copy(_) | Job::Bytes(_) => unreachable!("copies are not rendered"),
        };
        self.tera
            .render(&template, &ctx)
            .map(String::into_bytes)
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
            content: &article.parsed.body.html,
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
        (article_template(content, id), ctx)
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
        if self.config.feeds {
            ctx.insert("feed_url", &format!("{}atom.xml", section.url));
        }
        let default = if section.dir.is_empty() {
            "index.html"
        } else {
            "section.html"
        };
        let template = section
            .index
            .as_ref()
            .and_then(|i| i.meta.template.clone())
            .unwrap_or_else(|| default.into());
        (template, ctx)
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
        let start = ((page - 1) * per_page).min(ids.len());
        let end = (start + per_page).min(ids.len());
        PaginatorContext {
            pages: Value::from(
                ids[start..end]
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
        ctx.insert("taxonomy", &self.taxonomy_value(t));
        ctx.insert(
            "translations",
            &self.taxonomy_translations(&taxonomy.name, None),
        );
        ("taxonomy_list.html".into(), ctx)
    }

    fn taxonomy_value(&self, t: usize) -> TaxonomyContext<'a> {
        let taxonomy = &self.content.taxonomies[t];
        TaxonomyContext {
            name: &taxonomy.name,
            url: &taxonomy.url,
            permalink: self.config.absolute(&taxonomy.url),
            terms: taxonomy.terms.iter().map(TermItem::of).collect(),
        }
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
        ctx.insert("taxonomy", &self.taxonomy_value(t));
        ctx.insert("term", &TermItem::of(term));
        ctx.insert(
            "paginator",
            &self.paginator(&term.pages, self.config.paginate_by, &term.url, page),
        );
        ctx.insert(
            "translations",
            &self.taxonomy_translations(&taxonomy.name, Some(&term.slug)),
        );
        if self.config.feeds {
            ctx.insert("feed_url", &format!("{}atom.xml", term.url));
        }
        ("taxonomy_term.html".into(), ctx)
    }
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

/// Escape text for an HTML attribute value.
pub fn escape_attr(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}
