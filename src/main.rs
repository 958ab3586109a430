//! `gazette`: parse the command line, run the command, print diagnostics,
//! and decide the exit code (0 ok, 1 site errors, 2 bad usage).

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use gazette::cli::{Cli, Command, ReportFormat};
use gazette::config::BuildOptions;
use gazette::diagnostics::Diagnostics;
use gazette::output::NullSink;
use gazette::{BuildOutcome, Target, build_site, scaffold, serve};

#[allow(clippy::print_stderr, reason = "main is where diagnostics are printed")]
fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let started = Instant::now();
    // A spinner for long one-off builds and checks, on a terminal only (watch
    // and serve print a line per rebuild instead).
    let one_off = match &cli.command {
        Command::Build(args) => !args.watch,
        Command::Check(_) => true,
        _ => false,
    };
    let progress = gazette::progress::Progress::start(
        one_off && !cli.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()),
    );
    let (outcome, verb) = match &cli.command {
        Command::Build(args) => {
            let options = BuildOptions {
                drafts: args.drafts,
                base_url: args.base_url.clone(),
                review: false,
                translations: false,
                progress: progress.listener(),
            };
            let output = args
                .output
                .clone()
                .unwrap_or_else(|| args.root.join("public"));
            if args.watch {
                return serve::build_and_watch(
                    &args.root,
                    &output,
                    options,
                    cli.quiet,
                    cli.verbose,
                );
            }
            (
                build_site(&args.root, &options, Target::Folder(output)),
                "Built",
            )
        }
        Command::Check(args) => {
            let options = BuildOptions {
                drafts: args.drafts,
                base_url: None,
                review: true,
                translations: args.translations,
                progress: progress.listener(),
            };
            (
                build_site(&args.root, &options, Target::Sink(&NullSink)),
                "Checked",
            )
        }
        Command::Serve(args) => {
            return serve::serve(serve::ServeOptions {
                root: args.root.clone(),
                bind: args.bind,
                port: args.port,
                drafts: args.drafts,
                open: args.open,
                quiet: cli.quiet,
                verbose: cli.verbose,
            });
        }
        Command::New(args) => return finish(scaffold::new_article(args), cli.quiet),
        Command::Init(args) => return finish(scaffold::init(&args.dir), cli.quiet),
    };
    let BuildOutcome {
        diagnostics,
        report,
        timings,
        theme_notes,
        coverage,
    } = outcome;
    progress.finish();
    let failed = diagnostics.has_errors();
    print_diagnostics(diagnostics);
    if let (Some(coverage), Command::Check(args)) = (&coverage, &cli.command) {
        print_report(coverage, args.format);
    }
    if failed {
        return ExitCode::from(1);
    }
    if cli.verbose {
        for note in &theme_notes {
            eprintln!("  theme: {note}");
        }
        let kb = report.search_index_bytes as f64 / 1024.0;
        eprintln!(
            "  search index   {kb:>8.0} KB in {} languages",
            report.languages
        );
        for (stage, time, memory) in &timings {
            let mb = *memory as f64 / 1_048_576.0;
            eprintln!(
                "  {stage:<14} {:>8.1} ms {mb:>8.0} MB resident",
                time.as_secs_f64() * 1000.0
            );
        }
    }
    if !cli.quiet {
        eprintln!(
            "{verb} {} pages, {} sections and {} static files in {} languages in {:.2} s",
            thousands(report.pages),
            thousands(report.sections),
            thousands(report.static_files),
            report.languages,
            started.elapsed().as_secs_f64()
        );
    }
    ExitCode::SUCCESS
}

/// The translation coverage report goes to stdout: it is the command's output.
#[allow(
    clippy::print_stdout,
    reason = "the report is what `check --translations` prints"
)]
fn print_report(coverage: &gazette::link::coverage::Coverage, format: ReportFormat) {
    match format {
        ReportFormat::Text => print!("{}", coverage.text()),
        ReportFormat::Json => match serde_json::to_string_pretty(coverage) {
            Ok(json) => println!("{json}"),
            Err(e) => println!("{{\"error\": \"{e}\"}}"),
        },
    }
}

#[allow(clippy::print_stderr, reason = "main is where diagnostics are printed")]
fn print_diagnostics(diagnostics: Diagnostics) {
    for diagnostic in diagnostics.sorted() {
        eprintln!("{diagnostic}");
    }
}

#[allow(clippy::print_stderr, reason = "main is where messages are printed")]
fn finish(result: Result<String, Diagnostics>, quiet: bool) -> ExitCode {
    match result {
        Ok(message) => {
            if !quiet {
                eprintln!("{message}");
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            print_diagnostics(diagnostics);
            ExitCode::from(1)
        }
    }
}

/// 1204 → "1,204".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
