//! Incremental rendering for watch and serve: every output gets a fingerprint
//! of what it is made from; an output whose fingerprint has not changed since
//! the last build keeps its bytes instead of being rendered again.
//!
//! What a page is made from is known ahead, except for what templates fetch
//! with `get_page` / `get_section`: those calls are recorded while rendering
//! (`functions::record_dependencies`) and their targets' fingerprints join the
//! output's on the next build.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;
use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;
use tera::Value;

use super::Templates;
use super::plan::Planned;
use crate::config::Config;
use crate::link::{Article, ArticleId, ContentTree};
use crate::output::FileBytes;

/// Something a template fetched through a function.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Dependency {
    /// `get_page(path)` in language `lang`.
    Page { path: String, lang: String },
    /// `get_section(path)` (the section folder) in language `lang`.
    Section { dir: String, lang: String },
    /// A file read by `resize_image()`.
    File { path: std::path::PathBuf },
}

/// One output as last built.
#[derive(Debug, Clone)]
pub(super) struct Remembered {
    /// Fingerprint of its inputs, functions' targets included.
    pub(super) fingerprint: u64,
    /// What its template fetched.
    pub(super) dependencies: std::sync::Arc<[Dependency]>,
    /// Its bytes, packed: a session holds every output between builds.
    pub(super) bytes: FileBytes,
}

/// A session's last plan: the fingerprint of what it was made from, its
/// outputs and the warnings planning gave.
pub(super) struct PlanMemo {
    pub(super) key: u64,
    pub(super) plan: std::sync::Arc<[Planned]>,
    pub(super) warnings: Vec<crate::diagnostics::Diagnostic>,
}

/// The outputs of the last build of a session, by their place in its plan.
#[derive(Default)]
pub(super) struct MadeOutputs {
    pub(super) plan: Option<std::sync::Arc<[Planned]>>,
    /// By plan position; `None` for an output a session does not keep.
    pub(super) made: Vec<Option<Remembered>>,
}

/// How this build finds the last build's output of each of its planned outputs.
pub(super) enum Before<'m> {
    /// The plan is the last one: by position.
    Kept(&'m [Option<Remembered>]),
    /// The plan changed: by output file.
    ByFile(HashMap<&'m str, &'m Remembered>),
}

impl<'m> Before<'m> {
    /// How `plan` finds what `last` made.
    pub(super) fn new(last: &'m MadeOutputs, plan: &std::sync::Arc<[Planned]>) -> Self {
        match &last.plan {
            Some(made_for) if std::sync::Arc::ptr_eq(made_for, plan) => Before::Kept(&last.made),
            Some(made_for) => Before::ByFile(
                (made_for.iter().zip(&last.made))
                    .filter_map(|(output, made)| Some((&*output.file, made.as_ref()?)))
                    .collect(),
            ),
            None => Before::ByFile(HashMap::default()),
        }
    }

    /// The last build's output at plan position `n`, written to `file`.
    pub(super) fn get(&self, n: usize, file: &str) -> Option<&'m Remembered> {
        match self {
            Before::Kept(made) => made.get(n)?.as_ref(),
            Before::ByFile(by_file) => by_file.get(file).copied(),
        }
    }
}

/// What the last build of a session produced, for the next one to reuse.
#[derive(Default)]
pub struct RenderMemo {
    pub(super) outputs: MadeOutputs,
    /// Search index entries of articles by source path, with their fingerprint.
    pub(super) search: super::search::KeptDocs,
    /// The search index's files beside each `index.json`, as last published.
    pub(super) search_files: rustc_hash::FxHashMap<String, FileBytes>,
    /// Each language's search index, by code, for the next build to patch.
    pub(super) search_indexes: HashMap<String, super::search::LanguageIndex>,
    /// Static files whose fingerprinted copies pages asked for (kept pages still link them).
    pub(super) fingerprinted: Vec<(String, String)>,
    /// Processed images published by earlier builds (pages kept from them still use them).
    pub(super) images: BTreeMap<String, FileBytes>,
    /// The last plan, while what it was made from stands.
    pub(super) plan: Option<PlanMemo>,
    /// The sitemap, with the content tree's `layout_key` it was made from.
    pub(super) sitemap: Option<(u64, std::sync::Arc<super::sitemap::Sitemap>)>,
}

impl RenderMemo {
    /// The last build's search entries and indexes, moved out for the next
    /// build to patch.
    pub(super) fn take_search(
        &mut self,
    ) -> (
        super::search::KeptDocs,
        HashMap<String, super::search::LanguageIndex>,
    ) {
        (
            std::mem::take(&mut self.search),
            std::mem::take(&mut self.search_indexes),
        )
    }

    /// Forget everything (the next build renders every output).
    pub fn clear(&mut self) {
        self.outputs = MadeOutputs::default();
        self.search.clear();
        self.search_files.clear();
        self.search_indexes.clear();
        self.fingerprinted.clear();
        self.images.clear();
        self.sitemap = None;
        self.plan = None;
    }
}

/// A hasher for fingerprints (fast; not for anything adversarial).
pub(super) struct Print(FxHasher);

impl Print {
    pub(super) fn new(kind: &str) -> Self {
        let mut print = Print(FxHasher::default());
        print.add(kind);
        print
    }

    pub(super) fn add(&mut self, value: impl Hash) -> &mut Self {
        value.hash(&mut self.0);
        self
    }

    pub(super) fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// The fingerprint of a serializable value (small ones: site and section headers).
pub(super) fn print_json(value: &impl serde::Serialize) -> u64 {
    let mut print = Print::new("json");
    print.add(serde_json::to_string(value).unwrap_or_default());
    print.finish()
}

/// Fingerprints of this build's inputs, from which each output's is made.
pub(super) struct Prints {
    /// Config and templates: everything that touches every page.
    pub(super) generation: u64,
    /// Per language: the `site` value.
    site: BTreeMap<String, u64>,
    /// Per article: what its list entry shows.
    pub(super) summary: Vec<u64>,
    /// Per article: its list entry and its full content.
    pub(super) content: Vec<u64>,
    /// Per section: its own fields (title, text, links), without its articles.
    pub(super) section_head: Vec<u64>,
    /// Per section: its head and every article in its list.
    pub(super) section_all: Vec<u64>,
    /// Whether a template reads `section.pages` (section pages then
    /// depend on every article of their section).
    pub(super) uses_section_pages: bool,
    /// Per template: its fingerprint (see `Templates::template_prints`).
    template_prints: BTreeMap<String, u64>,
}

/// What an article's list entry is made from.
pub(super) fn summary_print(content: &ContentTree, article: &Article, word_count: bool) -> u64 {
    let mut print = Print::new("summary");
    print
        .add(article.parsed.entry_hash)
        .add(&article.url)
        .add(article.expired);
    let body = &article.parsed.body;
    if word_count {
        print.add(body.word_count);
    }
    if !body.internal_links.is_empty() || body.has_shortcodes {
        // The summary's resolved links and shortcodes, which the source does not show.
        print.add(&article.parsed.summary_html);
    }
    for (taxonomy, terms) in content.terms_of(article) {
        print.add(taxonomy);
        for term in terms {
            print.add(&term.url).add(&term.name);
        }
    }
    print.finish()
}

impl Prints {
    pub(super) fn new(
        config: &Config,
        content: &ContentTree,
        templates: &Templates,
        sites: &BTreeMap<String, Value>,
        summary: Vec<u64>,
        assets: u64,
    ) -> Self {
        let generation = Print::new("generation")
            .add(config.fingerprint())
            .add(templates.strings_fingerprint)
            .add(assets)
            .finish();
        let site = sites
            .iter()
            .map(|(lang, value)| (lang.clone(), print_json(value)))
            .collect();
        let content_prints = content
            .articles
            .iter()
            .zip(&summary)
            .map(|(article, s)| {
                let mut print = Print::new("content");
                print.add(s).add(article.parsed.source_hash);
                // Resolved `@/` links and shortcodes depend on other pages and on
                // templates, which the source does not show.
                let body = &article.parsed.body;
                if !body.internal_links.is_empty() || body.has_shortcodes {
                    print.add(&article.parsed.body.html);
                }
                print.finish()
            })
            .collect();
        let section_head: Vec<u64> = content
            .sections
            .iter()
            .map(|section| {
                let mut print = Print::new("section");
                print
                    .add(&section.title)
                    .add(&section.url)
                    .add(&section.dir)
                    .add(section.paginate_by);
                if let Some(index) = &section.index {
                    print.add(index.source_hash).add(&index.body.html);
                }
                for &child in &section.subsections {
                    print
                        .add(&content.sections[child].title)
                        .add(&content.sections[child].url);
                }
                print.finish()
            })
            .collect();
        let section_all = content
            .sections
            .iter()
            .zip(&section_head)
            .map(|(section, head)| {
                let mut print = Print::new("section-all");
                print.add(head);
                for &id in &section.pages {
                    print.add(summary[id]);
                }
                print.finish()
            })
            .collect();
        Prints {
            generation,
            site,
            summary,
            content: content_prints,
            section_head,
            section_all,
            uses_section_pages: templates.uses_section_pages,
            template_prints: templates.template_prints.clone(),
        }
    }

    /// The start of a page's fingerprint: config, templates, the language's
    /// `site`, and the page's template.
    pub(super) fn page_base(&self, kind: &str, lang: &str, template: &str) -> Print {
        let mut print = Print::new(kind);
        print.add(self.generation).add(self.site.get(lang));
        print.add(template).add(self.template_prints.get(template));
        print
    }

    /// Add the list items of `ids`.
    pub(super) fn add_list(&self, print: &mut Print, ids: &[ArticleId]) {
        print.add(ids.len());
        for &id in ids {
            print.add(self.summary[id]);
        }
    }

    /// The fingerprint of what a `get_page`/`get_section` call returned.
    pub(super) fn dependency(&self, content: &ContentTree, dependency: &Dependency) -> u64 {
        let mut print = Print::new("dependency");
        match dependency {
            Dependency::Page { path, lang } => {
                let found = (content.article_at(path)).map(|id| content.in_language(id, lang));
                print.add(found.map(|id| self.summary[id]));
            }
            Dependency::File { path } => {
                let meta = std::fs::metadata(path).ok();
                print
                    .add(path)
                    .add(meta.as_ref().map(|m| (m.len(), m.modified().ok())));
            }
            Dependency::Section { dir, lang } => {
                let found = content.section_by_dir.get(&(dir.clone(), lang.clone()));
                print.add(found.map(|&id| self.section_all[id]));
            }
        }
        print.finish()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::render::plan::{Bytes, Output, Problems};
    use crate::render::prepared::Prepared;

    #[derive(Debug)]
    struct Nothing;

    impl Output for Nothing {
        fn render<'p>(&'p self, _: &Planned, _: &Prepared<'_>) -> Result<Bytes<'p>, Problems> {
            Ok(Bytes::Made(Vec::new()))
        }

        fn fingerprint(&self, _: &Planned, _: &Prepared<'_>, _: &Prints) -> Option<u64> {
            None
        }
    }

    fn plan(files: &[&str]) -> Arc<[Planned]> {
        (files.iter())
            .map(|file| Planned {
                url: format!("/{file}").into(),
                file: (*file).into(),
                source: "".into(),
                at: None,
                job: Box::new(Nothing),
            })
            .collect()
    }

    fn made(fingerprint: u64) -> Option<Remembered> {
        Some(Remembered {
            fingerprint,
            dependencies: Arc::new([]),
            bytes: FileBytes::plain(Vec::new()),
        })
    }

    #[test]
    fn the_last_outputs_are_found_by_place_in_a_kept_plan_and_by_file_in_a_new_one() {
        let last = plan(&["a.html", "b.html", "c.html"]);
        let memo = MadeOutputs {
            plan: Some(last.clone()),
            made: vec![made(1), None, made(3)],
        };
        let print = |found: Option<&Remembered>| found.map(|r| r.fingerprint);
        let kept = Before::new(&memo, &last);
        assert_eq!(print(kept.get(0, "a.html")), Some(1));
        assert_eq!(print(kept.get(1, "b.html")), None);
        assert_eq!(print(kept.get(2, "c.html")), Some(3));
        let moved = plan(&["c.html", "new.html", "a.html"]);
        let by_file = Before::new(&memo, &moved);
        assert_eq!(print(by_file.get(0, "c.html")), Some(3));
        assert_eq!(print(by_file.get(1, "new.html")), None);
        assert_eq!(print(by_file.get(2, "a.html")), Some(1));
        let first = MadeOutputs::default();
        assert_eq!(print(Before::new(&first, &moved).get(0, "c.html")), None);
    }
}
