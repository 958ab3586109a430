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

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        Command::Check(_) | Command::Deploy(_) => true,
        _ => false,
    };
    let progress = gazette::progress::Progress::start(
        one_off && !cli.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()),
    );
    let (outcome, verb) = match run(&cli, &progress) {
        Ok(built) => built,
        Err(code) => return code,
    };
    progress.finish();
    let code = tell(&cli, outcome, verb, started);
    match &cli.command {
        Command::Deploy(args) if code == ExitCode::SUCCESS => publish(args, cli.quiet, cli.verbose),
        _ => code,
    }
}

/// Run the command: a build's outcome and its verb for the summary line, or
/// the exit code of a command that is not a build.
fn run(
    cli: &Cli,
    progress: &gazette::progress::Progress,
) -> Result<(BuildOutcome, &'static str), ExitCode> {
    let listener = progress.listener();
    match &cli.command {
        Command::Build(args) => {
            let options = BuildOptions {
                drafts: args.drafts,
                base_url: args.base_url.clone(),
                progress: listener,
                ..BuildOptions::default()
            };
            let output = args
                .output
                .clone()
                .unwrap_or_else(|| args.root.join("public"));
            if args.watch {
                let (quiet, verbose) = (cli.quiet, cli.verbose);
                return Err(serve::build_and_watch(
                    &args.root, &output, options, quiet, verbose,
                ));
            }
            let outcome = build_site(&args.root, &options, Target::Folder(output));
            Ok((outcome, "Built"))
        }
        Command::Check(args) => {
            let options = BuildOptions {
                drafts: args.drafts,
                review: true,
                translations: args.translations,
                external_links: args.external,
                progress: listener,
                ..BuildOptions::default()
            };
            let outcome = build_site(&args.root, &options, Target::Sink(&NullSink));
            Ok((outcome, "Checked"))
        }
        Command::Serve(args) => Err(serve::serve(serve::ServeOptions {
            root: args.root.clone(),
            bind: args.bind,
            port: args.port,
            drafts: args.drafts,
            open: args.open,
            quiet: cli.quiet,
            verbose: cli.verbose,
        })),
        Command::Deploy(args) => {
            let options = BuildOptions {
                progress: listener,
                ..BuildOptions::default()
            };
            let output = Target::Folder(args.root.join("public"));
            Ok((build_site(&args.root, &options, output), "Built"))
        }
        Command::New(args) => Err(finish(scaffold::new_article(args), cli.quiet)),
        Command::Init(args) => Err(finish(scaffold::init(&args.dir), cli.quiet)),
    }
}

/// Print what a build found (and, for `check --external`, what the links
/// gave), the stage times with `-v`, and the summary line.
#[allow(clippy::print_stderr, reason = "main is where diagnostics are printed")]
fn tell(cli: &Cli, outcome: BuildOutcome, verb: &str, started: Instant) -> ExitCode {
    let BuildOutcome {
        mut diagnostics,
        report,
        timings,
        theme_notes,
        coverage,
        external_links,
    } = outcome;
    if let Command::Check(args) = &cli.command {
        if args.external {
            let settings = gazette::check::ExternalCheck {
                timeout: std::time::Duration::from_secs_f64(args.timeout),
                progress: !cli.quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()),
                ..gazette::check::ExternalCheck::new(&args.root)
            };
            diagnostics.extend(gazette::check::check_external(&external_links, &settings));
        }
    }
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
            "{verb} {}, {} and {} in {} in {:.2} s",
            counted(report.pages, "page", "pages"),
            counted(report.sections, "section", "sections"),
            counted(report.static_files, "static file", "static files"),
            counted(report.languages, "language", "languages"),
            started.elapsed().as_secs_f64()
        );
    }
    ExitCode::SUCCESS
}

/// The deploy half of `gazette deploy`, once the build has succeeded.
#[allow(clippy::print_stderr, reason = "main is where messages are printed")]
fn publish(args: &gazette::cli::DeployArgs, quiet: bool, verbose: bool) -> ExitCode {
    use gazette::deploy::{DeployOptions, deploy, pick_target};
    let config = match gazette::config::Config::load(&args.root, &BuildOptions::default()) {
        Ok(config) => config,
        Err(problems) => {
            let mut diagnostics = Diagnostics::default();
            diagnostics.extend(problems);
            print_diagnostics(diagnostics);
            return ExitCode::from(1);
        }
    };
    let options = DeployOptions {
        dry_run: args.dry_run,
        no_delete: args.no_delete,
        force: args.force,
        progress: !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()),
    };
    let report = pick_target(&config.deploy, args.target.as_deref())
        .and_then(|target| deploy(target, &args.root.join("public"), &options));
    match report {
        Ok(report) => {
            print_deploy(&report, quiet, verbose);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// A dry run lists each change on stdout (it is the command's output), `-v`
/// lists them on stderr; every deploy ends with one summary line on stderr.
#[allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a dry run's list is what it prints"
)]
fn print_deploy(report: &gazette::deploy::DeployReport, quiet: bool, verbose: bool) {
    let bytes: u64 = report.uploaded.iter().map(|(_, size)| size).sum();
    if verbose && !report.dry_run {
        for (key, _) in &report.uploaded {
            eprintln!("  uploaded {key}");
        }
        for key in &report.deleted {
            eprintln!("  deleted {key}");
        }
    }
    if report.dry_run {
        for (key, size) in &report.uploaded {
            println!("upload {key} ({} bytes)", thousands(*size as usize));
        }
        for key in &report.deleted {
            println!("delete {key}");
        }
        if !quiet {
            eprintln!(
                "Dry run for {}: would upload {} ({} bytes), delete {}, {} unchanged",
                report.target,
                thousands(report.uploaded.len()),
                thousands(bytes as usize),
                thousands(report.deleted.len()),
                thousands(report.unchanged)
            );
        }
    } else if !quiet {
        eprintln!(
            "Deployed to {}: {} uploaded, {} deleted, {} unchanged in {:.1} s",
            report.target,
            thousands(report.uploaded.len()),
            thousands(report.deleted.len()),
            thousands(report.unchanged),
            report.elapsed.as_secs_f64()
        );
    }
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

/// `n` and the noun in its English number: "1 language", "1,204 pages".
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_english() {
        assert_eq!(counted(1, "language", "languages"), "1 language");
        assert_eq!(counted(0, "static file", "static files"), "0 static files");
        assert_eq!(counted(16_096, "page", "pages"), "16,096 pages");
    }
}
