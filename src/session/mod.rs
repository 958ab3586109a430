//! Builds of one site that reuse what has not changed (watch and serve).
//! This module owns everything that lives from one build to the next: the
//! last walk of the site's files, the parsed files, the last link pass and
//! the last render's outputs. Each stage is handed its part and stays a
//! plain function of its inputs; a plain build has none of this.

mod link;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{BuildOptions, Config};
use crate::diagnostics::Diagnostic;
use crate::link::{ContentTree, coverage};
use crate::load::{self, SourceTree};
use crate::parse::{self, Parsed};
use crate::{BuildOutcome, Target, render};

/// Builds of one site, each reusing what the last one made.
pub struct Session {
    root: PathBuf,
    options: BuildOptions,
    kept: Kept,
}

/// What a session keeps between builds.
#[derive(Default)]
pub(crate) struct Kept {
    /// The last walk of the site's files, with its warnings.
    tree: Option<(Arc<SourceTree>, Vec<Diagnostic>)>,
    parsed: parse::ParseCache,
    linked: link::LinkMemo,
    rendered: render::RenderMemo,
}

impl Session {
    /// A session for the site at `root`.
    pub fn new(root: &Path, options: BuildOptions) -> Self {
        Session {
            root: root.to_path_buf(),
            options,
            kept: Kept::default(),
        }
    }

    /// Build again; only changed content files are parsed again.
    pub fn build(&mut self, target: Target<'_>) -> BuildOutcome {
        crate::build(
            &self.root,
            &self.options,
            target,
            Some(&mut self.kept),
            None,
        )
    }

    /// Build again after the watcher saw `paths` change. When they are all
    /// files the last build already read, the site is not walked again and no
    /// other file is looked at.
    pub fn build_after(&mut self, paths: &[PathBuf], target: Target<'_>) -> BuildOutcome {
        let kept = Some(&mut self.kept);
        crate::build(&self.root, &self.options, target, kept, Some(paths))
    }

    /// Templates or site.yaml changed: every file must be parsed again.
    pub fn forget_parsed_files(&mut self) {
        self.kept.parsed.clear();
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        &self.root
    }
}

/// The site's files, as walked.
pub(crate) struct Discovered {
    pub(crate) tree: Arc<SourceTree>,
    pub(crate) problems: Vec<Diagnostic>,
    /// When the session's last walk was reused: the only files that changed
    /// (relative to `content/`).
    pub(crate) changed: Option<HashSet<String>>,
}

/// Walk the site's files, or reuse the session's last walk when the watcher
/// says only the files `changed` have changed.
pub(crate) fn discover(
    config: &Config,
    kept: Option<&mut Kept>,
    changed: Option<&[PathBuf]>,
) -> Discovered {
    let walk = || {
        let (tree, problems) = load::discover(config);
        (Arc::new(tree), problems)
    };
    let Some(kept) = kept else {
        let (tree, problems) = walk();
        return Discovered {
            tree,
            problems,
            changed: None,
        };
    };
    if let (Some(paths), Some((tree, problems))) = (changed, &kept.tree) {
        if let Some(files) = load::known_files(config, tree, paths) {
            return Discovered {
                tree: tree.clone(),
                problems: problems.clone(),
                changed: Some(files),
            };
        }
    }
    let (tree, problems) = walk();
    kept.tree = Some((tree.clone(), problems.clone()));
    Discovered {
        tree,
        problems,
        changed: None,
    }
}

/// The parse cache of a session, if any.
pub(crate) fn parse_cache<'k>(
    kept: &'k mut Option<&mut Kept>,
) -> Option<&'k mut parse::ParseCache> {
    kept.as_deref_mut().map(|k| &mut k.parsed)
}

/// The render memo of a session, if any.
pub(crate) fn render_memo<'k>(
    kept: &'k mut Option<&mut Kept>,
) -> Option<&'k mut render::RenderMemo> {
    kept.as_deref_mut().map(|k| &mut k.rendered)
}

/// The link stage: a plain `link::link`, or in a session the last tree
/// kept when only bodies changed.
pub(crate) fn link(
    kept: &mut Option<&mut Kept>,
    parsed: Parsed,
    tree: &SourceTree,
    config: &Config,
) -> (ContentTree, Vec<Diagnostic>) {
    match kept.as_deref_mut() {
        Some(kept) => kept.linked.link(parsed, tree, config),
        None => crate::link::link(parsed, tree, config),
    }
}

/// The translation coverage report, kept in a session while the tree's layout is.
pub(crate) fn coverage(
    kept: &mut Option<&mut Kept>,
    config: &Config,
    content: &ContentTree,
) -> Arc<coverage::Coverage> {
    match kept.as_deref_mut() {
        Some(kept) => kept.linked.coverage(config, content),
        None => Arc::new(coverage::report(config, content)),
    }
}

/// A session takes back the tree the link stage gave, for the next build.
pub(crate) fn keep_tree(kept: Option<&mut Kept>, content: ContentTree) {
    if let Some(kept) = kept {
        kept.linked.keep(content);
    }
}
