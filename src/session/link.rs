//! The last link pass of a session, kept for the next build.

use std::sync::Arc;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::link::{ContentTree, coverage, published, relations, resolve_links};
use crate::load::SourceTree;
use crate::parse::{Parsed, ParsedSection};

/// The last link pass of a watch/serve session. When only article bodies have
/// changed since (the usual edit), URLs, lists, taxonomies and related articles
/// are still right: the tree is kept, the new bodies are put in and only their
/// `@/` links are resolved again.
#[derive(Default)]
pub(super) struct LinkMemo {
    last: Option<Linked>,
    /// Key and problems of the tree `link` last returned, until `keep` takes it back.
    pending: Option<(u64, Vec<Diagnostic>)>,
    /// The last translation coverage report, with the key of its tree.
    coverage: Option<(u64, Arc<coverage::Coverage>)>,
}

struct Linked {
    key: u64,
    content: ContentTree,
    problems: Vec<Diagnostic>,
}

impl LinkMemo {
    /// Like `link`, reusing the last tree when its inputs are the same.
    pub(super) fn link(
        &mut self,
        parsed: Parsed,
        tree: &SourceTree,
        config: &Config,
    ) -> (ContentTree, Vec<Diagnostic>) {
        let key = link_key(&parsed, tree, config);
        let (mut content, problems) = match self.last.take().filter(|last| last.key == key) {
            Some(last) => {
                let mut content = last.content;
                put_in_bodies(&mut content, parsed, config);
                (content, last.problems)
            }
            None => relations(parsed, tree, config),
        };
        content.layout_key = Some(key);
        self.pending = Some((key, problems.clone()));
        let mut all = problems;
        all.extend(resolve_links(&mut content));
        (content, all)
    }

    /// The translation coverage of `content` (a tree `link` returned), kept
    /// while the tree's layout is.
    pub(super) fn coverage(
        &mut self,
        config: &Config,
        content: &ContentTree,
    ) -> Arc<coverage::Coverage> {
        if let Some((key, report)) = &self.coverage {
            if Some(*key) == content.layout_key {
                return report.clone();
            }
        }
        let report = Arc::new(coverage::report(config, content));
        self.coverage = content.layout_key.map(|key| (key, report.clone()));
        report
    }

    /// Take back the tree `link` returned, once rendering is done with it.
    pub(super) fn keep(&mut self, content: ContentTree) {
        if let Some((key, problems)) = self.pending.take() {
            self.last = Some(Linked {
                key,
                content,
                problems,
            });
        }
    }
}

/// Fingerprint of everything the link stage reads except article bodies.
fn link_key(parsed: &Parsed, tree: &SourceTree, config: &Config) -> u64 {
    use std::hash::{Hash, Hasher};
    let now = config.now.fixed_offset();
    let mut hasher = rustc_hash::FxHasher::default();
    config.fingerprint().hash(&mut hasher);
    tree.section_dirs.hash(&mut hasher);
    tree.bundle_assets.hash(&mut hasher);
    for article in &parsed.articles {
        article.entry_hash.hash(&mut hasher);
        published(article, config).hash(&mut hasher);
        article.expires.is_some_and(|e| e <= now).hash(&mut hasher);
    }
    for section in &parsed.sections {
        section.source_hash.hash(&mut hasher);
    }
    hasher.finish()
}

/// Replace the articles and section indexes of a kept tree by this build's
/// (same files, same front matter, new bodies).
fn put_in_bodies(content: &mut ContentTree, parsed: Parsed, config: &Config) {
    let published = parsed.articles.into_iter().filter(|a| published(a, config));
    for (article, parsed) in content.articles.iter_mut().zip(published) {
        article.parsed = parsed;
    }
    let indexes: std::collections::HashMap<&str, &Arc<ParsedSection>> = parsed
        .sections
        .iter()
        .map(|s| (s.source.rel_path.as_str(), s))
        .collect();
    for section in &mut content.sections {
        if let Some(index) = &mut section.index {
            if let Some(&new) = indexes.get(index.source.rel_path.as_str()) {
                *index = new.clone();
            }
        }
    }
}
