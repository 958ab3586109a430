//! Watch and serve: the editor's loop. Builds once, then rebuilds on every
//! change (only changed files are parsed again) and either serves the result
//! from memory with live reload (`serve`) or updates the output folder in
//! place, writing only files whose bytes changed (`build --watch`).
//!
//! This is the one module that prints as it goes: it runs until Ctrl-C.
#![allow(
    clippy::print_stderr,
    reason = "watch and serve report each rebuild as it happens"
)]

pub mod server;
mod translations;
pub mod watch;

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use crate::config::BuildOptions;
use crate::diagnostics::Diagnostics;
use crate::output::MemorySink;
use crate::{BuildOutcome, Session, Target};
use server::{Notice, Preview, PreviewSite};
use watch::ChangeKind;

/// How `gazette serve` was asked to run.
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// Address to listen on.
    pub bind: IpAddr,
    /// Port (the next free one is taken when it is busy).
    pub port: u16,
    /// Publish drafts and future articles.
    pub drafts: bool,
    /// Open the site in a browser.
    pub open: bool,
    /// No summary lines.
    pub quiet: bool,
    /// Time each stage of every rebuild.
    pub verbose: bool,
}

/// Build into memory, after the watcher saw `changed` (when it did);
/// `Ok(built)` or `Err(diagnostics text)`.
fn build_in_memory(
    session: &mut Session,
    changed: Option<&[PathBuf]>,
) -> (Result<PreviewSite, String>, BuildOutcome) {
    let sink = MemorySink::default();
    let outcome = match changed {
        Some(paths) => session.build_after(paths, Target::Sink(&sink)),
        None => session.build(Target::Sink(&sink)),
    };
    if outcome.diagnostics.has_errors() {
        let text = error_text(&outcome.diagnostics);
        (Err(text), outcome)
    } else {
        let built = PreviewSite {
            files: sink.into_files(),
            coverage: outcome.coverage.clone(),
        };
        (Ok(built), outcome)
    }
}

fn error_text(diagnostics: &Diagnostics) -> String {
    let errors: Vec<String> = diagnostics
        .clone()
        .sorted()
        .into_iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    errors.join("\n")
}

fn print(outcome: &BuildOutcome, verbose: bool) {
    for diagnostic in outcome.diagnostics.clone().sorted() {
        eprintln!("{diagnostic}");
    }
    if verbose {
        let stages: Vec<String> = outcome
            .timings
            .iter()
            .map(|(stage, time, _)| format!("{stage} {:.0} ms", time.as_secs_f64() * 1000.0))
            .collect();
        let report = &outcome.report;
        eprintln!(
            "  {}; {} of {} files made again",
            stages.join(", "),
            report.files - report.reused,
            report.files
        );
    }
}

/// `gazette serve`: build, serve, watch, reload. Runs until Ctrl-C.
pub fn serve(options: ServeOptions) -> ExitCode {
    let Some((runtime, listener, bound)) = listen(&options) else {
        return ExitCode::from(1);
    };
    let url = format!("http://{bound}");
    let build_options = BuildOptions {
        drafts: options.drafts,
        base_url: Some(url.clone()),
        review: false,
        // The preview shows the coverage report at TRANSLATIONS_PAGE.
        translations: true,
        external_links: false,
        progress: Default::default(),
    };
    let mut session = Session::new(&options.root, build_options);
    let started = Instant::now();
    let (result, outcome) = build_in_memory(&mut session, None);
    print(&outcome, options.verbose);
    let preview = match result {
        Ok(built) => Preview::new(built),
        Err(text) => {
            let preview = Preview::new(PreviewSite::default());
            preview.fail(text);
            preview
        }
    };
    if !options.quiet {
        eprintln!(
            "Built in {:.2} s; serving {} at {url}/ (Ctrl-C to stop)",
            started.elapsed().as_secs_f64(),
            options.root.display()
        );
    }
    runtime.spawn(server::serve(listener, preview.clone()));
    runtime.spawn(async {
        if tokio::signal::ctrl_c().await.is_ok() {
            std::process::exit(0);
        }
    });
    if options.open {
        if let Err(e) = opener::open(&url) {
            eprintln!("warning: cannot open a browser: {e}");
        }
    }
    watch_loop(
        &mut session,
        options.quiet,
        options.verbose,
        |result, kind, paths| show(&preview, result, kind, paths),
    )
}

/// A runtime and a socket on the address asked for (or, when its port is
/// busy, on another); the error is printed.
fn listen(
    options: &ServeOptions,
) -> Option<(tokio::runtime::Runtime, tokio::net::TcpListener, SocketAddr)> {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the server: {e}");
            return None;
        }
    };
    let wanted = SocketAddr::new(options.bind, options.port);
    let (listener, bound) = match runtime.block_on(server::bind(wanted)) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("error: cannot listen on {wanted}: {e}");
            return None;
        }
    };
    if bound.port() != wanted.port() && options.port != 0 {
        eprintln!(
            "port {} is busy; serving on port {} instead",
            wanted.port(),
            bound.port()
        );
    }
    Some((runtime, listener, bound))
}

/// Show a rebuild in the preview: its files (a change to stylesheets only
/// swaps them in without a reload), or its error page.
fn show(
    preview: &Preview,
    result: Result<PreviewSite, String>,
    kind: ChangeKind,
    paths: &[PathBuf],
) -> Result<(), ()> {
    match result {
        Ok(built) => {
            let only_css = kind == ChangeKind::Static
                && paths
                    .iter()
                    .all(|p| p.extension().is_some_and(|e| e == "css"));
            let notice = if only_css {
                Notice::Stylesheets
            } else {
                Notice::Reload
            };
            preview.publish(built, notice);
            Ok(())
        }
        Err(text) => {
            preview.fail(text);
            Err(())
        }
    }
}

/// `gazette build --watch`: build into `output`, then keep it up to date.
pub fn build_and_watch(
    root: &Path,
    output: &Path,
    options: BuildOptions,
    quiet: bool,
    verbose: bool,
) -> ExitCode {
    let mut session = Session::new(root, options);
    let mut hashes = BTreeMap::new();
    let (result, outcome) = build_in_memory(&mut session, None);
    print(&outcome, verbose);
    match result {
        Ok(built) => match crate::write::publish_files(session.root(), output, &built.files) {
            Ok(written) => hashes = written,
            Err(e) => eprintln!("error: cannot write {}: {e}", output.display()),
        },
        Err(_) => eprintln!("the first build failed; watching for a fix"),
    }
    if !quiet {
        eprintln!("Watching {} for changes (Ctrl-C to stop)", root.display());
    }
    watch_loop(&mut session, quiet, verbose, |result, _, _| {
        let files = result.map_err(|_| ())?.files;
        let synced = if hashes.is_empty() {
            crate::write::publish_files(root, output, &files)
        } else {
            crate::write::sync_files(output, &hashes, &files)
        };
        match synced {
            Ok(written) => {
                hashes = written;
                Ok(())
            }
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", output.display());
                Err(())
            }
        }
    })
}

/// Rebuild after each burst of changes and hand the result to `deliver`.
fn watch_loop(
    session: &mut Session,
    quiet: bool,
    verbose: bool,
    mut deliver: impl FnMut(Result<PreviewSite, String>, ChangeKind, &[PathBuf]) -> Result<(), ()>,
) -> ExitCode {
    // Events name absolute paths; a root given as `.` must be made one to match them.
    let root = std::fs::canonicalize(session.root()).unwrap_or_else(|_| session.root().into());
    let watcher = match watch::watch(&root) {
        Ok(watcher) => watcher,
        Err(e) => {
            eprintln!("error: cannot watch {}: {e}", root.display());
            return ExitCode::from(1);
        }
    };
    while let Ok(paths) = watcher.changes.recv() {
        let kind = watch::classify_all(&root, paths.iter().map(PathBuf::as_path));
        if kind == ChangeKind::Ignored {
            continue;
        }
        let reparse = kind == ChangeKind::Config
            || (kind == ChangeKind::Templates
                && paths.iter().any(|p| watch::affects_parsing(&root, p)));
        if reparse {
            session.forget_parsed_files();
        }
        let started = Instant::now();
        let inputs: Vec<PathBuf> = paths
            .iter()
            .filter(|p| watch::classify(&root, p) != ChangeKind::Ignored)
            .cloned()
            .collect();
        let (result, outcome) = build_in_memory(session, Some(&inputs));
        print(&outcome, verbose);
        let failed = result.is_err();
        let delivered = deliver(result, kind, &paths);
        if !quiet && !failed && delivered.is_ok() {
            eprintln!(
                "Rebuilt in {:.0} ms ({} changed)",
                started.elapsed().as_secs_f64() * 1000.0,
                paths.len()
            );
        } else if failed {
            eprintln!("Rebuild failed; still serving the last good build");
        }
    }
    ExitCode::SUCCESS
}
