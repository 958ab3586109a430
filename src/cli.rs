//! The command line: one `*Args` struct per subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// A fast, multilingual static site generator for news portals.
#[derive(Debug, Parser)]
#[command(name = "gazette", version, about)]
pub struct Cli {
    /// Print only errors and warnings.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print the time of each stage.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into a folder of static files.
    Build(BuildArgs),
    /// Build in memory and report problems; write nothing.
    Check(CheckArgs),
    /// Build, serve on 127.0.0.1, rebuild and reload pages on every change.
    Serve(ServeArgs),
    /// Create a new article with its front matter filled in.
    New(NewArgs),
    /// Create a new site that builds as it is.
    Init(InitArgs),
    /// Build, then publish the output to a target of site.yaml `deploy.targets`.
    Deploy(DeployArgs),
}

/// `gazette deploy`.
#[derive(Debug, Args)]
pub struct DeployArgs {
    /// The site folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The target's name (default: the first one).
    #[arg(long)]
    pub target: Option<String>,
    /// Print what would be uploaded and deleted; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Keep objects on the target that are gone from the output.
    #[arg(long)]
    pub no_delete: bool,
    /// Upload every file, changed or not.
    #[arg(long)]
    pub force: bool,
}

/// `gazette build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output folder (default: ROOT/public).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Publish drafts and future-dated articles.
    #[arg(long)]
    pub drafts: bool,
    /// Use this base URL instead of site.yaml's.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Keep running and rebuild on every change.
    #[arg(long)]
    pub watch: bool,
}

/// `gazette serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Port to listen on (the next free one is used when it is busy).
    #[arg(long, default_value_t = 4000)]
    pub port: u16,
    /// Publish drafts and future-dated articles.
    #[arg(long)]
    pub drafts: bool,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

/// `gazette check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Check drafts and future-dated articles too.
    #[arg(long)]
    pub drafts: bool,
    /// Print the translation coverage report (translated, missing, stale per section and language).
    #[arg(long)]
    pub translations: bool,
    /// Also request every link to another site and report the broken ones.
    #[arg(long)]
    pub external: bool,
    /// With --external: seconds to wait for one answer.
    #[arg(long, default_value_t = 10.0, value_parser = positive_seconds)]
    pub timeout: f64,
    /// Form of the report: text or json.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
}

fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds.is_finite() => Ok(seconds),
        _ => Err(format!("\"{text}\" is not a number of seconds above 0")),
    }
}

/// How `gazette check` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Lines for people.
    Text,
    /// One JSON document for scripts.
    Json,
}

/// `gazette new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Path under content/, without `.md` (`news/visit-of-the-governor`).
    pub path: String,
    /// The site folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Language of the article: writes PATH.<lang>.md.
    #[arg(long)]
    pub lang: Option<String>,
    /// Title (default: made from the file name).
    #[arg(long)]
    pub title: Option<String>,
}

/// `gazette init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create (must be empty or absent).
    pub dir: PathBuf,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        super::Cli::command().debug_assert();
    }
}
