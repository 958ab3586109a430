//! The section tree per language: which sections exist, their titles, and their
//! sorted article lists (transparent sections folded into their parents).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Article, Section, SectionId, permalink, sort_articles};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, SourceLocation};
use crate::load::SourceTree;
use crate::parse::{ParsedArticle, ParsedSection, SortBy, display_path};

/// Sections created, waiting for their articles.
pub(super) struct SectionBuilder {
    sections: Vec<Section>,
    by_dir: BTreeMap<(String, String), SectionId>,
    /// The URL segments section indexes give themselves (`slug:`), per language.
    pub(super) slugs: permalink::SectionSlugs,
}

/// Create the sections of every language: the home always; another folder in a
/// language when it has an `_index.<lang>.md` or articles (at any depth) in it.
pub(super) fn build(
    tree: &SourceTree,
    indexes: Vec<Arc<ParsedSection>>,
    articles: &[Arc<ParsedArticle>],
    config: &Config,
    problems: &mut Vec<Diagnostic>,
) -> SectionBuilder {
    let mut index_of = indexes_by_folder(indexes, problems);
    let default_titles: BTreeMap<String, String> = index_of
        .iter()
        .filter(|((_, lang), _)| lang == config.default_language())
        .filter_map(|((dir, _), i)| Some((dir.clone(), i.meta.title.clone()?)))
        .collect();
    let mut builder = SectionBuilder {
        sections: Vec::new(),
        by_dir: BTreeMap::new(),
        slugs: section_slugs(&index_of, problems),
    };
    let populated = populated(articles);
    for language in &config.languages {
        let lang = &language.code;
        for dir in &tree.section_dirs {
            let has_articles = populated.contains(&(lang.as_str(), dir.as_str()));
            let index = index_of.remove(&(dir.clone(), lang.clone()));
            let is_default = lang == config.default_language();
            if !(dir.is_empty() || is_default || index.is_some() || has_articles) {
                continue;
            }
            let title = match index.as_ref().and_then(|i| i.meta.title.clone()) {
                Some(title) => title,
                None if dir.is_empty() => language.title.clone(),
                None => default_titles
                    .get(dir)
                    .cloned()
                    .unwrap_or_else(|| title_from_folder(dir)),
            };
            builder.add(config, dir, lang, title, index);
        }
    }
    builder.sort_subsections();
    for ((_, lang), index) in index_of {
        problems.push(Diagnostic::error(
            SourceLocation::file(display_path(&index.source)),
            format!("section index in \"{lang}\", which is not a language of this site"),
        ));
    }
    builder
}

/// Each section index by (folder, language); a second one of a pair is an error.
fn indexes_by_folder(
    indexes: Vec<Arc<ParsedSection>>,
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<(String, String), Arc<ParsedSection>> {
    let mut index_of: BTreeMap<(String, String), Arc<ParsedSection>> = BTreeMap::new();
    for index in indexes {
        let key = (index.source.section.clone(), index.lang.clone());
        if let Some(previous) = index_of.get(&key) {
            problems.push(Diagnostic::error(
                SourceLocation::file(display_path(&index.source)),
                format!(
                    "a second \"{}\" index of this section: {} is the first",
                    index.lang,
                    display_path(&previous.source)
                ),
            ));
            continue;
        }
        index_of.insert(key, index);
    }
    index_of
}

/// The URL segments section indexes give themselves (`slug:`), checked.
fn section_slugs(
    index_of: &BTreeMap<(String, String), Arc<ParsedSection>>,
    problems: &mut Vec<Diagnostic>,
) -> permalink::SectionSlugs {
    let mut slugs = permalink::SectionSlugs::default();
    for ((dir, lang), index) in index_of {
        let Some(slug) = index.meta.slug.as_deref().map(str::trim) else {
            continue;
        };
        if !dir.is_empty() && crate::slug::is_safe_segment(slug) {
            slugs.insert(dir, lang, slug);
        } else if !dir.is_empty() {
            let at = index
                .meta
                .positions
                .location(&display_path(&index.source), "slug");
            problems.push(Diagnostic::error(
                at,
                format!("slug: \"{slug}\" is not a single URL segment, expected letters, digits and dashes without / \\ % or leading dots"),
            ));
        }
    }
    slugs
}

/// (language, folder) pairs holding an article at any depth.
fn populated(articles: &[Arc<ParsedArticle>]) -> std::collections::HashSet<(&str, &str)> {
    let mut populated = std::collections::HashSet::new();
    for article in articles {
        let mut dir = article.source.section.as_str();
        while populated.insert((article.lang.as_str(), dir)) {
            match parent_dir(dir) {
                Some(parent) => dir = parent,
                None => break,
            }
        }
    }
    populated
}

impl SectionBuilder {
    /// Add the section of folder `dir` in `lang`, under its parent (added
    /// before it: folders come parents first).
    fn add(
        &mut self,
        config: &Config,
        dir: &str,
        lang: &str,
        title: String,
        index: Option<Arc<ParsedSection>>,
    ) {
        let meta = index.as_ref().map(|i| &i.meta);
        let parent = parent_dir(dir)
            .and_then(|p| self.by_dir.get(&(p.to_string(), lang.to_string())).copied());
        let id = self.sections.len();
        self.sections.push(Section {
            url: permalink::section_url(config, lang, dir, &self.slugs),
            dir: dir.to_string(),
            lang: lang.to_string(),
            title,
            parent,
            subsections: Vec::new(),
            pages: Vec::new(),
            paginate_by: meta
                .and_then(|m| m.paginate_by)
                .filter(|&n| n > 0)
                .unwrap_or(config.paginate_by),
            sort_by: meta.and_then(|m| m.sort_by).unwrap_or_default(),
            transparent: meta.and_then(|m| m.transparent).unwrap_or(false),
            index,
        });
        if let Some(parent) = parent {
            self.sections[parent].subsections.push(id);
        }
        self.by_dir.insert((dir.to_string(), lang.to_string()), id);
    }

    /// Navigation order: the `weight` of each `_index.md`, then the folder name.
    fn sort_subsections(&mut self) {
        let weight = |s: &Section| s.index.as_ref().and_then(|i| i.meta.weight).unwrap_or(0);
        for id in 0..self.sections.len() {
            let mut children = std::mem::take(&mut self.sections[id].subsections);
            children.sort_by(|&a, &b| {
                let (a, b) = (&self.sections[a], &self.sections[b]);
                weight(a).cmp(&weight(b)).then_with(|| a.dir.cmp(&b.dir))
            });
            self.sections[id].subsections = children;
        }
    }
}

impl SectionBuilder {
    /// The section of folder `dir` in `lang` (created by `build` for every article).
    pub(super) fn id(&self, dir: &str, lang: &str) -> SectionId {
        self.by_dir[&(dir.to_string(), lang.to_string())]
    }

    /// Fill each section's sorted list and each article's neighbours.
    pub(super) fn finish(
        mut self,
        articles: &mut [Article],
        problems: &mut Vec<Diagnostic>,
        review: bool,
    ) -> Vec<Section> {
        for (id, article) in articles.iter().enumerate() {
            if article.listed() {
                self.sections[article.section].pages.push(id);
            }
        }
        for section in &mut self.sections {
            sort_articles(&mut section.pages, articles, section.sort_by);
            if review {
                warn_duplicate_titles(&section.pages, articles, problems);
            }
            for (i, &id) in section.pages.iter().enumerate() {
                let before = i.checked_sub(1).map(|j| section.pages[j]);
                let after = section.pages.get(i + 1).copied();
                let (lower, higher) = match section.sort_by {
                    SortBy::Date => (after, before),
                    SortBy::Weight | SortBy::Title => (before, after),
                };
                articles[id].lower = lower;
                articles[id].higher = higher;
            }
        }
        // Children come after parents, so walking backwards folds the deepest first.
        for id in (0..self.sections.len()).rev() {
            let section = &self.sections[id];
            if let (true, Some(parent)) = (section.transparent, section.parent) {
                let pages = section.pages.clone();
                let parent = &mut self.sections[parent];
                parent.pages.extend(pages);
                sort_articles(&mut parent.pages, articles, parent.sort_by);
            }
        }
        for section in self.sections.iter_mut().filter(|s| s.dir.is_empty()) {
            section.pages = (0..articles.len())
                .filter(|&id| articles[id].listed() && articles[id].parsed.lang == section.lang)
                .collect();
            sort_articles(&mut section.pages, articles, section.sort_by);
        }
        self.sections
    }
}

/// `translation_fallback: true`: a listed article with no version in a
/// section's language joins that section's list (the home's: every such
/// article of the language), in its own language; feeds leave it out. Runs
/// after neighbours are set, so an article's neighbours stay those of its own
/// language.
pub(super) fn add_fallbacks(sections: &mut [Section], articles: &[Article]) {
    for section in sections.iter_mut() {
        let missing = |a: &Article| {
            a.listed()
                && a.parsed.lang != section.lang
                && !a
                    .translations
                    .iter()
                    .any(|&t| articles[t].parsed.lang == section.lang)
                // One version per group: the first listed one (the default language first).
                && a.translations.iter().find(|&&t| articles[t].listed()).is_some_and(|&first| {
                    std::ptr::eq(&articles[first], a)
                })
        };
        let here = |a: &Article| section.dir.is_empty() || a.parsed.source.section == section.dir;
        let extra: Vec<usize> = (0..articles.len())
            .filter(|&id| here(&articles[id]) && missing(&articles[id]))
            .collect();
        if !extra.is_empty() {
            section.pages.extend(extra);
            sort_articles(&mut section.pages, articles, section.sort_by);
        }
    }
}

/// Two articles of one section with the same title confuse readers and search engines.
fn warn_duplicate_titles(ids: &[usize], articles: &[Article], problems: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for &id in ids {
        let parsed = &articles[id].parsed;
        let title = parsed
            .meta
            .title
            .as_deref()
            .unwrap_or_default()
            .trim()
            .to_lowercase();
        if let Some(&first) = seen.get(&title) {
            problems.push(Diagnostic::warning(
                SourceLocation::file(display_path(&parsed.source)),
                format!(
                    "same title as {} in this section",
                    display_path(&articles[first].parsed.source)
                ),
            ));
        } else {
            seen.insert(title, id);
        }
    }
}

fn parent_dir(dir: &str) -> Option<&str> {
    if dir.is_empty() {
        return None;
    }
    Some(dir.rsplit_once('/').map_or("", |(parent, _)| parent))
}

/// `consular-services` → `Consular services`.
fn title_from_folder(dir: &str) -> String {
    let name = dir
        .rsplit('/')
        .next()
        .unwrap_or(dir)
        .replace(['-', '_'], " ");
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_titles() {
        assert_eq!(title_from_folder("consular-services"), "Consular services");
        assert_eq!(title_from_folder("news/регион"), "Регион");
    }

    #[test]
    fn parents() {
        assert_eq!(parent_dir(""), None);
        assert_eq!(parent_dir("news"), Some(""));
        assert_eq!(parent_dir("news/a"), Some("news"));
    }
}
