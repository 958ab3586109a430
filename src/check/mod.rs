//! `gazette check --external`: request every distinct link to another site
//! once, and report each broken one with every `file:line:col` that uses it.
//!
//! collect the links from the linked content (here) → answer from the day's
//! cache (cache.rs) → request the rest (probe.rs) → one diagnostic per broken URL.

mod cache;
mod probe;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::diagnostics::{Diagnostic, SourceLocation};
use crate::link::ContentTree;
use crate::parse::display_path;
use crate::parse::markdown::Body;

pub use probe::Verdict;

/// One use of an external URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkUse {
    /// As written in the Markdown.
    pub url: String,
    /// Where.
    pub at: SourceLocation,
}

/// How `check --external` requests.
#[derive(Debug, Clone)]
pub struct ExternalCheck {
    /// Longest wait for one answer.
    pub timeout: Duration,
    /// Requests in flight at once, in all.
    pub parallel: usize,
    /// Requests in flight at once to one host.
    pub per_host: usize,
    /// Where results are kept for a day (`<site>/.gazette-cache`).
    pub cache_dir: PathBuf,
    /// Show a progress bar.
    pub progress: bool,
}

impl ExternalCheck {
    /// The defaults for the site at `root`: 10 s, 16 at once, 2 per host.
    pub fn new(root: &std::path::Path) -> Self {
        ExternalCheck {
            timeout: Duration::from_secs(10),
            parallel: 16,
            per_host: 2,
            cache_dir: root.join(".gazette-cache"),
            progress: false,
        }
    }
}

/// Every external link of the published articles and section pages.
pub fn external_links(content: &ContentTree) -> Vec<LinkUse> {
    let articles = content
        .articles
        .iter()
        .map(|a| (display_path(&a.parsed.source), &a.parsed.body));
    let sections = content
        .sections
        .iter()
        .filter_map(|s| s.index.as_ref())
        .map(|i| (display_path(&i.source), &i.body));
    let mut uses: Vec<LinkUse> = articles
        .chain(sections)
        .flat_map(|(path, body): (String, &Body)| {
            body.external_links.iter().map(move |link| LinkUse {
                url: link.url.clone(),
                at: SourceLocation::new(path.clone(), link.line, link.col),
            })
        })
        .collect();
    uses.sort_by(|a, b| (&a.at.path, a.at.line, a.at.col).cmp(&(&b.at.path, b.at.line, b.at.col)));
    uses.dedup();
    uses
}

/// Check every distinct URL of `uses`; one error per broken URL, at its first
/// use, naming the others.
pub fn check_external(uses: &[LinkUse], settings: &ExternalCheck) -> Vec<Diagnostic> {
    let mut by_url: BTreeMap<&str, Vec<&SourceLocation>> = BTreeMap::new();
    for link in uses {
        by_url.entry(link.url.as_str()).or_default().push(&link.at);
    }
    let mut cache = cache::Cache::load(&settings.cache_dir);
    let mut verdicts: BTreeMap<String, Verdict> = BTreeMap::new();
    let mut unknown = Vec::new();
    for &url in by_url.keys() {
        match cache.get(url) {
            Some(verdict) => {
                verdicts.insert(url.to_string(), verdict.clone());
            }
            None => unknown.push(url),
        }
    }
    let mut problems = Vec::new();
    match probe::probe_all(&unknown, settings) {
        Ok(found) => {
            for (url, verdict) in found {
                cache.put(&url, verdict.clone());
                verdicts.insert(url, verdict);
            }
        }
        Err(message) => problems.push(Diagnostic::general(message)),
    }
    if let Err(message) = cache.save(&settings.cache_dir) {
        problems.push(Diagnostic::warning(
            SourceLocation::file(&settings.cache_dir),
            message,
        ));
    }
    for (url, places) in by_url {
        let Some(Verdict::Broken(why)) = verdicts.get(url) else {
            continue;
        };
        let also: Vec<String> = places[1..].iter().map(|p| p.to_string()).collect();
        let also = if also.is_empty() {
            String::new()
        } else {
            format!("; also linked from {}", also.join(", "))
        };
        problems.push(Diagnostic::error(
            places[0].clone(),
            format!("broken external link {url}: {why}{also}"),
        ));
    }
    problems
}
