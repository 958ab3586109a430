//! Stage 3: whole-site relations. Gives every published article and section its
//! URL, builds the section tree and its sorted lists, taxonomies, translation
//! groups, neighbours, related articles, and resolves `@/` links.
//! Sequential and deterministic; the result is immutable and shared by `render`.
//!
//! In: `Parsed`, `SourceTree`, `Config`. Out: `ContentTree` (+ diagnostics).

pub mod coverage;
mod internal_links;
pub mod menus;
pub mod permalink;
mod sections;
mod taxonomies;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::load::SourceTree;
use crate::parse::{Parsed, ParsedArticle, ParsedSection, SortBy, display_path};

/// Index of an article in `ContentTree::articles`.
pub type ArticleId = usize;
/// Index of a section in `ContentTree::sections`.
pub type SectionId = usize;

/// A published article with its place in the site.
#[derive(Debug)]
pub struct Article {
    /// What its file says.
    pub parsed: Arc<ParsedArticle>,
    /// Site-relative URL (`/ru/news/visit/`), shared with its list item and
    /// its planned page (an archive holds one of each per article).
    pub url: Arc<str>,
    /// The section it is in (its folder, in its language).
    pub section: SectionId,
    /// Past `expires`: its page stays, lists and feeds leave it out.
    pub expired: bool,
    /// Its translations, itself included, in the site's language order.
    pub translations: Vec<ArticleId>,
    /// The next article down its section's order (older, for date order).
    pub lower: Option<ArticleId>,
    /// The next article up its section's order (newer, for date order).
    pub higher: Option<ArticleId>,
    /// Up to five articles sharing the most tags.
    pub related: Vec<ArticleId>,
    /// Bundle files, as paths relative to `content/` and their published URLs.
    pub assets: Vec<(String, String)>,
    /// Its terms: for each taxonomy of its language (index in
    /// `ContentTree::taxonomies`), indexes in that taxonomy's `terms`, as written.
    pub terms: Vec<(usize, Vec<usize>)>,
}

impl Article {
    /// Whether it appears in lists, feeds, the sitemap and the search index.
    pub fn listed(&self) -> bool {
        !self.expired
    }
}

/// A section (or the home, `dir == ""`) in one language.
#[derive(Debug)]
pub struct Section {
    /// Folder relative to `content/`.
    pub dir: String,
    /// Language code.
    pub lang: String,
    /// Title: its `_index` file's, else made from the folder name.
    pub title: String,
    /// Site-relative URL.
    pub url: String,
    /// Its `_index.<lang>.md`, when there is one.
    pub index: Option<Arc<ParsedSection>>,
    /// Parent section (same language), `None` for the home.
    pub parent: Option<SectionId>,
    /// Child sections (same language), sorted by folder.
    pub subsections: Vec<SectionId>,
    /// Listed articles in the section's order, transparent children's included;
    /// for the home, every listed article of the language.
    pub pages: Vec<ArticleId>,
    /// Items per list page.
    pub paginate_by: usize,
    /// Order of `pages`.
    pub sort_by: SortBy,
    /// Whether its pages join its parent's list.
    pub transparent: bool,
}

/// A taxonomy in one language.
#[derive(Debug)]
pub struct Taxonomy {
    /// Name from site.yaml (`tags`).
    pub name: String,
    /// Language code.
    pub lang: String,
    /// Site-relative URL of its term list.
    pub url: String,
    /// Terms sorted by slug.
    pub terms: Vec<Term>,
    /// Normalized written form (see `taxonomies::term_key`) → index in `terms`.
    pub by_key: rustc_hash::FxHashMap<String, usize>,
}

/// One term of a taxonomy and the articles carrying it.
#[derive(Debug)]
pub struct Term {
    /// As first written by an editor.
    pub name: String,
    /// URL segment.
    pub slug: String,
    /// Site-relative URL.
    pub url: String,
    /// Listed articles, newest first.
    pub pages: Vec<ArticleId>,
}

/// The linked site: every published item with its URL and relations.
#[derive(Debug)]
pub struct ContentTree {
    /// Published articles, by source path.
    pub articles: Vec<Article>,
    /// Sections of every language; per language the home comes first.
    pub sections: Vec<Section>,
    /// Taxonomies of every language.
    pub taxonomies: Vec<Taxonomy>,
    /// Every article, ordered by source path (for `article_at`: a map would
    /// hold a copy of every path).
    by_source: Arc<[ArticleId]>,
    /// (folder, language) → section.
    pub section_by_dir: BTreeMap<(String, String), SectionId>,
    /// Bundle files with no article in some language still get published once.
    pub bundle_assets: Vec<String>,
    /// Menus of every language, resolved (see `menus.rs`).
    pub menus: menus::Menus,
    /// In watch and serve sessions, the fingerprint of everything its URLs,
    /// lists and relations were made from (article bodies left out): equal
    /// keys, equal trees but for the bodies.
    pub layout_key: Option<u64>,
}

impl ContentTree {
    /// The article of source path `rel_path` (relative to `content/`).
    pub fn article_at(&self, rel_path: &str) -> Option<ArticleId> {
        let path = |id: &ArticleId| self.articles[*id].parsed.source.rel_path.as_str();
        let at = (self.by_source)
            .binary_search_by(|id| path(id).cmp(rel_path))
            .ok()?;
        Some(self.by_source[at])
    }

    /// Every article, ordered by source path (shared with the render's lookups).
    pub fn by_source(&self) -> &Arc<[ArticleId]> {
        &self.by_source
    }

    /// Whether any page has highlighted code (the site then needs the stylesheet).
    pub fn has_code(&self) -> bool {
        self.articles.iter().any(|a| a.parsed.body.has_code)
            || self
                .sections
                .iter()
                .any(|s| s.index.as_ref().is_some_and(|i| i.body.has_code))
    }

    /// The version of article `id` in `lang`: its translation there, else itself.
    pub fn in_language(&self, id: ArticleId, lang: &str) -> ArticleId {
        self.articles[id]
            .translations
            .iter()
            .copied()
            .find(|&t| self.articles[t].parsed.lang == lang)
            .unwrap_or(id)
    }

    /// The home section of `lang`.
    pub fn home(&self, lang: &str) -> Option<&Section> {
        self.section_by_dir
            .get(&(String::new(), lang.to_string()))
            .map(|&id| &self.sections[id])
    }

    /// The terms `article` carries, per taxonomy of its language: (taxonomy name, terms).
    pub fn terms_of(&self, article: &Article) -> Vec<(&str, Vec<&Term>)> {
        article
            .terms
            .iter()
            .map(|(t, terms)| {
                let taxonomy = &self.taxonomies[*t];
                let terms = terms.iter().map(|&i| &taxonomy.terms[i]).collect();
                (taxonomy.name.as_str(), terms)
            })
            .collect()
    }
}

/// Link the parsed site. Drafts and future articles are dropped here unless `--drafts`.
pub fn link(parsed: Parsed, tree: &SourceTree, config: &Config) -> (ContentTree, Vec<Diagnostic>) {
    let (mut content, mut problems) = relations(parsed, tree, config);
    problems.extend(resolve_links(&mut content));
    (content, problems)
}

/// Resolve the `@/` links of every article and section of `content`.
pub(crate) fn resolve_links(content: &mut ContentTree) -> Vec<Diagnostic> {
    internal_links::resolve(content)
}

/// Whether an article is published in this build (drafts and future articles
/// only with `--drafts`).
pub(crate) fn published(article: &ParsedArticle, config: &Config) -> bool {
    config.drafts
        || (!article.meta.draft.unwrap_or(false) && article.date <= config.now.fixed_offset())
}

/// Everything `link` does except resolving `@/` links.
pub(crate) fn relations(
    parsed: Parsed,
    tree: &SourceTree,
    config: &Config,
) -> (ContentTree, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let Parsed {
        articles,
        sections: indexes,
    } = parsed;
    let now = config.now.fixed_offset();
    let published: Vec<Arc<ParsedArticle>> = articles
        .into_iter()
        .filter(|a| published(a, config))
        .collect();
    let sections = sections::build(tree, indexes, &published, config, &mut problems);
    let mut articles: Vec<Article> = published
        .into_iter()
        .map(|parsed| {
            let section = sections.id(&parsed.source.section, &parsed.lang);
            let url = permalink::article_url(
                config,
                &parsed.lang,
                &parsed.source.section,
                &parsed.slug,
                &sections.slugs,
            );
            let expired = parsed.expires.is_some_and(|e| e <= now);
            Article {
                parsed,
                url: url.into(),
                section,
                expired,
                translations: Vec::new(),
                lower: None,
                higher: None,
                related: Vec::new(),
                assets: Vec::new(),
                terms: Vec::new(),
            }
        })
        .collect();
    let mut by_source: Vec<ArticleId> = (0..articles.len()).collect();
    by_source.sort_unstable_by(|&a, &b| {
        let path = |id: ArticleId| &articles[id].parsed.source.rel_path;
        path(a).cmp(path(b))
    });
    link_translations(&mut articles, config, &mut problems);
    attach_assets(&mut articles, &tree.bundle_assets);
    let mut section_list = sections.finish(&mut articles, &mut problems, config.review);
    if config.translation_fallback {
        sections::add_fallbacks(&mut section_list, &articles);
    }
    let taxonomies = taxonomies::build(&articles, config);
    taxonomies::attach_terms(&mut articles, &taxonomies);
    let mut content = ContentTree {
        articles,
        sections: section_list,
        taxonomies,
        by_source: by_source.into(),
        section_by_dir: BTreeMap::new(),
        bundle_assets: tree.bundle_assets.clone(),
        menus: Default::default(),
        layout_key: None,
    };
    content.section_by_dir = content
        .sections
        .iter()
        .enumerate()
        .map(|(id, s)| ((s.dir.clone(), s.lang.clone()), id))
        .collect();
    taxonomies::relate(&mut content);
    let (menus, menu_problems) = menus::resolve(config, &content);
    content.menus = menus;
    problems.extend(menu_problems);
    (content, problems)
}

/// Group articles that are translations of each other (same folder and name, or
/// the same `translation_key`); two files in one language of a group is an error.
fn link_translations(articles: &mut [Article], config: &Config, problems: &mut Vec<Diagnostic>) {
    let mut groups: BTreeMap<String, Vec<ArticleId>> = BTreeMap::new();
    for (id, a) in articles.iter().enumerate() {
        let key = match &a.parsed.meta.translation_key {
            Some(key) => format!("key:{key}"),
            None => format!("path:{}/{}", a.parsed.source.section, a.parsed.source.stem),
        };
        groups.entry(key).or_default().push(id);
    }
    let order = |code: &str| config.languages.iter().position(|l| l.code == code);
    for mut group in groups.into_values() {
        group.sort_by_key(|&id| (order(&articles[id].parsed.lang), id));
        for pair in group.windows(2) {
            let (a, b) = (&articles[pair[0]].parsed, &articles[pair[1]].parsed);
            if a.lang == b.lang {
                let at = b
                    .meta
                    .positions
                    .location(&display_path(&b.source), "translation_key");
                problems.push(Diagnostic::error(
                    at,
                    format!(
                        "two \"{}\" versions of one article: this file and {} (give one a different translation_key)",
                        b.lang,
                        display_path(&a.source)
                    ),
                ));
            }
        }
        for &id in &group {
            articles[id].translations = group.clone();
        }
    }
}

/// Bundle files are published beside every language version of their article.
fn attach_assets(articles: &mut [Article], bundle_assets: &[String]) {
    for article in articles.iter_mut() {
        if article.parsed.source.kind != crate::load::SourceKind::Bundle {
            continue;
        }
        let folder = format!("{}/", article.parsed.source.folder());
        article.assets = bundle_assets
            .iter()
            .filter_map(|asset| {
                let name = asset.strip_prefix(&folder)?;
                Some((asset.clone(), format!("{}{name}", article.url)))
            })
            .collect();
    }
}

/// Sort `ids` in a section's order; ties are broken by source path.
pub fn sort_articles(ids: &mut [ArticleId], articles: &[Article], sort_by: SortBy) {
    let path = |id: ArticleId| &articles[id].parsed.source.rel_path;
    match sort_by {
        SortBy::Date => ids.sort_by(|&a, &b| {
            articles[b]
                .parsed
                .date
                .cmp(&articles[a].parsed.date)
                .then_with(|| path(a).cmp(path(b)))
        }),
        SortBy::Weight => ids.sort_by(|&a, &b| {
            let w = |id: ArticleId| articles[id].parsed.meta.weight.unwrap_or(0);
            w(a).cmp(&w(b)).then_with(|| path(a).cmp(path(b)))
        }),
        SortBy::Title => ids.sort_by(|&a, &b| {
            let t = |id: ArticleId| {
                articles[id]
                    .parsed
                    .meta
                    .title
                    .as_deref()
                    .unwrap_or("")
                    .to_lowercase()
            };
            t(a).cmp(&t(b)).then_with(|| path(a).cmp(path(b)))
        }),
    }
}
