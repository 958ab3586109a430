//! Planning: every output of the site, with its URL, the source that claims it
//! and how it is made, before anything is rendered; two claims on one file are
//! an error naming both.

use super::assets::{AssetSource, Assets};
use super::{HIGHLIGHT_CSS, Templates};
use crate::config::{Config, FeedKind};
use crate::diagnostics::{Diagnostic, SourceLocation};
use crate::link::permalink::{output_file, pager_url};
use crate::link::{ArticleId, ContentTree, SectionId};
use crate::load::CONTENT_DIR;
use crate::parse::display_path;
use std::path::PathBuf;

/// How one output is made.
#[derive(Debug, Clone)]
pub(super) enum Job {
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
        kind: FeedKind,
        title: String,
        page_url: String,
        lang: String,
        list: FeedList,
    },
    Sitemap,
    /// `/sitemap-<n>.xml` (1-based) of a sitemap too large for one file.
    SitemapPart(usize),
    /// `/sitemap-news.xml`.
    NewsSitemap,
    Robots,
    NotFound,
    SearchIndex(String),
    SearchPage(String),
    HighlightCss,
    Copy(PathBuf),
    /// Bytes made before rendering (compiled SCSS, the built-in theme's files).
    Made(std::sync::Arc<[u8]>),
}

#[derive(Debug, Clone, Copy)]
pub(super) enum FeedList {
    Section(SectionId),
    Term(usize, usize),
}

/// One planned output file.
#[derive(Debug)]
pub(super) struct Planned {
    /// Site-relative URL.
    pub(super) url: String,
    /// The file it is written to (`output_file` of the URL), shared with a
    /// session's memo of it.
    pub(super) file: std::sync::Arc<str>,
    /// What claims it, for collision messages (`content/news/visit.md`).
    pub(super) source: String,
    /// Where the source claims it, when that is one line of a file (an alias).
    pub(super) at: Option<SourceLocation>,
    pub(super) job: Job,
}

/// The outputs planned so far, each with the file its URL is written to.
struct Outputs<'a> {
    base_path: &'a str,
    planned: Vec<Planned>,
}

impl Outputs<'_> {
    fn add(&mut self, url: String, source: String, job: Job) {
        self.push(url, source, None, job);
    }

    fn add_at(&mut self, url: String, source: String, at: SourceLocation, job: Job) {
        self.push(url, source, Some(at), job);
    }

    fn push(&mut self, url: String, source: String, at: Option<SourceLocation>, job: Job) {
        let file = output_file(self.base_path, &url).into();
        self.planned.push(Planned {
            url,
            file,
            source,
            at,
            job,
        });
    }

    /// One feed of each kind site.yaml names, beside the list page at `page_url`.
    fn add_feeds(
        &mut self,
        config: &Config,
        page_url: &str,
        source: &str,
        title: &str,
        lang: &str,
        list: FeedList,
    ) {
        for &kind in &config.feeds {
            let job = Job::Feed {
                kind,
                title: title.to_string(),
                page_url: page_url.to_string(),
                lang: lang.to_string(),
                list,
            };
            self.add(
                format!("{page_url}{}", kind.file_name()),
                source.to_string(),
                job,
            );
        }
    }
}

/// Plan every output and check that no two claim one file.
pub(super) fn plan(
    config: &Config,
    content: &ContentTree,
    templates: &Templates,
    assets: &Assets,
    sitemap_parts: usize,
) -> (Vec<Planned>, Vec<Diagnostic>) {
    let mut plan = Outputs {
        base_path: &config.base_path,
        planned: Vec::new(),
    };
    let mut problems = super::required::check(content, templates);
    let has = |template: &str| templates.tera.contains_template(template);

    for (id, article) in content.articles.iter().enumerate() {
        let source = display_path(&article.parsed.source);
        for alias in &article.parsed.meta.aliases {
            let trimmed = alias.trim().trim_matches('/');
            let url = if trimmed.ends_with(".html") {
                format!("{}/{trimmed}", config.base_path)
            } else {
                format!("{}/{trimmed}/", config.base_path)
            };
            plan.add_at(
                url,
                format!("{source} (alias \"{alias}\")"),
                article.parsed.meta.positions.location(&source, "aliases"),
                Job::Redirect {
                    to: article.url.clone(),
                },
            );
        }
        for (asset, url) in &article.assets {
            let from = config.root.join(CONTENT_DIR).join(asset);
            plan.add(
                url.clone(),
                format!("{CONTENT_DIR}/{asset}"),
                Job::Copy(from),
            );
        }
        plan.add(article.url.clone(), source, Job::Article(id));
    }
    for (id, section) in content.sections.iter().enumerate() {
        let source = section.index.as_ref().map_or_else(
            || format!("{CONTENT_DIR}/{}", section.dir),
            |i| display_path(&i.source),
        );
        let pages = page_count(section.pages.len(), section.paginate_by);
        for page in 1..=pages {
            plan.add(
                pager_url(&section.url, page),
                source.clone(),
                Job::SectionPage { section: id, page },
            );
        }
        plan.add(
            format!("{}page/1/", section.url),
            source.clone(),
            Job::Redirect {
                to: section.url.clone(),
            },
        );
        if !section.dir.is_empty() && has("archive.html") {
            plan.add(
                format!("{}archive/", section.url),
                source.clone(),
                Job::Archive(id),
            );
        }
        let title = feed_title(
            config,
            &section.lang,
            (!section.dir.is_empty()).then_some(section.title.as_str()),
        );
        plan.add_feeds(
            config,
            &section.url,
            &source,
            &title,
            &section.lang,
            FeedList::Section(id),
        );
    }
    for (t, taxonomy) in content.taxonomies.iter().enumerate() {
        let source = format!("taxonomy \"{}\" ({})", taxonomy.name, taxonomy.lang);
        // A taxonomy nobody uses needs no list page from a theme without one.
        if !taxonomy.terms.is_empty() || has("taxonomy_list.html") {
            plan.add(taxonomy.url.clone(), source.clone(), Job::TaxonomyList(t));
        }
        for (n, term) in taxonomy.terms.iter().enumerate() {
            let term_source = format!("{source} term \"{}\"", term.name);
            for page in 1..=page_count(term.pages.len(), config.paginate_by) {
                plan.add(
                    pager_url(&term.url, page),
                    term_source.clone(),
                    Job::TermPage {
                        taxonomy: t,
                        term: n,
                        page,
                    },
                );
            }
            plan.add(
                format!("{}page/1/", term.url),
                term_source.clone(),
                Job::Redirect {
                    to: term.url.clone(),
                },
            );
            let title = feed_title(config, &taxonomy.lang, Some(&term.name));
            plan.add_feeds(
                config,
                &term.url,
                &term_source,
                &title,
                &taxonomy.lang,
                FeedList::Term(t, n),
            );
        }
    }
    let root = &config.base_path;
    plan.add(
        format!("{root}/sitemap.xml"),
        "sitemap".into(),
        Job::Sitemap,
    );
    if config.news_sitemap.is_some() {
        plan.add(
            super::news_sitemap::url(config),
            "news_sitemap in site.yaml".into(),
            Job::NewsSitemap,
        );
    }
    for n in (1..=sitemap_parts).filter(|_| sitemap_parts > 1) {
        plan.add(
            super::sitemap::part_url(config, n),
            format!("sitemap part {n}"),
            Job::SitemapPart(n),
        );
    }
    plan.add(
        format!("{root}/robots.txt"),
        "robots.txt".into(),
        Job::Robots,
    );
    plan.add(format!("{root}/404.html"), "404 page".into(), Job::NotFound);
    let search = config.search && has("search.html");
    for language in config.languages.iter().filter(|_| search) {
        let page = format!("{}/search/", config.language_prefix(&language.code));
        plan.add(
            page,
            "search page".into(),
            Job::SearchPage(language.code.clone()),
        );
        plan.add(
            format!(
                "{}index.json",
                super::search::folder(config, &language.code)
            ),
            "search index".into(),
            Job::SearchIndex(language.code.clone()),
        );
    }
    if content.has_code() {
        plan.add(
            format!("{root}/{HIGHLIGHT_CSS}"),
            "highlight_theme in site.yaml".into(),
            Job::HighlightCss,
        );
    }
    for (file, from, source) in assets.files() {
        let job = match source {
            AssetSource::File(path) => Job::Copy(path.clone()),
            AssetSource::Made(bytes) => Job::Made(bytes.clone()),
        };
        plan.add(format!("{root}/{file}"), from.to_string(), job);
    }
    let plan = plan.planned;
    let mut claimed: rustc_hash::FxHashMap<&str, &Planned> = rustc_hash::FxHashMap::default();
    claimed.reserve(plan.len());
    for output in &plan {
        if let Some(first) = claimed.insert(&output.file, output) {
            let (first, second) = if first.source <= output.source {
                (first, output)
            } else {
                (output, first)
            };
            let at = second.at.clone().unwrap_or_else(|| {
                let source = second.source.as_str();
                // `content/x.md (alias "…")` names the file first.
                let file = match source.strip_prefix(CONTENT_DIR) {
                    Some(_) => source.split(" (").next().unwrap_or(source),
                    None => source,
                };
                SourceLocation::file(file)
            });
            problems.push(Diagnostic::error(
                at,
                format!(
                    "{} is written twice: by {} and by {}",
                    output.url, first.source, second.source
                ),
            ));
        }
    }
    (plan, problems)
}

pub(super) fn page_count(items: usize, per_page: usize) -> usize {
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

/// The template an output uses, and where front matter names it (`None`
/// for the default template of its kind).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TemplateChoice {
    pub(super) name: String,
    pub(super) written_at: Option<SourceLocation>,
}

impl TemplateChoice {
    pub(super) fn default(name: &str) -> TemplateChoice {
        TemplateChoice {
            name: name.into(),
            written_at: None,
        }
    }
}

/// The template of an article: its own `template`, else the nearest section's `page_template`.
pub(super) fn article_template(content: &ContentTree, id: ArticleId) -> TemplateChoice {
    let article = &content.articles[id];
    let meta = &article.parsed.meta;
    if let Some(template) = &meta.template {
        let source = display_path(&article.parsed.source);
        return TemplateChoice {
            name: template.clone(),
            written_at: Some(meta.positions.location(&source, "template")),
        };
    }
    let mut section = Some(article.section);
    while let Some(s) = section {
        let s = &content.sections[s];
        if let Some(index) = &s.index {
            if let Some(template) = &index.meta.page_template {
                let source = display_path(&index.source);
                return TemplateChoice {
                    name: template.clone(),
                    written_at: Some(index.meta.positions.location(&source, "page_template")),
                };
            }
        }
        section = s.parent;
    }
    TemplateChoice::default("page.html")
}

/// The template of a section page: its own `template`, else `index.html` for
/// the home and `section.html` for the others.
pub(super) fn section_template(section: &crate::link::Section) -> TemplateChoice {
    let default = if section.dir.is_empty() {
        "index.html"
    } else {
        "section.html"
    };
    match &section.index {
        Some(index) if index.meta.template.is_some() => TemplateChoice {
            name: index.meta.template.clone().unwrap_or_default(),
            written_at: Some(
                index
                    .meta
                    .positions
                    .location(&display_path(&index.source), "template"),
            ),
        },
        _ => TemplateChoice::default(default),
    }
}

/// The newest articles of a feed's list in the feed's language (with
/// `translation_fallback`, lists also show other languages' articles; feeds never do).
pub(super) fn feed_articles(content: &ContentTree, list: FeedList, lang: &str) -> Vec<ArticleId> {
    let ids = match list {
        FeedList::Section(id) => &content.sections[id].pages,
        FeedList::Term(t, n) => &content.taxonomies[t].terms[n].pages,
    };
    ids.iter()
        .copied()
        .filter(|&id| content.articles[id].parsed.lang == lang)
        .take(super::feeds::FEED_SIZE)
        .collect()
}

/// The articles on page `page` (1-based) of a list.
pub(super) fn page_items(ids: &[ArticleId], per_page: usize, page: usize) -> &[ArticleId] {
    let per_page = per_page.max(1);
    let start = ((page - 1) * per_page).min(ids.len());
    &ids[start..(start + per_page).min(ids.len())]
}
