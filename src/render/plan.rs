//! Planning: every output of the site, with its URL, the source that claims it
//! and how it is made, before anything is rendered; two claims on one file are
//! an error naming both.
//!
//! Outputs come in families (article pages, section pages, terms, feeds,
//! sitemaps, search, redirects, static files, the 404 page), each one file of
//! `render/`: a `plan` function listed once in `FAMILIES`, and the `Output`
//! its planned files are, which renders and fingerprints them side by side.

use super::Templates;
use super::assets::Assets;
use super::memo::Prints;
use super::prepared::Prepared;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceLocation};
use crate::link::permalink::output_file;
use crate::link::{ArticleId, ContentTree};
use crate::load::{CONTENT_DIR, SourceFile};
use crate::parse::display_path;

/// The problems of one output.
pub(super) type Problems = Vec<Diagnostic>;

/// Every family's plan function: a new family is its file and one line here.
const FAMILIES: &[fn(&PlanInput<'_>, &mut Outputs<'_>)] = &[
    super::articles::plan,
    super::statics::plan_bundle_files,
    super::aliases::plan,
    super::sections::plan,
    super::feeds::plan,
    super::terms::plan,
    super::sitemap::plan,
    super::news_sitemap::plan,
    super::not_found::plan,
    super::search::plan,
    super::statics::plan,
];

/// What planning reads.
pub(super) struct PlanInput<'a> {
    pub(super) config: &'a Config,
    pub(super) content: &'a ContentTree,
    pub(super) templates: &'a Templates,
    pub(super) assets: &'a Assets,
    /// Files of the sitemap (1: `/sitemap.xml` alone).
    pub(super) sitemap_parts: usize,
}

impl PlanInput<'_> {
    /// Whether the theme has `template`.
    pub(super) fn has(&self, template: &str) -> bool {
        self.templates.tera.contains_template(template)
    }
}

/// What rendering an output gives.
pub(super) enum Bytes<'a> {
    /// Made now.
    Made(Vec<u8>),
    /// Made before rendering.
    Shared(&'a [u8]),
    /// A file copied as it is.
    File(&'a std::path::Path),
}

/// How the build's summary line counts an output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Counted {
    /// A page made from a template.
    Page,
    /// A file of `static/`, a bundle, or made before rendering.
    Static,
    /// Feeds, sitemaps, redirects, indexes.
    Other,
}

/// One planned output of a family: it renders itself from the build's shared
/// values, and fingerprints what it is made from, so that a session keeps it
/// while that fingerprint stands.
pub(super) trait Output: Send + Sync + std::fmt::Debug {
    /// Its bytes.
    fn render<'p>(&'p self, at: &Planned, site: &Prepared<'_>) -> Result<Bytes<'p>, Problems>;

    /// The fingerprint of what it is made from (its URL is added by the
    /// caller), or `None` for an output made again every build.
    fn fingerprint(&self, at: &Planned, site: &Prepared<'_>, prints: &Prints) -> Option<u64>;

    /// How the summary line counts it.
    fn counted(&self) -> Counted {
        Counted::Other
    }

    /// Whether it is one of the long jobs that run one after another beside
    /// the rest (each a language's search index: it ends in work for one
    /// thread, which then overlaps the pages instead of trailing them, and
    /// holds its postings while it runs).
    fn serial(&self) -> bool {
        false
    }
}

/// One planned output file.
#[derive(Debug)]
pub(super) struct Planned {
    /// Site-relative URL (an article's is shared with it).
    pub(super) url: std::sync::Arc<str>,
    /// The file it is written to (`output_file` of the URL), shared with a
    /// session's memo of it.
    pub(super) file: std::sync::Arc<str>,
    /// What claims it, for collision messages (`content/news/visit.md`).
    pub(super) source: Claim,
    /// Where the source claims it, when that is one line of a file (an alias).
    pub(super) at: Option<SourceLocation>,
    pub(super) job: Box<dyn Output>,
}

/// What claims an output: an article's file, named only when a message
/// needs it (an archive plans one page per article), or a description.
#[derive(Debug)]
pub(super) enum Claim {
    File(std::sync::Arc<SourceFile>),
    Named(String),
}

impl Claim {
    /// As messages name it (`content/news/visit.md`, `404 page`).
    pub(super) fn name(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Claim::File(file) => display_path(file).into(),
            Claim::Named(name) => name.as_str().into(),
        }
    }
}

impl From<String> for Claim {
    fn from(name: String) -> Self {
        Claim::Named(name)
    }
}

impl From<&str> for Claim {
    fn from(name: &str) -> Self {
        Claim::Named(name.to_string())
    }
}

impl From<std::sync::Arc<SourceFile>> for Claim {
    fn from(file: std::sync::Arc<SourceFile>) -> Self {
        Claim::File(file)
    }
}

/// The outputs planned so far, each with the file its URL is written to.
pub(super) struct Outputs<'a> {
    base_path: &'a str,
    planned: Vec<Planned>,
}

impl Outputs<'_> {
    /// Plan `job` at `url`, claimed by `source`.
    pub(super) fn add(
        &mut self,
        url: impl Into<std::sync::Arc<str>>,
        source: impl Into<Claim>,
        job: impl Output + 'static,
    ) {
        self.push(url.into(), source.into(), None, Box::new(job));
    }

    /// Plan `job` at `url`, claimed by `source` at one line of a file.
    pub(super) fn add_at(
        &mut self,
        url: String,
        source: String,
        at: SourceLocation,
        job: impl Output + 'static,
    ) {
        self.push(url.into(), source.into(), Some(at), Box::new(job));
    }

    fn push(
        &mut self,
        url: std::sync::Arc<str>,
        source: Claim,
        at: Option<SourceLocation>,
        job: Box<dyn Output>,
    ) {
        let file = output_file(self.base_path, &url).into();
        self.planned.push(Planned {
            url,
            file,
            source,
            at,
            job,
        });
    }
}

/// Plan every output and check that no two claim one file.
pub(super) fn plan(input: &PlanInput<'_>) -> (Vec<Planned>, Vec<Diagnostic>) {
    let mut outputs = Outputs {
        base_path: &input.config.base_path,
        planned: Vec::new(),
    };
    for family in FAMILIES {
        family(input, &mut outputs);
    }
    let mut problems = super::required::check(input.content, input.templates);
    problems.extend(collisions(&outputs.planned));
    (outputs.planned, problems)
}

/// An error for each file that two outputs claim, naming both.
fn collisions(plan: &[Planned]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut claimed: rustc_hash::FxHashMap<&str, &Planned> = rustc_hash::FxHashMap::default();
    claimed.reserve(plan.len());
    for output in plan {
        let Some(first) = claimed.insert(&output.file, output) else {
            continue;
        };
        // Named in sorted order; the location is the later one's.
        let (a, b) = (first.source.name(), output.source.name());
        let (first_name, second_name, second) = if a <= b {
            (a, b, output)
        } else {
            (b, a, first)
        };
        let at = second.at.clone().unwrap_or_else(|| {
            let source = &*second_name;
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
                output.url, first_name, second_name
            ),
        ));
    }
    problems
}

pub(super) fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
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

/// The articles on page `page` (1-based) of a list.
pub(super) fn page_items(ids: &[ArticleId], per_page: usize, page: usize) -> &[ArticleId] {
    let per_page = per_page.max(1);
    let start = ((page - 1) * per_page).min(ids.len());
    &ids[start..(start + per_page).min(ids.len())]
}
