//! Diagnostics: every problem found in a run, with the place it was found.
//!
//! Stages collect `Diagnostic`s instead of stopping at the first problem;
//! only `main` prints them (sorted by place) and turns them into an exit code.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is: errors fail the build, warnings never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The site cannot be built as it is.
    Error,
    /// Worth fixing, but the build goes on.
    Warning,
}

/// A place in a source file: path relative to the site root, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SourceLocation {
    /// Path relative to the site root (`content/news/visit.md`).
    pub path: PathBuf,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub col: usize,
}

impl SourceLocation {
    /// A location at `line:col` in `path`.
    pub fn new(path: impl Into<PathBuf>, line: usize, col: usize) -> Self {
        SourceLocation {
            path: path.into(),
            line,
            col,
        }
    }

    /// The whole file, no line.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Self::new(path, 0, 0)
    }
}

/// `text`, then each cause under `error` (`text: cause: its cause`): library
/// errors (Tera, reqwest) keep the useful part in their sources.
pub fn with_causes(mut text: String, error: &dyn std::error::Error) -> String {
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.col > 0 {
                write!(f, ":{}", self.col)?;
            }
        }
        Ok(())
    }
}

/// One problem: what is wrong, where, and optionally how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where, when there is a file to name.
    pub location: Option<SourceLocation>,
    /// What is wrong and what was expected.
    pub message: String,
    /// A suggestion ("did you mean `tags`?").
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `location`.
    pub fn error(location: SourceLocation, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location: Some(location),
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at `location`.
    pub fn warning(location: SourceLocation, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Self::error(location, message)
        }
    }

    /// An error that belongs to no file (an I/O failure on the output folder, say).
    pub fn general(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location: None,
            message: message.into(),
            hint: None,
        }
    }

    /// The same diagnostic with a hint attached.
    pub fn with_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// Whether this diagnostic fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (Option<&SourceLocation>, Severity, &str) {
        (self.location.as_ref(), self.severity, &self.message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = &self.location {
            write!(f, "{location}: ")?;
        }
        if self.severity == Severity::Warning {
            write!(f, "warning: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

/// The diagnostics of a run, kept sorted by location.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Add one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Add many.
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    /// Whether any of them is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// The diagnostics, sorted by file, line and column.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
        self.items
    }

    /// Iterate without sorting.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// The best match for `word` among `candidates`, for "did you mean" hints.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

/// 1-based line and column of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Path of `path` relative to `root`, for messages.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_compilers() {
        let d = Diagnostic::error(
            SourceLocation::new("content/a.md", 4, 7),
            "date: invalid date \"2023-13-01\"",
        );
        assert_eq!(
            d.to_string(),
            "content/a.md:4:7: date: invalid date \"2023-13-01\""
        );
        let w = Diagnostic::warning(SourceLocation::file("site.yaml"), "x")
            .with_hint(Some("did you mean `y`?".into()));
        assert_eq!(w.to_string(), "site.yaml: warning: x (did you mean `y`?)");
    }

    #[test]
    fn sorts_by_location() {
        let mut all = Diagnostics::default();
        all.push(Diagnostic::error(SourceLocation::new("b.md", 1, 1), "b"));
        all.push(Diagnostic::error(SourceLocation::new("a.md", 9, 1), "a9"));
        all.push(Diagnostic::error(SourceLocation::new("a.md", 2, 1), "a2"));
        let messages: Vec<_> = all.sorted().into_iter().map(|d| d.message).collect();
        assert_eq!(messages, ["a2", "a9", "b"]);
    }

    #[test]
    fn hints_close_words_only() {
        assert_eq!(
            did_you_mean("tgas", ["tags", "title"]).as_deref(),
            Some("did you mean `tags`?")
        );
        assert_eq!(did_you_mean("zzz", ["tags", "title"]), None);
    }

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("ab\nцdef", 6), (2, 3));
        assert_eq!(line_col("abc", 0), (1, 1));
    }
}
