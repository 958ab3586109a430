//! gazette: a static site generator for multilingual news portals.
//!
//! The pipeline, one module per stage, data flowing forward as plain structs:
//! `config::Config::load` → `load::discover` → `parse::parse_all` → `link::link`
//! → `render::render_site` → `write` (staging folder swapped into place).
//! What watch and serve keep between builds lives in `session`.

mod background;
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
mod session;
pub mod slug;
pub mod theme;
pub mod write;
pub mod yaml;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use config::{BuildOptions, Config};
use diagnostics::Diagnostics;
use output::Sink;
use render::{RenderReport, Templates};
pub use session::Session;

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
    pub coverage: Option<std::sync::Arc<link::coverage::Coverage>>,
    /// Every link to another site, when `BuildOptions::external_links` asked for them.
    pub external_links: Vec<check::LinkUse>,
}

/// Build the site at `root` once. Stages run in order; content and template
/// problems are all collected before giving up, and nothing is published on error.
pub fn build_site(root: &Path, options: &BuildOptions, target: Target<'_>) -> BuildOutcome {
    build(root, options, target, None, None)
}

/// One build; with a session's `kept` state, and the files the watcher saw
/// `changed` since the last build when it knows them.
fn build(
    root: &Path,
    options: &BuildOptions,
    target: Target<'_>,
    mut kept: Option<&mut session::Kept>,
    changed: Option<&[PathBuf]>,
) -> BuildOutcome {
    let mut run = Run::new(options);
    run.tell("reading site.yaml");
    let config = match Config::load(root, options) {
        Ok(config) => config,
        Err(problems) => return run.fail(problems),
    };
    run.lap("config");
    run.tell("finding files");
    let files = session::discover(&config, kept.as_deref_mut(), changed);
    run.outcome.diagnostics.extend(files.problems);
    run.lap("load");
    run.tell("loading templates and data");
    let mut warnings = Vec::new();
    let templates = Templates::load(&config, &mut warnings);
    run.outcome.diagnostics.extend(warnings);
    run.lap("templates");
    run.tell("parsing articles");
    let renderer = templates
        .as_ref()
        .ok()
        .map(|t| t as &dyn parse::ShortcodeRenderer);
    let cache = session::parse_cache(&mut kept);
    let (parsed, problems) = parse::parse_all(
        &files.tree,
        &config,
        renderer,
        cache,
        files.changed.as_ref(),
    );
    run.outcome.diagnostics.extend(problems);
    run.lap("parse");
    run.tell("linking sections, taxonomies and translations");
    let (content, problems) = session::link(&mut kept, parsed, &files.tree, &config);
    run.outcome.diagnostics.extend(problems);
    if options.translations {
        run.outcome.coverage = Some(session::coverage(&mut kept, &config, &content));
    }
    if options.external_links {
        run.outcome.external_links = check::external_links(&content);
    }
    run.lap("link");
    let templates = match templates {
        Ok(templates) => templates,
        Err(problems) => return run.fail(problems),
    };
    run.outcome.theme_notes = templates.notes.clone();
    if run.outcome.diagnostics.has_errors() {
        return run.outcome;
    }
    run.tell("rendering and writing pages");
    let static_files = &files.tree.static_files;
    let (report, problems) = match target {
        Target::Sink(sink) => {
            let memo = session::render_memo(&mut kept);
            render::render_site(&config, &content, &templates, static_files, sink, memo)
        }
        Target::Folder(output) => {
            render_to_folder(&config, &content, &templates, static_files, &output)
        }
    };
    run.outcome.diagnostics.extend(problems);
    run.outcome.report = report;
    run.lap("render+write");
    session::keep_tree(kept, content);
    // Its lookup holds every article's list item.
    background::drop_later(templates);
    run.outcome
}

/// A build under way: its outcome so far and the clock of its stages.
struct Run<'o> {
    outcome: BuildOutcome,
    clock: Instant,
    progress: &'o config::StageListener,
}

impl<'o> Run<'o> {
    fn new(options: &'o BuildOptions) -> Self {
        Run {
            outcome: BuildOutcome::default(),
            clock: Instant::now(),
            progress: &options.progress,
        }
    }

    /// Show what the build does now.
    fn tell(&self, what: &'static str) {
        self.progress.tell(what);
    }

    /// A stage ended: its time, and the resident memory after it.
    fn lap(&mut self, stage: &'static str) {
        let time = self.clock.elapsed();
        self.outcome.timings.push((stage, time, resident_memory()));
        self.clock = Instant::now();
    }

    /// The build stops with `problems`.
    fn fail(mut self, problems: Vec<diagnostics::Diagnostic>) -> BuildOutcome {
        self.outcome.diagnostics.extend(problems);
        self.outcome
    }
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
