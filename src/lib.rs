//! gazette: a static site generator for multilingual news portals.
//!
//! The pipeline, one module per stage, data flowing forward as plain structs:
//! `config::Config::load` → `load::discover` → `parse::parse_all` → `link::link`
//! → `render::render_site` → `write` (staging folder swapped into place).

pub mod check;
pub mod cli;
pub mod config;
pub mod data;
pub mod deploy;
pub mod diagnostics;
pub mod html;
pub mod link;
pub mod load;
mod net;
pub mod output;
pub mod packed;
pub mod parse;
pub mod photo;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod slug;
pub mod theme;
pub mod write;
pub mod yaml;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use config::{BuildOptions, Config};
use diagnostics::Diagnostics;
use output::Sink;
use render::{RenderReport, Templates};

/// Where a build's files go.
pub enum Target<'a> {
    /// Replace this folder with the new site (only if the build has no errors).
    Folder(PathBuf),
    /// Hand every file to this sink (checks, tests, the preview server).
    Sink(&'a dyn Sink),
}

/// The result of one build.
#[derive(Debug, Default)]
pub struct BuildOutcome {
    /// Every error and warning.
    pub diagnostics: Diagnostics,
    /// What was produced (when rendering ran).
    pub report: RenderReport,
    /// Time of each stage and the resident memory after it (bytes, 0 where unknown), for `-v`.
    pub timings: Vec<(&'static str, Duration, u64)>,
    /// What the theme left out (page families without a template) or had filled in, for `-v`.
    pub theme_notes: Vec<String>,
    /// The translation coverage report, when `BuildOptions::translations` asked for it.
    pub coverage: Option<link::coverage::Coverage>,
    /// Every link to another site, when `BuildOptions::external_links` asked for them.
    pub external_links: Vec<check::LinkUse>,
}

/// Build the site at `root` once. Stages run in order; content and template
/// problems are all collected before giving up, and nothing is published on error.
pub fn build_site(root: &Path, options: &BuildOptions, target: Target<'_>) -> BuildOutcome {
    build(root, options, target, None, None)
}

/// Builds of one site that reuse what has not changed (watch and serve).
pub struct Session {
    root: PathBuf,
    options: BuildOptions,
    cache: SessionCache,
}

/// What a session keeps between builds.
#[derive(Default)]
struct SessionCache {
    /// The last walk of the site's files, with its warnings.
    tree: Option<(Arc<load::SourceTree>, Vec<diagnostics::Diagnostic>)>,
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
            cache: SessionCache::default(),
        }
    }

    /// Build again; only changed content files are parsed again.
    pub fn build(&mut self, target: Target<'_>) -> BuildOutcome {
        build(
            &self.root,
            &self.options,
            target,
            Some(&mut self.cache),
            None,
        )
    }

    /// Build again after the watcher saw `paths` change. When they are all
    /// files the last build already read, the site is not walked again and no
    /// other file is looked at.
    pub fn build_after(&mut self, paths: &[PathBuf], target: Target<'_>) -> BuildOutcome {
        build(
            &self.root,
            &self.options,
            target,
            Some(&mut self.cache),
            Some(paths),
        )
    }

    /// Templates or site.yaml changed: every file must be parsed again.
    pub fn forget_parsed_files(&mut self) {
        self.cache.parsed.clear();
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        &self.root
    }
}

/// The site's files, as walked.
struct Discovered {
    tree: Arc<load::SourceTree>,
    problems: Vec<diagnostics::Diagnostic>,
    /// When the session's last walk was reused: the only files that changed
    /// (relative to `content/`).
    changed: Option<std::collections::HashSet<String>>,
}

/// Walk the site's files, or reuse the session's last walk when the watcher
/// says only the files `changed` have changed.
fn discover(
    config: &Config,
    cache: Option<&mut SessionCache>,
    changed: Option<&[PathBuf]>,
) -> Discovered {
    let walk = || {
        let (tree, problems) = load::discover(config);
        (Arc::new(tree), problems)
    };
    let Some(cache) = cache else {
        let (tree, problems) = walk();
        return Discovered {
            tree,
            problems,
            changed: None,
        };
    };
    if let (Some(paths), Some((tree, problems))) = (changed, &cache.tree) {
        if let Some(files) = load::known_files(config, tree, paths) {
            return Discovered {
                tree: tree.clone(),
                problems: problems.clone(),
                changed: Some(files),
            };
        }
    }
    let (tree, problems) = walk();
    cache.tree = Some((tree.clone(), problems.clone()));
    Discovered {
        tree,
        problems,
        changed: None,
    }
}

/// One build; with a session's `cache`, and the files the watcher saw
/// `changed` since the last build when it knows them.
fn build(
    root: &Path,
    options: &BuildOptions,
    target: Target<'_>,
    mut cache: Option<&mut SessionCache>,
    changed: Option<&[PathBuf]>,
) -> BuildOutcome {
    let mut outcome = BuildOutcome::default();
    let mut clock = Instant::now();
    let mut lap = |outcome: &mut BuildOutcome, stage: &'static str| {
        outcome
            .timings
            .push((stage, clock.elapsed(), resident_memory()));
        clock = Instant::now();
    };
    options.progress.tell("reading site.yaml");
    let config = match Config::load(root, options) {
        Ok(config) => config,
        Err(problems) => {
            outcome.diagnostics.extend(problems);
            return outcome;
        }
    };
    lap(&mut outcome, "config");
    options.progress.tell("finding files");
    let Discovered {
        tree,
        problems,
        changed,
    } = discover(&config, cache.as_deref_mut(), changed);
    outcome.diagnostics.extend(problems);
    lap(&mut outcome, "load");
    let (parse_cache, mut link_memo, memo) = match cache {
        Some(cache) => (
            Some(&mut cache.parsed),
            Some(&mut cache.linked),
            Some(&mut cache.rendered),
        ),
        None => (None, None, None),
    };
    let mut warnings = Vec::new();
    options.progress.tell("loading templates and data");
    let templates = Templates::load(&config, &mut warnings);
    outcome.diagnostics.extend(warnings);
    lap(&mut outcome, "templates");
    let renderer = templates
        .as_ref()
        .ok()
        .map(|t| t as &dyn parse::ShortcodeRenderer);
    options.progress.tell("parsing articles");
    let (parsed, problems) =
        parse::parse_all(&tree, &config, renderer, parse_cache, changed.as_ref());
    outcome.diagnostics.extend(problems);
    lap(&mut outcome, "parse");
    options
        .progress
        .tell("linking sections, taxonomies and translations");
    let (content, problems) = match link_memo.as_deref_mut() {
        Some(link_memo) => link_memo.link(parsed, &tree, &config),
        None => link::link(parsed, &tree, &config),
    };
    outcome.diagnostics.extend(problems);
    if options.translations {
        outcome.coverage = Some(match link_memo.as_deref_mut() {
            Some(link_memo) => link_memo.coverage(&config, &content),
            None => link::coverage::report(&config, &content),
        });
    }
    if options.external_links {
        outcome.external_links = check::external_links(&content);
    }
    lap(&mut outcome, "link");
    let templates = match templates {
        Ok(templates) => templates,
        Err(problems) => {
            outcome.diagnostics.extend(problems);
            return outcome;
        }
    };
    outcome.theme_notes = templates.notes.clone();
    if outcome.diagnostics.has_errors() {
        return outcome;
    }
    options.progress.tell("rendering and writing pages");
    let (report, problems) = match target {
        Target::Sink(sink) => render::render_site(
            &config,
            &content,
            &templates,
            &tree.static_files,
            sink,
            memo,
        ),
        Target::Folder(output) => {
            render_to_folder(&config, &content, &templates, &tree.static_files, &output)
        }
    };
    outcome.diagnostics.extend(problems);
    outcome.report = report;
    lap(&mut outcome, "render+write");
    if let Some(link_memo) = link_memo {
        link_memo.keep(content);
    }
    outcome
}

fn render_to_folder(
    config: &Config,
    content: &link::ContentTree,
    templates: &Templates,
    static_files: &[String],
    output: &Path,
) -> (RenderReport, Vec<diagnostics::Diagnostic>) {
    let fail = |message: String| {
        (
            RenderReport::default(),
            vec![diagnostics::Diagnostic::general(message)],
        )
    };
    if let Err(message) = write::check_output_folder(&config.root, output) {
        return fail(message);
    }
    let staging = match write::Staging::create(output) {
        Ok(staging) => staging,
        Err(e) => {
            return fail(format!(
                "cannot create a staging folder beside {}: {e}",
                output.display()
            ));
        }
    };
    let (report, mut problems) =
        render::render_site(config, content, templates, static_files, &staging, None);
    if problems.iter().any(diagnostics::Diagnostic::is_error) {
        staging.discard();
    } else if let Err(e) = staging.publish(output) {
        problems.push(diagnostics::Diagnostic::general(format!(
            "cannot replace {}: {e}",
            output.display()
        )));
    }
    (report, problems)
}

/// Resident memory of this process, from /proc (Linux); 0 elsewhere.
fn resident_memory() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|statm| statm.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}
